//! A hand-written structural check of SARIF 2.1.0 logs, for the objects
//! keyward writes: required properties, types, enumerations and value
//! ranges, and no property the schema does not define. (The OASIS schema
//! file is not vendored: its licence terms for redistribution are unclear.)

use serde_json::Value;

type Errors = Vec<String>;

/// Every structural problem found in `log`.
pub fn check(log: &Value) -> Errors {
    let mut errors = Vec::new();
    object(
        log,
        "$",
        &[
            "$schema",
            "version",
            "runs",
            "inlineExternalProperties",
            "properties",
        ],
        &["version", "runs"],
        &mut errors,
    );
    if log["version"] != "2.1.0" {
        errors.push("$.version must be \"2.1.0\"".into());
    }
    for (i, run) in array(&log["runs"], "$.runs", &mut errors)
        .iter()
        .enumerate()
    {
        check_run(run, &format!("$.runs[{i}]"), &mut errors);
    }
    errors
}

fn check_run(run: &Value, at: &str, errors: &mut Errors) {
    object(
        run,
        at,
        &[
            "tool",
            "results",
            "columnKind",
            "artifacts",
            "invocations",
            "originalUriBaseIds",
            "properties",
            "automationDetails",
        ],
        &["tool"],
        errors,
    );
    if let Some(kind) = run.get("columnKind") {
        one_of(
            kind,
            &format!("{at}.columnKind"),
            &["utf16CodeUnits", "unicodeCodePoints"],
            errors,
        );
    }
    object(
        &run["tool"],
        &format!("{at}.tool"),
        &["driver", "extensions", "properties"],
        &["driver"],
        errors,
    );
    let driver = &run["tool"]["driver"];
    let driver_at = format!("{at}.tool.driver");
    object(
        driver,
        &driver_at,
        &[
            "name",
            "version",
            "semanticVersion",
            "informationUri",
            "rules",
            "fullName",
            "organization",
            "properties",
        ],
        &["name"],
        errors,
    );
    string(&driver["name"], &format!("{driver_at}.name"), errors);
    let rules = array(&driver["rules"], &format!("{driver_at}.rules"), errors);
    for (i, rule) in rules.iter().enumerate() {
        check_rule(rule, &format!("{driver_at}.rules[{i}]"), errors);
    }
    for (i, result) in array(&run["results"], &format!("{at}.results"), errors)
        .iter()
        .enumerate()
    {
        check_result(result, &format!("{at}.results[{i}]"), rules.len(), errors);
    }
}

fn check_rule(rule: &Value, at: &str, errors: &mut Errors) {
    object(
        rule,
        at,
        &[
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "helpUri",
            "help",
            "defaultConfiguration",
            "properties",
            "guid",
            "deprecatedIds",
        ],
        &["id"],
        errors,
    );
    string(&rule["id"], &format!("{at}.id"), errors);
    for key in ["shortDescription", "fullDescription", "help"] {
        if let Some(message) = rule.get(key) {
            object(
                message,
                &format!("{at}.{key}"),
                &["text", "markdown", "id", "arguments", "properties"],
                &["text"],
                errors,
            );
        }
    }
    if let Some(uri) = rule.get("helpUri") {
        uri_reference(uri, &format!("{at}.helpUri"), errors);
    }
    if let Some(config) = rule.get("defaultConfiguration") {
        object(
            config,
            &format!("{at}.defaultConfiguration"),
            &["level", "enabled", "rank", "parameters", "properties"],
            &[],
            errors,
        );
        if let Some(level) = config.get("level") {
            one_of(
                level,
                &format!("{at}.defaultConfiguration.level"),
                LEVELS,
                errors,
            );
        }
    }
    if let Some(tags) = rule.get("properties").and_then(|p| p.get("tags")) {
        for tag in array(tags, &format!("{at}.properties.tags"), errors) {
            string(tag, &format!("{at}.properties.tags[]"), errors);
        }
    }
}

const LEVELS: &[&str] = &["none", "note", "warning", "error"];

fn check_result(result: &Value, at: &str, rule_count: usize, errors: &mut Errors) {
    object(
        result,
        at,
        &[
            "ruleId",
            "ruleIndex",
            "level",
            "message",
            "locations",
            "relatedLocations",
            "partialFingerprints",
            "fingerprints",
            "kind",
            "properties",
        ],
        &["message"],
        errors,
    );
    if let Some(level) = result.get("level") {
        one_of(level, &format!("{at}.level"), LEVELS, errors);
    }
    if let Some(index) = result.get("ruleIndex") {
        match index.as_u64() {
            Some(i) if (i as usize) < rule_count => {}
            _ => errors.push(format!("{at}.ruleIndex must index driver.rules")),
        }
    }
    object(
        &result["message"],
        &format!("{at}.message"),
        &["text", "markdown", "id", "arguments", "properties"],
        &["text"],
        errors,
    );
    for key in ["locations", "relatedLocations"] {
        if let Some(list) = result.get(key) {
            for (i, location) in array(list, &format!("{at}.{key}"), errors)
                .iter()
                .enumerate()
            {
                check_location(location, &format!("{at}.{key}[{i}]"), errors);
            }
        }
    }
}

