//! The rules, one file each: metadata, the check, the diagnostic builder and
//! the docs (whose examples run as tests).

mod admin_decrypt;
mod characters;
mod condition_keys;
pub(crate) mod context;
mod create_grant;
mod cross_account;
mod duplicate_sid;
mod families;
mod full_access;
mod grant_operations;
mod helpers;
mod identity_principal;
mod identity_resource;
mod key_actions;
mod lockout;
mod missing_principal;
mod missing_version;
mod not_action;
mod not_principal;
mod overly_permissive;
mod principal_account;
mod redundant;
mod resources;
mod set_qualifier;
mod sid_characters;
mod size;
mod source_ip;
mod type_mismatch;
mod unique_id;
mod unknown_action;
mod unsubstituted_variable;
mod version_variables;
mod wildcard_principal;

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
pub(crate) static ALL: &[Rule] = &[
    families::JSON,
    families::POLICY,
    version_variables::RULE,
    type_mismatch::RULE,
    set_qualifier::RULE,
    overly_permissive::RULE,
    size::RULE,
    characters::RULE,
    duplicate_sid::RULE,
    sid_characters::RULE,
    grant_operations::RULE,
    missing_principal::RULE,
    identity_principal::RULE,
    unsubstituted_variable::RULE,
    identity_resource::RULE,
    principal_account::RULE,
    wildcard_principal::RULE,
    lockout::RULE,
    not_principal::RULE,
    not_action::RULE,
    full_access::RULE,
    admin_decrypt::RULE,
    create_grant::RULE,
    cross_account::RULE,
    source_ip::RULE,
    unknown_action::UNKNOWN_SERVICE,
    unknown_action::UNKNOWN_ACTION,
    unknown_action::MATCHES_NOTHING,
    condition_keys::NOT_APPLICABLE,
    condition_keys::UNKNOWN_KEY,
    resources::MISSING_RESOURCE,
    resources::NEVER_MATCHES,
    redundant::REDUNDANT_ACTION,
    redundant::REDUNDANT_STATEMENT,
    unique_id::RULE,
    key_actions::RULE,
    missing_version::RULE,
];
