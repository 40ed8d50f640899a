// The playground page: wires the editors, the engine worker, the matrix,
// the request form and the share link together. Nothing typed here leaves
// the browser: the engine runs in a Web Worker and the state lives in the
// URL fragment.

import { answerMarks, reasonLocation, renderAnswer, renderError } from './answer.js';
import { CompareView } from './compare.js';
import { WhoCanView } from './whocan.js';
import { Editor } from './editor.js';
import { Engine } from './engine.js';
import { RequestForm } from './form.js';
import { escapeHtml, messageHtml } from './highlight.js';
import { renderExpectations, renderMatrix } from './matrix.js';
import { decodeState, encodeState } from './share.js';
import { describe, fileRefs, importScenario, inlineScenario, lintKind, resolvePath, roleLabel } from './workspace.js';

const $ = (sel) => document.querySelector(sel);
/** Milliseconds since navigation start at each step of the first load (for the browser test). */
const timings = { appStart: performance.now() };
const DEFAULT_ACTIONS = ['kms:Encrypt', 'kms:Decrypt'];

const ui = {
  status: $('#status'),
  tabs: $('#tabs'),
  editorHost: $('#editor-host'),
  problems: $('#problems'),
  matrix: $('#matrix'),
  stale: $('#stale'),
  actions: $('#matrix-actions'),
  expectSummary: $('#expect-summary'),
  expectList: $('#expect-list'),
  answer: $('#answer'),
  example: $('#example'),
  scrollCue: $('#scroll-cue'),
};

const state = {
  ws: { scenario: 'scenario.json', files: { 'scenario.json': '{}\n' } },
  info: null,
  tab: null,
  actionsText: null, // null: the actions of the scenario's expectations
  lintDiagnostics: new Map(), // path -> Diagnostic[], from `lint`
  scenarioDiagnostics: new Map(), // path -> Diagnostic[], from loading the scenario
  answer: null,
  report: null,
  manifest: null,
  kmsActions: [], // every KMS action, from the engine
  showNextAnswer: false, // a chip or an expectation was clicked: show its answer and its file
  firstErrors: new Map(), // path -> the first error last scrolled to, `code@offset`
};

const editors = new Map(); // path -> Editor
const engine = new Engine();
engine.onCrash = (message) => setStatus(`the engine crashed and was restarted: ${message}`, 'bad');
const form = new RequestForm($('#request'), () => {
  ask();
  saveSoon();
});
const compare = new CompareView({
  root: $('#compare'),
  engine,
  files: () => ({ info: state.info, ws: state.ws }),
  onReveal: (at) => reveal(at),
  onReplay: (values) => {
    // A witness of the compare view, asked of the scenario as it is now.
    form.values = values;
    state.showNextAnswer = true;
    ask();
    saveSoon();
  },
  onChange: () => saveSoon(),
});
const whoCan = new WhoCanView({
  root: $('#whocan'),
  engine,
  files: () => ({ ws: state.ws }),
  onReplay: (values) => {
    // An entry's witness, asked of the scenario as it is now.
    form.values = values;
    state.showNextAnswer = true;
    ask();
    saveSoon();
  },
  onChange: () => saveSoon(),
});

// ---------- status ----------

function setStatus(text, tone = '') {
  ui.status.textContent = text;
  ui.status.className = `status ${tone}`;
}

// ---------- workspace and tabs ----------

function setWorkspace(ws, { tab = null, request = null, actionsText = null, compared = null, whoCanState = null } = {}) {
  for (const ed of editors.values()) ed.root.remove();
  editors.clear();
  state.ws = ws;
  state.info = describe(ws);
  state.actionsText = actionsText;
  state.lintDiagnostics.clear();
  state.scenarioDiagnostics.clear();
  state.report = null;
  ui.stale.hidden = true;
  ui.matrix.classList.remove('stale');
  state.tab = tab && tab in ws.files ? tab : (state.info.tabs.find((t) => t.role === 'key')?.path ?? ws.scenario);
  ui.actions.value = actionsText ?? '';
  ui.actions.placeholder = defaultActions().join(', ');
  fitActions();
  form.values = request ?? firstQuestion();
  renderTabs();
  showTab(state.tab);
  suggest();
  analyze();
  compare.reset(compared);
  whoCan.reset(whoCanState);
}

