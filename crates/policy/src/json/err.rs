//! The `json::` diagnostics: one constructor per problem, all in the house
//! style (lowercase message, the user's text in backticks, the fix in `help`).
//!
//! Every code here is listed in `docs/policy-grammar-json.md`.

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Collects diagnostics up to a limit, then adds one final "too many errors".
#[derive(Debug)]
pub(crate) struct Sink {
    pub(crate) list: Vec<Diagnostic>,
    max: usize,
    errors: usize,
    full: bool,
}

impl Sink {
    pub(crate) fn new(max: usize) -> Self {
        Sink {
            list: Vec::new(),
            max,
            errors: 0,
            full: false,
        }
    }

    /// Record `diagnostic`, unless the limit was already reached.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        if self.full {
            return;
        }
        if self.list.len() >= self.max {
            self.full = true;
            let at = diagnostic.span();
            self.errors += 1;
            self.list.push(
                Diagnostic::error(
                    "json::too-many-errors",
                    format!("too many errors; stopped after {}", self.max),
                    Span::point(at.start as usize),
                )
                .with_help("fix the errors above and run again to see the rest"),
            );
            return;
        }
        if diagnostic.is_error() {
            self.errors += 1;
        }
        self.list.push(diagnostic);
    }

    /// Record the diagnostic `make` builds, unless the limit was already
    /// reached (then it is not even built).
    pub(crate) fn report(&mut self, make: impl FnOnce() -> Diagnostic) {
        if !self.full {
            self.push(make());
        }
    }

    /// True once the limit was reached: the parser should stop.
    pub(crate) fn is_full(&self) -> bool {
        self.full
    }

    /// True when at least one error (not just warnings) was recorded.
    pub(crate) fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// Quote a piece of user text for a message: at most 24 characters, control
