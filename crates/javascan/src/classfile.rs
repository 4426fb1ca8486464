//! Just enough of the Java class file format to fingerprint a class independently of the
//! package it was relocated to.
//!
//! Written by hand: the job is to walk the constant pool of possibly hostile input and
//! hash it with one substitution, which the class-file crates (built for full parsing and
//! writing) do not offer; the format needed here is small and fixed (JVMS §4.4).

use sha2::{Digest as _, Sha256};

/// A parsed constant pool, with offsets into the original bytes.
#[derive(Debug)]
pub struct ClassFile<'a> {
    bytes: &'a [u8],
    /// (tag, start, end) for each pool slot that holds an entry; `end` is exclusive.
    entries: Vec<(u8, usize, usize)>,
    /// Offset of the first byte after the constant pool (access flags).
    pool_end: usize,
    /// Index of the `this_class` entry.
    this_class: u16,
    /// Pool index → position in `entries` (0 = unused slot).
    slots: Vec<usize>,
}

/// Why a class file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassError {
    /// The file does not start with `0xCAFEBABE`.
    #[error("not a class file (bad magic)")]
    BadMagic,
    /// The file ends inside a structure.
    #[error("class file truncated at byte {0}")]
    Truncated(usize),
    /// An unknown constant pool tag.
    #[error("unknown constant pool tag {tag} at byte {at}")]
    BadTag {
        /// The tag.
        tag: u8,
        /// Where.
        at: usize,
    },
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, ClassError> {
    b.get(at..at + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or(ClassError::Truncated(at))
}

impl<'a> ClassFile<'a> {
    /// Parses the header and constant pool.
    ///
    /// # Errors
    /// When the bytes are not a class file or end early.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ClassError> {
        if bytes.get(0..4) != Some(&[0xCA, 0xFE, 0xBA, 0xBE][..]) {
            return Err(ClassError::BadMagic);
        }
        let count = usize::from(u16_at(bytes, 8)?);
        let mut entries = Vec::with_capacity(count);
        let mut slots = vec![0usize; count.max(1)];
        let mut pos = 10usize;
        let mut idx = 1usize;
        while idx < count {
            let tag = *bytes.get(pos).ok_or(ClassError::Truncated(pos))?;
            let body = pos + 1;
            let len = match tag {
                1 => 2 + usize::from(u16_at(bytes, body)?),
                3 | 4 | 9 | 10 | 11 | 12 | 17 | 18 => 4,
                5 | 6 => 8,
                7 | 8 | 16 | 19 | 20 => 2,
                15 => 3,
                _ => return Err(ClassError::BadTag { tag, at: pos }),
            };
            let end = body + len;
            if end > bytes.len() {
                return Err(ClassError::Truncated(end));
            }
            entries.push((tag, body, end));
            if let Some(s) = slots.get_mut(idx) {
                *s = entries.len();
            }
            pos = end;
            // Long and double take two slots (JVMS §4.4.5).
            idx += if matches!(tag, 5 | 6) { 2 } else { 1 };
        }
        let this_class = u16_at(bytes, pos + 2)?;
        Ok(Self {
            bytes,
            entries,
            pool_end: pos,
            this_class,
            slots,
        })
    }

    fn entry(&self, index: u16) -> Option<(u8, usize, usize)> {
        let pos = *self.slots.get(usize::from(index))?;
        if pos == 0 {
            return None;
        }
        self.entries.get(pos - 1).copied()
    }

    fn utf8(&self, index: u16) -> Option<&'a [u8]> {
        match self.entry(index)? {
            (1, start, end) => self.bytes.get(start + 2..end),
            _ => None,
        }
    }

    /// The class's own internal name (`org/apache/logging/log4j/core/lookup/JndiLookup`).
    #[must_use]
    pub fn this_class_name(&self) -> Option<&'a [u8]> {
        match self.entry(self.this_class)? {
            (7, start, _) => {
                let name_idx = u16_at(self.bytes, start).ok()?;
                self.utf8(name_idx)
            }
            _ => None,
        }
    }

    /// All UTF-8 constants.
    pub fn utf8_constants(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.entries
            .iter()
            .filter(|(tag, _, _)| *tag == 1)
            .filter_map(|(_, start, end)| self.bytes.get(start + 2..*end))
    }

    /// A fingerprint of the class that survives relocation: every UTF-8 constant has the
    /// `actual` package prefix (slash and dot forms) replaced by `canonical`, then the whole
    /// constant pool and the rest of the file are hashed. Returns 16 hex digits.
    #[must_use]
    pub fn fingerprint(&self, actual: &[u8], canonical: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(self.bytes.get(0..8).unwrap_or_default());
        let actual_dot: Vec<u8> = actual
            .iter()
            .map(|&b| if b == b'/' { b'.' } else { b })
            .collect();
        let canonical_dot: Vec<u8> = canonical
            .iter()
            .map(|&b| if b == b'/' { b'.' } else { b })
            .collect();
        let relocated = !actual.is_empty() && actual != canonical;
        for &(tag, start, end) in &self.entries {
            h.update([tag]);
            let body = self.bytes.get(start..end).unwrap_or_default();
            if tag == 1 {
                // UTF-8 constants are hashed as (length, normalised text) in every case, so
                // relocated and original classes hash alike.
                let s = body.get(2..).unwrap_or_default();
                let s = if relocated {
                    let s = replace_all(s, actual, canonical);
                    replace_all(&s, &actual_dot, &canonical_dot)
                } else {
                    s.to_vec()
                };
                h.update((s.len() as u64).to_le_bytes());
                h.update(&s);
            } else {
                h.update(body);
            }
        }
        h.update(self.bytes.get(self.pool_end..).unwrap_or_default());
        let d = h.finalize();
        d.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// The relocation-independent fingerprint of a class that stands for `canonical` (an
/// internal name such as `org/apache/logging/log4j/core/lookup/JndiLookup`). `fallback`
/// gives the (actual, canonical) prefixes to use when the class does not name itself.
#[must_use]
pub fn fingerprint_for(canonical: &str, bytes: &[u8], fallback: (&str, &str)) -> Option<String> {
    let cf = ClassFile::parse(bytes).ok()?;
    let (actual, canon) = match cf.this_class_name() {
        Some(name) => relocation(name, canonical.as_bytes()),
        None => (
            fallback.0.as_bytes().to_vec(),
            fallback.1.as_bytes().to_vec(),
        ),
    };
    Some(cf.fingerprint(&actual, &canon))
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from.is_empty() || hay.len() < from.len() {
        return hay.to_vec();
    }
    let mut out = Vec::with_capacity(hay.len());
    let mut last = 0;
    for pos in memchr::memmem::find_iter(hay, from) {
        if pos < last {
            continue;
        }
        out.extend_from_slice(&hay[last..pos]);
        out.extend_from_slice(to);
        last = pos + from.len();
    }
    out.extend_from_slice(&hay[last..]);
    out
}

/// The package prefix a class was relocated to, given its actual internal name and the
/// canonical one: the parts before their longest common `/`-separated suffix.
/// `clt/shaded/l/core/lookup/JndiLookup` vs `org/apache/logging/log4j/core/lookup/JndiLookup`
/// gives (`clt/shaded/l/`, `org/apache/logging/log4j/`).
#[must_use]
pub fn relocation(actual: &[u8], canonical: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let a: Vec<&[u8]> = actual.split(|&b| b == b'/').collect();
    let c: Vec<&[u8]> = canonical.split(|&b| b == b'/').collect();
    let mut common = 0;
    while common < a.len() && common < c.len() && a[a.len() - 1 - common] == c[c.len() - 1 - common]
    {
        common += 1;
    }
    let join = |parts: &[&[u8]]| {
        let mut v = Vec::new();
        for p in parts {
            v.extend_from_slice(p);
            v.push(b'/');
        }
        v
    };
    (join(&a[..a.len() - common]), join(&c[..c.len() - common]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal class: pool [Utf8 name, Class #1, Utf8 "java/lang/Object", Class #3,
    /// Utf8 marker], this = #2, super = #4.
    pub(crate) fn tiny_class(name: &str, marker: &str) -> Vec<u8> {
        let mut b = vec![0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52];
        b.extend_from_slice(&6u16.to_be_bytes());
        b.push(1);
        b.extend_from_slice(&u16::try_from(name.len()).unwrap().to_be_bytes());
        b.extend_from_slice(name.as_bytes());
        b.extend_from_slice(&[7, 0, 1]);
        b.push(1);
        b.extend_from_slice(&16u16.to_be_bytes());
        b.extend_from_slice(b"java/lang/Object");
        b.extend_from_slice(&[7, 0, 3]);
        b.push(1);
        b.extend_from_slice(&u16::try_from(marker.len()).unwrap().to_be_bytes());
        b.extend_from_slice(marker.as_bytes());
        b.extend_from_slice(&[0, 0x21, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn parses_this_class_and_constants() {
        let b = tiny_class("org/apache/logging/log4j/core/lookup/JndiLookup", "hello");
        let c = ClassFile::parse(&b).unwrap();
        assert_eq!(
            c.this_class_name().unwrap(),
            b"org/apache/logging/log4j/core/lookup/JndiLookup"
        );
        assert!(c.utf8_constants().any(|s| s == b"hello"));
    }

    #[test]
    fn fingerprint_survives_relocation() {
        let orig = tiny_class("org/apache/logging/log4j/core/lookup/JndiLookup", "x");
        let moved = tiny_class("clt/shaded/l/core/lookup/JndiLookup", "x");
        let other = tiny_class("clt/shaded/l/core/lookup/JndiLookup", "y");
        let a = ClassFile::parse(&orig).unwrap();
        let b = ClassFile::parse(&moved).unwrap();
        let o = ClassFile::parse(&other).unwrap();
        let (act, can) = relocation(b.this_class_name().unwrap(), a.this_class_name().unwrap());
        assert_eq!(act, b"clt/shaded/l/");
        assert_eq!(can, b"org/apache/logging/log4j/");
        assert_eq!(a.fingerprint(b"", b""), b.fingerprint(&act, &can));
        assert_ne!(a.fingerprint(b"", b""), o.fingerprint(&act, &can));
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        assert_eq!(ClassFile::parse(b"").unwrap_err(), ClassError::BadMagic);
        let mut b = tiny_class("a/B", "m");
        b.truncate(20);
        assert!(matches!(
            ClassFile::parse(&b),
            Err(ClassError::Truncated(_))
        ));
        let mut b = tiny_class("a/B", "m");
        b[10] = 99;
        assert!(matches!(
            ClassFile::parse(&b),
            Err(ClassError::BadTag { .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let mut b = vec![0xCA, 0xFE, 0xBA, 0xBE];
            b.extend_from_slice(&bytes);
            if let Ok(c) = ClassFile::parse(&b) {
                let _ = c.this_class_name();
                let _ = c.fingerprint(b"a/", b"b/");
            }
        }
    }
}
