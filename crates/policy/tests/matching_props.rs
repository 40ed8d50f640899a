//! Property tests: the linear-time matcher agrees with an obviously correct
//! dynamic-programming matcher on random patterns and texts.

use keyward_policy::matching::{
    ActionPattern, ActionPatternErrorKind, Arn, ArnPattern, CaseMode, Pattern, PatternToken,
};
use proptest::prelude::*;

/// One pattern position for the reference matcher.
#[derive(Clone, Copy, Debug)]
enum Unit {
    Star,
    Any,
    Char(char),
}

fn units(tokens: &[PatternToken]) -> Vec<Unit> {
    let mut out = Vec::new();
    for token in tokens {
        match token {
            PatternToken::AnyString => out.push(Unit::Star),
            PatternToken::AnyChar => out.push(Unit::Any),
            PatternToken::Literal(text) => out.extend(text.chars().map(Unit::Char)),
        }
    }
    out
}

/// `dp[j]` after row `i`: does `pattern[..i]` match `text[..j]`?
fn reference(tokens: &[PatternToken], text: &str, case: CaseMode) -> bool {
    let pattern = units(tokens);
    let text: Vec<char> = text.chars().collect();
    let mut dp = vec![false; text.len() + 1];
    dp[0] = true;
    for unit in pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match unit {
                Unit::Star => dp[j] || (j > 0 && next[j - 1]),
                Unit::Any => j > 0 && dp[j - 1],
                Unit::Char(c) => {
                    j > 0
                        && dp[j - 1]
                        && match case {
                            CaseMode::Sensitive => c == text[j - 1],
                            CaseMode::AsciiInsensitive => c.eq_ignore_ascii_case(&text[j - 1]),
                        }
                }
            };
        }
        dp = next;
    }
    dp[text.len()]
}

fn case_mode() -> impl Strategy<Value = CaseMode> {
    prop_oneof![Just(CaseMode::Sensitive), Just(CaseMode::AsciiInsensitive)]
}

/// Tokens over a small alphabet, literals possibly holding `*` and `?`.
fn tokens(alphabet: &'static str, max: usize) -> impl Strategy<Value = Vec<PatternToken>> {
    let literal = text(alphabet, 4).prop_map(|s| PatternToken::Literal(s.into()));
    let token = prop_oneof![
        3 => literal,
        2 => Just(PatternToken::AnyString),
        2 => Just(PatternToken::AnyChar),
    ];
    proptest::collection::vec(token, 0..max)
}

/// Strings of up to `max` characters drawn from `alphabet`.
fn text(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = alphabet.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), 0..=max).prop_map(String::from_iter)
}

/// A text the pattern matches by construction, so positive cases are common.
fn witness(tokens: &[PatternToken], fill: &[char], seed: &[usize]) -> String {
    let mut out = String::new();
    let mut seed = seed.iter().copied().cycle();
    let mut next = || seed.next().unwrap_or(0);
    for token in tokens {
        match token {
            PatternToken::Literal(text) => out.push_str(text),
            PatternToken::AnyChar => out.push(fill[next() % fill.len()]),
            PatternToken::AnyString => {
                for _ in 0..next() % 4 {
                    out.push(fill[next() % fill.len()]);
                }
            }
        }
    }
    out
}

