//! The key-state table (`spec/key-states.md`, rule 29), cell by cell: every
//! ✓ and X of the shared table is checked against `state_error`.

use std::path::PathBuf;

use keyward_eval::{state_error, KeyOrigin, KeyState, KmsAction, KmsErrorKind};

fn shared() -> PathBuf {
    std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

const COLUMNS: [&[KeyState]; 7] = [
    &[KeyState::Enabled],
    &[KeyState::Disabled],
    &[KeyState::PendingDeletion, KeyState::PendingReplicaDeletion],
    &[KeyState::PendingImport],
    &[KeyState::Unavailable],
    &[KeyState::Creating],
    &[KeyState::Updating],
];

fn actions(api: &str) -> Vec<KmsAction> {
    if api == "ReEncrypt" {
        return vec![KmsAction::ReEncryptFrom, KmsAction::ReEncryptTo];
    }
    let action = KmsAction::parse(api);
    assert!(action.is_some(), "unknown API `{api}` in the table");
    action.into_iter().collect()
}

/// The origin that makes a cell's footnotes consistent: keys pending import
/// and the import rows are EXTERNAL, unavailable keys live in a custom store.
fn origin(api: &str, state: KeyState) -> KeyOrigin {
    if state == KeyState::Unavailable {
        KeyOrigin::AwsCloudHsm
    } else if api.contains("Import") || state == KeyState::PendingImport {
        KeyOrigin::External
    } else {
        KeyOrigin::AwsKms
    }
}

fn expected(cell: &str) -> Option<Option<KmsErrorKind>> {
    let cell = cell.trim();
    if cell.starts_with('✓') {
        return Some(None);
    }
    if !cell.starts_with('X') {
        return None; // `?` (conditional) and N/A are not checked cell by cell
    }
    let notes: Vec<u32> = cell
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let invalid_state = [2, 3, 4, 5, 8, 11, 14, 15];
    Some(Some(if notes.contains(&1) {
        KmsErrorKind::DisabledException
    } else if notes.iter().any(|n| invalid_state.contains(n)) {
        KmsErrorKind::KmsInvalidStateException
    } else {
        KmsErrorKind::UnsupportedOperationException
    }))
}

#[test]
fn rule_29_every_cell_of_the_key_state_table() {
    let path = shared().join("spec/key-states.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} not found", path.display());
        return;
    };
    let mut checked = 0;
    for line in text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| API") && !l.starts_with("| ---"))
    {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let api = cells[0];
        for (column, cell) in cells[1..].iter().enumerate().take(7) {
            let Some(want) = expected(cell) else { continue };
            for &state in COLUMNS[column] {
                for action in actions(api) {
                    let got = state_error(action, state, origin(api, state)).map(|(k, _)| k);
                    assert_eq!(got, want, "{api} in {state} (cell `{cell}`)");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 250, "only {checked} cells checked");
}

#[test]
fn rule_29_the_conditional_cells_follow_the_key_origin() {
    // Rotation on a key with imported material: UnsupportedOperationException (footnote 7).
    let got = state_error(
        KmsAction::EnableKeyRotation,
        KeyState::Enabled,
        KeyOrigin::External,
    );
    assert_eq!(
        got.map(|(k, _)| k),
        Some(KmsErrorKind::UnsupportedOperationException)
    );
    assert_eq!(
        state_error(
            KmsAction::EnableKeyRotation,
            KeyState::Enabled,
            KeyOrigin::AwsKms
        ),
        None
    );
    // Import on a key that cannot have imported material (footnote 9).
    let got = state_error(
        KmsAction::ImportKeyMaterial,
        KeyState::Enabled,
        KeyOrigin::AwsKms,
    );
    assert_eq!(
        got.map(|(k, _)| k),
        Some(KmsErrorKind::UnsupportedOperationException)
    );
    // UpdateAlias to a key pending deletion fails (footnote 10, the target's side).
    assert!(state_error(
        KmsAction::UpdateAlias,
        KeyState::PendingDeletion,
        KeyOrigin::AwsKms
    )
    .is_some());
    // DeriveSharedSecret (newer than the table) is gated like the other crypto operations.
    let got = state_error(
        KmsAction::DeriveSharedSecret,
        KeyState::Disabled,
        KeyOrigin::AwsKms,
    );
    assert_eq!(got.map(|(k, _)| k), Some(KmsErrorKind::DisabledException));
}
