//! Survey the corpus: why checks answer unknown, and which mutations pass.
use keyward_analysis::checks::{no_new_access, CheckOptions, Verdict};
use keyward_analysis::world::Kind;
use keyward_eval::PolicyDoc;
use keyward_policy::{parse_policy, Source};
use std::collections::BTreeMap;

fn main() {
    let text =
        std::fs::read_to_string("../shared/corpus/aws-managed-policies.json").unwrap_or_default();
    let all: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_default();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (name, p) in &all {
        let t = p.to_string();
        let Ok(policy) = parse_policy(&t) else {
            continue;
        };
        let d = PolicyDoc::new(name, Source::new(name.as_str(), t.as_str()), policy);
        let o = no_new_access(&d, &d, Kind::Identity, &CheckOptions::default());
        if o.verdict == Verdict::Unknown {
            let r = o.reason.unwrap_or_default();
            let short: String = r
                .split('`')
                .enumerate()
                .map(|(i, s)| if i % 2 == 1 { "…" } else { s })
                .collect();
            *reasons.entry(short).or_default() += 1;
        }
    }
    for (r, n) in reasons {
        println!("{n:5} {r}");
    }
}
