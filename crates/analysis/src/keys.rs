//! Key classes: key ARNs (when the key is not given) and the key
//! properties conditions read (`aws:ResourceTag/*`, `kms:ResourceAliases`,
//! `kms:KeySpec`, `kms:KeyUsage`, `kms:KeyOrigin`, `kms:MultiRegion`,
//! `kms:MultiRegionKeyType`), each with a key standing for the class.

use std::collections::BTreeMap;

use keyward_eval::KeyOrigin;
use keyward_policy::matching::ArnPattern;

use crate::ckey::{CKey, Source};
use crate::err::Unknown;
use crate::principals::AccountRep;
use crate::stmts::Stmt;
use crate::strings::{self, arn_pattern_re, CharSet, Re, StringTest};
use crate::theory::{distinct_sets, KeyTests, Single};

/// The key classes an analysis tries at most.
pub const KEY_BUDGET: usize = 2_000;

/// One key standing for a class of keys.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyRep {
    /// Its ARN.
    pub arn: String,
    /// Its account (an index into the account classes).
    pub account: usize,
    /// `aws:ResourceTag/*` (keys lowercased).
    pub tags: Vec<(String, String)>,
    /// `kms:ResourceAliases`.
    pub aliases: Vec<String>,
    /// `kms:KeySpec`.
    pub key_spec: String,
    /// `kms:KeyUsage`.
    pub key_usage: String,
    /// `kms:KeyOrigin`.
    pub origin: KeyOrigin,
    /// `kms:MultiRegionKeyType`.
    pub multi_region_key_type: Option<String>,
    /// How the class reads (empty for a plain key).
    pub label: String,
}

const KEY_SPECS: &[&str] = &[
    "SYMMETRIC_DEFAULT",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "SM2",
];
const KEY_USAGES: &[&str] = &[
    "ENCRYPT_DECRYPT",
    "SIGN_VERIFY",
    "GENERATE_VERIFY_MAC",
    "KEY_AGREEMENT",
];
const ORIGINS: &[&str] = &["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

/// A key ARN in `partition` and `account`: any Region and key id.
fn key_domain(partition: &str, account: &str) -> Re {
    let region = CharSet::Ranges(vec![('a', 'z'), ('0', '9'), ('-', '-')]);
    let id = CharSet::Ranges(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('-', '-')]);
    Re::Cat(vec![
        Re::literal(&format!("arn:{partition}:kms:")),
        Re::plus(region),
        Re::literal(&format!(":{account}:key/")),
        Re::plus(id),
    ])
}

