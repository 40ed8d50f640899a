//! One module per subcommand.

pub mod lint;
pub mod parse;
pub mod rules;
pub mod query;
pub mod scenario;
