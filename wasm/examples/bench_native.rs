//! Decisions per second natively, through the same `benchmark` export the
//! browser test times, so the two numbers compare like with like.
//!
//! `cargo run --release -p keyward-wasm --example bench_native -- SCENARIO [ROUNDS]`
//!
//! The workspace is the scenario plus every `.json` file under its directory
//! (so `{"file"}` references resolve as in the page). Prints
//! `native N decisions/s (…)`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, base: &Path, files: &mut BTreeMap<String, String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, base, files)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            let rel = path.strip_prefix(base).unwrap_or(&path);
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(name, std::fs::read_to_string(&path)?);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let scenario = PathBuf::from(args.next().ok_or("usage: bench_native SCENARIO [ROUNDS]")?);
    let rounds: u32 = args.next().map_or(Ok(20_000), |r| r.parse())?;
    let dir = scenario.parent().unwrap_or(Path::new("."));
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files)?;
    let name = scenario
        .file_name()
        .ok_or("no file name")?
        .to_string_lossy()
        .to_string();
    let input = serde_json::json!({
        "workspace": {"scenario": name, "files": files},
        "rounds": rounds,
    })
    .to_string();
    // As the browser test: warm up, then the median of three runs.
    keyward_wasm::benchmark(&input);
    let mut runs = Vec::new();
    let mut last = serde_json::Value::Null;
    for _ in 0..3 {
        let start = Instant::now();
        let out = keyward_wasm::benchmark(&input);
        let seconds = start.elapsed().as_secs_f64();
        last = serde_json::from_str(&out)?;
        let Some(decisions) = last["value"]["decisions"].as_u64() else {
            return Err(format!("benchmark failed: {out}").into());
        };
        runs.push((decisions as f64 / seconds, decisions, seconds));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (rate, decisions, seconds) = runs[1];
    println!(
        "native {rate:.0} decisions/s (median of 3 runs of {decisions} decisions, {:.0} ms each, {} requests per round)",
        seconds * 1000.0,
        last["value"]["requests"]
    );
    Ok(())
}
