// The who-can and what-can views: who can be allowed each action on a key
// of the scenario, and what a principal of the scenario can be allowed on
// its keys (the `whoCan` and `whatCan` exports of the analysis module:
// `keyward who-can --format json`'s entries). Entries that differ only in
// their action are shown together: who, how, when, what KMS answers, why,
// and a button that replays the witness in the Ask panel.

import { escapeHtml, messageHtml } from './highlight.js';
import { replayValues } from './compare.js';

const HOW = {
  'key-policy': 'the key policy',
  'key-policy-and-iam': 'IAM, through the key policy’s delegation',
  grant: 'a grant',
  'retiring-principal': 'retiring a grant',
};

/** How, for people (an entry's `via`). */
export function howText(via) {
  return via.map((v) => HOW[v] ?? v).join(' and ');
}

/** When, for people (an entry's `conditional` and `conditions`). */
export function whenText(entry) {
  if (!entry.conditional) return 'always';
  if (!entry.conditions.length) return 'under some conditions';
  return entry.conditions.map((alt) => `when ${alt.join(' and ')}`).join('; or ');
}

/** Who, for people: the ARN (or class), the scenario's name, the kind of class. */
export function whoText(entry) {
  const name = entry.name ? ` (${entry.name})` : '';
  return entry.kind === 'principal' ? `${entry.principal}${name}` : `${entry.principal}${name} [${entry.kind}]`;
}

/** Why a witness cannot be asked in the Ask panel, or null when it can. */
export function notReplayable(witness) {
  if (witness.callerPolicies) return 'the class’s own IAM policies are assumed to allow it; the scenario cannot say';
  if (witness.newGrant) return 'it asks for a grant, which the Ask panel cannot';
  return null;
}

/**
 * Entries grouped as people read them: one group per principal (or class),
 * key, how, when and KMS error, with every action it covers.
 */
export function groups(entries) {
  const out = new Map();
  for (const e of entries) {
    const id = JSON.stringify([whoText(e), e.key, e.via, whenText(e), e.error]);
    if (!out.has(id)) out.set(id, { first: e, actions: [] });
    out.get(id).actions.push(e.action);
  }
  return [...out.values()];
}

/** The summary line of a report. */
export function summaryText(report, query) {
  const n = report.entries.length;
  const who = new Set(report.entries.map((e) => (query === 'what-can' ? e.key : whoText(e)))).size;
  const head =
    n === 0
      ? query === 'what-can'
        ? 'Nothing is allowed.'
        : 'Nobody can be allowed.'
      : `${n} entr${n === 1 ? 'y' : 'ies'} over ${who} ${query === 'what-can' ? `key${who === 1 ? '' : 's'}` : `principal${who === 1 ? '' : 's'} or classes`}.`;
  if (report.complete) return head;
  return `${head} Incomplete: ${report.unknown.map((u) => `${u.principal} on ${u.key}: ${u.reason}`).join('; ')}`;
}

function groupHtml(g, i, query) {
  const e = g.first;
  const why = notReplayable(e.witness);
  const reasons = e.reasons.filter((r) => r.effect === 'Allow' || r.kind === 'call-fails');
  return (
    `<li class="change entry kind-${e.kind}${e.error ? ' fails' : ' allowed'}" data-index="${i}">` +
    `<div class="change-head"><span class="badge ${e.error ? 'dec-implicit-deny' : 'dec-allow'}">${escapeHtml(e.kind)}</span> ` +
    (query === 'what-can' ? `on <code>${escapeHtml(e.key)}</code>` : `<b>${escapeHtml(whoText(e))}</b>`) +
    `: ${g.actions.map((a) => `<code>${escapeHtml(a)}</code>`).join(', ')}</div>` +
    `<p class="when">via ${escapeHtml(howText(e.via))} · ${escapeHtml(whenText(e))}` +
    (e.error ? ` · <span class="kms-error">but KMS answers <code>${escapeHtml(e.error)}</code></span>` : '') +
    '</p>' +
    `<ol class="reasons">${reasons.map((r) => `<li>${messageHtml(r.message)}</li>`).join('')}</ol>` +
    (why
      ? `<button type="button" class="replay" data-index="${i}" disabled title="${escapeHtml(why)}">Replay in Ask</button> <span class="note">${escapeHtml(why)}</span>`
      : `<button type="button" class="replay" data-index="${i}">Replay in Ask</button>`) +
    '</li>'
  );
}

/** The keys and principals of the scenario text, by name (empty while it does not parse). */
export function scenarioNames(text) {
  let doc = null;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = null;
  }
  const names = (o) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : []);
  return { keys: names(doc?.keys), principals: names(doc?.principals) };
}

/** The questions the view asks, in the values of its mode menu. */
const MODES = ['who-can', 'what-can'];

/**
 * The parts of a saved view state (from a share link) that can be applied:
 * `{open?, mode?, chosen, actions?}`, each field present only when it has
 * the right type. A link made before the view was saved, or a crafted one,
 * gives `{chosen: {}}`: nothing to apply.
 */
export function savedView(saved) {
  const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
  const s = isObject(saved) ? saved : {};
  const out = { chosen: {} };
  if (typeof s.open === 'boolean') out.open = s.open;
  if (MODES.includes(s.mode)) out.mode = s.mode;
  if (typeof s.actions === 'string') out.actions = s.actions;
  for (const m of MODES) {
    if (isObject(s.chosen) && typeof s.chosen[m] === 'string') out.chosen[m] = s.chosen[m];
  }
  return out;
}

