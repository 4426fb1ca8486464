//! The classes the scanner looks for, and the byte markers that narrow a version down.
//!
//! A class is matched by the tail of its entry path (so relocated copies such as
//! `clt/shaded/l/core/lookup/JndiLookup.class` are found), requiring at least
//! `min_components` path components to agree with the canonical path; generic class names
//! need more context than unique ones. Extensions used by agents that hide classes
//! (`.esclazz`, `.classdata`) count as class files.
//!
//! Markers are facts about class content ("`JndiManager` contains `log4j2.enableJndi`")
//! with the set of versions in which that fact holds. The scanner intersects the sets of
//! all markers it can evaluate. Every marker is checked against every reference jar by the
//! extended test `fingerprints::markers_agree_with_reference_jars`.

use praxcheck_model::JavaProduct;

/// A class the scanner looks for.
#[derive(Debug, Clone, Copy)]
pub struct ClassSpec {
    /// The product it belongs to.
    pub product: JavaProduct,
    /// Canonical internal name (`org/apache/logging/log4j/core/lookup/JndiLookup`).
    pub canonical: &'static str,
    /// How many trailing path components (the file counts as one) must match.
    pub min_components: usize,
    /// Whether finding this class alone shows the product is present.
    pub identifies: bool,
    /// Whether its content is fingerprinted against reference builds.
    pub fingerprint: bool,
}

const fn spec(
    product: JavaProduct,
    canonical: &'static str,
    min_components: usize,
    identifies: bool,
    fingerprint: bool,
) -> ClassSpec {
    ClassSpec {
        product,
        canonical,
        min_components,
        identifies,
        fingerprint,
    }
}

use JavaProduct::{Log4j1, Log4jCore, LogbackClassic, LogbackCore};

/// Every class the scanner looks for: (product, canonical name, components that must
/// match, identifies the product, fingerprinted).
#[rustfmt::skip]
pub const SPECS: &[ClassSpec] = &[
    // Log4j 2 core.
    spec(Log4jCore, "org/apache/logging/log4j/core/lookup/JndiLookup", 2, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/JndiManager", 2, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/lookup/StrSubstitutor", 3, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/lookup/Interpolator", 3, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/LoggerContext", 3, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/pattern/MessagePatternConverter", 3, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/config/LoggerConfig", 3, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/appender/OutputStreamManager", 3, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/appender/rolling/RollingFileManager", 3, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/appender/db/jdbc/DataSourceConnectionSource", 2, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/server/TcpSocketServer", 3, true, false),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/server/UdpSocketServer", 3, true, false),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/server/ObjectInputStreamLogEventBridge", 3, true, false),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/SocketServer", 3, true, false),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/UDPSocketServer", 3, true, false),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/SmtpManager", 2, true, true),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/SMTPManager", 3, true, false),
    spec(Log4jCore, "org/apache/logging/log4j/core/net/SmtpManager$SMTPManagerFactory", 2, true, false),
    // Log4j 1.x (and reload4j, same packages).
    spec(Log4j1, "org/apache/log4j/DailyRollingFileAppender", 2, true, true),
    spec(Log4j1, "org/apache/log4j/Category", 2, false, true),
    spec(Log4j1, "org/apache/log4j/PatternLayout", 2, false, true),
    spec(Log4j1, "org/apache/log4j/net/JMSAppender", 2, true, false),
    spec(Log4j1, "org/apache/log4j/net/JMSSink", 2, true, false),
    spec(Log4j1, "org/apache/log4j/net/SocketServer", 3, true, false),
    spec(Log4j1, "org/apache/log4j/net/SimpleSocketServer", 3, true, false),
    spec(Log4j1, "org/apache/log4j/net/SMTPAppender", 3, true, false),
    spec(Log4j1, "org/apache/log4j/jdbc/JDBCAppender", 3, true, false),
    spec(Log4j1, "org/apache/log4j/chainsaw/LoggingReceiver", 2, true, false),
    // Backports of fixes by distributions and reload4j.
    spec(Log4j1, "org/apache/log4j/FilteredObjectInputStream", 2, false, false),
    spec(Log4j1, "org/apache/log4j/net/HardenedObjectInputStream", 2, false, false),
    spec(Log4j1, "org/apache/log4j/net/HardenedLoggingEventInputStream", 2, false, false),
    spec(Log4j1, "org/apache/log4j/jdbc/JdbcPatternParser", 2, false, false),
    // logback.
    spec(LogbackClassic, "ch/qos/logback/classic/LoggerContext", 3, true, false),
    spec(LogbackClassic, "ch/qos/logback/classic/net/SimpleSocketServer", 3, true, false),
    spec(LogbackCore, "ch/qos/logback/core/CoreConstants", 3, true, false),
    spec(LogbackCore, "ch/qos/logback/core/util/JNDIUtil", 3, true, false),
];

