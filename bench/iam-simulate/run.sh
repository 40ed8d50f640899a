#!/usr/bin/env bash
# Run the seed-matrix requests through keyward and through
# @cloud-copilot/iam-simulate (npm, AGPL: installed into node_modules here and
# run as a separate process, never vendored), and print keyward's throughput
# as a ratio to it. Also reports where the two disagree.
#
# Usage: bench/iam-simulate/run.sh [SCENARIO] (default fixtures/scenarios/seed-matrix.json)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scenario="${1:-$root/fixtures/scenarios/seed-matrix.json}"

if [ ! -d "$here/node_modules/@cloud-copilot/iam-simulate" ]; then
  (cd "$here" && npm install --no-audit --no-fund --silent)
fi

ours="$(cd "$root" && cargo run -q --release -p keyward-eval --example throughput -- "$scenario" 3)"
theirs="$(cd "$here" && node simulate.mjs "$scenario" 20)"

OURS="$ours" THEIRS="$theirs" node -e '
const ours = JSON.parse(process.env.OURS), theirs = JSON.parse(process.env.THEIRS)
const fmt = n => n >= 1e6 ? (n / 1e6).toFixed(2) + " M" : n >= 1e3 ? (n / 1e3).toFixed(1) + " k" : n.toFixed(0) + " "
console.log(`keyward:      ${fmt(ours.perSecond)}decisions/s (${(1e9 / ours.perSecond).toFixed(1)} ns/decision)`)
console.log(`iam-simulate: ${fmt(theirs.perSecond)}decisions/s (${(1e6 / theirs.perSecond).toFixed(1)} µs/decision)`)
console.log(`ratio:        ${(ours.perSecond / theirs.perSecond).toFixed(0)}x`)
const names = { Allowed: "allow", ExplicitlyDenied: "explicit-deny", ImplicitlyDenied: "implicit-deny" }
let agree = 0, total = 0
for (const [cell, mine] of Object.entries(ours.answers)) {
  const other = names[theirs.answers[cell]] ?? theirs.answers[cell]
  total++
  if (other === mine) agree++
  else console.log(`disagree: ${cell}: keyward ${mine}, iam-simulate ${other}`)
}
console.log(`agreement:    ${agree}/${total} cells`)
'
