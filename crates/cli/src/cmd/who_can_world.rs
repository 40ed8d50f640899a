//! The world `who-can` and `what-can` run on: a scenario file or an
//! account snapshot, read into the analysis's [`Inventory`].

use keyward_analysis::reverse::inventory::WorldFacts;
use keyward_analysis::reverse::{Inventory, InventoryOptions};
use keyward_eval::{Caller, ContextValue, KeyConfig};
use keyward_snapshot::{Snapshot, WholeWorld};

use crate::out;

use super::scenario::{self as sc, Format};
use super::snapshot::{load_dir, note_problems};

/// Where the world comes from (clap arguments shared by both commands).
#[derive(Debug, clap::Args)]
pub struct WorldArgs {
    /// A scenario file (docs/scenario-format.md).
    #[arg(
        long,
        required_unless_present = "snapshot",
        conflicts_with = "snapshot"
    )]
    pub scenario: Option<String>,
    /// An account snapshot directory (docs/snapshot-format.md).
    #[arg(long)]
    pub snapshot: Option<String>,
    /// A folder the scenario's `{"file": …}` references may also read from
    /// (repeatable; with --scenario).
    #[arg(
        long,
        value_name = "DIR",
        requires = "scenario",
        conflicts_with = "snapshot"
    )]
    pub allow_path: Vec<std::path::PathBuf>,
}

impl WorldArgs {
    /// The same world as `keyward query` takes it.
    pub fn query_args(&self) -> Vec<String> {
        match (&self.scenario, &self.snapshot) {
            (Some(path), _) => vec!["--scenario".into(), path.clone()],
            (None, Some(dir)) => vec!["--snapshot".into(), dir.clone()],
            (None, None) => Vec::new(),
        }
    }
}

/// A loaded world.
#[derive(Debug)]
pub enum World {
    /// A scenario: the accounts of its principals are held.
    Scenario(Box<keyward_scenario::Scenario>),
    /// A snapshot and its whole world.
    Snapshot(Box<(Snapshot, WholeWorld)>),
}

/// The organization facts and gaps of a snapshot, for the analysis.
struct SnapshotFacts<'s>(&'s WholeWorld);

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

impl World {
    /// Load the world the arguments name; `Err(2)` after printing why not.
    pub fn load(args: &WorldArgs, json: bool) -> Result<World, u8> {
        if let Some(dir) = &args.snapshot {
            let snapshot = load_dir(dir, keyward_snapshot::DEFAULT_MAX_FILE_SIZE)?;
            note_problems(&snapshot, dir);
            let whole = snapshot.whole_world();
            return Ok(World::Snapshot(Box::new((snapshot, whole))));
        }
        let Some(path) = &args.scenario else {
            out::error("give --scenario FILE or --snapshot DIR", "");
            return Err(2);
        };
        let format = if json { Format::Json } else { Format::Human };
        match sc::load_file(std::path::Path::new(path), format, &args.allow_path) {
            Ok(s) => Ok(World::Scenario(Box::new(s))),
            Err(problems) => {
                if json {
                    out::json(&serde_json::json!({ "errors": problems }));
                }
                Err(2)
            }
        }
    }

    /// Run `f` on the world's inventory.
    pub fn with_inventory<T>(&self, f: impl FnOnce(&Inventory<'_>) -> T) -> T {
        match self {
            World::Scenario(s) => f(&Inventory::new(&s.world, &InventoryOptions::default())),
            World::Snapshot(pair) => {
                let (_, whole) = pair.as_ref();
                let facts = SnapshotFacts(whole);
                let options = InventoryOptions {
                    held_accounts: Some(&whole.held_accounts),
                    facts: Some(&facts),
                };
                f(&Inventory::new(&whole.builder, &options))
            }
        }
    }
}
