//! `keyward query --snapshot DIR`: one request about a real account.
//! Exit 0 allowed, 1 denied or a KMS error, 2 invalid input or an
//! incomplete answer (the snapshot lacks data it depends on).

use keyward_eval::answer::{Answer, AnsweredRequest};
use keyward_eval::{closest_action, ContextValue, KmsAction};
use keyward_policy::Locator;
use keyward_snapshot::{Ask, Incomplete, Outcome, PrincipalKind, Verdict};
use serde_json::{json, Value};

use super::scenario::{self as sc, Format};
use super::snapshot::{gap_json, load_dir, note_problems};
use crate::out;
use crate::render::{self, escape};

/// What `keyward query` was given, for a snapshot.
#[derive(Debug)]
pub struct QueryArgs<'a> {
    /// The snapshot directory.
    pub dir: &'a str,
    /// `--principal`.
    pub principal: &'a str,
    /// `--action`.
    pub action: &'a str,
    /// `--key`.
    pub key: &'a str,
    /// `--region`.
    pub region: Option<&'a str>,
    /// `--context KEY=VALUE`, repeated.
    pub context: &'a [String],
    /// `--encryption-context K=V`, repeated.
    pub encryption_context: &'a [String],
    /// `--format`.
    pub format: Format,
    /// `--max-file-size`.
    pub max_file_size: usize,
}

fn invalid(message: &str, help: &str) -> u8 {
    out::error(&escape(message), &escape(help));
    2
}

fn pair<'t>(text: &'t str, flag: &str) -> Result<(&'t str, &'t str), String> {
    text.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("`{}` is not KEY=VALUE (in {flag})", escape(text)))
}

/// Run the query.
pub fn run(q: &QueryArgs<'_>) -> u8 {
    let Some(action) = KmsAction::parse(q.action) else {
        let help = match closest_action(q.action) {
            Some(a) => format!("did you mean `{a}`?"),
            None => "name one KMS action, such as `kms:Decrypt`".to_string(),
        };
        return invalid(&format!("`{}` is not a KMS action", q.action), &help);
    };
    let mut ask = Ask::new(q.principal, action, q.key);
    ask.region = q.region.map(str::to_string);
    match super::query::encryption_context(q.encryption_context) {
        Ok(pairs) => {
            for (k, v) in pairs {
                ask.encryption_context.push((k.into(), v.into()));
            }
        }
        Err((message, help)) => return invalid(&message, &help),
    }
    let mut context: Vec<(String, Vec<String>)> = Vec::new();
    for p in q.context {
        match pair(p, "--context") {
            Ok((k, v)) => match context
                .iter_mut()
                .find(|(ck, _)| ck.eq_ignore_ascii_case(k))
            {
                Some((_, vs)) => vs.push(v.into()),
                None => context.push((k.into(), vec![v.into()])),
            },
            Err(m) => {
                return invalid(
                    &m,
                    "write `--context kms:ViaService=s3.us-east-1.amazonaws.com`",
                )
            }
        }
    }
    ask.context = context
        .into_iter()
        .map(|(k, mut vs)| {
            let v = if vs.len() == 1 {
                ContextValue::One(vs.remove(0).into())
            } else {
                ContextValue::Many(vs.into_iter().map(Into::into).collect())
            };
            (k, v)
        })
        .collect();
    let snapshot = match load_dir(q.dir, q.max_file_size) {
        Ok(s) => s,
        Err(code) => return code,
    };
    note_problems(&snapshot, q.dir);
    let question = match snapshot.ask(&ask) {
        Ok(question) => question,
        Err(e) => return invalid(&e.message, &e.help),
    };
    let principal = question.principal_arn().to_string();
    let key = question.key_arn().to_string();
    let mut notes = Vec::new();
    if question.principal_kind() == PrincipalKind::Outsider {
        notes.push(format!(
            "`{principal}` is not a principal of the snapshot: its policies are unknown"
        ));
    }
    match question.answer() {
        Verdict::Complete(r) => {
            // What the request named: a reference that found no key (an
            // alias the operation does not take) is shown as written.
            let key = r.key_arn().map_or(key, str::to_string);
            match q.format {
                Format::Json => out::json(&AnsweredRequest {
                    principal,
                    action: action.qualified_name().to_string(),
                    key,
                    notes,
                    answer: Answer::new(&r, &mut Locator::new()),
                }),
                Format::Human => {
                    let verdict = match r.error() {
                        Some(e) => format!("{} → {}", sc::decision_words(r.decision()), e),
                        None => sc::decision_words(r.decision()).to_uppercase(),
                    };
                    let mut text = format!(
                        "{} → {action} on {}: {verdict}\n",
                        escape(&principal),
                        escape(&key)
                    );
                    for note in &notes {
                        text.push_str(&format!("  note: {}\n", escape(note)));
                    }
                    text.push_str(&render::reason_lines(&r, "  "));
                    text.push_str(&render::snippets(&r));
                    out::text(&text);
                }
            }
            if r.is_success() {
                0
            } else {
                1
            }
        }
        Verdict::Incomplete(i) => {
            match q.format {
                Format::Json => out::json(&json!({
                    "principal": principal,
                    "action": action.qualified_name(),
                    "key": key,
                    "notes": notes,
                    "answer": incomplete_answer(&i),
                })),
                Format::Human => {
                    out::text(&incomplete_human(&i, &principal, action, &key, &notes));
                }
            }
            2
        }
    }
}

