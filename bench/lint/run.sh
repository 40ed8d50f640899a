#!/usr/bin/env bash
# Lint the 1,594 AWS managed policies and the key policies of the shared
# corpus, end to end (process start included), with keyward and with
# parliament (PyPI) on the same files.
#
#   bench/lint/run.sh            # 10 timed runs each (after one warm-up)
#   RUNS=20 bench/lint/run.sh
#
# Needs python3 (venv + pip reach PyPI) and the shared corpus beside the
# repository (or KEYWARD_SHARED). parliament is installed into bench/.venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${KEYWARD_SHARED:-$ROOT/../shared}"
RUNS="${RUNS:-10}"
if [ ! -f "$SHARED/corpus/aws-managed-policies.json" ]; then
  echo "skipped: $SHARED/corpus not found"
  exit 0
fi
cd "$ROOT"

echo "== build keyward (release)"
cargo build --release -q -p keyward-cli
KEYWARD="$ROOT/target/release/keyward"

echo "== install parliament into bench/.venv"
[ -x bench/.venv/bin/parliament ] || { python3 -m venv bench/.venv && bench/.venv/bin/pip install -q parliament; }
bench/.venv/bin/pip show parliament | grep -E '^Version' | sed 's/^/parliament /'

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "== split the corpus, one file per policy"
python3 bench/lint/split_corpus.py "$SHARED" "$WORK/corpus"
# parliament stops a whole --directory run at the first policy it cannot
# analyze; leave those out of both tools' input so they see the same files.
bench/.venv/bin/python bench/lint/parliament_crashes.py "$WORK/corpus" > "$WORK/crashes.txt" 2>/dev/null || true
while IFS=$'\t' read -r path reason; do
  echo "   left out (parliament raises $reason): ${path#"$WORK"/corpus/}"
  rm -f "$path"
done < "$WORK/crashes.txt"
FILES=$(find "$WORK/corpus" -name '*.json' | wc -l)
echo "   $FILES files, $(du -sh "$WORK/corpus" | cut -f1)"

echo "== findings (one run each)"
set +e
"$KEYWARD" lint --no-config --format json "$WORK/corpus" > "$WORK/keyward.json"
echo "   keyward exit $?: $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%(files)d files, %(errors)d errors, %(warnings)d warnings, %(infos)d infos" % s)' "$WORK/keyward.json")"
bench/.venv/bin/parliament --directory "$WORK/corpus" --json > "$WORK/parliament.json" 2>/dev/null
echo "   parliament exit $?: $(wc -l < "$WORK/parliament.json") findings"
set -e

echo "== time, whole process, $RUNS runs after a warm-up"
printf '   keyward    '
python3 bench/lint/timeit.py "$RUNS" -- "$KEYWARD" lint --no-config --format json "$WORK/corpus" | tee "$WORK/keyward.time"
printf '   parliament '
python3 bench/lint/timeit.py "$RUNS" -- bench/.venv/bin/parliament --directory "$WORK/corpus" --json | tee "$WORK/parliament.time"
python3 - "$WORK/keyward.time" "$WORK/parliament.time" <<'PY'
import re, sys
median = lambda p: float(re.search(r"median ([0-9.]+)", open(p).read()).group(1))
k, p = median(sys.argv[1]), median(sys.argv[2])
print(f"   keyward is {p / k:.0f}x faster than parliament (median {k:.3f} s vs {p:.3f} s)")
PY
