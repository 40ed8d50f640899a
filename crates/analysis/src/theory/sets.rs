//! Multi-valued keys: a request gives a set of values, and conditions only
//! ask some questions of the set.

use super::Single;
use crate::err::Unknown;

/// The most single-value classes a multi-valued key may have: its sets
/// are enumerated.
pub const SET_BUDGET: usize = 14;

/// Sets of single-value classes (as indices into `singles`) that every
/// condition on the key treats differently, the empty set (the key is
/// absent) first. A condition on a list only asks, per clause, whether
/// some readable value passes it, whether some readable value fails it,
/// and whether some value is unreadable; sets agreeing on all of that are
/// decided alike.
pub fn distinct_sets(
    singles: &[Single],
    clauses: &[Vec<usize>],
) -> Result<Vec<Vec<usize>>, Unknown> {
    if singles.len() > SET_BUDGET {
        return Err(Unknown::new(format!(
            "a multi-valued condition key has {} classes of values, more than the {SET_BUDGET} whose sets the checks enumerate",
            singles.len()
        )));
    }
    let passes =
        |s: &Single, clause: &[usize]| clause.iter().any(|&t| s.truth.get(t) == Some(&true));
    let mut seen: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    for mask in 0u32..(1u32 << singles.len()) {
        let members: Vec<usize> = (0..singles.len())
            .filter(|i| mask & (1 << i) != 0)
            .collect();
        let mut signature = vec![!members.is_empty()];
        signature.push(members.iter().any(|&i| singles[i].unreadable));
        for clause in clauses {
            let readable = members
                .iter()
                .map(|&i| &singles[i])
                .filter(|s| !s.unreadable);
            let (mut yes, mut no) = (false, false);
            for s in readable {
                if passes(s, clause) {
                    yes = true;
                } else {
                    no = true;
                }
            }
            signature.extend([yes, no]);
        }
        if !seen.contains(&signature) {
            seen.push(signature);
            out.push(members);
        }
    }
    Ok(out)
}
