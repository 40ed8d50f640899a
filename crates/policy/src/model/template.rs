//! Strings that may hold policy variables: `${aws:username}`,
//! `${aws:PrincipalTag/team, 'none'}`, and the escapes `${*}`, `${?}`, `${$}`.

use crate::span::Span;

/// A string from a policy, split into literal text and policy variables.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Template {
    raw: Box<str>,
    parts: Vec<TemplatePart>,
}

/// One piece of a [`Template`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TemplatePart {
    /// Text as written (`*` and `?` in it are wildcards where the operator has them).
    Text(Box<str>),
    /// `${*}`, `${?}` or `${$}`: the character, always literal (never a wildcard).
    Escaped(char),
    /// A policy variable.
    Variable(Variable),
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
    pub fn literal(text: &str) -> Template {
        Template {
            raw: text.into(),
            parts: if text.is_empty() {
                Vec::new()
            } else {
                vec![TemplatePart::Text(text.into())]
            },
        }
    }

    /// Split `text` into parts, recognising variables. Returns the byte range
    /// (within `text`) of the first malformed `${…}` as the error.
    pub fn parse(text: &str) -> Result<Template, Span> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut consumed = 0usize;
        while let Some(at) = rest.find("${") {
            if at > 0 {
                parts.push(TemplatePart::Text(rest[..at].into()));
            }
            let body_start = at + 2;
            let Some(close) = rest[body_start..].find('}') else {
                return Err(Span::new(consumed + at, consumed + rest.len()));
            };
            let body = &rest[body_start..body_start + close];
            let end = body_start + close + 1;
            let offset = Span::new(consumed + at, consumed + end);
            parts.push(
                parse_variable_body(body)
                    .map_err(|()| offset)?
                    .with_offset(offset),
            );
            consumed += end;
            rest = &rest[end..];
        }
        if !rest.is_empty() {
            parts.push(TemplatePart::Text(rest.into()));
        }
        Ok(Template {
            raw: text.into(),
            parts,
        })
    }

    /// The text as written in the policy.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[TemplatePart] {
        &self.parts
    }

    /// True when the template has variables or escapes.
    pub fn has_variables(&self) -> bool {
        self.parts
            .iter()
            .any(|p| !matches!(p, TemplatePart::Text(_)))
    }

    /// The text, when it has no variables or escapes.
    pub fn as_literal(&self) -> Option<&str> {
        (!self.has_variables()).then_some(&*self.raw)
    }

    /// The variables used.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Variable(v) => Some(v),
            _ => None,
        })
    }
}

impl TemplatePart {
    fn with_offset(self, offset: Span) -> TemplatePart {
        match self {
            TemplatePart::Variable(mut v) => {
                v.offset = offset;
                TemplatePart::Variable(v)
            }
            other => other,
        }
    }
}

fn parse_variable_body(body: &str) -> Result<TemplatePart, ()> {
    match body {
        "*" => return Ok(TemplatePart::Escaped('*')),
        "?" => return Ok(TemplatePart::Escaped('?')),
        "$" => return Ok(TemplatePart::Escaped('$')),
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
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ":/-_.@+=".contains(c));
    if !valid_key {
        return Err(());
    }
    Ok(TemplatePart::Variable(Variable {
        key: key.into(),
        default,
        offset: Span::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            t.parts(),
            &[
                TemplatePart::Text("a".into()),
                TemplatePart::Escaped('*'),
                TemplatePart::Text("b".into()),
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
