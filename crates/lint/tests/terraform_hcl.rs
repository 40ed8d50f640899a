//! Terraform configurations read without a plan: every form a policy is
//! written in, with the expected findings at their `.tf` line and column
//! (snapshots in each fixture folder's `expected.txt`; `KEYWARD_BLESS=1`
//! rewrites them).
#![cfg(feature = "terraform-hcl")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::snapshot::assert_file;
use common::tf_files::DiskFiles;
use keyward_lint::extract::hcl::{extract_module, find_policy};
use keyward_lint::{lint_extraction, LintOptions};

const BASE: &str = "fixtures/lint/terraform-hcl";

/// Every finding of the module in `dir`, one line each, by file and place.
fn findings(dir: &str) -> String {
    let fs = DiskFiles::workspace();
    let files = extract_module(dir, &fs).unwrap();
    let mut out = String::new();
    for file in files {
        let source = file.source.clone();
        let linted = lint_extraction(&source, file.extraction, &LintOptions::default());
        for d in linted.diagnostics {
            let at = source.start_of(d.span());
            out.push_str(&format!(
                "{}:{}:{}: {} {}: {}{}\n",
                source.name(),
                at.line,
                at.column,
                d.severity,
                d.code,
                d.message,
                d.pointer.map(|p| format!(" [{p}]")).unwrap_or_default(),
            ));
        }
    }
    out
}

fn snapshot(case: &str) -> String {
    let dir = format!("{BASE}/{case}");
    let actual = findings(&dir);
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(&dir)
        .join("expected.txt");
    assert_file(&path, &actual);
    actual
}

fn has(out: &str, place: &str, code: &str) -> bool {
    out.lines()
        .any(|l| l.starts_with(&format!("{BASE}/{place}")) && l.contains(&format!(" {code}:")))
}

#[test]
fn every_resource_form_is_linted_at_its_tf_line() {
    let out = snapshot("forms");
    // jsonencode: the `Principal = "*"` line, not the jsonencode call.
    assert!(has(&out, "forms/main.tf:19:21:", "KW201"), "{out}");
    // heredoc: the misspelled action, inside the heredoc.
    assert!(has(&out, "forms/main.tf:40:17:", "KW302"), "{out}");
    // file(): findings point into the JSON file.
    assert!(has(&out, "forms/key-policy.json:14:20:", "KW201"), "{out}");
    // locals: the element written in locals.tf is reported where the policy
    // uses it (`Statement = local.statements`).
    assert!(has(&out, "forms/main.tf:58:17:", "KW302"), "{out}");
    // An indented heredoc maps through its indentation.
    assert!(has(&out, "forms/main.tf:68:96:", "KW111"), "{out}");
    // templatefile(): in the template, where it interpolates the variable.
    assert!(has(&out, "forms/policy.json.tftpl:4:55:", "KW302"), "{out}");
    // `count = 0`: the resource does not exist, nothing about `kms:Nothing`.
    assert!(!out.contains("Nothing"), "{out}");
}

#[test]
fn policy_documents_merge_and_point_at_their_blocks() {
    let out = snapshot("documents");
    // `identifiers = ["*"]` without a condition.
    assert!(has(&out, "documents/main.tf:22:21:", "KW201"), "{out}");
    // The `*`/`*` principal with an org condition is fine.
    assert!(!has(&out, "documents/main.tf:32:", "KW201"), "{out}");
    // The override replaced the misspelled `Replaced` statement.
    assert!(!out.contains("Decript"), "{out}");
    // A dynamic block over a known list: the `*` reader is reported on the
    // `identifiers` line of the content block.
    assert!(has(&out, "documents/main.tf:92:23:", "KW201"), "{out}");
    // The grant's `PutKeyPolicy` is no grant operation.
    assert!(has(&out, "documents/main.tf:119:46:", "KW109"), "{out}");
    // A wildcard grantee, and a constraint over the 8-pair limit.
    assert!(
        has(
            &out,
            "documents/main.tf:130:23:",
            "terraform::invalid-grantee"
        ),
        "{out}"
    );
    assert!(
        has(
            &out,
            "documents/main.tf:133:33:",
            "terraform::grant-constraint-too-large"
        ),
        "{out}"
    );
}

