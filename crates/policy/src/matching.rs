//! Matching primitives the evaluator and linter share: the IAM wildcard
//! matcher (`*` and `?`, linear time on any pattern), action names, ARNs and
//! principal ARNs.

mod action;
pub(crate) mod action_scan;
mod arn;
mod arn_pattern;
mod err;
mod principal_arn;
mod wildcard;

pub use action::ActionPattern;
pub use arn::Arn;
pub use arn_pattern::ArnPattern;
pub use err::{
    ActionPatternError, ActionPatternErrorKind, ArnError, ArnErrorKind, ArnPatternError,
};
pub use principal_arn::{PrincipalArn, RoleKey, UniqueIdKind};
pub use wildcard::{CaseMode, Pattern, PatternToken};
