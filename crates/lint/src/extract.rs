//! Find the policies in an input file: a raw policy, the policies of a
//! CloudFormation template (JSON or YAML), or those of a Terraform plan.
//!
//! Every document keeps spans into the file it came from, so findings point
//! at the right line of the template itself.

mod cloudformation;
#[cfg(feature = "terraform-hcl")]
pub mod hcl;
mod intrinsics;
mod keys;
mod sam;
mod size;
mod span_map;
mod terraform;
#[cfg(feature = "yaml")]
mod yaml;

use keyward_policy::json::{self, JsonValue};
use keyward_policy::{Diagnostic, ParseOptions, Source, Span};

pub(crate) use intrinsics::mentions_placeholder;
pub(crate) use intrinsics::STACK_ACCOUNT;
pub use keys::{KeyDialect, KeyResource, KeyResourceKind, Setting};
pub use span_map::SpanMap;

use crate::PolicyKind;

/// What an input file is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Decide from the file name and content.
    #[default]
    Auto,
    /// A policy document.
    Policy,
    /// A CloudFormation template (JSON or YAML).
    CloudFormation,
    /// A Terraform plan or state in JSON (`terraform show -json`).
    Terraform,
}

/// The text a document's spans point into.
#[derive(Clone, Debug)]
pub enum DocumentText {
    /// The file itself.
    File,
    /// Text decoded from a string in the file (a policy stored as a JSON
    /// string); the map takes its spans back to the file.
    Decoded(String, SpanMap),
}

/// How a policy's values were written: rules read accounts, and write their
/// help, by it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A policy file, a Terraform plan's policy string, or a policy written
    /// as a JSON string inside a template: every value is as written.
    #[default]
    Document,
    /// Part of a CloudFormation template written in this syntax, its
    /// intrinsic functions resolved: the account id `AWS::AccountId` became
    /// stands for the stack's own account, which keyward cannot know (see
    /// [`Account::Stack`](crate::rules::Account::Stack)).
    Template(Syntax),
}

/// The syntax of a CloudFormation template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// One policy found in a file.
#[derive(Clone, Debug)]
pub struct Document {
    /// Where it comes from, e.g. `MyKey` (a template resource) or
    /// `aws_kms_key.main`; `None` for a raw policy file.
    pub label: Option<String>,
    /// The kind its context implies (resource type), if any.
    pub kind: Option<PolicyKind>,
    /// The policy's JSON tree, intrinsic functions resolved.
    pub value: JsonValue,
    /// The text its spans point into.
    pub text: DocumentText,
    /// The JSON pointer of the policy inside the file (`""` for a raw policy).
    pub pointer: String,
    /// Spans (in the file) of values whose content cannot be known
    /// (CloudFormation functions); findings inside them are dropped.
    pub opaque: Vec<Span>,
    /// The size of the policy as AWS receives it, in bytes.
    pub size: usize,
    /// How its values were written.
    pub origin: Origin,
}

/// Everything found in one file.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// The policies.
    pub documents: Vec<Document>,
    /// The KMS keys a template or plan declares, with their settings.
    pub keys: Vec<KeyResource>,
    /// Problems of the file itself (syntax errors, policies that cannot be read).
    pub diagnostics: Vec<Diagnostic>,
    /// False when the format was `Auto` and the file looked like none of the
    /// known inputs (a directory walk skips such files).
    pub recognized: bool,
    /// Suppressions written in the file (a template resource's `Metadata`,
    /// a Terraform comment).
    pub suppressions: Vec<crate::suppress::Suppression>,
}

/// Find the policies in `source`.
pub fn extract(source: &Source, format: InputFormat) -> Extraction {
    let name = source.name().to_ascii_lowercase();
    let looks_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    let text = source.text();
    if looks_yaml || (format == InputFormat::CloudFormation && !starts_like_json(text)) {
        return extract_yaml(source, format);
    }
    let parsed = json::parse(text, &ParseOptions::default());
    let Some(root) = parsed.value else {
        // Not JSON. A `.template` (or unnamed) file may be a YAML template.
        if format == InputFormat::Auto && !starts_like_json(text) && !name.ends_with(".json") {
            let yaml = extract_yaml(source, format);
            if yaml.recognized {
                return yaml;
            }
        }
        let recognized =
            format != InputFormat::Auto || name.ends_with(".json") || starts_like_json(text);
        return Extraction {
            diagnostics: parsed.diagnostics,
            recognized,
            ..Extraction::default()
        };
    };
    let detected = match format {
        InputFormat::Auto => detect(&root),
        other => Some(other),
    };
    let mut extraction = match detected {
        Some(InputFormat::CloudFormation) => cloudformation::extract(text, &root, Syntax::Json),
        Some(InputFormat::Terraform) => terraform::extract(text, &root),
        Some(InputFormat::Policy | InputFormat::Auto) | None => Extraction {
            documents: vec![raw_policy(text, root)],
            recognized: detected.is_some(),
            ..Extraction::default()
        },
    };
    let mut diagnostics = parsed.diagnostics;
    diagnostics.append(&mut extraction.diagnostics);
    extraction.diagnostics = diagnostics;
    extraction
}

/// A policy file: its tree is the whole file parsed (and the only document
/// with an empty pointer read from the file itself, which the engine relies
/// on to read it again rather than copy it).
fn raw_policy(text: &str, value: JsonValue) -> Document {
    let size = value.span.len().max(text.trim().len());
    Document {
        label: None,
        kind: None,
        value,
        text: DocumentText::File,
        pointer: String::new(),
        opaque: Vec::new(),
        size,
        origin: Origin::Document,
    }
}

fn starts_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '['])
}

/// What a parsed JSON document is: a policy, a template, a plan, or unknown.
fn detect(root: &JsonValue) -> Option<InputFormat> {
    if root.get("Statement").is_some() {
        Some(InputFormat::Policy)
    } else if root.get("AWSTemplateFormatVersion").is_some()
        || root
            .get("Resources")
            .and_then(JsonValue::as_object)
            .is_some()
    {
        Some(InputFormat::CloudFormation)
    } else if root.get("format_version").is_some()
        && (root.get("planned_values").is_some() || root.get("values").is_some())
    {
        Some(InputFormat::Terraform)
    } else {
        None
    }
}

#[cfg(feature = "yaml")]
fn extract_yaml(source: &Source, format: InputFormat) -> Extraction {
    let text = source.text();
    match yaml::parse(text) {
        Ok(Some(root))
            if format != InputFormat::Auto
                || detect(&root) == Some(InputFormat::CloudFormation) =>
        {
            cloudformation::extract(text, &root, Syntax::Yaml)
        }
        Ok(_) => Extraction {
            recognized: format != InputFormat::Auto,
            ..Extraction::default()
        },
        Err(diagnostic) => Extraction {
            diagnostics: vec![diagnostic],
            recognized: format != InputFormat::Auto || looks_like_template(text),
            ..Extraction::default()
        },
    }
}

#[cfg(feature = "yaml")]
fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("AWS::")
}

#[cfg(not(feature = "yaml"))]
fn extract_yaml(_source: &Source, format: InputFormat) -> Extraction {
    Extraction {
        diagnostics: vec![Diagnostic::error(
            "input::yaml-unsupported",
            "this build of keyward cannot read YAML",
            Span::default(),
        )
        .with_help("use a build with the `yaml` feature, or convert the template to JSON")],
        recognized: format != InputFormat::Auto,
        ..Extraction::default()
    }
}

#[cfg(test)]
mod tests;
