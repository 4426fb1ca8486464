//! Version ordering per ecosystem, and sets of versions as unions of intervals.
//!
//! A collector that cannot tell the exact version records the narrowest set of versions its
//! evidence allows (for example "2.1 up to 2.15.0, but not the 2.3.1 or 2.12.2 backports").
//! The assessment then asks, per advisory, whether that set lies wholly inside the affected
//! versions, wholly outside them, or both. This crate does that arithmetic.

mod debian;
mod maven;

use std::cmp::Ordering;

use praxcheck_model::{VersionBound, VersionInterval};

pub use debian::compare_debian;
pub use maven::{MavenKey, compare_maven};

/// A version ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scheme {
    /// Maven's `ComparableVersion` ordering (qualifiers alpha < beta < milestone < rc <
    /// snapshot < release < sp).
    #[default]
    Maven,
    /// dpkg's ordering (epoch, upstream version and revision; `~` sorts first).
    Debian,
}

impl Scheme {
    /// The scheme for an OSV ecosystem name.
    #[must_use]
    pub fn for_ecosystem(ecosystem: &str) -> Self {
        // OSV spells Debian-family ecosystems `Debian`, `Debian:12`, `Ubuntu`, `Ubuntu:22.04`.
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        match base {
            "Debian" | "Ubuntu" => Scheme::Debian,
            _ => Scheme::Maven,
        }
    }

    /// Compares two versions.
    #[must_use]
    pub fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            Scheme::Maven => compare_maven(a, b),
            Scheme::Debian => compare_debian(a, b),
        }
    }
}

#[derive(Debug, Clone)]
enum Lo {
    Unbounded,
    Incl(String),
    Excl(String),
}

#[derive(Debug, Clone)]
enum Hi {
    Unbounded,
    Incl(String),
    Excl(String),
}

#[derive(Debug, Clone)]
struct Iv {
    lo: Lo,
    hi: Hi,
}

fn cmp_lo(s: Scheme, a: &Lo, b: &Lo) -> Ordering {
    match (a, b) {
        (Lo::Unbounded, Lo::Unbounded) => Ordering::Equal,
        (Lo::Unbounded, _) => Ordering::Less,
        (_, Lo::Unbounded) => Ordering::Greater,
        (Lo::Incl(x) | Lo::Excl(x), Lo::Incl(y) | Lo::Excl(y)) => {
            s.compare(x, y).then_with(|| match (a, b) {
                (Lo::Incl(_), Lo::Excl(_)) => Ordering::Less,
                (Lo::Excl(_), Lo::Incl(_)) => Ordering::Greater,
                _ => Ordering::Equal,
            })
        }
    }
}

fn cmp_hi(s: Scheme, a: &Hi, b: &Hi) -> Ordering {
    match (a, b) {
        (Hi::Unbounded, Hi::Unbounded) => Ordering::Equal,
        (Hi::Unbounded, _) => Ordering::Greater,
        (_, Hi::Unbounded) => Ordering::Less,
        (Hi::Incl(x) | Hi::Excl(x), Hi::Incl(y) | Hi::Excl(y)) => {
            s.compare(x, y).then_with(|| match (a, b) {
                (Hi::Excl(_), Hi::Incl(_)) => Ordering::Less,
                (Hi::Incl(_), Hi::Excl(_)) => Ordering::Greater,
                _ => Ordering::Equal,
            })
        }
    }
}

/// True when an upper bound `hi` reaches or passes a lower bound `lo` (the two intervals
/// touch or overlap, so they can be merged).
fn hi_meets_lo(s: Scheme, hi: &Hi, lo: &Lo) -> bool {
    match (hi, lo) {
        (Hi::Unbounded, _) | (_, Lo::Unbounded) => true,
        (Hi::Incl(h), Lo::Incl(l)) => s.compare(h, l) != Ordering::Less,
        (Hi::Incl(h) | Hi::Excl(h), Lo::Incl(l) | Lo::Excl(l)) => {
            // [.., h) + [h, ..) or [.., h] + (h, ..) are adjacent; (.., h) + (h, ..) is not.
            match s.compare(h, l) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => !matches!((hi, lo), (Hi::Excl(_), Lo::Excl(_))),
            }
        }
    }
}

/// True when an interval holds no version.
fn iv_empty(s: Scheme, iv: &Iv) -> bool {
    match (&iv.lo, &iv.hi) {
        (Lo::Unbounded, _) | (_, Hi::Unbounded) => false,
        (Lo::Incl(l) | Lo::Excl(l), Hi::Incl(h) | Hi::Excl(h)) => match s.compare(l, h) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => !matches!((&iv.lo, &iv.hi), (Lo::Incl(_), Hi::Incl(_))),
        },
    }
}

