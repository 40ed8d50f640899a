//! The key settings of a Terraform plan or state (`terraform show -json`):
//! `aws_kms_key`, `aws_kms_external_key` and the replica keys, with their
//! arguments as the AWS provider names them.
//!
//! A plan leaves out of `planned_values` what is unknown until apply (listed
//! in `resource_changes[].change.after_unknown`), so an argument missing
//! there is absent only when it is not unknown. `policy` is computed when
//! not set (KMS's default key policy), so whether it was written is read
//! from the plan's `configuration`, together with the `aws_kms_key_policy`
//! resources that give a key its policy.

use std::collections::HashMap;

use keyward_policy::json::{JsonKind, JsonValue};
use keyward_policy::Span;

use super::{
    boolean, number, origin_of_key_store, string, KeyDialect, KeyResource, KeyResourceKind, Setting,
};

/// The keys of a plan or state whose values are under `root[top]`.
pub(in crate::extract) fn read(root: &JsonValue, top: &str) -> Vec<KeyResource> {
    let mut reader = Reader {
        after_unknown: after_unknown(root),
        configuration: root.get("configuration").and_then(|c| c.get("root_module")),
        is_plan: top == "planned_values",
        keys: Vec::new(),
    };
    if let Some(module) = root.get(top).and_then(|v| v.get("root_module")) {
        reader.module(module, &format!("/{top}/root_module"));
    }
    reader.keys
}

struct Reader<'a> {
    /// Address → `after_unknown` of its change.
    after_unknown: HashMap<&'a str, &'a JsonValue>,
    configuration: Option<&'a JsonValue>,
    is_plan: bool,
    keys: Vec<KeyResource>,
}

impl<'a> Reader<'a> {
    fn module(&mut self, module: &'a JsonValue, pointer: &str) {
        for (i, resource) in module
            .get("resources")
            .and_then(JsonValue::as_array)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(key) = self.key(resource, &format!("{pointer}/resources/{i}")) {
                self.keys.push(key);
            }
        }
        for (i, child) in module
            .get("child_modules")
            .and_then(JsonValue::as_array)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            self.module(child, &format!("{pointer}/child_modules/{i}"));
        }
    }

    fn key(&self, resource: &'a JsonValue, pointer: &str) -> Option<KeyResource> {
        if resource.get("mode").and_then(JsonValue::as_str) != Some("managed") {
            return None;
        }
        let resource_type = resource.get("type").and_then(JsonValue::as_str)?;
        let kind = match resource_type {
            "aws_kms_key" => KeyResourceKind::Key,
            "aws_kms_external_key" => KeyResourceKind::External,
            "aws_kms_replica_key" | "aws_kms_replica_external_key" => KeyResourceKind::Replica,
            _ => return None,
        };
        let address_value = resource.get("address")?;
        let address = address_value.as_str()?;
        let mut key = KeyResource::new(
            address,
            resource_type,
            kind,
            KeyDialect::Terraform,
            address_value.span,
        );
        key.pointer = format!("{pointer}/values");
        let Some(values) = resource.get("values") else {
            key.set_all_unknown(resource.span);
            return Some(key);
        };
        let unknown = self.after_unknown.get(address).copied();
        let arg = |name: &str| Argument {
            value: values.get(name),
            unknown: unknown
                .and_then(|u| u.get(name))
                .is_some_and(|u| matches!(u.kind, JsonKind::Bool(true))),
            span: address_value.span,
        };
        key.rotation = arg("enable_key_rotation").read(boolean);
        key.deletion_window_days = arg("deletion_window_in_days").read(number);
        key.key_spec = arg("customer_master_key_spec").read(string);
        key.origin = match kind {
            KeyResourceKind::External => Setting::Known("EXTERNAL".into(), address_value.span),
            _ => origin_of_key_store(
                arg("custom_key_store_id").read(string),
                arg("xks_key_id").read(string),
            ),
        };
        key.policy = match arg("policy").read(string) {
            Setting::Absent | Setting::Unknown(_) => self.policy_from_configuration(address, &key),
            known => known.map(|_| ()),
        };
        Some(key)
    }

    /// A key whose `policy` is not in the plan's values: absent when its
    /// configuration has no `policy` and no `aws_kms_key_policy` can give
    /// it one: none of its module names it, and, for a key inside a module,
    /// none of a calling module names that module's outputs
    /// (`module.kms.key_arn`), nor passes them to another module that has
    /// an `aws_kms_key_policy`.
    fn policy_from_configuration(&self, address: &str, key: &KeyResource) -> Setting<()> {
        let unknown = Setting::Unknown(key.span);
        if !self.is_plan {
            return unknown; // A state always holds the key's policy.
        }
        let Some(address) = Address::parse(address) else {
            return unknown;
        };
        // The configurations from the root to the key's module.
        let mut chain = vec![self.configuration];
        for name in &address.modules {
            let called = chain
                .last()
                .copied()
                .flatten()
                .and_then(|m| m.get("module_calls"))
                .and_then(|calls| calls.get(name))
                .and_then(|call| call.get("module"));
            chain.push(called);
        }
        let Some(Some(module)) = chain.last().copied() else {
            return unknown;
        };
        let own = format!("{}.{}", address.resource_type, address.name);
        let Some(config) = resources(module)
            .iter()
            .find(|r| r.get("address").and_then(JsonValue::as_str) == Some(own.as_str()))
        else {
            return unknown;
        };
        if config
            .get("expressions")
            .is_some_and(|e| e.get("policy").is_some())
        {
            return unknown; // Written, with a value known at apply.
        }
        for attachment in key_policies(module) {
            let references = key_id_references(attachment);
            // A key id written as text could name any key: assume this one.
            if references.is_empty() || references.iter().any(|r| refers_to(r, &own)) {
                return Setting::Known((), attachment.span);
            }
        }
        // The calling modules, innermost first.
        for (caller, call) in chain.iter().zip(&address.modules).rev() {
            let Some(caller) = caller else {
                continue;
            };
            let holder = format!("module.{call}");
            for attachment in key_policies(caller) {
                if key_id_references(attachment)
                    .iter()
                    .any(|r| refers_to(r, &holder))
                {
                    return Setting::Known((), attachment.span);
                }
            }
            if let Some(span) = sibling_attaching(caller, call, &holder) {
                return Setting::Known((), span);
            }
        }
        Setting::Absent
    }
}

