//! "Did you mean": the KMS action closest to a mistyped name.

use crate::action::KmsAction;

/// The KMS action a mistyped `name` most likely meant: the one whose name
/// (with or without `kms:`, ignoring case) is fewest edits away, when that
/// is at most a third of its length. A name that only differs in case, or
/// lacks `kms:`, is that action.
///
/// ```
/// use keyward_eval::{closest_action, KmsAction};
/// assert_eq!(closest_action("kms:Decript"), Some(KmsAction::Decrypt));
/// assert_eq!(closest_action("generatedatakey"), Some(KmsAction::GenerateDataKey));
/// assert_eq!(closest_action("s3:GetObject"), None);
/// ```
pub fn closest_action(name: &str) -> Option<KmsAction> {
    let wanted = name.trim().to_ascii_lowercase();
    let wanted = wanted.strip_prefix("kms:").unwrap_or(&wanted);
    KmsAction::ALL
        .iter()
        .map(|&a| (edits(wanted, &a.name().to_ascii_lowercase()), a))
        .filter(|(d, a)| *d * 3 <= a.name().len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Levenshtein distance over bytes (action names are ASCII).
fn edits(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_insertions_deletions_and_substitutions() {
        assert_eq!(edits("decrypt", "decrypt"), 0);
        assert_eq!(edits("decript", "decrypt"), 1);
        assert_eq!(edits("decryp", "decrypt"), 1);
        assert_eq!(edits("", "abc"), 3);
    }

    #[test]
    fn case_and_prefix_do_not_count_as_edits() {
        assert_eq!(closest_action("kms:decrypt"), Some(KmsAction::Decrypt));
        assert_eq!(closest_action("Decrypt"), Some(KmsAction::Decrypt));
        assert_eq!(
            closest_action("kms:ReEncryptFrm"),
            Some(KmsAction::ReEncryptFrom)
        );
        assert_eq!(closest_action("kms:Nothing"), None);
    }
}