fn outcome_json(o: Option<Outcome>) -> Value {
    o.map_or(
        Value::Null,
        |o| json!({"decision": o.decision.as_str(), "error": o.error.map(|e| e.as_str())}),
    )
}

/// An incomplete answer in the shape of every answer (`decision`,
/// `error`, `statements`, `reasons`…) with `decision: "incomplete"`, and
/// what is missing under `incomplete`.
pub fn incomplete_answer(i: &Incomplete) -> Value {
    let reason = |message: String| json!({"kind": "missing", "message": message, "help": null, "effect": null, "statement": null, "grant": null});
    json!({
        "decision": "incomplete",
        "error": null,
        "errorMessage": null,
        "path": null,
        "statements": [],
        "grant": null,
        "delegation": null,
        "reasons": std::iter::once(reason(i.why.clone()))
            .chain(i.missing.iter().map(|g| reason(format!("missing: {g}"))))
            .collect::<Vec<_>>(),
        "incomplete": {
            "why": i.why,
            "worst": outcome_json(i.worst),
            "best": outcome_json(i.best),
            "missing": i.missing.iter().map(gap_json).collect::<Vec<_>>(),
        },
    })
}

fn outcome_words(o: Outcome) -> String {
    match o.error {
        Some(e) => format!("{} → {}", sc::decision_words(o.decision), e.as_str()),
        None => sc::decision_words(o.decision).to_string(),
    }
}

fn incomplete_human(
    i: &Incomplete,
    principal: &str,
    action: KmsAction,
    key: &str,
    notes: &[String],
) -> String {
    let mut out = format!(
        "{} → {action} on {}: INCOMPLETE\n",
        escape(principal),
        escape(key)
    );
    for note in notes {
        out.push_str(&format!("  note: {}\n", escape(note)));
    }
    out.push_str(&format!("  {}\n", escape(&i.why)));
    if let (Some(w), Some(b)) = (i.worst, i.best) {
        if w == b {
            out.push_str(&format!("  in every case: {}\n", outcome_words(w)));
        } else {
            out.push_str(&format!(
                "  at worst: {}; at best: {}\n",
                outcome_words(w),
                outcome_words(b)
            ));
        }
    }
    out.push_str("  missing:\n");
    for g in &i.missing {
        out.push_str(&format!("    - {}\n", escape(&g.to_string())));
    }
    out
}
