//! KW211: a symmetric encryption key declared without automatic rotation.

use crate::extract::Setting;
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, KeyContext};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW211",
        name: "key-rotation-disabled",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::KeyResource,
        summary: "a symmetric encryption KMS key is declared without automatic key rotation",
        docs: DOCS,
    },
    Check::Key(check),
);

fn check(cx: &mut KeyContext<'_>) {
    let key = cx.key();
    // Asymmetric, HMAC, imported and custom-key-store keys cannot rotate
    // automatically; a replica rotates with its primary key.
    if key.supports_rotation() != Some(true) {
        return;
    }
    let setting = cx.name("EnableKeyRotation", "enable_key_rotation");
    let (span, what, pointer) = match &key.rotation {
        Setting::Known(true, _) | Setting::Unknown(_) => return,
        Setting::Known(false, span) => (*span, "turns automatic rotation off", setting),
        Setting::Absent => (
            key.span,
            "does not turn automatic rotation on (it is off unless set)",
            "",
        ),
    };
    let d = cx
        .diagnostic(format!("key `{}` {what}", key.label), span)
        .with_label("no automatic rotation")
        .with_help(format!(
            "write `{}`: KMS then makes new key material every year (or every `{}` days), keeps the old material to decrypt what it encrypted, and the key's id, ARN and policy stay the same",
            cx.written("EnableKeyRotation", "enable_key_rotation", "true"),
            cx.name("RotationPeriodInDays", "rotation_period_in_days"),
        ));
    let d = match cx.pointer(pointer) {
        Some(pointer) => d.with_pointer(pointer),
        None => d,
    };
    cx.emit(d);
}

const DOCS: &str = r#"## What it does
Finds KMS keys declared in CloudFormation templates (`AWS::KMS::Key`),
Terraform plans and Terraform `.tf` files (`aws_kms_key`, module instances
included) that can rotate automatically but do not:
`EnableKeyRotation` / `enable_key_rotation` is `false`, or left out (it
defaults to off). Only symmetric encryption keys (`KeySpec` /
`customer_master_key_spec` absent or `SYMMETRIC_DEFAULT`) whose key material
KMS generates (`Origin` absent or `AWS_KMS`, no custom key store) are
checked: KMS's `EnableKeyRotation` API reference says "You cannot enable
automatic rotation of asymmetric KMS keys, HMAC KMS keys, KMS keys with
imported key material, or KMS keys in a custom key store", and that
multi-Region keys rotate as their primary key says, so replica keys are
not checked either. `key_usage` is not read: a `SYMMETRIC_DEFAULT` key is
always an encryption key. A value known only at deploy time (a parameter,
a function, a value unknown until apply, a variable without default in a
`.tf` file) is not judged; in a `.tf` file it gets a
`terraform::needs-plan` note instead.

## Why it matters
Automatic rotation gives the key new key material every year (or every
`RotationPeriodInDays`), keeping the old material to decrypt what it
encrypted, so data encrypted from then on is safe from a compromise of the
old material. AWS Security Hub control KMS.4 ("AWS KMS key rotation should
be enabled", from the CIS AWS Foundations Benchmark) fails keys without it;
checkov's CKV_AWS_7 checks the same setting.

## Examples
### Invalid
```json
{
  "Resources": {
    "OrdersKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
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
    use super::RULE;
    use crate::rules::cases::{assert_key_cases, findings_in, plan_key, template_key};
    use crate::LintOptions;

    const KEY: &str = "AWS::KMS::Key";

    /// KMS API reference, `EnableKeyRotation`: only symmetric encryption
    /// keys with KMS-made key material rotate automatically; a multi-Region
    /// replica follows its primary key. CloudFormation's `EnableKeyRotation`
    /// is off unless set.
    #[test]
    fn templates_must_turn_rotation_on_where_kms_can_rotate() {
        assert_key_cases(
            &RULE,
            &[
                template_key(KEY, r#""EnableKeyRotation": true"#),
                template_key(KEY, r#""EnableKeyRotation": "true""#),
                template_key(KEY, r#""EnableKeyRotation": {"Ref": "Rotate"}"#),
                template_key(
                    KEY,
                    r#""EnableKeyRotation": {"Fn::If": ["Prod", true, false]}"#,
                ),
                // Keys KMS cannot rotate automatically.
                template_key(KEY, r#""KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY""#),
                template_key(
                    KEY,
                    r#""KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC""#,
                ),
                template_key(KEY, r#""Origin": "EXTERNAL""#),
                template_key(KEY, r#""KeySpec": {"Ref": "Spec"}"#),
                // A replica rotates with its primary key.
                template_key("AWS::KMS::ReplicaKey", r#""PrimaryKeyArn": "arn""#),
                template_key("AWS::S3::Bucket", ""),
            ],
            &[
                template_key(KEY, ""),
                template_key(KEY, r#""EnableKeyRotation": false"#),
                template_key(KEY, r#""EnableKeyRotation": "False""#),
                template_key(
                    KEY,
                    r#""KeySpec": "SYMMETRIC_DEFAULT", "Origin": "AWS_KMS""#,
                ),
                template_key(KEY, r#""Description": "orders""#),
            ],
        );
    }

    #[test]
    fn plans_must_turn_rotation_on_where_kms_can_rotate() {
        let plan = |values: &str| plan_key("aws_kms_key", values, "", None);
        assert_key_cases(
            &RULE,
            &[
                plan(r#""enable_key_rotation": true"#),
                plan(
                    r#""enable_key_rotation": true, "customer_master_key_spec": "SYMMETRIC_DEFAULT""#,
                ),
                plan(r#""customer_master_key_spec": "ECC_NIST_P256""#),
                plan(r#""custom_key_store_id": "cks-1234567890abcdef0""#),
                plan_key("aws_kms_key", "", r#""enable_key_rotation": true"#, None),
                plan_key("aws_kms_external_key", "", "", None),
                plan_key("aws_kms_replica_key", "", "", None),
            ],
            &[
                plan(r#""enable_key_rotation": false"#),
                plan(r#""enable_key_rotation": null"#),
                plan(r#""description": "orders""#),
                plan(r#""custom_key_store_id": null, "enable_key_rotation": false"#),
            ],
        );
    }

    #[test]
    fn findings_point_at_the_setting_or_the_key() {
        let source = template_key(KEY, r#""EnableKeyRotation": false"#);
        let found = findings_in(&RULE, &source, &LintOptions::default());
        assert_eq!(&source.text()[found[0].span().range()], "false");
        assert_eq!(
            found[0].pointer.as_deref(),
            Some("/Resources/Key/Properties/EnableKeyRotation")
        );
        assert!(found[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains(r#"`"EnableKeyRotation": true`"#)));

        let source = plan_key("aws_kms_key", "", "", None);
        let found = findings_in(&RULE, &source, &LintOptions::default());
        assert_eq!(
            &source.text()[found[0].span().range()],
            "\"aws_kms_key.main\""
        );
        assert_eq!(
            found[0].pointer.as_deref(),
            Some("/planned_values/root_module/resources/0/values")
        );
        assert!(found[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`enable_key_rotation = true`")));
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_templates_are_read_too() {
        let source = keyward_policy::Source::new(
            "template.yaml",
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n  Other:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: !Ref Rotate\n",
        );
        let found = findings_in(&RULE, &source, &LintOptions::default());
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`EnableKeyRotation: true`")));
    }
}
