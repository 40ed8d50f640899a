//! Conditions (rules 42–48), policy variables, and ARN patterns.

use keyward_policy::model::{
    Condition, ConditionValues, OperatorBase, SetQualifier, Template, TemplatePart,
};

use super::context::{iso8601, Ctx, Found};
use super::wildcard::{self, Piece};
use super::world::Quirks;

/// Three-valued truth: a test that cannot be evaluated is `Unknown`, and the
/// caller fails closed (an Allow does not apply, a Deny does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Truth {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Cannot be evaluated.
    Unknown,
}

impl Truth {
    pub(crate) fn of(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }

    /// AND over a list: any False makes it False; else any Unknown, Unknown.
    pub(crate) fn all(items: impl IntoIterator<Item = Truth>) -> Truth {
        let items: Vec<Truth> = items.into_iter().collect();
        if items.contains(&Truth::False) {
            Truth::False
        } else if items.contains(&Truth::Unknown) {
            Truth::Unknown
        } else {
            Truth::True
        }
    }

    /// OR over a list: any True makes it True; else any Unknown, Unknown.
    pub(crate) fn any(items: impl IntoIterator<Item = Truth>) -> Truth {
        let items: Vec<Truth> = items.into_iter().collect();
        if items.contains(&Truth::True) {
            Truth::True
        } else if items.contains(&Truth::Unknown) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Substitute policy variables (rules 47–48). `wildcards`: whether `*` and
/// `?` written in the policy text are wildcards (Like and ARN operators,
/// resources). Variable values and `${*}`-style escapes are always literal.
/// `Ok(None)`: a variable is missing and has no default, so the value is
/// "null". `Err`: a variable names a multi-valued key.
pub(crate) fn resolve(
    t: &Template,
    variables: bool,
    wildcards: bool,
    ctx: &Ctx<'_>,
) -> Result<Option<Vec<Piece>>, ()> {
    let text_pieces = |s: &str| {
        if wildcards {
            wildcard::pieces(s)
        } else {
            wildcard::literal(s)
        }
    };
    if !variables {
        // Without Version 2012-10-17, `${…}` is plain text.
        return Ok(Some(text_pieces(t.raw())));
    }
    let mut out = Vec::new();
    for part in t.parts() {
        match part {
            TemplatePart::Text(s) => out.extend(text_pieces(s)),
            TemplatePart::Escaped(c) => out.push(Piece::Char(c)),
            TemplatePart::Variable(v) => match ctx.lookup(&v.key) {
                Found::One(value) => out.extend(wildcard::literal(&value)),
                Found::Bool(b) => out.extend(wildcard::literal(&b.to_string())),
                Found::Time { seconds, epoch } => out.extend(wildcard::literal(&if epoch {
                    seconds.to_string()
                } else {
                    iso8601(seconds)
                })),
                Found::Missing => match &v.default {
                    Some(d) => out.extend(wildcard::literal(d)),
                    None => return Ok(None),
                },
                Found::Many(_) => return Err(()),
            },
        }
    }
    Ok(Some(out))
}

/// Match an ARN pattern (already resolved into pieces) against `text`: six
/// `:`-separated parts, wildcards within a part, the resource part last
/// (where `*` crosses `/` and `:`). `None` when the pattern is neither `*`
/// nor six parts: it cannot be evaluated.
pub(crate) fn arn_matches(pattern: &[Piece], text: &str) -> Option<bool> {
    let mut parts: Vec<Vec<Piece>> = vec![Vec::new()];
    for piece in pattern {
        if *piece == Piece::Char(':') && parts.len() < 6 {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(piece.clone());
        }
    }
    if parts.len() < 6 {
        let all_stars = !pattern.is_empty() && pattern.iter().all(|p| *p == Piece::Star);
        return if all_stars { Some(true) } else { None };
    }
    let text_parts: Vec<&str> = text.splitn(6, ':').collect();
    let [a, partition, service, _, _, resource] = text_parts.as_slice() else {
        return Some(false);
    };
    if *a != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return Some(false);
    }
    Some(parts.iter().zip(text_parts.iter()).all(|(p, t)| {
        let chars: Vec<char> = t.chars().collect();
        wildcard::matches(p, &chars)
    }))
}

/// One value the request has for a key.
#[derive(Clone, Debug)]
enum RVal {
    /// Text (every caller-supplied value; typed operators parse it).
    Str(String),
    /// A Boolean fact.
    Bool(bool),
    /// A time, in epoch seconds; `epoch`: written as seconds, not ISO 8601.
    Time { seconds: i64, epoch: bool },
}

impl RVal {
    /// The value as text, for String and ARN operators.
    fn text(&self, quirks: Quirks) -> String {
        match self {
            RVal::Str(s) => s.clone(),
            RVal::Bool(b) => b.to_string(),
            RVal::Time {
                seconds,
                epoch: true,
            } if !quirks.epoch_time_as_iso => seconds.to_string(),
            RVal::Time { seconds, .. } => iso8601(*seconds),
        }
    }
}

fn lower_chars(s: &str) -> Vec<char> {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Does one request value `r` match one (resolved) policy value?
fn string_match(base: OperatorBase, value: &[Piece], r: &str) -> Option<bool> {
    use OperatorBase as O;
    let literal = || -> String {
        value
            .iter()
            .map(|p| match p {
                Piece::Char(c) => *c,
                Piece::Star => '*',
                Piece::One => '?',
            })
            .collect()
    };
    match base {
        O::StringEquals | O::StringNotEquals => Some(literal() == r),
        O::StringEqualsIgnoreCase | O::StringNotEqualsIgnoreCase => {
            Some(lower_chars(&literal()) == lower_chars(r))
        }
        O::StringLike | O::StringNotLike => {
            let chars: Vec<char> = r.chars().collect();
            Some(wildcard::matches(value, &chars))
        }
        _ => arn_matches(value, r),
    }
}

fn parse_number(r: &str) -> Option<f64> {
    r.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Epoch seconds and nanoseconds of a date written as epoch seconds or ISO 8601.
pub(crate) fn parse_date(r: &str) -> Option<(i64, u32)> {
    let r = r.trim();
    let digits = r.strip_prefix('-').unwrap_or(r);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return r.parse::<i64>().ok().map(|s| (s, 0));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(r) {
        return Some((t.timestamp(), t.timestamp_subsec_nanos()));
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(r, "%Y-%m-%dT%H:%M:%S") {
        let t = t.and_utc();
        return Some((t.timestamp(), t.timestamp_subsec_nanos()));
    }
    let d = chrono::NaiveDate::parse_from_str(r, "%Y-%m-%d").ok()?;
    Some((d.and_hms_opt(0, 0, 0)?.and_utc().timestamp(), 0))
}

fn parse_ip(r: &str) -> Option<std::net::IpAddr> {
    let r = r.trim();
    r.parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| r.parse::<ipnet::IpNet>().ok().map(|n| n.addr()))
}

/// Does request value `r` match some policy value, by the operator's
/// positive comparison (rule 44: values are ORed)?
fn positive_match(cond: &Condition, variables: bool, value: &RVal, ctx: &Ctx<'_>) -> Truth {
    use OperatorBase as O;
    let base = cond.operator.node.base;
    let text = value.text(ctx.quirks);
    let r = text.as_str();
    // A typed fact compared by an operator of another type cannot be
    // evaluated; text is parsed by the operator's type.
    let str_only = |v: &RVal| match v {
        RVal::Str(s) => Some(s.clone()),
        _ => None,
    };
    match &cond.values {
        ConditionValues::String(values) => {
            let wildcards = matches!(
                base,
                O::StringLike
                    | O::StringNotLike
                    | O::ArnEquals
                    | O::ArnLike
                    | O::ArnNotEquals
                    | O::ArnNotLike
            );
            Truth::any(
                values
                    .iter()
                    .map(|v| match resolve(&v.node, variables, wildcards, ctx) {
                        Err(()) => Truth::Unknown,
                        // A null value matches nothing (rule 48).
                        Ok(None) => Truth::False,
                        Ok(Some(pieces)) => match string_match(base, &pieces, r) {
                            Some(b) => Truth::of(b),
                            None => Truth::Unknown,
                        },
                    }),
            )
        }
        ConditionValues::Numeric(values) => {
            let x = match value {
                RVal::Str(s) => parse_number(s),
                RVal::Time { seconds, .. } => Some(*seconds as f64),
                RVal::Bool(_) => None,
            };
            let Some(x) = x else {
                return Truth::Unknown;
            };
            Truth::of(values.iter().any(|p| {
                let p = p.node;
                match base {
                    O::NumericEquals | O::NumericNotEquals => x == p,
                    O::NumericLessThan => x < p,
                    O::NumericLessThanEquals => x <= p,
                    O::NumericGreaterThan => x > p,
                    _ => x >= p,
                }
            }))
        }
        ConditionValues::Date(values) => {
            let t = match value {
                RVal::Str(s) => parse_date(s),
                RVal::Time { seconds, .. } => Some((*seconds, 0)),
                RVal::Bool(_) => None,
            };
            let Some(t) = t else {
                return Truth::Unknown;
            };
            Truth::of(values.iter().any(|p| {
                let p = (p.node.epoch_seconds, p.node.nanos);
                match base {
                    O::DateEquals | O::DateNotEquals => t == p,
                    O::DateLessThan => t < p,
                    O::DateLessThanEquals => t <= p,
                    O::DateGreaterThan => t > p,
                    _ => t >= p,
                }
            }))
        }
        ConditionValues::Bool(values) => {
            let b = match value {
                RVal::Bool(b) => *b,
                RVal::Str(s) if s.eq_ignore_ascii_case("true") => true,
                RVal::Str(s) if s.eq_ignore_ascii_case("false") => false,
                _ => return Truth::Unknown,
            };
            Truth::of(values.iter().any(|v| v.node == b))
        }
        ConditionValues::Binary(values) => match str_only(value) {
            Some(s) => Truth::of(values.iter().any(|v| *v.node == *s)),
            None => Truth::Unknown,
        },
        ConditionValues::Ip(values) => match str_only(value).and_then(|s| parse_ip(&s)) {
            Some(ip) => Truth::of(values.iter().any(|net| net.node.contains(&ip))),
            None => Truth::Unknown,
        },
        ConditionValues::Null(_) => Truth::False,
    }
}

/// Evaluate one condition entry (rules 42–45).
pub(crate) fn evaluate(cond: &Condition, variables: bool, ctx: &Ctx<'_>) -> Truth {
    let op = cond.operator.node;
    let found = ctx.lookup(cond.key.node.as_str());
    if let ConditionValues::Null(values) = &cond.values {
        // `Null: true` means "absent"; values are ORed.
        let absent = found == Found::Missing;
        return Truth::of(values.iter().any(|v| v.node == absent));
    }
    let request_values = match found {
        Found::Missing => {
            // Rule 43 and 45.
            return Truth::of(if op.if_exists {
                true
            } else {
                match op.qualifier {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => false,
                    None => op.base.is_negated(),
                }
            });
        }
        Found::One(v) => vec![RVal::Str(v)],
        Found::Many(list) => list.into_iter().map(RVal::Str).collect(),
        Found::Bool(b) => vec![RVal::Bool(b)],
        Found::Time { seconds, epoch } => vec![RVal::Time { seconds, epoch }],
    };
    let negated = op.base.is_negated();
    // The operator's verdict on each request value: for a negated operator,
    // "matches none of the policy values" (rule 44).
    let verdicts: Vec<Truth> = request_values
        .iter()
        .map(|r| {
            let m = positive_match(cond, variables, r, ctx);
            if negated {
                m.not()
            } else {
                m
            }
        })
        .collect();
    match op.qualifier {
        Some(SetQualifier::ForAllValues) => Truth::all(verdicts),
        Some(SetQualifier::ForAnyValue) => Truth::any(verdicts),
        // Unqualified on several values: a positive operator needs one to
        // match; a negated operator needs none to match.
        None if negated => Truth::all(verdicts),
        None => Truth::any(verdicts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_patterns_match_part_by_part() {
        let p = wildcard::pieces("arn:aws:kms:*:111122223333:key/*");
        assert_eq!(
            arn_matches(&p, "arn:aws:kms:us-east-1:111122223333:key/k1"),
            Some(true)
        );
        assert_eq!(
            arn_matches(&p, "arn:aws:kms:us-east-1:444455556666:key/k1"),
            Some(false)
        );
        let region_star = wildcard::pieces("arn:aws:kms:*:*:*");
        assert_eq!(
            arn_matches(&region_star, "arn:aws:kms:a:b:key/x:y"),
            Some(true)
        );
        assert_eq!(
            arn_matches(&wildcard::pieces("*"), "not an arn"),
            Some(true)
        );
        assert_eq!(
            arn_matches(&wildcard::pieces("arn:aws:kms:*"), "arn:aws:kms:a:b:c"),
            None
        );
        assert_eq!(arn_matches(&p, "not an arn"), Some(false));
        // A `*` in the region part does not span a colon.
        let tight = wildcard::pieces("arn:aws:kms:*:key/k1");
        assert_eq!(
            arn_matches(&tight, "arn:aws:kms:us-east-1:111122223333:key/k1"),
            None
        );
    }

    #[test]
    fn dates_read_epoch_and_iso_8601() {
        assert_eq!(parse_date("86400"), Some((86400, 0)));
        assert_eq!(parse_date("1970-01-02T00:00:00Z"), Some((86400, 0)));
        assert_eq!(parse_date("1970-01-02"), Some((86400, 0)));
        assert_eq!(parse_date("tomorrow"), None);
    }
}
