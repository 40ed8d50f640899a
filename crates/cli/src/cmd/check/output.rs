//! Writing check results: for people, as the JSON contract, as SARIF and
//! as GitHub annotations (the last two through the linter's reporters, one
//! finding per witness on the statement that grants the access).

use keyward_analysis::checks::{Outcome, Verdict};
use keyward_analysis::witness::Witness;
use keyward_eval::ContextValue;
use keyward_lint::report::{reporter, FileReport, Format, RenderOptions, Report};
use keyward_policy::{Diagnostic, Span};
use serde_json::{json, Value};

use super::inputs::{Invalid, Loaded, LoadedDoc};
use super::OutputFormat;
use crate::out;
use crate::render::{self, escape};

/// One policy checked.
pub struct Checked<'a> {
    /// The policy (the head of a comparison).
    pub doc: &'a LoadedDoc,
    /// What the check found.
    pub outcome: Outcome,
}

/// The overall verdict: any FAIL fails; otherwise any UNKNOWN is unknown.
pub fn overall(results: &[Checked<'_>]) -> Verdict {
    if results.iter().any(|r| r.outcome.verdict == Verdict::Fail) {
        Verdict::Fail
    } else if results
        .iter()
        .any(|r| r.outcome.verdict == Verdict::Unknown)
    {
        Verdict::Unknown
    } else {
        Verdict::Pass
    }
}

/// The exit code of a verdict.
pub fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
        Verdict::Unknown => 2,
    }
}

/// Witnesses with their statements placed in the file.
fn located(file: &Loaded, r: &Checked<'_>) -> Vec<Witness> {
    r.outcome
        .witnesses
        .iter()
        .map(|w| {
            let mut w = w.clone();
            w.statement = w.statement.map(|s| file.locate(r.doc, &s));
            w
        })
        .collect()
}

