//! The request's own dimensions: the user-given context keys, the
//! encryption context, the alias, the Region and the time, each cut into
//! the classes the given statements' conditions tell apart.

use std::collections::BTreeMap;

use keyward_eval::{ContextValue, GrantConstraints, Instant, Request};

use crate::ckey::{CKey, Source};
use crate::ec::EcTests;
use crate::err::Unknown;
use crate::scalars::{instant_text, instant_witnesses};
use crate::stmts::Stmt;
use crate::strings::StringTest;
use crate::theory::{distinct_sets, KeyTests, Test};

/// One setting of one dimension of a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Facet {
    /// A request-context key: its value, or absent.
    Context {
        /// The key as written in the statements.
        key: String,
        /// The value; `None` when the request lacks the key.
        value: Option<ContextValue>,
    },
    /// The encryption context.
    EncryptionContext(Vec<(String, String)>),
    /// The request's time.
    Time(Instant),
    /// The Region the request is sent to.
    Region(String),
    /// The alias the request names the key by (`kms:RequestAlias`).
    Alias(Option<String>),
}

impl Facet {
    /// `req` with this setting.
    pub fn apply(&self, req: Request) -> Result<Request, Unknown> {
        Ok(match self {
            Facet::Context { value: None, .. } | Facet::Alias(None) => req,
            Facet::Context {
                key,
                value: Some(v),
            } => req
                .with_context(key, v.clone())
                .map_err(|e| Unknown::internal(format!("{key}: {}", e.message)))?,
            Facet::EncryptionContext(pairs) => pairs
                .iter()
                .fold(req, |r, (k, v)| r.with_encryption_context(k, v)),
            Facet::Time(t) => req.at(*t),
            Facet::Region(r) => req.in_region(r),
            Facet::Alias(Some(a)) => req.via_alias(a),
        })
    }
}

/// `req` with every setting of `facets`.
pub fn with_facets(req: Request, facets: &[&Facet]) -> Result<Request, Unknown> {
    facets.iter().try_fold(req, |req, f| f.apply(req))
}

/// A class of one dimension: the setting standing for it and how it reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The setting.
    pub facet: Facet,
    /// How the class reads, e.g. `kms:ViaService = "s3.us-east-1.amazonaws.com"`.
    pub label: String,
}

/// One dimension: every class of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Dim {
    /// The key or aspect varied.
    pub name: String,
    /// Its classes.
    pub choices: Vec<Choice>,
}

/// True for keys whose value is a list in requests.
fn multi_valued(key: &CKey, tests: &KeyTests) -> bool {
    key.documented_multi_valued()
        || (tests.qualified
            && matches!(key, CKey::User(name) if !name.starts_with("aws:") && !name.starts_with("kms:")))
}

