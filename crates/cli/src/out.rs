//! Every byte the CLI writes to standard output or standard error goes
//! through this module; `print!`, `println!`, `eprint!` and `eprintln!`
//! panic when a write fails and are denied in the CLI (`main.rs`).
//!
//! - A closed pipe (`keyward … | head -c 10`) is not an error: output
//!   stops, the command finishes quietly and keeps its exit code.
//! - Any other failure to write standard output (`> /dev/full`) is reported
//!   once, as one line on standard error, by [`finish`], and the exit code
//!   becomes 2. Standard error itself has nowhere to report to: its write
//!   errors are ignored.
//! - Each kind of output passes a last guard for the place it is read in:
//!   [`text`] and [`err`] (for people; also read by GitHub Actions when run
//!   in a workflow), [`json`] and [`json_text`] (JSON and SARIF),
//!   [`commands`] (GitHub workflow commands). The guards are the backstop
//!   behind [`crate::render::escape`], which every renderer applies to text
//!   from inputs.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::render::escape::{has_unsafe, push_escaped};

/// What has gone wrong with standard output so far.
struct State {
    /// The reader went away: further output is dropped.
    closed: bool,
    /// The first other write error.
    failure: Option<io::Error>,
}

static STATE: Mutex<State> = Mutex::new(State {
    closed: false,
    failure: None,
});

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn record(state: &mut State, e: io::Error) {
    if e.kind() == io::ErrorKind::BrokenPipe {
        state.closed = true;
    } else if state.failure.is_none() {
        state.failure = Some(e);
    }
}

fn write_stdout(bytes: &[u8]) {
    let mut state = state();
    if state.closed || state.failure.is_some() {
        return;
    }
    if let Err(e) = io::stdout().lock().write_all(bytes) {
        record(&mut state, e);
    }
}

fn write_stderr(bytes: &[u8]) {
    let _ = io::stderr().lock().write_all(bytes);
}

/// Text for people on standard output, through [`guard_text`].
pub fn text(s: &str) {
    write_stdout(guard_text(s).as_bytes());
}

/// Text for people on standard error (diagnostics, errors), through
/// [`guard_text`].
pub fn err(s: &str) {
    write_stderr(guard_text(s).as_bytes());
}

/// `error: MESSAGE` and, when there is one, `  help: HELP` on standard
/// error: the shape of every error the CLI reports without a snippet.
pub fn error(message: &str, help: &str) {
    let mut line = format!("error: {message}\n");
    if !help.is_empty() {
        line.push_str(&format!("  help: {help}\n"));
    }
    err(&line);
}

/// `value` as pretty JSON and a newline on standard output.
pub fn json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(mut text) => {
            text.push('\n');
            json_text(&text);
        }
        Err(e) => error(&format!("cannot write JSON: {e}"), ""),
    }
}

/// Text that is already JSON (or SARIF) on standard output, through
/// [`guard_json`].
pub fn json_text(s: &str) {
    write_stdout(guard_json(s).as_bytes());
}

/// GitHub workflow command lines (`::error file=…::…`) on standard output,
/// through [`guard_commands`].
pub fn commands(s: &str) {
    write_stdout(guard_commands(s).as_bytes());
}

/// Record a failure to write standard output met by a writer outside this
/// module (the language server's transport): reported by [`finish`] as
/// any other, and quiet for a closed pipe.
pub fn stdout_failed(e: io::Error) {
    record(&mut state(), e);
}

/// Flush standard output and return the exit code: `code`, or 2 with a
/// one-line error when standard output could not be written (a closed pipe
/// is not such a failure).
pub fn finish(code: u8) -> u8 {
    let mut state = state();
    if !state.closed && state.failure.is_none() {
        if let Err(e) = io::stdout().lock().flush() {
            record(&mut state, e);
        }
    }
    match &state.failure {
        Some(e) => {
            write_stderr(format!("error: cannot write to standard output: {e}\n").as_bytes());
            2
        }
        None => code,
    }
}

