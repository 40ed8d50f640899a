//! POLICY values of a scenario: an inline object, a string of policy JSON,
//! or `{"file": PATH}` (read by [`reading`](super::reading)).

use keyward_eval::PolicyDoc;
use keyward_policy::json::{JsonKind, JsonValue};
use keyward_policy::{model, parse_policy_with, ParseOptions, Source};

use super::Cx;

impl Cx<'_> {
    /// Read one POLICY value; `name` names it in explanations, `pointer`
    /// is where it sits in the scenario.
    pub(crate) fn policy(&mut self, v: &JsonValue, name: &str, pointer: &str) -> Option<PolicyDoc> {
        if let Some(members) = v.as_object() {
            if let [m] = members {
                if &*m.key == "file" {
                    return self.policy_file(&m.value, name);
                }
            }
            // Inline: lower the sub-tree; its spans already point into the scenario.
            let (policy, diagnostics) = model::lower(v.clone());
            let failed = diagnostics.iter().any(|d| d.is_error());
            for mut d in diagnostics {
                d.pointer = Some(format!("{pointer}{}", d.pointer.as_deref().unwrap_or("")));
                self.report(self.source.clone(), d);
            }
            return policy
                .filter(|_| !failed)
                .map(|p| PolicyDoc::new(name, self.source.clone(), p));
        }
        if let JsonKind::String(text) = &v.kind {
            let source = Source::new(
                format!("{} {pointer}", self.source.name()),
                text.to_string(),
            );
            return self.policy_text(source, name);
        }
        self.error(
            "scenario::policy",
            format!("a policy must be an object, a string of policy JSON or `{{\"file\": PATH}}`, not {}", v.kind_name()),
            v.span,
            "",
        );
        None
    }

    pub(crate) fn policy_text(&mut self, source: Source, name: &str) -> Option<PolicyDoc> {
        let parsed = parse_policy_with(source.text(), &ParseOptions::default());
        for d in parsed.diagnostics {
            self.report(source.clone(), d);
        }
        parsed.policy.map(|p| PolicyDoc::new(name, source, p))
    }
}
