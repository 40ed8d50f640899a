//! `keyward lsp` over real standard input and output: framed JSON-RPC in,
//! framed JSON-RPC out, and the exit status the protocol asks for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Read one framed message.
fn read(out: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            len = n.parse().ok();
        }
    }
    let mut body = vec![0; len?];
    out.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_keyward"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(&frame(&message)).unwrap();
        stdin.flush().unwrap();
    }

    /// Read messages until one satisfies `wanted`.
    fn until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = read(&mut self.stdout).expect("the server answers");
            if wanted(&m) {
                return m;
            }
        }
    }

    fn exit_status(mut self) -> Option<i32> {
        drop(self.stdin.take());
        self.child.wait().unwrap().code()
    }
}

#[test]
fn a_policy_gets_diagnostics_and_the_server_exits_cleanly() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrpyt", "Resource": "*"}]}"#;
    let mut server = Server::start();
    server.send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    let init = server.until(|m| m["id"] == 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "keyward");
    server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    server.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///nowhere/key.json", "languageId": "json", "version": 1, "text": policy}}}),
    );
    let published = server.until(|m| m["method"] == "textDocument/publishDiagnostics");
    let codes: Vec<&str> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"KW302"), "{codes:?}");
    server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": "file:///nowhere/key.json"}, "position": {"line": 0, "character": 90}}}));
    let hover = server.until(|m| m["id"] == 2);
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("kms:Decrypt"));
    server.send(json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
    server.until(|m| m["id"] == 3);
    server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(server.exit_status(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut server = Server::start();
    server.send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    server.until(|m| m["id"] == 1);
    server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(server.exit_status(), Some(1));
}