/// characters escaped, inside backticks.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::from("`");
    for (i, c) in text.chars().enumerate() {
        if i == 24 {
            out.push('…');
            break;
        }
        if c.is_control() || c == '\u{feff}' {
            out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

pub(crate) fn too_large(len: usize, max: usize) -> Diagnostic {
    Diagnostic::error(
        "json::too-large",
        format!("the input is {len} bytes, more than the limit of {max}"),
        Span::point(0),
    )
    .with_help("policies are at most a few kilobytes; check that this is the right file, or raise the size limit")
}

pub(crate) fn bom(span: Span) -> Diagnostic {
    Diagnostic::warning(
        "json::bom",
        "the input starts with a byte order mark",
        span,
    )
    .with_label("byte order mark (U+FEFF)")
    .with_help("save the file as UTF-8 without a byte order mark; AWS rejects policies that start with one")
}

pub(crate) fn too_deep(span: Span, max: usize) -> Diagnostic {
    Diagnostic::error(
        "json::too-deep",
        format!("arrays and objects are nested deeper than the limit of {max}"),
        span,
    )
    .with_label("this one is too deep")
    .with_help("flatten the document; no valid policy nests this deep")
}

pub(crate) fn invalid_utf8(span: Span, byte: u8) -> Diagnostic {
    Diagnostic::error(
        "json::invalid-utf8",
        format!("invalid UTF-8 byte `0x{byte:02x}`"),
        span,
    )
    .with_label("not UTF-8")
    .with_help("JSON text must be UTF-8; re-save the file with UTF-8 encoding")
}

pub(crate) fn comment(span: Span) -> Diagnostic {
    Diagnostic::error("json::comment", "comments are not allowed in JSON", span)
        .with_label("comment")
        .with_help("remove the comment; to document a statement, use its `Sid`")
}

pub(crate) fn unexpected_char(span: Span, text: &str) -> Diagnostic {
    let help = match text {
        "\u{feff}" => "remove the stray byte order mark",
        "\u{a0}" | "\u{2028}" | "\u{2029}" | "\u{3000}" => {
            "replace it with a plain space; JSON whitespace is space, tab, line feed and carriage return"
        }
        "“" | "”" | "„" | "‘" | "’" => "use straight double quotes `\"` around strings",
        _ => "remove it, or put it inside a string",
    };
    Diagnostic::error(
        "json::unexpected-character",
        format!("unexpected character {}", quote(text)),
        span,
    )
    .with_help(help)
}

pub(crate) fn invalid_number(span: Span, text: &str) -> Diagnostic {
    Diagnostic::error(
        "json::invalid-number",
        format!("invalid number {}", quote(text)),
        span,
    )
    .with_help("write numbers as in `-12`, `0.5` or `1e3`: no leading zeros, `+` signs, hex, or bare `.`; quote the value if it is text")
}

pub(crate) fn number_out_of_range(span: Span, text: &str) -> Diagnostic {
    Diagnostic::error(
        "json::number-out-of-range",
        format!("the number {} is too large to represent", quote(text)),
        span,
    )
    .with_help("use a smaller number, or write it as a string")
}

pub(crate) fn invalid_literal(span: Span, text: &str) -> Diagnostic {
    let help = match text {
        "True" | "TRUE" => "JSON booleans are lowercase: `true`",
        "False" | "FALSE" => "JSON booleans are lowercase: `false`",
        "None" | "NULL" | "Null" | "nil" | "undefined" => "the JSON null value is `null`",
        "NaN" | "Infinity" | "inf" => "JSON numbers are finite; write the value as a string",
        _ => {
            "put text in double quotes; the only bare words in JSON are `true`, `false` and `null`"
        }
    };
    Diagnostic::error(
        "json::invalid-literal",
        format!("{} is not a JSON value", quote(text)),
        span,
    )
    .with_help(help)
}

pub(crate) fn unquoted_key(span: Span, text: &str) -> Diagnostic {
    Diagnostic::error(
        "json::unquoted-key",
        format!("the key {} is not in double quotes", quote(text)),
        span,
    )
    .with_help("object keys are strings: write the key in double quotes")
}

pub(crate) fn single_quoted(span: Span) -> Diagnostic {
    Diagnostic::error(
        "json::single-quoted-string",
        "strings must be in double quotes",
        span,
    )
    .with_help("replace the single quotes `'` with double quotes `\"`")
}

pub(crate) fn unterminated_string(span: Span, at_end_of_input: bool) -> Diagnostic {
    let message = if at_end_of_input {
        "this string is not closed before the end of the input"
    } else {
        "this string is not closed before the end of the line"
    };
    Diagnostic::error("json::unterminated-string", message, span)
        .with_help("add the closing `\"`; a line break inside a string is written `\\n`")
}

pub(crate) fn control_character(span: Span, byte: u8) -> Diagnostic {
    let name = match byte {
        b'\t' => "a tab".to_string(),
        0 => "a NUL byte".to_string(),
        _ => format!("the control character `U+{byte:04X}`"),
    };
    let help = match byte {
        b'\t' => "write a tab inside a string as `\\t`".to_string(),
        _ => format!("write it as `\\u{byte:04x}`, or remove it"),
    };
    Diagnostic::error(
        "json::control-character",
        format!("{name} is not allowed inside a string"),
        span,
    )
    .with_help(help)
}

pub(crate) fn invalid_escape(span: Span, text: &str) -> Diagnostic {
    Diagnostic::error(
        "json::invalid-escape",
        format!("invalid escape {}", quote(text)),
        span,
    )
    .with_help("the escapes are `\\\"` `\\\\` `\\/` `\\b` `\\f` `\\n` `\\r` `\\t` and `\\u` with four hex digits; write a backslash as `\\\\`")
}

pub(crate) fn lone_surrogate(span: Span, text: &str) -> Diagnostic {
    Diagnostic::error(
        "json::lone-surrogate",
        format!("the escape {} is half of a surrogate pair", quote(text)),
        span,
    )
    .with_help("a character above U+FFFF is written as a high surrogate `\\ud800`–`\\udbff` followed by a low one `\\udc00`–`\\udfff`")
}

pub(crate) fn duplicate_key(span: Span, first: Span, key: &str) -> Diagnostic {
    Diagnostic::error(
        "json::duplicate-key",
        format!("the key {} appears twice in this object", quote(key)),
        span,
    )
    .with_label("duplicate key")
    .with_related(first, "first used here")
    .with_help("remove one of them; AWS keeps only one of the two, so the policy may not say what it seems to")
}

pub(crate) fn trailing_comma(closer: Span, comma: Span, closer_text: &str) -> Diagnostic {
    Diagnostic::error(
        "json::trailing-comma",
        format!("trailing comma before `{closer_text}`"),
        closer,
    )
    .with_related(comma, "this comma")
    .with_help("remove the comma")
}

pub(crate) fn missing_comma(
    span: Span,
    expected: &str,
    found: &str,
    in_object: bool,
) -> Diagnostic {
    let help = if in_object {
        "add a `,` between the two members"
    } else {
        "add a `,` between the two elements"
    };
    Diagnostic::error(
        "json::missing-comma",
        format!("expected {expected}, found {found}"),
        span,
    )
    .with_label("a `,` is missing before this")
    .with_help(help)
}

pub(crate) fn unexpected_token(span: Span, expected: &str, found: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        "json::unexpected-token",
        format!("expected {expected}, found {found}"),
        span,
    )
    .with_help(help)
}

pub(crate) fn unexpected_eof(
    span: Span,
    expected: &str,
    opener: Option<(Span, char)>,
) -> Diagnostic {
    let mut d = Diagnostic::error(
        "json::unexpected-eof",
        format!("expected {expected}, found end of input"),
        span,
    );
    match opener {
        Some((open, c)) => {
            let close = if c == '{' { '}' } else { ']' };
            d = d
                .with_related(open, format!("this `{c}` is never closed"))
                .with_help(format!(
                    "close it with `{close}`; the input may be cut short"
                ));
        }
        None => {
            d = d.with_help("the input is empty or cut short; a policy is a JSON object `{ … }`")
        }
    }
    d
}

pub(crate) fn trailing_characters(span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        "json::trailing-characters",
        format!("unexpected {found} after the JSON value"),
        span,
    )
    .with_help("a policy document is a single JSON value; remove what follows it")
}
