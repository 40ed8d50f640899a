//! `keyward query`: decide one request, from a scenario or from policy files.

use keyward_eval::answer::{Answer, AnsweredRequest};
use keyward_eval::{
    closest_action, Caller, ContextValue, KeyState, KmsAction, PrincipalConfig, Request,
};
use keyward_policy::{DiagnosticJson, Locator};
use serde_json::json;

use self::world::{load_query, QueryWorld};
use super::scenario::{self as sc, Format, FsLoader};
use crate::render;

mod world;

/// Arguments of `keyward query`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("world").required(true).args(["scenario", "key_policy", "snapshot"]))]
pub struct Args {
    /// A scenario file that holds the principal and the key.
    #[arg(long)]
    scenario: Option<String>,
    /// An account snapshot directory (docs/snapshot-format.md) that holds
    /// the principal and the key; exit 2 when the answer is incomplete.
    #[arg(long)]
    snapshot: Option<String>,
    /// With --snapshot: refuse files larger than this many bytes.
    #[arg(long, requires = "snapshot", default_value_t = keyward_snapshot::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: usize,
    /// The key policy (instead of a scenario).
    #[arg(long, conflicts_with = "scenario")]
    key_policy: Option<String>,
    /// An identity policy of the principal (repeatable; with --key-policy).
    #[arg(long, requires = "key_policy")]
    identity_policy: Vec<String>,
    /// The principal's permissions boundary (with --key-policy).
    #[arg(long, requires = "key_policy")]
    permissions_boundary: Option<String>,
    /// The principal's session policy (with --key-policy).
    #[arg(long, requires = "key_policy")]
    session_policy: Option<String>,
    /// Grants on the key: a JSON list in the scenario grant format (with --key-policy).
    #[arg(long, requires = "key_policy")]
    grants: Option<String>,
    /// The key's state (with --key-policy; default Enabled).
    #[arg(long, requires = "key_policy")]
    key_state: Option<String>,
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
    /// An encryption-context pair `K=V` (repeatable).
    #[arg(long, value_name = "K=V")]
    encryption_context: Vec<String>,
    /// The Region the request is sent to (default: the key's).
    #[arg(long)]
    region: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn split_pair<'a>(text: &'a str, flag: &str) -> Result<(&'a str, &'a str), String> {
    text.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("`{text}` is not KEY=VALUE (in {flag})"))
}

fn invalid(message: &str, help: &str) -> u8 {
    eprintln!("error: {message}\n  help: {help}");
    2
}

/// Run the command: 0 allowed, 1 denied or a KMS error, 2 invalid input.
pub fn run(args: &Args) -> u8 {
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
        match sc::load_file(path, format) {
            Ok(s) => s,
            Err(problems) => return emit_errors(problems, format),
        }
    } else {
        // A path, or `FILE#ADDRESS` inside a .tf module, template or plan.
        let read = |p: &String| super::policy_ref::read_policy(p);
        let sources = (|| -> Result<QueryWorld, String> {
            let key_state = match &args.key_state {
                None => KeyState::Enabled,
                Some(s) => KeyState::parse(s).ok_or_else(|| format!("`{s}` is not a key state"))?,
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
            Err(message) => return invalid(&message, "check the paths and values given"),
        };
        match load_query(world, &FsLoader) {
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
                    args.principal
                ));
                let config = PrincipalConfig::new(args.principal.as_str(), caller);
                scenario.authorizer.add_principal(config)
            }
            Err(_) => {
                let auth = &scenario.authorizer;
                let names: Vec<&str> = auth.principals().map(|p| auth.principal_name(p)).collect();
                return invalid(
                    &format!("no principal `{}` in the scenario", args.principal),
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
            let names: Vec<&str> = auth.keys().map(|k| auth.key_name(k)).collect();
            return invalid(
                &format!("no key `{}` in the scenario", args.key),
                &format!(
                    "the keys are: {} (or name one by its ARN, an alias or its key id)",
                    names.join(", ")
                ),
            );
        }
        Err(e) => return invalid(&e.message, e.help.as_deref().unwrap_or("")),
    };
    let Some(action) = KmsAction::parse(&args.action) else {
        let help = match closest_action(&args.action) {
            Some(a) => format!("did you mean `{a}`?"),
            None => "name one KMS action, such as `kms:Decrypt`".to_string(),
        };
        return invalid(&format!("`{}` is not a KMS action", args.action), &help);
    };
    let mut req = match Request::resolved(principal, action, resolution) {
        Ok(r) => r,
        Err(e) => return invalid(&e.message, e.help.as_deref().unwrap_or("")),
    };
    if let Some(r) = region {
        req = req.in_region(r);
    }
    for pair in &args.encryption_context {
        match split_pair(pair, "--encryption-context") {
            Ok((k, v)) => req = req.with_encryption_context(k, v),
            Err(m) => return invalid(&m, "write `--encryption-context Department=IT`"),
        }
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
            Err(e) => return invalid(&e.message, e.help.as_deref().unwrap_or("")),
        };
    }
    let r = auth.decide(&req);
    // The key's ARN, or for a reference that found no key, what KMS looked for.
    let key_arn = r.key_arn().unwrap_or(&args.key);
    match format {
        Format::Json => render::print_json(&AnsweredRequest {
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
            println!("{} → {} on {}: {verdict}", args.principal, action, key_arn);
            for note in &notes {
                println!("  note: {note}");
            }
            print!("{}", render::reason_lines(&r, "  "));
            print!("{}", render::snippets(&r));
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
        render::print_json(&json!({ "errors": problems }));
    }
    2
}
