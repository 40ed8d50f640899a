//! The encryption context as one dimension: `kms:EncryptionContext:<k>`
//! reads the value of the first pair whose key equals `k` ignoring case,
//! and `kms:EncryptionContextKeys` is the list of the pairs' keys, so the
//! two are decided together.
//!
//! Pair keys are split into classes by the tests on
//! `kms:EncryptionContextKeys` and by which `kms:EncryptionContext:<k>`
//! they answer; a context is a set of key classes, and for each `<k>` it
//! answers, one class of values.

use std::collections::BTreeMap;

use keyward_eval::GrantConstraints;

use crate::ckey::CKey;
use crate::err::Unknown;
use crate::strings::{Re, StringTest};
use crate::theory::{distinct_sets, eq_ignore_case, KeyTests, Single, Test};

/// One encryption context to try, and how it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcChoice {
    /// The pairs, in order.
    pub pairs: Vec<(String, String)>,
    /// How the class reads.
    pub label: String,
}

/// The tests on the encryption context, gathered from statements.
#[derive(Clone, Debug, Default)]
pub struct EcTests {
    /// Per context key (lowercased): its spelling and the tests on its value.
    pub values: BTreeMap<String, (String, KeyTests)>,
    /// Tests on `kms:EncryptionContextKeys`, when it is mentioned.
    pub keys: Option<KeyTests>,
}

impl EcTests {
    /// Add a condition on an encryption-context key.
    pub fn add(
        &mut self,
        key: &CKey,
        cond: &keyward_policy::model::Condition,
        variables: bool,
    ) -> Result<(), Unknown> {
        match key {
            CKey::EncryptionContext(k) => {
                let written = cond
                    .key
                    .node
                    .encryption_context_key()
                    .unwrap_or(k.as_str())
                    .to_string();
                self.values
                    .entry(k.clone())
                    .or_insert_with(|| (written, KeyTests::default()))
                    .1
                    .add(cond, variables)
            }
            _ => self
                .keys
                .get_or_insert_with(KeyTests::default)
                .add(cond, variables),
        }
    }

    /// Add a grant's encryption-context constraint (rule 17): its pairs are
    /// compared exactly (keys and values case-sensitively), and
    /// `EncryptionContextEquals` also asks that no other key be present.
    /// Pair keys are then told apart by their exact spelling, so a context
    /// that the grant admits is always among the classes.
    pub fn add_grant(&mut self, constraints: &GrantConstraints) {
        let (pairs, exact) = match constraints {
            GrantConstraints::EncryptionContextEquals(p) => (p, true),
            GrantConstraints::EncryptionContextSubset(p) => (p, false),
        };
        let keys = self.keys.get_or_insert_with(KeyTests::default);
        let mut all = Vec::new();
        for (k, v) in pairs {
            keys.tests.push(Test::Str(StringTest::equals(k)));
            let at = keys.tests.len() - 1;
            keys.clauses.push(vec![at]);
            all.push(at);
            let group = self
                .values
                .entry(k.to_ascii_lowercase())
                .or_insert_with(|| (k.clone(), KeyTests::default()));
            group.1.tests.push(Test::Str(StringTest::equals(v)));
            let vt = group.1.tests.len() - 1;
            group.1.clauses.push(vec![vt]);
        }
        if exact {
            // "Exactly these keys" differs from "these and another one".
            keys.clauses.push(all);
        }
    }

    /// True when nothing is tested.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.keys.is_none()
    }

    /// Every class of encryption contexts.
    pub fn choices(&self) -> Result<Vec<EcChoice>, Unknown> {
        let groups: Vec<(&String, &String, Vec<Single>)> = self
            .values
            .iter()
            .map(|(k, (spelling, tests))| Ok((k, spelling, tests.singles(&[])?)))
            .collect::<Result<_, Unknown>>()?;
        // The key classes a context may hold (each with the group it
        // answers), as single values, and the clauses that tell sets apart.
        let (names, singles, clauses) = match &self.keys {
            None => {
                let n = groups.len();
                let singles: Vec<Single> = (0..n)
                    .map(|i| Single {
                        text: groups[i].1.clone(),
                        truth: (0..n).map(|j| i == j).collect(),
                        unreadable: false,
                        label: String::new(),
                    })
                    .collect();
                let names: Vec<(String, Option<usize>)> =
                    (0..n).map(|g| (groups[g].1.clone(), Some(g))).collect();
                (names, singles, (0..n).map(|i| vec![i]).collect::<Vec<_>>())
            }
            Some(key_tests) => {
                let mut tests = key_tests.clone();
                for (_, spelling, _) in &groups {
                    let owned = (*spelling).clone();
                    tests.tests.push(Test::Str(StringTest::new(
                        vec![Re::folded(spelling)],
                        move |s| eq_ignore_case(&owned, s),
                        format!("answers kms:EncryptionContext:{spelling}"),
                    )));
                }
                let first_group = key_tests.tests.len();
                let singles = tests.singles(&[])?;
                let names: Vec<(String, Option<usize>)> = singles
                    .iter()
                    .map(|s| {
                        let g =
                            (0..groups.len()).find(|g| s.truth.get(first_group + g) == Some(&true));
                        (s.text.clone(), g)
                    })
                    .collect();
                let mut clauses = key_tests.clauses.clone();
                clauses.extend((0..groups.len()).map(|g| vec![first_group + g]));
                (names, singles, clauses)
            }
        };
        let sets = distinct_sets(&singles, &clauses)?;
        let mut out = Vec::new();
        for set in sets {
            // The groups this set answers, and for each a class of values.
            let answered: Vec<usize> = {
                let mut g: Vec<usize> = set.iter().filter_map(|&i| names[i].1).collect();
                g.sort_unstable();
                g.dedup();
                g
            };
            let mut combos: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
            for &g in &answered {
                let mut next = Vec::new();
                for c in &combos {
                    for v in 0..groups[g].2.len() {
                        let mut with = c.clone();
                        with.push((g, v));
                        next.push(with);
                    }
                }
                combos = next;
                if combos.len() > 10_000 {
                    return Err(Unknown::new("too many classes of encryption contexts"));
                }
            }
            for combo in combos {
                let value_of = |g: usize| {
                    combo
                        .iter()
                        .find(|(cg, _)| *cg == g)
                        .map(|(_, v)| &groups[g].2[*v])
                };
                let mut pairs = Vec::new();
                let mut labels = Vec::new();
                for &i in &set {
                    let (name, g) = &names[i];
                    match g.and_then(value_of) {
                        Some(v) => {
                            pairs.push((name.clone(), v.text.clone()));
                            labels.push(format!("{name} {}", v.label));
                        }
                        None => {
                            pairs.push((name.clone(), "x".to_string()));
                            labels.push(format!("key {name}"));
                        }
                    }
                }
                let label = if pairs.is_empty() {
                    "no encryption context".to_string()
                } else {
                    format!("encryption context with {}", labels.join(", "))
                };
                out.push(EcChoice { pairs, label });
            }
        }
        Ok(out)
    }
}
