//! # keyward-eval
//!
//! Decides AWS KMS requests offline, as AWS would, and says why.
//!
//! Compile keys (with their key policies and grants), principals (with
//! their identity policies, permissions boundary and session policy) and
//! organization policies once into an [`Authorizer`]; then decide any
//! number of [`Request`]s against it. Each [`Response`] carries the
//! [`Decision`], an optional [`KmsError`] (key state, Region), and an
//! [`Explanation`]: the deciding statements, the grant used, whether the key
//! policy delegated to IAM, and, for an implicit deny, what was missing and
//! what would make it an allow — as typed [`Reason`]s, and as the JSON every
//! front end prints ([`answer::Answer`]).
//!
//! `docs/evaluation.md` gives the decision order, the rules the code cites
//! by number ("rule 8"), the shape of an answer and where the code is.
//!
//! ```
//! use keyward_eval::{Authorizer, Caller, Decision, KeyConfig, KmsAction, PolicyDoc, PrincipalConfig, Request};
//! use keyward_policy::{parse_policy, Source};
//!
//! let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Bob", "Effect": "Allow",
//!   "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#;
//! let policy = PolicyDoc::new("K", Source::new("kp.json", text), parse_policy(text).unwrap());
//! let mut b = Authorizer::builder();
//! let key = b.add_key(KeyConfig::new("K", "arn:aws:kms:us-east-1:111122223333:key/k", policy)).unwrap();
//! let bob = b.add_principal(PrincipalConfig::new("Bob", Caller::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap()));
//! let auth = b.build();
//!
//! let req = Request::new(bob, KmsAction::Decrypt, key).unwrap();
//! let answer = auth.decide(&req);
//! assert_eq!(answer.decision(), Decision::Allow);
//! assert_eq!(answer.explanation().deciding().next().and_then(|s| s.sid()), Some("Bob"));
//!
//! let req = Request::new(bob, KmsAction::Encrypt, key).unwrap();
//! assert_eq!(auth.decide(&req).decision(), Decision::ImplicitDeny);
//! ```

mod action;
pub mod answer;
mod arn_pattern;
mod authorizer;
mod caller;
mod clock;
mod compile;
mod cond;
mod condition_keys;
mod config;
mod context;
mod decide;
mod decision;
mod env;
mod err;
mod explain;
mod gap;
mod grant;
mod inline;
mod key_arns;
mod key_manager;
mod key_spec;
mod key_state;
mod key_type;
mod principal_match;
mod reason;
mod reference;
mod refs;
mod refusal;
mod request;
mod resolve;
mod response;
mod suggest;
mod template;
mod trace;
mod world;

pub use action::{ActionSet, KmsAction, GRANT_OPERATIONS};
pub use authorizer::{Authorizer, AuthorizerBuilder};
pub use caller::{is_account_id, Caller, CallerKind};
pub use clock::{system_clock, Clock};
pub use compile::PolicyDoc;
pub use config::{GrantConfig, KeyConfig, PrincipalConfig};
pub use context::{ContextValue, Instant};
pub use decision::{AllowPath, Decision};
pub use err::EvalError;
pub use explain::Explanation;
pub use gap::{Gap, Help, NearMiss, Unmet};
pub use grant::{parse_grant_operations, GrantConstraints};
pub use key_manager::{
    aws_managed_key_policy, is_service_name, via_service_name, KeyManager, AWS_ALIAS_PREFIX,
};
pub use key_spec::{KeySpec, KeyUsage};
pub use key_state::{state_error, ErrorCause, KeyOrigin, KeyState, KmsError, KmsErrorKind};
pub use key_type::key_type_error;
pub use reason::{Consulted, Layer, Reason};
pub use reference::{Elsewhere, NotFound, Resolution};
pub use refs::{GrantRef, PolicyRef, StatementRef};
pub use refusal::{key_policy_refusals, MAX_KEY_POLICY_BYTES};
pub use request::{NewGrant, Request};
pub use response::Response;
pub use suggest::closest_action;
pub use world::{GrantId, KeyId, PrincipalId, SourceKind};
