//! KMS grants (rules 12–20): who may use which operations of one key, under
//! which encryption-context constraints.

use crate::action::{ActionSet, KmsAction, GRANT_OPERATIONS};
use crate::err::EvalError;
use crate::principal_match::Named;
use crate::world::GrantSite;

/// A grant's encryption-context constraint (rule 17). Keys and values are
/// compared case-sensitively.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantConstraints {
    /// The request's context must be exactly these pairs.
    EncryptionContextEquals(Vec<(String, String)>),
    /// The request's context must include these pairs.
    EncryptionContextSubset(Vec<(String, String)>),
}

impl GrantConstraints {
    /// `EncryptionContextEquals` or `EncryptionContextSubset` (the value of
    /// `kms:GrantConstraintType`).
    pub fn type_name(&self) -> &'static str {
        match self {
            GrantConstraints::EncryptionContextEquals(_) => "EncryptionContextEquals",
            GrantConstraints::EncryptionContextSubset(_) => "EncryptionContextSubset",
        }
    }

    fn pairs(&self) -> &[(String, String)] {
        match self {
            GrantConstraints::EncryptionContextEquals(p)
            | GrantConstraints::EncryptionContextSubset(p) => p,
        }
    }

    /// Does a request's encryption context satisfy the constraint?
    pub(crate) fn admits(&self, ec: &[(Box<str>, Box<str>)]) -> bool {
        let has = |k: &str, v: &str| ec.iter().any(|(rk, rv)| &**rk == k && &**rv == v);
        match self {
            GrantConstraints::EncryptionContextEquals(pairs) => {
                ec.len() == pairs.len() && pairs.iter().all(|(k, v)| has(k, v))
            }
            GrantConstraints::EncryptionContextSubset(pairs) => {
                pairs.iter().all(|(k, v)| has(k, v))
            }
        }
    }

    /// Is `child` equally or more strict (rule 18)? Subset → a Subset with
    /// at least these pairs, or an Equals including them; Equals → the same
    /// Equals only.
    pub(crate) fn admits_child(&self, child: Option<&GrantConstraints>) -> bool {
        let Some(child) = child else {
            return false;
        };
        let contains_all = |outer: &[(String, String)], inner: &[(String, String)]| {
            inner.iter().all(|pair| outer.contains(pair))
        };
        match (self, child) {
            (GrantConstraints::EncryptionContextSubset(mine), theirs) => {
                contains_all(theirs.pairs(), mine)
            }
            (
                GrantConstraints::EncryptionContextEquals(mine),
                GrantConstraints::EncryptionContextEquals(theirs),
            ) => mine.len() == theirs.len() && contains_all(theirs, mine),
            (GrantConstraints::EncryptionContextEquals(_), _) => false,
        }
    }
}

/// Read grant operation names (the API spelling, e.g. `Decrypt`; rule 16).
///
/// ```
/// use keyward_eval::{parse_grant_operations, KmsAction};
/// let ops = parse_grant_operations(&["Decrypt", "ReEncryptFrom"]).unwrap();
/// assert!(ops.contains(KmsAction::Decrypt));
/// assert!(parse_grant_operations(&["ReEncrypt"]).is_err());
/// assert!(parse_grant_operations(&["ListGrants"]).is_err());
/// ```
pub fn parse_grant_operations<S: AsRef<str>>(names: &[S]) -> Result<ActionSet, EvalError> {
    let mut set = ActionSet::EMPTY;
    for name in names {
        let name = name.as_ref();
        let action = KmsAction::ALL
            .iter()
            .copied()
            .find(|a| a.name() == name)
            .filter(|a| a.is_grant_operation());
        match action {
            Some(a) => set.insert(a),
            None => {
                let help = if name.eq_ignore_ascii_case("ReEncrypt") {
                    "a grant names `ReEncryptFrom` and `ReEncryptTo` separately".to_string()
                } else {
                    format!(
                        "grant operations are: {}",
                        GRANT_OPERATIONS
                            .iter()
                            .map(KmsAction::name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return Err(EvalError::new(
                    "eval::grant-operation",
                    format!("`{name}` is not a grant operation"),
                )
                .with_help(help));
            }
        }
    }
    if set.is_empty() {
        return Err(EvalError::new(
            "eval::grant-operation",
            "a grant needs at least one operation",
        )
        .with_help("list the operations the grantee may use, e.g. [\"Decrypt\"]"));
    }
    Ok(set)
}

/// A compiled grant.
#[derive(Clone, Debug)]
pub(crate) struct CGrant {
    pub(crate) grantee: Named,
    pub(crate) retiring: Option<Named>,
    pub(crate) operations: ActionSet,
    pub(crate) constraints: Option<GrantConstraints>,
    pub(crate) name: Option<Box<str>>,
    pub(crate) id: Option<Box<str>>,
    pub(crate) grantee_text: Box<str>,
    pub(crate) issuing_account: Box<str>,
    /// Where it is written, for explanations.
    pub(crate) site: Option<GrantSite>,
}

impl CGrant {
    /// Do the constraints let this operation through with this context?
    /// Constraints are ignored for DescribeKey and RetireGrant (rule 17);
    /// CreateGrant is checked against the child grant instead.
    pub(crate) fn constraints_admit(&self, action: KmsAction, ec: &[(Box<str>, Box<str>)]) -> bool {
        match (&self.constraints, action) {
            (None, _) => true,
            (Some(_), KmsAction::DescribeKey | KmsAction::RetireGrant | KmsAction::CreateGrant) => {
                true
            }
            (Some(c), _) => c.admits(ec),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn ec(p: &[(&str, &str)]) -> Vec<(Box<str>, Box<str>)> {
        p.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
    }

    #[test]
    fn rule_17_equals_needs_the_exact_pairs_case_sensitively() {
        let c = GrantConstraints::EncryptionContextEquals(pairs(&[("dept", "it")]));
        assert!(c.admits(&ec(&[("dept", "it")])));
        assert!(!c.admits(&ec(&[("dept", "it"), ("x", "y")])));
        assert!(!c.admits(&ec(&[("Dept", "it")])));
        assert!(!c.admits(&ec(&[("dept", "IT")])));
        assert!(!c.admits(&ec(&[])));
    }

    #[test]
    fn rule_17_subset_allows_extra_pairs() {
        let c = GrantConstraints::EncryptionContextSubset(pairs(&[("dept", "it")]));
        assert!(c.admits(&ec(&[("dept", "it"), ("x", "y")])));
        assert!(!c.admits(&ec(&[("x", "y")])));
    }

    #[test]
    fn rule_18_children_must_be_equally_or_more_strict() {
        let subset = GrantConstraints::EncryptionContextSubset(pairs(&[("a", "1")]));
        let more = GrantConstraints::EncryptionContextSubset(pairs(&[("a", "1"), ("b", "2")]));
        let equals = GrantConstraints::EncryptionContextEquals(pairs(&[("a", "1")]));
        assert!(subset.admits_child(Some(&more)));
        assert!(subset.admits_child(Some(&equals)));
        assert!(!subset.admits_child(None));
        assert!(!more.admits_child(Some(&subset)));
        assert!(equals.admits_child(Some(&equals)));
        assert!(!equals.admits_child(Some(&subset)));
    }
}
