//! `keyward who-can (--scenario FILE | --snapshot DIR) --key KEY [--action A …]`:
//! every principal of the world, and every class of principals outside
//! it, that can be allowed each action on the key — how, and under which
//! conditions. Exit 0 someone can, 1 nobody can, 2 invalid input or an
//! incomplete answer.

use keyward_analysis::reverse::{report, Reverse};
use keyward_eval::{closest_action, ActionSet, KmsAction};
use serde_json::json;

use crate::out;
use crate::render::escape;

use super::who_can_output::{print, Asked, Format};
use super::who_can_world::{World, WorldArgs};

/// Arguments of `keyward who-can`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    world: WorldArgs,
    /// The key: its name in the scenario, key ARN, key id, or alias
    /// (`alias/NAME` or the alias ARN).
    #[arg(long)]
    key: String,
    /// An action to ask about (repeatable, or comma-separated; default:
    /// every KMS action that takes a key).
    #[arg(long = "action", value_delimiter = ',')]
    actions: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// The actions asked about: named ones, or every action on a key.
pub fn actions(list: &[String]) -> Result<ActionSet, u8> {
    if list.is_empty() {
        return Ok(report::all_actions());
    }
    let mut set = ActionSet::EMPTY;
    for a in list {
        let a = a.trim();
        match KmsAction::parse(a).filter(|x| x.targets_key()) {
            Some(x) => set.insert(x),
            None => {
                let help = match closest_action(a) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "name a KMS action that takes a key, such as `kms:Decrypt`".into(),
                };
                out::error(
                    &format!("`{}` is not a KMS action on a key", escape(a)),
                    &help,
                );
                return Err(2);
            }
        }
    }
    Ok(set)
}

/// Run the command.
pub fn run(args: &Args) -> u8 {
    let wanted = match actions(&args.actions) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let world = match World::load(&args.world, args.format == Format::Json) {
        Ok(w) => w,
        Err(code) => return code,
    };
    world.with_inventory(|inv| {
        let k = match inv.key(&args.key) {
            Ok(k) => k,
            Err(message) => {
                out::error(
                    &escape(&message),
                    "name the key by its ARN, key id, alias or scenario name",
                );
                return 2;
            }
        };
        let rows = Reverse::new(inv).key_rows(k, wanted);
        let report = report::key_report(inv, &rows, true);
        let key = inv.keys[k].config;
        let title = if key.name == key.arn {
            format!("who can use {}", key.arn)
        } else {
            format!("who can use {} ({})", key.arn, key.name)
        };
        let asked = Asked {
            query: "who-can",
            title,
            members: vec![("key", json!(key.arn))],
            world: args.world.query_args(),
        };
        print(&report, args.format, &asked)
    })
}
