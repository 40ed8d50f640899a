// Unit tests of the compare view's pure functions, run with `node --test wasm/e2e/`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparable, pairLines, replayValues, summaryText } from '../www/js/compare.js';
import { parsePairs } from '../www/js/form.js';
import { describe, importScenario } from '../www/js/workspace.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1';

/** What the request form makes of `k=v` lines: a repeated key gives a list. */
function formObject(lines) {
  const out = {};
  for (const [k, v] of parsePairs(lines).pairs) out[k] = k in out ? [].concat(out[k], v) : v;
  return out;
}

test('a witness replays in the request form with every field, lists included', () => {
  const witness = {
    principal: 'arn:aws:iam::111122223333:role/App',
    action: 'kms:Decrypt',
    key: KEY,
    region: 'eu-west-1',
    context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'aws:SourceVpce': ['vpce-1', 'vpce-2'] },
    encryptionContext: { Department: 'Finance', 'a=b': 'x' },
  };
  const v = replayValues(witness);
  assert.deepEqual([v.principal, v.action, v.key, v.region], [witness.principal, witness.action, KEY, 'eu-west-1']);
  assert.deepEqual(formObject(v.context), witness.context);
  assert.deepEqual(Object.keys(formObject(v.encryptionContext)), ['Department', 'a']);
  assert.equal(replayValues({ ...witness, region: undefined, context: {}, encryptionContext: {} }).region, '');
  assert.equal(pairLines({}), '');
});

test('the comparable files are the policies, key policies with their key ARN', () => {
  const scenario = {
    principals: { Alice: { arn: 'arn:aws:iam::111122223333:user/Alice', policies: [{ Version: '2012-10-17', Statement: [] }] } },
    keys: { 'CMK A': { arn: KEY, policy: { Version: '2012-10-17', Statement: [] } }, Missing: { arn: KEY, policy: { file: 'nowhere.json' } } },
  };
  const ws = importScenario('s.json', JSON.stringify(scenario), {});
  const files = comparable(describe(ws), ws.files[ws.scenario]);
  assert.deepEqual(files, [
    { path: 'keys/CMK_A.json', label: 'CMK A (key policy)', kind: 'key', keyArn: KEY },
    { path: 'iam/Alice.json', label: 'Alice (IAM policy)', kind: 'identity', keyArn: null },
  ]);
  // A scenario that does not parse still lists its files, without key ARNs.
  assert.deepEqual(comparable(describe(ws), '{').map((f) => f.keyArn), [null, null]);
});

test('the summary never calls an incomplete or uncompared answer a pass', () => {
  const change = (kind) => ({ change: kind });
  assert.match(summaryText({ diff: null }), /^Not compared/);
  assert.match(summaryText({ diff: { changes: [], unknown: 'a policy variable', classes: 3 } }), /^Incomplete .*policy variable/);
  assert.match(summaryText({ diff: { changes: [change('lost')], unknown: 'x', classes: 3 } }), /^Incomplete .*0 gains and 1 loss of access found\): x$/);
  assert.match(summaryText({ diff: { changes: [], unknown: null, classes: 1 } }), /^No change of access \(1 class of/);
  assert.match(
    summaryText({ diff: { changes: [change('gained'), change('gained'), change('lost')], unknown: null, classes: 9 } }),
    /^2 gains and 1 loss of access \(9 classes/,
  );
});
