//! Throughput of the spanned JSON parser, side by side with
//! `serde_json::from_str::<serde_json::Value>` on the same bytes.
//!
//! Input: the 1,594 AWS managed policies (3.2 MB, one line) from the shared
//! corpus (`<repo>/../shared` or `$KEYWARD_SHARED`); when absent, a
//! generated document of similar shape. Run with
//! `cargo bench -p keyward-policy --bench parse`.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use keyward_policy::json::{parse, JsonKind, JsonValue, ParseOptions};

fn main() {
    divan::main();
}

/// The managed policies file, or a generated stand-in.
static INPUT: LazyLock<String> = LazyLock::new(|| {
    let dir = std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = dir.join("corpus/aws-managed-policies.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) => {
            eprintln!(
                "skipped: {} not found; using a generated document",
                path.display()
            );
            generated()
        }
    }
});

/// About 3 MB of policy-shaped JSON.
fn generated() -> String {
    let mut out = String::from("{");
    for i in 0..1600 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#""Policy{i}":{{"Version":"2012-10-17","Statement":[{{"Sid":"S{i}","Effect":"Allow","Action":["#
        ));
        for j in 0..60 {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&format!(r#""service{j}:Describe{i}Thing\u00e9*""#));
        }
        out.push_str(r#"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890","kms:ViaService":["s3.us-east-1.amazonaws.com"]},"NumericLessThan":{"kms:GrantCount":10}}}]}"#);
    }
    out.push('}');
    out
}

#[divan::bench]
fn keyward_json(bencher: Bencher) {
    let text: &str = &INPUT;
    let options = ParseOptions::default();
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| parse(black_box(text), &options));
}

#[divan::bench]
fn serde_json_value(bencher: Bencher) {
    let text: &str = &INPUT;
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| serde_json::from_str::<serde_json::Value>(black_box(text)));
}

/// Parse and lower: the whole file through the JSON parser, then every
/// policy in it through lowering to the typed model (what `parse_policy`
/// does per policy), on the same bytes as the two benches above.
#[divan::bench]
fn keyward_parse_and_lower(bencher: Bencher) {
    let text: &str = &INPUT;
    let options = ParseOptions::default();
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        let parsed = parse(black_box(text), &options);
        let mut policies = Vec::new();
        if let Some(JsonValue {
            kind: JsonKind::Object(members),
            ..
        }) = parsed.value
        {
            for member in members {
                policies.extend(keyward_policy::model::lower(member.value).0);
            }
        }
        policies
    });
}
