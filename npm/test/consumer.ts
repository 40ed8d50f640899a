// A TypeScript user of the package: type-checked with `tsc --noEmit`.
import { lint, load, matrix, query, type DiagnosticJson, type Engine, type MatrixJson } from 'keyward';

const linted = lint({ text: '{"Version": "2012-10-17", "Statement": []}', name: 'key.json' });
if (linted.ok) {
  const first: DiagnosticJson | undefined = linted.value.diagnostics[0];
  const line: number | undefined = first?.start?.line;
  console.log(line);
} else {
  const code: 'bad-input' | 'internal' = linted.error.code;
  console.log(code);
}

const answered = query({
  workspace: { scenario: 's.json', files: { 's.json': '{}' } },
  request: { principal: 'Alice', action: 'kms:Decrypt', key: 'K', encryptionContext: { app: 'x' } },
});
if (answered.ok) {
  const decision: 'allow' | 'explicit-deny' | 'implicit-deny' = answered.value.answer.decision;
  console.log(decision);
}

const m = matrix({ workspace: { scenario: 's.json', files: {} }, actions: ['kms:Encrypt'] });
const cells: MatrixJson['cells'] | undefined = m.ok ? m.value.cells : undefined;
console.log(cells?.length);

async function main(): Promise<void> {
  const engine: Engine = await load();
  console.log(engine.version());
}
void main();
