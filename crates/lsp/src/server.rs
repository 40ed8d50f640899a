//! The message loop: the handshake, the open documents, requests answered
//! from the current text, and analyses from the worker published when they
//! are still current. Requests that need an analysis (code lenses) wait for
//! the one of the current version instead of answering from a stale one.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::select;
use keyward_policy::Source;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    notification, request, CodeActionKind, CodeActionOptions, CodeActionParams,
    CodeActionProviderCapability, CodeLens, CodeLensOptions, CodeLensParams, Command,
    CompletionOptions, CompletionParams, CompletionResponse, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, ExecuteCommandOptions,
    ExecuteCommandParams, HoverParams, HoverProviderCapability, InitializeParams, MessageType,
    PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};
use serde_json::Value;

use crate::analysis::{Analysis, Input, Kind};
use crate::code_actions;
use crate::completion::{self, Options};
use crate::convert::Ranges;
use crate::documents::{offset, Documents};
use crate::files::uri_to_path;
use crate::hover;
use crate::positions::Encoding;
use crate::worker::Worker;

/// The command a code lens runs: show the expectation's explanation.
pub(crate) const EXPLAIN_COMMAND: &str = "keyward.explain";

/// Serve one client over `connection` until it says `exit`.
pub fn serve(connection: Connection) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize params: {e}"))?;
    let encoding = negotiate(&params);
    let snippets = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.completion.as_ref())
        .and_then(|c| c.completion_item.as_ref())
        .and_then(|i| i.snippet_support)
        .unwrap_or(false);
    let refresh_lenses = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.code_lens.as_ref())
        .and_then(|c| c.refresh_support)
        .unwrap_or(false);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": {"name": "keyward", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("the handshake failed: {e}"))?;

    let mut server = Server {
        sender: connection.sender.clone(),
        documents: Documents::default(),
        analyses: HashMap::new(),
        waiting: Vec::new(),
        encoding,
        completion: Options { snippets },
        refresh_lenses,
        shutting_down: false,
        next_id: 0,
        worker: Worker::spawn()?,
    };
    loop {
        select! {
            recv(connection.receiver) -> message => match message {
                Ok(message) => {
                    if server.on_message(message) == Flow::Exit {
                        break;
                    }
                }
                Err(_) => break,
            },
            recv(server.worker.results) -> analysis => {
                if let Ok(analysis) = analysis {
                    server.on_analysis(analysis);
                }
            }
        }
    }
    server.worker.stop();
    if server.shutting_down {
        Ok(())
    } else {
        Err("the client exited without asking to shut down first".to_string())
    }
}

/// UTF-8 when the client offers it (no conversion at all), else UTF-16.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), "\"".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![EXPLAIN_COMMAND.to_string()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Exit,
}

struct Server {
    sender: crossbeam_channel::Sender<Message>,
    documents: Documents,
    /// The latest analysis of each open document (maybe of an older version).
    analyses: HashMap<Uri, Analysis>,
    /// Code-lens requests waiting for the analysis of the current version.
    waiting: Vec<(RequestId, Uri)>,
    encoding: Encoding,
    completion: Options,
    refresh_lenses: bool,
    shutting_down: bool,
    next_id: i32,
    worker: Worker,
}

impl Server {
    fn send(&self, message: impl Into<Message>) {
        // The writer thread ends only when the client is gone; nothing to do then.
        let _ = self.sender.send(message.into());
    }

