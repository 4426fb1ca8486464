//! Core tier: archives built in the test — nesting, ZIP64, data descriptors, relocated and
//! stripped copies, exploded folders, script prefixes — judged end to end.

use std::collections::BTreeSet;

use praxcheck_model::{ComponentKind, JavaProduct, Placement, Status};
use praxcheck_testsupport::jar::{JarBuilder, Layout, class_file};

use crate::common::{assess, scan, summary, write};

/// Class-content profiles that mimic what real releases contain (see `specs.rs`).
#[derive(Clone, Copy)]
pub enum Profile {
    /// Like 2.13.2–2.14.1: JNDI lookups enabled, fixed SMTP host check.
    Vulnerable214,
    /// Like 2.16.0: JNDI disabled by default, JDBC data source not yet restricted.
    Fixed216,
    /// Like 2.17.1: everything fixed.
    Fixed2171,
}

/// Log4j 2 core classes under `prefix` (e.g. `org/apache/logging/log4j/` or a relocated
/// package), as (entry path, class bytes).
pub fn core_classes(prefix: &str, p: Profile, with_jndi_lookup: bool) -> Vec<(String, Vec<u8>)> {
    let (jl, jm, ds): (Vec<&str>, Vec<&str>, Vec<&str>) = match p {
        Profile::Vulnerable214 => (vec!["Error looking up JNDI resource [{}]."], vec![], vec![]),
        Profile::Fixed216 => (
            vec!["Error looking up JNDI resource [{}]."],
            vec!["log4j2.enableJndi", "Invalid JNDI URI - {}"],
            vec![],
        ),
        Profile::Fixed2171 => (
            vec!["JNDI must be enabled by setting log4j2.enableJndiLookup=true"],
            vec![
                "log4j2.enableJndi",
                "Invalid JNDI URI - {}",
                "Unsupported JNDI URI - {}",
            ],
            vec!["JNDI must be enabled by setting log4j2.enableJndiJdbc=true"],
        ),
    };
    let mut v = Vec::new();
    let mut add = |rel: &str, strings: &[&str]| {
        let name = format!("{prefix}{rel}");
        v.push((format!("{name}.class"), class_file(&name, strings)));
    };
    if with_jndi_lookup {
        add("core/lookup/JndiLookup", &jl);
    }
    add("core/net/JndiManager", &jm);
    add("core/lookup/StrSubstitutor", &[]);
    add("core/appender/db/jdbc/DataSourceConnectionSource", &ds);
    add(
        "core/net/SmtpManager$SMTPManagerFactory",
        &["isVerifyHostName"],
    );
    add("core/LoggerContext", &[]);
    v
}

pub fn core_jar(prefix: &str, p: Profile, with_jndi_lookup: bool, pom: Option<&str>) -> Vec<u8> {
    let mut b = JarBuilder::new().add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n");
    if let Some(v) = pom {
        b = b.pom("org.apache.logging.log4j", "log4j-core", v);
    }
    for (name, bytes) in core_classes(prefix, p, with_jndi_lookup) {
        b = b.add(&name, &bytes);
    }
    b.finish()
}

const STD: &str = "org/apache/logging/log4j/";

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn plain_jar_with_pom_is_judged_per_cve() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "lib/log4j-core-2.14.1.jar",
        &core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1")),
    );
    let out = scan(&[p]);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    let c = out
        .components
        .iter()
        .find(|c| c.name == "org.apache.logging.log4j:log4j-core")
        .expect("log4j-core found");
    assert_eq!(c.version.as_deref(), Some("2.14.1"));
    assert_eq!(c.kind, ComponentKind::JavaArchive);
    assert_eq!(
        c.purl.as_deref(),
        Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    );
    assert!(c.has_class("org.apache.logging.log4j.core.lookup.JndiLookup"));
    let s = summary(&assess(&out), dir.path());
    assert_eq!(
        s,
        set(&[
            "lib/log4j-core-2.14.1.jar CVE-2021-44228:vulnerable",
            "lib/log4j-core-2.14.1.jar CVE-2021-45046:vulnerable",
            "lib/log4j-core-2.14.1.jar CVE-2021-45105:vulnerable",
            "lib/log4j-core-2.14.1.jar CVE-2021-44832:vulnerable",
        ])
    );
}

#[test]
fn jndilookup_removed_is_mitigated_for_44228_and_45046_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.jar",
        &core_jar(STD, Profile::Vulnerable214, false, Some("2.14.1")),
    );
    let s = summary(&assess(&scan(&[p])), dir.path());
    assert_eq!(
        s,
        set(&[
            "a.jar CVE-2021-44228:mitigated",
            "a.jar CVE-2021-45046:mitigated",
            "a.jar CVE-2021-45105:vulnerable",
            "a.jar CVE-2021-44832:vulnerable",
        ])
    );
}

