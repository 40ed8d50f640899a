//! Generating worlds and requests for the differential tests, from any
//! source of choices: proptest's bytes (`tests/tests/differential.rs`),
//! libFuzzer's bytes (`fuzz/fuzz_targets/differential.rs`) or a seeded PRNG.
//!
//! Everything is drawn from small pools of names, so that policies,
//! principals and requests collide often: two accounts, a handful of
//! users, roles, sessions and services, and condition keys the request
//! really has. Policies are generated as JSON text and parsed, so the text
//! is at hand to print when the engines disagree.

use keyward_policy::{parse_policy, Policy};

use super::world::{
    Caller, Constraint, Grant, Key, KeyOrigin, KeyState, NewGrant, Principal, Request, Value,
    World, GRANT_OPERATIONS,
};

/// A source of choices.
pub trait Choices {
    /// A number in `0..n` (`0` when `n` is 0).
    fn below(&mut self, n: usize) -> usize;

    /// True with about `percent` % probability.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One item of `items`.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T
    where
        Self: Sized,
    {
        let i = self.below(items.len());
        &items[i.min(items.len().saturating_sub(1))]
    }
}

/// Choices read from bytes (fuzzer or proptest input); zeros once they run
/// out, so shorter inputs mean simpler worlds.
#[derive(Debug)]
pub struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    /// Read choices from `data`.
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data, at: 0 }
    }
}

impl Choices for Bytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let mut x = 0usize;
        let bytes = if n <= 256 { 1 } else { 2 };
        for _ in 0..bytes {
            let b = self.data.get(self.at).copied().unwrap_or(0);
            self.at += 1;
            x = (x << 8) | b as usize;
        }
        x % n
    }
}

/// A small seeded PRNG (SplitMix64).
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
}

impl Choices for Rng {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n as u64) as usize
    }
}

/// The key account.
pub const A: &str = "111122223333";
/// Another account.
pub const B: &str = "444455556666";

const CALLERS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/dev/bob",
    "arn:aws:sts::111122223333:assumed-role/app/s1",
    "arn:aws:sts::111122223333:assumed-role/app/s2",
    "arn:aws:iam::111122223333:role/ops/app",
    "111122223333",
    "arn:aws:sts::111122223333:federated-user/fed",
    "arn:aws:iam::444455556666:user/carol",
    "arn:aws:sts::444455556666:assumed-role/xrole/s1",
    "arn:aws:sts::444455556666:assumed-role/app/s1",
    "arn:aws:iam::444455556666:root",
    "service:s3.amazonaws.com",
    "service:logs.amazonaws.com",
];

/// `AWS` principal values a policy may name.
const AWS_PRINCIPALS: &[&str] = &[
    "*",
    "111122223333",
    "444455556666",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:root",
    "arn:aws-cn:iam::111122223333:root",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/dev/bob",
    "arn:aws:iam::111122223333:user/bob",
    "arn:aws:iam::111122223333:user/Alice",
    "arn:aws:iam::444455556666:user/carol",
    "arn:aws:iam::111122223333:role/ops/app",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::444455556666:role/xrole",
    "arn:aws:iam::444455556666:role/app",
    "arn:aws:sts::111122223333:assumed-role/app/s1",
    "arn:aws:sts::444455556666:assumed-role/xrole/s1",
    "arn:aws:sts::111122223333:federated-user/fed",
    "AIDAJQABLZS4A3QDU576Q",
];

const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:DescribeKey",
    "kms:CreateGrant",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:EnableKeyRotation",
    "kms:GetKeyRotationStatus",
    "kms:ImportKeyMaterial",
    "kms:GetParametersForImport",
    "kms:DeleteImportedKeyMaterial",
    "kms:Sign",
    "kms:GenerateMac",
    "kms:DisableKey",
    "kms:TagResource",
    "kms:GetPublicKey",
    "kms:DeriveSharedSecret",
    "kms:ReplicateKey",
    "kms:UpdatePrimaryRegion",
    "kms:ListGrants",
    "kms:CreateAlias",
];

const ACTION_PATTERNS: &[&str] = &[
    "kms:*",
    "kms:*",
    "*",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:Re*",
    "kms:*Key*",
    "kms:Describe*",
    "kms:Generate?ataKey*",
    "KMS:decrypt",
    "kms:CreateGrant",
    "kms:RetireGrant",
    "kms:*Grant*",
    "s3:*",
    "kms:De*t",
    "kms:Get*",
];

