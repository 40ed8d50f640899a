// The JSON shapes of keyward's wasm exports (wasm/src/lib.rs).
//
// wasm-bindgen types each export as `(json: string) => string` (see
// pkg/keyward_wasm.d.ts after a build); this file types what goes in and comes
// out. Every export answers an Envelope: bad input and even internal failures
// are values, never exceptions. The part below the marker line is generated
// from the Rust types (wasm/src/dts.rs); the CLI's `--format json` prints the
// same `Answer`, `AnsweredRequest` and `DiagnosticJson`.

/** What every export answers. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** `bad-input`: the request JSON is malformed; `internal`: a bug in keyward. */
  code: 'bad-input' | 'internal';
  message: string;
}

/** The exports, with their JSON typed. */
export interface Keyward {
  version(): string;
  parse(text: string): string /* Envelope<ParseReport> */;
  lint(json: string /* LintInput */): string /* Envelope<LintReport> */;
  evaluate(json: string /* EvaluateInput */): string /* Envelope<AnsweredRequest> */;
  runScenario(json: string /* ScenarioInput */): string /* Envelope<ScenarioReport> */;
  benchmark(json: string /* BenchmarkInput */): string /* Envelope<BenchmarkReport> */;
  /** `keyward scenario run --format json`, for a workspace. */
  check(json: string /* CheckInput */): string /* Envelope<RunJson> */;
  /** `keyward scenario matrix --format json`, for a workspace. */
  matrix(json: string /* MatrixInput */): string /* Envelope<MatrixJson> */;
  /** Every KMS action keyward knows. */
  actions(): string /* Envelope<string[]> */;
  /** After a trap: the panic message, if one was recorded. */
  lastPanic(): string | undefined;
}

/**
 * The second module, `pkg/keyward_compare.js`, loaded when the compare,
 * who-can or what-can view first opens (the request-space analysis would not fit the main module's
 * size budget).
 */
export interface KeywardCompare {
  version(): string;
  /** The access gained and lost between two versions of a policy (`keyward diff --format json`'s changes). */
  compare(json: string /* CompareInput */): string /* Envelope<CompareReport> */;
  /** Who can be allowed each action on a key of the scenario (`keyward who-can --format json`'s entries). */
  whoCan(json: string /* WhoCanInput */): string /* Envelope<WhoCanReport> */;
  /** What a principal of the scenario can be allowed on its keys (`keyward what-can --format json`'s entries). */
  whatCan(json: string /* WhatCanInput */): string /* Envelope<WhoCanReport> */;
  lastPanic(): string | undefined;
}

// ---- Generated from the Rust types by `KEYWARD_WRITE_DTS=1 cargo test -p keyward-wasm dts`; do not edit below. ----

/**
 * A place in a text.
 */
export type Position = { 
/**
 * 1-based line.
 */
line: number, 
/**
 * 1-based column, in Unicode characters.
 */
column: number, 
/**
 * Offset from the start of the text, in bytes of UTF-8.
 */
offset: number, 
/**
 * Offset from the start of the text, in UTF-16 code units (what
 * JavaScript strings and `textarea.setSelectionRange` count).
 */
utf16: number, };

/**
 * A range of a named text.
 */
export type Location = { 
/**
 * The text's name: a path, `<stdin>`, or a workspace path in the browser.
 */
file: string, 
/**
 * The first character.
 */
start: Position, 
/**
 * Just past the last character.
 */
end: Position, };

/**
 * How serious a diagnostic is.
 */
export type Severity = "info" | "warning" | "error";

/**
 * A marked range of a diagnostic.
 */
export type LabelJson = { 
/**
 * What is there (may be empty).
 */
message: string, 
/**
 * The first character.
 */
start: Position, 
/**
 * Just past the last character.
 */
end: Position, };

/**
 * A [`Diagnostic`] as JSON, located in its file.
 */
