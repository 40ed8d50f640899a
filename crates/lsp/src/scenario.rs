//! Scenario files in the editor: every loading problem as a diagnostic (a
//! problem in a policy file the scenario reads is shown at the `file`
//! reference, with the place in that file as related information), and
//! every expectation decided, its answer shown inline as a code lens.

use keyward_policy::json::{self, JsonValue, ParseOptions};
use keyward_policy::{Diagnostic, Source, Span};
use keyward_scenario::{load, run, CheckResult, Loader, Problem};
use lsp_types::{DiagnosticRelatedInformation, Location, Range, Uri};

use crate::convert::{self, Ranges};
use crate::files::path_to_uri;

/// The decision of one expectation, for a code lens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    /// The expectation's first line.
    pub range: Range,
    /// What the lens says, e.g. `✓ allow — by Enable IAM policies`.
    pub title: String,
    /// Whether the expectation holds.
    pub pass: bool,
    /// The explanation, one reason a line.
    pub reasons: Vec<String>,
}

/// The diagnostics and lenses of a scenario file.
pub(crate) fn analyse(
    source: &Source,
    uri: &Uri,
    loader: &dyn Loader,
    ranges: &Ranges,
) -> (Vec<lsp_types::Diagnostic>, Vec<Lens>) {
    let text = source.text();
    let mut diagnostics = Vec::new();
    let scenario = match load(source.clone(), loader) {
        Ok(scenario) => scenario,
        Err(problems) => {
            for problem in &problems {
                diagnostics.push(problem_diagnostic(problem, source, uri, loader, ranges));
            }
            return (diagnostics, Vec::new());
        }
    };
    for warning in &scenario.warnings {
        diagnostics.push(problem_diagnostic(warning, source, uri, loader, ranges));
    }
    let mut lenses = Vec::new();
    for result in run(&scenario) {
        let lens = lens(&result, ranges);
        if !result.pass {
            let d = failed(&result, &lens);
            diagnostics.push(convert::diagnostic(&d, uri, text, ranges));
        }
        lenses.push(lens);
    }
    (diagnostics, lenses)
}

fn lens(result: &CheckResult<'_>, ranges: &Ranges) -> Lens {
    let response = &result.response;
    let decision = response.decision().as_str();
    let error = response
        .error()
        .map(|e| format!(" · {}", e.kind().as_str()))
        .unwrap_or_default();
    let expected = &result.check.expected;
    let mut title = if result.pass {
        format!("✓ {decision}{error}")
    } else {
        let wanted_error = expected
            .error
            .map(|k| format!(" · {}", k.as_str()))
            .unwrap_or_default();
        format!(
            "✗ {decision}{error} — expected {}{wanted_error}",
            expected.decision.as_str()
        )
    };
    let explanation = response.explanation();
    let deciding: Vec<String> = explanation.deciding().map(|s| s.name()).collect();
    if let Some(first) = deciding.first() {
        title.push_str(&format!(" — by `{first}`"));
        if deciding.len() > 1 {
            title.push_str(&format!(" and {} more", deciding.len() - 1));
        }
    }
    let start = ranges.position(result.check.span.start);
    Lens {
        range: Range::new(start, start),
        title,
        pass: result.pass,
        reasons: explanation
            .reasons()
            .iter()
            .map(ToString::to_string)
            .collect(),
    }
}

/// A failed expectation, as a diagnostic on its `expect` entry.
fn failed(result: &CheckResult<'_>, lens: &Lens) -> Diagnostic {
    let check = result.check;
    let mut d = Diagnostic::error(
        "scenario::failed-expectation",
        format!(
            "{}: `{}` doing `{}` on `{}`",
            lens.title.trim_start_matches("✗ "),
            check.principal,
            check.action.qualified_name(),
            check.key,
        ),
        check.span,
    );
    if let Some(first) = lens.reasons.first() {
        d = d.with_help(first.clone());
    }
    d
}

/// A loading problem as a diagnostic of the scenario document: in place
/// when it is in the scenario's own text, else at the reference to the file
/// (or the embedded policy string) it comes from.
fn problem_diagnostic(
    problem: &Problem,
    scenario: &Source,
    uri: &Uri,
    loader: &dyn Loader,
    ranges: &Ranges,
) -> lsp_types::Diagnostic {
    let d = &problem.diagnostic;
    if problem.source.name() == scenario.name() {
        return convert::diagnostic(d, uri, scenario.text(), ranges);
    }
    let other = &problem.source;
    let at = other.start_of(d.span());
    let reference = reference_span(scenario, other.name(), loader);
    let mut outer = Diagnostic::new(
        d.severity,
        d.code,
        format!(
            "in `{}` at {}:{}: {}",
            short_name(other.name(), scenario.name()),
            at.line,
            at.column,
            d.message
        ),
        reference.unwrap_or_default(),
    );
    outer.help = d.help.clone();
    let mut lsp = convert::diagnostic(&outer, uri, scenario.text(), ranges);
    lsp.data = None;
    if let Some(path) = Some(other.name()).filter(|n| n.starts_with('/')) {
        // The place in the policy file itself.
        if let Ok(file_uri) = path_to_uri(std::path::Path::new(path)).parse::<Uri>() {
            let other_ranges = Ranges::new(other, ranges.encoding());
            lsp.related_information.get_or_insert_with(Vec::new).push(
                DiagnosticRelatedInformation {
                    location: Location::new(file_uri, other_ranges.range(d.span())),
                    message: d.message.clone(),
                },
            );
        }
    }
    if reference.is_none() {
        lsp.message = format!("{} (in a file this scenario reads)", lsp.message);
    }
    lsp
}

