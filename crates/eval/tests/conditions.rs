//! Condition operators as a table (rules 42–45): each row is (operator,
//! key, policy values, request value or absent, expected outcome).

mod common;

use common::*;

/// One row: does a key-policy Allow with this condition apply?
/// `request` is `None` for an absent key; `[a, b]` gives a list.
fn holds(operator: &str, key: &str, values: &str, request: Option<&str>) -> bool {
    let kp = policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:user/Bob"}}, "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {{"{operator}": {{"{key}": {values}}}}}}}"#
    ));
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .at("2025-06-15T12:00:00Z")
        .build();
    let extra: Vec<(&str, &str)> = request.map(|v| (key, v)).into_iter().collect();
    let (d, _, _) = w.decide("Bob", "kms:Decrypt", "K", &extra);
    d == keyward_eval::Decision::Allow
}

macro_rules! table {
    ($($name:ident: $op:expr, $key:expr, $values:expr, $req:expr => $want:expr;)*) => {
        $(
            #[test]
            fn $name() {
                let req: Option<&str> = $req;
                assert_eq!(holds($op, $key, $values, req), $want, "{} {} {} with {:?}", $op, $key, $values, req);
            }
        )*
    };
}

table! {
    rule_42_string_equals_is_case_sensitive: "StringEquals", "aws:SourceVpc", r#""vpc-1""#, Some("VPC-1") => false;
    rule_42_string_equals_matches: "StringEquals", "aws:SourceVpc", r#""vpc-1""#, Some("vpc-1") => true;
    rule_42_string_not_equals: "StringNotEquals", "aws:SourceVpc", r#""vpc-1""#, Some("vpc-2") => true;
    rule_42_string_equals_ignore_case: "StringEqualsIgnoreCase", "aws:SourceVpc", r#""VPC-1""#, Some("vpc-1") => true;
    rule_42_string_not_equals_ignore_case: "StringNotEqualsIgnoreCase", "aws:SourceVpc", r#""VPC-1""#, Some("vpc-1") => false;
    rule_42_string_like_star_and_question: "StringLike", "aws:SourceVpc", r#""vpc-?a*""#, Some("vpc-1abc") => true;
    rule_42_string_like_is_case_sensitive: "StringLike", "aws:SourceVpc", r#""VPC-*""#, Some("vpc-1") => false;
    rule_42_string_not_like: "StringNotLike", "aws:SourceVpc", r#""vpc-*""#, Some("vpc-1") => false;
    rule_42_numeric_equals: "NumericEquals", "s3:max-keys", r#""10""#, Some("10.0") => true;
    rule_42_numeric_not_equals: "NumericNotEquals", "s3:max-keys", r#""10""#, Some("11") => true;
    rule_42_numeric_less_than: "NumericLessThan", "s3:max-keys", r#""10""#, Some("9") => true;
    rule_42_numeric_less_than_equals: "NumericLessThanEquals", "s3:max-keys", r#""10""#, Some("10") => true;
    rule_42_numeric_greater_than: "NumericGreaterThan", "s3:max-keys", r#""10""#, Some("10") => false;
    rule_42_numeric_greater_than_equals: "NumericGreaterThanEquals", "s3:max-keys", r#""10""#, Some("10") => true;
    rule_42_numeric_unreadable_request_value_fails_closed: "NumericLessThan", "s3:max-keys", r#""10""#, Some("ten") => false;
    rule_42_date_less_than_current_time: "DateLessThan", "aws:CurrentTime", r#""2026-01-01T00:00:00Z""#, None => true;
    rule_42_date_greater_than_current_time: "DateGreaterThan", "aws:CurrentTime", r#""2026-01-01T00:00:00Z""#, None => false;
    rule_42_date_epoch_seconds: "DateGreaterThanEquals", "aws:EpochTime", r#""1749988800""#, None => true;
    rule_42_date_equals_iso_and_epoch_agree: "DateEquals", "aws:CurrentTime", r#""1749988800""#, None => true;
    rule_42_date_not_equals: "DateNotEquals", "aws:CurrentTime", r#""2020-01-01T00:00:00Z""#, None => true;
    rule_42_date_less_than_equals: "DateLessThanEquals", "aws:CurrentTime", r#""2025-06-15T12:00:00Z""#, None => true;
    rule_42_bool_true: "Bool", "aws:SecureTransport", r#""true""#, None => true;
    rule_42_bool_false_given: "Bool", "aws:SecureTransport", r#""true""#, Some("false") => false;
    rule_42_binary_equals: "BinaryEquals", "custom:blob", r#""QmluYXJ5""#, Some("QmluYXJ5") => true;
    rule_42_ip_address_cidr: "IpAddress", "aws:SourceIp", r#""203.0.113.0/24""#, Some("203.0.113.7") => true;
    rule_42_ip_address_outside: "IpAddress", "aws:SourceIp", r#""203.0.113.0/24""#, Some("198.51.100.7") => false;
    rule_42_ip_address_v6: "IpAddress", "aws:SourceIp", r#""2001:db8::/32""#, Some("2001:db8::1") => true;
    rule_42_not_ip_address: "NotIpAddress", "aws:SourceIp", r#""203.0.113.0/24""#, Some("198.51.100.7") => true;
    rule_42_arn_like_per_segment: "ArnLike", "aws:SourceArn", r#""arn:aws:s3:::bucket-*""#, Some("arn:aws:s3:::bucket-a/obj") => true;
    rule_42_arn_equals_is_arn_like: "ArnEquals", "aws:SourceArn", r#""arn:aws:s3:::bucket-*""#, Some("arn:aws:s3:::bucket-a") => true;
    rule_42_arn_like_does_not_cross_segments: "ArnLike", "aws:SourceArn", r#""arn:aws:*:key/x""#, Some("arn:aws:kms:us-east-1:111122223333:key/x") => false;
    rule_42_arn_not_like: "ArnNotLike", "aws:SourceArn", r#""arn:aws:s3:::bucket-*""#, Some("arn:aws:s3:::other") => true;
    rule_42_arn_not_equals: "ArnNotEquals", "aws:SourceArn", r#""arn:aws:s3:::b""#, Some("arn:aws:s3:::b") => false;
    rule_43_missing_key_fails_a_positive_operator: "StringEquals", "aws:SourceVpc", r#""vpc-1""#, None => false;
    rule_43_missing_key_satisfies_a_negated_operator: "StringNotEquals", "aws:SourceVpc", r#""vpc-1""#, None => true;
    rule_43_missing_key_satisfies_not_ip_address: "NotIpAddress", "aws:SourceIp", r#""203.0.113.0/24""#, None => true;
    rule_43_if_exists_with_missing_key: "StringEqualsIfExists", "aws:SourceVpc", r#""vpc-1""#, None => true;
    rule_43_if_exists_with_present_key: "StringEqualsIfExists", "aws:SourceVpc", r#""vpc-1""#, Some("vpc-2") => false;
    rule_43_null_true_means_absent: "Null", "aws:SourceVpc", r#""true""#, None => true;
    rule_43_null_false_means_present: "Null", "aws:SourceVpc", r#""false""#, Some("vpc-1") => true;
    rule_43_null_false_with_absent_key: "Null", "aws:SourceVpc", r#""false""#, None => false;
    rule_44_values_are_ored: "StringEquals", "aws:SourceVpc", r#"["vpc-1", "vpc-2"]"#, Some("vpc-2") => true;
    rule_44_negated_values_must_all_differ: "StringNotEquals", "aws:SourceVpc", r#"["vpc-1", "vpc-2"]"#, Some("vpc-2") => false;
    rule_45_for_all_values_true_when_missing: "ForAllValues:StringEquals", "aws:TagKeys", r#"["a"]"#, None => true;
    rule_45_for_all_values_every_value_listed: "ForAllValues:StringEquals", "aws:TagKeys", r#"["a", "b"]"#, Some("[a, b]") => true;
    rule_45_for_all_values_one_unlisted: "ForAllValues:StringEquals", "aws:TagKeys", r#"["a"]"#, Some("[a, c]") => false;
    rule_45_for_any_value_false_when_missing: "ForAnyValue:StringEquals", "aws:TagKeys", r#"["a"]"#, None => false;
    rule_45_for_any_value_one_match: "ForAnyValue:StringEquals", "aws:TagKeys", r#"["a"]"#, Some("[c, a]") => true;
    rule_45_for_any_value_negated: "ForAnyValue:StringNotEquals", "aws:TagKeys", r#"["a"]"#, Some("[a, c]") => true;
    rule_45_for_all_values_negated: "ForAllValues:StringNotEquals", "aws:TagKeys", r#"["a"]"#, Some("[a, c]") => false;
    rule_45_for_any_value_if_exists_missing: "ForAnyValue:StringEqualsIfExists", "aws:TagKeys", r#"["a"]"#, None => true;
    rule_45_unqualified_multi_valued_key_needs_one_match: "StringEquals", "aws:TagKeys", r#"["a"]"#, Some("[c, a]") => true;
    rule_46_condition_key_names_are_case_insensitive: "StringEquals", "AWS:SOURCEVPC", r#""vpc-1""#, Some("vpc-1") => true;
}