fn to_iv(v: &VersionInterval) -> Iv {
    let lo = match &v.min {
        None => Lo::Unbounded,
        Some(b) if b.inclusive => Lo::Incl(b.version.clone()),
        Some(b) => Lo::Excl(b.version.clone()),
    };
    let hi = match &v.max {
        None => Hi::Unbounded,
        Some(b) if b.inclusive => Hi::Incl(b.version.clone()),
        Some(b) => Hi::Excl(b.version.clone()),
    };
    Iv { lo, hi }
}

fn from_iv(iv: &Iv) -> VersionInterval {
    let min = match &iv.lo {
        Lo::Unbounded => None,
        Lo::Incl(v) => Some(VersionBound {
            version: v.clone(),
            inclusive: true,
        }),
        Lo::Excl(v) => Some(VersionBound {
            version: v.clone(),
            inclusive: false,
        }),
    };
    let max = match &iv.hi {
        Hi::Unbounded => None,
        Hi::Incl(v) => Some(VersionBound {
            version: v.clone(),
            inclusive: true,
        }),
        Hi::Excl(v) => Some(VersionBound {
            version: v.clone(),
            inclusive: false,
        }),
    };
    VersionInterval { min, max }
}

/// A set of versions: a union of intervals, kept sorted and disjoint.
#[derive(Debug, Clone)]
pub struct VersionSet {
    scheme: Scheme,
    ivs: Vec<Iv>,
}

impl VersionSet {
    /// Every version.
    #[must_use]
    pub fn all(scheme: Scheme) -> Self {
        Self {
            scheme,
            ivs: vec![Iv {
                lo: Lo::Unbounded,
                hi: Hi::Unbounded,
            }],
        }
    }

    /// No version.
    #[must_use]
    pub fn empty(scheme: Scheme) -> Self {
        Self {
            scheme,
            ivs: Vec::new(),
        }
    }

    /// Exactly one version.
    #[must_use]
    pub fn exact(scheme: Scheme, v: &str) -> Self {
        Self::from_intervals(scheme, &[VersionInterval::exact(v)])
    }

    /// The union of the given intervals.
    #[must_use]
    pub fn from_intervals(scheme: Scheme, ivs: &[VersionInterval]) -> Self {
        let mut s = Self {
            scheme,
            ivs: ivs.iter().map(to_iv).collect(),
        };
        s.normalize();
        s
    }

    /// The intervals, sorted and disjoint.
    #[must_use]
    pub fn intervals(&self) -> Vec<VersionInterval> {
        self.ivs.iter().map(from_iv).collect()
    }

