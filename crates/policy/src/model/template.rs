//! Strings that may hold policy variables: `${aws:username}`,
//! `${aws:PrincipalTag/team, 'none'}`, and the escapes `${*}`, `${?}`, `${$}`.

use crate::span::Span;

/// A string from a policy, split into literal text and policy variables.
///
/// A template without variables (the common case) holds only its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Template {
    raw: Box<str>,
    /// Empty when the whole text is literal.
    pieces: Vec<Piece>,
}

/// How a template with variables is stored: text as ranges of `raw`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Piece {
    Text { start: u32, end: u32 },
    Escaped(char),
    Variable(Variable),
}

/// One piece of a [`Template`], borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplatePart<'a> {
    /// Text as written (`*` and `?` in it are wildcards where the operator has them).
    Text(&'a str),
    /// `${*}`, `${?}` or `${$}`: the character, always literal (never a wildcard).
    Escaped(char),
    /// A policy variable.
    Variable(&'a Variable),
}

/// A policy variable: `${key}` or `${key, 'default'}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Variable {
    /// The key as written, e.g. `aws:PrincipalTag/team`.
    pub key: Box<str>,
    /// The value used when the request has no such key.
    pub default: Option<Box<str>>,
    /// Byte range of `${…}` within the template's raw text.
    pub offset: Span,
}

impl Template {
    /// A template with no variables: the whole text is literal.
    pub fn literal(text: impl Into<Box<str>>) -> Template {
        Template {
            raw: text.into(),
            pieces: Vec::new(),
        }
    }

    /// Split `text` into parts, recognising variables. Returns the byte range
    /// (within `text`) of the first malformed `${…}` as the error.
    pub fn parse(text: impl Into<Box<str>>) -> Result<Template, Span> {
        Template::parse_boxed(text.into()).map_err(|(_, span)| span)
    }

    /// Like [`Template::parse`], giving the text back with the error.
    pub(crate) fn parse_boxed(raw: Box<str>) -> Result<Template, (Box<str>, Span)> {
        if !opens_variable(&raw) {
            return Ok(Template::literal(raw));
        }
        let mut pieces = Vec::new();
        let mut consumed = 0usize;
        while let Some(at) = find_open(raw.as_bytes(), consumed) {
            if at > consumed {
                pieces.push(text_piece(consumed, at));
            }
            let body_start = at + 2;
            let close = raw
                .as_bytes()
                .get(body_start..)
                .and_then(|rest| rest.iter().position(|&b| b == b'}'));
            let Some(close) = close else {
                let span = Span::new(at, raw.len());
                return Err((raw, span));
            };
            let end = body_start + close + 1;
            let offset = Span::new(at, end);
            let Ok(piece) = parse_variable_body(&raw[body_start..body_start + close]) else {
                return Err((raw, offset));
            };
            pieces.push(match piece {
                Piece::Variable(mut v) => {
                    v.offset = offset;
                    Piece::Variable(v)
                }
                other => other,
            });
            consumed = end;
        }
        if consumed < raw.len() {
            pieces.push(text_piece(consumed, raw.len()));
        }
        Ok(Template { raw, pieces })
    }

    /// The text as written, taken back (to read it again with variables).
    pub(crate) fn into_raw(self) -> Box<str> {
        self.raw
    }

    /// The text as written in the policy.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The parts, in order. A literal template is one `Text` part (none when empty).
    pub fn parts(&self) -> impl Iterator<Item = TemplatePart<'_>> + '_ {
        let literal = (self.pieces.is_empty() && !self.raw.is_empty())
            .then_some(TemplatePart::Text(&self.raw));
        literal
            .into_iter()
            .chain(self.pieces.iter().map(|p| match p {
                Piece::Text { start, end } => {
                    TemplatePart::Text(self.raw.get(*start as usize..*end as usize).unwrap_or(""))
                }
                Piece::Escaped(c) => TemplatePart::Escaped(*c),
                Piece::Variable(v) => TemplatePart::Variable(v),
            }))
    }

    /// True when the template has variables or escapes.
    pub fn has_variables(&self) -> bool {
        !self.pieces.is_empty()
    }

    /// The text, when it has no variables or escapes.
    pub fn as_literal(&self) -> Option<&str> {
        (!self.has_variables()).then_some(&*self.raw)
    }

    /// The variables used.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable(v) => Some(v),
            _ => None,
        })
    }
}

/// Whether `text` holds `${`, the start of a variable or escape. Most
/// strings have no `$` at all: that is found by a loop without an early
/// exit (vectorised), before the exact search.
pub(crate) fn opens_variable(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().fold(false, |found, &b| found | (b == b'$')) && find_open(bytes, 0).is_some()
}

