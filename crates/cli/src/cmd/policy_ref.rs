//! `FILE#ADDRESS`: a policy named inside a Terraform module, a
//! CloudFormation / SAM template or a Terraform plan, for commands that take
//! policy files (`keyward query --key-policy main.tf#aws_kms_key.app`).
//!
//! * `main.tf#aws_kms_key.app`, `infra/#module.kms.aws_kms_key.this`: the
//!   folder's module is read without a plan (its local modules followed);
//!   the address is the resource's (or `data.aws_iam_policy_document.NAME`).
//! * `template.yaml#OrdersKey`, `template.yaml#OrdersRole policy use-key`:
//!   a template's resource, as `keyward lint` labels it.
//! * `plan.json#aws_kms_key.app`: a resource of a plan.
//!
//! A policy with values only a plan knows is refused (fail closed): an
//! unknown principal in a `Deny` might be the caller.

use std::path::Path;

use keyward_lint::extract::hcl::find_policy;
use keyward_lint::extract::{extract, Document, InputFormat};
use keyward_policy::model::{lower, to_json_string};
use keyward_policy::Source;

use super::lint::terraform::DiskFiles;
use crate::input;

/// Read a policy given as a path, or as `PATH#ADDRESS`.
pub fn read_policy(spec: &Path) -> Result<Source, String> {
    let Some((path, address)) = spec.to_str().and_then(split) else {
        return input::read_text(spec);
    };
    let spec = spec.to_str().unwrap_or_default();
    let p = Path::new(path);
    let document = if p.is_dir() || path.ends_with(".tf") {
        let dir = if p.is_dir() {
            path.trim_end_matches('/').to_string()
        } else {
            match path.rsplit_once('/') {
                Some((dir, _)) => dir.to_string(),
                None => ".".to_string(),
            }
        };
        let fs = DiskFiles {
            max_size: keyward_policy::ParseOptions::default().max_size,
        };
        find_policy(&dir, &fs, address)?.1
    } else {
        let source = input::read_text(p)?;
        let extraction = extract(&source, InputFormat::Auto);
        let labels: Vec<String> = extraction
            .documents
            .iter()
            .filter_map(|d| d.label.clone())
            .collect();
        extraction
            .documents
            .into_iter()
            .find(|d| matches(d, address))
            .ok_or_else(|| {
                format!(
                    "no policy `{address}` in `{path}`; the policies are: {}",
                    if labels.is_empty() {
                        "(none)".to_string()
                    } else {
                        labels.join(", ")
                    }
                )
            })?
    };
    if !document.opaque.is_empty() {
        return Err(format!(
            "the policy `{address}` in `{path}` has values known only from a plan or a deployed stack; query the plan (`terraform show -json PLAN`) or a policy file instead"
        ));
    }
    let (policy, problems) = lower(document.value);
    let Some(policy) = policy.filter(|_| !problems.iter().any(|d| d.is_error())) else {
        let first = problems
            .first()
            .map_or("", |d| d.message.as_str())
            .to_string();
        return Err(format!(
            "the policy `{address}` in `{path}` is not valid: {first}"
        ));
    };
    Ok(Source::new(spec, to_json_string(&policy)))
}

fn matches(document: &Document, address: &str) -> bool {
    let label = document.label.as_deref().unwrap_or("");
    label == address || label.split('[').next() == Some(address)
}

/// `PATH#ADDRESS` when `spec` is not itself a file and `PATH` exists.
fn split(spec: &str) -> Option<(&str, &str)> {
    if Path::new(spec).exists() {
        return None;
    }
    // The first `#` after which the rest is an address (labels may hold `#`).
    spec.match_indices('#').find_map(|(i, _)| {
        let (path, address) = (&spec[..i], &spec[i + 1..]);
        (!address.is_empty() && Path::new(path).exists()).then_some((path, address))
    })
}
