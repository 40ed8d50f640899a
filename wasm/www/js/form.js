// The request form: who asks to do what on which key, where, with which
// context. Reads and writes the form as a plain request object.

const FIELDS = ['principal', 'action', 'key', 'region', 'encryptionContext', 'context'];

/** `k=v` lines as pairs; `errors` lists the 1-based lines without `=`. */
export function parsePairs(text) {
  const pairs = [];
  const errors = [];
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (!t) return;
    const eq = t.indexOf('=');
    if (eq <= 0) errors.push(i + 1);
    else pairs.push([t.slice(0, eq).trim(), t.slice(eq + 1).trim()]);
  });
  return { pairs, errors };
}

export class RequestForm {
  constructor(form, onChange) {
    this.form = form;
    this.el = Object.fromEntries(FIELDS.map((f) => [f, form.elements.namedItem(f)]));
    form.addEventListener('input', () => onChange());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      onChange();
    });
  }

  /** The raw field values (what the share link keeps). */
  get values() {
    return Object.fromEntries(FIELDS.map((f) => [f, this.el[f].value]));
  }

  set values(v) {
    for (const f of FIELDS) this.el[f].value = v?.[f] ?? '';
  }

  /**
   * The request for the engine, or null while principal, action or key is
   * empty. Context lines may repeat a key to give several values.
   */
  request(defaultRegion) {
    const v = this.values;
    const principal = v.principal.trim();
    const action = v.action.trim();
    const key = v.key.trim();
    const ec = parsePairs(v.encryptionContext);
    const cx = parsePairs(v.context);
    this.flag('encryptionContext', ec.errors);
    this.flag('context', cx.errors);
    if (!principal || !action || !key) return null;
    const context = {};
    for (const [k, val] of cx.pairs) {
      if (!(k in context)) context[k] = val;
      else context[k] = [].concat(context[k], val);
    }
    return {
      principal,
      action,
      key,
      region: v.region.trim() || defaultRegion || null,
      encryptionContext: Object.fromEntries(ec.pairs),
      context,
    };
  }

  flag(field, errorLines) {
    const el = this.el[field];
    el.setCustomValidity(errorLines.length ? `line ${errorLines.join(', ')}: write key=value` : '');
    el.toggleAttribute('aria-invalid', errorLines.length > 0);
  }

  /** Offer names in the principal, key and action inputs' suggestion lists. */
  suggest(lists) {
    for (const [id, items] of Object.entries(lists)) {
      const dl = document.getElementById(id);
      if (!dl) continue;
      dl.replaceChildren(
        ...items.map((v) => {
          const o = document.createElement('option');
          o.value = v;
          return o;
        }),
      );
    }
  }
}