    fn on_message(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let answered = catch_unwind(AssertUnwindSafe(|| self.on_request(request)));
                if answered.is_err() {
                    self.send(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "keyward failed on this request (a bug; please report it)".into(),
                    ));
                }
                Flow::Continue
            }
            Message::Notification(notification) => {
                if notification.method == notification::Exit::METHOD {
                    return Flow::Exit;
                }
                let _ = catch_unwind(AssertUnwindSafe(|| self.on_notification(notification)));
                Flow::Continue
            }
            // Answers to our refresh requests: nothing to do.
            Message::Response(_) => Flow::Continue,
        }
    }

    fn on_request(&mut self, request: Request) {
        if self.shutting_down {
            self.send(Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
            return;
        }
        let id = request.id.clone();
        let result: Result<Option<Value>, String> = match request.method.as_str() {
            request::Shutdown::METHOD => {
                self.shutting_down = true;
                Ok(Some(Value::Null))
            }
            request::HoverRequest::METHOD => parse::<HoverParams>(request.params).map(|p| {
                let at = p.text_document_position_params;
                Some(self.hover(&at.text_document.uri, at.position))
            }),
            request::Completion::METHOD => {
                parse::<CompletionParams>(request.params).map(|p| Some(self.complete(&p)))
            }
            request::CodeActionRequest::METHOD => {
                parse::<CodeActionParams>(request.params).map(|p| Some(self.code_actions(&p)))
            }
            request::CodeLensRequest::METHOD => parse::<CodeLensParams>(request.params).map(|p| {
                let uri = p.text_document.uri;
                if self.is_current(&uri) || self.documents.get(&uri).is_none() {
                    Some(self.lenses(&uri))
                } else {
                    self.waiting.push((id.clone(), uri));
                    None
                }
            }),
            request::ExecuteCommand::METHOD => {
                parse::<ExecuteCommandParams>(request.params).map(|p| {
                    self.execute(&p);
                    Some(Value::Null)
                })
            }
            _ => {
                self.send(Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("keyward does not handle `{}`", request.method),
                ));
                return;
            }
        };
        match result {
            Ok(Some(value)) => self.send(Response::new_ok(id, value)),
            Ok(None) => {} // answered later
            Err(message) => self.send(Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                message,
            )),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                if let Ok(p) = parse::<DidOpenTextDocumentParams>(notification.params) {
                    let doc = p.text_document;
                    self.documents.open(doc.uri.clone(), doc.text, doc.version);
                    self.submit(&doc.uri);
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                if let Ok(p) = parse::<DidChangeTextDocumentParams>(notification.params) {
                    let uri = p.text_document.uri;
                    if self.documents.change(
                        &uri,
                        p.text_document.version,
                        p.content_changes,
                        self.encoding,
                    ) {
                        self.submit(&uri);
                    }
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                if let Ok(p) = parse::<DidCloseTextDocumentParams>(notification.params) {
                    let uri = p.text_document.uri;
                    self.documents.close(&uri);
                    self.analyses.remove(&uri);
                    self.answer_waiting(&uri);
                    self.publish(&uri, Vec::new(), None);
                }
            }
            notification::Cancel::METHOD => {
                if let Ok(p) = parse::<lsp_types::CancelParams>(notification.params) {
                    let id: RequestId = match p.id {
                        lsp_types::NumberOrString::Number(n) => n.into(),
                        lsp_types::NumberOrString::String(s) => s.into(),
                    };
                    if let Some(at) = self.waiting.iter().position(|(w, _)| *w == id) {
                        self.waiting.remove(at);
                        self.send(Response::new_err(id, -32800, "cancelled".into()));
                    }
                }
            }
            _ => {}
        }
    }

    /// Queue `uri` for analysis, and the open scenarios and `.tf` files
    /// with it (they may read the file that changed).
    fn submit(&self, uri: &Uri) {
        let open: HashMap<PathBuf, Arc<str>> = self
            .documents
            .iter()
            .filter_map(|(u, d)| uri_to_path(u.as_str()).map(|p| (p, d.text.clone())))
            .collect();
        let input = |u: &Uri, text: Arc<str>, version: i32| Input {
            uri: u.clone(),
            version,
            text,
            previous: self.analyses.get(u).map(|a| a.kind),
            encoding: self.encoding,
            open: open.clone(),
        };
        if let Some(doc) = self.documents.get(uri) {
            self.worker
                .submit(input(uri, doc.text.clone(), doc.version));
        }
        for (other, doc) in self.documents.iter() {
            let reads_others = self
                .analyses
                .get(other)
                .is_some_and(|a| matches!(a.kind, Kind::Scenario | Kind::Terraform));
            if other != uri && reads_others {
                self.worker
                    .submit(input(other, doc.text.clone(), doc.version));
            }
        }
    }

    fn is_current(&self, uri: &Uri) -> bool {
        match (self.analyses.get(uri), self.documents.get(uri)) {
            (Some(a), Some(d)) => a.version == d.version,
            _ => false,
        }
    }

    fn on_analysis(&mut self, analysis: Analysis) {
        let Some(doc) = self.documents.get(&analysis.uri) else {
            return; // closed meanwhile
        };
        if doc.version != analysis.version {
            return; // a newer version is on its way
        }
        let uri = analysis.uri.clone();
        let lenses_changed = self
            .analyses
            .get(&uri)
            .is_none_or(|old| old.lenses != analysis.lenses);
        self.publish(&uri, analysis.diagnostics.clone(), Some(analysis.version));
        self.analyses.insert(uri.clone(), analysis);
        self.answer_waiting(&uri);
        if lenses_changed && self.refresh_lenses {
            self.next_id += 1;
            let id = RequestId::from(format!("keyward-refresh-{}", self.next_id));
            self.send(Request::new(
                id,
                request::CodeLensRefresh::METHOD.to_string(),
                Value::Null,
            ));
        }
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        self.send(Notification::new(
            notification::PublishDiagnostics::METHOD.to_string(),
            params,
        ));
    }

    fn answer_waiting(&mut self, uri: &Uri) {
        let (ready, still): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|(_, u)| u == uri);
        self.waiting = still;
        for (id, uri) in ready {
            let lenses = self.lenses(&uri);
            self.send(Response::new_ok(id, lenses));
        }
    }

    fn lenses(&self, uri: &Uri) -> Value {
        let lenses: Vec<CodeLens> = self
            .analyses
            .get(uri)
            .map(|a| {
                a.lenses
                    .iter()
                    .map(|lens| CodeLens {
                        range: lens.range,
                        command: Some(Command {
                            title: lens.title.clone(),
                            command: EXPLAIN_COMMAND.to_string(),
                            arguments: Some(vec![
                                Value::String(lens.title.clone()),
                                serde_json::json!(lens.reasons),
                            ]),
                        }),
                        data: None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        serde_json::to_value(lenses).unwrap_or(Value::Null)
    }

    /// The text of an open document that is ours to help with, and whether
    /// it is YAML.
    fn ours(&self, uri: &Uri) -> Option<(Arc<str>, bool)> {
        let doc = self.documents.get(uri)?;
        if self
            .analyses
            .get(uri)
            .is_some_and(|a| a.kind == Kind::Unrelated)
        {
            return None;
        }
        let lower = uri.as_str().to_ascii_lowercase();
        Some((
            doc.text.clone(),
            lower.ends_with(".yaml") || lower.ends_with(".yml"),
        ))
    }

    fn hover(&self, uri: &Uri, position: lsp_types::Position) -> Value {
        let Some((text, yaml)) = self.ours(uri) else {
            return Value::Null;
        };
        let source = Source::new("", text.clone());
        let at = offset(&source, position, self.encoding);
        let ranges = Ranges::new(&source, self.encoding);
        serde_json::to_value(hover::hover(&text, at, yaml, &ranges)).unwrap_or(Value::Null)
    }

    fn complete(&self, params: &CompletionParams) -> Value {
        let at = &params.text_document_position;
        let Some((text, yaml)) = self.ours(&at.text_document.uri) else {
            return Value::Null;
        };
        let source = Source::new("", text.clone());
        let offset = offset(&source, at.position, self.encoding);
        let ranges = Ranges::new(&source, self.encoding);
        let items = completion::complete(&text, offset, yaml, &ranges, self.completion);
        serde_json::to_value(CompletionResponse::Array(items)).unwrap_or(Value::Null)
    }

    fn code_actions(&self, params: &CodeActionParams) -> Value {
        let Some(doc) = self.documents.get(&params.text_document.uri) else {
            return Value::Null;
        };
        serde_json::to_value(code_actions::actions(params, &doc.text, self.encoding))
            .unwrap_or(Value::Null)
    }

    /// `keyward.explain`: show a lens's explanation as a message.
    fn execute(&self, params: &ExecuteCommandParams) {
        if params.command != EXPLAIN_COMMAND {
            return;
        }
        let title = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .unwrap_or("");
        let reasons: Vec<&str> = params
            .arguments
            .get(1)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let message = format!("{title}\n{}", reasons.join("\n"));
        self.send(Notification::new(
            notification::ShowMessage::METHOD.to_string(),
            ShowMessageParams {
                typ: MessageType::INFO,
                message,
            },
        ));
    }
}

fn parse<P: serde::de::DeserializeOwned>(params: Value) -> Result<P, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
}
