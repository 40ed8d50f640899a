//! CloudFormation intrinsic functions inside a policy: `Ref`, `Fn::Sub`,
//! `Fn::Join`, `Fn::If`, `Fn::GetAtt`, … (and their YAML short forms, which
//! the YAML reader turns into the long forms).
//!
//! What can be known is resolved: pseudo parameters (`AWS::AccountId`,
//! `AWS::Partition`, `AWS::Region`, `AWS::URLSuffix`) are substituted,
//! `Fn::Join` of known parts is joined, `Fn::If` lints its first branch,
//! `Ref AWS::NoValue` removes the element. Anything else becomes an
//! *opaque* placeholder string: its span is recorded so findings about its
//! (unknown) value are dropped instead of guessed.

use keyward_policy::json::{JsonKind, JsonMember, JsonValue};
use keyward_policy::model::{Operator, ValueType};
use keyward_policy::Span;

/// The account id `AWS::AccountId` resolves to, so that ARNs built with it
/// still parse. It never reaches a rule as text: the rule context reads it
/// as [`Account::Stack`](crate::rules::Account::Stack) in documents of
/// [`Origin::Template`](super::Origin::Template).
pub(crate) const STACK_ACCOUNT: &str = "000000000000";

/// Where in a policy a value sits: opaque placeholders are written so they
/// still parse there (an action name, a number, …), keeping the rest of the
/// policy lintable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Other,
    Action,
    Resource,
    PrincipalBlock,
    Principal(&'static str),
    ConditionBlock,
    Operator(Option<ValueType>),
    Values(Option<ValueType>),
}

impl Place {
    fn enter(self, key: &str) -> Place {
        match self {
            Place::ConditionBlock => {
                Place::Operator(Operator::parse(key).map(|o| o.base.value_type()))
            }
            Place::Operator(ty) => Place::Values(ty),
            Place::PrincipalBlock => match key {
                "AWS" => Place::Principal("AWS"),
                "Service" => Place::Principal("Service"),
                "Federated" => Place::Principal("Federated"),
                "CanonicalUser" => Place::Principal("CanonicalUser"),
                _ => Place::Other,
            },
            Place::Values(_) | Place::Action | Place::Resource | Place::Principal(_) => self,
            Place::Other => match key {
                "Action" | "NotAction" => Place::Action,
                "Resource" | "NotResource" => Place::Resource,
                "Principal" | "NotPrincipal" => Place::PrincipalBlock,
                "Condition" => Place::ConditionBlock,
                _ => Place::Other,
            },
        }
    }

    fn placeholder(self, function: &str, at: u32) -> String {
        let id = format!("{}{at}", function.replace("::", ""));
        match self {
            Place::Action => format!("cloudformation-placeholder:{id}"),
            Place::Resource => format!("arn:aws:cloudformation-placeholder:::{id}"),
            Place::Principal("AWS") => {
                format!("arn:aws:iam::{STACK_ACCOUNT}:role/cloudformation-placeholder-{id}")
            }
            Place::Principal("Service") => format!("cloudformation-placeholder-{id}.amazonaws.com"),
            Place::Principal("CanonicalUser") => format!("{at:x}"),
            Place::Values(Some(ValueType::Numeric)) => "0".to_string(),
            Place::Values(Some(ValueType::Date)) => "2000-01-01T00:00:00Z".to_string(),
            Place::Values(Some(ValueType::Bool | ValueType::Null)) => "true".to_string(),
            Place::Values(Some(ValueType::Ip)) => "192.0.2.0/24".to_string(),
            Place::Values(Some(ValueType::Binary)) => "AA==".to_string(),
            _ => format!("{{{{{function}@{at}}}}}"),
        }
    }
}

/// Does `text` name a placeholder of an unknown value? A finding that
/// names one is about a value nobody knows yet, and is dropped.
pub(crate) fn mentions_placeholder(text: &str) -> bool {
    text.contains("cloudformation-placeholder") || (text.contains("{{") && text.contains("@"))
}

enum Resolved {
    Known(JsonValue),
    Opaque(JsonValue),
    NoValue,
}

/// Resolves intrinsic functions, collecting the spans of opaque values.
#[derive(Debug, Default)]
pub(crate) struct Resolver {
    pub(crate) opaque: Vec<Span>,
}

impl Resolver {
    /// The value with intrinsics resolved; `None` when it is `AWS::NoValue`.
    pub(crate) fn resolve(&mut self, value: &JsonValue) -> Option<JsonValue> {
        self.resolve_at(value, Place::Other)
    }

    fn resolve_at(&mut self, value: &JsonValue, place: Place) -> Option<JsonValue> {
        match self.resolve_inner(value, place) {
            Resolved::Known(v) | Resolved::Opaque(v) => Some(v),
            Resolved::NoValue => None,
        }
    }

