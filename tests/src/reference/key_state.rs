//! The key-state table of `shared/spec/key-states.md`, transcribed row by
//! row, cell by cell (rule 29), with its footnotes resolved from the key's
//! origin.

use super::world::{KeyOrigin, KeyState, KmsError, Quirks};

/// One cell of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    /// ✓
    Ok,
    /// ✓ (no effect)
    OkNoEffect,
    /// ✓ [12]: succeeds, the state changes later.
    Ok12,
    /// X [1]: DisabledException.
    X1,
    /// X [2] or [3]: DisabledException or KMSInvalidStateException for a key
    /// pending deletion; KMS answers the latter today.
    X2or3,
    /// X [3], [4], [5], [11], [14], [15], [4][13]: KMSInvalidStateException.
    Invalid,
    /// X [6] or X [7]: UnsupportedOperationException.
    Unsupported,
    /// ? [7]: Unsupported for imported material or a custom key store.
    Q7,
    /// X [1] or [7].
    X1or7,
    /// X [3] or [7].
    X3or7,
    /// ? [9] or ✓ [9]: Unsupported unless the key has imported material.
    Q9,
    /// X [8] or [9]: imported material → KMSInvalidState, else Unsupported.
    X8or9,
    /// X [9]: Unsupported.
    X9,
    /// N/A: a key that supports the operation cannot be in this state;
    /// answered as the column's usual failure.
    NotApplicable,
    /// ? [10] (UpdateAlias): fails when the request's key (the alias's new
    /// target) is pending deletion.
    Q10,
}

use Cell::*;

