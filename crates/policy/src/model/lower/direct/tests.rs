//! The direct path against the tree path: the same model, span for span, and
//! the same diagnostics, on arbitrary and on policy-shaped text; and it
//! takes every valid policy (it gives up only where the tree path reports).

use proptest::prelude::*;

use super::parse_valid;
use crate::json::ParseOptions;
use crate::{parse_policy_via_tree, parse_policy_with, PolicyParse};

/// Everything about a result, spans included (`Spanned` equality ignores
/// them; its `Debug` shows them).
fn exact(parse: &PolicyParse) -> String {
    format!("{parse:#?}")
}

/// The laws, for one text under one set of limits.
fn check(text: &str, options: &ParseOptions) -> Result<(), TestCaseError> {
    let tree = parse_policy_via_tree(text, options);
    let valid = tree.policy.is_some();
    match parse_valid(text, options) {
        Some(direct) => {
            prop_assert!(
                valid,
                "direct path took an invalid text:\n{text}\n{tree:#?}"
            );
            prop_assert_eq!(exact(&direct), exact(&tree), "{}", text);
        }
        None => prop_assert!(
            !valid,
            "direct path gave up on a valid policy:\n{text}\n{tree:#?}"
        ),
    }
    prop_assert_eq!(
        exact(&parse_policy_with(text, options)),
        exact(&tree),
        "{}",
        text
    );
    Ok(())
}

/// Default limits, and tight ones that the direct path must respect too.
fn check_all_limits(text: &str, depth: usize) -> Result<(), TestCaseError> {
    check(text, &ParseOptions::default())?;
    check(
        text,
        &ParseOptions {
            max_depth: depth,
            ..ParseOptions::default()
        },
    )?;
    check(
        text,
        &ParseOptions {
            max_size: text.len().saturating_sub(1),
            max_diagnostics: 1,
            ..ParseOptions::default()
        },
    )
}

/// A JSON document with members in a chosen order (duplicates allowed).
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    Num(&'static str),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn s(text: &str) -> J {
    J::Str(text.to_string())
}

/// How to write a document: `ws` picks the whitespace of each gap and
/// `escape` which characters of strings to write as `\uXXXX`, cyclically.
struct Style {
    ws: Vec<u8>,
    escape: Vec<bool>,
    at: usize,
}

impl Style {
    fn pick(&mut self) -> usize {
        self.at += 1;
        self.at
    }

    fn gap(&mut self, out: &mut String) {
        let i = self.pick();
        if self.ws.is_empty() {
            return;
        }
        out.push_str(match self.ws[i % self.ws.len()] % 6 {
            0..=2 => "",
            3 => " ",
            4 => "\n    ",
            _ => "\r\n\t",
        });
    }

    fn string(&mut self, text: &str, out: &mut String) {
        out.push('"');
        for c in text.chars() {
            let i = self.pick();
            let escape = !self.escape.is_empty() && self.escape[i % self.escape.len()];
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 || (escape && (c as u32) < 0x10000) => {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    fn write(&mut self, value: &J, out: &mut String) {
        self.gap(out);
        match value {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(text) => self.string(text, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.write(item, out);
                }
                self.gap(out);
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (key, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.gap(out);
                    self.string(key, out);
                    self.gap(out);
                    out.push(':');
                    self.write(item, out);
                }
                self.gap(out);
                out.push('}');
            }
        }
        self.gap(out);
    }
}

fn render(value: &J, ws: Vec<u8>, escape: Vec<bool>) -> String {
    let mut out = String::new();
    Style { ws, escape, at: 0 }.write(value, &mut out);
    out
}

/// Mostly one of `valid`, rarely one of `invalid`: most generated policies
/// are valid (and take the direct path), the rest have a mistake or two.
fn pick(valid: &'static [&'static str], invalid: &'static [&'static str]) -> BoxedStrategy<J> {
    if invalid.is_empty() {
        return proptest::sample::select(valid).prop_map(s).boxed();
    }
    prop_oneof![
        40 => proptest::sample::select(valid).prop_map(s),
        1 => proptest::sample::select(invalid).prop_map(s),
    ]
    .boxed()
}

