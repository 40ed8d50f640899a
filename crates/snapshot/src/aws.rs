//! Readers of the AWS CLI's output shapes, one module per service.

pub(crate) mod iam;
pub(crate) mod kms;
pub(crate) mod org;
