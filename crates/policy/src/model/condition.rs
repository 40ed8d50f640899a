//! The `Condition` element: operators, keys and typed values.

use crate::model::Template;
use crate::span::{Span, Spanned};

/// A whole `Condition` block. Entries are ANDed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Conditions {
    /// One entry per (operator, key) pair, in source order.
    pub entries: Vec<Condition>,
}

/// One (operator, key, values) test.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Condition {
    /// The operator, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: Spanned<Operator>,
    /// The condition key.
    pub key: Spanned<ConditionKey>,
    /// The values, typed by the operator. Values are ORed (negated operators: none may match).
    pub values: ConditionValues,
    /// The span of the value (a scalar or an array).
    pub values_span: Span,
    /// Whether the values were written as an array.
    pub array: bool,
}

/// Equality ignores where the values were written.
impl PartialEq for Condition {
    fn eq(&self, other: &Self) -> bool {
        self.operator == other.operator
            && self.key == other.key
            && self.values == other.values
            && self.array == other.array
    }
}

/// A condition operator with its qualifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    /// `ForAllValues:` or `ForAnyValue:`, when present.
    pub qualifier: Option<SetQualifier>,
    /// The base operator.
    pub base: OperatorBase,
    /// The `…IfExists` suffix (never on `Null`).
    pub if_exists: bool,
}

impl Operator {
    /// Read an operator as AWS spells it (`ForAnyValue:StringLikeIfExists`).
    pub fn parse(text: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, text)
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let base = OperatorBase::from_name(base_name)?;
        if if_exists && base == OperatorBase::Null {
            return None;
        }
        Some(Operator {
            qualifier,
            base,
            if_exists,
        })
    }

    /// The operator as AWS spells it.
    pub fn name(&self) -> String {
        let mut s = String::new();
        if let Some(q) = self.qualifier {
            s.push_str(q.as_str());
            s.push(':');
        }
        s.push_str(self.base.name());
        if self.if_exists {
            s.push_str("IfExists");
        }
        s
    }
}

/// `ForAllValues` or `ForAnyValue`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// Every request value must match; true when the key is missing or empty.
    ForAllValues,
    /// Some request value must match; false when the key is missing or empty.
    ForAnyValue,
}

impl SetQualifier {
    /// The prefix as written, without the colon.
    pub fn as_str(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// The type of value an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// Strings (`String…`).
    String,
    /// Numbers (`Numeric…`).
    Numeric,
    /// Dates (`Date…`): ISO 8601 or epoch seconds.
    Date,
    /// Booleans (`Bool`).
    Bool,
    /// Base64 binary (`BinaryEquals`).
    Binary,
    /// IP addresses and CIDR ranges (`IpAddress`, `NotIpAddress`).
    Ip,
    /// ARNs (`Arn…`).
    Arn,
    /// Presence tests (`Null`).
    Null,
}

macro_rules! operators {
    ($($variant:ident => $name:literal, $ty:ident, $negated:literal;)*) => {
        /// Every base condition operator of the IAM policy language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum OperatorBase {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl OperatorBase {
            /// Every operator.
            pub const ALL: &'static [OperatorBase] = &[$(OperatorBase::$variant),*];

            /// The name as AWS spells it.
            pub fn name(self) -> &'static str {
                match self { $(OperatorBase::$variant => $name,)* }
            }

            /// The type of value compared.
            pub fn value_type(self) -> ValueType {
                match self { $(OperatorBase::$variant => ValueType::$ty,)* }
            }

            /// True for negated operators (`StringNotEquals`, `NotIpAddress`, …),
            /// which are true when the key is missing.
            pub fn is_negated(self) -> bool {
                match self { $(OperatorBase::$variant => $negated,)* }
            }

            /// The operator named exactly `name` (operator names are case-sensitive).
            pub fn from_name(name: &str) -> Option<OperatorBase> {
                match name { $($name => Some(OperatorBase::$variant),)* _ => None }
            }
        }
    };
}

operators! {
    StringEquals => "StringEquals", String, false;
    StringNotEquals => "StringNotEquals", String, true;
    StringEqualsIgnoreCase => "StringEqualsIgnoreCase", String, false;
    StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase", String, true;
    StringLike => "StringLike", String, false;
    StringNotLike => "StringNotLike", String, true;
    NumericEquals => "NumericEquals", Numeric, false;
    NumericNotEquals => "NumericNotEquals", Numeric, true;
    NumericLessThan => "NumericLessThan", Numeric, false;
    NumericLessThanEquals => "NumericLessThanEquals", Numeric, false;
    NumericGreaterThan => "NumericGreaterThan", Numeric, false;
    NumericGreaterThanEquals => "NumericGreaterThanEquals", Numeric, false;
    DateEquals => "DateEquals", Date, false;
    DateNotEquals => "DateNotEquals", Date, true;
    DateLessThan => "DateLessThan", Date, false;
    DateLessThanEquals => "DateLessThanEquals", Date, false;
    DateGreaterThan => "DateGreaterThan", Date, false;
    DateGreaterThanEquals => "DateGreaterThanEquals", Date, false;
    Bool => "Bool", Bool, false;
    BinaryEquals => "BinaryEquals", Binary, false;
    IpAddress => "IpAddress", Ip, false;
    NotIpAddress => "NotIpAddress", Ip, true;
    ArnEquals => "ArnEquals", Arn, false;
    ArnLike => "ArnLike", Arn, false;
    ArnNotEquals => "ArnNotEquals", Arn, true;
    ArnNotLike => "ArnNotLike", Arn, true;
    Null => "Null", Null, false;
}

