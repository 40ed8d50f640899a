//! The known-answer table: policy pairs and checks whose answers follow
//! from the AWS documentation's meaning of the policies (KMS key policies,
//! IAM evaluation logic, condition operators), not from running keyward.
//! Every FAIL is also checked for a witness of the expected kind.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]
mod common;

use common::{doc, key_policy};
use keyward_analysis::checks::{
    access_not_granted, no_new_access, no_public_access, CheckOptions, Outcome, Trust, Verdict,
};
use keyward_analysis::world::Kind;
use keyward_eval::{ActionSet, KmsAction};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROOT: &str = r#"{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#;

fn options() -> CheckOptions {
    let mut o = CheckOptions::default();
    o.space.key_arn = Some(KEY.into());
    o
}

fn allow(principal: &str, action: &str, condition: &str) -> String {
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!(r#", "Condition": {condition}"#)
    };
    format!(
        r#"{{"Effect": "Allow", "Principal": {principal}, "Action": {action}, "Resource": "*"{condition}}}"#
    )
}

fn deny(principal: &str, action: &str, condition: &str) -> String {
    allow(principal, action, condition).replacen("\"Allow\"", "\"Deny\"", 1)
}

const BOB: &str = r#"{"AWS": "arn:aws:iam::111122223333:user/Bob"}"#;
const ALICE_AND_BOB: &str =
    r#"{"AWS": ["arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/Alice"]}"#;
const ACCOUNT: &str = r#"{"AWS": "111122223333"}"#;
const PARTNER: &str = r#"{"AWS": "arn:aws:iam::444455556666:root"}"#;
const ANYONE: &str = r#""*""#;
const ADMIN_ROLE: &str = r#"{"AWS": "arn:aws:iam::111122223333:role/Admin"}"#;
const ADMIN_SESSION: &str = r#"{"AWS": "arn:aws:sts::111122223333:assumed-role/Admin/alice"}"#;
const TRAIL: &str = r#"{"Service": "cloudtrail.amazonaws.com"}"#;
const DECRYPT: &str = r#""kms:Decrypt""#;

/// Compare two key policies given as statement lists.
fn compare(base: &[String], head: &[String]) -> Outcome {
    let base = key_policy("base.json", &base.join(", "));
    let head = key_policy("head.json", &head.join(", "));
    no_new_access(&base, &head, Kind::KeyPolicy, &options())
}

#[track_caller]
fn expect(name: &str, outcome: &Outcome, verdict: Verdict, witness: Option<&str>) {
    assert_eq!(
        outcome.verdict, verdict,
        "{name}: expected {verdict:?}, got {:?} ({:?})\n{:#?}",
        outcome.verdict, outcome.reason, outcome.witnesses
    );
    if let Some(needle) = witness {
        let found = outcome.witnesses.iter().any(|w| {
            let text = format!(
                "{} {} {:?} {:?}",
                w.principal, w.action, w.context, w.encryption_context
            );
            text.contains(needle)
        });
        assert!(
            found,
            "{name}: no witness mentions `{needle}`: {:#?}",
            outcome.witnesses
        );
    }
}

macro_rules! pair {
    ($name:ident, [$($base:expr),* $(,)?], [$($head:expr),* $(,)?], $verdict:ident $(, $witness:expr)?) => {
        #[test]
        fn $name() {
            let base: Vec<String> = vec![$(String::from($base)),*];
            let head: Vec<String> = vec![$(String::from($head)),*];
            let outcome = compare(&base, &head);
            expect(stringify!($name), &outcome, Verdict::$verdict, None $(.or(Some($witness)))?);
        }
    };
}

