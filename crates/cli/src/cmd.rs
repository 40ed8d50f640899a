//! One module per subcommand.

pub mod check;
pub mod diff;
pub mod lint;
pub mod lsp;
pub mod parse;
pub mod policy_ref;
pub mod query;
pub mod rules;
pub mod scenario;
pub mod snapshot;
pub mod snapshot_matrix;
pub mod snapshot_query;
pub mod what_can;
pub mod who_can;
pub mod who_can_output;
pub mod who_can_world;
