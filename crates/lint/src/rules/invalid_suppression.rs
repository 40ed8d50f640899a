//! `suppression::…`: suppressions that cannot be trusted, reported as
//! findings (see [`crate::suppress`]).

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::Check;

/// `suppression::…`: a suppression without a reason, naming no rule,
/// malformed, or covering nothing.
pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "suppression",
        name: "invalid-suppression",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "a suppression gives no reason, names no rule, is malformed or covers nothing",
        docs: DOCS,
    },
    Check::Family,
);

const DOCS: &str = r#"## What it does
Checks the suppressions written beside the code: in a CloudFormation
resource's `Metadata` (`keyward: {suppress: [{code, reason}]}`), in a
Terraform comment (`# keyward:suppress CODE reason`) and in `.keyward.json`
(`suppress: [{sid, code, reason}]`). The codes are:

* `suppression::missing-reason` (error): the suppression gives no reason.
  It suppresses nothing until it has one.
* `suppression::unknown-rule` (error): its code names no rule.
* `suppression::invalid` (error): it is not written as the format says.
* `suppression::unused` (info): it covers no finding: the finding it was
  written for is gone, or its rule is off there.

## Why it matters
A suppression is a decision to accept a risk. Its reason tells the next
reviewer why, so that the decision can be checked again when the code or
the reasons change; a suppression that covers nothing anymore hides the
next problem of the same kind in the same place.

## Examples
### Invalid
```yaml file=template.yaml
Resources:
  SharedKey:
    Type: AWS::KMS::Key
    Metadata:
      keyward:
        suppress:
          - code: KW201
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: kms:Decrypt
            Resource: '*'
```
### Valid
```yaml file=template.yaml
Resources:
  SharedKey:
    Type: AWS::KMS::Key
    Metadata:
      keyward:
        suppress:
          - code: KW201
            reason: every caller goes through the VPC endpoint policy, see ADR-12
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: kms:Decrypt
            Resource: '*'
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{assert_cases, assert_cases_with};
    use crate::suppress::SidSuppression;
    use crate::LintOptions;
    use keyward_policy::Span;

    /// A JSON template whose key lets anyone decrypt, with `metadata` as
    /// the key's `Metadata`.
    fn template(metadata: &str) -> String {
        format!(
            r#"{{"Resources": {{"Key": {{"Type": "AWS::KMS::Key", "Metadata": {metadata},
              "Properties": {{"KeyPolicy": {{"Version": "2012-10-17", "Statement": [
                {{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}}]}}}}}}}}}}"#
        )
    }

    #[test]
    fn metadata_suppressions_need_a_reason_a_rule_and_a_finding() {
        assert_cases(
            &RULE,
            &[
                &template(
                    r#"{"keyward": {"suppress": [{"code": "KW201", "reason": "public on purpose"}]}}"#,
                ),
                &template(
                    r#"{"keyward": {"suppress": [{"code": "wildcard-principal-without-condition", "reason": "by name"}]}}"#,
                ),
                &template(r#"{"cfn-lint": {"config": {"ignore_checks": ["E3012"]}}}"#),
            ],
            &[
                &template(r#"{"keyward": {"suppress": [{"code": "KW201"}]}}"#),
                &template(r#"{"keyward": {"suppress": [{"code": "KW201", "reason": "  "}]}}"#),
                &template(
                    r#"{"keyward": {"suppress": [{"code": "KW999", "reason": "no such rule"}]}}"#,
                ),
                &template(
                    r#"{"keyward": {"suppress": [{"id": "KW201", "reason": "cfn_nag's spelling"}]}}"#,
                ),
                &template(
                    r#"{"keyward": {"suppress": {"code": "KW201", "reason": "not a list"}}}"#,
                ),
                &template(
                    r#"{"keyward": {"suppress": [{"code": "suppression", "reason": "no"}]}}"#,
                ),
                &template(
                    r#"{"keyward": {"suppress": [{"code": "KW305", "reason": "nothing to cover"}]}}"#,
                ),
            ],
        );
    }

    #[test]
    fn configured_sid_suppressions_report_nothing_in_the_linted_file() {
        let options = LintOptions {
            suppressions: vec![SidSuppression {
                sid: "Public".into(),
                rule: "KW201",
                reason: None,
                at: Span::new(0, 1),
            }],
            ..LintOptions::default()
        };
        // Their problems are the configuration file's (see `suppress::config_findings`).
        assert_cases_with(&RULE, &options, &[&template("{}")], &[]);
    }
}