// --- principals
pair!(
    principal_added,
    [allow(BOB, DECRYPT, "")],
    [allow(ALICE_AND_BOB, DECRYPT, "")],
    Fail,
    "user/Alice"
);
pair!(
    principal_removed,
    [allow(ALICE_AND_BOB, DECRYPT, "")],
    [allow(BOB, DECRYPT, "")],
    Pass
);
pair!(
    account_widened_to_anyone,
    [allow(ACCOUNT, DECRYPT, "")],
    [allow(ANYONE, DECRYPT, "")],
    Fail
);
pair!(
    account_widened_to_anyone_in_the_organization,
    [allow(ACCOUNT, DECRYPT, "")],
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#
    )],
    Fail,
    "o-a1b2c3d4e5"
);
// "*" limited to the account still names its principals directly: they no
// longer need an IAM policy (key policy docs: principals named in the key
// policy need no IAM permission in the same account).
pair!(
    account_widened_to_anyone_of_the_same_account_no_longer_needs_iam,
    [allow(ACCOUNT, DECRYPT, "")],
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#
    )],
    Fail,
    "111122223333"
);
pair!(
    account_principal_spelled_two_ways_is_the_same,
    [allow(r#"{"AWS": "111122223333"}"#, DECRYPT, "")],
    [allow(
        r#"{"AWS": "arn:aws:iam::111122223333:root"}"#,
        DECRYPT,
        ""
    )],
    Pass
);
pair!(
    cross_account_principal_added,
    [ROOT],
    [ROOT, allow(PARTNER, DECRYPT, "")],
    Fail,
    "444455556666"
);
pair!(
    service_principal_added,
    [ROOT],
    [ROOT, allow(TRAIL, r#""kms:GenerateDataKey*""#, "")],
    Fail,
    "cloudtrail.amazonaws.com"
);
pair!(
    service_principal_loses_its_source_condition,
    [allow(
        TRAIL,
        r#""kms:GenerateDataKey*""#,
        r#"{"StringLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}"#
    )],
    [allow(TRAIL, r#""kms:GenerateDataKey*""#, "")],
    Fail,
    "cloudtrail.amazonaws.com"
);
// Rule 6: a session ARN is not limited by the role's permissions boundary.
pair!(
    role_replaced_by_one_of_its_sessions,
    [allow(ADMIN_ROLE, DECRYPT, "")],
    [allow(ADMIN_SESSION, DECRYPT, "")],
    Fail,
    "assumed-role/Admin/alice"
);
pair!(
    session_replaced_by_its_role,
    [allow(ADMIN_SESSION, DECRYPT, "")],
    [allow(ADMIN_ROLE, DECRYPT, "")],
    Fail,
    "role/Admin"
);
pair!(
    user_replaced_by_its_account,
    [allow(BOB, DECRYPT, "")],
    [allow(ACCOUNT, DECRYPT, "")],
    Fail
);
// Rule 4: naming the account delegates to IAM, which can now grant.
pair!(
    key_policy_delegation_to_iam_added,
    [allow(BOB, r#""kms:*""#, "")],
    [allow(BOB, r#""kms:*""#, ""), ROOT],
    Fail
);
pair!(
    not_principal_introduced_in_a_deny,
    [ROOT, deny(ANYONE, DECRYPT, "")],
    [
        ROOT,
        r#"{"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:root"]}, "Action": "kms:Decrypt", "Resource": "*"}"#
    ],
    Fail,
    "user/Bob"
);
pair!(
    principal_arn_pattern_narrowed,
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}"#
    )],
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Admin"}}"#
    )],
    Pass
);
pair!(
    principal_arn_pattern_widened,
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Admin"}}"#
    )],
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Adm*"}}"#
    )],
    Fail,
    "role/Adm"
);
pair!(
    principal_tag_condition_removed,
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"aws:PrincipalTag/team": "blue", "kms:CallerAccount": "111122223333"}}"#
    )],
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#
    )],
    Fail
);

