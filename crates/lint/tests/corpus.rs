//! The real key policies of the shared corpus: no crash, and the findings
//! the corpus documents (skipped when `shared/` is absent).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::{codes, lint, shared_path};
use keyward_policy::{Severity, Source};

fn corpus_file(prefix: &str) -> Option<Source> {
    let dir = shared_path("corpus/keypolicies")?;
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.starts_with(prefix) && name.ends_with(".json")
        })
        .unwrap_or_else(|| panic!("no corpus file {prefix}"));
    let text = std::fs::read_to_string(entry.path()).unwrap();
    Some(Source::new(
        entry.file_name().to_string_lossy().to_string(),
        text,
    ))
}

#[test]
fn every_corpus_policy_lints_without_crashing() {
    let Some(dir) = shared_path("corpus/keypolicies") else {
        return;
    };
    let mut count = 0;
    for sub in [dir.clone(), dir.join("statements")] {
        for entry in std::fs::read_dir(sub).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") && !path.ends_with("INDEX.json") {
                let source = Source::new(
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                );
                let findings = lint(&source);
                for d in &findings {
                    assert!(
                        (d.span().end as usize) <= source.text().len(),
                        "{}: span out of range",
                        source.name()
                    );
                }
                count += 1;
            }
        }
    }
    assert!(count > 80, "only {count} policies");
}

#[test]
fn the_console_default_policy_has_nothing_above_info() {
    let Some(source) = corpus_file("007-") else {
        return;
    };
    let findings = lint(&source);
    let loud: Vec<_> = findings
        .iter()
        .filter(|d| d.severity > Severity::Info)
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
    // The grant to account 444455556666 is reported as information.
    let cross: Vec<_> = findings.iter().filter(|d| d.code == "KW208").collect();
    assert_eq!(cross.len(), 1);
    assert!(cross[0].message.contains("`444455556666`"));
}

#[test]
fn unconditioned_wildcard_principals_are_found() {
    for prefix in ["014-", "027-", "028-", "029-", "030-"] {
        let Some(source) = corpus_file(prefix) else {
            return;
        };
        let findings = lint(&source);
        assert_eq!(
            codes(&findings).iter().filter(|c| **c == "KW201").count(),
            1,
            "{prefix}: {findings:#?}"
        );
    }
}

#[test]
fn conditioned_wildcard_principals_are_not_reported() {
    for prefix in ["012-", "020-"] {
        let Some(source) = corpus_file(prefix) else {
            return;
        };
        let findings = lint(&source);
        assert!(
            !codes(&findings).contains(&"KW201"),
            "{prefix}: {findings:#?}"
        );
        // The wildcard statement was linted, not skipped: the policy is valid.
        assert!(
            !findings.iter().any(|d| d.code.starts_with("policy::")),
            "{prefix}"
        );
    }
}

#[test]
fn the_published_syntax_errors_are_located() {
    for prefix in ["003-", "011-"] {
        let Some(source) = corpus_file(prefix) else {
            return;
        };
        let findings = lint(&source);
        assert!(findings
            .iter()
            .any(|d| d.code.starts_with("json::") && d.severity == Severity::Error));
    }
}

#[test]
fn lockout_findings_match_the_corpus_flags() {
    let Some(dir) = shared_path("corpus/keypolicies") else {
        return;
    };
    let mut checked = 0;
    for sub in [dir.clone(), dir.join("statements")] {
        for entry in std::fs::read_dir(sub).unwrap().flatten() {
            let path = entry.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".src.txt"))
            else {
                continue;
            };
            let notes = std::fs::read_to_string(&path).unwrap();
            if notes.contains("invalid-json") {
                continue;
            }
            let policy = path.with_file_name(format!("{name}.json"));
            let source = Source::new(name.to_string(), std::fs::read_to_string(policy).unwrap());
            let locked = codes(&lint(&source)).contains(&"KW202");
            let flagged = notes.contains("no-unconditional-PutKeyPolicy-grant");
            assert_eq!(locked, flagged, "{name}");
            checked += 1;
        }
    }
    assert!(checked > 80);
}
