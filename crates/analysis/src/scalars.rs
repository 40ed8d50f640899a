//! Ordered theories: numbers, instants and IP addresses.
//!
//! Every comparison an operator makes (`<`, `≤`, `=`, `≥`, `>` against a
//! literal, or membership in a CIDR range) is constant on each point
//! literal and on each open stretch between consecutive literals, so one
//! value per stretch stands for all of them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use keyward_eval::Instant;

/// One witness per class of numbers under comparisons with `literals`
/// (finite values only), in ascending order.
pub fn number_witnesses(literals: &[f64]) -> Vec<f64> {
    let mut points: Vec<f64> = literals.iter().copied().filter(|x| x.is_finite()).collect();
    points.sort_by(f64::total_cmp);
    points.dedup_by(|a, b| a == b);
    let Some((&first, &last)) = points.first().zip(points.last()) else {
        return vec![0.0];
    };
    let mut out = Vec::new();
    let below = if first > -1e300 {
        first - first.abs().max(1.0)
    } else {
        f64::MIN
    };
    if below < first {
        out.push(below);
    }
    for pair in points.windows(2) {
        out.push(pair[0]);
        let mid = pair[0] / 2.0 + pair[1] / 2.0;
        if pair[0] < mid && mid < pair[1] {
            out.push(mid);
        }
    }
    out.push(last);
    let above = if last < 1e300 {
        last + last.abs().max(1.0)
    } else {
        f64::MAX
    };
    if above > last {
        out.push(above);
    }
    out
}

/// One witness per class of instants under comparisons with `points`
/// (breakpoints), in ascending order.
pub fn instant_witnesses(points: &[Instant]) -> Vec<Instant> {
    let mut points = points.to_vec();
    points.sort();
    points.dedup();
    let Some((&first, &last)) = points.first().zip(points.last()) else {
        return vec![Instant::from_epoch_seconds(1_700_000_000)];
    };
    let mut out = vec![shift(first, -86_400)];
    for pair in points.windows(2) {
        out.push(pair[0]);
        if let Some(mid) = between(pair[0], pair[1]) {
            out.push(mid);
        }
    }
    out.push(last);
    out.push(shift(last, 86_400));
    out
}

fn shift(t: Instant, seconds: i64) -> Instant {
    Instant {
        seconds: t.seconds.saturating_add(seconds),
        nanos: t.nanos,
    }
}

/// An instant strictly between `a < b`, on a whole second when there is one.
fn between(a: Instant, b: Instant) -> Option<Instant> {
    let whole = Instant::from_epoch_seconds(a.seconds.saturating_add(1));
    if a < whole && whole < b {
        let mid = a.seconds / 2 + b.seconds / 2;
        let mid = Instant::from_epoch_seconds(mid);
        return Some(if a < mid && mid < b { mid } else { whole });
    }
    let next = if a.nanos < 999_999_999 {
        Instant {
            seconds: a.seconds,
            nanos: a.nanos + 1,
        }
    } else {
        whole
    };
    (a < next && next < b).then_some(next)
}

/// How an instant is written in a request: ISO 8601, with the fraction
/// only when there is one.
pub fn instant_text(t: Instant) -> String {
    if t.nanos == 0 {
        return t.to_iso8601();
    }
    chrono::DateTime::from_timestamp(t.seconds, t.nanos)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string())
        .unwrap_or_default()
}

/// One address per class of addresses under membership in `nets`: for
/// each family, the start of every stretch between range boundaries.
pub fn ip_witnesses(nets: &[ipnet::IpNet]) -> Vec<IpAddr> {
    let mut v4: Vec<u64> = vec![u64::from(u32::from(Ipv4Addr::new(192, 0, 2, 1)))];
    let mut v6: Vec<u128> = vec![u128::from(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))];
    for net in nets {
        match net {
            ipnet::IpNet::V4(n) => {
                v4.push(u64::from(u32::from(n.network())));
                v4.push(u64::from(u32::from(n.broadcast())) + 1);
            }
            ipnet::IpNet::V6(n) => {
                let start = u128::from(n.network());
                v6.push(start);
                if let Some(end) = u128::from(n.broadcast()).checked_add(1) {
                    v6.push(end);
                }
            }
        }
    }
    v4.push(0);
    v6.push(0);
    v4.sort_unstable();
    v4.dedup();
    v6.sort_unstable();
    v6.dedup();
    let mut out: Vec<IpAddr> = v4
        .into_iter()
        .filter_map(|x| u32::try_from(x).ok())
        .map(|x| IpAddr::V4(Ipv4Addr::from(x)))
        .collect();
    out.extend(v6.into_iter().map(|x| IpAddr::V6(Ipv6Addr::from(x))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_witnesses_fall_in_every_stretch() {
        let w = number_witnesses(&[10.0, 3.0, 3.0, 3.5]);
        assert_eq!(w, vec![0.0, 3.0, 3.25, 3.5, 6.75, 10.0, 20.0]);
        // Adjacent floats leave no room between them.
        let a = 1.0f64;
        let b = f64::from_bits(a.to_bits() + 1);
        assert_eq!(number_witnesses(&[a, b]).len(), 4);
    }

    #[test]
    fn instant_witnesses_fall_in_every_stretch() {
        let t = |s| Instant::from_epoch_seconds(s);
        let w = instant_witnesses(&[t(100), t(101)]);
        assert_eq!(w.len(), 5);
        assert!(w[2] > t(100) && w[2] < t(101));
        assert_eq!(instant_text(w[2]), "1970-01-01T00:01:40.000000001Z");
        assert_eq!(Instant::parse(&instant_text(w[2])), Some(w[2]));
    }

    #[test]
    fn ip_witnesses_separate_nested_ranges() {
        let nets: Vec<ipnet::IpNet> = ["10.0.0.0/8", "10.1.0.0/16"]
            .iter()
            .map(|n| n.parse().unwrap())
            .collect();
        let w = ip_witnesses(&nets);
        let vectors: Vec<Vec<bool>> = w
            .iter()
            .map(|ip| nets.iter().map(|n| n.contains(ip)).collect())
            .collect();
        assert!(vectors.contains(&vec![true, true]));
        assert!(vectors.contains(&vec![true, false]));
        assert!(vectors.contains(&vec![false, false]));
    }
}
