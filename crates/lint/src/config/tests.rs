use super::*;
use crate::registry::{self, Level};

fn level(resolved: &Resolved, code: &str) -> Level {
    resolved.levels.level(registry::find(code).unwrap())
}

#[test]
fn categories_rules_and_names_set_levels_and_rules_win_in_a_layer() {
    let config = parse_config(
        r#"{"rules": {"KW201": "warn", "security": "off", "unknown-action": "error"}}"#,
    )
    .unwrap();
    let resolved = config.resolve(|_| false);
    assert_eq!(level(&resolved, "KW201"), Level::Warn);
    assert_eq!(level(&resolved, "KW204"), Level::Off);
    assert_eq!(level(&resolved, "KW302"), Level::Error);
    // Untouched rules keep their defaults.
    assert_eq!(level(&resolved, "KW101"), Level::Error);
    assert_eq!(level(&resolved, "KW309"), Level::Info);
}

#[test]
fn overrides_apply_in_order_to_matching_paths() {
    let config = parse_config(
        r#"{
          "rules": {"KW204": "error"},
          "accounts": ["111122223333"],
          "overrides": [
            {"files": ["legacy/**"], "rules": {"KW204": "off"}, "kind": "identity"},
            {"files": ["legacy/keep/**"], "rules": {"security": "info"}, "accounts": ["444455556666"]}
          ]
        }"#,
    )
    .unwrap();
    let outside = config.resolve(|_| false);
    assert_eq!(level(&outside, "KW204"), Level::Error);
    assert_eq!(outside.kind, None);
    assert_eq!(outside.accounts, ["111122223333"]);
    let first_only = config.resolve(|files| files == ["legacy/**"]);
    assert_eq!(level(&first_only, "KW204"), Level::Off);
    assert_eq!(first_only.kind, Some(PolicyKind::Identity));
    let both = config.resolve(|_| true);
    assert_eq!(level(&both, "KW204"), Level::Info);
    assert_eq!(both.accounts, ["444455556666"]);
}

#[test]
fn mistakes_are_reported_with_their_place() {
    let text = r#"{"rules": {"KW999": "error", "KW201": "loud"}, "kind": "bucket", "colour": true, "overrides": [{"rules": {}}]}"#;
    let errors = parse_config(text).unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "config::unknown-rule",
            "config::unknown-level",
            "config::unknown-kind",
            "config::unknown-field",
            "config::missing-files"
        ]
    );
    assert_eq!(&text[errors[0].span().range()], "\"KW999\"");
    assert_eq!(&text[errors[1].span().range()], "\"loud\"");
    assert!(errors.iter().all(|d| d.help.is_some()));
}

#[test]
fn invalid_json_is_reported_as_such() {
    let errors = parse_config("{\"rules\": {},}").unwrap_err();
    assert!(errors[0].code.starts_with("json::"));
}
