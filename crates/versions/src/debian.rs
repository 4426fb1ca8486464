//! Debian package version ordering, as dpkg implements it (`dpkg --compare-versions`).
//!
//! A version is `[epoch:]upstream_version[-debian_revision]` (Debian Policy §5.6.12). The
//! epoch compares as a number (missing = 0); upstream version and revision compare with
//! dpkg's `verrevcmp`: alternating runs of non-digits and digits, where in the non-digit
//! runs `~` sorts before everything (even the end of the string), then the end, then
//! letters, then all other characters; digit runs compare as numbers.

use std::cmp::Ordering;

/// Compares two Debian versions.
#[must_use]
pub fn compare_debian(a: &str, b: &str) -> Ordering {
    let (ea, ua, ra) = split(a);
    let (eb, ub, rb) = split(b);
    ea.cmp(&eb)
        .then_with(|| verrevcmp(ua, ub))
        .then_with(|| verrevcmp(ra, rb))
}

/// Splits into (epoch, upstream, revision). An unparsable epoch counts as 0 and stays part
/// of the upstream version, so the ordering is still total.
fn split(v: &str) -> (u64, &str, &str) {
    let v = v.trim();
    let (epoch, rest) = match v.split_once(':') {
        Some((e, r)) if !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()) => {
            (e.parse::<u64>().unwrap_or(u64::MAX), r)
        }
        _ => (0, v),
    };
    match rest.rfind('-') {
        Some(i) => (epoch, &rest[..i], &rest[i + 1..]),
        None => (epoch, rest, ""),
    }
}

/// The weight of a character in a non-digit run (dpkg's `order`).
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

fn verrevcmp(a: &str, b: &str) -> Ordering {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let (mut i, mut j) = (0usize, 0usize);
    while i < a.len() || j < b.len() {
        // Non-digit run.
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a.get(i).copied().filter(|c| !c.is_ascii_digit()));
            let bc = order(b.get(j).copied().filter(|c| !c.is_ascii_digit()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            if i < a.len() && !a[i].is_ascii_digit() {
                i += 1;
            }
            if j < b.len() && !b[j].is_ascii_digit() {
                j += 1;
            }
        }
        // Digit run: skip leading zeros, then the longer run is larger, else compare.
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let si = i;
        let sj = j;
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let da = &a[si..i];
        let db = &b[sj..j];
        match da.len().cmp(&db.len()).then_with(|| da.cmp(db)) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lt(a: &str, b: &str) {
        assert_eq!(compare_debian(a, b), Ordering::Less, "{a} < {b}");
        assert_eq!(compare_debian(b, a), Ordering::Greater, "{b} > {a}");
    }

    #[test]
    fn tilde_sorts_before_everything() {
        lt("1.0~rc1", "1.0");
        lt("1.0~~", "1.0~");
        lt("1.0~", "1.0");
        lt("1.0", "1.0a");
        lt("1.0a", "1.0+");
        lt("1.0~rc1-1", "1.0-1");
    }

    #[test]
    fn epochs_and_revisions() {
        lt("9.9-1", "1:0.1-1");
        lt("1.2.3-1", "1.2.3-2");
        lt("1.2.3-1", "1.2.3-1+deb12u1");
        lt("1.2.3-1+deb12u1", "1.2.3-1+deb12u2");
        lt("7.88.1-10+deb12u14", "7.88.1-10+deb12u15");
        lt("2.36-9+deb12u13", "2.36-9+deb12u14");
        lt("1:10.0.2+ds-2+deb13u1~bpo12+1", "1:10.0.2+ds-2+deb13u1");
        assert_eq!(compare_debian("0:1.0-1", "1.0-1"), Ordering::Equal);
        assert_eq!(compare_debian("1.01", "1.1"), Ordering::Equal);
    }

    #[test]
    fn numbers_compare_numerically() {
        lt("1.9", "1.10");
        lt("3.0.9", "3.0.11");
        lt("10.42-1", "10.42-1+deb12u1");
    }

    /// Pairs checked against `dpkg --compare-versions` on Debian 12.
    #[test]
    fn agrees_with_dpkg() {
        lt("0", "1");
        lt("0:0-0", "0:0-1");
        lt("0:0-0", "0:1-0");
        lt("0:0-0", "1:0-0");
        lt("1.0-0", "1.0a-0");
        lt("0:0-0", "0:0a-0");
        lt("0:0a-0", "0:0b-0");
        lt("0:0~", "0:0");
        lt("0:0~a", "0:0");
        lt("0:1.0~beta", "0:1.0");
        assert_eq!(compare_debian("0:0-0", "0:0-0"), Ordering::Equal);
        assert_eq!(compare_debian("1:2.3-4", "1:2.3-4"), Ordering::Equal);
    }
}