/// Columns: Enabled, Disabled, Pending(Replica)Deletion, PendingImport,
/// Unavailable, Creating, Updating.
const TABLE: &[(&str, [Cell; 7])] = &[
    (
        "CancelKeyDeletion",
        [Invalid, Invalid, Ok, Invalid, Invalid, Invalid, Invalid],
    ),
    ("CreateAlias", [Ok, Ok, Invalid, Ok, Ok, Ok, Ok]),
    ("CreateGrant", [Ok, X1, X2or3, Invalid, Ok, Invalid, Ok]),
    ("Decrypt", [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok]),
    ("DeleteAlias", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    (
        "DeleteImportedKeyMaterial",
        [Q9, Q9, Q9, OkNoEffect, NotApplicable, Invalid, Invalid],
    ),
    ("DescribeKey", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    (
        "DisableKey",
        [Ok, Ok, Invalid, Invalid, Ok12, Invalid, Invalid],
    ),
    (
        "DisableKeyRotation",
        [Q7, X1or7, X3or7, Unsupported, Unsupported, Invalid, Q7],
    ),
    (
        "EnableKey",
        [Ok, Ok, Invalid, Invalid, Ok12, Invalid, Invalid],
    ),
    (
        "EnableKeyRotation",
        [Q7, X1or7, X3or7, Unsupported, Unsupported, Invalid, Q7],
    ),
    ("Encrypt", [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok]),
    (
        "GenerateDataKey",
        [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok],
    ),
    (
        "GenerateDataKeyPair",
        [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok],
    ),
    (
        "GenerateDataKeyPairWithoutPlaintext",
        [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok],
    ),
    (
        "GenerateDataKeyWithoutPlaintext",
        [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok],
    ),
    (
        "GenerateMac",
        [Ok, X1, X2or3, NotApplicable, NotApplicable, Invalid, Ok],
    ),
    ("GetKeyPolicy", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    (
        "GetKeyRotationStatus",
        [Q7, Q7, Q7, Unsupported, Unsupported, Q7, Q7],
    ),
    (
        "GetParametersForImport",
        [Q9, Q9, X8or9, Ok, X9, Invalid, Invalid],
    ),
    (
        "GetPublicKey",
        [Ok, X1, X2or3, NotApplicable, NotApplicable, Invalid, Ok],
    ),
    ("ImportKeyMaterial", [Q9, Q9, X8or9, Ok, X9, Invalid, Ok]),
    ("ListAliases", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    ("ListGrants", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    ("ListKeyPolicies", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    ("ListResourceTags", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    ("PutKeyPolicy", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    // ReEncrypt is authorized as ReEncryptFrom / ReEncryptTo (rule 49).
    (
        "ReEncryptFrom",
        [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok],
    ),
    (
        "ReEncryptTo",
        [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok],
    ),
    (
        "ReplicateKey",
        [Ok, X1, X2or3, Invalid, NotApplicable, Invalid, Invalid],
    ),
    ("RetireGrant", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    ("RevokeGrant", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    (
        "ScheduleKeyDeletion",
        [Ok, Ok, Invalid, Ok, Ok, Ok, Invalid],
    ),
    (
        "Sign",
        [Ok, X1, X2or3, NotApplicable, NotApplicable, Invalid, Ok],
    ),
    ("TagResource", [Ok, Ok, Invalid, Ok, Ok, Ok, Ok]),
    ("UntagResource", [Ok, Ok, Invalid, Ok, Ok, Ok, Ok]),
    ("UpdateAlias", [Ok, Ok, Q10, Ok, Ok, Ok, Ok]),
    ("UpdateKeyDescription", [Ok, Ok, Invalid, Ok, Ok, Ok, Ok]),
    (
        "UpdatePrimaryRegion",
        [Ok, X1, X2or3, Invalid, NotApplicable, Invalid, Ok],
    ),
    (
        "Verify",
        [Ok, X1, X2or3, NotApplicable, NotApplicable, Invalid, Ok],
    ),
    (
        "VerifyMac",
        [Ok, X1, X2or3, NotApplicable, NotApplicable, Invalid, Ok],
    ),
    // Newer than the table: a cryptographic operation like Decrypt.
    (
        "DeriveSharedSecret",
        [Ok, X1, X2or3, Invalid, Invalid, Invalid, Ok],
    ),
];

/// The KMS error for `action` (`kms:Decrypt`) on a key in `state`, or
/// `None` when the state allows it. Actions the table does not list are
/// allowed in every state.
pub fn state_error(action: &str, state: KeyState, origin: KeyOrigin) -> Option<KmsError> {
    state_error_with(action, state, origin, Quirks::NONE)
}

/// [`state_error`], with known engine deviations reproduced.
pub fn state_error_with(
    action: &str,
    state: KeyState,
    origin: KeyOrigin,
    quirks: Quirks,
) -> Option<KmsError> {
    let name = action.strip_prefix("kms:").unwrap_or(action);
    let (_, row) = TABLE.iter().find(|(a, _)| a.eq_ignore_ascii_case(name))?;
    let column = match state {
        KeyState::Enabled => 0,
        KeyState::Disabled => 1,
        KeyState::PendingDeletion | KeyState::PendingReplicaDeletion => 2,
        KeyState::PendingImport => 3,
        KeyState::Unavailable => 4,
        KeyState::Creating => 5,
        KeyState::Updating => 6,
    };
    let imported = origin == KeyOrigin::External;
    let custom_store = matches!(origin, KeyOrigin::AwsCloudHsm | KeyOrigin::ExternalKeyStore);
    let footnote7 = imported || custom_store;
    // Footnotes 6, 7 and 9 are about the key, not its state: a key that
    // cannot have imported material cannot import or delete it, and
    // rotation is unsupported for imported material or a custom key store,
    // in every column (the Creating/Updating cells describe keys that
    // support the operation).
    let import_row = [
        "GetParametersForImport",
        "ImportKeyMaterial",
        "DeleteImportedKeyMaterial",
    ]
    .iter()
    .any(|a| a.eq_ignore_ascii_case(name));
    let rotation_row = [
        "EnableKeyRotation",
        "DisableKeyRotation",
        "GetKeyRotationStatus",
    ]
    .iter()
    .any(|a| a.eq_ignore_ascii_case(name));
    let quirk = quirks.delete_imported_ignores_origin
        && name.eq_ignore_ascii_case("DeleteImportedKeyMaterial");
    if (import_row && !imported && !quirk) || (rotation_row && footnote7) {
        return Some(KmsError::UnsupportedOperation);
    }
    match row[column] {
        Ok | OkNoEffect | Ok12 => None,
        X1 => Some(KmsError::Disabled),
        X2or3 | Invalid | Q10 => Some(KmsError::InvalidState),
        Unsupported | X9 => Some(KmsError::UnsupportedOperation),
        Q7 => footnote7.then_some(KmsError::UnsupportedOperation),
        X1or7 => Some(if footnote7 {
            KmsError::UnsupportedOperation
        } else {
            KmsError::Disabled
        }),
        X3or7 => Some(if footnote7 {
            KmsError::UnsupportedOperation
        } else {
            KmsError::InvalidState
        }),
        Q9 => (!imported && !quirk).then_some(KmsError::UnsupportedOperation),
        X8or9 => Some(if imported {
            KmsError::InvalidState
        } else {
            KmsError::UnsupportedOperation
        }),
        NotApplicable if quirk => None,
        NotApplicable => Some(if name.eq_ignore_ascii_case("DeleteImportedKeyMaterial") {
            // Footnote 9: a key in a custom key store has no imported material.
            KmsError::UnsupportedOperation
        } else {
            KmsError::InvalidState
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_table() {
        let aws = KeyOrigin::AwsKms;
        assert_eq!(
            state_error("kms:Decrypt", KeyState::Disabled, aws),
            Some(KmsError::Disabled)
        );
        assert_eq!(state_error("kms:Decrypt", KeyState::Updating, aws), None);
        assert_eq!(
            state_error("kms:DescribeKey", KeyState::PendingDeletion, aws),
            None
        );
        assert_eq!(
            state_error("kms:CancelKeyDeletion", KeyState::Enabled, aws),
            Some(KmsError::InvalidState)
        );
        assert_eq!(
            state_error(
                "kms:CancelKeyDeletion",
                KeyState::PendingReplicaDeletion,
                aws
            ),
            None
        );
        assert_eq!(
            state_error(
                "kms:CreateGrant",
                KeyState::Unavailable,
                KeyOrigin::AwsCloudHsm
            ),
            None
        );
        assert_eq!(
            state_error(
                "kms:EnableKeyRotation",
                KeyState::Disabled,
                KeyOrigin::External
            ),
            Some(KmsError::UnsupportedOperation)
        );
        assert_eq!(
            state_error(
                "kms:ImportKeyMaterial",
                KeyState::PendingDeletion,
                KeyOrigin::External
            ),
            Some(KmsError::InvalidState)
        );
        assert_eq!(
            state_error("kms:ImportKeyMaterial", KeyState::Enabled, aws),
            Some(KmsError::UnsupportedOperation)
        );
        assert_eq!(
            state_error("kms:ListKeyRotations", KeyState::Disabled, aws),
            None
        );
    }
}
