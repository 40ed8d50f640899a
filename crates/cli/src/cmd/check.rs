//! `keyward check`: offline policy checks for CI, decided over every
//! request (see docs/checks.md).
//!
//! - `no-new-access --base OLD --head NEW` (or `--base-ref GIT_REF`)
//! - `access-not-granted --policy P --action A [--principal X]`
//! - `no-public-access --policy P [--account A] [--org o-…]`
//!
//! Exit codes: 0 pass, 1 fail (with witnesses), 2 unknown or invalid input.

mod inputs;
mod output;

use clap::ValueEnum;
use keyward_analysis::checks::{
    access_not_granted, no_new_access, no_public_access, CheckOptions, Outcome, Trust, Verdict,
};
use keyward_analysis::world::Kind;
use keyward_eval::ActionSet;
use keyward_lint::extract::InputFormat;
use keyward_lint::PolicyKind;

pub use inputs::{empty, load, read_git, read_path, Loaded, LoadedDoc};
pub use output::{emit_error, emit_invalid, render, Checked};

/// Output formats of `keyward check`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The verdict and each witness with its explanation, for people.
    #[default]
    Human,
    /// `{"check", "result", "witnesses", …}` (see docs/checks.md).
    Json,
    /// SARIF 2.1.0: a result on the statement that grants the access.
    Sarif,
    /// GitHub Actions annotations on the statement that grants the access.
    Github,
}

/// Policy kinds on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// KMS key policies.
    Key,
    /// IAM identity policies.
    Identity,
}

/// Input formats on the command line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum InputArg {
    /// Detect from the file name and content.
    #[default]
    Auto,
    /// Policy documents.
    Policy,
    /// CloudFormation templates (JSON or YAML).
    Cloudformation,
    /// Terraform plans (`terraform show -json`).
    Terraform,
}

/// Options every check takes.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// The policy kind (default: from the resource type, else a policy with
    /// `Principal` is a key policy).
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// The key the key policy is for (its ARN). Without it every key account
    /// the policies could be in is considered.
    #[arg(long, value_name = "KEY-ARN")]
    pub key: Option<String>,
    /// What the inputs are.
    #[arg(long = "input", value_enum, default_value_t)]
    pub input_format: InputArg,
    /// The most witnesses to report per policy.
    #[arg(long, default_value_t = 5)]
    pub max_witnesses: usize,
}

impl Common {
    /// The input format.
    pub fn input(&self) -> InputFormat {
        match self.input_format {
            InputArg::Auto => InputFormat::Auto,
            InputArg::Policy => InputFormat::Policy,
            InputArg::Cloudformation => InputFormat::CloudFormation,
            InputArg::Terraform => InputFormat::Terraform,
        }
    }

    /// The forced kind.
    pub fn policy_kind(&self) -> Option<PolicyKind> {
        self.kind.map(|k| match k {
            KindArg::Key => PolicyKind::Key,
            KindArg::Identity => PolicyKind::Identity,
        })
    }

    /// Check options for one policy.
    pub fn options_for(&self, _doc: &LoadedDoc) -> CheckOptions {
        let mut o = CheckOptions {
            max_witnesses: self.max_witnesses.max(1),
            ..CheckOptions::default()
        };
        o.space.key_arn.clone_from(&self.key);
        o
    }
}

/// The analysis's kind for a policy kind.
pub fn kind_of(kind: PolicyKind) -> Kind {
    match kind {
        PolicyKind::Key => Kind::KeyPolicy,
        PolicyKind::Identity => Kind::Identity,
    }
}

/// The checks.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Does the head policy allow any request the base does not?
    NoNewAccess(NoNewAccessArgs),
    /// Can any request for these actions (and principals) be allowed?
    AccessNotGranted(AccessNotGrantedArgs),
    /// Can a principal outside the key's account (or organization) be allowed?
    NoPublicAccess(NoPublicAccessArgs),
}

