//! Evaluating Terraform expressions without a plan: literals, templates,
//! heredocs, locals, variable defaults and module inputs, conditionals,
//! `for` expressions and a set of functions. Whatever only a plan knows (a
//! resource attribute, a data source, an unset variable) is an unknown value.
//!
//! Evaluation is bounded: a reference chain deeper than [`MAX_DEPTH`], a
//! local that refers to itself, or more work than [`BUDGET`] gives unknown
//! values and a diagnostic, never a stack overflow or a hang.

use std::collections::HashMap;

use hcl_edit::expr::{BinaryOperator, Expression, FuncCall, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Attribute, Block};
use hcl_edit::template::{Element, Template};
use keyward_policy::{Diagnostic, Source, Span};

use super::json_value::from_json_text;
use super::module::{Loaded, Module};
use super::render::encode_text;
use super::value::{At, Kind, Member, Piece, Text, Value};
use super::{functions, TerraformFiles};

mod files;
mod references;

pub(crate) use references::{each_value, iteration_pairs, Repetition};

/// Deepest chain of references (locals, variables, module outputs) followed.
pub(crate) const MAX_DEPTH: usize = 32;
/// Deepest nesting of expressions evaluated at once, references included
/// (the parser allows 64 levels in one expression; references add theirs).
const MAX_NESTING: usize = 256;
/// Evaluation steps and value sizes allowed for one root module.
pub(crate) const BUDGET: u64 = 1_000_000;
/// Most module instances evaluated for one root module.
const MAX_INSTANCES: usize = 256;

/// Iteration variables in scope (`each`, `count`, a `dynamic` iterator, a
/// `for` variable), innermost last.
pub(crate) type Scope = Vec<(String, Value)>;

/// Where an expression is evaluated: which module instance, which file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cx {
    pub instance: usize,
    pub file: u32,
}

enum Slot {
    Busy,
    Done(Value),
}

/// Declarations of one module, by name.
#[derive(Default)]
pub(crate) struct Index<'l> {
    pub locals: HashMap<&'l str, (u32, &'l Attribute)>,
    pub variables: HashMap<&'l str, (u32, &'l Block)>,
    pub documents: HashMap<&'l str, (u32, &'l Block)>,
    pub calls: HashMap<&'l str, (u32, &'l Block)>,
    pub outputs: HashMap<&'l str, (u32, &'l Block)>,
}

impl<'l> Index<'l> {
    fn of(module: &'l Module) -> Index<'l> {
        let mut index = Index::default();
        for tf in &module.files {
            for block in tf.body.blocks() {
                let label = |i: usize| block.labels.get(i).map(|l| l.as_str());
                match (block.ident.as_str(), label(0), label(1)) {
                    ("locals", _, _) => {
                        for attr in block.body.attributes() {
                            index.locals.insert(attr.key.as_str(), (tf.file, attr));
                        }
                    }
                    ("variable", Some(name), _) => {
                        index.variables.insert(name, (tf.file, block));
                    }
                    ("data", Some("aws_iam_policy_document"), Some(name)) => {
                        index.documents.insert(name, (tf.file, block));
                    }
                    ("module", Some(name), _) => {
                        index.calls.insert(name, (tf.file, block));
                    }
                    ("output", Some(name), _) => {
                        index.outputs.insert(name, (tf.file, block));
                    }
                    _ => {}
                }
            }
        }
        index
    }
}

/// One instance of a module: the root, or a module call.
pub(crate) struct Instance<'l> {
    pub module: usize,
    /// Resource addresses inside start with this (`module.kms.`).
    pub prefix: String,
    /// The calling instance, the `module` block and its iteration scope.
    pub caller: Option<(usize, u32, &'l Block, Scope)>,
    locals: HashMap<String, Slot>,
    variables: HashMap<String, Value>,
    documents: HashMap<(String, String), Slot>,
    outputs: HashMap<String, Slot>,
}

/// The evaluator of one root module and the modules it calls.
pub(crate) struct Evaluator<'l> {
    pub modules: &'l [Module],
    pub indexes: Vec<Index<'l>>,
    pub calls: &'l HashMap<(usize, String), usize>,
    pub instances: Vec<Instance<'l>>,
    pub sources: Vec<Source>,
    pub tf: Vec<bool>,
    pub diagnostics: Vec<(u32, Diagnostic)>,
    pub root_dir: String,
    fs: &'l dyn TerraformFiles,
    budget: u64,
    depth: usize,
    nesting: usize,
    exhausted: bool,
    deep_reported: bool,
}

