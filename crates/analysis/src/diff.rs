//! Access gained and lost between two policies, for people: per principal
//! class and key, the actions, and the conditions under which each change
//! holds, each with an example request and the statement behind it.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use keyward_eval::answer::Answer;
use keyward_eval::{KmsAction, PolicyDoc};
use serde_json::Value;

use crate::checks::CheckOptions;
use crate::err::Unknown;
use crate::explain::{allowed, allowing_statement, answer, reasons, StatementLoc};
use crate::json::{ChangeJson, DiffJson};
use crate::space::{Class, Space};
use crate::witness::Witness;
use crate::world::{build, request, worlds, Built, Kind};

/// One change of access.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Gained (the head allows, the base does not) or lost.
    pub gained: bool,
    /// The principal class.
    pub principal_class: String,
    /// The key (ARN of the key class).
    pub key: String,
    /// The actions.
    pub actions: Vec<KmsAction>,
    /// When the change holds: alternatives, each a list of conditions that
    /// hold together; a single empty list means always.
    pub when: Vec<Vec<String>>,
    /// One request of the change, decided, with the statement that allows
    /// it (in the head for a gain, in the base for a loss).
    pub example: Witness,
}

impl Change {
    /// The change as JSON (a [`ChangeJson`]).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(ChangeJson::from(self)).unwrap_or(Value::Null)
    }
}

/// The changes between two policies.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    /// The changes, gains first.
    pub changes: Vec<Change>,
    /// Why the diff may be incomplete.
    pub unknown: Option<String>,
    /// How many classes of requests were decided.
    pub classes: usize,
}

impl Diff {
    /// The diff as JSON (a [`DiffJson`]).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(DiffJson::from(self)).unwrap_or(Value::Null)
    }
}

/// The classes (by coordinates: world, then request dimensions) where one
/// change holds, and how to name each coordinate.
struct Group {
    axes: Vec<Vec<String>>,
    tuples: Vec<Vec<usize>>,
    example: Witness,
}

/// Compare `base` and `head`.
pub fn diff(base: &PolicyDoc, head: &PolicyDoc, kind: Kind, options: &CheckOptions) -> Diff {
    let failed = |u: Unknown| Diff {
        changes: Vec::new(),
        unknown: Some(u.reason),
        classes: 0,
    };
    let space = match Space::new(&[base, head], kind, &options.space) {
        Ok(s) => s,
        Err(u) => return failed(u),
    };
    let built =
        [base, head].map(|p| build(kind, p, &space.keys, &space.principals, &space.accounts));
    let [Ok(built_base), Ok(built_head)] = built else {
        let u = built
            .into_iter()
            .find_map(Result::err)
            .unwrap_or_else(|| Unknown::internal("build"));
        return failed(u);
    };
    let mut groups: BTreeMap<(bool, usize, usize, usize), Group> = BTreeMap::new();
    let mut classes = 0usize;
    let mut error = None;
    let walk = space.for_each(
        |_, _, _, _| true,
        |_| true,
        |class| {
            classes += 1;
            match compare(
                &space,
                class,
                &built_base,
                &built_head,
                &base.name,
                &head.name,
            ) {
                Ok(None) => ControlFlow::Continue(()),
                Ok(Some((gained, example))) => {
                    let action = space
                        .actions
                        .iter()
                        .position(|a| std::ptr::eq(a, class.action))
                        .unwrap_or(0);
                    let key = (gained, class.principal, class.key, action);
                    let group = groups.entry(key).or_insert_with(|| Group {
                        axes: axes(&space, class),
                        tuples: Vec::new(),
                        example,
                    });
                    let mut tuple = vec![class.world_index];
                    tuple.extend(&class.indices);
                    group.tuples.push(tuple);
                    ControlFlow::Continue(())
                }
                Err(u) => {
                    error = Some(u);
                    ControlFlow::Break(())
                }
            }
        },
    );
    let unknown = walk.err().or(error).map(|u| u.reason);
    // Merge action classes whose changes hold under the same conditions.
    let mut merged: Vec<Change> = Vec::new();
    for ((gained, p, k, a), group) in groups {
        let when = conditions(&group);
        let actions: Vec<KmsAction> = space.actions[a].actions.iter().collect();
        let principal_class = space.principals[p].label.clone();
        let key = space.keys[k].arn.clone();
        match merged.iter_mut().find(|c| {
            c.gained == gained
                && c.principal_class == principal_class
                && c.key == key
                && c.when == when
        }) {
            Some(c) => c.actions.extend(actions),
            None => merged.push(Change {
                gained,
                principal_class,
                key,
                actions,
                when,
                example: group.example,
            }),
        }
    }
    merged.sort_by_key(|c| !c.gained);
    Diff {
        changes: merged,
        unknown,
        classes,
    }
}

