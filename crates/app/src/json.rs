//! The JSON document's bytes: `serde_json`'s pretty format (two spaces, `": "`), written
//! byte for byte the same, but cheaper.
//!
//! Written by hand (a `serde_json::ser::Formatter`, not a crate) because the cost is in
//! `serde_json`'s own `PrettyFormatter`: it writes a line's indentation with one
//! `write_all` per level, and a repeat scan's document (issue 15) has some 30,000 lines
//! five to nine levels deep. Here the line break and the whole indentation are one slice
//! of a fixed buffer. Everything else (numbers, escaping) is `serde_json`'s.

use std::io;

use serde::Serialize;

/// `",\n"` and then spaces: each line's start is a slice of it.
const LINE: &[u8; 2 + 2 * MAX_FAST_DEPTH] = &{
    let mut b = [b' '; 2 + 2 * MAX_FAST_DEPTH];
    b[0] = b',';
    b[1] = b'\n';
    b
};

/// Deepest level written with one slice (deeper levels, which the data model does not
/// have, are written a level at a time, as `serde_json` does).
const MAX_FAST_DEPTH: usize = 32;

/// `serde_json::ser::PrettyFormatter` with its default indentation of two spaces.
#[derive(Debug, Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A line break and the indentation of `depth`, after a comma when `comma`.
fn new_line<W: ?Sized + io::Write>(w: &mut W, comma: bool, depth: usize) -> io::Result<()> {
    let start = usize::from(!comma);
    if depth <= MAX_FAST_DEPTH {
        w.write_all(&LINE[start..2 + 2 * depth])
    } else {
        w.write_all(&LINE[start..2 + 2 * MAX_FAST_DEPTH])?;
        for _ in MAX_FAST_DEPTH..depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            new_line(w, false, self.depth)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        new_line(w, !first, self.depth)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            new_line(w, false, self.depth)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        new_line(w, !first, self.depth)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as pretty JSON with a final line break: the bytes of
/// `serde_json::to_string_pretty(value)` and `"\n"`, into a buffer reserved for `hint`
/// bytes.
///
/// # Errors
/// When `value` cannot be serialized (a map with keys that are not strings).
pub fn to_pretty_vec<T: Serialize + ?Sized>(
    value: &T,
    hint: usize,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(hint);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    value.serialize(&mut ser)?;
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_as_serde_json() {
        let deep = (0..40).fold(serde_json::json!([1, "x"]), |v, i| {
            serde_json::json!({ "level": i, "empty": {}, "none": [], "inner": v, "s": "a\"b\n\u{1}ü" })
        });
        for v in [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([[], {}, [1, [2, {"a": [3]}]]]),
            deep,
        ] {
            let mut want = serde_json::to_string_pretty(&v).expect("json");
            want.push('\n');
            assert_eq!(
                String::from_utf8(to_pretty_vec(&v, 0).expect("json")).expect("utf-8"),
                want
            );
        }
    }
}
