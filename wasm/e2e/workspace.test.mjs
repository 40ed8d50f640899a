// Unit tests of the page's pure modules, run with `node --test wasm/e2e/`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paint, tokenize } from '../www/js/highlight.js';
import { describe, exampleTitle, fileRefs, importScenario, inlineScenario, resolvePath } from '../www/js/workspace.js';

const scenario = {
  region: 'us-east-1',
  principals: {
    Alice: { arn: 'arn:aws:iam::111122223333:user/Alice', policies: [{ Version: '2012-10-17', Statement: [] }] },
    Bob: { arn: 'arn:aws:iam::111122223333:user/Bob', policies: [{ file: 'shared/bob.json' }] },
  },
  keys: { 'CMK A': { arn: 'arn:aws:kms:us-east-1:111122223333:key/1', policy: '{"Version":"2012-10-17","Statement":[]}' } },
  expect: [{ principal: 'Alice', action: 'kms:Decrypt', key: 'CMK A', decision: 'deny' }],
};

test('import moves inline policies into files and keeps references', () => {
  const ws = importScenario('dir/s.json', JSON.stringify(scenario), { 'dir/shared/bob.json': '{}' });
  const doc = JSON.parse(ws.files['dir/s.json']);
  assert.deepEqual(doc.principals.Alice.policies, [{ file: 'iam/Alice.json' }]);
  assert.deepEqual(doc.keys['CMK A'].policy, { file: 'keys/CMK_A.json' });
  assert.deepEqual(doc.principals.Bob.policies, [{ file: 'shared/bob.json' }]);
  // A policy given as a string keeps its text exactly.
  assert.equal(ws.files['dir/keys/CMK_A.json'], scenario.keys['CMK A'].policy);
  assert.deepEqual(JSON.parse(ws.files['dir/iam/Alice.json']), scenario.principals.Alice.policies[0]);
  assert.deepEqual(fileRefs(ws.files['dir/s.json']).sort(), ['iam/Alice.json', 'keys/CMK_A.json', 'shared/bob.json']);
});

test('inlining an imported scenario gives back the same scenario', () => {
  const plain = { ...scenario, keys: { 'CMK A': { ...scenario.keys['CMK A'], policy: JSON.parse(scenario.keys['CMK A'].policy) } } };
  const ws = importScenario('s.json', JSON.stringify(plain), { 'shared/bob.json': '{"Statement": []}' });
  const back = JSON.parse(inlineScenario(ws));
  assert.deepEqual(back.keys, plain.keys);
  assert.deepEqual(back.principals.Alice, plain.principals.Alice);
  assert.deepEqual(back.principals.Bob.policies, [{ Statement: [] }]);
});

test('tabs put key policies first and flag missing files', () => {
  const ws = importScenario('s.json', JSON.stringify(scenario));
  const info = describe(ws);
  assert.deepEqual(
    info.tabs.map((t) => [t.role, t.owner, t.missing]),
    [
      ['key', 'CMK A', false],
      ['identity', 'Alice', false],
      ['identity', 'Bob', true],
      ['scenario', 'scenario', false],
    ],
  );
  assert.deepEqual(info.principals, ['Alice', 'Bob']);
  assert.deepEqual(info.expectActions, ['kms:Decrypt']);
});

test('an invalid scenario keeps the last good tabs', () => {
  const ws = importScenario('s.json', JSON.stringify(scenario));
  const good = describe(ws);
  ws.files['s.json'] = '{"principals": ';
  assert.equal(describe(ws, good), good);
});

test('paths resolve like the engine resolves them', () => {
  assert.equal(resolvePath('a/s.json', './k/x.json'), 'a/k/x.json');
  assert.equal(resolvePath('a/s.json', '../x.json'), 'x.json');
  assert.equal(resolvePath('s.json', '../x.json'), null);
  assert.equal(resolvePath('s.json', '/etc/passwd'), null);
});

test('painting escapes HTML and keeps the text intact', () => {
  const text = '{"a<b": "x&y", "n": -1.5e3, "t": true}';
  const html = paint(text, tokenize(text), [{ from: 1, to: 7, kind: 'error' }, { from: 9, to: 9, kind: 'warning' }]);
  assert.ok(!html.includes('<b'));
  const plain = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  assert.equal(plain, text);
  assert.match(html, /class="tk-key mk mk-error"/);
  assert.match(html, /class="pt pt-warning"/);
  assert.match(html, /class="tk-num">-1.5e3</);
});

test('the share fragment round-trips the state and refuses a deflate bomb', async () => {
  const { decodeState, encodeState } = await import('../www/js/share.js');
  const state = { v: 1, workspace: { scenario: 's.json', files: { 's.json': '{"é": "😀"}' } }, tab: 's.json' };
  const fragment = await encodeState(state);
  assert.match(fragment, /^s1\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeState(`#${fragment}`), state);
  assert.equal(await decodeState('#s1.not-deflate'), null);
  assert.equal(await decodeState('#something-else'), null);
  // 64 MiB of spaces deflate to a few kilobytes; decoding must stop, not inflate it all.
  const { deflateRawSync } = await import('node:zlib');
  const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('base64url');
  assert.equal(await decodeState(`#s1.${bomb}`), null);
});

test('example titles are short: a title, else the first clause of the description', () => {
  assert.equal(exampleTitle({ title: 'Grants' }, 'x.json'), 'Grants');
  assert.equal(
    exampleTitle({ description: 'Story 3, cross-account snapshot sharing. The production account (111122223333) shares…' }, 's.json'),
    'Story 3, cross-account snapshot sharing',
  );
  assert.equal(exampleTitle({ description: 'The seed scenario: account 123412341234, three keys. More.' }, 's.json'), 'The seed scenario');
  assert.equal(exampleTitle({}, 'plain.json'), 'plain.json');
  const long = exampleTitle({ description: `${'word '.repeat(30)}end.` }, 'l.json');
  assert.ok(long.length <= 60 && long.endsWith('…'), long);
});
