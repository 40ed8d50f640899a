//! Strings: a string without escapes is borrowed from the input; one with
//! escapes is decoded into a `String`; escapes (with surrogate pairs) are decoded by `nom`
//! parsers. Errors inside a string are reported and the string goes on, so
//! one bad escape costs one diagnostic.

use std::borrow::Cow;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while_m_n};
use nom::character::complete::one_of;
use nom::combinator::map;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::err::{self, Sink};
use super::lex::{Lexer, Tok, Token};
use crate::span::Span;

/// One decoded escape sequence.
#[derive(Clone, Copy, Debug)]
enum Escape {
    /// `\"`, `\n`, … : the character it stands for.
    Char(char),
    /// `\uXXXX`: the UTF-16 code unit.
    Unit(u16),
}

/// Bytes that end a plain run: the quote, the backslash, and control
/// characters (which must be escaped).
fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// A run of bytes that need no decoding (possibly empty), as a `nom` parser.
fn plain(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let len = plain_len(input);
    Ok((&input[len..], &input[..len]))
}

/// The length of the plain run at the start of `input`, looking at eight
/// bytes at a time, since this loop is most of the time spent on typical
/// policies.
#[inline]
pub(crate) fn plain_len(input: &[u8]) -> usize {
    let mut chunks = input.chunks_exact(8);
    let mut i = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let found = special_bytes(u64::from_le_bytes(word));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + chunks
        .remainder()
        .iter()
        .position(|&b| is_special(b))
        .unwrap_or(chunks.remainder().len())
}

/// High bit set in each byte of `word` that [`is_special`]; exact for the
/// lowest such byte (the one that matters), maybe not for later ones.
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control
}

fn hex4(input: &[u8]) -> IResult<&[u8], u16> {
    map(
        take_while_m_n(4, 4, |b: u8| b.is_ascii_hexdigit()),
        |digits: &[u8]| {
            digits
                .iter()
                .fold(0u16, |acc, &d| (acc << 4) | u16::from(hex_value(d)))
        },
    )
    .parse(input)
}

fn hex_value(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        b'A'..=b'F' => d - b'A' + 10,
        _ => 0,
    }
}

fn escape(input: &[u8]) -> IResult<&[u8], Escape> {
    preceded(
        tag(&b"\\"[..]),
        alt((
            map(one_of("\"\\/bfnrt"), |c| {
                Escape::Char(match c {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    other => other,
                })
            }),
            map(preceded(tag(&b"u"[..]), hex4), Escape::Unit),
        )),
    )
    .parse(input)
}

fn is_high(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

/// The decoded string being built: nothing is copied until the first escape.
struct Builder {
    /// The decoded text so far, once an escape or error forced a copy.
    owned: Option<String>,
    /// Start of the current plain run.
    run: usize,
}

impl Builder {
    /// Copy the plain run `run..end` into the owned buffer.
    fn flush(&mut self, text: &str, end: usize) -> &mut String {
        let run = text.get(self.run..end).unwrap_or("");
        let owned = self.owned.get_or_insert_with(String::new);
        owned.push_str(run);
        owned
    }

    fn finish(self, text: &str, end: usize) -> Cow<'_, str> {
        let run = text.get(self.run..end).unwrap_or("");
        match self.owned {
            None => Cow::Borrowed(run),
            Some(mut owned) => {
                owned.push_str(run);
                Cow::Owned(owned)
            }
        }
    }
}

