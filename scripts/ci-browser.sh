#!/usr/bin/env bash
# CI: the browser playground end to end. Installs what a fresh machine lacks (the wasm target,
# the wasm-bindgen CLI pinned to Cargo.lock, Debian's chromium, the npm tools), builds the page,
# checks the wasm size budget, measures native decisions/s on the seed scenario, then drives the
# page in headless Chromium (wasm/e2e/playground.e2e.mjs). Screenshots: target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TERM_COLOR=never
export CARGO_INSTALL_ROOT="${CARGO_INSTALL_ROOT:-$HOME/.cargo}"
export PATH="$CARGO_INSTALL_ROOT/bin:$PATH"
step() { echo "=== $* ($(date +%T))"; }
SIZE_LIMIT=${KEYWARD_WASM_GZIP_LIMIT:-400000}   # bytes, gzip -9 of the final .wasm
COMPARE_LIMIT=${KEYWARD_COMPARE_GZIP_LIMIT:-350000}   # the analysis module (compare, who-can, what-can views), loaded on demand; 343 KB
SEED=fixtures/scenarios/seed-matrix.json

step "wasm target"
rustup target add wasm32-unknown-unknown

want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  step "cargo install wasm-bindgen-cli $want (about 2 minutes)"
  scripts/cargo-install-tool.sh wasm-bindgen-cli --version "$want"
fi

need=()
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  step "apt-get install ${need[*]} (about 30 s)"
  sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}" >/dev/null
fi
chromium --version 2>/dev/null || true

step "npm ci (playwright-core)"
(cd wasm && npm ci --no-audit --no-fund --loglevel=error)

step "unit tests: the bindings (native) and the page's pure modules (node)"
cargo test -p keyward-wasm
node --test --test-reporter=tap wasm/e2e/workspace.test.mjs wasm/e2e/compare.test.mjs wasm/e2e/whocan.test.mjs

step "build the playground"
scripts/build-playground.sh
WASM=wasm/www/pkg/keyward_wasm_bg.wasm
raw=$(wc -c <"$WASM"); gz=$(gzip -9 -c "$WASM" | wc -c)
echo "wasm size: $raw B raw, $gz B gzip -9 (budget $SIZE_LIMIT B)"
if [ "$gz" -gt "$SIZE_LIMIT" ]; then
  echo "FAIL: the gzipped wasm is over budget" >&2
  exit 1
fi
CMP=wasm/www/pkg/keyward_compare_bg.wasm
cgz=$(gzip -9 -c "$CMP" | wc -c)
echo "compare module: $(wc -c <"$CMP") B raw, $cgz B gzip -9 (budget $COMPARE_LIMIT B, loaded when the compare view opens)"
if [ "$cgz" -gt "$COMPARE_LIMIT" ]; then
  echo "FAIL: the gzipped compare module is over budget" >&2
  exit 1
fi

step "native decisions/s on the seed scenario"
native=$(cargo run -q --release -p keyward-wasm --example bench_native -- "$SEED")
echo "$native"
rate=$(echo "$native" | awk '/decisions\/s/{print $2; exit}')

step "browser test (headless Chromium)"
node wasm/e2e/playground.e2e.mjs --www wasm/www --scenario "$SEED" --out "$ROOT/target/e2e" --native-rate "${rate:-0}"