#[test]
fn values_known_only_from_a_plan_are_neither_alarms_nor_passes() {
    let out = snapshot("needs-plan");
    // The literal "*" next to an unknown ARN is still reported.
    assert!(has(&out, "needs-plan/main.tf:32:21:", "KW201"), "{out}");
    // Nothing about `var.admin_arn` (line 25) or the account of
    // `data.aws_caller_identity` (line 39) but the notes.
    for line in out
        .lines()
        .filter(|l| l.contains("main.tf:25:") || l.contains("main.tf:39:"))
    {
        assert!(line.contains("terraform::needs-plan"), "{line}");
    }
    // The whole policy unknown: a note, not silence.
    assert!(
        out.contains("`aws_kms_key.whole_policy_unknown` (`var.policy`) is known only from a plan"),
        "{out}"
    );
    // Heredoc with holes: the open statement is still reported, the
    // conditioned one is not.
    assert!(has(&out, "needs-plan/main.tf:59:53:", "KW201"), "{out}");
    assert!(!has(&out, "needs-plan/main.tf:57:", "KW201"), "{out}");
    // A dynamic block of unknown size: its statements are uncertain, so no
    // lockout claim and no wildcard claim, only the note.
    assert!(
        !out.lines()
            .any(|l| l.contains("dynamic_unknown") && !l.contains("needs-plan")),
        "{out}"
    );
}

#[test]
fn a_principal_or_condition_unknown_as_a_whole_leaves_the_rest_linted() {
    let out = snapshot("needs-plan");
    // `Principal = var.principal` and `Condition = var.conditions` keep the
    // policy readable: the next statement's `*` is still reported ...
    assert!(has(&out, "needs-plan/main.tf:103:61:", "KW201"), "{out}");
    // ... and nothing is claimed about the two statements themselves, nor
    // about others in relation to them.
    assert!(
        !out.contains("WholePrincipal") && !out.contains("WholeCondition"),
        "{out}"
    );
}

#[test]
fn local_modules_are_followed_with_their_inputs() {
    let out = snapshot("modules/root");
    // The "*" reader comes from `module.open`: reported in the module, on
    // the line that uses the input.
    assert!(has(&out, "modules/kms/main.tf:22:21:", "KW201"), "{out}");
    assert!(out.contains("/module.open.aws_kms_key.this/"), "{out}");
    assert!(
        !out.contains("/module.safe.aws_kms_key.this/Statement/1/Principal"),
        "{out}"
    );
    // `file("${path.module}/…")` in the called module reads the module's file.
    assert!(has(&out, "modules/kms/reader.json:4:51:", "KW302"), "{out}");
}