/** A question to start with: the first expectation, or the first principal and key. */
function firstQuestion() {
  let doc = null;
  try {
    doc = JSON.parse(state.ws.files[state.ws.scenario]);
  } catch {
    doc = null;
  }
  const e = (doc?.expect ?? []).find((x) => x && x.principal && x.key && x.action);
  if (e) return { principal: e.principal, action: e.action, key: e.key, region: '', encryptionContext: '', context: '' };
  return {
    principal: state.info.principals[0] ?? '',
    action: 'kms:Decrypt',
    key: state.info.keys[0] ?? '',
    region: '',
    encryptionContext: '',
    context: '',
  };
}

function defaultActions() {
  return state.info.expectActions.length ? state.info.expectActions : DEFAULT_ACTIONS;
}

function matrixActions() {
  const typed = (state.actionsText ?? '').split(/[\s,]+/).filter(Boolean);
  return typed.length ? typed : defaultActions();
}

function suggest() {
  if (!state.info) return;
  const actions = new Set([...defaultActions(), ...DEFAULT_ACTIONS, ...matrixActions(), ...state.kmsActions]);
  form.suggest({
    'principal-names': state.info.principals,
    'key-names': state.info.keys,
    'action-names': [...actions],
  });
}

function counts(path) {
  const list = diagnosticsOf(path);
  return {
    errors: list.filter((d) => d.severity === 'error').length,
    warnings: list.filter((d) => d.severity !== 'error').length,
  };
}

function renderTabs() {
  let html = '';
  let group = null;
  for (const t of state.info.tabs) {
    if (t.role !== group) {
      if (group !== null) html += '</span>';
      group = t.role;
      html += `<span class="tab-set"><span class="tab-group">${escapeHtml(roleLabel(t.role))}</span>`;
    }
    const c = counts(t.path);
    const badge = c.errors
      ? `<span class="count err" title="${c.errors} error(s)">${c.errors}</span>`
      : c.warnings
        ? `<span class="count warn" title="${c.warnings} finding(s)">${c.warnings}</span>`
        : '';
    const name = t.role === 'scenario' ? t.path : t.role === 'file' ? t.path : t.owner;
    html +=
      `<button type="button" role="tab" class="tab${t.missing ? ' missing' : ''}" data-path="${escapeHtml(t.path)}"` +
      ` aria-selected="${t.path === state.tab}" title="${escapeHtml(t.path)}">${escapeHtml(name)}${badge}</button>`;
  }
  ui.tabs.innerHTML = html + (group !== null ? '</span>' : '');
}

function editorFor(path) {
  let ed = editors.get(path);
  if (!ed) {
    ed = new Editor(ui.editorHost, {
      label: `${path} (JSON)`,
      onInput: (text) => edited(path, text),
    });
    ed.text = state.ws.files[path] ?? '';
    ed.visible = false;
    editors.set(path, ed);
  }
  return ed;
}

function showTab(path) {
  const shown = state.info.tabs.find((t) => t.path === path);
  if (shown?.role === 'key') whoCan.selectKey(shown.owner);
  state.tab = path;
  const tab = state.info.tabs.find((t) => t.path === path);
  for (const [p, ed] of editors) ed.visible = p === path;
  $('#missing')?.remove();
  if (tab?.missing) {
    const div = document.createElement('div');
    div.id = 'missing';
    div.className = 'missing-file';
    div.innerHTML = `<p>The scenario refers to <code>${escapeHtml(path)}</code>, which does not exist yet.</p><button type="button">Create it</button>`;
    div.querySelector('button').addEventListener('click', () => {
      state.ws.files[path] = '{\n  "Version": "2012-10-17",\n  "Statement": []\n}\n';
      div.remove();
      state.info = describe(state.ws, state.info);
      renderTabs();
      compare.fill();
      showTab(path);
      analyze();
      saveSoon();
    });
    ui.editorHost.append(div);
  } else {
    editorFor(path).visible = true;
    applyMarks(path);
  }
  for (const b of ui.tabs.querySelectorAll('.tab')) b.setAttribute('aria-selected', String(b.dataset.path === path));
  renderProblems();
}

ui.tabs.addEventListener('click', (e) => {
  const b = e.target.closest('.tab');
  if (b) {
    showTab(b.dataset.path);
    saveSoon();
  }
});

function edited(path, text) {
  state.ws.files[path] = text;
  if (path === state.ws.scenario) {
    const before = JSON.stringify(state.info.tabs);
    state.info = describe(state.ws, state.info);
    if (JSON.stringify(state.info.tabs) !== before) {
      renderTabs();
      compare.fill();
    }
    whoCan.fill(false);
    ui.actions.placeholder = defaultActions().join(', ');
    suggest();
  }
  compare.edited(path);
  whoCan.edited(path);
  analyzeSoon();
  saveSoon();
}

