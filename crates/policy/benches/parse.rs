//! Throughput of the spanned JSON parser and of parsing + lowering to the
//! typed model, side by side with `serde_json::from_str::<serde_json::Value>`
//! on the same bytes.
//!
//! Inputs, from the shared corpus (`<repo>/../shared` or `$KEYWARD_SHARED`):
//! - `whole_file`: the 1,594 AWS managed policies as one 3.2 MB JSON object;
//! - `managed`: the same policies, each its own text (the byte ranges of the
//!   file's member values: what `parse_policy` is given per policy);
//! - `key_policies`: the corpus's key policies and statement examples that
//!   are valid JSON.
//!
//! When the corpus is absent, a generated document of similar shape stands
//! in. Run with `cargo bench -p keyward-policy --bench parse`; compare the
//! rows of one group, which ran side by side on a machine in the same state.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use keyward_policy::json::{parse, JsonKind, ParseOptions};
use keyward_policy::{model, parse_policy_with};

fn main() {
    LazyLock::force(&WHOLE_FILE);
    LazyLock::force(&MANAGED);
    LazyLock::force(&KEY_POLICIES);
    if let Ok(name) = std::env::var("KEYWARD_BENCH_ONCE") {
        once(&name);
    } else if let Ok(before) = std::env::var("KEYWARD_BENCH_BEFORE") {
        primed(&before);
    } else if let Ok(rounds) = std::env::var("KEYWARD_BENCH_ALTERNATE") {
        alternate(rounds.parse().unwrap_or(50));
    } else {
        divan::main();
    }
}

/// How long `f` takes on `text`; its result is dropped outside the timing.
fn time<T>(text: &str, f: impl Fn(&str) -> Option<T>) -> std::time::Duration {
    let start = std::time::Instant::now();
    let result = f(black_box(text));
    let elapsed = start.elapsed();
    drop(black_box(result));
    elapsed
}

/// Time parse + lower, serde_json and the JSON tree in alternation, text by
/// text, `rounds` times each, and print the sums of each text's fastest
/// time and their ratios. On a shared machine a run of all the texts (10 ms)
/// is rarely left alone by the scheduler, but one text (a few µs) mostly
/// is: the fastest of many tries per text is its undisturbed time.
///
/// Run this way, each function starts a text with its code and branch
/// history evicted by the other two: parse + lower (some 30 KB of hot code,
/// against serde_json's few KB) pays for that more. With
/// `KEYWARD_BENCH_WARM=1` each is timed right after an untimed run of its
/// own on the same text, which shows what the instructions alone cost
/// ([`primed`] takes the difference apart).
fn alternate(rounds: usize) {
    use std::time::Duration;
    for (group, texts) in [
        ("managed", MANAGED.clone()),
        (
            "key_policies",
            KEY_POLICIES.iter().map(String::as_str).collect(),
        ),
    ] {
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        let mut best = vec![[Duration::MAX; 3]; texts.len()];
        for _ in 0..rounds {
            for (text, best) in texts.iter().zip(&mut best) {
                // With KEYWARD_BENCH_WARM, each is timed right after an
                // untimed run of itself on the same text (its code and
                // branch history warm), not after the other two.
                let warm = std::env::var_os("KEYWARD_BENCH_WARM").is_some();
                if warm {
                    drop(black_box(serde_value(text)));
                }
                best[0] = best[0].min(time(text, serde_value));
                if warm {
                    drop(black_box(parse_and_lower(text)));
                }
                best[1] = best[1].min(time(text, parse_and_lower));
                if warm {
                    drop(black_box(json_tree(text)));
                }
                best[2] = best[2].min(time(text, json_tree));
            }
        }
        let total = |i: usize| best.iter().map(|b| b[i]).sum::<Duration>().as_secs_f64();
        let mbs = |i: usize| bytes as f64 / total(i) / 1e6;
        println!(
            "{group}: serde_json {:.0} MB/s, parse+lower {:.0} MB/s ({:.2}x), JSON tree {:.0} MB/s ({:.2}x)",
            mbs(0),
            mbs(1),
            total(0) / total(1),
            mbs(2),
            total(0) / total(2),
        );
    }
}