/// A string or a list of strings, rarely empty or of another type.
fn list(items: BoxedStrategy<J>) -> BoxedStrategy<J> {
    prop_oneof![
        30 => items.clone(),
        30 => proptest::collection::vec(items.clone(), 1..4).prop_map(J::Arr),
        1 => Just(J::Arr(Vec::new())),
        1 => Just(J::Num("7")),
        1 => proptest::collection::vec(prop_oneof![items, Just(J::Null)], 1..3).prop_map(J::Arr),
    ]
    .boxed()
}

const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "*",
    "kms:*",
    "s3:Get?bject",
    "KMS:ReEncrypt*",
    "iam:PassRole",
    "application-autoscaling:Describe*",
    "Elastic-LoadBalancing:Describe*",
    "s3:G\u{e9}t*",
];
const BAD_ACTIONS: &[&str] = &[
    "bad",
    "",
    "kms:",
    ":x",
    "kms:a b",
    "kms:a:b",
    "k s:x",
    "kms:a\u{2003}b",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:kms:us-east-1:111122223333:key/1234",
    "arn:aws:s3:::bucket/${aws:username}/*",
    "arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}",
    "arn:aws:s3:::x${*}y${?}${$}",
    "arn:aws:s3:::plain",
];
const BAD_RESOURCES: &[&str] = &[
    "arn:aws:s3:::broken/${aws:username",
    "arn:aws:s3:::${a b}",
    "arn:aws:s3",
    "key/1234",
];

const AWS_PRINCIPALS: &[&str] = &[
    "*",
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:role/Admin",
    "arn:aws:iam::${AWS::AccountId}:root",
    "arn:aws:sts::111122223333:assumed-role/R/s",
];
const BAD_AWS_PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:group/Devs",
    "arn:aws:iam::*:root",
    " 111122223333",
    "nonsense",
    "cloudtrail.amazonaws.com",
];
const SERVICES: &[&str] = &[
    "cloudtrail.amazonaws.com",
    "*",
    "logs.us-east-1.amazonaws.com",
];
const BAD_SERVICES: &[&str] = &["logs", "s3.*.amazonaws.com"];

fn principal() -> impl Strategy<Value = J> {
    let group = prop_oneof![
        8 => list(pick(AWS_PRINCIPALS, BAD_AWS_PRINCIPALS)).prop_map(|v| ("AWS".to_string(), v)),
        4 => list(pick(SERVICES, BAD_SERVICES)).prop_map(|v| ("Service".to_string(), v)),
        1 => list(pick(&["cognito-identity.amazonaws.com", "arn:aws:iam::111122223333:saml-provider/x"], &["a b", "x*"])).prop_map(|v| ("Federated".to_string(), v)),
        1 => list(pick(&["79a59df900b949e55d96a1e698fbaced", "*"], &["xyz"])).prop_map(|v| ("CanonicalUser".to_string(), v)),
        1 => Just(("aws".to_string(), s("*"))),
    ];
    prop_oneof![
        10 => Just(s("*")),
        1 => Just(s("111122223333")),
        30 => object(proptest::collection::vec(group, 1..3)),
        1 => Just(J::Obj(Vec::new())),
        1 => Just(J::Arr(vec![s("*")])),
    ]
}

