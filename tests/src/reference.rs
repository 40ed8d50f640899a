//! A reference evaluator for KMS requests: a second, deliberately simple
//! implementation of the decision, written straight from
//! `shared/spec/kms-authorization.md` (rule numbers in the comments).
//!
//! It exists to check the fast engine (`keyward-eval`): the differential
//! tests (`tests/tests/differential.rs`, `fuzz/fuzz_targets/differential.rs`)
//! give both the same world and request and require the same answer. So it
//! shares no code with the engine beyond the policy *model*: no indexing,
//! no compilation, no bitsets; every decision walks the policies statement by
//! statement, and wildcards are matched by a naive recursive matcher of its
//! own ([`wildcard`]), not the engine's linear-time `Pattern`.
//!
//! Where the spec marks a *Doubt*, the readings are the project's:
//! an explicit deny beats grants; permissions boundaries, session policies,
//! SCPs and RCPs bound grant-based access too; authorization comes first,
//! and key state or Region only turn an Allow into a KMS error; a request
//! sent to another Region ends in `NotFoundException`; a role ARN matches
//! its sessions by account and role name; `DeriveSharedSecret` is a grant
//! operation. Conditions that cannot be evaluated fail closed: an Allow
//! that depends on one does not apply, a Deny does.

mod condition;
mod context;
mod decide;
pub mod diff;
mod fast;
pub mod gen;
mod input;
mod key_state;
mod key_type;
mod principal;
pub mod wildcard;
mod world;

#[cfg(test)]
mod tests;

pub use decide::{decide, decide_with};
pub use fast::Fast;
pub use input::{invalid_request, refused_key_policy, refused_world};
pub use key_state::state_error;
pub use key_type::key_type_error;
pub use world::{
    Answer, Caller, Constraint, Decision, Grant, Key, KeyOrigin, KeyState, KmsError, NewGrant,
    Principal, Quirks, Request, Value, World, GRANT_OPERATIONS,
};