/// File extensions that hold class files.
pub const CLASS_EXTENSIONS: &[&str] = &["class", "esclazz", "classdata"];

/// The canonical dotted name of a spec (`org.apache.logging.log4j.core.lookup.JndiLookup`).
#[must_use]
pub fn dotted(canonical: &str) -> String {
    canonical.replace('/', ".")
}

/// Splits an entry path into its stem (without a class extension) when it is a class file.
#[must_use]
pub fn class_stem(path: &[u8]) -> Option<&[u8]> {
    for ext in CLASS_EXTENSIONS {
        let e = ext.as_bytes();
        if path.len() > e.len() + 1
            && path[path.len() - e.len() - 1] == b'.'
            && path[path.len() - e.len()..].eq_ignore_ascii_case(e)
        {
            return Some(&path[..path.len() - e.len() - 1]);
        }
    }
    None
}

/// A match of an entry path against a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecMatch {
    /// Index into [`SPECS`].
    pub spec: usize,
    /// Matched components.
    pub components: usize,
    /// The entry path's prefix before the matched tail (the relocated package root).
    pub actual_prefix: String,
    /// The canonical path's prefix before the matched tail.
    pub canonical_prefix: String,
}

/// Spec indices by class simple name, so that the millions of entries of a large scan
/// cost one hash lookup each.
fn by_basename() -> &'static std::collections::HashMap<&'static [u8], Vec<usize>> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<&'static [u8], Vec<usize>>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut m: std::collections::HashMap<&'static [u8], Vec<usize>> =
            std::collections::HashMap::new();
        for (i, s) in SPECS.iter().enumerate() {
            let b = s.canonical.as_bytes();
            let last = b.rsplit(|&c| c == b'/').next().unwrap_or(b);
            m.entry(last).or_default().push(i);
        }
        m
    })
}

/// A bit per length (< 64) of the notable classes' simple names.
fn basename_lengths() -> u64 {
    static MASK: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *MASK.get_or_init(|| {
        by_basename()
            .keys()
            .filter(|k| k.len() < 64)
            .fold(0u64, |m, k| m | (1u64 << k.len()))
    })
}

/// Finds the spec an entry path matches best (the longest tail match), if any.
#[must_use]
pub fn match_entry(path: &[u8]) -> Option<SpecMatch> {
    let stem = class_stem(path)?;
    let last = stem.rsplit(|&b| b == b'/').next()?;
    // Most entries are classes of other libraries: reject by name length before hashing.
    if last.len() >= 64 || basename_lengths() & (1u64 << last.len()) == 0 {
        return None;
    }
    let candidates = by_basename().get(last)?;
    let mut best: Option<SpecMatch> = None;
    for &i in candidates {
        let s = &SPECS[i];
        let canon = s.canonical.as_bytes();
        let a: Vec<&[u8]> = stem.split(|&b| b == b'/').collect();
        let c: Vec<&[u8]> = canon.split(|&b| b == b'/').collect();
        let mut n = 0;
        while n < a.len() && n < c.len() && a[a.len() - 1 - n] == c[c.len() - 1 - n] {
            n += 1;
        }
        if n < s.min_components {
            continue;
        }
        if best.as_ref().is_some_and(|b| b.components >= n) {
            continue;
        }
        let join = |parts: &[&[u8]]| {
            let mut v = String::new();
            for p in parts {
                v.push_str(&String::from_utf8_lossy(p));
                v.push('/');
            }
            v
        };
        best = Some(SpecMatch {
            spec: i,
            components: n,
            actual_prefix: join(&a[..a.len() - n]),
            canonical_prefix: join(&c[..c.len() - n]),
        });
    }
    best
}

/// A set of versions given as half-open intervals `[lo, hi)`; `None` is unbounded.
pub type Ranges = &'static [(Option<&'static str>, Option<&'static str>)];

