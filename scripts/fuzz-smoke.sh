#!/usr/bin/env bash
# Run every fuzz target of fuzz/ for a bounded time; exit non-zero on any
# crash, hang (> 20 s on one input) or memory blow-up (> 2 GiB).
#
#   scripts/fuzz-smoke.sh [SECONDS]     # per target; default 30, at most 60
#
# Installs cargo-fuzz when it is missing. Uses the nightly toolchain when
# there is one (AddressSanitizer on); on stable it runs with `-s none`.
# Each run starts from the committed seeds in fuzz/corpus/<target>/ and
# grows a scratch copy, so the repository is left as it was. A crashing
# input is saved in fuzz/artifacts/<target>/ and its path printed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SECONDS_EACH=${1:-30}
if ! [[ $SECONDS_EACH =~ ^[0-9]+$ ]] || [ "$SECONDS_EACH" -lt 1 ]; then
  echo "fuzz-smoke: SECONDS must be a positive integer, not \`$SECONDS_EACH\`" >&2
  exit 2
fi
[ "$SECONDS_EACH" -gt 60 ] && SECONDS_EACH=60

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "=== installing cargo-fuzz"
  "$ROOT/scripts/cargo-install-tool.sh" cargo-fuzz
fi

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=(cargo +nightly fuzz)
  SAN=()
else
  FUZZ=(cargo fuzz)
  SAN=(-s none)
fi

cd "$ROOT/fuzz"
mapfile -t TARGETS < <("${FUZZ[@]}" list)
if [ ${#TARGETS[@]} -eq 0 ]; then
  echo "fuzz-smoke: no fuzz targets found" >&2
  exit 1
fi

echo "=== building ${TARGETS[*]} ($(date +%T))"
"${FUZZ[@]}" build "${SAN[@]}"

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
status=0
for t in "${TARGETS[@]}"; do
  echo "=== $t for ${SECONDS_EACH}s ($(date +%T))"
  mkdir -p "$SCRATCH/$t" "artifacts/$t"
  seeds=()
  [ -d "corpus/$t" ] && seeds=("corpus/$t")
  dict=()
  [ -f "dict/$t.dict" ] && dict=("-dict=dict/$t.dict")
  [ ${#dict[@]} -eq 0 ] && [ -f dict/policy.dict ] && dict=("-dict=dict/policy.dict")
  log="$SCRATCH/$t.log"
  if "${FUZZ[@]}" run "${SAN[@]}" "$t" "$SCRATCH/$t" "${seeds[@]}" -- \
      -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 \
      -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    echo "    ok: $runs executions"
  else
    status=1
    echo "    FAILED: $t" >&2
    grep -E 'panicked|ERROR|SUMMARY|Test unit written|artifact_prefix' "$log" | head -20 >&2 || true
    tail -40 "$log" >&2
  fi
done
exit $status
