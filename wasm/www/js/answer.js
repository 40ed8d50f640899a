// The answer to one request: the decision, any KMS error, and the reasons,
// each linked to the statement (or grant) it comes from.

import { escapeHtml, messageHtml } from './highlight.js';
import { verdict } from './matrix.js';

/**
 * Render `answer` (an Answer) for `question` ({principal, action, key}) into
 * `host`. Reasons located in a file become buttons calling `onReveal(reason)`.
 */
export function renderAnswer(host, question, answer, onReveal) {
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
  if (answer.delegated !== null && answer.delegated !== undefined) {
    html += `<p class="note">The key policy ${answer.delegated ? 'delegates' : 'does not delegate'} this action to IAM policies.</p>`;
  }
  html += '<ol class="reasons">';
  answer.reasons.forEach((r, i) => {
    const where = r.file && r.start ? `${r.file}:${r.start.line}` : '';
    const cls = r.effect ? `reason-${r.effect}` : 'reason-note';
    html += `<li class="${cls}">`;
    html += where
      ? `<button type="button" class="reason-link" data-reason="${i}">${messageHtml(r.message)} <span class="where">${escapeHtml(where)}</span></button>`
      : messageHtml(r.message);
    html += '</li>';
  });
  html += '</ol>';
  host.innerHTML = html;
  host.querySelectorAll('.reason-link').forEach((b) => {
    b.addEventListener('click', () => onReveal(answer.reasons[Number(b.dataset.reason)]));
  });
}

/** Editor marks for the statements and grants an answer rests on, by file. */
export function answerMarks(answer) {
  const byFile = new Map();
  for (const r of answer?.reasons ?? []) {
    if (!r.file || !r.start || !r.end) continue;
    const kind = r.effect === 'deny' ? 'deny' : r.effect === 'allow' ? 'allow' : 'focus';
    if (!byFile.has(r.file)) byFile.set(r.file, []);
    byFile.get(r.file).push({ from: r.start.offset, to: r.end.offset, line: r.start.line, endLine: r.end.line, kind });
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