// --- actions
pair!(
    actions_reordered,
    [allow(BOB, r#"["kms:Encrypt", "kms:Decrypt"]"#, "")],
    [allow(BOB, r#"["kms:Decrypt", "kms:Encrypt"]"#, "")],
    Pass
);
pair!(
    action_narrowed,
    [allow(BOB, r#""kms:*""#, "")],
    [allow(BOB, DECRYPT, "")],
    Pass
);
pair!(
    action_widened,
    [allow(BOB, DECRYPT, "")],
    [allow(BOB, r#""kms:*""#, "")],
    Fail,
    "user/Bob"
);
pair!(
    grant_related_action_added,
    [allow(BOB, DECRYPT, "")],
    [allow(BOB, r#"["kms:Decrypt", "kms:CreateGrant"]"#, "")],
    Fail,
    "kms:CreateGrant"
);
pair!(
    grant_for_aws_resource_condition_removed,
    [allow(
        BOB,
        r#"["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]"#,
        r#"{"Bool": {"kms:GrantIsForAWSResource": "true"}}"#
    )],
    [allow(
        BOB,
        r#"["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]"#,
        ""
    )],
    Fail,
    "user/Bob"
);
pair!(
    not_action_introduced,
    [allow(BOB, DECRYPT, "")],
    [
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"}"#
    ],
    Fail
);
// Rule 19: kms:RetireGrant in a key policy does not allow retiring.
pair!(
    retire_grant_added_to_the_key_policy,
    [allow(BOB, DECRYPT, "")],
    [allow(BOB, r#"["kms:Decrypt", "kms:RetireGrant"]"#, "")],
    Pass
);
pair!(
    statement_split_in_two_with_the_same_meaning,
    [allow(
        ALICE_AND_BOB,
        r#"["kms:Encrypt", "kms:Decrypt"]"#,
        ""
    )],
    [
        allow(BOB, r#"["kms:Encrypt", "kms:Decrypt"]"#, ""),
        allow(
            r#"{"AWS": "arn:aws:iam::111122223333:user/Alice"}"#,
            r#"["kms:Decrypt", "kms:Encrypt"]"#,
            ""
        )
    ],
    Pass
);
pair!(
    sid_and_order_changes_only,
    [ROOT, allow(BOB, DECRYPT, "")],
    [
        allow(BOB, DECRYPT, "").replacen('{', r#"{"Sid": "Bob", "#, 1),
        ROOT
    ],
    Pass
);

// --- conditions
pair!(
    string_equals_becomes_string_like_with_a_wildcard,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}"#
    )],
    Fail,
    "s3."
);
pair!(
    string_equals_becomes_string_like_on_the_same_literal,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringLike": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    Pass
);
pair!(
    string_equals_becomes_ignore_case,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEqualsIgnoreCase": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    Fail
);
pair!(
    ignore_case_becomes_string_equals,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEqualsIgnoreCase": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    Pass
);
pair!(
    if_exists_added_to_an_allow,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEqualsIfExists": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
    )],
    Fail
);
pair!(
    if_exists_added_to_a_deny,
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"StringNotEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
        )
    ],
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"StringNotEqualsIfExists": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
        )
    ],
    Pass
);
pair!(
    deny_condition_narrowed,
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"StringNotEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}}"#
        )
    ],
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"StringNotEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"]}}"#
        )
    ],
    Fail,
    "ec2.us-east-1.amazonaws.com"
);
pair!(
    deny_condition_widened,
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"StringNotEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"]}}"#
        )
    ],
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"StringNotEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}}"#
        )
    ],
    Pass
);
pair!(
    deny_removed,
    [
        ROOT,
        deny(PARTNER, DECRYPT, ""),
        allow(PARTNER, r#""kms:*""#, "")
    ],
    [ROOT, allow(PARTNER, r#""kms:*""#, "")],
    Fail,
    "444455556666"
);
pair!(
    deny_added,
    [ROOT],
    [ROOT, deny(ANYONE, r#""kms:ScheduleKeyDeletion""#, "")],
    Pass
);
pair!(
    deny_becomes_allow,
    [ROOT, deny(BOB, DECRYPT, "")],
    [ROOT, allow(BOB, DECRYPT, "")],
    Fail,
    "user/Bob"
);
pair!(
    condition_removed_from_an_allow,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:EncryptionContext:Department": "HR"}}"#
    )],
    [allow(BOB, DECRYPT, "")],
    Fail
);
pair!(
    condition_added_to_an_allow,
    [allow(BOB, DECRYPT, "")],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:EncryptionContext:Department": "HR"}}"#
    )],
    Pass
);
pair!(
    encryption_context_value_widened,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:EncryptionContext:Department": "HR"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:EncryptionContext:Department": ["HR", "Finance"]}}"#
    )],
    Fail,
    "Finance"
);
pair!(
    encryption_context_key_case_does_not_matter,
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:EncryptionContext:Department": "HR"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"StringEquals": {"kms:encryptioncontext:department": "HR"}}"#
    )],
    Pass
);
pair!(
    for_all_values_becomes_for_any_value,
    [allow(
        BOB,
        DECRYPT,
        r#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department"]}, "Null": {"kms:EncryptionContextKeys": "false"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["Department"]}}"#
    )],
    Fail
);
pair!(
    required_encryption_context_dropped,
    [allow(
        BOB,
        DECRYPT,
        r#"{"Null": {"kms:EncryptionContextKeys": "false"}}"#
    )],
    [allow(BOB, DECRYPT, "")],
    Fail
);
pair!(
    source_ip_range_narrowed,
    [allow(
        BOB,
        DECRYPT,
        r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/16"}}"#
    )],
    Pass
);
pair!(
    source_ip_range_widened,
    [allow(
        BOB,
        DECRYPT,
        r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/16"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#
    )],
    Fail,
    "10."
);
pair!(
    deny_outside_a_network_narrowed,
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/16"}}"#
        )
    ],
    [
        ROOT,
        deny(
            ANYONE,
            DECRYPT,
            r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#
        )
    ],
    Fail
);
pair!(
    mfa_age_limit_tightened,
    [allow(
        BOB,
        DECRYPT,
        r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "60"}}"#
    )],
    Pass
);
pair!(
    mfa_age_limit_loosened,
    [allow(
        BOB,
        DECRYPT,
        r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "60"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#
    )],
    Fail
);
pair!(
    expiry_brought_forward,
    [allow(
        BOB,
        DECRYPT,
        r#"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}"#
    )],
    Pass
);
pair!(
    expiry_pushed_back,
    [allow(
        BOB,
        DECRYPT,
        r#"{"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}"#
    )],
    [allow(
        BOB,
        DECRYPT,
        r#"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#
    )],
    Fail,
    "aws:CurrentTime"
);

