// A TypeScript user who gets the types wrong: `tsc` must refuse it (so the
// declarations are real types, not `any`).
import { lint, query } from 'keyward';

const linted = lint({ text: 42 });
const count: number = linted;
query({ workspace: { scenario: 's.json', files: {} }, request: { principal: 'Alice' } });
console.log(count);
