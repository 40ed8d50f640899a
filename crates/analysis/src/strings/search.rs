//! Breadth-first search of the product of several automata: every
//! reachable combination of their states, so every truth vector a string of
//! the domain can give the tests, each with a shortest witness.

use std::collections::HashMap;

use super::alphabet::representatives;
use super::re::{CharSet, Nfa};

/// One automaton of the product, with its transitions per alphabet letter
/// precomputed as bit masks.
struct Component {
    /// Words per state set.
    words: usize,
    /// Offset of this component's words in a product state.
    offset: usize,
    /// `succ[letter][state]`: the successor set, `words` words.
    succ: Vec<Vec<Vec<u64>>>,
    /// The accepting states as a mask.
    accept: Vec<u64>,
}

impl Component {
    fn new(nfa: &Nfa, letters: &[char], offset: usize) -> Component {
        let states = nfa.states();
        let words = states.div_ceil(64);
        let succ = letters
            .iter()
            .map(|&c| {
                (0..states)
                    .map(|s| {
                        let mut mask = vec![0u64; words];
                        for &p in nfa.successors(s) {
                            if nfa.sets.get(p).is_some_and(|set| set.contains(c)) {
                                set_bit(&mut mask, p + 1);
                            }
                        }
                        mask
                    })
                    .collect()
            })
            .collect();
        let mut accept = vec![0u64; words];
        for &s in &nfa.accept {
            set_bit(&mut accept, s);
        }
        Component {
            words,
            offset,
            succ,
            accept,
        }
    }

    fn slice<'a>(&self, state: &'a [u64]) -> &'a [u64] {
        state
            .get(self.offset..self.offset + self.words)
            .unwrap_or(&[])
    }

    fn accepts(&self, state: &[u64]) -> bool {
        self.slice(state)
            .iter()
            .zip(&self.accept)
            .any(|(a, b)| a & b != 0)
    }

    fn is_empty(&self, state: &[u64]) -> bool {
        self.slice(state).iter().all(|w| *w == 0)
    }

    fn step(&self, state: &[u64], letter: usize, out: &mut [u64]) {
        let target = &mut out[self.offset..self.offset + self.words];
        target.fill(0);
        let Some(table) = self.succ.get(letter) else {
            return;
        };
        for (w, &word) in self.slice(state).iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(mask) = table.get(w * 64 + b) {
                    for (t, m) in target.iter_mut().zip(mask) {
                        *t |= m;
                    }
                }
            }
        }
    }
}

fn set_bit(mask: &mut [u64], i: usize) {
    if let Some(w) = mask.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

/// The search gave up: the product had more states than the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exhausted;

/// Every truth vector reachable within the domain, with a shortest witness
/// (a non-empty one when the class has any).
///
/// `domain` and each test are conjunctions of automata (indices into
/// `nfas`); a test is true for a string when each of its automata accepts it.
pub(super) fn search(
    nfas: &[Nfa],
    domain: &[usize],
    tests: &[Vec<usize>],
    budget: usize,
) -> Result<Vec<(Vec<bool>, String)>, Exhausted> {
    let sets: Vec<CharSet> =
        nfas.iter()
            .flat_map(|n| n.sets.iter().cloned())
            .fold(Vec::new(), |mut acc, s| {
                if !acc.contains(&s) {
                    acc.push(s);
                }
                acc
            });
    let letters = representatives(&sets);
    let mut offset = 0;
    let components: Vec<Component> = nfas
        .iter()
        .map(|n| {
            let c = Component::new(n, &letters, offset);
            offset += c.words;
            c
        })
        .collect();
    let width = offset;
    let mut start = vec![0u64; width];
    for c in &components {
        set_bit(&mut start[c.offset..c.offset + c.words], 0);
    }
    // Nodes: (state, parent, letter) for rebuilding witnesses.
    let mut nodes: Vec<(Box<[u64]>, usize, char)> = vec![(start.clone().into(), usize::MAX, '\0')];
    let mut seen: HashMap<Box<[u64]>, ()> = HashMap::new();
    seen.insert(start.into(), ());
    let mut found: Vec<(Vec<bool>, usize)> = Vec::new();
    let mut empty_witness: Vec<bool> = Vec::new();
    let mut next = vec![0u64; width];
    let mut i = 0;
    while i < nodes.len() {
        let state = nodes[i].0.clone();
        let in_domain = domain
            .iter()
            .all(|&d| components.get(d).is_some_and(|c| c.accepts(&state)));
        if in_domain {
            let truth: Vec<bool> = tests
                .iter()
                .map(|t| {
                    t.iter()
                        .all(|&d| components.get(d).is_some_and(|c| c.accepts(&state)))
                })
                .collect();
            match found.iter().position(|(t, _)| *t == truth) {
                None => {
                    if i == 0 {
                        empty_witness.clone_from(&truth);
                    }
                    found.push((truth, i));
                }
                Some(at) if found[at].1 == 0 && i != 0 && empty_witness == truth => {
                    // Prefer a non-empty witness to the empty string.
                    found[at].1 = i;
                    empty_witness.clear();
                }
                Some(_) => {}
            }
        }
        for (letter, &ch) in letters.iter().enumerate() {
            for c in &components {
                c.step(&state, letter, &mut next);
            }
            if domain
                .iter()
                .any(|&d| components.get(d).is_none_or(|c| c.is_empty(&next)))
            {
                continue;
            }
            if seen.contains_key(next.as_slice()) {
                continue;
            }
            if nodes.len() >= budget {
                return Err(Exhausted);
            }
            let key: Box<[u64]> = next.clone().into();
            seen.insert(key.clone(), ());
            nodes.push((key, i, ch));
        }
        i += 1;
    }
    Ok(found
        .into_iter()
        .map(|(truth, node)| {
            let mut chars = Vec::new();
            let mut at = node;
            while at != 0 && at != usize::MAX {
                chars.push(nodes[at].2);
                at = nodes[at].1;
            }
            chars.reverse();
            (truth, chars.into_iter().collect())
        })
        .collect())
}
