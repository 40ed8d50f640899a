//! What the compared statements test about one condition key, and the
//! classes of single values those tests cut the key's values into.

mod labels;
mod sets;

use keyward_eval::Instant;
use keyward_policy::matching::{ArnPattern, CaseMode, Pattern};
use keyward_policy::model::{Condition, ConditionValues, OperatorBase, Template};

use crate::err::Unknown;
use crate::scalars::{instant_text, instant_witnesses, ip_witnesses, number_witnesses};
use crate::strings::{self, arn_pattern_re, wildcard_re, CharSet, Re, StringTest};
use labels::between_label;
pub use labels::label_strings;
pub use sets::{distinct_sets, SET_BUDGET};

/// An order comparison with a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `≤`
    Le,
    /// `>`
    Gt,
    /// `≥`
    Ge,
}

impl Order {
    fn holds<T: PartialOrd>(self, x: &T, p: &T) -> bool {
        match self {
            Order::Eq => x == p,
            Order::Lt => x < p,
            Order::Le => x <= p,
            Order::Gt => x > p,
            Order::Ge => x >= p,
        }
    }

    fn of(base: OperatorBase) -> Order {
        use OperatorBase as O;
        match base {
            O::NumericLessThan | O::DateLessThan => Order::Lt,
            O::NumericLessThanEquals | O::DateLessThanEquals => Order::Le,
            O::NumericGreaterThan | O::DateGreaterThan => Order::Gt,
            O::NumericGreaterThanEquals | O::DateGreaterThanEquals => Order::Ge,
            _ => Order::Eq,
        }
    }
}

/// One test on one value of a key (the operator's positive comparison
/// with one policy value).
#[derive(Clone, Debug)]
pub enum Test {
    /// A string comparison.
    Str(StringTest),
    /// A number compared with a literal.
    Num(Order, f64),
    /// An instant compared with a literal.
    Date(Order, Instant),
    /// Membership in an address range.
    Ip(ipnet::IpNet),
}

/// The tests on one key, gathered from every statement that mentions it.
#[derive(Clone, Debug, Default)]
pub struct KeyTests {
    /// The distinct tests.
    pub tests: Vec<Test>,
    /// For each condition entry on the key, the tests of its values (ORed).
    pub clauses: Vec<Vec<usize>>,
    /// Some condition uses `ForAllValues`/`ForAnyValue` on the key.
    pub qualified: bool,
}

/// One class of single values: a value standing for it, whether the
/// value is unreadable for the tests' type, and its truth per test.
#[derive(Clone, Debug, PartialEq)]
pub struct Single {
    /// The value as a request gives it.
    pub text: String,
    /// For each test of the [`KeyTests`], whether the class passes it.
    pub truth: Vec<bool>,
    /// The value cannot be read as the tests' type (a number, a date, an
    /// address): the evaluator cannot evaluate the tests on it.
    pub unreadable: bool,
    /// How the class reads, e.g. `= "s3.amazonaws.com"` or `< 3600`.
    pub label: String,
}

