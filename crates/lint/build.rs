//! Packs `data/actions.txt` into `OUT_DIR` for the `full-catalog` feature:
//! the word list and the packed names that `src/catalog/packed.rs` unpacks
//! (the format is described in `src/catalog/pack.rs`).

#[path = "src/catalog/pack.rs"]
mod pack;

use std::path::PathBuf;

fn main() -> Result<(), String> {
    println!("cargo::rerun-if-changed=data/actions.txt");
    println!("cargo::rerun-if-changed=src/catalog/pack.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let text = std::fs::read_to_string("data/actions.txt")
        .map_err(|e| format!("data/actions.txt: {e}"))?;
    let (words, packed) = pack::pack(&text)?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).map_err(|e| format!("{name}: {e}"))
    };
    write("action-words.txt", words.as_bytes())?;
    write("actions.packed", &packed)
}