export class WhoCanView {
  /**
   * @param {{root: HTMLElement, engine: import('./engine.js').Engine,
   *   files: () => {ws: object}, onReplay: (values: object) => void,
   *   onChange?: () => void}} options
   */
  constructor({ root, engine, files, onReplay, onChange = () => {} }) {
    this.root = root;
    this.files = files;
    this.onReplay = onReplay;
    this.onChange = onChange;
    this.mode = root.querySelector('#whocan-mode');
    this.subject = root.querySelector('#whocan-subject');
    this.actions = root.querySelector('#whocan-actions');
    this.summary = root.querySelector('#whocan-summary');
    this.result = root.querySelector('#whocan-result');
    this.chosen = { 'who-can': null, 'what-can': null };
    this.groups = [];
    this.timer = 0;
    this.run = engine.latest('reverse', (result, args) => this.show(result, args));
    root.addEventListener('toggle', () => {
      if (root.open) this.refresh();
      this.onChange();
    });
    this.mode.addEventListener('change', () => {
      this.fill();
      this.onChange();
    });
    this.subject.addEventListener('change', () => {
      this.chosen[this.mode.value] = this.subject.value;
      this.refresh();
      this.onChange();
    });
    this.actions.addEventListener('input', () => {
      this.soon();
      this.onChange();
    });
    this.result.addEventListener('click', (e) => {
      const b = e.target.closest('.replay');
      const g = b && this.groups[Number(b.dataset.index)];
      if (g && !b.disabled) this.onReplay(replayValues(g.first.witness));
    });
  }

  /** The key (by scenario name) whose policy is being edited: who-can asks about it. */
  selectKey(name) {
    if (!name || this.chosen['who-can'] === name) return;
    this.chosen['who-can'] = name;
    if (this.mode.value === 'who-can') this.fill();
  }

  /** What the share link keeps: open or not, the question, the choice of each question, the actions typed. */
  get state() {
    return { open: this.root.open, mode: this.mode.value, chosen: { ...this.chosen }, actions: this.actions.value };
  }

  /**
   * A new workspace: apply what `saved` (a `state` from a share link) holds
   * and keep the rest as it is; a choice the scenario no longer has falls
   * back as `fill` does. Then ask again, if the view is open.
   */
  reset(saved = null) {
    const s = savedView(saved);
    if (s.mode) this.mode.value = s.mode;
    if (s.actions !== undefined) this.actions.value = s.actions;
    Object.assign(this.chosen, s.chosen);
    const opening = s.open === true && !this.root.open;
    if (s.open !== undefined) this.root.open = s.open;
    // Opening fires `toggle`, which asks; otherwise ask here.
    this.fill(!opening);
  }

  /** The scenario changed: offer its keys or principals, keeping the choice (and ask again, unless `run` is false). */
  fill(run = true) {
    const { ws } = this.files();
    const names = scenarioNames(ws.files[ws.scenario]);
    const list = this.mode.value === 'who-can' ? names.keys : names.principals;
    this.subject.setAttribute('aria-label', this.mode.value === 'who-can' ? 'The key' : 'The principal');
    this.subject.innerHTML = list.map((n) => `<option value="${escapeHtml(n)}">${escapeHtml(n)}</option>`).join('');
    const keep = list.includes(this.chosen[this.mode.value]) ? this.chosen[this.mode.value] : list[0] ?? null;
    if (keep !== null) this.subject.value = keep;
    this.chosen[this.mode.value] = keep;
    if (run) this.refresh();
  }

  /** A file of the workspace was edited. */
  edited() {
    this.soon();
  }

  soon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 300);
  }

  refresh() {
    if (!this.root.open) return;
    const { ws } = this.files();
    const query = this.mode.value;
    const subject = this.chosen[query];
    if (!subject) {
      this.summary.textContent = query === 'who-can' ? 'The scenario has no key yet.' : 'The scenario has no principal yet.';
      this.result.innerHTML = '';
      return;
    }
    const actions = this.actions.value
      .split(/[\s,]+/)
      .map((a) => a.trim())
      .filter(Boolean);
    const input = query === 'who-can' ? { workspace: ws, key: subject, actions } : { workspace: ws, principal: subject, actions };
    this.summary.textContent = 'Deciding…';
    this.run({ query, input });
  }

  show(envelope, args) {
    const query = args.query;
    if (!envelope.ok || !envelope.value.result.ok) {
      const error = envelope.ok ? envelope.value.result.error : envelope.error;
      this.groups = [];
      this.summary.textContent = '';
      this.result.innerHTML = `<p class="engine-error"><b>cannot answer:</b> ${messageHtml(error.message)}</p>`;
      return;
    }
    const report = envelope.value.result.value;
    this.report = report;
    this.groups = groups(report.entries);
    this.root.dataset.entries = String(report.entries.length);
    this.summary.textContent = `${summaryText(report, query)} · ${envelope.value.ms.toFixed(0)} ms`;
    this.result.innerHTML = this.groups.length ? `<ol class="changes entries">${this.groups.map((g, i) => groupHtml(g, i, query)).join('')}</ol>` : '';
  }
}
