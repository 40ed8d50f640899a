//! `scps` and `rcps`: the organization's policies, level by level, for
//! each account.

use keyward_eval::{AuthorizerBuilder, PolicyDoc};
use keyward_policy::json::{JsonKind, JsonValue};

use super::Cx;

impl Cx<'_> {
    /// `{ACCOUNT: [POLICY | [POLICY, …]]}`: each element is one level of the
    /// organization chain; a list element is a level of several policies.
    pub(super) fn org(&mut self, v: &JsonValue, field: &str, scp: bool, b: &mut AuthorizerBuilder) {
        let Some(members) = self.object(v, &format!("`{field}`")) else {
            return;
        };
        for m in members {
            let account = m.key.to_string();
            if !keyward_eval::is_account_id(&account) {
                self.error(
                    "scenario::account",
                    format!("`{account}` is not an account id"),
                    m.key_span,
                    "use the 12-digit account id",
                );
                continue;
            }
            let levels: Vec<&JsonValue> = match &m.value.kind {
                JsonKind::Array(items) => items.iter().collect(),
                _ => vec![&m.value],
            };
            let kind = if scp { "scp" } else { "rcp" };
            for (level, lv) in levels.into_iter().enumerate() {
                let policies: Vec<&JsonValue> = match &lv.kind {
                    JsonKind::Array(items) => items.iter().collect(),
                    _ => vec![lv],
                };
                let docs: Vec<PolicyDoc> = policies
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        self.policy(
                            p,
                            &format!("{account} {kind} {level}.{i}"),
                            &format!("/{field}/{account}/{level}"),
                        )
                    })
                    .collect();
                if scp {
                    b.add_scp_level(&account, docs);
                } else {
                    b.add_rcp_level(&account, docs);
                }
            }
        }
    }
}
