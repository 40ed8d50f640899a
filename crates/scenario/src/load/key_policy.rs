//! A key's key policy: the one the scenario gives, or for an AWS managed
//! key declared by its service, the policy AWS documents for such keys.
//! Either way, a key policy KMS refuses is refused here, every problem at
//! its place (docs/scenario-format.md, "Keys").

use keyward_eval::{
    aws_managed_key_policy, is_service_name, key_policy_refusals, KeyManager, PolicyDoc,
};
use keyward_policy::json::{JsonMember, JsonValue};
use keyward_policy::Source;

use super::Cx;

/// What decides a key's policy.
pub(super) struct PolicyFields<'v> {
    pub(super) name: &'v str,
    pub(super) key_span: keyward_policy::Span,
    pub(super) arn: &'v str,
    pub(super) manager: KeyManager,
    pub(super) policy: Option<&'v JsonValue>,
    pub(super) service: Option<&'v JsonValue>,
}

/// The Region and account of a key ARN, when it is one.
fn region_and_account(arn: &str) -> Option<(&str, &str)> {
    let mut it = arn.splitn(6, ':');
    let (_, _, _, region, account) = (it.next()?, it.next()?, it.next()?, it.next()?, it.next()?);
    (!region.is_empty() && keyward_eval::is_account_id(account)).then_some((region, account))
}

impl Cx<'_> {
    /// The key policy of key `f.name`, or `None` after reporting why not.
    pub(super) fn key_policy(&mut self, f: &PolicyFields<'_>) -> Option<PolicyDoc> {
        let name = f.name;
        let service = match f.service {
            Some(s) => Some((self.string(s, "`service`")?, s.span)),
            None => None,
        };
        if let Some((_, span)) = service.filter(|_| f.manager != KeyManager::Aws) {
            self.error(
                "scenario::service",
                format!("key `{name}` has a `service`, but it is a customer managed key"),
                span,
                "`service` declares an AWS managed key: add `\"keyManager\": \"AWS\"`, or remove it",
            );
            return None;
        }
        let doc = match (f.policy, service) {
            (Some(_), Some((_, span))) => {
                self.error(
                    "scenario::service",
                    format!("key `{name}` has both `policy` and `service`"),
                    span,
                    "give `service` for the policy AWS documents for its AWS managed keys, or `policy` for the key's own (from GetKeyPolicy), not both",
                );
                return None;
            }
            (Some(p), None) => self.policy(p, name, &format!("/keys/{name}/policy"))?,
            (None, Some((service, span))) => self.documented_policy(name, f.arn, service, span)?,
            (None, None) => {
                let help = if f.manager == KeyManager::Aws {
                    "give the AWS managed key's `service` (`\"service\": \"s3\"`), or its `policy`"
                } else {
                    "every KMS key has exactly one key policy (rule 2)"
                };
                self.error(
                    "scenario::missing-field",
                    format!("key `{name}` has no `policy`"),
                    f.key_span,
                    help,
                );
                return None;
            }
        };
        let refusals = key_policy_refusals(&doc);
        if refusals.is_empty() {
            return Some(doc);
        }
        let inline = doc.source.name() == self.source.name();
        for mut d in refusals {
            if inline {
                let within = d.pointer.as_deref().unwrap_or("");
                d.pointer = Some(format!("/keys/{name}/policy{within}"));
            }
            self.report(doc.source.clone(), d);
        }
        None
    }

    /// The policy AWS documents for the AWS managed key of `service`.
    fn documented_policy(
        &mut self,
        name: &str,
        arn: &str,
        service: &str,
        span: keyward_policy::Span,
    ) -> Option<PolicyDoc> {
        if !is_service_name(service) {
            self.error(
                "scenario::service",
                format!("`{service}` is not a service name as AWS managed keys use it"),
                span,
                "write the service as in its alias `alias/aws/SERVICE`: `s3`, `ebs`, `rds`, `lambda`",
            );
            return None;
        }
        // A malformed ARN is reported when the key is added.
        let (region, account) = region_and_account(arn)?;
        let text = aws_managed_key_policy(service, account, region);
        let source = Source::new(
            format!(
                "{} /keys/{name} (the key policy of AWS managed keys of `{service}`)",
                self.source.name()
            ),
            text,
        );
        self.policy_text(source, name)
    }

    /// The span of the alias `alias` in `aliases` (or of the list).
    pub(super) fn alias_span(aliases: &JsonValue, alias: &str) -> keyward_policy::Span {
        aliases
            .as_array()
            .and_then(|items| items.iter().find(|i| i.as_str() == Some(alias)))
            .map_or(aliases.span, |i| i.span)
    }
}

/// The value of member `k`.
pub(super) fn field<'v>(fields: &'v [JsonMember], k: &str) -> Option<&'v JsonValue> {
    fields.iter().find(|f| &*f.key == k).map(|f| &f.value)
}