impl<'l> Evaluator<'l> {
    pub(crate) fn new(loaded: &'l mut Loaded, fs: &'l dyn TerraformFiles) -> Evaluator<'l> {
        let sources = std::mem::take(&mut loaded.sources);
        let tf = std::mem::take(&mut loaded.tf);
        let diagnostics = std::mem::take(&mut loaded.diagnostics);
        let modules: &'l [Module] = &loaded.modules;
        let root_dir = modules.first().map_or(".".to_string(), |m| m.dir.clone());
        let mut evaluator = Evaluator {
            modules,
            indexes: modules.iter().map(Index::of).collect(),
            calls: &loaded.calls,
            instances: Vec::new(),
            sources,
            tf,
            diagnostics,
            root_dir,
            fs,
            budget: BUDGET,
            depth: 0,
            nesting: 0,
            exhausted: false,
            deep_reported: false,
        };
        if !modules.is_empty() {
            evaluator.add_instance(0, String::new(), None);
        }
        evaluator
    }

    /// A new instance of `module`; `None` past the instance limit.
    pub(crate) fn add_instance(
        &mut self,
        module: usize,
        prefix: String,
        caller: Option<(usize, u32, &'l Block, Scope)>,
    ) -> Option<usize> {
        if self.instances.len() >= MAX_INSTANCES {
            return None;
        }
        self.instances.push(Instance {
            module,
            prefix,
            caller,
            locals: HashMap::new(),
            variables: HashMap::new(),
            documents: HashMap::new(),
            outputs: HashMap::new(),
        });
        Some(self.instances.len() - 1)
    }

    pub(crate) fn module_of(&self, instance: usize) -> &'l Module {
        &self.modules[self.instances[instance].module]
    }

    pub(crate) fn at(&self, cx: Cx, expr: &impl hcl_edit::Span) -> At {
        At::new(cx.file, span_of(expr))
    }

    /// The source text of a node, for messages.
    pub(crate) fn text_of(&self, cx: Cx, node: &impl hcl_edit::Span) -> String {
        let span = span_of(node);
        let text = self
            .sources
            .get(cx.file as usize)
            .and_then(|s| s.text().get(span.range()))
            .unwrap_or("");
        let mut text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.len() > 80 {
            let mut cut = 77;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
        }
        text
    }

    fn spend(&mut self, cost: u64, at: At) -> bool {
        if self.budget >= cost {
            self.budget -= cost;
            return true;
        }
        self.budget = 0;
        if !self.exhausted {
            self.exhausted = true;
            let d = Diagnostic::warning(
                "terraform::too-complex",
                "this configuration is too large to evaluate without a plan: the rest of its values are treated as unknown",
                at.span,
            )
            .with_help("lint the plan instead (`terraform show -json PLAN | keyward lint --input terraform -`)");
            self.diagnostics.push((at.file, d));
        }
        false
    }

    /// Evaluate an expression.
    pub(crate) fn eval(&mut self, cx: Cx, scope: &Scope, expr: &'l Expression) -> Value {
        let at = self.at(cx, expr);
        if !self.spend(1, at) {
            return Value::unknown("a value past the evaluation limit", at);
        }
        if self.nesting >= MAX_NESTING {
            self.too_deep(
                at,
                &format!("values nest deeper than {MAX_NESTING} levels here"),
            );
            return Value::unknown("a value nested too deep", at);
        }
        self.nesting += 1;
        let value = self.eval_inner(cx, scope, expr, at);
        self.nesting -= 1;
        value
    }

    fn eval_inner(&mut self, cx: Cx, scope: &Scope, expr: &'l Expression, at: At) -> Value {
        match expr {
            Expression::Null(_) => Value::new(Kind::Null, at),
            Expression::Bool(b) => Value::new(Kind::Bool(*b.value()), at),
            Expression::Number(n) => match n.value().as_f64() {
                Some(n) => Value::new(Kind::Number(n), at),
                None => Value::unknown(self.text_of(cx, expr), at),
            },
            Expression::String(s) => Value::new(Kind::Str(self.literal(cx, s.value(), at)), at),
            Expression::StringTemplate(t) => self.template(cx, scope, t, at),
            Expression::HeredocTemplate(h) => self.template(cx, scope, &h.template, at),
            Expression::Array(items) => {
                let items = items.iter().map(|e| self.eval(cx, scope, e)).collect();
                Value::new(Kind::List(items), at)
            }
            Expression::Object(object) => {
                let mut members: Vec<Member> = Vec::new();
                for (key, value) in object.iter() {
                    let key_at = self.at(cx, key);
                    let name = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(e) => {
                            let k = self.eval(cx, scope, e);
                            match k.to_text() {
                                Some(t) => t.text,
                                None => return Value::unknown(self.text_of(cx, expr), at),
                            }
                        }
                    };
                    let value = self.eval(cx, scope, value.expr());
                    members.retain(|m| m.key != name);
                    members.push(Member {
                        key: name,
                        key_at,
                        value,
                    });
                }
                Value::new(Kind::Object(members), at)
            }
            Expression::Parenthesis(p) => self.eval(cx, scope, p.inner()),
            Expression::Variable(v) => match lookup(scope, v.as_str()) {
                Some(value) => value,
                None => Value::unknown(v.as_str(), at),
            },
            Expression::Conditional(c) => {
                let cond = self.eval(cx, scope, &c.cond_expr);
                match cond.as_bool() {
                    Some(true) => self.eval(cx, scope, &c.true_expr),
                    Some(false) => self.eval(cx, scope, &c.false_expr),
                    None if cond.is_failed() => Value::failed(self.text_of(cx, expr), at),
                    None => Value::unknown(self.text_of(cx, expr), at),
                }
            }
            Expression::FuncCall(call) => self.call(cx, scope, call, at),
            Expression::Traversal(t) => self.traversal(cx, scope, &t.expr, &t.operators, at),
            Expression::UnaryOp(op) => {
                let value = self.eval(cx, scope, &op.expr);
                let out = match op.operator.value() {
                    UnaryOperator::Not => value.as_bool().map(|b| Kind::Bool(!b)),
                    UnaryOperator::Neg => value.as_number().map(|n| Kind::Number(-n)),
                };
                out.map_or_else(
                    || Value::unknown(self.text_of(cx, expr), at),
                    |k| Value::new(k, at),
                )
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval(cx, scope, &op.lhs_expr);
                let rhs = self.eval(cx, scope, &op.rhs_expr);
                match binary(*op.operator.value(), &lhs, &rhs) {
                    Some(kind) => Value::new(kind, at),
                    None if lhs.is_failed() || rhs.is_failed() => {
                        Value::failed(self.text_of(cx, expr), at)
                    }
                    None => Value::unknown(self.text_of(cx, expr), at),
                }
            }
            Expression::ForExpr(f) => self.for_expr(cx, scope, f, at),
        }
    }

    /// A string literal, each byte placed in the file where the source
    /// spells it the same (escapes and heredoc indentation map to nearby).
    fn literal(&self, cx: Cx, value: &str, at: At) -> Text {
        let raw = self
            .sources
            .get(cx.file as usize)
            .and_then(|s| s.text().get(at.span.range()))
            .unwrap_or("");
        Text {
            text: value.to_string(),
            origins: align(value, raw, at),
        }
    }

    fn template(&mut self, cx: Cx, scope: &Scope, template: &'l Template, at: At) -> Value {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut text = Text {
            text: String::new(),
            origins: Vec::new(),
        };
        let mut holes = false;
        for element in template.iter() {
            match element {
                Element::Literal(lit) => {
                    let lit_at = self.at(cx, lit);
                    let t = self.literal(cx, lit.value(), lit_at);
                    text.push(&t);
                }
                Element::Interpolation(interp) => {
                    let value = self.eval(cx, scope, &interp.expr);
                    let interp_at = self.at(cx, &interp.expr);
                    match &value.kind {
                        Kind::Encoded(inner) if encode_text(inner).is_some() => {
                            if let Some(t) = encode_text(inner) {
                                text.push(&t);
                            }
                        }
                        Kind::Partial(parts) => {
                            holes = true;
                            pieces.push(Piece::Text(std::mem::replace(
                                &mut text,
                                Text::at(String::new(), at),
                            )));
                            pieces.extend(parts.iter().cloned());
                        }
                        Kind::Null => return Value::failed(self.text_of(cx, &interp.expr), at),
                        _ => match value.to_text() {
                            Some(t) => text.push(&t),
                            None => {
                                if value.is_failed() {
                                    return Value::failed(self.text_of(cx, &interp.expr), at);
                                }
                                holes = true;
                                pieces.push(Piece::Text(std::mem::replace(
                                    &mut text,
                                    Text::at(String::new(), at),
                                )));
                                pieces.push(Piece::Hole(interp_at));
                            }
                        },
                    }
                }
                Element::Directive(d) => {
                    holes = true;
                    pieces.push(Piece::Text(std::mem::replace(
                        &mut text,
                        Text::at(String::new(), at),
                    )));
                    pieces.push(Piece::Hole(self.at(cx, d.as_ref())));
                }
            }
        }
        if !self.spend(text.text.len() as u64 / 16, at) {
            return Value::unknown("a value past the evaluation limit", at);
        }
        if holes {
            pieces.push(Piece::Text(text));
            Value::new(Kind::Partial(pieces), at)
        } else {
            Value::new(Kind::Str(text), at)
        }
    }

    fn call(&mut self, cx: Cx, scope: &Scope, call: &'l FuncCall, at: At) -> Value {
        let name = call.name.name.as_str();
        let mut args: Vec<Value> = call.args.iter().map(|a| self.eval(cx, scope, a)).collect();
        if call.args.expand_final() {
            if let Some(last) = args.pop() {
                match last.kind {
                    Kind::List(items) => args.extend(items),
                    _ => return Value::unknown(self.text_of(cx, call), at),
                }
            }
        }
        let text = self.text_of(cx, call);
        match name {
            "file" => self.file(cx, &args, at, &text),
            "templatefile" => self.templatefile(cx, &args, at, &text),
            "jsondecode" => match args.first().map(|a| &a.kind) {
                Some(Kind::Encoded(inner)) => (**inner).clone(),
                Some(Kind::Str(t)) => match from_json_text(t, at) {
                    Ok(value) => value,
                    Err(_) => Value::failed(text, at),
                },
                _ => Value::unknown(text, at),
            },
            _ => functions::call(name, args, at, &text),
        }
    }

    fn for_expr(&mut self, cx: Cx, scope: &Scope, f: &'l hcl_edit::expr::ForExpr, at: At) -> Value {
        let collection = self.eval(cx, scope, &f.intro.collection_expr);
        let pairs: Vec<(Value, Value)> = match &collection.kind {
            Kind::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::new(Kind::Number(i as f64), v.at), v.clone()))
                .collect(),
            Kind::Object(members) => members
                .iter()
                .map(|m| (Value::string(&m.key, m.key_at), m.value.clone()))
                .collect(),
            _ => return Value::unknown(self.text_of(cx, f), at),
        };
        if f.grouping {
            return Value::unknown(self.text_of(cx, f), at);
        }
        let mut list = Vec::new();
        let mut members: Vec<Member> = Vec::new();
        for (key, value) in pairs {
            let mut inner = scope.clone();
            if let Some(k) = &f.intro.key_var {
                inner.push((k.as_str().to_string(), key));
            }
            inner.push((f.intro.value_var.as_str().to_string(), value));
            if let Some(cond) = &f.cond {
                match self.eval(cx, &inner, &cond.expr).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Value::unknown(self.text_of(cx, f), at),
                }
            }
            let value = self.eval(cx, &inner, &f.value_expr);
            match &f.key_expr {
                Some(key_expr) => {
                    let key = self.eval(cx, &inner, key_expr);
                    let Some(name) = key.to_text() else {
                        return Value::unknown(self.text_of(cx, f), at);
                    };
                    members.retain(|m| m.key != name.text);
                    members.push(Member {
                        key: name.text,
                        key_at: key.at,
                        value,
                    });
                }
                None => list.push(value),
            }
        }
        if f.key_expr.is_some() {
            Value::new(Kind::Object(members), at)
        } else {
            Value::new(Kind::List(list), at)
        }
    }
}

