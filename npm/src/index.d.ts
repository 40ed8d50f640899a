// The API of the keyward npm package. The JSON types (types.d.ts) are
// generated from the Rust types (wasm/www/keyward.d.ts in the repository):
// the CLI's `--format json` prints the same `DiagnosticJson`,
// `AnsweredRequest`, `RunJson` and `MatrixJson`.
import type {
  AnsweredRequest,
  CheckInput,
  Envelope,
  EvaluateInput,
  LintInput,
  LintReport,
  MatrixInput,
  MatrixJson,
  ParseReport,
  RunJson,
  ScenarioInput,
  ScenarioReport,
} from './types.js';

export type * from './types.js';

/** keyward's engine: every function answers an Envelope, never throws on bad input. */
export interface Engine {
  /** The keyward version, e.g. `0.1.0`. */
  version(): string;
  /** Parse one policy document: whether it is valid, and every diagnostic, located. */
  parse(text: string): Envelope<ParseReport>;
  /** Lint one policy, CloudFormation template or Terraform plan: what `keyward lint` finds. */
  lint(input: LintInput): Envelope<LintReport>;
  /** Decide one request against a scenario: what `keyward query --format json` prints. */
  query(input: EvaluateInput): Envelope<AnsweredRequest>;
  /** The playground's view of a scenario: its matrix and every expectation, with positions. */
  runScenario(input: ScenarioInput): Envelope<ScenarioReport>;
  /** Check every expectation: what `keyward scenario run --format json` prints. */
  check(input: CheckInput): Envelope<RunJson>;
  /** Decide every principal × key × action: what `keyward scenario matrix --format json` prints. */
  matrix(input: MatrixInput): Envelope<MatrixJson>;
  /** Every KMS action keyward knows. */
  actions(): Envelope<string[]>;
}

/**
 * The engine, once its WebAssembly module is compiled. In Node it is ready
 * when the package is imported; in browsers this fetches the module (or
 * compiles the one given).
 */
export declare function load(
  module?: string | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module,
): Promise<Engine>;

export declare const version: Engine['version'];
export declare const parse: Engine['parse'];
export declare const lint: Engine['lint'];
export declare const query: Engine['query'];
export declare const runScenario: Engine['runScenario'];
export declare const check: Engine['check'];
export declare const matrix: Engine['matrix'];
export declare const actions: Engine['actions'];
