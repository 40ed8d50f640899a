//! The `Condition` block, read straight from the tokens.

use std::collections::HashSet;

use crate::json::lex::{Tok, Token};
use crate::json::{JsonKind, JsonValue};
use crate::model::{Condition, ConditionKey, ConditionValues, Conditions, Operator, ValueType};
use crate::span::Spanned;

use super::super::values;
use super::reader::{GiveUp, Reader, Step};

/// Blocks with more keys than this get a hash set to find duplicates.
const SCAN_LIMIT: usize = 16;

impl<'a> Reader<'a> {
    pub(super) fn conditions(&mut self) -> Step<Spanned<Conditions>> {
        let open = self.open(b'{').ok_or(GiveUp)?;
        let mut entries: Vec<Condition> = Vec::new();
        // Operators seen in this block, to catch a duplicate; there are a
        // few hundred distinct ones at most, so scanning stays linear.
        let mut operators: Vec<Operator> = Vec::new();
        let span = self.object(open, |r, name, name_span| {
            let operator = Operator::parse(&name).ok_or(GiveUp)?;
            if operators.contains(&operator) {
                return Err(GiveUp);
            }
            operators.push(operator);
            let operator = Spanned::new(operator, name_span);
            let first = entries.len();
            let mut hashed: Option<HashSet<Box<str>>> = None;
            let block = r.open(b'{').ok_or(GiveUp)?;
            r.object(block, |r, key, key_span| {
                if key.is_empty() || duplicate(&key, &entries[first..], &mut hashed) {
                    return Err(GiveUp);
                }
                let (values, array, values_span) = r.condition_values(operator.node)?;
                entries.push(Condition {
                    operator,
                    key: Spanned::new(ConditionKey::new(key), key_span),
                    values,
                    values_span,
                    array,
                });
                Ok(())
            })?;
            if entries.len() == first {
                return Err(GiveUp);
            }
            Ok(())
        })?;
        Ok(Spanned::new(Conditions { entries }, span))
    }

    /// The values under one key: a scalar or a non-empty array of them,
    /// each typed by the operator.
    fn condition_values(
        &mut self,
        operator: Operator,
    ) -> Step<(ConditionValues, bool, crate::span::Span)> {
        let ty = operator.base.value_type();
        let mut out = ConditionValues::empty(ty);
        if let Some(open) = self.open(b'[') {
            let mut count = 0;
            let span = self.array(open, |r, _| {
                count += 1;
                let token = r.next()?;
                r.condition_value(ty, token, &mut out)
            })?;
            if count == 0 {
                return Err(GiveUp);
            }
            return Ok((out, true, span));
        }
        let token = self.next()?;
        let span = token.span;
        self.condition_value(ty, token, &mut out)?;
        Ok((out, false, span))
    }

    /// One value, read by the same rules as the tree path's (`values.rs`).
    fn condition_value(
        &mut self,
        ty: ValueType,
        token: Token<'a>,
        out: &mut ConditionValues,
    ) -> Step<()> {
        let kind = match token.tok {
            Tok::Str(s) => JsonKind::String(s.into()),
            Tok::Num(n) => JsonKind::Number(n),
            Tok::Bool(b) => JsonKind::Bool(b),
            _ => return Err(GiveUp),
        };
        let mut item = JsonValue {
            span: token.span,
            kind,
        };
        match ty {
            ValueType::String | ValueType::Arn => {
                let text = values::text(&mut item).map_err(|_| GiveUp)?;
                let template = self.template(text)?;
                out.push_string(Spanned::new(template, item.span));
            }
            _ => out.push_typed(values::typed(ty, &item).map_err(|_| GiveUp)?),
        }
        Ok(())
    }
}

/// Whether `key` is already a key of the block whose entries are `block`.
/// Past [`SCAN_LIMIT`] keys, a hash set (built once) answers instead.
fn duplicate(key: &str, block: &[Condition], hashed: &mut Option<HashSet<Box<str>>>) -> bool {
    if let Some(set) = hashed {
        return !set.insert(key.into());
    }
    if block.iter().any(|c| c.key.node.as_str() == key) {
        return true;
    }
    if block.len() >= SCAN_LIMIT {
        let mut set: HashSet<Box<str>> = block.iter().map(|c| c.key.node.as_str().into()).collect();
        set.insert(key.into());
        *hashed = Some(set);
    }
    false
}
