//! Random key policies and random requests for the brute-force tests, and
//! an evaluation of any request that does not go through the analysis.
#![allow(dead_code)]

use std::sync::Arc;

use keyward_analysis::witness::Witness;
use keyward_eval::{
    Authorizer, Caller, ContextValue, Decision, Instant, KeyConfig, KeyOrigin, KmsAction,
    PolicyDoc, PrincipalConfig, Request,
};
use keyward_policy::{parse_policy, Source};

/// A small deterministic generator (xorshift).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn some<'a, T>(&mut self, items: &'a [T], max: usize) -> Vec<&'a T> {
        let n = 1 + self.below(max);
        let mut out: Vec<&T> = Vec::new();
        for _ in 0..n {
            let x = self.pick(items);
            if !out.iter().any(|y| std::ptr::eq(*y, x)) {
                out.push(x);
            }
        }
        out
    }
}

pub fn doc(name: &str, text: &str) -> PolicyDoc {
    let policy = parse_policy(text).unwrap_or_else(|d| panic!("{name}: {d:?}\n{text}"));
    PolicyDoc::new(name, Source::new(name, text), policy)
}

const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:*",
    "kms:Describe*",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
    "kms:RetireGrant",
];

const AWS_PRINCIPALS: &[&str] = &[
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::111122223333:user/Bob",
    "arn:aws:iam::111122223333:role/Admin",
    "arn:aws:iam::444455556666:role/Dev",
    "arn:aws:sts::111122223333:assumed-role/Admin/s1",
    "AIDAEXAMPLE1234567890",
    "arn:aws:sts::111122223333:federated-user/fed",
];

const SERVICES: &[&str] = &["ec2.amazonaws.com", "cloudtrail.amazonaws.com"];

/// (operators, key, values)
const CONDITIONS: &[(&[&str], &str, &[&str])] = &[
    (
        &[
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIfExists",
            "StringLike",
            "StringNotLike",
            "StringEqualsIgnoreCase",
        ],
        "kms:ViaService",
        &[
            "ec2.us-east-1.amazonaws.com",
            "s3.*.amazonaws.com",
            "S3.US-EAST-1.AMAZONAWS.COM",
        ],
    ),
    (
        &["StringEquals", "StringNotEquals", "StringLike"],
        "kms:CallerAccount",
        &["111122223333", "444455556666", "1111*"],
    ),
    (
        &["StringEquals"],
        "aws:PrincipalAccount",
        &["111122223333", "444455556666"],
    ),
    (
        &["StringLike", "ArnLike", "ArnNotLike", "StringNotLike"],
        "aws:PrincipalArn",
        &[
            "arn:aws:iam::*:role/Admin",
            "arn:aws:iam::111122223333:*",
            "arn:aws:iam::*:user/B*",
        ],
    ),
    (
        &["StringEquals", "StringNotEquals"],
        "aws:PrincipalOrgID",
        &["o-abc", "o-xyz"],
    ),
    (
        &["StringEquals", "StringLike", "StringNotEquals"],
        "kms:EncryptionContext:Dept",
        &["HR", "Fin*"],
    ),
    (
        &[
            "ForAnyValue:StringEquals",
            "ForAllValues:StringLike",
            "ForAnyValue:StringLike",
        ],
        "kms:EncryptionContextKeys",
        &["Dept", "aws:*"],
    ),
    (
        &["IpAddress", "NotIpAddress"],
        "aws:SourceIp",
        &["10.0.0.0/8", "10.1.0.0/16", "2001:db8::/32"],
    ),
    (
        &["NumericLessThan", "NumericGreaterThanEquals"],
        "aws:MultiFactorAuthAge",
        &["3600", "60"],
    ),
    (
        &["StringEquals", "StringNotEquals"],
        "aws:PrincipalTag/team",
        &["blue", "red"],
    ),
    (&["Bool"], "kms:GrantIsForAWSResource", &["true", "false"]),
    (&["Bool"], "aws:SecureTransport", &["true", "false"]),
    (
        &["DateGreaterThan", "DateLessThan"],
        "aws:CurrentTime",
        &["2023-01-01T00:00:00Z"],
    ),
    (&["Null"], "kms:EncryptionContextKeys", &["true", "false"]),
    (&["Null"], "aws:PrincipalOrgID", &["true", "false"]),
    (
        &["StringEquals", "StringNotEquals"],
        "aws:username",
        &["Bob"],
    ),
    (
        &["StringLike", "StringEquals"],
        "aws:userid",
        &["AROA*", "AIDAEXAMPLE1234567890"],
    ),
    (&["StringEquals"], "aws:ResourceTag/env", &["prod"]),
    (&["StringEquals"], "kms:RequestAlias", &["alias/app"]),
    (
        &["StringEquals", "StringNotEquals"],
        "aws:RequestedRegion",
        &["us-east-1", "${aws:PrincipalTag/team}"],
    ),
    (
        &["StringEquals", "StringNotEquals", "StringEqualsIfExists"],
        "aws:SourceAccount",
        &["${aws:PrincipalAccount}", "111122223333"],
    ),
    (
        &["StringEquals", "StringNotEquals"],
        "aws:SourceVpce",
        &["${aws:username}", "vpce-1", "${aws:username, 'nobody'}"],
    ),
];

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

