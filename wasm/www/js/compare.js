// The compare view: one policy of the workspace before and after a change,
// and the access gained and lost between them, decided over every request
// (the `compare` export: `keyward diff --format json`'s changes). The
// "after" is the file as edited above; the "before" is an editor of its own,
// holding the file as it was when the scenario was loaded until "Use the
// current text as before". Each change shows one witness request with both
// versions' answers, and replays in the Ask panel.

import { reasonLocation } from './answer.js';
import { Editor } from './editor.js';
import { escapeHtml, messageHtml } from './highlight.js';
import { verdict } from './matrix.js';

/** The roles whose files can be compared, and the policy kind of each. */
const KINDS = { key: 'key', identity: 'identity', file: null };

/** `k=v` lines for the request form, from a JSON object of strings or lists. */
export function pairLines(obj) {
  return Object.entries(obj ?? {})
    .flatMap(([k, v]) => [].concat(v).map((x) => `${k}=${x}`))
    .join('\n');
}

/** The request form's values that replay `witness` (a WitnessJson). */
export function replayValues(witness) {
  return {
    principal: witness.principal,
    action: witness.action,
    key: witness.key,
    region: witness.region ?? '',
    encryptionContext: pairLines(witness.encryptionContext),
    context: pairLines(witness.context),
  };
}

/** The comparable files of a workspace description (`describe()`): `{path, label, kind, keyArn}`. */
export function comparable(info, scenarioText) {
  let doc = null;
  try {
    doc = JSON.parse(scenarioText);
  } catch {
    doc = null;
  }
  return info.tabs
    .filter((t) => t.role in KINDS && !t.missing)
    .map((t) => {
      const arn = t.role === 'key' ? doc?.keys?.[t.owner]?.arn : null;
      return {
        path: t.path,
        label: t.role === 'file' ? t.path : `${t.owner} (${t.role === 'key' ? 'key policy' : 'IAM policy'})`,
        kind: KINDS[t.role],
        keyArn: typeof arn === 'string' ? arn : null,
      };
    });
}

function reasonsHtml(answer, side) {
  if (!answer) return '';
  const v = verdict(answer);
  let html = `<div class="side"><p class="side-head"><span class="badge ${v.cls}">${escapeHtml(v.text)}</span> ${escapeHtml(side)}</p><ol class="reasons">`;
  answer.reasons.forEach((r, i) => {
    const at = reasonLocation(r);
    const cls = r.effect === 'Allow' ? 'reason-allow' : r.effect === 'Deny' ? 'reason-deny' : r.kind === 'consulted' ? 'reason-consulted' : 'reason-note';
    html += `<li class="${cls}">`;
    html += at
      ? `<button type="button" class="reason-link" data-side="${side}" data-reason="${i}">${messageHtml(r.message)} <span class="where">${escapeHtml(`${at.file}:${at.start.line}`)}</span></button>`
      : messageHtml(r.message);
    html += '</li>';
  });
  return `${html}</ol></div>`;
}

function requestHtml(w) {
  const parts = [`<code>${escapeHtml(w.principal)}</code> calls <code>${escapeHtml(w.action)}</code> on <code>${escapeHtml(w.key)}</code>`];
  if (w.region) parts.push(`in <code>${escapeHtml(w.region)}</code>`);
  const ctx = pairLines(w.context);
  if (ctx) parts.push(`with context <code>${escapeHtml(ctx.replaceAll('\n', ', '))}</code>`);
  const ec = pairLines(w.encryptionContext);
  if (ec) parts.push(`with encryption context <code>${escapeHtml(ec.replaceAll('\n', ', '))}</code>`);
  return parts.join(' ');
}

/** The most actions listed before the rest is folded away. */
const SHOWN_ACTIONS = 6;

function actionsHtml(actions) {
  const code = (a) => `<code>${escapeHtml(a)}</code>`;
  if (actions.length <= SHOWN_ACTIONS + 1) return actions.map(code).join(', ');
  const rest = actions.slice(SHOWN_ACTIONS);
  return (
    `${actions.slice(0, SHOWN_ACTIONS).map(code).join(', ')} ` +
    `<details class="more-actions"><summary>and ${rest.length} more</summary>${rest.map(code).join(', ')}</details>`
  );
}