/// Operators with values of their type.
fn operator_and_values() -> impl Strategy<Value = (String, BoxedStrategy<J>)> {
    let strings = || {
        prop_oneof![
            20 => pick(&["a*b", "${aws:username}", "home/${aws:username, 'x'}/*", "", "111122223333"], &["${broken"]),
            2 => Just(J::Num("10")),
            1 => any::<bool>().prop_map(J::Bool),
            1 => Just(J::Null),
        ]
        .boxed()
    };
    let table: Vec<(&'static str, BoxedStrategy<J>)> = vec![
        ("StringEquals", strings()),
        ("StringLike", strings()),
        ("ForAnyValue:StringLikeIfExists", strings()),
        ("ForAllValues:StringEquals", strings()),
        ("StringNotEqualsIgnoreCase", strings()),
        (
            "ArnLike",
            pick(
                &[
                    "arn:aws:iam::111122223333:role/*",
                    "arn:aws:iam::${aws:PrincipalAccount}:root",
                ],
                &[],
            ),
        ),
        (
            "NumericLessThan",
            prop_oneof![
                pick(&["10", "2.5", " 3 "], &["ten", "NaN"]),
                Just(J::Num("10")),
                Just(J::Num("-2.5e3"))
            ]
            .boxed(),
        ),
        (
            "DateGreaterThan",
            prop_oneof![
                pick(
                    &[
                        "2026-01-31T12:00:00Z",
                        "1769860800",
                        "2026-01",
                        "2026-01-31T01:00:00+01:00"
                    ],
                    &["yesterday"]
                ),
                Just(J::Num("1769860800"))
            ]
            .boxed(),
        ),
        (
            "Bool",
            prop_oneof![
                pick(&["true", "FALSE"], &["yes"]),
                any::<bool>().prop_map(J::Bool)
            ]
            .boxed(),
        ),
        (
            "IpAddress",
            pick(
                &["203.0.113.0/24", "2001:db8::/32", "203.0.113.7"],
                &["203.0.113.0/33"],
            ),
        ),
        (
            "BinaryEquals",
            pick(&["QmluYXJ5VmFsdWU=", "AAAA"], &["not base64"]),
        ),
        (
            "Null",
            prop_oneof![
                pick(&["true", "false"], &["maybe"]),
                any::<bool>().prop_map(J::Bool)
            ]
            .boxed(),
        ),
    ];
    prop_oneof![
        40 => proptest::sample::select(table),
        1 => Just(("NullIfExists", strings())),
        1 => Just(("stringequals", strings())),
    ]
    .prop_map(|(op, values)| (op.to_string(), values))
}

fn condition() -> impl Strategy<Value = J> {
    let key = pick(
        &[
            "aws:username",
            "kms:CallerAccount",
            "aws:PrincipalTag/team",
            "kms:EncryptionContext:Dept",
            "aws:SourceIp",
        ],
        &[""],
    )
    .prop_map(|k| match k {
        J::Str(k) => k,
        _ => String::new(),
    });
    let block = operator_and_values().prop_flat_map(move |(op, value)| {
        let values = prop_oneof![
            3 => value.clone(),
            3 => proptest::collection::vec(value.clone(), 1..3).prop_map(J::Arr),
        ];
        object(proptest::collection::vec((key.clone(), values), 1..3))
            .prop_map(move |keys| (op.clone(), keys))
    });
    prop_oneof![
        30 => object(proptest::collection::vec(block, 0..3)),
        1 => Just(J::Obj(vec![("Bool".to_string(), J::Obj(Vec::new()))])),
        1 => Just(s("StringEquals")),
    ]
}

/// An object of the members `members` makes; a key that comes twice is
/// mostly dropped, rarely kept (a duplicate key).
fn object(members: impl Strategy<Value = Vec<(String, J)>>) -> impl Strategy<Value = J> {
    (members, 0u8..30).prop_map(|(mut members, keep)| {
        if keep != 0 {
            let mut seen = std::collections::HashSet::new();
            members.retain(|(key, _)| seen.insert(key.clone()));
        }
        J::Obj(members)
    })
}

/// Members in any order; rarely one is written twice.
fn members(
    candidates: Vec<BoxedStrategy<Vec<(String, J)>>>,
) -> impl Strategy<Value = Vec<(String, J)>> {
    (candidates, any::<prop::sample::Index>(), 0u8..60)
        .prop_map(|(members, which, twice)| {
            let mut members: Vec<_> = members.into_iter().flatten().collect();
            if twice == 0 && !members.is_empty() {
                let again = members[which.index(members.len())].clone();
                members.push(again);
            }
            members
        })
        .prop_shuffle()
}

/// A member present with odds `present` in `present + absent`.
fn member(
    name: &'static str,
    absent: u32,
    present: u32,
    value: impl Strategy<Value = J> + 'static,
) -> BoxedStrategy<Vec<(String, J)>> {
    prop_oneof![
        absent => Just(Vec::new()),
        present => value.prop_map(move |v| vec![(name.to_string(), v)]),
    ]
    .boxed()
}

