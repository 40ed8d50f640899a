//! `file()` and `templatefile()`: files read through the caller's file
//! system, their bytes placed in the file table.

use hcl_edit::expr::Expression;
use hcl_edit::template::{Element, Template};
use keyward_policy::{Diagnostic, Source, Span};

use super::{lookup, Cx, Evaluator, Scope};
use crate::extract::hcl::module::join;
use crate::extract::hcl::value::{At, Kind, Piece, Text, Value};

/// Largest file `file()` and `templatefile()` read (policies are at most
/// 32 KB; a template may be larger).
const MAX_FILE: usize = 1 << 20;

impl<'l> Evaluator<'l> {
    /// `file(path)`: a local file, read through the caller's file system;
    /// relative paths are relative to the root module (Terraform's working
    /// directory), as `path.module` makes them.
    pub(super) fn file(&mut self, _cx: Cx, args: &[Value], at: At, text: &str) -> Value {
        let Some(path) = args.first().and_then(Value::as_str) else {
            return Value::unknown(text, at);
        };
        let path = join(&self.root_dir, path);
        match self.fs.read(&path) {
            Ok(content) if content.len() > MAX_FILE => {
                let d = Diagnostic::warning(
                    "terraform::file-too-large",
                    format!(
                        "`{text}` is larger than {MAX_FILE} bytes: its content is treated as unknown"
                    ),
                    at.span,
                )
                .with_help("a policy is at most 32 KB (key policies) or 6 KB (IAM)");
                self.diagnostics.push((at.file, d));
                Value::unknown(text, at)
            }
            Ok(content) => {
                let file = self.add_source(Source::new(path.as_str(), content), false);
                let source = &self.sources[file as usize];
                let len = source.text().len();
                let origins = (0..len)
                    .map(|i| At::new(file, Span::new(i, i + 1)))
                    .collect();
                let t = Text {
                    text: source.text().to_string(),
                    origins,
                };
                Value::new(Kind::Str(t), At::new(file, Span::new(0, len)))
            }
            Err(message) => {
                let d = Diagnostic::warning(
                    "terraform::file-unreadable",
                    format!("`{text}` cannot be read: {message}"),
                    at.span,
                )
                .with_help("the value is treated as unknown; check the path");
                self.diagnostics.push((at.file, d));
                Value::unknown(text, at)
            }
        }
    }

    pub(super) fn templatefile(&mut self, cx: Cx, args: &[Value], at: At, text: &str) -> Value {
        let file = self.file(cx, &args[..args.len().min(1)], at, text);
        let (Some(content), Some(vars)) = (file.as_str(), args.get(1)) else {
            return Value::unknown(text, at);
        };
        let Kind::Object(members) = &vars.kind else {
            return Value::unknown(text, at);
        };
        let Ok(template) = hcl_edit::parser::parse_template(content) else {
            return Value::failed(text, at);
        };
        // The template is parsed here, so it does not live as long as the
        // evaluator: evaluated on its own, with its variables as the scope.
        let scope: Scope = members
            .iter()
            .map(|m| (m.key.clone(), m.value.clone()))
            .collect();
        let file_cx = Cx {
            instance: cx.instance,
            file: file.at.file,
        };
        let value = self.template_owned(file_cx, &scope, &template, file.at);
        match value.kind {
            Kind::Str(_) | Kind::Partial(_) => value,
            _ => Value::unknown(text, at),
        }
    }

    /// A template that does not live as long as the evaluator (from
    /// `templatefile`): only literals and interpolations of its variables.
    fn template_owned(&mut self, cx: Cx, scope: &Scope, template: &Template, at: At) -> Value {
        let mut text = Text::at(String::new(), at);
        let mut pieces = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(lit) => {
                    let lit_at = self.at(cx, lit);
                    let t = self.literal(cx, lit.value(), lit_at);
                    text.push(&t);
                }
                Element::Interpolation(interp) => {
                    let interp_at = self.at(cx, &interp.expr);
                    let known = match &interp.expr {
                        Expression::Variable(v) => lookup(scope, v.as_str()),
                        _ => None,
                    };
                    match known.as_ref().and_then(Value::to_text) {
                        // Placed where the template interpolates it.
                        Some(t) => text.push(&Text::at(t.text, interp_at)),
                        None => {
                            pieces.push(Piece::Text(std::mem::replace(
                                &mut text,
                                Text::at(String::new(), at),
                            )));
                            pieces.push(Piece::Hole(interp_at));
                        }
                    }
                }
                Element::Directive(d) => {
                    pieces.push(Piece::Text(std::mem::replace(
                        &mut text,
                        Text::at(String::new(), at),
                    )));
                    pieces.push(Piece::Hole(self.at(cx, d.as_ref())));
                }
            }
        }
        if pieces.is_empty() {
            Value::new(Kind::Str(text), at)
        } else {
            pieces.push(Piece::Text(text));
            Value::new(Kind::Partial(pieces), at)
        }
    }

    pub(crate) fn add_source(&mut self, source: Source, tf: bool) -> u32 {
        if let Some(i) = self
            .sources
            .iter()
            .position(|s| s.name() == source.name() && s.text() == source.text())
        {
            return u32::try_from(i).unwrap_or(u32::MAX);
        }
        self.sources.push(source);
        self.tf.push(tf);
        u32::try_from(self.sources.len() - 1).unwrap_or(u32::MAX)
    }
}
