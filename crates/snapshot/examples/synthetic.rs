//! Write a synthetic snapshot to a directory, for measuring the CLI
//! (`/usr/bin/time -v keyward snapshot check DIR`).
//!
//! ```sh
//! cargo run --release -p keyward-snapshot --example synthetic -- /tmp/snap        # the benchmark's size
//! cargo run --release -p keyward-snapshot --example synthetic -- /tmp/snap small   # or `tenth`
//! ```

use std::path::Path;

use keyward_snapshot::synthetic::{generate, small, Spec};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: synthetic OUT [small]");
        return std::process::ExitCode::from(2);
    };
    let files = match args.get(1).map(String::as_str) {
        Some("small") => small(),
        Some("hundredth") => generate(&Spec {
            principals: 100,
            keys: 10,
            grants: 100,
            ..Spec::large()
        }),
        Some("tenth") => generate(&Spec {
            principals: 1_000,
            keys: 100,
            grants: 1_000,
            ..Spec::large()
        }),
        _ => generate(&Spec::large()),
    };
    for path in files.paths() {
        let target = Path::new(out).join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, files.get(path).unwrap_or_default()));
        if let Err(e) = written {
            eprintln!("cannot write {}: {e}", target.display());
            return std::process::ExitCode::from(1);
        }
    }
    println!(
        "{} files, {} bytes",
        files.paths().count(),
        files.total_size()
    );
    std::process::ExitCode::SUCCESS
}
