//! DEFLATED nested archives are read in one forward pass when their layout allows, and
//! through their central directory otherwise (issue 11 item 8): the answer is the same
//! either way, and local headers that disagree with the directory cannot hide an entry.

use praxcheck_testsupport::jar::{JarBuilder, Layout};

use crate::common::{assess, scan, summary, write};
use crate::synthetic::{Profile, core_classes};

const STD: &str = "org/apache/logging/log4j/";

fn inner(layout: Layout, zip64: bool) -> Vec<u8> {
    let mut b = JarBuilder::with_layout(layout)
        .add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .pom("org.apache.logging.log4j", "log4j-core", "2.14.1");
    if zip64 {
        b = b.zip64();
    }
    for (name, bytes) in core_classes(STD, Profile::Vulnerable214, true) {
        b = b.add(&name, &bytes);
    }
    b.add("org/example/Filler.class", &[0u8; 50_000]).finish()
}

/// The outer archive nests `inner` DEFLATED (or STORED), next to a plain entry.
fn outer(inner: &[u8], stored: bool) -> Vec<u8> {
    let b = JarBuilder::new().add("README.txt", b"hello");
    let b = if stored {
        b.add_stored("lib/log4j-core-2.14.1.jar", inner)
    } else {
        b.add("lib/log4j-core-2.14.1.jar", inner)
    };
    b.finish()
}

/// Components (as JSON, with the folder left out), findings and unreadable entries.
fn result(bytes: &[u8]) -> (String, Vec<String>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "app.jar", bytes);
    let out = scan(&[p]);
    // The id is derived from the location, which holds the temporary folder.
    let mut v = serde_json::to_value(&out.components).unwrap();
    for c in v.as_array_mut().unwrap() {
        c.as_object_mut().unwrap().remove("id");
    }
    let json = v.to_string().replace(&dir.path().display().to_string(), "");
    let findings = summary(&assess(&out), dir.path()).into_iter().collect();
    (json, findings, out.unreadable.len())
}

#[test]
fn a_deflated_nested_jar_reads_the_same_in_every_layout() {
    // STORED nesting reads the nested jar in place: the reference.
    let reference = result(&outer(&inner(Layout::Plain, false), true));
    assert!(
        reference
            .1
            .contains(&"app.jar!/lib/log4j-core-2.14.1.jar CVE-2021-44228:vulnerable".to_owned()),
        "{:?}",
        reference.1
    );
    assert_eq!(reference.2, 0);
    // A script prefix makes the forward pass give up: read through the directory.
    let mut prefixed = b"#!/bin/sh\nexec java -jar \"$0\"\n".to_vec();
    prefixed.extend_from_slice(&inner(Layout::Plain, false));
    for (what, nested) in [
        ("sizes in local headers", inner(Layout::Plain, false)),
        ("data descriptors", inner(Layout::DataDescriptors, false)),
        ("ZIP64", inner(Layout::Plain, true)),
        (
            "ZIP64 with data descriptors",
            inner(Layout::DataDescriptors, true),
        ),
    ] {
        assert_eq!(
            result(&outer(&nested, false)),
            reference,
            "{what}, nested DEFLATED"
        );
    }
    let p = result(&outer(&prefixed, false));
    assert_eq!((&p.1, p.2), (&reference.1, 0), "prefixed");
}

#[test]
fn local_headers_that_disagree_with_the_directory_hide_nothing() {
    let reference = result(&outer(&inner(Layout::DataDescriptors, false), true));
    for layout in [Layout::Plain, Layout::DataDescriptors] {
        // The local header calls JndiLookup something else; the JVM goes by the central
        // directory, which still names it: it is there, and the jar is vulnerable.
        let mut hidden = inner(layout, false);
        let name = b"lookup/JndiLookup.class";
        let at = hidden.windows(name.len()).position(|w| w == name).unwrap();
        assert!(
            hidden[at + name.len()..]
                .windows(name.len())
                .any(|w| w == name)
        );
        hidden[at + name.len() - 1] = b'z';
        let got = result(&outer(&hidden, false));
        assert_eq!((&got.1, got.2), (&reference.1, 0), "{layout:?}");
        assert!(got.0.contains("JndiLookup.class"), "{layout:?}");
    }
}