/// The offset of the first `${` in `bytes` at or after `from`: a byte
/// search (the general substring search costs more to set up than these
/// short strings take to read).
fn find_open(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += bytes.get(at..)?.iter().position(|&b| b == b'$')?;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        at += 1;
    }
}

fn text_piece(start: usize, end: usize) -> Piece {
    Piece::Text {
        start: u32::try_from(start).unwrap_or(u32::MAX),
        end: u32::try_from(end).unwrap_or(u32::MAX),
    }
}

fn parse_variable_body(body: &str) -> Result<Piece, ()> {
    match body {
        "*" => return Ok(Piece::Escaped('*')),
        "?" => return Ok(Piece::Escaped('?')),
        "$" => return Ok(Piece::Escaped('$')),
        _ => {}
    }
    let (key, default) = match body.split_once(',') {
        None => (body.trim(), None),
        Some((key, default)) => {
            let default = default.trim();
            let quoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .ok_or(())?;
            (key.trim(), Some(quoted.into()))
        }
    };
    let valid_key = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b":/-_.@+=".contains(&b));
    if !valid_key {
        return Err(());
    }
    Ok(Piece::Variable(Variable {
        key: key.into(),
        default,
        offset: Span::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`Template::parse`] written with `str` searches and `char` tests.
    fn parse_plainly(raw: &str) -> Result<Template, Span> {
        let mut pieces = Vec::new();
        let mut consumed = 0;
        while let Some(at) = raw[consumed..].find("${") {
            let at = consumed + at;
            if at > consumed {
                pieces.push(text_piece(consumed, at));
            }
            let body_start = at + 2;
            let close = raw[body_start..]
                .find('}')
                .ok_or(Span::new(at, raw.len()))?;
            let end = body_start + close + 1;
            let body = &raw[body_start..body_start + close];
            let key = body.split_once(',').map_or(body, |(key, _)| key).trim();
            let plain_key = key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ":/-_.@+=".contains(c));
            let piece = parse_variable_body(body)
                .ok()
                .filter(|p| !matches!(p, Piece::Variable(_)) || plain_key)
                .ok_or(Span::new(at, end))?;
            pieces.push(match piece {
                Piece::Variable(v) => Piece::Variable(Variable {
                    offset: Span::new(at, end),
                    ..v
                }),
                other => other,
            });
            consumed = end;
        }
        if !pieces.is_empty() && consumed < raw.len() {
            pieces.push(text_piece(consumed, raw.len()));
        }
        Ok(Template {
            raw: raw.into(),
            pieces,
        })
    }

    proptest! {
        /// The byte searches find what `str` searches find.
        #[test]
        fn parse_agrees_with_plain_searches(raw in "[a$\\{\\}*?,' :/=é\\u{2003}]{0,24}") {
            prop_assert_eq!(Template::parse(raw.as_str()), parse_plainly(&raw));
            prop_assert_eq!(opens_variable(&raw), raw.contains("${"));
        }
    }

    #[test]
    fn plain_text_is_literal() {
        let t = Template::parse("arn:aws:kms:*:111122223333:key/*").unwrap();
        assert_eq!(t.as_literal(), Some("arn:aws:kms:*:111122223333:key/*"));
    }

    #[test]
    fn variables_and_defaults_are_recognised() {
        let t = Template::parse("home/${aws:username}/${aws:PrincipalTag/team, 'none'}").unwrap();
        let vars: Vec<_> = t.variables().collect();
        assert_eq!(vars.len(), 2);
        assert_eq!(&*vars[0].key, "aws:username");
        assert_eq!(vars[0].default, None);
        assert_eq!(&*vars[1].key, "aws:PrincipalTag/team");
        assert_eq!(vars[1].default.as_deref(), Some("none"));
        assert_eq!(vars[0].offset, Span::new(5, 20));
    }

    #[test]
    fn escapes_are_literal_characters() {
        let t = Template::parse("a${*}b${?}${$}").unwrap();
        assert_eq!(
            t.parts().collect::<Vec<_>>(),
            [
                TemplatePart::Text("a"),
                TemplatePart::Escaped('*'),
                TemplatePart::Text("b"),
                TemplatePart::Escaped('?'),
                TemplatePart::Escaped('$'),
            ]
        );
    }

    #[test]
    fn malformed_variables_are_errors_with_their_place() {
        assert_eq!(
            Template::parse("x${aws:username").unwrap_err(),
            Span::new(1, 15)
        );
        assert_eq!(Template::parse("${a b}").unwrap_err(), Span::new(0, 6));
        assert_eq!(Template::parse("${k, none}").unwrap_err(), Span::new(0, 10));
    }
}