impl<'a> Lexer<'a> {
    /// A double-quoted string starting at the current position.
    #[inline]
    pub(crate) fn string(&mut self, sink: &mut Sink) -> Token<'a> {
        let start = self.pos;
        let body = start + 1;
        let run = self.bytes.get(body..).map_or(0, plain_len);
        let end = body + run;
        // The common case: no escape, no control character.
        if self.bytes.get(end) == Some(&b'"') {
            if let Some(value) = self.text.get(body..end) {
                return self.token(Tok::Str(Cow::Borrowed(value)), start, end + 1 - start);
            }
        }
        self.string_with_escapes(start, end, sink)
    }

    /// The rest of the string starting at `start`, from `pos`, where a plain
    /// run ended on something other than the closing quote.
    #[inline(never)]
    fn string_with_escapes(&mut self, start: usize, mut pos: usize, sink: &mut Sink) -> Token<'a> {
        let mut b = Builder {
            owned: None,
            run: start + 1,
        };
        loop {
            match self.bytes.get(pos) {
                Some(b'"') => {
                    let value = b.finish(self.text, pos);
                    return self.token(Tok::Str(value), start, pos + 1 - start);
                }
                Some(b'\\') => {
                    b.flush(self.text, pos);
                    pos = self.escape(pos, &mut b, sink);
                    b.run = pos;
                }
                Some(b'\n' | b'\r') | None => {
                    let at_end = pos >= self.bytes.len();
                    sink.report(|| err::unterminated_string(Span::new(start, pos), at_end));
                    return self.token(Tok::Bad, start, pos - start);
                }
                Some(&c) => {
                    sink.report(|| err::control_character(Span::new(pos, pos + 1), c));
                    b.flush(self.text, pos);
                    pos += 1;
                    b.run = pos;
                }
            }
            let rest = &self.bytes[pos..];
            if let Ok((after, _)) = plain(rest) {
                pos += rest.len() - after.len();
            }
        }
    }

    /// Decode the escape at `pos` (a backslash) into `b`; returns the
    /// position after it. Invalid escapes are reported and skipped.
    fn escape(&mut self, pos: usize, b: &mut Builder, sink: &mut Sink) -> usize {
        let rest = &self.bytes[pos..];
        let Ok((after, esc)) = escape(rest) else {
            return self.bad_escape(pos, sink);
        };
        let mut end = pos + rest.len() - after.len();
        let c = match esc {
            Escape::Char(c) => c,
            Escape::Unit(unit) if is_high(unit) => match escape(after) {
                Ok((after2, Escape::Unit(low))) if is_low(low) => {
                    end = pos + rest.len() - after2.len();
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => return self.lone_surrogate(pos, end, sink),
            },
            Escape::Unit(unit) if is_low(unit) => return self.lone_surrogate(pos, end, sink),
            Escape::Unit(unit) => {
                char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
        };
        if let Some(owned) = b.owned.as_mut() {
            owned.push(c);
        }
        end
    }

    fn lone_surrogate(&self, pos: usize, end: usize, sink: &mut Sink) -> usize {
        let span = Span::new(pos, end);
        sink.report(|| err::lone_surrogate(span, self.slice(span)));
        end
    }

    /// Report the invalid escape at `pos` and skip the backslash and the
    /// character after it (or, for `\u`, the hex digits present), but never
    /// a quote, line break or the end of input.
    fn bad_escape(&self, pos: usize, sink: &mut Sink) -> usize {
        let mut end = pos + 1;
        match self.bytes.get(end) {
            Some(b'u') => {
                end += 1;
                while end < pos + 6 && self.bytes.get(end).is_some_and(u8::is_ascii_hexdigit) {
                    end += 1;
                }
            }
            Some(&c) if c >= 0x20 && c != b'"' => {
                let width = self
                    .text
                    .get(end..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                end += width;
            }
            _ => {}
        }
        let span = Span::new(pos, end);
        sink.report(|| err::invalid_escape(span, self.slice(span)));
        end
    }

    /// A `'single-quoted'` string: reported, then read to its closing quote
    /// (or the end of the line) so the parser can go on.
    pub(crate) fn single_quoted(&mut self, sink: &mut Sink) -> Token<'a> {
        let start = self.pos;
        let rest = &self.bytes[start + 1..];
        let body = rest
            .iter()
            .position(|&c| c == b'\'' || c == b'\n' || c == b'\r')
            .unwrap_or(rest.len());
        let closed = rest.get(body) == Some(&b'\'');
        let len = 1 + body + usize::from(closed);
        let span = Span::new(start, start + len);
        if closed {
            sink.report(|| err::single_quoted(span));
        } else {
            sink.report(|| err::unterminated_string(span, start + len >= self.bytes.len()));
        }
        let value = Cow::Borrowed(self.text.get(start + 1..start + 1 + body).unwrap_or(""));
        self.token(Tok::Str(value), start, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive(input: &[u8]) -> usize {
        input
            .iter()
            .position(|&b| is_special(b))
            .unwrap_or(input.len())
    }

    proptest! {
        /// The word-at-a-time scan stops exactly where a byte-wise one does.
        #[test]
        fn plain_run_matches_the_bytewise_definition(
            input in proptest::collection::vec(
                prop_oneof![any::<u8>(), Just(b'"'), Just(b'\\'), Just(0x1f), Just(0x20), Just(0x21), Just(0x7f), Just(0x80)],
                0..40,
            )
        ) {
            let (rest, run) = plain(&input).unwrap();
            prop_assert_eq!(run.len(), naive(&input));
            prop_assert_eq!(run.len() + rest.len(), input.len());
        }
    }
}