// ---------- marks and problems ----------

function diagnosticMarks(list) {
  return list.flatMap((d) => {
    const l = d.labels[0];
    if (!l) return [];
    return [{ from: l.start.utf16, to: l.end.utf16, line: l.start.line, endLine: l.end.line, kind: d.severity }];
  });
}

function applyMarks(path) {
  const ed = editors.get(path);
  if (!ed) return;
  const marks = diagnosticMarks(diagnosticsOf(path));
  const fromAnswer = answerMarks(state.answer).get(path) ?? [];
  ed.setMarks([...fromAnswer, ...marks]);
}

function renderProblems() {
  const list = diagnosticsOf(state.tab);
  if (!list.length) {
    ui.problems.innerHTML = '<li class="clean">No problems in this file.</li>';
    return;
  }
  ui.problems.innerHTML = list
    .map((d, i) => {
      const l = d.labels[0];
      const where = l ? `${l.start.line}:${l.start.column}` : '';
      return (
        `<li class="problem sev-${d.severity}" data-i="${i}" data-line="${l?.start.line ?? ''}">` +
        `<button type="button"><span class="where">${where}</span> <span class="msg">${messageHtml(d.message)}</span>` +
        ` <span class="code">${escapeHtml(d.code)}</span></button>` +
        (d.help ? `<p class="help">${messageHtml(d.help)}</p>` : '') +
        '</li>'
      );
    })
    .join('');
}

ui.problems.addEventListener('click', (e) => {
  const li = e.target.closest('.problem');
  if (!li) return;
  const d = diagnosticsOf(state.tab)[Number(li.dataset.i)];
  const l = d?.labels[0];
  if (l) editors.get(state.tab)?.reveal(l.start.utf16, l.end.utf16);
});

