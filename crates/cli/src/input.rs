//! Reading inputs: files or `-` for standard input, as [`Source`]s.

use std::io::Read;

use keyward_policy::json::parse_bytes;
use keyward_policy::{Diagnostic, Source};

/// An input read from disk or stdin, with the diagnostic of a failed UTF-8 decode.
pub struct Input {
    /// The text (lossily decoded when it was not UTF-8).
    pub source: Source,
    /// Set when the bytes were not valid UTF-8.
    pub decode_error: Option<Diagnostic>,
}

/// Read `path` (`-` is standard input).
pub fn read(path: &str) -> Result<Input, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))?
    };
    let name = if path == "-" { "<stdin>" } else { path };
    let (text, decode_error) = parse_bytes(&bytes);
    Ok(Input {
        source: Source::new(name, text.into_owned()),
        decode_error,
    })
}
