//! Malformed exports, one per file kind: each is a problem at the right
//! file, line and column, naming the account and the principal or key it
//! belongs to, and the answers that depend on what it lost are incomplete.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture, words};
use keyward_eval::KmsAction;
use keyward_snapshot::{load, Ask, LoadOptions, MemoryFiles};

const PROD_KEY: &str =
    "accounts/111122223333/kms/us-east-1/keys/1234abcd-12ab-34cd-56ef-1234567890ab";
const LEGACY_KEY: &str =
    "accounts/111122223333/kms/us-east-1/keys/2222bbbb-22bb-44cc-86dd-222222222222";

/// One corruption: in `file`, replace `from` with `to`; the problem must be
/// an error with `code` at the first byte of `at` (in the new text), its
/// message starting with `prefix`; `affected` must then be incomplete.
struct Case {
    file: String,
    from: &'static str,
    to: &'static str,
    at: &'static str,
    code: &'static str,
    prefix: &'static str,
    affected: (&'static str, KmsAction, &'static str),
}

fn case(
    file: &str,
    from: &'static str,
    to: &'static str,
    at: &'static str,
    code: &'static str,
    prefix: &'static str,
    affected: (&'static str, KmsAction, &'static str),
) -> Case {
    Case {
        file: file.to_string(),
        from,
        to,
        at,
        code,
        prefix,
        affected,
    }
}

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u32, col as u32)
}

fn check(c: &Case) {
    let mut files: MemoryFiles = fixture("example-org");
    let text = String::from_utf8(files.get(&c.file).unwrap().to_vec()).unwrap();
    assert!(text.contains(c.from), "{}: no `{}`", c.file, c.from);
    let broken = text.replacen(c.from, c.to, 1);
    let at = broken
        .find(c.at)
        .unwrap_or_else(|| panic!("no `{}` in {}", c.at, c.file));
    files.insert(&c.file, broken.clone());
    let s = load(&files, &LoadOptions::default());
    let p = s
        .problems()
        .iter()
        .find(|p| p.diagnostic.code == c.code)
        .unwrap_or_else(|| {
            panic!(
                "{}: no {} among {:#?}",
                c.file,
                c.code,
                s.problems()
                    .iter()
                    .map(|p| (p.diagnostic.code, &p.diagnostic.message))
                    .collect::<Vec<_>>()
            )
        });
    assert!(p.diagnostic.is_error(), "{}", p.diagnostic.message);
    let place = p.place();
    assert_eq!(place.file, c.file);
    assert_eq!(
        (place.line, place.column),
        line_col(&broken, at),
        "{}: {}",
        c.file,
        p.diagnostic.message
    );
    assert!(
        p.diagnostic.message.starts_with(c.prefix),
        "{:?} does not start with {:?}",
        p.diagnostic.message,
        c.prefix
    );
    let (principal, action, key) = c.affected;
    let q = s.ask(&Ask::new(principal, action, key)).unwrap();
    assert_eq!(
        words(&q.answer()).0,
        "incomplete",
        "{principal} {action} {key} after breaking {}",
        c.file
    );
}

#[test]
fn authorization_details_of_the_wrong_shape() {
    check(&case(
        "accounts/111122223333/iam/authorization-details.2.json",
        "\"UserDetailList\": [],",
        "\"UserDetailList\": {},",
        "{},",
        "snapshot::shape",
        "account 111122223333: `UserDetailList` must be an array",
        ("ci-deployer", KmsAction::Encrypt, "alias/prod-data"),
    ));
}

#[test]
fn a_policy_in_authorization_details_that_does_not_parse() {
    check(&case(
        "accounts/111122223333/iam/authorization-details.1.json",
        "\"Sid\": \"ScheduleDeletionForCleanup\",\n                                \"Effect\": \"Allow\"",
        "\"Sid\": \"ScheduleDeletionForCleanup\",\n                                \"Effect\": \"Permit\"",
        "\"Permit\"",
        "policy::invalid-effect",
        "role `ci-deployer` in account 111122223333: ",
        ("ci-deployer", KmsAction::Encrypt, "alias/prod-data"),
    ));
}

