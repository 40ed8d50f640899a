// The answer to one request: the decision, any KMS error, and the reasons,
// each linked to the statement (or grant) it comes from.

import { escapeHtml, messageHtml } from './highlight.js';
import { verdict } from './matrix.js';

/** Where a reason points: the place of the statement or grant it names (a Location), or null. */
export function reasonLocation(r) {
  return r.statement?.location ?? r.grant?.location ?? null;
}

const EFFECT_CLASS = { Allow: 'reason-allow', Deny: 'reason-deny' };

/**
 * Render `asked` (an AnsweredRequest: notes and the Answer) for `question`
 * ({principal, action, key}) into `host`. Reasons located in a file become
 * buttons calling `onReveal(location)`.
 */
export function renderAnswer(host, question, asked, onReveal) {
  const answer = asked.answer;
  const v = verdict(answer);
  const may = answer.decision === 'allow' && !answer.error;
  let html =
    `<div class="verdict"><span class="badge big ${v.cls}" data-decision="${escapeHtml(answer.decision)}">${escapeHtml(v.text)}</span>` +
    `<p class="question"><b>${escapeHtml(question.principal)}</b> ${may ? 'may' : 'may not'} call ` +
    `<code>${escapeHtml(question.action)}</code> on <b>${escapeHtml(question.key)}</b>` +
    `${question.region ? ` in <code>${escapeHtml(question.region)}</code>` : ''}</p></div>`;
  if (answer.error && answer.decision === 'allow') {
    html += `<p class="note">Authorized, but the key refuses the call: <code>${escapeHtml(answer.error)}</code>.</p>`;
  }
  for (const note of asked.notes ?? []) html += `<p class="note">${messageHtml(note)}</p>`;
  html += '<ol class="reasons">';
  answer.reasons.forEach((r, i) => {
    const at = reasonLocation(r);
    const where = at ? `${at.file}:${at.start.line}` : '';
    const cls = EFFECT_CLASS[r.effect] ?? (r.kind === 'consulted' ? 'reason-consulted' : 'reason-note');
    html += `<li class="${cls}" data-kind="${escapeHtml(r.kind)}">`;
    html += where
      ? `<button type="button" class="reason-link" data-reason="${i}">${messageHtml(r.message)} <span class="where">${escapeHtml(where)}</span></button>`
      : messageHtml(r.message);
    if (r.help) html += `<p class="reason-help">${messageHtml(r.help)}</p>`;
    html += '</li>';
  });
  html += '</ol>';
  host.innerHTML = html;
  host.querySelectorAll('.reason-link').forEach((b) => {
    b.addEventListener('click', () => onReveal(reasonLocation(answer.reasons[Number(b.dataset.reason)])));
  });
}

/** Editor marks for the statements and grants an answer (an AnsweredRequest) rests on, by file. */
export function answerMarks(asked) {
  const byFile = new Map();
  for (const r of asked?.answer?.reasons ?? []) {
    const at = reasonLocation(r);
    if (!at) continue;
    const kind = r.effect === 'Deny' ? 'deny' : r.effect === 'Allow' ? 'allow' : 'focus';
    if (!byFile.has(at.file)) byFile.set(at.file, []);
    byFile.get(at.file).push({ from: at.start.utf16, to: at.end.utf16, line: at.start.line, endLine: at.end.line, kind });
  }
  return byFile;
}

/** Render an error envelope's error. */
export function renderError(host, error) {
  const internal = error.code === 'internal';
  host.innerHTML =
    `<p class="engine-error"><b>${internal ? 'keyward failed' : 'cannot answer'}:</b> ${messageHtml(error.message)}` +
    `${internal ? ' This is a bug in keyward; edit anything to try again.' : ''}</p>`;
}