/** One change (a ChangeJson) as a list item; `i` is its index. */
export function changeHtml(c, i) {
  const gained = c.change === 'gained';
  const w = c.example;
  const when = c.when.map((alt) => (alt.length ? `when ${alt.map(escapeHtml).join('; ')}` : 'always'));
  // `answer` is the version that allows the request; `baseAnswer` the other.
  const [after, before] = gained ? [w.answer, w.baseAnswer] : [w.baseAnswer, w.answer];
  const at = w.statement;
  return (
    `<li class="change ${gained ? 'gained' : 'lost'}" data-change="${c.change}" data-index="${i}">` +
    `<div class="change-head"><span class="badge ${gained ? 'dec-allow' : 'dec-explicit-deny'}">${gained ? '+ gained' : '− lost'}</span> ` +
    `<b>${escapeHtml(c.principalClass)}</b> ${gained ? 'can now call' : 'can no longer call'} ` +
    `${actionsHtml(c.actions)}</div>` +
    `<p class="when">${when.join('<br>or ')}</p>` +
    `<p class="witness">e.g. ${requestHtml(w)}</p>` +
    (w.callerPolicies ? `<p class="note">assumed: ${escapeHtml(w.callerPolicies.description)}</p>` : '') +
    (at ? `<p class="note">${gained ? 'granted by' : 'was granted by'} statement <code>${escapeHtml(at.statement)}</code> at ${escapeHtml(`${at.file}:${at.line}:${at.column}`)}</p>` : '') +
    `<div class="sides">${reasonsHtml(before, 'before')}${reasonsHtml(after, 'after')}</div>` +
    `<button type="button" class="replay" data-index="${i}">Replay in Ask</button>` +
    '</li>'
  );
}

/** The verdict line of a CompareReport. */
export function summaryText(report) {
  if (!report.diff) return 'Not compared: fix the errors first.';
  const changes = report.diff.changes;
  const gained = changes.filter((c) => c.change === 'gained').length;
  const lost = changes.length - gained;
  const n = `${report.diff.classes} class${report.diff.classes === 1 ? '' : 'es'} of requests decided`;
  const found = `${gained} gain${gained === 1 ? '' : 's'} and ${lost} loss${lost === 1 ? '' : 'es'} of access`;
  if (report.diff.unknown) return `Incomplete (${n}${changes.length ? `; ${found} found` : ''}): ${report.diff.unknown}`;
  if (!changes.length) return `No change of access (${n}).`;
  return `${found} (${n}).`;
}

export class CompareView {
  /**
   * @param {{root: HTMLElement, engine: import('./engine.js').Engine,
   *   files: () => {info: object, ws: object}, onReveal: (at: object) => void,
   *   onReplay: (values: object) => void, onChange: () => void}} options
   */
  constructor({ root, engine, files, onReveal, onReplay, onChange }) {
    this.root = root;
    this.files = files;
    this.onReveal = onReveal;
    this.onReplay = onReplay;
    this.onChange = onChange;
    this.select = root.querySelector('#compare-file');
    this.result = root.querySelector('#compare-result');
    this.summary = root.querySelector('#compare-summary');
    this.before = new Editor(root.querySelector('#compare-before'), {
      label: 'the policy before the change (JSON)',
      onInput: (text) => {
        this.baselines.set(this.path, text);
        this.soon();
        this.onChange();
      },
    });
    this.baselines = new Map(); // path -> the text compared against
    this.path = null;
    this.report = null;
    this.timer = 0;
    this.run = engine.latest('compare', (result) => this.show(result));
    root.addEventListener('toggle', () => {
      if (root.open) this.refresh();
      this.onChange();
    });
    this.select.addEventListener('change', () => {
      this.choose(this.select.value);
      this.onChange();
    });
    root.querySelector('#compare-reset').addEventListener('click', () => {
      this.baselines.set(this.path, this.files().ws.files[this.path] ?? '');
      this.before.text = this.baselines.get(this.path);
      this.refresh();
      this.onChange();
    });
    this.result.addEventListener('click', (e) => this.clicked(e));
  }

