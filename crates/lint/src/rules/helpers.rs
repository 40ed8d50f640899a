//! Small questions many rules ask of a statement.

use keyward_policy::matching::{ActionPattern, Arn, PrincipalArn};
use keyward_policy::model::{
    Condition, ConditionValues, Effect, OperatorBase, PrincipalKind, PrincipalSpec, Statement,
};
use keyward_policy::Spanned;

use crate::catalog::{catalog, KmsAction};
use crate::rules::{Account, Context};

/// True for an `Allow` statement.
pub(crate) fn is_allow(statement: &Statement) -> bool {
    statement.effect.node == Effect::Allow
}

/// Does the statement's `Action`/`NotAction` cover `action` (`service:Name`)?
pub(crate) fn covers_action(statement: &Statement, action: &str) -> bool {
    let any = statement
        .action
        .items
        .iter()
        .any(|p| p.node.matches(action));
    any != statement.action.negated
}

/// The KMS actions (from the catalog) the statement's actions cover.
pub(crate) fn kms_actions(statement: &Statement) -> impl Iterator<Item = &'static KmsAction> + '_ {
    catalog()
        .kms_actions()
        .iter()
        .filter(move |a| covers_action(statement, a.full_name()))
}

/// The action patterns of `Action` or `NotAction`.
pub(crate) fn action_items(statement: &Statement) -> &[Spanned<ActionPattern>] {
    &statement.action.items
}

/// `/Action` or `/NotAction`: the pointer suffix of a statement's actions.
pub(crate) fn action_element(statement: &Statement) -> &'static str {
    if statement.action.negated {
        "/NotAction"
    } else {
        "/Action"
    }
}

/// The action patterns written in `Action` (empty for `NotAction`).
pub(crate) fn positive_actions(statement: &Statement) -> &[Spanned<ActionPattern>] {
    if statement.action.negated {
        &[]
    } else {
        &statement.action.items
    }
}

/// True when the statement grants everything KMS has: `*`, `kms:*` (or a
/// `NotAction` that spares some KMS action... is not counted).
pub(crate) fn grants_all_kms(statement: &Statement) -> bool {
    positive_actions(statement).iter().any(|p| {
        p.node.is_all() || (p.node.service() == Some("kms") && p.node.name_pattern().is_match_all())
    })
}

/// The principal values of a `Principal` (not `NotPrincipal`), with their kind.
pub(crate) fn principals(statement: &Statement) -> Vec<(PrincipalKind, &Spanned<String>)> {
    let Some(principal) = &statement.principal else {
        return Vec::new();
    };
    if principal.node.negated {
        return Vec::new();
    }
    match &principal.node.spec {
        PrincipalSpec::Wildcard => Vec::new(),
        PrincipalSpec::Map(groups) => groups
            .iter()
            .flat_map(|g| g.values.iter().map(move |v| (g.kind.node, v)))
            .collect(),
    }
}

/// True when `Principal` is `"*"` or names `*` among its AWS principals.
pub(crate) fn has_wildcard_principal(statement: &Statement) -> bool {
    let Some(principal) = &statement.principal else {
        return false;
    };
    if principal.node.negated {
        return false;
    }
    match &principal.node.spec {
        PrincipalSpec::Wildcard => true,
        PrincipalSpec::Map(groups) => groups
            .iter()
            .any(|g| g.kind.node == PrincipalKind::Aws && g.values.iter().any(|v| v.node == "*")),
    }
}

/// True when the value is the account principal (`arn:…:root` or a bare
/// account id), including a root ARN whose account is a template placeholder
/// (KW114 reports those).
pub(crate) fn is_account_principal(value: &str) -> bool {
    matches!(PrincipalArn::parse(value), PrincipalArn::Account { .. })
        || Arn::parse(value).is_ok_and(|arn| {
            arn.service() == "iam" && arn.region().is_empty() && arn.resource() == "root"
        })
}

/// The accounts whose account principal may change the key policy
/// (`kms:PutKeyPolicy`): the accounts that administer the key.
pub(crate) fn administering_accounts<'a>(cx: &Context<'a>) -> Vec<Account<'a>> {
    cx.statements()
        .iter()
        .filter(|s| is_allow(s) && covers_action(s, "kms:PutKeyPolicy"))
        .flat_map(principals)
        .filter(|(kind, v)| *kind == PrincipalKind::Aws && is_account_principal(&v.node))
        .filter_map(|(_, v)| cx.principal_account(&v.node))
        .collect()
}

/// The statement's conditions (empty when it has none).
pub(crate) fn conditions(statement: &Statement) -> &[Condition] {
    statement
        .condition
        .as_ref()
        .map(|c| c.node.entries.as_slice())
        .unwrap_or(&[])
}

/// The conditions on `key` (case-insensitive).
pub(crate) fn conditions_on<'s>(
    statement: &'s Statement,
    key: &str,
) -> impl Iterator<Item = &'s Condition> {
    let key = key.to_ascii_lowercase();
    conditions(statement)
        .iter()
        .filter(move |c| c.key.node.lower() == key)
}

/// True for a condition that requires the key to have one of its values:
/// a positive operator (not negated, not `…IfExists`, not `Null`) without
/// `ForAllValues` (which is true when the key is absent).
pub(crate) fn is_restricting(condition: &Condition) -> bool {
    let op = condition.operator.node;
    !op.base.is_negated()
        && !op.if_exists
        && op.base != OperatorBase::Null
        && op.qualifier != Some(keyward_policy::model::SetQualifier::ForAllValues)
}

/// The string values of a condition (empty for non-string operators).
pub(crate) fn string_values(condition: &Condition) -> Vec<&str> {
    match &condition.values {
        ConditionValues::String(values) => values.iter().map(|v| v.node.raw()).collect(),
        _ => Vec::new(),
    }
}

/// True when a string value pins one thing: no wildcard, or at least not `*` alone.
pub(crate) fn is_specific(value: &str) -> bool {
    !value.is_empty() && value.chars().any(|c| c != '*' && c != '?')
}

/// `s` if `n` is not one.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Backticked, comma-separated list: `` `a`, `b` and `c` ``.
pub(crate) fn list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
