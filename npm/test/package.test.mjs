// The npm package as its users get it: the tarball that `npm pack` made
// (scripts/build-npm.sh) is installed, offline, into an empty project, used
// from Node, and its answers compared with the CLI's JSON on the same
// inputs; a TypeScript consumer is type-checked against its declarations.
//
//   node --test npm/test/package.test.mjs
//
// Environment: KEYWARD_NPM_TARBALL (default target/npm/keyward-*.tgz),
// KEYWARD_BIN (default target/debug/keyward), KEYWARD_TSC (default
// npm/tools/node_modules/.bin/tsc; the type-check is skipped, saying so,
// when it is missing).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'target/npm');

function tarball() {
  if (process.env.KEYWARD_NPM_TARBALL) return resolve(process.env.KEYWARD_NPM_TARBALL);
  const found = existsSync(OUT) ? readdirSync(OUT).filter((f) => /^keyward-.*\.tgz$/.test(f)) : [];
  assert.equal(found.length, 1, `one tarball in ${OUT} (run scripts/build-npm.sh), found ${found}`);
  return join(OUT, found[0]);
}

const BIN = resolve(process.env.KEYWARD_BIN ?? join(ROOT, 'target/debug/keyward'));
const TSC = resolve(process.env.KEYWARD_TSC ?? join(ROOT, 'npm/tools/node_modules/.bin/tsc'));

