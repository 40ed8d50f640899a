//! The Terraform functions evaluated without a plan: the ones policies are
//! built with. Any other function gives an unknown value (never a guess).

use super::value::{At, Kind, Member, Text, Value};

/// Call `name` on evaluated arguments; `text` names the call in messages.
pub(crate) fn call(name: &str, args: Vec<Value>, at: At, text: &str) -> Value {
    // `try` and `can` look at failures; every other function needs known
    // arguments (a null is known).
    match name {
        "try" => {
            for arg in args {
                if !arg.is_failed() {
                    return arg;
                }
            }
            return Value::failed(text, at);
        }
        "can" => {
            return match args.first() {
                Some(a) if a.is_failed() => Value::new(Kind::Bool(false), at),
                Some(a) if a.is_known() => Value::new(Kind::Bool(true), at),
                _ => Value::unknown(text, at),
            }
        }
        "coalesce" => {
            for arg in args {
                // A missing attribute counts as null (see `binary`).
                match &arg.kind {
                    Kind::Null => continue,
                    Kind::Str(t) if t.text.is_empty() => continue,
                    _ if arg.is_failed() => continue,
                    _ => return arg,
                }
            }
            return Value::failed(text, at);
        }
        "coalescelist" => {
            for arg in args {
                match &arg.kind {
                    Kind::List(items) if items.is_empty() => continue,
                    Kind::Null => continue,
                    _ if arg.is_failed() => continue,
                    _ => return arg,
                }
            }
            return Value::failed(text, at);
        }
        "jsonencode" => {
            return match args.into_iter().next() {
                Some(v) => Value::new(Kind::Encoded(Box::new(v)), at),
                None => Value::failed(text, at),
            }
        }
        _ => {}
    }
    if let Some(bad) = args.iter().find(|a| !a.is_known()) {
        return if bad.is_failed() {
            Value::failed(text, at)
        } else {
            Value::unknown(text, at)
        };
    }
    known(name, args, at).unwrap_or_else(|| Value::unknown(text, at))
}

