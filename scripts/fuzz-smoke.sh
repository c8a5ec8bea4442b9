#!/usr/bin/env bash
# Fuzz smoke test: builds the cargo-fuzz targets under fuzz/ and runs each
# one briefly from a seed corpus made of the repository's own packs,
# fixtures and answer seeds. Fails on any crash, panic, timeout or
# out-of-memory report; the input that caused it is left in
# fuzz/artifacts/<target>/ (turn it into a test in tests/hostile.rs).
#
#   scripts/fuzz-smoke.sh                 # every target, 25 s each
#   FUZZ_SECONDS=300 scripts/fuzz-smoke.sh pack   # one target, longer
#
# Needs the nightly toolchain (libFuzzer instrumentation uses unstable
# compiler flags) and cargo-fuzz, which is installed from crates.io when
# missing. Builds go to fuzz/target/, which CI may cache. The sanitizer is
# off: the library forbids unsafe code, and without AddressSanitizer each
# target runs several times as many inputs in the same time.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-25}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(pack answers couple fixtures)
fi

if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing the $toolchain toolchain"
    if ! rustup toolchain install "$toolchain" --profile minimal; then
        echo "fuzz-smoke: the $toolchain toolchain is needed and could not be installed" >&2
        exit 1
    fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# Seed corpora, rebuilt each run from the files they come from.
corpus=fuzz/corpus
rm -rf "$corpus/seed-pack" "$corpus/seed-answers" "$corpus/seed-couple" "$corpus/seed-fixtures"
mkdir -p "$corpus/seed-pack" "$corpus/seed-answers" "$corpus/seed-couple" "$corpus/seed-fixtures"
cp rules/default.json "$corpus/seed-pack/"
cp rules/fixtures/*.json "$corpus/seed-fixtures/"
cp fuzz/seeds/answers/*.json "$corpus/seed-answers/"
cp fuzz/seeds/couple/*.json "$corpus/seed-couple/"

echo "fuzz-smoke: building the fuzz targets"
cargo "+$toolchain" fuzz build --sanitizer none --debug-assertions

status=0
for target in "${targets[@]}"; do
    # Findings of earlier runs stay in fuzz/corpus/<target>; seeds are read only.
    mkdir -p "$corpus/$target" "fuzz/artifacts/$target"
    echo "fuzz-smoke: $target for ${seconds}s"
    if ! cargo "+$toolchain" fuzz run --sanitizer none --debug-assertions "$target" \
        "$corpus/$target" "$corpus/seed-$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict=fuzz/json.dict -print_final_stats=1 2>&1 | sed "/# Uses:/d" | tail -n 30; then
        echo "fuzz-smoke: $target FAILED; see fuzz/artifacts/$target/" >&2
        status=1
    fi
done
exit "$status"
