//! Whether a key written without `policy` gets one from an
//! `aws_kms_key_policy` (KW213 reports it only when none can): one of its
//! own module whose `key_id` names it, or, for a key inside a module, one of
//! a calling module that names the module call holding the key
//! (`key_id = module.kms.key_arn`), or a module called beside it that is
//! given that module's outputs and has an `aws_kms_key_policy` of its own.
//! Only attachments that do not exist (`count = 0`) or that name something
//! else are ruled out: a reader without a plan cannot tell more.

use std::collections::HashSet;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Block;
use hcl_edit::visit::{visit_expr, Visit};
use keyward_policy::Span;

use super::super::eval::{span_of, Cx, Evaluator, Repetition, MAX_DEPTH};
use crate::extract::Setting;

/// The resource type that attaches a policy to a key.
const KEY_POLICY: &str = "aws_kms_key_policy";

/// The policy the key `own` (`aws_kms_key.app`) of `cx`'s module instance
/// gets without a `policy` argument: known (placed at the attachment when
/// it is in the key's file, else at `key_span`) or absent.
pub(super) fn attached_policy(
    ev: &mut Evaluator<'_>,
    cx: Cx,
    own: &str,
    key_span: Span,
) -> Setting<()> {
    // Its own module: by reference, or as text (which could name any key,
    // as the plan reader assumes).
    let own_module = attachment(ev, cx.instance, |found| {
        found.is_empty() || found.iter().any(|r| r == own)
    });
    if let Some((file, span)) = own_module {
        return Setting::Known((), if file == cx.file { span } else { key_span });
    }
    // The modules that call the key's module, and their other calls.
    let mut instance = cx.instance;
    while let Some((caller, _, call, _)) = &ev.instances[instance].caller {
        let (caller, call) = (*caller, *call);
        let Some(name) = call.labels.first().map(|l| l.as_str()) else {
            break;
        };
        let holder = format!("module.{name}");
        let names_holder = |found: &[String]| found.contains(&holder);
        if attachment(ev, caller, names_holder).is_some()
            || sibling_attaches(ev, caller, name, &names_holder)
        {
            return Setting::Known((), key_span);
        }
        instance = caller;
    }
    Setting::Absent
}

/// The first `aws_kms_key_policy` of an instance's module that exists and
/// whose `key_id` refers to what `names` accepts (given the objects it
/// refers to: none when written as text).
fn attachment(
    ev: &mut Evaluator<'_>,
    instance: usize,
    names: impl Fn(&[String]) -> bool,
) -> Option<(u32, Span)> {
    let module = ev.module_of(instance);
    let module_index = ev.instances[instance].module;
    for tf in &module.files {
        for block in tf.body.blocks().filter(|b| is_key_policy(b)) {
            let here = Cx {
                instance,
                file: tf.file,
            };
            if matches!(ev.repetition(here, block), Repetition::Never) {
                continue;
            }
            let mut references = References::new(ev, module_index);
            if let Some(key_id) = block.body.get_attribute("key_id") {
                references.visit_expr(&key_id.value);
            }
            // `key_id = each.value.id`: the keys are those iterated over.
            if references.found.iter().any(|r| r.starts_with("each.")) {
                if let Some(for_each) = block.body.get_attribute("for_each") {
                    references.visit_expr(&for_each.value);
                }
            }
            if names(&references.found) {
                return Some((tf.file, span_of(block)));
            }
        }
    }
    None
}

/// Does a module call of `caller` other than `holder_call` take an output
/// of the key's module (`key_arn = module.kms.key_arn`) and attach key
/// policies itself?
fn sibling_attaches(
    ev: &Evaluator<'_>,
    caller: usize,
    holder_call: &str,
    names_holder: &impl Fn(&[String]) -> bool,
) -> bool {
    let module_index = ev.instances[caller].module;
    let module = ev.module_of(caller);
    let calls = module.files.iter().flat_map(|tf| tf.body.blocks());
    for call in calls.filter(|b| b.ident.as_str() == "module") {
        let Some(name) = call.labels.first().map(|l| l.as_str()) else {
            continue;
        };
        if name == holder_call {
            continue;
        }
        let Some(&called) = ev.calls.get(&(module_index, name.to_string())) else {
            continue;
        };
        let attaches = ev
            .modules
            .get(called)
            .is_some_and(|m| m.files.iter().any(|tf| tf.body.blocks().any(is_key_policy)));
        if !attaches {
            continue;
        }
        let mut references = References::new(ev, module_index);
        for argument in call.body.attributes() {
            references.visit_expr(&argument.value);
        }
        if names_holder(&references.found) {
            return true;
        }
    }
    false
}

fn is_key_policy(block: &Block) -> bool {
    block.ident.as_str() == "resource"
        && block.labels.first().map(|l| l.as_str()) == Some(KEY_POLICY)
}

/// The objects an expression refers to (`aws_kms_key.app`, `var.key_id`,
/// `module.kms`), the `local`s it uses followed to theirs.
struct References<'a, 'l> {
    ev: &'a Evaluator<'l>,
    module: usize,
    seen: HashSet<String>,
    depth: usize,
    found: Vec<String>,
}

impl<'a, 'l> References<'a, 'l> {
    fn new(ev: &'a Evaluator<'l>, module: usize) -> Self {
        References {
            ev,
            module,
            seen: HashSet::new(),
            depth: 0,
            found: Vec::new(),
        }
    }

    fn local(&mut self, name: &str) {
        let indexed = self.ev.indexes[self.module].locals.get(name).copied();
        let Some((_, attr)) = indexed else {
            self.found.push(format!("local.{name}"));
            return;
        };
        if self.depth >= MAX_DEPTH || !self.seen.insert(name.to_string()) {
            // Too deep or circular (reported where locals are evaluated):
            // say it refers to something, not that it is text.
            self.found.push(format!("local.{name}"));
            return;
        }
        self.depth += 1;
        self.visit_expr(&attr.value);
        self.depth -= 1;
    }
}

impl Visit for References<'_, '_> {
    fn visit_expr(&mut self, expr: &Expression) {
        let Expression::Traversal(traversal) = expr else {
            visit_expr(self, expr);
            return;
        };
        let Expression::Variable(root) = &traversal.expr else {
            visit_expr(self, expr);
            return;
        };
        let attr = |i: usize| match traversal.operators.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let root = root.as_str();
        let local = if root == "local" { attr(0) } else { None };
        match (local, attr(0)) {
            (Some(name), _) => self.local(name),
            (None, Some(first)) => self.found.push(format!("{root}.{first}")),
            (None, None) => self.found.push(root.to_string()),
        }
        // Index expressions may refer to more (`aws_kms_key.app[local.i]`).
        for op in &traversal.operators {
            if let TraversalOperator::Index(index) = op.value() {
                self.visit_expr(index);
            }
        }
    }
}
