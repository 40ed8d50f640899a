//! `keyward query`: decide one request, from a scenario or from policy files.

use std::path::{Path, PathBuf};

use keyward_eval::answer::{Answer, AnsweredRequest};
use keyward_eval::{
    closest_action, Caller, ContextValue, KeyState, KmsAction, PrincipalConfig, Request,
};
use keyward_policy::{DiagnosticJson, Locator};
use serde_json::json;

use self::world::{load_query, QueryWorld};
use super::scenario::{self as sc, Format, FsLoader};
use crate::render::escape;
use crate::{out, render};

mod world;

/// Arguments of `keyward query`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("world").required(true).args(["scenario", "key_policy", "snapshot"]))]
pub struct Args {
    /// A scenario file that holds the principal and the key.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// An account snapshot directory (docs/snapshot-format.md) that holds
    /// the principal and the key; exit 2 when the answer is incomplete.
    #[arg(long)]
    snapshot: Option<String>,
    /// With --snapshot: refuse files larger than this many bytes.
    #[arg(long, requires = "snapshot", default_value_t = keyward_snapshot::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: usize,
    /// The key policy (instead of a scenario).
    #[arg(long, conflicts_with = "scenario")]
    key_policy: Option<PathBuf>,
    /// An identity policy of the principal (repeatable; with --key-policy).
    #[arg(long)]
    identity_policy: Vec<PathBuf>,
    /// The principal's permissions boundary (with --key-policy).
    #[arg(long)]
    permissions_boundary: Option<PathBuf>,
    /// The principal's session policy (with --key-policy).
    #[arg(long)]
    session_policy: Option<PathBuf>,
    /// Grants on the key: a JSON list in the scenario grant format (with --key-policy).
    #[arg(long)]
    grants: Option<PathBuf>,
    /// The key's state (with --key-policy; default Enabled).
    #[arg(long)]
    key_state: Option<String>,
    /// A folder the scenario's `{"file": …}` references may also read from
    /// (repeatable; with --scenario).
    #[arg(long, value_name = "DIR")]
    allow_path: Vec<PathBuf>,
    /// The principal: a name or ARN from the scenario, or any IAM ARN (with
    /// --scenario, a principal outside the scenario has no identity
    /// policies of its own).
    #[arg(long)]
    principal: String,
    /// The action, e.g. `kms:Decrypt`.
    #[arg(long)]
    action: String,
    /// The key: a name, ARN or alias from the scenario, or the key ARN.
    #[arg(long)]
    key: String,
    /// A request-context value `KEY=VALUE` (repeat a key for a list).
    #[arg(long, value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// An encryption-context pair `K=V` (repeatable; each key once).
    #[arg(long, value_name = "K=V")]
    encryption_context: Vec<String>,
    /// The Region the request is sent to (default: the key's).
    #[arg(long)]
    region: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Args {
    /// The flags given that describe the world piece by piece, which a
    /// scenario already describes.
    fn piecewise_flags(&self) -> Vec<&'static str> {
        let given = [
            ("--identity-policy", !self.identity_policy.is_empty()),
            (
                "--permissions-boundary",
                self.permissions_boundary.is_some(),
            ),
            ("--session-policy", self.session_policy.is_some()),
            ("--grants", self.grants.is_some()),
            ("--key-state", self.key_state.is_some()),
        ];
        given
            .into_iter()
            .filter_map(|(flag, on)| on.then_some(flag))
            .collect()
    }
}

/// Refuse flags that cannot both hold: piece-by-piece flags beside a
/// scenario or a snapshot (they would be ignored), `--allow-path` without
/// a scenario.
fn conflicts(args: &Args) -> Result<(), (String, String)> {
    let piecewise = args.piecewise_flags();
    let whole = match (&args.scenario, &args.snapshot) {
        (Some(_), _) => Some(("--scenario", "the scenario")),
        (None, Some(_)) => Some(("--snapshot", "the snapshot")),
        (None, None) => None,
    };
    if let (Some((flag, what)), false) = (whole, piecewise.is_empty()) {
        return Err((
            format!(
                "{} cannot be used with {flag}: {what} already says it (nothing would be applied)",
                piecewise.join(", ")
            ),
            format!("change {what}, or describe the world with --key-policy instead of {flag}"),
        ));
    }
    if args.scenario.is_none() && !args.allow_path.is_empty() {
        return Err((
            "--allow-path applies to a scenario's `{\"file\": …}` references: use it with --scenario".to_string(),
            "name each policy file with its own flag (--key-policy, --identity-policy, …)".to_string(),
        ));
    }
    Ok(())
}