const RESOURCES: &[&str] = &[
    "*",
    "*",
    "arn:aws:kms:us-east-1:111122223333:key/k0",
    "arn:aws:kms:*:111122223333:key/*",
    "arn:aws:kms:us-east-1:111122223333:key/?0",
    "arn:aws:kms:eu-west-1:*:*",
    "arn:aws:kms:us-east-1:111122223333:key/${aws:username}",
    "arn:aws:kms:*:${aws:PrincipalAccount}:key/*",
    "arn:aws:kms:*:*:key/${aws:PrincipalTag/team, 'k0'}",
    "arn:aws:kms:us-east-1:111122223333:alias/*",
    "arn:aws:kms:us-east-1:111122223333:key/mrk-*",
    "arn:aws:s3:::bucket",
];

/// (condition key, type of the values it usually gets).
const CONDITION_KEYS: &[&str] = &[
    "kms:CallerAccount",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:username",
    "aws:userid",
    "aws:PrincipalTag/team",
    "aws:principaltag/TEAM",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalServiceName",
    "aws:RequestedRegion",
    "aws:CurrentTime",
    "aws:EpochTime",
    "kms:EncryptionContext:app",
    "kms:EncryptionContext:Dept",
    "kms:EncryptionContextKeys",
    "kms:RequestAlias",
    "aws:ResourceTag/env",
    "kms:ResourceAliases",
    "kms:KeySpec",
    "kms:KeyOrigin",
    "kms:MultiRegion",
    "kms:MultiRegionKeyType",
    "aws:SecureTransport",
    "aws:ViaAWSService",
    "kms:ViaService",
    "aws:SourceIp",
    "aws:SourceVpce",
    "aws:MultiFactorAuthAge",
    "kms:GrantOperations",
    "kms:GranteePrincipal",
    "kms:GrantIsForAWSResource",
    "aws:SourceArn",
    "aws:PrincipalOrgID",
];

/// Keys whose values vary from request to request in the generated worlds.
const HOT_CONDITION_KEYS: &[&str] = &[
    "kms:EncryptionContextKeys",
    "kms:EncryptionContext:app",
    "aws:PrincipalTag/team",
    "aws:PrincipalArn",
    "kms:CallerAccount",
    "aws:SourceVpce",
    "kms:ViaService",
    "aws:username",
];

const STRING_VALUES: &[&str] = &[
    "111122223333",
    "444455556666",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/ops/app",
    "arn:aws:iam::*:role/*",
    "arn:aws:iam::111122223333:*",
    "alice",
    "User",
    "AssumedRole",
    "web",
    "Web",
    "w*",
    "?eb",
    "*",
    "",
    "us-east-1",
    "eu-*",
    "SYMMETRIC_DEFAULT",
    "AWS_KMS",
    "true",
    "false",
    "Decrypt",
    "Encrypt",
    "s3.us-east-1.amazonaws.com",
    "s3.*.amazonaws.com",
    "alias/app",
    "alias/*",
    "app",
    "Dept",
    "vpce-1",
    "10.1.2.3",
    "${aws:username}",
    "${aws:PrincipalTag/team}",
    "${aws:PrincipalTag/team, 'web'}",
    "${kms:CallerAccount}",
    "${aws:PrincipalAccount}",
    "arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}",
    "x${*}y",
    "w${*}",
    "${*}",
    "${?}eb",
    "${kms:EncryptionContextKeys}",
    "${aws:SourceVpce}",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::*",
    "foo",
    "2025-01-01T00:00:00Z",
];

