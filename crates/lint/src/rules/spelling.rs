//! "Did you mean …?": the closest known name to a misspelled one.

/// The closest name by edit distance (case-insensitive), if close enough.
pub(crate) fn closest<'a>(names: &[&'a str], wanted: &str) -> Option<&'a str> {
    let wanted: Vec<u8> = wanted.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let limit = (wanted.len() / 3).max(2);
    let mut rows = (Vec::new(), Vec::new());
    names
        .iter()
        .filter(|n| n.len().abs_diff(wanted.len()) <= limit)
        .map(|n| (distance(n.as_bytes(), &wanted, &mut rows), *n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance, ignoring ASCII case of `a` (`b` is lowercase).
fn distance(a: &[u8], b: &[u8], (previous, current): &mut (Vec<usize>, Vec<usize>)) -> usize {
    previous.clear();
    previous.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        let ca = ca.to_ascii_lowercase();
        current.clear();
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        std::mem::swap(previous, current);
    }
    previous.last().copied().unwrap_or(0)
}
