//! What loading found wrong ([`Problem`]) and what the snapshot lacks
//! ([`Gap`]): every problem names its file, line and column, the account and
//! the principal or key it belongs to; every gap names what is missing and
//! where it was referenced.

use std::fmt;

use keyward_policy::{Diagnostic, Source, Span};

/// A diagnostic found while loading a snapshot, with the file it points
/// into and whose data it concerns.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The file the diagnostic's spans refer to.
    pub source: Source,
    /// What is wrong. Its message already names the account and subject.
    pub diagnostic: Diagnostic,
    /// The account concerned, when there is one.
    pub account: Option<String>,
    /// The principal, key, group or policy concerned (`role \`ci\``).
    pub subject: Option<String>,
}

impl Problem {
    /// Where the problem is: file, line and column of its primary span.
    pub fn place(&self) -> Place {
        Place::of(&self.source, self.diagnostic.span())
    }
}

/// A place in a snapshot file (line and column 0: the file as a whole,
/// e.g. a file that is missing).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    /// The path, relative to the snapshot's root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl Place {
    /// The place of `span` in `source`.
    pub fn of(source: &Source, span: Span) -> Place {
        let at = source.start_of(span);
        Place {
            file: source.name().to_string(),
            line: at.line,
            column: at.column,
        }
    }
}

impl Place {
    /// A whole file.
    pub fn file(path: &str) -> Place {
        Place {
            file: path.to_string(),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return f.write_str(&self.file);
        }
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A span in a snapshot file, kept to report a problem later.
#[derive(Clone, Debug)]
pub(crate) struct Loc {
    pub(crate) source: Source,
    pub(crate) span: Span,
}

impl Loc {
    pub(crate) fn place(&self) -> Place {
        Place::of(&self.source, self.span)
    }

    /// Report an error here.
    pub(crate) fn problem(
        &self,
        owner: &Owner,
        code: &'static str,
        message: String,
        help: &str,
    ) -> Problem {
        let mut d = Diagnostic::error(code, message, self.span);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        owner.problem(&self.source, d)
    }
}

/// What kind of data a [`Gap`] stands for, which decides how an answer
/// can depend on it (see `docs/snapshot-format.md`, "Incomplete answers").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GapKind {
    /// An identity policy of the principal (inline, managed, or a group's).
    Identity,
    /// The principal's permissions boundary.
    Boundary,
    /// The key's key policy.
    KeyPolicy,
    /// The key's state, origin, spec, usage and multi-Region properties.
    KeyMetadata,
    /// Some or all of the key's grants.
    Grants,
    /// The key's tags.
    KeyTags,
    /// The aliases of the key's account and Region.
    Aliases,
    /// A service control policy of the principal's account.
    Scp,
    /// A resource control policy of the key's account.
    Rcp,
}

impl GapKind {
    /// A short machine name (`identity`, `key-policy`, …).
    pub fn code(self) -> &'static str {
        match self {
            GapKind::Identity => "identity",
            GapKind::Boundary => "permissions-boundary",
            GapKind::KeyPolicy => "key-policy",
            GapKind::KeyMetadata => "key-metadata",
            GapKind::Grants => "grants",
            GapKind::KeyTags => "key-tags",
            GapKind::Aliases => "aliases",
            GapKind::Scp => "scp",
            GapKind::Rcp => "rcp",
        }
    }
}

/// Something the snapshot lacks that some answers depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// What kind of data it is.
    pub kind: GapKind,
    /// What is missing, in words (`managed policy \`arn:…\` of role \`ci\`:
    /// no \`Policies\` entry defines it`).
    pub what: String,
    /// Where it was referenced, or where the problem that lost it is.
    pub place: Option<Place>,
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)?;
        match &self.place {
            // A whole file the message already names.
            Some(p) if p.line == 0 && self.what.contains(&p.file) => Ok(()),
            Some(p) => write!(f, " ({p})"),
            None => Ok(()),
        }
    }
}

/// Whose data a diagnostic concerns.
#[derive(Clone, Debug, Default)]
pub(crate) struct Owner {
    pub(crate) account: Option<String>,
    pub(crate) subject: Option<String>,
}

impl Owner {
    pub(crate) fn account(account: &str) -> Owner {
        Owner {
            account: Some(account.to_string()),
            subject: None,
        }
    }

    pub(crate) fn of(account: &str, subject: impl Into<String>) -> Owner {
        Owner {
            account: Some(account.to_string()),
            subject: Some(subject.into()),
        }
    }

    pub(crate) fn subject(subject: impl Into<String>) -> Owner {
        Owner {
            account: None,
            subject: Some(subject.into()),
        }
    }

    /// `role \`ci\` in account 1111…: ` — the prefix of every message.
    pub(crate) fn prefix(&self) -> String {
        match (&self.subject, &self.account) {
            (Some(s), Some(a)) => format!("{s} in account {a}: "),
            (Some(s), None) => format!("{s}: "),
            (None, Some(a)) => format!("account {a}: "),
            (None, None) => String::new(),
        }
    }

    pub(crate) fn problem(&self, source: &Source, mut diagnostic: Diagnostic) -> Problem {
        diagnostic.message = format!("{}{}", self.prefix(), diagnostic.message);
        Problem {
            source: source.clone(),
            diagnostic,
            account: self.account.clone(),
            subject: self.subject.clone(),
        }
    }
}