/** The CLI's JSON for `args`, run from the repository root (or `cwd`). */
function cli(args, cwd = ROOT) {
  const run = spawnSync(BIN, args, { cwd, encoding: 'utf8' });
  assert.ok(run.stdout, `keyward ${args.join(' ')} printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const SEED = 'fixtures/scenarios/seed-matrix.json';
const POLICY = 'fixtures/lint/policies/key-with-problems.json';
const workspace = { scenario: SEED, files: { [SEED]: readFileSync(join(ROOT, SEED), 'utf8') } };
// A template whose key accepts a finding, with a reason.
const STACK = JSON.stringify({
  Resources: {
    EdgeKey: {
      Type: 'AWS::KMS::Key',
      Metadata: { keyward: { suppress: [{ code: 'KW201', reason: 'the edge functions decrypt with it' }] } },
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
            { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
          ],
        },
      },
    },
  },
}, null, 2);

let project;
let answers;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'keyward-npm-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // Offline: everything comes from the tarball (it has no dependencies).
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball()], {
    cwd: project,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const inputs = {
    parse: '{\n  "Version": "2012-10-17",\n  "Statement": [}\n',
    lint: { text: readFileSync(join(ROOT, POLICY), 'utf8'), name: POLICY },
    lintStack: { text: STACK, name: 'stack.json' },
    query: { workspace, request: { principal: 'Alice', action: 'kms:Decrypt', key: 'CMK-A' } },
    check: { workspace },
    matrix: { workspace, actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom'] },
  };
  writeFileSync(join(project, 'inputs.json'), JSON.stringify(inputs));
  cpSync(join(ROOT, 'npm/test/consumer.mjs'), join(project, 'consumer.mjs'));
  const out = execFileSync(process.execPath, ['consumer.mjs', 'inputs.json'], { cwd: project, encoding: 'utf8' });
  answers = JSON.parse(out);
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the tarball holds the two entries, the declarations and the module, and nothing else', () => {
  const listed = execFileSync('tar', ['-tzf', tarball()], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(listed, [
    'package/README.md',
    'package/browser.js',
    'package/engine.js',
    'package/index.d.ts',
    'package/node.js',
    'package/package.json',
    'package/types.d.ts',
    'package/wasm/keyward_wasm.js',
    'package/wasm/keyward_wasm_bg.wasm',
  ]);
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/keyward/package.json'), 'utf8'));
  assert.equal(manifest.dependencies, undefined, 'no dependencies: it installs offline');
  assert.equal(answers.version, manifest.version);
});

test('installed from the tarball, it imports in Node and is ready without load()', () => {
  assert.equal(answers.sameEngine, true, 'in Node, load() answers the engine whose functions are the named exports');
  assert.ok(answers.actions.ok);
  assert.ok(answers.actions.value.includes('kms:Decrypt'));
});

test('lint answers the diagnostics of `keyward lint --format json`', () => {
  const fromCli = cli(['lint', '--format', 'json', POLICY]).findings.map(({ rule, category, ...d }) => d);
  assert.ok(answers.lint.ok);
  assert.ok(fromCli.length >= 3);
  assert.deepEqual(answers.lint.value.diagnostics, fromCli);
});

test('lint lists the suppressed findings with their reasons, as `keyward lint --format json` does', () => {
  writeFileSync(join(project, 'stack.json'), STACK);
  const fromCli = cli(['lint', '--format', 'json', 'stack.json'], project);
  const strip = ({ rule, category, ...d }) => d;
  assert.ok(answers.lintStack.ok);
  assert.deepEqual(answers.lintStack.value.diagnostics, fromCli.findings.map(strip));
  assert.equal(answers.lintStack.value.suppressed.length, 1);
  assert.deepEqual(answers.lintStack.value.suppressed, fromCli.suppressed.map(strip));
  assert.equal(answers.lint.value.suppressed.length, 0);
});

test('parse locates errors as `keyward parse --format json` does', () => {
  assert.ok(answers.parse.ok);
  assert.equal(answers.parse.value.valid, false);
  assert.equal(answers.parse.value.diagnostics[0].start.line, 3);
  assert.equal(answers.parse.value.diagnostics[0].file, 'policy.json');
});

test('query answers the AnsweredRequest of `keyward query --format json`', () => {
  const fromCli = cli(['query', '--scenario', SEED, '--principal', 'Alice', '--action', 'kms:Decrypt', '--key', 'CMK-A', '--format', 'json']);
  assert.ok(answers.query.ok, JSON.stringify(answers.query));
  assert.equal(answers.query.value.answer.decision, 'allow');
  assert.deepEqual(answers.query.value.answer, fromCli.answer);
  assert.equal(answers.query.value.principal, fromCli.principal);
  assert.equal(answers.query.value.action, fromCli.action);
  assert.deepEqual(answers.query.value.notes, fromCli.notes);
  // The one difference: the key as asked; the CLI prints its ARN.
  assert.equal(answers.query.value.key, 'CMK-A');
  assert.match(fromCli.key, /^arn:aws:kms:us-east-1:123412341234:key\//);
});

test('check answers the RunJson of `keyward scenario run --format json`', () => {
  const fromCli = cli(['scenario', 'run', '--format', 'json', SEED]);
  assert.ok(answers.check.ok);
  assert.ok(fromCli.results.length > 0);
  assert.deepEqual(answers.check.value, fromCli);
});

test('matrix answers the MatrixJson of `keyward scenario matrix --format json`', () => {
  const fromCli = cli(['scenario', 'matrix', '--format', 'json', '--actions', 'kms:Encrypt,kms:Decrypt,kms:ReEncryptFrom', SEED]);
  assert.ok(answers.matrix.ok);
  assert.equal(answers.matrix.value.cells.length, fromCli.principals.length * fromCli.keys.length * 3);
  assert.deepEqual(answers.matrix.value, fromCli);
});

test('bad input is an error value, never an exception', () => {
  for (const name of ['parseNotText', 'lintBadKind', 'lintNotAnObject', 'matrixNotKeyAction', 'cyclic']) {
    assert.equal(answers[name].ok, false, name);
    assert.equal(answers[name].error.code, 'bad-input', name);
  }
  assert.match(answers.lintBadKind.error.message, /`bucket` is not a policy kind/);
  // A scenario that cannot be loaded: its problems, as the CLI lists them.
  assert.ok(answers.checkBroken.ok);
  assert.equal(answers.checkBroken.value.errors[0].file, 's.json');
  assert.ok(answers.runScenario.ok);
  assert.equal(answers.runScenario.value.failed, 0);
});

test('the JavaScript examples of docs/npm.md and npm/README.md run and print what they say', () => {
  let n = 0;
  for (const doc of ['docs/npm.md', 'npm/README.md']) {
    const blocks = [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length > 0, doc);
    for (const [i, code] of blocks.entries()) {
      // In the project, so that `keyward` is the installed package; run from the repository root.
      const file = join(project, `example-${n++}.mjs`);
      writeFileSync(file, code);
      const run = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(run.status, 0, `${doc} example ${i}: ${run.stderr}`);
      assert.ok(run.stdout.trim(), `${doc} example ${i} printed nothing`);
      // `console.log(…); // text` says what that line prints (examples without loops).
      if (code.includes('for (')) continue;
      const said = code
        .split('\n')
        .filter((l) => l.trimStart().startsWith('console.log('))
        .map((l) => l.match(/;\s*\/\/ (.*)$/)?.[1]);
      const printed = run.stdout.trimEnd().split('\n');
      assert.equal(printed.length, said.length, `${doc} example ${i}`);
      said.forEach((text, k) => text === undefined || assert.equal(printed[k], text, `${doc} example ${i}, line ${k + 1}`));
    }
  }
});

test('a TypeScript consumer type-checks against the declarations, and a wrong one does not', (t) => {
  if (!existsSync(TSC)) {
    t.skip(`no TypeScript compiler at ${TSC} (npm ci in npm/tools installs it)`);
    return;
  }
  cpSync(join(ROOT, 'npm/test/consumer.ts'), join(project, 'consumer.ts'));
  cpSync(join(ROOT, 'npm/test/wrong.ts'), join(project, 'wrong.ts'));
  const options = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
  const good = spawnSync(TSC, [...options, 'consumer.ts'], { cwd: project, encoding: 'utf8' });
  assert.equal(good.status, 0, good.stdout + good.stderr);
  const wrong = spawnSync(TSC, [...options, 'wrong.ts'], { cwd: project, encoding: 'utf8' });
  assert.notEqual(wrong.status, 0);
  // Each mistake is caught: a number for `text`, an Envelope used as a number, a request without action and key.
  assert.equal((wrong.stdout.match(/error TS\d+/g) ?? []).length, 3, wrong.stdout);
});