#[test]
fn a_url_encoded_policy_maps_its_mistake_to_the_byte() {
    // The raw API's form: URL-encoded text in a JSON string.
    let mut c = case(
        "accounts/444455556666/iam/authorization-details.json",
        "",
        "",
        "%22Deny",
        "policy::invalid-effect",
        "user `carol` in account 444455556666: ",
        ("carol", KmsAction::Decrypt, "alias/scratch"),
    );
    let text = String::from_utf8(fixture("example-org").get(&c.file).unwrap().to_vec()).unwrap();
    let object = "{\n                        \"Version\": \"2012-10-17\",\n                        \"Statement\": [\n                            {\n                                \"Effect\": \"Allow\",\n                                \"Action\": \"kms:*\",\n                                \"Resource\": \"*\"\n                            }\n                        ]\n                    }";
    assert!(text.contains(object));
    let encoded = "\"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Deny%20it%22%2C%22Action%22%3A%22kms%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D\"";
    c.from = Box::leak(object.to_string().into_boxed_str());
    c.to = encoded;
    // The mistake is the value `Deny it`, whose first byte is `%22`.
    c.at = "%22Deny";
    check(&c);
}

#[test]
fn describe_key_with_an_unknown_state() {
    check(&case(
        &format!("{LEGACY_KEY}/describe-key.json"),
        "\"KeyState\": \"Disabled\"",
        "\"KeyState\": \"Disabld\"",
        "\"Disabld\"",
        "snapshot::key-state",
        "key `2222bbbb-22bb-44cc-86dd-222222222222` (us-east-1) in account 111122223333: `Disabld` is not a key state",
        ("ci-deployer", KmsAction::Decrypt, "alias/legacy"),
    ));
}

#[test]
fn a_key_policy_string_that_does_not_parse() {
    // Inside the JSON string: `\"Effect\" : \"Allow\"` → `\"Effect\" : \"Alow\"`.
    check(&case(
        &format!("{PROD_KEY}/key-policy.json"),
        "\\\"Effect\\\" : \\\"Allow\\\"",
        "\\\"Effect\\\" : \\\"Alow\\\"",
        "\\\"Alow",
        "policy::invalid-effect",
        "key `1234abcd-12ab-34cd-56ef-1234567890ab` (us-east-1) in account 111122223333: ",
        ("ci-deployer", KmsAction::Encrypt, "alias/prod-data"),
    ));
}

#[test]
fn a_grant_with_an_operation_that_does_not_exist() {
    check(&case(
        &format!("{PROD_KEY}/grants.json"),
        "\"Operations\": [\n                \"Decrypt\",\n                \"DescribeKey\"",
        "\"Operations\": [\n                \"ReEncrypt\",\n                \"DescribeKey\"",
        "[\n                \"ReEncrypt\"",
        "eval::grant-operation",
        "key `1234abcd-12ab-34cd-56ef-1234567890ab` (us-east-1) in account 111122223333: ",
        ("app-reader", KmsAction::Decrypt, "alias/prod-data"),
    ));
}

#[test]
fn a_grant_for_another_key() {
    check(&case(
        &format!("{PROD_KEY}/grants.json"),
        "\"KeyId\": \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"",
        "\"KeyId\": \"arn:aws:kms:us-east-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab\"",
        "\"arn:aws:kms:us-east-1:111122223333:key/9999",
        "snapshot::grant-key",
        "key `1234abcd-12ab-34cd-56ef-1234567890ab` (us-east-1) in account 111122223333: the grant is for key",
        ("app-reader", KmsAction::Decrypt, "alias/prod-data"),
    ));
}

#[test]
fn aliases_with_a_name_that_is_not_an_alias() {
    check(&case(
        "accounts/111122223333/kms/us-east-1/aliases.json",
        "\"AliasName\": \"alias/legacy\"",
        "\"AliasName\": \"legacy\"",
        "\"legacy\"",
        "snapshot::alias",
        "Region us-east-1 in account 111122223333: `legacy` is not an alias name",
        ("ci-deployer", KmsAction::Decrypt, "alias/legacy"),
    ));
}

#[test]
fn an_alias_naming_a_key_that_is_not_in_the_snapshot() {
    check(&case(
        "accounts/111122223333/kms/us-east-1/aliases.json",
        "\"TargetKeyId\": \"2222bbbb-22bb-44cc-86dd-222222222222\"",
        "\"TargetKeyId\": \"7777bbbb-22bb-44cc-86dd-222222222222\"",
        "{\n            \"AliasName\": \"alias/legacy\"",
        "snapshot::alias-target",
        "alias `alias/legacy` in us-east-1 in account 111122223333: the alias names key `7777bbbb",
        ("ci-deployer", KmsAction::Decrypt, "alias/legacy"),
    ));
}

