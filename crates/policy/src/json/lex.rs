//! The lexer: turns JSON text into tokens, reporting lexical errors as it
//! goes and always making progress, so the parser can recover.
//!
//! The lexical pieces (numbers, escapes, words) are `nom` parsers over
//! bytes; the two hot loops (whitespace, and the plain runs of strings) are
//! plain byte loops. Strings and numbers live in their own files.

use std::borrow::Cow;

use nom::bytes::complete::take_while;
use nom::{IResult, Parser};

use super::err::{self, Sink};
use crate::span::Span;

/// What a token is.
#[derive(Debug)]
pub(crate) enum Tok<'a> {
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `:`
    Colon,
    /// `,`
    Comma,
    /// A string, unescaped (errors inside it were already reported);
    /// borrowed from the input unless it had escapes.
    Str(Cow<'a, str>),
    /// A finite number.
    Num(f64),
    /// `true`, `false`
    Bool(bool),
    /// `null`
    Null,
    /// A bare word that is not a literal (`NaN`, `True`, an unquoted key);
    /// not yet reported, because its meaning depends on where it stands.
    Word,
    /// Something malformed that the lexer has already reported.
    Bad,
    /// End of input.
    Eof,
}

/// A token and its bytes.
#[derive(Debug)]
pub(crate) struct Token<'a> {
    pub(crate) tok: Tok<'a>,
    pub(crate) span: Span,
}

/// A cursor over the text.
#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    pub(crate) text: &'a str,
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

