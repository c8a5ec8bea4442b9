#!/usr/bin/env bash
# Puts the host's native library where the jar carries it, for Maven (run in
# the generate-resources phase; see pom.xml):
#
#   native.sh OUT_DIR PLATFORM [NATIVE_DIR [BINDING [PROFILE]]]
#
# BINDING is the generated binding being compiled (`-Drekindle.binding`):
# `jvm`, the jar's (the default), calls the fixture runner, so its library is
# built with the `fixtures` feature; `android`, the AAR's, goes with the
# mobile library, without it (only to check that it compiles on the JVM).
#
# Without NATIVE_DIR it builds the library with cargo (a no-op when it is up
# to date) in PROFILE (`-Drekindle.native.profile`; when empty, `release` for
# the jar and `release-mobile` for the AAR's binding) and takes it from the
# repository's target directory; with NATIVE_DIR (`-Drekindle.native.dir=DIR`)
# it takes the library built there and builds nothing. Either way the library
# is copied to OUT_DIR/PLATFORM/ (JNA's resource folder, such as
# linux-x86-64) and stripped of its symbol table when `strip` is available.
# When the library cannot be had it stops with one line saying what to run.
#
# Why the jar takes `release` (optimised for speed) and not the mobile apps'
# `release-mobile` (optimised for size): JVM apps run on desktops and
# servers, where the 0.8 MB more makes the native half of a call about 1.4
# times as fast (README.md, "Where the time of a call goes").
set -euo pipefail
usage="usage: native.sh OUT_DIR PLATFORM [NATIVE_DIR [jvm|android [PROFILE]]]"
out=${1:?$usage}
platform=${2:?$usage}
native_dir=${3:-}
binding=${4:-jvm}
profile=${5:-}
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

# One crate type per build: built beside the rlib, the shared library keeps
# code that link-time optimisation would otherwise drop (see "Size" in
# BENCHMARKS.md).
case $binding in
    jvm)
        profile=${profile:-release}
        build="cargo rustc --profile $profile --lib --crate-type cdylib --features fixtures"
        ;;
    android)
        profile=${profile:-release-mobile}
        build="cargo rustc --profile $profile --lib --crate-type cdylib"
        ;;
    *) fail "unknown binding '$binding' (jvm or android)" ;;
esac

if [[ -z $native_dir ]]; then
    if ! command -v cargo >/dev/null 2>&1; then
        fail "no native library and no cargo to build it: install Rust (rustup.rs) and run \`$build\` in $root, then pass -Drekindle.native.dir=$root/target/$profile"
    fi
    target_dir=${CARGO_TARGET_DIR:-$root/target}
    [[ $target_dir == /* ]] || target_dir=$root/$target_dir
    echo "rekindle: building the native library ($build)"
    # $build is split into words on purpose: it holds no quoted parts.
    if ! (cd "$root" && $build --quiet); then
        fail "cargo could not build the native library; run \`$build\` in $root to see why"
    fi
    native_dir=$target_dir/$profile
fi

if [[ ! -f $native_dir/$lib ]]; then
    fail "$native_dir/$lib is missing: run \`$build\` in $root, or pass -Drekindle.native.dir=DIR with the directory that holds $lib"
fi

# The jar's binding calls the fixture runner, which the mobile library
# lacks: JNA would fail to load it with a less helpful message.
if [[ $binding == jvm ]] && ! grep -q uniffi_rekindle_fn_method_engine_run_fixtures "$native_dir/$lib"; then
    fail "$native_dir/$lib has no fixture runner, which the jar's binding calls: build it with \`$build\` in $root"
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
