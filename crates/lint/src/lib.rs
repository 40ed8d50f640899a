//! # keyward-lint
//!
//! Lint rules for KMS key policies and IAM identity policies, built for CI:
//! a typed catalog of actions and condition keys, one file per rule, a
//! registry that feeds `keyward rules`, the SARIF rule table, the docs and
//! the config schema, input extraction (raw policies, CloudFormation
//! templates in JSON and YAML, Terraform plans) and the reporters.
//!
//! ```
//! use keyward_lint::{lint_source, LintOptions};
//! use keyward_policy::Source;
//!
//! let source = Source::new("key.json", r#"{
//!   "Version": "2012-10-17",
//!   "Statement": [{
//!     "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"
//!   }]
//! }"#);
//! let findings = lint_source(&source, &LintOptions::default());
//! assert!(findings.iter().any(|d| d.code == "KW201"));
//! ```
//!
//! Only the CLI touches the file system; this crate builds for
//! `wasm32-unknown-unknown` (without the `human` and `yaml` features if size
//! matters).

pub mod baseline;
pub mod catalog;
pub mod config;
pub mod docs;
mod engine;
pub mod extract;
pub mod registry;
pub mod report;
pub mod rules;
pub mod suppress;
#[cfg(all(test, feature = "full-catalog"))]
mod test_support;

pub use catalog::{CATALOG_DATE, CATALOG_VERSION};
pub use engine::{detect_kind, lint_extraction, lint_file, lint_source, FileLint, LintOptions};

/// The two kinds of policy the linter knows; rules differ between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// A KMS key policy (a resource policy: statements name principals).
    Key,
    /// An IAM identity policy (attached to a user, group or role).
    Identity,
}

impl PolicyKind {
    /// `key` or `identity`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Key => "key",
            PolicyKind::Identity => "identity",
        }
    }

    /// The kind named `key` or `identity`.
    pub fn parse(name: &str) -> Option<PolicyKind> {
        match name {
            "key" => Some(PolicyKind::Key),
            "identity" => Some(PolicyKind::Identity),
            _ => None,
        }
    }
}
