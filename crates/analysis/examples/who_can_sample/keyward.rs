//! keyward's side of the comparison: a seeded sample of principals spread
//! over the inventory's profiles, keyward's answer for each sampled
//! principal × action on one key (from who-can, and from the forward
//! evaluator, which must agree), and how long both take.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use keyward_analysis::reverse::known::request;
use keyward_analysis::reverse::{report, Inventory, Reverse};
use keyward_eval::{AllowPath, Decision, KmsAction, Request};

/// A small seeded generator (SplitMix64): the sample is the same on every run.
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `n` principals: first the ones key `k` singles out (named by its policy
/// or grants), then one random member of each profile in turn, profiles in
/// a seeded order, until `n` are chosen.
pub fn sample(inv: &Inventory<'_>, k: usize, n: usize, rng: &mut Seeded) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::new();
    let mut taken = vec![false; inv.principals.len()];
    let mut take = |p: usize, chosen: &mut Vec<usize>| {
        if chosen.len() < n && !taken[p] {
            taken[p] = true;
            chosen.push(p);
        }
    };
    for &p in &inv.keys[k].singles {
        take(p, &mut chosen);
    }
    let mut order: Vec<usize> = (0..inv.profiles.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut rounds = 0;
    while chosen.len() < n && rounds < n {
        for &profile in &order {
            let members = &inv.profiles[profile];
            if !members.is_empty() {
                take(members[rng.below(members.len())], &mut chosen);
            }
        }
        rounds += 1;
    }
    chosen
}

/// What who-can says about one principal and action on the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listed {
    /// Listed, every request allowed.
    Always,
    /// Listed under conditions: some requests allowed.
    Conditional,
    /// Not listed: no request allowed.
    No,
}

impl Listed {
    pub fn as_str(self) -> &'static str {
        match self {
            Listed::Always => "always",
            Listed::Conditional => "conditional",
            Listed::No => "no",
        }
    }
}

/// keyward's answers for one request.
pub struct Answer {
    pub principal: usize,
    pub action: KmsAction,
    pub who_can: Listed,
    pub forward: Decision,
    pub path: Option<AllowPath>,
    pub error: Option<String>,
    /// Why iam-simulate cannot be asked: the answer rests on a grant or on
    /// the key's state or type, which iam-simulate does not model.
    pub excluded: Option<String>,
    /// Who-can and the forward evaluator disagree.
    pub inconsistent: bool,
    /// The request, for timing.
    pub request: Request,
}

/// Who-can for key `k` over every action, by (principal ARN, action).
pub fn who_can(inv: &Inventory<'_>, k: usize) -> HashMap<(String, KmsAction), Listed> {
    let rows = Reverse::new(inv).key_rows(k, report::all_actions());
    let report = report::key_report(inv, &rows, false);
    report
        .entries
        .iter()
        .map(|e| {
            let listed = if e.conditional {
                Listed::Conditional
            } else {
                Listed::Always
            };
            ((e.principal.clone(), e.action), listed)
        })
        .collect()
}

/// keyward's answers for every sampled principal × action on key `k`,
/// with no request context beyond what every request of the principal on
/// the key carries.
pub fn answers(inv: &Inventory<'_>, k: usize, sampled: &[usize]) -> Result<Vec<Answer>, String> {
    let listed = who_can(inv, k);
    let mut out = Vec::new();
    for &p in sampled {
        let arn = inv
            .auth
            .caller(inv.principals[p].id)
            .map(|c| c.arn().to_string())
            .ok_or_else(|| format!("principal {p} has no caller"))?;
        for action in report::all_actions().iter() {
            let req = request(inv, p, k, action, &[], None).map_err(|e| e.to_string())?;
            let response = inv.auth.decide(&req);
            let forward = response.decision();
            let path = response.explanation().path();
            let error = response.error().map(|e| e.kind().as_str().to_string());
            let who_can = listed
                .get(&(arn.clone(), action))
                .copied()
                .unwrap_or(Listed::No);
            let inconsistent = match who_can {
                Listed::Always => forward != Decision::Allow,
                Listed::No => forward == Decision::Allow,
                Listed::Conditional => false,
            };
            let excluded = match (path, &error) {
                (Some(AllowPath::Grant | AllowPath::RetiringPrincipal), _) => Some(format!(
                    "allowed by a grant ({})",
                    path.map_or("", AllowPath::as_str)
                )),
                (_, Some(kind)) => Some(format!("KMS answers {kind} (key state or type)")),
                _ => None,
            };
            out.push(Answer {
                principal: p,
                action,
                who_can,
                forward,
                path,
                error,
                excluded,
                inconsistent,
                request: req,
            });
        }
    }
    Ok(out)
}

/// Best and median of `rounds` runs of `f`.
pub fn time(rounds: usize, mut f: impl FnMut() -> usize) -> (Duration, Duration, usize) {
    let mut runs = Vec::new();
    let mut last = 0;
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        last = std::hint::black_box(f());
        runs.push(start.elapsed());
    }
    runs.sort();
    (runs[0], runs[runs.len() / 2], last)
}
