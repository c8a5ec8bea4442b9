#!/usr/bin/env bash
# Regenerates the Kotlin, Swift and Python bindings from the compiled library,
# with the crate's own `uniffi-bindgen` (library mode), so the generated code
# always matches the library's scaffolding.
#
#   scripts/generate-bindings.sh           write the bindings (see below)
#   scripts/generate-bindings.sh --check   fail if the committed bindings differ
#   ... --library PATH                     read a library built elsewhere, such as
#                                          target/release-mobile/librekindle.so
#                                          (it must keep its symbol table); only
#                                          the bindings of its build are written
#                                          or checked
#
# Two builds, two sets of bindings (the `fixtures` feature adds the fixture
# runner: `Engine.run_fixtures`, `fixture_summary`, `FixtureSource` and the
# `FixtureReport` records):
#   mobile, default features (Android AAR, iOS and macOS XCFramework):
#     bindings/kotlin/src/android/kotlin/org/rekindle/rekindle.kt  (committed)
#     bindings/swift/Sources/Rekindle/Rekindle.swift               (committed)
#     bindings/swift/Sources/RekindleFFI/include/RekindleFFI.h     (committed)
#     bindings/swift/Sources/RekindleFFI/include/module.modulemap  (committed)
#   fixtures, `--features fixtures` (Kotlin JVM jar, Python wheel):
#     bindings/kotlin/src/jvm/kotlin/org/rekindle/rekindle.kt      (committed)
#     target/bindings/python/rekindle.py                           (not committed:
#       maturin generates the same module into the wheel at build time)
#
# Deliberate edits follow generation (see `fix_generated` below), and
# --check compares against the edited output:
#   - Kotlin: `RekindleException.message` is the readable `detail`, not the
#     generator's dump of every field (which apps would show or log);
#   - Kotlin: native calls take their call status from a per-thread pool and
#     read it back only when the call failed; `RustBuffer` reads and writes
#     its three fields directly and has the constructor JNA makes returned
#     buffers with; results are lifted from one copy of their bytes, strings
#     made straight from it; strings are encoded without a new encoder per
#     string (bindings/kotlin/src/main/kotlin/org/rekindle/FfiReuse.kt says
#     why, bindings/kotlin/README.md what each saves);
#   - Swift: the module map loses `use "_Builtin_stdbool"` and
#     `use "_Builtin_stdint"`, which name modules that Xcode 26 and later no
#     longer have, so `canImport(RekindleFFI)` failed and the Swift code
#     lost its FFI types (`cannot find type 'RustBuffer' in scope`).
#     The header includes <stdbool.h> and <stdint.h> itself.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
library=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --check) check=true ;;
        --library) library=${2:?--library needs a path}; shift ;;
        *) echo "usage: $0 [--check] [--library PATH]" >&2; exit 2 ;;
    esac
    shift
done

target_dir=${CARGO_TARGET_DIR:-target}
case "$(uname -s)" in
    Darwin) lib_file=librekindle.dylib ;;
    MINGW* | MSYS* | CYGWIN*) lib_file=rekindle.dll ;;
    *) lib_file=librekindle.so ;;
esac

cargo build --quiet --features bindgen --bin uniffi-bindgen
bindgen="$target_dir/debug/uniffi-bindgen"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Generates every language from one library into $out/BUILD/.
generate() {
    local build=$1 library=$2 language
    for language in kotlin swift python; do
        # --no-format: the output must not depend on which formatters are installed.
        "$bindgen" generate --no-format --config uniffi.toml --library "$library" \
            --language "$language" --out-dir "$out/$build/$language" >/dev/null
    done
}

# The build a library was made with: the fixture runner is there or not.
build_of() {
    if grep -q 'fun `runFixtures`' "$out/$1/kotlin/org/rekindle/rekindle.kt"; then
        echo fixtures
    else
        echo mobile
    fi
}

if [[ -n $library ]]; then
    generate given "$library"
    builds=("$(build_of given)")
    mv "$out/given" "$out/${builds[0]}"
else
    # Each build is copied out before the next one replaces it.
    builds=(mobile fixtures)
    for build in "${builds[@]}"; do
        if [[ $build == fixtures ]]; then
            cargo build --quiet --lib --features fixtures
        else
            cargo build --quiet --lib
        fi
        mkdir -p "$out/lib-$build"
        cp "$target_dir/debug/$lib_file" "$out/lib-$build/"
        generate "$build" "$out/lib-$build/$lib_file"
    done
fi

