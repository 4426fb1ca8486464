//! Maven version ordering, following Maven 3's `ComparableVersion`.
//!
//! Written here because no maintained crate implements Maven's exact rules (qualifier ranks,
//! `-` starting a sub-list, digit/letter transitions, trailing-zero normalisation); OSV's
//! Maven ranges are defined by this ordering.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
enum Item {
    /// Digits without leading zeros ("" for zero).
    Int(String),
    /// A qualifier, already mapped to its comparable form.
    Str(String),
    List(Vec<Item>),
}

const RELEASE_RANK: &str = "5";

fn comparable_qualifier(q: &str) -> String {
    let rank = match q {
        "alpha" => "0",
        "beta" => "1",
        "milestone" => "2",
        "rc" => "3",
        "snapshot" => "4",
        "" => "5",
        "sp" => "6",
        other => return format!("7-{other}"),
    };
    rank.to_owned()
}

fn string_item(value: &str, followed_by_digit: bool) -> Item {
    let v = if followed_by_digit && value.len() == 1 {
        match value {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            other => other,
        }
    } else {
        value
    };
    let v = match v {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Str(comparable_qualifier(v))
}

fn int_item(digits: &str) -> Item {
    Item::Int(digits.trim_start_matches('0').to_owned())
}

fn parse_item(is_digit: bool, s: &str, followed_by_digit: bool) -> Item {
    if is_digit {
        int_item(s)
    } else {
        string_item(s, followed_by_digit)
    }
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(d) => d.is_empty(),
        Item::Str(q) => q == RELEASE_RANK,
        Item::List(l) => l.is_empty(),
    }
}

/// Maven's `ListItem.normalize`: walking backwards, null items (0, release qualifier,
/// empty list) are removed; a non-null list is stepped over, any other item stops the walk.
/// So `1.0-1` becomes `[1, [1]]`, equal to `1-1`.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// Longest version text that is parsed; the rest is ignored. Real versions are far
/// shorter. The bound keeps the nesting (one level per `-` or digit/letter transition)
/// shallow, because comparing and dropping the nested lists recurses: a hostile stored
/// document with a 600 KB version must not overflow the stack.
pub const MAX_VERSION_CHARS: usize = 256;

