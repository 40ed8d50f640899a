//! Lowering: what a valid policy becomes, and the diagnostic every mistake gets.

use crate::model::codes::*;
use crate::model::{
    ConditionValues, Effect, OperatorBase, PrincipalKind, PrincipalSpec, SetQualifier,
    TemplatePart, Version,
};
use crate::{parse_policy, Diagnostic, Source};

fn policy(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

/// The codes of the errors a policy text gets.
fn errors(text: &str) -> Vec<&'static str> {
    match parse_policy(text) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().filter(|d| d.is_error()).map(|d| d.code).collect(),
    }
}

fn only_error(text: &str) -> Diagnostic {
    let diagnostics = parse_policy(text).expect_err("the policy should be invalid");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    diagnostics.into_iter().next().unwrap()
}

#[test]
fn a_console_style_key_policy_lowers_with_every_element() {
    let text = policy(
        r#"{"Sid":"Enable IAM policies","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
           {"Sid":"Allow use","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:role/Admin","111122223333"]},
            "NotAction":["kms:Decrypt","kms:ReEncrypt*"],"NotResource":"arn:aws:kms:us-east-1:111122223333:key/*",
            "Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"},"ForAnyValue:StringLikeIfExists":{"kms:EncryptionContextKeys":["a*","b"]}}}"#,
    );
    let p = parse_policy(&text).unwrap();
    assert_eq!(
        p.version.as_ref().map(|v| v.node),
        Some(Version::V2012_10_17)
    );
    assert!(p.statement_array);
    let [first, second] = &p.statements[..] else {
        panic!("two statements")
    };
    assert_eq!(first.sid.as_ref().unwrap().node, "Enable IAM policies");
    assert_eq!(first.effect.node, Effect::Allow);
    assert_eq!(second.effect.node, Effect::Deny);
    let principal = &second.principal.as_ref().unwrap().node;
    assert!(principal.negated);
    let PrincipalSpec::Map(groups) = &principal.spec else {
        panic!("a map")
    };
    assert_eq!(groups[0].kind.node, PrincipalKind::Aws);
    assert_eq!(groups[0].values.len(), 2);
    assert!(second.action.node.negated);
    assert_eq!(second.action.node.items.len(), 2);
    assert!(second.resource.as_ref().unwrap().node.negated);
    let entries = &second.condition.as_ref().unwrap().node.entries;
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[1].operator.node.qualifier,
        Some(SetQualifier::ForAnyValue)
    );
    assert!(entries[1].operator.node.if_exists);
    assert_eq!(entries[1].operator.node.base, OperatorBase::StringLike);
    assert!(matches!(&entries[1].values, ConditionValues::String(v) if v.len() == 2));
}

#[test]
fn spans_point_at_the_elements_they_came_from() {
    let text = policy(r#"{"Sid":"S1","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#);
    let p = parse_policy(&text).unwrap();
    let s = &p.statements[0];
    assert_eq!(&text[s.effect.span.range()], r#""Allow""#);
    assert_eq!(
        &text[s.action.node.items[0].span.range()],
        r#""kms:Decrypt""#
    );
    assert_eq!(
        &text[s.span.range()],
        r#"{"Sid":"S1","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#
    );
}

#[test]
fn a_single_statement_object_is_accepted() {
    let p = parse_policy(r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#).unwrap();
    assert!(!p.statement_array);
    assert!(p.version.is_none());
    assert!(!p.variables_enabled());
}

#[test]
fn structural_mistakes_each_get_their_code() {
    let cases: &[(&str, &str)] = &[
        (r#"[]"#, WRONG_TYPE),
        (r#"{"Version":"2012-10-17"}"#, MISSING_STATEMENT),
        (r#"{"Statement":[]}"#, NO_STATEMENTS),
        (
            r#"{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*"}}"#,
            INVALID_VERSION,
        ),
        (r#"{"Statement":{"Action":"kms:*"}}"#, MISSING_EFFECT),
        (
            r#"{"Statement":{"Effect":"allow","Action":"kms:*"}}"#,
            INVALID_EFFECT,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Resource":"*"}}"#,
            MISSING_ACTION,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","NotAction":"kms:Decrypt"}}"#,
            CONFLICTING_ELEMENTS,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"Decrypt"}}"#,
            INVALID_ACTION,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"key/1"}}"#,
            INVALID_RESOURCE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}"#,
            EMPTY_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"kms:*"}}"#,
            INVALID_PRINCIPAL,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/a*"},"Action":"kms:*"}}"#,
            INVALID_PRINCIPAL,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/Admins"},"Action":"kms:*"}}"#,
            GROUP_PRINCIPAL,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":{"Aws":"*"},"Action":"kms:*"}}"#,
            UNKNOWN_ELEMENT,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"StringEqual":{"a":"b"}}}}"#,
            UNKNOWN_OPERATOR,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"NullIfExists":{"a":"true"}}}}"#,
            UNKNOWN_OPERATOR,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"NumericLessThan":{"a":"ten"}}}}"#,
            INVALID_CONDITION_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"Bool":{"a":"yes"}}}}"#,
            INVALID_CONDITION_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}}"#,
            INVALID_CONDITION_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"DateLessThan":{"aws:CurrentTime":"soon"}}}}"#,
            INVALID_CONDITION_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"BinaryEquals":{"k":"not base64!"}}}}"#,
            INVALID_CONDITION_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"StringEquals":{"k":{"a":1}}}}}"#,
            INVALID_CONDITION_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"StringEquals":{"k":[]}}}}"#,
            EMPTY_VALUE,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"StringEquals":{}}}}"#,
            EMPTY_VALUE,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"StringEquals":{"k":"${aws:username"}}}}"#,
            INVALID_VARIABLE,
        ),
    ];
    for (text, code) in cases {
        assert_eq!(errors(text), vec![*code], "for {text}");
    }
}

