//! A structural check of JUnit XML as CI systems read it: well-formed XML
//! (balanced tags, quoted attributes, only the five entities and character
//! references), `testsuites` > `testsuite` > `testcase` > at most one of
//! `failure` / `error` / `skipped` (plus `system-out`), the required
//! attributes, and counts that add up. (scripts/ci-formats.sh also reads
//! the output with a JUnit library, junitparser.)

use std::collections::BTreeMap;

type Errors = Vec<String>;

#[derive(Debug)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Element>,
}

/// Every problem found in `xml`.
pub fn check(xml: &str) -> Errors {
    let mut errors = Vec::new();
    let root = match parse(xml) {
        Ok(root) => root,
        Err(e) => return vec![e],
    };
    if root.name != "testsuites" {
        errors.push(format!("the root is <{}>, not <testsuites>", root.name));
    }
    let mut totals = [0usize; 4];
    for suite in &root.children {
        if suite.name != "testsuite" {
            errors.push(format!("<{}> inside <testsuites>", suite.name));
            continue;
        }
        require(
            suite,
            &["name", "tests", "failures", "errors", "skipped"],
            &mut errors,
        );
        let mut counts = [0usize; 4];
        for case in &suite.children {
            if case.name != "testcase" {
                errors.push(format!("<{}> inside <testsuite>", case.name));
                continue;
            }
            require(case, &["name", "classname"], &mut errors);
            counts[0] += 1;
            let mut outcomes = 0;
            for child in &case.children {
                match child.name.as_str() {
                    "failure" => counts[1] += 1,
                    "error" => counts[2] += 1,
                    "skipped" => counts[3] += 1,
                    "system-out" | "system-err" => continue,
                    other => {
                        errors.push(format!("<{other}> inside <testcase>"));
                        continue;
                    }
                }
                outcomes += 1;
                if child.name != "skipped" {
                    require(child, &["message", "type"], &mut errors);
                }
            }
            if outcomes > 1 {
                errors.push(format!(
                    "testcase {:?} has {outcomes} outcomes",
                    case.attributes.get("name")
                ));
            }
        }
        compare(suite, counts, &mut errors);
        for (total, n) in totals.iter_mut().zip(counts) {
            *total += n;
        }
    }
    compare(&root, totals, &mut errors);
    errors
}

fn require(element: &Element, names: &[&str], errors: &mut Errors) {
    for name in names {
        if !element.attributes.contains_key(*name) {
            errors.push(format!("<{}> without `{name}`", element.name));
        }
    }
}

fn compare(element: &Element, counts: [usize; 4], errors: &mut Errors) {
    for (name, n) in ["tests", "failures", "errors", "skipped"]
        .iter()
        .zip(counts)
    {
        let written = element
            .attributes
            .get(*name)
            .and_then(|v| v.parse::<usize>().ok());
        if written != Some(n) {
            errors.push(format!(
                "<{} name={:?}> says {name}={written:?}, holds {n}",
                element.name,
                element.attributes.get("name")
            ));
        }
    }
}

/// A small XML reader: enough for the documents keyward writes, strict
/// about what it accepts.
fn parse(xml: &str) -> Result<Element, String> {
    let mut rest = xml;
    if let Some(after) = rest.strip_prefix("<?xml") {
        let end = after.find("?>").ok_or("unterminated XML declaration")?;
        rest = &after[end + 2..];
    }
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let Some(open) = rest.find('<') else {
            check_text(rest)?;
            if !rest.trim().is_empty() && stack.is_empty() {
                return Err("text outside the root element".into());
            }
            break;
        };
        let text = &rest[..open];
        check_text(text)?;
        if stack.is_empty() && !text.trim().is_empty() {
            return Err("text outside the root element".into());
        }
        rest = &rest[open + 1..];
        let close = rest.find('>').ok_or("unterminated tag")?;
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let element = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if element.name != name.trim() {
                return Err(format!("</{name}> closes <{}>", element.name));
            }
            match stack.last_mut() {
                Some(parent) => parent.children.push(element),
                None if root.is_none() => root = Some(element),
                None => return Err("two root elements".into()),
            }
            continue;
        }
        let (tag, empty) = match tag.strip_suffix('/') {
            Some(tag) => (tag, true),
            None => (tag, false),
        };
        let element = start_tag(tag)?;
        if empty {
            match stack.last_mut() {
                Some(parent) => parent.children.push(element),
                None if root.is_none() => root = Some(element),
                None => return Err("two root elements".into()),
            }
        } else {
            if stack.is_empty() && root.is_some() {
                return Err("two root elements".into());
            }
            stack.push(element);
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{}> is never closed", open.name));
    }
    root.ok_or_else(|| "no root element".into())
}

fn start_tag(tag: &str) -> Result<Element, String> {
    let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    let name = &tag[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!("bad element name `{name}`"));
    }
    let mut attributes = BTreeMap::new();
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or(format!("attribute without value in <{name}>"))?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let quote = quote.ok_or(format!("unquoted attribute `{key}` in <{name}>"))?;
        let end = after[1..]
            .find(quote)
            .ok_or("unterminated attribute value")?;
        let value = &after[1..1 + end];
        check_text(value)?;
        if value.contains('<') {
            return Err(format!("`<` in attribute `{key}` of <{name}>"));
        }
        if attributes
            .insert(key.to_string(), unescape(value))
            .is_some()
        {
            return Err(format!("attribute `{key}` twice in <{name}>"));
        }
        rest = after[end + 2..].trim_start();
    }
    Ok(Element {
        name: name.to_string(),
        attributes,
        children: Vec::new(),
    })
}

/// Only the five predefined entities and character references; no control
/// characters XML 1.0 forbids.
fn check_text(text: &str) -> Result<(), String> {
    if let Some(c) = text
        .chars()
        .find(|c| (*c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(format!("control character U+{:04X}", c as u32));
    }
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        rest = &rest[at + 1..];
        let end = rest.find(';').ok_or("`&` without `;`")?;
        let entity = &rest[..end];
        let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if !known {
            return Err(format!("unknown entity `&{entity};`"));
        }
        rest = &rest[end + 1..];
    }
    Ok(())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