fn list(items: &[&&str]) -> String {
    if items.len() == 1 {
        quote(items[0])
    } else {
        format!(
            "[{}]",
            items
                .iter()
                .map(|s| quote(s))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// One random statement.
pub fn statement(rng: &mut Rng) -> String {
    let effect = if rng.chance(70) { "Allow" } else { "Deny" };
    let principal = match rng.below(10) {
        0 | 1 => "\"Principal\": \"*\"".to_string(),
        2 => format!(
            "\"Principal\": {{\"Service\": {}}}",
            list(&rng.some(SERVICES, 2))
        ),
        3 if effect == "Deny" => format!(
            "\"NotPrincipal\": {{\"AWS\": {}}}",
            list(&rng.some(AWS_PRINCIPALS, 2))
        ),
        _ => format!(
            "\"Principal\": {{\"AWS\": {}}}",
            list(&rng.some(AWS_PRINCIPALS, 3))
        ),
    };
    let action_key = if rng.chance(10) {
        "NotAction"
    } else {
        "Action"
    };
    let actions = list(&rng.some(ACTIONS, 3));
    let resource = match rng.below(12) {
        0 => "\"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k1\"".to_string(),
        1 => "\"NotResource\": \"arn:aws:kms:*:444455556666:key/*\"".to_string(),
        _ => "\"Resource\": \"*\"".to_string(),
    };
    let mut conditions: Vec<(String, String, String)> = Vec::new();
    for _ in 0..rng.below(3) {
        let (ops, key, values) = rng.pick(CONDITIONS);
        let op = rng.pick(ops).to_string();
        let values = list(&rng.some(values, 2));
        conditions.push((op, key.to_string(), values));
    }
    let mut by_op: Vec<(String, Vec<String>)> = Vec::new();
    for (op, key, values) in conditions {
        let entry = format!("{}: {values}", quote(&key));
        match by_op.iter_mut().find(|(o, _)| *o == op) {
            Some((_, entries)) if !entries.iter().any(|e| e.starts_with(&quote(&key))) => {
                entries.push(entry)
            }
            Some(_) => {}
            None => by_op.push((op, vec![entry])),
        }
    }
    let condition = if by_op.is_empty() {
        String::new()
    } else {
        let ops: Vec<String> = by_op
            .iter()
            .map(|(op, entries)| format!("{}: {{{}}}", quote(op), entries.join(", ")))
            .collect();
        format!(", \"Condition\": {{{}}}", ops.join(", "))
    };
    format!(
        "{{\"Effect\": \"{effect}\", {principal}, \"{action_key}\": {actions}, {resource}{condition}}}"
    )
}

/// A random key policy of 1–4 statements.
pub fn statements(rng: &mut Rng) -> Vec<String> {
    (0..1 + rng.below(4)).map(|_| statement(rng)).collect()
}

pub fn policy_text(statements: &[String]) -> String {
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
        statements.join(", ")
    )
}

/// A random change of a key policy.
pub fn mutate(rng: &mut Rng, statements: &[String]) -> Vec<String> {
    let mut out = statements.to_vec();
    let i = rng.below(out.len());
    // Small edits that change who or when, the kind a review misses.
    const SWAPS: &[(&str, &str)] = &[
        ("\"111122223333\"", "\"arn:aws:iam::111122223333:user/Bob\""),
        ("\"arn:aws:iam::111122223333:user/Bob\"", "\"111122223333\""),
        (
            "\"arn:aws:iam::111122223333:role/Admin\"",
            "\"arn:aws:sts::111122223333:assumed-role/Admin/s1\"",
        ),
        (
            "\"arn:aws:sts::111122223333:assumed-role/Admin/s1\"",
            "\"arn:aws:iam::111122223333:role/Admin\"",
        ),
        ("\"arn:aws:iam::444455556666:root\"", "\"*\""),
        ("\"StringEquals\"", "\"StringEqualsIfExists\""),
        ("\"StringNotEquals\"", "\"StringEquals\""),
        ("\"Deny\"", "\"Allow\""),
        ("\"kms:Decrypt\"", "\"kms:*\""),
        ("\"NumericLessThan\"", "\"NumericGreaterThanEquals\""),
        ("\"ForAllValues:StringLike\"", "\"ForAnyValue:StringLike\""),
        ("\"true\"", "\"false\""),
    ];
    if rng.chance(50) {
        let (from, to) = *rng.pick(SWAPS);
        if out[i].contains(from) && !out[i].contains(to) {
            out[i] = out[i].replacen(from, to, 1);
            return out;
        }
    }
    match rng.below(4) {
        0 => out.push(statement(rng)),
        1 if out.len() > 1 => {
            let i = rng.below(out.len());
            out.remove(i);
        }
        2 => {
            out[i] = statement(rng);
        }
        _ => {
            let mut s = out[i].replace("\"Deny\"", "\"Allow\"");
            if !s.contains("\"StringLike\"") {
                s = s.replace("\"StringEquals\"", "\"StringLike\"");
            }
            if !s.contains("\"NotIpAddress\"") {
                s = s.replace("\"IpAddress\"", "\"NotIpAddress\"");
            }
            out[i] = s;
        }
    }
    out
}

/// A caller for random requests, and what its own policies do.
#[derive(Clone, Debug)]
pub struct Who {
    pub arn: &'static str,
    pub tags: Vec<(String, String)>,
    pub user_id: Option<&'static str>,
    pub iam_allows: bool,
    pub bounded: bool,
}

const CALLERS: &[&str] = &[
    "111122223333",
    "444455556666",
    "999988887777",
    "arn:aws:iam::111122223333:user/Bob",
    "arn:aws:iam::111122223333:user/Alice",
    "arn:aws:iam::111122223333:user/dev/Bob",
    "arn:aws:iam::444455556666:user/Bob",
    "arn:aws:iam::999988887777:user/Carol",
    "777766665555",
    "arn:aws:iam::777766665555:user/Dan",
    "arn:aws:iam::777766665555:role/Admin",
    "arn:aws:iam::111122223333:role/Admin",
    "arn:aws:iam::111122223333:role/path/Dev",
    "arn:aws:iam::444455556666:role/path/Dev",
    "arn:aws:iam::999988887777:role/Admin",
    "arn:aws:sts::111122223333:assumed-role/Admin/s1",
    "arn:aws:sts::111122223333:assumed-role/Admin/s2",
    "arn:aws:sts::444455556666:assumed-role/Dev/s1",
    "arn:aws:sts::111122223333:federated-user/fed",
    "arn:aws:sts::999988887777:federated-user/other",
    "ec2.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "logs.us-east-1.amazonaws.com",
];

pub fn callers(rng: &mut Rng, n: usize) -> Vec<Who> {
    (0..n)
        .map(|_| Who {
            arn: rng.pick::<&str>(CALLERS),
            tags: match rng.below(4) {
                0 => vec![("team".into(), "blue".into())],
                1 => vec![("team".into(), "red".into())],
                2 => vec![("Team".into(), "BLUE".into())],
                _ => Vec::new(),
            },
            user_id: *rng.pick(&[
                None,
                None,
                Some("AIDAEXAMPLE1234567890"),
                Some("AROAEXAMPLE1234567890:s1"),
            ]),
            iam_allows: rng.chance(60),
            bounded: rng.chance(25),
        })
        .collect()
}

fn caller_of(arn: &str) -> Caller {
    if arn.ends_with(".amazonaws.com") {
        Caller::service(arn).unwrap()
    } else {
        Caller::from_arn(arn).unwrap()
    }
}

const ALLOW_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
const NO_KMS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]}"#;

