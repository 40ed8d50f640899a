// The playground, driven in headless Chromium (Debian's package) by playwright-core.
//
//   node wasm/e2e/playground.e2e.mjs [--www DIR] [--scenario FILE] [--out DIR] [--native-rate N]
//
// DIR is the built page (default wasm/www, after scripts/build-playground.sh); the test serves
// it itself on 127.0.0.1 so that it can take the server away to check offline use. FILE is the
// seed scenario the page
// loads on first visit (default fixtures/scenarios/seed-matrix.json): its `expect` entries are
// the truth the matrix is checked against. Screenshots go to DIR (default target/e2e).
// Prints one line per check, the timings, and finally `N passed, M failed`; exits 1 on failure.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from './serve.mjs';
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const www = opt('--www', 'wasm/www');
const scenarioFile = opt('--scenario', 'fixtures/scenarios/seed-matrix.json');
const outDir = opt('--out', 'target/e2e');
const nativeRate = Number(opt('--native-rate', '0'));
mkdirSync(outDir, { recursive: true });
const server = await serve(www);
const base = server.url;

// ---------- the truth: the seed scenario's own expectations ----------

const seed = JSON.parse(readFileSync(scenarioFile, 'utf8'));
const nameOf = (table, ref) => {
  if (ref in table) return ref;
  const hit = Object.entries(table).find(([, v]) => v && v.arn === ref);
  return hit ? hit[0] : ref;
};
const isEmpty = (o) => !o || Object.keys(o).length === 0;
/** Expectations the matrix shows: no Region of their own, no context. */
const plain = (seed.expect ?? [])
  .filter((e) => (!e.region || e.region === seed.region) && isEmpty(e.context) && isEmpty(e.encryptionContext))
  .map((e) => ({
    principal: nameOf(seed.principals ?? {}, e.principal),
    key: nameOf(seed.keys ?? {}, e.key),
    action: e.action,
    decision: e.decision,
    error: e.error ?? null,
  }));
const principals = Object.keys(seed.principals ?? {});
const keys = Object.keys(seed.keys ?? {});
const actions = [...new Set((seed.expect ?? []).map((e) => e.action))];

function meets(exp, cell) {
  if (exp.error) return cell.error === exp.error;
  if (exp.decision === 'deny') return cell.decision !== 'allow' && !cell.error;
  if (exp.decision === 'allow') return cell.decision === 'allow' && !cell.error;
  return cell.decision === exp.decision;
}

// ---------- harness ----------

let passed = 0;
let failed = 0;
const problems = []; // console errors and page errors, from every page
async function check(name, fn) {
  const t0 = performance.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${(performance.now() - t0).toFixed(0)} ms)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(err?.stack ?? err).split('\n').slice(0, 4).join('\n     ')}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const profile = mkdtempSync(join(tmpdir(), 'keyward-e2e-'));
const launch = (dir, extra = {}) => chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1440, height: 900 },
  ...extra,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await launch(profile);

function watch(page, label) {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!server.closed && r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${label}: request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) {
      problems.push(`${label}: external request: ${r.url()}`);
    }
  });
  return page;
}

const chip = (p, k, a) =>
  `#matrix .chip[data-principal="${p}"][data-key="${k}"][data-action="${a}"]`;

async function cellsOf(page) {
  return page.$$eval('#matrix .chip', (els) =>
    els.map((e) => ({
      principal: e.dataset.principal,
      key: e.dataset.key,
      action: e.dataset.action,
      decision: e.dataset.decision,
      error: e.dataset.error || null,
    })),
  );
}

async function openTab(page, path) {
  await page.click(`#tabs .tab[data-path="${path}"]`);
  return page.locator('#editor-host .editor:not([hidden]) textarea');
}

/** The tab of the key policy of key `name` (role key, owner name). */
async function keyTabPath(page, name) {
  return page.evaluate((n) => window.keyward.state.info.tabs.find((t) => t.role === 'key' && t.owner === n)?.path, name);
}

// ---------- checks ----------

const page = watch(await context.newPage(), 'page');
let firstMatrixMs = NaN;

await check('the seed matrix shows exactly the expected cells', async () => {
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('#matrix .chip', { timeout: 10_000 });
  firstMatrixMs = await page.evaluate(() => window.keyward.timings.firstMatrix);
  const cells = await cellsOf(page);
  const shown = (f) => [...new Set(cells.map(f))];
  assert(JSON.stringify(shown((c) => c.principal)) === JSON.stringify(principals), `rows ${shown((c) => c.principal)} != ${principals}`);
  assert(JSON.stringify(shown((c) => c.key)) === JSON.stringify(keys), `columns ${shown((c) => c.key)} != ${keys}`);
  assert(JSON.stringify(shown((c) => c.action)) === JSON.stringify(actions), `actions ${shown((c) => c.action)} != ${actions}`);
  assert(cells.length === principals.length * keys.length * actions.length, `${cells.length} cells`);
  assert(plain.length > 0, 'the seed scenario has no plain expectations');
  const wrong = [];
  for (const e of plain) {
    const c = cells.find((x) => x.principal === e.principal && x.key === e.key && x.action === e.action);
    if (!c || !meets(e, c)) wrong.push(`${e.principal} ${e.action} ${e.key}: expected ${e.error ?? e.decision}, shown ${c ? c.error ?? c.decision : 'nothing'}`);
  }
  assert(!wrong.length, wrong.join('; '));
  assert((await page.locator('#matrix .chip.exp-fail').count()) === 0, 'a chip is ringed as failing');
  const summary = await page.textContent('#expect-summary');
  assert(/^All \d+ expectations hold\.$/.test(summary.trim()), `summary: ${summary}`);
  await page.screenshot({ path: join(outDir, 'desktop.png') });
});

