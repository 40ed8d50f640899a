//! # keyward-snapshot
//!
//! Answers about a real AWS account, loaded from what the AWS CLI exports
//! (or from iam-collect's store): IAM users, roles, groups and managed
//! policies, KMS keys with their policies, properties, aliases and grants,
//! and the organization's SCPs and RCPs. The layout is the contract of
//! `docs/snapshot-format.md`.
//!
//! Loading is loud and located: every surprise is a [`Problem`] naming its
//! file, line and column, the account, and the principal or key it belongs
//! to; nothing is dropped silently. What the snapshot lacks is a [`Gap`],
//! and an answer that depends on a gap is [`Verdict::Incomplete`] — never a
//! guessed allow or deny.
//!
//! The crate never touches the file system: it reads through a [`Files`]
//! provider (the CLI reads a directory; tests and the fuzzer serve files
//! from [`MemoryFiles`]).

mod ask;
mod aws;
mod embedded;
mod files;
mod iam;
mod json;
mod layout;
mod matrix;
mod model;
mod org;
mod principals;
mod problem;
mod resolve;
mod scenario_out;
mod snapshot;
mod stock;
mod summary;
pub mod synthetic;
mod verdict;
mod whole;
mod world;

pub use ask::{Ask, AskError, Incomplete, Outcome, Question, Verdict};
pub use files::{Entry, EntryKind, Files, MemoryFiles, ReadError};
pub use layout::Layout;
pub use matrix::{Cell, CellAnswer, CellVisit, Matrix};
pub use model::PrincipalKind;
pub use problem::{Gap, GapKind, Place, Problem};
pub use scenario_out::{ToScenario, ToScenarioError};
pub use snapshot::{load, LoadOptions, Snapshot, DEFAULT_MAX_FILE_SIZE};
pub use summary::{AccountSummary, OrgSummary, Summary};
pub use whole::WholeWorld;
