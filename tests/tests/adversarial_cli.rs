//! Hostile inputs to the `keyward` binary: each run must end within a time
//! limit, with exit code 2 (invalid input) and a clear diagnostic on
//! stderr, or valid JSON with `--format json`. Never a panic (exit 101),
//! never a signal, never a hang, and output in proportion to the input.
//!
//! The binary is built once with `cargo build -p keyward-cli` in this test
//! run's profile and run directly (`target/<profile>/keyward`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The `keyward` binary, built on first use.
fn keyward() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // target/<profile>/deps/<this test> → target/<profile>
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
        let target_dir = profile_dir.parent().unwrap();
        let mut build = Command::new(env!("CARGO"));
        build
            .args(["build", "-q", "-p", "keyward-cli", "--bin", "keyward"])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(keyward_tests::repo_root());
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().unwrap();
        assert!(status.success(), "cargo build -p keyward-cli failed");
        let bin = profile_dir.join(format!("keyward{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.is_file(), "{} was not built", bin.display());
        bin
    })
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    elapsed: Duration,
}

const LIMIT: Duration = Duration::from_secs(60);

/// Run `keyward ARGS` with `stdin`, killing it after [`LIMIT`].
fn run(args: &[&std::ffi::OsStr], stdin: &[u8]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(keyward())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The binary may stop reading early; a broken pipe is fine.
        let _ = pipe.write_all(&input);
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut v).map(|_| v)
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut v).map(|_| v)
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("keyward {args:?} still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    writer.join().unwrap();
    let stdout = out_reader.join().unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap().unwrap()).into_owned();
    Run {
        code: status.code(),
        stdout,
        stderr,
        elapsed: started.elapsed(),
    }
}

fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
    args.iter().map(Into::into).collect()
}

fn run_str(args: &[&str], stdin: &[u8]) -> Run {
    let owned = os(args);
    let refs: Vec<&std::ffi::OsStr> = owned.iter().map(|s| s.as_os_str()).collect();
    run(&refs, stdin)
}

/// A file in a fresh scratch directory.
fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyward-adversarial-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Invalid input: exit 2, a diagnostic on stderr, no crash.
fn assert_invalid(what: &str, r: &Run, expect_in_stderr: &str) {
    println!(
        "{what}: exit {:?} in {:?}, {} bytes of stderr",
        r.code,
        r.elapsed,
        r.stderr.len()
    );
    assert_eq!(r.code, Some(2), "{what}: stderr:\n{}", head(&r.stderr));
    assert!(
        !r.stderr.contains("panicked"),
        "{what}: {}",
        head(&r.stderr)
    );
    assert!(
        r.stderr.contains(expect_in_stderr),
        "{what}: expected `{expect_in_stderr}` in stderr:\n{}",
        head(&r.stderr)
    );
}

fn head(s: &str) -> &str {
    let end = s
        .char_indices()
        .nth(2000)
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    &s[..end]
}

