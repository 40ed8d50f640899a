// Writes www/pkg/manifest.json: the build id (a hash of every served file), the files the
// service worker keeps for offline use, and the scenarios offered in the page's menu.
// Usage: node wasm/tools/manifest.mjs wasm/www
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { exampleTitle } from '../www/js/workspace.js';

const www = process.argv[2];
if (!www) {
  console.error('usage: node manifest.mjs WWW_DIR');
  process.exit(2);
}

const skip = new Set(['manifest.json']);
function walk(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    if (skip.has(name) || name.endsWith('.d.ts')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(www).map((p) => relative(www, p).split(sep).join('/'));
const hash = createHash('sha256');
for (const f of files) hash.update(f).update('\0').update(readFileSync(join(www, f)));

// A scenario file is a JSON object with `principals` or `keys`, anywhere under pkg/scenarios/.
const scenarios = [];
for (const f of files) {
  const m = /^pkg\/scenarios\/(.+\.json)$/.exec(f);
  if (!m) continue;
  try {
    const doc = JSON.parse(readFileSync(join(www, f), 'utf8'));
    if (doc && typeof doc === 'object' && (doc.principals || doc.keys)) {
      scenarios.push({ path: m[1], title: exampleTitle(doc, m[1]), description: String(doc.description ?? m[1]) });
    }
  } catch {
    // not JSON: a policy text or a note, offered only as a referenced file
  }
}
scenarios.sort((a, b) => (a.path === 'seed-matrix.json' ? -1 : b.path === 'seed-matrix.json' ? 1 : a.path.localeCompare(b.path)));

const manifest = { build: hash.digest('hex').slice(0, 16), files: ['./', ...files], scenarios };
writeFileSync(join(www, 'pkg', 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`manifest: build ${manifest.build}, ${files.length} files, ${scenarios.length} scenarios`);
