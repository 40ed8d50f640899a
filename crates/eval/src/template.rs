//! Policy variables (rules 47–48): resolving `${…}` against a request.
//!
//! Resolution allocates; it only runs for policies that use variables.

use keyward_policy::matching::{Pattern, PatternToken};
use keyward_policy::model::{Template, TemplatePart};

use crate::context::{CtxKey, Found, Val};
use crate::env::Env;

/// A variable could not be resolved: it names a multi-valued key, or needs a
/// clock that is not set. Fails closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unresolvable;

/// The text of one variable, `None` when the key is absent and there is no
/// default (the value is "null": positive operators do not match it).
fn variable_value(
    key: &str,
    default: Option<&str>,
    env: &Env<'_>,
) -> Result<Option<String>, Unresolvable> {
    let ctx_key = CtxKey::parse(key);
    match env.lookup(&ctx_key) {
        Found::Missing => Ok(default.map(str::to_string)),
        Found::One(Val::Str(s)) => Ok(Some(s.to_string())),
        Found::One(Val::Bool(b)) => Ok(Some(b.to_string())),
        Found::One(Val::Time(t)) => Ok(Some(t.to_iso8601())),
        Found::One(Val::Epoch(t)) => Ok(Some(t.seconds.to_string())),
        Found::Strs(_) | Found::EcKeys(_) | Found::NoClock => Err(Unresolvable),
    }
}

/// Resolve to plain text (every wildcard-looking character literal).
pub(crate) fn resolve_text(t: &Template, env: &Env<'_>) -> Result<Option<String>, Unresolvable> {
    let mut out = String::with_capacity(t.raw().len());
    for part in t.parts() {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Escaped(c) => out.push(c),
            TemplatePart::Variable(v) => match variable_value(&v.key, v.default.as_deref(), env)? {
                Some(value) => out.push_str(&value),
                None => return Ok(None),
            },
        }
    }
    Ok(Some(out))
}

/// Resolve to wildcard tokens: `*`/`?` in the policy's own text are
/// wildcards, escapes and variable values are literal.
pub(crate) fn resolve_tokens(
    t: &Template,
    env: &Env<'_>,
) -> Result<Option<Vec<PatternToken>>, Unresolvable> {
    let mut tokens = Vec::new();
    for part in t.parts() {
        match part {
            TemplatePart::Text(text) => tokens.extend(Pattern::new(text).tokens().iter().cloned()),
            TemplatePart::Escaped(c) => tokens.push(PatternToken::Literal(c.to_string().into())),
            TemplatePart::Variable(v) => match variable_value(&v.key, v.default.as_deref(), env)? {
                Some(value) if !value.is_empty() => {
                    tokens.push(PatternToken::Literal(value.into()));
                }
                Some(_) => {}
                None => return Ok(None),
            },
        }
    }
    Ok(Some(merge_literals(tokens)))
}

fn merge_literals(tokens: Vec<PatternToken>) -> Vec<PatternToken> {
    let mut out: Vec<PatternToken> = Vec::with_capacity(tokens.len());
    for token in tokens {
        match (out.last_mut(), token) {
            (Some(PatternToken::Literal(prev)), PatternToken::Literal(next)) => {
                *prev = format!("{prev}{next}").into();
            }
            (_, token) => out.push(token),
        }
    }
    out
}
