//! The answer to a request: the decision, an optional KMS error, and the
//! explanation (see [`crate::Explanation`]).

use std::fmt;

use crate::authorizer::Authorizer;
use crate::decision::Decision;
use crate::explain::Explanation;
use crate::key_state::KmsError;
use crate::request::Request;
use crate::trace::Trace;

/// The answer to one request. Borrows the authorizer and the request, so
/// building it never allocates; the explanation is assembled on demand.
///
/// The decision is authorization alone; a key state or Region error only
/// ever turns an allow into a failed call (rule 29):
///
/// ```
/// # use keyward_eval::{Authorizer, Caller, KeyConfig, PolicyDoc, PrincipalConfig};
/// # use keyward_policy::{parse_policy, Source};
/// use keyward_eval::{Decision, KeyState, KmsAction, KmsErrorKind, Request};
/// # let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Users", "Effect": "Allow",
/// #   "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": ["kms:Decrypt", "kms:EnableKey"], "Resource": "*"}]}"#;
/// # let mut b = Authorizer::builder();
/// # let mut cfg = KeyConfig::new("K", "arn:aws:kms:us-east-1:111122223333:key/k",
/// #     PolicyDoc::new("K", Source::new("kp.json", text), parse_policy(text).unwrap()));
/// // The key was disabled during an incident.
/// cfg.state = KeyState::Disabled;
/// # let key = b.add_key(cfg).unwrap();
/// # let bob = b.add_principal(PrincipalConfig::new("Bob", Caller::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap()));
/// # let carol = b.add_principal(PrincipalConfig::new("Carol", Caller::from_arn("arn:aws:iam::111122223333:user/Carol").unwrap()));
/// # let auth = b.build();
/// let req = Request::new(bob, KmsAction::Decrypt, key).unwrap();
/// let answer = auth.decide(&req);
/// assert_eq!(answer.decision(), Decision::Allow);
/// assert!(!answer.is_success());
/// let error = answer.error().unwrap();
/// assert_eq!(error.kind(), KmsErrorKind::DisabledException);
/// assert_eq!(error.message(), "arn:aws:kms:us-east-1:111122223333:key/k is disabled.");
///
/// // EnableKey works on a disabled key; a caller the policy does not name stays denied.
/// assert!(auth.decide(&Request::new(bob, KmsAction::EnableKey, key).unwrap()).is_success());
/// let req = Request::new(carol, KmsAction::Decrypt, key).unwrap();
/// let answer = auth.decide(&req);
/// assert_eq!((answer.decision(), answer.error()), (Decision::ImplicitDeny, None));
/// ```
#[derive(Clone, Copy)]
pub struct Response<'a> {
    auth: &'a Authorizer,
    req: &'a Request,
    trace: Trace,
}

impl fmt::Debug for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("decision", &self.trace.decision)
            .field("error", &self.trace.error.map(|(k, _)| k))
            .field("route", &self.trace.route)
            .finish_non_exhaustive()
    }
}

impl<'a> Response<'a> {
    pub(crate) fn new(auth: &'a Authorizer, req: &'a Request, trace: Trace) -> Response<'a> {
        Response { auth, req, trace }
    }

    /// The authorization decision (before key state and Region).
    pub fn decision(&self) -> Decision {
        self.trace.decision
    }

    /// The KMS exception the call ends in, if any: for an allowed request,
    /// the key state or the Region (rules 29, 32); for a request whose key
    /// reference found no key, `NotFoundException` with an implicit deny
    /// (no policy was read; rules 8, 30). A request that policies deny
    /// never gets one.
    pub fn error(&self) -> Option<KmsError> {
        self.explanation().error()
    }

    /// The ARN of the request's key, or for a key reference that found no
    /// key, the ARN KMS looked for; `None` for a key of another authorizer.
    pub fn key_arn(&self) -> Option<&'a str> {
        let req: &'a Request = self.req;
        match (req.key(), req.not_found()) {
            (_, Some(not_found)) => Some(not_found.arn()),
            (Some(key), None) => self.auth.keys.get(key.0 as usize).map(|k| &*k.arn),
            (None, None) => None,
        }
    }

    /// True when the call would succeed: allowed and no KMS error.
    pub fn is_success(&self) -> bool {
        self.trace.decision == Decision::Allow && self.trace.error.is_none()
    }

    /// Why.
    pub fn explanation(&self) -> Explanation<'a> {
        Explanation::new(self.auth, self.req, self.trace)
    }
}