fn config(
    name: String,
    caller: Caller,
    tags: &[(String, String)],
    iam_allows: bool,
    bounded: bool,
) -> PrincipalConfig {
    let service = caller.is_service();
    let root = caller.is_root();
    let federated = caller.arn().contains(":federated-user/");
    let mut c = PrincipalConfig::new(name, caller);
    if service || root {
        return c;
    }
    c.tags = tags.to_vec();
    if iam_allows {
        c.policies.push(doc("iam", ALLOW_ALL));
    }
    if federated {
        if !bounded {
            c.session_policy = Some(doc("session", ALLOW_ALL));
        }
    } else if bounded {
        c.permissions_boundary = Some(doc("boundary", NO_KMS));
    }
    c
}

pub const KEYS: &[&str] = &[
    "arn:aws:kms:us-east-1:111122223333:key/k1",
    "arn:aws:kms:eu-west-1:444455556666:key/mrk-abc",
    "arn:aws:kms:us-east-1:999988887777:key/k9",
];

/// An authorizer for `policy` on every key of [`KEYS`] (with random tags
/// and aliases fixed by `seed`), holding `who`.
pub fn world(policy: &PolicyDoc, who: &[Who], seed: u64) -> Authorizer {
    let mut rng = Rng::new(seed);
    let mut b = Authorizer::builder();
    b.clock(Arc::new(|| {
        Some(Instant::from_epoch_seconds(1_700_000_000))
    }));
    for (i, arn) in KEYS.iter().enumerate() {
        let mut k = KeyConfig::new(format!("k{i}"), *arn, policy.clone());
        if rng.chance(50) {
            k.tags
                .push(("env".into(), rng.pick(&["prod", "dev"]).to_string()));
        }
        if rng.chance(50) {
            k.aliases
                .push(rng.pick(&["alias/app", "alias/other"]).to_string());
        }
        b.add_key(k).unwrap();
    }
    for (i, w) in who.iter().enumerate() {
        let mut caller = caller_of(w.arn);
        if let (Some(id), false) = (w.user_id, caller.is_root() || caller.is_service()) {
            caller = caller.with_user_id(id);
        }
        b.add_principal(config(
            format!("w{i}"),
            caller,
            &w.tags,
            w.iam_allows,
            w.bounded,
        ));
    }
    b.build()
}

