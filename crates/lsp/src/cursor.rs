//! Where the cursor is in a JSON text that may be half-typed: the path of
//! keys and indices down to it, whether it is on a key or a value, and the
//! string under it. A forgiving scan, never a parse: editing leaves the text
//! invalid most of the time, and completion is wanted exactly then.

use std::ops::ControlFlow;

use keyward_policy::Span;

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Seg {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

impl Seg {
    pub(crate) fn key(&self) -> Option<&str> {
        match self {
            Seg::Key(k) => Some(k),
            Seg::Index(_) => None,
        }
    }
}

/// Is the cursor on an object key or on a value?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A key of the object the path leads to.
    Key,
    /// The value the path leads to.
    Value,
}

/// A scalar token: a string (quotes included in `span`) or a bare word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// The whole token, quotes included (an unclosed string runs to the end
    /// of its line).
    pub(crate) span: Span,
    /// The content's span: inside the quotes.
    pub(crate) inner: Span,
    /// The content as written (escapes kept).
    pub(crate) text: String,
    /// True for strings.
    pub(crate) quoted: bool,
}

/// The place of the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// Keys and indices from the root down to the value (role `Value`) or to
    /// the object whose key is being written (role `Key`).
    pub(crate) path: Vec<Seg>,
    /// Key or value.
    pub(crate) role: Role,
    /// The token under the cursor, if any.
    pub(crate) token: Option<Token>,
}

impl Cursor {
    /// The path below the innermost `Statement` (its index skipped), when
    /// the cursor is inside a policy statement.
    pub(crate) fn in_statement(&self) -> Option<&[Seg]> {
        let at = self
            .path
            .iter()
            .rposition(|s| s.key() == Some("Statement"))?;
        let rest = &self.path[at + 1..];
        Some(match rest.first() {
            Some(Seg::Index(_)) => &rest[1..],
            _ => rest,
        })
    }

    /// The keys of the path (indices dropped).
    pub(crate) fn keys(path: &[Seg]) -> Vec<&str> {
        path.iter().filter_map(Seg::key).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Key,
    Colon,
    Value,
    Comma,
}

#[derive(Debug)]
enum Frame {
    Object { key: Option<String>, expect: Expect },
    Array { index: usize, expect: Expect },
}

/// Everything the scan saw at one token.
#[derive(Debug)]
pub(crate) struct Visit<'a> {
    pub(crate) path: Vec<Seg>,
    pub(crate) role: Role,
    pub(crate) token: &'a Token,
}

/// The cursor at byte `offset` of `text`.
pub(crate) fn at(text: &str, offset: usize) -> Cursor {
    let mut scanner = Scanner::new(text);
    let mut found = None;
    let _ = scanner.run(
        &mut |s: &Scanner<'_>, token: &Token| {
            if token.span.start as usize >= offset {
                return ControlFlow::Break(());
            }
            let inside = offset <= token.span.end as usize
                && (offset < token.span.end as usize || !token.quoted || !closes(text, token));
            if inside && offset >= token.inner.start as usize {
                found = Some(Cursor {
                    path: s.path(),
                    role: s.role(),
                    token: Some(token.clone()),
                });
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        },
        Some(offset),
    );
    if let Some(cursor) = found {
        return cursor;
    }
    Cursor {
        path: scanner.path(),
        role: scanner.role(),
        token: None,
    }
}

/// True when the string token ends with its closing quote.
fn closes(text: &str, token: &Token) -> bool {
    token.span.len() >= 2 && text.as_bytes().get(token.span.end as usize - 1) == Some(&b'"')
}

/// Visit every scalar token of `text` with its path.
pub(crate) fn walk(text: &str, mut visit: impl FnMut(Visit<'_>) -> ControlFlow<()>) {
    let mut scanner = Scanner::new(text);
    let _ = scanner.run(
        &mut |s: &Scanner<'_>, token: &Token| {
            visit(Visit {
                path: s.path(),
                role: s.role(),
                token,
            })
        },
        None,
    );
}

/// The keys of the root object, in order (as far as they can be read).
/// One pass without allocation per token: classification runs on every
/// change of documents of any size.
pub(crate) fn top_level_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut scanner = Scanner::new(text);
    let _ = scanner.run(
        &mut |s: &Scanner<'_>, token: &Token| {
            if s.stack.len() == 1 && s.role() == Role::Key && token.quoted {
                keys.push(unescape(&token.text));
            }
            ControlFlow::Continue(())
        },
        None,
    );
    keys
}