    fn resolve_inner(&mut self, value: &JsonValue, place: Place) -> Resolved {
        match &value.kind {
            JsonKind::Object(members) => {
                if let [member] = members.as_slice() {
                    if is_intrinsic(&member.key) {
                        return self.intrinsic(value.span, &member.key, &member.value, place);
                    }
                }
                let members = members
                    .iter()
                    .filter_map(|m| {
                        self.resolve_at(&m.value, place.enter(&m.key))
                            .map(|v| JsonMember {
                                key: m.key.clone(),
                                key_span: m.key_span,
                                value: v,
                            })
                    })
                    .collect();
                Resolved::Known(JsonValue {
                    span: value.span,
                    kind: JsonKind::Object(members),
                })
            }
            JsonKind::Array(items) => {
                let items = items
                    .iter()
                    .filter_map(|v| self.resolve_at(v, place))
                    .collect();
                Resolved::Known(JsonValue {
                    span: value.span,
                    kind: JsonKind::Array(items),
                })
            }
            _ => Resolved::Known(value.clone()),
        }
    }

    fn intrinsic(&mut self, span: Span, name: &str, arg: &JsonValue, place: Place) -> Resolved {
        match name {
            "Ref" => match arg.as_str() {
                Some("AWS::NoValue") => Resolved::NoValue,
                Some(param) => match pseudo_parameter(param) {
                    Some(known) => string(span, known.to_string()),
                    None => self.opaque(span, name, place),
                },
                None => self.opaque(span, name, place),
            },
            "Fn::Sub" => self.sub(span, arg, place),
            "Fn::Join" => self.join(span, arg, place),
            "Fn::If" => match arg.as_array() {
                Some([_, first, second]) => match self.resolve_inner(first, place) {
                    Resolved::NoValue => self.resolve_inner(second, place),
                    other => other,
                },
                _ => self.opaque(span, name, place),
            },
            _ => self.opaque(span, name, place),
        }
    }

    fn sub(&mut self, span: Span, arg: &JsonValue, place: Place) -> Resolved {
        let (template, variables) = match &arg.kind {
            JsonKind::String(s) => (s.as_ref(), None),
            JsonKind::Array(items) => match items.as_slice() {
                [t, vars] => match (t.as_str(), vars.as_object()) {
                    (Some(t), Some(vars)) => (t, Some(vars)),
                    _ => return self.opaque(span, "Fn::Sub", place),
                },
                _ => return self.opaque(span, "Fn::Sub", place),
            },
            _ => return self.opaque(span, "Fn::Sub", place),
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let Some(close) = after.find('}') else {
                return self.opaque(span, "Fn::Sub", place);
            };
            let name = &after[..close];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(known) = pseudo_parameter(name) {
                out.push_str(known);
            } else {
                let variable = variables.and_then(|vars| vars.iter().find(|m| &*m.key == name));
                let resolved = variable.map(|m| self.resolve_inner(&m.value, Place::Other));
                match resolved {
                    Some(Resolved::Known(JsonValue {
                        kind: JsonKind::String(s),
                        ..
                    })) => out.push_str(&s),
                    _ => return self.opaque(span, "Fn::Sub", place),
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        string(span, out)
    }

    fn join(&mut self, span: Span, arg: &JsonValue, place: Place) -> Resolved {
        let Some([delimiter, parts]) = arg.as_array() else {
            return self.opaque(span, "Fn::Join", place);
        };
        let (Some(delimiter), Some(parts)) = (delimiter.as_str(), parts.as_array()) else {
            return self.opaque(span, "Fn::Join", place);
        };
        let mut pieces = Vec::with_capacity(parts.len());
        for part in parts {
            match self.resolve_inner(part, Place::Other) {
                Resolved::Known(JsonValue {
                    kind: JsonKind::String(s),
                    ..
                }) => pieces.push(s),
                _ => return self.opaque(span, "Fn::Join", place),
            }
        }
        string(span, pieces.join(delimiter))
    }

    fn opaque(&mut self, span: Span, function: &str, place: Place) -> Resolved {
        self.opaque.push(span);
        Resolved::Opaque(JsonValue {
            span,
            kind: JsonKind::String(place.placeholder(function, span.start).into()),
        })
    }
}

fn string(span: Span, text: String) -> Resolved {
    Resolved::Known(JsonValue {
        span,
        kind: JsonKind::String(text.into()),
    })
}

fn is_intrinsic(key: &str) -> bool {
    key == "Ref" || key.starts_with("Fn::")
}

fn pseudo_parameter(name: &str) -> Option<&'static str> {
    match name {
        "AWS::AccountId" => Some(STACK_ACCOUNT),
        "AWS::Partition" => Some("aws"),
        "AWS::Region" => Some("us-east-1"),
        "AWS::URLSuffix" => Some("amazonaws.com"),
        _ => None,
    }
}
