//! Condition values, read as the operator's type requires.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::diagnostic::Diagnostic;
use crate::json::{JsonKind, JsonValue};
use crate::model::{ConditionValues, DateValue, Template, ValueType};
use crate::span::Spanned;

use super::codes::INVALID_CONDITION_VALUE;

/// One value of a non-string operator.
pub(crate) enum Typed {
    Numeric(Spanned<f64>),
    Date(Spanned<DateValue>),
    Bool(Spanned<bool>),
    Binary(Spanned<Box<str>>),
    Ip(Spanned<ipnet::IpNet>),
    Null(Spanned<bool>),
}

impl ConditionValues {
    pub(crate) fn empty(ty: ValueType) -> ConditionValues {
        match ty {
            ValueType::String | ValueType::Arn => ConditionValues::String(Vec::new()),
            ValueType::Numeric => ConditionValues::Numeric(Vec::new()),
            ValueType::Date => ConditionValues::Date(Vec::new()),
            ValueType::Bool => ConditionValues::Bool(Vec::new()),
            ValueType::Binary => ConditionValues::Binary(Vec::new()),
            ValueType::Ip => ConditionValues::Ip(Vec::new()),
            ValueType::Null => ConditionValues::Null(Vec::new()),
        }
    }

    pub(crate) fn push_string(&mut self, value: Spanned<Template>) {
        if let ConditionValues::String(v) = self {
            v.push(value);
        }
    }

    pub(crate) fn push_typed(&mut self, value: Typed) {
        match (self, value) {
            (ConditionValues::Numeric(v), Typed::Numeric(x)) => v.push(x),
            (ConditionValues::Date(v), Typed::Date(x)) => v.push(x),
            (ConditionValues::Bool(v), Typed::Bool(x)) => v.push(x),
            (ConditionValues::Binary(v), Typed::Binary(x)) => v.push(x),
            (ConditionValues::Ip(v), Typed::Ip(x)) => v.push(x),
            (ConditionValues::Null(v), Typed::Null(x)) => v.push(x),
            _ => {}
        }
    }
}

fn invalid(item: &JsonValue, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(INVALID_CONDITION_VALUE, message, item.span).with_help(help)
}

/// The text of a value for a `String…` or `Arn…` operator. Numbers and
/// booleans are accepted and read as their JSON spelling, as IAM does.
pub(crate) fn text(item: &mut JsonValue) -> Result<Box<str>, Diagnostic> {
    match &mut item.kind {
        JsonKind::String(s) => Ok(std::mem::take(s)),
        JsonKind::Number(n) => Ok(format_number(*n).into()),
        JsonKind::Bool(b) => Ok(b.to_string().into()),
        _ => Err(invalid(
            item,
            format!(
                "a condition value must be a string, not {}",
                item.kind_name()
            ),
            "write the value as a string, or several values as an array of strings",
        )),
    }
}

/// Print a number the way it reads in JSON (`10`, not `10.0`).
pub(crate) fn format_number(n: f64) -> String {
    format!("{n}")
}

/// A value of a non-string operator type.
pub(crate) fn typed(ty: ValueType, item: &JsonValue) -> Result<Typed, Diagnostic> {
    let span = item.span;
    match ty {
        ValueType::Numeric => numeric(item).map(|n| Typed::Numeric(Spanned::new(n, span))),
        ValueType::Date => date(item).map(|d| Typed::Date(Spanned::new(d, span))),
        ValueType::Bool => boolean(item, "`Bool`").map(|b| Typed::Bool(Spanned::new(b, span))),
        ValueType::Null => boolean(item, "`Null`").map(|b| Typed::Null(Spanned::new(b, span))),
        ValueType::Binary => binary(item).map(|b| Typed::Binary(Spanned::new(b, span))),
        ValueType::Ip => ip(item).map(|n| Typed::Ip(Spanned::new(n, span))),
        ValueType::String | ValueType::Arn => Err(invalid(
            item,
            "internal: string value read as typed".into(),
            "",
        )),
    }
}

fn numeric(item: &JsonValue) -> Result<f64, Diagnostic> {
    let parsed =
        match &item.kind {
            JsonKind::Number(n) => Some(*n),
            JsonKind::String(s) => s.trim().parse::<f64>().ok().filter(|n| {
                n.is_finite() && !s.trim().is_empty() && !s.contains(['i', 'I', 'n', 'N'])
            }),
            _ => None,
        };
    parsed.ok_or_else(|| {
        invalid(
            item,
            format!("{} is not a number", describe(item)),
            "`Numeric…` operators compare numbers such as `10` or `\"2.5\"`",
        )
    })
}

