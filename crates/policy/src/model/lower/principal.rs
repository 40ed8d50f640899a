//! `Principal` and `NotPrincipal`, validated as AWS validates them.

use crate::diagnostic::Diagnostic;
use crate::json::{JsonKind, JsonValue};
use crate::matching::PrincipalArn;
use crate::model::{PrincipalGroup, PrincipalKind, PrincipalSpec, Principals};
use crate::span::{Span, Spanned};

use super::codes::{GROUP_PRINCIPAL, INVALID_PRINCIPAL};
use super::context::Lowerer;
use super::path::Path;

const KIND_NAMES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

impl Lowerer {
    pub(crate) fn principals(
        &mut self,
        value: &mut JsonValue,
        negated: bool,
        at: &Path<'_>,
    ) -> Option<Spanned<Principals>> {
        let what = if negated {
            "`NotPrincipal`"
        } else {
            "`Principal`"
        };
        let span = value.span;
        let spec = match &mut value.kind {
            JsonKind::String(s) if &**s == "*" => PrincipalSpec::Wildcard,
            JsonKind::String(s) => {
                self.push(
                    Diagnostic::error(INVALID_PRINCIPAL, format!("{what} must be `*` or an object, not the string `{s}`"), span)
                        .with_help(format!("write {what} as `{{\"AWS\": \"{s}\"}}` (or `Service`, `Federated`, `CanonicalUser`)"))
                        .with_pointer(at.render()),
                );
                return None;
            }
            JsonKind::Object(members) => {
                if members.is_empty() {
                    self.empty_list(span, what, at);
                    return None;
                }
                let mut groups = Vec::with_capacity(members.len());
                let mut ok = true;
                for member in members {
                    let at = at.key(&member.key);
                    let Some(kind) = PrincipalKind::from_key(&member.key) else {
                        self.unknown_element(&member.key, member.key_span, &at, KIND_NAMES);
                        ok = false;
                        continue;
                    };
                    match self.principal_group(kind, member.key_span, &mut member.value, &at) {
                        Some(g) => groups.push(g),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                PrincipalSpec::Map(groups)
            }
            _ => {
                self.wrong_type(value, what, "`*` or an object", at);
                return None;
            }
        };
        Some(Spanned::new(Principals { negated, spec }, value.span))
    }

    fn principal_group(
        &mut self,
        kind: PrincipalKind,
        key_span: Span,
        value: &mut JsonValue,
        at: &Path<'_>,
    ) -> Option<PrincipalGroup> {
        let what = format!("`{}` principals", kind.as_str());
        let (mut items, array) = self.string_or_list(value, &what, at)?;
        let mut values = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.drain(..).enumerate() {
            let at = at.item(i, array);
            match check_principal(kind, &item.node) {
                Ok(()) => values.push(item.map(String::from)),
                Err(problem) => {
                    self.push(problem.diagnostic(item.as_ref().map(|s| &**s), &at));
                    ok = false;
                }
            }
        }
        self.recycle(items);
        ok.then(|| PrincipalGroup {
            kind: Spanned::new(kind, key_span),
            values,
            array,
        })
    }
}

/// Why a principal value is not one AWS accepts.
pub(super) enum Problem {
    Group,
    Wildcard,
    Malformed(&'static str),
}

impl Problem {
    fn diagnostic(&self, item: Spanned<&str>, at: &Path<'_>) -> Diagnostic {
        let text = item.node;
        match self {
            Problem::Group => Diagnostic::error(GROUP_PRINCIPAL, format!("`{text}` is an IAM group, which cannot be a principal"), item.span)
                .with_help("name the group's users or a role instead, or grant the group through an IAM policy where the key policy delegates to the account"),
            Problem::Wildcard => Diagnostic::error(INVALID_PRINCIPAL, format!("`{text}` uses a wildcard inside a principal"), item.span)
                .with_help("principals cannot match part of a name or ARN; use `\"*\"` with a condition on `aws:PrincipalArn` (`ArnLike`) instead"),
            Problem::Malformed(expected) => Diagnostic::error(INVALID_PRINCIPAL, format!("`{text}` is not a valid principal"), item.span)
                .with_help(format!("expected {expected}")),
        }
        .with_pointer(at.render())
    }
}

const AWS_FORMS: &str = "`*`, a 12-digit account id, or an ARN like `arn:aws:iam::111122223333:root`, `…:user/NAME`, `…:role/NAME` or `arn:aws:sts::111122223333:assumed-role/ROLE/SESSION`";

/// Whether AWS accepts `text` as a principal of `kind`, and why not.
pub(super) fn check_principal(kind: PrincipalKind, text: &str) -> Result<(), Problem> {
    // Byte tests where a character class is all ASCII: every principal of
    // every key policy comes through here.
    if text.is_empty()
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
    {
        return Err(Problem::Malformed("a principal without surrounding spaces"));
    }
    match kind {
        PrincipalKind::Aws => check_aws_principal(text),
        PrincipalKind::Service => {
            if text == "*" {
                return Ok(());
            }
            if has_wildcard(text) {
                return Err(Problem::Wildcard);
            }
            let host_like = text.contains('.')
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
            host_like.then_some(()).ok_or(Problem::Malformed(
                "a service name like `cloudtrail.amazonaws.com`",
            ))
        }
        PrincipalKind::Federated => {
            if has_wildcard(text) {
                return Err(Problem::Wildcard);
            }
            (!text.contains(char::is_whitespace))
                .then_some(())
                .ok_or(Problem::Malformed("an identity provider such as `cognito-identity.amazonaws.com` or a SAML provider ARN"))
        }
        PrincipalKind::CanonicalUser => (text == "*"
            || text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(())
        .ok_or(Problem::Malformed("a canonical user id (hexadecimal)")),
    }
}

fn check_aws_principal(text: &str) -> Result<(), Problem> {
    if text == "*" {
        return Ok(());
    }
    if has_wildcard(text) {
        return Err(Problem::Wildcard);
    }
    match PrincipalArn::parse(text) {
        PrincipalArn::Group { .. } => Err(Problem::Group),
        // An IAM/STS ARN whose account is not 12 digits is most often a
        // template placeholder (`${AWS::AccountId}` substituted by hand); it is
        // kept, never matches a real caller, and the linter reports it.
        PrincipalArn::Other(_) if is_iam_shaped(text) => Ok(()),
        PrincipalArn::Other(_) => Err(Problem::Malformed(AWS_FORMS)),
        _ => Ok(()),
    }
}

/// Whether `text` holds `*` or `?`.
fn has_wildcard(text: &str) -> bool {
    text.bytes().any(|b| b == b'*' || b == b'?')
}

/// `arn:PARTITION:iam::X:…` or `arn:PARTITION:sts::X:…` with a non-empty X and resource.
fn is_iam_shaped(text: &str) -> bool {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    partition.starts_with("aws")
        && matches!(service, "iam" | "sts")
        && !account.is_empty()
        && !resource.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The checks ahead of the ARN parse, written with `char` patterns.
    fn check_plainly(kind: PrincipalKind, text: &str) -> Result<(), Problem> {
        if text.is_empty() || text.trim() != text {
            return Err(Problem::Malformed("a principal without surrounding spaces"));
        }
        let wildcard = text.contains(['*', '?']);
        match kind {
            PrincipalKind::Aws if text == "*" => Ok(()),
            PrincipalKind::Aws if wildcard => Err(Problem::Wildcard),
            PrincipalKind::Aws => check_aws_principal(text),
            PrincipalKind::Service if text == "*" => Ok(()),
            PrincipalKind::Service if wildcard => Err(Problem::Wildcard),
            PrincipalKind::Service => (text.contains('.')
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .then_some(())
            .ok_or(Problem::Malformed("")),
            PrincipalKind::Federated if wildcard => Err(Problem::Wildcard),
            PrincipalKind::Federated => (!text.contains(char::is_whitespace))
                .then_some(())
                .ok_or(Problem::Malformed("")),
            PrincipalKind::CanonicalUser => (text == "*"
                || text.chars().all(|c| c.is_ascii_hexdigit()))
            .then_some(())
            .ok_or(Problem::Malformed("")),
        }
    }

    /// The answer without the wording of the expected form.
    fn outcome(result: Result<(), Problem>) -> &'static str {
        match result {
            Ok(()) => "ok",
            Err(Problem::Group) => "group",
            Err(Problem::Wildcard) => "wildcard",
            Err(Problem::Malformed(_)) => "malformed",
        }
    }

    proptest! {
        #[test]
        fn byte_tests_agree_with_char_tests(
            kind in prop_oneof![
                Just(PrincipalKind::Aws),
                Just(PrincipalKind::Service),
                Just(PrincipalKind::Federated),
                Just(PrincipalKind::CanonicalUser),
            ],
            text in "[ \\u{2003}a-fA-F0-9.:/*?é-]{0,16}|arn:aws:iam::111122223333:[a-z/*? ]{0,12}",
        ) {
            prop_assert_eq!(
                outcome(check_principal(kind, &text)),
                outcome(check_plainly(kind, &text))
            );
        }
    }
}
