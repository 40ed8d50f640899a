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
    // Build (or find) the binary before the clock starts: the first caller
    // may wait minutes for `cargo build`, which is not the run under test.
    let bin = keyward();
    let started = Instant::now();
    let mut child = Command::new(bin)
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
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
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
    // A directory is walked as by every command; one with no policy is an error.
    let dir = scratch_file("no-policies/notes.txt", b"")
        .parent()
        .unwrap()
        .to_path_buf();
    let r = run_str(&["parse", dir.to_str().unwrap()], b"");
    assert_invalid(
        "a directory with no policy",
        &r,
        "holds no `*.json` policy file",
    );
    let r = run_str(&["parse", "--max-depth", "-1", "-"], b"{}");
    assert_invalid("a negative limit", &r, "-1");
    let r = run_str(&["parse", "--format", "yaml", "-"], b"{}");
    assert_invalid("an unknown format", &r, "yaml");
    let r = run_str(&["parse"], b"");
    assert_invalid("no files", &r, "FILES");
    // A file name that is not UTF-8 is a name like any other: a missing one
    // is reported missing under its name (bytes shown as `\xNN`), an existing
    // one is read.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bad = std::ffi::OsStr::from_bytes(b"/nonexistent/keyward/\xff\xfe.json");
        let r = run(&[std::ffi::OsStr::new("parse"), bad], b"");
        assert_invalid(
            "a missing non-UTF-8 name",
            &r,
            "cannot read `/nonexistent/keyward/\\xff\\xfe.json`: No such file",
        );
        let dir = scratch_file("bytes/placeholder", b"")
            .parent()
            .unwrap()
            .to_path_buf();
        let name = dir.join(std::ffi::OsStr::from_bytes(b"\xff\xfe.json"));
        std::fs::write(&name, br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#).unwrap();
        let r = run(&[std::ffi::OsStr::new("parse"), name.as_os_str()], b"");
        assert_eq!(r.code, Some(0), "an existing non-UTF-8 name: {}", r.stderr);
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

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k";
const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

fn scenario_with_policy(policy: &str) -> String {
    format!(
        r#"{{"principals": {{"Alice": {{"arn": "{ALICE}"}}}},
 "keys": {{"K": {{"arn": "{KEY}", "policy": {policy}}}}},
 "expect": [{{"principal": "Alice", "action": "kms:Decrypt", "key": "K", "decision": "allow"}}]}}"#
    )
}

