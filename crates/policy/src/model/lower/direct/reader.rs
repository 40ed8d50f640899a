//! Reading tokens for the direct path: objects, arrays and strings of valid
//! JSON only. Anything else gives up (see [`super`]).

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::Arc;

use crate::json::err::Sink;
use crate::json::lex::{Lexer, Tok, Token};
use crate::matching::action_scan::{self, ScannedAction};
use crate::matching::ActionPattern;
use crate::span::{Span, Spanned};
use crate::text::SharedStr;

/// The document is not a valid policy, or is beyond what this path checks:
/// the tree path reads it again and reports why.
#[derive(Debug)]
pub(super) struct GiveUp;

/// A step of the direct path.
pub(super) type Step<T> = Result<T, GiveUp>;

/// Tokens in, with the little state lowering needs.
pub(super) struct Reader<'a> {
    lex: Lexer<'a>,
    /// The text being read.
    text: &'a str,
    /// Where the lexer reports; anything in it at the end means give up.
    sink: Sink,
    /// Arrays and objects open now.
    depth: usize,
    max_depth: usize,
    /// Whether `${…}` is substituted; `None` until `Version` has been read.
    pub(super) variables: Option<bool>,
    /// A template was read literally before `Version` was known, and holds
    /// `${`: it is read again if `Version` turns out to be 2012-10-17.
    pub(super) deferred: bool,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str, start: usize, max_depth: usize) -> Self {
        Reader {
            lex: Lexer::new(text, start),
            text,
            sink: Sink::new(1),
            depth: 0,
            max_depth,
            variables: None,
            deferred: false,
        }
    }

    /// The next token; a malformed one gives up. (Where one kind of token
    /// is expected, [`Reader::string`] and [`Reader::open`] are cheaper.)
    pub(super) fn next(&mut self) -> Step<Token<'a>> {
        let token = self.lex.next(&mut self.sink);
        match token.tok {
            Tok::Bad => Err(GiveUp),
            _ => Ok(token),
        }
    }

    /// The next token, which must be a string.
    #[inline]
    pub(super) fn string(&mut self) -> Step<Spanned<Cow<'a, str>>> {
        self.try_string()?.ok_or(GiveUp)
    }

    /// The next token if it is a string; `None` (having read only
    /// whitespace) if it does not start with `"`.
    #[inline]
    pub(super) fn try_string(&mut self) -> Step<Option<Spanned<Cow<'a, str>>>> {
        if let Some(span) = self.lex.plain_string() {
            let body = span.start as usize + 1..span.end as usize - 1;
            let text = self.text.get(body).ok_or(GiveUp)?;
            return Ok(Some(Spanned::new(Cow::Borrowed(text), span)));
        }
        match self.lex.next_string(&mut self.sink) {
            None => Ok(None),
            Some(Token {
                tok: Tok::Str(s),
                span,
            }) => Ok(Some(Spanned::new(s, span))),
            Some(_) => Err(GiveUp),
        }
    }

    /// An `Action` or `NotAction` value: a string or a non-empty array of
    /// strings, each an action pattern whose text is a range of one copy of
    /// the value's text, which they all share (a string with escapes is a
    /// copy of its own): one allocation for the list, not one per action.
    ///
    /// The strings are read first, to know the extent of the text to copy;
    /// each is checked as an action as it is read, in the same pass over its
    /// bytes when it can be ([`action_scan`]).
    pub(super) fn action_list(&mut self) -> Step<StringList<Spanned<ActionPattern>>> {
        let mut strings = ACTION_STRINGS.take();
        strings.clear();
        let list = self.action_list_with(&mut strings);
        if strings.capacity() <= KEEP_AT_MOST {
            ACTION_STRINGS.set(strings);
        }
        list
    }

    fn action_list_with(
        &mut self,
        strings: &mut Vec<ListString>,
    ) -> Step<StringList<Spanned<ActionPattern>>> {
        let (array, span) = if let Some(item) = self.try_string()? {
            let span = item.span;
            strings.push(ListString::read(item));
            (false, span)
        } else {
            let open = self.open(b'[').ok_or(GiveUp)?;
            // An empty list is refused, so the first item is read straight away.
            self.enter()?;
            let close = loop {
                let item = self.action_string()?;
                strings.push(item);
                if self.lex.eat(b',').is_none() {
                    break self.lex.eat(b']').ok_or(GiveUp)?;
                }
            };
            self.depth -= 1;
            (true, Span::new(open, close + 1))
        };
        let base = span.start as usize;
        let source: Arc<str> = Arc::from(self.text.get(span.range()).ok_or(GiveUp)?);
        // The body of a string whose token is at `span` (quotes included).
        let shared = |span: Span| {
            SharedStr::new(
                &source,
                span.start as usize + 1 - base,
                span.end as usize - 1 - base,
            )
        };
        let mut items = Vec::with_capacity(strings.len());
        for string in strings.drain(..) {
            let item = match string {
                ListString::Scanned(span, found) => {
                    let text = shared(span).ok_or(GiveUp)?;
                    Spanned::new(
                        ActionPattern::from_scanned(text, found.colon, found.upper),
                        span,
                    )
                }
                ListString::Read(span, escaped) => {
                    let text = match escaped {
                        None => shared(span),
                        Some(text) => Some(SharedStr::copy(&text)),
                    };
                    let pattern = ActionPattern::from_shared_valid(text.ok_or(GiveUp)?);
                    Spanned::new(pattern.ok_or(GiveUp)?, span)
                }
            };
            items.push(item);
        }
        Ok(StringList { items, array, span })
    }

    /// One string of an action list: scanned as an action if it can be.
    fn action_string(&mut self) -> Step<ListString> {
        if let Some(body) = self.lex.string_body() {
            if let Some(found) = self.lex.bytes.get(body..).and_then(action_scan::scan) {
                let end = body + found.len + 1;
                self.lex.pos = end;
                return Ok(ListString::Scanned(Span::new(body - 1, end), found));
            }
        }
        Ok(ListString::read(self.string()?))
    }

    /// Read `bracket` (`{` or `[`) if it comes next: its offset.
    pub(super) fn open(&mut self, bracket: u8) -> Option<usize> {
        self.lex.eat(bracket)
    }

    /// The end of the document: nothing but whitespace after the value, and
    /// nothing reported by the lexer on the way (a comment or a stray
    /// character is skipped by the lexer, but is an error).
    pub(super) fn finish(mut self) -> Step<()> {
        let token = self.next()?;
        match token.tok {
            Tok::Eof if self.sink.list.is_empty() => Ok(()),
            _ => Err(GiveUp),
        }
    }

    /// Open a container, unless that is deeper than the limit.
    fn enter(&mut self) -> Step<()> {
        if self.depth >= self.max_depth {
            return Err(GiveUp);
        }
        self.depth += 1;
        Ok(())
    }

    /// The object whose `{` was read at `open`: `member` is called with
    /// each key and its span, after the colon, and must read the value.
    /// Returns the object's span. Duplicate keys are the caller's to catch.
    pub(super) fn object(
        &mut self,
        open: usize,
        mut member: impl FnMut(&mut Self, Cow<'a, str>, Span) -> Step<()>,
    ) -> Step<Span> {
        self.enter()?;
        let close = match self.lex.eat(b'}') {
            Some(close) => close,
            None => loop {
                let key = self.string()?;
                self.lex.eat(b':').ok_or(GiveUp)?;
                member(self, key.node, key.span)?;
                if self.lex.eat(b',').is_none() {
                    break self.lex.eat(b'}').ok_or(GiveUp)?;
                }
            },
        };
        self.depth -= 1;
        Ok(Span::new(open, close + 1))
    }

    /// The array whose `[` was read at `open`: `item` is called with the
    /// index of each element, and must read it. Returns the array's span.
    pub(super) fn array(
        &mut self,
        open: usize,
        mut item: impl FnMut(&mut Self, usize) -> Step<()>,
    ) -> Step<Span> {
        self.enter()?;
        let close = match self.lex.eat(b']') {
            Some(close) => close,
            None => {
                let mut index = 0;
                loop {
                    // A `]` after a comma reaches `item`, which refuses it.
                    item(self, index)?;
                    index += 1;
                    if self.lex.eat(b',').is_none() {
                        break self.lex.eat(b']').ok_or(GiveUp)?;
                    }
                }
            }
        };
        self.depth -= 1;
        Ok(Span::new(open, close + 1))
    }

    /// A string or a non-empty array of strings, as `Action`, `Resource`
    /// and principal values are written, each made a `T` by `each` as it
    /// is read.
    pub(super) fn string_list<T>(
        &mut self,
        mut each: impl FnMut(&mut Self, Spanned<Cow<'a, str>>) -> Step<T>,
    ) -> Step<StringList<T>> {
        if let Some(item) = self.try_string()? {
            let span = item.span;
            return Ok(StringList {
                items: vec![each(self, item)?],
                array: false,
                span,
            });
        }
        let open = self.open(b'[').ok_or(GiveUp)?;
        // An empty list is refused, so the first item is read straight away.
        self.enter()?;
        let mut items = Vec::new();
        let close = loop {
            let item = self.string()?;
            items.push(each(self, item)?);
            if self.lex.eat(b',').is_none() {
                break self.lex.eat(b']').ok_or(GiveUp)?;
            }
        };
        self.depth -= 1;
        Ok(StringList {
            items,
            array: true,
            span: Span::new(open, close + 1),
        })
    }
}

thread_local! {
    /// The strings of the action list being read (see
    /// [`Reader::action_list`]), kept between lists and policies so that
    /// each long list does not grow a new vector.
    static ACTION_STRINGS: Cell<Vec<ListString>> = const { Cell::new(Vec::new()) };
}

/// A kept vector grown past this many items is let go: one huge policy
/// should not hold its memory for the rest of the thread's life.
pub(super) const KEEP_AT_MOST: usize = 4096;

/// A string of an action list, read.
pub(super) enum ListString {
    /// A plain string that is an action: its token's span, and what the
    /// scan found.
    Scanned(Span, ScannedAction),
    /// Any other string, to be checked as an action: its token's span, and
    /// its text when it had escapes (else the text is the span's).
    Read(Span, Option<String>),
}

impl ListString {
    fn read(string: Spanned<Cow<'_, str>>) -> ListString {
        let escaped = match string.node {
            Cow::Borrowed(_) => None,
            Cow::Owned(text) => Some(text),
        };
        ListString::Read(string.span, escaped)
    }
}

/// What [`Reader::string_list`] read.
pub(super) struct StringList<T> {
    /// The items, in order.
    pub(super) items: Vec<T>,
    /// Whether an array was written (rather than one string).
    pub(super) array: bool,
    /// The value: the string or the array.
    pub(super) span: Span,
}

/// The slot must still be empty: a filled one means a duplicate key (or an
/// element together with its `Not…` form).
pub(super) fn vacant<T>(slot: &Option<T>) -> Step<()> {
    match slot {
        None => Ok(()),
        Some(_) => Err(GiveUp),
    }
}
