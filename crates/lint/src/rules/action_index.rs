//! The actions of one statement, indexed so that "is this action covered?"
//! looks only at the wildcards of its own service (KW308, KW309).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use keyward_policy::matching::{ActionPattern, CaseMode, PatternToken};
use keyward_policy::Spanned;

/// Does pattern `a` match every action `b` matches (whatever AWS adds later)?
pub(crate) fn covers(a: &ActionPattern, b: &ActionPattern) -> bool {
    if a.is_all() {
        return true;
    }
    if b.is_all() || a.service() != b.service() {
        return false;
    }
    let (na, nb) = (a.name(), b.name());
    if na.eq_ignore_ascii_case(nb) {
        return true;
    }
    if !na.contains(['*', '?']) {
        return false;
    }
    if !nb.contains(['*', '?']) {
        return a.name_pattern().matches(nb, CaseMode::AsciiInsensitive);
    }
    // `Prefix*` covers any pattern starting with the same literal text.
    match a.name_pattern().tokens() {
        [PatternToken::AnyString] => true,
        [PatternToken::Literal(prefix), PatternToken::AnyString] => {
            nb.len() >= prefix.len()
                && nb.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        }
        _ => false,
    }
}

/// The actions of one statement, indexed so that "is this action covered?"
/// looks only at the wildcards of its own service.
pub(crate) struct ActionIndex<'a> {
    /// `*` is listed.
    all: Option<usize>,
    /// Text (compared without case) → first position.
    exact: HashMap<Caseless<'a>, usize, BuildHasherDefault<Fnv>>,
    /// Service → (position, pattern) of its wildcard patterns.
    wildcards: HashMap<&'a str, Vec<(usize, &'a ActionPattern)>>,
}

impl<'a> ActionIndex<'a> {
    pub(crate) fn new(items: &'a [Spanned<ActionPattern>]) -> ActionIndex<'a> {
        let mut index = ActionIndex {
            all: None,
            exact: HashMap::with_capacity_and_hasher(items.len(), BuildHasherDefault::default()),
            wildcards: HashMap::new(),
        };
        for (i, item) in items.iter().enumerate() {
            let p = &item.node;
            index.exact.entry(Caseless(p.as_str())).or_insert(i);
            if p.is_all() {
                index.all.get_or_insert(i);
            } else if p.name().contains(['*', '?']) {
                if let Some(service) = p.service() {
                    index.wildcards.entry(service).or_default().push((i, p));
                }
            }
        }
        index
    }

    /// The position of a pattern other than `b` itself (position `j`) that
    /// covers `b`: an earlier copy, `*`, or a wildcard of its service.
    pub(crate) fn covering(&self, b: &ActionPattern, j: usize) -> Option<usize> {
        if let Some(&first) = self.exact.get(&Caseless(b.as_str())) {
            if first < j {
                return Some(first);
            }
        }
        if let Some(all) = self.all.filter(|_| !b.is_all()) {
            return Some(all);
        }
        let service = b.service()?;
        self.wildcards.get(service)?.iter().find_map(|(i, a)| {
            (*i != j && !a.as_str().eq_ignore_ascii_case(b.as_str()) && covers(a, b)).then_some(*i)
        })
    }

    /// Does some pattern cover `b`?
    pub(crate) fn covers(&self, b: &ActionPattern) -> bool {
        self.covering(b, usize::MAX).is_some()
    }
}

/// A string that hashes and compares without regard to ASCII case.
#[derive(Clone, Copy, Debug)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl std::hash::Hash for Caseless<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

/// FNV-1a: action names are short and not attacker-chosen in a way that
/// matters here (a policy is at most a few thousand actions).
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u8(*b);
        }
    }

    fn write_u8(&mut self, b: u8) {
        let hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        self.0 = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
}
