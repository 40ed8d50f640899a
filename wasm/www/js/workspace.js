// The playground's document model: a scenario file plus the policy files it
// references with {"file": PATH}, all held as text. Inline policies of an
// imported scenario are moved into files of their own, so that each policy
// gets an editor and the engine's spans point into it.

/** Where a policy sits in a scenario: what the page calls its tab. */
export function roleLabel(role) {
  return {
    scenario: 'Scenario & grants',
    key: 'Key policies',
    identity: 'IAM policies',
    boundary: 'Permissions boundaries',
    session: 'Session policies',
    scp: 'SCPs',
    rcp: 'RCPs',
    file: 'Other files',
  }[role];
}

/**
 * A short title for an example scenario: its `title`, else the first
 * clause of its description (up to the first `: `, `. ` or `, ` that ends a
 * label like "Story 3"), cut to 60 characters; the file name when it has
 * neither.
 */
export function exampleTitle(doc, path) {
  if (doc && typeof doc.title === 'string' && doc.title.trim()) return doc.title.trim();
  const text = doc && typeof doc.description === 'string' ? doc.description.trim() : '';
  if (!text) return path;
  // "Story 3, cross-account snapshot sharing. …" → "Story 3, cross-account snapshot sharing"
  const sentence = text.split(/(?<=[a-z0-9)])\. /i)[0].replace(/\.$/, '');
  const clause = /^Story \d+,/.test(sentence) ? sentence : sentence.split(/: /)[0];
  return clause.length > 60 ? `${clause.slice(0, 59).trimEnd()}…` : clause;
}

/** The policy kind the linter should assume for a role. */
export function lintKind(role) {
  return role === 'key' || role === 'rcp' ? 'key' : 'identity';
}

const safe = (s) => String(s).replace(/[^A-Za-z0-9._-]+/g, '_') || '_';

/**
 * `ref` resolved against the directory of `from` (both `/`-separated,
 * relative), or null when it is absolute or climbs out of the workspace, as
 * the engine resolves it (wasm/src/workspace.rs).
 */
