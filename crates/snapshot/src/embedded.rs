//! Policy documents inside snapshot files: a JSON object (the AWS CLI
//! decodes authorization details), a JSON string holding policy text
//! (`get-key-policy`, `describe-policy`), or a URL-encoded string (the raw
//! IAM API). Diagnostics are mapped back to the byte of the file they came
//! from: string escapes through the linter's [`SpanMap`], percent-escapes
//! through a map of our own.

use std::fmt;

use keyward_eval::PolicyDoc;
use keyward_lint::extract::SpanMap;
use keyward_policy::json::{JsonKind, JsonValue};
use keyward_policy::{model, parse_policy_with, Diagnostic, ParseOptions, Source, Span};

use crate::json::Sink;
use crate::problem::Place;

/// Read the policy at `v` (an object or a string); `name` names it in
/// explanations, `pointer` is where it sits in the file. Every diagnostic
/// is reported into the file; `Err` holds the place of the first error.
pub(crate) fn policy_at(
    sink: &mut Sink<'_>,
    v: &JsonValue,
    name: &str,
    pointer: &dyn fmt::Display,
    options: &ParseOptions,
) -> Result<PolicyDoc, Place> {
    match &v.kind {
        JsonKind::Object(_) => policy_object(sink, v.clone(), name, pointer),
        JsonKind::String(_) => policy_in_string(sink, v, name, pointer, options),
        _ => Err(sink.wrong_type(
            v,
            "a policy document",
            "an object or a string of policy JSON",
        )),
    }
}

/// Read a policy object taken out of its file's tree (no copy).
pub(crate) fn policy_object(
    sink: &mut Sink<'_>,
    v: JsonValue,
    name: &str,
    pointer: &dyn fmt::Display,
) -> Result<PolicyDoc, Place> {
    let span = v.span;
    let (policy, diagnostics) = model::lower(v);
    let mut first_error = None;
    for mut d in diagnostics {
        d.pointer = Some(format!("{pointer}{}", d.pointer.as_deref().unwrap_or("")));
        let error = d.is_error();
        let place = sink.push(d);
        if error && first_error.is_none() {
            first_error = Some(place);
        }
    }
    match (policy, first_error) {
        (Some(p), None) => Ok(PolicyDoc::new(name, sink.source.clone(), p)),
        (_, Some(place)) => Err(place),
        (None, None) => Err(sink.place(span)),
    }
}

/// Policy objects taken out of a file's tree, by the offset where each
/// starts: lowering consumes a tree, and taking them avoids a copy of each.
#[derive(Debug, Default)]
pub(crate) struct Detached(std::collections::HashMap<u32, JsonValue>);

impl Detached {
    /// Take the object found at `path` below `v` (member names, `[]` for
    /// every element of an array), leaving `null` with the same span.
    pub(crate) fn take(&mut self, v: &mut JsonValue, path: &[&str]) {
        let Some((first, rest)) = path.split_first() else {
            if matches!(v.kind, JsonKind::Object(_)) {
                let span = v.span;
                let owned = std::mem::replace(
                    v,
                    JsonValue {
                        span,
                        kind: JsonKind::Null,
                    },
                );
                self.0.insert(span.start, owned);
            }
            return;
        };
        match (&mut v.kind, *first) {
            (JsonKind::Array(items), "[]") => {
                for item in items {
                    self.take(item, rest);
                }
            }
            (JsonKind::Object(members), name) => {
                if let Some(m) = members.iter_mut().find(|m| &*m.key == name) {
                    self.take(&mut m.value, rest);
                }
            }
            _ => {}
        }
    }

    /// The policy at `v`: the detached object if `v` is where one was taken.
    pub(crate) fn policy(
        &mut self,
        sink: &mut Sink<'_>,
        v: &JsonValue,
        name: &str,
        pointer: &dyn fmt::Display,
        options: &ParseOptions,
    ) -> Result<PolicyDoc, Place> {
        match (&v.kind, self.0.remove(&v.span.start)) {
            (JsonKind::Null, Some(owned)) => policy_object(sink, owned, name, pointer),
            _ => policy_at(sink, v, name, pointer, options),
        }
    }
}