/// Print the results and return the exit code.
pub fn render(check: &str, file: &Loaded, results: &[Checked<'_>], format: OutputFormat) -> u8 {
    let verdict = overall(results);
    match format {
        OutputFormat::Json => out::json(&contract(check, file, results, verdict)),
        OutputFormat::Human => out::text(&human(check, file, results, verdict)),
        OutputFormat::Sarif | OutputFormat::Github => {
            let report = Report {
                files: vec![FileReport {
                    source: file.file.clone(),
                    diagnostics: findings(check, file, results),
                }],
                ..Report::default()
            };
            let mut text = String::new();
            if format == OutputFormat::Sarif {
                reporter(Format::Sarif, RenderOptions::default()).render(&report, &mut text);
                out::json_text(&text);
            } else {
                reporter(Format::Github, RenderOptions::default())
                    .render(&render::clean_report(&report), &mut text);
                out::commands(&text);
            }
        }
    }
    exit_code(verdict)
}

/// The JSON contract: `{"check", "result", "witnesses", …}`.
fn contract(check: &str, file: &Loaded, results: &[Checked<'_>], verdict: Verdict) -> Value {
    let mut witnesses = Vec::new();
    let mut reasons = Vec::new();
    let mut resources = Vec::new();
    let mut classes = 0;
    for r in results {
        for w in located(file, r) {
            let mut j = w.to_json();
            if let Some(label) = &r.doc.label {
                j["resource"] = json!(label);
            }
            witnesses.push(j);
        }
        if let Some(reason) = &r.outcome.reason {
            reasons.push(reason.clone());
        }
        classes += r.outcome.classes;
        resources.push(json!({
            "resource": r.doc.label,
            "policy": r.doc.doc.name,
            "kind": r.outcome.kind.as_str(),
            "result": r.outcome.verdict.as_str(),
            "reason": r.outcome.reason,
            "classes": r.outcome.classes,
        }));
    }
    json!({
        "check": check,
        "result": verdict.as_str(),
        "file": file.file.name(),
        "witnesses": witnesses,
        "reasons": reasons,
        "classes": classes,
        "policies": resources,
    })
}

/// The `keyward query` command that replays a witness.
pub fn replay(policy_file: &str, w: &Witness) -> String {
    let quote = |s: &str| {
        if s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=*,+".contains(c))
        {
            s.to_string()
        } else {
            format!("'{}'", s.replace('\'', r"'\''"))
        }
    };
    let mut cmd = format!(
        "keyward query --key-policy {} --principal {} --action {} --key {}",
        quote(policy_file),
        quote(&w.principal),
        w.action.qualified_name(),
        quote(&w.key)
    );
    for (k, v) in &w.context {
        let values: Vec<&str> = match v {
            ContextValue::One(s) => vec![s.as_ref()],
            ContextValue::Many(list) => list.iter().map(AsRef::as_ref).collect(),
        };
        for v in values {
            cmd.push_str(&format!(" --context {}", quote(&format!("{k}={v}"))));
        }
    }
    for (k, v) in &w.encryption_context {
        cmd.push_str(&format!(
            " --encryption-context {}",
            quote(&format!("{k}={v}"))
        ));
    }
    if let Some(r) = &w.region {
        cmd.push_str(&format!(" --region {}", quote(r)));
    }
    if w.caller_policies.is_some_and(|c| c.iam_allows) {
        cmd.push_str(" --identity-policy ALLOWING.json");
    }
    cmd
}

/// What a replay needs that `keyward query` cannot be told on its command line.
fn replay_notes(w: &Witness) -> Vec<String> {
    let mut notes = Vec::new();
    if w.caller_policies.is_some_and(|c| c.iam_allows) {
        notes.push("ALLOWING.json: any identity policy that allows the request".to_string());
    }
    if w.caller_policies.is_some_and(|c| c.bounded) {
        notes.push("the caller has a permissions boundary that allows no KMS action".to_string());
    }
    if !w.principal_tags.is_empty() || w.user_id.is_some() || w.key_class.is_some() {
        notes.push(
            "principal tags, a unique id or key properties: replay with a scenario file"
                .to_string(),
        );
    }
    notes
}

/// For people; every text from the inputs escaped ([`escape`]).
fn human(check: &str, file: &Loaded, results: &[Checked<'_>], verdict: Verdict) -> String {
    let mut out = String::new();
    let name = escape(file.file.name());
    for r in results {
        let what = match &r.doc.label {
            Some(label) => format!("{name} (resource {})", escape(label)),
            None => name.to_string(),
        };
        let n = r.outcome.classes;
        out.push_str(&format!(
            "{check}: {} {what} — {n} {} of requests decided\n",
            r.outcome.verdict.as_str().to_uppercase(),
            if n == 1 { "class" } else { "classes" }
        ));
        if let Some(reason) = &r.outcome.reason {
            out.push_str(&format!("  {}\n", escape(reason)));
        }
        for (i, w) in located(file, r).iter().enumerate() {
            out.push_str(&format!(
                "  {}. {} may call {} on {}\n",
                i + 1,
                escape(&w.principal),
                w.action.qualified_name(),
                escape(&w.key)
            ));
            let line = |label: &str, text: &str| format!("     {label}: {}\n", escape(text));
            out.push_str(&line("who", &w.principal_class.to_string()));
            if let Some(c) = w.caller_policies {
                out.push_str(&line("its own policies", c.describe()));
            }
            if let Some(scope) = w.scope {
                out.push_str(&line("outside the zone of trust", scope));
            }
            if !w.conditions.is_empty() {
                out.push_str(&line("when", &w.conditions.join("; ")));
            }
            if let Some(k) = &w.key_class {
                out.push_str(&line("key", &k.label));
            }
            for reason in &w.reasons {
                out.push_str(&line("why", reason));
            }
            for reason in &w.base_reasons {
                out.push_str(&line("before", reason));
            }
            if let Some(s) = &w.statement {
                let at = format!(
                    "{}:{}:{} (statement {})",
                    s.file, s.line, s.column, s.statement
                );
                out.push_str(&format!("     at {}\n", escape(&at)));
            }
            if r.doc.label.is_none() {
                out.push_str(&line("replay", &replay(file.file.name(), w)));
                for note in replay_notes(w) {
                    out.push_str(&format!("       ({note})\n"));
                }
            }
        }
    }
    out.push_str(&format!("{check}: {}\n", verdict.as_str().to_uppercase()));
    out
}

fn code(check: &str) -> &'static str {
    match check {
        "no-new-access" => "check::no-new-access",
        "access-not-granted" => "check::access-not-granted",
        "no-public-access" => "check::no-public-access",
        _ => "check",
    }
}

/// One finding per witness, on the statement that grants the access; one
/// per unknown answer, at the start of the file.
fn findings(check: &str, file: &Loaded, results: &[Checked<'_>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in results {
        for w in located(file, r) {
            let when = if w.conditions.is_empty() {
                String::new()
            } else {
                format!(" when {}", w.conditions.join("; "))
            };
            let message = format!(
                "{check}: `{}` may call {} on `{}`{when}",
                w.principal,
                w.action.qualified_name(),
                w.key
            );
            let span = w.statement.as_ref().map_or(Span::point(0), |s| s.span);
            let mut help = w.reasons.join("; ");
            if !w.base_reasons.is_empty() {
                help.push_str(&format!("; before: {}", w.base_reasons.join("; ")));
            }
            if r.doc.label.is_none() {
                help.push_str(&format!("; replay: {}", replay(file.file.name(), &w)));
            }
            out.push(Diagnostic::error(code(check), message, span).with_help(help));
        }
        if r.outcome.verdict == Verdict::Unknown {
            let reason = r.outcome.reason.clone().unwrap_or_default();
            out.push(Diagnostic::warning(
                "check::unknown",
                format!("{check}: cannot decide exactly: {reason}"),
                Span::point(0),
            ));
        }
    }
    out
}

/// Report a file that cannot be read as policies; exit code 2.
pub fn emit_invalid(invalid: &Invalid, format: OutputFormat) -> u8 {
    match format {
        OutputFormat::Json => {
            let errors: Vec<Value> = invalid
                .diagnostics
                .iter()
                .map(|d| render::json(&invalid.source, d))
                .collect();
            out::json(&json!({"result": "invalid", "errors": errors}));
        }
        _ => out::err(&render::human(&invalid.source, &invalid.diagnostics)),
    }
    2
}

/// Report an input error; exit code 2.
pub fn emit_error(message: &str, format: OutputFormat) -> u8 {
    if format == OutputFormat::Json {
        out::json(&json!({"result": "invalid", "errors": [{"message": message}]}));
    } else {
        out::error(&escape(message), "");
    }
    2
}
