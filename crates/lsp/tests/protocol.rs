//! The server driven over JSON-RPC as an editor drives it: initialize →
//! didOpen → publishDiagnostics → hover → completion → codeAction →
//! didChange → shutdown → exit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{codes, span, Client};
use serde_json::{json, Value};

/// A key policy with a non-ASCII Sid (UTF-16 and UTF-8 columns differ after
/// it) and a mistyped action on the same line.
const POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"Schlüssel 🔑\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:Decrpyt\", \"Resource\": \"*\"}]\n}\n";

const URI: &str = "file:///work/policies/key.json";

/// Column of `needle` on line 2, in UTF-16 units and in bytes.
fn columns(needle: &str) -> (u64, u64) {
    let line = POLICY.lines().nth(2).unwrap();
    let byte = line.find(needle).unwrap();
    let utf16 = line[..byte].encode_utf16().count();
    (utf16 as u64, byte as u64)
}

#[test]
fn an_editing_session_from_open_to_exit() {
    let mut client = Client::start(
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
    );
    let caps = &client.initialize_result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "the default");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(client.initialize_result["serverInfo"]["name"], "keyward");

    // didOpen → publishDiagnostics, with UTF-16 ranges and a rule link.
    client.open(URI, POLICY, 1);
    let diagnostics = client.diagnostics(URI, 1);
    let unknown = diagnostics
        .iter()
        .find(|d| d["code"] == "KW302")
        .expect("the typo is reported");
    let (col16, _) = columns("\"kms:Decrpyt\"");
    assert_eq!(span(&unknown["range"]), ((2, col16), (2, col16 + 13)));
    assert_eq!(unknown["severity"], 2);
    assert_eq!(unknown["source"], "keyward");
    assert!(unknown["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/docs/rules/KW302.md"));
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `kms:Decrypt`?"));

    // hover on the action as written, and on the Principal's ARN (nothing).
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": col16 + 3}}),
    );
    let text = hover.result.unwrap()["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("did you mean `kms:Decrypt`?"), "{text}");
    let (decrypt16, _) = columns("\"Allow\"");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": decrypt16 + 2}}),
    );
    assert_eq!(hover.result, Some(Value::Null));

    // completion inside the action string.
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": col16 + 8}}),
    );
    let items = completion.result.unwrap();
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"kms:Decrypt") && labels.contains(&"kms:Describe*"),
        "{labels:?}"
    );

    // codeAction: the catalog's suggestion, as an edit inside the quotes.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": unknown["range"], "context": {"diagnostics": [unknown]}}),
    );
    let actions = actions.result.unwrap();
    let action = &actions[0];
    assert_eq!(action["title"], "Replace `kms:Decrpyt` with `kms:Decrypt`");
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "kms:Decrypt");
    assert_eq!(span(&edit["range"]), ((2, col16 + 1), (2, col16 + 12)));

    // didChange: apply it; the finding goes away.
    let ((l1, c1), (l2, c2)) = span(&edit["range"]);
    client.change(
        URI,
        2,
        ((l1 as u32, c1 as u32), (l2 as u32, c2 as u32)),
        "kms:Decrypt",
    );
    let diagnostics = client.diagnostics(URI, 2);
    assert!(
        !codes(&diagnostics).contains(&"KW302".to_string()),
        "{diagnostics:?}"
    );
    // The fix no longer applies to the changed text.
    let stale = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": unknown["range"], "context": {"diagnostics": [unknown]}}),
    );
    assert_eq!(stale.result, Some(json!([])));

    assert_eq!(client.stop(), Ok(()));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let mut client = Client::start(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-8"
    );
    client.open(URI, POLICY, 1);
    let diagnostics = client.diagnostics(URI, 1);
    let unknown = diagnostics.iter().find(|d| d["code"] == "KW302").unwrap();
    let (_, byte) = columns("\"kms:Decrpyt\"");
    assert_eq!(span(&unknown["range"]), ((2, byte), (2, byte + 13)));
    // An edit in bytes lands where the client meant it.
    client.change(
        URI,
        2,
        ((2, byte as u32 + 1), (2, byte as u32 + 12)),
        "kms:Encrypt",
    );
    assert!(!codes(&client.diagnostics(URI, 2)).contains(&"KW302".to_string()));
    assert_eq!(client.stop(), Ok(()));
}

