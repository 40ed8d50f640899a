//! KMS keys declared in templates, plans and `.tf` files, with the settings
//! the key rules
//! read: rotation, the deletion waiting period, the key policy, the key spec
//! and where the key material comes from.
//!
//! Each extractor fills a [`KeyResource`] from its own syntax and pushes it
//! on [`Extraction::keys`](super::Extraction::keys): CloudFormation
//! (`keys/cloudformation.rs`), Terraform plans (`keys/plan.rs`), Terraform
//! `.tf` files read without a plan (`hcl/keys.rs`), and any other reader
//! the same way, with [`KeyResource::new`] and the `Setting` of each
//! attribute it can read.

pub(super) mod cloudformation;
pub(super) mod plan;

use keyward_policy::json::{JsonKind, JsonValue};
use keyward_policy::Span;

use super::Syntax;

/// A setting of a key as the input writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting<T> {
    /// Not written: AWS's default applies.
    Absent,
    /// Written with this value, at this place in the file.
    Known(T, Span),
    /// Written, but its value is only known at deploy time (a parameter, a
    /// function, a value unknown until apply): rules say nothing about it.
    Unknown(Span),
}

impl<T> Setting<T> {
    /// The value, when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Setting::Known(value, _) => Some(value),
            Setting::Absent | Setting::Unknown(_) => None,
        }
    }

    /// The same setting with its value mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Setting<U> {
        match self {
            Setting::Known(value, span) => Setting::Known(f(value), span),
            Setting::Absent => Setting::Absent,
            Setting::Unknown(span) => Setting::Unknown(span),
        }
    }

    /// Where it is written (`None` when absent).
    pub fn span(&self) -> Option<Span> {
        match self {
            Setting::Known(_, span) | Setting::Unknown(span) => Some(*span),
            Setting::Absent => None,
        }
    }
}

/// What a key resource declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyResourceKind {
    /// A key of its own (`AWS::KMS::Key`, `aws_kms_key`).
    Key,
    /// A key with imported key material (`aws_kms_external_key`).
    External,
    /// A replica of a multi-Region key (`AWS::KMS::ReplicaKey`,
    /// `aws_kms_replica_key`, `aws_kms_replica_external_key`): rotation is
    /// set on the primary key.
    Replica,
}

/// How the input names settings: rules write their help in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyDialect {
    /// CloudFormation properties (`EnableKeyRotation`), in JSON or YAML.
    CloudFormation(Syntax),
    /// Terraform arguments (`enable_key_rotation`), from a plan or `.tf` file.
    Terraform,
}

/// A KMS key declared in a template or plan.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyResource {
    /// The logical id (`OrdersKey`) or address (`aws_kms_key.orders`).
    pub label: String,
    /// The resource type as written (`AWS::KMS::Key`, `aws_kms_key`).
    pub resource_type: String,
    /// What it declares.
    pub kind: KeyResourceKind,
    /// How its settings are named.
    pub dialect: KeyDialect,
    /// Where findings about an absent setting point: the resource's name.
    pub span: Span,
    /// The JSON pointer of the resource's settings (`Properties`, `values`)
    /// in the file; for `.tf` files the resource address
    /// (`/module.kms.aws_kms_key.this`), as their policies' pointers start.
    pub pointer: String,
    /// `EnableKeyRotation` / `enable_key_rotation` (default off).
    pub rotation: Setting<bool>,
    /// `PendingWindowInDays` / `deletion_window_in_days` (default 30).
    pub deletion_window_days: Setting<f64>,
    /// `KeyPolicy` / `policy` (or an `aws_kms_key_policy` for the key):
    /// without one, KMS gives the key its default key policy.
    pub policy: Setting<()>,
    /// `KeySpec` / `customer_master_key_spec` (default `SYMMETRIC_DEFAULT`).
    pub key_spec: Setting<String>,
    /// Where the key material comes from, as `Origin` names it (`AWS_KMS`,
    /// `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`; default `AWS_KMS`).
    /// A Terraform custom key store id reads as the origin it implies.
    pub origin: Setting<String>,
}

impl KeyResource {
    /// A key whose settings are all absent; the extractor sets those it reads.
    pub fn new(
        label: impl Into<String>,
        resource_type: impl Into<String>,
        kind: KeyResourceKind,
        dialect: KeyDialect,
        span: Span,
    ) -> KeyResource {
        KeyResource {
            label: label.into(),
            resource_type: resource_type.into(),
            kind,
            dialect,
            span,
            pointer: String::new(),
            rotation: Setting::Absent,
            deletion_window_days: Setting::Absent,
            policy: Setting::Absent,
            key_spec: Setting::Absent,
            origin: Setting::Absent,
        }
    }

    /// Mark every setting as unknown (the settings are written in a way that
    /// cannot be read, such as a function around all of them).
    pub fn set_all_unknown(&mut self, span: Span) {
        self.rotation = Setting::Unknown(span);
        self.deletion_window_days = Setting::Unknown(span);
        self.policy = Setting::Unknown(span);
        self.key_spec = Setting::Unknown(span);
        self.origin = Setting::Unknown(span);
    }

    /// True when automatic rotation can be turned on for this key: a
    /// symmetric encryption key (`SYMMETRIC_DEFAULT`) with key material KMS
    /// generates, not a replica. `None` when a deciding setting is unknown.
    pub fn supports_rotation(&self) -> Option<bool> {
        if self.kind != KeyResourceKind::Key {
            return Some(false);
        }
        let spec = match &self.key_spec {
            Setting::Absent => true,
            Setting::Known(spec, _) => spec == "SYMMETRIC_DEFAULT",
            Setting::Unknown(_) => return None,
        };
        let origin = match &self.origin {
            Setting::Absent => true,
            Setting::Known(origin, _) => origin == "AWS_KMS",
            Setting::Unknown(_) => return None,
        };
        Some(spec && origin)
    }
}

/// The origin a Terraform custom key store implies: `AWS_CLOUDHSM` for a
/// CloudHSM key store (`custom_key_store_id`), `EXTERNAL_KEY_STORE` with an
/// external key (`xks_key_id`).
pub(super) fn origin_of_key_store(
    store: Setting<String>,
    external_key: Setting<String>,
) -> Setting<String> {
    match (store, external_key) {
        (_, Setting::Known(_, span)) => Setting::Known("EXTERNAL_KEY_STORE".into(), span),
        (Setting::Known(_, span), Setting::Absent) => Setting::Known("AWS_CLOUDHSM".into(), span),
        (Setting::Unknown(span), _) | (_, Setting::Unknown(span)) => Setting::Unknown(span),
        (Setting::Absent, Setting::Absent) => Setting::Absent,
    }
}

/// A boolean as CloudFormation and Terraform accept it: `true`, or the
/// string `"true"` (any case).
pub(super) fn boolean(value: &JsonValue) -> Option<bool> {
    match &value.kind {
        JsonKind::Bool(b) => Some(*b),
        JsonKind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        JsonKind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A number, or a string holding one.
pub(super) fn number(value: &JsonValue) -> Option<f64> {
    match &value.kind {
        JsonKind::Number(n) => Some(*n),
        JsonKind::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// A non-empty string.
pub(super) fn string(value: &JsonValue) -> Option<String> {
    value
        .as_str()
        .filter(|s| !s.is_empty())
        .map(ToString::to_string)
}
