//! Which operations a key's type can perform: the KMS developer guide's key
//! type table ("Key type reference", symm-asymm-compare.html) and the API
//! reference's `InvalidKeyUsageException` ("For encrypting, decrypting,
//! re-encrypting, and generating data keys, the KeyUsage must be
//! ENCRYPT_DECRYPT. For signing and verifying messages, … SIGN_VERIFY. For
//! generating and verifying message authentication codes (MACs), …
//! GENERATE_VERIFY_MAC. For deriving key agreement secrets, …
//! KEY_AGREEMENT"). An operation the key cannot perform is a failed call
//! after an allow, like key state (docs/evaluation.md, "Key type").

mod common;

use common::*;
use keyward_eval::{
    key_type_error, Decision, KeyOrigin, KeySpec, KeyState, KeyUsage, KmsAction, KmsErrorKind,
};

const ARN: &str = KEY_ARN;

/// Bob may do anything with the key `K` of this spec and usage.
fn world_with(spec: &str, usage: &str) -> Built {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:*", "Resource": "*"}"#,
    );
    World::new()
        .key(Key::new("K", ARN, &kp).spec(spec).usage(usage))
        .user("Bob", &[])
        .build()
}

fn call(w: &Built, action: &str) -> (Decision, Option<(KmsErrorKind, String)>) {
    w.call("Bob", action, "K", &[])
}

#[test]
fn key_type_encrypt_with_a_signing_key_is_invalid_key_usage() {
    let w = world_with("RSA_2048", "SIGN_VERIFY");
    assert_eq!(
        call(&w, "kms:Encrypt"),
        (
            Decision::Allow,
            Some((
                KmsErrorKind::InvalidKeyUsageException,
                format!("{ARN} key usage is SIGN_VERIFY which is not valid for Encrypt.")
            ))
        )
    );
    // The same key signs.
    assert_eq!(call(&w, "kms:Sign"), (Decision::Allow, None));
    assert_eq!(call(&w, "kms:GetPublicKey"), (Decision::Allow, None));
}

#[test]
fn key_type_data_keys_come_only_from_symmetric_encryption_keys() {
    // "you can only use symmetric encryption KMS keys to generate symmetric
    // data keys and asymmetric data key pairs" (key type reference).
    let w = world_with("RSA_2048", "ENCRYPT_DECRYPT");
    assert_eq!(call(&w, "kms:Encrypt"), (Decision::Allow, None));
    for action in [
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:GenerateDataKeyPair",
        "kms:GenerateDataKeyPairWithoutPlaintext",
    ] {
        let (d, e) = call(&w, action);
        let op = action.trim_start_matches("kms:");
        assert_eq!(
            (d, e),
            (
                Decision::Allow,
                Some((
                    KmsErrorKind::InvalidKeyUsageException,
                    format!("{ARN} key KeySpec is RSA_2048 which is not valid for {op}.")
                ))
            ),
            "{action}"
        );
    }
    let w = world_with("SYMMETRIC_DEFAULT", "");
    assert_eq!(call(&w, "kms:GenerateDataKey"), (Decision::Allow, None));
}

#[test]
fn key_type_signing_needs_a_sign_verify_key() {
    let w = world_with("SYMMETRIC_DEFAULT", "");
    for action in ["kms:Sign", "kms:Verify"] {
        let (d, e) = call(&w, action);
        assert_eq!(d, Decision::Allow);
        assert_eq!(
            e.map(|(k, _)| k),
            Some(KmsErrorKind::InvalidKeyUsageException),
            "{action}"
        );
    }
}

#[test]
fn key_type_macs_need_an_hmac_key() {
    let w = world_with("SYMMETRIC_DEFAULT", "");
    let (_, e) = call(&w, "kms:GenerateMac");
    assert_eq!(
        e,
        Some((
            KmsErrorKind::InvalidKeyUsageException,
            format!("{ARN} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.")
        ))
    );
    // An HMAC key's usage is GENERATE_VERIFY_MAC, whether given or not.
    for usage in ["", "GENERATE_VERIFY_MAC"] {
        let w = world_with("HMAC_256", usage);
        assert_eq!(call(&w, "kms:GenerateMac"), (Decision::Allow, None));
        assert_eq!(call(&w, "kms:VerifyMac"), (Decision::Allow, None));
        let (_, e) = call(&w, "kms:Decrypt");
        assert_eq!(
            e.map(|(k, _)| k),
            Some(KmsErrorKind::InvalidKeyUsageException)
        );
    }
}

