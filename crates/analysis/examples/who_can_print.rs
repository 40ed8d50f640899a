use keyward_analysis::reverse::{self, Inventory, InventoryOptions};
use keyward_policy::Source;
use keyward_scenario::{load, MemoryLoader};

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let s = load(Source::new(path.as_str(), text), &MemoryLoader::new()).unwrap();
    let inv = Inventory::new(
        &s.world,
        &InventoryOptions {
            held_accounts: None,
            region: s.region.clone(),
        },
    );
    println!("{inv:?}");
    for k in 0..inv.keys.len() {
        let r = reverse::who_can(&inv, k, reverse::report::all_actions());
        println!(
            "== key {} : {} entries, {} unknown, {} classes",
            inv.keys[k].config.name,
            r.entries.len(),
            r.unknown.len(),
            r.classes
        );
        for e in &r.entries {
            println!(
                "  {:<60} {:<12} {:<28} {} via {} err {:?}",
                e.principal,
                e.kind.as_str(),
                e.action.qualified_name(),
                e.when(),
                e.how(),
                e.error
            );
        }
        for u in &r.unknown {
            println!("  UNKNOWN {} {}", u.principal, u.reason);
        }
    }
}