fn lookup(scope: &Scope, name: &str) -> Option<Value> {
    scope
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

fn binary(op: BinaryOperator, lhs: &Value, rhs: &Value) -> Option<Kind> {
    use BinaryOperator as B;
    // A missing attribute compared with `null` is null: the attribute of an
    // object whose type makes it `optional()` (without such a type,
    // Terraform refuses the configuration anyway).
    if matches!(op, B::Eq | B::NotEq) && (lhs.is_failed() || rhs.is_failed()) {
        let null = |v: &Value| {
            if v.is_failed() {
                Value::new(Kind::Null, v.at)
            } else {
                v.clone()
            }
        };
        return binary(op, &null(lhs), &null(rhs));
    }
    Some(match op {
        B::Eq => Kind::Bool(lhs.same(rhs)?),
        B::NotEq => Kind::Bool(!lhs.same(rhs)?),
        B::And => Kind::Bool(lhs.as_bool()? && rhs.as_bool()?),
        B::Or => match (lhs.as_bool(), rhs.as_bool()) {
            (Some(true), _) | (_, Some(true)) => Kind::Bool(true),
            (Some(false), Some(false)) => Kind::Bool(false),
            _ => return None,
        },
        B::Less => Kind::Bool(lhs.as_number()? < rhs.as_number()?),
        B::LessEq => Kind::Bool(lhs.as_number()? <= rhs.as_number()?),
        B::Greater => Kind::Bool(lhs.as_number()? > rhs.as_number()?),
        B::GreaterEq => Kind::Bool(lhs.as_number()? >= rhs.as_number()?),
        B::Plus => Kind::Number(lhs.as_number()? + rhs.as_number()?),
        B::Minus => Kind::Number(lhs.as_number()? - rhs.as_number()?),
        B::Mul => Kind::Number(lhs.as_number()? * rhs.as_number()?),
        B::Div => {
            let d = rhs.as_number()?;
            if d == 0.0 {
                return None;
            }
            Kind::Number(lhs.as_number()? / d)
        }
        B::Mod => {
            let d = rhs.as_number()?;
            if d == 0.0 {
                return None;
            }
            Kind::Number(lhs.as_number()? % d)
        }
    })
}

/// The span of a parsed node.
pub(crate) fn span_of(node: &impl hcl_edit::Span) -> Span {
    node.span()
        .map(|r| Span::new(r.start, r.end))
        .unwrap_or_default()
}

/// A span as a node, to reuse [`Evaluator::text_of`].
struct SpanRange(Span);

impl hcl_edit::Span for SpanRange {
    fn span(&self) -> Option<std::ops::Range<usize>> {
        Some(self.0.range())
    }
}

/// Where each byte of `value` is in the file, given the source text `raw`
/// it was parsed from at `at`: `value` is `raw` less quotes, escapes and
/// heredoc indentation, so its characters are found in order; when they are
/// not, every byte is placed at the start.
fn align(value: &str, raw: &str, at: At) -> Vec<At> {
    let base = at.span.start as usize;
    let mut origins = Vec::with_capacity(value.len());
    let mut pos = 0;
    for c in value.chars() {
        let found = raw[pos..].find(c).map(|i| pos + i);
        match found {
            Some(i) => {
                for _ in 0..c.len_utf8() {
                    origins.push(At::new(at.file, Span::new(base + i, base + i + 1)));
                }
                pos = i + c.len_utf8();
            }
            None => {
                let start = At::new(at.file, Span::point(base));
                return vec![start; value.len()];
            }
        }
    }
    origins
}
