//! The size of a policy as AWS receives it: the compact JSON serialization
//! of its tree (CloudFormation and Terraform send policies compacted).

use keyward_policy::json::{JsonKind, JsonValue};

/// Bytes of the compact JSON text of `value`. Numbers are counted as the
/// source spells them.
pub(crate) fn compact_len(value: &JsonValue, text: &str) -> usize {
    match &value.kind {
        JsonKind::Null => 4,
        JsonKind::Bool(true) => 4,
        JsonKind::Bool(false) => 5,
        JsonKind::Number(_) => text.get(value.span.range()).map_or(1, |s| s.trim().len()),
        JsonKind::String(s) => string_len(s),
        JsonKind::Array(items) => {
            2 + items.iter().map(|v| compact_len(v, text)).sum::<usize>()
                + items.len().saturating_sub(1)
        }
        JsonKind::Object(members) => {
            2 + members
                .iter()
                .map(|m| string_len(&m.key) + 1 + compact_len(&m.value, text))
                .sum::<usize>()
                + members.len().saturating_sub(1)
        }
    }
}

fn string_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}