export type DiagnosticJson = { 
/**
 * The file the positions refer to.
 */
file: string, 
/**
 * Stable code, e.g. `json::trailing-comma` or `KW201`.
 */
code: string, 
/**
 * `info`, `warning` or `error`.
 */
severity: Severity, 
/**
 * One line: what is wrong.
 */
message: string, 
/**
 * What to do about it.
 */
help: string | null, 
/**
 * JSON pointer of the node concerned (`/Statement/2/Condition`), when known.
 */
pointer: string | null, 
/**
 * Where the primary label starts (`None` for a diagnostic without a place).
 */
start: Position | null, 
/**
 * Where the primary label ends.
 */
end: Position | null, 
/**
 * The primary place first, then related places.
 */
labels: Array<LabelJson>, };

/**
 * A scenario file and the files it references with `{"file": PATH}`, all as text.
 */
export type Workspace = { 
/**
 * Path of the scenario file; a key of `files`.
 */
scenario: string, 
/**
 * Relative, `/`-separated path to text.
 */
files: { [key in string]: string }, };

/**
 * What `parse` answers.
 */
export type ParseReport = { 
/**
 * True when the policy has no error (warnings allowed).
 */
valid: boolean, 
/**
 * Every error and warning, in source order (`file` is `policy.json`).
 */
diagnostics: Array<DiagnosticJson>, };

/**
 * What `lint` takes.
 */
export type LintInput = { 
/**
 * The policy text (or a CloudFormation template, or a Terraform plan).
 */
text: string, 
/**
 * `key` or `identity`; detected when absent.
 */
kind?: string, 
/**
 * The file's name, shown in messages.
 */
name?: string, 
/**
 * The accounts that own the keys: access for others is reported.
 */
accounts?: Array<string>, };

/**
 * A finding a suppression covers: the diagnostic and the suppression's
 * reason (as in the `suppressed` list of `keyward lint --format json`).
 */
export type SuppressedJson = { 
/**
 * Why it is accepted.
 */
reason: string, 
/**
 * The file the positions refer to.
 */
file: string, 
/**
 * Stable code, e.g. `json::trailing-comma` or `KW201`.
 */
code: string, 
/**
 * `info`, `warning` or `error`.
 */
severity: Severity, 
/**
 * One line: what is wrong.
 */
message: string, 
/**
 * What to do about it.
 */
help: string | null, 
/**
 * JSON pointer of the node concerned (`/Statement/2/Condition`), when known.
 */
pointer: string | null, 
/**
 * Where the primary label starts (`None` for a diagnostic without a place).
 */
start: Position | null, 
/**
 * Where the primary label ends.
 */
end: Position | null, 
/**
 * The primary place first, then related places.
 */
labels: Array<LabelJson>, };

/**
 * What `lint` answers.
 */
export type LintReport = { 
/**
 * Parse diagnostics and findings, in source order.
 */
diagnostics: Array<DiagnosticJson>, 
/**
 * The findings that suppressions in the text cover (a template
 * resource's `Metadata`), in source order.
 */
suppressed: Array<SuppressedJson>, };

/**
 * A context value: one string or several.
 */
export type OneOrMany = string | Array<string>;

/**
 * A request as the page's form gives it.
 */
export type Request = { 
/**
 * A principal's scenario name or ARN, or any IAM ARN (an outsider,
 * with no identity policies of its own).
 */
principal: string, 
/**
 * `kms:Decrypt`, …
 */
action: string, 
/**
 * A key's scenario name, ARN or alias.
 */
key: string, 
/**
 * The Region of the call; the scenario's when absent.
 */
region?: string, 
/**
 * The encryption context.
 */
encryptionContext?: { [key in string]: string }, 
/**
 * Further context keys (`kms:ViaService`, `aws:SourceVpc`, …).
 */
context?: { [key in string]: OneOrMany }, };

/**
 * What `evaluate` takes.
 */
export type EvaluateInput = { 
/**
 * The scenario and its files.
 */
workspace: Workspace, 
/**
 * The request.
 */
request: Request, };

