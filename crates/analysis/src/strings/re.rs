//! Regular expressions over character sets, and their ε-free position
//! automata (Glushkov's construction): one state per character position
//! plus a start state, so a language written as a small expression gives a
//! small automaton.

/// A set of characters, as a predicate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CharSet {
    /// Every character.
    Any,
    /// Exactly this character.
    Is(char),
    /// Every character equal to this one ignoring case, as the evaluator's
    /// `StringEqualsIgnoreCase` compares (Unicode lowercase).
    Fold(char),
    /// Every character but these.
    Not(Vec<char>),
    /// The characters in these inclusive ranges (ASCII only).
    Ranges(Vec<(char, char)>),
    /// The characters in both sets.
    Both(Box<CharSet>, Box<CharSet>),
}

impl CharSet {
    /// Does the set hold `c`?
    pub fn contains(&self, c: char) -> bool {
        match self {
            CharSet::Any => true,
            CharSet::Is(x) => c == *x,
            CharSet::Fold(x) => fold_eq(c, *x),
            CharSet::Not(list) => !list.contains(&c),
            CharSet::Ranges(ranges) => ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)),
            CharSet::Both(a, b) => a.contains(c) && b.contains(c),
        }
    }

    /// Characters the set names explicitly: every one must be in the
    /// alphabet a search uses, so that the search sees each of them.
    pub(super) fn named(&self) -> Vec<char> {
        match self {
            CharSet::Any => Vec::new(),
            CharSet::Is(c) => vec![*c],
            CharSet::Fold(c) => {
                let mut v = vec![*c, c.to_ascii_lowercase(), c.to_ascii_uppercase()];
                if c.eq_ignore_ascii_case(&'k') {
                    v.push('\u{212A}');
                }
                v
            }
            CharSet::Not(list) => list.clone(),
            CharSet::Ranges(ranges) => ranges.iter().flat_map(|(lo, hi)| [*lo, *hi]).collect(),
            CharSet::Both(a, b) => {
                let mut v = a.named();
                v.extend(b.named());
                v
            }
        }
    }

    /// ASCII digits.
    pub fn digit() -> CharSet {
        CharSet::Ranges(vec![('0', '9')])
    }
}

/// Two characters equal ignoring case, as `eq_ignore_case` in the evaluator
/// compares one character each.
pub(crate) fn fold_eq(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// A regular expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Re {
    /// The empty string.
    Empty,
    /// One character of the set.
    Set(CharSet),
    /// One after the other.
    Cat(Vec<Re>),
    /// Either.
    Alt(Vec<Re>),
    /// Any number of repetitions, none included.
    Star(Box<Re>),
}

impl Re {
    /// The text, character by character.
    pub fn literal(text: &str) -> Re {
        Re::Cat(text.chars().map(|c| Re::Set(CharSet::Is(c))).collect())
    }

    /// The text, ignoring case.
    pub fn folded(text: &str) -> Re {
        Re::Cat(text.chars().map(|c| Re::Set(CharSet::Fold(c))).collect())
    }

    /// Any run of characters from `set`.
    pub fn run(set: CharSet) -> Re {
        Re::Star(Box::new(Re::Set(set)))
    }

    /// One or more characters from `set`.
    pub fn plus(set: CharSet) -> Re {
        Re::Cat(vec![Re::Set(set.clone()), Re::run(set)])
    }

    /// Every string.
    pub fn anything() -> Re {
        Re::run(CharSet::Any)
    }

    /// The strings of `self` whose every character is in `set`.
    #[must_use]
    pub fn restrict(&self, set: &CharSet) -> Re {
        match self {
            Re::Empty => Re::Empty,
            Re::Set(s) => Re::Set(CharSet::Both(Box::new(s.clone()), Box::new(set.clone()))),
            Re::Cat(items) => Re::Cat(items.iter().map(|r| r.restrict(set)).collect()),
            Re::Alt(items) => Re::Alt(items.iter().map(|r| r.restrict(set)).collect()),
            Re::Star(inner) => Re::Star(Box::new(inner.restrict(set))),
        }
    }

    /// True when the empty string is in the language.
    pub fn nullable(&self) -> bool {
        match self {
            Re::Empty | Re::Star(_) => true,
            Re::Set(_) => false,
            Re::Cat(items) => items.iter().all(Re::nullable),
            Re::Alt(items) => items.iter().any(Re::nullable),
        }
    }

    /// The strings `s` such that `prefix` followed by `s` is in the
    /// language (Brzozowski derivatives, one character at a time).
    #[must_use]
    pub fn quotient(&self, prefix: &str) -> Re {
        prefix.chars().fold(self.clone(), |re, c| re.derivative(c))
    }

    fn derivative(&self, c: char) -> Re {
        let nothing = Re::Alt(Vec::new());
        match self {
            Re::Empty => nothing,
            Re::Set(s) if s.contains(c) => Re::Empty,
            Re::Set(_) => nothing,
            Re::Alt(items) => Re::Alt(items.iter().map(|r| r.derivative(c)).collect()),
            Re::Star(inner) => Re::Cat(vec![inner.derivative(c), self.clone()]),
            Re::Cat(items) => match items.split_first() {
                None => nothing,
                Some((head, tail)) => {
                    let tail = Re::Cat(tail.to_vec());
                    let first = Re::Cat(vec![head.derivative(c), tail.clone()]);
                    if head.nullable() {
                        Re::Alt(vec![first, tail.derivative(c)])
                    } else {
                        first
                    }
                }
            },
        }
    }

    /// `self` followed by `other`.
    #[must_use]
    pub fn then(self, other: Re) -> Re {
        match self {
            Re::Cat(mut items) => {
                items.push(other);
                Re::Cat(items)
            }
            first => Re::Cat(vec![first, other]),
        }
    }
}

