//! The cursor in a YAML template, from indentation: the keys of the lines
//! above that hold the cursor's line, and the scalar under it. Block style
//! (as CloudFormation templates are written) and one-line flow lists.

use keyward_policy::Span;

use crate::cursor::{Cursor, Role, Seg, Token};

/// The cursor at byte `offset` of YAML `text`.
pub(crate) fn at(text: &str, offset: usize) -> Cursor {
    let offset = floor_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let column = offset - line_start;

    let (indent, content_at) = content_start(line);
    let content = &line[content_at..];
    let mut path = ancestors(
        &text[..line_start],
        indent,
        line.trim_start().starts_with("- "),
    );
    // `key: value` on this line: the cursor is on the key or on the value.
    let colon = key_colon(content).map(|c| content_at + c);
    let role = match colon {
        Some(c) if column > c => {
            path.push(Seg::Key(unquote(line[content_at..c].trim()).to_string()));
            if line[c + 1..].trim_start().starts_with('[') {
                path.push(Seg::Index(0));
            }
            Role::Value
        }
        Some(_) => Role::Key,
        None if line.trim_start().starts_with("- ") => Role::Value,
        None => Role::Key,
    };
    let token = token_at(line, column).map(|(start, end, quoted)| {
        let closed = quoted && end >= start + 2 && line[start..end].ends_with(&line[start..=start]);
        let inner = match (quoted, closed) {
            (true, true) => (start + 1, end - 1),
            (true, false) => (start + 1, end),
            (false, _) => (start, end),
        };
        Token {
            span: Span::new(line_start + start, line_start + end),
            inner: Span::new(line_start + inner.0, line_start + inner.1),
            text: line[inner.0..inner.1].to_string(),
            quoted,
        }
    });
    Cursor { path, role, token }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The indentation of a line and where its content starts (after `- `).
fn content_start(line: &str) -> (usize, usize) {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut at = indent;
    while line[at..].starts_with("- ") {
        at += 2;
        at += line[at..].len() - line[at..].trim_start_matches(' ').len();
    }
    (indent, at)
}

/// The colon that ends a mapping key on this content (`key:` followed by a
/// space or the end of the line), outside quotes.
fn key_colon(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') if i == 0 => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'#') => return None,
            (None, b':') if bytes.get(i + 1).is_none_or(|n| *n == b' ') => return Some(i),
            _ => {}
        }
    }
    None
}

fn unquote(key: &str) -> &str {
    key.trim_matches(['"', '\''])
}

/// The keys of the lines above that contain a line indented `indent`.
fn ancestors(above: &str, indent: usize, item: bool) -> Vec<Seg> {
    let mut path = Vec::new();
    // A line that is itself a list item sits in a sequence.
    let mut level = indent;
    let mut in_sequence = item;
    if item {
        path.push(Seg::Index(0));
    }
    for line in above.lines().rev() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (line_indent, content_at) = content_start(line);
        let content = &line[content_at..];
        let is_item = trimmed.starts_with("- ");
        // An item's own keys sit at its content column.
        let key_indent = if is_item { content_at } else { line_indent };
        let owns = if in_sequence {
            key_indent <= level && !is_item
        } else {
            key_indent < level
        };
        if is_item && line_indent < level && !in_sequence {
            // The cursor's line belongs to this item's mapping.
            if let Some(c) = key_colon(content) {
                if key_indent < level {
                    path.push(Seg::Key(unquote(content[..c].trim()).to_string()));
                }
            }
            path.push(Seg::Index(0));
            level = line_indent;
            in_sequence = true;
            continue;
        }
        if owns {
            if let Some(c) = key_colon(content) {
                path.push(Seg::Key(unquote(content[..c].trim()).to_string()));
                level = line_indent;
                in_sequence = is_item;
                if is_item {
                    path.push(Seg::Index(0));
                }
            }
        }
        if level == 0 && !in_sequence {
            break;
        }
    }
    path.reverse();
    path
}

/// The scalar around `column`: (start, end, quoted).
fn token_at(line: &str, column: usize) -> Option<(usize, usize, bool)> {
    // Inside quotes?
    let mut quote_start = None;
    for (i, c) in line.char_indices() {
        if i >= column {
            break;
        }
        match (quote_start, c) {
            (None, '"' | '\'') => quote_start = Some((i, c)),
            (Some((_, q)), c) if c == q => quote_start = None,
            _ => {}
        }
    }
    if let Some((start, q)) = quote_start {
        let end = line[start + 1..]
            .find(q)
            .map_or(line.len(), |e| start + 1 + e + 1);
        return Some((start, end, true));
    }
    let is_part = |c: char| !c.is_whitespace() && !"[]{},#\"'".contains(c);
    let start = line[..column]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_part(*c))
        .last()
        .map_or(column, |(i, _)| i);
    let end = line[column..]
        .char_indices()
        .find(|(_, c)| !is_part(*c))
        .map_or(line.len(), |(i, _)| column + i);
    // A key's own colon is not part of it.
    let end = if line[start..end].ends_with(':') {
        end - 1
    } else {
        end
    };
    (start < end || start == column).then_some((start, end.max(start), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(marked: &str) -> Cursor {
        let offset = marked.find('|').unwrap();
        at(&marked.replacen('|', "", 1), offset)
    }

    fn keys(c: &Cursor) -> Vec<&str> {
        Cursor::keys(&c.path)
    }

    const TEMPLATE: &str = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n";

    #[test]
    fn a_value_in_a_statement_item() {
        let c = cursor(&format!("{TEMPLATE}            Action: kms:Decr|\n"));
        assert_eq!(
            keys(&c),
            [
                "Resources",
                "Key",
                "Properties",
                "KeyPolicy",
                "Statement",
                "Action"
            ]
        );
        assert_eq!(c.role, Role::Value);
        assert_eq!(c.token.unwrap().text, "kms:Decr");
        // The first key of the item itself.
        let c = cursor(&format!("{TEMPLATE}          - Action: kms:|\n"));
        assert_eq!(Cursor::keys(c.in_statement().unwrap()), ["Action"]);
    }

    #[test]
    fn list_items_and_condition_keys() {
        let c = cursor(&format!("{TEMPLATE}            Action:\n              - kms:Encrypt\n              - \"kms:Re|\"\n"));
        assert_eq!(Cursor::keys(c.in_statement().unwrap()), ["Action"]);
        let token = c.token.unwrap();
        assert!(token.quoted);
        assert_eq!(token.text, "kms:Re");
        let c = cursor(&format!(
            "{TEMPLATE}            Condition:\n              StringEquals:\n                kms:Via|\n"
        ));
        assert_eq!(
            Cursor::keys(c.in_statement().unwrap()),
            ["Condition", "StringEquals"]
        );
        assert_eq!(c.role, Role::Key);
        assert_eq!(c.token.unwrap().text, "kms:Via");
    }

    #[test]
    fn flow_lists_on_one_line() {
        let c = cursor(&format!(
            "{TEMPLATE}            Action: [kms:Encrypt, kms:De|]\n"
        ));
        assert_eq!(Cursor::keys(c.in_statement().unwrap()), ["Action"]);
        assert_eq!(c.token.unwrap().text, "kms:De");
    }
}