#[test]
fn key_type_shared_secrets_need_a_key_agreement_key() {
    let w = world_with("ECC_NIST_P256", "KEY_AGREEMENT");
    assert_eq!(call(&w, "kms:DeriveSharedSecret"), (Decision::Allow, None));
    let (_, e) = call(&w, "kms:Sign");
    assert_eq!(
        e.map(|(k, _)| k),
        Some(KmsErrorKind::InvalidKeyUsageException)
    );
    let w = world_with("ECC_NIST_P256", "SIGN_VERIFY");
    let (_, e) = call(&w, "kms:DeriveSharedSecret");
    assert_eq!(
        e,
        Some((
            KmsErrorKind::InvalidKeyUsageException,
            format!("{ARN} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.")
        ))
    );
}

#[test]
fn key_type_reencrypt_is_named_as_its_operation() {
    let w = world_with("HMAC_512", "");
    for action in ["kms:ReEncryptFrom", "kms:ReEncryptTo"] {
        let (_, e) = call(&w, action);
        assert_eq!(
            e,
            Some((
                KmsErrorKind::InvalidKeyUsageException,
                format!("{ARN} key usage is GENERATE_VERIFY_MAC which is not valid for ReEncrypt.")
            ))
        );
    }
}

#[test]
fn key_type_public_keys_and_rotation_are_unsupported_where_the_table_says_no() {
    // GetPublicKey: asymmetric keys only; automatic rotation: symmetric
    // encryption keys only.
    let w = world_with("SYMMETRIC_DEFAULT", "");
    let (_, e) = call(&w, "kms:GetPublicKey");
    assert_eq!(
        e,
        Some((
            KmsErrorKind::UnsupportedOperationException,
            format!("{ARN} key KeySpec is SYMMETRIC_DEFAULT which is not valid for GetPublicKey.")
        ))
    );
    assert_eq!(call(&w, "kms:EnableKeyRotation"), (Decision::Allow, None));
    let w = world_with("RSA_4096", "ENCRYPT_DECRYPT");
    assert_eq!(call(&w, "kms:GetPublicKey"), (Decision::Allow, None));
    for action in [
        "kms:EnableKeyRotation",
        "kms:DisableKeyRotation",
        "kms:GetKeyRotationStatus",
        "kms:RotateKeyOnDemand",
    ] {
        let (_, e) = call(&w, action);
        assert_eq!(
            e.map(|(k, _)| k),
            Some(KmsErrorKind::UnsupportedOperationException),
            "{action}"
        );
    }
    // Management operations work on every key type.
    for action in [
        "kms:DescribeKey",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
    ] {
        assert_eq!(call(&w, action), (Decision::Allow, None), "{action}");
    }
}

#[test]
fn key_type_never_turns_a_deny_into_an_error() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Sign", "Resource": "*"}"#,
    );
    let w = World::new()
        .key(Key::new("K", ARN, &kp).spec("HMAC_256"))
        .user("Bob", &[])
        .build();
    assert_eq!(
        w.call("Bob", "kms:Encrypt", "K", &[]),
        (Decision::ImplicitDeny, None)
    );
    let (d, e) = w.call("Bob", "kms:Sign", "K", &[]);
    assert_eq!(d, Decision::Allow);
    assert_eq!(
        e.map(|(k, _)| k),
        Some(KmsErrorKind::InvalidKeyUsageException)
    );
}

#[test]
fn doubt_key_state_answers_before_key_type() {
    // A disabled signing key asked to encrypt: the state's exception.
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:*", "Resource": "*"}"#,
    );
    let w = World::new()
        .key(
            Key::new("K", ARN, &kp)
                .spec("ECC_NIST_P384")
                .usage("SIGN_VERIFY")
                .state(KeyState::Disabled),
        )
        .user("Bob", &[])
        .build();
    let (_, e) = w.call("Bob", "kms:Encrypt", "K", &[]);
    assert_eq!(e.map(|(k, _)| k), Some(KmsErrorKind::DisabledException));
}