/// True when standard output is a terminal (for colour).
pub fn stdout_is_terminal() -> bool {
    io::IsTerminal::is_terminal(&io::stdout())
}

/// True when standard error is a terminal (for colour).
pub fn stderr_is_terminal() -> bool {
    io::IsTerminal::is_terminal(&io::stderr())
}

/// The last guard on text for people. Per line:
///
/// - every character [`is_unsafe`](crate::render::escape::is_unsafe) names is escaped (`\u{1b}`), except
///   newline, tab and the colour sequences miette draws (`ESC [ … m`);
/// - a line that would start, after blanks, with `::` gets a `\` before it,
///   so GitHub Actions does not read it as a workflow command;
/// - `##[`, the older command form GitHub still reads anywhere in a line,
///   becomes `##\[`.
pub fn guard_text(s: &str) -> Cow<'_, str> {
    let suspicious =
        |text: &str| text.contains("::") || text.contains("##[") || has_unsafe(text, b"\n\t");
    if !suspicious(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for line in s.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        // Most lines hold nothing to guard: `::` inside an ARN is fine.
        if !body.trim_start().starts_with("::") && !body.contains("##[") && !has_unsafe(body, b"\t")
        {
            out.push_str(line);
            continue;
        }
        let mut clean = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(c) = rest.chars().next() {
            if c == '\u{1b}' {
                if let Some(len) = colour_sequence(rest) {
                    clean.push_str(&rest[..len]);
                    rest = &rest[len..];
                    continue;
                }
            }
            if c == '\t' {
                clean.push(c);
            } else {
                push_escaped(&mut clean, c);
            }
            rest = &rest[c.len_utf8()..];
        }
        let indent = clean.len() - clean.trim_start().len();
        if clean[indent..].starts_with("::") {
            clean.insert(indent, '\\');
        }
        out.push_str(&clean.replace("##[", "##\\["));
        out.push_str(end);
    }
    Cow::Owned(out)
}

/// The length of the SGR sequence (`ESC [ digits;… m`) at the start of `s`.
fn colour_sequence(s: &str) -> Option<usize> {
    let params = s.strip_prefix("\u{1b}[")?;
    let digits = params
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (params.as_bytes().get(digits) == Some(&b'm')).then_some(2 + digits + 1)
}

