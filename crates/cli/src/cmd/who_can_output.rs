//! Printing the answers of `who-can` and `what-can`: for people (each
//! answer with the statements that allow it and a `keyward query` command
//! that proves it), as the JSON contract of docs/who-can.md, or as CSV
//! (one entry per line).

use keyward_analysis::reverse::{Entry, EntryKind, Replay, Report};
use keyward_eval::{ContextValue, SourceKind};
use serde_json::{json, Value};

use crate::out;
use crate::render::escape;

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: per principal, the actions, how, when, and a proof.
    #[default]
    Human,
    /// The JSON contract (docs/who-can.md).
    Json,
    /// One entry per line, for spreadsheets.
    Csv,
}

/// What was asked, for the output's head.
pub struct Asked<'a> {
    /// `who-can` or `what-can`.
    pub query: &'a str,
    /// The title for people.
    pub title: String,
    /// JSON members naming what was asked (`key`, `principal`).
    pub members: Vec<(&'a str, Value)>,
    /// The world's argument as `keyward query` takes it
    /// (`--scenario FILE` or `--snapshot DIR`), for the proofs.
    pub world: Vec<String>,
}

/// The exit code of a report: 0 something is allowed, 1 nothing is, 2 the
/// report is incomplete.
pub fn exit_code(report: &Report) -> u8 {
    if !report.unknown.is_empty() {
        2
    } else if report.entries.is_empty() {
        1
    } else {
        0
    }
}

