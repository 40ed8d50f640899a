//! Lowering straight from the token stream, for documents that are valid.
//!
//! Nearly every policy keyward reads is valid. For those, building the
//! generic JSON tree, walking it and freeing it costs more than reading the
//! text: this path reads the tokens once and builds the model as it goes.
//!
//! It reports nothing. At the first thing that is not part of a valid policy
//! (a lexical error, a duplicate key, a wrong type, an unknown element, a
//! limit) it gives up, and [`crate::parse_policy_with`] reads the text again
//! by the tree path, which reports every mistake. So the diagnostics always
//! come from one implementation, and when this path has a result it is the
//! tree path's, span for span (`tests.rs` holds the two to that).
//!
//! It never recurses on the input's nesting: a policy nests at most six
//! deep, and anything deeper than the policy grammar allows gives up at its
//! opening bracket.

mod condition;
mod reader;
mod statement;

#[cfg(test)]
mod tests;

use std::cell::Cell;

use crate::json::err;
use crate::json::{ParseOptions, MAX_DEPTH_CAP};
use crate::model::template::opens_variable;
use crate::model::{ConditionValues, Policy, Statement, Template, Version};
use crate::span::{Span, Spanned};
use crate::PolicyParse;

use reader::{vacant, GiveUp, Reader, Step};

thread_local! {
    /// The statements of the policy being read (see `Reader::statements`),
    /// kept (empty) between policies.
    static STATEMENTS: Cell<Vec<Statement>> = const { Cell::new(Vec::new()) };
}

/// Parse and lower `text` if it is a valid policy within `options`' limits;
/// `None` when anything is off (the caller then takes the tree path, which
/// finds and reports it).
pub(crate) fn parse_valid(text: &str, options: &ParseOptions) -> Option<PolicyParse> {
    if text.len() > options.max_size.min(u32::MAX as usize) {
        return None;
    }
    let bom = text.starts_with('\u{feff}');
    let start = if bom { '\u{feff}'.len_utf8() } else { 0 };
    let mut reader = Reader::new(text, start, options.max_depth.min(MAX_DEPTH_CAP));
    let policy = reader.policy().ok()?;
    reader.finish().ok()?;
    let diagnostics = if bom {
        vec![err::bom(Span::new(0, start))]
    } else {
        Vec::new()
    };
    Some(PolicyParse {
        policy: Some(policy),
        diagnostics,
    })
}

impl<'a> Reader<'a> {
    fn policy(&mut self) -> Step<Policy> {
        let open = self.open(b'{').ok_or(GiveUp)?;
        let mut version = None;
        let mut id = None;
        let mut statements = None;
        let span = self.object(open, |r, key, _| {
            match &*key {
                "Version" => {
                    vacant(&version)?;
                    let v = r.version()?;
                    r.variables = Some(v.node == Version::V2012_10_17);
                    version = Some(v);
                }
                "Id" => {
                    vacant(&id)?;
                    id = Some(r.string()?.map(String::from));
                }
                "Statement" => {
                    vacant(&statements)?;
                    statements = Some(r.statements()?);
                }
                _ => return Err(GiveUp),
            }
            Ok(())
        })?;
        let (mut statements, statement_array) = statements.ok_or(GiveUp)?;
        if self.variables == Some(true) && self.deferred {
            read_variables(&mut statements)?;
        }
        Ok(Policy {
            version,
            id,
            statements,
            statement_array,
            span,
        })
    }

    fn version(&mut self) -> Step<Spanned<Version>> {
        let text = self.string()?;
        let version = match &*text.node {
            "2012-10-17" => Version::V2012_10_17,
            "2008-10-17" => Version::V2008_10_17,
            _ => return Err(GiveUp),
        };
        Ok(Spanned::new(version, text.span))
    }

    /// `Statement`: one statement object, or a non-empty array of them.
    fn statements(&mut self) -> Step<(Vec<Statement>, bool)> {
        if let Some(open) = self.open(b'{') {
            return Ok((vec![self.statement(open, 0)?], false));
        }
        let open = self.open(b'[').ok_or(GiveUp)?;
        // Read into this thread's kept vector, then moved out at the exact
        // length: a statement is large, and growing a new vector copies
        // the ones read so far at each doubling.
        let mut read = STATEMENTS.take();
        read.clear();
        let array = self.array(open, |r, index| {
            let open = r.open(b'{').ok_or(GiveUp)?;
            read.push(r.statement(open, index)?);
            Ok(())
        });
        let mut statements = Vec::with_capacity(read.len());
        statements.append(&mut read); // `read` keeps its room
        if read.capacity() <= reader::KEEP_AT_MOST {
            STATEMENTS.set(read);
        }
        array?;
        if statements.is_empty() {
            return Err(GiveUp);
        }
        Ok((statements, true))
    }

    /// A template for a `Resource` or a string condition value: with
    /// variables under 2012-10-17, literally otherwise. Before `Version` is
    /// known (keys in alphabetical order put `Statement` first) the text is
    /// kept literally and read again at the end if need be.
    pub(super) fn template(&mut self, text: Box<str>) -> Step<Template> {
        match self.variables {
            Some(true) => Template::parse_boxed(text).map_err(|_| GiveUp),
            Some(false) => Ok(Template::literal(text)),
            None => {
                self.deferred |= opens_variable(&text);
                Ok(Template::literal(text))
            }
        }
    }
}

/// `Version` 2012-10-17 came after the statements: read their templates
/// again, with variables.
fn read_variables(statements: &mut [Statement]) -> Step<()> {
    for statement in statements {
        if let Some(resources) = &mut statement.resource {
            for item in &mut resources.node.items {
                with_variables(&mut item.node)?;
            }
        }
        if let Some(conditions) = &mut statement.condition {
            for condition in &mut conditions.node.entries {
                if let ConditionValues::String(values) = &mut condition.values {
                    for value in values {
                        with_variables(&mut value.node)?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn with_variables(template: &mut Template) -> Step<()> {
    // Most templates of a policy that has variables have none themselves:
    // read literally, they are already what reading them again would make.
    if !opens_variable(template.raw()) {
        return Ok(());
    }
    let raw = std::mem::replace(template, Template::literal("")).into_raw();
    *template = Template::parse_boxed(raw).map_err(|_| GiveUp)?;
    Ok(())
}