/// Arguments of `keyward check no-new-access`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("old").required(true).args(["base", "base_ref"]))]
pub struct NoNewAccessArgs {
    /// The policy (or template, or plan) before the change.
    #[arg(long)]
    pub base: Option<String>,
    /// Read the base as the head's path at this git revision (for pull requests).
    #[arg(long, value_name = "GIT_REF", conflicts_with = "base")]
    pub base_ref: Option<String>,
    /// The policy (or template, or plan) after the change.
    #[arg(long)]
    pub head: String,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `keyward check access-not-granted`.
#[derive(Debug, clap::Args)]
pub struct AccessNotGrantedArgs {
    /// The policy (or template, or plan).
    #[arg(long)]
    pub policy: String,
    /// An action that must never be allowed (repeatable), e.g. `kms:Decrypt` or `kms:Re*`.
    #[arg(long = "action", required = true)]
    pub actions: Vec<String>,
    /// Only requests by this principal: an ARN or wildcard pattern, an
    /// account id, or a service name (repeatable; default anyone).
    #[arg(long = "principal")]
    pub principals: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `keyward check no-public-access`.
#[derive(Debug, clap::Args)]
pub struct NoPublicAccessArgs {
    /// The key policy (or template, or plan).
    #[arg(long)]
    pub policy: String,
    /// An account inside the zone of trust (repeatable). The key is in the
    /// first one unless `--key` says otherwise.
    #[arg(long = "account", value_name = "ACCOUNT")]
    pub accounts: Vec<String>,
    /// The organization inside the zone of trust (`aws:PrincipalOrgID`).
    #[arg(long, value_name = "o-…")]
    pub org: Option<String>,
    /// Fail only for principals of accounts no statement names (anyone), as
    /// Access Analyzer's public check does.
    #[arg(long)]
    pub public_only: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Run a check: 0 pass, 1 fail, 2 unknown or invalid input.
pub fn run(command: &Command) -> u8 {
    match command {
        Command::NoNewAccess(args) => run_no_new_access(args),
        Command::AccessNotGranted(args) => run_access_not_granted(args),
        Command::NoPublicAccess(args) => run_no_public_access(args),
    }
}

/// Load one file, or report why it cannot be read.
fn load_file(path: &str, common: &Common) -> Result<Loaded, u8> {
    let source = read_path(path).map_err(|m| emit_error(&m, common.format))?;
    load(source, common.input(), common.policy_kind())
        .map_err(|invalid| emit_invalid(&invalid, common.format))
}

/// Pair base and head policies by resource address.
pub fn pairs<'a>(
    base: Option<&'a Loaded>,
    head: &'a Loaded,
    empties: &'a [LoadedDoc],
) -> Vec<(&'a LoadedDoc, &'a LoadedDoc)> {
    head.docs
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let found = base.and_then(|b| {
                b.docs
                    .iter()
                    .find(|d| d.label == h.label)
                    .or_else(|| (b.docs.len() == 1 && head.docs.len() == 1).then(|| &b.docs[0]))
            });
            (found.unwrap_or(&empties[i]), h)
        })
        .collect()
}

/// The base and head files of `no-new-access` (and `diff`).
pub fn load_pair(
    base: Option<&str>,
    base_ref: Option<&str>,
    head: &str,
    common: &Common,
) -> Result<(Option<Loaded>, Loaded, Vec<LoadedDoc>), u8> {
    let head = load_file(head, common)?;
    let base = match (base, base_ref) {
        (Some(path), _) => Some(load_file(path, common)?),
        (None, Some(reference)) => match read_git(reference, head.file.name()) {
            Ok(Some(source)) => Some(
                load(source, common.input(), common.policy_kind())
                    .map_err(|invalid| emit_invalid(&invalid, common.format))?,
            ),
            Ok(None) => None,
            Err(m) => return Err(emit_error(&m, common.format)),
        },
        (None, None) => None,
    };
    let empties = head
        .docs
        .iter()
        .map(|d| empty(&format!("(no policy before) {}", d.doc.name), d.kind))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|m| emit_error(&m, common.format))?;
    Ok((base, head, empties))
}