  /** A new workspace: every file's current text becomes its "before". */
  reset(saved = null) {
    const { ws } = this.files();
    this.baselines = new Map(Object.entries(ws.files));
    this.report = null;
    this.fill(saved?.path);
    if (saved && typeof saved.before === 'string' && this.path === saved.path) {
      this.baselines.set(this.path, saved.before);
      this.before.text = saved.before;
    }
    if (saved?.open) this.root.open = true;
    this.refresh();
  }

  /** The tabs changed (a file was created or the scenario edited): keep the choice. */
  fill(preferred = this.path) {
    const { info, ws } = this.files();
    this.options = comparable(info, ws.files[ws.scenario]);
    this.select.innerHTML = this.options
      .map((o) => `<option value="${escapeHtml(o.path)}">${escapeHtml(o.label)}</option>`)
      .join('');
    const keep = this.options.find((o) => o.path === preferred) ?? this.options[0];
    this.choose(keep?.path ?? null, false);
  }

  choose(path, run = true) {
    this.path = path;
    if (path !== null) this.select.value = path;
    if (path !== null && !this.baselines.has(path)) this.baselines.set(path, this.files().ws.files[path] ?? '');
    this.before.text = path === null ? '' : this.baselines.get(path);
    if (run) this.refresh();
  }

  /** A file of the workspace was edited (the scenario holds the key ARNs). */
  edited(path) {
    if (path === this.path || path === this.files().ws.scenario) this.soon();
  }

  /** What the share link keeps. */
  get state() {
    return { open: this.root.open, path: this.path, before: this.path === null ? null : this.baselines.get(this.path) };
  }

  soon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 200);
  }

  refresh() {
    if (!this.root.open) return;
    const { info, ws } = this.files();
    const option = comparable(info, ws.files[ws.scenario]).find((o) => o.path === this.path);
    if (!option) {
      this.summary.textContent = 'The scenario has no policy to compare yet.';
      this.result.innerHTML = '';
      return;
    }
    const input = { before: this.baselines.get(this.path) ?? '', after: ws.files[this.path] ?? '', name: this.path };
    if (option.kind) input.kind = option.kind;
    if (option.keyArn) input.key = option.keyArn;
    this.summary.textContent = 'Comparing…';
    this.run(input);
  }

  show(envelope) {
    if (!envelope.ok || !envelope.value.result.ok) {
      const error = envelope.ok ? envelope.value.result.error : envelope.error;
      this.report = null;
      this.summary.textContent = '';
      this.result.innerHTML = `<p class="engine-error"><b>cannot compare:</b> ${messageHtml(error.message)}</p>`;
      return;
    }
    const report = envelope.value.result.value;
    this.report = report;
    this.root.dataset.result = report.result;
    this.ms = envelope.value.ms;
    this.summary.textContent = `${summaryText(report)} · ${this.ms.toFixed(0)} ms`;
    this.summary.className = `compare-summary result-${report.result}`;
    let html = '';
    for (const [side, list] of [['before', report.before], ['after', report.after]]) {
      for (const d of list.filter((x) => x.severity === 'error')) {
        const l = d.labels[0];
        html += `<p class="engine-error">${side}${l ? ` ${l.start.line}:${l.start.column}` : ''}: ${messageHtml(d.message)}</p>`;
      }
    }
    const changes = report.diff?.changes ?? [];
    if (changes.length) html += `<ol class="changes">${changes.map(changeHtml).join('')}</ol>`;
    this.result.innerHTML = html;
  }

  clicked(e) {
    const replay = e.target.closest('.replay');
    const change = this.report?.diff?.changes[Number(e.target.closest('.change')?.dataset.index)];
    if (!change) return;
    if (replay) {
      this.onReplay(replayValues(change.example));
      return;
    }
    const link = e.target.closest('.reason-link');
    if (!link) return;
    const gained = change.change === 'gained';
    const w = change.example;
    const side = link.dataset.side;
    const answer = (side === 'after') === gained ? w.answer : w.baseAnswer;
    const at = reasonLocation(answer.reasons[Number(link.dataset.reason)]);
    if (!at) return;
    if (at.file === this.report.beforeName) {
      this.before.reveal(at.start.utf16, at.end.utf16, false);
    } else {
      this.onReveal(at);
    }
  }
}
