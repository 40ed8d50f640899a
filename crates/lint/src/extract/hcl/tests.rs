//! Adversarial configurations: each is refused with a diagnostic (or read
//! with unknown values), never a panic, a stack overflow or a hang.

use super::*;

fn run(files: &[(&str, &str)]) -> Vec<FileExtraction> {
    let mut fs = MemoryFiles::new();
    for (path, text) in files {
        fs.add(path, *text);
    }
    extract_module(".", &fs).unwrap()
}

fn codes(found: &[FileExtraction]) -> Vec<&'static str> {
    found
        .iter()
        .flat_map(|f| f.extraction.diagnostics.iter().map(|d| d.code))
        .collect()
}

#[test]
fn deep_nesting_is_a_syntax_error() {
    let deep = format!("locals {{ x = {}1{} }}", "[".repeat(5000), "]".repeat(5000));
    let found = run(&[("main.tf", &deep)]);
    assert_eq!(codes(&found), ["hcl::syntax"]);
    let deep = format!("locals {{ x = {}1 }}", "-".repeat(100_000));
    assert!(codes(&run(&[("main.tf", &deep)])).contains(&"hcl::syntax"));
}

#[test]
fn a_huge_heredoc_is_read_once() {
    let statements: Vec<String> = (0..5_000)
        .map(|i| {
            format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}"#)
        })
        .collect();
    let text = format!(
        "resource \"aws_iam_policy\" \"big\" {{\n  policy = <<EOT\n{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}\nEOT\n}}\n",
        statements.join(",\n")
    );
    let found = run(&[("main.tf", &text)]);
    assert_eq!(found[0].extraction.documents.len(), 1);
}

#[test]
fn recursive_locals_are_a_cycle() {
    let text = r#"
locals {
  a = local.b
  b = [local.a]
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = local.a, Resource = "*" }] })
}
"#;
    assert!(codes(&run(&[("main.tf", text)])).contains(&"terraform::cycle"));
}

