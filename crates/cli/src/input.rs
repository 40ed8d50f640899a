//! Reading inputs: files or `-` for standard input, as [`Source`]s.

use std::io::Read;
use std::path::Path;

use keyward_policy::json::parse_bytes;
use keyward_policy::{Diagnostic, Source};

use crate::walk;

/// An input read from disk or stdin, with the diagnostic of a failed UTF-8 decode.
pub struct Input {
    /// The text (lossily decoded when it was not UTF-8).
    pub source: Source,
    /// Set when the bytes were not valid UTF-8, or there were too many.
    pub decode_error: Option<Diagnostic>,
}

/// The bytes of a file, or the news that there were more than the limit.
pub enum Bytes {
    /// All of them.
    Read(Vec<u8>),
    /// More than the limit (only the limit and one were read).
    TooLarge,
}

/// True for `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name `path` is shown by: `<stdin>` for `-`, else [`walk::show`].
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".to_string()
    } else {
        walk::show(path)
    }
}

/// Read at most `max_size` bytes of `path` (`-`: standard input); a larger
/// input is not read further (a huge file, or `/dev/zero`, never reaches
/// memory).
pub fn read_bytes(path: &Path, max_size: usize) -> std::io::Result<Bytes> {
    let limit = u64::try_from(max_size)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    if is_stdin(path) {
        std::io::stdin().take(limit).read_to_end(&mut bytes)?;
    } else {
        let file = std::fs::File::open(path)?;
        // Sized from the file's length (capped at the limit), the buffer is
        // filled in one read instead of growing by probes; a length of 0
        // (`/dev/zero`, a pipe) only loses the hint.
        let hint = file.metadata().map_or(0, |m| m.len()).min(limit);
        bytes.reserve(usize::try_from(hint).unwrap_or(0));
        file.take(limit).read_to_end(&mut bytes)?;
    }
    Ok(if bytes.len() > max_size {
        Bytes::TooLarge
    } else {
        Bytes::Read(bytes)
    })
}

/// The diagnostic of an input over `max_size` bytes.
pub fn too_large(max_size: usize) -> Diagnostic {
    Diagnostic::error(
        "json::too-large",
        format!("the input is larger than the limit of {max_size} bytes"),
        keyward_policy::Span::point(0),
    )
    .with_help("policies are at most 32 KB (key policies) or 6 KB (IAM); raise `--max-size` only for large templates")
}

/// Read `path` (`-` is standard input), refusing inputs over `max_size`
/// bytes before reading them. The error is one line naming the input.
pub fn read(path: &Path, max_size: usize) -> Result<Input, String> {
    let name = name(path);
    let bytes = read_bytes(path, max_size).map_err(|e| format!("cannot read `{name}`: {e}"))?;
    let bytes = match bytes {
        Bytes::Read(bytes) => bytes,
        Bytes::TooLarge => {
            return Ok(Input {
                source: Source::new(name, ""),
                decode_error: Some(too_large(max_size)),
            })
        }
    };
    // Valid UTF-8 becomes the text without a copy; anything else is
    // decoded lossily with a diagnostic at the first bad byte.
    let (text, decode_error) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let (text, error) = parse_bytes(e.as_bytes());
            (text.into_owned(), error)
        }
    };
    Ok(Input {
        source: Source::new(name, text),
        decode_error,
    })
}

/// Read `path` as text for commands that need valid UTF-8 within the default
/// size limit: an error message (with the place) otherwise.
pub fn read_text(path: &Path) -> Result<Source, String> {
    let input = read(path, keyward_policy::ParseOptions::default().max_size)?;
    match input.decode_error {
        None => Ok(input.source),
        Some(d) => {
            let at = input.source.start_of(d.span());
            Err(format!(
                "{}:{}:{}: {}",
                input.source.name(),
                at.line,
                at.column,
                d.message
            ))
        }
    }
}
