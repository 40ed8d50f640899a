//! The shapes of caller ARNs, as languages, and the tests on a caller ARN
//! each kind of caller has to pass.

use std::sync::Arc;

use keyward_policy::matching::{PrincipalArn, RoleKey};

use super::accounts::raw_test;
use super::facts::Facts;
use crate::err::Unknown;
use crate::strings::{CharSet, Re, StringTest};

/// Characters of IAM names (users, roles, paths, federated users):
/// letters, digits and `+=,.@_-`.
pub fn name_chars() -> CharSet {
    CharSet::Ranges(vec![
        ('a', 'z'),
        ('A', 'Z'),
        ('0', '9'),
        ('+', '+'),
        ('=', '='),
        (',', ','),
        ('.', '.'),
        ('@', '@'),
        ('_', '_'),
        ('-', '-'),
    ])
}

/// An IAM path: `/` or `/a/b/`.
fn path() -> Re {
    Re::Cat(vec![
        Re::literal("/"),
        Re::Star(Box::new(Re::Cat(vec![
            Re::plus(name_chars()),
            Re::literal("/"),
        ]))),
    ])
}

/// A kind of caller the analysis builds from an ARN class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `arn:P:iam::A:user/PATH/NAME`.
    User,
    /// `arn:P:iam::A:role/PATH/NAME`: a session of that role.
    Role,
    /// `arn:P:sts::A:federated-user/NAME`.
    Federated,
}

impl Form {
    /// The fixed start of the ARN.
    pub fn prefix(self, partition: &str, account: &str) -> String {
        match self {
            Form::User => format!("arn:{partition}:iam::{account}:user"),
            Form::Role => format!("arn:{partition}:iam::{account}:role"),
            Form::Federated => format!("arn:{partition}:sts::{account}:federated-user/"),
        }
    }

    /// Every ARN of the form in the account.
    pub fn domain(self, partition: &str, account: &str) -> Re {
        let prefix = Re::literal(&self.prefix(partition, account));
        match self {
            Form::User | Form::Role => Re::Cat(vec![prefix, path(), Re::plus(name_chars())]),
            Form::Federated => Re::Cat(vec![prefix, Re::plus(name_chars())]),
        }
    }

    /// Readable ARNs of the form, tried as witnesses first.
    pub fn nicer(self, partition: &str, account: &str) -> Vec<String> {
        let prefix = self.prefix(partition, account);
        match self {
            Form::User => vec![format!("{prefix}/example-user")],
            Form::Role => vec![format!("{prefix}/example-role")],
            Form::Federated => vec![format!("{prefix}example-federated-user")],
        }
    }

    /// How a caller of the form is named to people.
    pub fn noun(self) -> &'static str {
        match self {
            Form::User => "user",
            Form::Role => "role",
            Form::Federated => "federated user",
        }
    }
}

/// The name at the end of a user, role or federated-user ARN.
fn last_name(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or("").to_string()
}

/// The tests a caller ARN of `form` in `account` must be split by.
pub fn form_tests(
    facts: &Facts,
    form: Form,
    partition: &str,
    account: &str,
) -> Result<Vec<StringTest>, Unknown> {
    let mut tests = Vec::new();
    for raw in &facts.arn {
        if let Some(t) = raw_test(raw)? {
            tests.push(t);
        }
    }
    for v in &facts.aws {
        let named = PrincipalArn::parse(v);
        if named.account() != Some(account) || named.partition() != Some(partition) {
            continue;
        }
        match (form, named) {
            (
                Form::User | Form::Federated,
                PrincipalArn::User { .. } | PrincipalArn::FederatedUser { .. },
            ) => tests.push(StringTest::equals(v)),
            (Form::Role, PrincipalArn::Role { name, .. }) => {
                tests.push(role_test(partition, account, name))
            }
            _ => {}
        }
    }
    let prefix = form.prefix(partition, account);
    match form {
        Form::User => {
            for raw in &facts.username {
                if let Some(t) = raw_test(raw)? {
                    tests.push(on_name(&prefix, t));
                }
            }
        }
        Form::Federated => {
            for raw in &facts.userid {
                if let Some(t) = raw_test(raw)? {
                    tests.push(on_federated_userid(&prefix, account, t));
                }
            }
        }
        Form::Role => {}
    }
    Ok(tests)
}

