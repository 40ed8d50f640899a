//! Account classes: the accounts named in the statements, and one or two
//! fresh accounts for each way the statements' account tests can treat an
//! account no statement names.
//!
//! Two fresh accounts are kept per class so that "the caller's account is
//! the key's account" and "it is another account of the same class" both
//! have a witness.

use keyward_policy::matching::{ArnPattern, CaseMode, Pattern, PatternToken};
use keyward_policy::model::{OperatorBase, Template};

use super::facts::{Facts, Raw};
use crate::err::Unknown;
use crate::strings::{self, wildcard_re, CharSet, Re, StringTest};
use crate::theory::string_test;

/// One account the analysis considers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRep {
    /// The 12-digit id.
    pub id: String,
    /// True when a statement (or the caller of the analysis) names it.
    pub named: bool,
    /// True for the second account of a fresh class: it exists so a caller
    /// can be in the same class as the key's account but not in it, and
    /// keys need not be tried in it.
    pub second: bool,
}

/// Accounts a witness reads best with (the documentation's examples).
const NICE_ACCOUNTS: &[&str] = &["123456789012", "210987654321", "999988887777"];

/// Twelve digits.
pub fn account_domain() -> Re {
    Re::Cat((0..12).map(|_| Re::Set(CharSet::digit())).collect())
}

/// The test a raw string test makes.
pub fn raw_test(raw: &Raw) -> Result<Option<StringTest>, Unknown> {
    string_test(raw.base, &Template::literal(raw.value.as_str()))
}

/// The accounts to consider: `named` first, then fresh ones.
pub fn account_reps(facts: &Facts, named: &[String]) -> Result<Vec<AccountRep>, Unknown> {
    let mut tests: Vec<StringTest> = named.iter().map(|a| StringTest::equals(a)).collect();
    for raw in facts.account.iter().chain(&facts.userid) {
        if let Some(t) = raw_test(raw)? {
            tests.push(t);
        }
    }
    for raw in &facts.arn {
        if let Some(t) = account_projection(raw)? {
            tests.push(t);
        }
    }
    let domain = [account_domain()];
    let classes = strings::classes_preferring(&domain, &tests, NICE_ACCOUNTS)?;
    let mut out: Vec<AccountRep> = named
        .iter()
        .map(|a| AccountRep {
            id: a.clone(),
            named: true,
            second: false,
        })
        .collect();
    for class in classes {
        if class.truth.iter().take(named.len()).any(|t| *t) {
            continue;
        }
        out.push(AccountRep {
            id: class.witness.clone(),
            named: false,
            second: false,
        });
        // A second account of the same class, when there is one.
        let mut more = tests.clone();
        more.push(StringTest::equals(&class.witness));
        let again = strings::classes_preferring(&domain, &more, NICE_ACCOUNTS)?;
        let mut wanted = class.truth.clone();
        wanted.push(false);
        if let Some(second) = again.into_iter().find(|c| c.truth == wanted) {
            out.push(AccountRep {
                id: second.witness,
                named: false,
                second: true,
            });
        }
    }
    Ok(out)
}

/// What a test on `aws:PrincipalArn` says about the account part, as a
/// test on the account alone. Principal ARNs have exactly five `:`, so a
/// pattern with five literal `:` matches part by part; a pattern with
/// fewer lets a `*` span the account, which is fine only when nothing in
/// it could match a digit.
fn account_projection(raw: &Raw) -> Result<Option<StringTest>, Unknown> {
    use OperatorBase as O;
    let pattern = match raw.base {
        O::ArnEquals | O::ArnLike | O::ArnNotEquals | O::ArnNotLike => {
            match ArnPattern::parse(&raw.value) {
                Ok(p) => p,
                Err(_) => return Ok(None),
            }
        }
        O::StringLike | O::StringNotLike => {
            let flat = Pattern::new(&raw.value);
            let colons: usize = flat
                .tokens()
                .iter()
                .map(|t| match t {
                    PatternToken::Literal(text) => text.matches(':').count(),
                    _ => 0,
                })
                .sum();
            if colons < 5 {
                if raw.value.contains(|c: char| c.is_ascii_digit() || c == '?') {
                    return Err(Unknown::new(format!(
                        "the pattern `{}` on aws:PrincipalArn does not line up with the ARN's parts, so its account cannot be told apart",
                        raw.value
                    )));
                }
                return Ok(None);
            }
            match ArnPattern::from_tokens(flat.tokens()) {
                Ok(p) if colons == 5 => p,
                _ => return Ok(None),
            }
        }
        // Equality: the literal account is among the named ones already.
        _ => return Ok(None),
    };
    let Some(account) = pattern.account() else {
        return Ok(None);
    };
    if account.is_match_all() {
        return Ok(None);
    }
    let p = account.clone();
    let label = format!("account like \"{p}\"");
    Ok(Some(StringTest::new(
        vec![wildcard_re(account, &CharSet::Any)],
        move |s| p.matches(s, CaseMode::Sensitive),
        label,
    )))
}
