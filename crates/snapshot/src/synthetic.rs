//! Synthetic snapshots in the exact AWS CLI shapes, for benchmarks, the
//! fuzzer's seeds and tests: one account, roles and users with inline and
//! shared managed policies, keys with policies, aliases and grants, and a
//! small organization.

use serde_json::{json, Value};

use crate::files::MemoryFiles;

/// The account of synthetic snapshots.
pub const ACCOUNT: &str = "111122223333";
/// The management account of the synthetic organization.
pub const MANAGEMENT: &str = "999988887777";
/// The Region of synthetic keys.
pub const REGION: &str = "us-east-1";

/// How large a synthetic snapshot is.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Users and roles (every fifth is a user).
    pub principals: usize,
    /// Identity policies per principal; a third of them, on average, are
    /// managed policies shared with other principals.
    pub policies_per_principal: usize,
    /// How many distinct managed policies are shared.
    pub managed_policies: usize,
    /// Keys.
    pub keys: usize,
    /// Grants, spread over the keys.
    pub grants: usize,
    /// Entities per page of authorization details (pages as the collector
    /// writes them).
    pub page_size: usize,
}

impl Spec {
    /// The benchmark's size: 10,000 principals with 5 policies each (a
    /// third managed and shared), 1,000 keys, 10,000 grants.
    pub fn large() -> Spec {
        Spec {
            principals: 10_000,
            policies_per_principal: 5,
            managed_policies: 100,
            keys: 1_000,
            grants: 10_000,
            page_size: 1_000,
        }
    }
}

/// A small snapshot: 10 principals, 4 keys. `app-0` may decrypt with
/// `alias/data-0`.
pub fn small() -> MemoryFiles {
    generate(&Spec {
        principals: 10,
        policies_per_principal: 5,
        managed_policies: 3,
        keys: 4,
        grants: 8,
        page_size: 4,
    })
}

fn key_id(j: usize) -> String {
    format!("{:08x}-1234-4abc-8def-{:012x}", j, j)
}

fn key_arn(j: usize) -> String {
    format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/{}", key_id(j))
}

fn role_arn(i: usize) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/app-{i}")
}

fn is_user(i: usize) -> bool {
    i % 5 == 4
}

fn principal_arn(i: usize) -> String {
    if is_user(i) {
        format!("arn:aws:iam::{ACCOUNT}:user/app-{i}")
    } else {
        role_arn(i)
    }
}