fn run_no_new_access(args: &NoNewAccessArgs) -> u8 {
    let common = &args.common;
    let (base, head, empties) = match load_pair(
        args.base.as_deref(),
        args.base_ref.as_deref(),
        &args.head,
        common,
    ) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let results: Vec<Checked<'_>> = pairs(base.as_ref(), &head, &empties)
        .into_iter()
        .map(|(b, h)| Checked {
            doc: h,
            outcome: no_new_access(&b.doc, &h.doc, kind_of(h.kind), &common.options_for(h)),
        })
        .collect();
    render("no-new-access", &head, &results, common.format)
}

fn run_access_not_granted(args: &AccessNotGrantedArgs) -> u8 {
    let common = &args.common;
    let mut actions = ActionSet::EMPTY;
    for a in &args.actions {
        let pattern = match keyward_policy::matching::ActionPattern::parse(a) {
            Ok(p) => p,
            Err(e) => return emit_error(&format!("`{a}` is not an action: {e}"), common.format),
        };
        let matched = ActionSet::matching(|name| pattern.matches(name));
        if matched.is_empty() {
            return emit_error(&format!("`{a}` names no KMS action"), common.format);
        }
        actions = actions.union(matched);
    }
    let policy = match load_file(&args.policy, common) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let results: Vec<Checked<'_>> = policy
        .docs
        .iter()
        .map(|d| Checked {
            doc: d,
            outcome: access_not_granted(
                &d.doc,
                kind_of(d.kind),
                actions,
                &args.principals,
                &common.options_for(d),
            ),
        })
        .collect();
    render("access-not-granted", &policy, &results, common.format)
}

fn run_no_public_access(args: &NoPublicAccessArgs) -> u8 {
    let common = &args.common;
    let policy = match load_file(&args.policy, common) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let options_for = |d: &LoadedDoc| {
        let mut options = common.options_for(d);
        if common.key.is_none() {
            let account = args.accounts.first().cloned().or_else(|| own_account(d));
            if let Some(account) = account {
                options.space.key_arn = Some(format!(
                    "arn:aws:kms:us-east-1:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                ));
            }
        }
        options
    };
    let trust = Trust {
        accounts: args.accounts.clone(),
        org: args.org.clone(),
        public_only: args.public_only,
    };
    let results: Vec<Checked<'_>> = policy
        .docs
        .iter()
        .map(|d| {
            let outcome = if d.kind == PolicyKind::Key {
                no_public_access(&d.doc, &trust, &options_for(d))
            } else {
                Outcome {
                    check: "no-public-access",
                    verdict: Verdict::Pass,
                    witnesses: Vec::new(),
                    reason: Some("an identity policy grants nothing to other accounts".into()),
                    classes: 0,
                    kind: Kind::Identity,
                }
            };
            Checked { doc: d, outcome }
        })
        .collect();
    render("no-public-access", &policy, &results, common.format)
}

/// The key's own account, read from its key policy: the one account whose
/// account principal (`arn:aws:iam::A:root` or `A`) an Allow names, when
/// there is exactly one.
fn own_account(d: &LoadedDoc) -> Option<String> {
    use keyward_policy::matching::PrincipalArn;
    use keyward_policy::model::{Effect, PrincipalKind, PrincipalSpec};
    let mut found: Vec<String> = Vec::new();
    for s in &d.doc.policy.statements {
        let Some(p) = s.principal.as_ref().filter(|p| !p.node.negated) else {
            continue;
        };
        if s.effect.node != Effect::Allow {
            continue;
        }
        let PrincipalSpec::Map(groups) = &p.node.spec else {
            continue;
        };
        for v in groups
            .iter()
            .filter(|g| g.kind.node == PrincipalKind::Aws)
            .flat_map(|g| &g.values)
        {
            if let PrincipalArn::Account { account, .. } = PrincipalArn::parse(&v.node) {
                if !found.iter().any(|a| a == account) {
                    found.push(account.to_string());
                }
            }
        }
    }
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}
