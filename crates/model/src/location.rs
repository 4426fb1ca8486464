//! Where a thing was found: a file on disk, then each nested archive entry.

use base64::Engine as _;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Separator used in the display form of a nested location (`outer.ear!/lib/inner.jar`).
pub const NESTING_SEPARATOR: &str = "!/";

/// One step of a location chain.
///
/// Names that are valid UTF-8 serialize as a plain string. Names that are not (old zip
/// tools write CP437 or Latin-1, Linux paths are arbitrary bytes) keep their raw bytes in
/// base64 next to a lossy display form, so that a fix can find the exact entry again.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(untagged)]
pub enum PathSegment {
    /// A name that is valid UTF-8.
    Text(String),
    /// A name that is not valid UTF-8.
    Raw {
        /// Lossy UTF-8 rendering for display (invalid bytes become U+FFFD).
        lossy: String,
        /// The exact bytes, base64 (standard alphabet, padded).
        base64: String,
    },
}

impl PathSegment {
    /// Builds a segment from raw bytes, keeping them when they are not UTF-8.
    #[must_use]
    pub fn from_bytes(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(s) => PathSegment::Text(s.to_owned()),
            Err(_) => PathSegment::Raw {
                lossy: String::from_utf8_lossy(bytes).into_owned(),
                base64: base64::engine::general_purpose::STANDARD.encode(bytes),
            },
        }
    }

    /// Builds a segment from a filesystem path (raw bytes kept on Unix when not UTF-8).
    #[must_use]
    pub fn from_path(path: &std::path::Path) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt as _;
            Self::from_bytes(path.as_os_str().as_bytes())
        }
        #[cfg(not(unix))]
        {
            match path.to_str() {
                Some(s) => PathSegment::Text(s.to_owned()),
                None => PathSegment::Raw {
                    lossy: path.to_string_lossy().into_owned(),
                    base64: base64::engine::general_purpose::STANDARD
                        .encode(path.to_string_lossy().as_bytes()),
                },
            }
        }
    }

    /// The display form (lossy for non-UTF-8 names).
    #[must_use]
    pub fn display(&self) -> &str {
        match self {
            PathSegment::Text(s) => s,
            PathSegment::Raw { lossy, .. } => lossy,
        }
    }

    /// The exact bytes of the name.
    #[must_use]
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            PathSegment::Text(s) => s.as_bytes().to_vec(),
            PathSegment::Raw { base64, lossy } => base64::engine::general_purpose::STANDARD
                .decode(base64)
                .unwrap_or_else(|_| lossy.as_bytes().to_vec()),
        }
    }
}

/// A location: the file on disk first, then each nested archive entry.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Location {
    /// Outer file (absolute path) followed by each nested entry name.
    pub chain: Vec<PathSegment>,
    /// The chain joined with `!/`, for people and for sorting.
    pub display: String,
}

impl Location {
    /// A location from its chain; the display string is derived.
    #[must_use]
    pub fn new(chain: Vec<PathSegment>) -> Self {
        let display = chain
            .iter()
            .map(PathSegment::display)
            .collect::<Vec<_>>()
            .join(NESTING_SEPARATOR);
        Self { chain, display }
    }

    /// A location for a file on disk.
    #[must_use]
    pub fn file(path: &std::path::Path) -> Self {
        Self::new(vec![PathSegment::from_path(path)])
    }

    /// This location extended by one nested entry.
    #[must_use]
    pub fn child(&self, entry: PathSegment) -> Self {
        let mut chain = self.chain.clone();
        chain.push(entry);
        Self::new(chain)
    }

    /// How many archive levels deep this location is (0 = a file on disk).
    #[must_use]
    pub fn depth(&self) -> usize {
        self.chain.len().saturating_sub(1)
    }

    /// The outermost file on disk, for display.
    #[must_use]
    pub fn outer_file(&self) -> &str {
        self.chain.first().map_or("", PathSegment::display)
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_joins_with_bang_slash() {
        let loc = Location::new(vec![
            PathSegment::Text("/srv/a.ear".into()),
            PathSegment::Text("lib/b.war".into()),
            PathSegment::Text("WEB-INF/lib/c.jar".into()),
        ]);
        assert_eq!(loc.display, "/srv/a.ear!/lib/b.war!/WEB-INF/lib/c.jar");
        assert_eq!(loc.depth(), 2);
        assert_eq!(loc.outer_file(), "/srv/a.ear");
    }

    #[test]
    fn non_utf8_names_keep_their_bytes() {
        let raw = b"lib/M\xfcller.jar";
        let seg = PathSegment::from_bytes(raw);
        assert!(matches!(seg, PathSegment::Raw { .. }));
        assert_eq!(seg.bytes(), raw.to_vec());
        assert_eq!(seg.display(), "lib/M\u{fffd}ller.jar");
        let json = serde_json::to_string(&seg).unwrap();
        let back: PathSegment = serde_json::from_str(&json).unwrap();
        assert_eq!(back, seg);
    }

    #[test]
    fn utf8_names_serialize_as_plain_strings() {
        let seg = PathSegment::from_bytes("lib/Müller.jar".as_bytes());
        assert_eq!(serde_json::to_string(&seg).unwrap(), "\"lib/Müller.jar\"");
    }
}