#[test]
fn key_type_data_key_pairs_are_not_generated_under_custom_key_store_keys() {
    // Special features table: GenerateDataKeyPair is not valid for KMS keys
    // in custom key stores.
    for origin in [KeyOrigin::AwsCloudHsm, KeyOrigin::ExternalKeyStore] {
        let e = key_type_error(
            KmsAction::GenerateDataKeyPair,
            KeySpec::SymmetricDefault,
            KeyUsage::EncryptDecrypt,
            origin,
        );
        assert_eq!(
            e.map(|(k, _)| k),
            Some(KmsErrorKind::UnsupportedOperationException)
        );
        let e = key_type_error(
            KmsAction::GenerateDataKey,
            KeySpec::SymmetricDefault,
            KeyUsage::EncryptDecrypt,
            origin,
        );
        assert_eq!(e, None);
    }
}

#[test]
fn key_type_table_row_by_row() {
    // The key type table's cryptographic rows, column by column:
    // symmetric encryption, HMAC, asymmetric ENCRYPT_DECRYPT, SIGN_VERIFY,
    // KEY_AGREEMENT.
    let columns = [
        (KeySpec::SymmetricDefault, KeyUsage::EncryptDecrypt),
        (KeySpec::Hmac384, KeyUsage::GenerateVerifyMac),
        (KeySpec::Rsa3072, KeyUsage::EncryptDecrypt),
        (KeySpec::EccSecgP256k1, KeyUsage::SignVerify),
        (KeySpec::EccNistP521, KeyUsage::KeyAgreement),
    ];
    let rows: &[(KmsAction, [bool; 5])] = &[
        (KmsAction::Decrypt, [true, false, true, false, false]),
        (KmsAction::Encrypt, [true, false, true, false, false]),
        (KmsAction::ReEncryptFrom, [true, false, true, false, false]),
        (
            KmsAction::DeriveSharedSecret,
            [false, false, false, false, true],
        ),
        (
            KmsAction::GenerateDataKey,
            [true, false, false, false, false],
        ),
        (
            KmsAction::GenerateDataKeyPair,
            [true, false, false, false, false],
        ),
        (KmsAction::GenerateMac, [false, true, false, false, false]),
        (KmsAction::VerifyMac, [false, true, false, false, false]),
        (KmsAction::GetPublicKey, [false, false, true, true, true]),
        (KmsAction::Sign, [false, false, false, true, false]),
        (KmsAction::Verify, [false, false, false, true, false]),
        (
            KmsAction::EnableKeyRotation,
            [true, false, false, false, false],
        ),
        (KmsAction::DescribeKey, [true, true, true, true, true]),
        (KmsAction::CreateGrant, [true, true, true, true, true]),
    ];
    for (action, yes) in rows {
        for ((spec, usage), ok) in columns.iter().zip(yes) {
            let got = key_type_error(*action, *spec, *usage, KeyOrigin::AwsKms);
            assert_eq!(got.is_none(), *ok, "{action} on {spec} {usage}: {got:?}");
        }
    }
}

#[test]
fn key_types_kms_does_not_have_are_refused_as_input() {
    let kp = default_kp(ACCT);
    let e = Key::new("K", ARN, &kp).spec("RSA_1024").refused();
    assert_eq!(
        (e.code, e.message.as_str()),
        ("eval::key-spec", "`RSA_1024` is not a KMS key spec")
    );
    let e = Key::new("K", ARN, &kp)
        .spec("HMAC_256")
        .usage("ENCRYPT_DECRYPT")
        .refused();
    assert_eq!(
        e.message,
        "a key of spec `HMAC_256` cannot have the key usage `ENCRYPT_DECRYPT`"
    );
    // An elliptic-curve key signs or agrees on keys: CreateKey needs to be told.
    let e = Key::new("K", ARN, &kp).spec("ECC_NIST_P256").refused();
    assert_eq!(
        e.message,
        "a key of spec `ECC_NIST_P256` needs its key usage"
    );
    assert_eq!(
        e.help.as_deref(),
        Some("give the key usage: SIGN_VERIFY or KEY_AGREEMENT")
    );
    let e = Key::new("K", ARN, &kp).usage("DECRYPT_ONLY").refused();
    assert_eq!(e.message, "`DECRYPT_ONLY` is not a KMS key usage");
}

#[test]
fn key_type_conditions_see_the_usage_the_spec_implies() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:*", "Resource": "*",
            "Condition": {"StringEquals": {"kms:KeyUsage": "GENERATE_VERIFY_MAC", "kms:KeySpec": "HMAC_224"}}}"#,
    );
    let w = World::new()
        .key(Key::new("K", ARN, &kp).spec("hmac_224"))
        .user("Bob", &[])
        .build();
    assert_eq!(
        w.call("Bob", "kms:GenerateMac", "K", &[]),
        (Decision::Allow, None)
    );
}
