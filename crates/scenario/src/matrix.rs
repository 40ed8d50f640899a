//! The principal × key table: what each principal may do with each key.

use keyward_eval::answer::Answer;
use keyward_eval::{Decision, Gap, KmsAction, KmsError, Request, Response, SourceKind};
use keyward_policy::Locator;

use crate::model::Scenario;

/// One cell: a principal, a key, an action and the answer.
#[derive(Clone, Debug)]
pub struct MatrixCell {
    /// The action.
    pub action: KmsAction,
    /// The decision.
    pub decision: Decision,
    /// The KMS error of an allowed call, if any.
    pub error: Option<KmsError>,
    /// A few words on why (the deciding statements, or what was missing).
    pub short: String,
    /// The full answer.
    pub answer: Answer,
}

/// The matrix: `cells[p][k][a]` for principal `p`, key `k`, action `a`.
#[derive(Clone, Debug)]
pub struct Matrix {
    /// Principal names, in scenario order.
    pub principals: Vec<String>,
    /// Key names, in scenario order.
    pub keys: Vec<String>,
    /// The actions asked about.
    pub actions: Vec<KmsAction>,
    /// The answers.
    pub cells: Vec<Vec<Vec<MatrixCell>>>,
}

/// Decide every (principal, key, action) of the scenario; requests are made
/// in the scenario's Region (when it has one) with no extra context.
///
/// ```
/// use keyward_eval::{Decision, KmsAction};
/// use keyward_policy::Source;
/// use keyward_scenario::{load, matrix, MemoryLoader};
///
/// let scenario = r#"{
///   "principals": {
///     "admin": {"arn": "arn:aws:iam::111122223333:role/KeyAdmin"},
///     "app": {"arn": "arn:aws:iam::111122223333:role/App"}
///   },
///   "keys": {"K": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": {"Version": "2012-10-17", "Statement": [
///     {"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
///      "Action": ["kms:Describe*", "kms:Disable*", "kms:ScheduleKeyDeletion"], "Resource": "*"},
///     {"Sid": "Users", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
///      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}}}
/// }"#;
/// let loaded = load(Source::new("admins.json", scenario), &MemoryLoader::new()).unwrap();
/// let m = matrix(&loaded, &[KmsAction::Decrypt, KmsAction::DisableKey]);
/// assert_eq!(m.principals, ["admin", "app"]);
/// // cells[principal][key][action]
/// let admin = &m.cells[0][0];
/// assert_eq!((admin[0].decision, admin[1].decision), (Decision::ImplicitDeny, Decision::Allow));
/// let app = &m.cells[1][0];
/// assert_eq!((app[0].decision, app[1].decision), (Decision::Allow, Decision::ImplicitDeny));
/// assert_eq!(app[0].short, "key policy Users");
/// ```
pub fn matrix(scenario: &Scenario, actions: &[KmsAction]) -> Matrix {
    let auth = &scenario.authorizer;
    let principals: Vec<_> = auth.principals().collect();
    let keys: Vec<_> = auth.keys().collect();
    let mut locator = Locator::new();
    let mut cells = Vec::with_capacity(principals.len());
    for &p in &principals {
        let mut row = Vec::with_capacity(keys.len());
        for &k in &keys {
            let mut per_action = Vec::with_capacity(actions.len());
            for &a in actions {
                let Ok(mut req) = Request::new(p, a, k) else {
                    continue;
                };
                if let Some(r) = &scenario.region {
                    req = req.in_region(r);
                }
                let r = auth.decide(&req);
                per_action.push(MatrixCell {
                    action: a,
                    decision: r.decision(),
                    error: r.error(),
                    short: short(&r),
                    answer: Answer::new(&r, &mut locator),
                });
            }
            row.push(per_action);
        }
        cells.push(row);
    }
    Matrix {
        principals: principals
            .iter()
            .map(|&p| auth.principal_name(p).to_string())
            .collect(),
        keys: keys.iter().map(|&k| auth.key_name(k).to_string()).collect(),
        actions: actions.to_vec(),
        cells,
    }
}

fn kind_word(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::KeyPolicy => "key policy",
        SourceKind::Identity => "IAM",
        SourceKind::PermissionsBoundary => "boundary",
        SourceKind::SessionPolicy => "session policy",
        SourceKind::Scp => "SCP",
        SourceKind::Rcp => "RCP",
        SourceKind::VpcEndpoint => "endpoint policy",
    }
}

/// A few words on why, for a matrix cell.
pub(crate) fn short(r: &Response<'_>) -> String {
    let e = r.explanation();
    let statements: Vec<String> = e
        .deciding()
        .filter(|s| {
            !matches!(
                s.kind(),
                SourceKind::Scp | SourceKind::Rcp | SourceKind::VpcEndpoint
            )
        })
        .map(|s| format!("{} {}", kind_word(s.kind()), s.name()))
        .collect();
    match r.decision() {
        Decision::Allow => {
            let mut parts = statements;
            if let Some(g) = e.grant() {
                parts.push(format!("grant {}", g.label()));
            }
            let mut text = parts.join(" + ");
            if let Some(err) = r.error() {
                text.push_str(&format!(", then {}", err.kind()));
            }
            text
        }
        Decision::ExplicitDeny => format!("denied by {}", statements.join(", ")),
        Decision::ImplicitDeny => match e.missing().first() {
            Some(Gap::KeyPolicy {
                near_miss: Some(m), ..
            }) => format!("key policy {}: {}", m.statement.name(), m.unmet),
            Some(Gap::KeyPolicy { .. }) => {
                "the key policy names neither the caller nor its account".into()
            }
            Some(Gap::NamedButUnmet { near_miss: m }) => format!(
                "key policy {}: {}; the delegation needs an IAM allow",
                m.statement.name(),
                m.unmet
            ),
            Some(Gap::Identity { .. }) => {
                "the key policy delegates to IAM, but no IAM policy allows".into()
            }
            Some(Gap::CrossAccountIdentity { .. }) => {
                "cross-account: the caller's IAM policy must also allow".into()
            }
            Some(Gap::Boundary { .. }) => "boundary does not allow".into(),
            Some(Gap::SessionPolicy { .. }) => "session policy does not allow".into(),
            Some(Gap::Scp { .. }) => "an SCP does not allow".into(),
            Some(Gap::Rcp { .. }) => "an RCP does not allow".into(),
            Some(Gap::GrantConstraints { .. }) => "grant constraints not met".into(),
            Some(other) => other.to_string(),
            None => "nothing allows".into(),
        },
    }
}
