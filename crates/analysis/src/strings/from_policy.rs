//! Languages of the policy crate's patterns: IAM wildcards and ARN patterns.

use keyward_policy::matching::{ArnPattern, CaseMode, Pattern, PatternToken};

use super::re::{CharSet, Re};

/// The language of a wildcard pattern, `*` and `?` standing for characters
/// of `any` (every character for `StringLike`).
pub fn wildcard_re(pattern: &Pattern, any: &CharSet) -> Re {
    Re::Cat(
        pattern
            .tokens()
            .iter()
            .map(|t| match t {
                PatternToken::Literal(text) => Re::literal(text),
                PatternToken::AnyString => Re::run(any.clone()),
                PatternToken::AnyChar => Re::Set(any.clone()),
            })
            .collect(),
    )
}

/// The language of one ARN part: a wildcard pattern over `chars`, non-empty
/// when `non_empty`.
fn part_re(pattern: &Pattern, chars: &CharSet, non_empty: bool) -> Re {
    let only_stars = pattern
        .tokens()
        .iter()
        .all(|t| matches!(t, PatternToken::AnyString));
    match (non_empty, pattern.tokens().is_empty(), only_stars) {
        // `""` where a non-empty part is needed: nothing.
        (true, true, _) => Re::Alt(Vec::new()),
        // `*` where a non-empty part is needed: one character or more.
        (true, false, true) => Re::plus(chars.clone()),
        _ => wildcard_re(pattern, chars),
    }
}

/// The language of an ARN pattern as `ArnPattern::matches` reads it: `*`
/// matches every string; otherwise the text must be an ARN
/// (`arn:P:S:R:A:RES` with P, S and RES non-empty) whose parts match one by
/// one, a wildcard in the first five never crossing a `:`.
pub fn arn_pattern_re(pattern: &ArnPattern) -> Re {
    let Some(parts) = pattern.parts() else {
        return Re::anything();
    };
    let [prefix, partition, service, region, account, resource] = parts;
    if !prefix.matches("arn", CaseMode::Sensitive) {
        return Re::Alt(Vec::new());
    }
    let segment = CharSet::Not(vec![':']);
    Re::Cat(vec![
        Re::literal("arn:"),
        part_re(partition, &segment, true),
        Re::literal(":"),
        part_re(service, &segment, true),
        Re::literal(":"),
        part_re(region, &segment, false),
        Re::literal(":"),
        part_re(account, &segment, false),
        Re::literal(":"),
        part_re(resource, &CharSet::Any, true),
    ])
}
