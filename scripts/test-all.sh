#!/usr/bin/env bash
# The whole test suite: Rust (unit, integration, fixtures, properties, docs),
# lints, the minimum Rust version, warning-free API docs and the mobile
# targets, then each binding in its own language. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rust: format and lints"
cargo fmt --check
cargo clippy --all-targets --all-features -- -D warnings

echo "== rust: tests"
cargo test --all-features

for step in scripts/check-schemas.sh scripts/check-targets.sh scripts/test-bindings.sh scripts/fuzz-smoke.sh; do
    if [[ -x "$step" ]]; then
        echo "== $step"
        "$step"
    fi
done
