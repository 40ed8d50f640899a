//! "Under which conditions": the allowed classes of requests, named for
//! people as few alternatives as the classes allow, exactly.
//!
//! The classes are tuples (one value per axis: the caller's own policies,
//! then each request dimension). They are merged into cubes — a set of
//! values per axis — wherever two cubes differ on one axis only; that keeps
//! the union exact. An axis a cube covers completely is no condition at
//! all; a value set is named by its labels, or by a shorter name the
//! caller knows for exactly that set (a grant's constraint).

/// The most alternatives listed; the rest are counted.
pub const MAX_ALTERNATIVES: usize = 8;

/// Name the classes `tuples` cover. `name(axis, values)` may name a set
/// of values of an axis better than listing their labels. An empty list:
/// every class (always).
pub fn describe(
    axes: &[Vec<String>],
    tuples: &[Vec<usize>],
    name: impl Fn(usize, &[usize]) -> Option<String>,
) -> Vec<Vec<String>> {
    let mut cubes: Vec<Vec<Vec<usize>>> = tuples
        .iter()
        .map(|t| t.iter().map(|&v| vec![v]).collect())
        .collect();
    cubes.sort();
    cubes.dedup();
    loop {
        let before = cubes.len();
        for d in 0..axes.len() {
            cubes = merge_along(cubes, d);
        }
        if cubes.len() == before {
            break;
        }
    }
    let cubes = expand(cubes, axes, tuples);
    let full = |d: usize, set: &[usize]| set.len() >= axes[d].len();
    let mut out: Vec<Vec<String>> = Vec::new();
    for cube in cubes.iter().take(MAX_ALTERNATIVES) {
        let mut alt = Vec::new();
        for (d, set) in cube.iter().enumerate() {
            if full(d, set) {
                continue;
            }
            if let Some(n) = name(d, set) {
                alt.push(n);
                continue;
            }
            let labels: Vec<&str> = set
                .iter()
                .filter_map(|&v| axes[d].get(v).map(String::as_str))
                .filter(|l| !l.is_empty())
                .collect();
            match labels.as_slice() {
                [] => {}
                [one] => alt.push((*one).to_string()),
                many => alt.push(format!("({})", many.join(" or "))),
            }
        }
        out.push(alt);
    }
    if cubes.len() > MAX_ALTERNATIVES {
        out.push(vec![format!(
            "… and {} more combinations",
            cubes.len() - MAX_ALTERNATIVES
        )]);
    }
    if out.len() == 1 && out[0].is_empty() {
        out.clear();
    }
    out
}

/// The most classes a cube may cover to be grown (each is looked up).
const MAX_GROWN_CUBE: usize = 4096;

/// Free each cube of every axis the classes allow it to be free of (a
/// cube may then overlap another, which stays exact: the union is
/// unchanged), and drop the cubes another one covers. `a and (x or y)` and `not a and
/// y` become `a and x` or `y`.
fn expand(
    mut cubes: Vec<Vec<Vec<usize>>>,
    axes: &[Vec<String>],
    tuples: &[Vec<usize>],
) -> Vec<Vec<Vec<usize>>> {
    let allowed: std::collections::HashSet<&[usize]> = tuples.iter().map(Vec::as_slice).collect();
    for cube in &mut cubes {
        for d in 0..axes.len() {
            if cube[d].len() >= axes[d].len() {
                continue;
            }
            let mut grown = cube.clone();
            grown[d] = (0..axes[d].len()).collect();
            if covered(&grown, &allowed) {
                *cube = grown;
            }
        }
    }
    cubes.sort();
    cubes.dedup();
    let within = |a: &Vec<Vec<usize>>, b: &Vec<Vec<usize>>| {
        a.iter()
            .zip(b)
            .all(|(x, y)| x.iter().all(|v| y.binary_search(v).is_ok()))
    };
    let mut out: Vec<Vec<Vec<usize>>> = Vec::with_capacity(cubes.len());
    for (i, c) in cubes.iter().enumerate() {
        let redundant = cubes
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && within(c, o));
        if !redundant {
            out.push(c.clone());
        }
    }
    out
}