fn boolean(item: &JsonValue, operator: &str) -> Result<bool, Diagnostic> {
    let parsed = match &item.kind {
        JsonKind::Bool(b) => Some(*b),
        JsonKind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        JsonKind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    parsed.ok_or_else(|| {
        invalid(
            item,
            format!("{} is not `true` or `false`", describe(item)),
            &format!("{operator} takes `true` or `false`"),
        )
    })
}

fn binary(item: &JsonValue) -> Result<Box<str>, Diagnostic> {
    let ok = |s: &str| {
        !s.is_empty()
            && s.len() % 4 == 0
            && s.trim_end_matches('=')
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
            && s.len() - s.trim_end_matches('=').len() <= 2
    };
    match &item.kind {
        JsonKind::String(s) if ok(s) => Ok(s.clone()),
        _ => Err(invalid(
            item,
            format!("{} is not base64", describe(item)),
            "`BinaryEquals` compares base64-encoded values such as `\"QmluYXJ5VmFsdWU=\"`",
        )),
    }
}

fn ip(item: &JsonValue) -> Result<ipnet::IpNet, Diagnostic> {
    let parsed = match &item.kind {
        JsonKind::String(s) => s
            .parse::<ipnet::IpNet>()
            .ok()
            .or_else(|| s.parse::<IpAddr>().ok().map(ipnet::IpNet::from)),
        _ => None,
    };
    parsed.ok_or_else(|| {
        invalid(
            item,
            format!("{} is not an IP address or CIDR range", describe(item)),
            "write an address such as `\"203.0.113.7\"` or a range such as `\"203.0.113.0/24\"` or `\"2001:db8::/32\"`",
        )
    })
}

const DATE_HELP: &str = "write an ISO 8601 date such as `\"2026-01-31T12:00:00Z\"` or `\"2026-01-31\"`, or epoch seconds such as `1769860800`";

fn date(item: &JsonValue) -> Result<DateValue, Diagnostic> {
    let parsed = match &item.kind {
        JsonKind::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(DateValue {
            epoch_seconds: *n as i64,
            nanos: 0,
        }),
        JsonKind::String(s) => parse_date(s),
        _ => None,
    };
    parsed.ok_or_else(|| invalid(item, format!("{} is not a date", describe(item)), DATE_HELP))
}

/// Parse a date as IAM accepts it: the W3C profile of ISO 8601 (`YYYY`,
/// `YYYY-MM`, `YYYY-MM-DD`, with `Thh:mm[:ss[.s]]` and a zone) or epoch seconds.
pub fn parse_date(text: &str) -> Option<DateValue> {
    let text = text.trim();
    if !text.is_empty()
        && text.len() <= 15
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-'))
        && text.len() > 4
    {
        return text.parse::<i64>().ok().map(|s| DateValue {
            epoch_seconds: s,
            nanos: 0,
        });
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(from_utc(dt.naive_utc()));
    }
    for format in [
        "%Y-%m-%dT%H:%M%#z",
        "%Y-%m-%dT%H:%MZ",
        "%Y-%m-%dT%H:%M:%SZ",
        "%Y-%m-%dT%H:%M:%S%.fZ",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(from_utc(dt.naive_utc()));
        }
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(from_utc(dt));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(from_utc(dt));
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| text.len() == 7)
        })
        .or_else(|| {
            NaiveDate::parse_from_str(&format!("{text}-01-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| text.len() == 4)
        })?;
    date.and_hms_opt(0, 0, 0).map(from_utc)
}

fn from_utc(dt: NaiveDateTime) -> DateValue {
    let utc = dt.and_utc();
    DateValue {
        epoch_seconds: utc.timestamp(),
        nanos: utc.timestamp_subsec_nanos(),
    }
}

fn describe(item: &JsonValue) -> String {
    match &item.kind {
        JsonKind::String(s) => format!("`{s}`"),
        JsonKind::Number(n) => format!("`{}`", format_number(*n)),
        JsonKind::Bool(b) => format!("`{b}`"),
        _ => item.kind_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_w3c_form_and_epoch_seconds() {
        let midnight = parse_date("2026-01-31").unwrap().epoch_seconds;
        assert_eq!(
            parse_date("2026-01-31T00:00:00Z").unwrap().epoch_seconds,
            midnight
        );
        assert_eq!(
            parse_date("2026-01-31T01:00:00+01:00")
                .unwrap()
                .epoch_seconds,
            midnight
        );
        assert_eq!(
            parse_date("2026-01-31T00:00Z").unwrap().epoch_seconds,
            midnight
        );
        assert_eq!(
            parse_date(&midnight.to_string()).unwrap().epoch_seconds,
            midnight
        );
        assert_eq!(
            parse_date("2026-01").unwrap().epoch_seconds,
            parse_date("2026-01-01").unwrap().epoch_seconds
        );
        assert_eq!(
            parse_date("2026").unwrap().epoch_seconds,
            parse_date("2026-01-01").unwrap().epoch_seconds
        );
        assert_eq!(
            parse_date("2026-01-31T00:00:00.5Z").unwrap().nanos,
            500_000_000
        );
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("2026-13-01").is_none());
    }
}
