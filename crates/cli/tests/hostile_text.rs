//! Text from inputs never reaches the terminal or a CI log raw: escape
//! sequences, `\r`, bidirectional overrides and newlines in names, Sids,
//! descriptions, file names and arguments are shown escaped, and no line of
//! human output can be read by GitHub Actions as a workflow command
//! (`::error file=…` at the start of a line, `##[error]` anywhere: see
//! <https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands>).
//! The github format escapes `%`, `\r`, `\n` (data) and also `:` and `,`
//! (properties), as the runner reads them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A name carrying everything a terminal or a workflow log must not get raw.
const EVIL: &str = "Eve\\u001b[31m\\u001b]0;title\\u0007\\r\\u202e\\n::error file=a.json,line=1::injected ##[warning]old";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyward-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn keyward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Human output: no control character but newline (and tab), no line a
/// workflow command.
fn assert_safe_text(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for line in text.lines() {
        assert!(
            !line.chars().any(|c| (c.is_control() && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')),
            "{what}: a raw control character in {line:?}"
        );
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a workflow command line: {line:?}"
        );
        assert!(
            !line.contains("##["),
            "{what}: an old-style workflow command: {line:?}"
        );
    }
}

/// GitHub format: each line one of our annotations, nothing raw in it.
fn assert_safe_commands(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(!text.is_empty(), "{what}: no annotations");
    for line in text.lines() {
        assert!(
            ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|p| line.starts_with(p)),
            "{what}: not an annotation: {line:?}"
        );
        assert!(!line.chars().any(char::is_control), "{what}: {line:?}");
        // Properties end at the second `::`; their values escape `:` and `,`.
        let properties = &line[2..line[2..].find("::").unwrap() + 2];
        for property in properties.split_once(' ').unwrap().1.split(',') {
            let (_, value) = property.split_once('=').unwrap();
            assert!(!value.contains(':'), "{what}: {property}");
        }
    }
}

/// A scenario whose principal name, Sid and description are hostile, its
/// single check failing (so snippets are drawn too).
fn hostile_scenario(dir: &Path) -> PathBuf {
    let text = format!(
        r#"{{"description": "{EVIL}",
 "principals": {{"{EVIL}": {{"arn": "arn:aws:iam::111122223333:user/eve"}}}},
 "keys": {{"K": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": {{"Version": "2012-10-17", "Statement": [
   {{"Sid": "{EVIL}", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}}]}}}}}},
 "expect": [{{"principal": "{EVIL}", "action": "kms:Decrypt", "key": "K", "decision": "allow"}}]}}"#
    );
    let path = dir.join("evil.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn scenario_run_and_matrix_escape_names_sids_and_descriptions() {
    let dir = scratch("scenario");
    let s = hostile_scenario(&dir);
    let s = s.to_str().unwrap();
    let run = keyward(&["scenario", "run", s]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        out.contains("Eve\\u{1b}[31m"),
        "the name is shown escaped:\n{out}"
    );
    assert_safe_text("scenario run", &run.stdout);
    assert_safe_text("scenario run (stderr)", &run.stderr);
    let matrix = keyward(&["scenario", "matrix", s, "--actions", "kms:Decrypt"]);
    assert_eq!(matrix.status.code(), Some(0));
    assert_safe_text("scenario matrix", &matrix.stdout);
    let query = keyward(&[
        "query",
        "--scenario",
        s,
        "--principal",
        "arn:aws:iam::111122223333:user/eve",
        "--action",
        "kms:Decrypt",
        "--key",
        "K",
    ]);
    assert_eq!(query.status.code(), Some(1));
    assert_safe_text("query", &query.stdout);
    // JSON keeps the exact text, and stays free of workflow commands.
    let json = keyward(&["scenario", "run", "--format", "json", s]);
    let text = String::from_utf8(json.stdout).unwrap();
    assert!(!text.contains("##["));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["results"][0]["principal"]
        .as_str()
        .unwrap()
        .contains("\u{1b}[31m"));
}