/// Why a function is slower alternated than warm: time serde_json and
/// parse + lower on the managed policies, each text's fastest of 30 tries,
/// each try right after untimed runs given by `before`, one letter each:
/// `s` serde_json, `p` parse + lower, `j` the JSON tree, all on the same
/// text; `S`, `P` the same on another text; `m` a few hundred small blocks
/// allocated and freed (a heap left as a freed tree leaves it). For
/// example `p` (code, branch history and heap warm from this very text),
/// `P` (trained on another text), `Pm` (and a dirty heap), `m` (and code
/// gone cold). Run with `KEYWARD_BENCH_BEFORE=Pm cargo bench ...`.
fn primed(before: &str) {
    use std::time::Duration;
    let texts = MANAGED.clone();
    let prime = |text: &str, other: &str| {
        for step in before.chars() {
            match step {
                's' => drop(black_box(serde_value(text))),
                'p' => drop(black_box(parse_and_lower(text))),
                'j' => drop(black_box(json_tree(text))),
                'S' => drop(black_box(serde_value(other))),
                'P' => drop(black_box(parse_and_lower(other))),
                'm' => {
                    let blocks: Vec<Vec<u8>> = (0..text.len() / 12)
                        .map(|i| vec![1u8; 16 + (i * 7) % 100])
                        .collect();
                    drop(black_box(blocks));
                }
                _ => {}
            }
        }
    };
    let mut best = vec![[Duration::MAX; 2]; texts.len()];
    for _ in 0..30 {
        for (i, (text, best)) in texts.iter().zip(&mut best).enumerate() {
            let other = texts[(i + 7) % texts.len()];
            prime(text, other);
            best[0] = best[0].min(time(text, serde_value));
            prime(text, other);
            best[1] = best[1].min(time(text, parse_and_lower));
        }
    }
    let total = |i: usize| best.iter().map(|b| b[i]).sum::<Duration>().as_secs_f64();
    println!(
        "managed, after {before:?}: serde_json {:.2} ms, parse+lower {:.2} ms ({:.2}x)",
        total(0) * 1e3,
        total(1) * 1e3,
        total(0) / total(1),
    );
}

/// Run one workload once, for an instruction count that load on the machine
/// does not disturb:
/// `KEYWARD_BENCH_ONCE=managed/parse_and_lower valgrind --tool=callgrind
/// --collect-atstart=no --toggle-collect='*parse::counted*' --toggle-collect='*parse::steady_workload*' --toggle-collect='*parse::discard*' target/release/deps/parse-…`;
/// `GROUP/WHICH/steady` parses each text three times, dropping each result.
fn once(name: &str) {
    let (group, which) = name.split_once('/').unwrap_or((name, ""));
    let texts: Vec<&str> = match group {
        "managed" => MANAGED.clone(),
        "key_policies" => KEY_POLICIES.iter().map(String::as_str).collect(),
        "whole_file" => vec![WHOLE_FILE.as_str()],
        _ => Vec::new(),
    };
    let (which, steady) = match which.strip_suffix("/steady") {
        Some(which) => (which, true),
        None => (which, false),
    };
    if steady {
        // As `alternate` times: each result dropped before the next parse.
        let n = match which {
            "serde_json_value" => steady_workload(&texts, serde_value),
            "parse_and_lower" => steady_workload(&texts, parse_and_lower),
            "json" => steady_workload(&texts, json_tree),
            _ => 0,
        };
        eprintln!("{name}: {n} of {} texts", texts.len());
        return;
    }
    let n = match which {
        "serde_json_value" => workload(&texts, serde_value),
        "parse_and_lower" => workload(&texts, parse_and_lower),
        "json" => workload(&texts, json_tree),
        "tree_then_lower" => workload(&texts, tree_then_lower),
        _ => {
            eprintln!("unknown workload {name}: GROUP/WHICH with GROUP in managed, key_policies, whole_file and WHICH in serde_json_value, parse_and_lower, json, tree_then_lower");
            std::process::exit(2);
        }
    };
    eprintln!("{name}: {n} of {} texts", texts.len());
}

/// The results are dropped by the caller, outside the counted function, as
/// divan drops them outside the timed section. A first, uncounted run leaves
/// the heap as repeated runs do (freed blocks to reuse), as in divan's
/// samples.
fn workload<T>(texts: &[&str], f: impl Fn(&str) -> Option<T>) -> usize {
    drop(black_box(warm_up(texts, &f)));
    let results = counted(texts, f);
    results.iter().filter(|r| r.is_some()).count()
}

/// Each text parsed three times (or `KEYWARD_BENCH_PASSES`), each result dropped (in [`discard`], which
/// a second `--toggle-collect='*parse::discard*'` leaves out of the count)
/// before the next parse.
#[inline(never)]
fn steady_workload<T>(texts: &[&str], f: impl Fn(&str) -> Option<T>) -> usize {
    let passes = std::env::var("KEYWARD_BENCH_PASSES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3);
    let mut n = 0;
    for _ in 0..passes {
        n = 0;
        for text in texts {
            let result = f(black_box(text));
            n += usize::from(result.is_some());
            discard(result);
        }
    }
    n
}

#[inline(never)]
fn discard<T>(value: T) {
    drop(black_box(value));
}

/// (In reverse order, so that it is not folded into [`counted`].)
#[inline(never)]
fn warm_up<T>(texts: &[&str], f: impl Fn(&str) -> Option<T>) -> Vec<Option<T>> {
    texts.iter().rev().map(|t| f(black_box(t))).collect()
}

#[inline(never)]
fn counted<T>(texts: &[&str], f: impl Fn(&str) -> Option<T>) -> Vec<Option<T>> {
    texts.iter().map(|t| f(black_box(t))).collect()
}

fn shared_dir() -> PathBuf {
    std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// The managed policies file, or a generated stand-in.
static WHOLE_FILE: LazyLock<String> = LazyLock::new(|| {
    let path = shared_dir().join("corpus/aws-managed-policies.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) => {
            eprintln!(
                "skipped: {} not found; using a generated document",
                path.display()
            );
            generated()
        }
    }
});

/// Each managed policy as its own text: the file's member values.
static MANAGED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let text: &'static str = &WHOLE_FILE;
    let parsed = parse(text, &ParseOptions::default());
    let mut out = Vec::new();
    if let Some(JsonKind::Object(members)) = parsed.value.map(|v| v.kind) {
        out.extend(
            members
                .iter()
                .filter_map(|m| text.get(m.value.span.range())),
        );
    }
    out
});

