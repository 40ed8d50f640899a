//! # keyward-lsp
//!
//! keyward's Language Server Protocol server (`keyward lsp`), over stdio,
//! built on rust-analyzer's `lsp-server` scaffold. For key policies and IAM
//! policies (JSON), CloudFormation templates (JSON and YAML), Terraform plans
//! (JSON) and scenario files it gives:
//!
//! - diagnostics on open and on every change: the parser's, the linter's and
//!   the scenario loader's, with ranges, codes, links to the rule pages and
//!   related locations;
//! - hover on actions, condition keys and operators, from the bundled catalog;
//! - completion of actions (with wildcards), condition keys that apply to the
//!   statement's actions, operators with their qualifiers, and principal ARNs;
//! - quick fixes where the fix is certain (a mistyped action, an operator or
//!   element name in the wrong case);
//! - in scenario files, each expectation's decision as a code lens, updated
//!   as you type.
//!
//! Analysis runs on its own thread; the message loop never waits for it, and
//! a burst of edits is analysed once, at its latest version.
//!
//! Native only (threads, files): the wasm bundle does not include it.

mod analysis;
mod catalog;
mod classify;
mod code_actions;
mod completion;
mod convert;
mod cursor;
mod documents;
mod files;
mod hover;
mod operators;
mod positions;
mod scenario;
mod server;
mod terraform;
mod worker;
mod yaml_cursor;

pub use analysis::{analyse, Analysis, Input, Kind, Lens};
pub use positions::Encoding;
pub use server::serve;

/// Serve on standard input and output until the client says `exit`.
///
/// The error is a protocol failure (the client went away mid-handshake, or
/// sent something that is not JSON-RPC).
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    serve(connection)?;
    io_threads.join().map_err(|e| e.to_string())
}
