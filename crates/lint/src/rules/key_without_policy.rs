//! KW213: a key declared without a key policy, so KMS gives it the default
//! key policy.

use crate::extract::{KeyDialect, Setting};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, KeyContext};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW213",
        name: "key-without-policy",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::KeyResource,
        summary:
            "a KMS key is declared without a key policy, so KMS gives it the default key policy",
        docs: DOCS,
    },
    Check::Key(check),
);

fn check(cx: &mut KeyContext<'_>) {
    let key = cx.key();
    if key.policy != Setting::Absent {
        return;
    }
    let how = match key.dialect {
        KeyDialect::CloudFormation(_) => "write its `KeyPolicy` in the template".to_string(),
        KeyDialect::Terraform => {
            "set its `policy`, or give it an `aws_kms_key_policy` whose `key_id` refers to it"
                .to_string()
        }
    };
    let d = cx
        .diagnostic(
            format!(
                "key `{}` has no key policy, so KMS gives it the default key policy",
                key.label
            ),
            key.span,
        )
        .with_label("no key policy")
        .with_help(format!(
            "{how}, naming who administers and who uses the key: the default key policy lets every IAM policy of the account grant any KMS action on the key"
        ));
    let d = match cx.pointer("") {
        Some(pointer) => d.with_pointer(pointer),
        None => d,
    };
    cx.emit(d);
}

const DOCS: &str = r#"## What it does
Finds KMS keys declared in CloudFormation templates (`AWS::KMS::Key`,
`AWS::KMS::ReplicaKey`) without `KeyPolicy`, and in Terraform plans and
`.tf` files (`aws_kms_key`, `aws_kms_external_key`, the replica keys)
whose configuration sets no `policy` (or sets it to `null`) and which no
`aws_kms_key_policy` of the same module names in its `key_id`
(`aws_kms_key.app.id`, `.arn`, also through a `local`; in a `.tf` file an
`aws_kms_key_policy` with `count = 0` does not exist). A key inside a
module also has a policy when a calling module's `aws_kms_key_policy`
names that module's outputs (`module.kms.key_arn`), or when the calling
module passes them to another module that has an `aws_kms_key_policy`.
checkov's
CKV2_AWS_64 ("Ensure KMS key Policy is defined") checks the same. A plan
without its `configuration` section, or an `aws_kms_key_policy` whose
`key_id` is written as text, is taken as possibly giving the key a
policy, and a state (whose keys always show their policy) is not judged.
A `policy` known only at deploy time counts as a policy (its own
`terraform::needs-plan` note says it was not linted).

## Why it matters
A key created without a key policy gets KMS's default key policy, which
gives the account (`arn:aws:iam::ACCOUNT:root`) every KMS permission on the
key, so every IAM policy of the account can grant any action on it (KMS
Developer Guide, "Default key policy"). Who may use or manage the key is
then decided by IAM policies written far from the key, possibly for every
key at once (`"Resource": "*"`), instead of by a policy that lists the key's
administrators and users; and neither a reviewer nor keyward can check it in
the template. The KMS guide's "Best practices for IAM policies" recommends
giving permissions in key policies, which affect one key, whenever possible.

## Examples
### Invalid
```json
{
  "Resources": {
    "OrdersKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {"EnableKeyRotation": true}
    }
  }
}
```
### Valid
```json
{
  "Resources": {
    "OrdersKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "EnableKeyRotation": true,
        "KeyPolicy": {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
            "Action": "kms:*",
            "Resource": "*"
          }]
        }
      }
    }
  }
}
```
"#;

#[cfg(test)]
mod tests {
    use keyward_policy::Source;

    use super::RULE;
    use crate::rules::cases::{assert_key_cases, findings_in, plan_key, template_key};
    use crate::LintOptions;

    const POLICY: &str = r#""KeyPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;

