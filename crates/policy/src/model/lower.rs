//! JSON tree → typed model. (Placeholder.)

use crate::diagnostic::Diagnostic;
use crate::json::JsonValue;
use crate::model::{Policy, Statement};

/// Lower a parsed JSON document to a [`Policy`], reporting every structural mistake.
pub fn lower(value: &JsonValue) -> (Option<Policy>, Vec<Diagnostic>) {
    let _ = value;
    (None, Vec::new())
}

/// Lower one statement object (a policy fragment).
pub fn lower_statement(value: &JsonValue, variables: bool) -> (Option<Statement>, Vec<Diagnostic>) {
    let _ = (value, variables);
    (None, Vec::new())
}
