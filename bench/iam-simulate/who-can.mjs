// Run the sampled who-can requests (written by the who_can_sample example)
// through @cloud-copilot/iam-simulate, time it, and compare its answers
// with keyward's. iam-simulate is AGPL: it is installed into node_modules
// here and only ever run as this separate process, never vendored.
//
// Usage: node who-can.mjs SAMPLE.json [ROUNDS]
// Prints one JSON object: counts, timings, disagreements, ignored context keys.
import { readFileSync } from 'node:fs'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const [file, roundsArg] = process.argv.slice(2)
const sample = JSON.parse(readFileSync(file, 'utf8'))
const rounds = Number(roundsArg ?? 3)
// iam-simulate adds the AWS managed RCPFullAWSAccess to every level itself
// and refuses it as input (an RCP must only deny), so it is left out here.
const rcps = sample.resourceControlPolicies.map((level) => ({
  ...level,
  policies: level.policies.filter((p) => p.name !== 'RCPFullAWSAccess'),
}))
const names = { Allowed: 'allow', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny' }

function simulation(request) {
  const p = sample.principals[request.principal]
  const s = {
    request: {
      principal: p.callsAs,
      action: request.action,
      resource: { resource: sample.key.arn, accountId: sample.account },
      contextVariables: { ...p.context, ...sample.resourceContext },
    },
    identityPolicies: p.identityPolicies,
    serviceControlPolicies: sample.serviceControlPolicies,
    resourceControlPolicies: rcps,
    resourcePolicy: sample.key.policy,
  }
  if (p.permissionBoundaryPolicies.length > 0) s.permissionBoundaryPolicies = p.permissionBoundaryPolicies
  return s
}

const all = sample.requests.map((r) => ({ ...r, simulation: simulation(r) }))
const compared = all.filter((r) => !r.excluded)
const excluded = {}
for (const r of all) if (r.excluded) excluded[r.excluded] = (excluded[r.excluded] ?? 0) + 1

const ignored = new Set()
const disagreements = []
let agree = 0
for (const r of compared) {
  const result = await runSimulation(r.simulation, {})
  let theirs
  if (result.resultType === 'error') theirs = `error: ${result.errors.message}`
  else {
    theirs = names[result.overallResult] ?? result.overallResult
    for (const k of result.result?.ignoredContextKeys ?? []) ignored.add(k)
  }
  if (theirs === r.forward) agree++
  else
    disagreements.push({
      principal: sample.principals[r.principal].arn,
      action: r.action,
      keyward: r.forward,
      via: r.via,
      whoCan: r.whoCan,
      iamSimulate: theirs,
    })
}

// Timing: every sampled request, excluded ones too (only speed is measured).
const runs = []
for (let i = 0; i < rounds; i++) {
  const start = process.hrtime.bigint()
  for (const r of all) await runSimulation(r.simulation, {})
  runs.push(Number(process.hrtime.bigint() - start) / 1e3 / all.length)
}
runs.sort((a, b) => a - b)

console.log(
  JSON.stringify({
    requests: all.length,
    excluded,
    compared: compared.length,
    agree,
    disagreements,
    ignoredContextKeys: [...ignored].sort(),
    rounds,
    microsPerDecision: [runs[0], runs[Math.floor(runs.length / 2)]],
  }),
)