/// The content of a JSON string with the simple escapes undone (enough for
/// names; `\u` escapes are kept as written).
pub(crate) fn unescape(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other @ ('"' | '\\' | '/')) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

struct Scanner<'a> {
    text: &'a str,
    stack: Vec<Frame>,
    /// The top level expects a value until one is read.
    root: Expect,
}

type Callback<'c> = dyn FnMut(&Scanner<'_>, &Token) -> ControlFlow<()> + 'c;

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            stack: Vec::new(),
            root: Expect::Value,
        }
    }

    fn path(&self) -> Vec<Seg> {
        let mut path = Vec::with_capacity(self.stack.len());
        let last = self.stack.len().saturating_sub(1);
        for (i, frame) in self.stack.iter().enumerate() {
            match frame {
                Frame::Object { key, expect, .. } => {
                    // The innermost object contributes its key only when
                    // the cursor is on that key's value.
                    let on_value = i < last || matches!(expect, Expect::Value | Expect::Comma);
                    if let (true, Some(key)) = (on_value, key) {
                        path.push(Seg::Key(key.clone()));
                    }
                }
                Frame::Array { index, .. } => path.push(Seg::Index(*index)),
            }
        }
        path
    }

    fn role(&self) -> Role {
        match self.stack.last() {
            Some(Frame::Object {
                expect: Expect::Key | Expect::Colon,
                ..
            }) => Role::Key,
            _ => Role::Value,
        }
    }

    fn expect_mut(&mut self) -> &mut Expect {
        match self.stack.last_mut() {
            Some(Frame::Object { expect, .. } | Frame::Array { expect, .. }) => expect,
            None => &mut self.root,
        }
    }

    /// Scan up to `stop` (a byte offset), or the end.
    fn run(&mut self, visit: &mut Callback<'_>, stop: Option<usize>) -> ControlFlow<()> {
        let bytes = self.text.as_bytes();
        let end = stop.map_or(bytes.len(), |s| s.min(bytes.len()));
        let mut i = 0;
        while i < bytes.len() {
            // A token that starts before `stop` is still read whole (the
            // cursor may be inside it); nothing after it is.
            if i >= end {
                break;
            }
            let b = bytes[i];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b'{' => {
                    *self.expect_mut() = Expect::Comma;
                    self.stack.push(Frame::Object {
                        key: None,
                        expect: Expect::Key,
                    });
                    i += 1;
                }
                b'[' => {
                    *self.expect_mut() = Expect::Comma;
                    self.stack.push(Frame::Array {
                        index: 0,
                        expect: Expect::Value,
                    });
                    i += 1;
                }
                b'}' | b']' => {
                    self.stack.pop();
                    i += 1;
                }
                b':' => {
                    if let Some(Frame::Object { expect, .. }) = self.stack.last_mut() {
                        *expect = Expect::Value;
                    }
                    i += 1;
                }
                b',' => {
                    match self.stack.last_mut() {
                        Some(Frame::Object { key, expect, .. }) => {
                            *key = None;
                            *expect = Expect::Key;
                        }
                        Some(Frame::Array { index, expect, .. }) => {
                            *index += 1;
                            *expect = Expect::Value;
                        }
                        None => {}
                    }
                    i += 1;
                }
                _ => {
                    let token = if b == b'"' {
                        string_token(self.text, i)
                    } else {
                        word_token(self.text, i)
                    };
                    let next = (token.span.end as usize).max(i + 1);
                    visit(self, &token)?;
                    self.after_token(&token);
                    i = next;
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn after_token(&mut self, token: &Token) {
        match self.stack.last_mut() {
            Some(Frame::Object { key, expect, .. }) => match expect {
                Expect::Key | Expect::Colon => {
                    *key = Some(if token.quoted {
                        unescape(&token.text)
                    } else {
                        token.text.clone()
                    });
                    *expect = Expect::Colon;
                }
                Expect::Value | Expect::Comma => *expect = Expect::Comma,
            },
            Some(Frame::Array { expect, .. }) => *expect = Expect::Comma,
            None => self.root = Expect::Comma,
        }
    }
}

/// A string from its opening quote to the closing one, or to the end of the
/// line when it is not closed.
fn string_token(text: &str, start: usize) -> Token {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let mut end = None;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                end = Some(i + 1);
                break;
            }
            b'\n' | b'\r' => break,
            _ => i += 1,
        }
    }
    let i = i.min(bytes.len());
    let (end, inner_end) = match end {
        Some(end) => (end, end - 1),
        None => (i, i),
    };
    Token {
        span: Span::new(start, end),
        inner: Span::new(start + 1, inner_end),
        text: text.get(start + 1..inner_end).unwrap_or("").to_string(),
        quoted: true,
    }
}