impl KeyTests {
    /// Add the tests of one condition entry. With `variables` (a
    /// `2012-10-17` policy), a value holding policy variables makes no test
    /// here: the caller resolves it per principal (see `stmts::Link`).
    pub fn add(&mut self, cond: &Condition, variables: bool) -> Result<(), Unknown> {
        let base = cond.operator.node.base;
        self.qualified |= cond.operator.node.qualifier.is_some();
        let mut clause = Vec::new();
        let mut push = |t: Test, tests: &mut Vec<Test>| {
            let at = tests.iter().position(|x| same(x, &t)).unwrap_or_else(|| {
                tests.push(t);
                tests.len() - 1
            });
            clause.push(at);
        };
        match &cond.values {
            ConditionValues::String(values) => {
                for v in values {
                    if variables && v.node.has_variables() {
                        continue;
                    }
                    if let Some(t) = string_test(base, &v.node)? {
                        push(Test::Str(t), &mut self.tests);
                    }
                }
            }
            ConditionValues::Binary(values) => {
                for v in values {
                    push(Test::Str(StringTest::equals(&v.node)), &mut self.tests);
                }
            }
            ConditionValues::Bool(values) => {
                for v in values {
                    let word = if v.node { "true" } else { "false" };
                    push(Test::Str(boolean(word)), &mut self.tests);
                }
            }
            ConditionValues::Numeric(values) => {
                for v in values {
                    push(Test::Num(Order::of(base), v.node), &mut self.tests);
                }
            }
            ConditionValues::Date(values) => {
                for v in values {
                    let at = Instant {
                        seconds: v.node.epoch_seconds,
                        nanos: v.node.nanos,
                    };
                    push(Test::Date(Order::of(base), at), &mut self.tests);
                }
            }
            ConditionValues::Ip(values) => {
                for v in values {
                    push(Test::Ip(v.node), &mut self.tests);
                }
            }
            ConditionValues::Null(_) => {}
        }
        self.clauses.push(clause);
        Ok(())
    }

    /// The classes of single values, over the strings of `domain` (empty:
    /// every string) for string tests.
    pub fn singles(&self, domain: &[Re]) -> Result<Vec<Single>, Unknown> {
        self.singles_preferring(domain, &[])
    }

