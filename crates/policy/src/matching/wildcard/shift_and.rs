//! Bit-parallel Shift-And search for a fixed-length segment with `?`
//! positions, over characters. Each text character costs one table lookup and
//! a shift per 64 pattern positions, so a scan is linear in the text.

use super::CaseMode;

/// Positions a segment of up to this many characters searches with stack state.
const STACK_WORDS: usize = 16;

/// A compiled Shift-And automaton for one segment.
#[derive(Clone, Debug)]
pub(super) struct Searcher {
    /// 64-bit words of state (⌈positions / 64⌉, at least 1).
    words: usize,
    /// The bit of the final position within the last word.
    last: u64,
    /// Character class of each ASCII character (0: not in the segment).
    ascii_class: [u8; 128],
    /// Classes of the non-ASCII characters of the segment, sorted by character.
    other_class: Box<[(char, u32)]>,
    /// `words` words per class: bit `i` set when position `i` accepts the class.
    /// Every class, including 0, accepts the `?` positions.
    masks: Box<[u64]>,
}

impl Searcher {
    /// Compile a segment given as characters, `None` for `?`. The segment must
    /// not be empty.
    pub(super) fn new(units: &[Option<char>]) -> Searcher {
        let words = units.len().div_ceil(64).max(1);
        let last_pos = units.len().saturating_sub(1);
        let mut ascii_class = [0u8; 128];
        let mut others: Vec<char> = Vec::new();
        let mut classes = 1usize;
        for c in units.iter().flatten() {
            if let Some(slot) = ascii_class.get_mut(*c as usize) {
                if *slot == 0 {
                    // At most 128 ASCII classes, so the id fits in a u8.
                    *slot = u8::try_from(classes).unwrap_or(u8::MAX);
                    classes += 1;
                }
            } else if !others.contains(c) {
                others.push(*c);
            }
        }
        others.sort_unstable();
        let other_class: Box<[(char, u32)]> = others
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, u32::try_from(classes + i).unwrap_or(u32::MAX)))
            .collect();
        classes += others.len();

        let mut masks = vec![0u64; classes * words];
        for (pos, unit) in units.iter().enumerate() {
            let (word, bit) = (pos / 64, 1u64 << (pos % 64));
            match unit {
                None => {
                    for class in 0..classes {
                        masks[class * words + word] |= bit;
                    }
                }
                Some(c) => {
                    let class = match ascii_class.get(*c as usize) {
                        Some(class) => usize::from(*class),
                        None => other_class
                            .binary_search_by_key(c, |(k, _)| *k)
                            .ok()
                            .and_then(|i| other_class.get(i))
                            .map_or(0, |(_, class)| *class as usize),
                    };
                    masks[class * words + word] |= bit;
                }
            }
        }
        Searcher {
            words,
            last: 1u64 << (last_pos % 64),
            ascii_class,
            other_class,
            masks: masks.into(),
        }
    }

    /// The class of `c` under exact comparison.
    fn class(&self, c: char) -> usize {
        match self.ascii_class.get(c as usize) {
            Some(class) => usize::from(*class),
            None => match self.other_class.binary_search_by_key(&c, |(k, _)| *k) {
                Ok(i) => self
                    .other_class
                    .get(i)
                    .map_or(0, |(_, class)| *class as usize),
                Err(_) => 0,
            },
        }
    }

    /// The classes whose masks are ORed for `c`: under ASCII folding a letter
    /// accepts the positions of both its cases.
    fn classes(&self, c: char, case: CaseMode) -> (usize, usize) {
        match case {
            CaseMode::AsciiInsensitive if c.is_ascii_alphabetic() => (
                self.class(c.to_ascii_lowercase()),
                self.class(c.to_ascii_uppercase()),
            ),
            _ => {
                let class = self.class(c);
                (class, class)
            }
        }
    }

    /// The byte offset just past the leftmost occurrence of the segment in
    /// `hay`, if any.
    pub(super) fn find_end(&self, hay: &str, case: CaseMode) -> Option<usize> {
        if self.words == 1 {
            return self.find_end_one_word(hay, case);
        }
        let mut stack = [0u64; STACK_WORDS];
        let mut heap = Vec::new();
        let state: &mut [u64] = if self.words <= STACK_WORDS {
            &mut stack[..self.words]
        } else {
            heap.resize(self.words, 0);
            &mut heap
        };
        let w = self.words;
        for (at, c) in hay.char_indices() {
            let (a, b) = self.classes(c, case);
            let mut carry = 1u64;
            for (i, word) in state.iter_mut().enumerate() {
                let mask = self.masks[a * w + i] | self.masks[b * w + i];
                let next = (*word << 1) | carry;
                carry = *word >> 63;
                *word = next & mask;
            }
            if state.last().is_some_and(|word| word & self.last != 0) {
                return Some(at + c.len_utf8());
            }
        }
        None
    }

    fn find_end_one_word(&self, hay: &str, case: CaseMode) -> Option<usize> {
        let mut state = 0u64;
        for (at, c) in hay.char_indices() {
            let (a, b) = self.classes(c, case);
            state = ((state << 1) | 1) & (self.masks[a] | self.masks[b]);
            if state & self.last != 0 {
                return Some(at + c.len_utf8());
            }
        }
        None
    }
}
