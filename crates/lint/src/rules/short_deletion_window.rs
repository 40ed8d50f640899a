//! KW212: a key's deletion waiting period set shorter than KMS's 30 days.

use crate::extract::Setting;
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, KeyContext};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW212",
        name: "short-deletion-window",
        category: Category::Security,
        default_level: Level::Info,
        scope: Scope::KeyResource,
        summary: "a KMS key's deletion waiting period is set shorter than the default 30 days",
        docs: DOCS,
    },
    Check::Key(check),
);

/// KMS's default waiting period, and the longest it accepts.
const DEFAULT_DAYS: f64 = 30.0;
/// The shortest waiting period KMS accepts.
const MINIMUM_DAYS: f64 = 7.0;

fn check(cx: &mut KeyContext<'_>) {
    let key = cx.key();
    let Setting::Known(days, span) = key.deletion_window_days else {
        return;
    };
    let refused = !(MINIMUM_DAYS..=DEFAULT_DAYS).contains(&days) || days.fract() != 0.0;
    if !refused && days >= DEFAULT_DAYS {
        return;
    }
    let setting = cx.name("PendingWindowInDays", "deletion_window_in_days");
    let message = if refused {
        format!(
            "key `{}` has a deletion waiting period of {days} days, which KMS refuses (it takes 7 to 30 whole days)",
            key.label
        )
    } else {
        format!(
            "key `{}` would be deleted {days} days after its deletion is scheduled, not {DEFAULT_DAYS} (the default)",
            key.label
        )
    };
    let d = cx
        .diagnostic(message, span)
        .with_label(if days > DEFAULT_DAYS {
            "longer than the 30 days KMS allows"
        } else {
            "shorter than the default 30 days"
        })
        .with_help(format!(
            "leave `{setting}` out, or write `{}`: the waiting period is the only time to cancel a deletion (removing the key from the stack or configuration schedules one), and a deleted key cannot be recovered, nor the data it encrypted",
            cx.written("PendingWindowInDays", "deletion_window_in_days", "30")
        ));
    let d = match cx.pointer(setting) {
        Some(pointer) => d.with_pointer(pointer),
        None => d,
    };
    cx.emit(d);
}

const DOCS: &str = r#"## What it does
Reports a KMS key whose deletion waiting period (CloudFormation's
`PendingWindowInDays`, Terraform's `deletion_window_in_days`, on keys and
replica keys) is set below 30 days, or outside the 7 to 30 days KMS takes. KMS accepts 7 to 30 days and uses 30
when the setting is left out (KMS API reference, `ScheduleKeyDeletion`:
"If you include a value, it must be between 7 and 30, inclusive. If you do
not include a value, it defaults to 30"); a value outside that range is
reported as one KMS refuses. Templates, Terraform plans and Terraform
`.tf` files are read (`aws_kms_key`, `aws_kms_external_key` and the
replica keys, module instances included). A value known only at deploy
time is not judged (in a `.tf` file it gets a `terraform::needs-plan`
note).

## Why it matters
Deleting a KMS key is final: the key material and everything it encrypted
become unrecoverable. The waiting period is the only time to notice and
cancel a deletion, and a template schedules one without anyone calling
`ScheduleKeyDeletion`: CloudFormation schedules it when the key is removed
from the stack (the CloudFormation resource reference for
`AWS::KMS::Key`, `PendingWindowInDays`), Terraform when the resource is
destroyed. AWS Security Hub control KMS.3 ("AWS KMS keys should not be
deleted unintentionally") notes that the default of 30 days "can be reduced
to as short as 7 days". The rule is information by default: a short window
can be a deliberate choice for short-lived keys.

## Examples
### Invalid
```json
{
  "Resources": {
    "OrdersKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {"EnableKeyRotation": true, "PendingWindowInDays": 7}
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
      "Properties": {"EnableKeyRotation": true, "PendingWindowInDays": 30}
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

    /// KMS API reference, `ScheduleKeyDeletion`: 7 to 30 days, 30 when not
    /// given.
    #[test]
    fn windows_shorter_than_the_default_are_reported() {
        let key = |properties: &str| template_key("AWS::KMS::Key", properties);
        let plan = |values: &str| plan_key("aws_kms_key", values, "", None);
        assert_key_cases(
            &RULE,
            &[
                key(""),
                key(r#""PendingWindowInDays": 30"#),
                key(r#""PendingWindowInDays": "30""#),
                key(r#""PendingWindowInDays": {"Ref": "Days"}"#),
                plan(r#""deletion_window_in_days": 30"#),
                plan(r#""deletion_window_in_days": null"#),
                plan(""),
                plan_key(
                    "aws_kms_key",
                    "",
                    r#""deletion_window_in_days": true"#,
                    None,
                ),
            ],
            &[
                key(r#""PendingWindowInDays": 7"#),
                key(r#""PendingWindowInDays": "14""#),
                key(r#""PendingWindowInDays": 3"#),
                template_key("AWS::KMS::ReplicaKey", r#""PendingWindowInDays": 7"#),
                plan(r#""deletion_window_in_days": 10"#),
                plan_key(
                    "aws_kms_replica_key",
                    r#""deletion_window_in_days": 7"#,
                    "",
                    None,
                ),
                plan_key(
                    "aws_kms_external_key",
                    r#""deletion_window_in_days": 7"#,
                    "",
                    None,
                ),
            ],
        );
    }

    #[test]
    fn values_kms_refuses_say_so() {
        let found = |properties: &str| {
            let source = template_key("AWS::KMS::Key", properties);
            findings_in(&RULE, &source, &LintOptions::default())
        };
        assert!(found(r#""PendingWindowInDays": 3"#)[0]
            .message
            .contains("which KMS refuses"));
        assert!(found(r#""PendingWindowInDays": 7.5"#)[0]
            .message
            .contains("which KMS refuses"));
        // Above the range is refused too ("it must be between 7 and 30,
        // inclusive").
        let long = found(r#""PendingWindowInDays": 45"#);
        assert!(
            long[0].message.contains("which KMS refuses"),
            "{}",
            long[0].message
        );
        assert_eq!(
            long[0].labels[0].message,
            "longer than the 30 days KMS allows"
        );
        let seven = found(r#""PendingWindowInDays": 7"#);
        assert!(
            seven[0].message.contains("7 days after"),
            "{}",
            seven[0].message
        );
        assert_eq!(
            seven[0].pointer.as_deref(),
            Some("/Resources/Key/Properties/PendingWindowInDays")
        );
    }
}
