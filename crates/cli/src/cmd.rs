//! One module per subcommand.

pub mod lint;
pub mod lsp;
pub mod parse;
pub mod policy_ref;
pub mod query;
pub mod rules;
pub mod scenario;
