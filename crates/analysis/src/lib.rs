//! # keyward-analysis
//!
//! Decides properties of KMS key policies and IAM policies over **every**
//! possible request, not a sample.

mod err;
pub mod strings;

pub use err::Unknown;
pub mod actions;
pub mod checks;
pub mod ckey;
pub mod dims;
pub mod ec;
pub mod explain;
pub mod keys;
pub mod nonkey;
pub mod principals;
pub mod relevance;
pub mod scalars;
pub mod space;
pub mod stmts;
pub mod theory;
pub mod witness;
pub mod world;
