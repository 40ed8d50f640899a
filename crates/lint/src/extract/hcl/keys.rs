//! The KMS keys of a module instance, with the settings the key rules read
//! (KW211–KW213): `aws_kms_key`, `aws_kms_external_key` and the replica
//! keys, their arguments as the AWS provider names them, evaluated without
//! a plan — as the plan reader (`keys/plan.rs`) reads them from a plan.
//!
//! A setting whose value only a plan knows is [`Setting::Unknown`]: no rule
//! judges it, and the key gets a `terraform::needs-plan` note that marks it
//! (the policy has its own note, from the policy's reading). Each setting
//! is placed in the key's file: the value where it is written there, else
//! the argument that brings it (`enable_key_rotation = var.rotate`).

use hcl_edit::structure::Block;
use keyward_policy::{Diagnostic, Severity, Span};

use super::eval::{span_of, Cx, Evaluator, Scope};
use super::resources::Found;
use super::value::{At, Kind, Piece, Value};
use crate::extract::keys::origin_of_key_store;
use crate::extract::{KeyDialect, KeyResource, KeyResourceKind, Setting};

mod attachment;

/// The key one instance of a resource block declares (none for other
/// resource types), with a note for the settings only a plan knows.
pub(crate) fn read<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    block: &'l Block,
    (ty, name): (&str, &str),
    address: &str,
    found: &mut Vec<Found>,
) {
    let kind = match ty {
        "aws_kms_key" => KeyResourceKind::Key,
        "aws_kms_external_key" => KeyResourceKind::External,
        "aws_kms_replica_key" | "aws_kms_replica_external_key" => KeyResourceKind::Replica,
        _ => return,
    };
    let mut key = KeyResource::new(address, ty, kind, KeyDialect::Terraform, header(block));
    key.pointer = format!("/{address}");
    let mut arg = Arguments {
        ev,
        cx,
        scope,
        block,
    };
    key.rotation = arg.read("enable_key_rotation", Value::as_bool);
    key.deletion_window_days = arg.read("deletion_window_in_days", Value::as_number);
    key.key_spec = arg.read("customer_master_key_spec", text);
    key.origin = match kind {
        KeyResourceKind::External => Setting::Known("EXTERNAL".into(), key.span),
        _ => origin_of_key_store(
            arg.read("custom_key_store_id", text),
            arg.read("xks_key_id", text),
        ),
    };
    key.policy = match arg.read("policy", written) {
        Setting::Absent => attachment::attached_policy(ev, cx, &format!("{ty}.{name}"), key.span),
        written => written,
    };
    if let Some(note) = needs_plan(&key) {
        found.push(Found::Diagnostic(cx.file, note));
    }
    found.push(Found::Key(cx.file, key));
}

/// The resource block's header, `resource "aws_kms_key" "app"`: where
/// findings about an absent setting point.
fn header(block: &Block) -> Span {
    let start = span_of(&block.ident);
    let end = block.labels.last().map_or(start, span_of);
    Span::new(start.start as usize, end.end.max(start.end) as usize)
}

/// The arguments of one instance of a resource block.
struct Arguments<'a, 'l> {
    ev: &'a mut Evaluator<'l>,
    cx: Cx,
    scope: &'a Scope,
    block: &'l Block,
}

impl Arguments<'_, '_> {
    /// The argument `name`: absent when not written or `null` (Terraform's
    /// "not set"); unknown when its value is only known from a plan, fails
    /// to evaluate (a missing `optional()` attribute may have a default
    /// this reader does not apply), or `convert` does not take it (a string
    /// with unknown parts, a value of another type).
    fn read<T>(&mut self, name: &str, convert: impl Fn(&Value) -> Option<T>) -> Setting<T> {
        let Some(attr) = self.block.body.get_attribute(name) else {
            return Setting::Absent;
        };
        let value = self.ev.eval(self.cx, self.scope, &attr.value);
        let written = self.ev.at(self.cx, &attr.value);
        let span = place(&value, written, self.cx.file);
        if value.is_null() {
            return Setting::Absent;
        }
        if matches!(value.kind, Kind::Unknown(_)) {
            return Setting::Unknown(span);
        }
        match convert(&value) {
            Some(known) => Setting::Known(known, span),
            None => Setting::Unknown(span),
        }
    }
}

/// Where a value is shown in the key's file: where it is written when that
/// is in the file, else where the file refers to it, else the argument.
fn place(value: &Value, argument: At, file: u32) -> Span {
    if value.at.file == file {
        value.at.span
    } else {
        value
            .via
            .filter(|v| v.file == file)
            .unwrap_or(argument)
            .span
    }
}

/// A non-empty string (an empty one is refused or read as unset by the
/// provider: not judged, as in a plan).
fn text(value: &Value) -> Option<String> {
    value
        .as_str()
        .filter(|s| !s.is_empty())
        .map(ToString::to_string)
}

/// A policy that is written: not an empty string, which the provider reads
/// as unset (a string with unknown parts is written when a part is text).
fn written(value: &Value) -> Option<()> {
    let written = match &value.kind {
        Kind::Str(t) => !t.text.is_empty(),
        Kind::Partial(pieces) => pieces
            .iter()
            .any(|p| matches!(p, Piece::Text(t) if !t.text.is_empty())),
        _ => true,
    };
    written.then_some(())
}

/// A note for the settings a key rule would judge but only a plan knows.
fn needs_plan(key: &KeyResource) -> Option<Diagnostic> {
    let mut unknown: Vec<(&str, Span)> = Vec::new();
    let mut add = |name: &'static str, setting: Option<Span>| {
        if let Some(span) = setting {
            unknown.push((name, span));
        }
    };
    let rotation = unknown_at(&key.rotation);
    match key.supports_rotation() {
        Some(false) => {}
        Some(true) => add("enable_key_rotation", rotation),
        // Rotation is on: whether the key could rotate does not matter.
        None if key.rotation.known() == Some(&true) => {}
        None => {
            add("enable_key_rotation", rotation);
            add("customer_master_key_spec", unknown_at(&key.key_spec));
            add("custom_key_store_id", unknown_at(&key.origin));
        }
    }
    add(
        "deletion_window_in_days",
        unknown_at(&key.deletion_window_days),
    );
    let (first, rest) = unknown.split_first()?;
    let names: Vec<String> = unknown.iter().map(|(n, _)| format!("`{n}`")).collect();
    let one = unknown.len() == 1;
    let mut d = Diagnostic::new(
        Severity::Info,
        "terraform::needs-plan",
        format!(
            "{} of key `{}` {} known only from a plan: the key rules do not judge {}",
            names.join(", "),
            key.label,
            if one { "is" } else { "are" },
            if one { "it" } else { "them" },
        ),
        first.1,
    )
    .with_label("known only from a plan")
    .with_help("lint the plan to check it too: `terraform show -json PLAN | keyward lint --input terraform -`")
    .with_pointer(key.pointer.clone());
    for (_, span) in rest {
        d = d.with_related(*span, "known only from a plan");
    }
    Some(d)
}

/// Where an unknown setting is written; `None` for a known or absent one.
fn unknown_at<T>(setting: &Setting<T>) -> Option<Span> {
    match setting {
        Setting::Unknown(span) => Some(*span),
        Setting::Absent | Setting::Known(..) => None,
    }
}

#[cfg(test)]
mod tests;
