#!/usr/bin/env bash
# Lint a generated Terraform module set of about 5,000 lines (bench/checkov/gen.py:
# KMS keys and IAM policies in every form, a shared local module called by
# many modules), end to end (process start included), with keyward and with
# checkov (PyPI) on the same folder; then compare their KMS findings.
#
#   bench/checkov/run.sh              # 3 timed runs each (after one warm-up)
#   RUNS=5 LINES=10000 bench/checkov/run.sh
#
# Needs python3 (venv + pip reach PyPI). checkov goes into bench/.venv-checkov.
# Figures on a shared 2-core machine are noisy: read the ratio, not the seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS="${RUNS:-3}"
LINES="${LINES:-5000}"
cd "$ROOT"

echo "== build keyward (release)"
cargo build --release -q -p keyward-cli
KEYWARD="$ROOT/target/release/keyward"

echo "== install checkov into bench/.venv-checkov"
[ -x bench/.venv-checkov/bin/checkov ] || { python3 -m venv bench/.venv-checkov && bench/.venv-checkov/bin/pip install -q checkov; }
echo "   checkov $(bench/.venv-checkov/bin/checkov --version)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "== generate the module set"
python3 bench/checkov/gen.py "$WORK/tf" "$LINES" | sed 's/^/   /'
CHECKOV=(bench/.venv-checkov/bin/checkov -d "$WORK/tf" --framework terraform -o json --quiet --compact --skip-download)

echo "== findings (one run each)"
set +e
"$KEYWARD" lint --no-config --format json "$WORK/tf" > "$WORK/keyward.json"
echo "   keyward exit $?: $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%(files)d files, %(errors)d errors, %(warnings)d warnings, %(infos)d infos" % s)' "$WORK/keyward.json")"
"${CHECKOV[@]}" > "$WORK/checkov.json" 2>/dev/null
echo "   checkov exit $?"
set -e
python3 bench/checkov/compare.py "$WORK/keyward.json" "$WORK/checkov.json" "$WORK/tf" | sed 's/^/   /'

echo "== time, whole process, $RUNS runs after a warm-up"
printf '   keyward '
python3 bench/lint/timeit.py "$RUNS" -- "$KEYWARD" lint --no-config --format json "$WORK/tf" | tee "$WORK/keyward.time"
printf '   checkov '
python3 bench/lint/timeit.py "$RUNS" -- "${CHECKOV[@]}" | tee "$WORK/checkov.time"
python3 - "$WORK/keyward.time" "$WORK/checkov.time" <<'PY'
import re, sys
median = lambda p: float(re.search(r"median ([0-9.]+)", open(p).read()).group(1))
k, c = median(sys.argv[1]), median(sys.argv[2])
print(f"   keyward is {c / k:.0f}x faster than checkov (median {k:.3f} s vs {c:.3f} s)")
PY
