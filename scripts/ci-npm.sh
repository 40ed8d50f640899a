#!/usr/bin/env bash
# CI: the npm package of the engine and keyward's CI formats, each checked by
# what its users run. Installs what a fresh machine lacks (npm/tools:
# TypeScript and Microsoft's SARIF Multitool; a Python venv with junitparser),
# builds and packs the package (scripts/build-npm.sh; the wasm build is the
# playground's, already fresh after scripts/ci-browser.sh), then runs
#   npm/test/package.test.mjs        the tarball installed offline in an empty
#                                    project, used from Node, answers compared
#                                    with the CLI's JSON, a TS consumer type-checked;
#   tests/ci-formats/formats.test.mjs  SARIF through the Multitool, JUnit through junitparser;
#   tests/ci-formats/action.test.mjs   the GitHub Action's shell steps.
# node's test runner prints `# pass N` and `# fail N`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { echo "=== $* ($(date +%T))"; }
mkdir -p target

step "npm ci (npm/tools: typescript, @microsoft/sarif-multitool)"
(cd npm/tools && npm ci --no-audit --no-fund --loglevel=error) || echo "npm/tools did not install: the type-check and the SARIF validation are skipped"

step "python venv with junitparser"
venv=target/ci-formats-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import junitparser' 2>/dev/null; then
  rm -rf "$venv"
  { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check junitparser==5.0.3; } \
    || { rm -rf "$venv"; echo "junitparser did not install: the JUnit check is skipped"; }
fi

step "the CLI (compared with the package's answers)"
cargo build -q -p keyward-cli

step "build and pack the npm package (the wasm build is the playground's: no work when it is fresh)"
scripts/build-npm.sh

step "node tests: the package, the CI formats, the action"
node --test --test-reporter=tap npm/test/package.test.mjs tests/ci-formats/formats.test.mjs tests/ci-formats/action.test.mjs
