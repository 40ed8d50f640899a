//! Loading scenarios: policy forms, references, and diagnostics with places.

use keyward_policy::Source;
use keyward_scenario::{load, run, MemoryLoader, Problem};

const KP: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;

fn scenario(policy: &str, expect: &str) -> String {
    format!(
        r#"{{"region": "us-east-1",
  "principals": {{"Bob": {{"arn": "arn:aws:iam::111122223333:user/Bob", "policies": [{{"file": "policies/bob.json"}}]}}}},
  "keys": {{"K": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": {policy}, "aliases": ["alias/app"]}}}},
  "expect": [{expect}]}}"#
    )
}

fn loader() -> MemoryLoader {
    MemoryLoader::new()
        .with("s/policies/bob.json", r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}"#)
        .with("s/kp.json", KP)
}

fn messages(problems: &[Problem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| p.diagnostic.message.clone())
        .collect()
}

#[test]
fn policies_may_be_inline_strings_or_files() {
    let expect = r#"{"principal": "Bob", "action": "kms:Decrypt", "key": "K", "decision": "allow"}, {"principal": "arn:aws:iam::111122223333:user/Bob", "action": "Encrypt", "key": "alias/app", "decision": "implicit-deny"}"#;
    let quoted = serde_json::to_string(KP).unwrap();
    for policy in [KP.to_string(), quoted, r#"{"file": "kp.json"}"#.to_string()] {
        let s = load(
            Source::new("s/scenario.json", scenario(&policy, expect)),
            &loader(),
        )
        .unwrap();
        let results = run(&s);
        assert!(results.iter().all(|r| r.pass), "{policy}");
    }
}

