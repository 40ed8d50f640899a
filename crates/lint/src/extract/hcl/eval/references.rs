//! References: `local.*`, `var.*`, `module.*.*`, `path.*`,
//! `data.aws_iam_policy_document.*.json`, iteration variables, and the
//! traversals (`.attr`, `[index]`, splats) applied to them; `count` and
//! `for_each`. Each reference is cached per module instance and guarded
//! against cycles and chains deeper than [`MAX_DEPTH`].

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use keyward_policy::Diagnostic;

use super::{lookup, Cx, Evaluator, Scope, Slot, SpanRange, MAX_DEPTH};
use crate::extract::hcl::value::{At, Kind, Member, Value};

impl<'l> Evaluator<'l> {
    pub(super) fn traversal(
        &mut self,
        cx: Cx,
        scope: &Scope,
        root: &'l Expression,
        ops: &'l [hcl_edit::Decorated<TraversalOperator>],
        at: At,
    ) -> Value {
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let text = self.text_of(cx, &SpanRange(at.span));
        let (value, rest) = match root {
            Expression::Variable(v) if lookup(scope, v.as_str()).is_none() => {
                match (v.as_str(), attr(0)) {
                    ("var", Some(name)) => (self.variable(cx, name, at), 1),
                    ("local", Some(name)) => (self.local(cx, name, at), 1),
                    ("path", Some(which)) => {
                        // Relative to the root module, Terraform's working directory.
                        let dir = match which {
                            "module" => relative(&self.root_dir, &self.module_of(cx.instance).dir),
                            _ => ".".to_string(),
                        };
                        (Value::string(&dir, at), 1)
                    }
                    ("data", Some("aws_iam_policy_document")) => {
                        let Some(name) = attr(1) else {
                            return Value::unknown(text, at);
                        };
                        let mut rest = 2;
                        let mut index = None;
                        if let Some(op) = ops.get(2) {
                            if let TraversalOperator::Index(e) = op.value() {
                                index = Some(self.eval(cx, scope, e));
                                rest = 3;
                            } else if let TraversalOperator::LegacyIndex(i) = op.value() {
                                index = Some(Value::new(Kind::Number(*i.value() as f64), at));
                                rest = 3;
                            }
                        }
                        match attr(rest) {
                            Some("json" | "minified_json") => {
                                let doc = self.document(cx, name, index, at);
                                (doc, rest + 1)
                            }
                            _ => return Value::unknown(text, at),
                        }
                    }
                    ("module", Some(name)) => {
                        let mut rest = 1;
                        if matches!(
                            ops.get(1).map(|o| o.value()),
                            Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_))
                        ) {
                            rest = 2;
                        }
                        match attr(rest) {
                            Some(output) => (self.output(cx, name, output, at), rest + 1),
                            None => return Value::unknown(text, at),
                        }
                    }
                    ("count" | "each" | "self", _) => return Value::unknown(text, at),
                    // A resource or data source attribute: known after apply.
                    _ => return Value::unknown(text, at),
                }
            }
            _ => (self.eval(cx, scope, root), 0),
        };
        let mut value = value;
        for (i, op) in ops.iter().enumerate().skip(rest) {
            if !value.is_known() {
                return if value.is_failed() {
                    Value::failed(text, at)
                } else {
                    Value::unknown(text, at)
                };
            }
            value = match op.value() {
                TraversalOperator::GetAttr(name) => match value.get(name.as_str()) {
                    Some(v) => v.clone(),
                    None => return Value::failed(text, at),
                },
                TraversalOperator::Index(e) => {
                    let key = self.eval(cx, scope, e);
                    match index(&value, &key) {
                        Some(v) => v,
                        None if key.is_known() => return Value::failed(text, at),
                        None => return Value::unknown(text, at),
                    }
                }
                TraversalOperator::LegacyIndex(n) => {
                    let key = Value::new(Kind::Number(*n.value() as f64), at);
                    match index(&value, &key) {
                        Some(v) => v,
                        None => return Value::failed(text, at),
                    }
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items: Vec<Value> = match &value.kind {
                        Kind::List(items) => items.clone(),
                        Kind::Null => Vec::new(),
                        _ => vec![value.clone()],
                    };
                    let rest_ops = &ops[i + 1..];
                    let mut out = Vec::new();
                    for item in items {
                        let mut v = item;
                        for op in rest_ops {
                            v = match op.value() {
                                TraversalOperator::GetAttr(name) => match v.get(name.as_str()) {
                                    Some(x) => x.clone(),
                                    None => return Value::unknown(text, at),
                                },
                                _ => return Value::unknown(text, at),
                            };
                        }
                        out.push(v);
                    }
                    return Value::new(Kind::List(out), at);
                }
            };
        }
        value.via = Some(at);
        value
    }

    fn enter(&mut self, at: At, what: &str) -> bool {
        if self.depth >= MAX_DEPTH {
            self.too_deep(
                at,
                &format!("`{what}` refers through more than {MAX_DEPTH} other values"),
            );
            return false;
        }
        self.depth += 1;
        true
    }

    /// Report (once) a value too deep to evaluate; it becomes unknown.
    pub(super) fn too_deep(&mut self, at: At, message: &str) {
        if self.deep_reported {
            return;
        }
        self.deep_reported = true;
        let d = Diagnostic::warning(
            "terraform::too-deep",
            format!("{message}: it is treated as unknown"),
            at.span,
        )
        .with_help("lint the plan instead (`terraform show -json PLAN | keyward lint --input terraform -`)");
        self.diagnostics.push((at.file, d));
    }

    /// `local.NAME` of the instance.
    fn local(&mut self, cx: Cx, name: &str, at: At) -> Value {
        let what = format!("local.{name}");
        let cached = match self.instances[cx.instance].locals.get(name) {
            Some(Slot::Done(v)) => Some(Some(v.weight())),
            Some(Slot::Busy) => Some(None),
            None => None,
        };
        match cached {
            Some(Some(weight)) => {
                if !self.spend(weight, at) {
                    return Value::unknown(what, at);
                }
                if let Some(Slot::Done(v)) = self.instances[cx.instance].locals.get(name) {
                    return v.clone();
                }
                return Value::unknown(what, at);
            }
            Some(None) => {
                let d = Diagnostic::error(
                    "terraform::cycle",
                    format!("`{what}` depends on itself"),
                    at.span,
                )
                .with_help("Terraform refuses a cycle of locals; its value is treated as unknown");
                self.diagnostics.push((at.file, d));
                return Value::unknown(what, at);
            }
            None => {}
        }
        let module = self.instances[cx.instance].module;
        let Some(&(file, attr)) = self.indexes[module].locals.get(name) else {
            return Value::failed(what, at);
        };
        if !self.enter(at, &what) {
            return Value::unknown(what, at);
        }
        self.instances[cx.instance]
            .locals
            .insert(name.to_string(), Slot::Busy);
        let value = self.eval(
            Cx {
                instance: cx.instance,
                file,
            },
            &Scope::new(),
            &attr.value,
        );
        self.depth -= 1;
        self.instances[cx.instance]
            .locals
            .insert(name.to_string(), Slot::Done(value.clone()));
        value
    }

    /// `var.NAME`: the module call's argument, else the default, else unknown.
    fn variable(&mut self, cx: Cx, name: &str, at: At) -> Value {
        let what = format!("var.{name}");
        if let Some(weight) = self.instances[cx.instance]
            .variables
            .get(name)
            .map(Value::weight)
        {
            if !self.spend(weight, at) {
                return Value::unknown(what, at);
            }
            if let Some(v) = self.instances[cx.instance].variables.get(name) {
                return v.clone();
            }
        }
        if !self.enter(at, &what) {
            return Value::unknown(what, at);
        }
        let module = self.instances[cx.instance].module;
        let caller = self.instances[cx.instance]
            .caller
            .as_ref()
            .map(|(i, f, b, s)| (*i, *f, *b, s.clone()));
        let given = caller.and_then(|(instance, file, block, scope)| {
            let attr = block.body.get_attribute(name)?;
            Some(self.eval(Cx { instance, file }, &scope, &attr.value))
        });
        let value = match given {
            Some(v) if !v.is_null() => v,
            _ => match self.indexes[module].variables.get(name) {
                Some(&(file, block)) => match block.body.get_attribute("default") {
                    Some(default) => self.eval(
                        Cx {
                            instance: cx.instance,
                            file,
                        },
                        &Scope::new(),
                        &default.value,
                    ),
                    None => Value::unknown(what.clone(), at),
                },
                None => Value::failed(what.clone(), at),
            },
        };
        self.depth -= 1;
        self.instances[cx.instance]
            .variables
            .insert(name.to_string(), value.clone());
        value
    }

    /// `module.NAME.OUTPUT`: the output of a local module call.
    fn output(&mut self, cx: Cx, call: &str, output: &str, at: At) -> Value {
        let what = format!("module.{call}.{output}");
        let module = self.instances[cx.instance].module;
        let Some(&child_module) = self.calls.get(&(module, call.to_string())) else {
            return Value::unknown(what, at);
        };
        let Some(&(file, block)) = self.indexes[module].calls.get(call) else {
            return Value::unknown(what, at);
        };
        let key = format!("{call}.{output}");
        match self.instances[cx.instance].outputs.get(&key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::Busy) => return Value::unknown(what, at),
            None => {}
        }
        let Some(&(out_file, out_block)) = self.indexes[child_module].outputs.get(output) else {
            return Value::failed(what, at);
        };
        let Some(expr) = out_block.body.get_attribute("value") else {
            return Value::unknown(what, at);
        };
        if !self.enter(at, &what) {
            return Value::unknown(what, at);
        }
        self.instances[cx.instance]
            .outputs
            .insert(key.clone(), Slot::Busy);
        let prefix = format!("{}module.{call}.", self.instances[cx.instance].prefix);
        let value = match self.add_instance(
            child_module,
            prefix,
            Some((cx.instance, file, block, unknown_iteration(at))),
        ) {
            Some(child) => self.eval(
                Cx {
                    instance: child,
                    file: out_file,
                },
                &Scope::new(),
                &expr.value,
            ),
            None => Value::unknown(what.clone(), at),
        };
        self.depth -= 1;
        self.instances[cx.instance]
            .outputs
            .insert(key, Slot::Done(value.clone()));
        value
    }

    /// `data.aws_iam_policy_document.NAME[INDEX].json`.
    fn document(&mut self, cx: Cx, name: &str, index: Option<Value>, at: At) -> Value {
        let what = format!("data.aws_iam_policy_document.{name}");
        let module = self.instances[cx.instance].module;
        let Some(&(file, block)) = self.indexes[module].documents.get(name) else {
            return Value::failed(what, at);
        };
        let key = (
            name.to_string(),
            index
                .as_ref()
                .and_then(Value::to_text)
                .map(|t| t.text)
                .unwrap_or_default(),
        );
        let cached = match self.instances[cx.instance].documents.get(&key) {
            Some(Slot::Done(v)) => Some(Some(v.weight())),
            Some(Slot::Busy) => Some(None),
            None => None,
        };
        match cached {
            Some(Some(weight)) => {
                if !self.spend(weight, at) {
                    return Value::unknown(what, at);
                }
                if let Some(Slot::Done(v)) = self.instances[cx.instance].documents.get(&key) {
                    return v.clone();
                }
                return Value::unknown(what, at);
            }
            Some(None) => {
                let d = Diagnostic::error(
                    "terraform::cycle",
                    format!("`{what}` depends on itself"),
                    at.span,
                );
                self.diagnostics.push((at.file, d));
                return Value::unknown(what, at);
            }
            None => {}
        }
        let block_cx = Cx {
            instance: cx.instance,
            file,
        };
        let mut scope = Scope::new();
        match self.repetition(block_cx, block) {
            Repetition::Once => {}
            Repetition::Never => return Value::failed(what, at),
            Repetition::Unknown => {}
            Repetition::Count(n) => {
                let i = index.as_ref().and_then(Value::as_number);
                match i {
                    Some(i) if i >= 0.0 && (i as usize) < n => {}
                    Some(_) => return Value::failed(what, at),
                    None => {}
                }
                let count = Value::new(
                    Kind::Object(vec![Member {
                        key: "index".into(),
                        key_at: at,
                        value: i.map_or_else(
                            || Value::unknown("count.index", at),
                            |i| Value::new(Kind::Number(i), at),
                        ),
                    }]),
                    at,
                );
                scope.push(("count".into(), count));
            }
            Repetition::Each(items) => {
                let key = index.as_ref().and_then(Value::to_text).map(|t| t.text);
                let found = items.into_iter().find(|(k, _)| Some(k) == key.as_ref());
                let each = match found {
                    Some((k, v)) => each_value(&k, v, at),
                    None if key.is_some() => return Value::failed(what, at),
                    None => Value::unknown("each", at),
                };
                scope.push(("each".into(), each));
            }
        }
        if !self.enter(at, &what) {
            return Value::unknown(what, at);
        }
        self.instances[cx.instance]
            .documents
            .insert(key.clone(), Slot::Busy);
        let doc = crate::extract::hcl::policy_document::build(self, block_cx, &scope, block);
        self.depth -= 1;
        let value = Value::new(Kind::Encoded(Box::new(doc)), at);
        self.instances[cx.instance]
            .documents
            .insert(key, Slot::Done(value.clone()));
        value
    }

    /// How often a block with `count` or `for_each` exists.
    pub(crate) fn repetition(&mut self, cx: Cx, block: &'l Block) -> Repetition {
        if let Some(count) = block.body.get_attribute("count") {
            let value = self.eval(cx, &Scope::new(), &count.value);
            return match value.as_number() {
                Some(n) if n <= 0.0 => Repetition::Never,
                Some(n) => Repetition::Count(n as usize),
                None => Repetition::Unknown,
            };
        }
        if let Some(for_each) = block.body.get_attribute("for_each") {
            let value = self.eval(cx, &Scope::new(), &for_each.value);
            return match iteration_pairs(&value, false) {
                Some(items) if items.is_empty() => Repetition::Never,
                Some(items) => Repetition::Each(items),
                None => Repetition::Unknown,
            };
        }
        Repetition::Once
    }

    /// The attribute `name` of a block body, evaluated; `None` when absent,
    /// null, or failing.
    pub(crate) fn attribute(
        &mut self,
        cx: Cx,
        scope: &Scope,
        body: &'l Body,
        name: &str,
    ) -> Option<Value> {
        let attr = body.get_attribute(name)?;
        let value = self.eval(cx, scope, &attr.value);
        if value.is_null() || value.is_failed() {
            None
        } else {
            Some(value)
        }
    }
}

