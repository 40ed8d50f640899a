//! Printing the answers of `who-can` and `what-can`: for people, as the
//! JSON contract of docs/who-can.md, or as CSV (one entry per line).

use std::io::Write;

use keyward_analysis::reverse::{Entry, Report};
use serde_json::{json, Value};

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: per principal, the actions and when.
    #[default]
    Human,
    /// The JSON contract (docs/who-can.md).
    Json,
    /// One entry per line, for spreadsheets.
    Csv,
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

/// Print `report` in `format`; `head` says what was asked (JSON members
/// and the human title).
pub fn print(report: &Report, format: Format, title: &str, head: Value) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = match format {
        Format::Json => {
            let mut v = report.to_json();
            if let (Value::Object(m), Value::Object(h)) = (&mut v, head) {
                for (k, x) in h {
                    m.insert(k, x);
                }
            }
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            )
        }
        Format::Csv => csv(&mut out, report),
        Format::Human => human(&mut out, report, title),
    };
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
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

fn csv(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "principal,kind,name,action,key,conditional,conditions,via,error"
    )?;
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
        writeln!(out, "{}", fields.join(","))?;
    }
    for u in &report.unknown {
        writeln!(
            out,
            "{},unknown,,,{},,{},,",
            csv_field(&u.principal),
            csv_field(&u.key),
            csv_field(&u.reason)
        )?;
    }
    Ok(())
}

/// One line of the human output: how and when, and what KMS answers.
fn how_when(e: &Entry) -> String {
    let mut line = format!("{} — {}", e.when(), e.how());
    if let Some(err) = e.error {
        line.push_str(&format!(" — but KMS answers {err}"));
    }
    line
}

/// Per principal (or class) and key, the actions grouped by how and when.
fn human(out: &mut impl Write, report: &Report, title: &str) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    let mut groups: Vec<(String, String, Vec<(String, Vec<String>)>)> = Vec::new();
    for e in &report.entries {
        let who = match (&e.name, e.kind.as_str()) {
            (Some(n), _) => format!("{} ({n})", e.principal),
            (None, "principal") => e.principal.clone(),
            (None, kind) => format!("{} [{kind}]", e.principal),
        };
        let line = how_when(e);
        let group = match groups.iter_mut().find(|(w, k, _)| *w == who && *k == e.key) {
            Some(g) => g,
            None => {
                groups.push((who, e.key.clone(), Vec::new()));
                let last = groups.len() - 1;
                &mut groups[last]
            }
        };
        match group.2.iter_mut().find(|(l, _)| *l == line) {
            Some((_, actions)) => actions.push(e.action.qualified_name().to_string()),
            None => group
                .2
                .push((line, vec![e.action.qualified_name().to_string()])),
        }
    }
    let keys: std::collections::BTreeSet<&str> =
        report.entries.iter().map(|e| e.key.as_str()).collect();
    for (who, key, lines) in &groups {
        if keys.len() > 1 {
            writeln!(out, "{who} on {key}")?;
        } else {
            writeln!(out, "{who}")?;
        }
        for (line, actions) in lines {
            writeln!(out, "  {}: {line}", actions.join(", "))?;
        }
    }
    if report.entries.is_empty() {
        writeln!(out, "  nobody")?;
    }
    for u in &report.unknown {
        writeln!(out, "unknown: {} on {}: {}", u.principal, u.key, u.reason)?;
    }
    Ok(())
}

/// The JSON members naming what was asked.
pub fn head(query: &str, pairs: &[(&str, Value)]) -> Value {
    let mut v = json!({ "query": query });
    for (k, x) in pairs {
        v[*k] = x.clone();
    }
    v
}
