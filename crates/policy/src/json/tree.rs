//! The structural parser: builds the tree from tokens with an explicit stack
//! (no recursion, so input depth cannot overflow the call stack) and
//! recovers after each error so that one pass reports them all.

use super::dup::KeyIndex;
use super::err::{self, Sink};
use super::lex::{Lexer, Tok, Token};
use crate::json::{JsonKind, JsonMember, JsonValue};
use crate::span::Span;

/// An array or object still open.
#[derive(Debug)]
enum Frame {
    Array {
        open: usize,
        /// Where this array's elements start in [`Parser::values`].
        base: usize,
    },
    Object {
        open: usize,
        /// Where this object's members start in [`Parser::members`].
        base: usize,
        keys: KeyIndex,
        /// The key read and waiting for its value; `None` in the slot
        /// when the key was a duplicate or malformed (its value is dropped).
        key: Option<Option<(Box<str>, Span)>>,
    },
}

impl Frame {
    fn is_object(&self) -> bool {
        matches!(self, Frame::Object { .. })
    }

    fn opener(&self) -> (Span, char) {
        match self {
            Frame::Array { open, .. } => (Span::new(*open, open + 1), '['),
            Frame::Object { open, .. } => (Span::new(*open, open + 1), '{'),
        }
    }
}

/// What the parser expects next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// A value; `comma` is the comma before it, if any.
    Value { comma: Option<Span> },
    /// A value or `]`, right after `[`.
    ValueOrEnd,
    /// A key; `comma` is the comma before it, if any.
    Key { comma: Option<Span> },
    /// A key or `}`, right after `{`.
    KeyOrEnd,
    /// The `:` after a key.
    Colon,
    /// `,` or the closing bracket, after an element or member.
    CommaOrEnd,
    /// Nothing: the top-level value is complete.
    End,
}

/// The parser state.
#[derive(Debug)]
pub(crate) struct Parser<'a, 's> {
    lex: Lexer<'a>,
    sink: &'s mut Sink,
    stack: Vec<Frame>,
    /// Elements of all open arrays, innermost last. Closing an array moves
    /// its tail into one exactly sized `Vec`: one allocation per array.
    values: Vec<JsonValue>,
    /// Members of all open objects, likewise.
    members: Vec<JsonMember>,
    max_depth: usize,
    expect: Expect,
    /// A token read but not yet handled.
    pending: Option<Token<'a>>,
    root: Option<JsonValue>,
    /// Set when parsing cannot sensibly go on.
    stopped: bool,
}

fn found(tok: &Token<'_>, text: &str) -> String {
    match tok.tok {
        Tok::Eof => "end of input".into(),
        Tok::Str(_) if text.len() > 26 => "a string".into(),
        _ => err::quote(text),
    }
}

impl<'a, 's> Parser<'a, 's> {
    pub(crate) fn new(lex: Lexer<'a>, sink: &'s mut Sink, max_depth: usize) -> Self {
        Parser {
            lex,
            sink,
            stack: Vec::new(),
            values: Vec::new(),
            members: Vec::new(),
            max_depth,
            expect: Expect::Value { comma: None },
            pending: None,
            root: None,
            stopped: false,
        }
    }

    /// Run to the end of input; the tree is returned even if errors were
    /// found (the caller drops it then).
    pub(crate) fn run(mut self) -> Option<JsonValue> {
        while !self.stopped && !self.sink.is_full() {
            let tok = match self.pending.take() {
                Some(tok) => tok,
                None => self.lex.next(self.sink),
            };
            self.step(tok);
        }
        self.root
    }

    fn step(&mut self, tok: Token<'a>) {
        match self.expect {
            Expect::Value { comma } => self.on_value(tok, comma, false),
            Expect::ValueOrEnd => self.on_value(tok, None, true),
            Expect::Key { comma } => self.on_key(tok, comma, false),
            Expect::KeyOrEnd => self.on_key(tok, None, true),
            Expect::Colon => self.on_colon(tok),
            Expect::CommaOrEnd => self.on_comma(tok),
            Expect::End => self.on_end(tok),
        }
    }

