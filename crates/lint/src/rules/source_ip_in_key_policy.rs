//! KW209: `aws:SourceIp` in a key policy.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW209",
        name: "source-ip-in-key-policy",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary:
            "a key policy tests `aws:SourceIp`, which breaks AWS services that use the key for you",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for condition in conditions(statement) {
            if condition.key.node.lower() != "aws:sourceip" {
                continue;
            }
            let d = cx
                .diagnostic(
                    format!(
                        "statement `{}` tests `aws:SourceIp`, which AWS services calling KMS for you do not have",
                        statement.display_name()
                    ),
                    condition.key.span,
                )
                .with_label("the address of the service, or absent behind a VPC endpoint")
                .with_help("restrict the network with `aws:SourceVpce` or `aws:SourceVpc`, and let services through with `kms:ViaService` or `aws:ViaAWSService`")
                .with_pointer(cx.pointer(statement, "/Condition"));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Finds conditions on `aws:SourceIp` in key policies.

## Why it matters
When an AWS service such as S3 or EBS uses the key on your behalf, the
request KMS sees comes from the service, so `aws:SourceIp` is the service's
address; behind a VPC endpoint the key is absent altogether. An IP
allow-list therefore breaks the integrations (or, as a `NotIpAddress` deny,
blocks them), which AWS's documentation warns about.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:Encrypt", "kms:Decrypt"],
    "Resource": "*",
    "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:Encrypt", "kms:Decrypt"],
    "Resource": "*",
    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1234abcdf5678c90a"}}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn source_ip_is_refused_in_key_policies_only() {
        let key = |condition: &str| {
            allow(
                "arn:aws:iam::111122223333:role/App",
                "kms:Decrypt",
                condition,
            )
        };
        let network = r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#;
        assert_cases(
            &RULE,
            &[
                &key(r#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#),
                &allow("", "kms:Decrypt", network),
            ],
            &[
                &key(network),
                &key(r#"{"NotIpAddress": {"aws:sourceip": "203.0.113.0/24"}}"#),
            ],
        );
    }
}
