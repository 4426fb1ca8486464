//! Extended tier: for every real log4j-core jar, a copy with its metadata stripped and its
//! packages relocated (entry paths and class constant pools rewritten, as a shading plugin
//! does) must get exactly the same findings as the original.

use std::collections::BTreeSet;
use std::io::Read as _;

use praxcheck_testsupport::jar::{JarBuilder, relocate_class};

use crate::common::{assess, scan};
use crate::fingerprints::reference_jars;

fn findings(path: &std::path::Path) -> BTreeSet<String> {
    assess(&scan(&[path.to_path_buf()]))
        .iter()
        .map(|f| format!("{}:{}", f.rule_id, f.status.as_str()))
        .collect()
}

fn strip_and_relocate(jar: &std::path::Path, to: &str) -> Vec<u8> {
    let f = std::fs::File::open(jar).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut b = JarBuilder::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        if e.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(e.name_raw()).into_owned();
        if name.starts_with("META-INF/maven/") || name == "META-INF/MANIFEST.MF" {
            continue;
        }
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        let (name, bytes) = match name.strip_prefix("org/apache/logging/log4j/") {
            Some(rest) if name.ends_with(".class") => (
                format!("{to}{rest}"),
                relocate_class(&bytes, "org/apache/logging/log4j/", to),
            ),
            Some(rest) => (format!("{to}{rest}"), bytes),
            None => (name, bytes),
        };
        b = b.add(&name, &bytes);
    }
    b.finish()
}

#[test]
fn stripped_and_relocated_copies_keep_every_verdict() {
    let Some(td) = praxcheck_testsupport::testdata("relocate::stripped_and_relocated") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut problems = Vec::new();
    for (jar, version) in reference_jars(&td) {
        let name = jar.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("log4j-core-") {
            continue;
        }
        let original = findings(&jar);
        for (i, prefix) in ["com/example/shaded/l4j/", "x/"].iter().enumerate() {
            let out = dir.path().join(format!("{version}-{i}/app-lib.jar"));
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            std::fs::write(&out, strip_and_relocate(&jar, prefix)).unwrap();
            let relocated = findings(&out);
            if relocated != original {
                problems.push(format!(
                    "{name} relocated to {prefix}: {relocated:?} != {original:?}"
                ));
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} reference jars");
    assert!(problems.is_empty(), "{problems:#?}");
}
