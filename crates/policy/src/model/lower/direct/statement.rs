//! One statement and its elements, read straight from the tokens.

use crate::json::lex::{Tok, Token};
use crate::matching::ActionPattern;
use crate::model::{
    Actions, Effect, PrincipalGroup, PrincipalKind, PrincipalSpec, Principals, Resources, Statement,
};
use crate::span::{Span, Spanned};

use super::super::elements::is_resource;
use super::super::principal::check_principal;
use super::reader::{vacant, GiveUp, Reader, Step, StringList};

impl<'a> Reader<'a> {
    /// The statement object `open` starts, at `index` in the policy.
    pub(super) fn statement(&mut self, open: Token<'a>, index: usize) -> Step<Statement> {
        let mut sid = None;
        let mut effect = None;
        let mut principal = None;
        let mut action = None;
        let mut resource = None;
        let mut condition = None;
        let span = self.object(open, |r, key, _| {
            match &*key {
                "Sid" => {
                    vacant(&sid)?;
                    sid = Some(r.string()?.map(String::from));
                }
                "Effect" => {
                    vacant(&effect)?;
                    effect = Some(r.effect()?);
                }
                "Principal" | "NotPrincipal" => {
                    vacant(&principal)?;
                    principal = Some(r.principals(&*key == "NotPrincipal")?);
                }
                "Action" | "NotAction" => {
                    vacant(&action)?;
                    action = Some(r.actions(&*key == "NotAction")?);
                }
                "Resource" | "NotResource" => {
                    vacant(&resource)?;
                    resource = Some(r.resources(&*key == "NotResource")?);
                }
                "Condition" => {
                    vacant(&condition)?;
                    condition = Some(r.conditions()?);
                }
                _ => return Err(GiveUp),
            }
            Ok(())
        })?;
        Ok(Statement {
            index,
            span,
            sid,
            effect: effect.ok_or(GiveUp)?,
            principal,
            action: action.ok_or(GiveUp)?,
            resource,
            condition,
        })
    }

    fn effect(&mut self) -> Step<Spanned<Effect>> {
        let text = self.string()?;
        let effect = match &*text.node {
            "Allow" => Effect::Allow,
            "Deny" => Effect::Deny,
            _ => return Err(GiveUp),
        };
        Ok(Spanned::new(effect, text.span))
    }

    /// `Principal` or `NotPrincipal`: `"*"`, or an object of principal kinds.
    fn principals(&mut self, negated: bool) -> Step<Spanned<Principals>> {
        let token = self.next()?;
        let (spec, span) = match token.tok {
            Tok::Str(s) if s == "*" => (PrincipalSpec::Wildcard, token.span),
            Tok::LBrace => {
                let mut groups: Vec<PrincipalGroup> = Vec::new();
                let span = self.object(token, |r, key, key_span| {
                    let kind = PrincipalKind::from_key(&key).ok_or(GiveUp)?;
                    if groups.iter().any(|g| g.kind.node == kind) {
                        return Err(GiveUp);
                    }
                    groups.push(r.principal_group(kind, key_span)?);
                    Ok(())
                })?;
                if groups.is_empty() {
                    return Err(GiveUp);
                }
                (PrincipalSpec::Map(groups), span)
            }
            _ => return Err(GiveUp),
        };
        Ok(Spanned::new(Principals { negated, spec }, span))
    }

    fn principal_group(&mut self, kind: PrincipalKind, key_span: Span) -> Step<PrincipalGroup> {
        let StringList {
            mut items, array, ..
        } = self.string_list()?;
        let mut values = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            check_principal(kind, &item.node).map_err(|_| GiveUp)?;
            values.push(item.map(String::from));
        }
        self.recycle(items);
        Ok(PrincipalGroup {
            kind: Spanned::new(kind, key_span),
            values,
            array,
        })
    }

    fn actions(&mut self, negated: bool) -> Step<Spanned<Actions>> {
        let StringList {
            mut items,
            array,
            span,
        } = self.string_list()?;
        let mut patterns = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            let pattern = ActionPattern::from_boxed(item.node.into()).map_err(|_| GiveUp)?;
            patterns.push(Spanned::new(pattern, item.span));
        }
        self.recycle(items);
        let actions = Actions {
            negated,
            items: patterns,
            array,
        };
        Ok(Spanned::new(actions, span))
    }

    fn resources(&mut self, negated: bool) -> Step<Spanned<Resources>> {
        let StringList {
            mut items,
            array,
            span,
        } = self.string_list()?;
        let mut templates = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            if !is_resource(&item.node) {
                return Err(GiveUp);
            }
            let template = self.template(item.node.into())?;
            templates.push(Spanned::new(template, item.span));
        }
        self.recycle(items);
        let resources = Resources {
            negated,
            items: templates,
            array,
        };
        Ok(Spanned::new(resources, span))
    }
}
