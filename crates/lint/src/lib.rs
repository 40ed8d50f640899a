//! Lint rules (under construction).