fn check_location(location: &Value, at: &str, errors: &mut Errors) {
    object(
        location,
        at,
        &[
            "id",
            "physicalLocation",
            "logicalLocations",
            "message",
            "annotations",
            "relationships",
            "properties",
        ],
        &[],
        errors,
    );
    if let Some(id) = location.get("id") {
        if id.as_i64().is_none_or(|i| i < -1) {
            errors.push(format!("{at}.id must be an integer ≥ -1"));
        }
    }
    if let Some(message) = location.get("message") {
        object(
            message,
            &format!("{at}.message"),
            &["text", "markdown", "id", "arguments", "properties"],
            &["text"],
            errors,
        );
    }
    if let Some(physical) = location.get("physicalLocation") {
        let at = format!("{at}.physicalLocation");
        object(
            physical,
            &at,
            &[
                "artifactLocation",
                "region",
                "contextRegion",
                "address",
                "properties",
            ],
            &[],
            errors,
        );
        if let Some(artifact) = physical.get("artifactLocation") {
            object(
                artifact,
                &format!("{at}.artifactLocation"),
                &["uri", "uriBaseId", "index", "description", "properties"],
                &[],
                errors,
            );
            if let Some(uri) = artifact.get("uri") {
                uri_reference(uri, &format!("{at}.artifactLocation.uri"), errors);
            }
        }
        if let Some(region) = physical.get("region") {
            check_region(region, &format!("{at}.region"), errors);
        }
    }
    if let Some(logical) = location.get("logicalLocations") {
        for (i, l) in array(logical, &format!("{at}.logicalLocations"), errors)
            .iter()
            .enumerate()
        {
            object(
                l,
                &format!("{at}.logicalLocations[{i}]"),
                &[
                    "name",
                    "index",
                    "fullyQualifiedName",
                    "decoratedName",
                    "parentIndex",
                    "kind",
                    "properties",
                ],
                &[],
                errors,
            );
        }
    }
}

fn check_region(region: &Value, at: &str, errors: &mut Errors) {
    object(
        region,
        at,
        &[
            "startLine",
            "startColumn",
            "endLine",
            "endColumn",
            "charOffset",
            "charLength",
            "byteOffset",
            "byteLength",
            "snippet",
            "message",
            "sourceLanguage",
            "properties",
        ],
        &[],
        errors,
    );
    let bounds: [(&str, i64); 6] = [
        ("startLine", 1),
        ("startColumn", 1),
        ("endLine", 1),
        ("endColumn", 1),
        ("charOffset", 0),
        ("charLength", 0),
    ];
    for (key, min) in bounds {
        if let Some(value) = region.get(key) {
            if value.as_i64().is_none_or(|v| v < min) {
                errors.push(format!("{at}.{key} must be an integer ≥ {min}"));
            }
        }
    }
    if let (Some(start), Some(end)) = (region["startLine"].as_i64(), region["endLine"].as_i64()) {
        if end < start {
            errors.push(format!("{at}.endLine is before startLine"));
        }
    }
}

fn object(value: &Value, at: &str, allowed: &[&str], required: &[&str], errors: &mut Errors) {
    let Some(map) = value.as_object() else {
        errors.push(format!("{at} must be an object"));
        return;
    };
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            errors.push(format!("{at}.{key} is not a property of this SARIF object"));
        }
    }
    for key in required {
        if !map.contains_key(*key) {
            errors.push(format!("{at}.{key} is required"));
        }
    }
}

fn array<'v>(value: &'v Value, at: &str, errors: &mut Errors) -> &'v [Value] {
    match value.as_array() {
        Some(items) => items,
        None => {
            errors.push(format!("{at} must be an array"));
            &[]
        }
    }
}

fn string(value: &Value, at: &str, errors: &mut Errors) {
    if value.as_str().is_none_or(str::is_empty) {
        errors.push(format!("{at} must be a non-empty string"));
    }
}

fn one_of(value: &Value, at: &str, allowed: &[&str], errors: &mut Errors) {
    if !value.as_str().is_some_and(|s| allowed.contains(&s)) {
        errors.push(format!("{at} must be one of {allowed:?}"));
    }
}

/// RFC 3986 URI reference: no spaces, no characters that must be escaped.
fn uri_reference(value: &Value, at: &str, errors: &mut Errors) {
    let ok = value.as_str().is_some_and(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_graphic() && !"<>\"{}|\\^`".contains(c))
    });
    if !ok {
        errors.push(format!("{at} must be a URI reference"));
    }
}
