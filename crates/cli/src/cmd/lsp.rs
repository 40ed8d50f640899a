//! `keyward lsp`: the language server, over standard input and output (see
//! `docs/editor.md`). Exit 0 after `shutdown` and `exit`, 1 otherwise.

/// Arguments of `keyward lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Talk over standard input and output (the only transport; accepted
    /// because editors' clients pass it).
    #[arg(long)]
    stdio: bool,
}

/// Serve until the client exits.
pub fn run(_args: &Args) -> u8 {
    match keyward_lsp::run_stdio() {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("keyward lsp: {message}");
            1
        }
    }
}
