//! Reverse queries over a known world: **who can use this key** (every
//! principal of the world and every class of principals outside it that
//! can be allowed each action, how, and under which conditions) and **what
//! can this principal do** (every key and action it can be allowed).
//!
//! The world is an [`Inventory`]: a scenario's or a snapshot's keys,
//! principals with their real IAM policies, grants, SCPs and RCPs. For one
//! principal and one key, the request space is split as the policy checks
//! split it (the same action classes and request dimensions, the
//! encryption context also cut at the grants' constraints), and one
//! request per class is decided by the world's own authorizer — the one
//! `keyward query` uses. So every entry comes with a request `keyward
//! query` allows, and nothing allowed is missed: a class that no entry
//! covers is denied for every request in it.
//!
//! Principals that only differ in what no statement reads are decided
//! once: see [`inventory`] (profiles) and [`known`] (signatures). Callers
//! the world cannot list are [`outsiders`].
//!
//! `docs/who-can.md` describes the commands and the JSON contract.

pub mod canon;
pub mod conditions;
mod dims_cache;
pub mod entry;
pub mod enumerate;
mod home_first;
pub mod inventory;
pub mod known;
pub mod names;
pub mod outsiders;
#[cfg(not(target_family = "wasm"))]
pub mod parallel;
pub mod report;

use keyward_eval::ActionSet;

pub use entry::{Entry, EntryKind, Replay, Report, Undecided};
pub use inventory::{Inventory, InventoryOptions};
pub use report::{KeyRows, Members, Reverse, Row};

/// Who can be allowed `actions` on key `key` (an index of the inventory),
/// every entry explained.
pub fn who_can(inv: &Inventory<'_>, key: usize, actions: ActionSet) -> Report {
    let rows = Reverse::new(inv).key_rows(key, actions);
    report::key_report(inv, &rows, true)
}

/// What principal `principal` can be allowed (`actions`) on each of `keys`
/// (every key of the world when empty), every entry explained.
pub fn what_can(
    inv: &Inventory<'_>,
    principal: usize,
    keys: &[usize],
    actions: ActionSet,
) -> Report {
    let all: Vec<usize> = (0..inv.keys.len()).collect();
    let keys = if keys.is_empty() { &all[..] } else { keys };
    let rows = Reverse::new(inv).principal_rows(principal, keys, actions);
    report::principal_report(inv, principal, &rows, actions, true)
}
