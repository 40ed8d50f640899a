//! The exports, called natively exactly as the browser calls them.

use serde_json::Value;

#[expect(
    clippy::expect_used,
    reason = "a test helper: a malformed answer fails the test"
)]
fn answer(json: &str) -> Value {
    let v: Value = serde_json::from_str(json).expect("every export answers JSON");
    assert_eq!(v["ok"], true, "unexpected error envelope: {json}");
    v["value"].clone()
}

const GOOD: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "EnableIam",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123412341234:root"},
    "Action": "kms:*",
    "Resource": "*"
  }]
}"#;

#[test]
fn a_valid_policy_parses_without_errors() {
    let report = answer(&keyward_wasm::parse(GOOD));
    assert_eq!(report["valid"], true);
    let errors = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 0);
}

#[test]
fn a_missing_comma_is_reported_on_its_line() {
    // Line 4 lacks the comma after `"EnableIam"`: the parser marks the next
    // member, `"Sid"`'s successor on line 5, column 5.
    let broken = GOOD.replacen(r#""EnableIam","#, r#""EnableIam""#, 1);
    let report = answer(&keyward_wasm::parse(&broken));
    assert_eq!(report["valid"], false);
    let first = &report["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "json::missing-comma");
    let start = &first["labels"][0]["start"];
    assert_eq!(
        (start["line"].as_u64(), start["column"].as_u64()),
        (Some(5), Some(5))
    );
}

#[test]
fn offsets_count_utf16_units_as_javascript_does() {
    // `é` is two bytes but one UTF-16 unit, `😀` four bytes but two units: the
    // `utf16` offset of the error must index the same character in a JS
    // string, the `offset` the same byte in the UTF-8 text.
    let text = "{\"Sid\": \"é😀\" \"Effect\": \"Allow\"}";
    let report = answer(&keyward_wasm::parse(text));
    let start = &report["diagnostics"][0]["labels"][0]["start"];
    let bytes = start["offset"].as_u64().unwrap() as usize;
    assert!(text[bytes..].starts_with("\"Effect\""));
    let offset = start["utf16"].as_u64().unwrap() as usize;
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let rest = String::from_utf16(&utf16[offset..]).unwrap();
    assert!(
        rest.starts_with("\"Effect\""),
        "offset {offset} points at {rest:?}"
    );
    assert_eq!(start["column"], 14, "columns count characters");
}

#[test]
fn any_text_gets_an_answer() {
    for text in ["", "{", "[]", "\u{0}", "{\"Statement\": 5}", "nul"] {
        let v: Value = serde_json::from_str(&keyward_wasm::parse(text)).unwrap();
        assert_eq!(v["ok"], true, "{text:?}");
        assert_eq!(v["value"]["valid"], false, "{text:?}");
    }
}

#[test]
fn lint_lists_what_a_template_suppresses_with_its_reason() {
    let template = r#"{"Resources": {"Key": {"Type": "AWS::KMS::Key",
      "Metadata": {"keyward": {"suppress": [{"code": "KW201", "reason": "public on purpose"}]}},
      "Properties": {"EnableKeyRotation": true, "KeyPolicy": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}}}}}"#;
    let input = serde_json::json!({ "text": template, "name": "stack.json" }).to_string();
    let report = answer(&keyward_wasm::lint(&input));
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    let suppressed = &report["suppressed"][0];
    assert_eq!(suppressed["code"], "KW201");
    assert_eq!(suppressed["file"], "stack.json");
    assert_eq!(suppressed["start"]["line"], 5);
    assert_eq!(suppressed["reason"], "public on purpose");
}
