//! Responsiveness: one keystroke in a 100 KB key policy, re-analysed and
//! its diagnostics published. The goal is < 20 ms for the round trip
//! (`didChange` sent → `publishDiagnostics` received, through the real
//! message loop and analysis thread); `analyse` alone is the analysis part.
//! `cargo bench -p keyward-lsp`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark setup: a failure is a broken fixture"
)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use keyward_lsp::Encoding;
use keyward_lsp::{analyse, Input};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

fn main() {
    divan::main();
}

const URI: &str = "file:///bench/big-key-policy.json";

/// A key policy of about 100 KB: many statements of every common shape,
/// some with findings (a typo, a wildcard principal), one per line.
fn big_policy() -> String {
    let shapes = [
        r#"{"Sid": "Admins%", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin%"}, "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource"], "Resource": "*"}"#,
        r#"{"Sid": "Use%", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App%"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": "111122223333"}}}"#,
        r#"{"Sid": "Grants%", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Svc%"}, "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}"#,
        r#"{"Sid": "Typo%", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["kms:Decrpyt"], "Resource": "*"}"#,
        r#"{"Sid": "Org%", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorgid"}}}"#,
    ];
    let mut statements = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < 100_000 {
        let s = shapes[i % shapes.len()].replace('%', &i.to_string());
        size += s.len() + 4;
        statements.push(s);
        i += 1;
    }
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}\n",
        statements.join(",\n    ")
    )
}

/// The linter alone on the same text, for the ratio: what the server adds
/// to it (classification, positions, quick fixes, the message loop).
#[divan::bench(sample_count = 30)]
fn lint_only_100_kb_policy(bencher: divan::Bencher) {
    let source = keyward_policy::Source::new("big-key-policy.json", big_policy());
    let options = keyward_lint::LintOptions::default();
    bencher.bench(|| keyward_lint::lint_file(divan::black_box(&source), &options));
}

/// The analysis alone: classify, parse, lint and convert every finding.
#[divan::bench(sample_count = 30)]
fn analyse_100_kb_policy(bencher: divan::Bencher) {
    let text: Arc<str> = Arc::from(big_policy());
    let input = Input {
        uri: URI.parse().unwrap(),
        version: 1,
        text,
        previous: None,
        encoding: Encoding::Utf16,
        open: HashMap::new(),
    };
    bencher.bench(|| analyse(divan::black_box(&input)));
}

/// The round trip through the server: a one-character `didChange` sent,
/// its `publishDiagnostics` received.
#[divan::bench(sample_count = 30)]
fn keystroke_to_diagnostics_100_kb(bencher: divan::Bencher) {
    let (server_side, client) = Connection::memory();
    let server = std::thread::spawn(move || keyward_lsp::serve(server_side));
    let send = |m: Message| client.sender.send(m).unwrap();
    send(
        Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({"capabilities": {}}),
        )
        .into(),
    );
    wait(&client, |m| matches!(m, Message::Response(_)));
    send(Notification::new("initialized".into(), json!({})).into());
    let text = big_policy();
    send(
        Notification::new(
            "textDocument/didOpen".into(),
            json!({"textDocument": {"uri": URI, "languageId": "json", "version": 1, "text": text}}),
        )
        .into(),
    );
    wait(&client, |m| is_diagnostics(m, 1));
    let mut version = 1;
    // Toggle the last character of the first Sid ("Admins0" ↔ "Admins1").
    let line = 3;
    let column = text.lines().nth(line).unwrap().find("Admins0").unwrap() + "Admins".len();
    bencher.bench_local(|| {
        version += 1;
        let digit = if version % 2 == 0 { "1" } else { "0" };
        send(Notification::new(
            "textDocument/didChange".into(),
            json!({
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}, "text": digit}]
            }),
        )
        .into());
        wait(&client, |m| is_diagnostics(m, version));
    });
    send(Request::new(RequestId::from(2), "shutdown".into(), json!(null)).into());
    wait(&client, |m| matches!(m, Message::Response(_)));
    send(Notification::new("exit".into(), json!(null)).into());
    server.join().unwrap().unwrap();
}

fn is_diagnostics(m: &Message, version: i64) -> bool {
    matches!(m, Message::Notification(n)
        if n.method == "textDocument/publishDiagnostics" && n.params["version"] == version
            && n.params["diagnostics"].as_array().is_some_and(|d| !d.is_empty()))
}

fn wait(client: &Connection, done: impl Fn(&Message) -> bool) {
    loop {
        let m = client
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers");
        if done(&m) {
            return;
        }
    }
}