#[test]
fn scenarios_with_missing_or_self_referencing_files_are_refused() {
    let missing = scratch_file(
        "refs/missing-ref.json",
        scenario_with_policy(r#"{"file": "no-such-policy.json"}"#).as_bytes(),
    );
    let r = run_str(&["scenario", "run", missing.to_str().unwrap()], b"");
    assert_invalid("a missing policy file", &r, "no-such-policy.json");
    let own = scratch_file(
        "refs/self-ref.json",
        scenario_with_policy(r#"{"file": "self-ref.json"}"#).as_bytes(),
    );
    let r = run_str(&["scenario", "run", own.to_str().unwrap()], b"");
    assert_invalid("a scenario naming itself as a policy", &r, "self-ref.json");
    let dir = scratch_file("refs/sub/placeholder", b"")
        .parent()
        .unwrap()
        .to_path_buf();
    let r = run_str(&["scenario", "run", dir.join("sub").to_str().unwrap()], b"");
    assert_invalid("a directory in place of a policy", &r, "sub");
    let garbage = scratch_file("refs/garbage-policy.json", b"\xff\xfe{{{");
    let s = scratch_file(
        "refs/garbage-ref.json",
        scenario_with_policy(&format!(
            r#"{{"file": "{}"}}"#,
            garbage.file_name().unwrap().to_str().unwrap()
        ))
        .as_bytes(),
    );
    let r = run_str(&["scenario", "run", s.to_str().unwrap()], b"");
    assert_invalid("a policy file that is not UTF-8", &r, "UTF-8");
}

/// `{"file": "/dev/zero"}` must meet the same size limit as every other
/// input, not be read until memory runs out. Run under a 1 GB address-space
/// limit so a failure cannot take the machine down.
#[cfg(unix)]
#[test]
fn scenario_policy_files_are_read_within_the_size_limit() {
    let s = scratch_file(
        "dev-zero.json",
        scenario_with_policy(r#"{"file": "/dev/zero"}"#).as_bytes(),
    );
    let script = format!(
        "ulimit -v 1000000; exec '{}' scenario run '{}'",
        keyward().display(),
        s.display()
    );
    let started = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!(
        "/dev/zero policy: exit {:?} in {:?}",
        out.status.code(),
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2), "{}", head(&stderr));
    assert!(
        !stderr.contains("out of memory"),
        "the policy file was read without a size limit until memory ran out:\n{}",
        head(&stderr)
    );
}

/// A link back up the tree ends the walk of that branch with an error that
/// names it (exit 2); the other scenarios still run.
#[cfg(unix)]
#[test]
fn scenario_directories_with_link_cycles_terminate() {
    let base = scratch_file("cycle/a/one.json", scenario_with_policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:Decrypt","Resource":"*"}]}"#).as_bytes());
    let a = base.parent().unwrap();
    let link = a.join("loop");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(a.parent().unwrap(), &link).unwrap();
    let r = run_str(
        &["scenario", "run", a.parent().unwrap().to_str().unwrap()],
        b"",
    );
    println!("link cycle: exit {:?} in {:?}", r.code, r.elapsed);
    assert_invalid("a link cycle", &r, "a/loop` leads back");
    assert!(String::from_utf8_lossy(&r.stdout).contains("1 passed, 0 failed"));
}

#[test]
fn hostile_scenario_files_are_refused() {
    for (what, bytes, expect) in [
        (
            "deep nesting",
            format!(
                r#"{{"keys": {}1{}}}"#,
                "[".repeat(50_000),
                "]".repeat(50_000)
            )
            .into_bytes(),
            "json::too-deep",
        ),
        (
            "invalid UTF-8",
            b"{\"description\": \"\xc0\"}".to_vec(),
            "json::invalid-utf8",
        ),
        ("an unknown field", br#"{"expcet": []}"#.to_vec(), "expcet"),
        (
            "a key with a wildcard ARN",
            scenario_with_policy("{}")
                .replace(KEY, "arn:aws:kms:*:111122223333:key/*")
                .into_bytes(),
            "×",
        ),
    ] {
        let path = scratch_file("hostile-scenario.json", &bytes);
        let r = run_str(&["scenario", "run", path.to_str().unwrap()], b"");
        assert_invalid(what, &r, expect);
        let r = run_str(&["scenario", "matrix", path.to_str().unwrap()], b"");
        assert_invalid(&format!("{what} (matrix)"), &r, expect);
    }
}

/// A Deny whose condition cannot be evaluated applies: `keyward query`
/// answers explicit deny, never allow.
#[test]
fn query_never_allows_past_an_unevaluable_deny() {
    let kp = scratch_file(
        "unevaluable-deny.json",
        br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}"#,
    );
    let kp = kp.to_str().unwrap();
    // Each time, one condition cannot be read and the other holds.
    for (context, other) in [
        ("aws:SourceIp=not-an-ip", "aws:MultiFactorAuthAge=60"),
        ("aws:SourceIp=", "aws:MultiFactorAuthAge=60"),
        ("aws:SourceIp=10.1.2.3", "aws:MultiFactorAuthAge=soon"),
    ] {
        let r = run_str(
            &[
                "query",
                "--key-policy",
                kp,
                "--principal",
                ALICE,
                "--action",
                "kms:Decrypt",
                "--key",
                KEY,
                "--context",
                context,
                "--context",
                other,
                "--format",
                "json",
            ],
            b"",
        );
        assert_eq!(r.code, Some(1), "{context}: {}", head(&r.stderr));
        let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
        assert_eq!(v["answer"]["decision"], "explicit-deny", "{context}: {v}");
    }
}

#[test]
fn query_refuses_hostile_arguments() {
    let kp = scratch_file("query-kp.json", br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}"#);
    let kp = kp.to_str().unwrap();
    let long = "a".repeat(100_000);
    let long_principal = format!("arn:aws:iam::111122223333:user/{long}");
    let many_context: Vec<String> = (0..5_000).map(|i| format!("aws:k{i}=v{i}")).collect();
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "an unknown action",
            vec!["--action", "kms:Frobnicate"],
            "kms:Frobnicate",
        ),
        (
            "a non-KMS action",
            vec!["--action", "s3:GetObject"],
            "s3:GetObject",
        ),
        (
            "a wildcard principal",
            vec!["--principal", "arn:aws:iam::111122223333:user/*"],
            "wildcard",
        ),
        (
            "a group as principal",
            vec!["--principal", "arn:aws:iam::111122223333:group/g"],
            "group",
        ),
        (
            "a key that is not a key ARN",
            vec!["--key", "arn:aws:kms:us-east-1:111122223333:alias/x"],
            "alias/x",
        ),
        (
            "a context without `=`",
            vec!["--context", "aws:SourceIp"],
            "aws:SourceIp",
        ),
        (
            "a derived context key",
            vec![
                "--context",
                "aws:PrincipalArn=arn:aws:iam::111122223333:root",
            ],
            "aws:PrincipalArn",
        ),
        (
            "an unparsable time",
            vec!["--context", "aws:CurrentTime=yesterday"],
            "yesterday",
        ),
    ];
    for (what, extra, expect) in cases {
        let mut args = vec![
            "query",
            "--key-policy",
            kp,
            "--principal",
            ALICE,
            "--action",
            "kms:Decrypt",
            "--key",
            KEY,
        ];
        // Later flags replace earlier ones of the same name.
        for pair in extra.chunks(2) {
            if let Some(at) = args.iter().position(|a| *a == pair[0]) {
                if pair[0] != "--context" {
                    args[at + 1] = pair[1];
                    continue;
                }
            }
            args.extend_from_slice(pair);
        }
        let r = run_str(&args, b"");
        assert_invalid(what, &r, expect);
    }
    // A 100 kB principal (near the OS limit for one argument) and 5,000 context values: bounded, no allow by accident.
    let r = run_str(
        &[
            "query",
            "--key-policy",
            kp,
            "--principal",
            &long_principal,
            "--action",
            "kms:Decrypt",
            "--key",
            KEY,
            "--format",
            "json",
        ],
        b"",
    );
    println!("100 kB principal: exit {:?} in {:?}", r.code, r.elapsed);
    assert!(
        r.code == Some(0) || r.code == Some(1),
        "{}",
        head(&r.stderr)
    );
    let mut args = vec![
        "query",
        "--key-policy",
        kp,
        "--principal",
        ALICE,
        "--action",
        "kms:Decrypt",
        "--key",
        KEY,
    ];
    for c in &many_context {
        args.extend(["--context", c.as_str()]);
    }
    let r = run_str(&args, b"");
    println!("5,000 context values: exit {:?} in {:?}", r.code, r.elapsed);
    assert_eq!(r.code, Some(0), "{}", head(&r.stderr));
    // Hostile policy files through query.
    for (what, bytes, expect) in [
        (
            "a deeply nested key policy",
            "[".repeat(100_000).into_bytes(),
            "json::too-deep",
        ),
        (
            "a key policy that is not UTF-8",
            b"{\"a\":\"\xff\"}".to_vec(),
            "UTF-8",
        ),
    ] {
        let p = scratch_file("query-hostile.json", &bytes);
        let r = run_str(
            &[
                "query",
                "--key-policy",
                p.to_str().unwrap(),
                "--principal",
                ALICE,
                "--action",
                "kms:Decrypt",
                "--key",
                KEY,
            ],
            b"",
        );
        assert_invalid(what, &r, expect);
    }
}

/// A finding past column 65,535 of its line (minified JSON, a long YAML
/// key) must render like any other: miette 7.6 formats the underline with a
/// width past what `format!` accepts and panics.
#[test]
fn findings_far_along_one_line_render() {
    let far = format!("[{}x]", " ".repeat(70_000));
    for command in ["parse", "lint"] {
        let r = run_str(&[command, "-"], far.as_bytes());
        assert!(
            !r.stderr.contains("panicked"),
            "`keyward {command}` panicked on a finding at column 70,000:\n{}",
            head(&r.stderr)
        );
        assert_eq!(
            r.code,
            Some(if command == "parse" { 2 } else { 1 }),
            "{command}: {}",
            head(&r.stderr)
        );
    }
}