fn policy_in_string(
    sink: &mut Sink<'_>,
    v: &JsonValue,
    name: &str,
    pointer: &dyn fmt::Display,
    options: &ParseOptions,
) -> Result<PolicyDoc, Place> {
    let raw = sink.source.slice(v.span);
    let (literal, literal_map) = match SpanMap::decode_literal(raw, v.span.start) {
        Some(pair) => pair,
        None => {
            let text = v.as_str().unwrap_or("").to_string();
            let len = text.len();
            (text, SpanMap::point(v.span.start, len))
        }
    };
    // Policy text starts with `{`; anything else is read as URL-encoded.
    let (text, percent) = if literal.trim_start().starts_with('{') {
        (literal, None)
    } else {
        match percent_decode(&literal) {
            Ok((text, origin)) => (text, Some(origin)),
            Err(at) => {
                let span = literal_map.map(Span {
                    start: at,
                    end: at.saturating_add(1),
                });
                return Err(sink.error(
                    "snapshot::url-encoding",
                    "the policy document is neither policy JSON nor URL-encoded policy JSON".into(),
                    span,
                    "authorization details hold policies as JSON objects (the AWS CLI decodes them) or as the API's URL-encoded text",
                ));
            }
        }
    };
    let to_file = |span: Span| -> Span {
        let span = match &percent {
            Some(origin) => {
                let at = |i: u32| origin.get(i as usize).copied().unwrap_or(0);
                Span {
                    start: at(span.start),
                    end: at(span.end),
                }
            }
            None => span,
        };
        literal_map.map(span)
    };
    let parsed = parse_policy_with(&text, options);
    let mut first_error = None;
    for d in parsed.diagnostics {
        let d = mapped(d, &to_file);
        let error = d.is_error();
        let place = sink.push(d);
        if error && first_error.is_none() {
            first_error = Some(place);
        }
    }
    match (parsed.policy, first_error) {
        (Some(p), None) => {
            let source = Source::new(format!("{}#{pointer}", sink.source.name()), text);
            Ok(PolicyDoc::new(name, source, p))
        }
        (_, Some(place)) => Err(place),
        (None, None) => Err(sink.place(v.span)),
    }
}

fn mapped(mut d: Diagnostic, to_file: &impl Fn(Span) -> Span) -> Diagnostic {
    for label in &mut d.labels {
        label.span = to_file(label.span);
    }
    d
}

/// Decode `%XX` escapes (RFC 3986; `+` stays `+`). Returns the text and,
/// for each decoded byte, its offset in `s` (plus one entry for the end);
/// `Err` holds the offset of a malformed escape or of bytes that are not
/// UTF-8 once decoded.
pub(crate) fn percent_decode(s: &str) -> Result<(String, Vec<u32>), u32> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut origin = Vec::with_capacity(bytes.len() + 1);
    let mut i = 0;
    let offset = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(offset(i))?;
            let hi = (hex[0] as char).to_digit(16).ok_or(offset(i))?;
            let lo = (hex[1] as char).to_digit(16).ok_or(offset(i))?;
            out.push(u8::try_from(hi * 16 + lo).map_err(|_| offset(i))?);
            origin.push(offset(i));
            i += 3;
        } else {
            out.push(bytes[i]);
            origin.push(offset(i));
            i += 1;
        }
    }
    origin.push(offset(bytes.len()));
    match String::from_utf8(out) {
        Ok(text) => Ok((text, origin)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(origin.get(at).copied().unwrap_or(0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Owner;
    use keyward_policy::json;

    fn read(file: &str) -> (Vec<crate::Problem>, Result<PolicyDoc, Place>) {
        let source = Source::new("f.json", file);
        let root = json::parse(file, &ParseOptions::default()).value.unwrap();
        let v = root.get("Policy").unwrap();
        let mut problems = Vec::new();
        let mut sink = Sink {
            problems: &mut problems,
            source: &source,
            owner: Owner::of("111122223333", "key `k`"),
        };
        let r = policy_at(&mut sink, v, "k", &"/Policy", &ParseOptions::default());
        (problems, r)
    }

    #[test]
    fn percent_decoding_keeps_origins() {
        let (text, origin) = percent_decode("%7B%22a%22:1%7D").unwrap();
        assert_eq!(text, "{\"a\":1}");
        assert_eq!(origin, [0, 3, 6, 7, 10, 11, 12, 15]);
        assert_eq!(percent_decode("%7"), Err(0));
        assert_eq!(percent_decode("ab%zz"), Err(2));
        assert_eq!(percent_decode("%ff"), Err(0));
    }

    #[test]
    fn a_mistake_in_a_policy_string_points_at_its_byte_in_the_file() {
        // `kms:Decript` sits inside the JSON string, after escaped quotes.
        let file = "{\n  \"Policy\": \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\": \\\"*\\\", \\\"Action\\\": \\\"kms:Decrypt\\\", \\\"Resource\\\": 5}]}\"\n}";
        let (problems, r) = read(file);
        let place = r.unwrap_err();
        assert_eq!(place.line, 2);
        let at = file.find("5}]").unwrap();
        let col = file[..at].rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(place.column as usize, col);
        assert!(problems[0]
            .diagnostic
            .message
            .starts_with("key `k` in account 111122223333: "));
    }

    #[test]
    fn a_url_encoded_policy_is_decoded_and_mistakes_map_through_both_encodings() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":7}]}"#;
        let encoded: String = policy
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let file = format!("{{\"Policy\": \"{encoded}\"}}");
        let (_, r) = read(&file);
        let place = r.unwrap_err();
        // The `7` is written as itself right after `%3A` (the colon).
        let at = file.find("%3A7").unwrap() + 3;
        assert_eq!(place.column as usize, at + 1);
        let good = file.replace("7%7D", "%22%2A%22%7D");
        let (problems, r) = read(&good);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(r.unwrap().policy.statements.len(), 1);
    }
}
