//! `keyward scenario matrix --snapshot DIR`: the principal × key table of
//! a real account. Cells the snapshot cannot decide say `incomplete`.

use keyward_eval::answer::Answer;
use keyward_eval::KmsAction;
use keyward_policy::Locator;
use keyward_snapshot::{Cell, CellAnswer, Matrix, Snapshot, Verdict};
use serde_json::{json, Value};

use super::scenario::{self as sc, parse_actions, Format};
use super::snapshot::{load_dir, note_problems};
use super::snapshot_query::incomplete_answer;
use crate::out;
use crate::render::escape;
use crate::render::grid::{self, Grid};

/// Print the matrix of the snapshot in `dir`; exit 0, or 2 on invalid input.
pub fn run(dir: &str, actions: &[String], format: Format, max_file_size: usize) -> u8 {
    let actions = match parse_actions(actions) {
        Ok(a) => a,
        Err(message) => {
            out::error(
                &message,
                "name KMS actions that take a key, e.g. `--actions kms:Encrypt,kms:Decrypt`",
            );
            return 2;
        }
    };
    let snapshot = match load_dir(dir, max_file_size) {
        Ok(s) => s,
        Err(code) => return code,
    };
    note_problems(&snapshot, dir);
    match format {
        Format::Human => out::text(&human(dir, &snapshot.matrix(&actions))),
        Format::Json => print_json(&snapshot, &actions),
    }
    0
}

/// `allow`, `implicit deny`, `allow → DisabledException`, `incomplete`.
pub fn word(a: &CellAnswer) -> String {
    match a {
        CellAnswer::Complete {
            decision,
            error: Some(e),
            ..
        } if decision.as_str() == "allow" => format!("allow → {}", e.kind()),
        CellAnswer::Complete { decision, .. } => sc::decision_words(*decision).to_string(),
        CellAnswer::Incomplete(_) => "incomplete".into(),
    }
}

/// The JSON shape of `scenario matrix --format json` — principals, keys,
/// actions, and every cell as an answered request (`incomplete` cells in
/// the shape of [`super::snapshot_query::incomplete_answer`]) — written
/// cell by cell, one per line, so that a large account's matrix is never
/// held whole (each piece through [`out::json_text`]).
fn print_json(snapshot: &Snapshot, actions: &[KmsAction]) {
    let m = snapshot.matrix_frame(actions);
    let list = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
    let names: Vec<String> = actions
        .iter()
        .map(|a| a.qualified_name().to_string())
        .collect();
    out::json_text(&format!(
        "{{\n  \"principals\": {},\n  \"keys\": {},\n  \"actions\": {},\n  \"cells\": [",
        list(&m.principals),
        list(&m.keys),
        list(&names)
    ));
    let mut locator = Locator::new();
    let mut first = true;
    snapshot.for_each_cell(actions, |visit| {
        let answer = match &visit.verdict {
            Verdict::Complete(r) => {
                serde_json::to_value(Answer::new(r, &mut locator)).unwrap_or(Value::Null)
            }
            Verdict::Incomplete(i) => incomplete_answer(i),
        };
        let cell = json!({
            "principal": m.principals[visit.principal],
            "action": visit.action.qualified_name(),
            "key": m.keys[visit.key],
            "notes": [],
            "answer": answer,
        });
        out::json_text(&format!("{}\n    {cell}", if first { "" } else { "," }));
        first = false;
    });
    out::json_text("\n  ]\n}\n");
}

/// For people; names and reasons from the snapshot escaped ([`escape`]).
fn human(dir: &str, m: &Matrix) -> String {
    let mut out = format!("{}\n", escape(dir));
    let grid = Grid {
        principals: grid::labels(&m.principals),
        keys: grid::labels(&m.key_labels),
        actions: m.actions.iter().map(|a| a.qualified_name()).collect(),
        cells: m
            .cells
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cells| cells.iter().map(grid_cell).collect())
                    .collect()
            })
            .collect(),
    };
    grid.tables(&mut out);
    out.push_str("\nKeys\n");
    for (label, arn) in grid.keys.iter().zip(&m.keys) {
        out.push_str(&format!("  {label}: {}\n", escape(arn)));
    }
    grid.why(&mut out);
    out
}

/// A snapshot cell in the grid: an incomplete answer's reason lists what
/// is missing.
fn grid_cell(c: &Cell) -> grid::Cell<'static> {
    let why = match &c.answer {
        CellAnswer::Complete { short, .. } => short.clone(),
        CellAnswer::Incomplete(i) => {
            let missing: Vec<&str> = i.missing.iter().map(|g| g.what.as_str()).collect();
            format!("{}; missing: {}", i.why, missing.join("; "))
        }
    };
    grid::Cell {
        action: c.action.qualified_name(),
        word: word(&c.answer),
        why,
    }
}
