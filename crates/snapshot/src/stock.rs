//! Fixed policies the snapshot layer stands in for missing data with (the
//! worst and best cases of `docs/snapshot-format.md`, "Incomplete
//! answers"), and a scratch builder that checks grants as the evaluator
//! will.

use keyward_eval::{
    Authorizer, AuthorizerBuilder, EvalError, GrantConfig, KeyConfig, KeyId, PolicyDoc,
};
use keyward_policy::{parse_policy, Source};

use crate::model::GrantData;

const DENY_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "MissingDataWorstCase", "Effect": "Deny", "Action": "*", "Resource": "*"}]}"#;
const ALLOW_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "MissingDataBestCase", "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
const DENY_ALL_PRINCIPALS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "MissingDataWorstCase", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}"#;
const ALLOW_ALL_PRINCIPALS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "MissingDataBestCase", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#;

/// A policy from constant text.
#[expect(
    clippy::expect_used,
    reason = "constant policy texts, parsed by the tests of this module"
)]
fn fixed(name: &str, text: &str) -> PolicyDoc {
    let policy = parse_policy(text).expect("a stock policy parses");
    PolicyDoc::new(name, Source::new(name, text), policy)
}

/// The stand-in policies, parsed once per load.
#[derive(Debug)]
pub(crate) struct Stock {
    /// Identity, boundary or SCP: denies everything.
    pub(crate) deny_all: PolicyDoc,
    /// Identity or SCP: allows everything.
    pub(crate) allow_all: PolicyDoc,
    /// Key policy or RCP: denies everyone everything.
    pub(crate) deny_everyone: PolicyDoc,
    /// RCP: allows everyone everything.
    pub(crate) allow_everyone: PolicyDoc,
    scratch: AuthorizerBuilder,
    scratch_key: Option<KeyId>,
}

impl Stock {
    pub(crate) fn new() -> Stock {
        let deny_everyone = fixed(
            "stand-in for missing data (worst case)",
            DENY_ALL_PRINCIPALS,
        );
        let mut scratch = Authorizer::builder();
        let scratch_key = scratch
            .add_key(KeyConfig::new(
                "scratch",
                "arn:aws:kms:us-east-1:000000000000:key/scratch",
                deny_everyone.clone(),
            ))
            .ok();
        Stock {
            deny_all: fixed("stand-in for missing data (worst case)", DENY_ALL),
            allow_all: fixed("stand-in for missing data (best case)", ALLOW_ALL),
            deny_everyone,
            allow_everyone: fixed(
                "stand-in for missing data (best case)",
                ALLOW_ALL_PRINCIPALS,
            ),
            scratch,
            scratch_key,
        }
    }

    /// A key policy allowing everything to everyone and, by name, to each
    /// of `principals` (a statement naming a user is not limited by its
    /// boundary, rule 6, so `"*"` alone is not the best case).
    pub(crate) fn allow_key_policy<'a>(
        &self,
        principals: impl Iterator<Item = &'a str>,
    ) -> PolicyDoc {
        let mut names: Vec<String> = vec!["\"*\"".into()];
        names.extend(principals.map(|p| serde_json::Value::String(p.to_string()).to_string()));
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "MissingDataBestCase", "Effect": "Allow", "Principal": {{"AWS": [{}]}}, "Action": "kms:*", "Resource": "*"}}]}}"#,
            names.join(", ")
        );
        match parse_policy(&text) {
            Ok(policy) => PolicyDoc::new(
                "stand-in for missing data (best case)",
                Source::new("stand-in", text),
                policy,
            ),
            // An ARN the policy language refuses: `"*"` alone.
            Err(_) => self.allow_everyone.clone(),
        }
    }

    /// Would the evaluator take this grant? (Its grantee and retiring
    /// principal must be principals a grant can name.)
    pub(crate) fn check_grant(&mut self, g: &GrantData) -> Result<(), EvalError> {
        let Some(key) = self.scratch_key else {
            return Ok(());
        };
        let mut cfg = GrantConfig::new(key, g.grantee.clone(), g.operations);
        cfg.retiring_principal = g.retiring.clone();
        self.scratch.add_grant(cfg).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stock_policies_parse() {
        let s = Stock::new();
        assert_eq!(s.deny_all.policy.statements.len(), 1);
        let p = s.allow_key_policy(["arn:aws:iam::111122223333:user/a"].into_iter());
        assert_eq!(p.name, "stand-in for missing data (best case)");
        assert!(p.source.text().contains("user/a"));
    }
}
