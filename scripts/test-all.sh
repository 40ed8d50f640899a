#!/usr/bin/env bash
# Runs every test keyward has: the Rust workspace (unit, integration, property
# and doc tests, including README examples). Installs nothing; `.ci/run`
# installs what a fresh machine lacks and then calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { echo "=== $* ($(date +%T))"; }

step "cargo test --workspace (unit, integration, property, doc tests)"
mkdir -p target
set +e
cargo test --workspace --all-features --no-fail-fast 2>&1 | tee target/test-all.log
status=${PIPESTATUS[0]}
set -e
passed=$(grep -E '^test result:' target/test-all.log | awk '{s+=$4} END {print s+0}')
failed=$(grep -E '^test result:' target/test-all.log | awk '{s+=$6} END {print s+0}')
echo "rust: ${passed} passed, ${failed} failed"
[ "$status" -eq 0 ] || { echo "cargo test failed (exit $status)"; exit "$status"; }
