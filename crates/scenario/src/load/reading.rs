//! `{"file": PATH}`: a policy read through the [`Loader`](crate::Loader),
//! relative to the scenario, each file read once however often it is named.
//!
//! A file that could not be read is reported at the reference, by why
//! ([`ReadError::code`](crate::ReadError::code)). A file that is not a JSON
//! object is refused without quoting it: a reference to `/etc/passwd` must
//! not print its first line in a diagnostic.

use keyward_eval::PolicyDoc;
use keyward_policy::json::JsonValue;
use keyward_policy::Source;

use super::Cx;

impl Cx<'_> {
    pub(super) fn policy_file(&mut self, v: &JsonValue, name: &str) -> Option<PolicyDoc> {
        let Some(path) = v.as_str() else {
            self.error(
                "scenario::type",
                format!("`file` must be a string, not {}", v.kind_name()),
                v.span,
                "",
            );
            return None;
        };
        let resolved = self.loader.resolve(self.source.name(), path);
        if resolved == self.source.name() {
            self.error(
                "scenario::recursive-file",
                format!("`{path}` is the scenario file itself"),
                v.span,
                "point `file` at a policy document",
            );
            return None;
        }
        if let Some(cached) = self.files.get(&resolved) {
            return cached
                .as_ref()
                .map(|(source, policy)| PolicyDoc::new(name, source.clone(), policy.clone()));
        }
        let text = match self.loader.read(&resolved) {
            Ok(t) if !looks_like_json_object(&t) => {
                self.error(
                    "scenario::not-json",
                    format!("`{path}` is not a JSON policy document: it does not begin with `{{` (its content is not shown)"),
                    v.span,
                    "point `file` at a policy document",
                );
                self.files.insert(resolved, None);
                return None;
            }
            Ok(t) => t,
            Err(why) => {
                self.error(
                    why.code(),
                    format!("cannot read `{path}`: {why}"),
                    v.span,
                    why.help(),
                );
                self.files.insert(resolved, None);
                return None;
            }
        };
        let doc = self.policy_text(Source::new(resolved.clone(), text), name);
        self.files.insert(
            resolved,
            doc.as_ref().map(|d| (d.source.clone(), d.policy.clone())),
        );
        doc
    }
}

/// True when `text` begins, after blanks and a byte-order mark, with `{`:
/// a policy document is a JSON object.
fn looks_like_json_object(text: &str) -> bool {
    text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_ascii_whitespace())
        .starts_with('{')
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed unwrap is a failed test"
    )]

    use keyward_policy::Source;

    use crate::{load, Loader, MemoryLoader, Problem, ReadError};

    fn scenario(file: &str) -> Source {
        Source::new(
            "s/scenario.json",
            format!(
                r#"{{"keys": {{"K": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k",
                    "policy": {{"file": "{file}"}}}}}}}}"#
            ),
        )
    }

    fn problems(file: &str, loader: &dyn Loader) -> Vec<Problem> {
        load(scenario(file), loader).unwrap_err()
    }

    #[test]
    fn a_file_that_is_not_a_json_object_is_refused_unquoted() {
        let loader = MemoryLoader::new()
            .with("s/passwd", "root:x:0:0:root:/root:/bin/sh\n")
            .with("s/list.json", "[1, 2]");
        for file in ["passwd", "list.json"] {
            let p = problems(file, &loader);
            assert_eq!(p.len(), 1, "{file}");
            assert_eq!(p[0].diagnostic.code, "scenario::not-json");
            // Reported at the reference, in the scenario: nothing of the file.
            assert_eq!(p[0].source.name(), "s/scenario.json");
            assert!(!p[0].diagnostic.message.contains("root:x"));
        }
    }

    /// A loader that fails every read with one error.
    struct Failing(ReadError);

    impl Loader for Failing {
        fn resolve(&self, _base: &str, path: &str) -> String {
            path.to_string()
        }

        fn read(&self, _name: &str) -> Result<String, ReadError> {
            Err(self.0.clone())
        }
    }

    #[test]
    fn each_read_error_has_its_own_code() {
        for (error, code) in [
            (ReadError::NotFound("gone".into()), "scenario::missing-file"),
            (
                ReadError::Outside("elsewhere".into()),
                "scenario::file-outside",
            ),
            (ReadError::TooLarge(16), "scenario::file-too-large"),
            (
                ReadError::NotText("byte 3".into()),
                "scenario::file-not-text",
            ),
            (
                ReadError::NotAFile("a device".into()),
                "scenario::not-a-file",
            ),
            (
                ReadError::Unreadable("denied".into()),
                "scenario::unreadable-file",
            ),
        ] {
            let p = problems("p.json", &Failing(error.clone()));
            assert_eq!(p[0].diagnostic.code, code, "{error:?}");
            assert!(p[0].diagnostic.message.contains(&error.to_string()));
            assert_eq!(p[0].diagnostic.help.as_deref(), Some(error.help()));
        }
    }
}
