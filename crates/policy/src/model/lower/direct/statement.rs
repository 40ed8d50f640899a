//! One statement and its elements, read straight from the tokens.

use crate::model::{
    Actions, Effect, PrincipalGroup, PrincipalKind, PrincipalSpec, Principals, Resources, Statement,
};
use crate::span::{Span, Spanned};

use super::super::elements::is_resource;
use super::super::principal::check_principal;
use super::reader::{vacant, GiveUp, Reader, Step};

impl<'a> Reader<'a> {
    /// The statement object `open` starts, at `index` in the policy.
    pub(super) fn statement(&mut self, open: usize, index: usize) -> Step<Statement> {
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
        let (spec, span) = if let Some(text) = self.try_string()? {
            if text.node != "*" {
                return Err(GiveUp);
            }
            (PrincipalSpec::Wildcard, text.span)
        } else {
            let open = self.open(b'{').ok_or(GiveUp)?;
            let mut groups: Vec<PrincipalGroup> = Vec::new();
            let span = self.object(open, |r, key, key_span| {
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
        };
        Ok(Spanned::new(Principals { negated, spec }, span))
    }

    fn principal_group(&mut self, kind: PrincipalKind, key_span: Span) -> Step<PrincipalGroup> {
        let list = self.string_list(|_, item| {
            check_principal(kind, &item.node).map_err(|_| GiveUp)?;
            Ok(item.map(String::from))
        })?;
        Ok(PrincipalGroup {
            kind: Spanned::new(kind, key_span),
            values: list.items,
            array: list.array,
        })
    }

    fn actions(&mut self, negated: bool) -> Step<Spanned<Actions>> {
        let list = self.action_list()?;
        let actions = Actions {
            negated,
            items: list.items,
            array: list.array,
        };
        Ok(Spanned::new(actions, list.span))
    }

    fn resources(&mut self, negated: bool) -> Step<Spanned<Resources>> {
        let list = self.string_list(|r, item| {
            if !is_resource(&item.node) {
                return Err(GiveUp);
            }
            Ok(Spanned::new(r.template(item.node.into())?, item.span))
        })?;
        let resources = Resources {
            negated,
            items: list.items,
            array: list.array,
        };
        Ok(Spanned::new(resources, list.span))
    }
}