export function resolvePath(from, ref) {
  if (ref.startsWith('/')) return null;
  const parts = from.split('/').slice(0, -1).filter((p) => p && p !== '.');
  for (const p of ref.split('/')) {
    if (p === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** Every policy slot of a parsed scenario: `{role, owner, index, get, set}`. */
function slots(doc) {
  const out = [];
  const add = (role, owner, holder, field, index = null) =>
    out.push({ role, owner, index, get: () => holder[field], set: (v) => (holder[field] = v) });
  for (const [name, p] of Object.entries(doc.principals ?? {})) {
    if (!p || typeof p !== 'object') continue;
    if (Array.isArray(p.policies)) p.policies.forEach((_, i) => add('identity', name, p.policies, i, i));
    if (p.permissionsBoundary != null) add('boundary', name, p, 'permissionsBoundary');
    if (p.sessionPolicy != null) add('session', name, p, 'sessionPolicy');
  }
  for (const [name, k] of Object.entries(doc.keys ?? {})) {
    if (k && typeof k === 'object' && k.policy != null) add('key', name, k, 'policy');
  }
  for (const role of ['scps', 'rcps']) {
    for (const [acct, list] of Object.entries(doc[role] ?? {})) {
      if (Array.isArray(list)) list.forEach((_, i) => add(role.slice(0, 3), acct, list, i, i));
    }
  }
  return out;
}

const isFileRef = (v) => v && typeof v === 'object' && !Array.isArray(v) && typeof v.file === 'string';

/** The path a new file for a slot gets. */
function fileNameFor(slot, taken) {
  const dir = { key: 'keys', identity: 'iam', boundary: 'iam', session: 'iam', scp: 'scp', rcp: 'rcp' }[slot.role];
  const suffix = { boundary: '.boundary', session: '.session' }[slot.role] ?? '';
  let base = `${dir}/${safe(slot.owner)}${suffix}`;
  if (slot.index) base += `-${slot.index + 1}`;
  let name = `${base}.json`;
  for (let n = 2; taken.has(name); n++) name = `${base}~${n}.json`;
  taken.add(name);
  return name;
}

/**
 * Import a scenario: returns `{scenario, files}` with every inline policy
 * moved to a file of its own. `files` also keeps `extra` files (referenced
 * ones, read by the caller).
 */
export function importScenario(path, text, extra = {}) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { scenario: path, files: { [path]: text, ...extra } };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { scenario: path, files: { [path]: text, ...extra } };
  const files = {};
  const taken = new Set([path, ...Object.keys(extra)]);
  let moved = 0;
  for (const slot of slots(doc)) {
    const v = slot.get();
    if (isFileRef(v)) continue;
    const name = fileNameFor(slot, taken);
    files[resolvePath(path, name)] = typeof v === 'string' ? v : JSON.stringify(v, null, 2) + '\n';
    slot.set({ file: name });
    moved++;
  }
  const scenarioText = moved ? JSON.stringify(doc, null, 2) + '\n' : text;
  return { scenario: path, files: { [path]: scenarioText, ...files, ...extra } };
}

/** The `{"file"}` references of a scenario text, as paths relative to the scenario's directory. */
export function fileRefs(text) {
  try {
    const doc = JSON.parse(text);
    return slots(doc).map((s) => s.get()).filter(isFileRef).map((v) => v.file);
  } catch {
    return [];
  }
}

/**
 * The tabs to show, in order: the scenario, then each referenced policy with
 * its role and owner, then files nothing references. The last good parse of
 * the scenario is used while it is being edited into invalid JSON.
 */
export function describe(ws, previous = null) {
  const text = ws.files[ws.scenario] ?? '';
  let doc = null;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = null;
  }
  if (!doc || typeof doc !== 'object') return previous ?? fallbackTabs(ws);
  const tabs = [{ path: ws.scenario, role: 'scenario', owner: 'scenario', missing: false }];
  const seen = new Set([ws.scenario]);
  for (const slot of slots(doc)) {
    const v = slot.get();
    if (!isFileRef(v)) continue;
    const path = resolvePath(ws.scenario, v.file) ?? v.file;
    if (seen.has(path)) continue;
    seen.add(path);
    tabs.push({ path, role: slot.role, owner: slot.owner, missing: !(path in ws.files) });
  }
  for (const path of Object.keys(ws.files)) {
    if (!seen.has(path)) tabs.push({ path, role: 'file', owner: path, missing: false });
  }
  // Key policies first (they decide), the scenario with its grants after the policies.
  const order = ['key', 'identity', 'boundary', 'session', 'scp', 'rcp', 'scenario', 'file'];
  tabs.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  return {
    tabs,
    principals: Object.keys(doc.principals ?? {}),
    keys: Object.keys(doc.keys ?? {}),
    region: typeof doc.region === 'string' ? doc.region : '',
    expectActions: [...new Set((doc.expect ?? []).map((e) => e?.action).filter((a) => typeof a === 'string'))],
  };
}

function fallbackTabs(ws) {
  return {
    tabs: Object.keys(ws.files).map((path) => ({
      path,
      role: path === ws.scenario ? 'scenario' : 'file',
      owner: path,
      missing: false,
    })),
    principals: [],
    keys: [],
    region: '',
    expectActions: [],
  };
}

/** One self-contained scenario text: every `{"file"}` reference replaced by the policy it names. */
export function inlineScenario(ws) {
  const doc = JSON.parse(ws.files[ws.scenario]);
  for (const slot of slots(doc)) {
    const v = slot.get();
    if (!isFileRef(v)) continue;
    const text = ws.files[resolvePath(ws.scenario, v.file) ?? ''];
    if (text === undefined) continue;
    try {
      slot.set(JSON.parse(text));
    } catch {
      slot.set(text); // keep a broken policy as text: the engine reports where it breaks
    }
  }
  return JSON.stringify(doc, null, 2) + '\n';
}
