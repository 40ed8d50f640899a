//! Hostile inputs to the library's front door (`keyward_policy`): each one
//! must end in a clear diagnostic or a valid model, within bounded time, on
//! a small thread stack, and keep every parser invariant
//! (`keyward_tests::invariants`). Never a panic, never a hang.
//!
//! Sizes are chosen so that linear work takes well under a second in a
//! debug build while quadratic work would take minutes: the time limits are
//! generous on purpose (the machines are shared) yet still catch a blow-up.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::sync::mpsc;
use std::time::{Duration, Instant};

use keyward_policy::json::{self, parse_bytes, ParseOptions, MAX_DEPTH_CAP};
use keyward_policy::matching::{ActionPattern, ArnPattern, CaseMode, Pattern, PrincipalArn};
use keyward_policy::{parse_policy, parse_policy_with, Diagnostic, Severity};
use keyward_tests::invariants::{check_policy_bytes, check_policy_text};

/// Run `f` on a thread with a 1 MiB stack (smaller than a test thread's
/// or a browser worker's); fail if it panics or takes longer than `limit`.
fn bounded<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    std::thread::Builder::new()
        .name(what.into())
        .stack_size(1 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    match rx.recv_timeout(limit) {
        Ok(value) => {
            println!("{what}: {:?}", started.elapsed());
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: still running after {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked (see above)"),
    }
}

const LIMIT: Duration = Duration::from_secs(20);

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

/// Parse as a policy and check every invariant; return the diagnostics.
fn hostile(what: &str, text: String) -> Vec<Diagnostic> {
    bounded(what, LIMIT, move || {
        if let Err(problem) = check_policy_text(&text) {
            panic!("invariant broken: {problem}");
        }
        match parse_policy(&text) {
            Ok(_) => Vec::new(),
            Err(d) => d,
        }
    })
}

fn policy_with_statement(statement: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
}

#[test]
fn deep_nesting_is_refused_at_the_limit_without_recursion() {
    for (name, open, close) in [("arrays", "[", "]"), ("objects", r#"{"a":"#, "}")] {
        let depth = 200_000;
        let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        let d = hostile(&format!("{depth} nested {name}"), text);
        assert!(
            codes(&d).contains(&"json::too-deep"),
            "{name}: {:?}",
            codes(&d)
        );
        // Unclosed, too.
        let d = hostile(&format!("{depth} unclosed {name}"), open.repeat(depth));
        assert!(!d.is_empty());
    }
}

#[test]
fn the_deepest_allowed_tree_is_built_and_dropped_on_a_small_stack() {
    // Callers may raise max_depth; the cap keeps the tree's recursive Drop,
    // Clone and Debug within a 1 MiB stack.
    let options = ParseOptions {
        max_depth: usize::MAX,
        ..ParseOptions::default()
    };
    let depth = MAX_DEPTH_CAP;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let parsed = bounded("deepest tree", LIMIT, move || {
        let parsed = json::parse(&text, &options);
        let ok = parsed.value.is_some();
        let cloned = parsed.clone();
        let debug_len = format!("{cloned:?}").len();
        drop(cloned);
        (ok, debug_len, parsed.diagnostics.len())
    });
    assert!(parsed.0, "a tree exactly at the cap parses");
    assert!(parsed.1 > depth);
    let too_deep = format!("{}{}", "[".repeat(depth + 1), "]".repeat(depth + 1));
    let d = bounded("one past the cap", LIMIT, move || {
        json::parse(
            &too_deep,
            &ParseOptions {
                max_depth: usize::MAX,
                ..ParseOptions::default()
            },
        )
        .diagnostics
    });
    assert_eq!(codes(&d), ["json::too-deep"]);
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let limit = ParseOptions::default().max_size;
    let text = format!(r#"{{"Sid":"{}"}}"#, "a".repeat(limit));
    let d = bounded("16 MiB + 10 bytes", LIMIT, move || {
        parse_policy_with(&text, &ParseOptions::default()).diagnostics
    });
    assert_eq!(codes(&d), ["json::too-large"]);
    assert!(d[0].message.contains("bytes"), "{}", d[0].message);
}

#[test]
fn huge_strings_parse_in_linear_time() {
    // A 4 MB Sid and a 4 MB string of escapes.
    let sid = "x".repeat(4 << 20);
    let text = policy_with_statement(&format!(
        r#"{{"Sid":"{sid}","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}}"#
    ));
    assert!(hostile("4 MB Sid", text).is_empty());
    let escapes = r"\u0041\n\t\\\/".repeat(100_000);
    let text = policy_with_statement(&format!(
        r#"{{"Sid":"{escapes}","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}}"#
    ));
    assert!(hostile("1.2 MB of escapes", text).is_empty());
}

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    let cases: [(&[u8], usize); 6] = [
        (b"\xff{}", 0),
        (b"{\"Sid\":\"caf\xe9\"}", 11),
        (b"{\"a\":\"\xc3\x28\"}", 6),
        (b"{\"a\":\"\xed\xa0\x80\"}", 6), // an encoded surrogate
        (b"{\"a\":\"\xf0\x9f\x98\"}", 6), // truncated 4-byte sequence
        (b"{\"a\":\"ok\"}\xc0", 10),
    ];
    for (bytes, at) in cases {
        let (_, error) = parse_bytes(bytes);
        let error = error.unwrap_or_else(|| panic!("{bytes:?} accepted"));
        assert_eq!(error.span().start as usize, at, "{bytes:?}");
        assert_eq!(error.severity, Severity::Error);
        assert_eq!(check_policy_bytes(bytes), Ok(()));
    }
    // A megabyte of garbage bytes.
    let garbage: Vec<u8> = (0..1_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    bounded("1 MB of garbage bytes", LIMIT, move || {
        assert_eq!(check_policy_bytes(&garbage), Ok(()));
    });
}

#[test]
fn control_characters_and_bad_escapes_are_diagnosed() {
    let raw_controls: String = (0u8..0x20)
        .map(char::from)
        .filter(|c| *c != '\t' && *c != '\n' && *c != '\r')
        .collect();
    for (what, text) in [
        (
            "raw control characters in a string",
            format!(r#"{{"Sid":"{raw_controls}"}}"#),
        ),
        ("NUL bytes", "{\"Sid\":\"a\u{0}b\"}".to_string()),
        ("a lone high surrogate", r#"{"Sid":"\ud800"}"#.to_string()),
        ("a lone low surrogate", r#"{"Sid":"\udc00x"}"#.to_string()),
        ("a bad escape", r#"{"Sid":"\q"}"#.to_string()),
        ("a short unicode escape", r#"{"Sid":"\u12"}"#.to_string()),
        ("a form feed between tokens", "{\u{c}}".to_string()),
        ("a byte-order mark", "\u{feff}{}".to_string()),
        ("Unicode line separators", "{\u{2028}}".to_string()),
    ] {
        let d = hostile(what, text);
        assert!(
            d.iter().any(Diagnostic::is_error),
            "{what}: {:?}",
            codes(&d)
        );
    }
    // Escaped control characters are valid JSON and survive the round trip.
    let text = policy_with_statement(
        r#"{"Sid":"a\u0000\u001fb","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}"#,
    );
    assert!(hostile("escaped controls", text).is_empty());
}

#[test]
fn error_floods_stop_at_max_diagnostics() {
    // 500,000 errors: missing commas, stray tokens, unterminated strings.
    let max = ParseOptions::default().max_diagnostics;
    for (what, text) in [
        ("500k missing commas", format!("[{}]", "1 ".repeat(500_000))),
        ("500k stray braces", "}".repeat(500_000)),
        ("300k unterminated strings", "\"\n".repeat(300_000)),
    ] {
        let d = hostile(what, text);
        assert!(!d.is_empty() && d.len() <= max + 1, "{what}: {}", d.len());
        if d.len() == max + 1 {
            // The first `max`, then one "too many errors" that says so.
            assert_eq!(d[max].code, "json::too-many-errors", "{what}");
        }
    }
    let d = hostile(
        "500k missing commas, again",
        format!("[{}]", "1 ".repeat(500_000)),
    );
    assert_eq!(d.len(), max + 1);
    assert!(
        d[max].message.contains("stopped after 100"),
        "{}",
        d[max].message
    );
}

#[test]
fn duplicate_and_numerous_keys_stay_linear() {
    let distinct: Vec<String> = (0..100_000).map(|i| format!(r#""k{i}":{i}"#)).collect();
    let text = format!("{{{}}}", distinct.join(","));
    let options = ParseOptions::default();
    let parsed = bounded("100k distinct keys", LIMIT, move || {
        json::parse(&text, &options)
    });
    assert!(parsed.value.is_some());
    let same = vec![r#""k":1"#; 200_000].join(",");
    let d = hostile("200k duplicate keys", format!("{{{same}}}"));
    assert!(
        codes(&d).contains(&"json::duplicate-key"),
        "{:?}",
        codes(&d)
    );
}

#[test]
fn absurd_numbers_are_bounded() {
    for (what, number) in [
        ("a million digits", "9".repeat(1_000_000)),
        ("a huge exponent", "1e99999999999999999999".to_string()),
        ("a tiny exponent", "1e-99999999999999999999".to_string()),
        ("a long fraction", format!("0.{}", "1".repeat(1_000_000))),
    ] {
        let text = policy_with_statement(&format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{{"NumericLessThan":{{"aws:MultiFactorAuthAge":{number}}}}}}}"#
        ));
        // Either a number or a clear "out of range" diagnostic.
        let d = hostile(what, text);
        assert!(d.iter().all(|d| !d.message.is_empty()), "{what}");
    }
}

#[test]
fn very_long_arns_and_principals() {
    let long = "a".repeat(1 << 20);
    let text = policy_with_statement(&format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":["arn:aws:iam::111122223333:user/{long}","arn:aws:sts::111122223333:assumed-role/{long}/{long}"]}},"Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/{long}"}}"#
    ));
    assert!(hostile("1 MiB ARNs", text).is_empty());
    // 100,000 colons: not an ARN a principal can be.
    let colons = ":".repeat(100_000);
    let text = policy_with_statement(&format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{colons}"}},"Action":"kms:Decrypt","Resource":"arn:{colons}"}}"#
    ));
    let d = hostile("100k colons", text);
    assert!(d.iter().any(Diagnostic::is_error));
    bounded("principal ARN forms", LIMIT, move || {
        let text = format!("arn:aws:sts::111122223333:assumed-role/{long}/{long}");
        assert!(matches!(
            PrincipalArn::parse(&text),
            PrincipalArn::AssumedRole { .. }
        ));
        assert!(matches!(
            PrincipalArn::parse(&colons),
            PrincipalArn::Other(_)
        ));
    });
}

#[test]
fn pathological_wildcards_match_in_linear_time() {
    // `*a*a*a…*b` against `aaaa…a`: a backtracking matcher takes
    // exponential (or at best quadratic) time here.
    let text = "a".repeat(200_000);
    let pattern = format!("{}b", "*a".repeat(2_000));
    bounded("2,000 stars against 200,000 characters", LIMIT, move || {
        let p = Pattern::new(&pattern);
        assert!(!p.matches(&text, CaseMode::Sensitive));
        assert!(!p.matches(&text, CaseMode::AsciiInsensitive));
        let q = Pattern::new(&format!("{}*", "?*".repeat(2_000)));
        assert!(q.matches(&text, CaseMode::Sensitive));
        let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{text}");
        let arn_pattern =
            ArnPattern::parse(&format!("arn:aws:kms:*:*:key/{}b", "*a".repeat(2_000))).unwrap();
        assert!(!arn_pattern.matches(&arn));
        let action = ActionPattern::parse(&format!("kms:{}x", "*D".repeat(2_000))).unwrap();
        assert!(!action.matches(&format!("kms:{}", "D".repeat(100_000))));
    });
}

#[test]
fn enormous_condition_blocks_and_statement_lists() {
    let keys: Vec<String> = (0..10_000)
        .map(|i| format!(r#""aws:PrincipalTag/t{i}":["v{i}","w{i}*"]"#))
        .collect();
    let text = policy_with_statement(&format!(
        r#"{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{{"StringLike":{{{}}}}}}}"#,
        keys.join(",")
    ));
    assert!(hostile("10k condition keys", text).is_empty());
    let values: Vec<String> = (0..100_000)
        .map(|i| format!(r#""10.{}.{}.0/24""#, i % 250, i / 250 % 250))
        .collect();
    let text = policy_with_statement(&format!(
        r#"{{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{{"NotIpAddress":{{"aws:SourceIp":[{}]}}}}}}"#,
        values.join(",")
    ));
    assert!(hostile("100k condition values", text).is_empty());
    let statement = r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}"#;
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        vec![statement; 50_000].join(",")
    );
    assert!(hostile("50k statements", text).is_empty());
}

#[test]
fn many_policy_variables_and_malformed_ones() {
    let vars = "${aws:username}${aws:PrincipalTag/team, 'x'}${*}".repeat(20_000);
    let text = policy_with_statement(&format!(
        r#"{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/{vars}"}}"#
    ));
    assert!(hostile("60k variables", text).is_empty());
    let broken = "${".repeat(100_000);
    let text = policy_with_statement(&format!(
        r#"{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{{"StringEquals":{{"aws:username":"{broken}"}}}}}}"#
    ));
    let d = hostile("100k unterminated variables", text);
    assert!(d.iter().any(Diagnostic::is_error));
}
