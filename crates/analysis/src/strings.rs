//! The theory of strings: which combinations of string tests (equality,
//! equality ignoring case, IAM wildcards, ARN patterns) a value can satisfy,
//! and a witness value for each.
//!
//! Each test is a regular language. The search walks the product of their
//! automata (and of the domain's: the strings the value can be at all)
//! breadth first over a finite alphabet that holds one character per way
//! the tests treat characters, so it reaches every truth vector some string
//! has, and finds a shortest string for each. Every witness is then checked
//! against the real matchers of `keyward-policy`: a disagreement is a bug
//! in this module, and the analysis answers "unknown" rather than trust it.

mod alphabet;
mod from_policy;
mod re;
mod search;

use std::fmt;
use std::sync::Arc;

pub use from_policy::{arn_pattern_re, wildcard_re};
pub use re::{CharSet, Re};

use crate::err::Unknown;

/// One test on a string value: its language as a conjunction of regular
/// expressions, the real matcher it stands for, and how to say it.
#[derive(Clone)]
pub struct StringTest {
    /// The value passes when it is in every one of these languages.
    pub languages: Vec<Re>,
    /// The evaluator's own comparison, to check witnesses against.
    pub matcher: Arc<dyn Fn(&str) -> bool + Send + Sync>,
    /// How the test reads, e.g. `= "s3.us-east-1.amazonaws.com"`.
    pub label: String,
    /// A readable string that passes the test, tried as a witness first.
    pub sample: Option<String>,
}

impl fmt::Debug for StringTest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StringTest")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

impl StringTest {
    /// A test from its languages and matcher.
    pub fn new(
        languages: Vec<Re>,
        matcher: impl Fn(&str) -> bool + Send + Sync + 'static,
        label: impl Into<String>,
    ) -> StringTest {
        StringTest {
            languages,
            matcher: Arc::new(matcher),
            label: label.into(),
            sample: None,
        }
    }

    /// Equal to `text`, case-sensitively.
    pub fn equals(text: &str) -> StringTest {
        let owned = text.to_string();
        StringTest::new(
            vec![Re::literal(text)],
            move |s| s == owned,
            format!("= \"{text}\""),
        )
        .with_sample(text)
    }

    /// The same test, offering `sample` as a readable witness.
    #[must_use]
    pub fn with_sample(mut self, sample: impl Into<String>) -> StringTest {
        self.sample = Some(sample.into());
        self
    }
}

/// A set of strings that every test treats alike, with one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringClass {
    /// For each test, whether the strings of the class pass it.
    pub truth: Vec<bool>,
    /// A shortest string of the class (non-empty when the class has one).
    pub witness: String,
}

/// The states a search may visit before it gives up.
pub const SEARCH_BUDGET: usize = 200_000;

/// Every class of the strings in `domain` (a conjunction of languages;
/// empty means every string) under `tests`.
pub fn classes(domain: &[Re], tests: &[StringTest]) -> Result<Vec<StringClass>, Unknown> {
    classes_preferring(domain, tests, &[])
}

/// Like [`classes`], but a class takes the first of `nicer` that belongs to
/// it (in the domain, same truth under the real matchers) as its witness.
pub fn classes_preferring(
    domain: &[Re],
    tests: &[StringTest],
    nicer: &[&str],
) -> Result<Vec<StringClass>, Unknown> {
    let mut res: Vec<Re> = Vec::new();
    let index = |re: &Re, res: &mut Vec<Re>| match res.iter().position(|r| r == re) {
        Some(i) => i,
        None => {
            res.push(re.clone());
            res.len() - 1
        }
    };
    let domain_ids: Vec<usize> = domain.iter().map(|r| index(r, &mut res)).collect();
    let test_ids: Vec<Vec<usize>> = tests
        .iter()
        .map(|t| t.languages.iter().map(|r| index(r, &mut res)).collect())
        .collect();
    let nfas: Vec<re::Nfa> = res.iter().map(re::Nfa::new).collect();
    let found = search::search(&nfas, &domain_ids, &test_ids, SEARCH_BUDGET).map_err(|_| {
        Unknown::new(format!(
            "the string tests {} have too many combinations to search",
            labels(tests)
        ))
    })?;
    let mut out = Vec::with_capacity(found.len());
    for (truth, witness) in found {
        for (t, expected) in tests.iter().zip(&truth) {
            if (t.matcher)(&witness) != *expected {
                return Err(Unknown::internal(format!(
                    "the witness `{witness}` of a string class should {}pass `{}` but does {}",
                    if *expected { "" } else { "not " },
                    t.label,
                    if *expected { "not" } else { "" },
                )));
            }
        }
        let samples = tests.iter().filter_map(|t| t.sample.as_deref());
        let witness = nicer
            .iter()
            .copied()
            .chain(samples)
            .find(|n| {
                domain.iter().all(|d| re::Nfa::new(d).accepts(n))
                    && tests.iter().zip(&truth).all(|(t, h)| (t.matcher)(n) == *h)
            })
            .map_or(witness, str::to_string);
        out.push(StringClass { truth, witness });
    }
    Ok(out)
}

fn labels(tests: &[StringTest]) -> String {
    tests
        .iter()
        .map(|t| t.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
