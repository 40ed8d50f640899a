//! Every subcommand, with standard output closed (`keyward … | head -c 0`)
//! and on a full disk (`keyward … > /dev/full`): a closed pipe ends quietly
//! with the command's own exit code; a failed write is one error line and
//! exit 2. Never a panic (exit 101).
//!
//! The table below must name every subcommand `keyward --help` lists: a new
//! subcommand fails [`every_subcommand_is_in_the_table`] until it has a row.

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const SEED: &str = "fixtures/scenarios/seed-matrix.json";
const PROBLEMS: &str = "fixtures/lint/policies/key-with-problems.json";
const ORG: &str = "fixtures/snapshots/example-org";
const PARTIAL: &str = "fixtures/snapshots/partial-export";
const BASE: &str = "fixtures/checks/base.json";
const HEAD: &str = "fixtures/checks/head.json";
const CHECK_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A language-server session: initialize, shutdown, exit (framed JSON-RPC).
fn lsp_session() -> Vec<u8> {
    [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ]
    .iter()
    .flat_map(|body| format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes())
    .collect()
}

/// Invocations, by the subcommand they exercise (`""`: the top level).
/// `lsp` reads [`lsp_session`] on standard input; the others nothing.
fn table() -> Vec<(&'static str, Vec<&'static str>)> {
    let query = [
        "query",
        "--scenario",
        SEED,
        "--principal",
        "Alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "CMK-A",
    ];
    let new_access = [
        "check",
        "no-new-access",
        "--base",
        BASE,
        "--head",
        HEAD,
        "--key",
        CHECK_KEY,
    ];
    vec![
        ("", vec!["--help"]),
        ("", vec!["--version"]),
        ("help", vec!["help", "lint"]),
        (
            "parse",
            vec!["parse", "fixtures/lint/policies/console-default.json"],
        ),
        ("parse", vec!["parse", "--format", "json", PROBLEMS]),
        ("lint", vec!["lint", PROBLEMS]),
        ("lint", vec!["lint", "--format", "json", PROBLEMS]),
        ("lint", vec!["lint", "--format", "sarif", PROBLEMS]),
        ("lint", vec!["lint", "--format", "github", PROBLEMS]),
        ("rules", vec!["rules"]),
        ("rules", vec!["rules", "KW201"]),
        ("rules", vec!["rules", "--format", "json"]),
        ("rules", vec!["rules", "--format", "markdown", "KW201"]),
        (
            "scenario run",
            vec!["scenario", "run", "fixtures/scenarios"],
        ),
        (
            "scenario run",
            vec!["scenario", "run", "--format", "json", SEED],
        ),
        ("scenario matrix", vec!["scenario", "matrix", SEED]),
        (
            "scenario matrix",
            vec![
                "scenario",
                "matrix",
                "--format",
                "json",
                "fixtures/scenarios",
            ],
        ),
        ("query", query.to_vec()),
        ("query", [&query[..], &["--format", "json"]].concat()),
        ("lsp", vec!["lsp", "--stdio"]),
        (
            "check no-new-access",
            [&new_access[..], &["--format", "github"]].concat(),
        ),
        (
            "check no-new-access",
            [&new_access[..], &["--format", "sarif"]].concat(),
        ),
        ("check no-new-access", new_access.to_vec()),
        (
            "check access-not-granted",
            vec![
                "check",
                "access-not-granted",
                "--policy",
                HEAD,
                "--action",
                "kms:Decrypt",
                "--principal",
                "arn:aws:iam::444455556666:*",
                "--key",
                CHECK_KEY,
            ],
        ),
        (
            "check no-public-access",
            vec![
                "check",
                "no-public-access",
                "--policy",
                HEAD,
                "--account",
                "111122223333",
                "--format",
                "json",
            ],
        ),
        ("diff", vec!["diff", BASE, HEAD, "--key", CHECK_KEY]),
        ("diff", vec!["diff", "--format", "json", BASE, HEAD]),
        ("snapshot check", vec!["snapshot", "check", ORG]),
        (
            "snapshot check",
            vec!["snapshot", "check", "--format", "json", PARTIAL],
        ),
        (
            "snapshot to-scenario",
            vec![
                "snapshot",
                "to-scenario",
                ORG,
                "--key",
                "alias/prod-data",
                "--principal",
                "ci-deployer",
            ],
        ),
        (
            "scenario matrix",
            vec!["scenario", "matrix", "--snapshot", ORG],
        ),
        (
            "scenario matrix",
            vec!["scenario", "matrix", "--snapshot", ORG, "--format", "json"],
        ),
        (
            "query",
            vec![
                "query",
                "--snapshot",
                PARTIAL,
                "--principal",
                "ci-deployer",
                "--action",
                "kms:Encrypt",
                "--key",
                "alias/prod-data",
            ],
        ),
        (
            "who-can",
            vec!["who-can", "--snapshot", ORG, "--key", "alias/prod-data"],
        ),
        (
            "who-can",
            vec![
                "who-can",
                "--scenario",
                SEED,
                "--key",
                "CMK-A",
                "--format",
                "json",
            ],
        ),
        (
            "who-can",
            vec![
                "who-can",
                "--snapshot",
                ORG,
                "--key",
                "alias/prod-data",
                "--format",
                "csv",
            ],
        ),
        (
            "what-can",
            vec!["what-can", "--snapshot", ORG, "--principal", "alice"],
        ),
        (
            "what-can",
            vec![
                "what-can",
                "--scenario",
                SEED,
                "--principal",
                "Alice",
                "--format",
                "json",
            ],
        ),
    ]
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn keyward(args: &[&str], stdout: Stdio) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = if args.first() == Some(&"lsp") {
        lsp_session()
    } else {
        Vec::new()
    };
    // The command may stop reading early; a broken pipe here is fine.
    let _ = child.stdin.take().unwrap().write_all(&input);
    child.wait_with_output().unwrap()
}

