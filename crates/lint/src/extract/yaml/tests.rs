use super::*;

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

#[test]
fn mappings_sequences_and_scalars_keep_byte_spans() {
    let text = "Key:\n  - 'a b'\n  - 12\n  - true\nOther: x\n";
    let root = parse(text).unwrap().unwrap();
    let list = root.get("Key").unwrap().as_array().unwrap();
    assert_eq!(list[0].as_str(), Some("a b"));
    assert_eq!(slice(text, list[0].span), "'a b'");
    assert_eq!(list[1].kind, JsonKind::Number(12.0));
    assert_eq!(list[2].kind, JsonKind::Bool(true));
    let other = root.get("Other").unwrap();
    assert_eq!(slice(text, other.span), "x");
    let key = &root.as_object().unwrap()[1];
    assert_eq!(slice(text, key.key_span), "Other");
}

#[test]
fn spans_count_bytes_after_non_ascii_text() {
    let text = "Description: café ☕\nName: here\n";
    let root = parse(text).unwrap().unwrap();
    assert_eq!(slice(text, root.get("Name").unwrap().span), "here");
}

#[test]
fn short_form_tags_become_long_form_functions() {
    let text = "A: !Sub 'arn:${AWS::Partition}:s3:::b'\nB: !GetAtt Role.Arn\nC: !Ref Param\nD: !If [Cond, x, y]\n";
    let root = parse(text).unwrap().unwrap();
    let a = root.get("A").unwrap();
    assert_eq!(
        a.get("Fn::Sub").and_then(JsonValue::as_str),
        Some("arn:${AWS::Partition}:s3:::b")
    );
    let b = root
        .get("B")
        .unwrap()
        .get("Fn::GetAtt")
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!((b[0].as_str(), b[1].as_str()), (Some("Role"), Some("Arn")));
    assert_eq!(
        root.get("C")
            .unwrap()
            .get("Ref")
            .and_then(JsonValue::as_str),
        Some("Param")
    );
    assert_eq!(
        root.get("D")
            .unwrap()
            .get("Fn::If")
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn version_dates_and_quoted_numbers_stay_strings() {
    let root = parse("Version: 2012-10-17\nAccount: '111122223333'\n")
        .unwrap()
        .unwrap();
    assert_eq!(
        root.get("Version").and_then(JsonValue::as_str),
        Some("2012-10-17")
    );
    assert_eq!(
        root.get("Account").and_then(JsonValue::as_str),
        Some("111122223333")
    );
}

#[test]
fn anchors_and_aliases_are_expanded() {
    let root = parse("a: &x {k: v}\nb: *x\n").unwrap().unwrap();
    assert_eq!(
        root.get("b").unwrap().get("k").and_then(JsonValue::as_str),
        Some("v")
    );
}

#[test]
fn syntax_errors_are_located() {
    let text = "a: [1, 2\nb: c\n";
    let error = parse(text).unwrap_err();
    assert_eq!(error.code, "yaml::syntax");
    assert!(error.span().start as usize <= text.len());
}

#[test]
fn empty_streams_have_no_document() {
    assert!(parse("").unwrap().is_none());
    assert!(parse("# just a comment\n").unwrap().is_none());
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..8 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    assert_eq!(parse(&bomb).unwrap_err().code, "yaml::too-large");
    // saphyr itself refuses deep flow nesting; block nesting reaches our limit.
    let flow = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
    assert!(parse(&flow).unwrap_err().code.starts_with("yaml::"));
    let block: String = (0..300)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect::<String>()
        + &" ".repeat(300)
        + "leaf\n";
    assert_eq!(parse(&block).unwrap_err().code, "yaml::too-deep");
}