/// An automaton without ε-moves: state 0 is the start, state `p + 1` is
/// "just read position `p`".
#[derive(Clone, Debug)]
pub(crate) struct Nfa {
    /// The character set of each position.
    pub(crate) sets: Vec<CharSet>,
    /// Positions that may be read first.
    pub(crate) first: Vec<usize>,
    /// For each position, the positions that may follow it.
    pub(crate) follow: Vec<Vec<usize>>,
    /// Accepting states (0 when the empty string is in the language).
    pub(crate) accept: Vec<usize>,
}

impl Nfa {
    /// The number of states.
    pub(crate) fn states(&self) -> usize {
        self.sets.len() + 1
    }

    /// Glushkov's construction.
    pub(crate) fn new(re: &Re) -> Nfa {
        let mut sets = Vec::new();
        let mut follow: Vec<Vec<usize>> = Vec::new();
        let info = walk(re, &mut sets, &mut follow);
        let mut accept: Vec<usize> = info.last.iter().map(|p| p + 1).collect();
        if info.nullable {
            accept.push(0);
        }
        accept.sort_unstable();
        accept.dedup();
        for f in &mut follow {
            f.sort_unstable();
            f.dedup();
        }
        Nfa {
            sets,
            first: info.first,
            follow,
            accept,
        }
    }

    /// The positions reachable from state `s` (0 = start).
    pub(crate) fn successors(&self, s: usize) -> &[usize] {
        if s == 0 {
            &self.first
        } else {
            self.follow.get(s - 1).map(Vec::as_slice).unwrap_or(&[])
        }
    }

    /// Does the automaton accept `text`?
    pub(crate) fn accepts(&self, text: &str) -> bool {
        let mut current = vec![0usize];
        for c in text.chars() {
            let mut next: Vec<usize> = current
                .iter()
                .flat_map(|&s| self.successors(s).iter().copied())
                .filter(|&p| self.sets[p].contains(c))
                .map(|p| p + 1)
                .collect();
            next.sort_unstable();
            next.dedup();
            current = next;
        }
        current.iter().any(|s| self.accept.contains(s))
    }
}

struct Info {
    nullable: bool,
    first: Vec<usize>,
    last: Vec<usize>,
}

fn walk(re: &Re, sets: &mut Vec<CharSet>, follow: &mut Vec<Vec<usize>>) -> Info {
    match re {
        Re::Empty => Info {
            nullable: true,
            first: Vec::new(),
            last: Vec::new(),
        },
        Re::Set(set) => {
            let p = sets.len();
            sets.push(set.clone());
            follow.push(Vec::new());
            Info {
                nullable: false,
                first: vec![p],
                last: vec![p],
            }
        }
        Re::Alt(items) => {
            let mut out = Info {
                nullable: items.is_empty(),
                first: Vec::new(),
                last: Vec::new(),
            };
            for item in items {
                let i = walk(item, sets, follow);
                out.nullable |= i.nullable;
                out.first.extend(i.first);
                out.last.extend(i.last);
            }
            if items.is_empty() {
                // The empty alternative matches nothing at all.
                out.nullable = false;
            }
            out
        }
        Re::Cat(items) => {
            let mut out = Info {
                nullable: true,
                first: Vec::new(),
                last: Vec::new(),
            };
            for item in items {
                let i = walk(item, sets, follow);
                for &l in &out.last {
                    if let Some(f) = follow.get_mut(l) {
                        f.extend(i.first.iter().copied());
                    }
                }
                if out.nullable {
                    out.first.extend(i.first.iter().copied());
                }
                if i.nullable {
                    out.last.extend(i.last);
                } else {
                    out.last = i.last;
                }
                out.nullable &= i.nullable;
            }
            out
        }
        Re::Star(inner) => {
            let i = walk(inner, sets, follow);
            for &l in &i.last {
                if let Some(f) = follow.get_mut(l) {
                    f.extend(i.first.iter().copied());
                }
            }
            Info {
                nullable: true,
                first: i.first,
                last: i.last,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glushkov_automata_accept_their_languages() {
        // a(b|c)*d
        let re = Re::Cat(vec![
            Re::literal("a"),
            Re::Star(Box::new(Re::Alt(vec![Re::literal("b"), Re::literal("c")]))),
            Re::literal("d"),
        ]);
        let nfa = Nfa::new(&re);
        for yes in ["ad", "abd", "acbcbd"] {
            assert!(nfa.accepts(yes), "{yes}");
        }
        for no in ["", "a", "abc", "bd", "adx"] {
            assert!(!nfa.accepts(no), "{no}");
        }
        let star = Nfa::new(&Re::Star(Box::new(Re::literal("ab"))));
        assert!(star.accepts("") && star.accepts("abab") && !star.accepts("aba"));
        assert!(!Nfa::new(&Re::Alt(Vec::new())).accepts(""));
    }

    #[test]
    fn quotients_and_restrictions_keep_their_meaning() {
        let re = Re::Cat(vec![Re::literal("ab"), Re::anything(), Re::literal("z")]);
        let q = Nfa::new(&re.quotient("ab"));
        assert!(q.accepts("z") && q.accepts("xyz") && !q.accepts("zx"));
        assert!(!Nfa::new(&re.quotient("b")).accepts("z"));
        let no_slash = Nfa::new(&re.restrict(&CharSet::Not(vec!['/'])));
        assert!(no_slash.accepts("abxz") && !no_slash.accepts("ab/z"));
    }

    #[test]
    fn folded_sets_follow_unicode_lowercase() {
        assert!(CharSet::Fold('k').contains('K'));
        assert!(CharSet::Fold('k').contains('\u{212A}'));
        assert!(!CharSet::Fold('k').contains('x'));
    }
}