#[test]
fn relocated_stripped_copy_is_judged_from_class_markers() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = "com/acme/shaded/l4j/";
    let p = write(
        dir.path(),
        "app.jar",
        &core_jar(prefix, Profile::Vulnerable214, true, None),
    );
    let out = scan(&[p]);
    let c = out
        .components
        .iter()
        .find(|c| c.name == "org.apache.logging.log4j:log4j-core")
        .expect("relocated log4j-core found");
    assert!(c.version.is_none());
    assert!(!c.version_range.is_empty());
    let java = c.java.as_ref().unwrap();
    assert!(java.relocated);
    assert_eq!(java.package_root.as_deref(), Some(prefix));
    assert_eq!(java.product, Some(JavaProduct::Log4jCore));
    let s = summary(&assess(&out), dir.path());
    assert_eq!(
        s,
        set(&[
            "app.jar CVE-2021-44228:vulnerable",
            "app.jar CVE-2021-45046:vulnerable",
            "app.jar CVE-2021-45105:vulnerable",
            "app.jar CVE-2021-44832:vulnerable",
        ])
    );
}

#[test]
fn fixed_versions_stay_quiet_or_keep_only_their_open_flaws() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "x/a.jar",
        &core_jar("x/y/", Profile::Fixed2171, true, None),
    );
    let b = write(
        dir.path(),
        "x/b.jar",
        &core_jar("p/", Profile::Fixed216, true, None),
    );
    let s = summary(&assess(&scan(&[a, b])), dir.path());
    assert_eq!(
        s,
        set(&[
            "x/b.jar CVE-2021-45105:vulnerable",
            "x/b.jar CVE-2021-44832:vulnerable"
        ])
    );
}

#[test]
fn nested_ear_war_jar_and_spring_boot_stored_jars() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    let war = JarBuilder::new()
        .add("WEB-INF/lib/log4j-core-2.14.1.jar", &core)
        .finish();
    let ear = JarBuilder::new()
        .add("META-INF/application.xml", b"<application/>")
        .add("lib/app.war", &war)
        .finish();
    let boot = JarBuilder::new()
        .add("BOOT-INF/classes/App.class", &class_file("App", &[]))
        .add_stored("BOOT-INF/lib/log4j-core-2.14.1.jar", &core)
        .finish();
    let e = write(dir.path(), "srv/app.ear", &ear);
    let b = write(dir.path(), "opt/boot.jar", &boot);
    let out = scan(&[e, b]);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    let locs: BTreeSet<String> = out
        .components
        .iter()
        .filter(|c| c.name.ends_with(":log4j-core"))
        .map(|c| {
            c.location
                .display
                .strip_prefix(&dir.path().display().to_string())
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        locs,
        set(&[
            "/opt/boot.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar",
            "/srv/app.ear!/lib/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar",
        ])
    );
    let c = out
        .components
        .iter()
        .find(|c| {
            c.location
                .display
                .ends_with("app.war!/WEB-INF/lib/log4j-core-2.14.1.jar")
        })
        .unwrap();
    assert_eq!(c.location.chain.len(), 3);
    assert_eq!(c.placement, Placement::Installed);
}

#[test]
fn six_levels_deep() {
    let dir = tempfile::tempdir().unwrap();
    let mut inner = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    for level in (1..=6).rev() {
        let b = JarBuilder::new().add(&format!("lib/inner{level}.jar"), &inner);
        inner = if level % 2 == 0 {
            b.finish()
        } else {
            b.add("pad.txt", b"x").finish()
        };
    }
    let p = write(dir.path(), "deep.jar", &inner);
    let out = scan(&[p]);
    let c = out
        .components
        .iter()
        .find(|c| c.name.ends_with(":log4j-core"))
        .expect("found 6 levels deep");
    assert_eq!(c.location.depth(), 6);
    assert!(
        assess(&out)
            .iter()
            .any(|f| f.rule_id == "CVE-2021-44228" && f.status == Status::Vulnerable)
    );
}

