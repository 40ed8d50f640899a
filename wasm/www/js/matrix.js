// The scenario view: principal × key, one chip per action, each coloured by
// its decision and ringed when it disagrees with the scenario's expectation.

import { escapeHtml } from './highlight.js';

export const DECISION_TEXT = {
  allow: 'Allow',
  'explicit-deny': 'Explicit deny',
  'implicit-deny': 'Implicit deny',
};

const short = (action) => action.replace(/^kms:/, '');
const attr = escapeHtml;

/** The class and words for an answer: the KMS error, if any, wins over an allow. */
export function verdict(answer) {
  if (answer.error) return { cls: 'dec-error', text: answer.error };
  return { cls: `dec-${answer.decision}`, text: DECISION_TEXT[answer.decision] ?? answer.decision };
}

/**
 * Render the matrix into `host`. `report` is a ScenarioReport; `selected`
 * identifies the chip to mark pressed. Expectations without extra request
 * details (context, Region) are shown on their cell.
 */
export function renderMatrix(host, report, selected) {
  if (!report.principals.length || !report.keys.length) {
    host.innerHTML = '<p class="empty">The scenario has no principals or no keys yet.</p>';
    return;
  }
  const cells = new Map(report.cells.map((c) => [`${c.principal}\u0000${c.key}\u0000${c.action}`, c]));
  const expected = new Map();
  for (const e of report.expectations) {
    if (e.plain) expected.set(`${e.principal}\u0000${e.key}\u0000${e.action}`, e);
  }
  let html = '<table class="matrix"><thead><tr><th scope="col" class="corner">principal \\ key</th>';
  for (const k of report.keys) html += `<th scope="col">${escapeHtml(k)}</th>`;
  html += '</tr></thead><tbody>';
  for (const p of report.principals) {
    html += `<tr><th scope="row">${escapeHtml(p)}</th>`;
    for (const k of report.keys) {
      html += '<td><div class="chips">';
      for (const a of report.actions) {
        const id = `${p}\u0000${k}\u0000${a}`;
        const cell = cells.get(id);
        if (!cell) continue;
        const v = verdict(cell.answer);
        const exp = expected.get(id);
        const ring = exp ? (exp.pass ? ' exp-pass' : ' exp-fail') : '';
        const note = exp ? (exp.pass ? ' (as expected)' : ` (expected ${exp.expectedError ?? exp.expected})`) : '';
        const pressed = selected === id ? 'true' : 'false';
        html +=
          `<button type="button" class="chip ${v.cls}${ring}" aria-pressed="${pressed}"` +
          ` data-principal="${attr(p)}" data-key="${attr(k)}" data-action="${attr(a)}"` +
          ` data-decision="${attr(cell.answer.decision)}" data-error="${attr(cell.answer.error ?? '')}"` +
          ` title="${attr(`${p} · ${a} · ${k}: ${v.text}${note}`)}">` +
          `<span class="chip-action">${escapeHtml(short(a))}</span><span class="chip-mark" aria-hidden="true"></span>` +
          `<span class="sr">: ${escapeHtml(v.text + note)}</span></button>`;
      }
      html += '</div></td>';
    }
    html += '</tr>';
  }
  html += '</tbody></table>';
  host.innerHTML = html;
}

/** The expectation list: every `expect` entry with its outcome. */
export function renderExpectations(host, summary, report) {
  const n = report.expectations.length;
  if (!n) {
    summary.textContent = 'No expectations in this scenario.';
    summary.className = 'expect-summary';
    host.innerHTML = '';
    return;
  }
  summary.textContent =
    report.failed === 0 ? `All ${n} expectations hold.` : `${report.failed} of ${n} expectations fail.`;
  summary.className = `expect-summary ${report.failed ? 'bad' : 'good'}`;
  let html = '<table class="expects"><thead><tr><th>principal</th><th>action</th><th>key</th><th>expected</th><th>actual</th></tr></thead><tbody>';
  for (const e of report.expectations) {
    const v = verdict(e.actual);
    html +=
      `<tr class="${e.pass ? 'pass' : 'fail'}" data-index="${e.index}" tabindex="0">` +
      `<td>${escapeHtml(e.principal)}</td><td>${escapeHtml(e.action)}</td><td>${escapeHtml(e.key)}` +
      `${e.region ? ` <small>${escapeHtml(e.region)}</small>` : ''}</td>` +
      `<td>${escapeHtml(e.expectedError ?? e.expected)}</td>` +
      `<td><span class="badge ${v.cls}">${escapeHtml(v.text)}</span> ${e.pass ? '✓' : '✗'}</td></tr>`;
  }
  host.innerHTML = html + '</tbody></table>';
}
