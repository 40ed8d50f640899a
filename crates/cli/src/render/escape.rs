//! Text from inputs made safe for a terminal and a CI log.
//!
//! Names, Sids, messages and source lines come from files written by other
//! people. Raw, a control character in them can recolour or rewrite the
//! terminal (`ESC [`, `ESC ]` sequences), move the cursor back over what was
//! printed (`\r`), reorder what is shown (bidirectional overrides), or start
//! a new line that GitHub Actions reads as a workflow command
//! (`\n::error file=…`). Every renderer of the CLI passes such text through
//! [`escape`] (a fragment of one line) or [`clean_source`] /
//! [`clean_diagnostic`] (what miette draws); [`crate::out`] checks the
//! finished lines once more.

use std::borrow::Cow;

use keyward_policy::{Diagnostic, Source, Span};

/// True for a character that must not reach a terminal raw: C0 controls
/// (newline and tab included), DEL, C1 controls, the bidirectional
/// formatting characters and the Unicode line and paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether the character starting at byte `i` of `bytes` (a `str`'s) is
/// one [`is_unsafe`] names: the same test on UTF-8 bytes, for fast scans.
/// A continuation byte is never such a start.
fn unsafe_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b if b < 0x20 || b == 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xd8 => bytes.get(i + 1) == Some(&0x9c),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x8e | 0x8f | 0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    }
}

/// True when `text` holds a character [`is_unsafe`] names, other than the
/// ASCII ones in `except`.
pub fn has_unsafe(text: &str, except: &[u8]) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| unsafe_at(bytes, i) && !except.contains(&bytes[i]))
}

/// Append the visible form of `c` to `out`: `\n`, `\r`, `\t`, or `\u{1b}`
/// (Rust's notation) for any other character [`is_unsafe`] names.
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        c => out.push(c),
    }
}

/// `text` as one line that is safe to print: every character
/// [`is_unsafe`] names is written as an escape (`a\nb`, `\u{1b}[31m`).
/// Borrowed when there is nothing to escape. Use it for every piece of an
/// input (a name, a Sid, a path, a message quoting one) put into a line of
/// human or GitHub output.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text, &[]) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Whether `source` needs cleaning before miette draws lines of it: a
/// control character other than newline, tab and the `\r` of a CRLF line
/// end, or a character [`is_unsafe`] names.
fn needs_cleaning(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| {
        let allowed = match bytes[i] {
            b'\n' | b'\t' => true,
            b'\r' => bytes.get(i + 1) == Some(&b'\n'),
            _ => false,
        };
        !allowed && unsafe_at(bytes, i)
    })
}

/// A source and its diagnostics made safe for miette to draw.
#[derive(Debug)]
pub struct Cleaned {
    /// The source, each unsafe character replaced by `�` (U+FFFD), so that
    /// lines and columns (counted in characters) stay those of the file.
    pub source: Source,
    /// The diagnostics, their spans moved to the cleaned text and their
    /// messages, help and labels escaped.
    pub diagnostics: Vec<Diagnostic>,
}

/// Clean `source` (and move `diagnostics` onto it) for drawing as a snippet:
/// a snippet shows lines of the file as they are, so each control character
/// (other than a line end or tab) becomes one `�`, keeping every line and
/// column where it was. The name, messages, help and labels are escaped.
pub fn clean(source: &Source, diagnostics: &[Diagnostic]) -> Cleaned {
    let name = escape(source.name());
    if !needs_cleaning(source.text()) {
        let source = match name {
            Cow::Borrowed(_) => source.clone(),
            Cow::Owned(name) => Source::new(name, source.text_arc().clone()),
        };
        return Cleaned {
            source,
            diagnostics: diagnostics.iter().map(clean_diagnostic).collect(),
        };
    }
    let text = source.text();
    let mut cleaned = String::with_capacity(text.len() + 16);
    // (offset in the file, bytes added up to and including that character)
    let mut shifts: Vec<(usize, isize)> = Vec::new();
    let mut added: isize = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let crlf = c == '\r' && chars.peek().map(|(_, n)| *n) == Some('\n');
        if is_unsafe(c) && c != '\n' && c != '\t' && !crlf {
            cleaned.push('\u{fffd}');
            added += 3 - c.len_utf8() as isize;
            shifts.push((at + c.len_utf8(), added));
        } else {
            cleaned.push(c);
        }
    }
    let moved = |offset: u32| -> usize {
        let offset = offset as usize;
        // The shift of the last replaced character ending at or before `offset`.
        let index = shifts.partition_point(|(end, _)| *end <= offset);
        let shift = index.checked_sub(1).map_or(0, |i| shifts[i].1);
        offset.saturating_add_signed(shift)
    };
    let diagnostics = diagnostics
        .iter()
        .map(|d| {
            let mut d = clean_diagnostic(d);
            for label in &mut d.labels {
                label.span = Span::new(moved(label.span.start), moved(label.span.end));
            }
            d
        })
        .collect();
    Cleaned {
        source: Source::new(name.into_owned(), cleaned),
        diagnostics,
    }
}

/// `d` with its message, help and label texts escaped.
pub fn clean_diagnostic(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = escape(&d.message).into_owned();
    d.help = d.help.map(|h| escape(&h).into_owned());
    for label in &mut d.labels {
        label.message = escape(&label.message).into_owned();
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(escape("plain `Sid` ✓"), "plain `Sid` ✓");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(
            escape("\u{1b}[31mred\u{1b}]0;title\u{7}"),
            "\\u{1b}[31mred\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(escape("\u{9b}2J \u{7f}"), "\\u{9b}2J \\u{7f}");
        // Trojan-source reordering and the Unicode line separator.
        assert_eq!(escape("a\u{202e}b\u{2028}c"), "a\\u{202e}b\\u{2028}c");
        // A newline can no longer start a workflow command line.
        assert!(!escape("x\n::error file=a::b").contains('\n'));
    }

    #[test]
    fn cleaned_sources_keep_lines_and_columns() {
        let text = "{\"a\":\n \"\u{1b}[31m\u{202e}x\"\r\n}\r";
        let source = Source::new("p\u{1b}.json", text);
        let x = text.find('x').unwrap();
        let d = Diagnostic::error("t", "bad \u{7}", Span::new(x, x + 1)).with_label("here\n");
        let cleaned = clean(&source, &[d]);
        assert_eq!(cleaned.source.name(), "p\\u{1b}.json");
        assert_eq!(
            cleaned.source.text(),
            "{\"a\":\n \"\u{fffd}[31m\u{fffd}x\"\r\n}\u{fffd}"
        );
        let d = &cleaned.diagnostics[0];
        assert_eq!(cleaned.source.slice(d.span()), "x");
        assert_eq!(
            cleaned.source.start_of(d.span()),
            source.start_of(Span::new(x, x + 1))
        );
        assert_eq!(d.message, "bad \\u{7}");
        assert_eq!(d.labels[0].message, "here\\n");
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_character_test(s in ".*", c in proptest::prelude::any::<char>()) {
            let s = format!("{s}{c}{s}");
            proptest::prop_assert_eq!(has_unsafe(&s, &[]), s.chars().any(is_unsafe));
        }
    }

    #[test]
    fn clean_sources_are_shared_not_copied() {
        let source = Source::new("p.json", "{\r\n\t}\n");
        let cleaned = clean(&source, &[]);
        assert!(std::sync::Arc::ptr_eq(
            cleaned.source.text_arc(),
            source.text_arc()
        ));
    }
}