/// The file name relative to the scenario's folder when it is below it.
fn short_name<'a>(name: &'a str, scenario: &str) -> &'a str {
    let folder = scenario.rsplit_once('/').map_or("", |(f, _)| f);
    name.strip_prefix(folder)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(name)
}

/// Where the scenario refers to the text named `name`: a `{"file": PATH}`
/// that resolves to it, or the policy string at the pointer the name ends
/// with (`<scenario> /keys/K/policy`).
fn reference_span(scenario: &Source, name: &str, loader: &dyn Loader) -> Option<Span> {
    let root = json::parse(scenario.text(), &ParseOptions::default()).value?;
    if let Some(pointer) = name
        .strip_prefix(scenario.name())
        .and_then(|rest| rest.strip_prefix(' '))
    {
        return at_pointer(&root, pointer).map(|v| v.span);
    }
    let mut found = None;
    visit(&root, &mut |v| {
        if found.is_some() {
            return;
        }
        if let Some([member]) = v.as_object() {
            if &*member.key == "file" {
                if let Some(path) = member.value.as_str() {
                    if loader.resolve(scenario.name(), path) == name {
                        found = Some(member.value.span);
                    }
                }
            }
        }
    });
    found
}

fn visit(value: &JsonValue, f: &mut dyn FnMut(&JsonValue)) {
    // Scenario trees are shallow (the parser bounds depth at 128).
    f(value);
    if let Some(members) = value.as_object() {
        for m in members {
            visit(&m.value, f);
        }
    } else if let Some(items) = value.as_array() {
        for item in items {
            visit(item, f);
        }
    }
}

fn at_pointer<'v>(root: &'v JsonValue, pointer: &str) -> Option<&'v JsonValue> {
    let mut value = root;
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        value = match value.as_array() {
            Some(items) => items.get(part.parse::<usize>().ok()?)?,
            None => value.get(&part)?,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use crate::positions::Encoding;
    use keyward_scenario::MemoryLoader;

    use super::*;

    const WORLD: &str = r#"{
  "principals": {"ops": {"arn": "arn:aws:iam::111122223333:user/ops"}},
  "keys": {"K": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k",
    "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "OpsDecrypt", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:user/ops"}, "Action": "kms:Decrypt", "Resource": "*"}]}}},
  "expect": [
    {"principal": "ops", "action": "kms:Decrypt", "key": "K", "decision": "allow"},
    {"principal": "ops", "action": "kms:Encrypt", "key": "K", "decision": "allow"}
  ]
}"#;

    fn run_on(text: &str, loader: &dyn Loader) -> (Vec<lsp_types::Diagnostic>, Vec<Lens>) {
        let source = Source::new("/w/s.json", text);
        let uri: Uri = "file:///w/s.json".parse().unwrap();
        let ranges = Ranges::of_text(text, Encoding::Utf16);
        analyse(&source, &uri, loader, &ranges)
    }

    #[test]
    fn each_expectation_gets_its_decision_and_failures_are_diagnostics() {
        let (diagnostics, lenses) = run_on(WORLD, &MemoryLoader::new());
        assert_eq!(lenses.len(), 2);
        assert!(lenses[0].pass);
        assert_eq!(lenses[0].title, "✓ allow — by `OpsDecrypt`");
        assert_eq!(lenses[0].range.start.line, 6);
        assert!(!lenses[1].pass);
        assert!(
            lenses[1]
                .title
                .starts_with("✗ implicit-deny — expected allow"),
            "{}",
            lenses[1].title
        );
        assert!(!lenses[1].reasons.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].range.start.line, 7);
        assert!(
            diagnostics[0]
                .message
                .contains("`ops` doing `kms:Encrypt` on `K`"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn problems_in_a_policy_file_are_shown_at_the_reference() {
        let text = WORLD.replace(
            r#""policy": {"Version""#,
            r#""policy": {"file": "p/key.json"}, "unused": {"Version""#,
        );
        let loader = MemoryLoader::new().with("/w/p/key.json", "{\"Statement\": [}");
        let (diagnostics, lenses) = run_on(&text, &loader);
        assert!(lenses.is_empty(), "nothing is decided while loading fails");
        let at_reference = diagnostics
            .iter()
            .find(|d| d.message.starts_with("in `p/key.json` at 1:"))
            .expect("the policy file's syntax error");
        let line = text.lines().position(|l| l.contains("p/key.json")).unwrap();
        assert_eq!(at_reference.range.start.line as usize, line);
        let related = at_reference.related_information.as_ref().unwrap();
        assert_eq!(related[0].location.uri.as_str(), "file:///w/p/key.json");
    }
}