/// An element or its `Not…` form; rarely neither or both.
fn either(
    name: &'static str,
    not: &'static str,
    neither: u32,
    value: impl Strategy<Value = J> + Clone + 'static,
) -> BoxedStrategy<Vec<(String, J)>> {
    prop_oneof![
        neither => Just(Vec::new()),
        20 => value.clone().prop_map(move |v| vec![(name.to_string(), v)]),
        4 => value.clone().prop_map(move |v| vec![(not.to_string(), v)]),
        1 => (value.clone(), value).prop_map(move |(a, b)| vec![(name.to_string(), a), (not.to_string(), b)]),
    ]
    .boxed()
}

fn statement() -> impl Strategy<Value = J> {
    members(vec![
        member(
            "Sid",
            1,
            2,
            pick(&["Stmt1", "", "Allow use of the key"], &[]),
        ),
        member(
            "Effect",
            1,
            60,
            pick(&["Allow", "Deny"], &["allow", "Permit"]),
        ),
        either("Principal", "NotPrincipal", 20, principal().boxed()),
        either("Action", "NotAction", 1, list(pick(ACTIONS, BAD_ACTIONS))),
        either(
            "Resource",
            "NotResource",
            5,
            list(pick(RESOURCES, BAD_RESOURCES)),
        ),
        member("Condition", 2, 2, condition()),
        member("Statement", 60, 1, Just(J::Null)),
    ])
    .prop_map(J::Obj)
}

fn policy() -> impl Strategy<Value = J> {
    let statements = prop_oneof![
        10 => statement(),
        30 => proptest::collection::vec(statement(), 1..4).prop_map(J::Arr),
        1 => Just(J::Arr(Vec::new())),
        1 => Just(s("*")),
    ];
    members(vec![
        member(
            "Version",
            1,
            6,
            pick(&["2012-10-17", "2008-10-17"], &["2012-10-18"]),
        ),
        member("Id", 3, 1, pick(&["key-policy-1", ""], &[])),
        member("Statement", 1, 60, statements),
        member("Versions", 60, 1, Just(J::Null)),
    ])
    .prop_map(J::Obj)
}

/// A rendered policy, sometimes with a byte-order mark or an edit: one
/// character removed, or a JSON-significant one inserted.
fn policy_text() -> impl Strategy<Value = String> {
    let ws = proptest::collection::vec(any::<u8>(), 0..8);
    let escape = proptest::collection::vec(prop::bool::weighted(0.05), 0..40);
    let edit = (0u8..30, any::<prop::sample::Index>(), 0usize..14);
    (policy(), ws, escape, 0u8..10, edit).prop_map(|(p, ws, escape, bom, edit)| {
        let mut text = render(&p, ws, escape);
        let (kind, at, what) = edit;
        if !text.is_empty() {
            let at = at.index(text.len());
            match kind {
                0 => {
                    text.remove(at);
                }
                1 => text.insert_str(
                    at,
                    [
                        ",", "{", "}", "[", "]", ":", "\"", "/*c*/", "\\", "x", " ", "\u{a0}", "1",
                        "\u{feff}",
                    ][what],
                ),
                _ => {}
            }
        }
        if bom == 0 {
            text.insert(0, '\u{feff}');
        }
        text
    })
}

/// Tokens and near-tokens, joined in any order.
fn token_soup() -> impl Strategy<Value = String> {
    let token = proptest::sample::select(
        &[
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            " ",
            "\n",
            "\"Version\"",
            "\"2012-10-17\"",
            "\"Statement\"",
            "\"Effect\"",
            "\"Allow\"",
            "\"Action\"",
            "\"kms:*\"",
            "\"Resource\"",
            "\"*\"",
            "\"Principal\"",
            "\"AWS\"",
            "\"Condition\"",
            "\"Bool\"",
            "\"aws:x\"",
            "\"${aws:y}\"",
            "true",
            "null",
            "1",
            "-0.5e2",
            "01",
            "'x'",
            "// c\n",
            "\"\\u00e9\"",
            "\"\\ud800\"",
            "\"a\tb\"",
            "\u{feff}",
            "Allow",
        ][..],
    );
    proptest::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn direct_path_agrees_on_policy_shaped_text(text in policy_text(), depth in 0usize..8) {
        check_all_limits(&text, depth)?;
    }

    #[test]
    fn direct_path_agrees_on_token_soup(text in token_soup(), depth in 0usize..8) {
        check_all_limits(&text, depth)?;
    }

    #[test]
    fn direct_path_agrees_on_any_text(text in ".{0,80}") {
        check(&text, &ParseOptions::default())?;
    }
}