/// The dimensions the request-side conditions of `stmts` vary.
pub fn request_dims(
    stmts: &[&Stmt<'_>],
    key_region: &str,
    split: &[(CKey, String)],
) -> Result<Vec<Dim>, Unknown> {
    request_dims_with_grants(stmts, key_region, split, &[])
}

/// Like [`request_dims`], the encryption context also cut by the
/// constraints of the grants that can apply (see [`EcTests::add_grant`]).
pub fn request_dims_with_grants(
    stmts: &[&Stmt<'_>],
    key_region: &str,
    split: &[(CKey, String)],
    grants: &[&GrantConstraints],
) -> Result<Vec<Dim>, Unknown> {
    let (mut dims, ec) = statement_dims(stmts, key_region, split)?;
    dims.extend(ec_dim(&ec, grants)?);
    Ok(dims)
}

/// The dimensions of [`request_dims`] but the encryption context, and the
/// statements' tests on the encryption context, which [`ec_dim`] cuts
/// (with the grants' constraints) into the last dimension.
pub fn statement_dims(
    stmts: &[&Stmt<'_>],
    key_region: &str,
    split: &[(CKey, String)],
) -> Result<(Vec<Dim>, EcTests), Unknown> {
    let mut keys: BTreeMap<CKey, (String, KeyTests)> = BTreeMap::new();
    let mut ec = EcTests::default();
    for s in stmts {
        for (key, cond) in &s.conditions {
            if key.source() != Source::Request {
                continue;
            }
            match key {
                CKey::EncryptionContext(_) | CKey::EncryptionContextKeys => {
                    ec.add(key, cond, s.variables)?;
                }
                _ => keys
                    .entry(key.clone())
                    .or_insert_with(|| (cond.key.node.as_str().to_string(), KeyTests::default()))
                    .1
                    .add(cond, s.variables)?,
            }
        }
    }
    for (key, value) in split {
        let entry = keys
            .entry(key.clone())
            .or_insert_with(|| (key.name(), KeyTests::default()));
        entry.1.tests.push(Test::Str(StringTest::equals(value)));
        let at = entry.1.tests.len() - 1;
        entry.1.clauses.push(vec![at]);
    }
    if keys.contains_key(&CKey::ViaAwsService) {
        // Its default depends on whether kms:ViaService is given.
        keys.entry(CKey::User("kms:viaservice".into()))
            .or_insert_with(|| ("kms:ViaService".into(), KeyTests::default()));
    }
    let mut dims = Vec::new();
    let mut time: Option<KeyTests> = None;
    for (key, (written, tests)) in keys {
        match key {
            CKey::Time { .. } => {
                let t = time.get_or_insert_with(KeyTests::default);
                t.tests.extend(tests.tests);
            }
            CKey::RequestedRegion => {
                let nicer = [key_region, "us-east-1", "eu-west-1"];
                let choices = tests
                    .singles_preferring(&[], &nicer)?
                    .into_iter()
                    .map(|s| Choice {
                        label: format!("aws:RequestedRegion {}", s.label),
                        facet: Facet::Region(s.text),
                    })
                    .collect();
                dims.push(Dim {
                    name: written,
                    choices,
                });
            }
            CKey::RequestAlias => {
                let mut choices = vec![Choice {
                    facet: Facet::Alias(None),
                    label: "no alias in the request".into(),
                }];
                for s in tests.singles_preferring(&[], &["alias/example"])? {
                    choices.push(Choice {
                        label: format!("kms:RequestAlias {}", s.label),
                        facet: Facet::Alias(Some(s.text)),
                    });
                }
                dims.push(Dim {
                    name: written,
                    choices,
                });
            }
            _ => dims.push(context_dim(&key, written, &tests)?),
        }
    }
    if let Some(t) = time {
        dims.push(time_dim(&t)?);
    }
    Ok((dims, ec))
}

/// The encryption context's dimension: the statements' tests `ec`, also
/// cut at the constraints of the grants that can apply (see
/// [`EcTests::add_grant`]); `None` when nothing tests it.
pub fn ec_dim(ec: &EcTests, grants: &[&GrantConstraints]) -> Result<Option<Dim>, Unknown> {
    let mut ec = ec.clone();
    for g in grants {
        ec.add_grant(g);
    }
    if ec.is_empty() {
        return Ok(None);
    }
    Ok(Some(Dim {
        name: "encryption context".into(),
        choices: ec
            .choices()?
            .into_iter()
            .map(|c| Choice {
                facet: Facet::EncryptionContext(c.pairs),
                label: c.label,
            })
            .collect(),
    }))
}

/// A request-context key given by the user (or with a default the user
/// may override).
fn context_dim(key: &CKey, written: String, tests: &KeyTests) -> Result<Dim, Unknown> {
    let nicer: &[&str] = match key {
        CKey::User(name) if name == "kms:viaservice" => &["example.us-east-1.amazonaws.com"],
        CKey::User(name) if name == "aws:sourcevpce" => &["vpce-0example"],
        CKey::User(name) if name == "aws:principalorgid" => &["o-example"],
        _ => &[],
    };
    let singles = tests.singles_preferring(&[], nicer)?;
    let absent = Choice {
        facet: Facet::Context {
            key: written.clone(),
            value: None,
        },
        label: format!("{written} absent"),
    };
    let mut choices = Vec::new();
    // aws:SecureTransport is never absent: KMS takes HTTPS only.
    if *key != CKey::SecureTransport && !multi_valued(key, tests) {
        choices.push(absent);
    }
    if multi_valued(key, tests) {
        for set in distinct_sets(&singles, &tests.clauses)? {
            if set.is_empty() {
                choices.push(Choice {
                    facet: Facet::Context {
                        key: written.clone(),
                        value: None,
                    },
                    label: format!("{written} absent"),
                });
                continue;
            }
            let values: Vec<Box<str>> = set
                .iter()
                .map(|&i| singles[i].text.as_str().into())
                .collect();
            let labels: Vec<&str> = set.iter().map(|&i| singles[i].label.as_str()).collect();
            choices.push(Choice {
                facet: Facet::Context {
                    key: written.clone(),
                    value: Some(ContextValue::Many(values)),
                },
                label: format!("{written} has values {}", labels.join("; ")),
            });
        }
    } else {
        for s in singles {
            choices.push(Choice {
                label: format!("{written} {}", s.label),
                facet: Facet::Context {
                    key: written.clone(),
                    value: Some(ContextValue::One(s.text.into())),
                },
            });
        }
    }
    Ok(Dim {
        name: written,
        choices,
    })
}

/// The request time: breakpoints from date literals, and from numbers
/// compared with `aws:EpochTime` (whole seconds).
fn time_dim(tests: &KeyTests) -> Result<Dim, Unknown> {
    let mut points = Vec::new();
    for t in &tests.tests {
        match t {
            Test::Date(_, at) => points.push(*at),
            Test::Num(_, x) if x.is_finite() && x.abs() < 1e15 => {
                let floor = x.floor() as i64;
                points.extend([floor, floor + 1].map(Instant::from_epoch_seconds));
            }
            Test::Num(..) => {}
            _ => {
                return Err(Unknown::new(
                    "aws:CurrentTime or aws:EpochTime is compared as text or an address",
                ))
            }
        }
    }
    let choices = instant_witnesses(&points)
        .into_iter()
        .map(|at| Choice {
            label: format!("aws:CurrentTime = {}", instant_text(at)),
            facet: Facet::Time(at),
        })
        .collect();
    Ok(Dim {
        name: "aws:CurrentTime".into(),
        choices,
    })
}
