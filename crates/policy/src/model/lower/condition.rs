//! The `Condition` block: operators, keys, and values typed by operator.

use crate::diagnostic::Diagnostic;
use crate::json::{JsonKind, JsonValue};
use crate::model::{
    Condition, ConditionKey, ConditionValues, Conditions, Operator, OperatorBase, ValueType,
};
use crate::span::Spanned;

use super::codes::{EMPTY_VALUE, UNKNOWN_OPERATOR};
use super::context::Lowerer;
use super::escape_pointer;
use super::values;

impl Lowerer {
    pub(crate) fn conditions(
        &mut self,
        value: &JsonValue,
        pointer: &str,
    ) -> Option<Spanned<Conditions>> {
        let members = self.expect_object(value, "`Condition`", pointer)?;
        let mut entries = Vec::new();
        let mut ok = true;
        for op_member in members {
            let op_pointer = format!("{pointer}/{}", escape_pointer(&op_member.key));
            let Some(operator) = self.operator(&op_member.key, op_member.key_span, &op_pointer)
            else {
                ok = false;
                continue;
            };
            let Some(keys) = self.expect_object(
                &op_member.value,
                &format!("the `{}` block", op_member.key),
                &op_pointer,
            ) else {
                ok = false;
                continue;
            };
            if keys.is_empty() {
                self.push(
                    Diagnostic::error(
                        EMPTY_VALUE,
                        format!("the `{}` block tests no condition key", op_member.key),
                        op_member.value.span,
                    )
                    .with_help("add a condition key and its values, or remove the operator")
                    .with_pointer(op_pointer.clone()),
                );
                ok = false;
                continue;
            }
            for key_member in keys {
                let key_pointer = format!("{op_pointer}/{}", escape_pointer(&key_member.key));
                if key_member.key.is_empty() {
                    self.push(
                        Diagnostic::error(
                            EMPTY_VALUE,
                            "the condition key is empty",
                            key_member.key_span,
                        )
                        .with_help("name a condition key such as `kms:CallerAccount`")
                        .with_pointer(key_pointer.clone()),
                    );
                    ok = false;
                    continue;
                }
                let key = Spanned::new(ConditionKey::new(&key_member.key), key_member.key_span);
                match self.condition_values(operator.node, &key_member.value, &key_pointer) {
                    Some((values, array)) => entries.push(Condition {
                        operator,
                        key,
                        values,
                        values_span: key_member.value.span,
                        array,
                    }),
                    None => ok = false,
                }
            }
        }
        ok.then(|| Spanned::new(Conditions { entries }, value.span))
    }

    fn operator(
        &mut self,
        name: &str,
        span: crate::span::Span,
        pointer: &str,
    ) -> Option<Spanned<Operator>> {
        if let Some(op) = Operator::parse(name) {
            return Some(Spanned::new(op, span));
        }
        let help = suggest_operator(name).unwrap_or_else(|| {
            "operators are e.g. `StringEquals`, `ArnLike`, `Bool`, `IpAddress`, `Null`, optionally with `ForAllValues:`/`ForAnyValue:` before and `IfExists` after".to_string()
        });
        self.push(
            Diagnostic::error(
                UNKNOWN_OPERATOR,
                format!("`{name}` is not a condition operator"),
                span,
            )
            .with_help(help)
            .with_pointer(pointer),
        );
        None
    }

    /// The values under one key: a scalar or a non-empty array, each typed by the operator.
    fn condition_values(
        &mut self,
        operator: Operator,
        value: &JsonValue,
        pointer: &str,
    ) -> Option<(ConditionValues, bool)> {
        let (items, array): (Vec<(&JsonValue, String)>, bool) = match &value.kind {
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.empty_list(value.span, "the condition's value", pointer);
                    return None;
                }
                (
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v, format!("{pointer}/{i}")))
                        .collect(),
                    true,
                )
            }
            _ => (vec![(value, pointer.to_string())], false),
        };
        let ty = operator.base.value_type();
        let mut values = ConditionValues::empty(ty);
        let mut ok = true;
        for (item, at) in items {
            match ty {
                ValueType::String | ValueType::Arn => match values::text(item) {
                    Ok(text) => match self.template(Spanned::new(text.as_str(), item.span), &at) {
                        Some(t) => values.push_string(Spanned::new(t, item.span)),
                        None => ok = false,
                    },
                    Err(d) => {
                        self.push(d.with_pointer(at));
                        ok = false;
                    }
                },
                _ => match values::typed(ty, item) {
                    Ok(v) => values.push_typed(v),
                    Err(d) => {
                        self.push(d.with_pointer(at));
                        ok = false;
                    }
                },
            }
        }
        ok.then_some((values, array))
    }
}

fn suggest_operator(name: &str) -> Option<String> {
    let bare = name
        .trim_start_matches("ForAllValues:")
        .trim_start_matches("ForAnyValue:");
    let lowered = name.to_ascii_lowercase();
    for op in OperatorBase::ALL {
        for candidate in [op.name().to_string(), format!("{}IfExists", op.name())] {
            for prefix in ["", "ForAllValues:", "ForAnyValue:"] {
                let full = format!("{prefix}{candidate}");
                if full.to_ascii_lowercase() == lowered {
                    return Some(format!("operator names are case-sensitive: write `{full}`"));
                }
            }
        }
    }
    if bare == "NullIfExists" {
        return Some("`Null` already tests for presence; it has no `IfExists` form".to_string());
    }
    if name.starts_with("ForAllValue:") || name.starts_with("ForAnyValues:") {
        return Some(
            "the set qualifiers are spelled `ForAllValues:` and `ForAnyValue:`".to_string(),
        );
    }
    None
}