/// The write end of a pipe whose reader has already gone: every write to
/// it fails with `EPIPE`, as after `| head -c 10` has read its ten bytes.
fn closed_pipe() -> Stdio {
    let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let write_end = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    Stdio::from(write_end)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_commands_own_exit_code() {
    for (_, args) in table() {
        let normal = keyward(&args, Stdio::piped());
        assert!(
            !normal.stdout.is_empty(),
            "{args:?} prints nothing to test with"
        );
        let closed = keyward(&args, closed_pipe());
        assert_eq!(
            closed.status.code(),
            normal.status.code(),
            "{args:?}: {}",
            stderr(&closed)
        );
        // Nothing about the pipe: the same standard error as a normal run.
        assert_eq!(stderr(&closed), stderr(&normal), "{args:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_error_line_and_exit_2() {
    const LINE: &str =
        "error: cannot write to standard output: No space left on device (os error 28)\n";
    for (_, args) in table() {
        let normal = keyward(&args, Stdio::piped());
        let full = keyward(
            &args,
            Stdio::from(
                std::fs::File::options()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            ),
        );
        let err = stderr(&full);
        assert_eq!(full.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        // What a normal run says on standard error, then the one line.
        assert_eq!(err, format!("{}{LINE}", stderr(&normal)), "{args:?}");
    }
}

/// Subcommand names in the `Commands:` section of a help text.
fn commands_in(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A name is indented two spaces; wrapped descriptions more.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|name| name != "help")
        .collect()
}

#[test]
fn every_subcommand_is_in_the_table() {
    let help = |args: &[&str]| String::from_utf8(keyward(args, Stdio::piped()).stdout).unwrap();
    let mut leaves = Vec::new();
    for name in commands_in(&help(&["--help"])) {
        let nested = commands_in(&help(&[&name, "--help"]));
        if nested.is_empty() {
            leaves.push(name);
        } else {
            leaves.extend(nested.into_iter().map(|n| format!("{name} {n}")));
        }
    }
    assert!(leaves.len() >= 6, "{leaves:?}");
    let table = table();
    for leaf in &leaves {
        assert!(
            table.iter().any(|(name, _)| name == leaf),
            "`keyward {leaf}` has no row in the table of this test"
        );
    }
}
