// The GitHub Action (action.yml) run as the runner runs its shell steps:
// each step's `run` script is taken from action.yml and run with bash and
// the environment the runner gives it (GITHUB_OUTPUT, GITHUB_PATH,
// GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH, the step's `env`). `cargo` is a
// stand-in that records its arguments and installs the keyward built here,
// so the test checks when the action builds and when it reuses its cache.
//
//   node --test tests/ci-formats/action.test.mjs
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = resolve(process.env.KEYWARD_BIN ?? join(ROOT, 'target/debug/keyward'));
const work = mkdtempSync(join(tmpdir(), 'keyward-action-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The `run` script of the step named `name` in action.yml. */
function step(name) {
  const lines = readFileSync(join(ROOT, 'action.yml'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.trim() === `- name: ${name}`);
  assert.ok(at >= 0, `action.yml has no step \`${name}\``);
  const run = lines.findIndex((l, i) => i > at && /^\s+run: \|$/.test(l));
  const indent = lines[run].search(/\S/);
  const body = [];
  for (const line of lines.slice(run + 1)) {
    if (line.trim() !== '' && line.search(/\S/) <= indent) break;
    body.push(line.slice(indent + 2));
  }
  const script = body.join('\n');
  assert.ok(!script.includes('${{'), `the test runs \`${name}\` without the runner's expressions`);
  return script;
}

function files(dir) {
  mkdirSync(dir, { recursive: true });
  const paths = { output: join(dir, 'output'), path: join(dir, 'path'), summary: join(dir, 'summary.md') };
  for (const p of Object.values(paths)) writeFileSync(p, '');
  return paths;
}

function runStep(name, env, cwd = ROOT) {
  const run = spawnSync('bash', ['-e', '-c', step(name)], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, GITHUB_ACTION_PATH: ROOT, ...env },
  });
  return run;
}

function outputs(file) {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
}

test('the cache key is the hash of the sources: stable, and new when a source changes', () => {
  const f = files(join(work, 'key'));
  const first = runStep('Key of the keyward build', { GITHUB_OUTPUT: f.output });
  assert.equal(first.status, 0, first.stderr);
  const key = outputs(f.output).sources;
  assert.match(key, /^[0-9a-f]{16}$/);

  // A copy of the sources gives the same key; an edited copy another.
  const copy = join(work, 'copy');
  for (const p of ['Cargo.toml', 'Cargo.lock', 'crates']) {
    cpSync(join(ROOT, p), join(copy, p), { recursive: true, filter: (src) => !src.includes('/target') });
  }
  const again = files(join(work, 'key2'));
  runStep('Key of the keyward build', { GITHUB_OUTPUT: again.output, GITHUB_ACTION_PATH: copy });
  assert.equal(outputs(again.output).sources, key);
  writeFileSync(join(copy, 'crates/cli/src/main.rs'), readFileSync(join(copy, 'crates/cli/src/main.rs'), 'utf8') + '\n// edited\n');
  const edited = files(join(work, 'key3'));
  runStep('Key of the keyward build', { GITHUB_OUTPUT: edited.output, GITHUB_ACTION_PATH: copy });
  assert.notEqual(outputs(edited.output).sources, key);
});

test('the install step builds once per version of the sources, then uses the cached build', () => {
  const home = join(work, 'home');
  const fake = join(work, 'fake-bin');
  const calls = join(work, 'cargo-calls');
  mkdirSync(fake, { recursive: true });
  // cargo install --locked --root ROOT --path PATH --force: record, then install the keyward built here.
  writeFileSync(
    join(fake, 'cargo'),
    `#!/usr/bin/env bash\necho "$*" >> "${calls}"\nwhile [ $# -gt 0 ]; do [ "$1" = --root ] && root=$2; shift; done\nmkdir -p "$root/bin" && cp "${BIN}" "$root/bin/keyward"\n`,
  );
  chmodSync(join(fake, 'cargo'), 0o755);
  const install = (sources) => {
    const f = files(join(work, `install-${sources}-${Math.random()}`));
    const run = runStep('Install keyward', {
      HOME: home,
      PATH: `${fake}:${process.env.PATH}`,
      GITHUB_PATH: f.path,
      KEYWARD_SOURCES: sources,
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(readFileSync(f.path, 'utf8').trim(), join(home, '.keyward-action/bin'));
    return run.stdout;
  };
  const count = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').length : 0);

  assert.match(install('aaaa'), /building keyward/);
  assert.equal(count(), 1);
  assert.equal(
    readFileSync(calls, 'utf8').trim(),
    `install --locked --root ${join(home, '.keyward-action')} --path ${ROOT}/crates/cli --force`,
  );
  assert.match(install('aaaa'), /using the cached build/);
  assert.equal(count(), 1);
  // A cache restored from another version (restore-keys): rebuilt.
  assert.match(install('bbbb'), /building keyward/);
  assert.equal(count(), 2);
  assert.equal(readFileSync(join(home, '.keyward-action/sources'), 'utf8').trim(), 'bbbb');
});

test('the lint step annotates, writes the SARIF and the summary, and reports the exit code', () => {
  const bin = join(work, 'keyward-bin');
  mkdirSync(bin, { recursive: true });
  cpSync(BIN, join(bin, 'keyward'));
  const lint = (extra) => {
    const f = files(join(work, `lint-${Math.random()}`));
    const sarif = join(work, `out-${Math.random()}.sarif`);
    const run = runStep('Lint', {
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_OUTPUT: f.output,
      GITHUB_STEP_SUMMARY: f.summary,
      KEYWARD_PATHS: 'fixtures/lint/policies/key-with-problems.json',
      KEYWARD_CONFIG: '',
      KEYWARD_BASELINE: '',
      KEYWARD_ARGS: '',
      KEYWARD_SARIF: sarif,
      KEYWARD_SUMMARY: 'true',
      ...extra,
    });
    assert.equal(run.status, 0, run.stderr);
    return { run, sarif: JSON.parse(readFileSync(sarif, 'utf8')), summary: readFileSync(f.summary, 'utf8'), out: outputs(f.output) };
  };
  const first = lint({});
  assert.equal(first.out['exit-code'], '1');
  assert.match(first.run.stdout, /^::error file=fixtures\/lint\/policies\/key-with-problems\.json,line=22,/m);
  assert.equal(first.sarif.version, '2.1.0');
  assert.match(first.summary, /^### keyward lint: 1 error, 2 warnings and 1 info in 1 file\n/);

  // With a baseline of today's findings: nothing new, exit code 0.
  const baseline = join(work, 'baseline.json');
  const write = spawnSync(BIN, ['lint', '--write-baseline', baseline, 'fixtures/lint/policies/key-with-problems.json'], { cwd: ROOT });
  assert.equal(write.status, 0);
  const second = lint({ KEYWARD_BASELINE: baseline });
  assert.equal(second.out['exit-code'], '0');
  assert.equal(second.sarif.runs[0].results.length, 0);
  assert.match(second.summary, /\(4 in the baseline\)/);
  // Without a summary: nothing written there.
  assert.equal(lint({ KEYWARD_SUMMARY: 'false' }).summary, '');
});
