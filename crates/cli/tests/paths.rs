//! Paths, directories and `{"file": …}` references, the same for every
//! command (`parse`, `lint`, `scenario run`, `scenario matrix`): nothing skipped silently, nothing read from outside the
//! scenario's folder tree, no file that is not JSON quoted, each failure
//! named for what it is (exit 2).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k";
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/scenarios/seed-matrix.json"
);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn keyward<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyward-paths-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A scenario whose key policy is `policy`, expecting Alice may decrypt.
fn scenario(policy: &str) -> String {
    format!(
        r#"{{"principals": {{"Alice": {{"arn": "{ALICE}"}}}},
 "keys": {{"K": {{"arn": "{KEY}", "policy": {policy}}}}},
 "expect": [{{"principal": "Alice", "action": "kms:Decrypt", "key": "K", "decision": "allow"}}]}}"#
    )
}

const ALLOW_ALICE: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
 "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#;

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A directory holding one good scenario and `bad`, through each command
/// that walks directories: exit 2, the problem named, the good file read.
fn assert_every_walk_refuses(dir: &Path, expect: &str) {
    std::fs::write(dir.join("good.json"), scenario(ALLOW_ALICE)).unwrap();
    std::fs::write(dir.join("key.json"), ALLOW_ALICE).unwrap();
    for (args, good) in [
        (vec!["scenario", "run", s(dir)], "good.json"),
        (vec!["scenario", "matrix", s(dir)], "good.json"),
        // JSON: the human format wraps long messages.
        (vec!["lint", "--format", "json", s(dir)], "key.json"),
        (vec!["parse", "--format", "json", s(dir)], "key.json"),
    ] {
        let r = keyward(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}{}", r.stdout, r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            all.contains(expect),
            "{args:?}: expected `{expect}` in\n{all}"
        );
        assert!(
            all.contains(good),
            "{args:?}: the good file was not read:\n{all}"
        );
    }
    let json = keyward(&["scenario", "run", "--format", "json", s(dir)]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["passed"], 1, "{v}");
    // (`key.json` is a policy, not a scenario: its errors are the others.)
    let walk_errors = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"].as_str().unwrap().starts_with("input::"))
        .count();
    assert_eq!(walk_errors, 1, "{v}");
}

#[cfg(unix)]
#[test]
fn dangling_links_link_loops_and_fifos_in_a_directory_are_errors() {
    let dir = scratch("dangling");
    std::os::unix::fs::symlink(dir.join("gone.json"), dir.join("dangling.json")).unwrap();
    assert_every_walk_refuses(&dir, "dangling");

    let dir = scratch("loop");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/back")).unwrap();
    assert_every_walk_refuses(&dir, "sub/back` leads back");

    let dir = scratch("self-loop");
    std::os::unix::fs::symlink("me.json", dir.join("me.json")).unwrap();
    assert_every_walk_refuses(&dir, "cannot follow the symbolic link");

    let dir = scratch("fifo");
    let made = Command::new("mkfifo").arg(dir.join("pipe.json")).status();
    if made.is_ok_and(|s| s.success()) {
        assert_every_walk_refuses(&dir, "is a FIFO (named pipe), not a regular file");
    }
}

#[test]
fn an_empty_directory_is_an_error_for_every_command() {
    let dir = scratch("empty");
    std::fs::write(dir.join("README.md"), "no scenarios here").unwrap();
    for args in [
        vec!["scenario", "run", s(&dir)],
        vec!["scenario", "matrix", s(&dir)],
        vec!["lint", s(&dir)],
        vec!["parse", s(&dir)],
    ] {
        let r = keyward(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            format!("{}{}", r.stdout, r.stderr).contains("holds no"),
            "{args:?}: {}{}",
            r.stdout,
            r.stderr
        );
    }
}

#[test]
fn a_scenario_that_checks_nothing_is_an_error_for_run_only() {
    let dir = scratch("no-expect");
    let none = scenario(ALLOW_ALICE).replace(
        r#""expect": [{"principal": "Alice", "action": "kms:Decrypt", "key": "K", "decision": "allow"}]"#,
        r#""description": "no checks""#,
    );
    let empty = scenario(ALLOW_ALICE).replace(
        r#""expect": [{"principal": "Alice", "action": "kms:Decrypt", "key": "K", "decision": "allow"}]"#,
        r#""expect": []"#,
    );
    for (name, text) in [("none.json", none), ("empty.json", empty)] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let r = keyward(&["scenario", "run", s(&path)]);
        assert_eq!(r.code, Some(2), "{name}: {}", r.stdout);
        assert!(
            r.stderr.contains("scenario::no-expectations"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("nothing was checked"), "{}", r.stderr);
        // A matrix needs no expectations.
        assert_eq!(keyward(&["scenario", "matrix", s(&path)]).code, Some(0));
    }
}