/** Show a place (a Location) in its editor. */
function reveal(at) {
  if (!at || !(at.file in state.ws.files)) return;
  showTab(at.file);
  editors.get(at.file)?.reveal(at.start.utf16, at.end.utf16, false);
  $('#files').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

// ---------- engine ----------

let analyzeTimer = 0;
function analyzeSoon() {
  clearTimeout(analyzeTimer);
  analyzeTimer = setTimeout(analyze, 120);
}

function lintFiles() {
  return state.info.tabs
    .filter((t) => t.role !== 'scenario' && !t.missing)
    .map((t) => ({ path: t.path, kind: t.role === 'file' ? null : lintKind(t.role) }));
}

// The scenario (matrix, expectations, answer) and the lint findings are two
// calls, scenario first: the matrix shows before the linter has warmed up.
const runScenario = engine.latest('scenario', (result) => showScenario(result));
const runLint = engine.latest('lint', (result) => showLint(result));
function analyze() {
  runScenario({ workspace: state.ws, actions: matrixActions(), request: form.request(state.info.region) });
  runLint({ workspace: state.ws, lintFiles: lintFiles(), accounts: keyAccounts() });
}

/** The accounts of the scenario's keys: the linter reports access given to any other. */
function keyAccounts() {
  try {
    const doc = JSON.parse(state.ws.files[state.ws.scenario]);
    const ids = Object.values(doc.keys ?? {}).map((k) => /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(k?.arn ?? '')?.[1]);
    return [...new Set(ids.filter(Boolean))];
  } catch {
    return [];
  }
}

const runEvaluate = engine.latest('evaluate', (result, args) => showAnswer(result, args.request));
function ask() {
  const request = form.request(state.info.region);
  if (!request) {
    state.answer = null;
    ui.answer.innerHTML = '<p class="empty">Name a principal, an action and a key.</p>';
    markSelectedChip();
    refreshMarks();
    return;
  }
  runEvaluate({ workspace: state.ws, request });
}

/**
 * A file's diagnostics: the linter's, then the scenario loader's that the
 * linter did not already report (both see a policy's parse errors).
 */
function diagnosticsOf(path) {
  const linted = state.lintDiagnostics.get(path) ?? [];
  const seen = new Set(linted.map((d) => `${d.code}@${d.labels[0]?.start.utf16}`));
  const loaded = (state.scenarioDiagnostics.get(path) ?? []).filter((d) => !seen.has(`${d.code}@${d.labels[0]?.start.utf16}`));
  return [...linted, ...loaded];
}

function showScenario(result) {
  if (!result.ok) {
    // Only a bug gets here (bad input is answered inside the report); the worker has been replaced.
    renderError(ui.matrix, result.error);
    setStatus(`analysis failed: ${result.error.message}`, 'bad');
    return;
  }
  const { scenario, answer, ms } = result.value;
  timings.firstAnalysis ??= performance.now();
  timings.firstAnalysisMs ??= ms;
  state.scenarioDiagnostics.clear();
  if (scenario.ok) {
    const report = scenario.value;
    for (const f of report.diagnostics) state.scenarioDiagnostics.set(f.file, f.diagnostics);
    const broken = report.diagnostics.filter((f) => f.diagnostics.some((d) => d.severity === 'error'));
    if (broken.length && !report.cells.length && state.report?.cells.length) {
      // Keep the last good matrix, dimmed, and say what to fix.
      showStale(broken);
    } else {
      state.report = report;
      ui.stale.hidden = true;
      ui.matrix.classList.remove('stale');
      renderMatrix(ui.matrix, report, selectedChipId());
      renderExpectations(ui.expectList, ui.expectSummary, report);
      if (broken.length) showStale(broken);
    }
    cueScroll();
    const unknown = report.unknownActions.length ? `not KMS actions: ${report.unknownActions.join(', ')}` : '';
    ui.actions.setCustomValidity(unknown);
    ui.actions.title = unknown;
    ui.actions.toggleAttribute('aria-invalid', !!unknown);
    if (timings.firstMatrix === undefined && report.cells.length) {
      timings.firstMatrix = performance.now();
      performance.mark('keyward:first-matrix');
    }
  } else {
    renderError(ui.matrix, scenario.error);
  }
  const request = form.request(state.info.region);
  if (answer && request) showAnswer(answer, request);
  lastMs.scenario = ms;
  problemsChanged();
}

/** The matrix no longer matches the files: say which files to fix. */
function showStale(broken) {
  ui.matrix.classList.add('stale');
  if (!ui.expectSummary.classList.contains('stale')) {
    // The count is the last loaded version's: not a green light for the text as it is.
    ui.expectSummary.className = 'expect-summary stale';
    ui.expectSummary.textContent = `Not checked: the scenario has errors. (Last version that loaded: ${ui.expectSummary.textContent.trim()})`;
  }
  ui.stale.hidden = false;
  ui.stale.innerHTML =
    'The scenario has errors; the matrix shows the last version that loaded. Fix ' +
    broken
      .map((f) => {
        const line = f.diagnostics.find((d) => d.severity === 'error')?.labels[0]?.start.line;
        return `<button type="button" class="link" data-path="${escapeHtml(f.file)}">${escapeHtml(f.file)}${line ? `:${line}` : ''}</button>`;
      })
      .join(', ') +
    '.';
}

function showLint(result) {
  if (!result.ok) {
    setStatus(`lint failed: ${result.error.message}`, 'bad');
    return;
  }
  state.lintDiagnostics.clear();
  for (const [path, env] of Object.entries(result.value.files)) {
    if (env.ok) state.lintDiagnostics.set(path, env.value.diagnostics);
  }
  lastMs.lint = result.value.ms;
  problemsChanged();
}

const lastMs = { scenario: 0, lint: 0 };
function problemsChanged() {
  renderTabs();
  renderProblems();
  refreshMarks();
  scrollToFirstError(state.tab);
  const paths = new Set([...state.lintDiagnostics.keys(), ...state.scenarioDiagnostics.keys()]);
  const errors = [...paths].flatMap(diagnosticsOf).filter((d) => d.severity === 'error').length;
  setStatus(
    `analysed in ${(lastMs.scenario + lastMs.lint).toFixed(1)} ms${errors ? ` · ${errors} error${errors > 1 ? 's' : ''}` : ''}`,
    errors ? 'bad' : 'good',
  );
}

/**
 * When a file's first error is new (the text changed under it) and out of
 * view, scroll its editor there, without moving the caret or the focus.
 */
function scrollToFirstError(path) {
  const first = diagnosticsOf(path).find((d) => d.severity === 'error');
  const l = first?.labels[0];
  const id = l ? `${first.code}@${l.start.utf16}` : null;
  if (state.firstErrors.get(path) === id) return;
  state.firstErrors.set(path, id);
  if (l) editors.get(path)?.scrollToLine(l.start.line);
}

function showAnswer(result, request) {
  if (!result.ok) {
    state.answer = null;
    renderError(ui.answer, result.error);
  } else {
    state.answer = result.value;
    renderAnswer(ui.answer, request, result.value, reveal);
  }
  markSelectedChip();
  refreshMarks();
  if (state.showNextAnswer) {
    state.showNextAnswer = false;
    // The answer may be below the fold: bring it up, and open the file of what decided it.
    const at = result.ok ? result.value.answer.reasons.map(reasonLocation).find(Boolean) : null;
    if (at && at.file in state.ws.files) {
      showTab(at.file);
      editors.get(at.file)?.reveal(at.start.utf16, at.end.utf16, false, false);
    }
    ui.answer.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
}

function refreshMarks() {
  for (const path of editors.keys()) applyMarks(path);
}

// ---------- matrix interaction ----------

function selectedChipId() {
  const v = form.values;
  if (v.encryptionContext.trim() || v.context.trim() || v.region.trim()) return null;
  return `${v.principal.trim()}\u0000${v.key.trim()}\u0000${v.action.trim()}`;
}

function markSelectedChip() {
  const id = selectedChipId();
  for (const b of ui.matrix.querySelectorAll('.chip')) {
    const mine = `${b.dataset.principal}\u0000${b.dataset.key}\u0000${b.dataset.action}`;
    b.setAttribute('aria-pressed', String(mine === id));
  }
}

ui.matrix.addEventListener('click', (e) => {
  const chip = e.target.closest('.chip');
  if (!chip) return;
  const { principal, action, key } = chip.dataset;
  form.values = { principal, action, key, region: '', encryptionContext: '', context: '' };
  state.showNextAnswer = true;
  ask();
  saveSoon();
});

function pickExpectation(row) {
  const e = state.report?.expectations.find((x) => String(x.index) === row.dataset.index);
  if (!e) return;
  const lines = (o) => Object.entries(o ?? {}).flatMap(([k, v]) => [].concat(v).map((x) => `${k}=${x}`)).join('\n');
  form.values = {
    principal: e.principal,
    action: e.action,
    key: e.key,
    region: e.region ?? '',
    encryptionContext: lines(e.encryptionContext),
    context: lines(e.context),
  };
  state.showNextAnswer = true;
  ask();
  saveSoon();
}

ui.expectList.addEventListener('click', (e) => {
  const row = e.target.closest('tr[data-index]');
  if (row) pickExpectation(row);
});
ui.expectList.addEventListener('keydown', (e) => {
  const row = e.target.closest('tr[data-index]');
  if (row && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    pickExpectation(row);
  }
});

ui.stale.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-path]');
  if (!b || !(b.dataset.path in state.ws.files)) return;
  showTab(b.dataset.path);
  const d = diagnosticsOf(b.dataset.path).find((x) => x.severity === 'error');
  const l = d?.labels[0];
  if (l) editors.get(b.dataset.path)?.reveal(l.start.utf16, l.end.utf16);
});