/**
 * The authorization decision.
 */
export type Decision = "allow" | "explicit-deny" | "implicit-deny";

/**
 * How an allowed request was allowed.
 */
export type AllowPath = "key-policy" | "key-policy-and-iam" | "grant" | "retiring-principal";

/**
 * The KMS exceptions a request can end in after it was authorized.
 */
export type KmsErrorKind = "DisabledException" | "KMSInvalidStateException" | "NotFoundException" | "UnsupportedOperationException" | "InvalidKeyUsageException";

/**
 * The kinds of policy that take part in a decision.
 */
export type SourceKind = "key-policy" | "identity" | "permissions-boundary" | "session-policy" | "scp" | "rcp" | "vpc-endpoint";

/**
 * `Allow` or `Deny`, as policies spell it.
 */
export type EffectJson = "Allow" | "Deny";

/**
 * A statement, located in its file.
 */
export type StatementJson = { 
/**
 * The kind of policy it is in.
 */
kind: SourceKind, 
/**
 * The policy's name.
 */
policy: string, 
/**
 * The Sid, when it has one.
 */
sid: string | null, 
/**
 * Its position in the policy (0-based).
 */
index: number, 
/**
 * Its effect.
 */
effect: EffectJson, 
/**
 * Its JSON pointer within the policy (`/Statement/1`).
 */
pointer: string, 
/**
 * Where it is written.
 */
location: Location, };

/**
 * A grant, located in its file when it has a place.
 */
export type GrantJson = { 
/**
 * Its name or id, or `#n`.
 */
label: string, 
/**
 * The grantee as written.
 */
grantee: string, 
/**
 * Where it is written (a scenario's `grants` entry).
 */
location: Location | null, };

/**
 * The kinds of reason (see [`Reason::code`]).
 */
export type ReasonKind = "denied" | "allowed" | "grant" | "retiring-principal" | "issuing-account" | "delegation" | "call-fails" | "missing" | "consulted" | "unevaluable";

/**
 * One reason: its sentence, what would help, and what it names.
 */
export type ReasonJson = { 
/**
 * What kind of reason.
 */
kind: ReasonKind, 
/**
 * One sentence for people.
 */
message: string, 
/**
 * For a missing piece: what would make the request allowed.
 */
help: string | null, 
/**
 * How what it names bears on the decision: `Allow` for what let the
 * request through, `Deny` for what denied it, `null` for near misses
 * and notes.
 */
effect: EffectJson | null, 
/**
 * The statement it names.
 */
statement: StatementJson | null, 
/**
 * The grant it names.
 */
grant: GrantJson | null, };

/**
 * The answer to one request, and why.
 */
export type Answer = { 
/**
 * The authorization decision.
 */
decision: Decision, 
/**
 * The KMS exception the call still ends in (an allowed call on a
 * disabled key, in another Region; or a key reference that found no key).
 */
error: KmsErrorKind | null, 
/**
 * The exception's message, as KMS words it.
 */
errorMessage: string | null, 
/**
 * How an allowed request was allowed.
 */
path: AllowPath | null, 
/**
 * The statements that decided (see `Explanation::deciding`).
 */
statements: Array<StatementJson>, 
/**
 * The grant used.
 */
grant: GrantJson | null, 
/**
 * The key-policy statement delegating to IAM, when delegation is what
 * happened.
 */
delegation: StatementJson | null, 
/**
 * Every reason, in order.
 */
reasons: Array<ReasonJson>, };

/**
 * A question and its answer: what `keyward query` prints, and every cell
 * of a matrix.
 */
export type AnsweredRequest = { 
/**
 * The principal as asked (a scenario name or an ARN).
 */
principal: string, 
/**
 * `kms:…`.
 */
action: string, 
/**
 * The key as asked, or its ARN.
 */
key: string, 
/**
 * What keyward adds about the question itself (an outsider principal,
 * for one).
 */
notes: Array<string>, 
/**
 * The answer.
 */
answer: Answer, };

