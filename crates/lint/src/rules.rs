//! The rules, one file each, named after the rule it holds
//! (`wildcard-principal-without-condition` lives in
//! `wildcard_principal_without_condition.rs`): its metadata, its check, its
//! docs (whose examples run as tests) and its own pass/fail cases.
//!
//! The other files here serve the rules: `context.rs` (what a policy rule
//! sees), `key_context.rs` (what a key rule sees),
//! `helpers.rs` (questions about a statement), `examples.rs` (help texts'
//! examples in the input's syntax), `action_index.rs`, `spelling.rs` and,
//! for the tests, `cases.rs`.

mod action_not_for_key;
mod action_wildcard_matches_nothing;
mod admin_can_decrypt;
mod allow_with_not_action;
mod allow_with_not_principal;
mod condition_key_not_applicable;
mod condition_type_mismatch;
mod condition_value_type_mismatch;
mod cross_account_access;
mod dangling_unique_id;
mod decrypt_on_all_keys;
mod duplicate_sid;
mod for_all_values_on_per_pair_key;
mod full_access_for_non_admin;
mod identity_statement_without_resource;
mod invalid_grant_operation;
mod invalid_json;
mod invalid_policy;
mod invalid_sid;
mod invalid_suppression;
mod key_policy_lockout;
mod key_policy_too_large;
mod key_rotation_disabled;
mod key_statement_without_principal;
mod key_statement_without_resource;
mod key_without_policy;
mod missing_version;
mod principal_account_not_an_id;
mod principal_in_identity_policy;
mod redundant_action;
mod redundant_statement;
mod resource_never_matches_key;
mod set_qualifier_on_single_valued_key;
mod short_deletion_window;
mod source_ip_in_key_policy;
mod unknown_action;
mod unknown_condition_key;
mod unknown_service;
mod unrestricted_create_grant;
mod unsupported_characters;
mod variable_not_substituted;
mod variables_without_version;
mod wildcard_principal_without_condition;

mod action_index;
#[cfg(test)]
mod cases;
pub(crate) mod context;
mod examples;
mod helpers;
mod key_context;
pub(crate) mod spelling;

pub use context::{Account, Context};
pub use key_context::KeyContext;

use crate::registry::Rule;

/// How a rule finds its problems.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Check {
    /// It stands for a family of parser diagnostics (`json::…`, `policy::…`).
    Family,
    /// It checks a policy statement by statement, so it also runs on the
    /// statements that could be read when another one could not.
    Policy(fn(&mut Context<'_>)),
    /// It checks a policy as a whole (what no statement allows, what a `Deny`
    /// takes back), so it runs only when every statement could be read: a
    /// statement left out could change its answer.
    WholePolicy(fn(&mut Context<'_>)),
    /// It checks a KMS key a template or plan declares (its settings, not
    /// its policy).
    Key(fn(&mut KeyContext<'_>)),
}

/// Every rule, in code order.
pub(crate) static ALL: &[Rule] = &[
    invalid_json::RULE,
    invalid_policy::RULE,
    invalid_suppression::RULE,
    variables_without_version::RULE,
    condition_type_mismatch::RULE,
    set_qualifier_on_single_valued_key::RULE,
    for_all_values_on_per_pair_key::RULE,
    key_policy_too_large::RULE,
    unsupported_characters::RULE,
    duplicate_sid::RULE,
    invalid_sid::RULE,
    invalid_grant_operation::RULE,
    key_statement_without_principal::RULE,
    principal_in_identity_policy::RULE,
    variable_not_substituted::RULE,
    identity_statement_without_resource::RULE,
    principal_account_not_an_id::RULE,
    condition_value_type_mismatch::RULE,
    wildcard_principal_without_condition::RULE,
    key_policy_lockout::RULE,
    allow_with_not_principal::RULE,
    allow_with_not_action::RULE,
    full_access_for_non_admin::RULE,
    admin_can_decrypt::RULE,
    unrestricted_create_grant::RULE,
    cross_account_access::RULE,
    source_ip_in_key_policy::RULE,
    decrypt_on_all_keys::RULE,
    key_rotation_disabled::RULE,
    short_deletion_window::RULE,
    key_without_policy::RULE,
    unknown_service::RULE,
    unknown_action::RULE,
    action_wildcard_matches_nothing::RULE,
    condition_key_not_applicable::RULE,
    unknown_condition_key::RULE,
    key_statement_without_resource::RULE,
    resource_never_matches_key::RULE,
    redundant_action::RULE,
    redundant_statement::RULE,
    dangling_unique_id::RULE,
    action_not_for_key::RULE,
    missing_version::RULE,
];