    /// True when the set holds no version.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ivs.is_empty()
    }

    /// True when the set holds exactly one version; returns it.
    #[must_use]
    pub fn as_exact(&self) -> Option<&str> {
        match self.ivs.as_slice() {
            [
                Iv {
                    lo: Lo::Incl(a),
                    hi: Hi::Incl(b),
                },
            ] if self.scheme.compare(a, b) == Ordering::Equal => Some(a),
            _ => None,
        }
    }

    fn normalize(&mut self) {
        let s = self.scheme;
        self.ivs.retain(|iv| !iv_empty(s, iv));
        self.ivs.sort_by(|a, b| cmp_lo(s, &a.lo, &b.lo));
        let mut out: Vec<Iv> = Vec::with_capacity(self.ivs.len());
        for iv in self.ivs.drain(..) {
            if let Some(last) = out.last_mut()
                && hi_meets_lo(s, &last.hi, &iv.lo)
            {
                if cmp_hi(s, &iv.hi, &last.hi) == Ordering::Greater {
                    last.hi = iv.hi;
                }
                continue;
            }
            out.push(iv);
        }
        self.ivs = out;
    }

    /// True when the version is in the set.
    #[must_use]
    pub fn contains(&self, v: &str) -> bool {
        let p = Self::exact(self.scheme, v);
        !self.intersect(&p).is_empty()
    }

    /// The versions in both sets.
    #[must_use]
    pub fn intersect(&self, other: &VersionSet) -> VersionSet {
        let s = self.scheme;
        let mut out = Vec::new();
        for a in &self.ivs {
            for b in &other.ivs {
                let lo = if cmp_lo(s, &a.lo, &b.lo) == Ordering::Less {
                    b.lo.clone()
                } else {
                    a.lo.clone()
                };
                let hi = if cmp_hi(s, &a.hi, &b.hi) == Ordering::Greater {
                    b.hi.clone()
                } else {
                    a.hi.clone()
                };
                let iv = Iv { lo, hi };
                if !iv_empty(s, &iv) {
                    out.push(iv);
                }
            }
        }
        let mut r = VersionSet {
            scheme: s,
            ivs: out,
        };
        r.normalize();
        r
    }

    /// The versions in either set.
    #[must_use]
    pub fn union(&self, other: &VersionSet) -> VersionSet {
        let mut r = VersionSet {
            scheme: self.scheme,
            ivs: self.ivs.iter().chain(other.ivs.iter()).cloned().collect(),
        };
        r.normalize();
        r
    }

    /// The versions not in this set.
    #[must_use]
    pub fn complement(&self) -> VersionSet {
        let mut out = Vec::new();
        let mut lo = Lo::Unbounded;
        for iv in &self.ivs {
            let hi = match &iv.lo {
                Lo::Unbounded => None,
                Lo::Incl(v) => Some(Hi::Excl(v.clone())),
                Lo::Excl(v) => Some(Hi::Incl(v.clone())),
            };
            if let Some(hi) = hi {
                out.push(Iv { lo, hi });
            }
            lo = match &iv.hi {
                Hi::Unbounded => {
                    let mut r = VersionSet {
                        scheme: self.scheme,
                        ivs: out,
                    };
                    r.normalize();
                    return r;
                }
                Hi::Incl(v) => Lo::Excl(v.clone()),
                Hi::Excl(v) => Lo::Incl(v.clone()),
            };
        }
        out.push(Iv {
            lo,
            hi: Hi::Unbounded,
        });
        let mut r = VersionSet {
            scheme: self.scheme,
            ivs: out,
        };
        r.normalize();
        r
    }

    /// True when every version of this set is in `other`.
    #[must_use]
    pub fn is_subset_of(&self, other: &VersionSet) -> bool {
        self.intersect(&other.complement()).is_empty()
    }

    /// True when no version is in both sets.
    #[must_use]
    pub fn is_disjoint(&self, other: &VersionSet) -> bool {
        self.intersect(other).is_empty()
    }
}

impl std::fmt::Display for VersionSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ivs.is_empty() {
            return f.write_str("∅");
        }
        let parts: Vec<String> = self.intervals().iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(" ∪ "))
    }
}

/// How a set of possible versions relates to a set of affected versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Every possible version is affected.
    All,
    /// No possible version is affected.
    None,
    /// Some are, some are not: the evidence does not decide.
    Some,
}