/**
 * What `runScenario` takes.
 */
export type ScenarioInput = { 
/**
 * The scenario and its files.
 */
workspace: Workspace, 
/**
 * The matrix's actions; the actions of the expectations when absent.
 */
actions?: Array<string>, };

/**
 * The diagnostics of one file.
 */
export type FileDiagnostics = { 
/**
 * The workspace path (or the scenario's name for inline policies).
 */
file: string, 
/**
 * Its diagnostics, in the order found.
 */
diagnostics: Array<DiagnosticJson>, };

/**
 * What a check expects.
 */
export type ExpectedDecision = "allow" | "deny" | "explicit-deny" | "implicit-deny";

/**
 * One checked expectation.
 */
export type ExpectationOut = { 
/**
 * Position among the scenario's checked expectations.
 */
index: number, 
/**
 * Principal name.
 */
principal: string, 
/**
 * `kms:…`.
 */
action: string, 
/**
 * Key name.
 */
key: string, 
/**
 * `region`, when the expectation gives one.
 */
region: string | null, 
/**
 * `context`, as written (values as strings).
 */
context: Record<string, unknown>, 
/**
 * `encryptionContext`, as written.
 */
encryptionContext: Record<string, unknown>, 
/**
 * True when the request is a matrix cell: the scenario's Region, no
 * context, no alias, no grant.
 */
plain: boolean, 
/**
 * `allow`, `deny`, `explicit-deny` or `implicit-deny`.
 */
expected: ExpectedDecision, 
/**
 * The expected KMS error, if any.
 */
expectedError: KmsErrorKind | null, 
/**
 * What keyward answers.
 */
actual: Answer, 
/**
 * Whether it is the expected answer.
 */
pass: boolean, 
/**
 * Where the `expect` entry starts in the scenario file.
 */
start: Position, 
/**
 * Where it ends.
 */
end: Position, };

/**
 * What `runScenario` answers.
 */
export type ScenarioReport = { 
/**
 * Problems of the scenario and its policies; when any is an error,
 * the rest of the report is empty.
 */
diagnostics: Array<FileDiagnostics>, 
/**
 * Principal names, in scenario order.
 */
principals: Array<string>, 
/**
 * Key names, in scenario order.
 */
keys: Array<string>, 
/**
 * The matrix's actions.
 */
actions: Array<string>, 
/**
 * Asked-for actions that are not KMS actions.
 */
unknownActions: Array<string>, 
/**
 * One cell per principal × key × action.
 */
cells: Array<AnsweredRequest>, 
/**
 * Every expectation, checked.
 */
expectations: Array<ExpectationOut>, 
/**
 * How many expectations hold.
 */
passed: number, 
/**
 * How many do not.
 */
failed: number, };

/**
 * What `benchmark` takes.
 */
export type BenchmarkInput = { 
/**
 * The scenario and its files.
 */
workspace: Workspace, 
/**
 * The matrix's actions, as for `runScenario`.
 */
actions?: Array<string>, 
/**
 * How many times to decide the whole matrix.
 */
rounds: number, };

/**
 * What `benchmark` answers.
 */
export type BenchmarkReport = { 
/**
 * Requests in one round (the matrix cells).
 */
requests: number, 
/**
 * Decisions made: requests × rounds (rounds are capped at 100 000).
 */
decisions: number, };

/**
 * What `check` takes.
 */
export type CheckInput = { 
/**
 * The scenario and its files.
 */
workspace: Workspace, };

/**
 * What an expectation expects.
 */
export type ExpectedJson = { 
/**
 * `allow`, `deny`, `explicit-deny` or `implicit-deny`.
 */
decision: ExpectedDecision, 
/**
 * The KMS error expected (`null`: none).
 */
error: KmsErrorKind | null, };

/**
 * One checked expectation.
 */