    fn expected(&self) -> &'static str {
        let object = self.stack.last().is_some_and(Frame::is_object);
        match self.expect {
            Expect::Value { .. } => "a value",
            Expect::ValueOrEnd => "a value or `]`",
            Expect::Key { .. } => "a string key",
            Expect::KeyOrEnd => "a string key or `}`",
            Expect::Colon => "`:`",
            Expect::CommaOrEnd if object => "`,` or `}`",
            Expect::CommaOrEnd => "`,` or `]`",
            Expect::End => "end of input",
        }
    }

    fn found(&self, tok: &Token<'_>) -> String {
        found(tok, self.lex.slice(tok.span))
    }

    fn on_value(&mut self, tok: Token<'a>, comma: Option<Span>, may_close: bool) {
        let span = tok.span;
        let kind = match tok.tok {
            Tok::LBrace | Tok::LBracket => return self.open(tok),
            Tok::Str(s) => JsonKind::String(s.into()),
            Tok::Num(n) => JsonKind::Number(n),
            Tok::Bool(b) => JsonKind::Bool(b),
            Tok::Null => JsonKind::Null,
            Tok::Bad => JsonKind::Null,
            Tok::Word => {
                self.sink
                    .push(err::invalid_literal(span, self.lex.slice(span)));
                JsonKind::Null
            }
            Tok::RBracket | Tok::RBrace => {
                return self.closer(
                    tok,
                    comma,
                    may_close,
                    "insert a value, or remove what stands before",
                );
            }
            Tok::Comma | Tok::Colon | Tok::Eof => {
                self.unexpected(&tok, "insert a value here");
                return self.recover(tok);
            }
        };
        self.complete(JsonValue { span, kind });
    }

    fn on_key(&mut self, tok: Token<'a>, comma: Option<Span>, may_close: bool) {
        let span = tok.span;
        let key = match tok.tok {
            Tok::Str(s) => Some((s.into(), span)),
            Tok::Word | Tok::Num(_) | Tok::Bool(_) | Tok::Null => {
                let text = self.lex.slice(span);
                self.sink.push(err::unquoted_key(span, text));
                Some((Box::from(text), span))
            }
            Tok::Bad => None,
            Tok::RBrace | Tok::RBracket => {
                return self.closer(
                    tok,
                    comma,
                    may_close,
                    "write the key in double quotes, then `:` and the value",
                );
            }
            Tok::LBrace | Tok::LBracket | Tok::Comma | Tok::Colon | Tok::Eof => {
                self.unexpected(
                    &tok,
                    "write the key in double quotes, then `:` and the value",
                );
                return self.recover(tok);
            }
        };
        self.set_key(key);
        self.expect = Expect::Colon;
    }

    /// A closing bracket where a value or key was expected: fine right
    /// after the opener, a trailing comma after a comma, else an error.
    /// A closer of the wrong kind is left to [`Self::close`] to report.
    fn closer(&mut self, tok: Token<'a>, comma: Option<Span>, may_close: bool, help: &str) {
        let Some(top) = self.stack.last() else {
            self.unexpected(&tok, "remove it");
            self.stopped = true;
            return;
        };
        if top.is_object() == matches!(tok.tok, Tok::RBrace) {
            if let Some(comma) = comma {
                let text = self.lex.slice(tok.span);
                self.sink.push(err::trailing_comma(tok.span, comma, text));
            } else if !may_close {
                self.unexpected(&tok, help);
            }
        }
        self.close(tok);
    }

    /// Record the key of the member being read, checking for duplicates.
    fn set_key(&mut self, key: Option<(Box<str>, Span)>) {
        if let Some(Frame::Object {
            base,
            keys,
            key: slot,
            ..
        }) = self.stack.last_mut()
        {
            let members = self.members.get(*base..).unwrap_or_default();
            if let Some(Some((dropped, span))) = slot.take() {
                keys.note_dropped(dropped, span);
            }
            let key = key.filter(|(name, span)| match keys.insert(members, name, *span) {
                Ok(()) => true,
                Err(first) => {
                    self.sink.push(err::duplicate_key(*span, first, name));
                    false
                }
            });
            *slot = Some(key);
        }
    }

    fn on_colon(&mut self, tok: Token<'a>) {
        match tok.tok {
            Tok::Colon => self.expect = Expect::Value { comma: None },
            Tok::Bad => {}
            Tok::Str(_)
            | Tok::Num(_)
            | Tok::Bool(_)
            | Tok::Null
            | Tok::Word
            | Tok::LBrace
            | Tok::LBracket => {
                self.unexpected(&tok, "put a `:` between the key and its value");
                self.expect = Expect::Value { comma: None };
                self.pending = Some(tok);
            }
            _ => {
                self.unexpected(&tok, "put a `:` between the key and its value");
                self.recover(tok);
            }
        }
    }

    fn on_comma(&mut self, tok: Token<'a>) {
        let object = self.stack.last().is_some_and(Frame::is_object);
        match tok.tok {
            Tok::Comma => self.after_comma(tok.span),
            Tok::RBrace | Tok::RBracket => self.close(tok),
            Tok::Bad => {}
            Tok::Str(_) | Tok::Word => self.missing_comma(tok, object),
            Tok::Num(_) | Tok::Bool(_) | Tok::Null | Tok::LBrace | Tok::LBracket if !object => {
                self.missing_comma(tok, object);
            }
            _ => {
                let help = if object {
                    "separate members with `,` and close the object with `}`"
                } else {
                    "separate elements with `,` and close the array with `]`"
                };
                self.unexpected(&tok, help);
                self.recover(tok);
            }
        }
    }

    fn missing_comma(&mut self, tok: Token<'a>, object: bool) {
        let found = self.found(&tok);
        self.sink.push(err::missing_comma(
            tok.span,
            self.expected(),
            &found,
            object,
        ));
        self.expect = if object {
            Expect::Key { comma: None }
        } else {
            Expect::Value { comma: None }
        };
        self.pending = Some(tok);
    }

    fn after_comma(&mut self, comma: Span) {
        self.expect = match self.stack.last() {
            Some(Frame::Object { .. }) => Expect::Key { comma: Some(comma) },
            _ => Expect::Value { comma: Some(comma) },
        };
    }

    fn on_end(&mut self, tok: Token<'a>) {
        match tok.tok {
            Tok::Eof => {}
            Tok::Bad => return,
            _ => {
                let found = self.found(&tok);
                self.sink.push(err::trailing_characters(tok.span, &found));
            }
        }
        self.stopped = true;
    }

    /// Report `tok` as unexpected here.
    fn unexpected(&mut self, tok: &Token<'_>, help: &str) {
        let expected = self.expected();
        if matches!(tok.tok, Tok::Eof) {
            let opener = self.stack.last().map(Frame::opener);
            self.sink
                .push(err::unexpected_eof(tok.span, expected, opener));
            return;
        }
        let found = self.found(tok);
        self.sink
            .push(err::unexpected_token(tok.span, expected, &found, help));
    }

    /// After an error at `tok`: skip to the next `,` or closing bracket of
    /// the current array or object, and go on from there.
    fn recover(&mut self, tok: Token<'a>) {
        if self.stack.is_empty() {
            self.stopped = true;
            return;
        }
        // A stray comma right after `[` or `{` is one error, not also a
        // trailing comma when the bracket closes next.
        if matches!(tok.tok, Tok::Comma)
            && matches!(self.expect, Expect::ValueOrEnd | Expect::KeyOrEnd)
        {
            return;
        }
        let mut tok = tok;
        loop {
            match tok.tok {
                Tok::Eof => {
                    self.stopped = true;
                    return;
                }
                Tok::Comma => return self.after_comma(tok.span),
                Tok::RBrace | Tok::RBracket => {
                    self.expect = Expect::CommaOrEnd;
                    return self.close(tok);
                }
                Tok::LBrace | Tok::LBracket if !self.skip_container() => {
                    self.stopped = true;
                    return;
                }
                _ => {}
            }
            if self.sink.is_full() {
                return;
            }
            tok = self.lex.next(self.sink);
        }
    }

    /// Skip tokens up to and including the bracket that closes one just
    /// read; false at end of input. Uses a counter, not the stack.
    fn skip_container(&mut self) -> bool {
        let mut depth: u64 = 1;
        while depth > 0 {
            if self.sink.is_full() {
                return false;
            }
            match self.lex.next(self.sink).tok {
                Tok::LBrace | Tok::LBracket => depth += 1,
                Tok::RBrace | Tok::RBracket => depth -= 1,
                Tok::Eof => return false,
                _ => {}
            }
        }
        true
    }

    /// `tok` is `[` or `{`: open a container, unless that is too deep.
    fn open(&mut self, tok: Token<'a>) {
        let start = tok.span.start as usize;
        if self.stack.len() >= self.max_depth {
            self.sink.push(err::too_deep(tok.span, self.max_depth));
            if self.skip_container() {
                // Stand in a placeholder so the parse goes on after it.
                self.complete(JsonValue {
                    span: tok.span,
                    kind: JsonKind::Null,
                });
            } else {
                let eof = Token {
                    tok: Tok::Eof,
                    span: Span::point(self.lex.bytes.len()),
                };
                if !self.sink.is_full() {
                    self.unexpected(&eof, "");
                }
                self.stopped = true;
            }
            return;
        }
        if matches!(tok.tok, Tok::LBrace) {
            self.stack.push(Frame::Object {
                open: start,
                base: self.members.len(),
                keys: KeyIndex::default(),
                key: None,
            });
            self.expect = Expect::KeyOrEnd;
        } else {
            self.stack.push(Frame::Array {
                open: start,
                base: self.values.len(),
            });
            self.expect = Expect::ValueOrEnd;
        }
    }

    /// `tok` is `]` or `}`: close the matching open container. A closer
    /// of the wrong kind is reported; if it matches an enclosing
    /// container, the ones in between are closed too, else it is skipped.
    fn close(&mut self, tok: Token<'a>) {
        let object = matches!(tok.tok, Tok::RBrace);
        let Some(top) = self.stack.last() else {
            // A stray closer at the top level.
            self.unexpected(&tok, "remove it");
            self.stopped = true;
            return;
        };
        if top.is_object() != object {
            let opener = top.opener();
            let found = self.found(&tok);
            let expected = if top.is_object() { "`}`" } else { "`]`" };
            self.sink.push(
                err::unexpected_token(
                    tok.span,
                    expected,
                    &found,
                    "close brackets in the order they were opened",
                )
                .with_related(opener.0, format!("this `{}` is not closed", opener.1)),
            );
            if !self.stack.iter().any(|f| f.is_object() == object) {
                return;
            }
            while self.stack.last().is_some_and(|f| f.is_object() != object) {
                self.pop(tok.span.start as usize);
            }
        }
        self.pop(tok.span.end as usize);
    }

    /// Pop the innermost container, ending its span at `end`.
    fn pop(&mut self, end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let value = match frame {
            Frame::Array { open, base } => JsonValue {
                span: Span::new(open, end),
                kind: JsonKind::Array(self.values.split_off(base)),
            },
            Frame::Object { open, base, .. } => JsonValue {
                span: Span::new(open, end),
                kind: JsonKind::Object(self.members.split_off(base)),
            },
        };
        self.complete(value);
    }

    /// A value is complete: attach it to its container (or make it the root).
    fn complete(&mut self, value: JsonValue) {
        match self.stack.last_mut() {
            None => {
                self.root = Some(value);
                self.expect = Expect::End;
            }
            Some(Frame::Array { .. }) => {
                self.values.push(value);
                self.expect = Expect::CommaOrEnd;
            }
            Some(Frame::Object { key, .. }) => {
                if let Some(Some((key, key_span))) = key.take() {
                    self.members.push(JsonMember {
                        key,
                        key_span,
                        value,
                    });
                }
                self.expect = Expect::CommaOrEnd;
            }
        }
    }
}
