//! # keyward-analysis
//!
//! Decides properties of KMS key policies and IAM identity policies over
//! **every** possible request, not a sample: does a new version of a policy
//! allow anything the old one did not ([`checks::no_new_access`])? Can
//! these actions ever be allowed ([`checks::access_not_granted`])? Can a
//! principal outside the zone of trust be allowed
//! ([`checks::no_public_access`])? What access is gained and lost
//! ([`diff::diff`])?
//!
//! The request space (principal, key, action, request context, encryption
//! context, and what the caller's own IAM policies do) is split into
//! finitely many classes from the literals and patterns of the statements
//! compared ([`space::Space`]): every request of a class gets the same
//! decision from every policy compared. One representative per class is
//! decided by the forward evaluator (`keyward-eval`), so a PASS means no
//! request at all breaks the property, and every FAIL comes with a concrete
//! request ([`witness::Witness`]) the evaluator allows. What cannot be split
//! exactly (most policy variables: see [`stmts::Link`] for the ones that
//! can) is [`checks::Verdict::Unknown`], never a pass.
//!
//! ```
//! use keyward_analysis::checks::{no_new_access, CheckOptions, Verdict};
//! use keyward_analysis::world::Kind;
//! use keyward_eval::PolicyDoc;
//! use keyward_policy::{parse_policy, Source};
//!
//! let doc = |name: &str, text: &str| PolicyDoc::new(name, Source::new(name, text), parse_policy(text).unwrap());
//! let old = doc("old.json", r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!     "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#);
//! let new = doc("new.json", r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!     "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
//!     "Condition": {"StringEqualsIfExists": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
//!     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#);
//!
//! let outcome = no_new_access(&old, &new, Kind::KeyPolicy, &CheckOptions::default());
//! assert_eq!(outcome.verdict, Verdict::Fail);
//! assert_eq!(outcome.witnesses[0].principal, "arn:aws:iam::111122223333:user/Alice");
//!
//! // The other way round, Bob loses nothing he had, but he could decrypt
//! // through any service before, and only through S3 (or none) now.
//! let back = no_new_access(&new, &old, Kind::KeyPolicy, &CheckOptions::default());
//! assert_eq!(back.verdict, Verdict::Fail);
//! assert_eq!(back.witnesses[0].principal, "arn:aws:iam::111122223333:user/Bob");
//! ```
//!
//! The crate has no threads and touches no files: it builds for
//! `wasm32-unknown-unknown`.

pub mod actions;
pub mod checks;
pub mod ckey;
pub mod diff;
pub mod dims;
pub mod ec;
mod err;
pub mod explain;
pub mod json;
pub mod keys;
pub mod links;
pub mod nonkey;
pub mod principals;
pub mod relevance;
pub mod reverse;
pub mod reverse_json;
pub mod scalars;
pub mod space;
pub mod stmts;
pub mod strings;
pub mod theory;
pub mod witness;
pub mod world;

pub use err::Unknown;