const NUMERIC_VALUES: &[&str] = &["-1", "0", "5", "3600", "1e3", "1735689600", "0.5"];
const DATE_VALUES: &[&str] = &[
    "\"2020-01-01T00:00:00Z\"",
    "\"2025-01-01T00:00:00Z\"",
    "\"2030-06-01\"",
    "\"1735689600\"",
    "1735689601",
];
const IP_VALUES: &[&str] = &["10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "0.0.0.0/0"];

/// Operators by name, with the kind of values they take.
const OPERATORS: &[(&str, char)] = &[
    ("StringEquals", 's'),
    ("StringNotEquals", 's'),
    ("StringEqualsIgnoreCase", 's'),
    ("StringNotEqualsIgnoreCase", 's'),
    ("StringLike", 's'),
    ("StringNotLike", 's'),
    ("ArnEquals", 's'),
    ("ArnLike", 's'),
    ("ArnNotEquals", 's'),
    ("ArnNotLike", 's'),
    ("NumericEquals", 'n'),
    ("NumericNotEquals", 'n'),
    ("NumericLessThan", 'n'),
    ("NumericLessThanEquals", 'n'),
    ("NumericGreaterThan", 'n'),
    ("NumericGreaterThanEquals", 'n'),
    ("DateEquals", 'd'),
    ("DateNotEquals", 'd'),
    ("DateLessThan", 'd'),
    ("DateLessThanEquals", 'd'),
    ("DateGreaterThan", 'd'),
    ("DateGreaterThanEquals", 'd'),
    ("Bool", 'b'),
    ("BinaryEquals", 'x'),
    ("IpAddress", 'i'),
    ("NotIpAddress", 'i'),
    ("Null", 'z'),
];

fn pick_str<'a>(c: &mut impl Choices, items: &[&'a str]) -> &'a str {
    let i = c.below(items.len());
    items.get(i).copied().unwrap_or("")
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn one_or_list(c: &mut impl Choices, items: Vec<String>) -> String {
    if items.len() == 1 && c.chance(60) {
        items[0].clone()
    } else {
        format!("[{}]", items.join(","))
    }
}

fn some<T: Clone>(c: &mut impl Choices, pool: &[T], max: usize) -> Vec<T> {
    let n = 1 + c.below(max);
    (0..n).map(|_| c.pick(pool).clone()).collect()
}

/// Values that mean something for `key`: drawn most of the time, so that
/// conditions hold or fail for the right reasons.
fn values_for(key: &str) -> &'static [&'static str] {
    match key.to_ascii_lowercase().as_str() {
        "kms:calleraccount" | "aws:principalaccount" => &[
            "111122223333",
            "444455556666",
            "1111*",
            "${aws:PrincipalAccount}",
        ],
        "aws:principalarn" => &[
            "arn:aws:iam::111122223333:role/app",
            "arn:aws:iam::111122223333:role/ops/app",
            "arn:aws:iam::*:role/app",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:sts::111122223333:assumed-role/app/s1",
            "arn:aws:iam::444455556666:*",
            "arn:aws:iam::${aws:PrincipalAccount}:role/app",
        ],
        "aws:principaltype" => &["User", "AssumedRole", "Account", "FederatedUser"],
        "aws:username" => &["alice", "bob", "a*", "${aws:PrincipalTag/team}"],
        "aws:userid" => &["111122223333", "111122223333:fed", "AIDA*", "*:fed"],
        "aws:principaltag/team" => &["web", "Web", "w*", "w${*}", "ops", "${aws:username}"],
        "aws:principalisawsservice"
        | "kms:multiregion"
        | "aws:securetransport"
        | "aws:viaawsservice"
        | "kms:grantisforawsresource" => &["true", "false", "True"],
        "aws:principalservicename" => &["s3.amazonaws.com", "*.amazonaws.com"],
        "aws:requestedregion" => &["us-east-1", "eu-*", "eu-west-1"],
        "aws:currenttime" | "aws:epochtime" => {
            &["2025-01-01T00:00:00Z", "1735689600", "2025-*", "17*"]
        }
        "kms:encryptioncontext:app" | "kms:encryptioncontext:dept" => &[
            "web",
            "Web",
            "hr",
            "1",
            "w*",
            "${aws:username}",
            "${aws:PrincipalTag/team, 'web'}",
        ],
        "kms:encryptioncontextkeys" => &["app", "App", "dept", "Dept", "x", "a*", "*"],
        "kms:requestalias" | "kms:resourcealiases" => &["alias/app", "alias/*", "alias/other"],
        "aws:resourcetag/env" => &["prod", "dev", "p*"],
        "kms:keyspec" => &["SYMMETRIC_DEFAULT", "RSA_*", "HMAC_256"],
        "kms:keyorigin" => &["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM"],
        "kms:multiregionkeytype" => &["PRIMARY", "REPLICA"],
        "kms:viaservice" => &[
            "s3.us-east-1.amazonaws.com",
            "s3.*.amazonaws.com",
            "ec2.us-east-1.amazonaws.com",
        ],
        "aws:sourcevpce" => &["vpce-1", "vpce-2", "vpce-*"],
        "kms:grantoperations" => &["Decrypt", "Encrypt", "CreateGrant", "RetireGrant", "*"],
        "kms:granteeprincipal" => &[
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:*",
            "s3.amazonaws.com",
        ],
        "aws:sourcearn" => &["arn:aws:s3:::bucket", "arn:aws:s3:::*", "foo"],
        "aws:principalorgid" => &["o-123", "o-*"],
        _ => STRING_VALUES,
    }
}

