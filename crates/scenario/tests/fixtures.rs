//! Every scenario under fixtures/scenarios passes its own expectations.

use keyward_policy::Source;
use keyward_scenario::{load, run, MemoryLoader};

#[test]
fn every_fixture_scenario_passes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "fixtures missing in {dir}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let name = path.display().to_string();
        let scenario = load(Source::new(name.as_str(), text), &MemoryLoader::new());
        let Ok(scenario) = scenario else {
            panic!("{name} does not load: {:?}", scenario.err());
        };
        assert!(!scenario.checks.is_empty(), "{name} has no expectations");
        for r in run(&scenario) {
            assert!(
                r.pass,
                "{name}: {} {} {}: {:?}",
                r.check.principal,
                r.check.action,
                r.check.key,
                r.response.explanation().reasons()
            );
        }
    }
}