#[test]
fn arguments_are_escaped_in_errors() {
    let evil = "x\u{1b}]52;c;cGF5bG9hZA==\u{7}\n::error file=a::b";
    for args in [
        vec!["rules", evil],
        vec![
            "query",
            "--scenario",
            "/nonexistent.json",
            "--principal",
            evil,
            "--action",
            "kms:Decrypt",
            "--key",
            "k",
        ],
        vec!["scenario", "matrix", "--actions", evil, "/nonexistent.json"],
        vec!["parse", evil],
        vec!["lint", "--format", "github", evil],
    ] {
        let r = keyward(&args);
        assert_eq!(r.status.code(), Some(2), "{args:?}");
        assert_safe_text(&format!("{args:?} (stderr)"), &r.stderr);
        if args.contains(&"github") {
            assert_safe_commands(&format!("{args:?}"), &r.stdout);
        } else {
            assert_safe_text(&format!("{args:?}"), &r.stdout);
        }
    }
}

#[test]
fn lint_escapes_sources_messages_and_file_names_in_human_and_github_output() {
    let dir = scratch("lint");
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "{EVIL}", "Effect": "Allow",
 "Principal": {{"AWS": "*"}}, "Action": "kms:*", "Resource": "*"}}]}}"#
    );
    std::fs::write(dir.join("evil-sid.json"), policy).unwrap();
    // Raw control bytes outside strings: syntax errors whose snippets show them.
    std::fs::write(
        dir.join("raw.json"),
        b"{\"Version\": \"2012-10-17\",\x1b[2J\x1b]0;t\x07\r::error::x\n \"Statement\": []}",
    )
    .unwrap();
    #[cfg(unix)]
    std::fs::write(dir.join("evil\n::error file=a,line=1::name.json"), "{").unwrap();
    let d = dir.to_str().unwrap();
    let human = keyward(&["lint", d]);
    assert_eq!(human.status.code(), Some(1));
    assert_safe_text("lint", &human.stdout);
    let github = keyward(&["lint", "--format", "github", d]);
    assert_eq!(github.status.code(), Some(1));
    assert_safe_commands("lint --format github", &github.stdout);
    for format in ["json", "sarif"] {
        let r = keyward(&["lint", "--format", format, d]);
        let text = String::from_utf8(r.stdout).unwrap();
        assert!(!text.contains("##["), "{format}");
        serde_json::from_str::<serde_json::Value>(&text).unwrap();
    }
    // parse: diagnostics on stderr, the normalized policy (JSON) on stdout.
    let parse = keyward(&["parse", dir.join("raw.json").to_str().unwrap()]);
    assert_eq!(parse.status.code(), Some(2));
    assert_safe_text("parse (stderr)", &parse.stderr);
    let parse = keyward(&["parse", dir.join("evil-sid.json").to_str().unwrap()]);
    assert_eq!(parse.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&parse.stdout).contains("##["));
}

#[test]
fn snippets_keep_the_files_lines_and_columns() {
    let dir = scratch("columns");
    // A control character before the error on its line: the column shown is
    // the file's, not the escaped text's.
    std::fs::write(dir.join("p.json"), b"{\"a\":\"\x01\", x}").unwrap();
    let r = keyward(&["parse", dir.join("p.json").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("p.json:1:11]"), "{err}");
    assert!(err.contains("{\"a\":\"\u{fffd}\", x}"), "{err}");
}

#[test]
fn check_and_diff_escape_sids_and_names() {
    let dir = scratch("check");
    let policy = |sid: &str, account: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "{sid}", "Effect": "Allow",
 "Principal": {{"AWS": "arn:aws:iam::{account}:root"}}, "Action": "kms:Decrypt", "Resource": "*"}}]}}"#
        )
    };
    let base = dir.join("base.json");
    let head = dir.join("head.json");
    std::fs::write(&base, policy("Own", "111122223333")).unwrap();
    std::fs::write(&head, policy(EVIL, "444455556666")).unwrap();
    let (base, head) = (base.to_str().unwrap(), head.to_str().unwrap());
    let diff = keyward(&["diff", base, head]);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&diff.stderr)
    );
    assert!(String::from_utf8_lossy(&diff.stdout).contains("Eve\\u{1b}[31m"));
    assert_safe_text("diff", &diff.stdout);
    let check = keyward(&["check", "no-new-access", "--base", base, "--head", head]);
    assert_eq!(check.status.code(), Some(1));
    assert_safe_text("check", &check.stdout);
    let github = keyward(&[
        "check",
        "no-new-access",
        "--base",
        base,
        "--head",
        head,
        "--format",
        "github",
    ]);
    assert_safe_commands("check --format github", &github.stdout);
}
