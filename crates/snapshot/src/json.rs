//! Reading snapshot files: keyward's spanned JSON parser, and shape checks
//! that turn every surprise into a located [`Problem`].

use std::fmt;

use keyward_policy::json::{self, JsonKind, JsonMember, JsonValue, ParseOptions};
use keyward_policy::{Diagnostic, Source, Span};

use crate::files::{ReadError, Reader};
use crate::problem::{Owner, Place, Problem};

/// A parsed snapshot file.
#[derive(Debug)]
pub(crate) struct Doc {
    pub(crate) source: Source,
    pub(crate) root: JsonValue,
}

/// Why a file gave nothing: already reported; the place is for gaps.
#[derive(Clone, Debug)]
pub(crate) struct Lost {
    pub(crate) place: Place,
    pub(crate) why: String,
}

/// The loading context: the reader, the limits and every problem so far.
pub(crate) struct Cx<'f> {
    pub(crate) reader: Reader<'f>,
    pub(crate) options: ParseOptions,
    pub(crate) problems: Vec<Problem>,
}

impl<'f> Cx<'f> {
    pub(crate) fn new(reader: Reader<'f>, max_file_size: usize) -> Cx<'f> {
        Cx {
            reader,
            options: ParseOptions {
                max_size: max_file_size,
                ..ParseOptions::default()
            },
            problems: Vec::new(),
        }
    }

    /// Report a problem about a file as a whole (no text to point into).
    pub(crate) fn file_problem(
        &mut self,
        path: &str,
        owner: &Owner,
        code: &'static str,
        message: String,
        help: &str,
    ) -> Lost {
        let source = Source::new(path, "");
        let mut d = Diagnostic::error(code, message.clone(), Span::point(0));
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.problems.push(owner.problem(&source, d));
        Lost {
            place: Place::file(path),
            why: message,
        }
    }

    /// A warning about a file as a whole.
    pub(crate) fn file_warning(
        &mut self,
        path: &str,
        owner: &Owner,
        code: &'static str,
        message: String,
        help: &str,
    ) {
        let source = Source::new(path, "");
        let mut d = Diagnostic::warning(code, message, Span::point(0));
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.problems.push(owner.problem(&source, d));
    }

    /// Read and parse `path`. A missing file is `Err` and reported only
    /// when `required`.
    pub(crate) fn read_json(
        &mut self,
        path: &str,
        owner: &Owner,
        required: bool,
    ) -> Result<Doc, Lost> {
        let bytes = match self.reader.read(path) {
            Ok(b) => b,
            Err(ReadError::NotFound) if !required => {
                return Err(Lost {
                    place: Place::file(path),
                    why: format!("`{path}` is not in the snapshot"),
                })
            }
            Err(ReadError::NotFound) => return Err(self.file_problem(
                path,
                owner,
                "snapshot::missing-file",
                format!("`{path}` is missing"),
                "export it with the AWS CLI command docs/snapshot-format.md names for this file",
            )),
            Err(e) => {
                let help = match e {
                    ReadError::TooLarge { .. } => "export authorization details in pages (`--max-items`), as scripts/collect-snapshot.sh does, or raise `--max-file-size`",
                    _ => "",
                };
                return Err(self.file_problem(
                    path,
                    owner,
                    "snapshot::unreadable",
                    format!("cannot read `{path}`: {e}"),
                    help,
                ));
            }
        };
        let source = match String::from_utf8(bytes) {
            Ok(text) => Source::new(path, text),
            Err(e) => {
                let (text, decode_error) = json::parse_bytes(e.as_bytes());
                let source = Source::new(path, text.into_owned());
                let place = match decode_error {
                    Some(d) => {
                        let place = Place::of(&source, d.span());
                        self.problems.push(owner.problem(&source, d));
                        place
                    }
                    None => Place::file(path),
                };
                return Err(Lost {
                    place,
                    why: format!("`{path}` is not UTF-8 text"),
                });
            }
        };
        let parsed = json::parse(source.text(), &self.options);
        let mut first_error = None;
        for d in parsed.diagnostics {
            if d.is_error() && first_error.is_none() {
                first_error = Some(Place::of(&source, d.span()));
            }
            self.problems.push(owner.problem(&source, d));
        }
        match parsed.value {
            Some(root) => Ok(Doc { source, root }),
            None => Err(Lost {
                place: first_error.unwrap_or_else(|| Place::of(&source, Span::point(0))),
                why: format!("`{path}` is not valid JSON"),
            }),
        }
    }
}

/// Shape checks within one file, for one owner.
pub(crate) struct Sink<'a> {
    pub(crate) problems: &'a mut Vec<Problem>,
    pub(crate) source: &'a Source,
    pub(crate) owner: Owner,
}

