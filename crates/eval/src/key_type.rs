//! Which operations a key of each type can perform: the KMS developer
//! guide's key type table ("Key type reference", symm-asymm-compare.html;
//! docs/evaluation.md, "Key type").
//!
//! An operation the key's type cannot perform is a call failure after an
//! allow, like key state: `InvalidKeyUsageException` for the cryptographic
//! operations ("For encrypting, decrypting, re-encrypting, and generating
//! data keys, the KeyUsage must be ENCRYPT_DECRYPT. For signing and
//! verifying messages, the KeyUsage must be SIGN_VERIFY. For generating and
//! verifying message authentication codes (MACs), the KeyUsage must be
//! GENERATE_VERIFY_MAC. For deriving key agreement secrets, the KeyUsage
//! must be KEY_AGREEMENT", API reference, `InvalidKeyUsageException`), and
//! `UnsupportedOperationException` for GetPublicKey on a symmetric key and
//! for automatic rotation of a key that is not a symmetric encryption key.

use crate::action::KmsAction;
use crate::key_spec::{KeySpec, KeyUsage};
use crate::key_state::{ErrorCause, KeyOrigin, KmsErrorKind};

/// What an operation asks of the key's type.
enum Needs {
    /// Nothing: every key type (management operations).
    Nothing,
    /// This key usage.
    Usage(KeyUsage),
    /// A symmetric encryption key (data keys).
    SymmetricEncryption,
    /// An asymmetric key (GetPublicKey).
    Asymmetric,
    /// A symmetric encryption key, else unsupported (automatic rotation).
    RotatableKey,
}

fn needs(action: KmsAction) -> Needs {
    use KmsAction as A;
    match action {
        A::Encrypt | A::Decrypt | A::ReEncryptFrom | A::ReEncryptTo => {
            Needs::Usage(KeyUsage::EncryptDecrypt)
        }
        A::GenerateDataKey
        | A::GenerateDataKeyWithoutPlaintext
        | A::GenerateDataKeyPair
        | A::GenerateDataKeyPairWithoutPlaintext => Needs::SymmetricEncryption,
        A::GenerateMac | A::VerifyMac => Needs::Usage(KeyUsage::GenerateVerifyMac),
        A::Sign | A::Verify => Needs::Usage(KeyUsage::SignVerify),
        A::DeriveSharedSecret => Needs::Usage(KeyUsage::KeyAgreement),
        A::GetPublicKey => Needs::Asymmetric,
        A::EnableKeyRotation
        | A::DisableKeyRotation
        | A::GetKeyRotationStatus
        | A::RotateKeyOnDemand
        | A::ListKeyRotations => Needs::RotatableKey,
        _ => Needs::Nothing,
    }
}

/// The exception KMS answers when `action` is called on a key of this spec
/// and usage (and origin: data key pairs are not generated under keys in a
/// custom key store, the guide's special features table), or `None` when
/// the key type supports the operation.
///
/// ```
/// use keyward_eval::{key_type_error, KeyOrigin, KeySpec, KeyUsage, KmsAction, KmsErrorKind};
/// let sign = key_type_error(KmsAction::Encrypt, KeySpec::Rsa2048, KeyUsage::SignVerify, KeyOrigin::AwsKms);
/// assert_eq!(sign.map(|(k, _)| k), Some(KmsErrorKind::InvalidKeyUsageException));
/// // RSA encryption keys encrypt, but data keys come only from symmetric encryption keys.
/// assert_eq!(key_type_error(KmsAction::Encrypt, KeySpec::Rsa2048, KeyUsage::EncryptDecrypt, KeyOrigin::AwsKms), None);
/// let data_key = key_type_error(KmsAction::GenerateDataKey, KeySpec::Rsa2048, KeyUsage::EncryptDecrypt, KeyOrigin::AwsKms);
/// assert_eq!(data_key.map(|(k, _)| k), Some(KmsErrorKind::InvalidKeyUsageException));
/// ```
pub fn key_type_error(
    action: KmsAction,
    spec: KeySpec,
    usage: KeyUsage,
    origin: KeyOrigin,
) -> Option<(KmsErrorKind, ErrorCause)> {
    let bad_usage = Some((
        KmsErrorKind::InvalidKeyUsageException,
        ErrorCause::KeyUsage { usage, action },
    ));
    let bad_spec = |kind| Some((kind, ErrorCause::KeySpec { spec, action }));
    match needs(action) {
        Needs::Nothing => None,
        Needs::Usage(wanted) if usage != wanted => bad_usage,
        Needs::Usage(_) => None,
        Needs::SymmetricEncryption if usage != KeyUsage::EncryptDecrypt => bad_usage,
        Needs::SymmetricEncryption if spec != KeySpec::SymmetricDefault => {
            bad_spec(KmsErrorKind::InvalidKeyUsageException)
        }
        Needs::SymmetricEncryption
            if matches!(
                action,
                KmsAction::GenerateDataKeyPair | KmsAction::GenerateDataKeyPairWithoutPlaintext
            ) && matches!(origin, KeyOrigin::AwsCloudHsm | KeyOrigin::ExternalKeyStore) =>
        {
            Some((
                KmsErrorKind::UnsupportedOperationException,
                ErrorCause::UnsupportedOrigin(origin),
            ))
        }
        Needs::SymmetricEncryption => None,
        Needs::Asymmetric if !spec.is_asymmetric() => {
            bad_spec(KmsErrorKind::UnsupportedOperationException)
        }
        Needs::RotatableKey if spec != KeySpec::SymmetricDefault => {
            bad_spec(KmsErrorKind::UnsupportedOperationException)
        }
        Needs::Asymmetric | Needs::RotatableKey => None,
    }
}
