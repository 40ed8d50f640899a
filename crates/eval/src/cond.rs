//! Conditions: compiled once (keys resolved, values typed and pre-parsed),
//! then evaluated per request (rules 42–48).

mod compare;

use keyward_policy::matching::{CaseMode, Pattern};
use keyward_policy::model::{Condition, ConditionValues, OperatorBase, SetQualifier, Template};

use crate::arn_pattern::ArnPat;
use crate::context::{CtxKey, Found, Instant, Val};
use crate::env::Env;
use crate::template::{resolve_text, resolve_tokens};

/// Three-valued outcome: a test that cannot be evaluated is `Error`, which
/// callers turn into the safe answer (an Allow does not apply, a Deny does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tri {
    /// False.
    No,
    /// True.
    Yes,
    /// Could not be evaluated.
    Error,
}

impl Tri {
    pub(crate) fn from_bool(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }

    /// Conjunction: `No` wins, then `Error`.
    pub(crate) fn and(self, other: impl FnOnce() -> Tri) -> Tri {
        match self {
            Tri::No => Tri::No,
            Tri::Yes => other(),
            Tri::Error => match other() {
                Tri::No => Tri::No,
                _ => Tri::Error,
            },
        }
    }
}

/// The positive comparison a base operator makes (negated operators compare
/// positively, then invert, rule 44).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    StrEq,
    StrEqIgnoreCase,
    StrLike,
    NumEq,
    NumLt,
    NumLe,
    NumGt,
    NumGe,
    DateEq,
    DateLt,
    DateLe,
    DateGt,
    DateGe,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

fn positive(base: OperatorBase) -> Cmp {
    use OperatorBase as O;
    match base {
        O::StringEquals | O::StringNotEquals => Cmp::StrEq,
        O::StringEqualsIgnoreCase | O::StringNotEqualsIgnoreCase => Cmp::StrEqIgnoreCase,
        O::StringLike | O::StringNotLike => Cmp::StrLike,
        O::NumericEquals | O::NumericNotEquals => Cmp::NumEq,
        O::NumericLessThan => Cmp::NumLt,
        O::NumericLessThanEquals => Cmp::NumLe,
        O::NumericGreaterThan => Cmp::NumGt,
        O::NumericGreaterThanEquals => Cmp::NumGe,
        O::DateEquals | O::DateNotEquals => Cmp::DateEq,
        O::DateLessThan => Cmp::DateLt,
        O::DateLessThanEquals => Cmp::DateLe,
        O::DateGreaterThan => Cmp::DateGt,
        O::DateGreaterThanEquals => Cmp::DateGe,
        O::Bool => Cmp::Bool,
        O::BinaryEquals => Cmp::Binary,
        O::IpAddress | O::NotIpAddress => Cmp::Ip,
        O::ArnEquals | O::ArnLike | O::ArnNotEquals | O::ArnNotLike => Cmp::Arn,
        O::Null => Cmp::Null,
    }
}

/// A string-typed condition value.
#[derive(Clone, Debug)]
pub(crate) enum StrValue {
    /// Literal text (equality operators).
    Lit(Box<str>),
    /// A wildcard pattern (`StringLike`).
    Pat(Pattern),
    /// An ARN pattern (`Arn…`).
    Arn(ArnPat),
    /// Has policy variables: resolved per request.
    Dyn(Template),
}

/// Typed, pre-parsed condition values.
#[derive(Clone, Debug)]
pub(crate) enum Values {
    Str(Box<[StrValue]>),
    Num(Box<[f64]>),
    Date(Box<[Instant]>),
    Bool(Box<[bool]>),
    Binary(Box<[Box<str>]>),
    Ip(Box<[ipnet::IpNet]>),
    Null(Box<[bool]>),
}

/// One compiled (operator, key, values) test.
#[derive(Clone, Debug)]
pub(crate) struct CCond {
    pub(crate) key: CtxKey,
    /// The key as written, for explanations.
    pub(crate) name: Box<str>,
    pub(crate) cmp: Cmp,
    pub(crate) negated: bool,
    pub(crate) if_exists: bool,
    pub(crate) qualifier: Option<SetQualifier>,
    pub(crate) values: Values,
}