#[test]
fn parse_refuses_hostile_files_with_a_diagnostic() {
    let depth = 100_000;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("deep nesting", format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes(), "json::too-deep"),
        ("invalid UTF-8", b"{\"Sid\":\"caf\xe9\"}".to_vec(), "json::invalid-utf8"),
        ("control characters", b"{\"Sid\":\"a\x01\x02b\"}".to_vec(), "×"),
        ("an empty file", Vec::new(), "×"),
        ("NUL bytes", vec![0u8; 10_000], "×"),
        ("a lone surrogate escape", br#"{"Sid":"\ud800"}"#.to_vec(), "×"),
        ("a JSON scalar", b"42".to_vec(), "×"),
        ("an IAM group principal", br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/g"},"Action":"kms:*","Resource":"*"}]}"#.to_vec(), "group"),
    ];
    for (what, bytes, expect) in cases {
        let path = scratch_file("hostile.json", &bytes);
        let r = run_str(&["parse", path.to_str().unwrap()], b"");
        assert_invalid(what, &r, expect);
        // The same through standard input.
        let r = run_str(&["parse", "-"], &bytes);
        assert_invalid(&format!("{what} on stdin"), &r, expect);
    }
}

#[test]
fn parse_refuses_oversized_input_quickly() {
    let big = vec![b' '; (16 << 20) + 1];
    let path = scratch_file("big.json", &big);
    let r = run_str(&["parse", path.to_str().unwrap()], b"");
    assert_invalid("16 MiB + 1 of spaces", &r, "json::too-large");
    let r = run_str(&["parse", "--max-size", "0", "-"], b"{}");
    assert_invalid("--max-size 0", &r, "json::too-large");
    // A raised depth limit is still capped; nothing overflows the stack.
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let r = run_str(
        &["parse", "--max-depth", &usize::MAX.to_string(), "-"],
        deep.as_bytes(),
    );
    assert_invalid("--max-depth usize::MAX", &r, "json::too-deep");
}

#[test]
fn parse_reports_unreadable_paths_and_bad_arguments() {
    let r = run_str(&["parse", "/nonexistent/keyward/policy.json"], b"");
    assert_invalid("a missing file", &r, "cannot read");
    let dir = std::env::temp_dir();
    let r = run_str(&["parse", dir.to_str().unwrap()], b"");
    assert_invalid("a directory", &r, "cannot read");
    let r = run_str(&["parse", "--max-depth", "-1", "-"], b"{}");
    assert_invalid("a negative limit", &r, "-1");
    let r = run_str(&["parse", "--format", "yaml", "-"], b"{}");
    assert_invalid("an unknown format", &r, "yaml");
    let r = run_str(&["parse"], b"");
    assert_invalid("no files", &r, "FILES");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bad = std::ffi::OsStr::from_bytes(b"/tmp/\xff\xfe.json");
        let r = run(&[std::ffi::OsStr::new("parse"), bad], b"");
        assert_invalid("a non-UTF-8 argument", &r, "UTF-8");
    }
}

#[test]
fn json_output_stays_valid_json_on_hostile_input() {
    for (what, bytes) in [
        ("invalid UTF-8", b"{\"a\":\"\xff\"}".to_vec()),
        ("control characters", b"{\"a\":\"\x1b[31m\x07\"}".to_vec()),
        ("deep nesting", "[".repeat(10_000).into_bytes()),
        (
            "an error flood",
            format!("[{}]", "1 ".repeat(10_000)).into_bytes(),
        ),
    ] {
        let r = run_str(&["parse", "--format", "json", "-"], &bytes);
        assert_eq!(r.code, Some(2), "{what}: {}", head(&r.stderr));
        let value: serde_json::Value = serde_json::from_slice(&r.stdout)
            .unwrap_or_else(|e| panic!("{what}: stdout is not JSON ({e})"));
        let first = &value[0];
        assert_eq!(first["valid"], false, "{what}");
        assert!(
            first["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty()),
            "{what}"
        );
    }
}

#[test]
fn valid_but_enormous_policies_are_printed() {
    let statement = r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt","Resource":"*"}"#;
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        vec![statement; 20_000].join(",")
    );
    let r = run_str(&["parse", "-"], text.as_bytes());
    println!("20k statements: exit {:?} in {:?}", r.code, r.elapsed);
    assert_eq!(r.code, Some(0), "{}", head(&r.stderr));
    assert!(
        String::from_utf8_lossy(&r.stdout)
            .matches("kms:Decrypt")
            .count()
            == 20_000
    );
}

/// A diagnostic shows a snippet of its line; one long line must not be
/// copied into every one of a hundred diagnostics.
#[test]
fn error_output_stays_proportional_to_the_input() {
    // One 200 kB line with an error every two bytes.
    let line = format!("[{}]", "1 ".repeat(100_000));
    let r = run_str(&["parse", "-"], line.as_bytes());
    assert_invalid(
        "an error flood on one long line",
        &r,
        "json::too-many-errors",
    );
    let ratio = r.stderr.len() as f64 / line.len() as f64;
    println!("stderr is {ratio:.1} times the input");
    assert!(
        r.stderr.len() < 4 * line.len() + 100_000,
        "{} bytes of diagnostics for a {}-byte input: each diagnostic repeats the whole line",
        r.stderr.len(),
        line.len()
    );
}