/// A fact about class content, and the versions in which it holds.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    /// Short id used in evidence (`jndimanager-enablejndi`).
    pub id: &'static str,
    /// Canonical class the marker looks at.
    pub class: &'static str,
    /// Bytes that must occur in the class; `None` tests presence of the class itself.
    pub needle: Option<&'static [u8]>,
    /// Versions where the class contains the needle (or, without a needle, exists).
    pub present: Ranges,
    /// Versions where the class exists without the needle; `None` when absence says
    /// nothing (presence markers, or needles whose absence is not reliable).
    pub absent: Option<Ranges>,
    /// For presence markers: versions where the class does not exist at all although
    /// other classes of the product do. Evaluated after every other marker and ignored
    /// when it contradicts them (a class removed as a mitigation must not mislead).
    pub missing: Option<Ranges>,
}

const JNDI_ENABLE: Ranges = &[
    (Some("2.3.1"), Some("2.4")),
    (Some("2.12.2"), Some("2.13")),
    (Some("2.16.0"), None),
];
const JNDI_ENABLE_NOT: Ranges = &[
    (None, Some("2.3.1")),
    (Some("2.4"), Some("2.12.2")),
    (Some("2.13"), Some("2.16.0")),
];
const LOOKUP_ENABLE: Ranges = &[
    (Some("2.3.1"), Some("2.4")),
    (Some("2.12.3"), Some("2.13")),
    (Some("2.17.0"), None),
];
const LOOKUP_ENABLE_NOT: Ranges = &[
    (None, Some("2.3.1")),
    (Some("2.4"), Some("2.12.3")),
    (Some("2.13"), Some("2.17.0")),
];
const JDBC_ENABLE: Ranges = &[
    (Some("2.3.2"), Some("2.4")),
    (Some("2.12.4"), Some("2.13")),
    (Some("2.17.1"), None),
];
const JDBC_ENABLE_NOT: Ranges = &[
    (None, Some("2.3.2")),
    (Some("2.4"), Some("2.12.4")),
    (Some("2.13"), Some("2.17.1")),
];
const INVALID_URI: Ranges = &[
    (Some("2.3.2"), Some("2.4")),
    (Some("2.12.4"), Some("2.13")),
    (Some("2.15.0"), Some("2.17.0")),
    (Some("2.17.1"), None),
];
const INVALID_URI_NOT: Ranges = &[
    (None, Some("2.3.2")),
    (Some("2.4"), Some("2.12.4")),
    (Some("2.13"), Some("2.15.0")),
    (Some("2.17.0"), Some("2.17.1")),
];
const SMTP_VERIFY: Ranges = &[
    (Some("2.3.2"), Some("2.4")),
    (Some("2.12.3"), Some("2.13")),
    (Some("2.13.2"), None),
];
const SMTP_VERIFY_NOT: Ranges = &[
    (None, Some("2.3.2")),
    (Some("2.4"), Some("2.12.3")),
    (Some("2.13"), Some("2.13.2")),
];