export type CheckJson = { 
/**
 * The scenario file.
 */
file: string, 
/**
 * The principal as written.
 */
principal: string, 
/**
 * `kms:…`.
 */
action: string, 
/**
 * The key as written.
 */
key: string, 
/**
 * What the expectation expects.
 */
expected: ExpectedJson, 
/**
 * What keyward answers.
 */
actual: Answer, 
/**
 * Whether it is the expected answer.
 */
pass: boolean, };

/**
 * `keyward scenario run --format json`: every check of every file, and
 * the problems of the files that could not be loaded.
 */
export type RunJson = { 
/**
 * Every check, file by file.
 */
results: Array<CheckJson>, 
/**
 * How many hold.
 */
passed: number, 
/**
 * How many do not.
 */
failed: number, 
/**
 * Problems of scenarios that could not be loaded.
 */
errors: Array<DiagnosticJson>, };

/**
 * What `matrix` takes.
 */
export type MatrixInput = { 
/**
 * The scenario and its files.
 */
workspace: Workspace, 
/**
 * KMS actions that take a key, as `--actions` names them; `kms:Encrypt`
 * and `kms:Decrypt` when absent.
 */
actions?: Array<string>, };

/**
 * `keyward scenario matrix --format json`.
 */
export type MatrixJson = { 
/**
 * Principal names, in scenario order.
 */
principals: Array<string>, 
/**
 * Key names, in scenario order.
 */
keys: Array<string>, 
/**
 * The actions asked about.
 */
actions: Array<string>, 
/**
 * One per principal × key × action.
 */
cells: Array<AnsweredRequest>, };

/**
 * What `compare` takes.
 */
export type CompareInput = { 
/**
 * The policy before the change; blank for a policy that did not exist
 * (it allows nothing).
 */
before: string, 
/**
 * The policy after the change.
 */
after: string, 
/**
 * The file the policy is (`policy.json` when absent): the after's
 * explanations point into it, the before's into `NAME (before)`.
 */
name?: string, 
/**
 * `key` or `identity`; detected from the policies when absent (a
 * statement with `Principal` makes a key policy).
 */
kind?: string, 
/**
 * The ARN of the key the key policy is for: witnesses name it. Without
 * it every account the key could be in is considered.
 */
key?: string, };

/**
 * `pass`, `fail` or `unknown`.
 */
export type CheckResult = "pass" | "fail" | "unknown";

/**
 * A context value: one string or several.
 */
export type ContextValueJson = string | Array<string>;

/**
 * The statement that allows a witness, located in its file.
 */
export type StatementAt = { 
/**
 * The file.
 */
file: string, 
/**
 * 1-based line of the statement's start.
 */
line: number, 
/**
 * 1-based column of the statement's start.
 */
column: number, 
/**
 * The policy's name.
 */
policy: string, 
/**
 * The statement's Sid, or `#index`.
 */
statement: string, };

/**
 * What the caller's own policies were assumed to do.
 */
export type CallerPoliciesJson = { 
/**
 * Its IAM identity policies allow the request.
 */
identityPoliciesAllow: boolean, 
/**
 * Its permissions boundary (if any) allows it.
 */
boundaryAllows: boolean, 
/**
 * The same, for people.
 */
description: string, };

/**
 * The key properties a witness's key class has.
 */
export type KeyPropertiesJson = { 
/**
 * `aws:ResourceTag/*`.
 */
tags: { [key in string]: string }, 
/**
 * `kms:ResourceAliases`.
 */
aliases: Array<string>, 
/**
 * `kms:KeySpec`.
 */
keySpec: string, 
/**
 * `kms:KeyUsage`.
 */
keyUsage: string, 
/**
 * `kms:KeyOrigin`.
 */
origin: string, 
/**
 * `kms:MultiRegionKeyType`.
 */
multiRegionKeyType: string | null, };

/**
 * A witness: one concrete request, and why it is decided as the check
 * says. `principal`, `action`, `key`, `context`, `encryptionContext` and
 * `region` are the fields of a `keyward query` request.
 */
