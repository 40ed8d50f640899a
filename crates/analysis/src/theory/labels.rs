//! How classes of values read, for people.

use crate::strings::StringTest;

/// How a string class reads: the tests it passes, or the ones it passes none of.
pub fn label_strings(tests: &[StringTest], truth: &[bool]) -> String {
    let passed: Vec<&str> = tests
        .iter()
        .zip(truth)
        .filter(|(_, t)| **t)
        .map(|(x, _)| x.label.as_str())
        .collect();
    if !passed.is_empty() {
        let failed: Vec<String> = tests
            .iter()
            .zip(truth)
            .filter(|(_, t)| !**t)
            .map(|(x, _)| format!("not {}", x.label))
            .collect();
        let mut all: Vec<String> = passed.iter().map(|p| p.to_string()).collect();
        all.extend(failed);
        return all.join(" and ");
    }
    if tests.is_empty() {
        return "any value".into();
    }
    let all: Vec<&str> = tests.iter().map(|t| t.label.as_str()).collect();
    format!("none of: {}", all.join(", "))
}

/// Where `x` lies among `literals`: `= a`, `< a`, `> b` or `between a and b`.
pub(super) fn between_label<T: PartialOrd + Copy>(
    literals: &[T],
    x: &T,
    show: impl Fn(&T) -> String,
) -> String {
    if literals.iter().any(|l| l == x) {
        return format!("= {}", show(x));
    }
    let below = literals
        .iter()
        .filter(|l| *l < x)
        .fold(None, |m: Option<T>, l| match m {
            Some(v) if v >= *l => Some(v),
            _ => Some(*l),
        });
    let above = literals
        .iter()
        .filter(|l| *l > x)
        .fold(None, |m: Option<T>, l| match m {
            Some(v) if v <= *l => Some(v),
            _ => Some(*l),
        });
    match (below, above) {
        (Some(a), Some(b)) => format!("between {} and {}", show(&a), show(&b)),
        (Some(a), None) => format!("> {}", show(&a)),
        (None, Some(b)) => format!("< {}", show(&b)),
        (None, None) => "any value".into(),
    }
}
