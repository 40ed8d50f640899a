// Decide every Encrypt/Decrypt cell of a keyward scenario with
// @cloud-copilot/iam-simulate and report decisions per second.
// Usage: node simulate.mjs SCENARIO.json [ROUNDS]
// Prints one JSON line: {"decisions", "seconds", "perSecond", "answers"}.
import { readFileSync } from 'node:fs'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const [file, roundsArg] = process.argv.slice(2)
const scenario = JSON.parse(readFileSync(file, 'utf8'))
const rounds = Number(roundsArg ?? 20)
const actions = ['kms:Encrypt', 'kms:Decrypt']

const cells = []
for (const [pname, p] of Object.entries(scenario.principals)) {
  for (const [kname, k] of Object.entries(scenario.keys)) {
    for (const action of actions) {
      cells.push({
        name: `${pname} ${action} ${kname}`,
        simulation: {
          request: {
            principal: p.arn,
            action,
            resource: { resource: k.arn, accountId: k.arn.split(':')[4] },
            contextVariables: {},
          },
          identityPolicies: (p.policies ?? []).map((policy, i) => ({ name: `${pname}-${i}`, policy })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: k.policy,
        },
      })
    }
  }
}

const answers = {}
for (const cell of cells) {
  const r = await runSimulation(cell.simulation, {})
  answers[cell.name] = r.resultType === 'error' ? 'error' : r.overallResult
}
const start = process.hrtime.bigint()
let decisions = 0
for (let i = 0; i < rounds; i++) {
  for (const cell of cells) {
    await runSimulation(cell.simulation, {})
    decisions++
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
console.log(JSON.stringify({ decisions, seconds, perSecond: decisions / seconds, answers }))
