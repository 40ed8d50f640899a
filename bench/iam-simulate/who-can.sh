#!/usr/bin/env bash
# Who-can side by side with @cloud-copilot/iam-simulate (npm, AGPL: installed
# into node_modules here and run as a separate process, never vendored).
#
# The synthetic snapshot generator's large account (10,001 principals), key
# alias/data-500, a seeded sample of principals (spread over the profiles of
# interchangeable principals) × every KMS action who-can considers, no request
# context beyond what AWS adds to every request (principal, organization,
# Region, tags). keyward's example writes the requests with the policies
# iam-simulate takes (read from the AWS CLI files) and keyward's answers and
# timings; iam-simulate decides the same requests; the two are compared.
# Requests whose keyward answer rests on a grant or on the key's state or
# type are left out of the comparison (iam-simulate models neither).
#
# Usage: bench/iam-simulate/who-can.sh [SAMPLE] [SEED] [ROUNDS]
#   (defaults: 300 principals, seed 14, 5 rounds of keyward's who-can and
#   3 of iam-simulate over every sampled request)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sample="${1:-300}"
seed="${2:-14}"
rounds="${3:-5}"

if [ ! -d "$here/node_modules/@cloud-copilot/iam-simulate" ]; then
  (cd "$here" && npm install --no-audit --no-fund --silent)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$root" && cargo run -q --release -p keyward-analysis --example who_can_sample -- \
  "$work/sample.json" "$sample" "$seed" "$rounds")
(cd "$here" && node who-can.mjs "$work/sample.json" 3 >"$work/theirs.json")
version="$(node -p "require('$here/node_modules/@cloud-copilot/iam-simulate/package.json').version")"

VERSION="$version" node -e '
const fs = require("fs")
const ours = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))
const theirs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"))
const t = ours.timing, s = ours.sizes
const f = (n, d = 1) => n.toFixed(d)
const excluded = Object.values(theirs.excluded).reduce((a, b) => a + b, 0)
console.log(`account: ${s.principals} principals (${s.profiles} profiles), key ${ours.key.name}, ${s.actions} actions`)
console.log(`sampled: ${s.sampled} principals × ${s.actions} actions = ${theirs.requests} requests`)
console.log(`excluded: ${excluded}`)
for (const [why, n] of Object.entries(theirs.excluded)) console.log(`  ${n} ${why}`)
console.log(`agreement: ${theirs.agree}/${theirs.compared}`)
const classes = new Map()
for (const d of theirs.disagreements) {
  const k = `${d.principal}: keyward ${d.keyward}${d.via ? ` (${d.via})` : ""}, iam-simulate ${d.iamSimulate}`
  classes.set(k, [...(classes.get(k) ?? []), d.action])
}
for (const [k, actions] of classes) console.log(`  disagree: ${k}, on ${actions.length}: ${actions.join(" ")}`)
if (theirs.ignoredContextKeys.length) console.log(`iam-simulate ignored context keys: ${theirs.ignoredContextKeys.join(" ")}`)
const them = theirs.microsPerDecision[0]
const ns = t.forwardNsPerDecision[0]
console.log(`iam-simulate ${process.env.VERSION}: ${f(them)} µs/decision (best of ${theirs.rounds} rounds over the ${theirs.requests} requests; median ${f(theirs.microsPerDecision[1])})`)
console.log(`keyward forward: ${f(ns)} ns/decision (best of ${t.forwardRounds}; median ${f(t.forwardNsPerDecision[1])}): ${f(them * 1000 / ns, 0)}x iam-simulate`)
console.log(`keyward who-can ${ours.key.name}, every principal × action: rows ${f(t.whoCanRowsMs[0])} ms, ${s.whoCanEntries} entries ${f(t.whoCanEntriesMs[0])} ms, explained ${f(t.whoCanExplainedMs[0])} ms (best of ${t.rounds})`)
const all = s.principals * s.actions
const extrapolated = all * them / 1e3
console.log(`iam-simulate extrapolated to the same ${s.principals} × ${s.actions} = ${all} requests, one call each at its measured µs/decision: ${f(extrapolated / 1e3, 1)} s`)
console.log(`ratio: who-can entries ${f(extrapolated / t.whoCanEntriesMs[0], 0)}x, explained ${f(extrapolated / t.whoCanExplainedMs[0], 0)}x faster than iam-simulate over the same requests`)
' "$work/sample.json" "$work/theirs.json"
