//! Action classes: KMS actions that every analyzed statement, and every
//! KMS rule that singles out an action, treats alike.

use keyward_eval::{ActionSet, KmsAction};

use crate::stmts::Stmt;

/// A class of actions and the one that stands for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionClass {
    /// Every action of the class.
    pub actions: ActionSet,
    /// The action decided for the class.
    pub rep: KmsAction,
}

/// Actions the evaluator treats specially, each alone in its class:
/// `RetireGrant` is not granted by key policies (rule 19).
const SPECIAL: &[KmsAction] = &[KmsAction::RetireGrant];

/// Representatives read best when they are the common actions.
const PREFERRED: &[KmsAction] = &[
    KmsAction::Decrypt,
    KmsAction::Encrypt,
    KmsAction::GenerateDataKey,
    KmsAction::ReEncryptFrom,
    KmsAction::DescribeKey,
    KmsAction::CreateGrant,
    KmsAction::PutKeyPolicy,
    KmsAction::ScheduleKeyDeletion,
    KmsAction::Sign,
];

/// The classes of the actions in `within` under the statements `stmts`.
pub fn action_classes(stmts: &[Stmt<'_>], within: ActionSet) -> Vec<ActionClass> {
    action_classes_split(stmts.iter().map(|s| s.actions), within)
}

/// The classes of the actions in `within` that none of `sets` (the
/// statements' action sets, grants' operations, actions a rule singles
/// out) tells apart.
pub fn action_classes_split(
    sets: impl Iterator<Item = ActionSet> + Clone,
    within: ActionSet,
) -> Vec<ActionClass> {
    // Refine one block into the parts each set tells apart.
    let mut blocks: Vec<ActionSet> = vec![within];
    let singles = SPECIAL.iter().map(|a| ActionSet::of(&[*a]));
    for set in sets.chain(singles) {
        let mut refined = Vec::with_capacity(blocks.len() + 1);
        for block in blocks {
            let (inside, outside) = (block.intersection(set), block.difference(set));
            refined.extend([inside, outside].into_iter().filter(|b| !b.is_empty()));
        }
        blocks = refined;
    }
    // In the order of each class's first action.
    let mut classes = Vec::with_capacity(blocks.len());
    for action in within.iter() {
        let Some(at) = blocks.iter().position(|b| b.contains(action)) else {
            continue;
        };
        let actions = blocks.swap_remove(at);
        let rep = PREFERRED
            .iter()
            .copied()
            .find(|a| actions.contains(*a))
            .unwrap_or(action);
        classes.push(ActionClass { actions, rep });
    }
    classes
}

/// Every KMS action that names a key (what a key policy governs, and what
/// the evaluator decides).
pub fn key_actions() -> ActionSet {
    ActionSet::matching(|_| true)
        .iter()
        .filter(|a| a.targets_key())
        .fold(ActionSet::EMPTY, |mut s, a| {
            s.insert(a);
            s
        })
}