fn condition_entry(c: &mut impl Choices) -> String {
    let (op, kind) = *c.pick(OPERATORS);
    let qualifier = match (kind, c.below(6)) {
        ('z', _) => "",
        (_, 0) => "ForAllValues:",
        (_, 1) => "ForAnyValue:",
        _ => "",
    };
    let if_exists = if kind != 'z' && c.chance(15) {
        "IfExists"
    } else {
        ""
    };
    // Half the time, a key every request has a say in.
    let key = if c.chance(50) {
        pick_str(c, HOT_CONDITION_KEYS)
    } else {
        pick_str(c, CONDITION_KEYS)
    };
    let values: Vec<String> = match kind {
        's' => {
            let pool = if c.chance(70) {
                values_for(key)
            } else {
                STRING_VALUES
            };
            some(c, pool, 2).iter().map(|v| json_str(v)).collect()
        }
        'n' => some(c, NUMERIC_VALUES, 2)
            .iter()
            .map(|v| v.to_string())
            .collect(),
        'd' => some(c, DATE_VALUES, 2)
            .iter()
            .map(|v| v.to_string())
            .collect(),
        'b' | 'z' => some(c, &["true", "false", "\"true\""], 1)
            .iter()
            .map(|v| v.to_string())
            .collect(),
        'x' => vec![json_str(pick_str(c, &["QUJD", "dHJ1ZQ=="]))],
        _ => some(c, IP_VALUES, 2).iter().map(|v| json_str(v)).collect(),
    };
    format!(
        "{}:{{{}:{}}}",
        json_str(&format!("{qualifier}{op}{if_exists}")),
        json_str(key),
        one_or_list(c, values)
    )
}

fn conditions(c: &mut impl Choices, percent: usize) -> String {
    if !c.chance(percent) {
        return String::new();
    }
    // Distinct operators (a JSON object cannot repeat one).
    let mut entries: Vec<String> = Vec::new();
    for _ in 0..1 + c.below(2) {
        let e = condition_entry(c);
        let op = e.split(':').next().unwrap_or("").to_string();
        if !entries.iter().any(|x| x.starts_with(&op)) {
            entries.push(e);
        }
    }
    format!(",\"Condition\":{{{}}}", entries.join(","))
}

fn principal_element(c: &mut impl Choices) -> String {
    let not = if c.chance(8) { "Not" } else { "" };
    let value = match c.below(10) {
        0 => "\"*\"".to_string(),
        1 => format!(
            "{{\"Service\":{}}}",
            json_str(pick_str(
                c,
                &["s3.amazonaws.com", "logs.amazonaws.com", "*"]
            ))
        ),
        2 => format!(
            "{{\"AWS\":{},\"Service\":\"s3.amazonaws.com\"}}",
            json_str(pick_str(c, AWS_PRINCIPALS))
        ),
        3 => "{\"Federated\":\"cognito-identity.amazonaws.com\"}".to_string(),
        _ => {
            let items = some(c, AWS_PRINCIPALS, 3)
                .iter()
                .map(|v| json_str(v))
                .collect();
            format!("{{\"AWS\":{}}}", one_or_list(c, items))
        }
    };
    format!(",\"{not}Principal\":{value}")
}

fn action_element(c: &mut impl Choices) -> String {
    let not = if c.chance(10) { "Not" } else { "" };
    let items = some(c, ACTION_PATTERNS, 3)
        .iter()
        .map(|v| json_str(v))
        .collect();
    format!(",\"{not}Action\":{}", one_or_list(c, items))
}

