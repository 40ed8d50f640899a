//! WASM bindings (under construction).
