//! One module per subcommand.

pub mod parse;
pub mod query;
pub mod scenario;
