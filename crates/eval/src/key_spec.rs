//! Key specs and key usages (`KeySpec`, `KeyUsage` in the KMS API; the
//! KMS guide's "Key spec reference"). Which operations each can perform is
//! in [`crate::key_type_error`] (`key_type.rs`).

use std::fmt;

/// The type of key material (`KeySpec` in the KMS API, `kms:KeySpec`).
///
/// ```
/// use keyward_eval::{KeySpec, KeyUsage};
/// let spec = KeySpec::parse("hmac_256").unwrap();
/// assert_eq!(spec.as_str(), "HMAC_256");
/// assert_eq!(spec.default_usage(), Some(KeyUsage::GenerateVerifyMac));
/// // An elliptic-curve key signs or agrees on keys: the usage must be given.
/// assert_eq!(KeySpec::parse("ECC_NIST_P256").unwrap().default_usage(), None);
/// assert!(KeySpec::parse("AES_256").is_none()); // a data key spec, not a KMS key spec
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeySpec {
    /// A symmetric encryption key (AES-256-GCM; SM4 in China Regions).
    #[default]
    SymmetricDefault,
    /// HMAC with SHA-224.
    Hmac224,
    /// HMAC with SHA-256.
    Hmac256,
    /// HMAC with SHA-384.
    Hmac384,
    /// HMAC with SHA-512.
    Hmac512,
    /// RSA, 2048 bits.
    Rsa2048,
    /// RSA, 3072 bits.
    Rsa3072,
    /// RSA, 4096 bits.
    Rsa4096,
    /// NIST P-256.
    EccNistP256,
    /// NIST P-384.
    EccNistP384,
    /// NIST P-521.
    EccNistP521,
    /// SECG secp256k1.
    EccSecgP256k1,
    /// SM2 (China Regions).
    Sm2,
    /// ML-DSA-44.
    MlDsa44,
    /// ML-DSA-65.
    MlDsa65,
    /// ML-DSA-87.
    MlDsa87,
    /// ML-KEM-512.
    MlKem512,
    /// ML-KEM-768.
    MlKem768,
    /// ML-KEM-1024.
    MlKem1024,
}

/// What a key is for (`KeyUsage` in the KMS API, `kms:KeyUsage`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyUsage {
    /// Encrypt and decrypt.
    #[default]
    EncryptDecrypt,
    /// Sign and verify.
    SignVerify,
    /// Generate and verify MACs.
    GenerateVerifyMac,
    /// Derive shared secrets.
    KeyAgreement,
    /// Encapsulate and decapsulate shared secrets (ML-KEM).
    EncapsulateDecapsulate,
}

impl KeySpec {
    /// Every key spec.
    pub const ALL: [KeySpec; 19] = [
        KeySpec::SymmetricDefault,
        KeySpec::Hmac224,
        KeySpec::Hmac256,
        KeySpec::Hmac384,
        KeySpec::Hmac512,
        KeySpec::Rsa2048,
        KeySpec::Rsa3072,
        KeySpec::Rsa4096,
        KeySpec::EccNistP256,
        KeySpec::EccNistP384,
        KeySpec::EccNistP521,
        KeySpec::EccSecgP256k1,
        KeySpec::Sm2,
        KeySpec::MlDsa44,
        KeySpec::MlDsa65,
        KeySpec::MlDsa87,
        KeySpec::MlKem512,
        KeySpec::MlKem768,
        KeySpec::MlKem1024,
    ];

