// Called by regen-catalog.sh: node regen-catalog.mjs <package dir> <lint data dir> <eval data dir>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [pkgDir, outDir, evalDir] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const readJson = (...p) => JSON.parse(fs.readFileSync(path.join(pkgDir, ...p), 'utf8'));
const byLower = (a, b) => {
  const x = a.toLowerCase(), y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

const pkg = readJson('package.json');
const dataDir = path.join(pkgDir, 'data');

// Every action, grouped by service prefix.
const services = fs.readdirSync(path.join(dataDir, 'actions'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const lines = services.map((prefix) => {
  const actions = Object.values(readJson('data', 'actions', `${prefix}.json`))
    .map((a) => a.name)
    .sort(byLower);
  return `${prefix}:${actions.join(',')}`;
});
fs.writeFileSync(path.join(outDir, 'actions.txt'), lines.join('\n') + '\n');

// Every typed condition key of every service except KMS (in kms.json, below)
// and the global `aws:` keys, one line per key prefix:
// `prefix:Type=Name1,Name2;Type=Name3` (names without the prefix, as AWS
// spells them). A key listed by several services keeps the type its own
// service gives it.
const keyTypes = new Map(); // lowercase key -> { key, type, own }
for (const prefix of fs.readdirSync(path.join(dataDir, 'conditionKeys'))
  .filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()) {
  for (const k of Object.values(readJson('data', 'conditionKeys', `${prefix}.json`))) {
    const at = k.key.indexOf(':');
    const keyPrefix = k.key.slice(0, at).toLowerCase();
    if (at <= 0 || keyPrefix === 'aws' || keyPrefix === 'kms') continue;
    const lower = k.key.toLowerCase();
    const own = keyPrefix === prefix;
    const seen = keyTypes.get(lower);
    if (!seen || (own && !seen.own)) keyTypes.set(lower, { key: k.key, type: k.type, own });
  }
}
const byPrefix = new Map();
for (const { key, type } of keyTypes.values()) {
  const at = key.indexOf(':');
  const prefix = key.slice(0, at).toLowerCase();
  if (!byPrefix.has(prefix)) byPrefix.set(prefix, new Map());
  const types = byPrefix.get(prefix);
  if (!types.has(type)) types.set(type, []);
  types.get(type).push(key.slice(at + 1));
}
const keyLines = [...byPrefix.keys()].sort().map((prefix) => {
  const types = byPrefix.get(prefix);
  const groups = [...types.keys()].sort()
    .map((type) => `${type}=${types.get(type).sort(byLower).join(',')}`);
  return `${prefix}:${groups.join(';')}`;
});
fs.writeFileSync(path.join(outDir, 'condition-keys.txt'), keyLines.join('\n') + '\n');

// KMS in detail, plus the global condition keys: the one KMS reference of the
// repository (crates/eval/data/kms.json), trimmed to what keyward reads.
const kmsActions = readJson('data', 'actions', 'kms.json');
const kmsResources = readJson('data', 'resourceTypes', 'kms.json');
const kmsKeys = readJson('data', 'conditionKeys', 'kms.json');
const { globalConditionKeys } = require(path.join(pkgDir, 'dist', 'cjs', 'globalConditionKeys.js'));
const kms = {
  source: {
    package: pkg.name,
    version: pkg.version,
    updatedAt: pkg.updatedAt,
    license: 'MIT',
  },
  actions: Object.values(kmsActions)
    .sort((a, b) => byLower(a.name, b.name))
    .map((a) => ({
      name: a.name,
      accessLevel: a.accessLevel,
      resourceTypes: a.resourceTypes.map((r) => r.name),
      conditionKeys: a.conditionKeys,
    })),
  resourceTypes: Object.values(kmsResources).map((r) => ({
    name: r.key,
    conditionKeys: r.conditionKeys ?? [],
  })),
  conditionKeys: Object.values(kmsKeys)
    .map((k) => ({ key: k.key, type: k.type }))
    .sort((a, b) => byLower(a.key, b.key)),
  globalConditionKeys: globalConditionKeys.map((k) => ({ key: k.key, type: k.type })),
};
fs.writeFileSync(path.join(evalDir, 'kms.json'), layout(kms));
fs.writeFileSync(path.join(outDir, 'catalog-version.txt'), pkg.version);
fs.writeFileSync(path.join(outDir, 'catalog-date.txt'), pkg.updatedAt.slice(0, 10));

// One line per action, resource type and condition key, so a new release
// reads as a short diff.
function layout(data) {
  const compact = (v) => Array.isArray(v)
    ? `[${v.map(compact).join(', ')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${compact(x)}`).join(', ')}}`
      : JSON.stringify(v);
  const sections = Object.entries(data).map(([name, value]) => Array.isArray(value)
    ? `  ${JSON.stringify(name)}: [\n${value.map((item) => `    ${compact(item)}`).join(',\n')}\n  ]`
    : `  ${JSON.stringify(name)}: ${compact(value)}`);
  return `{\n${sections.join(',\n')}\n}\n`;
}