/// Markers for Log4j 2 core. Sources: the class contents of the reference jars in
/// `../shared/testdata/jars` and Apache's release notes for where each fix landed
/// (2.15.0, 2.16.0/2.12.2/2.3.1, 2.17.0/2.12.3/2.3.1, 2.17.1/2.12.4/2.3.2, 2.13.2/2.12.3).
pub const LOG4J_CORE_MARKERS: &[Marker] = &[
    Marker {
        id: "jndilookup-present",
        class: "org/apache/logging/log4j/core/lookup/JndiLookup",
        needle: None,
        present: &[(Some("2.0-beta9"), None)],
        absent: None,
        missing: None,
    },
    Marker {
        id: "jndilookup-initialcontext",
        class: "org/apache/logging/log4j/core/lookup/JndiLookup",
        needle: Some(b"javax/naming/InitialContext"),
        present: &[(None, Some("2.1"))],
        absent: Some(&[(Some("2.1"), None)]),
        missing: None,
    },
    Marker {
        id: "jndimanager-present",
        class: "org/apache/logging/log4j/core/net/JndiManager",
        needle: None,
        present: &[(Some("2.1"), None)],
        absent: None,
        missing: None,
    },
    Marker {
        id: "jndimanager-enablejndi",
        class: "org/apache/logging/log4j/core/net/JndiManager",
        needle: Some(b"log4j2.enableJndi"),
        present: JNDI_ENABLE,
        absent: Some(JNDI_ENABLE_NOT),
        missing: None,
    },
    Marker {
        id: "jndimanager-invalid-uri",
        class: "org/apache/logging/log4j/core/net/JndiManager",
        needle: Some(b"Invalid JNDI URI - {}"),
        present: INVALID_URI,
        absent: Some(INVALID_URI_NOT),
        missing: None,
    },
    Marker {
        id: "jndilookup-enablejndilookup",
        class: "org/apache/logging/log4j/core/lookup/JndiLookup",
        needle: Some(b"log4j2.enableJndiLookup"),
        present: LOOKUP_ENABLE,
        absent: Some(LOOKUP_ENABLE_NOT),
        missing: None,
    },
    Marker {
        id: "datasource-enablejndijdbc",
        class: "org/apache/logging/log4j/core/appender/db/jdbc/DataSourceConnectionSource",
        needle: Some(b"log4j2.enableJndiJdbc"),
        present: JDBC_ENABLE,
        absent: Some(JDBC_ENABLE_NOT),
        missing: None,
    },
    Marker {
        id: "smtp-verifyhostname",
        class: "org/apache/logging/log4j/core/net/SmtpManager$SMTPManagerFactory",
        needle: Some(b"isVerifyHostName"),
        present: SMTP_VERIFY,
        absent: Some(SMTP_VERIFY_NOT),
        missing: None,
    },
    Marker {
        id: "datasource-present",
        class: "org/apache/logging/log4j/core/appender/db/jdbc/DataSourceConnectionSource",
        needle: None,
        present: &[(Some("2.0-beta7"), None)],
        absent: None,
        missing: Some(&[(None, Some("2.0-beta7"))]),
    },
    Marker {
        id: "tcpsocketserver-present",
        class: "org/apache/logging/log4j/core/net/server/TcpSocketServer",
        needle: None,
        present: &[(Some("2.1"), Some("2.9.1"))],
        absent: None,
        missing: None,
    },
    Marker {
        id: "objectinputstream-filtered",
        class: "org/apache/logging/log4j/core/net/server/ObjectInputStreamLogEventBridge",
        needle: Some(b"FilteredObjectInputStream"),
        present: &[(Some("2.8.2"), None)],
        absent: Some(&[(None, Some("2.8.2"))]),
        missing: None,
    },
    Marker {
        id: "socketserver-beta",
        class: "org/apache/logging/log4j/core/net/SocketServer",
        needle: None,
        present: &[(None, Some("2.1"))],
        absent: None,
        missing: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relocated_and_flattened_paths_match() {
        let m = match_entry(b"clt/shaded/l/core/lookup/JndiLookup.class").unwrap();
        assert_eq!(
            SPECS[m.spec].canonical,
            "org/apache/logging/log4j/core/lookup/JndiLookup"
        );
        assert_eq!(m.actual_prefix, "clt/shaded/l/");
        assert_eq!(m.canonical_prefix, "org/apache/logging/log4j/");
        let m = match_entry(b"lookup/JndiLookup.class").unwrap();
        assert_eq!(m.actual_prefix, "");
        assert_eq!(m.canonical_prefix, "org/apache/logging/log4j/core/");
        let m =
            match_entry(b"agent/org/apache/logging/log4j/core/lookup/JndiLookup.esclazz").unwrap();
        assert_eq!(m.actual_prefix, "agent/");
        assert_eq!(m.canonical_prefix, "");
    }

    #[test]
    fn generic_names_need_context() {
        assert!(match_entry(b"JndiLookup.class").is_none());
        assert!(
            match_entry(b"org/apache/logging/log4j/core/lookup/JndiLookupOther.class").is_none()
        );
        assert!(match_entry(b"com/example/LoggerContext.class").is_none());
        // log4j 1.x SocketServer is not log4j 2's.
        let m = match_entry(b"org/apache/log4j/net/SocketServer.class").unwrap();
        assert_eq!(SPECS[m.spec].product, JavaProduct::Log4j1);
        let m = match_entry(b"org/apache/logging/log4j/core/net/SocketServer.class").unwrap();
        assert_eq!(SPECS[m.spec].product, JavaProduct::Log4jCore);
    }

    #[test]
    fn every_marker_class_is_a_spec() {
        for m in LOG4J_CORE_MARKERS {
            assert!(SPECS.iter().any(|s| s.canonical == m.class), "{}", m.id);
        }
    }
}