#[test]
fn rule_44_operators_and_keys_in_a_block_are_anded() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1", "aws:SourceVpce": "vpce-1"}, "Bool": {"aws:SecureTransport": "true"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .build();
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("aws:SourceVpc", "vpc-1"), ("aws:SourceVpce", "vpce-1")]
    );
    implicit_deny!(w, "Bob", "kms:Decrypt", "K", &[("aws:SourceVpc", "vpc-1")]);
    implicit_deny!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[
            ("aws:SourceVpc", "vpc-1"),
            ("aws:SourceVpce", "vpce-1"),
            ("aws:SecureTransport", "false")
        ]
    );
}

#[test]
fn fail_closed_an_unreadable_value_makes_a_deny_apply() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:*", "Resource": "*"},
           {"Sid": "OldOnly", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"NumericGreaterThan": {"custom:age": "5"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K", &[("custom:age", "3")]);
    explicit_deny!(w, "Bob", "kms:Decrypt", "K", &[("custom:age", "old")]);
    let (_, _, why) = w.decide("Bob", "kms:Decrypt", "K", &[("custom:age", "old")]);
    assert!(
        why.iter().any(|l| l.contains("could not be evaluated")),
        "{why:?}"
    );
}

#[test]
fn fail_closed_without_a_clock_time_conditions_cannot_allow() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"DateLessThan": {"aws:CurrentTime": "2100-01-01T00:00:00Z"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .build();
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("aws:CurrentTime", "2025-01-01T00:00:00Z")]
    );
}