/// The resources of a module's configuration.
fn resources(module: &JsonValue) -> &[JsonValue] {
    module
        .get("resources")
        .and_then(JsonValue::as_array)
        .unwrap_or(&[])
}

/// The `aws_kms_key_policy` resources of a module's configuration.
fn key_policies(module: &JsonValue) -> impl Iterator<Item = &JsonValue> {
    resources(module)
        .iter()
        .filter(|r| r.get("type").and_then(JsonValue::as_str) == Some("aws_kms_key_policy"))
}

/// What the `key_id` of an `aws_kms_key_policy` refers to (nothing when it
/// is written as text).
fn key_id_references(attachment: &JsonValue) -> Vec<&str> {
    attachment
        .get("expressions")
        .and_then(|e| e.get("key_id"))
        .map(references)
        .unwrap_or_default()
}

/// The `references` of an expression.
fn references(expression: &JsonValue) -> Vec<&str> {
    expression
        .get("references")
        .and_then(JsonValue::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(JsonValue::as_str)
        .collect()
}

/// A module call of `caller` other than `holder_call` that is given an
/// output of the key's module (`holder`, `module.kms`) and has an
/// `aws_kms_key_policy` itself: where it is called.
fn sibling_attaching(caller: &JsonValue, holder_call: &str, holder: &str) -> Option<Span> {
    let calls = caller.get("module_calls")?.as_object()?;
    calls.iter().find_map(|member| {
        let call = &member.value;
        if &*member.key == holder_call {
            return None;
        }
        let attaches = call
            .get("module")
            .is_some_and(|m| key_policies(m).next().is_some());
        let arguments = call.get("expressions")?.as_object()?;
        let given = arguments.iter().any(|argument| {
            references(&argument.value)
                .iter()
                .any(|r| refers_to(r, holder))
        });
        (attaches && given).then_some(call.span)
    })
}

/// One argument of a resource in the plan.
struct Argument<'a> {
    value: Option<&'a JsonValue>,
    unknown: bool,
    /// Where an unknown argument is reported: the resource's address.
    span: Span,
}

impl Argument<'_> {
    fn read<T>(&self, read: impl Fn(&JsonValue) -> Option<T>) -> Setting<T> {
        match self.value {
            Some(value) if !matches!(value.kind, JsonKind::Null) => match read(value) {
                Some(known) => Setting::Known(known, value.span),
                None => Setting::Unknown(value.span),
            },
            _ if self.unknown => Setting::Unknown(self.span),
            _ => Setting::Absent,
        }
    }
}

/// Does a reference (`aws_kms_key.main.id`) name the resource `own`?
fn refers_to(reference: &str, own: &str) -> bool {
    reference
        .strip_prefix(own)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Address → `after_unknown` of its planned change.
fn after_unknown(root: &JsonValue) -> HashMap<&str, &JsonValue> {
    root.get("resource_changes")
        .and_then(JsonValue::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(|change| {
            let address = change.get("address")?.as_str()?;
            let unknown = change.get("change")?.get("after_unknown")?;
            Some((address, unknown))
        })
        .collect()
}

/// A resource address split into its module calls and the resource:
/// `module.app["x"].aws_kms_key.main[0]` → `[app]`, `aws_kms_key`, `main`.
struct Address<'a> {
    modules: Vec<&'a str>,
    resource_type: &'a str,
    name: &'a str,
}

impl<'a> Address<'a> {
    fn parse(address: &'a str) -> Option<Address<'a>> {
        let segments = split_outside_brackets(address);
        let [modules @ .., resource_type, name] = segments.as_slice() else {
            return None;
        };
        if modules.len() % 2 != 0 {
            return None;
        }
        let modules = modules
            .chunks(2)
            .map(|pair| match pair {
                ["module", call] => Some(without_index(call)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Address {
            modules,
            resource_type,
            name: without_index(name),
        })
    }
}

/// Split at the dots that are not inside `[…]` (index keys may hold dots).
fn split_outside_brackets(text: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                segments.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    segments.push(&text[start..]);
    segments
}

fn without_index(segment: &str) -> &str {
    segment.split_once('[').map_or(segment, |(name, _)| name)
}