    /// Like [`KeyTests::singles`], taking the first of `nicer` that belongs
    /// to a string class as its value.
    pub fn singles_preferring(
        &self,
        domain: &[Re],
        nicer: &[&str],
    ) -> Result<Vec<Single>, Unknown> {
        let kinds = [
            self.tests.iter().any(|t| matches!(t, Test::Str(_))),
            self.tests.iter().any(|t| matches!(t, Test::Num(..))),
            self.tests.iter().any(|t| matches!(t, Test::Date(..))),
            self.tests.iter().any(|t| matches!(t, Test::Ip(_))),
        ];
        if kinds.iter().filter(|k| **k).count() > 1 {
            return Err(Unknown::new(
                "a condition key is compared as more than one type (text, number, date, address)",
            ));
        }
        let strings: Vec<StringTest> = self
            .tests
            .iter()
            .filter_map(|t| match t {
                Test::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        if kinds[0] || !kinds.iter().any(|k| *k) {
            let found = strings::classes_preferring(domain, &strings, nicer)?;
            return Ok(found
                .into_iter()
                .map(|c| Single {
                    label: label_strings(&strings, &c.truth),
                    text: c.witness,
                    truth: c.truth,
                    unreadable: false,
                })
                .collect());
        }
        let mut out: Vec<Single> = Vec::new();
        if kinds[1] {
            let literals: Vec<f64> = self
                .tests
                .iter()
                .filter_map(|t| match t {
                    Test::Num(_, x) => Some(*x),
                    _ => None,
                })
                .collect();
            for x in number_witnesses(&literals) {
                let label = between_label(&literals, &x, |v| format!("{v}"));
                out.push(self.readable(format!("{x}"), label, |t| match t {
                    Test::Num(o, p) => o.holds(&x, p),
                    _ => false,
                }));
            }
        } else if kinds[2] {
            let literals: Vec<Instant> = self
                .tests
                .iter()
                .filter_map(|t| match t {
                    Test::Date(_, p) => Some(*p),
                    _ => None,
                })
                .collect();
            for at in instant_witnesses(&literals) {
                let label = between_label(&literals, &at, |v| instant_text(*v));
                out.push(self.readable(instant_text(at), label, |t| match t {
                    Test::Date(o, p) => o.holds(&at, p),
                    _ => false,
                }));
            }
        } else {
            let nets: Vec<ipnet::IpNet> = self
                .tests
                .iter()
                .filter_map(|t| match t {
                    Test::Ip(n) => Some(*n),
                    _ => None,
                })
                .collect();
            for ip in ip_witnesses(&nets) {
                let inside: Vec<String> = nets
                    .iter()
                    .filter(|n| n.contains(&ip))
                    .map(ToString::to_string)
                    .collect();
                let label = if inside.is_empty() {
                    "in none of the ranges".to_string()
                } else {
                    format!("in {}", inside.join(" and "))
                };
                out.push(self.readable(ip.to_string(), label, |t| match t {
                    Test::Ip(n) => n.contains(&ip),
                    _ => false,
                }));
            }
        }
        out.dedup_by(|a, b| a.truth == b.truth);
        let mut unique: Vec<Single> = Vec::new();
        for s in out {
            if !unique.iter().any(|u| u.truth == s.truth) {
                unique.push(s);
            }
        }
        unique.push(Single {
            text: "x".into(),
            truth: vec![false; self.tests.len()],
            unreadable: true,
            label: format!(
                "not a {}",
                if kinds[1] {
                    "number"
                } else if kinds[2] {
                    "date"
                } else {
                    "IP address"
                }
            ),
        });
        Ok(unique)
    }

    fn readable(&self, text: String, label: String, holds: impl Fn(&Test) -> bool) -> Single {
        let truth: Vec<bool> = self.tests.iter().map(holds).collect();
        Single {
            text,
            truth,
            unreadable: false,
            label,
        }
    }
}

/// Are two tests the same comparison?
fn same(a: &Test, b: &Test) -> bool {
    match (a, b) {
        (Test::Str(x), Test::Str(y)) => x.label == y.label,
        (Test::Num(o, x), Test::Num(p, y)) => o == p && x.to_bits() == y.to_bits(),
        (Test::Date(o, x), Test::Date(p, y)) => o == p && x == y,
        (Test::Ip(x), Test::Ip(y)) => x == y,
        _ => false,
    }
}

/// `true`/`false` as `Bool` reads it (ASCII case ignored).
fn boolean(word: &'static str) -> StringTest {
    StringTest::new(
        vec![Re::folded(word)],
        move |s| s.eq_ignore_ascii_case(word),
        format!("is {word}"),
    )
}

/// The string test a `String…`/`Arn…` operator makes with one value;
/// `None` when the comparison cannot be evaluated at all (a malformed ARN
/// pattern: every value gives an error, so nothing splits).
pub fn string_test(base: OperatorBase, value: &Template) -> Result<Option<StringTest>, Unknown> {
    use OperatorBase as O;
    let raw = value.raw();
    Ok(Some(match base {
        O::StringEqualsIgnoreCase | O::StringNotEqualsIgnoreCase => {
            if !raw.is_ascii() {
                return Err(Unknown::new(format!(
                    "`{raw}` compared ignoring case holds characters outside ASCII"
                )));
            }
            let owned = raw.to_string();
            StringTest::new(
                vec![Re::folded(raw)],
                move |s| eq_ignore_case(&owned, s),
                format!("= \"{raw}\" (any case)"),
            )
        }
        O::StringLike | O::StringNotLike => {
            let pattern = Pattern::new(raw);
            let re = wildcard_re(&pattern, &CharSet::Any);
            StringTest::new(
                vec![re],
                move |s| pattern.matches(s, CaseMode::Sensitive),
                format!("like \"{raw}\""),
            )
            .with_sample(fill(raw))
        }
        O::ArnEquals | O::ArnLike | O::ArnNotEquals | O::ArnNotLike => {
            let Ok(pattern) = ArnPattern::parse(raw) else {
                return Ok(None);
            };
            let re = arn_pattern_re(&pattern);
            StringTest::new(
                vec![re],
                move |s| pattern.matches(s),
                format!("like ARN \"{raw}\""),
            )
            .with_sample(fill(raw))
        }
        _ => StringTest::equals(raw),
    }))
}

/// A readable member of a wildcard pattern: `*` becomes `example`, `?` `x`.
fn fill(pattern: &str) -> String {
    pattern.replace('*', "example").replace('?', "x")
}

/// Compare ignoring case as the evaluator does (Unicode lowercase).
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}