fn split_pair<'a>(text: &'a str, flag: &str) -> Result<(&'a str, &'a str), String> {
    text.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("`{}` is not KEY=VALUE (in {flag})", escape(text)))
}

fn invalid(message: &str, help: &str) -> u8 {
    out::error(message, help);
    2
}

/// The pairs of `--encryption-context K=V`, in order. An encryption
/// context is a map: a key given two different values is refused (message,
/// help), never the last one kept.
pub(super) fn encryption_context(args: &[String]) -> Result<Vec<(&str, &str)>, (String, String)> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for pair in args {
        let (k, v) = split_pair(pair, "--encryption-context")
            .map_err(|m| (m, "write `--encryption-context Department=IT`".to_string()))?;
        match pairs.iter().find(|(seen, _)| *seen == k) {
            Some((_, first)) if *first != v => {
                return Err((
                    format!(
                        "--encryption-context gives `{}` twice (`{}` and `{}`): an encryption context holds each key once",
                        escape(k),
                        escape(first),
                        escape(v)
                    ),
                    "give each key of the encryption context once".to_string(),
                ))
            }
            Some(_) => {}
            None => pairs.push((k, v)),
        }
    }
    Ok(pairs)
}

/// Run the command: 0 allowed, 1 denied or a KMS error, 2 invalid input.
pub fn run(args: &Args) -> u8 {
    if let Err((message, help)) = conflicts(args) {
        return invalid(&message, &help);
    }
    if let Some(dir) = &args.snapshot {
        return super::snapshot_query::run(&super::snapshot_query::QueryArgs {
            dir,
            principal: &args.principal,
            action: &args.action,
            key: &args.key,
            region: args.region.as_deref(),
            context: &args.context,
            encryption_context: &args.encryption_context,
            format: args.format,
            max_file_size: args.max_file_size,
        });
    }
    let format = args.format;
    let scenario = if let Some(path) = &args.scenario {
        match sc::load_file(path, format, &args.allow_path) {
            Ok(s) => s,
            Err(problems) => return emit_errors(problems, format),
        }
    } else {
        // A path, or `FILE#ADDRESS` inside a .tf module, template or plan.
        let read = |p: &PathBuf| super::policy_ref::read_policy(p);
        let sources = (|| -> Result<QueryWorld, String> {
            let key_state = match &args.key_state {
                None => KeyState::Enabled,
                Some(s) => KeyState::parse(s)
                    .ok_or_else(|| format!("`{}` is not a key state", escape(s)))?,
            };
            Ok(QueryWorld {
                key_arn: args.key.clone(),
                key_policy: read(args.key_policy.as_ref().ok_or("--key-policy is required")?)?,
                key_state,
                principal_arn: args.principal.clone(),
                identity_policies: args
                    .identity_policy
                    .iter()
                    .map(read)
                    .collect::<Result<_, _>>()?,
                permissions_boundary: args.permissions_boundary.as_ref().map(read).transpose()?,
                session_policy: args.session_policy.as_ref().map(read).transpose()?,
                grants: args.grants.as_ref().map(read).transpose()?,
            })
        })();
        let world = match sources {
            Ok(w) => w,
            Err(message) => return invalid(&escape(&message), "check the paths and values given"),
        };
        // The files are named one by one; nothing else is read.
        let loader = FsLoader::new(Path::new("."), &[]);
        match load_query(world, &loader) {
            Ok(s) => s,
            Err(problems) => return emit_errors(sc::report(&problems, format), format),
        }
    };
    let mut scenario = scenario;
    let mut notes = Vec::new();
    let principal = match scenario.authorizer.principal(&args.principal) {
        Some(p) => p,
        None => match Caller::from_arn(&args.principal) {
            // An outsider: asked about by ARN, with no policies of its own.
            Ok(caller) => {
                notes.push(format!(
                    "`{}` is not a principal of the scenario: it is asked about with no identity policies of its own (its account's SCPs, if the scenario has any, apply)",
                    escape(&args.principal)
                ));
                let config = PrincipalConfig::new(args.principal.as_str(), caller);
                scenario.authorizer.add_principal(config)
            }
            Err(_) => {
                let auth = &scenario.authorizer;
                let names: Vec<String> = auth
                    .principals()
                    .map(|p| escape(auth.principal_name(p)).into_owned())
                    .collect();
                return invalid(
                    &format!("no principal `{}` in the scenario", escape(&args.principal)),
                    &format!(
                        "the principals are: {} (or give any principal by its IAM ARN)",
                        names.join(", ")
                    ),
                );
            }
        },
    };
    let auth = &scenario.authorizer;
    let region = args.region.as_deref().or(scenario.region.as_deref());
    let resolution = match auth.resolve(&args.key, region, principal) {
        Ok(r) => r,
        Err(e) if e.code == "eval::unknown-key" => {
            let names: Vec<String> = auth
                .keys()
                .map(|k| escape(auth.key_name(k)).into_owned())
                .collect();
            return invalid(
                &format!("no key `{}` in the scenario", escape(&args.key)),
                &format!(
                    "the keys are: {} (or name one by its ARN, an alias or its key id)",
                    names.join(", ")
                ),
            );
        }
        Err(e) => return invalid_eval(&e),
    };
    let Some(action) = KmsAction::parse(&args.action) else {
        let help = match closest_action(&args.action) {
            Some(a) => format!("did you mean `{a}`?"),
            None => "name one KMS action, such as `kms:Decrypt`".to_string(),
        };
        return invalid(
            &format!("`{}` is not a KMS action", escape(&args.action)),
            &help,
        );
    };
    let mut req = match Request::resolved(principal, action, resolution) {
        Ok(r) => r,
        Err(e) => return invalid_eval(&e),
    };
    if let Some(r) = region {
        req = req.in_region(r);
    }
    match encryption_context(&args.encryption_context) {
        Ok(pairs) => {
            for (k, v) in pairs {
                req = req.with_encryption_context(k, v);
            }
        }
        Err((message, help)) => return invalid(&message, &help),
    }
    let mut context: Vec<(&str, Vec<&str>)> = Vec::new();
    for pair in &args.context {
        match split_pair(pair, "--context") {
            Ok((k, v)) => match context
                .iter_mut()
                .find(|(ck, _)| ck.eq_ignore_ascii_case(k))
            {
                Some((_, vs)) => vs.push(v),
                None => context.push((k, vec![v])),
            },
            Err(m) => {
                return invalid(
                    &m,
                    "write `--context kms:ViaService=s3.us-east-1.amazonaws.com`",
                )
            }
        }
    }
    for (k, vs) in context {
        let value = if vs.len() == 1 {
            ContextValue::One(vs[0].into())
        } else {
            ContextValue::Many(vs.into_iter().map(Into::into).collect())
        };
        req = match req.with_context(k, value) {
            Ok(r) => r,
            Err(e) => return invalid_eval(&e),
        };
    }
    let r = auth.decide(&req);
    // The key's ARN, or for a reference that found no key, what KMS looked for.
    let key_arn = r.key_arn().unwrap_or(&args.key);
    match format {
        Format::Json => out::json(&AnsweredRequest {
            principal: args.principal.clone(),
            action: action.qualified_name().to_string(),
            key: key_arn.to_string(),
            notes,
            answer: Answer::new(&r, &mut Locator::new()),
        }),
        Format::Human => {
            let verdict = match r.error() {
                Some(e) => format!("{} → {}", sc::decision_words(r.decision()), e),
                None => sc::decision_words(r.decision()).to_uppercase(),
            };
            let mut text = format!(
                "{} → {} on {}: {verdict}\n",
                escape(&args.principal),
                action,
                escape(key_arn)
            );
            for note in &notes {
                text.push_str(&format!("  note: {note}\n"));
            }
            text.push_str(&render::reason_lines(&r, "  "));
            text.push_str(&render::snippets(&r));
            out::text(&text);
        }
    }
    if r.is_success() {
        0
    } else {
        1
    }
}

fn emit_errors(problems: Vec<DiagnosticJson>, format: Format) -> u8 {
    if format == Format::Json {
        out::json(&json!({ "errors": problems }));
    }
    2
}

/// An error of the engine about the request (its message may quote the
/// flags' values: escaped when printed).
fn invalid_eval(e: &keyward_eval::EvalError) -> u8 {
    invalid(
        &escape(&e.message),
        &escape(e.help.as_deref().unwrap_or("")),
    )
}
