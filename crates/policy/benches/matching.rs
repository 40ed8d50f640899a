//! Matching on the evaluator's hot path: ARN patterns, action patterns, raw
//! wildcard patterns, principal ARNs, and a pathological pattern.
//!
//! Run with `cargo bench -p keyward-policy --bench matching`.

#![expect(
    clippy::panic,
    reason = "a benchmark whose fixture does not parse must stop loudly"
)]

use divan::{black_box, Bencher};
use keyward_policy::matching::{ActionPattern, Arn, ArnPattern, CaseMode, Pattern, PrincipalArn};

fn main() {
    divan::main();
}

const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[divan::bench]
fn arn_pattern_typical(bencher: Bencher) {
    let pattern =
        ArnPattern::parse("arn:aws:kms:*:111122223333:key/*").unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| pattern.matches(black_box(KEY_ARN)));
}

#[divan::bench]
fn arn_pattern_exact(bencher: Bencher) {
    let pattern = ArnPattern::parse(KEY_ARN).unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| pattern.matches(black_box(KEY_ARN)));
}

#[divan::bench]
fn arn_pattern_miss(bencher: Bencher) {
    let pattern =
        ArnPattern::parse("arn:aws:kms:*:444455556666:key/*").unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| pattern.matches(black_box(KEY_ARN)));
}

#[divan::bench]
fn arn_parse(bencher: Bencher) {
    bencher.bench(|| Arn::parse(black_box(KEY_ARN)).is_ok());
}

#[divan::bench]
fn pattern_whole_arn_glob(bencher: Bencher) {
    let pattern = Pattern::new("arn:aws:kms:*:111122223333:key/*");
    bencher.bench(|| pattern.matches(black_box(KEY_ARN), CaseMode::Sensitive));
}

#[divan::bench]
fn pattern_middle_with_question_marks(bencher: Bencher) {
    let pattern = Pattern::new("*:key/????????-????-*");
    bencher.bench(|| pattern.matches(black_box(KEY_ARN), CaseMode::Sensitive));
}

#[divan::bench(args = ["kms:Decrypt", "kms:ReEncrypt*", "kms:Re?ncrypt*", "kms:*", "*"])]
fn action_match(bencher: Bencher, pattern: &str) {
    let pattern = ActionPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| pattern.matches(black_box("kms:ReEncryptFrom")));
}

#[divan::bench]
fn principal_arn_parse(bencher: Bencher) {
    bencher.bench(|| {
        PrincipalArn::parse(black_box(
            "arn:aws:sts::111122223333:assumed-role/Admin/alice",
        ))
        .account()
    });
}

/// `*a*a*…*a*b*` (1,000 segments) against 100,000 `a`s: every segment is
/// searched and the last scans the rest of the text. Linear, not exponential.
#[divan::bench(sample_count = 20)]
fn pathological(bencher: Bencher) {
    let pattern = Pattern::new(&format!("{}*b*", "*a".repeat(1_000)));
    let text = "a".repeat(100_000);
    bencher.bench(|| pattern.matches(black_box(&text), CaseMode::Sensitive));
}

/// `*a?*a?*…*b?*` with case folding: every segment on the Shift-And path.
#[divan::bench(sample_count = 20)]
fn pathological_shift_and(bencher: Bencher) {
    let pattern = Pattern::new(&format!("{}*b?*", "*a?".repeat(1_000)));
    let text = "a".repeat(100_000);
    bencher.bench(|| pattern.matches(black_box(&text), CaseMode::AsciiInsensitive));
}
