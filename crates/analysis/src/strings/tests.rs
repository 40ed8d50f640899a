//! The string theory against brute force: every string's truth vector
//! (computed with the real matchers) is one of the classes found, and every
//! class's witness has its class's vector.

use keyward_policy::matching::{ArnPattern, CaseMode, Pattern};

use super::*;

/// A small deterministic generator (xorshift), enough for sampling.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn ignore_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

fn random_text(rng: &mut Rng, alphabet: &[&str], max: usize) -> String {
    let n = rng.below(max + 1);
    (0..n).map(|_| *rng.pick(alphabet)).collect()
}

fn like(p: &str) -> StringTest {
    let pattern = Pattern::new(p);
    let re = wildcard_re(&pattern, &CharSet::Any);
    StringTest::new(
        vec![re],
        move |s| pattern.matches(s, CaseMode::Sensitive),
        format!("like {p}"),
    )
}

fn fold(p: &str) -> StringTest {
    let owned = p.to_string();
    StringTest::new(
        vec![Re::folded(p)],
        move |s| ignore_case(&owned, s),
        format!("~ {p}"),
    )
}

fn arn(p: &str) -> Option<StringTest> {
    let pattern = ArnPattern::parse(p).ok()?;
    let re = arn_pattern_re(&pattern);
    Some(StringTest::new(
        vec![re],
        move |s| pattern.matches(s),
        format!("arn {p}"),
    ))
}

fn check(tests: &[StringTest], samples: &[String]) {
    let found = classes(&[], tests).unwrap();
    for s in samples {
        let truth: Vec<bool> = tests.iter().map(|t| (t.matcher)(s)).collect();
        assert!(
            found.iter().any(|c| c.truth == truth),
            "`{s}` has truth {truth:?}, which no class of {tests:?} has: {found:?}"
        );
    }
}

#[test]
fn wildcard_and_equality_classes_cover_every_sampled_string() {
    let mut rng = Rng::new(7);
    let pieces = ["a", "b", "A", "*", "?", ":"];
    let text = ["a", "b", "A", "B", ":", "x", "é", "\u{212A}", "k", "K"];
    for _ in 0..300 {
        let mut tests = Vec::new();
        for _ in 0..rng.below(4) + 1 {
            let p = random_text(&mut rng, &pieces, 5);
            match rng.below(3) {
                0 => tests.push(like(&p)),
                1 => tests.push(StringTest::equals(&p)),
                _ => tests.push(fold(&p.replace(['*', '?'], "k"))),
            }
        }
        let samples: Vec<String> = (0..400).map(|_| random_text(&mut rng, &text, 6)).collect();
        check(&tests, &samples);
    }
}

#[test]
fn arn_pattern_classes_cover_every_sampled_string() {
    let mut rng = Rng::new(11);
    let pieces = ["arn", ":", "aws", "*", "?", "1", "key/", "k"];
    let text = ["arn", ":", "aws", "1", "2", "key/", "k", "/", "x"];
    for _ in 0..300 {
        let mut tests = Vec::new();
        for _ in 0..rng.below(3) + 1 {
            let p = format!("arn:{}", random_text(&mut rng, &pieces, 9));
            if let Some(t) = arn(&p) {
                tests.push(t);
            } else {
                tests.push(like(&p));
            }
        }
        let samples: Vec<String> = (0..400)
            .map(|_| format!("arn:{}", random_text(&mut rng, &text, 9)))
            .collect();
        check(&tests, &samples);
    }
}

#[test]
fn a_domain_restricts_the_classes_and_witnesses_prefer_non_empty() {
    let digits = Re::Cat((0..12).map(|_| Re::Set(CharSet::digit())).collect());
    let found = classes(&[digits], &[StringTest::equals("111122223333"), like("1*")]).unwrap();
    let mut truths: Vec<Vec<bool>> = found.iter().map(|c| c.truth.clone()).collect();
    truths.sort();
    assert_eq!(
        truths,
        vec![vec![false, false], vec![false, true], vec![true, true]]
    );
    for c in &found {
        assert_eq!(c.witness.len(), 12);
    }
    let free = classes(&[], &[StringTest::equals("s3.amazonaws.com")]).unwrap();
    assert_eq!(free.len(), 2);
    assert!(free.iter().all(|c| !c.witness.is_empty()));
}