fn inline(i: usize, n: usize, keys: usize) -> Value {
    let k = (i + n) % keys.max(1);
    json!({
        "PolicyName": format!("inline-{n}"),
        "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "UseDataKey", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": key_arn(k),
                 "Condition": {"StringEquals": {"kms:ViaService": format!("s3.{REGION}.amazonaws.com")}}},
                {"Sid": "ReadBucket", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": [format!("arn:aws:s3:::bucket-{i}-{n}"), format!("arn:aws:s3:::bucket-{i}-{n}/*")]},
                {"Sid": "NoDeletion", "Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}
            ]
        }
    })
}

fn managed_arn(m: usize) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/shared-{m}")
}

fn managed(m: usize) -> Value {
    json!({
        "PolicyName": format!("shared-{m}"),
        "PolicyId": format!("ANPA{m:016}"),
        "Arn": managed_arn(m),
        "Path": "/",
        "DefaultVersionId": "v2",
        "AttachmentCount": 1,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": true,
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "UpdateDate": "2024-02-01T00:00:00+00:00",
        "PolicyVersionList": [
            {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]},
             "VersionId": "v1", "IsDefaultVersion": false, "CreateDate": "2024-01-01T00:00:00+00:00"},
            {"Document": {"Version": "2012-10-17", "Statement": [
                {"Sid": "Describe", "Effect": "Allow", "Action": ["kms:DescribeKey", "kms:ListAliases"], "Resource": "*"},
                {"Sid": "EncryptTagged", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalTag/team": format!("team-{}", m % 7)}}}]},
             "VersionId": "v2", "IsDefaultVersion": true, "CreateDate": "2024-02-01T00:00:00+00:00"}
        ]
    })
}

/// Generate a snapshot of `spec`'s size.
pub fn generate(spec: &Spec) -> MemoryFiles {
    let mut files = MemoryFiles::new();
    let acct = format!("accounts/{ACCOUNT}");
    let pages = authorization_details(spec);
    if pages.len() == 1 {
        files.insert(
            &format!("{acct}/iam/authorization-details.json"),
            pretty(&pages[0]),
        );
    } else {
        for (n, page) in pages.iter().enumerate() {
            files.insert(
                &format!("{acct}/iam/authorization-details.{}.json", n + 1),
                pretty(page),
            );
        }
    }
    let kms = format!("{acct}/kms/{REGION}");
    let aliases: Vec<Value> = (0..spec.keys)
        .map(|j| json!({"AliasName": format!("alias/data-{j}"), "AliasArn": format!("arn:aws:kms:{REGION}:{ACCOUNT}:alias/data-{j}"),
                        "TargetKeyId": key_id(j), "CreationDate": "2024-01-01T00:00:00+00:00", "LastUpdatedDate": "2024-01-01T00:00:00+00:00"}))
        .chain(std::iter::once(json!({"AliasName": "alias/aws/ebs", "AliasArn": format!("arn:aws:kms:{REGION}:{ACCOUNT}:alias/aws/ebs")})))
        .collect();
    files.insert(
        &format!("{kms}/aliases.json"),
        pretty(&json!({"Aliases": aliases})),
    );
    for j in 0..spec.keys {
        let dir = format!("{kms}/keys/{}", key_id(j));
        files.insert(
            &format!("{dir}/describe-key.json"),
            pretty(&describe_key(j)),
        );
        files.insert(
            &format!("{dir}/key-policy.json"),
            pretty(&json!({"Policy": key_policy(j, spec), "PolicyName": "default"})),
        );
        let grants: Vec<Value> = (0..spec.grants)
            .filter(|g| g % spec.keys.max(1) == j)
            .map(|g| grant(j, g, spec))
            .collect();
        files.insert(
            &format!("{dir}/grants.json"),
            pretty(&json!({"Grants": grants, "Truncated": false})),
        );
        files.insert(&format!("{dir}/tags.json"), pretty(&json!({"Tags": [{"TagKey": "env", "TagValue": if j % 2 == 0 { "prod" } else { "dev" }}], "Truncated": false})));
    }
    organization(&mut files);
    files
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn authorization_details(spec: &Spec) -> Vec<Value> {
    let mut users = Vec::new();
    let mut roles = Vec::new();
    for i in 0..spec.principals {
        let managed_count = if i % 3 == 0 { 3 } else { 1 }.min(spec.policies_per_principal);
        let inline_count = spec.policies_per_principal - managed_count;
        let policies: Vec<Value> = (0..inline_count).map(|n| inline(i, n, spec.keys)).collect();
        let attached: Vec<Value> = (0..managed_count)
            .map(|n| {
                let m = (i * 7 + n) % spec.managed_policies.max(1);
                json!({"PolicyName": format!("shared-{m}"), "PolicyArn": managed_arn(m)})
            })
            .collect();
        let tags = json!([{"Key": "team", "Value": format!("team-{}", i % 7)}]);
        if is_user(i) {
            users.push(json!({
                "Path": "/", "UserName": format!("app-{i}"), "UserId": format!("AIDA{i:017}"), "Arn": principal_arn(i),
                "CreateDate": "2024-01-01T00:00:00+00:00", "UserPolicyList": policies, "GroupList": ["developers"],
                "AttachedManagedPolicies": attached, "Tags": tags
            }));
        } else {
            roles.push(json!({
                "Path": "/", "RoleName": format!("app-{i}"), "RoleId": format!("AROA{i:017}"), "Arn": principal_arn(i),
                "CreateDate": "2024-01-01T00:00:00+00:00",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "InstanceProfileList": [], "RolePolicyList": policies, "AttachedManagedPolicies": attached, "Tags": tags,
                "RoleLastUsed": {"LastUsedDate": "2024-03-01T00:00:00+00:00", "Region": REGION}
            }));
        }
    }
    let groups = vec![json!({
        "Path": "/", "GroupName": "developers", "GroupId": "AGPA00000000000000001", "Arn": format!("arn:aws:iam::{ACCOUNT}:group/developers"),
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "GroupPolicyList": [{"PolicyName": "describe", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}}],
        "AttachedManagedPolicies": []
    })];
    let policies: Vec<Value> = (0..spec.managed_policies).map(managed).collect();
    // Pages: principals first, then groups and policies, `page_size` entities each.
    let mut entities: Vec<(&str, Value)> = Vec::new();
    entities.extend(users.into_iter().map(|u| ("UserDetailList", u)));
    entities.extend(roles.into_iter().map(|r| ("RoleDetailList", r)));
    entities.extend(groups.into_iter().map(|g| ("GroupDetailList", g)));
    entities.extend(policies.into_iter().map(|p| ("Policies", p)));
    let chunks: Vec<&[(&str, Value)]> = entities.chunks(spec.page_size.max(1)).collect();
    let last = chunks.len().saturating_sub(1);
    chunks
        .iter()
        .enumerate()
        .map(|(n, chunk)| {
            let mut page = json!({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []});
            for (list, v) in chunk.iter() {
                if let Some(Value::Array(items)) = page.get_mut(*list) {
                    items.push(v.clone());
                }
            }
            if n < last {
                page["NextToken"] = json!(format!("token-{}", n + 1));
            }
            page
        })
        .collect()
}

fn describe_key(j: usize) -> Value {
    json!({"KeyMetadata": {
        "AWSAccountId": ACCOUNT, "KeyId": key_id(j), "Arn": key_arn(j), "CreationDate": "2024-01-01T00:00:00+00:00",
        "Enabled": j % 50 != 49, "Description": format!("data key {j}"), "KeyUsage": "ENCRYPT_DECRYPT",
        "KeyState": if j % 50 == 49 { "Disabled" } else { "Enabled" }, "Origin": "AWS_KMS", "KeyManager": "CUSTOMER",
        "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT", "KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
        "MultiRegion": false
    }})
}

fn key_policy(j: usize, spec: &Spec) -> String {
    let users: Vec<String> = (0..3)
        .map(|x| role_arn((j * 3 + x) % spec.principals.max(1)))
        .filter(|a| !a.is_empty())
        .collect();
    let policy = json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": users},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"},
            {"Sid": "Deny outside the organization", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-exampleorg"}, "Bool": {"aws:PrincipalIsAWSService": "false"}}}
        ]
    });
    serde_json::to_string_pretty(&policy).unwrap_or_default()
}

fn grant(j: usize, g: usize, spec: &Spec) -> Value {
    let grantee = principal_arn((g * 13) % spec.principals.max(1));
    let mut v = json!({
        "KeyId": key_arn(j), "GrantId": format!("{:064x}", g), "Name": format!("grant-{g}"), "CreationDate": "2024-01-01T00:00:00+00:00",
        "GranteePrincipal": grantee, "RetiringPrincipal": role_arn(0), "IssuingAccount": format!("arn:aws:iam::{ACCOUNT}:root"),
        "Operations": ["Decrypt", "GenerateDataKey"]
    });
    if g % 2 == 0 {
        v["Constraints"] =
            json!({"EncryptionContextSubset": {"department": format!("d{}", g % 5)}});
    }
    v
}

fn organization(files: &mut MemoryFiles) {
    files.insert("organization/describe-organization.json", pretty(&json!({"Organization": {
        "Id": "o-exampleorg", "Arn": format!("arn:aws:organizations::{MANAGEMENT}:organization/o-exampleorg"), "FeatureSet": "ALL",
        "MasterAccountArn": format!("arn:aws:organizations::{MANAGEMENT}:account/o-exampleorg/{MANAGEMENT}"),
        "MasterAccountId": MANAGEMENT, "MasterAccountEmail": "management@example.com",
        "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]
    }})));
    let policy = |id: &str, name: &str, kind: &str, content: Value| {
        json!({"Policy": {"PolicySummary": {"Id": id, "Arn": format!("arn:aws:organizations::{MANAGEMENT}:policy/o-exampleorg/{}/{id}", kind.to_ascii_lowercase()),
            "Name": name, "Description": name, "Type": kind, "AwsManaged": id.starts_with("p-FullAWSAccess") || id.starts_with("p-RCPFullAWSAccess")},
            "Content": serde_json::to_string(&content).unwrap_or_default()}})
    };
    let full = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let rcp_full = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]});
    let regions = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Regions", "Effect": "Deny", "Action": "kms:*", "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": [REGION, "eu-west-1"]}}}]});
    files.insert(
        "organization/policies/p-FullAWSAccess.json",
        pretty(&policy(
            "p-FullAWSAccess",
            "FullAWSAccess",
            "SERVICE_CONTROL_POLICY",
            full,
        )),
    );
    files.insert(
        "organization/policies/p-RCPFullAWSAccess.json",
        pretty(&policy(
            "p-RCPFullAWSAccess",
            "RCPFullAWSAccess",
            "RESOURCE_CONTROL_POLICY",
            rcp_full,
        )),
    );
    files.insert(
        "organization/policies/p-regions1.json",
        pretty(&policy(
            "p-regions1",
            "approved-regions",
            "SERVICE_CONTROL_POLICY",
            regions,
        )),
    );
    files.insert("organization/tree.json", pretty(&json!({"root": {"id": "r-ex12", "policies": ["p-FullAWSAccess", "p-RCPFullAWSAccess"], "children": [
        {"ou": "ou-ex12-prod0001", "policies": ["p-FullAWSAccess", "p-regions1", "p-RCPFullAWSAccess"], "children": [
            {"account": ACCOUNT, "policies": ["p-FullAWSAccess", "p-RCPFullAWSAccess"]}]},
        {"account": MANAGEMENT, "policies": ["p-FullAWSAccess", "p-RCPFullAWSAccess"]}
    ]}})));
}
