//! Helpers shared by the analysis tests.
#![allow(dead_code)]

use keyward_eval::PolicyDoc;
use keyward_policy::{parse_policy, Source};

/// A policy document from its text.
pub fn doc(name: &str, text: &str) -> PolicyDoc {
    let policy = parse_policy(text).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    PolicyDoc::new(name, Source::new(name, text), policy)
}

/// A key policy with these statements.
pub fn key_policy(name: &str, statements: &str) -> PolicyDoc {
    doc(
        name,
        &format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#),
    )
}
