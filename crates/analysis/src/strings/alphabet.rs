//! The finite alphabet a search needs: one character for each way the
//! character sets in play can treat a character.
//!
//! Two characters that every set treats alike (both in or both out of each
//! set) are interchangeable in every string: swapping one for the other
//! changes no automaton's run. So the search reads one representative per
//! "signature", and still reaches every truth vector a string can have.

use super::re::CharSet;

/// Characters tried first, in order: a witness reads best when it is made
/// of lowercase letters and digits.
const PREFERRED: &str = "abcdefghijklmnopqrstuvwxyz0123456789-._/:@+=,ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// One representative character per signature over `sets`, nicest first.
pub(super) fn representatives(sets: &[CharSet]) -> Vec<char> {
    let mut pool: Vec<char> = PREFERRED.chars().collect();
    pool.extend((' '..='~').filter(|c| !PREFERRED.contains(*c)));
    pool.extend(sets.iter().flat_map(CharSet::named));
    // Non-ASCII characters no set names behave alike (every set is ASCII
    // or names its characters): one that no set names stands for them all.
    let named: Vec<char> = sets.iter().flat_map(CharSet::named).collect();
    if let Some(c) = ('\u{e9}'..='\u{10ffff}').find(|c| !named.contains(c) && !c.is_ascii()) {
        pool.push(c);
    }
    pool.push('\u{212A}');
    let mut seen: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    for c in pool {
        if out.contains(&c) {
            continue;
        }
        let signature: Vec<bool> = sets.iter().map(|s| s.contains(c)).collect();
        if !seen.contains(&signature) {
            seen.push(signature);
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_character_per_signature_nicest_first() {
        let sets = [CharSet::Is(':'), CharSet::Fold('k'), CharSet::digit()];
        let reps = representatives(&sets);
        // a: none of the sets; k: fold-k; 0: digit; ':' itself.
        assert_eq!(reps, vec!['a', 'k', '0', ':']);
    }
}
