//! The whole account's report on every core (native builds only: the
//! browser build has no threads).

use keyward_eval::ActionSet;

use super::inventory::Inventory;
use super::known::SharedAnswers;
use super::report::{KeyRows, Reverse};
use crate::err::Unknown;

/// Who can use every key of the world (every action of `actions`), on
/// `threads` threads sharing one answer cache (a signature is decided once,
/// by whichever thread meets it first), keys in order.
/// `Err` only when a thread failed (a defect: nothing is left out silently).
pub fn account(
    inv: &Inventory<'_>,
    actions: ActionSet,
    threads: usize,
) -> Result<Vec<KeyRows>, Unknown> {
    let n = inv.keys.len();
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        let mut r = Reverse::new(inv);
        return Ok((0..n).map(|k| r.key_rows(k, actions)).collect());
    }
    let mut parts: Vec<Vec<KeyRows>> = Vec::with_capacity(threads);
    let mut failed = false;
    let answers = SharedAnswers::default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let answers = answers.clone();
                scope.spawn(move || {
                    let mut r = Reverse::with_answers(inv, answers);
                    (t..n)
                        .step_by(threads)
                        .map(|k| r.key_rows(k, actions))
                        .collect::<Vec<KeyRows>>()
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(part) => parts.push(part),
                Err(_) => failed = true,
            }
        }
    });
    if failed {
        return Err(Unknown::internal("a thread of the account report failed"));
    }
    // Interleave back into key order.
    let mut out: Vec<Option<KeyRows>> = (0..n).map(|_| None).collect();
    for part in parts {
        for rows in part {
            let k = rows.key;
            out[k] = Some(rows);
        }
    }
    let all: Vec<KeyRows> = out.into_iter().flatten().collect();
    if all.len() != n {
        return Err(Unknown::internal("a key of the account report is missing"));
    }
    Ok(all)
}
