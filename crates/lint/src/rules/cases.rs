//! The rule files' own pass/fail cases: each case is linted as `keyward
//! lint` lints a file, and only the findings of the rule under test count.
//!
//! A case is a whole policy, or (for brevity) one statement object or a
//! list of statements, which is wrapped in
//! `{"Version": "2012-10-17", "Statement": …}`. Its kind is detected as
//! the linter detects it: statements with a `Principal` make a key policy.
//! [`allow`] and [`statement`] write the statements; [`yaml_key_template`]
//! wraps statements in a CloudFormation template. Key rules take whole
//! files: [`template_key`] and [`plan_key`] declare one key.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use keyward_policy::{Diagnostic, Source};

use crate::registry::Rule;
use crate::{lint_source, LintOptions, PolicyKind};

/// A statement. `principal`: empty for none, `*`, a JSON object, or an
/// ARN (for `{"AWS": ARN}`); `action` and `resource`: a name or a JSON
/// list; `condition`: empty for none, or a JSON object.
pub(crate) fn statement(
    effect: &str,
    principal: &str,
    action: &str,
    resource: &str,
    condition: &str,
) -> String {
    let value = |text: &str| {
        if text.starts_with(['[', '{']) {
            text.to_string()
        } else {
            format!("\"{text}\"")
        }
    };
    let mut members = vec![format!(r#""Effect": "{effect}""#)];
    match principal {
        "" => {}
        "*" => members.push(r#""Principal": "*""#.to_string()),
        p if p.starts_with('{') => members.push(format!(r#""Principal": {p}"#)),
        arn => members.push(format!(r#""Principal": {{"AWS": "{arn}"}}"#)),
    }
    members.push(format!(r#""Action": {}"#, value(action)));
    if !resource.is_empty() {
        members.push(format!(r#""Resource": {}"#, value(resource)));
    }
    if !condition.is_empty() {
        members.push(format!(r#""Condition": {condition}"#));
    }
    format!("{{{}}}", members.join(", "))
}

/// An `Allow` statement on `"Resource": "*"` (see [`statement`]).
pub(crate) fn allow(principal: &str, action: &str, condition: &str) -> String {
    statement("Allow", principal, action, "*", condition)
}

/// A CloudFormation template in YAML with one key whose policy has these
/// statements (YAML list items, indented by ten spaces).
#[cfg(feature = "yaml")]
pub(crate) fn yaml_key_template(statements: &str) -> Source {
    Source::new(
        "template.yaml",
        format!("Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: '2012-10-17'\n        Statement:\n{statements}"),
    )
}

/// A CloudFormation template (JSON) declaring one resource `Key` of type
/// `resource_type` with these properties (a JSON object's members, or empty
/// for none).
pub(crate) fn template_key(resource_type: &str, properties: &str) -> Source {
    let properties = if properties.is_empty() {
        String::new()
    } else {
        format!(r#", "Properties": {{{properties}}}"#)
    };
    Source::new(
        "template.json",
        format!(r#"{{"Resources": {{"Key": {{"Type": "{resource_type}"{properties}}}}}}}"#),
    )
}

/// A Terraform plan (`terraform show -json`) with one resource `main` of
/// type `resource_type`: its planned `values` and `after_unknown` (JSON
/// objects' members), and its configuration's `expressions` (members), or
/// no `configuration` at all when `expressions` is `None`.
pub(crate) fn plan_key(
    resource_type: &str,
    values: &str,
    after_unknown: &str,
    expressions: Option<&str>,
) -> Source {
    let address = format!("{resource_type}.main");
    let configuration = expressions
        .map(|e| {
            format!(
                r#", "configuration": {{"root_module": {{"resources": [{{"address": "{address}", "mode": "managed", "type": "{resource_type}", "name": "main", "expressions": {{{e}}}}}]}}}}"#
            )
        })
        .unwrap_or_default();
    Source::new(
        "plan.json",
        format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [{{"address": "{address}", "mode": "managed", "type": "{resource_type}", "name": "main", "values": {{{values}}}}}]}}}}, "resource_changes": [{{"address": "{address}", "change": {{"actions": ["create"], "after_unknown": {{{after_unknown}}}}}}}]{configuration}}}"#
        ),
    )
}

/// Every `pass` file gives no finding of the key rule `rule`; every `fail`
/// file exactly one.
pub(crate) fn assert_key_cases(rule: &Rule, pass: &[Source], fail: &[Source]) {
    let mut wrong = Vec::new();
    for (i, source) in pass.iter().enumerate() {
        let found = findings_in(rule, source, &LintOptions::default());
        if !found.is_empty() {
            let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
            wrong.push(format!(
                "pass case {i} has findings {messages:?}:\n  {}",
                source.text()
            ));
        }
    }
    for (i, source) in fail.iter().enumerate() {
        let found = findings_in(rule, source, &LintOptions::default());
        if found.len() != 1 {
            wrong.push(format!(
                "fail case {i} has {} findings:\n  {}",
                found.len(),
                source.text()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}:\n{}", rule.code(), wrong.join("\n"));
}

/// Options with the key's accounts configured.
pub(crate) fn with_accounts(accounts: &[&str]) -> LintOptions {
    LintOptions {
        accounts: accounts.iter().map(|a| a.to_string()).collect(),
        ..LintOptions::default()
    }
}

/// Options that force the policy kind.
pub(crate) fn as_kind(kind: PolicyKind) -> LintOptions {
    LintOptions {
        kind: Some(kind),
        ..LintOptions::default()
    }
}

/// The policy text of a case.
fn policy(case: &str) -> String {
    if case.contains("\"Statement\"") {
        case.to_string()
    } else {
        format!(r#"{{"Version": "2012-10-17", "Statement": {case}}}"#)
    }
}

/// The findings of `rule` in the case, linted with default options.
pub(crate) fn findings(rule: &Rule, case: &str) -> Vec<Diagnostic> {
    findings_with(rule, case, &LintOptions::default())
}

/// The findings of `rule` in the case, linted with `options`.
pub(crate) fn findings_with(rule: &Rule, case: &str, options: &LintOptions) -> Vec<Diagnostic> {
    findings_in(rule, &Source::new("case.json", policy(case)), options)
}

/// The findings of `rule` in a whole file (a template, a plan).
pub(crate) fn findings_in(rule: &Rule, source: &Source, options: &LintOptions) -> Vec<Diagnostic> {
    lint_source(source, options)
        .into_iter()
        .filter(|d| rule.owns(d.code))
        .collect()
}

/// Every `pass` case gives no finding of `rule`; every `fail` case at least one.
pub(crate) fn assert_cases(rule: &Rule, pass: &[&str], fail: &[&str]) {
    assert_cases_with(rule, &LintOptions::default(), pass, fail);
}

/// [`assert_cases`] with lint options (accounts, a forced kind).
pub(crate) fn assert_cases_with(rule: &Rule, options: &LintOptions, pass: &[&str], fail: &[&str]) {
    let mut wrong = Vec::new();
    for (i, case) in pass.iter().enumerate() {
        let found = findings_with(rule, case, options);
        if !found.is_empty() {
            let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
            wrong.push(format!(
                "pass case {i} has findings {messages:?}:\n  {case}"
            ));
        }
    }
    for (i, case) in fail.iter().enumerate() {
        if findings_with(rule, case, options).is_empty() {
            wrong.push(format!("fail case {i} has no finding:\n  {case}"));
        }
    }
    assert!(wrong.is_empty(), "{}:\n{}", rule.code(), wrong.join("\n"));
}

#[test]
fn statements_are_written_as_policies_write_them() {
    assert_eq!(
        allow("arn:aws:iam::111122223333:role/App", "kms:Decrypt", ""),
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}"#
    );
    assert_eq!(
        statement(
            "Deny",
            "*",
            r#"["kms:A", "kms:B"]"#,
            "",
            r#"{"Bool": {"aws:SecureTransport": "false"}}"#
        ),
        r#"{"Effect": "Deny", "Principal": "*", "Action": ["kms:A", "kms:B"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#
    );
}

#[test]
fn a_case_can_be_a_statement_a_list_or_a_policy() {
    let statement = r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}"#;
    let parsed = |text: String| keyward_policy::parse_policy(&text).unwrap();
    assert_eq!(parsed(policy(statement)).statements.len(), 1);
    assert_eq!(
        parsed(policy(&format!("[{statement}, {statement}]")))
            .statements
            .len(),
        2
    );
    let whole = format!(r#"{{"Statement": [{statement}]}}"#);
    assert_eq!(policy(&whole), whole);
}
