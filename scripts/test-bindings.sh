#!/usr/bin/env bash
# Tests every binding in its own language, from a fresh clone:
#   1. the committed Kotlin and Swift bindings match the library, also when
#      generated from the release-mobile build (its UniFFI metadata survives);
#   2. Swift: the generated C header compiles with the system C compiler and
#      its calls work against the release-mobile library (no Swift toolchain);
#   3. Python: a wheel built by maturin, installed in bindings/python/.venv,
#      tested with pytest, then installed alone in a fresh virtual environment;
#   4. Kotlin: JUnit tests through Maven, with the release-mobile library
#      stripped and packed where JNA finds it, then the jar's contents.
# Needs: cargo, python3 (3.9+), a JDK (17+), mvn, cc. Downloads maturin and
# pytest from PyPI and Maven plugins from Maven Central on first use.
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

echo "== bindings: release-mobile library"
cargo build --quiet --profile release-mobile --lib
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
"$py/.venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.16,<2" "pytest>=8"
rm -rf "$py/dist"
(cd "$py" && .venv/bin/maturin build --release --out dist)
wheel=$(ls "$py"/dist/rekindle-*.whl)
"$py/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
(cd "$py" && .venv/bin/python -m pytest -p no:cacheprovider)

# The wheel alone, in a fresh environment: no build tools, no source tree.
fresh=$work/python-fresh-venv
rm -rf "$fresh"
"$python" -m venv "$fresh"
"$fresh/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
(cd "$fresh" && "$fresh/bin/python" - <<'EOF'
import rekindle

engine = rekindle.Engine()
plan = engine.assess(rekindle.Responses(answers={"q_misunderstandings": rekindle.Value.TEXT(value="often")}))
try:
    rekindle.Engine.from_json("{")
except rekindle.RekindleError.InvalidPack as error:
    print(f"fresh venv: rekindle {rekindle.library_version()} imports from {rekindle.__file__}")
    print(f"fresh venv: top focus area {plan.focus_areas[0].id}; bad pack raises InvalidPack ({error.tag})")
else:
    raise SystemExit("a bad pack did not raise")
EOF
)

echo "== bindings: kotlin"
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
