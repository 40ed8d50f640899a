//! # keyward-scenario
//!
//! Scenario files describe a small AWS world (principals with their IAM
//! policies, KMS keys with their key policies, grants, SCPs and RCPs) and
//! the answers expected for some requests. This crate reads them (with
//! spans, through keyward's own JSON parser), compiles the world into a
//! [`keyward_eval::Authorizer`], checks every expectation and builds the
//! principal × key matrix. The format is described in
//! `docs/scenario-format.md`.
//!
//! The library never touches the file system: `{"file": PATH}` policies are
//! read through a [`Loader`] the caller provides (the CLI reads files, the
//! browser build serves them from memory).

mod load;
mod loader;
mod matrix;
mod model;
mod output;
mod run;

pub use load::{load, ScenarioBuilder, KEY_POLICY_REFUSED};
pub use loader::{Loader, MemoryLoader, ReadError};
pub use matrix::{matrix, Matrix, MatrixCell};
pub use model::{Check, Expected, ExpectedDecision, Problem, Scenario};
pub use output::{problems_json, CheckJson, ExpectedJson, MatrixJson, RunJson};
pub use run::{run, CheckResult};