#[test]
fn scenario_decisions_show_as_code_lenses_and_follow_edits() {
    let uri = "file:///work/scenarios/ops.json";
    let scenario = r#"{
  "principals": {"ops": {"arn": "arn:aws:iam::111122223333:user/ops"}},
  "keys": {"K": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k",
    "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "OpsUse", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:user/ops"}, "Action": "kms:Decrypt", "Resource": "*"}]}}},
  "expect": [
    {"principal": "ops", "action": "kms:Decrypt", "key": "K", "decision": "allow"},
    {"principal": "ops", "action": "kms:Encrypt", "key": "K", "decision": "implicit-deny"}
  ]
}"#;
    let mut client = Client::start(json!({}));
    client.open(uri, scenario, 1);
    assert_eq!(client.diagnostics(uri, 1), Vec::<Value>::new());
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let lenses = lenses.result.unwrap();
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["✓ allow — by `OpsUse`", "✓ implicit-deny"]);
    assert_eq!(lenses[0]["range"]["start"]["line"], 6);
    assert_eq!(lenses[0]["command"]["command"], "keyward.explain");

    // Widen the statement to kms:*: the second expectation now fails, the
    // lens says so at once (the request waits for the new analysis).
    let line = 4;
    let column = scenario
        .lines()
        .nth(line)
        .unwrap()
        .find("kms:Decrypt")
        .unwrap() as u32;
    client.change(
        uri,
        2,
        ((line as u32, column), (line as u32, column + 11)),
        "kms:*",
    );
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let lenses = lenses.result.unwrap();
    let second = lenses[1]["command"]["title"].as_str().unwrap();
    assert_eq!(second, "✗ allow — expected implicit-deny — by `OpsUse`");
    let diagnostics = client.diagnostics(uri, 2);
    assert_eq!(codes(&diagnostics), ["scenario::failed-expectation"]);
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 7);

    // Running the lens shows its explanation.
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "keyward.explain", "arguments": lenses[1]["command"]["arguments"]}),
    );
    assert_eq!(run.result, Some(Value::Null));
    // The message is sent before the command's response.
    let shown = client
        .inbox
        .iter()
        .find_map(|m| match m {
            lsp_server::Message::Notification(n) if n.method == "window/showMessage" => {
                Some(n.params["message"].clone())
            }
            _ => None,
        })
        .expect("the explanation is shown");
    assert!(shown.as_str().unwrap().contains("OpsUse"), "{shown}");
    assert_eq!(client.stop(), Ok(()));
}

#[test]
fn other_json_files_get_no_diagnostics_and_no_help() {
    let mut client = Client::start(json!({}));
    let uri = "file:///work/package.json";
    client.open(uri, "{\"name\": \"x\", \"version\": \"1.0.0\",}", 1);
    assert_eq!(client.diagnostics(uri, 1), Vec::<Value>::new());
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
    );
    assert_eq!(completion.result, Some(Value::Null));
    assert_eq!(client.stop(), Ok(()));
}

#[test]
fn a_burst_of_edits_ends_with_the_diagnostics_of_the_last_version() {
    let mut client = Client::start(json!({}));
    let uri = "file:///work/burst.json";
    client.open(uri, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:\", \"Resource\": \"*\"}]}", 1);
    // Type "Decrpyt" one character at a time after `kms:`.
    let start =
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:"
            .len() as u32;
    for (i, c) in "Decrpyt".chars().enumerate() {
        let at = start + i as u32;
        client.change(uri, 2 + i as i64, ((0, at), (0, at)), &c.to_string());
    }
    let last = client.diagnostics(uri, 8);
    assert_eq!(codes(&last), ["KW302"]);
    // No publication ever came for a version after the last one, and every
    // publication of an older version came before it.
    let versions: Vec<i64> = client
        .publications(uri)
        .iter()
        .map(|p| p["version"].as_i64().unwrap())
        .collect();
    assert!(versions.iter().all(|v| *v <= 8), "{versions:?}");
    assert_eq!(client.stop(), Ok(()));
}

#[test]
fn requests_after_shutdown_are_refused_and_exit_without_shutdown_is_an_error() {
    let mut client = Client::start(json!({}));
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown.result, Some(Value::Null));
    let late = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(late.error.unwrap().code, -32600);
    assert_eq!(client.exit_abruptly(), Ok(()), "shutdown came first");

    let client = Client::start(json!({}));
    assert!(client.exit_abruptly().is_err());
}

#[test]
fn unknown_methods_and_bad_params_get_errors_not_silence() {
    let mut client = Client::start(json!({}));
    let unknown = client.request("textDocument/formatting", json!({}));
    assert_eq!(unknown.error.unwrap().code, -32601);
    let bad = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad.error.unwrap().code, -32602);
    // Still answering.
    let fine = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(fine.result, Some(Value::Null));
    assert_eq!(client.stop(), Ok(()));
}
