// Called by regen-catalog.sh: node regen-catalog.mjs <package dir> <output dir>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [pkgDir, outDir] = process.argv.slice(2);
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

// KMS in detail, plus the global condition keys.
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
  service: { prefix: 'kms', name: readJson('data', 'serviceNames.json').kms },
  resourceTypes: Object.values(kmsResources).map((r) => ({
    name: r.key,
    arn: r.arn,
    conditionKeys: r.conditionKeys ?? [],
  })),
  actions: Object.values(kmsActions)
    .sort((a, b) => byLower(a.name, b.name))
    .map((a) => ({
      name: a.name,
      accessLevel: a.accessLevel,
      resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required })),
      conditionKeys: a.conditionKeys,
      dependentActions: a.dependentActions,
    })),
  conditionKeys: Object.values(kmsKeys)
    .map((k) => ({ key: k.key, type: k.type, description: k.description }))
    .sort((a, b) => byLower(a.key, b.key)),
  globalConditionKeys: globalConditionKeys.map((k) => ({ key: k.key, type: k.type, category: k.category })),
};
fs.writeFileSync(path.join(outDir, 'kms.json'), JSON.stringify(kms, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, 'catalog-version.txt'), pkg.version);
fs.writeFileSync(path.join(outDir, 'catalog-date.txt'), pkg.updatedAt.slice(0, 10));
