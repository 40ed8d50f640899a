//! Comparing the fast engine with the reference, case by case: shared by
//! the differential test, the fuzz target and the survey example.

use std::collections::BTreeMap;

use super::gen::Generated;
use super::{
    decide, decide_with, invalid_request, refused_world, Answer, Fast, Quirks, Request, World,
};

/// Compile a generated world into the fast engine, requiring both engines
/// to agree on whether KMS would have it at all (a key policy KMS refuses,
/// a reserved alias, a key type CreateKey refuses): `Ok(None)` when both
/// refuse it, `Ok(Some(_))` when both accept it.
pub fn build(g: &Generated, tally: &mut Tally) -> Result<Option<Fast>, String> {
    let refused = refused_world(&g.world);
    match (Fast::build(&g.world), refused) {
        (Ok(fast), None) => Ok(Some(fast)),
        (Err(_), Some(_)) => {
            *tally.outcomes.entry("refused world".into()).or_default() += 1;
            Ok(None)
        }
        (Ok(_), Some(why)) => Err(format!(
            "the reference refuses the world ({why}), the engine accepts it\n{:#?}",
            g.texts
        )),
        (Err(e), None) => Err(format!(
            "the engine refuses the world ({e}), the reference accepts it\n{:#?}",
            g.texts
        )),
    }
}

/// Decide one request with the fast engine, requiring both engines to
/// agree on whether it can be a request at all (several values for a
/// single-valued key): `Ok(None)` when both refuse it.
pub fn decide_fast(
    fast: &Fast,
    req: &Request,
    tally: &mut Tally,
) -> Result<Option<Answer>, String> {
    match (fast.decide(req), invalid_request(req)) {
        (Ok(answer), None) => Ok(Some(answer)),
        (Err(_), Some(_)) => {
            *tally.outcomes.entry("refused request".into()).or_default() += 1;
            Ok(None)
        }
        (Ok(_), Some(why)) => Err(format!(
            "the reference refuses the request ({why}), the engine decides it\n{req:#?}"
        )),
        (Err(e), None) => Err(format!(
            "the engine refuses the request ({e}), the reference decides it\n{req:#?}"
        )),
    }
}

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
            "key: {} state {:?} origin {:?} spec {} usage {} aws-managed {} aliases {:?} tags {:?}\n",
            k.arn, k.state, k.origin, k.key_spec, k.key_usage, k.aws_managed, k.aliases, k.tags
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