fn resource_element(c: &mut impl Choices, key_policy: bool) -> String {
    if key_policy && c.chance(3) {
        return String::new(); // no Resource: the statement has no effect
    }
    let not = if c.chance(8) { "Not" } else { "" };
    let items = some(c, RESOURCES, 2).iter().map(|v| json_str(v)).collect();
    format!(",\"{not}Resource\":{}", one_or_list(c, items))
}

/// A statement as people write them: delegation to an account, a broad
/// grant to a named principal, or an identity policy's plain allow.
fn typical_statement(c: &mut impl Choices, with_principal: bool) -> String {
    if with_principal {
        let who = pick_str(
            c,
            &[
                "\"111122223333\"",
                "\"arn:aws:iam::111122223333:root\"",
                "\"arn:aws:iam::444455556666:root\"",
                "[\"arn:aws:iam::111122223333:user/alice\",\"arn:aws:iam::111122223333:role/app\"]",
                "\"arn:aws:iam::444455556666:user/carol\"",
                "\"*\"",
            ],
        );
        let action = pick_str(
            c,
            &[
                "\"kms:*\"",
                "[\"kms:Decrypt\",\"kms:Encrypt\",\"kms:DescribeKey\"]",
                "\"kms:*Grant*\"",
            ],
        );
        format!(
            "{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":{who}}},\"Action\":{action},\"Resource\":\"*\"{}}}",
            conditions(c, 10)
        )
    } else {
        let action = pick_str(
            c,
            &[
                "\"kms:*\"",
                "\"kms:*\"",
                "[\"kms:Decrypt\",\"kms:Encrypt\",\"kms:RetireGrant\"]",
                "\"kms:Describe*\"",
            ],
        );
        let resource = pick_str(
            c,
            &[
                "\"*\"",
                "\"arn:aws:kms:*:111122223333:key/*\"",
                "\"arn:aws:kms:us-east-1:111122223333:key/k0\"",
            ],
        );
        format!(
            "{{\"Effect\":\"Allow\",\"Action\":{action},\"Resource\":{resource}{}}}",
            conditions(c, 10)
        )
    }
}

fn statement(c: &mut impl Choices, with_principal: bool, deny_percent: usize) -> String {
    if c.chance(40) {
        return typical_statement(c, with_principal);
    }
    let effect = if c.chance(deny_percent) {
        "Deny"
    } else {
        "Allow"
    };
    let principal = if with_principal {
        principal_element(c)
    } else {
        String::new()
    };
    format!(
        "{{\"Effect\":\"{effect}\"{principal}{}{}{}}}",
        action_element(c),
        resource_element(c, with_principal),
        conditions(c, 25)
    )
}

fn policy_text(
    c: &mut impl Choices,
    max_statements: usize,
    with_principal: bool,
    deny_percent: usize,
) -> String {
    let statements = 1 + c.below(max_statements);
    let version = match c.below(10) {
        0 => "\"Version\":\"2008-10-17\",",
        1 => "",
        _ => "\"Version\":\"2012-10-17\",",
    };
    let list: Vec<String> = (0..statements)
        .map(|_| statement(c, with_principal, deny_percent))
        .collect();
    format!("{{{version}\"Statement\":[{}]}}", list.join(","))
}

#[allow(
    clippy::panic,
    reason = "a generator bug must stop the test, showing the text"
)]
fn parse(text: &str) -> Policy {
    match parse_policy(text) {
        Ok(p) => p,
        // The pools only hold valid elements: a failure is a bug here.
        Err(d) => {
            let codes: Vec<String> = d
                .iter()
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect();
            panic!("generated an invalid policy:\n{text}\n{codes:#?}")
        }
    }
}

/// A generated world, with the text of every policy for failure reports.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The world.
    pub world: World,
    /// `(name, text)` of every policy.
    pub texts: Vec<(String, String)>,
}

fn caller_of(text: &str) -> Caller {
    match text.strip_prefix("service:") {
        Some(name) => Caller::service(name),
        None => Caller::parse(text).unwrap_or_else(|| Caller::service("s3.amazonaws.com")),
    }
}