/// Relates the possible versions to the affected ones.
#[must_use]
pub fn relate(possible: &VersionSet, affected: &VersionSet) -> Relation {
    if possible.is_empty() || possible.is_disjoint(affected) {
        Relation::None
    } else if possible.is_subset_of(affected) {
        Relation::All
    } else {
        Relation::Some
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ivs: &[VersionInterval]) -> VersionSet {
        VersionSet::from_intervals(Scheme::Maven, ivs)
    }

    #[test]
    fn backports_are_excluded_by_intersection() {
        // "JndiManager lacks log4j2.enableJndi": not 2.3.1-2.3.x, not 2.12.2-2.12.x, not >= 2.16.0.
        let has_enable = set(&[
            VersionInterval::half_open("2.3.1", "2.4"),
            VersionInterval::half_open("2.12.2", "2.13"),
            VersionInterval::at_least("2.16.0"),
        ]);
        let lacks_enable = has_enable.complement();
        let has_manager = set(&[VersionInterval::at_least("2.1")]);
        let possible = lacks_enable.intersect(&has_manager);
        assert_eq!(
            possible.to_string(),
            "[2.1, 2.3.1) ∪ [2.4, 2.12.2) ∪ [2.13, 2.16.0)"
        );
        assert!(possible.contains("2.14.1"));
        assert!(!possible.contains("2.12.2"));
        assert!(!possible.contains("2.3.1"));
        assert!(possible.contains("2.15.0"));
    }

    #[test]
    fn relation_decides() {
        let affected = set(&[
            VersionInterval::half_open("2.0-beta9", "2.3.1"),
            VersionInterval::half_open("2.4", "2.12.2"),
            VersionInterval::half_open("2.13.0", "2.15.0"),
        ]);
        assert_eq!(
            relate(&VersionSet::exact(Scheme::Maven, "2.14.1"), &affected),
            Relation::All
        );
        assert_eq!(
            relate(&VersionSet::exact(Scheme::Maven, "2.12.2"), &affected),
            Relation::None
        );
        assert_eq!(
            relate(&VersionSet::exact(Scheme::Maven, "2.0-beta8"), &affected),
            Relation::None
        );
        assert_eq!(
            relate(
                &set(&[VersionInterval::half_open("2.13.0", "2.15.0")]),
                &affected
            ),
            Relation::All
        );
        assert_eq!(
            relate(
                &set(&[VersionInterval::half_open("2.13.0", "2.16.0")]),
                &affected
            ),
            Relation::Some
        );
    }

    #[test]
    fn exact_is_recognised() {
        let s = VersionSet::exact(Scheme::Maven, "2.14.1");
        assert_eq!(s.as_exact(), Some("2.14.1"));
        assert!(
            set(&[VersionInterval::half_open("1", "2")])
                .as_exact()
                .is_none()
        );
    }

    #[test]
    fn adjacent_intervals_merge() {
        let s = set(&[
            VersionInterval::half_open("1.0", "2.0"),
            VersionInterval::half_open("2.0", "3.0"),
        ]);
        assert_eq!(s.to_string(), "[1.0, 3.0)");
        let c = s.complement();
        assert_eq!(c.to_string(), "(, 1.0) ∪ [3.0, )");
        assert_eq!(c.complement().to_string(), "[1.0, 3.0)");
    }

    #[test]
    fn debian_scheme_is_chosen_for_debian_ecosystems() {
        assert_eq!(Scheme::for_ecosystem("Debian"), Scheme::Debian);
        assert_eq!(Scheme::for_ecosystem("Debian:12"), Scheme::Debian);
        assert_eq!(Scheme::for_ecosystem("Ubuntu:22.04"), Scheme::Debian);
        assert_eq!(Scheme::for_ecosystem("Maven"), Scheme::Maven);
        let fixed = VersionSet::from_intervals(
            Scheme::Debian,
            &[VersionInterval::half_open("0", "3.0.15-1~deb12u1")],
        );
        assert!(fixed.contains("3.0.11-1~deb12u2"));
        assert!(!fixed.contains("3.0.15-1~deb12u1"));
        assert!(!fixed.contains("3.0.17-1~deb12u2"));
        // Maven ordering would get this one wrong: `~` sorts before the end in dpkg.
        assert!(fixed.contains("3.0.15-1~deb12u1~pre1"));
    }

    #[test]
    fn complement_of_empty_and_all() {
        assert!(VersionSet::all(Scheme::Maven).complement().is_empty());
        assert_eq!(
            VersionSet::empty(Scheme::Maven).complement().to_string(),
            "(, )"
        );
    }

    proptest::proptest! {
        #[test]
        fn set_algebra_agrees_with_membership(
            a in proptest::collection::vec((0u8..20, 0u8..20, proptest::bool::ANY, proptest::bool::ANY), 0..4),
            b in proptest::collection::vec((0u8..20, 0u8..20, proptest::bool::ANY, proptest::bool::ANY), 0..4),
            probe in 0u8..22,
        ) {
            let mk = |v: &Vec<(u8, u8, bool, bool)>| {
                let ivs: Vec<VersionInterval> = v.iter().map(|(x, y, ix, iy)| VersionInterval {
                    min: Some(VersionBound { version: format!("1.{x}"), inclusive: *ix }),
                    max: Some(VersionBound { version: format!("1.{y}"), inclusive: *iy }),
                }).collect();
                (set(&ivs), ivs)
            };
            let (sa, ia) = mk(&a);
            let (sb, ib) = mk(&b);
            let p = format!("1.{probe}");
            let inside = |ivs: &[VersionInterval]| ivs.iter().any(|iv| {
                let lo = iv.min.as_ref().unwrap();
                let hi = iv.max.as_ref().unwrap();
                let c1 = compare_maven(&p, &lo.version);
                let c2 = compare_maven(&p, &hi.version);
                (c1 == Ordering::Greater || (c1 == Ordering::Equal && lo.inclusive))
                    && (c2 == Ordering::Less || (c2 == Ordering::Equal && hi.inclusive))
            });
            proptest::prop_assert_eq!(sa.contains(&p), inside(&ia));
            proptest::prop_assert_eq!(sa.intersect(&sb).contains(&p), inside(&ia) && inside(&ib));
            proptest::prop_assert_eq!(sa.union(&sb).contains(&p), inside(&ia) || inside(&ib));
            proptest::prop_assert_eq!(sa.complement().contains(&p), !inside(&ia));
        }
    }
}
