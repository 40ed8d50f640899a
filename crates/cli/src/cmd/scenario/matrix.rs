//! `keyward scenario matrix FILE|DIR...`: the principal × key table of
//! each scenario, and why each cell is what it is.

use std::path::PathBuf;

use keyward_eval::{Decision, KmsAction};
use keyward_policy::DiagnosticJson;
use keyward_scenario::{matrix, Matrix, MatrixCell, MatrixJson, Scenario};
use serde::Serialize;
use serde_json::json;

use super::{decision_words, load_file, walk_error, Format, SCENARIO_FILES};
use crate::render::escape;
use crate::render::grid::{self, Grid};
use crate::{out, walk};

/// One scenario's matrix in the JSON of several.
#[derive(Serialize)]
struct FileMatrix {
    file: String,
    #[serde(flatten)]
    matrix: MatrixJson,
}

/// Run `scenario matrix`: 0 when every scenario loaded, 2 otherwise.
///
/// JSON: for one scenario file named, its matrix (`{"principals", …}`); for
/// a directory or several paths, `{"matrices": [{"file", "principals", …}],
/// "errors": [diagnostic…]}`. Either way `{"errors": […]}` alone when
/// nothing loaded.
pub fn run(paths: &[PathBuf], actions: &[String], format: Format, allowed: &[PathBuf]) -> u8 {
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
    let single = paths.len() == 1 && !paths[0].is_dir();
    let mut errors: Vec<DiagnosticJson> = Vec::new();
    let mut matrices = Vec::new();
    for found in walk::walk(paths, &SCENARIO_FILES) {
        let target = match found {
            Ok(target) => target,
            Err(e) => {
                errors.push(walk_error(&e, format));
                continue;
            }
        };
        let scenario = match load_file(&target.path, format, allowed) {
            Ok(s) => s,
            Err(problems) => {
                errors.extend(problems);
                continue;
            }
        };
        let m = matrix(&scenario, &actions);
        let name = scenario.source.name().to_string();
        match format {
            Format::Human => out::text(&human_matrix(&name, &scenario, &m)),
            Format::Json => matrices.push(FileMatrix {
                file: name,
                matrix: MatrixJson::new(&m),
            }),
        }
    }
    if format == Format::Json {
        match (single, matrices.pop()) {
            (_, None) => out::json(&json!({ "errors": errors })),
            (true, Some(one)) => out::json(&one.matrix),
            (false, Some(last)) => {
                matrices.push(last);
                out::json(&json!({ "matrices": matrices, "errors": errors }));
            }
        }
    }
    if errors.is_empty() {
        0
    } else {
        2
    }
}

/// The actions of `--actions` (default `kms:Encrypt`, `kms:Decrypt`).
pub(crate) fn parse_actions(list: &[String]) -> Result<Vec<KmsAction>, String> {
    if list.is_empty() {
        return Ok(vec![KmsAction::Encrypt, KmsAction::Decrypt]);
    }
    list.iter()
        .map(|a| {
            let a = a.trim();
            KmsAction::parse(a)
                .filter(|x| x.targets_key())
                .ok_or_else(|| format!("`{}` is not a KMS action on a key", escape(a)))
        })
        .collect()
}

fn cell_word(c: &MatrixCell) -> String {
    match &c.error {
        Some(e) if c.decision == Decision::Allow => format!("allow → {}", e.kind()),
        _ => decision_words(c.decision).to_string(),
    }
}

fn human_matrix(file: &str, s: &Scenario, m: &Matrix) -> String {
    let mut out = format!("{file}\n");
    if let Some(d) = &s.description {
        out.push_str(&format!("  {}\n", escape(d)));
    }
    let grid = Grid {
        principals: grid::labels(&m.principals),
        keys: grid::labels(&m.keys),
        actions: m.actions.iter().map(|a| a.qualified_name()).collect(),
        cells: m
            .cells
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cells| {
                        cells
                            .iter()
                            .map(|c| grid::Cell {
                                action: c.action.qualified_name(),
                                word: cell_word(c),
                                why: c.short.clone(),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect(),
    };
    grid.tables(&mut out);
    grid.why(&mut out);
    out
}