/// A random request in an authorizer built by [`world`].
pub fn request(rng: &mut Rng, auth: &Authorizer, callers: usize) -> Request {
    let principal = auth.principals().nth(rng.below(callers)).unwrap();
    let key = auth.keys().nth(rng.below(KEYS.len())).unwrap();
    let actions: Vec<KmsAction> = KmsAction::ALL
        .iter()
        .copied()
        .filter(|a| a.targets_key())
        .collect();
    // Mostly the actions the generated statements name, so requests meet them.
    let named = [
        KmsAction::Decrypt,
        KmsAction::Encrypt,
        KmsAction::CreateGrant,
        KmsAction::PutKeyPolicy,
        KmsAction::DescribeKey,
        KmsAction::GenerateDataKey,
        KmsAction::ReEncryptFrom,
        KmsAction::RetireGrant,
    ];
    let action = if rng.chance(80) {
        *rng.pick(&named)
    } else {
        *rng.pick(&actions)
    };
    let mut r = Request::new(principal, action, key).unwrap();
    let put = |r: Request, k: &str, values: &[Option<&str>], rng: &mut Rng| match *rng.pick(values)
    {
        Some(v) => r.with_context(k, v).unwrap(),
        None => r,
    };
    r = put(
        r,
        "kms:ViaService",
        &[
            None,
            Some("ec2.us-east-1.amazonaws.com"),
            Some("s3.us-east-1.amazonaws.com"),
            Some("S3.US-EAST-1.AMAZONAWS.COM"),
            Some("x"),
        ],
        rng,
    );
    r = put(
        r,
        "aws:PrincipalOrgID",
        &[None, Some("o-abc"), Some("o-xyz"), Some("o-other")],
        rng,
    );
    r = put(
        r,
        "aws:SourceIp",
        &[
            None,
            Some("10.1.2.3"),
            Some("10.2.0.1"),
            Some("192.168.0.1"),
            Some("2001:db8::1"),
            Some("garbage"),
        ],
        rng,
    );
    r = put(
        r,
        "aws:MultiFactorAuthAge",
        &[None, Some("10"), Some("3600"), Some("99999")],
        rng,
    );
    r = put(
        r,
        "kms:GrantIsForAWSResource",
        &[None, Some("true"), Some("false")],
        rng,
    );
    r = put(
        r,
        "aws:SecureTransport",
        &[None, Some("false"), Some("true")],
        rng,
    );
    r = put(
        r,
        "kms:RequestAlias",
        &[None, Some("alias/app"), Some("alias/other")],
        rng,
    );
    r = put(
        r,
        "aws:SourceAccount",
        &[
            None,
            Some("111122223333"),
            Some("444455556666"),
            Some("777766665555"),
            Some("999988887777"),
        ],
        rng,
    );
    r = put(
        r,
        "aws:SourceVpce",
        &[
            None,
            Some("Bob"),
            Some("vpce-1"),
            Some("Alice"),
            Some("nobody"),
            Some("Carol"),
        ],
        rng,
    );
    if rng.chance(50) {
        r = r.at(Instant::parse(
            rng.pick::<&str>(&["2022-06-01T00:00:00Z", "2024-06-01T00:00:00Z"]),
        )
        .unwrap());
    }
    if rng.chance(40) {
        r = r.in_region(rng.pick::<&str>(&["us-east-1", "eu-west-1", "blue", "red"]));
    }
    for _ in 0..rng.below(3) {
        let (k, v) = *rng.pick(&[
            ("Dept", "HR"),
            ("Dept", "Finance"),
            ("dept", "hr"),
            ("aws:x", "1"),
            ("Other", "HR"),
        ]);
        r = r.with_encryption_context(k, v);
    }
    r
}

