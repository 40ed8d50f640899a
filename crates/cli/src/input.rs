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

/// Read `path` (`-` is standard input), refusing inputs over `max_size`
/// bytes before reading them (a huge file never reaches memory).
pub fn read(path: &str, max_size: usize) -> Result<Input, String> {
    let name = if path == "-" { "<stdin>" } else { path };
    let limit = u64::try_from(max_size)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| format!("cannot read `{name}`: {e}"))?;
    if bytes.len() > max_size {
        return Ok(Input {
            source: Source::new(name, ""),
            decode_error: Some(
                Diagnostic::error(
                    "json::too-large",
                    format!("the input is larger than the limit of {max_size} bytes"),
                    keyward_policy::Span::point(0),
                )
                .with_help("policies are at most 32 KB (key policies) or 6 KB (IAM); raise `--max-size` only for large templates"),
            ),
        });
    }
    let (text, decode_error) = parse_bytes(&bytes);
    Ok(Input {
        source: Source::new(name, text.into_owned()),
        decode_error,
    })
}

/// Read `path` as text for commands that need valid UTF-8 within the default
/// size limit: an error message (with the place) otherwise.
pub fn read_text(path: &str) -> Result<Source, String> {
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
