//! Comparing the fast engine with the reference, case by case: shared by
//! the differential test, the fuzz target and the survey example.

use std::collections::BTreeMap;

use super::gen::Generated;
use super::{decide, decide_with, Answer, Fast, Quirks, Request, World};

/// Counts of what a run saw.
#[derive(Debug, Default)]
pub struct Tally {
    /// Cases compared.
    pub cases: usize,
    /// The reference's answers (and allow paths), by kind.
    pub outcomes: BTreeMap<String, usize>,
    /// Cases explained by a known engine deviation, by deviation.
    pub known: BTreeMap<&'static str, usize>,
}

/// Compare one case. `Ok` when the engines agree, or when the engine's
/// answer is exactly one of its known deviations ([`Quirks::ENGINE`]),
/// which is tallied; `Err` with the reference's answer otherwise.
pub fn compare(world: &World, req: &Request, got: Answer, tally: &mut Tally) -> Result<(), Answer> {
    let expected = decide(world, req);
    tally.cases += 1;
    *tally
        .outcomes
        .entry(format!("{:?} {:?}", expected.decision, expected.error))
        .or_default() += 1;
    if got == expected {
        return Ok(());
    }
    for (name, quirk) in Quirks::each_of_engine() {
        if decide_with(world, req, quirk) == got {
            *tally.known.entry(name).or_default() += 1;
            return Ok(());
        }
    }
    if decide_with(world, req, Quirks::ENGINE) == got {
        *tally
            .known
            .entry("several known deviations at once")
            .or_default() += 1;
        return Ok(());
    }
    Err(expected)
}

/// Everything needed to reproduce a disagreement: both answers, the
/// request, the caller and key, every policy text, the grants, and the
/// engine's own reasons.
pub fn report(g: &Generated, req: &Request, expected: Answer, got: Answer, fast: &Fast) -> String {
    let mut out = format!("reference: {expected:?}\nfast:      {got:?}\nrequest: {req:#?}\n");
    if let Some(p) = g.world.principals.get(req.principal) {
        out.push_str(&format!("caller: {:?} tags {:?}\n", p.caller, p.tags));
    }
    if let Some(k) = g.world.keys.get(req.key) {
        out.push_str(&format!(
            "key: {} state {:?} origin {:?} spec {} aliases {:?} tags {:?}\n",
            k.arn, k.state, k.origin, k.key_spec, k.aliases, k.tags
        ));
    }
    for (name, text) in &g.texts {
        out.push_str(&format!("{name}: {text}\n"));
    }
    for grant in &g.world.grants {
        out.push_str(&format!("grant: {grant:?}\n"));
    }
    out.push_str(&format!("engine's reasons: {:#?}\n", fast.explain(req)));
    out
}