    /// KMS Developer Guide, "Default key policy": a key created without a
    /// key policy gets the default one.
    #[test]
    fn templates_must_give_keys_a_policy() {
        let key = |properties: &str| template_key("AWS::KMS::Key", properties);
        assert_key_cases(
            &RULE,
            &[
                key(POLICY),
                key(r#""KeyPolicy": "{\"Version\": \"2012-10-17\", \"Statement\": []}""#),
                key(r#""KeyPolicy": {"Fn::If": ["Prod", {"Ref": "AWS::NoValue"}, {}]}"#),
                template_key("AWS::KMS::ReplicaKey", POLICY),
                template_key("AWS::KMS::Alias", ""),
            ],
            &[
                key(""),
                key(r#""EnableKeyRotation": true"#),
                key(r#""KeyPolicy": null"#),
                template_key("AWS::KMS::ReplicaKey", r#""PrimaryKeyArn": "arn""#),
            ],
        );
    }

    /// A plan knows the policy only once applied when the configuration
    /// does not write one: the configuration decides.
    #[test]
    fn plans_read_the_configuration() {
        let plan = |expressions: Option<&str>| {
            plan_key("aws_kms_key", "", r#""policy": true"#, expressions)
        };
        assert_key_cases(
            &RULE,
            &[
                plan_key(
                    "aws_kms_key",
                    r#""policy": "{\"Statement\": []}""#,
                    "",
                    None,
                ),
                plan(Some(
                    r#""policy": {"references": ["data.aws_iam_policy_document.key.json"]}"#,
                )),
                // Without the configuration, nothing can be said.
                plan(None),
                with_attachment(
                    r#"{"references": ["aws_kms_key.main.key_id", "aws_kms_key.main"]}"#,
                ),
                with_attachment(r#"{"constant_value": "1234abcd-12ab-34cd-56ef-1234567890ab"}"#),
            ],
            &[
                plan(Some(r#""description": {"constant_value": "orders"}"#)),
                plan(Some("")),
                with_attachment(
                    r#"{"references": ["aws_kms_key.other.key_id", "aws_kms_key.other"]}"#,
                ),
                plan_key("aws_kms_replica_key", "", "", Some("")),
            ],
        );
    }

    /// A plan whose `aws_kms_key_policy` has this `key_id` expression.
    fn with_attachment(key_id: &str) -> Source {
        let text = format!(
            r#"{{"format_version": "1.2",
            "planned_values": {{"root_module": {{"resources": [
              {{"address": "aws_kms_key.main", "mode": "managed", "type": "aws_kms_key", "name": "main", "values": {{}}}},
              {{"address": "aws_kms_key_policy.main", "mode": "managed", "type": "aws_kms_key_policy", "name": "main", "values": {{}}}}]}}}},
            "configuration": {{"root_module": {{"resources": [
              {{"address": "aws_kms_key.main", "mode": "managed", "type": "aws_kms_key", "name": "main", "expressions": {{}}}},
              {{"address": "aws_kms_key_policy.main", "mode": "managed", "type": "aws_kms_key_policy", "name": "main",
                "expressions": {{"key_id": {key_id}, "policy": {{"references": ["local.policy"]}}}}}}]}}}}}}"#
        );
        Source::new("plan.json", text)
    }

    #[test]
    fn keys_in_modules_are_found_in_their_module_configuration() {
        let text = r#"{"format_version": "1.2",
          "planned_values": {"root_module": {"child_modules": [{"address": "module.app[\"eu\"]", "resources": [
            {"address": "module.app[\"eu\"].aws_kms_key.main[0]", "mode": "managed", "type": "aws_kms_key", "name": "main", "index": 0, "values": {"enable_key_rotation": true}},
            {"address": "module.app[\"eu\"].data.aws_kms_key.other", "mode": "data", "type": "aws_kms_key", "name": "other", "values": {}}]}]}},
          "configuration": {"root_module": {"module_calls": {"app": {"module": {"resources": [
            {"address": "aws_kms_key.main", "mode": "managed", "type": "aws_kms_key", "name": "main", "expressions": {"enable_key_rotation": {"constant_value": true}}}]}}}}}}"#;
        let source = Source::new("plan.json", text);
        let found = findings_in(&RULE, &source, &LintOptions::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0]
            .message
            .contains(r#"`module.app["eu"].aws_kms_key.main[0]`"#));
        assert_eq!(
            found[0].pointer.as_deref(),
            Some("/planned_values/root_module/child_modules/0/resources/0/values")
        );
    }

    /// A plan of a key in `module.kms` and, in the root, `root_resources`
    /// and `root_calls` (besides the call of `kms`).
    fn with_caller(root_resources: &str, root_calls: &str) -> Source {
        let text = format!(
            r#"{{"format_version": "1.2",
            "planned_values": {{"root_module": {{"child_modules": [{{"address": "module.kms", "resources": [
              {{"address": "module.kms.aws_kms_key.this", "mode": "managed", "type": "aws_kms_key", "name": "this", "values": {{"enable_key_rotation": true}}}}]}}]}}}},
            "configuration": {{"root_module": {{"resources": [{root_resources}], "module_calls": {{
              {root_calls}
              "kms": {{"source": "./kms", "module": {{"resources": [
                {{"address": "aws_kms_key.this", "mode": "managed", "type": "aws_kms_key", "name": "this", "expressions": {{}}}}]}}}}}}}}}}}}"#
        );
        Source::new("plan.json", text)
    }

    /// A key inside a module often gets its policy from its caller.
    #[test]
    fn plans_follow_attachments_in_calling_modules() {
        let attachment = |refs: &str| {
            format!(
                r#"{{"address": "aws_kms_key_policy.p", "mode": "managed", "type": "aws_kms_key_policy", "name": "p",
                  "expressions": {{"key_id": {{"references": [{refs}]}}}}}}"#
            )
        };
        let attaching_module = |refs: &str, policies: &str| {
            format!(
                r#""attach": {{"source": "./attach", "expressions": {{"key": {{"references": [{refs}]}}}},
                  "module": {{"resources": [{policies}]}}}},"#
            )
        };
        let policy_in_module = attachment(r#""var.key""#);
        assert_key_cases(
            &RULE,
            &[
                with_caller(&attachment(r#""module.kms.key_arn", "module.kms""#), ""),
                with_caller(
                    "",
                    &attaching_module(r#""module.kms.key_arn", "module.kms""#, &policy_in_module),
                ),
            ],
            &[
                with_caller("", ""),
                with_caller(&attachment(r#""module.other.key_arn", "module.other""#), ""),
                with_caller(
                    "",
                    &attaching_module(
                        r#""module.other.key_arn", "module.other""#,
                        &policy_in_module,
                    ),
                ),
                // Given the key, but attaching no policy.
                with_caller(
                    "",
                    &attaching_module(r#""module.kms.key_arn", "module.kms""#, ""),
                ),
            ],
        );
    }
}