await check('clicking a cell explains it and highlights the deciding statement', async () => {
  const deny = plain.find((e) => e.decision === 'explicit-deny') ?? plain[0];
  await page.click(chip(deny.principal, deny.key, deny.action));
  await page.waitForFunction(
    ([p, k, a]) => {
      const f = document.querySelector('#request');
      return f.principal.value === p && f.key.value === k && f.action.value === a && document.querySelector('#answer .verdict');
    },
    [deny.principal, deny.key, deny.action],
  );
  const text = await page.textContent('#answer');
  assert(text.includes(deny.principal) && text.includes(deny.key), `answer: ${text}`);
  const link = page.locator('#answer .reason-link').first();
  assert((await link.count()) === 1, 'no reason links to a statement');
  await link.click();
  const marks = await page.locator('#editor-host .editor:not([hidden]) .band-allow, #editor-host .editor:not([hidden]) .band-deny').count();
  assert(marks > 0, 'the deciding statement is not highlighted in the editor');
  await page.screenshot({ path: join(outDir, 'explanation.png') });
});

await check('clicking a chip on a small screen brings its answer into view and opens the deciding file', async () => {
  const small = watch(await context.newPage(), 'small');
  await small.setViewportSize({ width: 390, height: 700 });
  await small.goto(base, { waitUntil: 'load' });
  await small.waitForSelector('#matrix .chip');
  const deny = plain.find((e) => e.decision === 'explicit-deny') ?? plain[0];
  const before = await small.evaluate(() => window.keyward.state.tab);
  await small.click(chip(deny.principal, deny.key, deny.action));
  await small.waitForFunction(
    ([p, k]) => {
      const v = document.querySelector('#answer .verdict');
      return v && v.textContent.includes(p) && v.textContent.includes(k);
    },
    [deny.principal, deny.key],
  );
  // The answer is scrolled up to the screen (smoothly: give it a moment).
  await small.waitForFunction(
    () => {
      const r = document.querySelector('#answer .verdict').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    },
    null,
    { timeout: 3000 },
  );
  const { tab, file } = await small.evaluate(() => {
    const reasons = window.keyward.state.answer.answer.reasons;
    const at = reasons.map((r) => r.statement?.location ?? r.grant?.location).find(Boolean);
    return { tab: window.keyward.state.tab, file: at?.file };
  });
  assert(file, 'the answer names no place');
  assert(tab === file, `the open file is ${tab} (was ${before}), not the deciding ${file}`);
  await small.screenshot({ path: join(outDir, 'chip-answer-small.png') });
  await small.close();
});

await check('a deciding grant is highlighted in the scenario like a statement', async () => {
  const g = watch(await context.newPage(), 'grant');
  await g.goto(base, { waitUntil: 'load' });
  await g.waitForSelector('#matrix .chip');
  const story = 'stories/11-grants-for-aws-services.json';
  await g.selectOption('#example', story);
  await g.waitForFunction((p) => window.keyward.state.ws.scenario === p && window.keyward.state.report, story);
  await g.fill('#request [name=principal]', 'ec2-infra');
  await g.fill('#request [name=action]', 'kms:Decrypt');
  await g.fill('#request [name=key]', 'volumes-key');
  await g.fill('#request [name=encryptionContext]', 'aws:ebs:id=vol-0b2d4f6a8c1e35790');
  await g.waitForFunction(() => window.keyward.state.answer?.answer.path === 'grant');
  const at = await g.evaluate(() => window.keyward.state.answer.answer.grant.location);
  assert(at && at.file === story, `the grant is located in ${at?.file}`);
  const link = g.locator('#answer li[data-kind="grant"] .reason-link');
  assert((await link.count()) === 1, 'the grant reason is not a link');
  await link.click();
  assert((await g.evaluate(() => window.keyward.state.tab)) === story, 'the scenario tab is not shown');
  const banded = await g.$$eval('#editor-host .editor:not([hidden]) .gutter-lines .ln-allow', (els) => els.map((e) => Number(e.dataset.line)));
  assert(banded.includes(at.start.line) && banded.includes(at.end.line), `allow band on lines ${banded}, grant at ${at.start.line}-${at.end.line}`);
  const text = await g.evaluate((p) => window.keyward.state.ws.files[p], story);
  assert(text.slice(at.start.utf16, at.end.utf16).includes('ebs-vol-0b2d4f6a8c1e35790'), 'the band is not on the grant');
  await g.screenshot({ path: join(outDir, 'grant.png') });
  await g.close();
});

