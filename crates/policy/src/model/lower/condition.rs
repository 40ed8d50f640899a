//! The `Condition` block: operators, keys, and values typed by operator.

use crate::diagnostic::Diagnostic;
use crate::json::{JsonKind, JsonValue};
use crate::model::{
    Condition, ConditionKey, ConditionValues, Conditions, Operator, OperatorBase, ValueType,
};
use crate::span::Spanned;

use super::codes::{EMPTY_VALUE, UNKNOWN_OPERATOR};
use super::context::Lowerer;
use super::path::Path;
use super::values;

impl Lowerer {
    pub(crate) fn conditions(
        &mut self,
        value: &mut JsonValue,
        at: &Path<'_>,
    ) -> Option<Spanned<Conditions>> {
        let members = self.expect_object(value, "`Condition`", at)?;
        let mut entries = Vec::new();
        let mut ok = true;
        for op_member in members {
            let op_pointer = at.key(&op_member.key);
            let Some(operator) = self.operator(&op_member.key, op_member.key_span, &op_pointer)
            else {
                ok = false;
                continue;
            };
            let Some(keys) = self.expect_object(
                &mut op_member.value,
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
                    .with_pointer(op_pointer.render()),
                );
                ok = false;
                continue;
            }
            for key_member in keys {
                let key = Spanned::new(
                    ConditionKey::new(std::mem::take(&mut key_member.key)),
                    key_member.key_span,
                );
                let key_pointer = op_pointer.key(key.node.as_str());
                if key.node.as_str().is_empty() {
                    self.push(
                        Diagnostic::error(
                            EMPTY_VALUE,
                            "the condition key is empty",
                            key_member.key_span,
                        )
                        .with_help("name a condition key such as `kms:CallerAccount`")
                        .with_pointer(key_pointer.render()),
                    );
                    ok = false;
                    continue;
                }
                let values_span = key_member.value.span;
                match self.condition_values(operator.node, &mut key_member.value, &key_pointer) {
                    Some((values, array)) => entries.push(Condition {
                        operator,
                        key,
                        values,
                        values_span,
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
        at: &Path<'_>,
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
            .with_pointer(at.render()),
        );
        None
    }

    /// The values under one key: a scalar or a non-empty array, each typed by the operator.
    fn condition_values(
        &mut self,
        operator: Operator,
        value: &mut JsonValue,
        at: &Path<'_>,
    ) -> Option<(ConditionValues, bool)> {
        let span = value.span;
        let (items, array): (&mut [JsonValue], bool) = match &mut value.kind {
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.empty_list(span, "the condition's value", at);
                    return None;
                }
                (items, true)
            }
            _ => (std::slice::from_mut(value), false),
        };
        let ty = operator.base.value_type();
        let mut values = ConditionValues::empty(ty);
        let mut ok = true;
        for (i, item) in items.iter_mut().enumerate() {
            let at = at.item(i, array);
            match ty {
                ValueType::String | ValueType::Arn => match values::text(item) {
                    Ok(text) => match self.template(Spanned::new(text, item.span), &at) {
                        Some(t) => values.push_string(Spanned::new(t, item.span)),
                        None => ok = false,
                    },
                    Err(d) => {
                        self.push(d.with_pointer(at.render()));
                        ok = false;
                    }
                },
                _ => match values::typed(ty, item) {
                    Ok(v) => values.push_typed(v),
                    Err(d) => {
                        self.push(d.with_pointer(at.render()));
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
