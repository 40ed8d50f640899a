// Unit tests of the who-can view's pure functions, run with `node --test wasm/e2e/`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groups, howText, notReplayable, savedView, scenarioNames, summaryText, whenText, whoText } from '../www/js/whocan.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1';
const entry = (over) => ({
  principal: 'arn:aws:iam::111122223333:user/Alice',
  name: 'Alice',
  kind: 'principal',
  action: 'kms:Decrypt',
  key: KEY,
  conditional: false,
  conditions: [],
  via: ['key-policy-and-iam'],
  error: null,
  reasons: [],
  witness: { principal: 'arn:aws:iam::111122223333:user/Alice', action: 'kms:Decrypt', key: KEY, context: {}, encryptionContext: {} },
  ...over,
});

test('entries that differ only in their action are shown together', () => {
  const g = groups([entry({}), entry({ action: 'kms:Encrypt' }), entry({ conditional: true, conditions: [['kms:ViaService = "s3"']] })]);
  assert.equal(g.length, 2);
  assert.deepEqual(g[0].actions, ['kms:Decrypt', 'kms:Encrypt']);
  assert.equal(whenText(g[1].first), 'when kms:ViaService = "s3"');
});

test('how, when and who read as people say them', () => {
  assert.equal(howText(['key-policy', 'grant']), 'the key policy and a grant');
  assert.equal(whenText(entry({})), 'always');
  assert.equal(whenText(entry({ conditional: true, conditions: [['a', 'b'], ['c']] })), 'when a and b; or when c');
  assert.equal(whoText(entry({ kind: 'service', principal: 'logs.amazonaws.com', name: undefined })), 'logs.amazonaws.com [service]');
  assert.equal(whoText(entry({})), 'arn:aws:iam::111122223333:user/Alice (Alice)');
});

test('a class whose own IAM is assumed, or a new grant, cannot be replayed in Ask', () => {
  assert.equal(notReplayable(entry({}).witness), null);
  assert.match(notReplayable({ callerPolicies: { identityPoliciesAllow: true, boundaryAllows: true } }), /assumed/);
  assert.match(notReplayable({ newGrant: { grantee: 'x', operations: [], constraints: null } }), /grant/);
});

test('the summary says when the answer is incomplete, and why', () => {
  assert.equal(summaryText({ entries: [], unknown: [], complete: true }, 'who-can'), 'Nobody can be allowed.');
  assert.equal(summaryText({ entries: [], unknown: [], complete: true }, 'what-can'), 'Nothing is allowed.');
  const s = summaryText({ entries: [entry({})], unknown: [{ principal: 'P', key: 'K', reason: 'a policy variable' }], complete: false }, 'who-can');
  assert.match(s, /^1 entry over 1 principal/);
  assert.match(s, /Incomplete: P on K: a policy variable/);
});

test('the scenario names its keys and principals; a scenario that does not parse names none', () => {
  assert.deepEqual(scenarioNames(JSON.stringify({ keys: { A: {}, B: {} }, principals: { Alice: {} } })), { keys: ['A', 'B'], principals: ['Alice'] });
  assert.deepEqual(scenarioNames('{'), { keys: [], principals: [] });
});

test('a saved view state applies only what has the right type; an old or crafted link applies nothing', () => {
  const full = { open: true, mode: 'what-can', chosen: { 'who-can': 'CMK A', 'what-can': 'Bob' }, actions: 'kms:Decrypt' };
  assert.deepEqual(savedView(full), full);
  for (const nothing of [undefined, null, 'who-can', 7, [], [full], {}]) assert.deepEqual(savedView(nothing), { chosen: {} }, JSON.stringify(nothing));
  assert.deepEqual(savedView({ open: 'yes', mode: 'how-can', chosen: { 'who-can': 3, 'what-can': 'Bob', other: 'x' }, actions: ['kms:Decrypt'] }), {
    chosen: { 'what-can': 'Bob' },
  });
  assert.deepEqual(savedView({ open: false, chosen: ['CMK A'] }), { open: false, chosen: {} });
});
