#!/usr/bin/env bash
# Build the browser playground into wasm/www/ (generated files go to wasm/www/pkg/).
#
#   scripts/build-playground.sh            build
#   scripts/build-playground.sh --serve    build, then serve on http://127.0.0.1:8000 (PORT=… to change)
#
# Needs: the wasm32-unknown-unknown target and the wasm-bindgen CLI at the exact version of the
# wasm-bindgen crate in Cargo.lock (scripts/ci-browser.sh installs both). No wasm-opt: measured on
# this module, `wasm-opt -Oz` (npm binaryen 132) made the gzipped file 3 % larger, not smaller.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WWW=$ROOT/wasm/www
PKG=$WWW/pkg

serve=0
for arg in "$@"; do
  case $arg in
    --serve) serve=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build-playground: unknown argument \`$arg\`" >&2; exit 2 ;;
  esac
done

want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-playground: wasm-bindgen CLI $want is needed (found: ${have:-none})." >&2
  echo "  cargo install wasm-bindgen-cli --version $want" >&2
  exit 2
fi

# Two modules from one crate: the engine (loaded with the page) and the compare view's
# request-space analysis (loaded when the view opens; it would not fit the engine's budget).
# The engine is built last, so that `scripts/build-npm.sh --no-cargo` finds it.
rm -rf "$PKG"
for module in compare:keyward_compare engine:keyward_wasm; do
  feature=${module%%:*} name=${module#*:}
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p keyward-wasm --no-default-features --features "$feature"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$PKG" --out-name "$name" target/wasm32-unknown-unknown/wasm-release/keyward_wasm.wasm
  # wasm-bindgen's own .d.ts of the exports goes beside the JSON types (keyward.d.ts, generated from Rust).
  wasm-bindgen --target web --typescript --out-dir "$ROOT/target/wasm-bindgen-dts" --out-name "$name" \
    target/wasm32-unknown-unknown/wasm-release/keyward_wasm.wasm
  cp "$ROOT/target/wasm-bindgen-dts/$name.d.ts" "$PKG/"
done

WASM=$PKG/keyward_wasm_bg.wasm

# The scenarios shown in the page (the seed is loaded on first visit), with the files they refer to.
mkdir -p "$PKG/scenarios"
cp -r fixtures/scenarios/. "$PKG/scenarios/"
node "$ROOT/wasm/tools/manifest.mjs" "$WWW"

for f in "$WASM" "$PKG/keyward_compare_bg.wasm"; do
  echo "build-playground: $f: $(wc -c <"$f") B raw, $(gzip -9 -c "$f" | wc -c) B gzip -9"
done

if [ "$serve" = 1 ]; then
  port=${PORT:-8000}
  echo "build-playground: serving http://127.0.0.1:$port/ (Ctrl-C to stop)"
  exec python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WWW"
fi