await check('a scenario error marks the expectation count stale and scrolls to the error', async () => {
  const st = watch(await context.newPage(), 'stale');
  await st.goto(base, { waitUntil: 'load' });
  await st.waitForSelector('#matrix .chip');
  const scenarioPath = await st.evaluate(() => window.keyward.state.ws.scenario);
  const area = await openTab(st, scenarioPath);
  const text = await area.inputValue();
  // A principal ARN near the top gets a typo; the caret and the view end up at the bottom.
  const alice = seed.principals[principals[0]].arn;
  const broken = text.replace(`"${alice}"`, `"${alice.replace(':user/', ':usr/')}"`);
  assert(broken !== text, 'no principal ARN to break');
  const errorLine = broken.slice(0, broken.indexOf(':usr/')).split('\n').length;
  // As a paste would: the new text in one input event, the caret at its end.
  await area.evaluate((el, value) => {
    el.value = value;
    el.setSelectionRange(value.length, value.length);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.scrollTop = el.scrollHeight;
    el.dispatchEvent(new Event('scroll'));
  }, broken);
  const hiddenBefore = await area.evaluate((el, line) => {
    const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
    return (line - 1) * lh < el.scrollTop;
  }, errorLine);
  assert(hiddenBefore, `line ${errorLine} was already in view: the file is too short to test scrolling`);
  await st.waitForSelector('#stale:not([hidden])', { timeout: 5000 });
  const summary = await st.$eval('#expect-summary', (e) => ({ cls: e.className, text: e.textContent }));
  assert(summary.cls.includes('stale') && !summary.cls.includes('good'), `summary class: ${summary.cls}`);
  assert(!/^All \d+ expectations hold/.test(summary.text.trim()), `summary: ${summary.text}`);
  await st.waitForFunction(
    (line) => {
      const el = document.querySelector('#editor-host .editor:not([hidden]) textarea');
      const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
      const top = (line - 1) * lh;
      return top >= el.scrollTop && top <= el.scrollTop + el.clientHeight;
    },
    errorLine,
    { timeout: 5000 },
  );
  await st.screenshot({ path: join(outDir, 'stale.png') });
  await st.close();
});

await check('the actions field shows every action typed', async () => {
  const af = watch(await context.newPage(), 'actions');
  await af.setViewportSize({ width: 390, height: 844 });
  await af.goto(base, { waitUntil: 'load' });
  await af.waitForSelector('#matrix .chip');
  const list = 'kms:Encrypt, kms:Decrypt, kms:GenerateDataKey, kms:ReEncryptFrom, kms:ReEncryptTo, kms:DescribeKey';
  await af.fill('#matrix-actions', list);
  const fits = await af.$eval('#matrix-actions', (el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 2);
  assert(fits, 'the actions field hides part of what was typed');
  await af.waitForSelector('#matrix .chip[data-action="kms:ReEncryptTo"]', { timeout: 5000 });
  await af.close();
});

const target = plain.find((e) => e.decision === 'allow');
let editedText = '';
let editedPath = '';

await check('editing a key policy changes the decision', async () => {
  assert(target, 'the seed scenario expects no allow');
  editedPath = await keyTabPath(page, target.key);
  assert(editedPath, `no key policy tab for ${target.key}`);
  const area = await openTab(page, editedPath);
  // Deny the principal, and keep the account in charge so that the linter sees no lockout.
  const account = seed.keys[target.key].arn.split(':')[4];
  editedText = JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'KeepAdministration', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'DenyThisPrincipal', Effect: 'Deny', Principal: { AWS: seed.principals[target.principal].arn }, Action: 'kms:*', Resource: '*' },
      ],
    },
    null,
    2,
  );
  await area.fill(editedText);
  await page.waitForSelector(`${chip(target.principal, target.key, target.action)}[data-decision="explicit-deny"]`, { timeout: 5000 });
  assert((await page.locator('#matrix .chip.exp-fail').count()) > 0, 'the now-wrong expectation is not ringed');
});