/// A bare word (number, `true`, a half-typed name): up to a delimiter.
fn word_token(text: &str, start: usize) -> Token {
    let end = text[start..]
        .find(|c: char| c.is_whitespace() || "{}[],:\"".contains(c))
        .map_or(text.len(), |n| start + n);
    let end = end.max(start + text[start..].chars().next().map_or(0, char::len_utf8));
    Token {
        span: Span::new(start, end),
        inner: Span::new(start, end),
        text: text.get(start..end).unwrap_or("").to_string(),
        quoted: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(marked: &str) -> Cursor {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        at(&text, offset)
    }

    fn keys(c: &Cursor) -> Vec<String> {
        c.path
            .iter()
            .map(|s| match s {
                Seg::Key(k) => k.clone(),
                Seg::Index(i) => i.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_half_typed_action_is_a_value_under_action() {
        let c = cursor(r#"{"Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Gen|"#);
        assert_eq!(keys(&c), ["Statement", "0", "Action", "1"]);
        assert_eq!(c.role, Role::Value);
        let token = c.token.unwrap();
        assert_eq!(token.text, "kms:Gen");
        assert!(token.quoted);
        assert_eq!(c.path.len(), 4);
    }

    #[test]
    fn keys_of_a_condition_block() {
        let c = cursor(r#"{"Statement": {"Condition": {"StringEquals": {"kms:Via|": "x"}}}}"#);
        assert_eq!(keys(&c), ["Statement", "Condition", "StringEquals"]);
        assert_eq!(c.role, Role::Key);
        assert_eq!(c.token.unwrap().text, "kms:Via");
        // Between tokens, after `{`: a key is expected.
        let c = cursor(r#"{"Statement": [{"Condition": {|"#);
        assert_eq!(keys(&c), ["Statement", "0", "Condition"]);
        assert_eq!(c.role, Role::Key);
        assert_eq!(c.token, None);
        // After the colon: the value of `Effect`.
        let c = cursor(r#"{"Statement": [{"Effect": |}]}"#);
        assert_eq!(keys(&c), ["Statement", "0", "Effect"]);
        assert_eq!(c.role, Role::Value);
    }

    #[test]
    fn the_statement_path_skips_templates_and_indices() {
        let c = cursor(
            r#"{"Resources": {"Key": {"Properties": {"KeyPolicy": {"Statement": [{"Action": "kms:|"}]}}}}}"#,
        );
        let rest: Vec<_> = Cursor::keys(c.in_statement().unwrap());
        assert_eq!(rest, ["Action"]);
    }

    #[test]
    fn a_closed_string_ends_at_its_quote() {
        // Just after the closing quote the cursor is no longer in the string.
        let c = cursor(r#"{"Action": "kms:Decrypt"|}"#);
        assert_eq!(c.token, None);
        let c = cursor(r#"{"Action": "kms:Decrypt|"}"#);
        assert_eq!(c.token.unwrap().text, "kms:Decrypt");
    }

    #[test]
    fn top_level_keys_survive_broken_text() {
        let keys = top_level_keys(r#"{"principals": {"a": {"arn": }}, "expect": [{"x": ]"#);
        assert_eq!(keys, ["principals", "expect"]);
    }

    #[test]
    fn escapes_and_non_ascii_text_are_read() {
        let c = cursor("{\"Sid\": \"ключ \\\"🔑\\\"\", \"Action\": \"kms:|\"}");
        assert_eq!(keys(&c), ["Action"]);
        assert_eq!(unescape(r#"a\"b\\c\u0041"#), "a\"b\\c\\u0041");
    }
}
