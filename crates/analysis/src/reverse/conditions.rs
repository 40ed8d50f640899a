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
    fn cubes_that_differ_on_two_axes_stay_apart() {
        let t = vec![vec![0, 1, 0], vec![0, 2, 1]];
        assert_eq!(
            describe(&axes(), &t, |_, _| None),
            vec![vec!["a = 1", "b absent"], vec!["a = 2", "b = x"]]
        );
    }
}