/** The actions field grows with what is typed, so that no action is hidden. */
function fitActions() {
  ui.actions.style.height = 'auto';
  ui.actions.style.height = `${ui.actions.scrollHeight + 2}px`;
}

/** Say so when the matrix is wider than its panel (a phone): columns are hidden. */
function cueScroll() {
  const host = ui.matrix;
  const more = host.scrollWidth - host.clientWidth - host.scrollLeft > 4;
  ui.scrollCue.hidden = !more;
}
ui.matrix.addEventListener('scroll', cueScroll, { passive: true });
window.addEventListener('resize', () => {
  cueScroll();
  fitActions();
});

ui.actions.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') e.preventDefault(); // one list of actions, no new lines
});
ui.actions.addEventListener('input', () => {
  fitActions();
  state.actionsText = ui.actions.value;
  suggest();
  analyzeSoon();
  saveSoon();
});

// ---------- share link ----------

function snapshot() {
  return { v: 1, workspace: state.ws, tab: state.tab, request: form.values, actions: state.actionsText, compare: compare.state, whoCan: whoCan.state };
}

let saveTimer = 0;
function saveSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, 300);
}

async function save() {
  clearTimeout(saveTimer);
  const fragment = await encodeState(snapshot());
  history.replaceState(null, '', `#${fragment}`);
}

$('#share').addEventListener('click', async () => {
  await save();
  const link = location.href;
  try {
    await navigator.clipboard.writeText(link);
    setStatus('link copied: it holds the whole state, and opens offline', 'good');
  } catch {
    const field = $('#share-link');
    field.hidden = false;
    field.value = link;
    field.select();
    setStatus('copy the link from the field above', '');
  }
});

