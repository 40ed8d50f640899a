//! The KMS guide's key type table ("Key type reference",
//! symm-asymm-compare.html), transcribed row by row: which operations a key
//! of each type supports. An operation it does not support is a call
//! failure after an allow: `InvalidKeyUsageException` for the cryptographic
//! operations (API reference, `InvalidKeyUsageException`), and
//! `UnsupportedOperationException` for GetPublicKey on a key without a
//! public key and for automatic rotation of a key that is not a symmetric
//! encryption key. Key state answers first.

use super::world::{KeyOrigin, KmsError};

/// The table's columns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    SymmetricEncryption,
    Hmac,
    AsymmetricEncrypt,
    AsymmetricSign,
    AsymmetricAgreement,
    /// ML-KEM keys (ENCAPSULATE_DECAPSULATE): none of the rows below.
    AsymmetricEncapsulate,
}

fn column(spec: &str, usage: &str) -> Option<Column> {
    let spec = spec.to_ascii_uppercase();
    let usage = usage.to_ascii_uppercase();
    Some(match (spec.as_str(), usage.as_str()) {
        ("SYMMETRIC_DEFAULT", _) => Column::SymmetricEncryption,
        (s, _) if s.starts_with("HMAC_") => Column::Hmac,
        (_, "ENCRYPT_DECRYPT") => Column::AsymmetricEncrypt,
        (_, "SIGN_VERIFY") => Column::AsymmetricSign,
        (_, "KEY_AGREEMENT") => Column::AsymmetricAgreement,
        (_, "ENCAPSULATE_DECAPSULATE") => Column::AsymmetricEncapsulate,
        _ => return None,
    })
}

/// Rows: operation, then Yes/No for symmetric encryption, HMAC, asymmetric
/// ENCRYPT_DECRYPT, SIGN_VERIFY, KEY_AGREEMENT; and the exception a No
/// answers. Rows not listed (key management) are Yes everywhere.
const ROWS: &[(&str, [bool; 5], KmsError)] = &[
    (
        "Decrypt",
        [true, false, true, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "Encrypt",
        [true, false, true, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "ReEncryptFrom",
        [true, false, true, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "ReEncryptTo",
        [true, false, true, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "DeriveSharedSecret",
        [false, false, false, false, true],
        KmsError::InvalidKeyUsage,
    ),
    (
        "GenerateDataKey",
        [true, false, false, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "GenerateDataKeyWithoutPlaintext",
        [true, false, false, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "GenerateDataKeyPair",
        [true, false, false, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "GenerateDataKeyPairWithoutPlaintext",
        [true, false, false, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "GenerateMac",
        [false, true, false, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "VerifyMac",
        [false, true, false, false, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "Sign",
        [false, false, false, true, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "Verify",
        [false, false, false, true, false],
        KmsError::InvalidKeyUsage,
    ),
    (
        "GetPublicKey",
        [false, false, true, true, true],
        KmsError::UnsupportedOperation,
    ),
    (
        "EnableKeyRotation",
        [true, false, false, false, false],
        KmsError::UnsupportedOperation,
    ),
    (
        "DisableKeyRotation",
        [true, false, false, false, false],
        KmsError::UnsupportedOperation,
    ),
    (
        "GetKeyRotationStatus",
        [true, false, false, false, false],
        KmsError::UnsupportedOperation,
    ),
    (
        "RotateKeyOnDemand",
        [true, false, false, false, false],
        KmsError::UnsupportedOperation,
    ),
    (
        "ListKeyRotations",
        [true, false, false, false, false],
        KmsError::UnsupportedOperation,
    ),
];

/// The error for `action` (`kms:Sign`) on a key of this spec and usage, or
/// `None` when the key's type supports it. The special features table adds
/// that data key pairs are not generated under keys in custom key stores.
pub fn key_type_error(
    action: &str,
    spec: &str,
    usage: &str,
    origin: KeyOrigin,
) -> Option<KmsError> {
    let name = action.strip_prefix("kms:").unwrap_or(action);
    let (_, yes, error) = ROWS
        .iter()
        .find(|(op, _, _)| op.eq_ignore_ascii_case(name))?;
    let supported = match column(spec, usage)? {
        Column::SymmetricEncryption => yes[0],
        Column::Hmac => yes[1],
        Column::AsymmetricEncrypt => yes[2],
        Column::AsymmetricSign => yes[3],
        Column::AsymmetricAgreement => yes[4],
        // An ML-KEM key encapsulates; of these rows it has a public key only.
        Column::AsymmetricEncapsulate => name.eq_ignore_ascii_case("GetPublicKey"),
    };
    if !supported {
        return Some(*error);
    }
    let pair = name.eq_ignore_ascii_case("GenerateDataKeyPair")
        || name.eq_ignore_ascii_case("GenerateDataKeyPairWithoutPlaintext");
    let custom_store = matches!(origin, KeyOrigin::AwsCloudHsm | KeyOrigin::ExternalKeyStore);
    (pair && custom_store).then_some(KmsError::UnsupportedOperation)
}