fn pairs(c: &mut impl Choices, max: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for _ in 0..c.below(max + 1) {
        let k = c.pick(&["app", "App", "dept", "Dept", "x"]).to_string();
        let v = c.pick(&["web", "Web", "hr", "1"]).to_string();
        if !out.iter().any(|(ok, _)| *ok == k) {
            out.push((k, v));
        }
    }
    out
}

fn constraint(c: &mut impl Choices) -> Option<Constraint> {
    match c.below(4) {
        0 => Some(Constraint::Equals(pairs(c, 2))),
        1 => Some(Constraint::Subset(pairs(c, 2))),
        _ => None,
    }
}

fn grant_ops(c: &mut impl Choices) -> Vec<String> {
    let mut ops: Vec<String> = Vec::new();
    let preferred = [
        "Decrypt",
        "Encrypt",
        "DescribeKey",
        "CreateGrant",
        "RetireGrant",
        "GenerateDataKey",
    ];
    for _ in 0..1 + c.below(4) {
        let op = if c.chance(70) {
            *c.pick(&preferred)
        } else {
            *c.pick(&GRANT_OPERATIONS)
        };
        if !ops.iter().any(|o| o == op) {
            ops.push(op.to_string());
        }
    }
    ops
}

fn grantee(c: &mut impl Choices) -> String {
    c.pick(&[
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:user/dev/bob",
        "arn:aws:iam::111122223333:role/app",
        "arn:aws:sts::111122223333:assumed-role/app/s1",
        "arn:aws:iam::111122223333:root",
        "111122223333",
        "arn:aws:iam::444455556666:user/carol",
        "arn:aws:iam::444455556666:root",
        "arn:aws:sts::111122223333:federated-user/fed",
        "s3.amazonaws.com",
    ])
    .to_string()
}

/// Make `key` the AWS managed key of S3 or EBS, with the key policy the KMS
/// guide shows for AWS managed keys (spec rule 35): use through the service
/// by the account's principals, metadata and RevokeGrant for the account.
fn aws_managed(key: &mut Key, c: &mut impl Choices, texts: &mut Vec<(String, String)>) {
    let (alias, via) = *c.pick(&[("alias/aws/s3", "s3"), ("alias/aws/ebs", "ec2")]);
    let (region, account) = key.region_and_account();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:CreateGrant","kms:DescribeKey"],"Resource":"*","Condition":{{"StringEquals":{{"kms:ViaService":"{via}.{region}.amazonaws.com","kms:CallerAccount":"{account}"}}}}}},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":["kms:Describe*","kms:Get*","kms:List*","kms:RevokeGrant"],"Resource":"*"}}]}}"#
    );
    key.policy = parse(&text);
    key.aws_managed = true;
    key.aliases = vec![alias.to_string()];
    key.state = KeyState::Enabled;
    key.origin = KeyOrigin::AwsKms;
    key.key_spec = "SYMMETRIC_DEFAULT".into();
    key.key_usage = "ENCRYPT_DECRYPT".into();
    texts.push((format!("{} key policy (AWS managed)", key.name), text));
}

/// An endpoint policy: a statement or two, with `Principal`.
fn endpoint_policy(c: &mut impl Choices, texts: &mut Vec<(String, String)>, id: &str) -> Policy {
    let text = if c.chance(30) {
        // The default endpoint policy: full access.
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#
            .to_string()
    } else {
        policy_text(c, 2, true, 25)
    };
    let policy = parse(&text);
    texts.push((format!("{id} endpoint policy"), text));
    policy
}

