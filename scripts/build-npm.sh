#!/usr/bin/env bash
# Build the npm package of the engine (npm/) into target/npm/package/ and
# pack it: target/npm/keyward-VERSION.tgz.
#
#   scripts/build-npm.sh              build the wasm (profile wasm-release) and pack
#   scripts/build-npm.sh --no-cargo   reuse the wasm built last (by this script or
#                                     scripts/build-playground.sh)
#
# The package is one `wasm-bindgen --target web` build (ES module glue that
# finds its .wasm through `import.meta.url`), an entry for Node (node.js:
# compiles the module at import, every function callable at once) and one for
# browsers and bundlers (browser.js: `await load()`), and the TypeScript
# declarations: index.d.ts (the API) and types.d.ts (wasm/www/keyward.d.ts,
# generated from the Rust types). Needs the wasm32 target and the wasm-bindgen
# CLI at the version of Cargo.lock (scripts/ci-browser.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/npm
PKG=$OUT/package
WASM=target/wasm32-unknown-unknown/wasm-release/keyward_wasm.wasm

cargo=1
for arg in "$@"; do
  case $arg in
    --no-cargo) cargo=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "build-npm: unknown argument \`$arg\`" >&2; exit 2 ;;
  esac
done

want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-npm: wasm-bindgen CLI $want is needed (found: ${have:-none})." >&2
  echo "  cargo install wasm-bindgen-cli --version $want" >&2
  exit 2
fi

# The package's version is the workspace's.
version=$(awk -F'"' '/^\[workspace.package\]/{p=1} p && /^version/{print $2; exit}' Cargo.toml)
manifest=$(node -p "require('./npm/package.json').version")
if [ "$version" != "$manifest" ]; then
  echo "build-npm: npm/package.json says $manifest, the workspace $version: make them agree" >&2
  exit 2
fi

if [ "$cargo" = 1 ]; then
  # The engine's exports only (the playground's compare view is a module of its own).
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p keyward-wasm --no-default-features --features engine
fi
rm -rf "$PKG"
mkdir -p "$PKG/wasm"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$PKG/wasm" "$WASM"
cp npm/package.json npm/README.md npm/src/engine.js npm/src/node.js npm/src/browser.js npm/src/index.d.ts "$PKG/"
cp wasm/www/keyward.d.ts "$PKG/types.d.ts"

rm -f "$OUT"/keyward-*.tgz
(cd "$PKG" && npm pack --silent --pack-destination "$OUT" >/dev/null)
tarball=$(ls "$OUT"/keyward-*.tgz)
raw=$(wc -c <"$PKG/wasm/keyward_wasm_bg.wasm")
gz=$(gzip -9 -c "$PKG/wasm/keyward_wasm_bg.wasm" | wc -c)
echo "build-npm: $tarball ($(wc -c <"$tarball") B; the wasm $raw B raw, $gz B gzip -9)"