// --- resources
pair!(
    resource_star_is_this_key,
    [allow(BOB, DECRYPT, "")],
    [allow(BOB, DECRYPT, "").replace(r#""Resource": "*""#, &format!(r#""Resource": "{KEY}""#))],
    Pass
);
pair!(
    resource_naming_another_key_has_no_effect,
    [ROOT],
    [
        ROOT,
        allow(PARTNER, DECRYPT, "").replace(
            r#""Resource": "*""#,
            r#""Resource": "arn:aws:kms:us-east-1:111122223333:key/other""#
        )
    ],
    Pass
);
pair!(
    statement_without_resource_has_no_effect,
    [ROOT],
    [
        ROOT,
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt"}"#
    ],
    Pass
);

pair!(
    caller_account_variable_condition_removed,
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}", "kms:CallerAccount": "111122223333"}}"#
    )],
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#
    )],
    Fail,
    "111122223333"
);
pair!(
    caller_account_variable_kept,
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}", "kms:CallerAccount": "111122223333"}}"#
    )],
    [allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"aws:SourceAccount": "111122223333", "kms:CallerAccount": "111122223333"}}"#
    )],
    Pass
);

#[test]
fn policy_variables_are_unknown_never_pass() {
    let base = key_policy("base.json", ROOT);
    let head = key_policy(
        "head.json",
        &format!(
            r#"{ROOT}, {}"#,
            allow(
                ANYONE,
                DECRYPT,
                r#"{"StringEquals": {"kms:EncryptionContext:user": "${aws:username}"}}"#
            )
        ),
    );
    let outcome = no_new_access(&base, &head, Kind::KeyPolicy, &options());
    expect("variables", &outcome, Verdict::Unknown, None);
}