/// The decision of a witness, replayed in an authorizer of its own built
/// from the witness's fields only.
pub fn replay(policy: &PolicyDoc, w: &Witness) -> Decision {
    let mut b = Authorizer::builder();
    b.clock(Arc::new(|| {
        Some(Instant::from_epoch_seconds(1_700_000_000))
    }));
    let mut k = KeyConfig::new("k", w.key.clone(), policy.clone());
    if let Some(props) = &w.key_class {
        k.tags.clone_from(&props.tags);
        k.aliases.clone_from(&props.aliases);
        k.key_spec.clone_from(&props.key_spec);
        k.key_usage.clone_from(&props.key_usage);
        k.origin = props.origin;
        k.multi_region_key_type
            .clone_from(&props.multi_region_key_type);
    }
    let _ = KeyOrigin::AwsKms;
    let key = b.add_key(k).unwrap();
    let mut caller = caller_of(&w.principal);
    if let Some(id) = &w.user_id {
        caller = caller.with_user_id(id);
    }
    let (iam, bounded) = w
        .caller_policies
        .map_or((true, false), |c| (c.iam_allows, c.bounded));
    let p = b.add_principal(config("p".into(), caller, &w.principal_tags, iam, bounded));
    let auth = b.build();
    let mut r = Request::new(p, w.action, key).unwrap();
    for (k, v) in &w.context {
        r = r.with_context(k, v.clone()).unwrap();
    }
    for (k, v) in &w.encryption_context {
        r = r.with_encryption_context(k, v);
    }
    if let Some(region) = &w.region {
        r = r.in_region(region);
    }
    let _ = ContextValue::One("".into());
    auth.decide(&r).decision()
}

