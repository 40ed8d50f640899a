//! One statement: `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`
//! and their `Not…` forms.

use crate::diagnostic::Diagnostic;
use crate::json::{JsonMember, JsonValue};
use crate::matching::ActionPattern;
use crate::model::{Actions, Effect, Resources, Statement, Template};
use crate::span::{Span, Spanned};

use super::codes::{
    CONFLICTING_ELEMENTS, INVALID_ACTION, INVALID_EFFECT, INVALID_RESOURCE, INVALID_VARIABLE,
    MISSING_ACTION, MISSING_EFFECT,
};
use super::context::Lowerer;
use super::path::Path;

const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Which of an element and its `Not…` form a statement has.
enum Picked<'v> {
    /// Neither.
    Neither,
    /// One of them; `true` for the `Not…` form.
    One(&'v mut JsonMember, bool),
    /// Both (already reported).
    Conflict,
}

/// The members of a statement, sorted by element, before lowering.
#[derive(Default)]
struct Members<'v> {
    sid: Option<&'v mut JsonMember>,
    effect: Option<&'v mut JsonMember>,
    principal: Option<&'v mut JsonMember>,
    not_principal: Option<&'v mut JsonMember>,
    action: Option<&'v mut JsonMember>,
    not_action: Option<&'v mut JsonMember>,
    resource: Option<&'v mut JsonMember>,
    not_resource: Option<&'v mut JsonMember>,
    condition: Option<&'v mut JsonMember>,
}

impl Lowerer {
    pub(crate) fn statement(
        &mut self,
        value: &mut JsonValue,
        index: usize,
        at: &Path<'_>,
    ) -> Option<Statement> {
        let span = value.span;
        let members = self.expect_object(value, "a statement", at)?;
        let mut m = Members::default();
        for member in members {
            let slot = match &*member.key {
                "Sid" => &mut m.sid,
                "Effect" => &mut m.effect,
                "Principal" => &mut m.principal,
                "NotPrincipal" => &mut m.not_principal,
                "Action" => &mut m.action,
                "NotAction" => &mut m.not_action,
                "Resource" => &mut m.resource,
                "NotResource" => &mut m.not_resource,
                "Condition" => &mut m.condition,
                other => {
                    let at = at.key(other);
                    self.unknown_element(other, member.key_span, &at, STATEMENT_ELEMENTS);
                    continue;
                }
            };
            *slot = Some(member);
        }
        let child = |name: &'static str| at.key(name);

        let sid = m
            .sid
            .and_then(|s| self.string(&mut s.value, "`Sid`", &child("Sid")))
            .map(|s| s.map(String::from));
        let effect = match m.effect {
            Some(e) => self.effect(&mut e.value, &child("Effect")),
            None => {
                self.push(
                    Diagnostic::error(MISSING_EFFECT, "the statement has no `Effect`", span)
                        .with_help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`")
                        .with_pointer(at.render()),
                );
                None
            }
        };

        let principal = match self.pick(m.principal, m.not_principal, "Principal", at) {
            Picked::One(member, negated) => {
                let name = if negated { "NotPrincipal" } else { "Principal" };
                Some(self.principals(&mut member.value, negated, &child(name)))
            }
            Picked::Conflict => Some(None),
            Picked::Neither => None,
        };

        let action = match self.pick(m.action, m.not_action, "Action", at) {
            Picked::One(member, negated) => {
                let name = if negated { "NotAction" } else { "Action" };
                self.actions(&mut member.value, negated, &child(name))
            }
            Picked::Conflict => None,
            Picked::Neither => {
                self.push(
                    Diagnostic::error(MISSING_ACTION, "the statement has no `Action` or `NotAction`", span)
                        .with_help("add `\"Action\"` with the actions the statement is about, e.g. `\"kms:Decrypt\"`")
                        .with_pointer(at.render()),
                );
                None
            }
        };

        let resource = match self.pick(m.resource, m.not_resource, "Resource", at) {
            Picked::One(member, negated) => {
                let name = if negated { "NotResource" } else { "Resource" };
                Some(self.resources(&mut member.value, negated, &child(name)))
            }
            Picked::Conflict => Some(None),
            Picked::Neither => None,
        };

        let condition = m
            .condition
            .map(|c| self.conditions(&mut c.value, &child("Condition")));