await check('a broken policy shows a diagnostic at the right line', async () => {
  const area = await openTab(page, editedPath);
  // Line 6 holds an unquoted action: the error is on line 6 and nowhere else.
  const broken = [
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [{',
    '    "Effect": "Allow",',
    '    "Principal": "*",',
    '    "Action": kms:Decrypt,',
    '    "Resource": "*"',
    '  }]',
    '}',
  ].join('\n');
  await area.fill(broken);
  const errorLines = () =>
    page.$$eval('#editor-host .editor:not([hidden]) .gutter-lines .ln-error', (els) => els.map((e) => e.dataset.line).join(','));
  // Both the scenario's and the linter's answers must have arrived: then line 6 alone is marked.
  await page.waitForFunction(
    () => [...document.querySelectorAll('#editor-host .editor:not([hidden]) .gutter-lines .ln-error')].map((e) => e.dataset.line).join(',') === '6',
    null,
    { timeout: 5000 },
  ).catch(() => {});
  const lines = await errorLines();
  assert(lines === '6', `error marked on line(s) ${lines}`);
  const problem = await page.textContent('#problems .problem.sev-error .where');
  assert(problem.startsWith('6:'), `problem list says ${problem}`);
  await page.screenshot({ path: join(outDir, 'diagnostic.png') });
  await area.fill(editedText); // back to the valid edit for the share check
  await page.waitForSelector('#editor-host .editor:not([hidden]) .gutter-lines .ln-error', { state: 'detached', timeout: 5000 });
});

let shared = '';
await check('a shared link restores the state', async () => {
  await page.click('#share');
  // The click saves the state into the fragment, then reports the link as copied (or shown).
  await page.waitForFunction(() => /link/.test(document.querySelector('#status').textContent));
  shared = page.url();
  assert(shared.includes('#s1.'), `no state in the link: ${shared}`);
  const other = watch(await context.newPage(), 'shared');
  await other.goto(shared, { waitUntil: 'load' });
  await other.waitForSelector(`${chip(target.principal, target.key, target.action)}[data-decision="explicit-deny"]`, { timeout: 10_000 });
  const text = await other.evaluate((p) => window.keyward.state.ws.files[p], editedPath);
  assert(text === editedText, 'the edited policy was not restored');
  const shown = await other.locator('#editor-host .editor:not([hidden]) textarea').inputValue();
  assert(shown === editedText, 'the restored tab does not show the edited policy');
  await other.close();
});

let compareLine = '';
await check('the compare view shows the access gained and lost, each with a witness that replays in Ask', async () => {
  const cv = watch(await context.newPage(), 'compare');
  const fetched = [];
  cv.on('request', (r) => {
    if (/keyward_compare/.test(r.url())) fetched.push(r.url());
  });
  await cv.goto(base, { waitUntil: 'load' });
  await cv.waitForSelector('#matrix .chip');
  // The key whose policy names principals directly: swap one of them for another.
  const [keyName, keyDoc] = Object.entries(seed.keys).find(([, k]) => JSON.stringify(k.policy).includes(':user/'));
  const named = Object.entries(seed.principals).filter(([, p]) => JSON.stringify(keyDoc.policy).includes(`"${p.arn}"`));
  const others = Object.entries(seed.principals).filter(([n]) => !named.some(([m]) => m === n));
  assert(named.length >= 1 && others.length >= 1, `${keyName} names ${named.length} principals`);
  const [lostName, lostP] = named[named.length - 1];
  const [gainedName, gainedP] = others[0];
  const path = await keyTabPath(cv, keyName);
  assert(fetched.length === 0, `the compare module was fetched before the view opened: ${fetched}`);
  await cv.click('#compare > summary');
  await cv.selectOption('#compare-file', path);
  await cv.waitForFunction(() => /No change of access/.test(document.querySelector('#compare-summary').textContent), null, { timeout: 10_000 });
  assert(fetched.some((u) => u.endsWith('keyward_compare_bg.wasm')), 'the compare module was not fetched');
  // The after: the file edited in the main editor.
  const account = keyDoc.arn.split(':')[4];
  const after = JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'KeepAdministration', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'NamedUsers',
          Effect: 'Allow',
          Principal: { AWS: [...named.slice(0, -1).map(([, p]) => p.arn), gainedP.arn] },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
  const area = await openTab(cv, path);
  await area.fill(after);
  await cv.waitForSelector('#compare-result .change.gained', { timeout: 10_000 });
  const report = await cv.evaluate(() => window.keyward.compare.report);
  compareLine = `compare view: ${report.diff.classes} classes decided in ${(await cv.evaluate(() => window.keyward.compare.ms)).toFixed(0)} ms, in the worker`;
  assert(report.result === 'fail', `result ${report.result}`);
  const gained = report.diff.changes.find((c) => c.change === 'gained' && c.example.principal === gainedP.arn);
  assert(gained, `no gain for ${gainedName}: ${JSON.stringify(report.diff.changes.map((c) => [c.change, c.example.principal]))}`);
  assert(gained.example.key === keyDoc.arn, `the witness names ${gained.example.key}, not the scenario's key`);
  assert(gained.example.statement?.statement === 'NamedUsers' && gained.example.statement.file === path, JSON.stringify(gained.example.statement));
  const lost = report.diff.changes.find((c) => c.change === 'lost' && c.example.principal === lostP.arn);
  assert(lost, `no loss for ${lostName}`);
  // Both versions' answers are shown, each reason a link.
  const gainedItem = cv.locator(`#compare-result .change[data-index="${report.diff.changes.indexOf(gained)}"]`);
  const sides = await gainedItem.locator('.side-head').allTextContents();
  assert(sides.length === 2 && /before/.test(sides[0]) && /Allow.*after/.test(sides[1]), `sides: ${sides}`);
  const summary = await cv.textContent('#compare-summary');
  assert(/gain/.test(summary) && /loss/.test(summary), `summary: ${summary}`);
  await cv.screenshot({ path: join(outDir, 'compare.png'), fullPage: true });
  // A loss's reason in the before points into the before editor.
  const lostItem = cv.locator(`#compare-result .change[data-index="${report.diff.changes.indexOf(lost)}"]`);
  await lostItem.locator('.reason-link[data-side="before"]').first().click();
  const caret = await cv.$eval('#compare-before textarea', (t) => ({ at: t.selectionStart, focused: document.activeElement === t, text: t.value }));
  assert(caret.focused && caret.at > 0 && caret.text.slice(caret.at).trimStart().startsWith('{'), `caret at ${caret.at}`);
  // Replay the gain in Ask: the scenario as edited decides it the same way.
  await gainedItem.locator('.replay').click();
  await cv.waitForFunction(
    (arn) => document.querySelector('#request').principal.value === arn && window.keyward.state.answer?.principal === arn,
    gainedP.arn,
    { timeout: 5000 },
  );
  const replayed = await cv.evaluate(() => window.keyward.state.answer);
  assert(replayed.answer.decision === 'allow', `replayed as ${replayed.answer.decision}`);
  assert(replayed.action === gained.example.action && replayed.key === keyDoc.arn, JSON.stringify(replayed));
  // A before with an error is not compared, and says where the error is.
  const before = cv.locator('#compare-before textarea');
  await before.fill('{"Version": "2012-10-17", "Statement": [}');
  await cv.waitForFunction(() => /Not compared/.test(document.querySelector('#compare-summary').textContent), null, { timeout: 5000 });
  assert(/before 1:/.test(await cv.textContent('#compare-result')), 'the before error is not located');
  // Use the current text as before: nothing changes.
  await cv.click('#compare-reset');
  await cv.waitForFunction(() => /No change of access/.test(document.querySelector('#compare-summary').textContent), null, { timeout: 5000 });
  await cv.close();
});

await check('a shared link keeps the compare view and its before', async () => {
  const sh = watch(await context.newPage(), 'compare-share');
  await sh.goto(base, { waitUntil: 'load' });
  await sh.waitForSelector('#matrix .chip');
  await sh.click('#compare > summary');
  const path = await sh.evaluate(() => window.keyward.compare.path);
  const original = await sh.evaluate((p) => window.keyward.state.ws.files[p], path);
  // A blank before: the policy is new, everything it allows is gained.
  const older = '';
  await sh.locator('#compare-before textarea').fill(older);
  await sh.waitForSelector('#compare-result .change.gained', { timeout: 10_000 });
  await sh.click('#share');
  await sh.waitForFunction(() => /link/.test(document.querySelector('#status').textContent));
  const link = sh.url();
  const other = watch(await context.newPage(), 'compare-shared');
  await other.goto(link, { waitUntil: 'load' });
  await other.waitForSelector('#compare[open] #compare-result .change.gained', { timeout: 10_000 });
  const restored = await other.evaluate(() => ({ path: window.keyward.compare.path, before: document.querySelector('#compare-before textarea').value }));
  assert(restored.path === path && restored.before === older, JSON.stringify(restored));
  assert((await other.evaluate((p) => window.keyward.state.ws.files[p], path)) === original, 'the after changed');
  await other.close();
  await sh.close();
});

let whoCanLine = '';
await check('who can use the selected key, and what a principal can do, each entry replaying as allow in Ask', async () => {
  const wv = watch(await context.newPage(), 'whocan');
  await wv.goto(base, { waitUntil: 'load' });
  await wv.waitForSelector('#matrix .chip');
  // The key of the key policy being edited is the one asked about.
  const [keyName, keyDoc] = Object.entries(seed.keys)[0];
  await openTab(wv, await keyTabPath(wv, keyName));
  await wv.click('#whocan > summary');
  await wv.waitForSelector('#whocan-result .entry', { timeout: 15_000 });
  assert((await wv.inputValue('#whocan-subject')) === keyName, `asked about ${await wv.inputValue('#whocan-subject')}, not ${keyName}`);
  const report = await wv.evaluate(() => window.keyward.whoCan.report);
  assert(report.entries.length > 0 && report.entries.every((e) => e.key === keyDoc.arn), 'entries name another key');
  // Each principal the matrix allows on this key is listed, with how and when.
  const allowed = await wv.$$eval(`#matrix .chip[data-decision="allow"]`, (cs) => cs.map((c) => [c.dataset.principal, c.dataset.key, c.dataset.action]));
  for (const [p, k, a] of allowed.filter(([, k]) => k === keyName)) {
    const arn = seed.principals[p]?.arn;
    assert(report.entries.some((e) => e.principal === arn && e.action === a), `the matrix allows ${p} ${a} on ${k}; who-can does not list it`);
  }
  const text = await wv.textContent('#whocan-result');
  assert(/via /.test(text) && /always|when /.test(text), 'no how or when shown');
  await wv.screenshot({ path: join(outDir, 'whocan.png'), fullPage: true });
  // Every entry's witness replays as allow in Ask.
  const groups = await wv.$$eval('#whocan-result .entry .replay:not([disabled])', (bs) => bs.map((b) => Number(b.dataset.index)));
  assert(groups.length > 0, 'no entry can be replayed');
  for (const i of groups) {
    const w = await wv.evaluate((n) => window.keyward.whoCan.groups[n].first.witness, i);
    await wv.locator(`#whocan-result .entry[data-index="${i}"] .replay`).click();
    await wv.waitForFunction(
      (x) => { const a = window.keyward.state.answer; return a && a.principal === x.principal && a.action === x.action; },
      w,
      { timeout: 5000 },
    );
    const replayed = await wv.evaluate(() => window.keyward.state.answer);
    assert(replayed.answer.decision === 'allow', `${w.principal} ${w.action} replayed as ${replayed.answer.decision}`);
  }
  whoCanLine = `who-can view: ${report.entries.length} entries for ${keyName}, ${groups.length} groups replayed as allow`;
  // What can a principal do: every entry is that principal's.
  const [pName, pDoc] = Object.entries(seed.principals)[0];
  await wv.selectOption('#whocan-mode', 'what-can');
  await wv.selectOption('#whocan-subject', pName);
  await wv.waitForFunction((arn) => {
    const r = window.keyward.whoCan.report;
    return r && r.entries.length && r.entries.every((e) => e.principal === arn);
  }, pDoc.arn, { timeout: 15_000 });
  const mine = allowed.filter(([p]) => p === pName);
  const whatCan = await wv.evaluate(() => window.keyward.whoCan.report);
  for (const [, k, a] of mine) {
    assert(whatCan.entries.some((e) => e.key === seed.keys[k].arn && e.action === a), `the matrix allows ${pName} ${a} on ${k}; what-can does not list it`);
  }
  // A bad action filter is a clear error, not a crash.
  await wv.fill('#whocan-actions', 'kms:Decrypy');
  await wv.waitForFunction(() => /did you mean/.test(document.querySelector('#whocan-result').textContent), null, { timeout: 5000 });
  await wv.close();
});

/** The state a share link (or `location.hash`) holds, decoded by share.js in `page`. */
async function linkState(page, hash) {
  return page.evaluate(async (h) => {
    const { decodeState } = await import(new URL('js/share.js', location.href).href);
    return decodeState(h);
  }, hash);
}

/** A copy of the share link `link` whose state has `fields` set (a field set to null is removed). */
async function linkWith(page, link, fields) {
  const fragment = await page.evaluate(
    async ([hash, set]) => {
      const { decodeState, encodeState } = await import(new URL('js/share.js', location.href).href);
      const s = await decodeState(hash);
      for (const [k, v] of Object.entries(set)) {
        if (v === null) delete s[k];
        else s[k] = v;
      }
      return encodeState(s);
    },
    [new URL(link).hash, fields],
  );
  return `${link.split('#')[0]}#${fragment}`;
}

/** Wait until the who-can view of `page` lists entries, every one for `principal` (and `action`, if given). */
async function whoCanShows(page, principal, action = null) {
  await page.waitForFunction(
    ([p, a]) => {
      const r = window.keyward.whoCan.report;
      const listed = document.querySelectorAll('#whocan-result .entry').length;
      return r && listed > 0 && r.entries.length > 0 && r.entries.every((e) => e.principal === p && (a === null || e.action === a));
    },
    [principal, action],
    { timeout: 15_000 },
  );
}

await check('a shared link keeps the who-can view: open, its question, its choice and its actions; old links still open', async () => {
  const sh = watch(await context.newPage(), 'whocan-share');
  await sh.goto(base, { waitUntil: 'load' });
  await sh.waitForSelector('#matrix .chip');
  // A principal that is not the first, and an action the matrix allows it.
  const pick = (await cellsOf(sh)).find((c) => c.decision === 'allow' && !c.error && c.principal !== principals[0]);
  assert(pick, 'the matrix allows nothing to a principal other than the first');
  const arn = seed.principals[pick.principal].arn;
  await sh.click('#whocan > summary');
  await sh.waitForSelector('#whocan-result .entry', { timeout: 15_000 });
  await sh.selectOption('#whocan-mode', 'what-can');
  await sh.selectOption('#whocan-subject', pick.principal);
  await sh.fill('#whocan-actions', pick.action);
  await whoCanShows(sh, arn, pick.action);
  const want = { open: true, mode: 'what-can', subject: pick.principal, actions: pick.action };
  // The address follows the view without pressing Share.
  const deadline = Date.now() + 5000;
  let saved = null;
  do {
    await sh.waitForTimeout(100);
    saved = (await linkState(sh, await sh.evaluate(() => location.hash)))?.whoCan;
  } while (saved?.actions !== pick.action && Date.now() < deadline);
  assert(
    saved?.open === true && saved.mode === 'what-can' && saved.chosen?.['what-can'] === pick.principal && saved.actions === pick.action,
    `the address holds ${JSON.stringify(saved)}`,
  );
  await sh.click('#share');
  await sh.waitForFunction(() => /link/.test(document.querySelector('#status').textContent));
  const link = sh.url();
  const other = watch(await context.newPage(), 'whocan-shared');
  await other.goto(link, { waitUntil: 'load' });
  await other.waitForSelector('#whocan[open] #whocan-result .entry', { timeout: 15_000 });
  await whoCanShows(other, arn, pick.action);
  const view = await other.evaluate(() => ({
    open: document.querySelector('#whocan').open,
    mode: document.querySelector('#whocan-mode').value,
    subject: document.querySelector('#whocan-subject').value,
    actions: document.querySelector('#whocan-actions').value,
  }));
  assert(JSON.stringify(view) === JSON.stringify(want), `restored as ${JSON.stringify(view)}, not ${JSON.stringify(want)}`);
  await other.close();
  // A link made before the view was saved (no `whoCan`, no `compare`) opens as it did: the view closed.
  const old = watch(await context.newPage(), 'whocan-old-link');
  await old.goto(await linkWith(sh, link, { whoCan: null, compare: null }), { waitUntil: 'load' });
  await old.waitForSelector('#matrix .chip');
  const files = await old.evaluate(() => window.keyward.state.ws.files);
  assert(JSON.stringify(files) === JSON.stringify((await linkState(sh, new URL(link).hash)).workspace.files), 'the old link lost its files');
  const oldView = await old.evaluate(() => ({ open: document.querySelector('#whocan').open, mode: document.querySelector('#whocan-mode').value }));
  assert(!oldView.open && oldView.mode === 'who-can', `an old link opened the view as ${JSON.stringify(oldView)}`);
  await old.close();
  // Wrong types and a principal the scenario lacks: what-can, about the first principal, every action.
  const odd = watch(await context.newPage(), 'whocan-odd-link');
  const garbage = { open: true, mode: 'what-can', chosen: { 'what-can': 'Nobody at all', 'who-can': 42 }, actions: 7 };
  await odd.goto(await linkWith(sh, link, { whoCan: garbage }), { waitUntil: 'load' });
  await odd.waitForSelector('#whocan[open] #whocan-result .entry', { timeout: 15_000 });
  await whoCanShows(odd, seed.principals[principals[0]].arn);
  const fallback = { subject: await odd.inputValue('#whocan-subject'), actions: await odd.inputValue('#whocan-actions') };
  assert(fallback.subject === principals[0] && fallback.actions === '', `fell back to ${JSON.stringify(fallback)}`);
  await odd.close();
  await sh.close();
});

await check('works offline once loaded', async () => {
  const page2 = watch(await context.newPage(), 'offline');
  await page2.goto(base, { waitUntil: 'load' });
  await page2.evaluate(() => navigator.serviceWorker.ready);
  await server.stop(); // the site is gone: only the service worker's copy is left
  try {
    await page2.goto(shared, { waitUntil: 'load' });
    await page2.waitForSelector(`${chip(target.principal, target.key, target.action)}[data-decision="explicit-deny"]`, { timeout: 10_000 });
    await page2.screenshot({ path: join(outDir, 'offline.png') });
    // The compare view's module, never fetched by this page, comes from the service worker's copy.
    await page2.click('#compare > summary');
    await page2.waitForFunction(() => /of access|No change/.test(document.querySelector('#compare-summary').textContent), null, { timeout: 10_000 });
  } finally {
    await page2.close();
    await server.start();
  }
});

await check('readable on a phone, with a cue when the matrix hides columns', async () => {
  const phone = watch(await context.newPage(), 'phone');
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(base, { waitUntil: 'load' });
  await phone.waitForSelector('#matrix .chip');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  // Narrower still, the matrix scrolls sideways: the cue says so, until the end is reached.
  await phone.setViewportSize({ width: 320, height: 700 });
  const cue = () =>
    phone.evaluate(() => {
      const m = document.querySelector('#matrix');
      return { hides: m.scrollWidth - m.clientWidth - m.scrollLeft > 4, shown: !document.querySelector('#scroll-cue').hidden };
    });
  await phone.waitForFunction(() => !document.querySelector('#scroll-cue').hidden, null, { timeout: 3000 }).catch(() => {});
  let c = await cue();
  assert(c.hides, 'at 320 px the seed matrix fits: nothing to cue');
  assert(c.shown, 'the matrix hides columns and nothing says so');
  await phone.screenshot({ path: join(outDir, 'phone-cue.png') });
  await phone.$eval('#matrix', (m) => m.scrollTo({ left: m.scrollWidth }));
  await phone.waitForFunction(() => document.querySelector('#scroll-cue').hidden, null, { timeout: 3000 }).catch(() => {});
  c = await cue();
  assert(!c.hides && !c.shown, `at the end of the matrix: ${JSON.stringify(c)}`);
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.screenshot({ path: join(outDir, 'phone.png'), fullPage: true });
  await phone.close();
});

await check('every example scenario loads and meets its expectations', async () => {
  const ex = watch(await context.newPage(), 'examples');
  await ex.goto(base, { waitUntil: 'load' });
  await ex.waitForSelector('#matrix .chip');
  const paths = await ex.$$eval('#example option', (os) => os.map((o) => o.value).filter(Boolean));
  assert(paths.length > 1, `only ${paths.length} example(s) in the menu`);
  const bad = [];
  for (const path of paths) {
    await ex.selectOption('#example', path);
    try {
      await ex.waitForFunction(
        (p) => window.keyward.state.ws.scenario === p && window.keyward.state.report && /expectations? (hold|fail)/.test(document.querySelector('#expect-summary').textContent),
        path,
        { timeout: 5000 },
      );
    } catch {
      bad.push(`${path}: no result`);
      continue;
    }
    const summary = (await ex.textContent('#expect-summary')).trim();
    if (!/^All \d+ expectations hold\.$/.test(summary)) bad.push(`${path}: ${summary}`);
  }
  assert(!bad.length, bad.join('; '));
  await ex.screenshot({ path: join(outDir, 'last-example.png') });
  await ex.close();
});

await check('Download gives back the scenario with every policy inline', async () => {
  const dl = watch(await context.newPage(), 'download');
  await dl.goto(base, { waitUntil: 'load' });
  await dl.waitForSelector('#matrix .chip');
  const [download] = await Promise.all([dl.waitForEvent('download'), dl.click('#download')]);
  assert(download.suggestedFilename() === 'seed-matrix.json', download.suggestedFilename());
  const text = readFileSync(await download.path(), 'utf8');
  assert(JSON.stringify(JSON.parse(text)) === JSON.stringify(seed), 'the downloaded scenario differs from the seed');
  await dl.close();
});

await check('Open… reads a scenario together with the policy files it refers to', async () => {
  const op = watch(await context.newPage(), 'open');
  await op.goto(base, { waitUntil: 'load' });
  await op.waitForSelector('#matrix .chip');
  const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001';
  const scenario = {
    region: 'eu-west-1',
    principals: { Ops: { arn: 'arn:aws:iam::111122223333:role/Ops' } },
    keys: { AppKey: { arn: keyArn, policy: { file: 'policies/app-key.json' } } },
    expect: [{ principal: 'Ops', action: 'kms:Decrypt', key: 'AppKey', decision: 'allow' }],
  };
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'OpsDecrypts', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Ops' }, Action: 'kms:Decrypt', Resource: '*' }],
  }, null, 2);
  await op.setInputFiles('#open-input', [
    { name: 'ops.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario, null, 2)) },
    { name: 'app-key.json', mimeType: 'application/json', buffer: Buffer.from(policy) },
  ]);
  await op.waitForSelector(`${chip('Ops', 'AppKey', 'kms:Decrypt')}[data-decision="allow"]`, { timeout: 5000 });
  const tab = await op.locator('#tabs .tab[data-path="policies/app-key.json"]').count();
  assert(tab === 1, 'no tab for the referenced policy file');
  await op.close();
});

await check('a trap inside the engine is reported as an error and the page recovers', async () => {
  // The first worker gets a module whose runScenario traps as a panicking release build does;
  // the worker that replaces it gets the real module.
  // A context of its own without service workers, so that the route sees the worker's requests.
  const dir = mkdtempSync(join(tmpdir(), 'keyward-e2e-crash-'));
  const crashContext = await launch(dir, { serviceWorkers: 'block' });
  const crash = watch(await crashContext.newPage(), 'crash');
  let served = 0;
  await crash.route(/\/pkg\/keyward_wasm\.js$/, (route) => {
    if (served++ > 0) return route.continue();
    route.fulfill({
      contentType: 'text/javascript',
      body: [
        "export * from './keyward_wasm.js?real';",
        "export { default } from './keyward_wasm.js?real';",
        "export function runScenario() { throw new WebAssembly.RuntimeError('unreachable'); }",
        "export function lastPanic() { return 'keyward crashed: simulated panic'; }",
      ].join('\n'),
    });
  });
  await crash.goto(base, { waitUntil: 'load' });
  await crash.waitForSelector('#matrix .engine-error', { timeout: 10_000 });
  const shown = await crash.textContent('#matrix');
  assert(shown.includes('simulated panic'), `the error shown is: ${shown}`);
  // An edit runs the analysis again, on the fresh worker.
  const area = crash.locator('#editor-host .editor:not([hidden]) textarea');
  await area.press('End');
  await area.type(' ');
  await crash.waitForSelector('#matrix .chip', { timeout: 10_000 });
  await crashContext.close();
  rmSync(dir, { recursive: true, force: true });
});

let benchLine = '';
await check('benchmark: decisions per second in the browser', async () => {
  const fresh = watch(await context.newPage(), 'bench');
  await fresh.goto(base, { waitUntil: 'load' });
  await fresh.waitForSelector('#matrix .chip');
  // Warm up until V8 has tiered the engine up to optimized code, then take the median of three.
  for (let i = 0; i < 3; i++) await fresh.evaluate(() => window.keyward.bench(5000));
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const r = await fresh.evaluate(() => window.keyward.bench(20000));
    assert(r.ok, `bench failed: ${JSON.stringify(r.error)}`);
    runs.push(r.value);
  }
  runs.sort((a, b) => a.perSecond - b.perSecond);
  const median = runs[1];
  const rate = median.perSecond;
  benchLine = `browser: ${Math.round(rate).toLocaleString('en')} decisions/s (median of 3 runs of ${median.decisions} decisions, ${(median.seconds * 1000).toFixed(0)} ms each)`;
  if (nativeRate > 0) benchLine += `; native: ${Math.round(nativeRate).toLocaleString('en')}/s; native/browser = ${(nativeRate / rate).toFixed(2)}x`;
  await fresh.close();
});

await check('no console errors, page errors or external requests', async () => {
  assert(problems.length === 0, problems.join('\n     '));
});

await context.close();
await server.stop();
rmSync(profile, { recursive: true, force: true });

console.log(`time from page load to first matrix: ${Number.isFinite(firstMatrixMs) ? firstMatrixMs.toFixed(0) : '?'} ms (goal < 500 ms)`);
if (benchLine) console.log(benchLine);
if (compareLine) console.log(compareLine);
if (whoCanLine) console.log(whoCanLine);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
