//! Snippets of findings inside policies stored as JSON strings: a Terraform
//! plan holds each policy as one string (`"policy": "{\n  \"Version\": …}"`),
//! and a finding inside it would show the whole escaped line, hundreds of
//! columns wide. Such a finding is shown in the string's decoded text, with
//! its own lines, and a decoded line still wider than the terminal (a
//! minified `jsonencode` policy) is cut to a window around the finding.
//! Other lines are left to miette (which cuts lines past 4 KB itself).

use keyward_policy::{Diagnostic, Source, Span};

use crate::extract::SpanMap;

/// A finding re-pointed into the text shown for it.
#[derive(Debug)]
pub(super) struct Focus {
    /// The text shown, named after the finding's place in the file.
    pub(super) source: Source,
    /// The finding, its labels pointing into that text.
    pub(super) diagnostic: Diagnostic,
}

/// Room left for the snippet's gutter and its `…` marks.
const GUTTER: usize = 16;

/// The text to show for `diagnostic`, when its labels sit in one JSON string
/// literal on a line of `source` wider than `width`; `None` otherwise.
pub(super) fn focus(source: &Source, diagnostic: &Diagnostic, width: usize) -> Option<Focus> {
    let spans: Vec<Span> = diagnostic.labels.iter().map(|l| l.span).collect();
    let primary = *spans.first()?;
    let text = source.text();
    let line = source.line_range(source.line_index(primary.start as usize));
    let line_text = text.get(line.clone())?.trim_end_matches(['\n', '\r']);
    if line_text.chars().count() <= width {
        return None;
    }
    let literal = string_literal(line_text, line.start, &spans)?;
    let (decoded, map) = SpanMap::decode_literal(text.get(literal.range())?, literal.start)?;
    let spans: Vec<Span> = spans.iter().map(|s| map.unmap(*s)).collect();
    let (shown, spans) = window(&decoded, spans, width.saturating_sub(GUTTER).max(40));
    let at = source.start_of(primary);
    let name = format!(
        "{}:{}:{} (in the JSON string, decoded)",
        source.name(),
        at.line,
        at.column
    );
    let mut focused = diagnostic.clone();
    for (label, span) in focused.labels.iter_mut().zip(spans) {
        label.span = span;
    }
    Some(Focus {
        source: Source::new(name, shown),
        diagnostic: focused,
    })
}

/// The span (quotes included) of the JSON string literal on the line that
/// holds every span; `line_start` is the line's offset in the file. A line
/// of a JSON file never starts inside a string: strings hold no raw newline.
fn string_literal(line: &str, line_start: usize, spans: &[Span]) -> Option<Span> {
    let mut open: Option<usize> = None;
    let mut escaped = false;
    for (i, byte) in line.bytes().enumerate() {
        match (open, byte) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), b'\\') => escaped = true,
            (Some(start), b'"') => {
                let literal = Span::new(line_start + start, line_start + i + 1);
                if spans
                    .iter()
                    .all(|s| literal.start < s.start && s.end < literal.end)
                {
                    return Some(literal);
                }
                open = None;
            }
            (None, b'"') => open = Some(i),
            _ => {}
        }
    }
    None
}

/// The text with the primary span's line cut to `room` characters around
/// the spans when it is wider, and the spans moved to match. Text on other
/// lines is kept; a cut is marked with `…`.
fn window(text: &str, spans: Vec<Span>, room: usize) -> (String, Vec<Span>) {
    match cut(text, &spans, room) {
        Some(cut) => cut,
        None => (text.to_string(), spans),
    }
}