/// A random identity-policy statement (no principal).
pub fn identity_statement(rng: &mut Rng) -> String {
    let s = statement(rng);
    let resources = [
        "\"Resource\": \"*\"",
        "\"Resource\": \"arn:aws:kms:*:111122223333:key/*\"",
        "\"Resource\": \"arn:aws:kms:us-east-1:*:key/k1\"",
        "\"Resource\": [\"arn:aws:kms:*:*:key/mrk-*\", \"arn:aws:kms:*:999988887777:key/*\"]",
        "\"NotResource\": \"arn:aws:kms:*:444455556666:key/*\"",
    ];
    let resource = *rng.pick(&resources);
    // Drop the principal element and put an identity-policy resource in.
    let start = s
        .find("\"Principal\"")
        .or_else(|| s.find("\"NotPrincipal\""))
        .unwrap_or(0);
    let action = s
        .find("\"Action\"")
        .or_else(|| s.find("\"NotAction\""))
        .unwrap_or(start);
    let mut out = format!("{}{}", &s[..start], &s[action..]);
    for old in [
        "\"Resource\": \"*\"",
        "\"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k1\"",
        "\"NotResource\": \"arn:aws:kms:*:444455556666:key/*\"",
    ] {
        if out.contains(old) {
            out = out.replacen(old, resource, 1);
            break;
        }
    }
    out
}

/// An authorizer in which the key policies delegate everything to IAM and
/// each caller holds the identity policy `policy`.
pub fn identity_world(policy: &PolicyDoc, who: &[Who], seed: u64) -> Authorizer {
    let delegate = doc(
        "delegate",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["111122223333", "444455556666", "999988887777", "777766665555"]}, "Action": "kms:*", "Resource": "*"}]}"#,
    );
    let mut rng = Rng::new(seed);
    let mut b = Authorizer::builder();
    b.clock(Arc::new(|| {
        Some(Instant::from_epoch_seconds(1_700_000_000))
    }));
    for (i, arn) in KEYS.iter().enumerate() {
        let mut k = KeyConfig::new(format!("k{i}"), *arn, delegate.clone());
        if rng.chance(50) {
            k.tags
                .push(("env".into(), rng.pick(&["prod", "dev"]).to_string()));
        }
        b.add_key(k).unwrap();
    }
    for (i, w) in who.iter().enumerate() {
        let mut caller = caller_of(w.arn);
        if let Some(id) = w.user_id {
            caller = caller.with_user_id(id);
        }
        let mut c = PrincipalConfig::new(format!("w{i}"), caller);
        c.tags = w.tags.clone();
        c.policies.push(policy.clone());
        b.add_principal(c);
    }
    b.build()
}

/// Callers an identity policy can belong to: users and roles.
pub fn identity_callers(rng: &mut Rng, n: usize) -> Vec<Who> {
    callers(rng, n * 3)
        .into_iter()
        .filter(|w| {
            w.arn.contains(":user/") || w.arn.contains(":role/") || w.arn.contains(":assumed-role/")
        })
        .take(n)
        .collect()
}

/// Replay an identity-policy witness.
pub fn replay_identity(policy: &PolicyDoc, w: &Witness) -> Decision {
    let who = Who {
        arn: Box::leak(w.principal.clone().into_boxed_str()),
        tags: w.principal_tags.clone(),
        user_id: w.user_id.clone().map(|s| &*Box::leak(s.into_boxed_str())),
        iam_allows: true,
        bounded: false,
    };
    let delegate = doc(
        "delegate",
        &format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "{}"}}, "Action": "kms:*", "Resource": "*"}}]}}"#,
            w.principal.split(':').nth(4).unwrap_or("")
        ),
    );
    let mut b = Authorizer::builder();
    b.clock(Arc::new(|| {
        Some(Instant::from_epoch_seconds(1_700_000_000))
    }));
    let mut k = KeyConfig::new("k", w.key.clone(), delegate);
    if let Some(props) = &w.key_class {
        k.tags.clone_from(&props.tags);
        k.aliases.clone_from(&props.aliases);
    }
    let key = b.add_key(k).unwrap();
    let mut caller = caller_of(who.arn);
    if let Some(id) = who.user_id {
        caller = caller.with_user_id(id);
    }
    let mut c = PrincipalConfig::new("p", caller);
    c.tags = who.tags.clone();
    c.policies.push(policy.clone());
    let p = b.add_principal(c);
    let auth = b.build();
    let mut r = Request::new(p, w.action, key).unwrap();
    for (k, v) in &w.context {
        r = r.with_context(k, v.clone()).unwrap();
    }
    for (k, v) in &w.encryption_context {
        r = r.with_encryption_context(k, v);
    }
    if let Some(region) = &w.region {
        r = r.in_region(region);
    }
    auth.decide(&r).decision()
}