#[test]
fn key_settings_are_read_from_tf_files() {
    let out = snapshot("keys");
    let finding = |place: &str, code: &str| {
        out.lines()
            .filter(|l| {
                l.starts_with(&format!("{BASE}/keys/{place}")) && l.contains(&format!(" {code}:"))
            })
            .count()
    };
    // Rotation off: at the `false`; absent: at the resource's header.
    assert_eq!(finding("main.tf:11:25:", "KW211"), 1, "{out}");
    assert_eq!(finding("main.tf:15:1:", "KW211"), 1, "{out}");
    // Off through a variable's default in another file: at `var.…`.
    assert_eq!(finding("main.tf:25:25:", "KW211"), 1, "{out}");
    // Unknown rotation: a note, no finding.
    assert_eq!(finding("main.tf:20:", "KW211"), 0, "{out}");
    assert_eq!(
        finding("main.tf:20:25:", "terraform::needs-plan"),
        1,
        "{out}"
    );
    // Asymmetric and HMAC keys cannot rotate.
    assert!(!out.contains("`aws_kms_key.signing`"), "{out}");
    assert!(!out.contains("`aws_kms_key.hmac`"), "{out}");
    // Windows: 7 days, refused 3 days; not 30, not unknown.
    assert_eq!(finding("main.tf:44:29:", "KW212"), 1, "{out}");
    assert_eq!(finding("main.tf:56:29:", "KW212"), 1, "{out}");
    assert!(out.contains("of 3 days, which KMS refuses"), "{out}");
    assert!(!out.contains("`aws_kms_key.window_30`"), "{out}");
    assert_eq!(
        finding("main.tf:62:29:", "terraform::needs-plan"),
        1,
        "{out}"
    );
    // Policies: none is reported; inline, attached and unknown are not
    // (the other KW213 are the replica's and the module's, below).
    assert_eq!(finding("main.tf:66:1:", "KW213"), 1, "{out}");
    assert_eq!(out.matches(" KW213: ").count(), 4, "{out}");
    // Keys with `count = 0` or an empty `for_each` do not exist.
    assert!(!out.contains("aws_kms_key.none"), "{out}");
    // The replica: its window and policy, not rotation.
    assert_eq!(finding("main.tf:96:29:", "KW212"), 1, "{out}");
    assert_eq!(finding("main.tf:94:1:", "KW213"), 1, "{out}");
    assert!(!out.contains("KW211: key `aws_kms_replica_key"), "{out}");
    // The module instance that turns rotation off, at its `var.rotate`.
    assert!(
        out.contains(&format!(
            "{BASE}/keys/key/main.tf:8:25: warning KW211: key `module.not_rotating.aws_kms_key.this` turns automatic rotation off [/module.not_rotating.aws_kms_key.this/enable_key_rotation]"
        )),
        "{out}"
    );
    assert!(!out.contains("KW211: key `module.rotating."), "{out}");
    assert_eq!(finding("key/main.tf:7:1:", "KW213"), 2, "{out}");
    // Its caller attaches a policy to it through the module's output.
    assert!(!out.contains("`module.policy_from_caller."), "{out}");
}

#[test]
fn module_cycles_and_recursive_locals_are_refused_with_a_diagnostic() {
    let out = snapshot("cycle/a");
    assert!(out.contains("terraform::module-cycle"), "{out}");
    assert!(out.contains("terraform::cycle"), "{out}");
}

#[test]
fn syntax_errors_are_reported_and_the_file_is_still_accounted_for() {
    let out = snapshot("broken");
    assert!(out.contains("hcl::syntax"), "{out}");
}

#[test]
fn a_policy_is_found_by_its_address() {
    let fs = DiskFiles::workspace();
    let (source, doc) =
        find_policy(&format!("{BASE}/documents"), &fs, "aws_kms_key.documented").unwrap();
    assert_eq!(source.name(), format!("{BASE}/documents/main.tf"));
    assert_eq!(doc.label.as_deref(), Some("aws_kms_key.documented"));
    let err = find_policy(&format!("{BASE}/documents"), &fs, "aws_kms_key.nope").unwrap_err();
    assert!(err.contains("aws_kms_key.documented"), "{err}");
}

#[test]
fn source_and_override_documents_merge_by_sid() {
    let fs = DiskFiles::workspace();
    let (_, doc) = find_policy(&format!("{BASE}/documents"), &fs, "aws_iam_policy.merged").unwrap();
    let statements = doc.value.get("Statement").unwrap().as_array().unwrap();
    let summary: Vec<(Option<&str>, &str, &str)> = statements
        .iter()
        .map(|s| {
            let first = |key: &str| {
                let v = s.get(key).unwrap();
                v.as_array()
                    .map_or_else(|| v.as_str().unwrap(), |a| a[0].as_str().unwrap())
            };
            (
                s.get("Sid").and_then(|v| v.as_str()),
                first("Action"),
                first("Resource"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            // From the source document.
            (Some("Shared"), "kms:Decrypt", "*"),
            // The source's `Replaced`, replaced in place by the override's.
            (Some("Replaced"), "kms:Encrypt", "*"),
            // The document's own statement, `&{…}` written as `${…}`.
            (
                None,
                "kms:ListAliases",
                "arn:aws:kms:us-east-1:111122223333:key/${aws:username}"
            ),
        ]
    );
    // The default effect.
    assert_eq!(statements[2].get("Effect").unwrap().as_str(), Some("Allow"));
}
