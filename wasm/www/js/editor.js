// A code editor small enough to read: a plain <textarea> (so typing, undo,
// selection, IME and screen readers work as in any text field) over a
// backdrop that paints JSON colours and marks, beside a line-number gutter.

import { paint, tokenize } from './highlight.js';

const LINE_KINDS = ['error', 'warning', 'info', 'allow', 'deny', 'focus'];
const BANDS = new Set(['allow', 'deny', 'focus']);

export class Editor {
  /**
   * @param {HTMLElement} host where the editor is placed
   * @param {{label: string, onInput: (text: string) => void}} options
   */
  constructor(host, { label, onInput }) {
    this.root = document.createElement('div');
    this.root.className = 'editor';
    this.root.innerHTML =
      '<div class="gutter" aria-hidden="true"><div class="gutter-lines"></div></div>' +
      '<div class="code"><div class="bands" aria-hidden="true"><div class="bands-inner"></div></div>' +
      '<pre class="backdrop" aria-hidden="true"><code></code></pre>' +
      '<textarea spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"></textarea></div>';
    host.append(this.root);
    this.gutter = this.root.querySelector('.gutter');
    this.lines = this.root.querySelector('.gutter-lines');
    this.backdrop = this.root.querySelector('.backdrop');
    this.code = this.root.querySelector('code');
    this.bands = this.root.querySelector('.bands-inner');
    this.area = this.root.querySelector('textarea');
    this.area.setAttribute('aria-label', label);
    this.marks = [];
    this.lineCount = 0;
    this.area.addEventListener('input', () => {
      this.render();
      onInput(this.area.value);
    });
    this.area.addEventListener('scroll', () => this.syncScroll());
  }

  /** The current text. */
  get text() {
    return this.area.value;
  }

  /** Replace the text (drops the undo history). */
  set text(value) {
    this.area.value = value;
    this.render();
  }

  /** Show or hide the editor. */
  set visible(on) {
    this.root.hidden = !on;
    if (on) this.syncScroll();
  }

  /**
   * Marks to paint: `{from, to, kind, line, endLine}` with UTF-16 offsets and
   * 1-based lines; kind is one of error, warning, info, allow, deny, focus.
   */
  setMarks(marks) {
    this.marks = marks;
    this.render();
  }

  /**
   * Select `from..to` (or put the caret at `from` when `select` is false) and
   * scroll it into view; `focus` false leaves the keyboard focus where it is.
   */
  reveal(from, to, select = true, focus = true) {
    if (focus) this.area.focus({ preventScroll: true });
    this.area.setSelectionRange(from, select ? Math.max(from, to) : from);
    this.scrollToLine(this.area.value.slice(0, from).split('\n').length);
  }

  /** Scroll so that 1-based `line` is in view (a third from the top), unless it already is. */
  scrollToLine(line) {
    if (this.lineVisible(line)) return;
    const lineHeight = this.lineHeight();
    this.area.scrollTop = Math.max(0, (line - 1) * lineHeight - this.area.clientHeight / 3);
    this.syncScroll();
  }

  /** Whether 1-based `line` is within the visible part of the text. */
  lineVisible(line) {
    const lineHeight = this.lineHeight();
    const top = (line - 1) * lineHeight;
    return top >= this.area.scrollTop && top <= this.area.scrollTop + this.area.clientHeight - 2 * lineHeight;
  }

  lineHeight() {
    return parseFloat(getComputedStyle(this.area).lineHeight) || 20;
  }

  render() {
    const text = this.area.value;
    const inline = this.marks.filter((m) => !BANDS.has(m.kind));
    // A trailing space line lets the backdrop scroll as far as the textarea.
    this.code.innerHTML = paint(text, tokenize(text), inline) + '\n ';
    this.renderBands();
    this.renderGutter(text);
    this.syncScroll();
  }

  /** Statements (allow, deny, focus) are painted as whole-line bands. */
  renderBands() {
    const style = getComputedStyle(this.area);
    const lineHeight = parseFloat(style.lineHeight) || 20;
    const top = parseFloat(style.paddingTop) || 0;
    this.bands.innerHTML = this.marks
      .filter((m) => BANDS.has(m.kind))
      .map((m) => {
        const lines = Math.max(1, (m.endLine ?? m.line) - m.line + 1);
        return `<div class="band band-${m.kind}" style="top:${top + (m.line - 1) * lineHeight}px;height:${lines * lineHeight}px"></div>`;
      })
      .join('');
  }

  renderGutter(text) {
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const byLine = new Map();
    for (const m of this.marks) {
      const last = Math.max(m.line, m.endLine ?? m.line);
      // Diagnostics mark their first line; statements mark every line they cover.
      const spread = m.kind === 'allow' || m.kind === 'deny' || m.kind === 'focus';
      for (let l = m.line; l <= (spread ? last : m.line); l++) {
        if (!byLine.has(l)) byLine.set(l, new Set());
        byLine.get(l).add(m.kind);
      }
    }
    let html = '';
    for (let l = 1; l <= count; l++) {
      const kinds = byLine.get(l);
      const cls = kinds ? LINE_KINDS.filter((k) => kinds.has(k)).map((k) => `ln-${k}`).join(' ') : '';
      html += cls ? `<div class="${cls}" data-line="${l}">${l}</div>` : `<div data-line="${l}">${l}</div>`;
    }
    this.lines.innerHTML = html;
    this.lineCount = count;
  }

  syncScroll() {
    const { scrollTop, scrollLeft } = this.area;
    this.backdrop.scrollTop = scrollTop;
    this.backdrop.scrollLeft = scrollLeft;
    this.gutter.scrollTop = scrollTop;
    this.bands.style.transform = `translateY(${-scrollTop}px)`;
  }
}