/// Is every class of `cube` allowed? (False for cubes too large to look at.)
fn covered(cube: &[Vec<usize>], allowed: &std::collections::HashSet<&[usize]>) -> bool {
    let size = cube
        .iter()
        .try_fold(1usize, |n, set| n.checked_mul(set.len()))
        .unwrap_or(usize::MAX);
    if size > MAX_GROWN_CUBE {
        return false;
    }
    let mut point: Vec<usize> = cube
        .iter()
        .map(|set| set.first().copied().unwrap_or(0))
        .collect();
    let mut digits = vec![0usize; cube.len()];
    loop {
        if !allowed.contains(point.as_slice()) {
            return false;
        }
        let mut d = 0;
        loop {
            if d == cube.len() {
                return true;
            }
            digits[d] += 1;
            if digits[d] < cube[d].len() {
                point[d] = cube[d][digits[d]];
                break;
            }
            digits[d] = 0;
            point[d] = cube[d].first().copied().unwrap_or(0);
            d += 1;
        }
    }
}

/// Merge the cubes that agree on every axis but `d`.
fn merge_along(cubes: Vec<Vec<Vec<usize>>>, d: usize) -> Vec<Vec<Vec<usize>>> {
    let mut out: Vec<Vec<Vec<usize>>> = Vec::with_capacity(cubes.len());
    'next: for cube in cubes {
        for other in out.iter_mut() {
            let same_elsewhere = other
                .iter()
                .zip(&cube)
                .enumerate()
                .all(|(i, (a, b))| i == d || a == b);
            if same_elsewhere {
                other[d].extend(cube[d].iter().copied());
                other[d].sort_unstable();
                other[d].dedup();
                continue 'next;
            }
        }
        out.push(cube);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axes() -> Vec<Vec<String>> {
        vec![
            vec!["".into()],
            vec!["a absent".into(), "a = 1".into(), "a = 2".into()],
            vec!["b absent".into(), "b = x".into()],
        ]
    }

    #[test]
    fn every_class_is_always() {
        let all: Vec<Vec<usize>> = (0..3)
            .flat_map(|a| (0..2).map(move |b| vec![0, a, b]))
            .collect();
        assert!(describe(&axes(), &all, |_, _| None).is_empty());
    }

    #[test]
    fn one_axis_free_is_left_out() {
        let t = vec![vec![0, 1, 0], vec![0, 1, 1]];
        assert_eq!(describe(&axes(), &t, |_, _| None), vec![vec!["a = 1"]]);
    }

    #[test]
    fn values_of_one_axis_are_joined() {
        let t = vec![vec![0, 1, 1], vec![0, 2, 1]];
        assert_eq!(
            describe(&axes(), &t, |_, _| None),
            vec![vec!["(a = 1 or a = 2)", "b = x"]]
        );
    }

    #[test]
    fn a_known_set_takes_its_name() {
        let t = vec![vec![0, 1, 1], vec![0, 2, 1]];
        let named = describe(&axes(), &t, |d, set| {
            (d == 1 && set == [1, 2]).then(|| "a present".to_string())
        });
        assert_eq!(named, vec![vec!["a present", "b = x"]]);
    }

    #[test]
    fn cubes_grow_where_the_classes_allow() {
        // (a = 1, any b) and (any a, b = x): not two disjoint pieces.
        let t = vec![vec![0, 1, 0], vec![0, 0, 1], vec![0, 1, 1], vec![0, 2, 1]];
        let mut got = describe(&axes(), &t, |_, _| None);
        got.sort();
        assert_eq!(got, vec![vec!["a = 1"], vec!["b = x"]]);
    }

    #[test]
    fn cubes_that_differ_on_two_axes_stay_apart() {
        let t = vec![vec![0, 1, 0], vec![0, 2, 1]];
        assert_eq!(
            describe(&axes(), &t, |_, _| None),
            vec![vec!["a = 1", "b absent"], vec!["a = 2", "b = x"]]
        );
    }
}
