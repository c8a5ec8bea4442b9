#!/usr/bin/env bash
# Puts the host's native library where the jar carries it, for Maven (run in
# the generate-resources phase; see pom.xml):
#
#   native.sh OUT_DIR PLATFORM [NATIVE_DIR [PROFILE]]
#
# Without NATIVE_DIR it builds the library with cargo (PROFILE, `release` when
# not given: `-Drekindle.native.profile=...`; a no-op when it is up to date)
# and takes it from the repository's target directory; with NATIVE_DIR
# (`-Drekindle.native.dir=DIR`) it takes the library built there and builds
# nothing. Either way the library is copied to OUT_DIR/PLATFORM/ (JNA's
# resource folder, such as linux-x86-64) and stripped of its symbol table
# when `strip` is available. When the library cannot be had it stops with
# one line saying what to run.
#
# Why `release` and not the mobile apps' `release-mobile` (optimised for
# size): JVM apps run on desktops and servers, where the half megabyte
# more buys native calls about 1.6 times as fast (README.md, "Where the
# time of a call goes").
set -euo pipefail
usage="usage: native.sh OUT_DIR PLATFORM [NATIVE_DIR [PROFILE]]"
out=${1:?$usage}
platform=${2:?$usage}
native_dir=${3:-}
profile=${4:-release}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

case "$(uname -s)" in
    Darwin) lib=librekindle.dylib ;;
    MINGW* | MSYS* | CYGWIN*) lib=rekindle.dll ;;
    *) lib=librekindle.so ;;
esac

fail() {
    echo "rekindle: $1" >&2
    exit 1
}

if [[ -z $native_dir ]]; then
    if ! command -v cargo >/dev/null 2>&1; then
        fail "no native library and no cargo to build it: install Rust (rustup.rs) and run \`cargo build --profile $profile --lib\` in $root, then pass -Drekindle.native.dir=$root/target/$profile"
    fi
    target_dir=${CARGO_TARGET_DIR:-$root/target}
    [[ $target_dir == /* ]] || target_dir=$root/$target_dir
    echo "rekindle: building the native library (cargo build --profile $profile --lib)"
    if ! (cd "$root" && cargo build --quiet --profile "$profile" --lib); then
        fail "cargo could not build the native library; run \`cargo build --profile $profile --lib\` in $root to see why"
    fi
    native_dir=$target_dir/$profile
fi

if [[ ! -f $native_dir/$lib ]]; then
    fail "$native_dir/$lib is missing: run \`cargo build --profile $profile --lib\` in $root, or pass -Drekindle.native.dir=DIR with the directory that holds $lib"
fi

mkdir -p "$out/$platform"
dest=$out/$platform/$lib
# The bindings are already generated, so the symbol table is not needed in
# the jar: strip it (about a third of the library).
# (A macOS library is copied as it is: stripping would void its signature.)
if [[ $lib == *.so ]] && command -v strip >/dev/null 2>&1; then
    strip --strip-all -o "$dest" "$native_dir/$lib"
else
    cp "$native_dir/$lib" "$dest"
fi
echo "rekindle: packed $dest ($(wc -c <"$dest" | tr -d ' ') bytes)"
