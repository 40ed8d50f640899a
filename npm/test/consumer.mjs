// Run inside an empty project that installed the tarball: uses the package
// as a user would and prints what it answered, as JSON, for the test to
// compare with the CLI. Argument: a JSON file of inputs.
import { readFileSync } from 'node:fs';

import * as keyward from 'keyward';

const inputs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const engine = await keyward.load();
const answers = {
  sameEngine: engine.lint === keyward.lint,
  version: keyward.version(),
  parse: keyward.parse(inputs.parse),
  parseNotText: keyward.parse(42),
  lint: keyward.lint(inputs.lint),
  lintStack: keyward.lint(inputs.lintStack),
  lintBadKind: keyward.lint({ ...inputs.lint, kind: 'bucket' }),
  lintNotAnObject: keyward.lint('{"text": 1}'),
  query: keyward.query(inputs.query),
  check: keyward.check(inputs.check),
  checkBroken: keyward.check({ workspace: { scenario: 's.json', files: { 's.json': '{' } } }),
  matrix: keyward.matrix(inputs.matrix),
  matrixNotKeyAction: keyward.matrix({ ...inputs.matrix, actions: ['kms:ListKeys'] }),
  runScenario: keyward.runScenario(inputs.check),
  actions: keyward.actions(),
  cyclic: keyward.lint((() => { const o = {}; o.o = o; return o; })()),
};
process.stdout.write(JSON.stringify(answers));
