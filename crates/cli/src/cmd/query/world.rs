//! The world of `keyward query --key-policy …`: one key and one caller,
//! each policy from its own file, assembled into a scenario with no checks.

use keyward_eval::{Caller, KeyConfig, KeyState, PolicyDoc, PrincipalConfig};
use keyward_policy::{Source, Span};
use keyward_scenario::{Loader, Problem, Scenario, ScenarioBuilder};

/// The inputs of a one-off query: a key with its policy, a caller with its
/// identity policies, and optionally grants (a JSON list in the scenario
/// grant format, `key` optional).
#[derive(Clone, Debug)]
pub struct QueryWorld {
    /// The key's ARN.
    pub key_arn: String,
    /// The key policy text.
    pub key_policy: Source,
    /// The key's state.
    pub key_state: KeyState,
    /// The caller's ARN.
    pub principal_arn: String,
    /// Identity policy texts.
    pub identity_policies: Vec<Source>,
    /// A permissions boundary text.
    pub permissions_boundary: Option<Source>,
    /// A session policy text.
    pub session_policy: Option<Source>,
    /// Grants: a JSON list.
    pub grants: Option<Source>,
}

/// Build a one-key, one-principal scenario (no checks) from separate files.
/// The key is known to grants as `key` (or its ARN), the caller as `caller`.
pub fn load_query(world: QueryWorld, loader: &dyn Loader) -> Result<Scenario, Vec<Problem>> {
    let mut b = ScenarioBuilder::new(world.key_policy.clone(), loader);
    let key_policy = b.policy(world.key_policy.clone(), world.key_policy.name());
    let caller = Caller::from_arn(&world.principal_arn);
    let identity: Vec<PolicyDoc> = world
        .identity_policies
        .iter()
        .filter_map(|src| b.policy(src.clone(), src.name()))
        .collect();
    let boundary = world
        .permissions_boundary
        .clone()
        .and_then(|src| b.policy(src, "boundary"));
    let session = world
        .session_policy
        .clone()
        .and_then(|src| b.policy(src, "session"));
    let (Some(key_policy), Ok(caller)) = (key_policy, caller.clone()) else {
        if let Err(e) = caller {
            b.problem(
                Source::new("--principal", world.principal_arn.clone()),
                e.to_diagnostic(Span::new(0, world.principal_arn.len())),
            );
        }
        return Err(b.into_problems());
    };
    let mut key = KeyConfig::new(key_policy.name.clone(), world.key_arn.clone(), key_policy);
    key.state = world.key_state;
    if let Err(e) = b.key("key", key) {
        // A refused key policy is already reported in its own file.
        if e.code != keyward_scenario::KEY_POLICY_REFUSED {
            b.problem(
                Source::new("--key", world.key_arn.clone()),
                e.to_diagnostic(Span::new(0, world.key_arn.len())),
            );
        }
        return Err(b.into_problems());
    }
    let mut p = PrincipalConfig::new(caller.arn().to_string(), caller);
    p.policies = identity;
    p.permissions_boundary = boundary;
    p.session_policy = session;
    b.principal("caller", p);
    if let Some(src) = world.grants {
        b.grants(src);
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed unwrap is a failed test"
    )]

    use keyward_eval::{Decision, KmsAction, Request};
    use keyward_scenario::MemoryLoader;

    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k";
    const APP: &str = "arn:aws:iam::111122223333:role/App";
    const OWNER_ONLY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:role/Owner"}, "Action": "kms:*", "Resource": "*"}]}"#;

    fn world(grants: &str) -> QueryWorld {
        QueryWorld {
            key_arn: KEY.into(),
            key_policy: Source::new("key.json", OWNER_ONLY),
            key_state: KeyState::Enabled,
            principal_arn: APP.into(),
            identity_policies: Vec::new(),
            permissions_boundary: None,
            session_policy: None,
            grants: Some(Source::new("grants.json", grants)),
        }
    }

    fn decrypt(scenario: &Scenario) -> Decision {
        let auth = &scenario.authorizer;
        let caller = auth.principal(APP).unwrap();
        let key = auth.resolve(KEY, None, caller).unwrap();
        let request = Request::resolved(caller, KmsAction::Decrypt, key).unwrap();
        auth.decide(&request).decision()
    }

    #[test]
    fn grants_name_the_key_and_the_caller_as_the_files_do() {
        let none = load_query(world("[]"), &MemoryLoader::new()).unwrap();
        assert_eq!(decrypt(&none), Decision::ImplicitDeny);
        for grants in [
            r#"[{"grantee": "caller", "operations": ["Decrypt"]}]"#,
            &format!(r#"[{{"key": "{KEY}", "grantee": "{APP}", "operations": ["Decrypt"]}}]"#),
            r#"[{"key": "key", "grantee": "caller", "operations": ["Decrypt"]}]"#,
        ] {
            let scenario = load_query(world(grants), &MemoryLoader::new()).unwrap();
            assert_eq!(decrypt(&scenario), Decision::Allow, "{grants}");
        }
    }

    #[test]
    fn problems_point_into_the_file_or_flag_they_come_from() {
        let problems = load_query(
            world(r#"[{"grantee": "caller", "operations": ["Fly"]}]"#),
            &MemoryLoader::new(),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].source.name(), "grants.json");

        let mut bad = world("[]");
        bad.principal_arn = "not-an-arn".into();
        bad.key_policy = Source::new("key.json", "{");
        let problems = load_query(bad, &MemoryLoader::new()).unwrap_err();
        let names: Vec<&str> = problems.iter().map(|p| p.source.name()).collect();
        assert!(names.contains(&"key.json"), "{names:?}");
        assert!(names.contains(&"--principal"), "{names:?}");
    }
}