/// How many instances a block with `count` / `for_each` has.
pub(crate) enum Repetition {
    Once,
    Never,
    Count(usize),
    Each(Vec<(String, Value)>),
    Unknown,
}

/// The scope of a module call whose iteration is not followed: `each` and
/// `count` are unknown.
fn unknown_iteration(at: At) -> Scope {
    vec![
        ("each".into(), Value::unknown("each", at)),
        ("count".into(), Value::unknown("count", at)),
    ]
}

/// The `each` object for one element of a `for_each`.
pub(crate) fn each_value(key: &str, value: Value, at: At) -> Value {
    Value::new(
        Kind::Object(vec![
            Member {
                key: "key".into(),
                key_at: at,
                value: Value::string(key, value.at),
            },
            Member {
                key: "value".into(),
                key_at: at,
                value,
            },
        ]),
        at,
    )
}

/// The (key, value) pairs a `for_each` iterates: a map's members, or a
/// set's elements (each its own key); a `dynamic` block's list is keyed by
/// index (`by_index`).
pub(crate) fn iteration_pairs(value: &Value, by_index: bool) -> Option<Vec<(String, Value)>> {
    match &value.kind {
        Kind::Object(members) => Some(
            members
                .iter()
                .map(|m| (m.key.clone(), m.value.clone()))
                .collect(),
        ),
        Kind::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let key = match v.to_text() {
                    Some(t) if !by_index => t.text,
                    _ => i.to_string(),
                };
                v.is_known().then(|| (key, v.clone()))
            })
            .collect(),
        Kind::Null => Some(Vec::new()),
        _ => None,
    }
}

/// The path of `to` relative to `from` (both normalized folders).
fn relative(from: &str, to: &str) -> String {
    let parts = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .map(str::to_string)
            .collect()
    };
    let (from, to) = (parts(from), parts(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<String> = vec!["..".to_string(); from.len() - common];
    out.extend(to[common..].iter().cloned());
    if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    }
}

fn index(value: &Value, key: &Value) -> Option<Value> {
    match &value.kind {
        Kind::List(items) => {
            let i = key.as_number()?;
            if i < 0.0 || i.fract() != 0.0 {
                return None;
            }
            items.get(i as usize).cloned()
        }
        Kind::Object(members) => {
            let k = key.to_text()?;
            members
                .iter()
                .find(|m| m.key == k.text)
                .map(|m| m.value.clone())
        }
        _ => None,
    }
}