        // Every element was lowered (and its mistakes reported) before any
        // failure ends the statement.
        Some(Statement {
            index,
            span: value.span,
            sid,
            effect: effect?,
            principal: present(principal)?,
            action: action?,
            resource: present(resource)?,
            condition: present(condition)?,
        })
    }

    /// Choose between an element and its `Not…` form; both at once is an error.
    fn pick<'v>(
        &mut self,
        plain: Option<&'v mut JsonMember>,
        not: Option<&'v mut JsonMember>,
        name: &str,
        at: &Path<'_>,
    ) -> Picked<'v> {
        match (plain, not) {
            (Some(p), Some(n)) => {
                self.push(
                    Diagnostic::error(
                        CONFLICTING_ELEMENTS,
                        format!("a statement cannot have both `{name}` and `Not{name}`"),
                        n.key_span,
                    )
                    .with_related(p.key_span, format!("`{name}` is here"))
                    .with_help(format!("keep one of `{name}` and `Not{name}`; split the statement if you need both"))
                    .with_pointer(at.render()),
                );
                Picked::Conflict
            }
            (Some(p), None) => Picked::One(p, false),
            (None, Some(n)) => Picked::One(n, true),
            (None, None) => Picked::Neither,
        }
    }

    fn effect(&mut self, value: &mut JsonValue, at: &Path<'_>) -> Option<Spanned<Effect>> {
        let text = self.string(value, "`Effect`", at)?;
        let effect = match &*text.node {
            "Allow" => Effect::Allow,
            "Deny" => Effect::Deny,
            other => {
                let help =
                    if other.eq_ignore_ascii_case("allow") || other.eq_ignore_ascii_case("deny") {
                        "`Effect` is case-sensitive: write `Allow` or `Deny`"
                    } else {
                        "`Effect` is either `Allow` or `Deny`"
                    };
                self.push(
                    Diagnostic::error(
                        INVALID_EFFECT,
                        format!("`{other}` is not an effect"),
                        text.span,
                    )
                    .with_help(help)
                    .with_pointer(at.render()),
                );
                return None;
            }
        };
        Some(Spanned::new(effect, text.span))
    }

    fn actions(
        &mut self,
        value: &mut JsonValue,
        negated: bool,
        at: &Path<'_>,
    ) -> Option<Spanned<Actions>> {
        let what = if negated { "`NotAction`" } else { "`Action`" };
        let (mut items, array) = self.string_or_list(value, what, at)?;
        let mut patterns = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.drain(..).enumerate() {
            match ActionPattern::from_boxed(item.node) {
                Ok(p) => patterns.push(Spanned::new(p, item.span)),
                Err(e) => {
                    let at = at.item(i, array);
                    self.push(
                        Diagnostic::error(INVALID_ACTION, e.to_string(), item.span)
                            .with_help("write actions as `service:Action`, e.g. `kms:Decrypt`, or `kms:*` for all of a service's actions")
                            .with_pointer(at.render()),
                    );
                    ok = false;
                }
            }
        }
        self.recycle(items);
        ok.then(|| {
            Spanned::new(
                Actions {
                    negated,
                    items: patterns,
                    array,
                },
                value.span,
            )
        })
    }

    fn resources(
        &mut self,
        value: &mut JsonValue,
        negated: bool,
        at: &Path<'_>,
    ) -> Option<Spanned<Resources>> {
        let what = if negated {
            "`NotResource`"
        } else {
            "`Resource`"
        };
        let (mut items, array) = self.string_or_list(value, what, at)?;
        let mut templates = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.drain(..).enumerate() {
            let at = at.item(i, array);
            let span = item.span;
            match self.resource(item, &at) {
                Some(t) => templates.push(Spanned::new(t, span)),
                None => ok = false,
            }
        }
        self.recycle(items);
        ok.then(|| {
            Spanned::new(
                Resources {
                    negated,
                    items: templates,
                    array,
                },
                value.span,
            )
        })
    }

    fn resource(&mut self, item: Spanned<Box<str>>, at: &Path<'_>) -> Option<Template> {
        let text = &*item.node;
        if !is_resource(text) {
            self.push(
                Diagnostic::error(INVALID_RESOURCE, format!("`{text}` is not `*` or an ARN"), item.span)
                    .with_help("in a key policy write `\"Resource\": \"*\"` (it means this key); elsewhere give the key's ARN, e.g. `arn:aws:kms:us-east-1:111122223333:key/…`")
                    .with_pointer(at.render()),
            );
            return None;
        }
        self.template(item, at)
    }

    /// Read a string as a [`Template`]: with variables under 2012-10-17,
    /// literally otherwise.
    pub(crate) fn template(&mut self, item: Spanned<Box<str>>, at: &Path<'_>) -> Option<Template> {
        if !self.variables {
            return Some(Template::literal(item.node));
        }
        match Template::parse_boxed(item.node) {
            Ok(t) => Some(t),
            Err((text, offset)) => {
                // +1: the opening quote of the JSON string. Escapes inside the
                // string can shift this; the span is then clamped to the string.
                let start = (item.span.start as usize + 1 + offset.start as usize)
                    .min(item.span.end as usize);
                let end = (item.span.start as usize + 1 + offset.end as usize)
                    .min(item.span.end as usize);
                self.push(
                    Diagnostic::error(
                        INVALID_VARIABLE,
                        format!("`{}` is not a valid policy variable", text.get(offset.range()).unwrap_or(&text)),
                        Span::new(start, end),
                    )
                    .with_help("write variables as `${aws:username}` or with a default `${aws:PrincipalTag/team, 'none'}`; for a literal `$`, `*` or `?` write `${$}`, `${*}` or `${?}`")
                    .with_pointer(at.render()),
                );
                None
            }
        }
    }
}

/// A `Resource` value is `*` or has the shape of an ARN (six `:`-separated parts).
pub(super) fn is_resource(text: &str) -> bool {
    text == "*" || (text.starts_with("arn:") && text.bytes().filter(|&b| b == b':').count() >= 5)
}

/// An optional element that failed to lower is `None`; one that was absent is `Some(None)`.
fn present<T>(element: Option<Option<T>>) -> Option<Option<T>> {
    match element {
        Some(Some(value)) => Some(Some(value)),
        Some(None) => None,
        None => Some(None),
    }
}
