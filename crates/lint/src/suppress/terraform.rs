//! Suppressions in Terraform files: a whole-line comment
//!
//! ```hcl
//! data "aws_iam_policy_document" "key" {
//!   # keyward:suppress KW201 the edge functions have no fixed role; the VPC endpoint pins callers
//!   statement {
//!     principals { … }
//!   }
//! }
//! ```
//!
//! (`#` or `//`) covers the findings in the block or attribute that follows
//! it (comments and blank lines may stand between), or, when nothing follows
//! in its block, the block it stands in. The code may be a rule's code or
//! name; the rest of the line is the reason.

use std::ops::Range;

use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span as _;
use keyward_policy::{Diagnostic, Span};

use super::cloudformation::unknown_rule;
use super::{named_rule, Suppression};

const MARKER: &str = "keyward:suppress";

/// The suppressions written in the `.tf` file `text`. Mistakes are diagnostics.
pub fn read(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Suppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    // A file that does not parse has its own `hcl::syntax` error and no policies.
    let Ok(body) = hcl_edit::parser::parse_body(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some((at, rest)) = comment(line) else {
            continue;
        };
        let at = Span::new(start + at, start + line.trim_end().len());
        let Some(rest) = rest.strip_prefix(MARKER) else {
            continue;
        };
        let mut words = rest.trim_start().splitn(2, char::is_whitespace);
        let code = words.next().unwrap_or("");
        let reason = words
            .next()
            .map(|r| r.trim().trim_start_matches(['-', ':']).trim().to_string())
            .filter(|r| !r.is_empty());
        if code.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    "suppression::invalid",
                    "`keyward:suppress` names no rule",
                    at,
                )
                .with_help("write `# keyward:suppress KW201 why it is accepted`"),
            );
            continue;
        }
        let Some(rule) = named_rule(code) else {
            let after_marker = line.find(MARKER).map_or(0, |m| m + MARKER.len());
            let code_at = start + after_marker + line[after_marker..].find(code).unwrap_or(0);
            diagnostics.push(unknown_rule(
                code,
                Span::new(code_at, code_at + code.len()),
                "",
            ));
            continue;
        };
        let Some((scope, scope_name)) = scope(text, &body, start + line.len()) else {
            diagnostics.push(
                Diagnostic::error(
                    "suppression::invalid",
                    "this suppression stands before no block or attribute",
                    at,
                )
                .with_help("put it on the line above the block or attribute whose findings it accepts, or inside that block"),
            );
            continue;
        };
        out.push(Suppression {
            rule,
            reason,
            scope,
            at,
            pointer: None,
            scope_name,
        });
    }
    out
}

/// `Some((offset of the comment, text after "#" or "//"))` for a whole-line comment.
fn comment(line: &str) -> Option<(usize, &str)> {
    let text = line.trim_start();
    let at = line.len() - text.len();
    let rest = text.strip_prefix('#').or_else(|| text.strip_prefix("//"))?;
    Some((at, rest.trim_start()))
}

/// The region covered by a suppression whose line ends at `after`: the
/// structure that follows it in the innermost block holding it, else that
/// block.
fn scope(text: &str, body: &Body, after: usize) -> Option<(Span, String)> {
    let mut found = None;
    let mut current = body;
    loop {
        let structures: Vec<&Structure> = current.iter().collect();
        if let Some(next) = structures
            .iter()
            .filter_map(|s| Some((*s, s.span()?)))
            .find(|(_, r)| r.start >= after)
            .filter(|(_, r)| only_comments(text.get(after..r.start).unwrap_or("x")))
        {
            return Some((span(&next.1), describe(next.0)));
        }
        let inside = structures.iter().find_map(|s| match s {
            Structure::Block(block) => {
                let r = s.span()?;
                (r.start < after && after <= r.end).then_some((block, r))
            }
            Structure::Attribute(_) => None,
        });
        match inside {
            Some((block, r)) => {
                found = Some((span(&r), describe_block(block)));
                current = &block.body;
            }
            None => return found,
        }
    }
}

fn only_comments(between: &str) -> bool {
    between.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l.starts_with("//")
    })
}

fn span(r: &Range<usize>) -> Span {
    Span::new(r.start, r.end)
}

/// ``block `resource "aws_kms_key" "main"` `` or ``attribute `policy` ``.
fn describe(structure: &Structure) -> String {
    match structure {
        Structure::Block(block) => describe_block(block),
        Structure::Attribute(attribute) => format!("attribute `{}`", attribute.key.as_str()),
    }
}

fn describe_block(block: &Block) -> String {
    let mut name = block.ident.as_str().to_string();
    for label in &block.labels {
        name.push_str(&format!(" \"{}\"", label.as_str()));
    }
    format!("block `{name}`")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    const TF: &str = r#"data "aws_iam_policy_document" "key" {
  statement {
    sid = "Admins"
  }

  # keyward:suppress KW201 the edge role has no fixed ARN
  # (see ADR-12)
  statement {
    sid = "Anyone"
  }
}

resource "aws_kms_key" "main" {
  // keyward:suppress wildcard-principal-without-condition - public key
  policy = "x"
  # keyward:suppress KW208
}
# keyward:suppress KW999 no such rule
# keyward:suppress
"#;

    fn text_of(span: Span) -> &'static str {
        &TF[span.range()]
    }

    #[test]
    fn comments_cover_what_follows_or_the_block_they_stand_in() {
        let mut diagnostics = Vec::new();
        let found = read(TF, &mut diagnostics);
        assert_eq!(found.len(), 3);
        assert!(text_of(found[0].scope).starts_with("statement {\n    sid = \"Anyone\""));
        assert_eq!(
            found[0].reason.as_deref(),
            Some("the edge role has no fixed ARN")
        );
        assert_eq!(found[0].scope_name, "block `statement`");
        assert_eq!(found[1].rule.code(), "KW201");
        assert_eq!(text_of(found[1].scope), "policy = \"x\"");
        assert_eq!(found[1].reason.as_deref(), Some("public key"));
        // Nothing follows in its block: the block itself.
        assert!(text_of(found[2].scope).starts_with("resource \"aws_kms_key\" \"main\" {"));
        assert_eq!(
            found[2].scope_name,
            "block `resource \"aws_kms_key\" \"main\"`"
        );
        assert_eq!(found[2].reason, None);
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["suppression::unknown-rule", "suppression::invalid"]);
        assert_eq!(&TF[diagnostics[0].span().range()], "KW999");
    }

    #[test]
    fn a_file_without_the_marker_is_not_parsed_again() {
        let mut diagnostics = Vec::new();
        assert!(read("not { valid", &mut diagnostics).is_empty());
        assert!(read("# keyward:suppress KW201 r\nnot { valid", &mut diagnostics).is_empty());
        assert!(diagnostics.is_empty());
    }
}
