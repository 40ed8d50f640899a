//! Comparing one request value with a condition's policy values.

use super::{resolve_dyn, CCond, Cmp, StrValue, Tri, Values};
use crate::context::{eq_ignore_case, Instant, Val};
use crate::env::Env;

/// Does some policy value match `v` under the operator's positive
/// comparison? `Error` when `v` cannot be read as the operator's type or a
/// policy variable cannot be resolved.
pub(super) fn any_value_matches(cond: &CCond, v: Val<'_>, env: &Env<'_>) -> Tri {
    match &cond.values {
        Values::Str(values) => strings(cond.cmp, values, v, env),
        Values::Num(values) => {
            let Some(x) = as_number(v) else {
                return Tri::Error;
            };
            Tri::from_bool(values.iter().any(|&p| numeric(cond.cmp, x, p)))
        }
        Values::Date(values) => {
            let Some(t) = as_instant(v) else {
                return Tri::Error;
            };
            Tri::from_bool(values.iter().any(|&p| date(cond.cmp, t, p)))
        }
        Values::Bool(values) => {
            let Some(b) = as_bool(v) else {
                return Tri::Error;
            };
            Tri::from_bool(values.contains(&b))
        }
        Values::Binary(values) => match v {
            Val::Str(s) => Tri::from_bool(values.iter().any(|p| &**p == s)),
            _ => Tri::Error,
        },
        Values::Ip(values) => {
            let Some(ip) = as_ip(v) else {
                return Tri::Error;
            };
            Tri::from_bool(values.iter().any(|net| net.contains(&ip)))
        }
        Values::Null(_) => Tri::No,
    }
}

fn strings(cmp: Cmp, values: &[StrValue], v: Val<'_>, env: &Env<'_>) -> Tri {
    let owned;
    let text: &str = match v {
        Val::Str(s) => s,
        Val::Bool(true) => "true",
        Val::Bool(false) => "false",
        Val::Time(t) => {
            owned = t.to_iso8601();
            &owned
        }
        Val::Epoch(t) => {
            owned = t.seconds.to_string();
            &owned
        }
    };
    let mut error = false;
    for value in values {
        let hit = match value {
            StrValue::Dyn(t) => match resolve_dyn(t, cmp, env) {
                Ok(Some(resolved)) => one_string(cmp, &resolved, text),
                Ok(None) => Some(false),
                Err(()) => None,
            },
            other => one_string(cmp, other, text),
        };
        match hit {
            Some(true) => return Tri::Yes,
            Some(false) => {}
            None => error = true,
        }
    }
    if error {
        Tri::Error
    } else {
        Tri::No
    }
}

fn one_string(cmp: Cmp, value: &StrValue, text: &str) -> Option<bool> {
    Some(match (cmp, value) {
        (Cmp::StrEq, StrValue::Lit(p)) => &**p == text,
        (Cmp::StrEqIgnoreCase, StrValue::Lit(p)) => eq_ignore_case(p, text),
        (Cmp::StrLike, StrValue::Pat(p)) => super::matches_case(p, text),
        (Cmp::Arn, StrValue::Arn(p)) => p.matches(text)?,
        (_, StrValue::Lit(p)) => &**p == text,
        _ => return None,
    })
}

fn numeric(cmp: Cmp, x: f64, p: f64) -> bool {
    match cmp {
        Cmp::NumEq => x == p,
        Cmp::NumLt => x < p,
        Cmp::NumLe => x <= p,
        Cmp::NumGt => x > p,
        Cmp::NumGe => x >= p,
        _ => false,
    }
}

fn date(cmp: Cmp, t: Instant, p: Instant) -> bool {
    match cmp {
        Cmp::DateEq => t == p,
        Cmp::DateLt => t < p,
        Cmp::DateLe => t <= p,
        Cmp::DateGt => t > p,
        Cmp::DateGe => t >= p,
        _ => false,
    }
}

fn as_number(v: Val<'_>) -> Option<f64> {
    match v {
        Val::Str(s) => s.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
        Val::Time(t) | Val::Epoch(t) => Some(t.seconds as f64),
        Val::Bool(_) => None,
    }
}

fn as_instant(v: Val<'_>) -> Option<Instant> {
    match v {
        Val::Str(s) => Instant::parse(s),
        Val::Time(t) | Val::Epoch(t) => Some(t),
        Val::Bool(_) => None,
    }
}

fn as_bool(v: Val<'_>) -> Option<bool> {
    match v {
        Val::Bool(b) => Some(b),
        Val::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Val::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn as_ip(v: Val<'_>) -> Option<std::net::IpAddr> {
    match v {
        Val::Str(s) => {
            let s = s.trim();
            s.parse::<std::net::IpAddr>()
                .ok()
                .or_else(|| s.parse::<ipnet::IpNet>().ok().map(|n| n.addr()))
        }
        _ => None,
    }
}
