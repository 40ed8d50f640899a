//! Matching primitives the evaluator and linter share: the IAM wildcard
//! matcher (`*` and `?`, linear time on any pattern), action names, and ARNs.

mod action;
mod arn;
mod wildcard;

pub use action::ActionPattern;
pub use arn::{Arn, ArnPattern};
pub use wildcard::{CaseMode, Pattern, PatternToken};
