#!/usr/bin/env bash
# Checks the committed JSON Schemas with an independent validator: ajv (from
# npm, installed under target/) in strict mode, over every pack and fixture
# file in the repository. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir == /* ]] || target_dir=$PWD/$target_dir
tools=$target_dir/node-tools
if [[ ! -d $tools/node_modules/ajv ]]; then
    mkdir -p "$tools"
    npm install --silent --no-audit --no-fund --prefix "$tools" ajv@8 >/dev/null
fi
node scripts/validate-schemas.mjs "$tools"
