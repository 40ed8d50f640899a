//! The key settings of CloudFormation's `AWS::KMS::Key` and
//! `AWS::KMS::ReplicaKey` (the properties of the CloudFormation User
//! Guide's resource reference).

use keyward_policy::json::{JsonKind, JsonMember, JsonValue};

use super::{boolean, number, string, KeyDialect, KeyResource, KeyResourceKind, Setting};
use crate::extract::cloudformation::escape_pointer;
use crate::extract::Syntax;

/// The key a template resource declares; `None` for other resources.
pub(in crate::extract) fn read(
    resource: &JsonMember,
    resource_type: &str,
    syntax: Syntax,
) -> Option<KeyResource> {
    let kind = match resource_type {
        "AWS::KMS::Key" => KeyResourceKind::Key,
        "AWS::KMS::ReplicaKey" => KeyResourceKind::Replica,
        _ => return None,
    };
    let mut key = KeyResource::new(
        resource.key.to_string(),
        resource_type,
        kind,
        KeyDialect::CloudFormation(syntax),
        resource.key_span,
    );
    key.pointer = format!("/Resources/{}/Properties", escape_pointer(&resource.key));
    let Some(properties) = resource.value.get("Properties") else {
        return Some(key);
    };
    if properties.as_object().is_none() {
        // `Fn::If` around all properties, or a malformed template: say
        // nothing about any of them.
        key.set_all_unknown(properties.span);
        return Some(key);
    }
    key.rotation = setting(properties, "EnableKeyRotation", boolean);
    key.deletion_window_days = setting(properties, "PendingWindowInDays", number);
    key.policy = setting(properties, "KeyPolicy", |_| Some(()));
    key.key_spec = setting(properties, "KeySpec", string);
    key.origin = setting(properties, "Origin", string);
    Some(key)
}

/// A property: absent (or `null`), known, or unknown (an intrinsic
/// function, or a value of the wrong type, which CloudFormation rejects).
fn setting<T>(
    properties: &JsonValue,
    name: &str,
    read: impl Fn(&JsonValue) -> Option<T>,
) -> Setting<T> {
    let Some(value) = properties.get(name) else {
        return Setting::Absent;
    };
    if matches!(value.kind, JsonKind::Null) {
        return Setting::Absent;
    }
    if is_intrinsic(value) {
        return Setting::Unknown(value.span);
    }
    match read(value) {
        Some(known) => Setting::Known(known, value.span),
        None => Setting::Unknown(value.span),
    }
}

/// `{"Ref": …}`, `{"Fn::…": …}` (YAML's short forms read as these).
fn is_intrinsic(value: &JsonValue) -> bool {
    matches!(value.as_object(), Some([member])
        if &*member.key == "Ref" || member.key.starts_with("Fn::"))
}