/// The key ARNs to try: `given`, or per account class one ARN per class of
/// the statements' `Resource` patterns.
fn key_arns(
    stmts: &[Stmt<'_>],
    accounts: &[AccountRep],
    partition: &str,
    given: Option<&str>,
    multi_region_tested: bool,
) -> Result<Vec<(String, usize)>, Unknown> {
    if let Some(arn) = given {
        let account = accounts
            .iter()
            .position(|a| arn.split(':').nth(4) == Some(a.id.as_str()))
            .ok_or_else(|| Unknown::internal(format!("the key `{arn}` has no account class")))?;
        return Ok(vec![(arn.to_string(), account)]);
    }
    let mut tests: Vec<StringTest> = Vec::new();
    for s in stmts {
        for item in s.resource.iter().flat_map(|r| &r.items) {
            let raw = item.node.raw();
            let Ok(p) = ArnPattern::parse(raw) else {
                continue;
            };
            if p.is_match_all() || tests.iter().any(|t| t.label == raw) {
                continue;
            }
            let re = arn_pattern_re(&p);
            tests.push(StringTest::new(vec![re], move |s| p.matches(s), raw));
        }
    }
    if multi_region_tested {
        tests.push(StringTest::new(
            vec![Re::Cat(vec![
                Re::anything(),
                Re::literal(":key/mrk-"),
                Re::anything(),
            ])],
            |s| {
                s.split(":key/")
                    .nth(1)
                    .is_some_and(|id| id.starts_with("mrk-"))
            },
            "multi-Region key",
        ));
    }
    let mut out = Vec::new();
    for (i, a) in accounts.iter().enumerate().filter(|(_, a)| !a.second) {
        let nicer = [
            format!(
                "arn:{partition}:kms:us-east-1:{}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                a.id
            ),
            format!(
                "arn:{partition}:kms:us-east-1:{}:key/mrk-1234abcd12ab34cd56ef1234567890ab",
                a.id
            ),
        ];
        let nicer: Vec<&str> = nicer.iter().map(String::as_str).collect();
        for c in strings::classes_preferring(&[key_domain(partition, &a.id)], &tests, &nicer)? {
            out.push((c.witness, i));
        }
    }
    Ok(out)
}

/// One property of a key, varied over its classes.
enum Prop {
    Tag(String, Vec<Option<String>>),
    Aliases(Vec<Vec<String>>),
    Spec(Vec<String>),
    Usage(Vec<String>),
    Origin(Vec<KeyOrigin>),
    RegionType(Vec<Option<String>>),
}

fn values(tests: &KeyTests, nicer: &[&str]) -> Result<Vec<Single>, Unknown> {
    tests.singles_preferring(&[], nicer)
}

/// Every key class.
pub fn key_reps(
    stmts: &[Stmt<'_>],
    accounts: &[AccountRep],
    partition: &str,
    given: Option<&str>,
) -> Result<Vec<KeyRep>, Unknown> {
    let mut tested: BTreeMap<CKey, KeyTests> = BTreeMap::new();
    for s in stmts {
        for (key, cond) in &s.conditions {
            if key.source() == Source::Key {
                tested
                    .entry(key.clone())
                    .or_default()
                    .add(cond, s.variables)?;
            }
        }
    }
    let arns = key_arns(
        stmts,
        accounts,
        partition,
        given,
        tested.contains_key(&CKey::MultiRegion),
    )?;
    let mut props = Vec::new();
    for (key, tests) in &tested {
        props.push(match key {
            CKey::ResourceTag(t) => {
                let mut v = vec![None];
                v.extend(values(tests, &[])?.into_iter().map(|s| Some(s.text)));
                Prop::Tag(t.clone(), v)
            }
            CKey::ResourceAliases => {
                let domain = [Re::Cat(vec![
                    Re::literal("alias/"),
                    Re::plus(CharSet::Ranges(vec![
                        ('a', 'z'),
                        ('A', 'Z'),
                        ('0', '9'),
                        ('/', '/'),
                        ('_', '_'),
                        ('-', '-'),
                    ])),
                ])];
                let singles = tests.singles_preferring(&domain, &["alias/example"])?;
                let sets = distinct_sets(&singles, &tests.clauses)?;
                Prop::Aliases(
                    sets.into_iter()
                        .map(|set| set.iter().map(|&i| singles[i].text.clone()).collect())
                        .collect(),
                )
            }
            CKey::KeySpec => Prop::Spec(
                values(tests, KEY_SPECS)?
                    .into_iter()
                    .map(|s| s.text)
                    .collect(),
            ),
            CKey::KeyUsage => Prop::Usage(
                values(tests, KEY_USAGES)?
                    .into_iter()
                    .map(|s| s.text)
                    .collect(),
            ),
            CKey::KeyOrigin => {
                let domain = [Re::Alt(ORIGINS.iter().map(|o| Re::literal(o)).collect())];
                Prop::Origin(
                    tests
                        .singles(&domain)?
                        .into_iter()
                        .filter_map(|s| KeyOrigin::parse(&s.text))
                        .collect(),
                )
            }
            CKey::MultiRegionKeyType => {
                let mut v = vec![None];
                v.extend(
                    values(tests, &["PRIMARY", "REPLICA"])?
                        .into_iter()
                        .map(|s| Some(s.text)),
                );
                Prop::RegionType(v)
            }
            // kms:MultiRegion follows the key id (`mrk-`), varied with the ARN.
            _ => continue,
        });
    }
    let mut out: Vec<KeyRep> = arns
        .into_iter()
        .map(|(arn, account)| KeyRep {
            arn,
            account,
            tags: Vec::new(),
            aliases: Vec::new(),
            key_spec: "SYMMETRIC_DEFAULT".into(),
            key_usage: "ENCRYPT_DECRYPT".into(),
            origin: KeyOrigin::AwsKms,
            multi_region_key_type: None,
            label: String::new(),
        })
        .collect();
    for prop in props {
        let mut next = Vec::new();
        for base in &out {
            let mut push = |f: &dyn Fn(&mut KeyRep)| {
                let mut k = base.clone();
                f(&mut k);
                next.push(k);
            };
            match &prop {
                Prop::Tag(t, vs) => vs.iter().for_each(|v| {
                    push(&|k: &mut KeyRep| {
                        if let Some(v) = v {
                            k.tags.push((t.clone(), v.clone()));
                            add_label(k, &format!("tag {t}={v}"));
                        }
                    })
                }),
                Prop::Aliases(sets) => sets.iter().for_each(|s| {
                    push(&|k: &mut KeyRep| {
                        k.aliases.clone_from(s);
                        if !s.is_empty() {
                            add_label(k, &format!("aliases {}", s.join(", ")));
                        }
                    })
                }),
                Prop::Spec(vs) => vs.iter().for_each(|v| {
                    push(&|k: &mut KeyRep| {
                        k.key_spec.clone_from(v);
                        add_label(k, &format!("key spec {v}"));
                    })
                }),
                Prop::Usage(vs) => vs.iter().for_each(|v| {
                    push(&|k: &mut KeyRep| {
                        k.key_usage.clone_from(v);
                        add_label(k, &format!("key usage {v}"));
                    })
                }),
                Prop::Origin(vs) => vs.iter().for_each(|v| {
                    push(&|k: &mut KeyRep| {
                        k.origin = *v;
                        add_label(k, &format!("origin {}", v.as_str()));
                    })
                }),
                Prop::RegionType(vs) => vs.iter().for_each(|v| {
                    push(&|k: &mut KeyRep| {
                        k.multi_region_key_type.clone_from(v);
                        if let Some(v) = v {
                            add_label(k, &format!("multi-Region key type {v}"));
                        }
                    })
                }),
            }
        }
        if next.len() > KEY_BUDGET {
            return Err(Unknown::new(format!(
                "more than {KEY_BUDGET} classes of keys"
            )));
        }
        out = next;
    }
    Ok(out)
}

fn add_label(k: &mut KeyRep, part: &str) {
    if !k.label.is_empty() {
        k.label.push_str(", ");
    }
    k.label.push_str(part);
}
