//! A small LSP client over an in-memory connection, for driving the server
//! the way an editor does: requests wait for their own response, and
//! notifications (diagnostics, messages) are kept until asked for.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, ResponseError};
use serde_json::{json, Value};

/// How long any single wait may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A response, its result or its error.
#[derive(Debug)]
pub struct Reply {
    pub result: Option<Value>,
    pub error: Option<ResponseError>,
}

pub struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next_id: i32,
    /// Notifications and server requests not yet looked at.
    pub inbox: VecDeque<Message>,
    /// What the server answered to `initialize`.
    pub initialize_result: Value,
}

impl Client {
    /// Start a server and initialize it with `capabilities`.
    pub fn start(capabilities: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || keyward_lsp::serve(server_side));
        let mut client = Client {
            connection: client_side,
            server: Some(server),
            next_id: 0,
            inbox: VecDeque::new(),
            initialize_result: Value::Null,
        };
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        client.initialize_result = result.result.expect("initialize succeeds");
        client.notify("initialized", json!({}));
        client
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Notification::new(method.to_string(), params).into())
            .unwrap();
    }

    /// Send a request without waiting; returns its id.
    pub fn send(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Request::new(id.clone(), method.to_string(), params).into())
            .unwrap();
        id
    }

    /// Send a request and wait for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Reply {
        let id = self.send(method, params);
        self.response(&id)
    }

    pub fn response(&mut self, id: &RequestId) -> Reply {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.connection.receiver.recv_timeout(left) {
                Ok(Message::Response(r)) if &r.id == id => {
                    return match r.response_result {
                        Ok(value) => Reply {
                            result: Some(value),
                            error: None,
                        },
                        Err(error) => Reply {
                            result: None,
                            error: Some(error),
                        },
                    }
                }
                Ok(other) => self.inbox.push_back(other),
                Err(e) => panic!("no response to request {id:?}: {e}"),
            }
        }
    }

    /// Wait for the diagnostics of `uri` at `version`; earlier publications
    /// of other versions are skipped.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(at) = self
                .inbox
                .iter()
                .position(|m| is_publication(m, uri, Some(version)))
            {
                let Some(Message::Notification(n)) = self.inbox.remove(at) else {
                    unreachable!()
                };
                return n.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.connection.receiver.recv_timeout(left) {
                Ok(m) => self.inbox.push_back(m),
                Err(e) => panic!("no diagnostics for {uri} at version {version}: {e}"),
            }
        }
    }

    /// Every publication of `uri` received so far (after draining what is queued).
    pub fn publications(&mut self, uri: &str) -> Vec<Value> {
        self.inbox.extend(self.connection.receiver.try_iter());
        self.inbox
            .iter()
            .filter(|m| is_publication(m, uri, None))
            .filter_map(|m| match m {
                Message::Notification(n) => Some(n.params.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn open(&self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": version, "text": text}}),
        );
    }

    /// One incremental change: replace `range` ((line, character) pairs) with `text`.
    pub fn change(&self, uri: &str, version: i64, range: ((u32, u32), (u32, u32)), text: &str) {
        let ((l1, c1), (l2, c2)) = range;
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}, "text": text}]
            }),
        );
    }

    /// `shutdown`, then `exit`; returns what the server's `serve` returned.
    pub fn stop(mut self) -> Result<(), String> {
        let response = self.request("shutdown", Value::Null);
        assert!(response.error.is_none(), "{response:?}");
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }

    /// `exit` without `shutdown`.
    pub fn exit_abruptly(mut self) -> Result<(), String> {
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }
}

fn is_publication(m: &Message, uri: &str, version: Option<i64>) -> bool {
    matches!(m, Message::Notification(n)
        if n.method == "textDocument/publishDiagnostics"
            && n.params["uri"] == uri
            && version.is_none_or(|v| n.params["version"] == v))
}

/// The codes of published diagnostics.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// (line, character) of a range's start and end.
pub fn span(range: &Value) -> ((u64, u64), (u64, u64)) {
    let p = |v: &Value| {
        (
            v["line"].as_u64().unwrap(),
            v["character"].as_u64().unwrap(),
        )
    };
    (p(&range["start"]), p(&range["end"]))
}