/// A named role matches every role ARN of that account and name, whatever
/// the path (rule 22).
fn role_test(partition: &str, account: &str, name: &str) -> StringTest {
    let prefix = Form::Role.prefix(partition, account);
    let re = Re::Cat(vec![Re::literal(&prefix), path(), Re::literal(name)]);
    let key = (partition.to_string(), account.to_string(), name.to_string());
    StringTest::new(
        vec![re],
        move |s| {
            PrincipalArn::parse(s).role_key()
                == Some(RoleKey {
                    partition: &key.0,
                    account: &key.1,
                    name: &key.2,
                })
        },
        format!("the role {prefix}/{name} (any path)"),
    )
    .with_sample(format!("{prefix}/{name}"))
}

/// A test on `aws:username`, as a test on the user's ARN: the name is what
/// follows the path, and holds no `/`.
fn on_name(prefix: &str, t: StringTest) -> StringTest {
    let languages = t
        .languages
        .iter()
        .map(|l| Re::Cat(vec![Re::literal(prefix), path(), l.restrict(&name_chars())]))
        .collect();
    let matcher = Arc::clone(&t.matcher);
    StringTest {
        languages,
        matcher: Arc::new(move |s: &str| matcher(&last_name(s))),
        label: format!("aws:username {}", t.label),
        sample: t.sample.as_ref().map(|n| format!("{prefix}/{n}")),
    }
}

/// A test on `aws:userid`, which for a federated user is `ACCOUNT:NAME`, as
/// a test on the federated user's ARN.
fn on_federated_userid(prefix: &str, account: &str, t: StringTest) -> StringTest {
    let head = format!("{account}:");
    let languages = t
        .languages
        .iter()
        .map(|l| Re::Cat(vec![Re::literal(prefix), l.quotient(&head)]))
        .collect();
    let matcher = Arc::clone(&t.matcher);
    StringTest {
        languages,
        matcher: Arc::new(move |s: &str| matcher(&format!("{head}{}", last_name(s)))),
        label: format!("aws:userid {}", t.label),
        sample: None,
    }
}

/// Service principal names: lowercase labels joined by dots, at least two.
pub fn service_domain() -> Re {
    let label = || Re::plus(CharSet::Ranges(vec![('a', 'z'), ('0', '9'), ('-', '-')]));
    Re::Cat(vec![
        label(),
        Re::Star(Box::new(Re::Cat(vec![Re::literal("."), label()]))),
        Re::literal("."),
        label(),
    ])
}

/// The tests a service principal's name must be split by.
pub fn service_tests(facts: &Facts) -> Result<Vec<StringTest>, Unknown> {
    let mut tests = Vec::new();
    for name in &facts.services {
        let owned = name.clone();
        tests.push(StringTest::new(
            vec![Re::folded(name)],
            move |s| s.eq_ignore_ascii_case(&owned),
            format!("service {name}"),
        ));
    }
    for raw in &facts.service_name {
        if let Some(t) = raw_test(raw)? {
            tests.push(t);
        }
    }
    Ok(tests)
}

/// The tests an `aws:userid` must be split by, for users (`role` false) or
/// role sessions (`role` true): the statements' tests, and the unique ids
/// named as principals (a role's id also matches `ID:session`).
pub fn userid_tests(facts: &Facts, role: bool) -> Result<Vec<StringTest>, Unknown> {
    let mut tests = Vec::new();
    for v in &facts.aws {
        if let PrincipalArn::UniqueId { id, .. } = PrincipalArn::parse(v) {
            if role {
                let owned = id.to_string();
                tests.push(StringTest::new(
                    vec![Re::Alt(vec![
                        Re::literal(id),
                        Re::Cat(vec![Re::literal(id), Re::literal(":"), Re::anything()]),
                    ])],
                    move |s| s == owned || s.split(':').next() == Some(owned.as_str()),
                    format!("unique id {id}"),
                ));
            } else {
                tests.push(StringTest::equals(id));
            }
        }
    }
    for raw in &facts.userid {
        if let Some(t) = raw_test(raw)? {
            tests.push(t);
        }
    }
    Ok(tests)
}
