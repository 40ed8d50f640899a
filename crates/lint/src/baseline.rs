//! Baselines: the findings a project already has, recorded so that a run
//! reports only new ones (`keyward lint --baseline FILE`,
//! `--write-baseline FILE`).
//!
//! A finding is recorded by its fingerprint, which does not move with its
//! line: the file (as named on the command line, `./` and `\` normalized),
//! the code, the JSON pointer of the element (`/Resources/Key/Properties/
//! KeyPolicy/Statement/2/Principal`) and a hash of the element's text with
//! all whitespace removed. Edits elsewhere in the file, re-indentation and
//! line shifts keep it; changing the element itself, moving it to another
//! statement index or renaming the file make the finding new again.
//!
//! The file is JSON, sorted for stable diffs; `message` is there for the
//! reader and is not compared:
//!
//! ```json
//! {
//!   "keyward_baseline": 1,
//!   "findings": [
//!     { "file": "infra/key.json", "code": "KW201", "pointer": "/Statement/2/Principal",
//!       "hash": "a3c1f0b2d4e59687", "message": "statement `Public` allows every principal…" }
//!   ]
//! }
//! ```
//!
//! Inputs that cannot be read (`input::…`) are never recorded: they are
//! always reported.

use std::collections::BTreeMap;

use keyward_policy::{Diagnostic, Source};
use serde::{Deserialize, Serialize};

use crate::report::Report;

/// The version written in `keyward_baseline`.
pub const BASELINE_VERSION: u32 = 1;

/// What identifies a finding across edits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The file, `/`-separated, without a leading `./`.
    pub file: String,
    /// The finding's code, e.g. `KW201` or `json::trailing-comma`.
    pub code: String,
    /// The element's JSON pointer (empty when the finding has none).
    pub pointer: String,
    /// FNV-1a (64 bits, hex) of the element's text without whitespace.
    pub hash: String,
}

impl Fingerprint {
    /// The fingerprint of a finding in `source`; `None` for findings that
    /// are never recorded (unreadable inputs).
    pub fn of(source: &Source, d: &Diagnostic) -> Option<Fingerprint> {
        if d.code.starts_with("input::") {
            return None;
        }
        let text = source.text().get(d.span().range()).unwrap_or("");
        Some(Fingerprint {
            file: normalize_path(source.name()),
            code: d.code.to_string(),
            pointer: d.pointer.clone().unwrap_or_default(),
            hash: format!("{:016x}", fnv1a(text)),
        })
    }
}

/// One recorded finding, as written in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    fingerprint: Fingerprint,
    /// For the reader only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    keyward_baseline: u32,
    findings: Vec<Entry>,
}

/// The recorded findings: how many times each fingerprint occurs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: BTreeMap<Fingerprint, usize>,
    messages: BTreeMap<Fingerprint, String>,
}

impl Baseline {
    /// Every finding of `report`.
    pub fn of(report: &Report) -> Baseline {
        let mut baseline = Baseline::default();
        for (source, d) in report.findings() {
            if let Some(fingerprint) = Fingerprint::of(source, d) {
                baseline
                    .messages
                    .entry(fingerprint.clone())
                    .or_insert_with(|| d.message.clone());
                *baseline.counts.entry(fingerprint).or_default() += 1;
            }
        }
        baseline
    }

    /// Read a baseline file. The error says what is wrong, with its line.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.keyward_baseline != BASELINE_VERSION {
            return Err(format!(
                "`keyward_baseline` is {}; this keyward reads version {BASELINE_VERSION}",
                file.keyward_baseline
            ));
        }
        let mut baseline = Baseline::default();
        for entry in file.findings {
            *baseline.counts.entry(entry.fingerprint).or_default() += 1;
        }
        Ok(baseline)
    }

    /// The baseline file's text.
    pub fn to_json(&self) -> String {
        let findings = self
            .counts
            .iter()
            .flat_map(|(fingerprint, n)| {
                let entry = Entry {
                    fingerprint: fingerprint.clone(),
                    message: self.messages.get(fingerprint).cloned().unwrap_or_default(),
                };
                std::iter::repeat_n(entry, *n)
            })
            .collect();
        let file = File {
            keyward_baseline: BASELINE_VERSION,
            findings,
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// How many findings it records.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// True when it records none.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Take the findings the baseline records out of `report` (each entry
    /// matches one finding), counting them in `report.baselined`. Returns
    /// how many entries matched nothing (findings fixed since).
    pub fn filter(&self, report: &mut Report) -> usize {
        let mut left = self.counts.clone();
        for file in &mut report.files {
            let source = &file.source;
            file.diagnostics.retain(|d| {
                let Some(fingerprint) = Fingerprint::of(source, d) else {
                    return true;
                };
                match left.get_mut(&fingerprint) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        report.baselined += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        left.values().sum()
    }
}

/// `./a\b.json` → `a/b.json`.
fn normalize_path(name: &str) -> String {
    let path = name.replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path.to_string()
}

/// FNV-1a over the text's bytes, whitespace skipped: stable across
/// platforms and versions, which `std`'s hashers do not promise.
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests;