fn known(name: &str, mut args: Vec<Value>, at: At) -> Option<Value> {
    let kind = match name {
        "tolist" | "toset" | "tomap" | "sensitive" | "nonsensitive" => {
            return args.into_iter().next()
        }
        "tostring" => Kind::Str(args.first()?.to_text()?),
        "tonumber" => Kind::Number(args.first()?.as_number()?),
        "tobool" => Kind::Bool(args.first()?.as_bool()?),
        "length" => Kind::Number(match &args.first()?.kind {
            Kind::List(items) => items.len(),
            Kind::Object(members) => members.len(),
            Kind::Str(t) => t.text.chars().count(),
            _ => return None,
        } as f64),
        "concat" => {
            let mut out = Vec::new();
            for arg in args {
                match arg.kind {
                    Kind::List(items) => out.extend(items),
                    _ => return None,
                }
            }
            Kind::List(out)
        }
        "flatten" => {
            let mut out = Vec::new();
            flatten_into(args.into_iter().next()?, &mut out)?;
            Kind::List(out)
        }
        "compact" => match args.into_iter().next()?.kind {
            Kind::List(items) => Kind::List(
                items
                    .into_iter()
                    .filter(|v| !v.is_null() && v.as_str() != Some(""))
                    .collect(),
            ),
            _ => return None,
        },
        "distinct" => match args.into_iter().next()?.kind {
            Kind::List(items) => {
                let mut out: Vec<Value> = Vec::new();
                for item in items {
                    if !out.iter().any(|o| o.same(&item) == Some(true)) {
                        out.push(item);
                    }
                }
                Kind::List(out)
            }
            _ => return None,
        },
        "merge" => {
            let mut out: Vec<Member> = Vec::new();
            for arg in args {
                match arg.kind {
                    Kind::Object(members) => {
                        for m in members {
                            out.retain(|o| o.key != m.key);
                            out.push(m);
                        }
                    }
                    Kind::Null => {}
                    _ => return None,
                }
            }
            Kind::Object(out)
        }
        "keys" => match &args.first()?.kind {
            Kind::Object(members) => Kind::List(
                members
                    .iter()
                    .map(|m| Value::string(&m.key, m.key_at))
                    .collect(),
            ),
            _ => return None,
        },
        "values" => match args.into_iter().next()?.kind {
            Kind::Object(members) => Kind::List(members.into_iter().map(|m| m.value).collect()),
            _ => return None,
        },
        "lookup" => {
            let key = args.get(1)?.to_text()?.text;
            let found = args.first()?.get(&key).cloned();
            return found.or_else(|| args.get(2).cloned());
        }
        "element" => {
            let list = match &args.first()?.kind {
                Kind::List(items) if !items.is_empty() => items,
                _ => return None,
            };
            let i = args.get(1)?.as_number()?;
            if i < 0.0 {
                return None;
            }
            return list.get(i as usize % list.len()).cloned();
        }
        "contains" => {
            let needle = args.get(1)?;
            let found = match &args.first()?.kind {
                Kind::List(items) => items.iter().any(|v| v.same(needle) == Some(true)),
                _ => return None,
            };
            Kind::Bool(found)
        }
        "join" => {
            let sep = args.first()?.to_text()?;
            let mut out = Text::at(String::new(), at);
            let mut first = true;
            for list in &args[1..] {
                let Kind::List(items) = &list.kind else {
                    return None;
                };
                for item in items {
                    if !first {
                        out.push(&sep);
                    }
                    first = false;
                    out.push(&item.to_text()?);
                }
            }
            Kind::Str(out)
        }
        "split" => {
            let sep = args.first()?.to_text()?.text;
            let s = args.get(1)?.to_text()?;
            if sep.is_empty() {
                return None;
            }
            let mut out = Vec::new();
            let mut start = 0;
            for (i, _) in s.text.match_indices(sep.as_str()) {
                out.push(slice(&s, start, i, at));
                start = i + sep.len();
            }
            out.push(slice(&s, start, s.text.len(), at));
            Kind::List(out)
        }
        "lower" | "upper" | "trimspace" | "chomp" => {
            let t = args.first()?.to_text()?;
            let changed = match name {
                "lower" => t.text.to_lowercase(),
                "upper" => t.text.to_uppercase(),
                "trimspace" => t.text.trim().to_string(),
                _ => t.text.trim_end_matches(['\n', '\r']).to_string(),
            };
            if changed.len() == t.text.len() {
                Kind::Str(Text {
                    text: changed,
                    origins: t.origins,
                })
            } else {
                Kind::Str(Text::at(changed, args.first()?.at))
            }
        }
        "replace" => {
            let s = args.first()?.to_text()?.text;
            let from = args.get(1)?.to_text()?.text;
            let to = args.get(2)?.to_text()?.text;
            // `/…/` is a regular expression: not evaluated.
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') || from.is_empty() {
                return None;
            }
            Kind::Str(Text::at(s.replace(&from, &to), at))
        }
        "format" => {
            let spec = args.first()?.to_text()?.text;
            let mut out = String::new();
            let mut rest = args[1..].iter();
            let mut chars = spec.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next()? {
                    '%' => out.push('%'),
                    's' | 'd' | 'v' => out.push_str(&rest.next()?.to_text()?.text),
                    _ => return None,
                }
            }
            Kind::Str(Text::at(out, at))
        }
        "abs" => Kind::Number(args.first()?.as_number()?.abs()),
        "max" | "min" => {
            let numbers: Option<Vec<f64>> = args.iter().map(Value::as_number).collect();
            let numbers = numbers?;
            let first = *numbers.first()?;
            Kind::Number(numbers.into_iter().fold(first, |a, b| {
                if (name == "max") == (b > a) {
                    b
                } else {
                    a
                }
            }))
        }
        "one" => match args.pop()?.kind {
            Kind::List(mut items) if items.len() <= 1 => {
                return Some(items.pop().unwrap_or_else(|| Value::new(Kind::Null, at)))
            }
            _ => return None,
        },
        // Anything else (`range`, `regex`, `timestamp`…): unknown.
        _ => return None,
    };
    Some(Value::new(kind, at))
}

fn flatten_into(value: Value, out: &mut Vec<Value>) -> Option<()> {
    match value.kind {
        Kind::List(items) => {
            for item in items {
                flatten_into(item, out)?;
            }
            Some(())
        }
        Kind::Unknown(_) | Kind::Partial(_) => None,
        _ => {
            out.push(value);
            Some(())
        }
    }
}

fn slice(t: &Text, start: usize, end: usize, at: At) -> Value {
    let text = Text {
        text: t.text[start..end].to_string(),
        origins: t.origins[start..end].to_vec(),
    };
    let where_ = t.origins.get(start).copied().unwrap_or(at);
    Value::new(Kind::Str(text), where_)
}