#[test]
fn tags_of_the_wrong_shape() {
    // Tags matter only to policies that test them: the key policy now does.
    let mut files = fixture("example-org");
    let kp = format!("{PROD_KEY}/key-policy.json");
    let text = String::from_utf8(files.get(&kp).unwrap().to_vec()).unwrap();
    let with_tag = text.replacen(
        "\\\"kms:CallerAccount\\\" :",
        "\\\"aws:ResourceTag/env\\\" : \\\"prod\\\",\\n          \\\"kms:CallerAccount\\\" :",
        1,
    );
    assert_ne!(with_tag, text);
    files.insert(&kp, with_tag);
    let tags = format!("{PROD_KEY}/tags.json");
    let text = String::from_utf8(files.get(&tags).unwrap().to_vec()).unwrap();
    files.insert(
        &tags,
        text.replacen("\"Tags\": [", "\"Tags\": {\"x\": [", 1)
            .replacen("\n    ],", "\n    ]},", 1),
    );
    let s = load(&files, &LoadOptions::default());
    let p = s
        .problems()
        .iter()
        .find(|p| p.diagnostic.code == "snapshot::shape")
        .unwrap();
    assert_eq!(p.place().file, tags);
    assert_eq!((p.place().line, p.place().column), (2, 13));
    let q = s
        .ask(&Ask::new(
            "app-reader",
            KmsAction::Decrypt,
            "alias/prod-data",
        ))
        .unwrap();
    assert_eq!(words(&q.answer()).0, "incomplete");
    // A request no policy tests tags for stays complete.
    let q = s
        .ask(&Ask::new("ci-deployer", KmsAction::Encrypt, "alias/legacy"))
        .unwrap();
    assert_eq!(words(&q.answer()).0, "allow");
}

#[test]
fn describe_organization_without_the_management_account() {
    check(&case(
        "organization/describe-organization.json",
        "\"MasterAccountId\": \"999900001111\",",
        "",
        "{\n        \"Id\"",
        "snapshot::missing-field",
        "the organization: `Organization` has no `MasterAccountId`",
        ("ci-deployer", KmsAction::Encrypt, "alias/prod-data"),
    ));
}

#[test]
fn an_scp_whose_content_does_not_parse() {
    // `approved-regions` is attached to the prod OU.
    check(&case(
        "organization/policies/p-rg7t2m0q.json",
        "\\\"Effect\\\": \\\"Deny\\\"",
        "\\\"Effect\\\": \\\"Refuse\\\"",
        "\\\"Refuse",
        "policy::invalid-effect",
        "organization policy `p-rg7t2m0q`: ",
        ("ci-deployer", KmsAction::Encrypt, "alias/prod-data"),
    ));
}

#[test]
fn a_tree_with_a_child_that_is_neither_ou_nor_account() {
    check(&case(
        "organization/tree.json",
        "\"account\": \"444455556666\",",
        "\"account\": \"444455556666\", \"ou\": \"ou-x\",",
        "{\n                        \"account\": \"444455556666\"",
        "snapshot::tree",
        "the organization's tree: a child of the tree is either",
        ("carol", KmsAction::Decrypt, "alias/scratch"),
    ));
}

#[test]
fn a_tree_naming_a_policy_the_snapshot_lacks() {
    check(&case(
        "organization/tree.json",
        "\"p-dv3n8g5w\"",
        "\"p-gone0000\"",
        "\"p-gone0000\"",
        "snapshot::missing-policy",
        "OU ou-a1b2-dev00000 of the organization: policy `p-gone0000` is attached here",
        ("carol", KmsAction::Decrypt, "alias/scratch"),
    ));
}

#[test]
fn truncated_list_grants_output() {
    check(&case(
        &format!("{PROD_KEY}/grants.json"),
        "\"Truncated\": false",
        "\"Truncated\": true",
        "\"Truncated\"",
        "snapshot::truncated",
        "key `1234abcd-12ab-34cd-56ef-1234567890ab` (us-east-1) in account 111122223333: the list-grants output is truncated",
        ("app-reader", KmsAction::Decrypt, "alias/prod-data"),
    ));
}

#[test]
fn a_file_that_is_not_utf8_is_located_at_its_first_bad_byte() {
    let mut files = fixture("example-org");
    let path = format!("{PROD_KEY}/describe-key.json");
    let mut bytes = files.get(&path).unwrap().to_vec();
    let at = bytes.windows(10).position(|w| w == b"production").unwrap();
    bytes[at] = 0xff;
    files.insert(&path, bytes);
    let s = load(&files, &LoadOptions::default());
    let p = s
        .problems()
        .iter()
        .find(|p| p.diagnostic.code == "json::invalid-utf8")
        .unwrap();
    assert_eq!(p.place().file, path);
    let text = String::from_utf8_lossy(fixture("example-org").get(&path).unwrap()).into_owned();
    assert_eq!(
        p.place().line as usize,
        text[..at].matches('\n').count() + 1
    );
    assert_eq!(p.account.as_deref(), Some("111122223333"));
    let q = s
        .ask(&Ask::new(
            "ci-deployer",
            KmsAction::Encrypt,
            "alias/prod-data",
        ))
        .unwrap();
    assert_eq!(words(&q.answer()).0, "incomplete");
}

