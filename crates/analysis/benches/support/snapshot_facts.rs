//! A snapshot's organization facts and gaps, handed to the analysis as the
//! CLI hands them (`crates/cli/src/cmd/who_can_world.rs`). Shared by the
//! who-can benchmark and the `who_can_sample` example.

use keyward_analysis::reverse::inventory::WorldFacts;
use keyward_eval::{Caller, ContextValue, KeyConfig};
use keyward_snapshot::WholeWorld;

/// The facts of one snapshot's whole world.
pub struct SnapshotFacts<'a>(pub &'a WholeWorld);

impl WorldFacts for SnapshotFacts<'_> {
    fn principal_context(&self, caller: &Caller) -> Vec<(String, ContextValue)> {
        self.0.principal_context(caller)
    }
    fn key_context(&self, key: &KeyConfig) -> Vec<(String, ContextValue)> {
        self.0.key_context(&key.arn)
    }
    fn principal_incomplete(&self, caller: &Caller) -> Option<String> {
        self.0.principal_incomplete(caller.arn())
    }
    fn key_incomplete(&self, key: &KeyConfig) -> Option<String> {
        self.0.key_incomplete(&key.arn)
    }
}
