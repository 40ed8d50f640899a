//! Policies stored as JSON strings (Terraform's `policy`, a CloudFormation
//! `KeyPolicy` written as a string): decode the string literal and remember,
//! for every decoded byte, where it came from in the file.

use keyward_policy::{Label, Span};

/// Decoded-text offsets → file offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanMap {
    /// `origin[i]` is the file offset of decoded byte `i`; one extra entry
    /// for the end of the text.
    origin: Vec<u32>,
}

impl SpanMap {
    /// Decode the JSON string literal `raw` (quotes included), found at file
    /// offset `at`. `None` when `raw` is not a well-formed literal.
    pub fn decode_literal(raw: &str, at: u32) -> Option<(String, SpanMap)> {
        let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
        let base = at + 1;
        let mut text = String::with_capacity(inner.len());
        let mut origin = Vec::with_capacity(inner.len() + 1);
        let mut chars = inner.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let here = base + u32::try_from(i).ok()?;
            let decoded = if c == '\\' {
                let (_, escape) = chars.next()?;
                match escape {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => decode_unicode(&mut chars)?,
                    _ => return None,
                }
            } else {
                c
            };
            for _ in 0..decoded.len_utf8() {
                origin.push(here);
            }
            text.push(decoded);
        }
        origin.push(base + u32::try_from(inner.len()).ok()?);
        Some((text, SpanMap { origin }))
    }

    /// A map sending every offset of a `len`-byte decoded text to file
    /// offset `at` (for text whose escapes cannot be traced, e.g. a YAML
    /// block scalar).
    pub fn point(at: u32, len: usize) -> SpanMap {
        SpanMap {
            origin: vec![at; len + 1],
        }
    }

    /// A map from explicit origins: `origin[i]` is the file offset of
    /// decoded byte `i`, with one more entry for the end of the text
    /// (built by the Terraform HCL reader).
    #[cfg(feature = "terraform-hcl")]
    pub(crate) fn from_origins(origin: Vec<u32>) -> SpanMap {
        SpanMap { origin }
    }

    /// The file span of a decoded span.
    pub fn map(&self, span: Span) -> Span {
        let last = self.origin.len().saturating_sub(1);
        let start = self
            .origin
            .get((span.start as usize).min(last))
            .copied()
            .unwrap_or(0);
        let end = if span.end > span.start {
            // The end of the last decoded byte's source: the next entry.
            self.origin
                .get((span.end as usize).min(last))
                .copied()
                .unwrap_or(start)
        } else {
            start
        };
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The decoded span of a file span inside the literal: the inverse of
    /// [`SpanMap::map`] (a file span inside an escape covers its whole
    /// decoded character).
    pub fn unmap(&self, span: Span) -> Span {
        let first = |offset: u32| {
            let i = self.origin.partition_point(|&o| o < offset);
            u32::try_from(i.min(self.origin.len().saturating_sub(1))).unwrap_or(u32::MAX)
        };
        let start = first(span.start);
        Span {
            start,
            end: first(span.end).max(start),
        }
    }

    /// Map every label of a diagnostic.
    pub fn map_labels(&self, labels: &mut [Label]) {
        for label in labels {
            label.span = self.map(label.span);
        }
    }
}

fn decode_unicode(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<char> {
    let first = read_hex4(chars)?;
    if (0xD800..0xDC00).contains(&first) {
        // A surrogate pair: `\uD83D\uDE00`.
        if chars.next()?.1 != '\\' || chars.next()?.1 != 'u' {
            return None;
        }
        let second = read_hex4(chars)?;
        let code = 0x10000 + ((first - 0xD800) << 10) + (second.checked_sub(0xDC00)? & 0x3FF);
        char::from_u32(code)
    } else {
        char::from_u32(first)
    }
}

fn read_hex4(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.1.to_digit(16)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_map_back_to_their_source_bytes() {
        // File: `x = "{\"A\":\n1}"` with the literal at offset 4.
        let raw = r#""{\"A\":\n1}""#;
        let (text, map) = SpanMap::decode_literal(raw, 4).unwrap();
        assert_eq!(text, "{\"A\":\n1}");
        // `"A"` in the decoded text is bytes 1..4; in the file it is `\"A\"`.
        assert_eq!(map.map(Span::new(1, 4)), Span::new(6, 11));
        // The `1` after the escaped newline.
        assert_eq!(map.map(Span::new(6, 7)), Span::new(14, 15));
        // The end of the text maps to the closing quote.
        assert_eq!(map.map(Span::point(text.len())), Span::new(16, 16));
    }

    #[test]
    fn unmap_inverts_map() {
        let raw = r#""{\"A\":\n1}""#;
        let (text, map) = SpanMap::decode_literal(raw, 4).unwrap();
        for (start, end) in [(1, 4), (6, 7), (0, text.len())] {
            let decoded = Span::new(start, end);
            assert_eq!(map.unmap(map.map(decoded)), decoded);
        }
    }

    #[test]
    fn unicode_escapes_and_pairs_decode() {
        let (text, map) = SpanMap::decode_literal(r#""\u00e9\ud83d\ude00!""#, 0).unwrap();
        assert_eq!(text, "é😀!");
        assert_eq!(map.map(Span::new(6, 7)), Span::new(19, 20));
    }

    #[test]
    fn malformed_literals_are_refused() {
        assert!(SpanMap::decode_literal("\"abc", 0).is_none());
        assert!(SpanMap::decode_literal(r#""\q""#, 0).is_none());
        assert!(SpanMap::decode_literal(r#""\u12""#, 0).is_none());
    }
}
