//! Reverse queries over the synthetic snapshot generator's large account
//! (10,000 principals with 5 policies each, 1,000 keys, 10,000 grants),
//! as `keyward who-can --snapshot` and `what-can --snapshot` run them:
//!
//! - who can use one key, every action (issue target < 10 ms): the answer
//!   in rows of interchangeable principals (`who_can_one_key_rows`), the
//!   same expanded to one entry per principal and action with its witness
//!   (`_entries`), and every entry explained with its reasons (`who_can_one_key`);
//! - the whole account's report, every key × every action × every
//!   principal, on both cores (target < 2 s), and on one;
//! - what one principal can do on every key (target < 20 ms);
//! - side by side, the forward evaluator looped naively over the same
//!   principals and actions for one key, one request each (no context):
//!   what the analysis replaces, for the ratio;
//! - reading the snapshot into the analysis's inventory, which every
//!   command pays once.
//!
//! `cargo bench -p keyward-analysis --bench who_can`.

use std::sync::LazyLock;

use divan::{black_box, Bencher};
use keyward_analysis::reverse::{parallel, report, Inventory, InventoryOptions, Reverse};
use keyward_eval::{Decision, KmsAction, Request};
use keyward_snapshot::synthetic::{generate, Spec};
use keyward_snapshot::{load, LoadOptions, Snapshot, WholeWorld};

#[path = "support/snapshot_facts.rs"]
mod snapshot_facts;
use snapshot_facts::SnapshotFacts;

fn main() {
    divan::main();
}

static SNAPSHOT: LazyLock<Snapshot> =
    LazyLock::new(|| load(&generate(&Spec::large()), &LoadOptions::default()));
static WHOLE: LazyLock<WholeWorld> = LazyLock::new(|| SNAPSHOT.whole_world());

static FACTS: LazyLock<SnapshotFacts<'static>> = LazyLock::new(|| SnapshotFacts(&WHOLE));

fn options() -> InventoryOptions<'static> {
    InventoryOptions {
        held_accounts: Some(&WHOLE.held_accounts),
        facts: Some(&*FACTS),
    }
}

static INVENTORY: LazyLock<Inventory<'static>> =
    LazyLock::new(|| Inventory::new(&WHOLE.builder, &options()));

/// The key asked about: `alias/data-500`.
fn key() -> usize {
    INVENTORY.key("alias/data-500").unwrap_or(0)
}

/// The principal asked about: a role, `app-1`.
fn principal() -> usize {
    INVENTORY.principal_named("role/app-1").unwrap_or(0)
}

/// Print the sizes once, so the figures can be read against them.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn sizes() {
    let inv = &*INVENTORY;
    let rows = Reverse::new(inv).key_rows(key(), report::all_actions());
    let classes: usize = rows
        .rows
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok())
        .map(|o| o.classes)
        .sum();
    let accesses: usize = rows
        .rows
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok())
        .map(|o| o.accesses.len())
        .sum();
    eprintln!(
        "who-can alias/data-500: {} rows, {classes} classes of requests decided, {accesses} accesses",
        rows.rows.len()
    );
    let who = report::key_report(inv, &rows, true);
    let what = keyward_analysis::reverse::what_can(inv, principal(), &[], report::all_actions());
    let mut r = Reverse::new(inv);
    let start = std::time::Instant::now();
    let mut pairs = 0;
    for k in 0..50 {
        pairs += r.key_rows(k, report::all_actions()).rows.len();
    }
    eprintln!(
        "50 keys in one cache: {} rows, {} pairs decided, {:?}",
        pairs,
        r.decided(),
        start.elapsed()
    );
    eprintln!(
        "{} principals ({} profiles), {} keys; who-can alias/data-500: {} entries, {} unknown; what-can app-1: {} entries, {} unknown",
        inv.principals.len(),
        inv.profiles.len(),
        inv.keys.len(),
        who.entries.len(),
        who.unknown.len(),
        what.entries.len(),
        what.unknown.len()
    );
}

/// Read the whole snapshot into the inventory (profiles, signatures).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn inventory_of_the_account(b: Bencher<'_, '_>) {
    let whole = &*WHOLE;
    b.bench(|| black_box(Inventory::new(&whole.builder, &options()).principals.len()));
}

/// Who can use one key, every action: the analysis only (compact rows, a
/// profile of interchangeable principals is one row).
#[divan::bench(sample_count = 20)]
fn who_can_one_key_rows(b: Bencher<'_, '_>) {
    let inv = &*INVENTORY;
    let k = key();
    b.bench(|| {
        black_box(
            Reverse::new(inv)
                .key_rows(k, report::all_actions())
                .rows
                .len(),
        )
    });
}

/// Who can use one key, every action: the rows expanded to one entry per
/// principal and action, with witnesses, not explained.
#[divan::bench(sample_count = 20)]
fn who_can_one_key_entries(b: Bencher<'_, '_>) {
    let inv = &*INVENTORY;
    let k = key();
    b.bench(|| {
        let rows = Reverse::new(inv).key_rows(k, report::all_actions());
        black_box(report::key_report(inv, &rows, false).entries.len())
    });
}

/// Who can use one key: every action, every entry with its explanation.
#[divan::bench(sample_count = 20)]
fn who_can_one_key(b: Bencher<'_, '_>) {
    let inv = &*INVENTORY;
    let k = key();
    b.bench(|| {
        let rows = Reverse::new(inv).key_rows(k, report::all_actions());
        black_box(report::key_report(inv, &rows, true).entries.len())
    });
}

/// The forward evaluator over every principal × every action on one key,
/// one request each: the naive loop, for the ratio.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn naive_forward_loop_one_key(b: Bencher<'_, '_>) {
    let inv = &*INVENTORY;
    let key = inv.keys[key()].id;
    let actions: Vec<KmsAction> = report::all_actions().iter().collect();
    b.bench(|| {
        let mut allowed = 0usize;
        for p in &inv.principals {
            for &a in &actions {
                if let Ok(req) = Request::new(p.id, a, key) {
                    allowed += usize::from(inv.auth.decide(&req).decision() == Decision::Allow);
                }
            }
        }
        black_box(allowed)
    });
}

/// What one principal can do on every key.
#[divan::bench(sample_count = 20)]
fn what_can_one_principal(b: Bencher<'_, '_>) {
    let inv = &*INVENTORY;
    let p = principal();
    b.bench(|| {
        let r = keyward_analysis::reverse::what_can(inv, p, &[], report::all_actions());
        black_box(r.entries.len())
    });
}

/// The whole account: every key × every action × every principal, in
/// compact rows (a profile of interchangeable principals is one row).
#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn account_report(b: Bencher<'_, '_>, threads: usize) {
    let inv = &*INVENTORY;
    b.bench(|| {
        let all = parallel::account(inv, report::all_actions(), threads);
        black_box(all.map(|rows| rows.iter().map(|r| r.rows.len()).sum::<usize>()))
    });
}