export type WitnessJson = { 
/**
 * The caller's ARN (or service name).
 */
principal: string, 
/**
 * The action.
 */
action: string, 
/**
 * The key's ARN.
 */
key: string, 
/**
 * The request context (including `aws:CurrentTime`, `kms:RequestAlias`).
 */
context: { [key in string]: ContextValueJson }, 
/**
 * The encryption context.
 */
encryptionContext: { [key in string]: string }, 
/**
 * Why the policy under check allows it (for a loss: why the base did).
 */
reasons: Array<string>, 
/**
 * The statement that allows it.
 */
statement: StatementAt | null, 
/**
 * The class of callers it stands for.
 */
principalClass: string, 
/**
 * Every action the class stands for.
 */
actions: Array<string>, 
/**
 * The conditions of the class, for people.
 */
conditions: Array<string>, 
/**
 * The Region the request is sent to, when it matters.
 */
region?: string, 
/**
 * What the caller's own policies were assumed to do (key policies).
 */
callerPolicies?: CallerPoliciesJson, 
/**
 * The caller's unique id (`aws:userid`), when the class needs one.
 */
userId?: string, 
/**
 * The caller's tags, when the class needs them.
 */
principalTags?: { [key in string]: string }, 
/**
 * The key's properties, when the class needs them.
 */
keyProperties?: KeyPropertiesJson, 
/**
 * Why the other policy decides otherwise (no-new-access, diff).
 */
baseReasons?: Array<string>, 
/**
 * No-public-access: `public` or `external`.
 */
scope?: string, 
/**
 * The answer of the policy that allows it, in keyward's one answer format.
 */
answer?: Answer, 
/**
 * The other policy's answer (no-new-access, diff).
 */
baseAnswer?: Answer, };

/**
 * Gained or lost.
 */
export type ChangeKind = "gained" | "lost";

/**
 * One change of access.
 */
export type ChangeJson = { 
/**
 * Gained or lost.
 */
change: ChangeKind, 
/**
 * The class of callers.
 */
principalClass: string, 
/**
 * The key (the ARN of its class).
 */
key: string, 
/**
 * The actions.
 */
actions: Array<string>, 
/**
 * When it holds: alternatives, each a list of conditions that hold
 * together; a single empty list means always.
 */
when: Array<Array<string>>, 
/**
 * One request of the change; `answer` is the policy that allows it
 * (the head for a gain, the base for a loss), `baseAnswer` the other.
 */
example: WitnessJson, };

/**
 * The changes between two policies.
 */
export type DiffJson = { 
/**
 * The changes, gains first.
 */
changes: Array<ChangeJson>, 
/**
 * Why the diff may be incomplete (then it is not a proof of no change).
 */
unknown: string | null, 
/**
 * How many classes of requests were decided.
 */
classes: number, };

/**
 * What `compare` answers.
 */
export type CompareReport = { 
/**
 * `no-new-access`'s verdict: `fail` when anything is gained, `unknown`
 * when the comparison could not be completed (or a policy does not
 * parse), else `pass`.
 */
result: CheckResult, 
/**
 * The kind compared: `key` or `identity`.
 */
kind: string, 
/**
 * The name the before's explanations use (`NAME (before)`).
 */
beforeName: string, 
/**
 * The before's errors and warnings (it is not compared while it has
 * errors), then, for a key policy, why KMS would refuse it.
 */
before: Array<DiagnosticJson>, 
/**
 * The after's errors and warnings.
 */
after: Array<DiagnosticJson>, 
/**
 * The changes, gains first; `null` while a version has errors (a key
 * policy KMS refuses included).
 */
diff: DiffJson | null, };

/**
 * What `whoCan` takes.
 */
export type WhoCanInput = { 
/**
 * The scenario and its files.
 */
workspace: Workspace, 
/**
 * The key: its scenario name, ARN, key id or alias.
 */
key: string, 
/**
 * The actions asked about; every KMS action that takes a key when
 * absent or empty.
 */
actions?: Array<string>, };

