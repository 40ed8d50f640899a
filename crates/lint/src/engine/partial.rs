//! A policy with a statement that cannot be read: AWS rejects the whole
//! policy, but the statements that read fine are still linted, so one
//! mistake does not hide the findings of the others.

use keyward_policy::json::{JsonKind, JsonMember, JsonValue};
use keyward_policy::model::{self, Policy};
use keyward_policy::Span;

use crate::PolicyKind;

/// The kind of a policy as written, readable or not: a statement object with
/// `Principal` or `NotPrincipal` makes a key (resource) policy.
pub(super) fn written_kind(root: &JsonValue) -> PolicyKind {
    let statements = match root.get("Statement") {
        Some(JsonValue {
            kind: JsonKind::Array(items),
            ..
        }) => items.as_slice(),
        Some(one) => std::slice::from_ref(one),
        None => &[],
    };
    let names_principal =
        |s: &JsonValue| s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
    if statements.iter().any(names_principal) {
        PolicyKind::Key
    } else {
        PolicyKind::Identity
    }
}

/// The policy made of the statements of `root` that lower on their own,
/// each keeping its position in the document; `None` when none does or when
/// the rest of the policy (`Version`, `Id`, the shape of `Statement`) is
/// itself invalid. The diagnostics of the statements left out were reported
/// by lowering the whole policy.
pub(super) fn readable_statements(root: JsonValue) -> Option<Policy> {
    let JsonValue { span, kind } = root;
    let JsonKind::Object(members) = kind else {
        return None;
    };
    let mut shell = Vec::with_capacity(members.len());
    let mut statement = None;
    for member in members {
        if &*member.key == "Statement" {
            statement = Some(member);
        } else {
            shell.push(member);
        }
    }
    let statement = statement?;
    let variables = shell
        .iter()
        .any(|m| &*m.key == "Version" && m.value.as_str() == Some("2012-10-17"));
    let (items, array) = match statement.value.kind {
        JsonKind::Array(items) => (items, true),
        kind @ JsonKind::Object(_) => (
            vec![JsonValue {
                span: statement.value.span,
                kind,
            }],
            false,
        ),
        _ => return None,
    };
    let statements: Vec<_> = items
        .into_iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let (lowered, _) = model::lower_statement(item, variables);
            lowered.map(|mut s| {
                s.index = index;
                s
            })
        })
        .collect();
    if statements.is_empty() {
        return None;
    }
    // The policy around them, lowered with a stand-in statement.
    shell.push(JsonMember {
        key: "Statement".into(),
        key_span: statement.key_span,
        value: stand_in_statement(),
    });
    let (policy, _) = model::lower(JsonValue {
        span,
        kind: JsonKind::Object(shell),
    });
    let mut policy = policy?;
    policy.statements = statements;
    policy.statement_array = array;
    Some(policy)
}