#[test]
fn long_reference_chains_stop_with_a_diagnostic() {
    let mut text = String::from("locals {\n  l0 = \"kms:Decrypt\"\n");
    for i in 1..500 {
        text.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    text.push_str("}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = local.l499, Resource = \"*\" }] })\n}\n");
    assert!(codes(&run(&[("main.tf", &text)])).contains(&"terraform::too-deep"));
}

#[test]
fn values_that_double_at_each_step_hit_the_budget() {
    let mut text = String::from("locals {\n  a0 = [\"kms:Decrypt\"]\n");
    for i in 1..12 {
        let previous = format!("local.a{}", i - 1);
        let parts = vec![previous.as_str(); 16].join(", ");
        text.push_str(&format!("  a{i} = concat({parts})\n"));
    }
    text.push_str("}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = local.a11, Resource = \"*\" }] })\n}\n");
    assert!(codes(&run(&[("main.tf", &text)])).contains(&"terraform::too-complex"));
}

#[test]
fn module_cycles_and_self_calls_are_refused() {
    let found = run(&[("main.tf", "module \"me\" {\n  source = \"./\"\n}\n")]);
    assert_eq!(codes(&found), ["terraform::module-cycle"]);
    let found = run(&[
        ("main.tf", "module \"a\" {\n  source = \"./a\"\n}\n"),
        ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
        ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
    ]);
    assert_eq!(codes(&found), ["terraform::module-cycle"]);
}

#[test]
fn a_missing_module_folder_is_a_diagnostic() {
    let found = run(&[("main.tf", "module \"gone\" {\n  source = \"./gone\"\n}\n")]);
    assert_eq!(codes(&found), ["terraform::module-unreadable"]);
}

#[test]
fn every_instance_of_a_wide_module_tree_is_bounded() {
    // Each module calls the next one 16 times: 16^5 instances if followed.
    let mut files = Vec::new();
    for level in 0..5 {
        let mut text = String::new();
        for i in 0..16 {
            text.push_str(&format!(
                "module \"m{i}\" {{\n  source = \"./l{}\"\n}}\n",
                level + 1
            ));
        }
        text.push_str("resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"kms:Decrypt\", Resource = \"*\" }] })\n}\n");
        let dir = (1..=level)
            .map(|l| format!("l{l}"))
            .collect::<Vec<_>>()
            .join("/");
        let path = if dir.is_empty() {
            "main.tf".to_string()
        } else {
            format!("{dir}/main.tf")
        };
        files.push((path, text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let found = run(&refs);
    assert!(codes(&found).contains(&"terraform::too-many-modules"));
}

#[test]
fn heredoc_policies_map_every_byte_back() {
    let text = "resource \"aws_kms_key\" \"k\" {\n  policy = <<EOT\n{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}\nEOT\n}\n";
    let found = run(&[("main.tf", text)]);
    let doc = &found[0].extraction.documents[0];
    let DocumentText::Decoded(decoded, map) = &doc.text else {
        panic!("decoded text expected");
    };
    let at = decoded.find("\"*\"").unwrap();
    let span = map.map(keyward_policy::Span::new(at, at + 3));
    assert_eq!(&text[span.range()], "\"*\"");
}

/// The `Action` of a policy whose actions are `expr`, with `locals` and a
/// variable `on` (default false) around it; `None` when unknown.
fn actions(locals: &str, expr: &str) -> Option<Vec<String>> {
    let text = format!(
        "variable \"on\" {{\n  default = false\n}}\nlocals {{\n{locals}\n}}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Action = {expr}, Resource = \"*\" }}] }})\n}}\n"
    );
    let found = run(&[("main.tf", &text)]);
    let doc = found[0].extraction.documents.first()?;
    if !doc.opaque.is_empty() {
        return None;
    }
    let statement = &doc.value.get("Statement")?.as_array()?[0];
    let action = statement.get("Action")?;
    Some(match action.as_array() {
        Some(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        None => vec![action.as_str()?.to_string()],
    })
}

#[test]
fn expressions_and_functions_evaluate_like_terraform() {
    let cases: &[(&str, &str, Option<&[&str]>)] = &[
        (
            "",
            r#"[for a in ["Decrypt", "Encrypt"] : "kms:${a}"]"#,
            Some(&["kms:Decrypt", "kms:Encrypt"]),
        ),
        (
            "",
            r#"[for a in ["Decrypt", "Sign"] : "kms:${a}" if a != "Sign"]"#,
            Some(&["kms:Decrypt"]),
        ),
        (
            "",
            r#"var.on ? ["kms:Decrypt"] : ["kms:Encrypt"]"#,
            Some(&["kms:Encrypt"]),
        ),
        (
            r#"a = ["kms:Decrypt"]"#,
            r#"concat(local.a, ["kms:Sign"])"#,
            Some(&["kms:Decrypt", "kms:Sign"]),
        ),
        ("", r#"format("kms:%s", "Verify")"#, Some(&["kms:Verify"])),
        (
            "",
            r#"lookup({ a = "kms:Sign" }, "a", "kms:Verify")"#,
            Some(&["kms:Sign"]),
        ),
        (
            r#"obj = { x = 1 }"#,
            r#"try(local.obj.missing, "kms:Decrypt")"#,
            Some(&["kms:Decrypt"]),
        ),
        (
            r#"obj = { x = null }"#,
            r#"local.obj.x == null ? "kms:Sign" : "kms:Verify""#,
            Some(&["kms:Sign"]),
        ),
        (
            "",
            r#"jsondecode("[\"kms:Decrypt\"]")"#,
            Some(&["kms:Decrypt"]),
        ),
        (
            "",
            r#"split(",", "kms:Decrypt,kms:Encrypt")"#,
            Some(&["kms:Decrypt", "kms:Encrypt"]),
        ),
        ("", r#"coalesce(null, "", "kms:Sign")"#, Some(&["kms:Sign"])),
        (
            "",
            r#"length(["a", "b"]) > 1 ? "kms:Sign" : "kms:Verify""#,
            Some(&["kms:Sign"]),
        ),
        (
            r#"m = merge({ a = "kms:Sign" }, { a = "kms:Verify" })"#,
            "local.m.a",
            Some(&["kms:Verify"]),
        ),
        (
            "",
            r#"flatten([["kms:Sign"], ["kms:Verify"]])"#,
            Some(&["kms:Sign", "kms:Verify"]),
        ),
        (
            r#"list = [{ a = "kms:Sign" }, { a = "kms:Verify" }]"#,
            "local.list[*].a",
            Some(&["kms:Sign", "kms:Verify"]),
        ),
        // Quotes, backslashes and control characters survive the JSON round trip.
        (
            "",
            r#""kms:\"De\\crypt\n\t""#,
            Some(&["kms:\"De\\crypt\n\t"]),
        ),
        // Only a plan knows these.
        ("", "timestamp()", None),
        ("", "aws_kms_key.k.arn", None),
        ("", r#"regex("kms:.*", "kms:Sign")"#, None),
    ];
    for (locals, expr, expected) in cases {
        let got = actions(locals, expr);
        let expected = expected.map(|e| e.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(got, expected, "{expr}");
    }
}

#[test]
fn files_over_a_mebibyte_are_not_read_into_policies() {
    let big = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[],\"x\":\"{}\"}}",
        "a".repeat(2 << 20)
    );
    let found = run(&[
        (
            "main.tf",
            "resource \"aws_iam_policy\" \"p\" {\n  policy = file(\"big.json\")\n}\n",
        ),
        ("big.json", &big),
    ]);
    let codes = codes(&found);
    assert!(codes.contains(&"terraform::file-too-large"), "{codes:?}");
    assert!(codes.contains(&"terraform::needs-plan"), "{codes:?}");
}
