//! Loading a large synthetic snapshot (10,000 principals with 5 policies
//! each, a third of them managed and shared; 1,000 keys; 10,000 grants),
//! side by side with serde_json parsing the same bytes into `Value`s (the
//! floor any loader that reads JSON pays), and one question asked of it.
//!
//! `cargo bench -p keyward-snapshot --bench load`. Peak memory is measured
//! on the CLI: `cargo run --release -p keyward-snapshot --example synthetic
//! -- /tmp/snap && /usr/bin/time -v target/release/keyward snapshot check /tmp/snap`.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use keyward_eval::KmsAction;
use keyward_snapshot::synthetic::{generate, Spec};
use keyward_snapshot::{load, Ask, LoadOptions, MemoryFiles, Snapshot};

fn main() {
    divan::main();
}

static LARGE: LazyLock<MemoryFiles> = LazyLock::new(|| generate(&Spec::large()));
static LOADED: LazyLock<Snapshot> = LazyLock::new(|| load(&*LARGE, &LoadOptions::default()));

/// Read, parse, lower and link every file.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn load_large(b: Bencher<'_, '_>) {
    let files = &*LARGE;
    b.counter(BytesCount::new(files.total_size()))
        .bench(|| black_box(load(files, &LoadOptions::default())).principal_count());
}

/// serde_json on the same bytes, for scale.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn serde_json_same_bytes(b: Bencher<'_, '_>) {
    let files = &*LARGE;
    b.counter(BytesCount::new(files.total_size())).bench(|| {
        let mut n = 0;
        for p in files.paths() {
            let v: Result<serde_json::Value, _> =
                serde_json::from_slice(files.get(p).unwrap_or_default());
            n += usize::from(v.is_ok());
        }
        black_box(n)
    });
}

/// One question: resolve the alias, compile the worst and best slices, decide.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn ask_one_question(b: Bencher<'_, '_>) {
    let s = &*LOADED;
    let ask = Ask::new("app-1", KmsAction::Decrypt, "alias/data-500");
    b.bench(|| match s.ask(&ask) {
        Ok(q) => black_box(format!("{:?}", std::mem::discriminant(&q.answer()))),
        Err(e) => e.message,
    });
}
