#!/usr/bin/env bash
# Tests every binding in its own language, from a fresh clone:
#   1. the committed Kotlin and Swift bindings match the library, also when
#      generated from the release-mobile build (its UniFFI metadata survives):
#      the mobile ones (Android, Swift) from the default build, the Kotlin JVM
#      jar's from the build with the fixture runner (`--features fixtures`);
#   2. Swift: the generated C header compiles with the system C compiler and
#      its calls work against the release-mobile library (no Swift toolchain);
#   3. Python: a manylinux2014 wheel built by maturin (with Zig), installed
#      in bindings/python/.venv, tested with pytest (without and with
#      orjson) and mypy; then, in fresh virtual environments, the wheel
#      alone and `pip install bindings/python` from source, each running
#      the README's examples (and mypy on them);
#   4. Kotlin: the AAR's binding compiles (on the JVM); JUnit tests through
#      Maven, with the release-mobile library (with the fixture runner)
#      stripped and packed where JNA finds it, then the jar's contents.
# Needs: cargo, python3 (3.9+), a JDK (17+), mvn, cc. Downloads maturin (with
# Zig), pytest, mypy and orjson from PyPI and Maven plugins from Maven
# Central on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target_dir=${CARGO_TARGET_DIR:-$root/target}
[[ $target_dir == /* ]] || target_dir=$root/$target_dir
python=${PYTHON:-python3}

case "$(uname -s)" in
    Darwin) lib_file=librekindle.dylib ;;
    *) lib_file=librekindle.so ;;
esac
mobile_dir=$target_dir/release-mobile
work=$target_dir/bindings
mkdir -p "$work"

echo "== bindings: generated code is up to date"
scripts/generate-bindings.sh --check

echo "== bindings: release-mobile library (mobile: no fixture runner)"
# The shared library alone, as the apps' builds make it: built beside the
# rlib it would keep code that link-time optimisation otherwise drops.
cargo rustc --quiet --profile release-mobile --lib --crate-type cdylib
scripts/generate-bindings.sh --check --library "$mobile_dir/$lib_file"
built=$(wc -c <"$mobile_dir/$lib_file")
if command -v strip >/dev/null; then
    strip --strip-all -o "$work/$lib_file.stripped" "$mobile_dir/$lib_file"
    stripped=$(wc -c <"$work/$lib_file.stripped")
    echo "release-mobile $lib_file: $built bytes as built, $stripped bytes fully stripped"
else
    echo "release-mobile $lib_file: $built bytes as built"
fi

echo "== bindings: swift (C header, no Swift toolchain here)"
header_dir=bindings/swift/Sources/RekindleFFI/include
# Xcode 26 and later have no _Builtin_ modules: a module map that names them
# makes canImport(RekindleFFI) false (generate-bindings.sh removes them).
if grep -n '_Builtin_' "$header_dir/module.modulemap"; then
    echo "module.modulemap names _Builtin_ modules, which break canImport on Xcode 26+" >&2
    exit 1
fi
check_c=bindings/swift/Tests/HeaderCheck/header_check.c
cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I "$header_dir" "$check_c"
cc -std=c11 -Wall -Wextra -Werror -I "$header_dir" "$check_c" \
    -L "$mobile_dir" -lrekindle -Wl,-rpath,"$mobile_dir" -o "$work/header_check"
"$work/header_check"

echo "== bindings: python"
py=bindings/python
if [[ ! -x $py/.venv/bin/python ]]; then
    "$python" -m venv "$py/.venv"
fi
# maturin[zig] brings Zig, which links the library against glibc 2.17, so
# the wheel is tagged manylinux2014 and installs on older systems too.
"$py/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "maturin[zig]>=1.16,<2" "pytest>=8" "mypy>=1.10,<2"
rm -rf "$py/dist"
# maturin finds Zig through the virtual environment's python3. Zig's linker
# drops the symbol table when asked to strip debug information, and
# uniffi-bindgen reads the library's metadata from it: keep it.
(cd "$py" && PATH="$PWD/.venv/bin:$PATH" CARGO_PROFILE_RELEASE_STRIP=false \
    .venv/bin/maturin build --release --zig --compatibility manylinux2014 --out dist)
wheel=$(ls "$py"/dist/rekindle-*.whl)
case $wheel in
    *manylinux2014*) ;;
    *) echo "the wheel is not tagged manylinux2014: $wheel" >&2; exit 1 ;;
esac
"$py/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
# Without orjson and with it (the `fast` extra): the package writes answer
# sets and parses results with either.
"$py/.venv/bin/python" -m pip uninstall --quiet --disable-pip-version-check --yes orjson
(cd "$py" && .venv/bin/python -m pytest -p no:cacheprovider && .venv/bin/mypy)
"$py/.venv/bin/python" -m pip install --quiet --disable-pip-version-check "orjson>=3.9"
(cd "$py" && .venv/bin/python -m pytest -p no:cacheprovider --quiet)

# What a user does, each in a fresh environment: the wheel alone (no build
# tools, no source tree), and `pip install bindings/python` from source
# with mypy beside it. Each runs the README's examples, type-checked where
# mypy is installed.
for how in wheel source; do
    fresh=$work/python-fresh-$how
    rm -rf "$fresh"
    "$python" -m venv "$fresh"
    if [[ $how == wheel ]]; then
        "$fresh/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
    else
        "$fresh/bin/python" -m pip install --quiet --disable-pip-version-check "./$py" "mypy>=1.10,<2"
    fi
    echo "fresh venv, $how: $("$fresh/bin/python" "$py/tests/readme_examples.py" | tail -1)"
done

echo "== bindings: kotlin"
# The AAR's binding (no fixture runner) compiles with the hand-written
# sources; there is no Android SDK here, so on the JVM, against the mobile
# library still in $mobile_dir.
mvn -B -ntp -q -Dstyle.color=never -f bindings/kotlin/pom.xml \
    -Drekindle.native.dir="$mobile_dir" -Drekindle.binding=android clean compile
echo "kotlin: the AAR's binding (src/android/kotlin) compiles"
# The JVM jar's binding has the fixture runner: the same profile, with the
# `fixtures` feature (it replaces the mobile library in $mobile_dir).
cargo rustc --quiet --profile release-mobile --lib --crate-type cdylib --features fixtures
scripts/generate-bindings.sh --check --library "$mobile_dir/$lib_file"
# package runs the tests too, and checks what the jar carries: the stripped
# library, the R8 rules, classes for Kotlin 1.9 consumers, sources and javadoc.
mvn -B -ntp -Dstyle.color=never -f bindings/kotlin/pom.xml \
    -Drekindle.native.dir="$mobile_dir" package
jar=bindings/kotlin/target/rekindle-0.1.0.jar
listing=$(unzip -l "$jar")
for entry in "[a-z0-9-]*/$lib_file" META-INF/proguard/rekindle.pro org/rekindle/Engine.class; do
    if ! grep -q " $entry\$" <<<"$listing"; then
        echo "kotlin: $jar lacks $entry" >&2
        exit 1
    fi
done
for extra in sources javadoc; do
    [[ -s bindings/kotlin/target/rekindle-0.1.0-$extra.jar ]] || { echo "kotlin: no $extra jar" >&2; exit 1; }
done
echo "kotlin: the jar carries $(unzip -p "$jar" "*/$lib_file" | wc -c) bytes of stripped library"
