//! How expectations name keys: by scenario name, key ARN, alias ARN, bare
//! alias or key id, resolved in the caller's account and the request's
//! Region (rules 8, 30, 32).

use keyward_policy::Source;
use keyward_scenario::{load, run, MemoryLoader, Problem, Scenario};

/// Production's `app` key exists in us-east-1 and eu-west-1 under the same
/// alias and is shared with the backup account, whose `backup-reader` may
/// decrypt any key through IAM.
fn world(expect: &str) -> String {
    let kp = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "ShareWithBackup", "Effect": "Allow",
        "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]},
        "Action": "kms:Decrypt", "Resource": "*"}]}"#;
    let iam = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#;
    format!(
        r#"{{
  "principals": {{
    "app": {{"arn": "arn:aws:iam::111122223333:role/App", "policies": [{iam}]}},
    "backup-reader": {{"arn": "arn:aws:iam::444455556666:role/BackupReader", "policies": [{iam}]}}
  }},
  "keys": {{
    "app-east": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-4000-8000-000000000001", "aliases": ["alias/app"], "policy": {kp}}},
    "app-west": {{"arn": "arn:aws:kms:eu-west-1:111122223333:key/2222bbbb-0000-4000-8000-000000000002", "aliases": ["alias/app"], "policy": {kp}}}
  }},
  "expect": [{expect}]
}}"#
    )
}

fn loaded(text: &str) -> Result<Scenario, Vec<Problem>> {
    load(Source::new("refs.json", text), &MemoryLoader::new())
}

fn check(who: &str, key: &str, region: Option<&str>, decision: &str, error: &str) -> String {
    let region = region.map_or(String::new(), |r| format!(r#""region": "{r}", "#));
    format!(
        r#"{{"principal": "{who}", "action": "kms:Decrypt", "key": "{key}", {region}"decision": "{decision}", "error": {error}}}"#
    )
}

#[test]
fn rule_30_alias_arns_and_bare_aliases_find_the_key_of_their_region() {
    let expect = [
        check(
            "app",
            "arn:aws:kms:eu-west-1:111122223333:alias/app",
            None,
            "allow",
            "null",
        ),
        check("app", "alias/app", Some("eu-west-1"), "allow", "null"),
        check("app", "alias/app", Some("us-east-1"), "allow", "null"),
        check(
            "app",
            "1111aaaa-0000-4000-8000-000000000001",
            Some("us-east-1"),
            "allow",
            "null",
        ),
        check(
            "app",
            "alias/app",
            Some("ap-south-1"),
            "implicit-deny",
            r#""NotFoundException""#,
        ),
    ]
    .join(",");
    let s = loaded(&world(&expect)).unwrap();
    let results = run(&s);
    let keys: Vec<&str> = results
        .iter()
        .map(|r| {
            r.check
                .request
                .key()
                .map_or("", |k| s.authorizer.key_name(k))
        })
        .collect();
    assert_eq!(keys, ["app-west", "app-west", "app-east", "app-east", ""]);
    for r in &results {
        assert!(
            r.pass,
            "{} {:?}",
            r.check.key,
            r.response.explanation().reasons()
        );
    }
}

#[test]
fn rule_08_an_alias_of_another_account_is_expected_as_not_found() {
    let expect = [
        check(
            "backup-reader",
            "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-4000-8000-000000000001",
            None,
            "allow",
            "null",
        ),
        check(
            "backup-reader",
            "alias/app",
            Some("us-east-1"),
            "implicit-deny",
            r#""NotFoundException""#,
        ),
        // The same reference expected to be allowed is a failing check, not an allow.
        check(
            "backup-reader",
            "alias/app",
            Some("us-east-1"),
            "allow",
            "null",
        ),
    ]
    .join(",");
    let s = loaded(&world(&expect)).unwrap();
    let results = run(&s);
    let pass: Vec<bool> = results.iter().map(|r| r.pass).collect();
    assert_eq!(pass, [true, true, false]);
    let json = keyward_scenario::CheckJson::new(
        &results[1],
        "references.json",
        &mut keyward_policy::Locator::new(),
    );
    let json = serde_json::to_value(&json).unwrap();
    assert_eq!(json["actual"]["decision"], "implicit-deny");
    assert_eq!(json["actual"]["error"], "NotFoundException");
    assert_eq!(
        json["actual"]["errorMessage"],
        "Alias arn:aws:kms:us-east-1:444455556666:alias/app is not found."
    );
    assert!(json["actual"]["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("must name the key by its key ARN (rule 8)"));
}

#[test]
fn rule_32_a_bare_alias_in_two_regions_needs_the_region_of_the_request() {
    let text = world(&check("app", "alias/app", None, "allow", "null"));
    let problems = loaded(&text).unwrap_err();
    assert_eq!(problems.len(), 1);
    let d = &problems[0].diagnostic;
    assert_eq!(d.code, "eval::ambiguous-key");
    assert_eq!(&text[d.span().range()], r#""alias/app""#);
    assert!(d.help.as_deref().unwrap_or("").contains("Region"));
    // The scenario's Region settles it.
    let with_region = text.replacen(
        "{\n  \"principals\"",
        "{\n  \"region\": \"eu-west-1\",\n  \"principals\"",
        1,
    );
    assert!(run(&loaded(&with_region).unwrap())[0].pass);
}

#[test]
fn rule_30_an_alias_is_unique_per_account_and_region() {
    let text = world("").replace(
        r#"eu-west-1:111122223333:key/2222bbbb"#,
        r#"us-east-1:111122223333:key/2222bbbb"#,
    );
    let problems = loaded(&text).unwrap_err();
    assert_eq!(problems.len(), 1);
    let d = &problems[0].diagnostic;
    assert_eq!(d.code, "eval::alias-taken");
    assert_eq!(
        d.message,
        "`alias/app` already names key `app-east` in account 111122223333 in us-east-1"
    );
    // The diagnostic marks the alias itself.
    assert_eq!(&text[d.span().range()], r#""alias/app""#);
}

#[test]
fn an_unknown_key_reference_is_an_input_error_with_help() {
    let text = world(&check(
        "app",
        "alias/nope",
        Some("us-east-1"),
        "allow",
        "null",
    ));
    let problems = loaded(&text).unwrap_err();
    assert_eq!(
        problems[0].diagnostic.message,
        "no key `alias/nope` in this scenario"
    );
    assert!(problems[0].diagnostic.help.is_some());
}
