//! What a key rule sees: one KMS key a template or plan declares, with its
//! settings, and a sink for findings.

use keyward_policy::{Diagnostic, Severity, Span};

use crate::extract::{KeyDialect, KeyResource, Syntax};
use crate::registry::{Level, RuleMeta};

/// The input of one key rule run over one key.
#[derive(Debug)]
pub struct KeyContext<'a> {
    key: &'a KeyResource,
    meta: &'static RuleMeta,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> KeyContext<'a> {
    pub(crate) fn new(
        key: &'a KeyResource,
        meta: &'static RuleMeta,
        out: &'a mut Vec<Diagnostic>,
    ) -> KeyContext<'a> {
        KeyContext { key, meta, out }
    }

    /// The key.
    pub fn key(&self) -> &'a KeyResource {
        self.key
    }

    /// A finding of the running rule at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>, span: Span) -> Diagnostic {
        let severity = match self.meta.default_level {
            Level::Error => Severity::Error,
            Level::Info | Level::Off => Severity::Info,
            Level::Warn => Severity::Warning,
        };
        Diagnostic::new(severity, self.meta.code, message, span)
    }

    /// Report a finding.
    pub fn emit(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    /// The JSON pointer of one of the key's settings, by the name the input
    /// uses (`EnableKeyRotation`, `enable_key_rotation`); the key's own
    /// pointer when `setting` is empty. `None` when the file has no pointers.
    pub fn pointer(&self, setting: &str) -> Option<String> {
        let base = &self.key.pointer;
        if base.is_empty() {
            None
        } else if setting.is_empty() {
            Some(base.clone())
        } else {
            Some(format!("{base}/{setting}"))
        }
    }

    /// The name of a setting in the input's dialect: `cloudformation` for
    /// templates, `terraform` for plans and `.tf` files.
    pub fn name<'n>(&self, cloudformation: &'n str, terraform: &'n str) -> &'n str {
        match self.key.dialect {
            KeyDialect::CloudFormation(_) => cloudformation,
            KeyDialect::Terraform => terraform,
        }
    }

    /// A setting as the input would write it: `"EnableKeyRotation": true`,
    /// `EnableKeyRotation: true`, or `enable_key_rotation = true`.
    pub fn written(&self, cloudformation: &str, terraform: &str, value: &str) -> String {
        match self.key.dialect {
            KeyDialect::CloudFormation(Syntax::Json) => format!("\"{cloudformation}\": {value}"),
            KeyDialect::CloudFormation(Syntax::Yaml) => format!("{cloudformation}: {value}"),
            KeyDialect::Terraform => format!("{terraform} = {value}"),
        }
    }
}
