//! Action names and patterns. (Placeholder.)

/// A pattern from an `Action` element: `*` or `service:name` with wildcards.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActionPattern;
