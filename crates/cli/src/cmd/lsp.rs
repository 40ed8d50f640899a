//! `keyward lsp`: the language server, over standard input and output (see
//! `docs/editor.md`). Exit 0 after `shutdown` and `exit`, 1 otherwise.

use std::io::ErrorKind;

use crate::out;

/// Arguments of `keyward lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Talk over standard input and output (the only transport; accepted
    /// because editors' clients pass it).
    #[arg(long)]
    stdio: bool,
}

/// Serve until the client exits.
///
/// The transport writes standard output itself (framed messages); its
/// failures are reported as every command's are ([`out::stdout_failed`]):
/// a client that closed its end is no error, a failed write exits 2.
pub fn run(_args: &Args) -> u8 {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let served = keyward_lsp::serve(connection);
    let code = match served {
        Ok(()) => 0,
        Err(message) => {
            out::error(&format!("keyward lsp: {message}"), "");
            1
        }
    };
    match io_threads.join() {
        Ok(()) => code,
        // What the client sent could not be read as framed messages.
        Err(e) if matches!(e.kind(), ErrorKind::InvalidData | ErrorKind::UnexpectedEof) => {
            out::error(&format!("keyward lsp: {e}"), "");
            1
        }
        Err(e) => {
            out::stdout_failed(e);
            code
        }
    }
}
