//! `vpcEndpoints`: interface VPC endpoints for KMS and their endpoint
//! policies. A request whose `aws:SourceVpce` names one must also be
//! allowed by its policy (docs/evaluation.md, "VPC endpoint policies").

use keyward_eval::AuthorizerBuilder;
use keyward_policy::json::JsonValue;

use super::key_policy::field;
use super::Cx;

impl Cx<'_> {
    /// `{"vpce-ID": {"policy": POLICY}}`.
    pub(super) fn endpoints(&mut self, v: &JsonValue, b: &mut AuthorizerBuilder) {
        const FIELDS: &[&str] = &["policy"];
        let Some(members) = self.object(v, "`vpcEndpoints`") else {
            return;
        };
        for m in members {
            let id = m.key.to_string();
            let Some(fields) = self.object(&m.value, &format!("VPC endpoint `{id}`")) else {
                continue;
            };
            for f in fields {
                self.unknown(f, FIELDS, "a VPC endpoint");
            }
            let Some(policy_value) = field(fields, "policy") else {
                self.error(
                    "scenario::missing-field",
                    format!("VPC endpoint `{id}` has no `policy`"),
                    m.key_span,
                    "give its endpoint policy; an endpoint left out of `vpcEndpoints` has the default policy, which allows everything",
                );
                continue;
            };
            let Some(policy) =
                self.policy(policy_value, &id, &format!("/vpcEndpoints/{id}/policy"))
            else {
                continue;
            };
            if let Err(e) = b.add_vpc_endpoint(&id, policy) {
                self.report(self.source.clone(), e.to_diagnostic(m.key_span));
            }
        }
    }
}