#[test]
fn a_misspelt_element_is_reported_with_its_consequence() {
    assert_eq!(
        errors(r#"{"statement":[]}"#),
        vec![UNKNOWN_ELEMENT, MISSING_STATEMENT]
    );
    let d = &parse_policy(r#"{"statement":[]}"#).unwrap_err()[0];
    assert_eq!(
        d.help.as_deref(),
        Some("element names are case-sensitive: write `Statement`")
    );
}

#[test]
fn every_mistake_in_a_policy_is_reported_at_once() {
    let text = policy(
        r#"{"Effect":"Permit","Action":"kms:*","Resource":"*"},
           {"Effect":"Allow","Action":"Decrypt","Resource":"bad","Condition":{"Bogus":{"k":"v"}}}"#,
    );
    assert_eq!(
        errors(&text),
        vec![
            INVALID_EFFECT,
            INVALID_ACTION,
            INVALID_RESOURCE,
            UNKNOWN_OPERATOR
        ]
    );
}

#[test]
fn diagnostics_carry_pointer_help_and_place() {
    let text = policy(
        r#"{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"stringEquals":{"k":"v"}}}"#,
    );
    let d = only_error(&text);
    assert_eq!(d.code, UNKNOWN_OPERATOR);
    assert_eq!(
        d.pointer.as_deref(),
        Some("/Statement/0/Condition/stringEquals")
    );
    assert_eq!(
        d.help.as_deref(),
        Some("operator names are case-sensitive: write `StringEquals`")
    );
    assert_eq!(&text[d.span().range()], r#""stringEquals""#);
    let at = Source::new("t", text.as_str()).start_of(d.span());
    assert_eq!((at.line, at.column), (1, 101));
}

#[test]
fn rule_47_variables_are_parsed_only_under_2012_10_17() {
    let with = parse_policy(&policy(
        r#"{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:user":"${aws:username}"}}}"#,
    ))
    .unwrap();
    let ConditionValues::String(v) =
        &with.statements[0].condition.as_ref().unwrap().node.entries[0].values
    else {
        panic!()
    };
    assert!(
        matches!(v[0].node.parts().collect::<Vec<_>>()[..], [TemplatePart::Variable(var)] if &*var.key == "aws:username")
    );

    let without = parse_policy(
        r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"k":"${aws:username}"}}}}"#,
    )
    .unwrap();
    let ConditionValues::String(v) = &without.statements[0]
        .condition
        .as_ref()
        .unwrap()
        .node
        .entries[0]
        .values
    else {
        panic!()
    };
    assert_eq!(v[0].node.as_literal(), Some("${aws:username}"));
}

