//! An action read straight from JSON text, in one pass.
//!
//! Reading an `Action` list, `parse_policy` would otherwise scan each string
//! twice: once to find its closing quote, once more to check it as an action
//! ([`super::action`]'s `classify`). Action lists are most of the bytes of
//! most policies, so [`scan`] does both at once, eight bytes at a time. It
//! answers only for what it can answer exactly: a string without escapes,
//! of ASCII bytes, that is a valid `service:name`. Anything else (`*`, an
//! escape, a non-ASCII byte, a malformed action, the end of the text near)
//! gets `None`, and the reader takes the general way.

/// Eight bytes at a time: each constant repeats one byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each byte.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A valid action found by [`scan`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScannedAction {
    /// The length of the string's body: the closing quote is at this offset.
    pub(crate) len: usize,
    /// The offset of the colon in the body.
    pub(crate) colon: u32,
    /// Whether the service prefix has upper case.
    pub(crate) upper: bool,
}

/// Read `body`, the bytes after a string's opening quote, as an action: a
/// plain string (no escape or control character before its closing quote)
/// that is `service:name` with a service of ASCII letters, digits and `-`
/// and a non-empty name of ASCII without colons or spaces. `None` when it
/// is not, or not certainly (see the module's documentation).
///
/// Each word is tested for the bytes that stop a part by [`stops`], whose
/// lowest flag is exact; what stopped it is then read from the text.
#[inline]
pub(crate) fn scan(body: &[u8]) -> Option<ScannedAction> {
    // The service: up to the first colon (or anything else that stops it:
    // then this is not a plain action).
    let mut at = 0;
    let mut upper = 0;
    let colon = loop {
        let word = word_at(body, at)?;
        let stop = stops(word, 0x20);
        let service = if stop == 0 {
            HIGHS
        } else {
            (lowest(stop) - 1) & HIGHS
        };
        let (bad, word_upper) = service_bytes(word);
        if bad & service != 0 {
            return None;
        }
        upper |= word_upper & service;
        if stop != 0 {
            let colon = at + (stop.trailing_zeros() / 8) as usize;
            if body.get(colon) != Some(&b':') || colon == 0 {
                return None;
            }
            break colon;
        }
        at += 8;
    };
    // The name: up to the closing quote, with no colon, space, control
    // character, backslash or non-ASCII byte on the way.
    let name = colon + 1;
    let mut at = name;
    let len = loop {
        let word = word_at(body, at)?;
        let stop = stops(word, b'!');
        if stop != 0 {
            break at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    };
    if body.get(len) != Some(&b'"') || len == name {
        return None;
    }
    Some(ScannedAction {
        len,
        colon: u32::try_from(colon).ok()?,
        upper: upper != 0,
    })
}

/// The eight bytes of `body` from `at`, little-endian; `None` when fewer
/// remain.
#[inline]
fn word_at(body: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(*body.get(at..)?.first_chunk::<8>()?))
}

/// The lowest high bit set in `bits`.
fn lowest(bits: u64) -> u64 {
    bits & bits.wrapping_neg()
}

/// High bits flagging the bytes of `word` that are `"`, `\\`, `:`, below
/// `below` or not ASCII: exact for the lowest byte flagged (above it, a
/// borrow may flag more).
///
/// Subtracting one from each byte borrows out of a byte only where it is
/// zero, so below the first byte that matches no borrow crosses a byte:
/// `(x - 1)` has its high bit set exactly where `x` is zero or at least
/// 0x81, and the non-ASCII bytes are flagged anyway.
#[inline]
fn stops(word: u64, below: u8) -> u64 {
    let zero = |x: u64| x.wrapping_sub(ONES);
    (zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * u64::from(b'\\')))
        | zero(word ^ (ONES * u64::from(b':')))
        | word.wrapping_sub(ONES * u64::from(below))
        | word)
        & HIGHS
}

/// High bit set in exactly the bytes of `word` equal to `byte`.
fn equal_bytes(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & !HIGHS) + !HIGHS) | x) & HIGHS
}