/// [`window`]'s cut; `None` when the line fits (or a span is out of place).
fn cut(text: &str, spans: &[Span], room: usize) -> Option<(String, Vec<Span>)> {
    let primary = spans.first()?.start as usize;
    let line_start = text.get(..primary)?.rfind('\n').map_or(0, |at| at + 1);
    let line_end = text
        .get(primary..)?
        .find('\n')
        .map_or(text.len(), |at| primary + at);
    let on_line = spans
        .iter()
        .all(|s| line_start <= s.start as usize && s.end as usize <= line_end);
    if text.get(line_start..line_end)?.chars().count() <= room || !on_line {
        return None;
    }
    let lo = spans.iter().map(|s| s.start as usize).min()?;
    let hi = spans.iter().map(|s| s.end as usize).max()?;
    // Centre the spans; when they are wider than the room, start at them.
    // Counted in characters, so the cuts fall between characters.
    let slack = room.saturating_sub(text.get(lo..hi)?.chars().count()) / 2;
    let back = |from: usize, chars: usize| {
        text.get(line_start..from).map_or(from, |before| {
            before
                .char_indices()
                .rev()
                .take(chars)
                .last()
                .map_or(from, |(at, _)| line_start + at)
        })
    };
    let mut start = back(lo, slack);
    let end = text
        .get(start..line_end)?
        .char_indices()
        .nth(room)
        .map_or(line_end, |(at, _)| start + at);
    if text.get(start..end)?.chars().count() < room {
        start = back(end, room);
    }
    let before = if start > line_start { "…" } else { "" };
    let after = if end < line_end { "…" } else { "" };
    let shown = format!(
        "{}{before}{}{after}{}",
        text.get(..line_start)?,
        text.get(start..end)?,
        text.get(line_end..)?
    );
    let offset = |at: usize| -> u32 {
        let at = at.clamp(start, end);
        u32::try_from(at - start + line_start + before.len()).unwrap_or(u32::MAX)
    };
    let spans = spans
        .iter()
        .map(|s| Span {
            start: offset(s.start as usize),
            end: offset(s.end as usize),
        })
        .collect();
    Some((shown, spans))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(span: Span) -> Diagnostic {
        Diagnostic::error("KW201", "a finding", span).with_label("here")
    }

    #[test]
    fn a_finding_in_a_policy_string_is_shown_decoded() {
        let policy = r#"{\n  \"Statement\": [{\n    \"Principal\": {\"AWS\": \"*\"},\n    \"Effect\": \"Allow\"\n  }]\n}"#;
        let padding = "x".repeat(200);
        let text = format!("{{\n  \"pad\": \"{padding}\",\n  \"policy\": \"{policy}\"\n}}\n");
        let star = text.find(r#"\"*\""#).unwrap();
        let source = Source::new("plan.json", text.clone());
        let found = focus(&source, &finding(Span::new(star, star + 5)), 100).unwrap();
        let column = star - text[..star].rfind('\n').unwrap();
        assert_eq!(
            found.source.name(),
            format!("plan.json:3:{column} (in the JSON string, decoded)")
        );
        assert!(found
            .source
            .text()
            .contains("\n    \"Principal\": {\"AWS\": \"*\"},\n"));
        let label = found.diagnostic.labels[0].span;
        assert_eq!(found.source.slice(label), "\"*\"");
    }

    #[test]
    fn a_long_decoded_line_is_cut_to_a_window_around_the_finding() {
        let minified = format!(
            r#"{{\"Statement\":[{}{{\"Action\":\"kms:Decrpyt\"}}{}]}}"#,
            r#"{\"Sid\":\"café\",\"Action\":\"kms:Encrypt\"},"#.repeat(20),
            r#",{\"Action\":\"kms:Encrypt\"}"#.repeat(20)
        );
        let text = format!("{{\"policy\": \"{minified}\"}}");
        let at = text.find("kms:Decrpyt").unwrap();
        let source = Source::new("plan.json", text.clone());
        let found = focus(&source, &finding(Span::new(at, at + 11)), 100).unwrap();
        let shown = found.source.text();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= 100, "{shown}");
        assert!(!shown.contains('\\'), "{shown}");
        assert_eq!(
            found.source.slice(found.diagnostic.labels[0].span),
            "kms:Decrpyt"
        );
    }

    #[test]
    fn other_findings_are_left_to_miette() {
        let source = Source::new("p.json", "{\"a\": 1}\n");
        assert!(focus(&source, &finding(Span::new(1, 4)), 100).is_none());
        // A long line, but not inside a string: line numbers and context stay.
        let long = format!("[{}1]", "1, ".repeat(100));
        assert!(focus(&Source::new("p.json", long), &finding(Span::new(1, 2)), 100).is_none());
        let long = format!("{}\n{}", "a".repeat(300), "b".repeat(300));
        let across = finding(Span::new(10, 12)).with_related(Span::new(310, 312), "");
        assert!(focus(&Source::new("p", long), &across, 100).is_none());
    }
}