#[test]
fn rule_47_variables_are_not_substituted_in_numeric_values() {
    assert_eq!(
        errors(&policy(
            r#"{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"NumericEquals":{"k":"${aws:EpochTime}"}}}"#
        )),
        vec![INVALID_CONDITION_VALUE]
    );
}

#[test]
fn condition_values_are_typed_by_operator() {
    let text = policy(
        r#"{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{
            "Bool":{"aws:SecureTransport":true},
            "NumericLessThan":{"aws:MultiFactorAuthAge":"3600"},
            "IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::1"]},
            "DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},
            "Null":{"kms:EncryptionContextKeys":"false"},
            "StringEquals":{"kms:GrantIsForAWSResource":true}}}"#,
    );
    let p = parse_policy(&text).unwrap();
    let entries = &p.statements[0].condition.as_ref().unwrap().node.entries;
    assert!(matches!(&entries[0].values, ConditionValues::Bool(v) if v[0].node));
    assert!(matches!(&entries[1].values, ConditionValues::Numeric(v) if v[0].node == 3600.0));
    assert!(
        matches!(&entries[2].values, ConditionValues::Ip(v) if v.len() == 2 && v[1].node.prefix_len() == 128)
    );
    assert!(
        matches!(&entries[3].values, ConditionValues::Date(v) if v[0].node.epoch_seconds == 1_767_225_600)
    );
    assert!(matches!(&entries[4].values, ConditionValues::Null(v) if !v[0].node));
    assert!(
        matches!(&entries[5].values, ConditionValues::String(v) if v[0].node.as_literal() == Some("true"))
    );
}

#[test]
fn principals_of_every_documented_form_are_accepted() {
    for principal in [
        r#""*""#,
        r#"{"AWS":"*"}"#,
        r#"{"AWS":"111122223333"}"#,
        r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
        r#"{"AWS":"arn:aws:iam::111122223333:user/path/Alice"}"#,
        r#"{"AWS":"arn:aws:iam::111122223333:role/service-role/R"}"#,
        r#"{"AWS":"arn:aws:sts::111122223333:assumed-role/R/session-1"}"#,
        r#"{"AWS":"arn:aws:sts::111122223333:federated-user/Bob"}"#,
        r#"{"AWS":"arn:aws-us-gov:iam::111122223333:root"}"#,
        r#"{"AWS":"AROA123456789012EXAMPLE"}"#,
        r#"{"Service":["cloudtrail.amazonaws.com","logs.us-east-1.amazonaws.com"]}"#,
        r#"{"Federated":"cognito-identity.amazonaws.com"}"#,
        r#"{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
    ] {
        let text = policy(&format!(
            r#"{{"Effect":"Allow","Principal":{principal},"Action":"kms:*","Resource":"*"}}"#
        ));
        assert!(
            parse_policy(&text).is_ok(),
            "{principal}: {:?}",
            parse_policy(&text).err()
        );
    }
}

#[test]
fn printing_then_parsing_gives_the_same_model() {
    let text = policy(
        r#"{"Sid":"A","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"s3.amazonaws.com"},"Action":["kms:Encrypt"],"Resource":"*",
            "Condition":{"StringEquals":{"kms:ViaService":["s3.us-east-1.amazonaws.com"],"k":"a\"b\\c\n"},"Bool":{"b":"true"},"NumericEquals":{"n":1.5},"DateLessThan":{"d":"2026-02-03T04:05:06.5Z"},"IpAddress":{"i":"10.0.0.1"}}},
           {"Effect":"Deny","NotPrincipal":"*","NotAction":"kms:Decrypt","NotResource":["arn:aws:kms:*:*:key/${aws:username}"]}"#,
    );
    let first = parse_policy(&text).unwrap();
    let printed = crate::model::to_json_string(&first);
    let second = parse_policy(&printed).unwrap_or_else(|d| panic!("{printed}\n{d:#?}"));
    for (a, b) in first.statements.iter().zip(&second.statements) {
        assert_eq!(a.principal, b.principal);
        assert_eq!(a.action, b.action);
        assert_eq!(a.resource, b.resource);
        if let (Some(x), Some(y)) = (&a.condition, &b.condition) {
            for (e, f) in x.node.entries.iter().zip(&y.node.entries) {
                assert_eq!(e, f);
            }
        }
        assert_eq!(a, b);
    }
    assert_eq!(first, second, "{printed}");
}