/// The high bits of the bytes of `word` that may not be in a service prefix
/// (not an ASCII letter, digit or `-`), and of the upper-case ones. Exact
/// for the ASCII bytes that are not control characters (the only ones
/// asked about: [`stops`] stops at the others).
fn service_bytes(word: u64) -> (u64, u64) {
    let low = word & !HIGHS;
    // Adding stays inside each byte: every byte of `low` is below 0x80.
    let within = |v: u64, lo: u8, hi: u8| {
        let at_least = v + ONES * u64::from(0x80 - lo);
        let above = v + ONES * u64::from(0x7f - hi);
        at_least & !above & HIGHS
    };
    // Setting bit 5 folds upper case onto lower case; of the bytes that are
    // not control characters, only letters land on `a`..`z`, only digits on
    // `0`..`9` and only `-` on `-`.
    let folded = low | (ONES * 0x20);
    let good = within(folded, b'a', b'z') | within(folded, b'0', b'9') | equal_bytes(folded, b'-');
    (!good & HIGHS, within(low, b'A', b'Z'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scan_str(text: &str) -> Option<ScannedAction> {
        scan(text.as_bytes())
    }

    #[test]
    fn reads_a_plain_action_up_to_its_quote() {
        let found = scan_str("kms:Encrypt\",\"s3:Get*\"]}");
        assert_eq!(
            found,
            Some(ScannedAction {
                len: 11,
                colon: 3,
                upper: false
            })
        );
        let found = scan_str("Elastic-LoadBalancing:Describe*\"]\n  },\n");
        assert_eq!(
            found.map(|f| (f.len, f.colon, f.upper)),
            Some((31, 21, true))
        );
    }

    #[test]
    fn leaves_anything_unusual_to_the_general_way() {
        for text in [
            "*\"        ",
            "kms:Encr\\u0079pt\"       ",
            "kms:Enc\"", // too near the end of the text
            "kms:En crypt\"        ",
            "kms:a:b\"         ",
            ":Encrypt\"        ",
            "kms:\"         ",
            "k*s:Encrypt\"        ",
            "kmsEncrypt\"         ",
            "kms:Encrypté\"         ",
            "kms:Encrypt\n\"         ",
        ] {
            assert_eq!(scan_str(text), None, "{text:?}");
        }
    }

    /// Text after an opening quote: anything made of the bytes that
    /// matter, or something shaped like an action with such bytes in it.
    fn body_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9:*\\- \\t@_\"\\\\é]{0,30}",
            "[a-zA-Z0-9-]{0,12}[:;]?[a-zA-Z0-9:;*? \\t\"\\\\é\\u{1}-]{0,20}",
        ]
    }

    proptest! {
        /// When `scan` answers, the string ends where the lexer says and
        /// the action is what `classify` makes of it.
        #[test]
        fn an_answer_agrees_with_the_lexer_and_classify(body in body_strategy(), tail in "[\",\\] a-z]{0,12}") {
            let text = format!("{body}{tail}");
            if let Some(found) = scan_str(&text) {
                let bytes = text.as_bytes();
                let plain = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
                prop_assert_eq!(plain, Some(found.len));
                let action = &text[..found.len];
                prop_assert_eq!(
                    super::super::action::classify(action),
                    Ok((found.colon, found.upper))
                );
            }
        }

        /// Every plain valid action followed by enough text is answered, so
        /// the reader rarely takes the general way.
        #[test]
        fn a_valid_action_is_answered(
            service in "[a-zA-Z0-9-]{1,24}",
            name in "[a-zA-Z0-9*?_.-]{1,40}",
            tail in "[\",\\] a-z]{7,12}",
        ) {
            let text = format!("{service}:{name}\"{tail}");
            let found = scan_str(&text);
            prop_assert_eq!(found.map(|f| (f.len, f.colon as usize)), Some((service.len() + 1 + name.len(), service.len())));
            prop_assert_eq!(found.map(|f| f.upper), Some(service.bytes().any(|b| b.is_ascii_uppercase())));
        }
    }
}
