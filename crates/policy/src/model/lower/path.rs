//! JSON pointers, built only when a diagnostic needs one.
//!
//! Lowering walks every element of every policy; formatting a pointer string
//! for each would cost more than the lowering itself. A `Path` is a chain of
//! borrowed segments on the stack, rendered to text on demand.

use std::fmt;

/// Where a node sits in the document: a chain of keys and indexes.
#[derive(Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The document itself (pointer `""`).
    pub(crate) const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    /// The member `key` of this object.
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// Element `index` of this array.
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// Element `index` when the value was written as an array, else this
    /// path itself (a scalar stands for a one-element list).
    pub(crate) fn item(&'a self, index: usize, array: bool) -> Path<'a> {
        if array {
            self.index(index)
        } else {
            *self
        }
    }

    /// The RFC 6901 pointer text, e.g. `/Statement/0/Condition`.
    pub(crate) fn render(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.segment {
            Segment::Root => Ok(()),
            Segment::Key(key) => {
                f.write_str("/")?;
                for c in key.chars() {
                    match c {
                        '~' => f.write_str("~0")?,
                        '/' => f.write_str("~1")?,
                        c => fmt::Write::write_char(f, c)?,
                    }
                }
                Ok(())
            }
            Segment::Index(i) => write!(f, "/{i}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rfc_6901_pointers() {
        let root = Path::ROOT;
        let statement = root.key("Statement");
        let first = statement.index(0);
        let odd = first.key("a/b~c");
        assert_eq!(root.render(), "");
        assert_eq!(odd.render(), "/Statement/0/a~1b~0c");
    }
}