/// Print `report` in `format` and return the exit code.
pub fn print(report: &Report, format: Format, asked: &Asked<'_>) -> u8 {
    match format {
        Format::Json => {
            let mut v = report.to_json();
            v["query"] = json!(asked.query);
            for (k, x) in &asked.members {
                v[*k] = x.clone();
            }
            out::json(&v);
        }
        Format::Csv => out::text(&csv(report)),
        Format::Human => out::text(&human(report, asked)),
    }
    exit_code(report)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn conditions_text(e: &Entry) -> String {
    e.conditions
        .iter()
        .map(|alt| alt.join(" and "))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One line per entry, then one per undecided pair (kind `unknown`).
fn csv(report: &Report) -> String {
    let mut out = String::from("principal,kind,name,action,key,conditional,conditions,via,error\n");
    for e in &report.entries {
        let via: Vec<&str> = e.via.iter().map(|v| v.as_str()).collect();
        let fields = [
            csv_field(&e.principal),
            e.kind.as_str().to_string(),
            csv_field(e.name.as_deref().unwrap_or("")),
            e.action.qualified_name().to_string(),
            csv_field(&e.key),
            e.conditional.to_string(),
            csv_field(&conditions_text(e)),
            csv_field(&via.join(" ")),
            e.error.map(|x| x.as_str()).unwrap_or("").to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    for u in &report.unknown {
        out.push_str(&format!(
            "{},unknown,,,{},,{},,\n",
            csv_field(&u.principal),
            csv_field(&u.key),
            csv_field(&u.reason)
        ));
    }
    out
}

/// One line of the human output: when and how, and what KMS answers.
fn how_when(e: &Entry) -> String {
    let mut line = format!("{} — {}", e.when(), e.how());
    if let Some(err) = e.error {
        line.push_str(&format!(" — but KMS answers {err}"));
    }
    line
}

/// The statements and grants that allow an entry's witness, each once,
/// with where they are written. The organization's policies that merely
/// let it through (SCPs, RCPs) are left to `--format json`.
fn because(e: &Entry) -> Vec<String> {
    let Some(answer) = &e.answer else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for r in answer.reasons.iter().filter(|r| r.effect.is_some()) {
        let guardrail = r
            .statement
            .as_ref()
            .is_some_and(|s| matches!(s.kind, SourceKind::Scp | SourceKind::Rcp));
        if guardrail {
            continue;
        }
        // A policy keyward stands in (an outsider's assumed IAM policies)
        // is written nowhere: its "file" is its name.
        let at = r
            .statement
            .as_ref()
            .filter(|s| s.location.file != s.policy)
            .map(|s| &s.location)
            .or_else(|| r.grant.as_ref().and_then(|g| g.location.as_ref()));
        let line = match at {
            Some(l) => format!(
                "{} at {}:{}:{}",
                r.message, l.file, l.start.line, l.start.column
            ),
            None => r.message.clone(),
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

/// A word for the shell: quoted unless plainly safe.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The `keyward query` command that decides entry `e`'s witness, when it
/// can ask it: a class's assumed policies and a new grant have no flags,
/// and `query --snapshot` asks only about the snapshot's principals.
pub fn query_command(world: &[String], e: &Entry) -> Option<String> {
    let w: &Replay = &e.witness;
    let snapshot = world.first().is_some_and(|f| f == "--snapshot");
    if w.assumes.is_some() || w.new_grant.is_some() || (snapshot && e.kind != EntryKind::Principal)
    {
        return None;
    }
    let mut words: Vec<String> = vec!["keyward".into(), "query".into()];
    words.extend(world.iter().cloned());
    words.extend([
        "--principal".into(),
        w.principal.clone(),
        "--action".into(),
        w.action.qualified_name().to_string(),
        "--key".into(),
        w.key.clone(),
    ]);
    if let Some(r) = &w.region {
        words.extend(["--region".into(), r.clone()]);
    }
    for (k, v) in &w.context {
        let values: Vec<&str> = match v {
            ContextValue::One(s) => vec![s.as_ref()],
            ContextValue::Many(list) => list.iter().map(AsRef::as_ref).collect(),
        };
        for v in values {
            words.extend(["--context".into(), format!("{k}={v}")]);
        }
    }
    for (k, v) in &w.encryption_context {
        words.extend(["--encryption-context".into(), format!("{k}={v}")]);
    }
    Some(
        words
            .iter()
            .map(|w| shell_word(w))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A group of the human output: one principal (or class) on one key.
struct Group<'r> {
    who: String,
    key: &'r str,
    /// Lines (when and how) with their entries.
    lines: Vec<(String, Vec<&'r Entry>)>,
}

fn who(e: &Entry) -> String {
    match (&e.name, e.kind.as_str()) {
        (Some(n), "principal") => format!("{} ({n})", e.principal),
        (Some(n), kind) => format!("{} ({n}) [{kind}]", e.principal),
        (None, "principal") => e.principal.clone(),
        (None, kind) => format!("{} [{kind}]", e.principal),
    }
}

/// Per principal (or class) and key, the actions grouped by how and when,
/// each group with what allows it and a request that proves it.
fn human(report: &Report, asked: &Asked<'_>) -> String {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for e in &report.entries {
        let who = who(e);
        let i = match groups.iter().position(|g| g.who == who && g.key == e.key) {
            Some(i) => i,
            None => {
                groups.push(Group {
                    who,
                    key: &e.key,
                    lines: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let line = how_when(e);
        let lines = &mut groups[i].lines;
        match lines.iter_mut().find(|(l, _)| *l == line) {
            Some((_, entries)) => entries.push(e),
            None => lines.push((line, vec![e])),
        }
    }
    let several_keys = groups.iter().any(|g| g.key != groups[0].key);
    let mut out = format!("{}\n", escape(&asked.title));
    for g in &groups {
        if asked.query == "what-can" {
            out.push_str(&format!("on {}\n", escape(g.key)));
        } else if several_keys {
            out.push_str(&format!("{} on {}\n", escape(&g.who), escape(g.key)));
        } else {
            out.push_str(&format!("{}\n", escape(&g.who)));
        }
        for (line, entries) in &g.lines {
            let actions: Vec<&str> = entries.iter().map(|e| e.action.qualified_name()).collect();
            out.push_str(&format!("  {}: {}\n", actions.join(", "), escape(line)));
            let Some(first) = entries.first() else {
                continue;
            };
            for b in because(first) {
                out.push_str(&format!("    {}\n", escape(&b)));
            }
            match query_command(&asked.world, first) {
                Some(cmd) => out.push_str(&format!("    proof: {}\n", escape(&cmd))),
                None => out.push_str("    proof: the witness request of --format json\n"),
            }
        }
    }
    if report.entries.is_empty() {
        let none = if asked.query == "what-can" {
            "nothing"
        } else {
            "nobody"
        };
        out.push_str(&format!("  {none}\n"));
    }
    for u in &report.unknown {
        out.push_str(&format!(
            "unknown: {} on {}: {}\n",
            escape(&u.principal),
            escape(&u.key),
            escape(&u.reason)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("kms:Decrypt"), "kms:Decrypt");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(
            shell_word("aws:s3:arn=arn:aws:s3:::app-*"),
            "'aws:s3:arn=arn:aws:s3:::app-*'"
        );
    }

    #[test]
    fn csv_fields_with_commas_and_quotes_are_quoted() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