/// Flip the ASCII case of the characters whose seed value is odd.
fn scramble_case(text: &str, seed: &[usize]) -> String {
    text.chars()
        .zip(seed.iter().cycle())
        .map(|(c, s)| {
            if s % 2 == 1 && c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else if s % 2 == 1 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect()
}

/// Replace the character at `at` (modulo length) by `with`.
fn mutate(text: &str, at: usize, with: char) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return with.to_string();
    }
    let at = at % chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i == at { with } else { *c })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn parsed_patterns_agree_with_reference(
        pattern in text("ab*?", 12),
        text in text("ab", 12),
        case in case_mode(),
    ) {
        let p = Pattern::new(&pattern);
        prop_assert_eq!(p.matches(&text, case), reference(p.tokens(), &text, case));
    }

    #[test]
    fn token_patterns_agree_with_reference(
        tokens in tokens("aAbB*?é🔑", 8),
        text in text("aAbB*?é🔑", 14),
        case in case_mode(),
    ) {
        let p = Pattern::from_tokens(tokens.clone());
        let expected = reference(&tokens, &text, case);
        prop_assert_eq!(p.matches(&text, case), expected);
    }

    #[test]
    fn witnesses_and_their_mutations_agree_with_reference(
        tokens in tokens("abAé🔑", 10),
        seed in proptest::collection::vec(0usize..100, 1..20),
        at in 0usize..40,
        with in prop_oneof![Just('a'), Just('B'), Just('é'), Just('🔑')],
        case in case_mode(),
    ) {
        let p = Pattern::from_tokens(tokens.clone());
        let good = witness(&tokens, &['a', 'b', 'A', 'é', '🔑'], &seed);
        prop_assert!(p.matches(&good, CaseMode::Sensitive), "witness {:?} of {:?}", good, p);
        let scrambled = scramble_case(&good, &seed);
        prop_assert!(p.matches(&scrambled, CaseMode::AsciiInsensitive));
        prop_assert_eq!(p.matches(&scrambled, case), reference(&tokens, &scrambled, case));
        let bad = mutate(&scrambled, at, with);
        prop_assert_eq!(p.matches(&bad, case), reference(&tokens, &bad, case));
    }

    #[test]
    fn long_segments_agree_with_reference(
        segments in proptest::collection::vec(text("aAa?", 150), 1..4),
        seed in proptest::collection::vec(0usize..100, 2..20),
        at in 0usize..1_000,
        case in case_mode(),
    ) {
        let pattern = format!("*{}*", segments.join("*"));
        let p = Pattern::new(&pattern);
        let good = scramble_case(&witness(p.tokens(), &['a', 'b', 'A'], &seed), &seed[1..]);
        prop_assert!(p.matches(&good, CaseMode::AsciiInsensitive));
        prop_assert_eq!(p.matches(&good, case), reference(p.tokens(), &good, case));
        let bad = mutate(&good, at, 'b');
        prop_assert_eq!(p.matches(&bad, case), reference(p.tokens(), &bad, case));
    }

    #[test]
    fn arn_patterns_match_part_by_part(
        parts in proptest::collection::vec(text("a:*?", 5), 6),
        arn in proptest::collection::vec(text("a", 3), 6),
        resource_tail in text("a:/", 4),
    ) {
        let pattern = format!("arn:{}", parts[1..].join(":"));
        let text = format!("arn:{}:{}", arn[1..].join(":"), resource_tail);
        let Ok(p) = ArnPattern::parse(&pattern) else {
            return Ok(());
        };
        let expected = match Arn::parse(&text) {
            Err(_) => false,
            Ok(arn) => {
                let pattern_parts = p.parts().unwrap_or_else(|| panic!("not `*`"));
                let text_parts = ["arn", arn.partition(), arn.service(), arn.region(), arn.account(), arn.resource()];
                pattern_parts.iter().zip(text_parts).all(|(pp, tp)| {
                    reference(pp.tokens(), tp, CaseMode::Sensitive)
                })
            }
        };
        prop_assert_eq!(p.matches(&text), expected);
        // No part but the resource holds a `:`.
        for part in &p.parts().unwrap_or_else(|| panic!("not `*`"))[..5] {
            prop_assert!(!part.to_string().contains(':'));
        }
    }

    #[test]
    fn action_matching_ignores_ascii_case(
        name in text("aBc*?", 6),
        action in text("abcABC", 6),
    ) {
        let Ok(p) = ActionPattern::parse(&format!("kms:{name}")) else {
            return Ok(());
        };
        let lower = format!("kms:{}", action.to_ascii_lowercase());
        let upper = format!("KMS:{}", action.to_ascii_uppercase());
        prop_assert_eq!(p.matches(&lower), p.matches(&upper));
        let expected = reference(p.name_pattern().tokens(), &action, CaseMode::AsciiInsensitive);
        prop_assert_eq!(p.matches(&format!("kms:{action}")), expected);
        let other_service = format!("s3:{action}");
        prop_assert!(!p.matches(&other_service));
    }

    #[test]
    fn long_action_names_with_one_odd_character_are_read_by_their_definition(
        service in text("aB3-", 12),
        name in text("abcXYZ*?", 40),
        odd in text(" :\t\u{b}\u{85}\u{a0}é!", 1),
        at in 0usize..41,
    ) {
        let mut name = name;
        name.insert_str(name.char_indices().nth(at).map_or(name.len(), |(i, _)| i), &odd);
        let text = format!("{service}:{name}");
        let expected = action_pattern_reference(&text);
        let got = ActionPattern::parse(&text);
        prop_assert_eq!(got.as_ref().err().map(|e| e.kind()), expected.err(), "{:?}", text);
    }

    #[test]
    fn action_patterns_are_read_by_their_definition(
        text in text("aK9-:*? \t\u{b}\u{85}\u{a0}é", 8),
    ) {
        let expected = action_pattern_reference(&text);
        let got = ActionPattern::parse(&text);
        prop_assert_eq!(got.as_ref().err().map(|e| e.kind()), expected.err(), "{:?}", text);
        if let Ok(p) = got {
            prop_assert_eq!(p.as_str(), text.as_str());
            let service = expected.ok().flatten().map(str::to_ascii_lowercase);
            prop_assert_eq!(p.service().map(str::to_string), service);
        }
    }
}

/// What an `Action` string is, by the definition: `*`, or `service:name`
/// with a service of ASCII letters, digits and `-`, and a non-empty name
/// without `:` or whitespace.
fn action_pattern_reference(text: &str) -> Result<Option<&str>, ActionPatternErrorKind> {
    if text.is_empty() {
        return Err(ActionPatternErrorKind::Empty);
    }
    if text == "*" {
        return Ok(None);
    }
    let Some((service, name)) = text.split_once(':') else {
        return Err(ActionPatternErrorKind::MissingColon);
    };
    if service.is_empty() {
        return Err(ActionPatternErrorKind::EmptyService);
    }
    if !service
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(ActionPatternErrorKind::InvalidService);
    }
    if name.is_empty() {
        return Err(ActionPatternErrorKind::EmptyName);
    }
    if name.chars().any(|c| c == ':' || c.is_whitespace()) {
        return Err(ActionPatternErrorKind::InvalidName);
    }
    Ok(Some(service))
}