impl Sink<'_> {
    /// Report an error at `span`; returns its place (for a gap).
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        message: String,
        span: Span,
        help: &str,
    ) -> Place {
        let mut d = Diagnostic::error(code, message, span);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.push(d)
    }

    /// Report a diagnostic as it is (its spans point into this file).
    pub(crate) fn push(&mut self, d: Diagnostic) -> Place {
        let place = Place::of(self.source, d.span());
        self.problems.push(self.owner.problem(self.source, d));
        place
    }

    pub(crate) fn place(&self, span: Span) -> Place {
        Place::of(self.source, span)
    }

    /// The members of an object, or a problem.
    pub(crate) fn object<'v>(
        &mut self,
        v: &'v JsonValue,
        what: impl fmt::Display,
    ) -> Result<&'v [JsonMember], Place> {
        v.as_object()
            .ok_or_else(|| self.wrong_type(v, what, "an object"))
    }

    /// The elements of an array, or a problem.
    pub(crate) fn array<'v>(
        &mut self,
        v: &'v JsonValue,
        what: impl fmt::Display,
    ) -> Result<&'v [JsonValue], Place> {
        v.as_array()
            .ok_or_else(|| self.wrong_type(v, what, "an array"))
    }

    /// A string, or a problem.
    pub(crate) fn string<'v>(
        &mut self,
        v: &'v JsonValue,
        what: impl fmt::Display,
    ) -> Result<&'v str, Place> {
        v.as_str()
            .ok_or_else(|| self.wrong_type(v, what, "a string"))
    }

    /// A boolean, or a problem.
    pub(crate) fn boolean(
        &mut self,
        v: &JsonValue,
        what: impl fmt::Display,
    ) -> Result<bool, Place> {
        match v.kind {
            JsonKind::Bool(b) => Ok(b),
            _ => Err(self.wrong_type(v, what, "a boolean")),
        }
    }

    /// A list of strings, or a problem.
    pub(crate) fn strings(
        &mut self,
        v: &JsonValue,
        what: impl fmt::Display,
    ) -> Result<Vec<String>, Place> {
        let items = self.array(v, &what)?;
        let mut out = Vec::with_capacity(items.len());
        let mut bad = None;
        for item in items {
            match self.string(item, format_args!("an element of {what}")) {
                Ok(s) => out.push(s.to_string()),
                Err(p) => bad = bad.or(Some(p)),
            }
        }
        match bad {
            Some(p) => Err(p),
            None => Ok(out),
        }
    }

    pub(crate) fn wrong_type(
        &mut self,
        v: &JsonValue,
        what: impl fmt::Display,
        expected: &str,
    ) -> Place {
        self.error(
            "snapshot::shape",
            format!("{what} must be {expected}, not {}", v.kind_name()),
            v.span,
            "the file must be the unmodified JSON output of the AWS CLI command docs/snapshot-format.md names for it",
        )
    }

    /// The member `name` of `members`, or a problem at `span` (the object).
    pub(crate) fn required<'v>(
        &mut self,
        members: &'v [JsonMember],
        name: &str,
        span: Span,
        what: impl fmt::Display,
    ) -> Result<&'v JsonValue, Place> {
        field(members, name).ok_or_else(|| {
            self.error(
                "snapshot::missing-field",
                format!("{what} has no `{name}`"),
                span,
                "the file must be the unmodified JSON output of the AWS CLI command docs/snapshot-format.md names for it",
            )
        })
    }

    /// A required string member.
    pub(crate) fn required_str<'v>(
        &mut self,
        members: &'v [JsonMember],
        name: &str,
        span: Span,
        what: impl fmt::Display,
    ) -> Result<&'v str, Place> {
        let v = self.required(members, name, span, what)?;
        self.string(v, format_args!("`{name}`"))
    }

    /// An optional string member (`null` counts as absent).
    pub(crate) fn optional_str<'v>(
        &mut self,
        members: &'v [JsonMember],
        name: &str,
    ) -> Result<Option<&'v str>, Place> {
        match field(members, name) {
            None => Ok(None),
            Some(v) if matches!(v.kind, JsonKind::Null) => Ok(None),
            Some(v) => self.string(v, format_args!("`{name}`")).map(Some),
        }
    }
}

/// The member named `name` (exact).
pub(crate) fn field<'v>(members: &'v [JsonMember], name: &str) -> Option<&'v JsonValue> {
    members.iter().find(|m| &*m.key == name).map(|m| &m.value)
}
