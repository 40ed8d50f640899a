//! KMS authorization decisions (under construction).
