//! Key policies KMS refuses: `PutKeyPolicy` and `CreateKey` do not accept
//! them, so no key can have one, and a world holding one is refused as
//! input instead of being decided (docs/evaluation.md, "Key policies KMS
//! refuses"). The checks that need AWS (whether a principal exists, the
//! lockout check against the caller who puts the policy) stay with the
//! linter.
//!
//! From the API reference (PutKeyPolicy/CreateKey `Policy`) and the KMS
//! guide ("Key policy format", "AWS KMS condition keys"):
//!
//! - "Each statement in the key policy must contain one or more
//!   principals", which "must exist": a value that can never name a
//!   principal (a wildcard inside an ARN, a group, text that is no ARN) is
//!   refused as an invalid principal (`MalformedPolicyDocumentException`);
//! - a key policy document is at most 32 KB (32,768 bytes) and holds only
//!   tab, line feed, carriage return and the printable characters up to
//!   U+00FF;
//! - `ForAllValues` with `kms:EncryptionContext:context-key` or
//!   `aws:RequestTag/tag-key` is refused as `OverlyPermissiveCondition`.

use keyward_policy::model::{PrincipalKind, PrincipalSpec, SetQualifier, Statement};
use keyward_policy::{Diagnostic, Span};

use crate::compile::PolicyDoc;
use crate::principal_match::Named;

/// The key policy size limit (not adjustable).
pub const MAX_KEY_POLICY_BYTES: usize = 32_768;

/// The problems that make KMS refuse `doc` as a key policy, each a located
/// error (spans into `doc.source`, JSON pointers relative to the policy).
/// Empty when KMS accepts it.
///
/// ```
/// use keyward_eval::{key_policy_refusals, PolicyDoc};
/// use keyward_policy::{parse_policy, Source};
/// let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
///   "Action": "kms:Decrypt", "Resource": "*",
///   "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:dept": "hr"}}}]}"#;
/// let doc = PolicyDoc::new("K", Source::new("kp.json", text), parse_policy(text).unwrap());
/// let refused = key_policy_refusals(&doc);
/// assert_eq!(refused[0].code, "eval::key-policy-overly-permissive");
/// ```
pub fn key_policy_refusals(doc: &PolicyDoc) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let policy = &doc.policy;
    let text = doc.source.slice(policy.span);
    // A policy file is sent as it is; a policy inside a larger document (a
    // scenario, a template) as compact JSON.
    let file = doc.source.text();
    let size = if file.trim() == text {
        file.len()
    } else {
        compact_len(text)
    };
    if size > MAX_KEY_POLICY_BYTES {
        out.push(
            Diagnostic::error(
                "eval::key-policy-too-large",
                format!("the key policy is {size} bytes; KMS accepts at most {MAX_KEY_POLICY_BYTES}"),
                policy.span,
            )
            .with_help("merge statements, use wildcards such as `kms:Describe*`, or move per-user permissions into IAM policies")
            .with_pointer(""),
        );
    }
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !allowed_char(*c)) {
        let start = policy.span.start as usize + at;
        out.push(
            Diagnostic::error(
                "eval::key-policy-characters",
                format!(
                    "the key policy contains `{}` (U+{:04X}); KMS accepts only tab, line breaks and the printable characters up to U+00FF",
                    c.escape_debug(),
                    c as u32
                ),
                Span::new(start, start + c.len_utf8()),
            )
            .with_help("replace it with plain ASCII")
            .with_pointer(""),
        );
    }
    for s in &policy.statements {
        principals(s, policy.statement_array, &mut out);
        overly_permissive(s, policy.statement_array, &mut out);
    }
    out
}

/// Tab, line feed, carriage return, U+0020–U+00FF.
fn allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

/// The length of JSON text without the whitespace between tokens: the size
/// of a policy embedded in a larger file (a scenario) as KMS would get it.
fn compact_len(text: &str) -> usize {
    let mut n = 0;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            n += 1;
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            n += 1;
            in_string = b == b'"';
        }
    }
    n
}

/// Every statement names one or more principals, each one that can exist.
fn principals(s: &Statement, array: bool, out: &mut Vec<Diagnostic>) {
    let name = s.display_name();
    let Some(p) = &s.principal else {
        out.push(
            Diagnostic::error(
                "eval::key-policy-no-principal",
                format!("statement `{name}` names no principal; KMS refuses a key policy whose statements do not each name one (MalformedPolicyDocumentException)"),
                s.span,
            )
            .with_help("add `\"Principal\"`: the account (`{\"AWS\": \"arn:aws:iam::ACCOUNT:root\"}`), a user, a role or a service")
            .with_pointer(s.pointer(array)),
        );
        return;
    };
    let PrincipalSpec::Map(groups) = &p.node.spec else {
        return;
    };
    if groups.iter().all(|g| g.values.is_empty()) {
        out.push(
            Diagnostic::error(
                "eval::key-policy-no-principal",
                format!("statement `{name}` names no principal; KMS refuses a key policy whose statements do not each name one (MalformedPolicyDocumentException)"),
                p.span,
            )
            .with_pointer(format!("{}/Principal", s.pointer(array))),
        );
    }
    for g in groups.iter().filter(|g| g.kind.node == PrincipalKind::Aws) {
        for v in g
            .values
            .iter()
            .filter(|v| Named::aws(&v.node) == Named::Invalid)
        {
            out.push(
                Diagnostic::error(
                    "eval::key-policy-invalid-principal",
                    format!("`{}` is not a principal that can exist; KMS refuses the key policy (MalformedPolicyDocumentException: the policy contains a statement with one or more invalid principals)", v.node),
                    v.span,
                )
                .with_help("name an account, user, role, role session or federated user by its ARN (no wildcards inside an ARN; groups are not principals), or `*`")
                .with_pointer(format!("{}/Principal", s.pointer(array))),
            );
        }
    }
}

/// `ForAllValues` with a key that names one pair of a map.
fn overly_permissive(s: &Statement, array: bool, out: &mut Vec<Diagnostic>) {
    let Some(conditions) = &s.condition else {
        return;
    };
    for c in &conditions.node.entries {
        let key = c.key.node.lower();
        let per_pair =
            key.starts_with("kms:encryptioncontext:") || key.starts_with("aws:requesttag/");
        if c.operator.node.qualifier == Some(SetQualifier::ForAllValues) && per_pair {
            out.push(
                Diagnostic::error(
                    "eval::key-policy-overly-permissive",
                    format!(
                        "`ForAllValues` with `{}`: KMS refuses the key policy (OverlyPermissiveCondition: on a single-valued key it also matches requests without the pair, or with an unspecified one)",
                        c.key.node.as_str()
                    ),
                    c.operator.span,
                )
                .with_help(format!(
                    "use `{}` without `ForAllValues`; to forbid other pairs, add `ForAllValues` on `kms:EncryptionContextKeys` (or `aws:TagKeys`)",
                    c.operator.node.base.name()
                ))
                .with_pointer(format!("{}/Condition", s.pointer(array))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_length_keeps_spaces_inside_strings() {
        assert_eq!(
            compact_len(r#"{ "a b" : [ 1 , "\" x" ] }"#),
            r#"{"a b":[1,"\" x"]}"#.len()
        );
    }
}
