//! KW308 and KW309: actions and statements that add nothing.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use keyward_policy::matching::{ActionPattern, CaseMode, PatternToken};
use keyward_policy::model::{PrincipalSpec, Statement};
use keyward_policy::Spanned;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const REDUNDANT_ACTION: Rule = Rule::new(
    RuleMeta {
        code: "KW308",
        name: "redundant-action",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action is listed twice or is covered by a wildcard in the same statement",
        docs: REDUNDANT_ACTION_DOCS,
    },
    Check::Policy(check_actions),
);

pub(crate) const REDUNDANT_STATEMENT: Rule = Rule::new(
    RuleMeta {
        code: "KW309",
        name: "redundant-statement",
        category: Category::Suspicious,
        default_level: Level::Info,
        scope: Scope::Any,
        summary: "a statement grants or denies nothing that another statement does not already",
        docs: REDUNDANT_STATEMENT_DOCS,
    },
    Check::Policy(check_statements),
);

/// Does pattern `a` match every action `b` matches (whatever AWS adds later)?
pub(crate) fn covers(a: &ActionPattern, b: &ActionPattern) -> bool {
    if a.is_all() {
        return true;
    }
    if b.is_all() || a.service() != b.service() {
        return false;
    }
    let (na, nb) = (a.name(), b.name());
    if na.eq_ignore_ascii_case(nb) {
        return true;
    }
    if !na.contains(['*', '?']) {
        return false;
    }
    if !nb.contains(['*', '?']) {
        return a.name_pattern().matches(nb, CaseMode::AsciiInsensitive);
    }
    // `Prefix*` covers any pattern starting with the same literal text.
    match a.name_pattern().tokens() {
        [PatternToken::AnyString] => true,
        [PatternToken::Literal(prefix), PatternToken::AnyString] => {
            nb.len() >= prefix.len()
                && nb.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        }
        _ => false,
    }
}

/// The actions of one statement, indexed so that "is this action covered?"
/// looks only at the wildcards of its own service.
struct ActionIndex<'a> {
    /// `*` is listed.
    all: Option<usize>,
    /// Text (compared without case) → first position.
    exact: HashMap<Caseless<'a>, usize, BuildHasherDefault<Fnv>>,
    /// Service → (position, pattern) of its wildcard patterns.
    wildcards: HashMap<&'a str, Vec<(usize, &'a ActionPattern)>>,
}

impl<'a> ActionIndex<'a> {
    fn new(items: &'a [Spanned<ActionPattern>]) -> ActionIndex<'a> {
        let mut index = ActionIndex {
            all: None,
            exact: HashMap::with_capacity_and_hasher(items.len(), BuildHasherDefault::default()),
            wildcards: HashMap::new(),
        };
        for (i, item) in items.iter().enumerate() {
            let p = &item.node;
            index.exact.entry(Caseless(p.as_str())).or_insert(i);
            if p.is_all() {
                index.all.get_or_insert(i);
            } else if p.name().contains(['*', '?']) {
                if let Some(service) = p.service() {
                    index.wildcards.entry(service).or_default().push((i, p));
                }
            }
        }
        index
    }

    /// The position of a pattern other than `b` itself (position `j`) that
    /// covers `b`: an earlier copy, `*`, or a wildcard of its service.
    fn covering(&self, b: &ActionPattern, j: usize) -> Option<usize> {
        if let Some(&first) = self.exact.get(&Caseless(b.as_str())) {
            if first < j {
                return Some(first);
            }
        }
        if let Some(all) = self.all.filter(|_| !b.is_all()) {
            return Some(all);
        }
        let service = b.service()?;
        self.wildcards.get(service)?.iter().find_map(|(i, a)| {
            (*i != j && !a.as_str().eq_ignore_ascii_case(b.as_str()) && covers(a, b)).then_some(*i)
        })
    }

    /// Does some pattern cover `b`?
    fn covers(&self, b: &ActionPattern) -> bool {
        self.covering(b, usize::MAX).is_some()
    }
}

/// A string that hashes and compares without regard to ASCII case.
#[derive(Clone, Copy, Debug)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl std::hash::Hash for Caseless<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

/// FNV-1a: action names are short and not attacker-chosen in a way that
/// matters here (a policy is at most a few thousand actions).
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u8(*b);
        }
    }

    fn write_u8(&mut self, b: u8) {
        let hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        self.0 = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
}

fn check_actions(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        let items = &statement.action.items;
        if items.len() < 2 {
            continue;
        }
        let index = ActionIndex::new(items);
        for (j, b) in items.iter().enumerate() {
            let Some(a) = index.covering(&b.node, j).and_then(|i| items.get(i)) else {
                continue;
            };
            let element = if statement.action.negated {
                "/NotAction"
            } else {
                "/Action"
            };
            let message = if a.node.as_str().eq_ignore_ascii_case(b.node.as_str()) {
                format!("`{}` is listed twice", b.node.as_str())
            } else {
                format!(
                    "`{}` is already covered by `{}`",
                    b.node.as_str(),
                    a.node.as_str()
                )
            };
            let d = cx
                .diagnostic(message, b.span)
                .with_label("redundant")
                .with_related(a.span, "covered here")
                .with_help("remove it, or narrow the wildcard if it was meant to be narrower")
                .with_pointer(cx.pointer(statement, element));
            cx.emit(d);
        }
    }
}

