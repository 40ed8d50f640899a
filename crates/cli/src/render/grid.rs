//! The principal × key grid that `scenario matrix` prints for people, from
//! a scenario or a snapshot: one table per action, then why each cell is
//! what it is, actions with the same answer and reason grouped.

use super::escape::escape;

/// One cell: the answer's word (`allow`, `implicit deny`, `incomplete`…)
/// and its reason, for one action.
pub struct Cell<'a> {
    /// `kms:Decrypt`.
    pub action: &'a str,
    /// The answer in a word or two.
    pub word: String,
    /// Why, as the input said it (escaped when printed).
    pub why: String,
}

/// The grid: labels as printed (escaped by the caller) and the cells by
/// principal, then key, then action (in the order of `actions`).
pub struct Grid<'a> {
    pub principals: Vec<String>,
    pub keys: Vec<String>,
    pub actions: Vec<&'a str>,
    pub cells: Vec<Vec<Vec<Cell<'a>>>>,
}

impl Grid<'_> {
    /// One table per action: a row per principal, a column per key.
    pub fn tables(&self, out: &mut String) {
        let first = self
            .principals
            .iter()
            .map(|p| p.chars().count())
            .max()
            .unwrap_or(0)
            .max(4)
            + 2;
        let width = self
            .cells
            .iter()
            .flatten()
            .flatten()
            .map(|c| c.word.chars().count())
            .chain(self.keys.iter().map(|k| k.chars().count()))
            .max()
            .unwrap_or(0)
            + 3;
        for (a, action) in self.actions.iter().enumerate() {
            out.push_str(&format!("\n{action}\n  {:first$}", ""));
            for k in &self.keys {
                out.push_str(&format!("{k:width$}"));
            }
            end_line(out);
            for (p, name) in self.principals.iter().enumerate() {
                out.push_str(&format!("  {name:first$}"));
                for k in 0..self.keys.len() {
                    let word = self.cells[p][k].get(a).map_or("", |c| c.word.as_str());
                    out.push_str(&format!("{word:width$}"));
                }
                end_line(out);
            }
        }
    }

    /// `Why`: per principal × key, each distinct answer and reason with the
    /// actions that share it.
    pub fn why(&self, out: &mut String) {
        out.push_str("\nWhy\n");
        for (p, name) in self.principals.iter().enumerate() {
            for (k, key) in self.keys.iter().enumerate() {
                out.push_str(&format!("  {name} × {key}\n"));
                let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
                for c in &self.cells[p][k] {
                    let line = format!("{} — {}", c.word, escape(&c.why));
                    match groups.iter_mut().find(|(l, _)| *l == line) {
                        Some((_, names)) => names.push(c.action),
                        None => groups.push((line, vec![c.action])),
                    }
                }
                for (line, names) in groups {
                    out.push_str(&format!("    {}: {line}\n", names.join(", ")));
                }
            }
        }
    }
}

/// Labels escaped for the terminal.
pub fn labels<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    names
        .iter()
        .map(|n| escape(n.as_ref()).into_owned())
        .collect()
}

/// End a line without the padding of its last column.
fn end_line(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out.push('\n');
}
