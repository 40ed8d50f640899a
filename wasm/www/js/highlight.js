// JSON colouring and range marks, painted as HTML behind the editor's textarea.

const TOKEN = /("(?:[^"\\\n]|\\.)*"?)(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],:])/g;

/** Above this size the editor paints marks only, without syntax colours. */
const COLOUR_LIMIT = 200_000;

/**
 * Tokens of a JSON text as `{from, to, cls}`, sorted and disjoint. Tolerant of
 * broken input: whatever is not recognised is left plain.
 */
export function tokenize(text) {
  if (text.length > COLOUR_LIMIT) return [];
  const out = [];
  for (const m of text.matchAll(TOKEN)) {
    const from = m.index;
    if (m[1] !== undefined) {
      out.push({ from, to: from + m[1].length, cls: m[2] ? 'tk-key' : 'tk-str' });
    } else if (m[3] !== undefined) {
      out.push({ from, to: from + m[0].length, cls: 'tk-num' });
    } else if (m[4] !== undefined) {
      out.push({ from, to: from + m[0].length, cls: 'tk-lit' });
    } else {
      out.push({ from, to: from + 1, cls: 'tk-punct' });
    }
  }
  return out;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeHtml = (s) => String(s).replace(/[&<>"]/g, (c) => ESC[c]);

/** A message as HTML: escaped, with `quoted` input shown as code. */
export const messageHtml = (s) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');

/**
 * HTML for `text` with token colours and marks. A mark is
 * `{from, to, kind}` in UTF-16 offsets; marks may overlap; an empty mark is
 * drawn as a thin caret so a point diagnostic stays visible.
 */
export function paint(text, tokens, marks) {
  const n = text.length;
  const clamp = (x) => Math.max(0, Math.min(n, x | 0));
  const spans = [];
  const points = [];
  for (const m of marks) {
    const from = clamp(m.from);
    const to = clamp(m.to);
    if (to > from) spans.push({ from, to, cls: `mk mk-${m.kind}` });
    else points.push({ at: from, cls: `pt pt-${m.kind}` });
  }
  const cuts = new Set([0, n]);
  for (const t of tokens) cuts.add(t.from).add(t.to);
  for (const s of spans) cuts.add(s.from).add(s.to);
  for (const p of points) cuts.add(p.at);
  const edges = [...cuts].sort((a, b) => a - b);

  let html = '';
  let ti = 0;
  let pi = 0;
  points.sort((a, b) => a.at - b.at);
  for (let i = 0; i < edges.length; i++) {
    const a = edges[i];
    while (pi < points.length && points[pi].at === a) html += `<span class="${points[pi++].cls}"></span>`;
    const b = edges[i + 1];
    if (b === undefined || b === a) continue;
    while (ti < tokens.length && tokens[ti].to <= a) ti++;
    const classes = [];
    if (ti < tokens.length && tokens[ti].from <= a) classes.push(tokens[ti].cls);
    for (const s of spans) if (s.from <= a && s.to >= b) classes.push(s.cls);
    const chunk = escapeHtml(text.slice(a, b));
    html += classes.length ? `<span class="${classes.join(' ')}">${chunk}</span>` : chunk;
  }
  return html;
}