fn takes_direct_path(text: &str) -> bool {
    let taken = parse_valid(text, &ParseOptions::default()).is_some();
    // Whichever path, the answer is the tree path's.
    let options = ParseOptions::default();
    assert_eq!(
        exact(&parse_policy_with(text, &options)),
        exact(&parse_policy_via_tree(text, &options))
    );
    taken
}

const STATEMENT: &str =
    r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}"#;

#[test]
fn valid_policies_take_the_direct_path() {
    for text in [
        format!(r#"{{"Version":"2012-10-17","Statement":[{STATEMENT}]}}"#),
        // Keys in alphabetical order: the variables are read after `Version`.
        format!(r#"{{"Statement":[{STATEMENT}],"Version":"2012-10-17"}}"#),
        format!(r#"{{"Statement":{STATEMENT},"Version":"2008-10-17"}}"#),
        format!("\u{feff}{{\"Statement\":{STATEMENT}}}"),
        r#"{"Statement":{"Eff\u0065ct":"Allow","Action":["kms:*"],"Condition":{}}}"#.to_string(),
    ] {
        assert!(takes_direct_path(&text), "{text}");
    }
}

#[test]
fn anything_off_goes_to_the_tree_path() {
    let many_keys: Vec<String> = (0..40).map(|i| format!(r#""k{i}":"v""#)).collect();
    for text in [
        format!(r#"{{"Statement":[{STATEMENT}],"Version":"2012-10-17","Version":"2012-10-17"}}"#),
        format!(r#"{{"Statement":[{STATEMENT},]}}"#),
        format!(r#"{{"Statement":[{STATEMENT}]}} // done"#),
        format!(r#"{{"Statement":[{STATEMENT}]}} {{}}"#),
        // A malformed variable, found only once `Version` is read.
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::${x"},"Version":"2012-10-17"}"#.to_string(),
        // A duplicate past the scan limit of a condition block.
        format!(
            r#"{{"Statement":{{"Effect":"Allow","Action":"*","Condition":{{"StringEquals":{{{},"k39":"w"}}}}}}}}"#,
            many_keys.join(",")
        ),
        r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"Bool":{"a":"true"},"Bool":{"b":"true"}}}}"#.to_string(),
    ] {
        assert!(!takes_direct_path(&text), "{text}");
    }
}

#[test]
fn deep_nesting_gives_up_without_recursing() {
    let deep = "[".repeat(1_000_000);
    for text in [
        deep.clone(),
        format!(r#"{{"Statement":{deep}"#),
        format!(
            r#"{{"Statement":{{"Effect":"Allow","Action":"*","Condition":{{"Bool":{{"k":{deep}"#
        ),
    ] {
        assert!(parse_valid(&text, &ParseOptions::default()).is_none());
        let parse = parse_policy_with(&text, &ParseOptions::default());
        assert_eq!(parse.diagnostics[0].code, "json::too-deep");
    }
}

/// The differential laws mean something only if the generated texts are
/// both valid (the direct path's result is compared) and not.
#[test]
fn the_generator_makes_valid_and_invalid_policies() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let total = 1000;
    let mut valid = 0;
    for _ in 0..total {
        let text = policy_text()
            .new_tree(&mut runner)
            .map(|tree| tree.current())
            .unwrap_or_default();
        valid += usize::from(parse_valid(&text, &ParseOptions::default()).is_some());
    }
    assert!(
        (total / 5..total * 4 / 5).contains(&valid),
        "{valid} of {total} valid"
    );
}