    /// The spec as the KMS API spells it (`RSA_2048`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeySpec::SymmetricDefault => "SYMMETRIC_DEFAULT",
            KeySpec::Hmac224 => "HMAC_224",
            KeySpec::Hmac256 => "HMAC_256",
            KeySpec::Hmac384 => "HMAC_384",
            KeySpec::Hmac512 => "HMAC_512",
            KeySpec::Rsa2048 => "RSA_2048",
            KeySpec::Rsa3072 => "RSA_3072",
            KeySpec::Rsa4096 => "RSA_4096",
            KeySpec::EccNistP256 => "ECC_NIST_P256",
            KeySpec::EccNistP384 => "ECC_NIST_P384",
            KeySpec::EccNistP521 => "ECC_NIST_P521",
            KeySpec::EccSecgP256k1 => "ECC_SECG_P256K1",
            KeySpec::Sm2 => "SM2",
            KeySpec::MlDsa44 => "ML_DSA_44",
            KeySpec::MlDsa65 => "ML_DSA_65",
            KeySpec::MlDsa87 => "ML_DSA_87",
            KeySpec::MlKem512 => "ML_KEM_512",
            KeySpec::MlKem768 => "ML_KEM_768",
            KeySpec::MlKem1024 => "ML_KEM_1024",
        }
    }

    /// The spec named `name` (API spelling, case-insensitive).
    pub fn parse(name: &str) -> Option<KeySpec> {
        KeySpec::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    /// The usages a key of this spec may have (the guide's "Key spec
    /// reference"): symmetric encryption keys encrypt, HMAC keys MAC, RSA
    /// keys encrypt or sign, NIST curves sign or agree on keys, SM2 does all
    /// three, ML-DSA signs and ML-KEM encapsulates.
    pub fn usages(self) -> &'static [KeyUsage] {
        use KeySpec as S;
        use KeyUsage as U;
        match self {
            S::SymmetricDefault => &[U::EncryptDecrypt],
            S::Hmac224 | S::Hmac256 | S::Hmac384 | S::Hmac512 => &[U::GenerateVerifyMac],
            S::Rsa2048 | S::Rsa3072 | S::Rsa4096 => &[U::EncryptDecrypt, U::SignVerify],
            S::EccNistP256 | S::EccNistP384 | S::EccNistP521 => &[U::SignVerify, U::KeyAgreement],
            S::EccSecgP256k1 | S::MlDsa44 | S::MlDsa65 | S::MlDsa87 => &[U::SignVerify],
            S::Sm2 => &[U::EncryptDecrypt, U::SignVerify, U::KeyAgreement],
            S::MlKem512 | S::MlKem768 | S::MlKem1024 => &[U::EncapsulateDecapsulate],
        }
    }

    /// The usage a key of this spec has when none is given: the only one,
    /// or `ENCRYPT_DECRYPT` (CreateKey's default) when it is allowed; `None`
    /// for elliptic-curve keys, which must say.
    pub fn default_usage(self) -> Option<KeyUsage> {
        match self.usages() {
            [only] => Some(*only),
            usages if usages.contains(&KeyUsage::EncryptDecrypt) => Some(KeyUsage::EncryptDecrypt),
            _ => None,
        }
    }

    /// True for HMAC keys.
    fn is_hmac(self) -> bool {
        matches!(
            self,
            KeySpec::Hmac224 | KeySpec::Hmac256 | KeySpec::Hmac384 | KeySpec::Hmac512
        )
    }

    /// True for asymmetric keys (they have a public key).
    pub fn is_asymmetric(self) -> bool {
        !(self == KeySpec::SymmetricDefault || self.is_hmac())
    }
}

impl KeyUsage {
    /// Every key usage.
    pub const ALL: [KeyUsage; 5] = [
        KeyUsage::EncryptDecrypt,
        KeyUsage::SignVerify,
        KeyUsage::GenerateVerifyMac,
        KeyUsage::KeyAgreement,
        KeyUsage::EncapsulateDecapsulate,
    ];

    /// The usage as the KMS API spells it (`SIGN_VERIFY`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyUsage::EncryptDecrypt => "ENCRYPT_DECRYPT",
            KeyUsage::SignVerify => "SIGN_VERIFY",
            KeyUsage::GenerateVerifyMac => "GENERATE_VERIFY_MAC",
            KeyUsage::KeyAgreement => "KEY_AGREEMENT",
            KeyUsage::EncapsulateDecapsulate => "ENCAPSULATE_DECAPSULATE",
        }
    }

    /// The usage named `name` (API spelling, case-insensitive).
    pub fn parse(name: &str) -> Option<KeyUsage> {
        KeyUsage::ALL
            .into_iter()
            .find(|u| u.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for KeyUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for s in KeySpec::ALL {
            assert_eq!(KeySpec::parse(s.as_str()), Some(s));
            assert!(s
                .usages()
                .contains(&s.default_usage().unwrap_or(s.usages()[0])));
        }
        for u in KeyUsage::ALL {
            assert_eq!(KeyUsage::parse(u.as_str()), Some(u));
        }
    }

    #[test]
    fn every_spec_can_do_something() {
        for s in KeySpec::ALL {
            assert!(!s.usages().is_empty(), "{s}");
        }
    }
}