/// The corpus's key policies and statement examples that are valid JSON.
static KEY_POLICIES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let shared = shared_dir();
    let mut files: Vec<PathBuf> = ["corpus/keypolicies", "corpus/keypolicies/statements"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(shared.join(dir)).ok())
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("INDEX.json"))
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| serde_json::from_str::<serde_json::Value>(t).is_ok())
        .collect();
    if texts.is_empty() {
        eprintln!("skipped: no key policies in the shared corpus; using managed policies");
        return MANAGED.iter().take(40).map(|s| s.to_string()).collect();
    }
    texts
});

/// About 3 MB of policy-shaped JSON.
fn generated() -> String {
    let mut out = String::from("{");
    for i in 0..1600 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#""Policy{i}":{{"Version":"2012-10-17","Statement":[{{"Sid":"S{i}","Effect":"Allow","Action":["#
        ));
        for j in 0..60 {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&format!(r#""service{j}:Describe{i}Thing\u00e9*""#));
        }
        out.push_str(r#"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890","kms:ViaService":["s3.us-east-1.amazonaws.com"]},"NumericLessThan":{"kms:GrantCount":10}}}]}"#);
    }
    out.push('}');
    out
}

fn bytes<S: AsRef<str>>(texts: &[S]) -> BytesCount {
    BytesCount::new(texts.iter().map(|t| t.as_ref().len()).sum::<usize>())
}

/// The whole 3.2 MB file as one JSON document.
mod whole_file {
    use super::*;

    #[divan::bench]
    fn keyward_json(bencher: Bencher) {
        let text: &str = &WHOLE_FILE;
        let options = ParseOptions::default();
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| parse(black_box(text), &options));
    }

    #[divan::bench]
    fn serde_json_value(bencher: Bencher) {
        let text: &str = &WHOLE_FILE;
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| serde_json::from_str::<serde_json::Value>(black_box(text)));
    }
}

/// Run `f` on every text of a group; the results are dropped outside the
/// timed section (as divan does for a single result).
fn each<S: AsRef<str> + Sync, T>(bencher: Bencher, texts: &[S], f: impl Fn(&str) -> T + Sync) {
    bencher.counter(bytes(texts)).bench(|| {
        texts
            .iter()
            .map(|t| f(black_box(t.as_ref())))
            .collect::<Vec<T>>()
    });
}

/// serde_json's generic tree: the yardstick.
fn serde_value(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(text).ok()
}

/// `parse_policy`: parse and lower to the typed model.
fn parse_and_lower(text: &str) -> Option<model::Policy> {
    parse_policy_with(text, &ParseOptions::default()).policy
}

/// The spanned JSON tree alone.
fn json_tree(text: &str) -> Option<keyward_policy::json::JsonValue> {
    parse(text, &ParseOptions::default()).value
}

/// The JSON tree, then lowering from it (the path the linter and scenario
/// reader take, which already hold a tree).
fn tree_then_lower(text: &str) -> Option<model::Policy> {
    model::lower(parse(text, &ParseOptions::default()).value?).0
}

/// Each managed policy as its own text (1,594 texts, 3.2 MB).
mod managed {
    use super::*;

    #[divan::bench]
    fn serde_json_value(bencher: Bencher) {
        each(bencher, &MANAGED, serde_value);
    }

    #[divan::bench]
    fn keyward_parse_and_lower(bencher: Bencher) {
        each(bencher, &MANAGED, parse_and_lower);
    }

    #[divan::bench]
    fn keyward_json(bencher: Bencher) {
        each(bencher, &MANAGED, json_tree);
    }

    #[divan::bench]
    fn keyward_tree_then_lower(bencher: Bencher) {
        each(bencher, &MANAGED, tree_then_lower);
    }
}

/// The corpus's key policies and statement examples.
mod key_policies {
    use super::*;

    #[divan::bench]
    fn serde_json_value(bencher: Bencher) {
        each(bencher, &KEY_POLICIES, serde_value);
    }

    #[divan::bench]
    fn keyward_parse_and_lower(bencher: Bencher) {
        each(bencher, &KEY_POLICIES, parse_and_lower);
    }

    #[divan::bench]
    fn keyward_json(bencher: Bencher) {
        each(bencher, &KEY_POLICIES, json_tree);
    }

    #[divan::bench]
    fn keyward_tree_then_lower(bencher: Bencher) {
        each(bencher, &KEY_POLICIES, tree_then_lower);
    }
}