/// Parses into a nested list. The stack holds the open lists; each `-` or digit/letter
/// transition opens a child list of the current one.
fn parse(version: &str) -> Item {
    let v = version.trim().to_ascii_lowercase();
    let chars: Vec<char> = v.chars().take(MAX_VERSION_CHARS).collect();
    // Lists are built as a stack of vectors; closing a list appends it to its parent.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0usize;
    let sub = |a: usize, b: usize| chars[a..b].iter().collect::<String>();

    for (i, &c) in chars.iter().enumerate() {
        if c == '.' {
            let item = if i == start {
                Item::Int(String::new())
            } else {
                parse_item(is_digit, &sub(start, i), false)
            };
            if let Some(top) = stack.last_mut() {
                top.push(item);
            }
            start = i + 1;
        } else if c == '-' {
            let item = if i == start {
                Item::Int(String::new())
            } else {
                parse_item(is_digit, &sub(start, i), false)
            };
            if let Some(top) = stack.last_mut() {
                top.push(item);
            }
            start = i + 1;
            stack.push(Vec::new());
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                let item = string_item(&sub(start, i), true);
                if let Some(top) = stack.last_mut() {
                    top.push(item);
                }
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                let item = parse_item(true, &sub(start, i), false);
                if let Some(top) = stack.last_mut() {
                    top.push(item);
                }
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if chars.len() > start {
        let item = parse_item(is_digit, &sub(start, chars.len()), false);
        if let Some(top) = stack.last_mut() {
            top.push(item);
        }
    }
    // Close the open lists from the innermost outwards, normalising each.
    while stack.len() > 1 {
        let mut inner = stack.pop().unwrap_or_default();
        normalize(&mut inner);
        if let Some(parent) = stack.last_mut() {
            parent.push(Item::List(inner));
        }
    }
    let mut root = stack.pop().unwrap_or_default();
    normalize(&mut root);
    Item::List(root)
}

fn cmp_digits(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Compares `item` with "nothing" (a missing item at the same position).
fn cmp_null(item: &Item) -> Ordering {
    match item {
        Item::Int(d) => {
            if d.is_empty() {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Str(q) => q.as_str().cmp(RELEASE_RANK),
        Item::List(l) => l.first().map_or(Ordering::Equal, cmp_null),
    }
}

fn cmp_item(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Int(x), Item::Int(y)) => cmp_digits(x, y),
        (Item::Int(_), Item::Str(_) | Item::List(_)) => Ordering::Greater,
        (Item::Str(_), Item::Int(_)) => Ordering::Less,
        (Item::Str(x), Item::Str(y)) => x.cmp(y),
        (Item::Str(_), Item::List(_)) => Ordering::Less,
        (Item::List(_), Item::Int(_)) => Ordering::Less,
        (Item::List(_), Item::Str(_)) => Ordering::Greater,
        (Item::List(x), Item::List(y)) => {
            let n = x.len().max(y.len());
            for i in 0..n {
                let r = match (x.get(i), y.get(i)) {
                    (None, None) => Ordering::Equal,
                    (None, Some(r)) => cmp_null(r).reverse(),
                    (Some(l), None) => cmp_null(l),
                    (Some(l), Some(r)) => cmp_item(l, r),
                };
                if r != Ordering::Equal {
                    return r;
                }
            }
            Ordering::Equal
        }
    }
}

/// Compares two Maven versions.
#[must_use]
pub fn compare_maven(a: &str, b: &str) -> Ordering {
    cmp_item(&parse(a), &parse(b))
}

/// A Maven version parsed once, for code that compares the same versions many times (the
/// advisory matcher compares every inventory component with the same range bounds).
/// Orders exactly like [`compare_maven`].
#[derive(Debug, Clone)]
pub struct MavenKey(Item);

impl MavenKey {
    /// Parses a version.
    #[must_use]
    pub fn new(version: &str) -> Self {
        Self(parse(version))
    }
}

impl PartialEq for MavenKey {
    fn eq(&self, other: &Self) -> bool {
        cmp_item(&self.0, &other.0) == Ordering::Equal
    }
}

impl Eq for MavenKey {}

impl PartialOrd for MavenKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MavenKey {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_item(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::compare_maven;

    #[test]
    fn hostile_long_versions_compare_without_exhausting_the_stack() {
        let deep = "1-".repeat(300_000);
        let other = format!("{}2", "1-".repeat(300_000));
        let _ = compare_maven(&deep, &other);
        let k = super::MavenKey::new(&deep);
        assert_eq!(k, super::MavenKey::new(&deep));
        assert_eq!(
            compare_maven(&"a1".repeat(200_000), "2.17.1"),
            std::cmp::Ordering::Less
        );
    }
    use std::cmp::Ordering::{Equal, Greater, Less};

    #[test]
    fn parsed_keys_order_like_compare_maven() {
        use super::MavenKey;
        let vs = [
            "1",
            "1.0",
            "1.0.0",
            "2.0-beta9",
            "2.0-rc1",
            "2.0",
            "2.14.1",
            "2.15.0",
            "10",
        ];
        for a in vs {
            for b in vs {
                assert_eq!(
                    MavenKey::new(a).cmp(&MavenKey::new(b)),
                    compare_maven(a, b),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn maven_ordering_matches_comparable_version() {
        // Sequences from Maven's ComparableVersionTest (each strictly increasing).
        let seq = [
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ];
        for w in seq.windows(2) {
            assert_eq!(compare_maven(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare_maven(w[1], w[0]), Greater, "{} > {}", w[1], w[0]);
        }
    }

    #[test]
    fn equalities() {
        for (a, b) in [
            ("1", "1.0"),
            ("1", "1.0.0"),
            ("1.0", "1.0.0"),
            ("1-final", "1"),
            ("1-ga", "1"),
            ("1a1", "1-alpha-1"),
            ("1b2", "1-beta-2"),
            ("1.0RC1", "1.0-rc1"),
            ("1.0-cr1", "1.0-rc1"),
            ("1.0-1", "1-1"),
            ("2.0-beta9", "2-beta9"),
        ] {
            assert_eq!(compare_maven(a, b), Equal, "{a} == {b}");
        }
    }

    #[test]
    fn log4j_versions() {
        let seq = [
            "2.0-alpha1",
            "2.0-beta2",
            "2.0-beta9",
            "2.0-rc1",
            "2.0-rc2",
            "2.0",
            "2.0.1",
            "2.0.2",
            "2.1",
            "2.3",
            "2.3.1",
            "2.3.2",
            "2.4",
            "2.9.1",
            "2.10.0",
            "2.12.1",
            "2.12.2",
            "2.12.4",
            "2.13.0",
            "2.15.0",
            "2.16.0",
            "2.17.0",
            "2.17.1",
            "2.17.2",
            "2.24.3",
        ];
        for w in seq.windows(2) {
            assert_eq!(compare_maven(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        assert_eq!(compare_maven("1.2.17", "1.2.18.0"), Less);
        assert_eq!(compare_maven("1.2.18.0", "1.2.18.5"), Less);
        assert_eq!(compare_maven("1.2.7", "1.2.13"), Less);
        assert_eq!(compare_maven("1.3.14", "1.3.15"), Less);
    }
}
