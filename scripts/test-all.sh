#!/usr/bin/env bash
# Every test keyward has, installing on the way whatever a fresh machine lacks
# (the wasm target, wasm-bindgen-cli pinned to Cargo.lock, Debian's Chromium,
# npm packages, cargo-fuzz):
#   1. the Rust workspace: unit, integration, property, corpus and doc tests
#      (README examples included);
#   2. the browser playground, built to wasm and driven in headless Chromium;
#   3. every fuzz target for a bounded time (FUZZ_SECONDS each, default 20);
#   4. the npm package (packed, installed offline, used from Node and
#      TypeScript) and the CI formats read by their consumers (SARIF
#      Multitool, junitparser), and the GitHub Action's steps.
# Every suite runs even when an earlier one fails; the last lines tally each
# suite (Rust tests, node tests, browser checks, fuzz targets, npm package
# and CI formats) and the total,
# and the exit status is that of a failing suite (0 when all pass).
# `.ci/run` checks formatting and lints, then runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export CARGO_INSTALL_ROOT="${CARGO_INSTALL_ROOT:-$HOME/.cargo}"
export PATH="$CARGO_INSTALL_ROOT/bin:$PATH"
step() { echo "=== $* ($(date +%T))"; }
mkdir -p target

shared="${KEYWARD_SHARED:-../shared}"
if [ -d "$shared/corpus" ]; then
  echo "shared corpus: $shared (corpus tests run)"
else
  echo "shared corpus: NOT FOUND at $shared — the corpus tests pass as skipped (each says so with --nocapture);"
  echo "               the core tests use fixtures/ only"
fi

# Each suite's result: "name|passed|failed|note", tallied at the end.
results=()
worst=0
# suite NAME PASSED FAILED SUMMARY_FOUND STATUS: record a suite. A suite whose
# summary is missing while its step failed did not finish: one failure.
suite() {
  local note=""
  if [ "$4" = 0 ] && [ "$5" -ne 0 ]; then
    note=" (did not finish: exit $5)"
    set -- "$1" "$2" 1 "$4" "$5"
  fi
  [ "$3" -eq 0 ] || [ "$5" -eq 0 ] || worst=$5
  [ "$3" -eq 0 ] || [ "$worst" -ne 0 ] || worst=1
  results+=("$1|$2|$3|$note")
}
# count LOG PATTERN: the sum of the number after PATTERN on matching lines.
count() { grep -Eo "$2 *[0-9]+" "$1" | grep -Eo '[0-9]+$' | awk '{s+=$1} END {print s+0}'; }
found() { if grep -Eq "$2" "$1"; then echo 1; else echo 0; fi; }

step "1/4 cargo test --workspace (unit, integration, property, corpus, doc tests)"
set +e
cargo test --workspace --all-features --no-fail-fast 2>&1 | tee target/test-all.log
status=${PIPESTATUS[0]}
set -e
log=target/test-all.log
suite "rust tests" "$(count $log '^test result: [a-zA-Z]+\.')" \
  "$(grep -E '^test result:' $log | awk '{s+=$6} END {print s+0}')" "$(found $log '^test result:')" "$status"

step "2/4 the browser playground (wasm build, size budget, node tests, headless Chromium)"
set +e
scripts/ci-browser.sh 2>&1 | tee target/test-all-browser.log
status=${PIPESTATUS[0]}
set -e
log=target/test-all-browser.log
# node --test (TAP) prints `# pass N` and `# fail N`; the page test ends with `N passed, M failed`.
suite "node tests" "$(count $log '^# pass')" "$(count $log '^# fail')" "$(found $log '^# pass')" "$status"
page='^[0-9]+ passed, [0-9]+ failed$'
page_line=$(grep -E "$page" $log | tail -n 1 || true)
read -r page_passed _ page_failed _ <<<"${page_line:-0 passed, 0 failed}"
suite "browser checks" "$page_passed" "$page_failed" "$(found $log "$page")" "$status"

# --- editor (crates/lsp, editors/vscode): the language server under a real LSP client ---
step "editor: keyward lsp driven by VS Code's LSP client library (scripts/test-editor.sh)"
set +e
scripts/test-editor.sh 2>&1 | tee target/test-all-editor.log
status=${PIPESTATUS[0]}
set -e
log=target/test-all-editor.log
suite "editor tests" "$(count $log '^# pass')" "$(count $log '^# fail')" "$(found $log '^# pass')" "$status"
# --- end editor ---

step "3/4 fuzz smoke"
set +e
scripts/fuzz-smoke.sh "${FUZZ_SECONDS:-20}" 2>&1 | tee target/test-all-fuzz.log
status=${PIPESTATUS[0]}
set -e
log=target/test-all-fuzz.log
fuzz_ok=$(grep -c '^    ok: ' $log || true)
fuzz_failed=$(grep -c '^    FAILED: ' $log || true)
suite "fuzz targets" "$fuzz_ok" "$fuzz_failed" "$((fuzz_ok + fuzz_failed > 0 ? 1 : 0))" "$status"

# ---- 4/4: the npm package and the CI formats (scripts/ci-npm.sh) ----
step "4/4 npm package and CI formats (npm pack + offline install, tsc, SARIF Multitool, junitparser, action.yml)"
set +e
scripts/ci-npm.sh 2>&1 | tee target/test-all-npm.log
status=${PIPESTATUS[0]}
set -e
log=target/test-all-npm.log
suite "npm + CI formats" "$(count $log '^# pass')" "$(count $log '^# fail')" "$(found $log '^# pass')" "$status"
# ---- end of 4/4 ----

step "tally"
total_passed=0
total_failed=0
for r in "${results[@]}"; do
  IFS='|' read -r name passed failed note <<<"$r"
  printf '%-16s %6d passed, %d failed%s\n' "$name" "${passed:-0}" "${failed:-0}" "$note"
  total_passed=$((total_passed + ${passed:-0}))
  total_failed=$((total_failed + ${failed:-0}))
done
printf '%-16s %6d passed, %d failed\n' "total" "$total_passed" "$total_failed"
exit "$worst"
