//! The rules, one file each: metadata, the check, the diagnostic builder and
//! the docs (whose examples run as tests).

pub(crate) mod context;
mod families;

pub use context::Context;

use crate::registry::Rule;

/// How a rule finds its problems.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Check {
    /// It stands for a family of parser diagnostics (`json::…`, `policy::…`).
    Family,
    /// It checks a valid policy.
    Policy(fn(&mut Context<'_>)),
}

/// Every rule, in code order.
pub(crate) static ALL: &[Rule] = &[families::JSON, families::POLICY];