#[test]
fn without_the_key_arn_every_key_account_is_considered() {
    // A user named directly in the key's own account needs no IAM policy;
    // in another account it does (rule 8). With the key unknown, both count.
    let base = key_policy("base.json", &allow(ACCOUNT, DECRYPT, ""));
    let head = key_policy("head.json", &allow(BOB, DECRYPT, ""));
    let outcome = no_new_access(&base, &head, Kind::KeyPolicy, &CheckOptions::default());
    expect("unknown key", &outcome, Verdict::Fail, Some("user/Bob"));
}

// --- access-not-granted
fn not_granted(statements: &str, actions: &[KmsAction], principals: &[&str]) -> Outcome {
    let p = key_policy("key.json", statements);
    let principals: Vec<String> = principals.iter().map(|s| s.to_string()).collect();
    access_not_granted(
        &p,
        Kind::KeyPolicy,
        ActionSet::of(actions),
        &principals,
        &options(),
    )
}

#[test]
fn access_not_granted_finds_an_allowed_action() {
    let s = allow(BOB, DECRYPT, "");
    expect(
        "decrypt",
        &not_granted(&s, &[KmsAction::Decrypt], &[]),
        Verdict::Fail,
        Some("user/Bob"),
    );
    expect(
        "put",
        &not_granted(&s, &[KmsAction::PutKeyPolicy], &[]),
        Verdict::Pass,
        None,
    );
}

#[test]
fn access_not_granted_restricted_to_principals() {
    let s = allow(BOB, DECRYPT, "");
    expect(
        "other account",
        &not_granted(&s, &[KmsAction::Decrypt], &["arn:aws:iam::444455556666:*"]),
        Verdict::Pass,
        None,
    );
    expect(
        "bob",
        &not_granted(
            &s,
            &[KmsAction::Decrypt],
            &["arn:aws:iam::111122223333:user/*"],
        ),
        Verdict::Fail,
        Some("user/Bob"),
    );
    expect(
        "account id",
        &not_granted(&s, &[KmsAction::Decrypt], &["111122223333"]),
        Verdict::Fail,
        None,
    );
}

#[test]
fn access_not_granted_through_delegation_to_iam() {
    // Rule 4: the root statement lets IAM policies grant any action.
    expect(
        "delegation",
        &not_granted(ROOT, &[KmsAction::ScheduleKeyDeletion], &[]),
        Verdict::Fail,
        Some("kms:ScheduleKeyDeletion"),
    );
}

// --- no-public-access
fn public(statements: &str, trust: &Trust) -> Outcome {
    no_public_access(&key_policy("key.json", statements), trust, &options())
}

#[test]
fn anyone_without_conditions_is_public() {
    let o = public(&allow(ANYONE, DECRYPT, ""), &Trust::default());
    expect("anyone", &o, Verdict::Fail, None);
    assert!(o.witnesses.iter().any(|w| w.scope == Some("public")));
}

#[test]
fn anyone_of_the_key_account_is_not_public() {
    let s = allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#,
    );
    expect(
        "caller account",
        &public(&s, &Trust::default()),
        Verdict::Pass,
        None,
    );
}

#[test]
fn organization_condition_is_trusted_only_when_the_organization_is() {
    let s = allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
    );
    expect(
        "no org",
        &public(&s, &Trust::default()),
        Verdict::Fail,
        Some("o-a1b2c3d4e5"),
    );
    let trust = Trust {
        org: Some("o-a1b2c3d4e5".into()),
        ..Trust::default()
    };
    expect("org", &public(&s, &trust), Verdict::Pass, None);
}

#[test]
fn a_partner_account_is_external_unless_trusted() {
    let s = format!("{ROOT}, {}", allow(PARTNER, DECRYPT, ""));
    let o = public(&s, &Trust::default());
    expect("partner", &o, Verdict::Fail, Some("444455556666"));
    assert!(o.witnesses.iter().all(|w| w.scope == Some("external")));
    let trusted = Trust {
        accounts: vec!["444455556666".into()],
        ..Trust::default()
    };
    expect("trusted", &public(&s, &trusted), Verdict::Pass, None);
    let public_only = Trust {
        public_only: true,
        ..Trust::default()
    };
    expect(
        "public only",
        &public(&s, &public_only),
        Verdict::Pass,
        None,
    );
}

