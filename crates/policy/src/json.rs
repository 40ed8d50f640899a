//! A JSON parser that keeps the byte span of every value, written with `nom`.
//!
//! It accepts exactly RFC 8259 JSON, rejects duplicate object keys (different
//! JSON parsers keep different copies, so an ambiguous policy is a security
//! risk), bounds nesting depth and input size, and reports every error it can
//! find in one pass, each with its place. The grammar and the `json::`
//! diagnostic codes are listed in `docs/policy-grammar-json.md`.

mod ast;
mod dup;
pub(crate) mod err;
pub(crate) mod lex;
mod number;
mod parse;
mod string;
mod tree;

#[cfg(test)]
mod tests;

pub use ast::{JsonKind, JsonMember, JsonValue};
pub use parse::{parse, parse_bytes, ParseOptions, Parsed, MAX_DEPTH_CAP};