/// `{"Effect": "Allow", "Action": "*", "Resource": "*"}`, placed nowhere.
fn stand_in_statement() -> JsonValue {
    let text = |s: &str| JsonValue {
        span: Span::default(),
        kind: JsonKind::String(s.into()),
    };
    let member = |key: &str, value: JsonValue| JsonMember {
        key: key.into(),
        key_span: Span::default(),
        value,
    };
    JsonValue {
        span: Span::default(),
        kind: JsonKind::Object(vec![
            member("Effect", text("Allow")),
            member("Action", text("*")),
            member("Resource", text("*")),
        ]),
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "test code: a failed unwrap is a failed test"
    )]

    use keyward_policy::json::{self, ParseOptions};
    use keyward_policy::Source;

    use super::readable_statements;
    use crate::{lint_source, LintOptions};

    fn readable(text: &str) -> Option<Vec<usize>> {
        let root = json::parse(text, &ParseOptions::default()).value.unwrap();
        readable_statements(root).map(|p| p.statements.iter().map(|s| s.index).collect())
    }

    #[test]
    fn the_statements_that_lower_keep_their_positions() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
            {"Effect": "Allowed", "Action": "kms:Decrypt", "Resource": "*"},
            {"Effect": "Deny", "Action": "kms:Encrypt", "Resource": "*"}
        ]}"#;
        assert_eq!(readable(text), Some(vec![0, 2]));
    }

    #[test]
    fn a_broken_policy_around_the_statements_reads_as_nothing() {
        let statement = r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}"#;
        for text in [
            format!(r#"{{"Version": "2012-10-18", "Statement": [{statement}]}}"#),
            format!(r#"{{"Version": "2012-10-17", "Statment": [{statement}]}}"#),
            r#"{"Version": "2012-10-17", "Statement": []}"#.to_string(),
            r#"{"Version": "2012-10-17", "Statement": "kms:Decrypt"}"#.to_string(),
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allowed"}]}"#.to_string(),
        ] {
            assert_eq!(readable(&text), None, "{text}");
        }
    }

    /// Issue 11, point 12: before, the `policy::invalid-effect` error of the
    /// second statement was the only finding.
    #[test]
    fn a_broken_statement_does_not_hide_the_findings_of_the_others() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Broken", "Effect": "Allowed", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
             "Action": "kms:Decrypt", "Resource": "*"},
            {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
        ]}"#;
        let findings = lint_source(&Source::new("key.json", text), &LintOptions::default());
        let codes: Vec<(&str, Option<&str>)> = findings
            .iter()
            .map(|d| (d.code, d.pointer.as_deref()))
            .collect();
        assert!(
            codes.contains(&("policy::invalid-effect", Some("/Statement/1/Effect"))),
            "{codes:?}"
        );
        // The third statement is linted, and named by its real position.
        assert!(
            codes.contains(&("KW201", Some("/Statement/2/Principal"))),
            "{codes:?}"
        );
    }

    /// The statements are read again from the template's own tree (its
    /// functions resolved) or from the plan's policy string.
    #[test]
    fn templates_and_plans_keep_the_readable_statements_too() {
        let statements = r#"[
            {"Effect": "Allowed", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"},
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]"#;
        let template = format!(
            r#"{{"Resources": {{"Key": {{"Type": "AWS::KMS::Key", "Properties": {{"EnableKeyRotation": true,
              "KeyPolicy": {{"Version": "2012-10-17", "Statement": {statements}}}}}}}}}}}"#
        );
        let policy = format!(r#"{{"Version": "2012-10-17", "Statement": {statements}}}"#);
        let plan = format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [
              {{"address": "aws_kms_key.p", "mode": "managed", "type": "aws_kms_key", "name": "p",
                "values": {{"enable_key_rotation": true, "policy": {}}}}}]}}}}}}"#,
            serde_json::Value::String(policy)
        );
        for (name, text, pointer) in [
            (
                "template.json",
                template,
                "/Resources/Key/Properties/KeyPolicy/Statement/1/Principal",
            ),
            (
                "plan.json",
                plan,
                "/planned_values/root_module/resources/0/values/policy/Statement/1/Principal",
            ),
        ] {
            let findings = lint_source(&Source::new(name, text), &LintOptions::default());
            let found: Vec<(&str, Option<&str>)> = findings
                .iter()
                .map(|d| (d.code, d.pointer.as_deref()))
                .collect();
            assert!(
                found.iter().any(|(c, _)| *c == "policy::invalid-effect"),
                "{name}: {found:?}"
            );
            assert!(
                found.contains(&("KW201", Some(pointer))),
                "{name}: {found:?}"
            );
        }
    }

    #[test]
    fn whole_policy_rules_wait_for_every_statement() {
        // The broken statement is the one that lets the account manage the
        // key: without it, KW202 (lockout) would be a false alarm.
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allowed", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
             "Action": "kms:Decrypt", "Resource": "*"}
        ]}"#;
        let findings = lint_source(&Source::new("key.json", text), &LintOptions::default());
        assert!(findings.iter().any(|d| d.code == "policy::invalid-effect"));
        assert!(!findings.iter().any(|d| d.code == "KW202"), "{findings:#?}");
        // Once it is fixed, the same policy is judged whole.
        let fixed = text.replace("\"Allowed\"", "\"Allow\"");
        let findings = lint_source(&Source::new("key.json", fixed), &LintOptions::default());
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn the_kind_is_read_from_every_statement_as_written() {
        // The only statement with a principal is the broken one: the others
        // are still key-policy statements, reported as such (KW110).
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "maybe"}}},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}
        ]}"#;
        let findings = lint_source(&Source::new("key.json", text), &LintOptions::default());
        let codes: Vec<&str> = findings.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&"policy::invalid-condition-value"),
            "{codes:?}"
        );
        assert!(codes.contains(&"KW110"), "{codes:?}");
        assert!(!codes.contains(&"KW210"), "{codes:?}");
    }

    #[test]
    fn one_statement_object_is_read_as_such() {
        let text = r#"{"Version": "2012-10-17", "Statement":
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}"#;
        let root = json::parse(text, &ParseOptions::default()).value.unwrap();
        let policy = readable_statements(root).unwrap();
        assert!(!policy.statement_array);
        assert!(policy.variables_enabled());
    }
}
