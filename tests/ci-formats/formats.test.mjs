// keyward's CI formats read by their real consumers:
// * SARIF, validated by Microsoft's SARIF Multitool (npm
//   @microsoft/sarif-multitool) with its SARIF and GitHub ingestion rules;
// * JUnit XML, read by junitparser (PyPI), which JUnit-report actions use.
// The counts each consumer reads are compared with keyward's own JSON.
//
//   node --test tests/ci-formats/formats.test.mjs
//
// Environment: KEYWARD_BIN (default target/debug/keyward), KEYWARD_SARIF_MULTITOOL
// (default: the native tool of npm/tools/node_modules), KEYWARD_JUNIT_PYTHON (a
// Python with junitparser; default target/ci-formats-venv/bin/python). A
// consumer that is not installed is skipped, saying so (scripts/ci-npm.sh
// installs both).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = resolve(process.env.KEYWARD_BIN ?? join(ROOT, 'target/debug/keyward'));
const MULTITOOL = resolve(
  process.env.KEYWARD_SARIF_MULTITOOL ??
    join(ROOT, 'npm/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool'),
);
const PYTHON = resolve(process.env.KEYWARD_JUNIT_PYTHON ?? join(ROOT, 'target/ci-formats-venv/bin/python'));
const work = mkdtempSync(join(tmpdir(), 'keyward-formats-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** `keyward lint --format FORMAT fixtures/lint` (every input kind, suppressions included). */
function lint(format, paths = ['fixtures/lint']) {
  const run = spawnSync(BIN, ['lint', '--format', format, ...paths], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok([0, 1].includes(run.status), `keyward lint --format ${format}: exit ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** The Multitool's findings about `log` (errors and warnings of the SARIF and GitHub rules). */
function validate(name, log) {
  const input = join(work, `${name}.sarif`);
  const output = join(work, `${name}.validation.sarif`);
  writeFileSync(input, log);
  const run = spawnSync(
    MULTITOOL,
    ['validate', input, '--output', output, '--log', 'ForceOverwrite', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning'],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const validation = JSON.parse(readFileSync(output, 'utf8'));
  const [runOfTool] = validation.runs;
  assert.equal(runOfTool.invocations?.[0]?.executionSuccessful, true, JSON.stringify(runOfTool.invocations));
  return runOfTool.results.map((r) => `${r.ruleId} ${r.level}: ${JSON.stringify(r.message)}`);
}

test('the SARIF Multitool finds no error or warning in keyward\'s SARIF (SARIF and GitHub rules)', (t) => {
  if (!existsSync(MULTITOOL)) {
    t.skip(`no SARIF Multitool at ${MULTITOOL} (npm ci in npm/tools installs it)`);
    return;
  }
  const log = lint('sarif');
  assert.ok(JSON.parse(log).runs[0].results.length > 20);
  assert.deepEqual(validate('fixtures', log), []);
  assert.deepEqual(validate('clean', lint('sarif', ['fixtures/lint/policies/console-default.json'])), []);
  // The validator does validate: a region starting at line 0 is refused.
  const broken = JSON.parse(log);
  broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  const found = validate('broken', JSON.stringify(broken));
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^JSON1008 error/);
});

test('junitparser reads keyward\'s JUnit with the counts of keyward\'s JSON', (t) => {
  if (!existsSync(PYTHON)) {
    t.skip(`no Python with junitparser at ${PYTHON} (scripts/ci-npm.sh makes one)`);
    return;
  }
  const xmlPath = join(work, 'report.xml');
  writeFileSync(xmlPath, lint('junit'));
  const read = spawnSync(PYTHON, [join(ROOT, 'tests/ci-formats/junit_read.py'), xmlPath], { encoding: 'utf8' });
  assert.equal(read.status, 0, read.stderr);
  const junit = JSON.parse(read.stdout);
  const json = JSON.parse(lint('json'));

  const files = json.files;
  assert.deepEqual(junit.suites.map((s) => s.name), files);
  const errors = json.findings.filter((f) => f.severity === 'error');
  assert.equal(junit.failures, errors.filter((f) => !f.code.startsWith('input::')).length);
  assert.equal(junit.errors, errors.filter((f) => f.code.startsWith('input::')).length);
  assert.equal(junit.skipped, json.summary.suppressed);
  assert.ok(junit.skipped >= 1 && junit.failures >= 5);
  for (const suite of junit.suites) {
    const inFile = json.findings.filter((f) => f.file === suite.name);
    const suppressed = json.suppressed.filter((f) => f.file === suite.name);
    // One case per finding and per suppressed finding; a clean file has one passing case.
    assert.equal(suite.tests, Math.max(1, inFile.length + suppressed.length), suite.name);
    assert.equal(suite.cases.length, suite.tests, suite.name);
    const failed = suite.cases.filter((c) => c.outcome === 'failure');
    assert.deepEqual(
      failed.map((c) => [c.type, c.message]),
      inFile.filter((f) => f.severity === 'error').map((f) => [f.code, f.message]),
      suite.name,
    );
    assert.deepEqual(
      suite.cases.filter((c) => c.outcome === 'skipped').map((c) => c.message),
      suppressed.map((f) => `suppressed: ${f.reason}`),
      suite.name,
    );
    // Warnings and infos pass, with what was found in their output.
    for (const c of suite.cases.filter((c) => c.outcome === 'passed' && c.name !== 'no findings')) {
      assert.match(c.system_out ?? '', /: (warning|info): /, c.name);
    }
  }
});
