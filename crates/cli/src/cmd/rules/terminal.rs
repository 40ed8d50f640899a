//! The Markdown of a rule page, made for a terminal: HTML comments (the
//! generated-file notice) dropped, headings underlined, tables aligned,
//! code blocks indented without their fences, links spelled out.

/// Render `markdown` (the subset the rule pages use) as plain text.
pub fn render(markdown: &str) -> String {
    let mut out = Output::default();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut in_code = false;
    let mut in_comment = false;
    for line in markdown.lines() {
        if in_code {
            if line.trim_start().starts_with("```") {
                in_code = false;
                out.blank();
            } else {
                out.line(&format!("    {line}"));
            }
            continue;
        }
        let line = if in_comment {
            match line.split_once("-->") {
                Some((_, rest)) => rest,
                None => continue,
            }
        } else {
            line
        };
        let (line, opens_comment) = strip_comments(line);
        in_comment = opens_comment;
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            table.push(cells(trimmed));
            continue;
        }
        if !table.is_empty() {
            out.table(&std::mem::take(&mut table));
        }
        if trimmed.starts_with("```") {
            in_code = true;
            out.blank();
        } else if let Some(heading) = trimmed.strip_prefix("# ") {
            out.heading(&inline(heading), '=');
        } else if let Some(heading) = trimmed.strip_prefix("## ") {
            out.heading(&inline(heading), '-');
        } else if let Some(heading) = trimmed.trim_start_matches('#').strip_prefix(' ') {
            out.blank();
            out.line(&format!("{}:", inline(heading)));
        } else if let Some(item) = trimmed.strip_prefix("- ").or(trimmed.strip_prefix("* ")) {
            out.line(&format!("  - {}", inline(item)));
        } else if trimmed.is_empty() {
            out.blank();
        } else {
            out.line(&inline(&line));
        }
    }
    if !table.is_empty() {
        out.table(&table);
    }
    out.finish()
}

/// The line without `<!-- … -->` comments, and whether a comment stays open
/// at its end.
fn strip_comments(line: &str) -> (String, bool) {
    let mut kept = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("<!--") {
        kept.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return (kept, true),
        }
    }
    kept.push_str(rest);
    (kept, false)
}

/// The cells of a table row; empty for a separator row (`|---|---|`).
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim_matches('|');
    let cells: Vec<String> = inner.split('|').map(|c| inline(c.trim())).collect();
    if cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
    {
        Vec::new()
    } else {
        cells
    }
}

/// Inline markup: `[text](url)` becomes `text (url)`, `**bold**` plain text.
/// Code spans keep their backticks, as terminal text quotes names.
fn inline(text: &str) -> String {
    let text = text.replace("**", "");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('[') {
        let link = rest[open..].find("](").and_then(|mid| {
            let close = rest[open + mid..].find(')')?;
            Some((mid, open + mid + close))
        });
        let Some((mid, close)) = link else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..open + mid]);
        out.push_str(" (");
        out.push_str(&rest[open + mid + 2..close]);
        out.push(')');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Lines with at most one blank line between blocks.
#[derive(Default)]
struct Output {
    text: String,
    blank_pending: bool,
}

impl Output {
    fn line(&mut self, line: &str) {
        if self.blank_pending && !self.text.is_empty() {
            self.text.push('\n');
        }
        self.blank_pending = false;
        self.text.push_str(line.trim_end());
        self.text.push('\n');
    }

    fn blank(&mut self) {
        self.blank_pending = true;
    }

    fn heading(&mut self, title: &str, underline: char) {
        self.blank();
        self.line(title);
        self.line(&underline.to_string().repeat(title.chars().count()));
        self.blank();
    }

    fn table(&mut self, rows: &[Vec<String>]) {
        let rows: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .collect();
        let columns = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                rows.iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            self.line(&format!("  {}", cells.join("  ")));
        }
        self.blank();
    }

    fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_read_as_plain_text() {
        let page = "<!-- Generated. Do not edit. -->\n\n# KW1: name\n\nSummary.\n\n| | |\n|---|---|\n| Code | `KW1` |\n| Default level | error |\n\n## What it does\nFinds things, see [the docs](docs.md).\n- one\n- **two**\n\n### Invalid\n```json\n{\"a\": 1}\n```\n";
        assert_eq!(
            render(page),
            "KW1: name\n=========\n\nSummary.\n\n  Code           `KW1`\n  Default level  error\n\nWhat it does\n------------\n\nFinds things, see the docs (docs.md).\n  - one\n  - two\n\nInvalid:\n\n    {\"a\": 1}\n"
        );
    }

    #[test]
    fn comments_are_dropped_wherever_they_stand() {
        assert_eq!(render("a <!-- x --> b\n"), "a  b\n");
        assert_eq!(render("<!-- one\ntwo -->\nkept\n"), "kept\n");
        // Inside a code block, text is code.
        assert_eq!(render("```\n<!-- code -->\n```\n"), "    <!-- code -->\n");
    }
}
