//! Principal classes: callers that every analyzed statement treats alike,
//! each with one caller standing for the class.
//!
//! A caller is its ARN (which fixes its kind, account, name and path), its
//! unique id (`aws:userid`) and its tags. The ARN classes come from the
//! string theory over the shape of each kind of ARN, per account class;
//! unique ids and tags are independent dimensions multiplied in.

pub mod accounts;
pub mod facts;
pub mod forms;

use keyward_eval::Caller;
use keyward_policy::matching::PrincipalArn;

use crate::err::Unknown;
use crate::strings::{self, StringTest};
use crate::theory::label_strings;
pub use accounts::AccountRep;
pub use facts::Facts;
use forms::{form_tests, service_domain, service_tests, userid_tests, Form};

/// The principals an analysis tries at most.
pub const PRINCIPAL_BUDGET: usize = 4_000;

/// What kind of caller a representative is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RepKind {
    /// The account's root user.
    Root,
    /// An IAM user.
    User,
    /// A session of an IAM role (given by the role's ARN).
    Role,
    /// A role session named by its session ARN in a statement.
    Session,
    /// An STS federated user.
    Federated,
    /// An AWS service principal.
    Service,
}

/// One caller standing for a class of callers.
#[derive(Clone, Debug)]
pub struct PrincipalRep {
    /// The caller.
    pub caller: Caller,
    /// Its kind.
    pub kind: RepKind,
    /// Its tags (`aws:PrincipalTag/*`), keys lowercased.
    pub tags: Vec<(String, String)>,
    /// Its unique id, when the class needs one set.
    pub user_id: Option<String>,
    /// Its account, when it has one (an index into the account classes).
    pub account: Option<usize>,
    /// How the class reads, e.g. `the user arn:…` or `any other role of account …`.
    pub label: String,
}

/// Which kinds of caller to consider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Which {
    /// Root users.
    pub root: bool,
    /// Users, roles (and named role sessions).
    pub iam: bool,
    /// Federated users.
    pub federated: bool,
    /// Service principals.
    pub services: bool,
}

impl Which {
    /// Every caller of a key policy.
    pub const ALL: Which = Which {
        root: true,
        iam: true,
        federated: true,
        services: true,
    };
    /// Callers an identity policy can be attached to: users and roles.
    pub const IDENTITY: Which = Which {
        root: false,
        iam: true,
        federated: false,
        services: false,
    };
}

/// Every principal class, for `facts` over `accounts` in `partition`.
pub fn principal_reps(
    facts: &Facts,
    accounts: &[AccountRep],
    partition: &str,
    which: Which,
) -> Result<Vec<PrincipalRep>, Unknown> {
    let tag_variants = tag_variants(facts)?;
    let user_ids = [
        userid_variants(facts, false)?,
        userid_variants(facts, true)?,
    ];
    let mut out = Vec::new();
    for (ai, account) in accounts.iter().enumerate() {
        let whose = if account.named {
            format!("account {}", account.id)
        } else {
            format!("an account no statement names ({})", account.id)
        };
        if which.root {
            out.push(PrincipalRep {
                caller: Caller::root(partition, &account.id),
                kind: RepKind::Root,
                tags: Vec::new(),
                user_id: None,
                account: Some(ai),
                label: format!("the root user of {whose}"),
            });
        }
        let mut forms = Vec::new();
        if which.iam {
            forms.extend([Form::User, Form::Role]);
        }
        if which.federated {
            forms.push(Form::Federated);
        }
        for form in forms {
            let tests = form_tests(facts, form, partition, &account.id)?;
            let domain = [form.domain(partition, &account.id)];
            let nicer = form.nicer(partition, &account.id);
            let nicer: Vec<&str> = nicer.iter().map(String::as_str).collect();
            for class in strings::classes_preferring(&domain, &tests, &nicer)? {
                let caller = caller(&class.witness)?;
                let label = class_label(form.noun(), &whose, &tests, &class.truth);
                let (kind, ids) = match form {
                    Form::User => (RepKind::User, &user_ids[0]),
                    Form::Role => (RepKind::Role, &user_ids[1]),
                    Form::Federated => (RepKind::Federated, &vec![None]),
                };
                expand(&mut out, &caller, kind, ai, &label, ids, &tag_variants)?;
            }
        }
        if which.iam {
            for v in &facts.aws {
                let named = PrincipalArn::parse(v);
                if matches!(named, PrincipalArn::AssumedRole { .. })
                    && named.account() == Some(account.id.as_str())
                    && named.partition() == Some(partition)
                {
                    let label = format!("the role session {v}");
                    expand(
                        &mut out,
                        &caller(v)?,
                        RepKind::Session,
                        ai,
                        &label,
                        &user_ids[1],
                        &tag_variants,
                    )?;
                }
            }
        }
    }
    if which.services {
        let tests = service_tests(facts)?;
        let nicer = ["example.amazonaws.com"];
        for class in strings::classes_preferring(&[service_domain()], &tests, &nicer)? {
            let caller = Caller::service(&class.witness).map_err(|e| {
                Unknown::internal(format!("service `{}`: {}", class.witness, e.message))
            })?;
            let label = class_label("service", "AWS", &tests, &class.truth);
            out.push(PrincipalRep {
                caller,
                kind: RepKind::Service,
                tags: Vec::new(),
                user_id: None,
                account: None,
                label,
            });
        }
    }
    Ok(out)
}