/// The last guard on JSON text: `##[` can only stand inside a JSON string,
/// where `##\u005b` is the same string and no GitHub workflow command.
/// Control characters are already escaped by the serializer.
pub fn guard_json(s: &str) -> Cow<'_, str> {
    if s.contains("##[") {
        Cow::Owned(s.replace("##[", "##\\u005b"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The last guard on workflow commands: every character [`is_unsafe`](crate::render::escape::is_unsafe)
/// names other than the newline ending each command is escaped.
pub fn guard_commands(s: &str) -> Cow<'_, str> {
    if !has_unsafe(s, b"\n") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::escape::is_unsafe;

    #[test]
    fn plain_text_passes_unchanged() {
        let s = "✓ Alice  kms:Decrypt  CMK-A  allow\n  ╭─[a.json:1:2]\n";
        assert!(matches!(guard_text(s), Cow::Borrowed(_)));
        assert_eq!(guard_text("key: arn:aws:kms::1\n"), "key: arn:aws:kms::1\n");
    }

    #[test]
    fn workflow_commands_cannot_start_a_line_of_text() {
        assert_eq!(
            guard_text("ok\n  ::error file=x::pwned\n::warning::w"),
            "ok\n  \\::error file=x::pwned\n\\::warning::w"
        );
        assert_eq!(guard_text("\u{2003}::error::x\n"), "\u{2003}\\::error::x\n");
        assert_eq!(guard_text("a ##[error]b\n"), "a ##\\[error]b\n");
        // Escaping the `\r` keeps the line one line.
        assert_eq!(guard_text("a\r::error::x\n"), "a\\r::error::x\n");
    }

    #[test]
    fn only_colour_sequences_survive_in_text() {
        assert_eq!(
            guard_text("\u{1b}[1;31m×\u{1b}[0m x\n"),
            "\u{1b}[1;31m×\u{1b}[0m x\n"
        );
        assert_eq!(
            guard_text("\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{1b}[H"),
            "\\u{1b}]52;c;aGk=\\u{7}\\u{1b}[2J\\u{1b}[H"
        );
        assert_eq!(guard_text("tab\there\n"), "tab\there\n");
    }

    #[test]
    fn json_stays_the_same_json() {
        let text = serde_json::to_string(&serde_json::json!({"Sid": "##[error]x\u{1b}"})).unwrap();
        let guarded = guard_json(&text);
        assert!(!guarded.contains("##["));
        let back: serde_json::Value = serde_json::from_str(&guarded).unwrap();
        assert_eq!(back["Sid"], "##[error]x\u{1b}");
    }

    #[test]
    fn commands_keep_their_lines() {
        assert_eq!(
            guard_commands("::error file=a,line=1::m\u{1b}[2J\n::notice::n\n"),
            "::error file=a,line=1::m\\u{1b}[2J\n::notice::n\n"
        );
    }

    /// The guard of `clippy::print_stdout` (main.rs) for those who only run
    /// the tests: no other file of the CLI writes to the standard streams.
    #[test]
    fn only_this_module_writes_to_stdout_and_stderr() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    out.push(path);
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut all = Vec::new();
        files(&src, &mut all);
        assert!(all.len() > 10, "{all:?}");
        let forbidden = [
            "io::stdout",
            "io::stderr",
            "print!(",
            "println!(",
            "eprint!(",
            "eprintln!(",
        ];
        for path in all.iter().filter(|p| !p.ends_with("src/out.rs")) {
            let text = std::fs::read_to_string(path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for f in forbidden {
                    assert!(
                        !code.contains(f),
                        "{}:{}: `{f}`: write through `crate::out` instead",
                        path.display(),
                        n + 1
                    );
                }
            }
        }
    }

    /// Text built from the characters that matter here, and any others.
    fn hostile() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just(":".to_string()),
            Just("::".to_string()),
            Just("#".to_string()),
            Just("##[".to_string()),
            Just("[".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just(" ".to_string()),
            Just("\u{1b}[".to_string()),
            Just("m".to_string()),
            Just("\u{2003}".to_string()),
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #[test]
        fn guarded_text_holds_no_command_and_no_raw_control(s in hostile()) {
            let guarded = guard_text(&s);
            for line in guarded.split('\n') {
                proptest::prop_assert!(!line.trim_start().starts_with("::"), "{line:?}");
                proptest::prop_assert!(!line.contains("##["), "{line:?}");
                let mut rest = line;
                while let Some(c) = rest.chars().next() {
                    if c == '\u{1b}' {
                        let len = colour_sequence(rest);
                        proptest::prop_assert!(len.is_some(), "{line:?}");
                        rest = &rest[len.unwrap_or(1)..];
                        continue;
                    }
                    proptest::prop_assert!(c == '\t' || !is_unsafe(c), "{line:?}");
                    rest = &rest[c.len_utf8()..];
                }
            }
        }

        #[test]
        fn guarded_json_is_the_same_json(s in hostile()) {
            let text = serde_json::to_string(&serde_json::json!({ "s": s })).unwrap_or_default();
            let guarded = guard_json(&text);
            proptest::prop_assert!(!guarded.contains("##["));
            let back: serde_json::Value = serde_json::from_str(&guarded).unwrap_or_default();
            proptest::prop_assert_eq!(back["s"].as_str(), Some(s.as_str()));
        }

        #[test]
        fn escaped_text_is_one_safe_line(s in hostile()) {
            let escaped = crate::render::escape(&s);
            proptest::prop_assert!(!escaped.chars().any(is_unsafe), "{escaped:?}");
        }
    }
}
