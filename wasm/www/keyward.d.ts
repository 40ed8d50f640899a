// The JSON shapes of keyward's wasm exports (wasm/src/lib.rs).
//
// wasm-bindgen types each export as `(json: string) => string` (see
// pkg/keyward_wasm.d.ts after a build); this file types what goes in and comes
// out. Every export answers an Envelope: bad input and even internal failures
// are values, never exceptions.

/** What every export answers. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** `bad-input`: the request JSON is malformed; `internal`: a bug in keyward. */
  code: 'bad-input' | 'internal';
  message: string;
}

/** A place in a document. */
export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in Unicode characters. */
  column: number;
  /** Offset in UTF-16 code units, as JavaScript strings count. */
  offset: number;
}

export interface Label {
  message: string;
  start: Position;
  end: Position;
}

/** keyward's one diagnostic type: parse errors and lint findings alike. */
export interface Diagnostic {
  /** Stable code, e.g. `json::trailing-comma` or `KW201`. */
  code: string;
  severity: 'info' | 'warning' | 'error';
  /** One line: what is wrong. */
  message: string;
  /** What to do about it. */
  help: string | null;
  /** JSON pointer of the node concerned, e.g. `/Statement/2/Condition`. */
  pointer: string | null;
  /** The primary place first. */
  labels: Label[];
}

/** `parse(text)`: one policy document. */
export interface ParseReport {
  valid: boolean;
  diagnostics: Diagnostic[];
}

/** A scenario and the files it references with `{"file": PATH}`, all as text. */
export interface Workspace {
  /** Path of the scenario file (a key of `files`). */
  scenario: string;
  /** Path (relative, `/`-separated) to text. */
  files: Record<string, string>;
}

/** `lint(json)`. */
export interface LintInput {
  text: string;
  /** `key` for a key policy, `identity` for an IAM policy; null lets keyward guess. */
  kind?: 'key' | 'identity' | null;
  /** Shown in messages. */
  name?: string;
  /** The accounts that own the keys: access given to other accounts is reported. */
  accounts?: string[];
}

export interface LintReport {
  /** Parse diagnostics and lint findings, in source order. */
  diagnostics: Diagnostic[];
}

/** One request. `principal` and `key` are a scenario name or an ARN. */
export interface Request {
  principal: string;
  action: string;
  key: string;
  /** The Region of the call; the scenario's when null. */
  region?: string | null;
  encryptionContext?: Record<string, string>;
  /** Further request context keys (`kms:ViaService`, `aws:SourceVpc`, …). */
  context?: Record<string, string | string[]>;
}

/** `evaluate(json)`. */
export interface EvaluateInput {
  workspace: Workspace;
  request: Request;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** The answer to one request, and why. */
export interface Answer {
  decision: Decision;
  /** The KMS exception an allowed call still ends in (`DisabledException`, …). */
  error: string | null;
  /** Whether the key policy delegates this action to the caller's account (IAM policies);
   *  null after an explicit deny, which is decided before delegation is looked at. */
  delegated: boolean | null;
  /** The deciding statements and grants, then what was missing. */
  reasons: Reason[];
}

export interface Reason {
  /** Deciding `statement` or `grant`; the `delegation` of an implicit deny; the KMS `error`;
   *  what was `missing`; a statement that was `unevaluable`. */
  kind: 'statement' | 'grant' | 'delegation' | 'error' | 'missing' | 'unevaluable';
  /** One sentence for people. */
  message: string;
  /** The file the reason points into, when it has a place: a workspace path, or the
   *  scenario's path for a policy written inline in it. */
  file: string | null;
  start: Position | null;
  end: Position | null;
  /** The effect of a statement or grant; null for notes. */
  effect: 'allow' | 'deny' | null;
}

/** `runScenario(json)`: the matrix for `actions`, and every expectation. */
export interface ScenarioInput {
  workspace: Workspace;
  /** Matrix columns; the actions of the scenario's expectations when absent. */
  actions?: string[];
}

export interface ScenarioReport {
  /** Problems of the scenario and of the policies it loads, by file. */
  diagnostics: { file: string; diagnostics: Diagnostic[] }[];
  principals: string[];
  keys: string[];
  actions: string[];
  /** Asked-for actions that are not KMS actions (left out of the matrix). */
  unknownActions: string[];
  /** One per principal × key × action. */
  cells: { principal: string; key: string; action: string; answer: Answer }[];
  expectations: ExpectationResult[];
  passed: number;
  failed: number;
}

export interface ExpectationResult {
  /** Position among the checked expectations. */
  index: number;
  /** The principal's scenario name (an expectation may name it by ARN). */
  principal: string;
  action: string;
  /** The key's scenario name. */
  key: string;
  region: string | null;
  /** As written in the scenario. */
  context: Record<string, unknown>;
  encryptionContext: Record<string, unknown>;
  /** True when the request is a matrix cell: no Region of its own, no context. */
  plain: boolean;
  expected: 'allow' | 'deny' | Decision;
  expectedError: string | null;
  actual: Answer;
  pass: boolean;
  /** Where the `expect` entry is in the scenario file. */
  start: Position;
  end: Position;
}

/** `benchmark(json)`: the matrix decided `rounds` times on one compiled scenario. */
export interface BenchmarkInput {
  workspace: Workspace;
  actions?: string[];
  rounds: number;
}

export interface BenchmarkReport {
  /** Requests in one round: the matrix cells. */
  requests: number;
  /** requests × rounds (rounds are capped at 100 000). */
  decisions: number;
}

/** The exports, with their JSON typed. */
export interface Keyward {
  version(): string;
  parse(text: string): string /* Envelope<ParseReport> */;
  lint(json: string /* LintInput */): string /* Envelope<LintReport> */;
  evaluate(json: string /* EvaluateInput */): string /* Envelope<Answer> */;
  runScenario(json: string /* ScenarioInput */): string /* Envelope<ScenarioReport> */;
  benchmark(json: string /* BenchmarkInput */): string /* Envelope<BenchmarkReport> */;
  /** Every KMS action keyward knows. */
  actions(): string /* Envelope<string[]> */;
  /** After a trap: the panic message, if one was recorded. */
  lastPanic(): string | undefined;
}