/// One policy's decision of a class, explained.
struct Decided {
    allowed: bool,
    reasons: Vec<String>,
    statement: Option<StatementLoc>,
    answer: Answer,
}

/// Decide `class` under `built` (whose policy is named `name`).
fn decided(built: &Built, class: &Class<'_>, name: &str) -> Result<Decided, Unknown> {
    let facets = class.facets();
    let (layer, req) = request(
        built,
        class.principal,
        class.world_index,
        class.key,
        class.action.rep,
        &facets,
    )?;
    let auth = built
        .layers
        .get(layer)
        .ok_or_else(|| Unknown::internal("a key names no authorizer"))?;
    let r = auth.decide(&req);
    Ok(Decided {
        allowed: allowed(&r),
        reasons: reasons(&r),
        statement: allowing_statement(&r, name),
        answer: answer(&r),
    })
}

/// `Some((gained, example))` when the two policies decide the class differently.
fn compare(
    space: &Space<'_>,
    class: &Class<'_>,
    base: &Built,
    head: &Built,
    base_name: &str,
    head_name: &str,
) -> Result<Option<(bool, Witness)>, Unknown> {
    let h = decided(head, class, head_name)?;
    let b = decided(base, class, base_name)?;
    if h.allowed == b.allowed {
        return Ok(None);
    }
    let gained = h.allowed;
    let (now, before) = if gained { (h, b) } else { (b, h) };
    let mut w = Witness::of(space, class);
    w.reasons = now.reasons;
    w.statement = now.statement;
    w.answer = Some(now.answer);
    w.base_reasons = before.reasons;
    w.base_answer = Some(before.answer);
    Ok(Some((gained, w)))
}

/// The names of every coordinate's values: the caller's worlds, then each
/// request dimension's classes.
fn axes(space: &Space<'_>, class: &Class<'_>) -> Vec<Vec<String>> {
    let p = &space.principals[class.principal];
    let world_names: Vec<String> = worlds(p.kind, space.kind)
        .into_iter()
        .map(|w| w.describe().to_string())
        .collect();
    let world_axis = if world_names.len() == 1 {
        vec![String::new()]
    } else {
        world_names
    };
    let mut axes = vec![world_axis];
    axes.extend(
        class
            .dims
            .iter()
            .map(|d| d.choices.iter().map(|c| c.label.clone()).collect()),
    );
    axes
}

/// The most alternatives a change lists.
const MAX_ALTERNATIVES: usize = 8;

/// Collapse the coordinates that do not matter (every value of them is in
/// the change, whatever the others), then name what is left.
fn conditions(group: &Group) -> Vec<Vec<String>> {
    collapse(&group.axes, &group.tuples)
}

/// Name the classes `tuples` (one value index per axis) cover, as
/// alternatives of conditions that hold together: an axis every value of
/// which is covered, whatever the others, is left out. A single empty
/// list means every class (always).
pub(crate) fn collapse(axes: &[Vec<String>], tuples: &[Vec<usize>]) -> Vec<Vec<String>> {
    let mut free = vec![false; axes.len()];
    let mut tuples = tuples.to_vec();
    tuples.sort();
    tuples.dedup();
    for d in 0..axes.len() {
        let size = axes[d].len();
        let complete = tuples.iter().all(|t| {
            (0..size).all(|v| {
                let mut u = t.clone();
                u[d] = v;
                tuples.binary_search(&u).is_ok()
            })
        });
        if complete {
            free[d] = true;
            for t in &mut tuples {
                t[d] = 0;
            }
            tuples.sort();
            tuples.dedup();
        }
    }
    let mut out: Vec<Vec<String>> = tuples
        .iter()
        .take(MAX_ALTERNATIVES)
        .map(|t| {
            t.iter()
                .enumerate()
                .filter(|(d, _)| !free[*d])
                .filter_map(|(d, &v)| axes[d].get(v).filter(|s| !s.is_empty()).cloned())
                .collect()
        })
        .collect();
    if tuples.len() > MAX_ALTERNATIVES {
        out.push(vec![format!(
            "… and {} more combinations",
            tuples.len() - MAX_ALTERNATIVES
        )]);
    }
    out
}