/// JSON whitespace: space, tab, line feed, carriage return (RFC 8259 §2).
pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes that may continue a bare word.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn word(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while(is_word).parse(input)
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(text: &'a str, pos: usize) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos,
        }
    }

    /// The text of `span` (empty if it is not on character boundaries,
    /// which the lexer never produces).
    pub(crate) fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Advance past whitespace: a plain loop, since runs are short (none
    /// in minified text, a line break and indentation in pretty-printed).
    #[inline]
    fn skip_ws(&mut self) {
        let mut pos = self.pos;
        while self.bytes.get(pos).is_some_and(|&b| is_ws(b)) {
            pos += 1;
        }
        self.pos = pos;
    }

    #[inline]
    pub(crate) fn token(&mut self, tok: Tok<'a>, start: usize, len: usize) -> Token<'a> {
        self.pos = start + len;
        Token {
            tok,
            span: Span::new(start, start + len),
        }
    }

    /// If the next token is the punctuation `byte` (`,` `:` `]` `}`), read it
    /// and return its offset: a cheaper [`Lexer::next`] for a reader that
    /// knows what it expects, and gives up on anything else.
    ///
    /// Readers eat at many places, so only the test of the next byte is
    /// inlined; whitespace before the token is skipped out of line.
    #[inline]
    pub(crate) fn eat(&mut self, byte: u8) -> Option<usize> {
        let at = self.pos;
        if self.bytes.get(at) == Some(&byte) {
            self.pos = at + 1;
            Some(at)
        } else {
            self.eat_after_ws(byte)
        }
    }

    /// [`Lexer::eat`] when the next byte is not `byte`.
    #[inline(never)]
    fn eat_after_ws(&mut self, byte: u8) -> Option<usize> {
        self.skip_ws();
        let at = self.pos;
        if self.bytes.get(at) == Some(&byte) {
            self.pos = at + 1;
            Some(at)
        } else {
            None
        }
    }

    /// If the next token is a string without escapes or control characters
    /// (nearly every string of a policy), read it and return its span,
    /// quotes included; `None`, having read only whitespace, otherwise.
    ///
    /// The span comes back in registers, not in a [`Token`] written to
    /// memory: the direct path reads most of a policy through here.
    #[inline]
    pub(crate) fn plain_string(&mut self) -> Option<Span> {
        self.skip_ws();
        let start = self.pos;
        if self.bytes.get(start) != Some(&b'"') {
            return None;
        }
        let body = start + 1;
        let end = body + self.bytes.get(body..).map_or(0, super::string::plain_len);
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        Some(Span::new(start, end + 1))
    }

    /// If the next token starts with `"`, the offset just after the quote
    /// (having read only whitespace).
    #[inline]
    pub(crate) fn string_body(&mut self) -> Option<usize> {
        self.skip_ws();
        (self.bytes.get(self.pos) == Some(&b'"')).then_some(self.pos + 1)
    }

    /// If the next token starts with `"`, read it (as [`Lexer::next`] would);
    /// `None`, reading nothing but whitespace, when it does not.
    #[inline]
    pub(crate) fn next_string(&mut self, sink: &mut Sink) -> Option<Token<'a>> {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'"') {
            Some(self.string(sink))
        } else {
            None
        }
    }

    /// The next token; lexical errors go to `sink`.
    ///
    /// Whitespace, punctuation and strings without escapes, which are
    /// nearly all of a policy, are read here; everything else in
    /// [`Lexer::next_other`].
    #[inline]
    pub(crate) fn next(&mut self, sink: &mut Sink) -> Token<'a> {
        self.skip_ws();
        let start = self.pos;
        match self.bytes.get(start) {
            Some(b'"') => self.string(sink),
            Some(b',') => self.token(Tok::Comma, start, 1),
            Some(b':') => self.token(Tok::Colon, start, 1),
            Some(b'{') => self.token(Tok::LBrace, start, 1),
            Some(b'}') => self.token(Tok::RBrace, start, 1),
            Some(b'[') => self.token(Tok::LBracket, start, 1),
            Some(b']') => self.token(Tok::RBracket, start, 1),
            _ => self.next_other(sink),
        }
    }

    /// Any token (the general case of [`Lexer::next`]).
    #[inline(never)]
    fn next_other(&mut self, sink: &mut Sink) -> Token<'a> {
        loop {
            self.skip_ws();
            let start = self.pos;
            let Some(&b) = self.bytes.get(start) else {
                return Token {
                    tok: Tok::Eof,
                    span: Span::point(start),
                };
            };
            return match b {
                b'{' => self.token(Tok::LBrace, start, 1),
                b'}' => self.token(Tok::RBrace, start, 1),
                b'[' => self.token(Tok::LBracket, start, 1),
                b']' => self.token(Tok::RBracket, start, 1),
                b':' => self.token(Tok::Colon, start, 1),
                b',' => self.token(Tok::Comma, start, 1),
                b'"' => self.string(sink),
                b'-' | b'0'..=b'9' | b'+' | b'.' => self.number(sink),
                b'\'' => self.single_quoted(sink),
                b'/' if matches!(self.bytes.get(start + 1), Some(b'/' | b'*')) => {
                    self.comment(sink);
                    if sink.is_full() {
                        return Token {
                            tok: Tok::Eof,
                            span: Span::point(self.pos),
                        };
                    }
                    continue;
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' => self.word(),
                _ => {
                    // A stray character is reported and then skipped like
                    // whitespace: it is most often a typographic slip.
                    self.unexpected(sink);
                    if sink.is_full() {
                        return Token {
                            tok: Tok::Eof,
                            span: Span::point(self.pos),
                        };
                    }
                    continue;
                }
            };
        }
    }

    fn word(&mut self) -> Token<'a> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        let len = word(rest).map_or(1, |(after, _)| rest.len() - after.len());
        let tok = match &rest[..len] {
            b"true" => Tok::Bool(true),
            b"false" => Tok::Bool(false),
            b"null" => Tok::Null,
            _ => Tok::Word,
        };
        self.token(tok, start, len)
    }

    /// A `//` or `/* */` comment: reported, then skipped like whitespace.
    fn comment(&mut self, sink: &mut Sink) {
        let start = self.pos;
        let rest = &self.bytes[start..];
        let len = if rest.get(1) == Some(&b'/') {
            rest.iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .unwrap_or(rest.len())
        } else {
            rest.windows(2)
                .skip(2)
                .position(|w| w == b"*/")
                .map_or(rest.len(), |i| i + 4)
        };
        sink.report(|| err::comment(Span::new(start, start + len)));
        self.pos = start + len;
    }

    /// One character that cannot start a token.
    fn unexpected(&mut self, sink: &mut Sink) {
        let start = self.pos;
        let len = self
            .text
            .get(start..)
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8);
        let span = Span::new(start, start + len);
        sink.report(|| err::unexpected_char(span, self.slice(span)));
        self.pos = start + len;
    }
}