/// Generate a world: 1–3 keys, 2–6 principals, grants, sometimes
/// boundaries, session policies, SCPs, RCPs and VPC endpoint policies.
pub fn world(c: &mut impl Choices) -> Generated {
    let mut texts = Vec::new();
    let mut keys = Vec::new();
    let key_ids = ["k0", "mrk-1", "k2"];
    for (i, id) in key_ids.iter().enumerate().take(1 + c.below(3)) {
        let (region, account) = if i == 2 && c.chance(50) {
            ("eu-west-1", B)
        } else {
            ("us-east-1", A)
        };
        let arn = format!("arn:aws:kms:{region}:{account}:key/{id}");
        let text = policy_text(c, 4, true, 20);
        let mut key = Key::new(&format!("K{i}"), &arn, parse(&text));
        texts.push((format!("K{i} key policy"), text));
        key.origin = *c.pick(&[
            KeyOrigin::AwsKms,
            KeyOrigin::AwsKms,
            KeyOrigin::External,
            KeyOrigin::AwsCloudHsm,
            KeyOrigin::ExternalKeyStore,
        ]);
        // States the origin allows (rule 28).
        let states: Vec<KeyState> = KeyState::ALL
            .into_iter()
            .filter(|s| match s {
                KeyState::PendingImport => key.origin == KeyOrigin::External,
                KeyState::Unavailable => matches!(
                    key.origin,
                    KeyOrigin::AwsCloudHsm | KeyOrigin::ExternalKeyStore
                ),
                _ => true,
            })
            .collect();
        key.state = if c.chance(60) {
            KeyState::Enabled
        } else {
            *c.pick(&states)
        };
        // A spec and a usage CreateKey accepts (the key spec reference).
        let (spec, usage) = *c.pick(&[
            ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
            ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
            ("RSA_2048", "ENCRYPT_DECRYPT"),
            ("RSA_2048", "SIGN_VERIFY"),
            ("HMAC_256", "GENERATE_VERIFY_MAC"),
            ("ECC_NIST_P256", "KEY_AGREEMENT"),
            ("ECC_SECG_P256K1", "SIGN_VERIFY"),
        ]);
        key.key_spec = spec.to_string();
        key.key_usage = usage.to_string();
        if id.starts_with("mrk-") {
            key.multi_region_key_type = Some(c.pick(&["PRIMARY", "REPLICA"]).to_string());
        }
        if c.chance(40) {
            // An alias names one key per account and Region.
            key.aliases = vec![if i == 0 {
                "alias/app".into()
            } else {
                format!("alias/app-{i}")
            }];
        }
        if c.chance(40) {
            key.tags = vec![("env".into(), c.pick(&["prod", "dev"]).to_string())];
        }
        if c.chance(2) {
            // Reserved for AWS managed keys: the world is refused.
            key.aliases.push("alias/aws/s3".into());
        }
        if i == 2 && account == A && c.chance(30) {
            aws_managed(&mut key, c, &mut texts);
        }
        keys.push(key);
    }
    let mut principals = Vec::new();
    for i in 0..2 + c.below(5) {
        let caller = caller_of(pick_str(c, CALLERS));
        let mut p = Principal::new(&format!("P{i}"), caller.clone());
        let service = matches!(caller, Caller::Service { .. });
        let root = matches!(caller, Caller::Root { .. });
        if !service && !root {
            for j in 0..c.below(3) {
                let text = policy_text(c, 2, false, 15);
                p.policies.push(parse(&text));
                texts.push((format!("P{i} IAM policy {j}"), text));
            }
            if c.chance(15) {
                let text = policy_text(c, 1, false, 10);
                p.boundary = Some(parse(&text));
                texts.push((format!("P{i} boundary"), text));
            }
            let session_like = matches!(
                caller,
                Caller::Session { .. } | Caller::Role { .. } | Caller::FederatedUser { .. }
            );
            if session_like && c.chance(30) {
                let text = policy_text(c, 1, false, 10);
                p.session_policy = Some(parse(&text));
                texts.push((format!("P{i} session policy"), text));
            }
            if c.chance(50) {
                p.tags = vec![(
                    "team".into(),
                    c.pick(&["web", "Web", "ops", "k0"]).to_string(),
                )];
            }
        }
        principals.push(p);
    }
    let mut grants = Vec::new();
    for _ in 0..c.below(4) {
        grants.push(Grant {
            key: c.below(keys.len()),
            grantee: grantee(c),
            operations: grant_ops(c),
            constraints: constraint(c),
            retiring_principal: c.chance(30).then(|| grantee(c)),
            issuing_account: c.chance(15).then(|| B.to_string()),
        });
    }
    let mut scps = Vec::new();
    let mut rcps = Vec::new();
    for (label, with_principal, account) in [("SCP", false, A), ("SCP", false, B), ("RCP", true, A)]
    {
        if c.chance(12) {
            let mut levels = Vec::new();
            for l in 0..1 + c.below(2) {
                let mut level = Vec::new();
                for j in 0..1 + c.below(2) {
                    let text = if c.chance(50) {
                        // The managed "full access" policy, as attached by default.
                        let p = if with_principal {
                            ",\"Principal\":\"*\""
                        } else {
                            ""
                        };
                        format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\"{p},\"Action\":\"*\",\"Resource\":\"*\"}}]}}")
                    } else if with_principal {
                        // RCPs name `*` as the principal.
                        let s = format!(
                            "{{\"Effect\":\"{}\",\"Principal\":\"*\"{}{}{}}}",
                            if c.chance(40) { "Deny" } else { "Allow" },
                            action_element(c),
                            resource_element(c, false),
                            conditions(c, 40)
                        );
                        format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{s}]}}")
                    } else {
                        policy_text(c, 2, false, 30)
                    };
                    level.push(parse(&text));
                    texts.push((format!("{label} {account} level {l} policy {j}"), text));
                }
                levels.push(level);
            }
            let list = if with_principal { &mut rcps } else { &mut scps };
            list.push((account.to_string(), levels));
        }
    }
    let mut endpoints = Vec::new();
    for id in ["vpce-1", "vpce-2"] {
        if c.chance(15) {
            endpoints.push((id.to_string(), endpoint_policy(c, &mut texts, id)));
        }
    }
    Generated {
        world: World {
            keys,
            principals,
            grants,
            scps,
            rcps,
            endpoints,
        },
        texts,
    }
}