fn caller(arn: &str) -> Result<Caller, Unknown> {
    Caller::from_arn(arn).map_err(|e| Unknown::internal(format!("caller `{arn}`: {}", e.message)))
}

fn class_label(noun: &str, whose: &str, tests: &[StringTest], truth: &[bool]) -> String {
    let exact = tests
        .iter()
        .zip(truth)
        .find(|(t, h)| **h && t.label.starts_with("= \""));
    if let Some((t, _)) = exact {
        return format!(
            "the {noun} {}",
            t.label.trim_start_matches("= ").trim_matches('"')
        );
    }
    let named_role = tests
        .iter()
        .zip(truth)
        .find(|(t, h)| **h && t.label.starts_with("the role "));
    if let Some((t, _)) = named_role {
        return t.label.clone();
    }
    if truth.iter().any(|h| *h) {
        format!("a {noun} of {whose} ({})", label_strings(tests, truth))
    } else {
        format!("any other {noun} of {whose}")
    }
}

/// Multiply a caller by the unique-id and tag classes.
fn expand(
    out: &mut Vec<PrincipalRep>,
    caller: &Caller,
    kind: RepKind,
    account: usize,
    label: &str,
    ids: &[Option<String>],
    tags: &[Vec<(String, String)>],
) -> Result<(), Unknown> {
    for id in ids {
        for t in tags {
            if out.len() >= PRINCIPAL_BUDGET {
                return Err(Unknown::new(format!(
                    "more than {PRINCIPAL_BUDGET} classes of principals"
                )));
            }
            out.push(PrincipalRep {
                caller: match id {
                    Some(id) => caller.clone().with_user_id(id),
                    None => caller.clone(),
                },
                kind,
                tags: t.clone(),
                user_id: id.clone(),
                account: Some(account),
                label: label.to_string(),
            });
        }
    }
    Ok(())
}

/// Unique ids to try: none, and one per class of the id tests.
fn userid_variants(facts: &Facts, role: bool) -> Result<Vec<Option<String>>, Unknown> {
    let tests = userid_tests(facts, role)?;
    let mut out = vec![None];
    if !tests.is_empty() {
        out.extend(
            strings::classes(&[], &tests)?
                .into_iter()
                .map(|c| Some(c.witness)),
        );
    }
    Ok(out)
}

/// Tag sets to try: the product, over every tag a statement tests, of
/// "absent" and one value per class.
fn tag_variants(facts: &Facts) -> Result<Vec<Vec<(String, String)>>, Unknown> {
    let mut out: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (key, tests) in &facts.tags {
        let singles = tests.singles(&[])?;
        let mut next = Vec::new();
        for base in &out {
            next.push(base.clone());
            for s in &singles {
                let mut with = base.clone();
                with.push((key.clone(), s.text.clone()));
                next.push(with);
            }
        }
        if next.len() > PRINCIPAL_BUDGET {
            return Err(Unknown::new("too many combinations of principal tags"));
        }
        out = next;
    }
    Ok(out)
}
