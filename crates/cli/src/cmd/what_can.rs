//! `keyward what-can (--scenario FILE | --snapshot DIR) --principal P [--key K …]`:
//! every key and action the principal can be allowed — how, and under
//! which conditions. Exit 0 something is allowed, 1 nothing is, 2 invalid
//! input or an incomplete answer.

use keyward_analysis::reverse::{report, Reverse};
use serde_json::json;

use crate::out;
use crate::render::escape;

use super::who_can::actions;
use super::who_can_output::{print, Asked, Format};
use super::who_can_world::{World, WorldArgs};

/// Arguments of `keyward what-can`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    world: WorldArgs,
    /// The principal: its name in the world, its ARN, `user/NAME`,
    /// `role/NAME`, or an account id (its root user).
    #[arg(long)]
    principal: String,
    /// A key to ask about (repeatable; default: every key of the world).
    #[arg(long = "key")]
    keys: Vec<String>,
    /// An action to ask about (repeatable, or comma-separated; default:
    /// every KMS action that takes a key).
    #[arg(long = "action", value_delimiter = ',')]
    actions: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
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
        let p = match inv.principal_named(&args.principal) {
            Ok(p) => p,
            Err(message) => {
                out::error(
                    &escape(&message),
                    "name a principal of the world by its ARN or name",
                );
                return 2;
            }
        };
        let mut keys = Vec::new();
        for name in &args.keys {
            match inv.key(name) {
                Ok(k) => keys.push(k),
                Err(message) => {
                    out::error(
                        &escape(&message),
                        "name the key by its ARN, key id, alias or scenario name",
                    );
                    return 2;
                }
            }
        }
        if keys.is_empty() {
            keys = (0..inv.keys.len()).collect();
        }
        let rows = Reverse::new(inv).principal_rows(p, &keys, wanted);
        let report = report::principal_report(inv, p, &rows, wanted, true);
        let who = &inv.principals[p];
        let arn = who.rep.caller.arn();
        let title = if who.name == arn {
            format!("what can {arn} do")
        } else {
            format!("what can {arn} ({}) do", who.name)
        };
        let asked = Asked {
            query: "what-can",
            title,
            members: vec![("principal", json!(arn))],
            world: args.world.query_args(),
        };
        print(&report, args.format, &asked)
    })
}
