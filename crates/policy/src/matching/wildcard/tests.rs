use super::{CaseMode, Pattern, PatternToken};

const S: CaseMode = CaseMode::Sensitive;
const I: CaseMode = CaseMode::AsciiInsensitive;

fn m(pattern: &str, text: &str) -> bool {
    Pattern::new(pattern).matches(text, S)
}

#[test]
fn literal_patterns_match_only_their_text() {
    assert!(m("kms", "kms"));
    assert!(!m("kms", "km"));
    assert!(!m("kms", "kmss"));
    assert!(m("", ""));
    assert!(!m("", "a"));
}

#[test]
fn star_matches_any_run_including_empty() {
    assert!(m("*", ""));
    assert!(m("*", "anything/at:all"));
    assert!(m("a*", "a"));
    assert!(m("*a", "a"));
    assert!(m("a*b", "ab"));
    assert!(m("a*b", "a/x:yb"));
    assert!(!m("a*b", "a/x:yba"));
    assert!(!m("a*a", "a"));
}

#[test]
fn middle_segments_are_found_in_order() {
    assert!(m("*a*b*", "xxaxxbxx"));
    assert!(!m("*b*a*", "xxaxxbxx"));
    assert!(m("a*bc*bc*d", "abcbcd"));
    assert!(!m("a*bc*bc*d", "abcd"));
    // The middle must not overlap the suffix.
    assert!(!m("*ab*b", "ab"));
    assert!(m("*ab*b", "abb"));
}

#[test]
fn question_mark_is_one_unicode_scalar_value() {
    assert!(m("?", "é"));
    assert!(m("?", "🔑"));
    assert!(!m("?", ""));
    assert!(!m("?", "ab"));
    assert!(m("a?c", "a🔑c"));
    assert!(m("*?🔑?*", "x🔑🔑🔑x"));
    assert!(!m("??", "🔑"));
    assert!(m("*é?", "aéb"));
}

#[test]
fn question_marks_in_middle_segments() {
    assert!(m("*a?c*", "zzabczz"));
    assert!(m("*a?c*", "a🔑c"));
    assert!(!m("*a?c*", "ac"));
    assert!(m("x*?b?*y", "x_abab_y"));
    assert!(!m("x*?b?*y", "xbby"));
}

#[test]
fn ascii_insensitive_folds_only_ascii() {
    let p = Pattern::new("kms:Re*Encrypt?");
    assert!(p.matches("KMS:REXENCRYPTS", I));
    assert!(!p.matches("KMS:REXENCRYPTS", S));
    assert!(Pattern::new("*ab*").matches("xABx", I));
    assert!(Pattern::new("*a?b*").matches("xA-Bx", I));
    assert!(!Pattern::new("é").matches("É", I));
    assert!(!Pattern::new("*é*").matches("xÉx", I));
}

#[test]
fn tokens_can_carry_literal_wildcard_characters() {
    let p = Pattern::from_tokens([
        PatternToken::AnyString,
        PatternToken::Literal("?".into()),
        PatternToken::AnyString,
    ]);
    assert!(p.matches("a?b", S));
    assert!(!p.matches("ab", S));
    assert!(!p.is_match_all());
    assert_eq!(p.to_string(), "*${?}*");
}

#[test]
fn tokens_are_normalized() {
    let p = Pattern::from_tokens([
        PatternToken::Literal("a".into()),
        PatternToken::Literal("".into()),
        PatternToken::Literal("b".into()),
        PatternToken::AnyString,
        PatternToken::AnyString,
    ]);
    assert_eq!(p, Pattern::new("ab*"));
    assert_eq!(Pattern::new("a***b"), Pattern::new("a*b"));
    assert_ne!(Pattern::new("a*"), Pattern::literal("a*"));
}

#[test]
fn queries() {
    assert!(Pattern::new("**").is_match_all());
    assert!(!Pattern::new("").is_match_all());
    assert_eq!(Pattern::new("").as_literal(), Some(""));
    assert_eq!(Pattern::literal("k?").as_literal(), Some("k?"));
    assert!(Pattern::new("k?").has_wildcards());
    assert!(Pattern::new("k").is_literal());
}

#[test]
fn long_middle_segments_use_several_state_words() {
    // 100 and 2,000 positions: two words and more than fit on the stack.
    for len in [100usize, 2_000] {
        let seg: String = (0..len)
            .map(|i| if i % 7 == 3 { '?' } else { 'a' })
            .collect();
        let hit: String = "a".repeat(len);
        let p = Pattern::new(&format!("x*{seg}*y"));
        assert!(p.matches(&format!("x{}{hit}y", "a".repeat(10)), S));
        assert!(p.matches(&format!("xbb{hit}bby"), I));
        let miss = format!("x{}b{}y", "a".repeat(len / 2), "a".repeat(len / 2));
        assert!(!p.matches(&miss, S));
        // Insensitive literal search over several words.
        let q = Pattern::new(&format!("*{}*", "Ab".repeat(len / 2)));
        assert!(q.matches(&format!("zz{}zz", "aB".repeat(len / 2)), I));
        assert!(!q.matches(&format!("zz{}zz", "aB".repeat(len / 2)), S));
    }
}

#[test]
fn pathological_pattern_completes() {
    let pattern = format!("{}*b", "*a".repeat(1_000));
    let p = Pattern::new(&pattern);
    let text = "a".repeat(100_000);
    assert!(!p.matches(&text, S));
    assert!(!p.matches(&text, I));
    assert!(p.matches(&format!("{text}b"), S));
    let q = Pattern::new(&format!("{}*b", "*a?".repeat(1_000)));
    assert!(!q.matches(&text, I));
    // With a trailing `*` the suffix check passes and every middle segment is
    // searched; the last one scans the rest of the text.
    for case in [S, I] {
        assert!(!Pattern::new(&format!("{}*b*", "*a".repeat(1_000))).matches(&text, case));
        assert!(!Pattern::new(&format!("{}*b?*", "*a?".repeat(1_000))).matches(&text, case));
        assert!(Pattern::new(&format!("{}*", "*a?".repeat(1_000))).matches(&text, case));
    }
}