#[test]
fn zip64_and_data_descriptor_archives() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = JarBuilder::new().zip64();
    for (name, bytes) in core_classes(STD, Profile::Vulnerable214, true) {
        b = b.add(&name, &bytes);
    }
    let z64 = b
        .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
        .finish();
    let mut d = JarBuilder::with_layout(Layout::DataDescriptors);
    for (name, bytes) in core_classes(STD, Profile::Vulnerable214, true) {
        d = d.add(&name, &bytes);
    }
    let dd = d.finish();
    // A ZIP64 archive with more than 65,535 entries and the classes at the end.
    let mut many = JarBuilder::new();
    for i in 0..70_000u32 {
        many = many.add_stored(&format!("filler/f{i}.txt"), b"");
    }
    for (name, bytes) in core_classes(STD, Profile::Vulnerable214, true) {
        many = many.add(&name, &bytes);
    }
    let many = many.finish();
    let p1 = write(dir.path(), "z64.jar", &z64);
    let p2 = write(dir.path(), "dd.jar", &dd);
    let p3 = write(dir.path(), "many.jar", &many);
    let out = scan(&[p1, p2, p3]);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    let s = summary(&assess(&out), dir.path());
    for f in ["z64.jar", "dd.jar", "many.jar"] {
        assert!(
            s.contains(&format!("{f} CVE-2021-44228:vulnerable")),
            "{f}: {s:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn script_prefixed_executable_without_extension() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".to_vec();
    bytes.extend_from_slice(&core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1")));
    let p = write(dir.path(), "bin/myapp", &bytes);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Found by walking the folder (no extension: recognised by content).
    let out = scan(&[dir.path().to_path_buf()]);
    assert!(
        out.components
            .iter()
            .any(|c| c.name.ends_with(":log4j-core")),
        "{:?}",
        out.unreadable
    );
}

#[test]
fn exploded_class_folder_is_one_component() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("webapps/app1/WEB-INF/classes");
    for (name, bytes) in core_classes(STD, Profile::Vulnerable214, true) {
        write(&root, &name, &bytes);
    }
    let fixed = dir.path().join("webapps/app2/WEB-INF/classes");
    for (name, bytes) in core_classes(STD, Profile::Fixed2171, true) {
        write(&fixed, &name, &bytes);
    }
    let out = scan(&[dir.path().to_path_buf()]);
    let comps: Vec<_> = out
        .components
        .iter()
        .filter(|c| c.name.ends_with(":log4j-core"))
        .collect();
    assert_eq!(comps.len(), 2, "{comps:?}");
    let s = summary(&assess(&out), dir.path());
    assert_eq!(
        s,
        set(&[
            "webapps/app1/WEB-INF/classes CVE-2021-44228:vulnerable",
            "webapps/app1/WEB-INF/classes CVE-2021-45046:vulnerable",
            "webapps/app1/WEB-INF/classes CVE-2021-45105:vulnerable",
            "webapps/app1/WEB-INF/classes CVE-2021-44832:vulnerable",
        ])
    );
}

#[test]
fn every_maven_artifact_becomes_a_component_with_a_purl() {
    let dir = tempfile::tempdir().unwrap();
    let single = JarBuilder::new()
        .pom("com.example", "lib", "1.2.3")
        .finish();
    let uber = JarBuilder::new()
        .pom("com.example", "app", "2.0")
        .pom("org.slf4j", "slf4j-api", "1.7.36")
        .pom("org.apache.logging.log4j", "log4j-api", "2.14.1")
        .finish();
    let a = write(dir.path(), "lib-1.2.3.jar", &single);
    let b = write(dir.path(), "app.jar", &uber);
    let out = scan(&[a, b]);
    let purls: BTreeSet<String> = out
        .components
        .iter()
        .filter_map(|c| c.purl.clone())
        .collect();
    assert_eq!(
        purls,
        set(&[
            "pkg:maven/com.example/app@2.0",
            "pkg:maven/com.example/lib@1.2.3",
            "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
            "pkg:maven/org.slf4j/slf4j-api@1.7.36",
        ])
    );
    let api = out
        .components
        .iter()
        .find(|c| c.name.ends_with("log4j-api"))
        .unwrap();
    assert_eq!(
        api.java.as_ref().unwrap().product,
        Some(JavaProduct::Log4jApi)
    );
    assert!(
        assess(&out).is_empty(),
        "log4j-api and plain artifacts are not vulnerable"
    );
}

#[test]
fn log4j1_claims_only_the_classes_that_are_present() {
    let dir = tempfile::tempdir().unwrap();
    let l1 = |name: &str| {
        (
            format!("org/apache/log4j/{name}.class"),
            class_file(&format!("org/apache/log4j/{name}"), &[]),
        )
    };
    let mut full = JarBuilder::new().pom("log4j", "log4j", "1.2.17");
    let mut patched = JarBuilder::new().add(
        "META-INF/MANIFEST.MF",
        b"Manifest-Version: 1.0\nBundle-SymbolicName: org.apache.log4j\nBundle-Version: 1.2.17\n\n",
    );
    for n in [
        "DailyRollingFileAppender",
        "Category",
        "net/JMSAppender",
        "net/JMSSink",
        "net/SocketServer",
        "net/SMTPAppender",
        "jdbc/JDBCAppender",
        "chainsaw/LoggingReceiver",
    ] {
        let (p, b) = l1(n);
        full = full.add(&p, &b);
    }
    // Like Debian's 1.2.17-11: JMS classes removed, backports present.
    for n in [
        "DailyRollingFileAppender",
        "Category",
        "net/SocketServer",
        "net/SMTPAppender",
        "jdbc/JDBCAppender",
        "jdbc/JdbcPatternParser",
        "chainsaw/LoggingReceiver",
        "FilteredObjectInputStream",
        "net/HardenedLoggingEventInputStream",
    ] {
        let (p, b) = l1(n);
        patched = patched.add(&p, &b);
    }
    // A bridge that carries org/apache/log4j classes of its own is not Log4j 1.x.
    let (cp, cb) = l1("Category");
    let bridge = JarBuilder::new()
        .pom("org.apache.logging.log4j", "log4j-1.2-api", "2.17.1")
        .add(&cp, &cb)
        .finish();
    let a = write(dir.path(), "log4j-1.2.17.jar", &full.finish());
    let b = write(dir.path(), "log4j-1.2.jar", &patched.finish());
    let c = write(dir.path(), "log4j-1.2-api-2.17.1.jar", &bridge);
    let out = scan(&[a, b, c]);
    let s = summary(&assess(&out), dir.path());
    assert_eq!(
        s,
        set(&[
            "log4j-1.2.17.jar CVE-2019-17571:vulnerable",
            "log4j-1.2.17.jar CVE-2020-9488:vulnerable",
            "log4j-1.2.17.jar CVE-2021-4104:vulnerable",
            "log4j-1.2.17.jar CVE-2022-23302:vulnerable",
            "log4j-1.2.17.jar CVE-2022-23305:vulnerable",
            "log4j-1.2.17.jar CVE-2022-23307:vulnerable",
            "log4j-1.2.17.jar PRAX-LOG4J1-EOL:vulnerable",
            "log4j-1.2.jar CVE-2020-9488:vulnerable",
            "log4j-1.2.jar PRAX-LOG4J1-EOL:vulnerable",
        ])
    );
}

#[test]
fn a_log4j_core_after_a_400_mb_entry_is_found() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.jar");
    let f = std::fs::File::create(&p).unwrap();
    let mut w = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("data/blob.bin", opts).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..400 {
        w.write_all(&chunk).unwrap();
    }
    w.start_file("lib/log4j-core-2.14.1.jar", opts).unwrap();
    w.write_all(&core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1")))
        .unwrap();
    w.finish().unwrap();
    let out = scan(&[p]);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    assert!(out.components.iter().any(|c| {
        c.location
            .display
            .ends_with("big.jar!/lib/log4j-core-2.14.1.jar")
    }));
}

#[test]
fn jmod_with_its_header_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"JM\x01\x00".to_vec();
    bytes.extend_from_slice(&core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1")));
    let p = write(dir.path(), "jmods/app.jmod", &bytes);
    let out = scan(&[p]);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    assert!(
        out.components
            .iter()
            .any(|c| c.name.ends_with(":log4j-core"))
    );
}

#[test]
fn big_nested_archives_scanned_as_separate_tasks_give_the_same_answer() {
    // Nested archives of 4 MiB and more (compressed) are scanned as tasks of their own.
    // Incompressible filler makes the nested jars that big.
    let dir = tempfile::tempdir().unwrap();
    let mut noise = vec![0u8; 5 << 20];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for b in &mut noise {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = (x >> 24) as u8;
    }
    let core = core_jar(STD, Profile::Vulnerable214, true, Some("2.14.1"));
    let inner = JarBuilder::new()
        .add("noise.bin", &noise)
        .add("lib/log4j-core-2.14.1.jar", &core)
        .finish();
    let middle = JarBuilder::new()
        .add("noise.bin", &noise)
        .add("WEB-INF/lib/inner.jar", &inner)
        .finish();
    let outer = JarBuilder::new()
        .add("a/middle.war", &middle)
        .add_stored("b/stored.war", &middle)
        .finish();
    let p = write(dir.path(), "outer.ear", &outer);
    let out = scan(&[p]);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    let locs: BTreeSet<String> = out
        .components
        .iter()
        .filter(|c| c.name.ends_with(":log4j-core"))
        .map(|c| {
            c.location
                .display
                .rsplit("outer.ear")
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        locs,
        set(&[
            "!/a/middle.war!/WEB-INF/lib/inner.jar!/lib/log4j-core-2.14.1.jar",
            "!/b/stored.war!/WEB-INF/lib/inner.jar!/lib/log4j-core-2.14.1.jar",
        ])
    );
    assert_eq!(out.stats.archives_opened, 7);
}
