//! Who manages a key: the customer, or an AWS service (an AWS managed key,
//! `alias/aws/SERVICE`). docs/evaluation.md, "AWS managed keys".
//!
//! AWS managed keys are "created, managed, and used on your behalf by an AWS
//! service": their key policy is the service's, they cannot be disabled,
//! deleted or given other aliases, and "resource control policies in your
//! organization do not apply to AWS managed keys" (KMS guide, "Resource
//! control policies in AWS KMS"). The `alias/aws/` prefix is reserved for
//! them: CreateAlias refuses it for a customer managed key (API reference,
//! CreateAlias `AliasName`).

use std::fmt;

use crate::err::EvalError;
use crate::key_spec::KeySpec;
use crate::key_state::{KeyOrigin, KeyState};

/// The prefix of the aliases AWS managed keys have, reserved for them.
pub const AWS_ALIAS_PREFIX: &str = "alias/aws/";

/// Who manages a key (`KeyManager` in DescribeKey).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KeyManager {
    /// A customer managed key: the customer writes its key policy.
    #[default]
    Customer,
    /// An AWS managed key: an AWS service created it and fixed its policy.
    Aws,
}

impl KeyManager {
    /// `CUSTOMER` or `AWS`, as DescribeKey spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyManager::Customer => "CUSTOMER",
            KeyManager::Aws => "AWS",
        }
    }

    /// The manager named `name` (case-insensitive).
    pub fn parse(name: &str) -> Option<KeyManager> {
        [KeyManager::Customer, KeyManager::Aws]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for KeyManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// True for a service name as AWS managed key aliases use it (`s3`,
/// `elasticfilesystem`, `lambda`): lowercase letters, digits and dashes.
pub fn is_service_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The service name in `kms:ViaService` (`SERVICE.REGION.amazonaws.com`)
/// for the AWS managed key `alias/aws/SERVICE`: the same name, except that
/// Amazon EBS calls KMS as `ec2` (its key `aws/ebs` has the `kms:ViaService`
/// value `ec2.REGION.amazonaws.com`).
pub fn via_service_name(service: &str) -> &str {
    match service {
        "ebs" => "ec2",
        other => other,
    }
}

/// The key policy AWS documents for an AWS managed key of `service` in
/// `account` and `region`: every principal of the account may use the key
/// for cryptographic operations, grants and DescribeKey **only through the
/// service** (`kms:ViaService` = `SERVICE.REGION.amazonaws.com` and
/// `kms:CallerAccount` = the account; see [`via_service_name`]), and the
/// account may read the key's
/// metadata and revoke grants through IAM (KMS guide, "How Amazon WorkMail
/// uses AWS KMS", the example `auto-workmail-1` policy; `kms:GenerateDataKey*`
/// as in the policies of the storage services' keys). Nothing else: no
/// direct use, no key administration, no other account.
///
/// ```
/// use keyward_eval::aws_managed_key_policy;
/// let text = aws_managed_key_policy("s3", "111122223333", "us-east-1");
/// assert!(text.contains(r#""kms:ViaService": "s3.us-east-1.amazonaws.com""#));
/// assert!(keyward_policy::parse_policy(&text).is_ok());
/// // EBS calls KMS as EC2.
/// assert!(aws_managed_key_policy("ebs", "111122223333", "us-east-1").contains("ec2.us-east-1.amazonaws.com"));
/// ```
pub fn aws_managed_key_policy(service: &str, account: &str, region: &str) -> String {
    let via = via_service_name(service);
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Id": "auto-{service}-1",
  "Statement": [
    {{
      "Sid": "Allow access through {service} for all principals in the account that are authorized to use {service}",
      "Effect": "Allow",
      "Principal": {{"AWS": "*"}},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": {{
        "StringEquals": {{
          "kms:ViaService": "{via}.{region}.amazonaws.com",
          "kms:CallerAccount": "{account}"
        }}
      }}
    }},
    {{
      "Sid": "Allow direct access to key metadata to the account",
      "Effect": "Allow",
      "Principal": {{"AWS": "arn:aws:iam::{account}:root"}},
      "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
      "Resource": "*"
    }}
  ]
}}
"#
    )
}

/// A key as far as who manages it matters.
pub(crate) struct Managed<'k> {
    pub(crate) manager: KeyManager,
    pub(crate) aliases: &'k [String],
    pub(crate) state: KeyState,
    pub(crate) spec: KeySpec,
    pub(crate) origin: KeyOrigin,
    pub(crate) multi_region: bool,
}

/// What an AWS managed key or a customer key may not be.
pub(crate) fn check(key: &Managed<'_>) -> Result<(), EvalError> {
    let spec = key.spec;
    let reserved = key.aliases.iter().find(|a| a.starts_with(AWS_ALIAS_PREFIX));
    match key.manager {
        KeyManager::Customer => match reserved {
            Some(alias) => Err(EvalError::new(
                "eval::alias-reserved",
                format!("`{alias}` is reserved for AWS managed keys; a customer managed key cannot take it"),
            )
            .with_help("give the key an alias that does not start with `alias/aws/`, or declare it an AWS managed key")),
            None => Ok(()),
        },
        KeyManager::Aws => {
            if let Some(alias) = key.aliases.iter().find(|a| !a.starts_with(AWS_ALIAS_PREFIX)) {
                return Err(EvalError::new(
                    "eval::aws-managed-key",
                    format!("an AWS managed key has only its `alias/aws/SERVICE` alias, not `{alias}`"),
                )
                .with_help("aliases of customer managed keys cannot name AWS managed keys"));
            }
            let what = if key.state != KeyState::Enabled {
                Some(format!("in the state {}", key.state))
            } else if spec != KeySpec::SymmetricDefault {
                Some(format!("of key spec `{spec}`"))
            } else if key.origin != KeyOrigin::AwsKms {
                Some(format!("of origin {}", key.origin.as_str()))
            } else if key.multi_region {
                Some("multi-Region".to_string())
            } else {
                None
            };
            match what {
                Some(what) => Err(EvalError::new(
                    "eval::aws-managed-key",
                    format!("an AWS managed key cannot be {what}"),
                )
                .with_help("AWS managed keys are enabled single-Region symmetric encryption keys with AWS_KMS key material, which their service manages")),
                None => Ok(()),
            }
        }
    }
}