/// A condition key as written, compared case-insensitively.
#[derive(Clone, Debug, Eq)]
pub struct ConditionKey {
    text: Box<str>,
    /// The lowercase form, kept only when it differs from `text`.
    lower: Option<Box<str>>,
}

impl ConditionKey {
    /// A key from its text.
    pub fn new(text: impl Into<Box<str>>) -> ConditionKey {
        let text: Box<str> = text.into();
        let lower = text
            .bytes()
            .any(|b| b.is_ascii_uppercase())
            .then(|| text.to_ascii_lowercase().into());
        ConditionKey { text, lower }
    }

    /// The key as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The key in ASCII lowercase, for comparison (key names are case-insensitive).
    pub fn lower(&self) -> &str {
        self.lower.as_deref().unwrap_or(&self.text)
    }

    /// For `kms:EncryptionContext:<k>`, the context key `<k>` as written.
    pub fn encryption_context_key(&self) -> Option<&str> {
        const PREFIX: &str = "kms:encryptioncontext:";
        self.lower()
            .starts_with(PREFIX)
            .then(|| self.text.get(PREFIX.len()..).unwrap_or(""))
    }
}

impl PartialEq for ConditionKey {
    fn eq(&self, other: &Self) -> bool {
        self.lower() == other.lower()
    }
}

impl std::hash::Hash for ConditionKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.lower().hash(state);
    }
}

/// A date from a condition: an instant, kept with its original spelling.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateValue {
    /// Seconds since the Unix epoch (UTC).
    pub epoch_seconds: i64,
    /// Sub-second part, in nanoseconds.
    pub nanos: u32,
}

/// Condition values, typed by the operator.
#[derive(Clone, Debug, PartialEq)]
pub enum ConditionValues {
    /// `String…` and `Arn…` operators: text, possibly with policy variables.
    String(Vec<Spanned<Template>>),
    /// `Numeric…` operators.
    Numeric(Vec<Spanned<f64>>),
    /// `Date…` operators.
    Date(Vec<Spanned<DateValue>>),
    /// `Bool`.
    Bool(Vec<Spanned<bool>>),
    /// `BinaryEquals`: base64 text.
    Binary(Vec<Spanned<Box<str>>>),
    /// `IpAddress`/`NotIpAddress`: addresses and CIDR ranges.
    Ip(Vec<Spanned<ipnet::IpNet>>),
    /// `Null`: `true` means "the key is absent".
    Null(Vec<Spanned<bool>>),
}

impl ConditionValues {
    /// How many values there are.
    pub fn len(&self) -> usize {
        match self {
            ConditionValues::String(v) => v.len(),
            ConditionValues::Numeric(v) => v.len(),
            ConditionValues::Date(v) => v.len(),
            ConditionValues::Bool(v) => v.len(),
            ConditionValues::Binary(v) => v.len(),
            ConditionValues::Ip(v) => v.len(),
            ConditionValues::Null(v) => v.len(),
        }
    }

    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_with_qualifiers_and_if_exists() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, OperatorBase::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.name(), "ForAnyValue:StringLikeIfExists");
    }

    #[test]
    fn null_has_no_if_exists_form_and_names_are_case_sensitive() {
        assert_eq!(Operator::parse("NullIfExists"), None);
        assert_eq!(Operator::parse("stringequals"), None);
        assert_eq!(
            Operator::parse("StringEquals").map(|o| o.base),
            Some(OperatorBase::StringEquals)
        );
    }

    #[test]
    fn every_operator_round_trips_through_its_name() {
        for op in OperatorBase::ALL {
            assert_eq!(OperatorBase::from_name(op.name()), Some(*op));
        }
        assert_eq!(OperatorBase::ALL.len(), 27);
    }

    #[test]
    fn condition_keys_compare_case_insensitively() {
        assert_eq!(
            ConditionKey::new("kms:EncryptionContext:Dept"),
            ConditionKey::new("KMS:encryptioncontext:dept")
        );
        assert_eq!(
            ConditionKey::new("kms:EncryptionContext:Dept").encryption_context_key(),
            Some("Dept")
        );
    }
}