/**
 * What `whatCan` takes.
 */
export type WhatCanInput = { 
/**
 * The scenario and its files.
 */
workspace: Workspace, 
/**
 * The principal: its scenario name or ARN.
 */
principal: string, 
/**
 * The keys asked about; every key of the scenario when absent or empty.
 */
keys?: Array<string>, 
/**
 * The actions asked about; every KMS action that takes a key when
 * absent or empty.
 */
actions?: Array<string>, };

/**
 * What an entry's principal is.
 */
export type EntryKind = "principal" | "account" | "service" | "organization" | "public" | "grantee";

/**
 * The grant a `CreateGrant` witness asks for.
 */
export type NewGrantJson = { 
/**
 * The grantee principal.
 */
grantee: string, 
/**
 * The operations asked for (`Decrypt`, …).
 */
operations: Array<string>, 
/**
 * `{"encryptionContextEquals": {…}}` or `{"encryptionContextSubset": {…}}`.
 */
constraints: { [key in string]: { [key in string]: string } } | null, };

/**
 * What a class's own IAM policies are assumed to do.
 */
export type AssumedPoliciesJson = { 
/**
 * Its identity policies allow the request.
 */
identityPoliciesAllow: boolean, 
/**
 * Its permissions boundary (if any) allows it.
 */
boundaryAllows: boolean, };

/**
 * The request that proves an entry: the fields of a `keyward query` request.
 */
export type ReplayJson = { 
/**
 * The caller's ARN (or service name).
 */
principal: string, 
/**
 * The action.
 */
action: string, 
/**
 * The key's ARN.
 */
key: string, 
/**
 * The request context (with `aws:CurrentTime` and `kms:RequestAlias`).
 */
context: { [key in string]: ContextValueJson }, 
/**
 * The encryption context.
 */
encryptionContext: { [key in string]: string }, 
/**
 * The Region the request is sent to, when not the key's.
 */
region?: string, 
/**
 * For `CreateGrant` through a grant: the grant asked for.
 */
newGrant?: NewGrantJson, 
/**
 * For a class outside the world: what its own policies are assumed to do.
 */
callerPolicies?: AssumedPoliciesJson, };

/**
 * One entry: this principal (or class) may be allowed this action on this
 * key, this way, under these conditions.
 */
export type WhoCanEntry = { 
/**
 * The principal's ARN, or how the class reads.
 */
principal: string, 
/**
 * The principal's name in the world, when it has one of its own.
 */
name?: string, 
/**
 * What the principal is.
 */
kind: EntryKind, 
/**
 * The action.
 */
action: string, 
/**
 * The key's ARN.
 */
key: string, 
/**
 * Not every request of the principal is allowed.
 */
conditional: boolean, 
/**
 * Alternatives, each a list of conditions that hold together.
 */
conditions: Array<Array<string>>, 
/**
 * How the allowed requests were allowed.
 */
via: Array<AllowPath>, 
/**
 * The KMS exception every allowed request still ends in, if they all do.
 */
error: KmsErrorKind | null, 
/**
 * Why the witness is allowed, in keyward's one answer format.
 */
reasons: Array<ReasonJson>, 
/**
 * A request that is allowed.
 */
witness: ReplayJson, };

/**
 * A principal and key the analysis could not decide exactly.
 */
export type UndecidedJson = { 
/**
 * The principal (ARN or class).
 */
principal: string, 
/**
 * The key's ARN.
 */
key: string, 
/**
 * Why.
 */
reason: string, };

/**
 * The answer of a reverse query.
 */
export type WhoCanReport = { 
/**
 * Every entry.
 */
entries: Array<WhoCanEntry>, 
/**
 * What could not be decided exactly: the report may be incomplete there.
 */
unknown: Array<UndecidedJson>, 
/**
 * Nothing is undecided.
 */
complete: boolean, };