#[test]
fn service_principals_are_not_outsiders_but_conditions_an_outsider_controls_do_not_help() {
    expect(
        "service",
        &public(&allow(TRAIL, DECRYPT, ""), &Trust::default()),
        Verdict::Pass,
        None,
    );
    let s = allow(
        ANYONE,
        DECRYPT,
        r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
    );
    expect(
        "via service",
        &public(&s, &Trust::default()),
        Verdict::Fail,
        Some("s3.us-east-1.amazonaws.com"),
    );
}

// --- identity policies
fn identity(statements: &str) -> keyward_eval::PolicyDoc {
    doc(
        "identity.json",
        &format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#),
    )
}

#[test]
fn identity_policy_action_added_and_resource_narrowed() {
    let base = identity(
        r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:111122223333:key/*"}"#,
    );
    let wider = identity(
        r#"{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "arn:aws:kms:*:111122223333:key/*"}"#,
    );
    let narrower = identity(
        r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*"}"#,
    );
    let o = CheckOptions::default();
    expect(
        "wider",
        &no_new_access(&base, &wider, Kind::Identity, &o),
        Verdict::Fail,
        Some("kms:Encrypt"),
    );
    expect(
        "narrower",
        &no_new_access(&base, &narrower, Kind::Identity, &o),
        Verdict::Pass,
        None,
    );
    expect(
        "reverse",
        &no_new_access(&narrower, &base, Kind::Identity, &o),
        Verdict::Fail,
        Some("kms:Decrypt"),
    );
}

#[test]
fn identity_policy_adding_an_action_without_a_key_is_unknown() {
    let base = identity(r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}"#);
    let head = identity(
        r#"{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:CreateKey"], "Resource": "*"}"#,
    );
    expect(
        "create key",
        &no_new_access(&base, &head, Kind::Identity, &CheckOptions::default()),
        Verdict::Unknown,
        None,
    );
}

// --- diff
#[test]
fn diff_lists_access_gained_and_lost_with_conditions() {
    use keyward_analysis::diff::diff;
    let base = key_policy(
        "base.json",
        &format!(
            "{ROOT}, {}",
            allow(BOB, r#"["kms:Decrypt", "kms:Encrypt"]"#, "")
        ),
    );
    let head = key_policy(
        "head.json",
        &format!(
            "{ROOT}, {}, {}",
            allow(BOB, DECRYPT, ""),
            allow(
                PARTNER,
                DECRYPT,
                r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#
            )
        ),
    );
    let d = diff(&base, &head, Kind::KeyPolicy, &options());
    assert_eq!(d.unknown, None);
    let gained: Vec<_> = d.changes.iter().filter(|c| c.gained).collect();
    let lost: Vec<_> = d.changes.iter().filter(|c| !c.gained).collect();
    // The partner account gains Decrypt, only through S3 and with its own IAM allow.
    assert!(
        gained.iter().all(
            |c| c.principal_class.contains("444455556666") && c.actions == [KmsAction::Decrypt]
        ),
        "{gained:#?}"
    );
    assert!(
        gained.iter().all(|c| c
            .when
            .iter()
            .all(|w| w.iter().any(|x| x.contains("s3.us-east-1.amazonaws.com")))),
        "{gained:#?}"
    );
    // Bob loses Encrypt when his own IAM policies do not allow it (with them, the root statement still delegates).
    assert!(
        lost.iter()
            .any(|c| c.principal_class.contains("user/Bob") && c.actions == [KmsAction::Encrypt]),
        "{lost:#?}"
    );
    assert!(lost.iter().all(|c| c
        .example
        .statement
        .as_ref()
        .is_some_and(|s| s.file == "base.json")));
}