/// Does statement `a` already grant (or deny) `b`'s principals and
/// resources, under no condition or the same one? (Actions are checked
/// separately, with an index.)
fn subsumes_except_actions(a: &Statement, b: &Statement) -> bool {
    if a.effect.node != b.effect.node || a.action.negated || b.action.negated {
        return false;
    }
    if a.condition.is_some()
        && a.condition.as_ref().map(|c| &c.node) != b.condition.as_ref().map(|c| &c.node)
    {
        return false;
    }
    let principals = match (&a.principal, &b.principal) {
        (None, None) => true,
        (Some(pa), Some(pb)) if !pa.node.negated && !pb.node.negated => {
            match (&pa.node.spec, &pb.node.spec) {
                (PrincipalSpec::Wildcard, _) => true,
                (PrincipalSpec::Map(ga), PrincipalSpec::Map(gb)) => gb.iter().all(|g| {
                    g.values.iter().all(|v| {
                        ga.iter().any(|h| {
                            h.kind.node == g.kind.node
                                && h.values.iter().any(|w| w.node == v.node || w.node == "*")
                        })
                    })
                }),
                _ => false,
            }
        }
        _ => false,
    };
    if !principals {
        return false;
    }
    let resources = match (&a.resource, &b.resource) {
        (None, None) => true,
        (Some(ra), Some(rb)) if !ra.node.negated && !rb.node.negated => {
            ra.node.items.iter().any(|r| r.node.raw() == "*")
                || rb
                    .node
                    .items
                    .iter()
                    .all(|r| ra.node.items.iter().any(|s| s.node.raw() == r.node.raw()))
        }
        _ => false,
    };
    resources
}

/// Does statement `a` (with its action index) already do everything `b` does?
fn subsumes<'s>(a: &'s Statement, index: &mut Option<ActionIndex<'s>>, b: &Statement) -> bool {
    if !subsumes_except_actions(a, b) {
        return false;
    }
    let index = index.get_or_insert_with(|| ActionIndex::new(&a.action.items));
    b.action.items.iter().all(|x| index.covers(&x.node))
}

fn check_statements(cx: &mut Context<'_>) {
    let statements = cx.statements();
    if statements.len() < 2 {
        return;
    }
    // Indexes are built only for statements that could subsume another.
    let mut indexes: Vec<Option<ActionIndex<'_>>> = statements.iter().map(|_| None).collect();
    for (j, b) in statements.iter().enumerate() {
        let mut by = None;
        for (i, a) in statements.iter().enumerate() {
            if i == j {
                continue;
            }
            let Some(a_index) = indexes.get_mut(i) else {
                continue;
            };
            if !subsumes(a, a_index, b) {
                continue;
            }
            // Of two identical statements, only the later one is reported.
            let mutual = i > j
                && indexes
                    .get_mut(j)
                    .is_some_and(|b_index| subsumes(b, b_index, a));
            if !mutual {
                by = Some(a);
                break;
            }
        }
        let Some(a) = by else {
            continue;
        };
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` adds nothing to statement `{}`",
                    b.display_name(),
                    a.display_name()
                ),
                b.span,
            )
            .with_label("redundant statement")
            .with_related(a.span, "which already covers it")
            .with_help("remove it, or make the statements differ as intended")
            .with_pointer(cx.pointer(b, ""));
        cx.emit(d);
    }
}

const REDUNDANT_ACTION_DOCS: &str = r#"## What it does
Within one statement, finds actions listed twice (ignoring case) and
actions covered by another entry: `kms:Decrypt` next to `kms:*`,
`kms:GenerateDataKeyWithoutPlaintext` next to `kms:GenerateDataKey*`.

## Why it matters
Redundant entries make reviews harder and often hide a mistake: a wildcard
much broader than the list beside it suggests.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"],
    "Resource": "*"
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
    "Resource": "*"
  }]
}
```
"#;

const REDUNDANT_STATEMENT_DOCS: &str = r#"## What it does
Finds a statement whose principals, actions and resources are all covered
by another statement with the same effect, where the other statement has
no condition or exactly the same one.

## Why it matters
A redundant statement adds nothing but length (key policies are capped at
32 KB) and sometimes means an edit was meant to change something else.
Templates often keep such statements on purpose for readability (a
conditioned grant next to the account's `kms:*`), so it is reported as
information by default.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Users", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"},
    {"Sid": "Decrypt", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Users", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"},
    {"Sid": "Grants", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}
  ]
}
```
"#;