# The edits described at the top; each must apply exactly as often as
# expected, so a change in the generator's output is noticed here.
fix_generated() {
    local kotlin=$out/$1/kotlin/org/rekindle/rekindle.kt modulemap=$out/$1/swift/RekindleFFI.modulemap
    local dump='get\(\) = "tag=\$\{ `tag` \}, detail=\$\{ `detail` \}, [a-z]+=\$\{ `[a-z]+` \}"'
    local count
    count=$(grep -cE "$dump" "$kotlin" || true)
    if [[ $count == 0 ]]; then
        echo "generate-bindings: found no error message to rewrite in rekindle.kt" >&2
        exit 1
    fi
    sed -E -i "s/$dump/get() = \`detail\`/" "$kotlin"
    # Every error variant must have had its message rewritten (a variant
    # without `tag` and `detail` would keep the generator's field dump).
    if grep -nE 'get\(\) = "[a-z_]+=\$\{' "$kotlin" >&2; then
        echo "generate-bindings: an error message above still dumps its fields" >&2
        exit 1
    fi
    python3 - "$kotlin" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
edits = [
    (
        """    var status = UniffiRustCallStatus()
    val return_value = callback(status)
    uniffiCheckCallStatus(errorHandler, status)
    return return_value
""",
        """    val status = UniffiCallStatusPool.take()
    try {
        val return_value = callback(status)
        UniffiCallStatusPool.readAfterCall(status)
        uniffiCheckCallStatus(errorHandler, status)
        return return_value
    } finally {
        UniffiCallStatusPool.give(status)
    }
""",
    ),
    (
        """    @JvmField var data: Pointer? = null

    class ByValue: RustBuffer(), Structure.ByValue
""",
        """    @JvmField var data: Pointer? = null

    // The fields are read and written directly, not by reflection (FfiReuse.kt).
    override fun read() = UniffiRustBufferFields.read(this)
    override fun write() = UniffiRustBufferFields.write(this)

    class ByValue: RustBuffer, Structure.ByValue {
        constructor() : super()
        // JNA makes each returned buffer with this constructor: one native allocation, where
        // its fallback finds the constructor above by reflection and allocates twice.
        constructor(returned: Pointer) : super() {
            if (UniffiRustBufferFields.isReturned(returned)) {
                useMemory(returned)
            }
        }
    }
""",
    ),
    (
        """        val byteBuf = rbuf.asByteBuffer()!!
        try {
           val item = read(byteBuf)
           if (byteBuf.hasRemaining()) {
               throw RuntimeException("junk remaining in buffer after lifting, something is very wrong!!")
           }
           return item
        } finally {
            RustBuffer.free(rbuf)
        }
""",
        """        val byteBuf = try { UniffiLiftBuffer.copyOf(rbuf) } finally { RustBuffer.free(rbuf) }
        try {
           val item = read(byteBuf)
           if (byteBuf.hasRemaining()) {
               throw RuntimeException("junk remaining in buffer after lifting, something is very wrong!!")
           }
           return item
        } finally {
            UniffiLiftBuffer.give(byteBuf)
        }
""",
    ),
    (
        """    override fun read(buf: ByteBuffer): String {
        val len = buf.getInt()
        val byteArr = ByteArray(len)
        buf.get(byteArr)
        return byteArr.toString(Charsets.UTF_8)
    }
""",
        """    override fun read(buf: ByteBuffer): String {
        val len = buf.getInt()
        return UniffiUtf8.decode(buf, len)
    }
""",
    ),
    (
        """        return Charsets.UTF_8.newEncoder().run {
            onMalformedInput(CodingErrorAction.REPORT)
            encode(CharBuffer.wrap(value))
        }
""",
        """        return UniffiUtf8.encode(value)
""",
    ),
]
for old, new in edits:
    if text.count(old) != 1:
        sys.exit(f"generate-bindings: expected one place to edit in {path}:\n{old}")
    text = text.replace(old, new)
open(path, "w", encoding="utf-8").write(text)
PY
    count=$(grep -c '^ *use "_Builtin_' "$modulemap" || true)
    if [[ $count != 2 ]]; then
        echo "generate-bindings: expected 2 _Builtin_ lines in the module map, found $count" >&2
        exit 1
    fi
    sed -i '/^ *use "_Builtin_/d' "$modulemap"
}
for build in "${builds[@]}"; do
    fix_generated "$build"
done

# Where each generated file lives in the repository, by build.
declare -A place=(
    ["mobile/kotlin/org/rekindle/rekindle.kt"]="bindings/kotlin/src/android/kotlin/org/rekindle/rekindle.kt"
    ["mobile/swift/Rekindle.swift"]="bindings/swift/Sources/Rekindle/Rekindle.swift"
    ["mobile/swift/RekindleFFI.h"]="bindings/swift/Sources/RekindleFFI/include/RekindleFFI.h"
    ["mobile/swift/RekindleFFI.modulemap"]="bindings/swift/Sources/RekindleFFI/include/module.modulemap"
    ["fixtures/kotlin/org/rekindle/rekindle.kt"]="bindings/kotlin/src/jvm/kotlin/org/rekindle/rekindle.kt"
)

# The generated files of the builds at hand.
generated_files() {
    local generated build
    for generated in "${!place[@]}"; do
        for build in "${builds[@]}"; do
            [[ $generated == "$build/"* ]] && echo "$generated"
        done
    done
}

if $check; then
    stale=0
    for generated in $(generated_files); do
        committed=${place[$generated]}
        if ! diff -q "$out/$generated" "$committed" >/dev/null 2>&1; then
            echo "out of date: $committed (run scripts/generate-bindings.sh)" >&2
            diff -u "$committed" "$out/$generated" 2>&1 | head -40 >&2 || true
            stale=1
        fi
    done
    if [[ $stale == 1 ]]; then
        exit 1
    fi
    echo "generated bindings are up to date (${builds[*]}${library:+, checked against $library})"
    exit 0
fi

for generated in $(generated_files); do
    committed=${place[$generated]}
    mkdir -p "$(dirname "$committed")"
    cp "$out/$generated" "$committed"
    echo "wrote $committed"
done
if [[ " ${builds[*]} " == *" fixtures "* ]]; then
    mkdir -p "$target_dir/bindings/python"
    cp "$out/fixtures/python/rekindle.py" "$target_dir/bindings/python/rekindle.py"
    echo "wrote $target_dir/bindings/python/rekindle.py"
fi