/// Compile one condition; `variables` says whether `${…}` is substituted
/// (policy `Version` 2012-10-17).
pub(crate) fn compile(cond: &Condition, variables: bool) -> CCond {
    let op = cond.operator.node;
    let cmp = positive(op.base);
    let values = match &cond.values {
        ConditionValues::String(items) => Values::Str(
            items
                .iter()
                .map(|t| compile_str(&t.node, cmp, variables))
                .collect(),
        ),
        ConditionValues::Numeric(v) => Values::Num(v.iter().map(|x| x.node).collect()),
        ConditionValues::Date(v) => Values::Date(
            v.iter()
                .map(|d| Instant {
                    seconds: d.node.epoch_seconds,
                    nanos: d.node.nanos,
                })
                .collect(),
        ),
        ConditionValues::Bool(v) => Values::Bool(v.iter().map(|x| x.node).collect()),
        ConditionValues::Binary(v) => Values::Binary(v.iter().map(|x| x.node.clone()).collect()),
        ConditionValues::Ip(v) => Values::Ip(v.iter().map(|x| x.node).collect()),
        ConditionValues::Null(v) => Values::Null(v.iter().map(|x| x.node).collect()),
    };
    CCond {
        key: CtxKey::parse(cond.key.node.as_str()),
        name: cond.key.node.as_str().into(),
        cmp,
        negated: op.base.is_negated(),
        if_exists: op.if_exists,
        qualifier: op.qualifier,
        values,
    }
}

fn compile_str(t: &Template, cmp: Cmp, variables: bool) -> StrValue {
    if variables && t.has_variables() {
        return StrValue::Dyn(t.clone());
    }
    let raw = t.raw();
    match cmp {
        Cmp::StrLike => StrValue::Pat(Pattern::new(raw)),
        Cmp::Arn => StrValue::Arn(ArnPat::new(raw)),
        _ => StrValue::Lit(raw.into()),
    }
}

impl CCond {
    /// Evaluate against the request.
    pub(crate) fn eval(&self, env: &Env<'_>) -> Tri {
        let found = env.lookup(&self.key);
        if matches!(found, Found::NoClock) {
            return Tri::Error;
        }
        let present = !matches!(found, Found::Missing);
        if let Values::Null(values) = &self.values {
            // Null:true means absent; values are ORed.
            return Tri::from_bool(values.iter().any(|&want_absent| want_absent != present));
        }
        if !present {
            return Tri::from_bool(if self.if_exists {
                true
            } else {
                match self.qualifier {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => false,
                    None => self.negated,
                }
            });
        }
        // `test(v)`: the operator's verdict on one request value.
        let test = |v: Val<'_>| -> Tri {
            let pos = compare::any_value_matches(self, v, env);
            match pos {
                Tri::Error => Tri::Error,
                p => Tri::from_bool((p == Tri::Yes) != self.negated),
            }
        };
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => {
                let mut out = Tri::Yes;
                let stop = found.each(|v| match test(v) {
                    Tri::No => Some(Tri::No),
                    Tri::Error => {
                        out = Tri::Error;
                        None
                    }
                    Tri::Yes => None,
                });
                stop.unwrap_or(out)
            }
            Some(SetQualifier::ForAnyValue) => {
                let mut out = Tri::No;
                let stop = found.each(|v| match test(v) {
                    Tri::Yes => Some(Tri::Yes),
                    Tri::Error => {
                        out = Tri::Error;
                        None
                    }
                    Tri::No => None,
                });
                stop.unwrap_or(out)
            }
            None => {
                // Unqualified: a positive operator needs some request value to
                // match; a negated one needs none to (rule 44).
                let mut err = false;
                let hit = found
                    .each(|v| match compare::any_value_matches(self, v, env) {
                        Tri::Yes => Some(()),
                        Tri::Error => {
                            err = true;
                            None
                        }
                        Tri::No => None,
                    })
                    .is_some();
                if hit {
                    Tri::from_bool(!self.negated)
                } else if err {
                    Tri::Error
                } else {
                    Tri::from_bool(self.negated)
                }
            }
        }
    }
}

/// Resolve a `Dyn` value for a comparison kind: text for equality, tokens
/// for patterns. `Ok(None)` is the "null" of a missing variable.
pub(crate) fn resolve_dyn(t: &Template, cmp: Cmp, env: &Env<'_>) -> Result<Option<StrValue>, ()> {
    match cmp {
        Cmp::StrLike => resolve_tokens(t, env)
            .map(|o| o.map(|tokens| StrValue::Pat(Pattern::from_tokens(tokens))))
            .map_err(|_| ()),
        Cmp::Arn => resolve_tokens(t, env)
            .map(|o| o.map(|tokens| StrValue::Arn(ArnPat::from_tokens(&tokens))))
            .map_err(|_| ()),
        _ => resolve_text(t, env)
            .map(|o| o.map(|s| StrValue::Lit(s.into())))
            .map_err(|_| ()),
    }
}

/// Case-sensitive wildcard match (`StringLike`).
pub(crate) fn matches_case(pattern: &Pattern, text: &str) -> bool {
    pattern.matches(text, CaseMode::Sensitive)
}
