//! Property: a generated policy, parsed, printed and parsed again, is the same model.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use proptest::prelude::*;
use serde_json::{json, Value};

fn one_or_many(items: Vec<String>) -> Value {
    if items.len() == 1 {
        json!(items[0])
    } else {
        json!(items)
    }
}

fn action() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_string()),
        "[a-z][a-z0-9-]{0,8}:[A-Za-z*?]{1,12}",
        Just("kms:ReEncrypt*".to_string()),
    ]
}

fn resource() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_string()),
        "arn:aws:kms:[a-z0-9*-]{0,10}:[0-9*]{0,12}:key/[a-zA-Z0-9*?-]{0,20}",
        Just("arn:aws:s3:::bucket/${aws:username}/*".to_string()),
    ]
}

fn principal() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("*")),
        "[0-9]{12}".prop_map(|a| json!({"AWS": a})),
        ("[0-9]{12}", "[A-Za-z0-9+=,.@_-]{1,16}").prop_map(|(a, n)| json!({"AWS": [format!("arn:aws:iam::{a}:user/{n}"), format!("arn:aws:iam::{a}:root")]})),
        "[a-z]{2,10}".prop_map(|s| json!({"Service": format!("{s}.amazonaws.com")})),
    ]
}

fn condition() -> impl Strategy<Value = Value> {
    let key = "(aws|kms):[A-Za-z]{1,12}(/[A-Za-z0-9]{1,6})?";
    // No `$`: a random `${` would be a malformed variable under 2012-10-17.
    let text = "[ -#%-~]{0,16}";
    prop_oneof![
        (key, proptest::collection::vec(text, 1..3)).prop_map(|(k, v)| json!({"StringLike": {k: v}})),
        (key, text).prop_map(|(k, v)| json!({"ForAnyValue:StringEqualsIfExists": {k: v}})),
        (key, any::<i32>()).prop_map(|(k, n)| json!({"NumericLessThanEquals": {k: n}})),
        (key, any::<bool>()).prop_map(|(k, b)| json!({"Bool": {k: b.to_string()}})),
        (key, 0u32..2_000_000_000).prop_map(|(k, s)| json!({"DateGreaterThan": {k: s.to_string()}})),
        (key, any::<[u8; 4]>(), 0u8..=32).prop_map(|(k, ip, len)| json!({"NotIpAddress": {k: format!("{}.{}.{}.{}/{len}", ip[0], ip[1], ip[2], ip[3])}})),
        (key, any::<bool>()).prop_map(|(k, b)| json!({"Null": {k: b}})),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        proptest::option::of("[A-Za-z0-9 ]{0,12}"),
        any::<bool>(),
        proptest::option::of((any::<bool>(), principal())),
        (any::<bool>(), proptest::collection::vec(action(), 1..4)),
        proptest::option::of((any::<bool>(), proptest::collection::vec(resource(), 1..3))),
        proptest::option::of(condition()),
    )
        .prop_map(
            |(sid, allow, principal, (not_action, actions), resources, condition)| {
                let mut s = serde_json::Map::new();
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                if let Some((not, p)) = principal {
                    s.insert(if not { "NotPrincipal" } else { "Principal" }.into(), p);
                }
                s.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    one_or_many(actions),
                );
                if let Some((not, r)) = resources {
                    s.insert(
                        if not { "NotResource" } else { "Resource" }.into(),
                        one_or_many(r),
                    );
                }
                if let Some(c) = condition {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn policy() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(Some("2012-10-17")),
            Just(Some("2008-10-17")),
            Just(None)
        ],
        proptest::collection::vec(statement(), 1..5),
        any::<bool>(),
    )
        .prop_map(|(version, statements, pretty)| {
            let mut p = serde_json::Map::new();
            if let Some(v) = version {
                p.insert("Version".into(), json!(v));
            }
            p.insert("Statement".into(), json!(statements));
            let value = Value::Object(p);
            if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                value.to_string()
            }
        })
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        prop_oneof![
            Just("*".to_string()),
            Just("Allow".to_string()),
            Just("kms:Decrypt".to_string()),
            Just("arn:aws:iam::111122223333:root".to_string()),
            "[ -~]{0,10}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        let key = prop_oneof![
            Just("Version".to_string()),
            Just("Statement".to_string()),
            Just("Effect".to_string()),
            Just("Action".to_string()),
            Just("Resource".to_string()),
            Just("Principal".to_string()),
            Just("Condition".to_string()),
            Just("AWS".to_string()),
            Just("StringEquals".to_string()),
            "[A-Za-z:]{1,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(key, inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printed_policies_parse_back_to_the_same_model(text in policy()) {
        let first = keyward_policy::parse_policy(&text)
            .unwrap_or_else(|d| panic!("generated policy should be valid: {text}\n{d:#?}"));
        let printed = keyward_policy::model::to_json_string(&first);
        let second = keyward_policy::parse_policy(&printed)
            .unwrap_or_else(|d| panic!("printed policy should be valid: {printed}\n{d:#?}"));
        prop_assert_eq!(&first, &second);
        // Printing is a fixed point.
        prop_assert_eq!(printed, keyward_policy::model::to_json_string(&second));
    }

    #[test]
    fn lowering_never_panics_on_arbitrary_json(value in arbitrary_json()) {
        let _ = keyward_policy::parse_policy(&value.to_string());
    }
}
