//! Worlds and requests that cannot exist in AWS, which keyward refuses as
//! input rather than decide: key policies KMS refuses at PutKeyPolicy
//! (API reference, PutKeyPolicy `Policy`; KMS guide, "Key policy format"
//! and "AWS KMS condition keys"), aliases reserved for AWS managed keys
//! (API reference, CreateAlias), key specs and usages CreateKey refuses,
//! and several values for a single-valued condition key (IAM User Guide,
//! "Single-valued vs. multivalued context keys").

use keyward_policy::model::{PrincipalKind, PrincipalSpec, SetQualifier};
use keyward_policy::Policy;

use super::world::{is_account, Key, KeyOrigin, KeyState, Request, Value, World};

/// Why KMS would refuse `world`, if it would.
pub fn refused_world(world: &World) -> Option<String> {
    world.keys.iter().find_map(refused_key)
}

fn refused_key(key: &Key) -> Option<String> {
    if let Some(why) = refused_key_policy(&key.policy) {
        return Some(format!("key {}: {why}", key.name));
    }
    let usages: &[&str] = match key.key_spec.as_str() {
        "SYMMETRIC_DEFAULT" => &["ENCRYPT_DECRYPT"],
        "RSA_2048" | "RSA_3072" | "RSA_4096" => &["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
        "ECC_NIST_P256" | "ECC_NIST_P384" | "ECC_NIST_P521" => &["SIGN_VERIFY", "KEY_AGREEMENT"],
        "HMAC_224" | "HMAC_256" | "HMAC_384" | "HMAC_512" => &["GENERATE_VERIFY_MAC"],
        "ECC_SECG_P256K1" => &["SIGN_VERIFY"],
        other => return Some(format!("key spec {other}")),
    };
    if !usages.contains(&key.key_usage.as_str()) {
        return Some(format!("{} with {}", key.key_spec, key.key_usage));
    }
    let reserved = key.aliases.iter().any(|a| a.starts_with("alias/aws/"));
    if key.aws_managed {
        let fine = key.aliases.iter().all(|a| a.starts_with("alias/aws/"))
            && key.state == KeyState::Enabled
            && key.key_spec == "SYMMETRIC_DEFAULT"
            && key.origin == KeyOrigin::AwsKms
            && !key
                .multi_region
                .unwrap_or_else(|| key.key_id().starts_with("mrk-"));
        (!fine).then(|| "an AWS managed key as no AWS managed key is".to_string())
    } else {
        reserved.then(|| "a customer key with an alias/aws/ alias".to_string())
    }
}

/// Why KMS refuses this key policy, if it does.
pub fn refused_key_policy(policy: &Policy) -> Option<String> {
    for s in &policy.statements {
        let Some(p) = &s.principal else {
            return Some("a statement without a principal".into());
        };
        if let PrincipalSpec::Map(groups) = &p.node.spec {
            if groups.iter().all(|g| g.values.is_empty()) {
                return Some("a statement naming no principal".into());
            }
            for g in groups.iter().filter(|g| g.kind.node == PrincipalKind::Aws) {
                if let Some(v) = g.values.iter().find(|v| !can_exist(&v.node)) {
                    return Some(format!("invalid principal {}", v.node));
                }
            }
        }
        if let Some(c) = &s.condition {
            for e in &c.node.entries {
                let key = e.key.node.as_str().to_ascii_lowercase();
                if e.operator.node.qualifier == Some(SetQualifier::ForAllValues)
                    && (key.starts_with("kms:encryptioncontext:")
                        || key.starts_with("aws:requesttag/"))
                {
                    return Some("ForAllValues on a per-pair key".into());
                }
            }
        }
    }
    None
}

/// An `AWS` principal value that can name a principal: everyone, an
/// account, a unique id, or the ARN of a root user, user, role, role
/// session or federated user with a 12-digit account.
fn can_exist(value: &str) -> bool {
    if value == "*" || is_account(value) {
        return true;
    }
    if value.len() > 4
        && ["AIDA", "AROA"].iter().any(|p| value.starts_with(p))
        && value.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return true;
    }
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    if *arn != "arn" || partition.is_empty() || !region.is_empty() || !is_account(account) {
        return false;
    }
    let named = |prefix: &str| {
        resource
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/'))
    };
    match *service {
        "iam" => *resource == "root" || named("user/") || named("role/"),
        "sts" => {
            named("federated-user/")
                || resource
                    .strip_prefix("assumed-role/")
                    .and_then(|rest| rest.split_once('/'))
                    .is_some_and(|(role, session)| !role.is_empty() && !session.is_empty())
        }
        _ => false,
    }
}

/// The single-valued condition keys the generated requests may give
/// (global keys and KMS keys the spec lists as single-valued).
const SINGLE_VALUED: &[&str] = &[
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:securetransport",
    "aws:principalorgid",
    "aws:multifactorauthage",
    "aws:multifactorauthpresent",
    "kms:viaservice",
    "kms:grantisforawsresource",
];

/// Why `req` cannot be a request, if it cannot.
pub fn invalid_request(req: &Request) -> Option<String> {
    req.context.iter().find_map(|(k, v)| match v {
        Value::Many(list)
            if list.len() > 1 && SINGLE_VALUED.contains(&k.to_ascii_lowercase().as_str()) =>
        {
            Some(format!("{} values for the single-valued {k}", list.len()))
        }
        _ => None,
    })
}
