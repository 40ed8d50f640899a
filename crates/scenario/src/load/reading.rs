//! `{"file": PATH}`: a policy read through the [`Loader`](crate::Loader),
//! relative to the scenario, each file read once however often it is named.

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
            Ok(t) => t,
            Err(why) => {
                self.error(
                    "scenario::missing-file",
                    format!("cannot read `{path}`: {why}"),
                    v.span,
                    "paths are relative to the scenario file",
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