/// Generate a request against `world`.
pub fn request(c: &mut impl Choices, world: &World) -> Request {
    let action = *c.pick(ACTIONS);
    let mut r = Request::new(
        c.below(world.principals.len()),
        action,
        c.below(world.keys.len()),
    );
    r.encryption_context = pairs(c, 2);
    if c.chance(30) {
        r.region = Some(c.pick(&["us-east-1", "eu-west-1"]).to_string());
    }
    r.time = *c.pick(&[1_577_836_800, 1_735_689_600, 1_735_689_601, 1_900_000_000]);
    // Mostly where the operation takes an alias; now and then where it
    // does not (the request then finds no key).
    let alias_percent = if super::decide::takes_alias(action) {
        25
    } else {
        3
    };
    if c.chance(alias_percent) {
        r.alias = Some(c.pick(&["alias/app", "alias/other"]).to_string());
    }
    let user_keys: [(&str, &[&str]); 9] = [
        (
            "kms:ViaService",
            &["s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"],
        ),
        (
            "aws:SourceIp",
            &["10.1.2.3", "192.0.2.1", "not-an-ip", "2001:db8::1"],
        ),
        ("aws:MultiFactorAuthAge", &["30", "7200", "abc"]),
        ("aws:SourceArn", &["arn:aws:s3:::bucket", "foo"]),
        ("aws:SecureTransport", &["false", "true"]),
        ("aws:PrincipalOrgID", &["o-123", "o-456"]),
        ("aws:SourceVpce", &["vpce-1", "vpce-2", "vpce-3"]),
        ("aws:SourceAccount", &["111122223333", "444455556666"]),
        // Derived from kms:ViaService unless given.
        ("kms:GrantIsForAWSResource", &["true", "false", "maybe"]),
    ];
    for (key, values) in user_keys {
        let percent = match key {
            "aws:SourceVpce" => 30,
            "kms:GrantIsForAWSResource" => 5,
            _ => 12,
        };
        if c.chance(percent) {
            // Several values for a single-valued key: a request that cannot
            // exist, which both engines must refuse.
            let value = if key == "aws:SourceVpce" && c.chance(8) {
                Value::Many(some(c, values, 2).iter().map(|s| s.to_string()).collect())
            } else {
                Value::One(c.pick(values).to_string())
            };
            r.context.push((key.to_string(), value));
        }
    }
    if action == "kms:CreateGrant" && c.chance(80) {
        r.new_grant = Some(NewGrant {
            grantee: grantee(c),
            operations: grant_ops(c),
            constraints: constraint(c),
            retiring_principal: c.chance(30).then(|| grantee(c)),
        });
    }
    if action == "kms:RetireGrant" && !world.grants.is_empty() && c.chance(60) {
        r.grant = Some(c.below(world.grants.len()));
    }
    r
}
