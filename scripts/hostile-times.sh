#!/usr/bin/env bash
# Runs the hostile-input suite in an optimised build, one test at a time,
# and checks that every measured case ends within 1 s and 256 MiB of heap.
# The tests themselves assert the heap bound and never a time; this
# script is where the time is checked, on the machine it runs on.
#
#   scripts/hostile-times.sh            # prints every case, fails on a slow one
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --all-features --release --test hostile -- --nocapture --test-threads 1 >"$log" 2>&1 || {
    cat "$log"
    exit 1
}
# Lines read "case NAME: 12.3 ms, peak heap 4.5 MiB". Other builds on the
# machine slow every case: run it on a quiet machine.
awk '
    / ms, peak heap / {
        # The line may follow the "test NAME ... " of libtest on the same line.
        start = index($0, "case ")
        if (start == 0) next
        line = substr($0, start + 5)
        n = split(line, parts, ": ")
        figures = parts[n]
        name = substr(line, 1, length(line) - length(figures) - 2)
        split(figures, f, " ")
        ms = f[1] + 0
        mib = f[5] + 0
        status = (ms < 1000 && mib < 256) ? "ok  " : "SLOW"
        if (status == "SLOW") bad++
        printf "%s %9.1f ms %7.1f MiB  %s\n", status, ms, mib, name
        cases++
    }
    END {
        printf "%d cases, %d over 1 s or 256 MiB\n", cases, bad
        exit bad > 0
    }
' "$log"
