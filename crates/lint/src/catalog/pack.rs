//! Packs `data/actions.txt` for embedding: the build script's half of
//! [`super::packed`] (this file is compiled into `build.rs`, and into the
//! tests that check the round trip; not into the library).
//!
//! gzip alone leaves the list at about 104 KB, most of the WASM bundle's
//! data. Action names are CamelCase words from a small vocabulary (`Get`,
//! `List`, `Resource`, ...), and a service's names, sorted, often begin with
//! the words of the name before. So each name is stored as the number of
//! leading words it shares with the previous name of its service, then its
//! other words as codes into a word list sorted by frequency (one byte for
//! the commonest words, two for the rest). Gzipped, that is about 66 KB.
//!
//! The packed stream, after one byte giving `one_byte` (how many words have
//! one-byte codes):
//!
//! ```text
//! service := prefix ':' name* END
//! name    := NAME_BASE + shared_words  code*
//! code    := b                              (b < one_byte)
//!          | b c  (one_byte <= b < NAME_BASE; word one_byte + (b - one_byte) * 256 + c)
//! ```

use std::collections::HashMap;

/// A name starts with `NAME_BASE + n`: it repeats the first `n` words
/// of the previous name (`n` at most [`MAX_SHARED`]).
pub const NAME_BASE: u8 = 0xF0;
/// The most leading words a name can take from the one before.
pub const MAX_SHARED: usize = 14;
/// Ends a service's names.
pub const END: u8 = 0xFF;

/// The words of an action name: CamelCase words (an upper-case run before
/// an upper-case word is a word of its own: `AVSDevice` is `AVS`, `Device`),
/// with any other byte than a letter or digit a word by itself. Joined,
/// they give back `name`.
pub fn words(name: &str) -> Vec<&str> {
    let bytes = name.as_bytes();
    let mut words = Vec::new();
    let mut start = 0;
    for i in 1..bytes.len() {
        let (prev, this) = (bytes[i - 1], bytes[i]);
        let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        let boundary = !prev.is_ascii_alphanumeric()
            || !this.is_ascii_alphanumeric()
            || (this.is_ascii_uppercase() && (!prev.is_ascii_uppercase() || next_lower));
        if boundary {
            words.push(&name[start..i]);
            start = i;
        }
    }
    if start < bytes.len() {
        words.push(&name[start..]);
    }
    words
}

/// The word list (one word a line, the commonest first) and the packed
/// names, from the text of `actions.txt` (`prefix:Name,Name,...` lines).
pub fn pack(text: &str) -> Result<(String, Vec<u8>), String> {
    let mut services = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let malformed = || {
            format!(
                "actions.txt:{}: not `prefix:Name,Name,...` in ASCII",
                number + 1
            )
        };
        let (prefix, names) = line.split_once(':').ok_or_else(malformed)?;
        if !line.is_ascii() {
            return Err(malformed());
        }
        let names: Vec<Vec<&str>> = names.split(',').map(words).collect();
        let bad = prefix.is_empty()
            || !prefix.bytes().all(|b| b.is_ascii_graphic())
            || names
                .iter()
                .any(|w| w.is_empty() || w.iter().any(|w| w.contains([',', ':'])));
        if bad {
            return Err(malformed());
        }
        services.push((prefix, names));
    }
    if !text.ends_with('\n') {
        return Err("actions.txt: the last line has no line break".to_string());
    }

    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, names) in &services {
        for word in names.iter().flatten() {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // As many one-byte codes as leave room for the two-byte ones.
    let leads = ranked
        .len()
        .saturating_sub(usize::from(NAME_BASE))
        .div_ceil(255);
    let one_byte = usize::from(NAME_BASE)
        .checked_sub(leads)
        .ok_or_else(|| format!("actions.txt: {} distinct words do not fit", ranked.len()))?;
    let code: HashMap<&str, usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i))
        .collect();

    let mut packed = vec![one_byte as u8];
    for (prefix, names) in &services {
        packed.extend_from_slice(prefix.as_bytes());
        packed.push(b':');
        let mut previous: &[&str] = &[];
        for name in names {
            let shared = name
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count()
                .min(MAX_SHARED);
            packed.push(NAME_BASE + shared as u8);
            for word in &name[shared..] {
                let index = code[word];
                if index < one_byte {
                    packed.push(index as u8);
                } else {
                    let rest = index - one_byte;
                    packed.push((one_byte + rest / 256) as u8);
                    packed.push((rest % 256) as u8);
                }
            }
            previous = name;
        }
        packed.push(END);
    }
    let mut list = String::new();
    for (word, _) in &ranked {
        list.push_str(word);
        list.push('\n');
    }
    Ok((list, packed))
}
