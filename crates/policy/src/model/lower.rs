//! JSON tree → typed model, reporting every structural mistake with its place.
//!
//! Lowering is strict where AWS is strict (`PutKeyPolicy` and IAM reject the
//! policy), so that holding a [`Policy`] means AWS would accept it, and the
//! evaluator never has to guess. Advice (what is allowed but unwise) is the
//! linter's job, not this module's.

pub mod codes;
mod condition;
mod context;
mod direct;
mod elements;
mod path;
mod principal;
mod values;

pub(crate) use direct::parse_valid;
pub(crate) use values::format_number;
pub use values::parse_date;

use crate::diagnostic::Diagnostic;
use crate::json::{JsonKind, JsonValue};
use crate::model::{Policy, Statement, Version};
use crate::span::Spanned;

use codes::{INVALID_VERSION, MISSING_STATEMENT, NO_STATEMENTS};
use context::Lowerer;
use path::Path;

/// Lower a parsed JSON document to a [`Policy`], reporting every structural
/// mistake. The policy is `None` when any error was found.
///
/// ```
/// use keyward_policy::{json, model};
/// let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#;
/// let parsed = json::parse(text, &json::ParseOptions::default());
/// let (policy, diagnostics) = model::lower(parsed.value.unwrap());
/// assert!(diagnostics.is_empty());
/// assert_eq!(policy.unwrap().statements.len(), 1);
/// ```
pub fn lower(mut value: JsonValue) -> (Option<Policy>, Vec<Diagnostic>) {
    let mut cx = Lowerer::new();
    let policy = cx.policy(&mut value);
    cx.finish(policy)
}

/// Lower one statement object (a policy fragment, as documentation often
/// shows them). `variables` says whether `${…}` is substituted, as it is
/// under `"Version": "2012-10-17"`.
pub fn lower_statement(
    mut value: JsonValue,
    variables: bool,
) -> (Option<Statement>, Vec<Diagnostic>) {
    let mut cx = Lowerer::new();
    cx.variables = variables;
    let statement = cx.statement(&mut value, 0, &Path::ROOT.key("Statement"));
    cx.finish(statement)
}

impl Lowerer {
    fn policy(&mut self, value: &mut JsonValue) -> Option<Policy> {
        let root = Path::ROOT;
        let span = value.span;
        let members = self.expect_object(value, "the policy", &root)?;
        let mut version = None;
        let mut id = None;
        let mut statement_value = None;
        for member in members {
            let at = root.key(&member.key);
            match &*member.key {
                "Version" => version = self.version(&mut member.value, &at),
                "Id" => {
                    id = self
                        .string(&mut member.value, "`Id`", &at)
                        .map(|s| s.map(String::from))
                }
                "Statement" => statement_value = Some(&mut member.value),
                other => self.unknown_element(other, member.key_span, &at, POLICY_ELEMENTS),
            }
        }
        self.variables = matches!(
            version,
            Some(Spanned {
                node: Version::V2012_10_17,
                ..
            })
        );
        let Some(statement_value) = statement_value else {
            self.push(
                Diagnostic::error(MISSING_STATEMENT, "the policy has no `Statement`", span)
                    .with_help("add a `Statement` array with at least one statement")
                    .with_pointer(root.render()),
            );
            return None;
        };
        let (statements, statement_array) = self.statements(statement_value)?;
        Some(Policy {
            version,
            id,
            statements,
            statement_array,
            span,
        })
    }

    fn version(&mut self, value: &mut JsonValue, at: &Path<'_>) -> Option<Spanned<Version>> {
        let text = self.string(value, "`Version`", at)?;
        match &*text.node {
            "2012-10-17" => Some(text.map(|_| Version::V2012_10_17)),
            "2008-10-17" => Some(text.map(|_| Version::V2008_10_17)),
            other => {
                self.push(
                    Diagnostic::error(
                        INVALID_VERSION,
                        format!("`{other}` is not a policy language version"),
                        value.span,
                    )
                    .with_help("use `\"Version\": \"2012-10-17\"`, the current version")
                    .with_pointer(at.render()),
                );
                None
            }
        }
    }

    fn statements(&mut self, value: &mut JsonValue) -> Option<(Vec<Statement>, bool)> {
        let statement_at = Path::ROOT.key("Statement");
        let span = value.span;
        if matches!(value.kind, JsonKind::Object(_)) {
            let statement = self.statement(value, 0, &statement_at)?;
            return Some((vec![statement], false));
        }
        let JsonKind::Array(items) = &mut value.kind else {
            self.wrong_type(
                value,
                "`Statement`",
                "an object or an array of objects",
                &statement_at,
            );
            return None;
        };
        if items.is_empty() {
            self.push(
                Diagnostic::error(NO_STATEMENTS, "the policy has no statements", span)
                    .with_help("a policy needs at least one statement")
                    .with_pointer(statement_at.render()),
            );
            return None;
        }
        let mut statements = Vec::with_capacity(items.len());
        let mut ok = true;
        for (index, item) in items.iter_mut().enumerate() {
            match self.statement(item, index, &statement_at.index(index)) {
                Some(s) => statements.push(s),
                None => ok = false,
            }
        }
        ok.then_some((statements, true))
    }
}

const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];

#[cfg(test)]
mod tests;