#[test]
fn matrix_walks_directories_as_run_does() {
    let fixtures = Path::new(SEED).parent().unwrap();
    let run = keyward(&["scenario", "run", "--format", "json", s(fixtures)]);
    let matrix = keyward(&["scenario", "matrix", "--format", "json", s(fixtures)]);
    assert_eq!(matrix.code, Some(0), "{}", matrix.stderr);
    let run: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let matrix: serde_json::Value = serde_json::from_str(&matrix.stdout).unwrap();
    let mut ran: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    ran.dedup();
    let tabled: Vec<&str> = matrix["matrices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["file"].as_str().unwrap())
        .collect();
    assert_eq!(tabled, ran);
    assert!(tabled.iter().any(|f| f.contains("/stories/")), "{tabled:?}");
    // One file named: the matrix itself, as before.
    let one = keyward(&["scenario", "matrix", "--format", "json", SEED]);
    let one: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert!(one["principals"].is_array(), "{one}");
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_read_and_shown_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("bytes");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    std::fs::write(dir.join(name), scenario(ALLOW_ALICE)).unwrap();
    let named = dir.join(name);
    for args in [
        vec![
            std::ffi::OsStr::new("scenario"),
            "run".as_ref(),
            dir.as_os_str(),
        ],
        vec!["scenario".as_ref(), "run".as_ref(), named.as_os_str()],
    ] {
        let r = keyward(&args);
        assert_eq!(r.code, Some(0), "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("caf\\xe9.json"), "{}", r.stdout);
        assert!(r.stdout.contains("1 passed, 0 failed"), "{}", r.stdout);
    }
    let r = keyward(&[std::ffi::OsStr::new("parse"), named.as_os_str()]);
    assert_eq!(r.code, Some(2), "a scenario is not a policy");
    assert!(!r.stderr.contains("cannot read"), "{}", r.stderr);
    let r = keyward(&[std::ffi::OsStr::new("lint"), dir.as_os_str()]);
    assert!(!r.stdout.contains("cannot read"), "{}", r.stdout);
}

/// The scenario's diagnostics: exit 2, the code, and none of `secret`.
fn assert_refused(scenario_path: &Path, extra: &[&str], code: &str, secret: &str) {
    let mut args = vec!["scenario", "run"];
    args.extend_from_slice(extra);
    args.push(s(scenario_path));
    let r = keyward(&args);
    assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
    assert!(
        r.stderr.contains(code),
        "{args:?}: expected {code} in\n{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains(secret),
        "{args:?}: the file was quoted:\n{}",
        r.stderr
    );
    assert!(
        !r.stdout.contains(secret),
        "{args:?}: the file was quoted:\n{}",
        r.stdout
    );
}

#[test]
fn references_stay_in_the_scenarios_folder_tree() {
    let dir = scratch("refs");
    std::fs::create_dir_all(dir.join("a/b/policies")).unwrap();
    std::fs::write(dir.join("a/b/policies/ok.json"), ALLOW_ALICE).unwrap();
    std::fs::write(dir.join("secret.json"), r#"{"token": "s3cr3t-t0ken"}"#).unwrap();
    let write = |name: &str, file: &str| {
        let path = dir.join("a/b").join(name);
        std::fs::write(&path, scenario(&format!(r#"{{"file": "{file}"}}"#))).unwrap();
        path
    };
    let ok = write("ok.json", "policies/ok.json");
    assert_eq!(keyward(&["scenario", "run", s(&ok)]).code, Some(0));
    for (name, file, secret) in [
        ("up.json", "../../secret.json", "s3cr3t"),
        ("abs.json", "/etc/passwd", "root:"),
        ("proc.json", "/proc/self/environ", "PATH="),
    ] {
        if file.starts_with('/') && !Path::new(file).exists() {
            continue;
        }
        assert_refused(&write(name, file), &[], "scenario::file-outside", secret);
    }
    // `--allow-path` widens the tree, for run, matrix and query.
    let up = dir.join("a/b/up.json");
    let allow = ["--allow-path", s(&dir)];
    let r = keyward(&["scenario", "run", allow[0], allow[1], s(&up)]);
    // Read now (it is JSON, not a policy: its diagnostics point into it).
    assert!(!r.stderr.contains("scenario::file-outside"), "{}", r.stderr);
    assert!(r.stderr.contains("secret.json"), "{}", r.stderr);
    let r = keyward(&["scenario", "matrix", allow[0], allow[1], s(&up)]);
    assert!(!r.stderr.contains("scenario::file-outside"), "{}", r.stderr);
    let r = keyward(&[
        "query",
        "--scenario",
        s(&up),
        allow[0],
        allow[1],
        "--principal",
        "Alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "K",
    ]);
    assert!(!r.stderr.contains("scenario::file-outside"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_tree_and_files_that_are_not_json_are_refused_unquoted() {
    let dir = scratch("escape");
    std::fs::create_dir_all(dir.join("s")).unwrap();
    std::fs::write(dir.join("outside.json"), r#"{"token": "s3cr3t-t0ken"}"#).unwrap();
    std::os::unix::fs::symlink(dir.join("outside.json"), dir.join("s/link.json")).unwrap();
    let linked = dir.join("s/linked.json");
    std::fs::write(&linked, scenario(r#"{"file": "link.json"}"#)).unwrap();
    assert_refused(&linked, &[], "scenario::file-outside", "s3cr3t");

    // Allowed explicitly, a file that is not JSON is still never echoed.
    let passwd = dir.join("s/passwd.json");
    std::fs::write(&passwd, scenario(r#"{"file": "/etc/passwd"}"#)).unwrap();
    if Path::new("/etc/passwd").is_file() {
        assert_refused(
            &passwd,
            &["--allow-path", "/etc"],
            "scenario::not-json",
            "root:",
        );
    }
    let text = dir.join("s/notes.txt");
    std::fs::write(&text, "password=hunter2\n").unwrap();
    let notes = dir.join("s/notes.json");
    std::fs::write(&notes, scenario(r#"{"file": "notes.txt"}"#)).unwrap();
    assert_refused(&notes, &[], "scenario::not-json", "hunter2");
}

#[cfg(unix)]
#[test]
fn each_unreadable_reference_is_labelled_for_what_it_is() {
    let dir = scratch("labels");
    let max = 16 << 20;
    std::fs::write(dir.join("big.json"), vec![b' '; max + 1]).unwrap();
    for (name, file, extra, code) in [
        (
            "zero.json",
            "/dev/zero",
            vec!["--allow-path", "/dev"],
            "scenario::not-a-file",
        ),
        (
            "zero-outside.json",
            "/dev/zero",
            vec![],
            "scenario::file-outside",
        ),
        (
            "big-ref.json",
            "big.json",
            vec![],
            "scenario::file-too-large",
        ),
        (
            "missing.json",
            "none.json",
            vec![],
            "scenario::missing-file",
        ),
        ("dir.json", ".", vec![], "scenario::"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, scenario(&format!(r#"{{"file": "{file}"}}"#))).unwrap();
        let mut args = vec!["scenario", "run"];
        args.extend(extra);
        args.push(s(&path));
        let r = keyward(&args);
        assert_eq!(r.code, Some(2), "{file}");
        assert!(
            r.stderr.contains(code),
            "{file}: expected {code} in\n{}",
            r.stderr
        );
        if code != "scenario::missing-file" {
            assert!(!r.stderr.contains("missing-file"), "{file}: {}", r.stderr);
        }
    }
    // 16 MiB is not left behind.
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn query_refuses_flags_that_would_be_ignored_or_contradict() {
    let base = [
        "query",
        "--principal",
        "Alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "CMK-A",
    ];
    let kp = scratch("query").join("kp.json");
    std::fs::write(&kp, ALLOW_ALICE).unwrap();
    for extra in [
        vec!["--key-state", "Disabled"],
        vec!["--identity-policy", s(&kp)],
        vec!["--permissions-boundary", s(&kp)],
        vec!["--session-policy", s(&kp)],
        vec!["--grants", s(&kp)],
    ] {
        let mut args = base.to_vec();
        args.extend(["--scenario", SEED]);
        args.extend(&extra);
        let r = keyward(&args);
        assert_eq!(r.code, Some(2), "{extra:?}: {}", r.stdout);
        assert!(
            r.stderr
                .contains(&format!("{} cannot be used with --scenario", extra[0])),
            "{}",
            r.stderr
        );
    }
    let piecewise = [
        "query",
        "--key-policy",
        s(&kp),
        "--principal",
        ALICE,
        "--action",
        "kms:Decrypt",
        "--key",
        KEY,
    ];
    let r = keyward(&[&piecewise[..], &["--allow-path", "/"]].concat());
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("--allow-path"), "{}", r.stderr);
    // One encryption-context key, two values: refused, not the last kept.
    let twice = [
        &piecewise[..],
        &[
            "--encryption-context",
            "Dept=IT",
            "--encryption-context",
            "Dept=HR",
        ],
    ]
    .concat();
    let r = keyward(&twice);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("gives `Dept` twice"), "{}", r.stderr);
    // The same pair twice says nothing new, and is no conflict.
    let same = [
        &piecewise[..],
        &[
            "--encryption-context",
            "Dept=IT",
            "--encryption-context",
            "Dept=IT",
        ],
    ]
    .concat();
    assert_eq!(keyward(&same).code, Some(0));
}
