//! Reading a module: its `.tf` files, parsed, and the local modules it calls
//! (`source = "./…"` or `"../…"`), followed recursively. A cycle of module
//! calls, an unreadable folder or a syntax error is a diagnostic, never a
//! panic or a loop.

use std::collections::HashMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use keyward_policy::{Diagnostic, Source, Span};

use super::TerraformFiles;

/// Most modules read for one root (a call graph that fans out is cut here).
const MAX_MODULES: usize = 64;
/// Deepest chain of module calls followed.
const MAX_CALL_DEPTH: usize = 16;

/// One parsed `.tf` file.
#[derive(Debug)]
pub(crate) struct TfFile {
    /// Index into [`Loaded::sources`].
    pub file: u32,
    pub body: Body,
}

/// A module: a folder of `.tf` files.
#[derive(Debug)]
pub(crate) struct Module {
    /// The folder, as displayed (`.`-free, `/`-separated).
    pub dir: String,
    pub files: Vec<TfFile>,
}

/// Everything read for one root module.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// Every file read: `.tf` files and those `file()` reads later.
    pub sources: Vec<Source>,
    /// `tf[i]`: `sources[i]` is a `.tf` file.
    pub tf: Vec<bool>,
    /// `modules[0]` is the root.
    pub modules: Vec<Module>,
    /// (module, call name) → the called module, when it is local and was read.
    pub calls: HashMap<(usize, String), usize>,
    /// Problems found while reading, with the file they belong to.
    pub diagnostics: Vec<(u32, Diagnostic)>,
}

impl Loaded {
    /// Read the module in `dir` and every local module it calls.
    pub(crate) fn read(dir: &str, fs: &dyn TerraformFiles) -> Result<Loaded, String> {
        let mut loaded = Loaded::default();
        let mut by_dir = HashMap::new();
        let mut stack = Vec::new();
        loaded.load(&normalize(dir), fs, &mut by_dir, &mut stack)?;
        Ok(loaded)
    }

    /// Add a file to the table; its index.
    pub(crate) fn add_source(&mut self, source: Source, tf: bool) -> u32 {
        self.sources.push(source);
        self.tf.push(tf);
        u32::try_from(self.sources.len() - 1).unwrap_or(u32::MAX)
    }

    fn load(
        &mut self,
        dir: &str,
        fs: &dyn TerraformFiles,
        by_dir: &mut HashMap<String, usize>,
        stack: &mut Vec<String>,
    ) -> Result<usize, String> {
        if let Some(&index) = by_dir.get(dir) {
            return Ok(index);
        }
        let paths = fs.tf_files(dir)?;
        let mut files = Vec::new();
        for path in paths {
            let text = fs.read(&path)?;
            let file = self.add_source(Source::new(path.as_str(), text), true);
            let source = &self.sources[file as usize];
            match hcl_edit::parser::parse_body(source.text()) {
                Ok(body) => files.push(TfFile { file, body }),
                Err(e) => {
                    let at = e.location().offset().min(source.text().len());
                    let message = e.message().to_string();
                    let d = Diagnostic::error(
                        "hcl::syntax",
                        format!("this is not valid HCL: {}", first_line(&message)),
                        Span::new(at, at),
                    )
                    .with_help("fix the syntax (`terraform validate` shows the same error); the policies of this file are not linted until it parses");
                    self.diagnostics.push((file, d));
                }
            }
        }
        let index = self.modules.len();
        self.modules.push(Module {
            dir: dir.to_string(),
            files,
        });
        by_dir.insert(dir.to_string(), index);
        stack.push(dir.to_string());
        // The module calls, collected first: loading borrows `self` mutably.
        let mut calls = Vec::new();
        for tf in &self.modules[index].files {
            for block in tf.body.get_blocks("module") {
                let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                if let Some((source, span)) = local_source(block) {
                    calls.push((tf.file, name, source, span));
                }
            }
        }
        for (file, name, source, span) in calls {
            let child = normalize(&format!("{dir}/{source}"));
            if let Some(at) = stack.iter().position(|d| *d == child) {
                let mut chain: Vec<&str> = stack[at..].iter().map(String::as_str).collect();
                chain.push(&child);
                let d = Diagnostic::error(
                    "terraform::module-cycle",
                    format!(
                        "module `{name}` calls a module that calls it back: {}",
                        chain.join(" → ")
                    ),
                    span,
                )
                .with_label("this call closes the cycle")
                .with_help("Terraform refuses a cycle of module calls; this call is not followed");
                self.diagnostics.push((file, d));
                continue;
            }
            if self.modules.len() >= MAX_MODULES || stack.len() >= MAX_CALL_DEPTH {
                let d = Diagnostic::warning(
                    "terraform::too-many-modules",
                    format!(
                        "module `{name}` is not followed: more than {MAX_MODULES} modules or calls nested deeper than {MAX_CALL_DEPTH}"
                    ),
                    span,
                )
                .with_help("lint the called module on its own");
                self.diagnostics.push((file, d));
                continue;
            }
            match self.load(&child, fs, by_dir, stack) {
                Ok(child_index) => {
                    self.calls.insert((index, name), child_index);
                }
                Err(message) => {
                    let d = Diagnostic::error(
                        "terraform::module-unreadable",
                        format!("the module `{name}` cannot be read: {message}"),
                        span,
                    )
                    .with_help("check the `source` path; its policies are not linted");
                    self.diagnostics.push((file, d));
                }
            }
        }
        stack.pop();
        Ok(index)
    }
}

/// The `source` of a module call when it is a local path, and its span.
fn local_source(block: &Block) -> Option<(String, Span)> {
    let attr = block.body.get_attribute("source")?;
    let Expression::String(s) = &attr.value else {
        return None;
    };
    let path = s.value().as_str();
    if !(path.starts_with("./") || path.starts_with("../") || path == "." || path == "..") {
        return None;
    }
    let span = attr.value.span().map(|r| Span::new(r.start, r.end))?;
    Some((path.to_string(), span))
}

fn first_line(message: &str) -> &str {
    message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
}

/// `a/./b/../c` → `a/c`; leading `..` kept; `""` → `.`.
pub(crate) fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `dir/rel`, normalized (`rel` may be absolute).
pub(crate) fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        normalize(rel)
    } else {
        normalize(&format!("{dir}/{rel}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize("a/./b/../c"), "a/c");
        assert_eq!(normalize("./a/"), "a");
        assert_eq!(normalize("a/../.."), "..");
        assert_eq!(normalize("."), ".");
        assert_eq!(normalize("/x/../y"), "/y");
        assert_eq!(join("mods/a", "../b"), "mods/b");
    }
}
