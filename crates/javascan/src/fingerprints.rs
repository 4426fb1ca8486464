//! Class fingerprints of reference builds, generated from real release jars.
//!
//! `data/fingerprints.json` maps, per canonical class, a relocation-independent fingerprint
//! (see [`crate::classfile::ClassFile::fingerprint`]) to the versions whose class has exactly
//! that content. It is generated from the real jars in `../shared/testdata/jars` (not the
//! logpresso stubs) by the extended test `fingerprints::table_is_current`:
//!
//! ```text
//! PRAXCHECK_UPDATE_FINGERPRINTS=1 cargo test -p praxcheck-javascan --test it fingerprints::table_is_current
//! ```
//!
//! Without the variable the test fails when the committed table differs from what the
//! reference jars give.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const TABLE: &str = include_str!("../data/fingerprints.json");

/// The table as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// How the table was made.
    pub generated_by: String,
    /// The reference jars, as `file name → version`.
    pub sources: BTreeMap<String, String>,
    /// canonical class → fingerprint → versions.
    pub classes: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// The embedded table.
pub fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    // The embedded table is checked by the crate's tests; a broken one degrades to an
    // empty table (versions then come from markers and metadata only).
    T.get_or_init(|| serde_json::from_str(TABLE).unwrap_or_default())
}

/// The versions whose build of `canonical` has this fingerprint.
#[must_use]
pub fn lookup(canonical: &str, fingerprint: &str) -> Option<&'static [String]> {
    table()
        .classes
        .get(canonical)
        .and_then(|m| m.get(fingerprint))
        .map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_table_parses() {
        let t: super::Table = serde_json::from_str(super::TABLE).unwrap();
        assert!(!t.generated_by.is_empty());
    }
}