#[test]
fn a_missing_page_of_authorization_details() {
    let mut files = fixture("example-org");
    let one = files
        .get("accounts/111122223333/iam/authorization-details.1.json")
        .unwrap()
        .to_vec();
    files.remove("accounts/111122223333/iam/authorization-details.1.json");
    files.insert(
        "accounts/111122223333/iam/authorization-details.3.json",
        one,
    );
    let s = load(&files, &LoadOptions::default());
    let p = s
        .problems()
        .iter()
        .find(|p| p.diagnostic.code == "snapshot::pages")
        .unwrap();
    assert!(
        p.diagnostic.message.contains("numbered [2, 3]"),
        "{}",
        p.diagnostic.message
    );
    let q = s
        .ask(&Ask::new(
            "key-admin",
            KmsAction::ScheduleKeyDeletion,
            "1234abcd-12ab-34cd-56ef-1234567890ab",
        ))
        .unwrap();
    assert_eq!(words(&q.answer()).0, "incomplete");
}

#[test]
fn a_file_with_no_place_in_the_layout_is_reported_not_skipped() {
    let mut files = fixture("example-org");
    files.insert(&format!("{PROD_KEY}/notes.txt"), "hello");
    let s = load(&files, &LoadOptions::default());
    let p = s
        .problems()
        .iter()
        .find(|p| p.diagnostic.code == "snapshot::unexpected-file")
        .unwrap();
    assert_eq!(p.place().file, format!("{PROD_KEY}/notes.txt"));
    assert!(!p.diagnostic.is_error());
}

#[test]
fn describe_key_with_an_unknown_key_manager() {
    check(&case(
        &format!("{LEGACY_KEY}/describe-key.json"),
        "\"KeyManager\": \"CUSTOMER\"",
        "\"KeyManager\": \"CUSTOMR\"",
        "\"CUSTOMR\"",
        "snapshot::key-manager",
        "key `2222bbbb-22bb-44cc-86dd-222222222222` (us-east-1) in account 111122223333: `CUSTOMR` is not a key manager",
        ("ci-deployer", KmsAction::Decrypt, "2222bbbb-22bb-44cc-86dd-222222222222"),
    ));
}

/// KMS keeps `alias/aws/` for AWS managed keys, and an AWS managed key has
/// no other alias (KMS Developer Guide, "AWS managed keys"): an export
/// where a customer key has `alias/aws/s3`, or an AWS managed key a
/// customer alias, is reported at the alias, and the alias is not used.
#[test]
fn an_alias_that_does_not_fit_the_key_manager() {
    let aliases = "accounts/111122223333/kms/us-east-1/aliases.json";
    for (from, to, alias) in [
        // `alias/aws/s3` moved onto the customer managed prod key.
        (
            "\"TargetKeyId\": \"3333cccc-33cc-44dd-88ee-333333333333\"",
            "\"TargetKeyId\": \"1234abcd-12ab-34cd-56ef-1234567890ab\"",
            "alias/aws/s3",
        ),
        // `alias/legacy` moved onto the AWS managed key.
        (
            "\"TargetKeyId\": \"2222bbbb-22bb-44cc-86dd-222222222222\"",
            "\"TargetKeyId\": \"3333cccc-33cc-44dd-88ee-333333333333\"",
            "alias/legacy",
        ),
    ] {
        let mut files: MemoryFiles = fixture("example-org");
        let text = String::from_utf8(files.get(aliases).unwrap().to_vec()).unwrap();
        assert!(text.contains(from));
        files.insert(aliases, text.replacen(from, to, 1));
        let s = load(&files, &LoadOptions::default());
        let p = s
            .problems()
            .iter()
            .find(|p| p.diagnostic.code == "snapshot::alias-manager")
            .unwrap_or_else(|| panic!("{alias}: no snapshot::alias-manager"));
        assert!(p.diagnostic.is_error());
        assert!(
            p.diagnostic.message.contains(&format!("alias `{alias}`")),
            "{}",
            p.diagnostic.message
        );
        assert_eq!(p.place().file, aliases);
        let q = s.ask(&Ask::new("ci-deployer", KmsAction::Decrypt, alias));
        assert!(q.is_err(), "{alias} still names a key");
    }
}
