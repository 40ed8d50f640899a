//! The settings read from each form of key block (the fixture
//! `fixtures/lint/terraform-hcl/keys` shows the findings they lead to).

use super::super::{extract_module, MemoryFiles};
use crate::extract::{KeyResource, KeyResourceKind, Setting};

/// The keys of a one-file module.
fn keys(text: &str) -> Vec<KeyResource> {
    let mut fs = MemoryFiles::new();
    fs.add("main.tf", text);
    extract_module(".", &fs)
        .unwrap()
        .into_iter()
        .flat_map(|f| f.extraction.keys)
        .collect()
}

/// Whether each key of a module (`files[0]` is the root) has a policy.
fn policies(files: &[(&str, &str)]) -> Vec<(String, bool)> {
    let mut fs = MemoryFiles::new();
    for (path, text) in files {
        fs.add(path, *text);
    }
    extract_module(".", &fs)
        .unwrap()
        .into_iter()
        .flat_map(|f| f.extraction.keys)
        .map(|k| (k.label, k.policy.known().is_some()))
        .collect()
}

fn one(text: &str) -> KeyResource {
    let found = keys(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().unwrap()
}

fn is_unknown<T>(setting: &Setting<T>) -> bool {
    matches!(setting, Setting::Unknown(_))
}

#[test]
fn literal_settings_are_known_and_null_is_absent() {
    let key = one(r#"
resource "aws_kms_key" "k" {
  enable_key_rotation      = "true"
  deletion_window_in_days  = "10"
  customer_master_key_spec = "RSA_2048"
  policy                   = null
}
"#);
    assert_eq!(key.rotation.known(), Some(&true));
    assert_eq!(key.deletion_window_days.known(), Some(&10.0));
    assert_eq!(key.key_spec.known().map(String::as_str), Some("RSA_2048"));
    assert_eq!(key.policy, Setting::Absent);
    assert_eq!(key.origin, Setting::Absent);
    assert_eq!(key.supports_rotation(), Some(false));
    assert_eq!(key.pointer, "/aws_kms_key.k");
}

#[test]
fn values_only_a_plan_knows_are_unknown() {
    let found = keys(
        r#"
variable "rotate" {}
variable "settings" {
  type    = object({ days = optional(number, 30) })
  default = {}
}
resource "aws_kms_key" "k" {
  enable_key_rotation     = var.rotate
  deletion_window_in_days = var.settings.days
  custom_key_store_id     = aws_kms_custom_key_store.hsm.id
  policy                  = "{\"Id\": \"${data.aws_caller_identity.me.account_id}\"}"
}
resource "aws_kms_key" "policy_unknown" {
  policy = "${var.policy}"
}
"#,
    );
    let [key, policy_unknown] = found.as_slice() else {
        panic!("{found:#?}");
    };
    assert!(is_unknown(&key.rotation), "{:?}", key.rotation);
    // A missing `optional()` attribute may have a default: not judged.
    assert!(is_unknown(&key.deletion_window_days));
    assert!(is_unknown(&key.origin));
    assert_eq!(key.supports_rotation(), None);
    // A string with unknown parts is still a policy, unless it could be
    // empty (which is no policy).
    assert_eq!(key.policy.known(), Some(&()));
    assert!(is_unknown(&policy_unknown.policy));
}

#[test]
fn key_stores_and_resource_types_set_the_origin_and_kind() {
    let found = keys(
        r#"
resource "aws_kms_key" "hsm" { custom_key_store_id = "cks-1234567890abcdef0" }
resource "aws_kms_key" "xks" {
  custom_key_store_id = "cks-1234567890abcdef0"
  xks_key_id          = "external-key"
}
resource "aws_kms_external_key" "imported" {}
resource "aws_kms_replica_key" "replica" { primary_key_arn = aws_kms_key.hsm.arn }
resource "aws_kms_replica_external_key" "replica_imported" {}
resource "aws_kms_alias" "alias" { target_key_id = aws_kms_key.hsm.id }
"#,
    );
    let summary: Vec<(&str, KeyResourceKind, Option<&str>)> = found
        .iter()
        .map(|k| {
            (
                k.label.as_str(),
                k.kind,
                k.origin.known().map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "aws_kms_key.hsm",
                KeyResourceKind::Key,
                Some("AWS_CLOUDHSM")
            ),
            (
                "aws_kms_key.xks",
                KeyResourceKind::Key,
                Some("EXTERNAL_KEY_STORE")
            ),
            (
                "aws_kms_external_key.imported",
                KeyResourceKind::External,
                Some("EXTERNAL")
            ),
            (
                "aws_kms_replica_key.replica",
                KeyResourceKind::Replica,
                None
            ),
            (
                "aws_kms_replica_external_key.replica_imported",
                KeyResourceKind::Replica,
                None
            ),
        ]
    );
}

#[test]
fn an_attached_policy_is_found_by_reference_local_for_each_or_text() {
    let policy_of = |attachment: &str| {
        let text = format!(
            r#"
resource "aws_kms_key" "k" {{}}
resource "aws_kms_key" "other" {{ policy = "{{}}" }}
locals {{
  key    = aws_kms_key.k
  keys   = {{ a = aws_kms_key.k }}
  nested = local.key.arn
}}
resource "aws_kms_key_policy" "p" {{
{attachment}
  policy = "{{}}"
}}
"#
        );
        keys(&text)
            .into_iter()
            .find(|k| k.label == "aws_kms_key.k")
            .map(|k| k.policy.known().is_some())
    };
    for names_k in [
        "key_id = aws_kms_key.k.id",
        "key_id = aws_kms_key.k.arn",
        "key_id = \"${aws_kms_key.k.key_id}\"",
        "key_id = local.nested",
        "for_each = local.keys\n key_id = each.value.id",
        // Text could name any key.
        "key_id = \"1234abcd-12ab-34cd-56ef-1234567890ab\"",
    ] {
        assert_eq!(policy_of(names_k), Some(true), "{names_k}");
    }
    for names_another in [
        "key_id = aws_kms_key.other.id",
        "key_id = var.key_id",
        "key_id = module.kms.key_id",
        "count = 0\n key_id = aws_kms_key.k.id",
        "for_each = {}\n key_id = aws_kms_key.k.id",
    ] {
        assert_eq!(policy_of(names_another), Some(false), "{names_another}");
    }
}

#[test]
fn circular_locals_in_a_key_id_name_something_else() {
    let key = one(r#"
locals {
  a = local.b
  b = local.a
}
resource "aws_kms_key" "k" {}
resource "aws_kms_key_policy" "p" {
  key_id = local.a
  policy = "{}"
}
"#);
    assert_eq!(key.policy, Setting::Absent);
}

#[test]
fn keys_that_do_not_exist_are_not_read() {
    let found = keys(
        r#"
resource "aws_kms_key" "none" { count = 0 }
resource "aws_kms_key" "empty" { for_each = toset([]) }
resource "aws_kms_key" "two" {
  count               = 2
  enable_key_rotation = count.index == 0
}
resource "aws_kms_key" "unknown_count" {
  count               = var.n
  enable_key_rotation = count.index == 0
}
"#,
    );
    let labels: Vec<(&str, Option<&bool>)> = found
        .iter()
        .map(|k| (k.label.as_str(), k.rotation.known()))
        .collect();
    assert_eq!(
        labels,
        [
            ("aws_kms_key.two[0]", Some(&true)),
            ("aws_kms_key.two[1]", Some(&false)),
            ("aws_kms_key.unknown_count", None),
        ]
    );
}

#[test]
fn a_policy_attached_outside_the_keys_module_is_found() {
    let key_module = (
        "kms/main.tf",
        "resource \"aws_kms_key\" \"this\" {}\noutput \"arn\" { value = aws_kms_key.this.arn }\n",
    );
    let attach_module = (
        "attach/main.tf",
        "variable \"key\" {}\nresource \"aws_kms_key_policy\" \"p\" {\n  key_id = var.key\n  policy = \"{}\"\n}\n",
    );
    let found = |root: &str| policies(&[("main.tf", root), key_module, attach_module]);
    let owned = |has: bool| vec![("module.kms.aws_kms_key.this".to_string(), has)];
    // The caller attaches it through the module's output.
    let by_caller = r#"
module "kms" { source = "./kms" }
resource "aws_kms_key_policy" "p" {
  key_id = module.kms.arn
  policy = "{}"
}
"#;
    assert_eq!(found(by_caller), owned(true));
    // A module called beside it is given the key and attaches a policy.
    let by_sibling = r#"
module "kms" { source = "./kms" }
module "attach" {
  source = "./attach"
  key    = module.kms.arn
}
"#;
    assert_eq!(found(by_sibling), owned(true));
    // Attachments to other keys, or that do not exist, do not count.
    let elsewhere = r#"
module "kms" { source = "./kms" }
module "other" { source = "./kms" }
resource "aws_kms_key_policy" "p" {
  key_id = module.other.arn
  policy = "{}"
}
resource "aws_kms_key_policy" "none" {
  count  = 0
  key_id = module.kms.arn
  policy = "{}"
}
module "attach" {
  source = "./attach"
  key    = module.other.arn
}
"#;
    assert_eq!(
        found(elsewhere),
        [
            ("module.kms.aws_kms_key.this".to_string(), false),
            ("module.other.aws_kms_key.this".to_string(), true),
        ]
    );
}
