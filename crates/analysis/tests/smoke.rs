mod common;
use common::key_policy;
use keyward_analysis::checks::{no_new_access, CheckOptions, Verdict};
use keyward_analysis::world::Kind;

#[test]
fn smoke() {
    let old = key_policy(
        "old",
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let new = key_policy(
        "new",
        r#"{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/Alice"]}, "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let o = no_new_access(&old, &new, Kind::KeyPolicy, &CheckOptions::default());
    println!("{}", serde_json::to_string_pretty(&o.to_json()).unwrap());
    assert_eq!(o.verdict, Verdict::Fail);
    let o = no_new_access(&old, &old, Kind::KeyPolicy, &CheckOptions::default());
    println!("{}", serde_json::to_string_pretty(&o.to_json()).unwrap());
    assert_eq!(o.verdict, Verdict::Pass);
}