window.addEventListener('hashchange', async () => {
  const restored = await decodeState(location.hash);
  if (restored) restore(restored);
});

function restore(s) {
  setWorkspace(s.workspace, {
    tab: s.tab,
    request: s.request,
    actionsText: s.actions ?? null,
    compared: s.compare ?? null,
    whoCanState: s.whoCan ?? null,
  });
}

// ---------- scenarios: examples, open, download ----------

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

async function loadExample(path, { remember = true, early = null } = {}) {
  const base = 'pkg/scenarios/';
  const text = await (early ?? fetchText(base + path));
  const extra = {};
  await Promise.all(
    fileRefs(text).map(async (ref) => {
      const p = resolvePath(path, ref);
      if (p === null) return;
      try {
        extra[p] = await fetchText(base + p);
      } catch {
        // shown as a missing file, with a button to create it
      }
    }),
  );
  timings.scenarioLoaded ??= performance.now();
  setWorkspace(importScenario(path, text, extra));
  if (remember) save();
}

ui.example.addEventListener('change', () => {
  if (ui.example.value) loadExample(ui.example.value);
});

$('#open').addEventListener('click', () => $('#open-input').click());
$('#open-input').addEventListener('change', async (e) => {
  const picked = await Promise.all([...e.target.files].map(async (f) => ({ name: f.name, text: await f.text() })));
  e.target.value = '';
  if (!picked.length) return;
  const isScenario = (t) => {
    try {
      const d = JSON.parse(t);
      return !!d && typeof d === 'object' && !!(d.principals || d.keys);
    } catch {
      return false;
    }
  };
  const main = picked.find((p) => isScenario(p.text));
  if (!main) {
    // Lone policies join the current workspace as files of their own.
    for (const p of picked) state.ws.files[p.name] = p.text;
    setWorkspace(state.ws, { tab: picked[0].name, request: form.values, actionsText: state.actionsText, compared: compare.state, whoCanState: whoCan.state });
    save();
    return;
  }
  const extra = {};
  const rest = picked.filter((p) => p !== main);
  for (const ref of fileRefs(main.text)) {
    const base = ref.split('/').pop();
    const hit = rest.find((p) => p.name === base);
    const path = resolvePath(main.name, ref);
    if (hit && path !== null) extra[path] = hit.text;
  }
  setWorkspace(importScenario(main.name, main.text, extra));
  save();
});

$('#download').addEventListener('click', () => {
  let text;
  try {
    text = inlineScenario(state.ws);
  } catch {
    setStatus('the scenario is not valid JSON yet; fix it to download', 'bad');
    return;
  }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = state.ws.scenario.split('/').pop() || 'scenario.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

// ---------- boot ----------

async function loadManifest() {
  try {
    state.manifest = JSON.parse(await fetchText('pkg/manifest.json'));
  } catch {
    state.manifest = { scenarios: [{ path: 'seed-matrix.json', title: 'The seed scenario', description: 'seed matrix' }] };
  }
  ui.example.innerHTML =
    '<option value="">Load an example…</option>' +
    state.manifest.scenarios
      .map(
        (s) =>
          `<option value="${escapeHtml(s.path)}" title="${escapeHtml(s.description)}">${escapeHtml(s.title ?? s.path)}</option>`,
      )
      .join('');
}

async function boot() {
  setStatus('loading the engine…');
  const hello = engine.call('hello').then((r) => {
    timings.engineReady = performance.now();
    if (r.ok) {
      timings.wasmLoadMs = r.value.loadMs;
      state.kmsActions = r.value.actions;
      suggest();
    }
    return r;
  });
  const restored = await decodeState(location.hash);
  const manifest = loadManifest();
  if (restored) restore(restored);
  else await loadExample('seed-matrix.json', { remember: false, early: globalThis.keywardEarly?.seed }).catch((e) => setStatus(`cannot load the seed scenario: ${e.message}`, 'bad'));
  const r = await hello;
  if (!r.ok) setStatus(`the engine did not start: ${r.error.message}`, 'bad');
  $('#version').textContent = r.ok ? `keyward ${r.value.version}` : '';
  await manifest;
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

/** A handle for the browser test and for the curious: timings and the benchmark. */
window.keyward = {
  timings,
  state,
  compare,
  whoCan,
  /** Decisions per second over the current scenario's matrix, `rounds` times. */
  bench: (rounds = 200) => engine.call('bench', { workspace: state.ws, actions: matrixActions(), rounds }),
};

boot();
