//! Condition operators explained, for hover and completion: what each base
//! operator compares, and what the set qualifiers and `IfExists` change.

use keyward_policy::model::{Operator, OperatorBase, SetQualifier};

/// One line on what the base operator tests.
pub(crate) fn describe_base(base: OperatorBase) -> &'static str {
    use OperatorBase as B;
    match base {
        B::StringEquals => "exact string match, case-sensitive",
        B::StringNotEquals => "negated exact string match, case-sensitive",
        B::StringEqualsIgnoreCase => "exact string match, ignoring case",
        B::StringNotEqualsIgnoreCase => "negated exact string match, ignoring case",
        B::StringLike => "case-sensitive match with `*` and `?` wildcards",
        B::StringNotLike => "negated case-sensitive match with `*` and `?` wildcards",
        B::NumericEquals => "number equal to",
        B::NumericNotEquals => "number not equal to",
        B::NumericLessThan => "number less than",
        B::NumericLessThanEquals => "number less than or equal to",
        B::NumericGreaterThan => "number greater than",
        B::NumericGreaterThanEquals => "number greater than or equal to",
        B::DateEquals => "date equal to (ISO 8601 or epoch seconds)",
        B::DateNotEquals => "date not equal to",
        B::DateLessThan => "date before",
        B::DateLessThanEquals => "date at or before",
        B::DateGreaterThan => "date after",
        B::DateGreaterThanEquals => "date at or after",
        B::Bool => "boolean match (`true` or `false`)",
        B::BinaryEquals => "byte-for-byte match of base64-encoded values",
        B::IpAddress => "IP address within a CIDR range",
        B::NotIpAddress => "IP address outside every CIDR range",
        B::ArnEquals => "ARN match, segment by segment, with `*` and `?` wildcards",
        B::ArnLike => "ARN match, segment by segment, with `*` and `?` wildcards",
        B::ArnNotEquals => "negated ARN match",
        B::ArnNotLike => "negated ARN match",
        B::Null => "`true`: the key is absent from the request; `false`: it is present",
    }
}

/// Markdown explaining `operator`, qualifiers and suffix included.
pub(crate) fn describe(operator: &Operator) -> String {
    let mut out = format!(
        "**`{}`** — condition operator: {}.",
        operator.name(),
        describe_base(operator.base)
    );
    if operator.base.is_negated() {
        out.push_str(" Negated: true when the key is missing from the request.");
    }
    match operator.qualifier {
        Some(SetQualifier::ForAnyValue) => out.push_str(
            "\n\n`ForAnyValue:` at least one value of a multi-valued request key must match; false when the key is missing or empty.",
        ),
        Some(SetQualifier::ForAllValues) => out.push_str(
            "\n\n`ForAllValues:` every value of the request key must match; **true when the key is missing or empty** (pair it with a `Null` test or an explicit key).",
        ),
        None => {}
    }
    if operator.if_exists {
        out.push_str("\n\n`…IfExists`: also true when the key is absent from the request.");
    }
    out
}

/// Every spelling of every operator: plain, `…IfExists`, and each with
/// `ForAnyValue:` / `ForAllValues:`, in a stable order.
pub(crate) fn every_spelling() -> Vec<Operator> {
    let mut out = Vec::new();
    for qualifier in [
        None,
        Some(SetQualifier::ForAnyValue),
        Some(SetQualifier::ForAllValues),
    ] {
        for if_exists in [false, true] {
            for base in OperatorBase::ALL {
                let op = Operator {
                    qualifier,
                    base: *base,
                    if_exists,
                };
                if Operator::parse(&op.name()).is_some() {
                    out.push(op);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_parses_back_and_null_has_no_if_exists() {
        let all = every_spelling();
        // 27 bases × 2 suffixes × 3 qualifiers, less the three `NullIfExists`.
        assert_eq!(all.len(), 27 * 2 * 3 - 3);
        assert!(all
            .iter()
            .all(|op| Operator::parse(&op.name()) == Some(*op)));
        assert!(!all.iter().any(|op| op.name() == "NullIfExists"));
    }

    #[test]
    fn descriptions_explain_the_qualifier_traps() {
        let op = Operator::parse("ForAllValues:StringLikeIfExists").unwrap();
        let text = describe(&op);
        assert!(text.contains("true when the key is missing or empty"));
        assert!(text.contains("IfExists"));
        assert!(describe(&Operator::parse("StringNotEquals").unwrap()).contains("Negated"));
    }
}