#[test]
fn a_missing_file_is_reported_at_its_reference() {
    let text = scenario(r#"{"file": "nope.json"}"#, "");
    let problems = load(Source::new("s/scenario.json", text.clone()), &loader()).unwrap_err();
    assert_eq!(
        messages(&problems),
        ["cannot read `nope.json`: no such file"]
    );
    let span = problems[0].diagnostic.span();
    assert_eq!(&text[span.range()], r#""nope.json""#);
}

#[test]
fn a_scenario_cannot_use_itself_as_a_policy() {
    let text = scenario(r#"{"file": "scenario.json"}"#, "");
    let problems = load(Source::new("s/scenario.json", text), &loader()).unwrap_err();
    assert!(messages(&problems)[0].contains("is the scenario file itself"));
}

#[test]
fn errors_in_inline_policies_point_into_the_scenario_file() {
    let bad = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resorce": "*"}]}"#;
    let text = scenario(bad, "");
    let problems = load(Source::new("s/scenario.json", text.clone()), &loader()).unwrap_err();
    let p = &problems[0];
    assert_eq!(p.source.name(), "s/scenario.json");
    assert!(
        text[p.diagnostic.span().range()].contains("Resorce"),
        "{:?}",
        p.diagnostic
    );
    let at = p.source.start_of(p.diagnostic.span());
    assert_eq!(at.line, 3);
    assert!(p
        .diagnostic
        .pointer
        .as_deref()
        .unwrap_or("")
        .starts_with("/keys/K/policy"));
}

#[test]
fn every_mistake_is_reported_at_once_with_help() {
    let expect = r#"{"principal": "Nobody", "action": "kms:Decrypt", "key": "K", "decision": "allow"},
        {"principal": "Bob", "action": "kms:ReEncrypt", "key": "K", "decision": "allow"},
        {"principal": "Bob", "action": "kms:Decrypt", "key": "L", "decision": "allow"},
        {"principal": "Bob", "action": "kms:Decrypt", "key": "K", "decision": "maybe"},
        {"principal": "Bob", "action": "kms:Decrypt", "key": "K", "decision": "allow", "contxt": {}}"#;
    let problems = load(
        Source::new("s/scenario.json", scenario(KP, expect)),
        &loader(),
    )
    .unwrap_err();
    assert_eq!(
        messages(&problems),
        [
            "no principal `Nobody` in this scenario",
            "`kms:ReEncrypt` is not a KMS action",
            "no key `L` in this scenario",
            "`maybe` is not a decision",
            "`contxt` is not a field of an expectation",
        ]
    );
    assert!(problems.iter().all(|p| p.diagnostic.help.is_some()));
}

#[test]
fn invalid_json_gives_line_and_column() {
    let problems = load(
        Source::new("bad.json", "{\n  \"keys\": {,}\n}"),
        &MemoryLoader::new(),
    )
    .unwrap_err();
    let at = problems[0].source.start_of(problems[0].diagnostic.span());
    assert_eq!((at.line, at.column), (2, 12));
}

#[test]
fn grants_scps_and_errors_round_trip_through_the_format() {
    let text = r#"{
      "principals": {"Bob": {"arn": "arn:aws:iam::111122223333:user/Bob"}, "svc": {"service": "ebs.amazonaws.com"}},
      "keys": {"K": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "state": "Disabled",
                     "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}]}}},
      "grants": [{"key": "K", "grantee": "Bob", "operations": ["Decrypt"], "constraints": {"encryptionContextSubset": {"app": "x"}}, "name": "g1"},
                 {"key": "K", "grantee": "svc", "operations": ["DescribeKey"]}],
      "scps": {"111122223333": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]},
      "expect": [
        {"principal": "Bob", "action": "kms:Decrypt", "key": "K", "encryptionContext": {"app": "x"}, "decision": "allow", "error": "DisabledException"},
        {"principal": "Bob", "action": "kms:Decrypt", "key": "K", "decision": "implicit-deny"},
        {"principal": "svc", "action": "kms:DescribeKey", "key": "K", "decision": "allow", "error": null},
        {"principal": "Bob", "action": "kms:Decrypt", "key": "K", "region": "eu-west-1", "encryptionContext": {"app": "x"}, "decision": "allow", "error": "NotFoundException"}
      ]}"#;
    let s = load(Source::new("g.json", text), &MemoryLoader::new()).unwrap();
    for r in run(&s) {
        assert!(
            r.pass,
            "{:?} {:?}",
            r.check,
            r.response.explanation().reasons()
        );
    }
    let bad = text.replace(
        r#""operations": ["Decrypt"]"#,
        r#""operations": ["ReEncrypt"]"#,
    );
    let problems = load(Source::new("g.json", bad), &MemoryLoader::new()).unwrap_err();
    assert_eq!(
        messages(&problems),
        ["`ReEncrypt` is not a grant operation"]
    );
}

#[test]
fn a_failing_expectation_is_reported_as_a_failure_not_an_error() {
    let expect =
        r#"{"principal": "Bob", "action": "kms:Encrypt", "key": "K", "decision": "allow"}"#;
    let s = load(
        Source::new("s/scenario.json", scenario(KP, expect)),
        &loader(),
    )
    .unwrap();
    let results = run(&s);
    assert!(!results[0].pass);
    let mut json = keyward_scenario::RunJson::default();
    json.add("s/scenario.json", &results);
    let json = serde_json::to_value(&json).unwrap();
    assert_eq!(json["failed"], 1);
    assert_eq!(json["results"][0]["actual"]["decision"], "implicit-deny");
    assert_eq!(json["results"][0]["expected"]["decision"], "allow");
}

#[test]
fn a_deciding_grant_points_at_its_entry_in_the_scenario() {
    let text = r#"{
      "principals": {"Bob": {"arn": "arn:aws:iam::111122223333:user/Bob"}},
      "keys": {"K": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k",
                     "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}]}}},
      "grants": [{"key": "K", "grantee": "Bob", "operations": ["Encrypt"], "name": "other"},
                 {"key": "K", "grantee": "Bob", "operations": ["Decrypt"], "name": "bob-decrypts"}],
      "expect": [{"principal": "Bob", "action": "kms:Decrypt", "key": "K", "decision": "allow"}]}"#;
    let s = load(Source::new("g.json", text), &MemoryLoader::new()).unwrap();
    let results = run(&s);
    let why = results[0].response.explanation();
    let grant = why.grant().unwrap();
    let (source, span) = grant.written_at().unwrap();
    assert_eq!(source.name(), "g.json");
    let entry = source.slice(span);
    assert!(entry.starts_with('{') && entry.ends_with('}'), "{entry}");
    assert!(entry.contains(r#""name": "bob-decrypts""#), "{entry}");
    // The reason names the same grant, located.
    let reasons = why.reasons();
    assert_eq!(reasons[0].grant(), Some(grant));
}
