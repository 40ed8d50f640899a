//! The principal × key table of a snapshot: each cell decided as a
//! question would be ([`Snapshot::ask`]), incomplete cells included.

use keyward_eval::{system_clock, Decision, KmsAction, KmsError, Response, SourceKind};

use crate::ask::{Incomplete, RequestSpec, Verdict};
use crate::model::{KeyData, PrincipalData};
use crate::problem::GapKind;
use crate::snapshot::Snapshot;
use crate::verdict::judge;
use crate::world::Case;

/// One cell's answer.
#[derive(Clone, Debug)]
pub enum CellAnswer {
    /// Decided by the data present.
    Complete {
        /// The decision.
        decision: Decision,
        /// The KMS error of an allowed call.
        error: Option<KmsError>,
        /// A few words on why.
        short: String,
    },
    /// Depends on what the snapshot lacks.
    Incomplete(Incomplete),
}

/// One cell: an action and its answer.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The action.
    pub action: KmsAction,
    /// The answer.
    pub answer: CellAnswer,
}

/// The matrix: `cells[p][k][a]`.
#[derive(Clone, Debug)]
pub struct Matrix {
    /// Principal ARNs, in load order.
    pub principals: Vec<String>,
    /// Key ARNs, in load order.
    pub keys: Vec<String>,
    /// A short name per key: its first alias, or its key id.
    pub key_labels: Vec<String>,
    /// The actions asked about.
    pub actions: Vec<KmsAction>,
    /// The answers.
    pub cells: Vec<Vec<Vec<Cell>>>,
}

/// One cell as it is decided, for [`Snapshot::for_each_cell`]: the answer
/// borrows the compiled worlds, so a front end can render it (e.g. as
/// keyward's JSON answer) without keeping every cell of a large account.
#[derive(Debug)]
pub struct CellVisit<'v> {
    /// Index into [`Matrix::principals`].
    pub principal: usize,
    /// Index into [`Matrix::keys`].
    pub key: usize,
    /// The action.
    pub action: KmsAction,
    /// The answer.
    pub verdict: Verdict<'v>,
}

impl Snapshot {
    /// Decide every principal × key × action, each request sent to the
    /// key's Region with the organization's context and nothing else.
    pub fn matrix(&self, actions: &[KmsAction]) -> Matrix {
        let mut m = self.matrix_frame(actions);
        let mut cells: Vec<Vec<Vec<Cell>>> = (0..m.principals.len())
            .map(|_| {
                (0..m.keys.len())
                    .map(|_| Vec::with_capacity(actions.len()))
                    .collect()
            })
            .collect();
        self.for_each_cell(actions, |visit| {
            cells[visit.principal][visit.key].push(Cell {
                action: visit.action,
                answer: cell(visit.verdict),
            });
        });
        m.cells = cells;
        m
    }

    /// The principals, keys and actions of the matrix, with no cells.
    pub fn matrix_frame(&self, actions: &[KmsAction]) -> Matrix {
        let keys: Vec<&KeyData> = self.keys.iter().collect();
        Matrix {
            principals: self
                .principals
                .iter()
                .map(|p| p.caller.arn().to_string())
                .collect(),
            keys: keys.iter().map(|k| k.arn.clone()).collect(),
            key_labels: labels(&keys),
            actions: actions.to_vec(),
            cells: Vec::new(),
        }
    }

    /// Decide each cell of the matrix in order (principal, then key, then
    /// action) and hand it to `visit`.
    pub fn for_each_cell(&self, actions: &[KmsAction], mut visit: impl FnMut(CellVisit<'_>)) {
        let principals: Vec<&PrincipalData> = self.principals.iter().collect();
        let keys: Vec<&KeyData> = self.keys.iter().collect();
        let now = system_clock();
        let worst = self.world(&principals, &keys, Case::Worst, false, now);
        let best = self.world(&principals, &keys, Case::Best, false, now);
        for (pi, p) in principals.iter().enumerate() {
            for (ki, k) in keys.iter().enumerate() {
                let (missing, unknowns, meta_missing) = self.missing(p, k, &[]);
                // Missing grants: the best case needs a grant to this principal.
                let slice = k
                    .gaps
                    .iter()
                    .any(|g| g.kind == GapKind::Grants)
                    .then(|| self.world(&[p], &[k], Case::Best, true, now));
                for &action in actions {
                    let spec = RequestSpec {
                        action,
                        alias: None,
                        region: None,
                        encryption_context: &[],
                        context: &[],
                    };
                    let (best_world, bpi, bki) = match &slice {
                        Some(s) => (s, 0, 0),
                        None => (&best, pi, ki),
                    };
                    let (Ok(rw), Ok(rb)) = (
                        self.request(&worst, pi, ki, p, k, &spec),
                        self.request(best_world, bpi, bki, p, k, &spec),
                    ) else {
                        continue;
                    };
                    visit(CellVisit {
                        principal: pi,
                        key: ki,
                        action,
                        verdict: judge(
                            worst.auth.decide(&rw),
                            best_world.auth.decide(&rb),
                            &unknowns,
                            meta_missing,
                            &missing,
                        ),
                    });
                }
            }
        }
    }
}

/// Each key's first alias (or key id), with its Region when another key
/// has the same label (a multi-Region key and its replica).
fn labels(keys: &[&KeyData]) -> Vec<String> {
    let base: Vec<&str> = keys
        .iter()
        .map(|k| k.aliases.first().map_or(k.key_id.as_str(), String::as_str))
        .collect();
    keys.iter()
        .zip(&base)
        .map(|(k, b)| {
            if base.iter().filter(|x| *x == b).count() > 1 {
                format!("{b} ({})", k.region)
            } else {
                (*b).to_string()
            }
        })
        .collect()
}

fn cell(verdict: Verdict<'_>) -> CellAnswer {
    match verdict {
        Verdict::Complete(r) => CellAnswer::Complete {
            decision: r.decision(),
            error: r.error(),
            short: short(&r),
        },
        Verdict::Incomplete(i) => CellAnswer::Incomplete(i),
    }
}

/// A few words on why: the deciding statements, or the first reason.
pub(crate) fn short(r: &Response<'_>) -> String {
    let e = r.explanation();
    let statements: Vec<String> = e
        .deciding()
        .filter(|s| !matches!(s.kind(), SourceKind::Scp | SourceKind::Rcp))
        .map(|s| format!("{} {}", s.kind(), s.name()))
        .collect();
    match r.decision() {
        Decision::Allow => {
            let mut parts = statements;
            if let Some(g) = e.grant() {
                parts.push(format!("grant {}", g.label()));
            }
            let mut text = parts.join(" + ");
            if let Some(err) = r.error() {
                text.push_str(&format!(", then {}", err.kind()));
            }
            text
        }
        Decision::ExplicitDeny => format!("denied by {}", statements.join(", ")),
        Decision::ImplicitDeny => e
            .reasons()
            .first()
            .map_or_else(|| "nothing allows".to_string(), ToString::to_string),
    }
}
