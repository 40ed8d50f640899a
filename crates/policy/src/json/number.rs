//! Numbers, by the RFC 8259 §6 grammar:
//! `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
//!
//! Anything number-like that does not match exactly (`01`, `1.`, `.5`, `+1`,
//! `0x1F`, `-Infinity`) is one `json::invalid-number` covering the whole run.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{digit0, digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use super::err::{self, Sink};
use super::lex::{Lexer, Tok, Token};
use crate::span::Span;

/// The parts of a well-formed number.
struct Shape<'a> {
    text: &'a [u8],
    /// True when there is neither a fraction nor an exponent.
    integer: bool,
}

fn shape(input: &[u8]) -> IResult<&[u8], Shape<'_>> {
    let (rest, (text, (_, _, frac, exp))) = recognize_with((
        opt(tag(&b"-"[..])),
        alt((tag(&b"0"[..]), recognize((one_of("123456789"), digit0)))),
        opt((tag(&b"."[..]), digit1)),
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
    ))
    .parse(input)?;
    Ok((
        rest,
        Shape {
            text,
            integer: frac.is_none() && exp.is_none(),
        },
    ))
}

/// Like `recognize`, but keeps the parsed output as well.
fn recognize_with<'a, O, P>(
    mut parser: P,
) -> impl Parser<&'a [u8], Output = (&'a [u8], O), Error = nom::error::Error<&'a [u8]>>
where
    P: Parser<&'a [u8], Output = O, Error = nom::error::Error<&'a [u8]>>,
{
    move |input: &'a [u8]| {
        let (rest, out) = parser.parse(input)?;
        Ok((rest, (&input[..input.len() - rest.len()], out)))
    }
}

/// Bytes that cannot directly follow a number: a run of them makes the
/// whole run one malformed number.
fn is_number_like(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_')
}

fn number_like(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while(is_number_like).parse(input)
}

/// The value of a well-formed number.
fn value(shape: &Shape<'_>, text: &str) -> f64 {
    // Fast path: integers of up to 15 digits are exact in f64.
    if shape.integer && shape.text.len() <= 15 {
        let (negative, digits) = match shape.text.split_first() {
            Some((b'-', digits)) => (true, digits),
            _ => (false, shape.text),
        };
        let n = digits
            .iter()
            .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
        #[expect(
            clippy::cast_precision_loss,
            reason = "at most 15 digits, exact in f64"
        )]
        let n = n as f64;
        return if negative { -n } else { n };
    }
    text.parse::<f64>().unwrap_or(f64::NAN)
}

impl<'a> Lexer<'a> {
    /// A number (or something that looks like one) at the current position.
    pub(crate) fn number(&mut self, sink: &mut Sink) -> Token<'a> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        if let Ok((after, shape)) = shape(rest) {
            if !after.first().is_some_and(|&b| is_number_like(b)) {
                let len = shape.text.len();
                let span = Span::new(start, start + len);
                let text = self.slice(span);
                let n = value(&shape, text);
                if n.is_finite() {
                    return self.token(Tok::Num(n), start, len);
                }
                sink.report(|| err::number_out_of_range(span, text));
                return self.token(Tok::Bad, start, len);
            }
        }
        let len = number_like(rest).map_or(1, |(after, _)| rest.len() - after.len());
        let len = len.max(1);
        let span = Span::new(start, start + len);
        sink.report(|| err::invalid_number(span, self.slice(span)));
        self.token(Tok::Bad, start, len)
    }
}
