//! Limits never hide a vulnerable jar as clean (issue 11): a notable class above the size
//! limit proves its presence, never its absence, and the scan says the entry was not read.

use praxcheck_testsupport::jar::{JarBuilder, class_file};

use crate::common::{assess, scan, summary, write};
use crate::synthetic::{Profile, core_classes};

#[test]
fn an_oversize_jndilookup_class_is_present_not_mitigated() {
    let dir = tempfile::tempdir().unwrap();
    // A valid JndiLookup.class of more than 5 MiB: 90 string constants of 60,000 bytes each
    // (the JVM loads a class of any size).
    let big: Vec<String> = (0..90)
        .map(|i| format!("{i:02}{}", "x".repeat(60_000)))
        .collect();
    let mut strings: Vec<&str> = vec!["Error looking up JNDI resource [{}]."];
    strings.extend(big.iter().map(String::as_str));
    let name = "org/apache/logging/log4j/core/lookup/JndiLookup";
    let class = class_file(name, &strings);
    assert!(class.len() > 5 << 20);
    let mut b = JarBuilder::new()
        .add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .pom("org.apache.logging.log4j", "log4j-core", "2.14.1");
    for (n, bytes) in core_classes("org/apache/logging/log4j/", Profile::Vulnerable214, false) {
        b = b.add(&n, &bytes);
    }
    b = b.add(&format!("{name}.class"), &class);
    let p = write(dir.path(), "a.jar", &b.finish());
    let out = scan(&[p]);
    let s = summary(&assess(&out), dir.path());
    assert!(s.contains("a.jar CVE-2021-44228:vulnerable"), "{s:?}");
    assert!(!s.iter().any(|f| f.ends_with(":mitigated")), "{s:?}");
    // The entry that was not read is named: the result says it is incomplete.
    assert!(
        out.unreadable
            .iter()
            .any(|u| u.location.display.ends_with("JndiLookup.class")),
        "{:?}",
        out.unreadable
    );
}
