//! The fixed software still runs, checked with a real JDK (Debian's `default-jdk-headless`
//! in CI): `java -jar` on the fixed `vuln-class-executable` and on a self-executable jar
//! built here, a program compiled here with `javac` that logs through the fixed
//! log4j-core (also the copy nested STORED in a Spring Boot jar), Java's own zip reader on
//! every fixed archive, and signed jars checked with `jarsigner -verify`.
//!
//! Without a JDK these tests print SKIPPED (set `PRAXCHECK_REQUIRE_JDK=1` to make that a
//! failure); without `../shared/testdata` they are skipped as the extended tier.

#![allow(clippy::print_stderr)]

use std::io::{Cursor, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use praxcheck_testsupport::jar::JarBuilder;

use crate::fix::{bin, stdout};

fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The JDK tools, or `None` after saying why the test is skipped.
fn jdk(test: &str, tools: &[&str]) -> Option<()> {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| tool(t).is_none())
        .collect();
    if missing.is_empty() {
        return Some(());
    }
    assert!(
        std::env::var("PRAXCHECK_REQUIRE_JDK").as_deref() != Ok("1"),
        "{test}: PRAXCHECK_REQUIRE_JDK=1 but {missing:?} not found"
    );
    eprintln!(
        "SKIPPED {test}: JDK tools {missing:?} not found (apt-get install default-jdk-headless)"
    );
    None
}

fn jars(test: &str) -> Option<PathBuf> {
    praxcheck_testsupport::testdata(test).map(|p| p.join("jars"))
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

const ZIPCHECK: &str = r#"
import java.io.*;
import java.util.*;
import java.util.jar.*;
import java.util.zip.*;

/** Reads every entry of every archive (and of archives nested in them) with Java's own zip
 *  code; signed jars are opened with verification on. */
public class ZipCheck {
    static long count;
    static boolean nested(String n) {
        String l = n.toLowerCase();
        return l.endsWith(".jar") || l.endsWith(".war") || l.endsWith(".ear");
    }
    static void inner(byte[] b) throws IOException {
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(b))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                byte[] c = z.readAllBytes();
                count++;
                if (nested(e.getName())) inner(c);
            }
        }
    }
    public static void main(String[] args) throws Exception {
        for (String a : args) {
            count = 0;
            try (JarFile jf = new JarFile(new File(a), true)) {
                for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements();) {
                    JarEntry je = en.nextElement();
                    byte[] b;
                    try (InputStream in = jf.getInputStream(je)) { b = in.readAllBytes(); }
                    count++;
                    if (nested(je.getName())) inner(b);
                }
            }
            System.out.println("OK " + new File(a).getName() + " " + count);
        }
    }
}
"#;

const LOGCHECK: &str = r#"
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

public class LogCheck {
    public static void main(String[] args) {
        Logger log = LogManager.getLogger("praxcheck");
        log.error("logged through log4j-core, the lookup stays text: ${jndi:ldap://127.0.0.1:1/a}");
        boolean present;
        try {
            Class.forName("org.apache.logging.log4j.core.lookup.JndiLookup");
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        System.out.println("JndiLookup present: " + present);
    }
}
"#;

const HELLO: &str = r#"
import org.apache.logging.log4j.LogManager;

public class Hello {
    public static void main(String[] args) {
        LogManager.getLogger(Hello.class).error("hello from a self-executable jar");
        boolean present;
        try {
            Class.forName("org.apache.logging.log4j.core.lookup.JndiLookup");
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        System.out.println("JndiLookup present: " + present);
    }
}
"#;

/// Compiles one Java source in `dir` against `classpath`.
fn javac(dir: &Path, name: &str, source: &str, classpath: &[&Path]) {
    let src = dir.join(format!("{name}.java"));
    std::fs::write(&src, source).unwrap();
    let mut c = Command::new("javac");
    c.arg("-d").arg(dir);
    if !classpath.is_empty() {
        c.arg("-cp").arg(std::env::join_paths(classpath).unwrap());
    }
    let o = run(c.arg(&src));
    assert!(o.status.success(), "javac {name}: {}", out(&o));
}

fn java_cp(classpath: &[&Path], main: &str) -> Output {
    run(Command::new("java")
        .arg("-cp")
        .arg(std::env::join_paths(classpath).unwrap())
        .arg(main))
}

fn fix_yes(dir: &Path, backup: &Path) -> String {
    let o = run(bin()
        .args(["--lang", "en", "fix", "--yes", "--backup-dir"])
        .arg(backup)
        .arg(dir));
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    text
}

/// Every entry of both jars (first one wins), plus `extra`, with a manifest naming `main`.
fn uber_jar(jars: &[&Path], main: &str, extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut b = JarBuilder::new().add(
        "META-INF/MANIFEST.MF",
        format!("Manifest-Version: 1.0\r\nMain-Class: {main}\r\nMulti-Release: true\r\n\r\n")
            .as_bytes(),
    );
    let mut seen = std::collections::HashSet::new();
    seen.insert("META-INF/MANIFEST.MF".to_owned());
    for j in jars {
        let bytes = std::fs::read(j).unwrap();
        let mut ar = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        for i in 0..ar.len() {
            let mut f = ar.by_index(i).unwrap();
            let name = String::from_utf8_lossy(f.name_raw()).into_owned();
            if f.is_dir() || !seen.insert(name.clone()) {
                continue;
            }
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            b = b.add(&name, &v);
        }
    }
    for (n, v) in extra {
        b = b.add(n, v);
    }
    b.finish()
}

#[cfg(unix)]
fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}
#[cfg(not(unix))]
fn make_executable(_: &Path) {}

#[test]
fn java_runs_the_fixed_self_executable_jars_and_reads_every_fixed_archive() {
    let test = "java_runs_the_fixed_self_executable_jars_and_reads_every_fixed_archive";
    let Some(j) = jars(test) else { return };
    if jdk(test, &["java", "javac"]).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let api = j.join("mergebase/false-hits/log4j-api-2.14.1.jar");
    let core = j.join("mergebase/true-hits/log4j-core-2.14.1.jar");

    // vuln-class-executable: has no Main-Class; Java must still read it exactly as before.
    let vce = apps.join("vuln-class-executable");
    std::fs::copy(j.join("google/vuln-class-executable"), &vce).unwrap();
    make_executable(&vce);
    let before_vce = run(Command::new("java").arg("-jar").arg(&vce));

    // A self-executable jar built here: a program using log4j-core 2.14.1, script prefix.
    javac(&work, "Hello", HELLO, &[&api, &core]);
    let hello = std::fs::read(work.join("Hello.class")).unwrap();
    let uber = uber_jar(&[&api, &core], "Hello", &[("Hello.class", hello)]);
    let app = apps.join("hello-app");
    let mut bytes = b"#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".to_vec();
    bytes.extend_from_slice(&uber);
    std::fs::write(&app, &bytes).unwrap();
    make_executable(&app);
    let before_app = run(Command::new("java").arg("-jar").arg(&app));
    assert!(
        out(&before_app).contains("hello from a self-executable jar"),
        "{}",
        out(&before_app)
    );
    assert!(out(&before_app).contains("JndiLookup present: true"));

    // More layouts for Java's zip reader: Spring Boot (STORED nested), EAR → WAR → JAR.
    let core_bytes = std::fs::read(&core).unwrap();
    let boot = JarBuilder::new()
        .add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add_stored("BOOT-INF/lib/log4j-core-2.14.1.jar", &core_bytes)
        .finish();
    std::fs::write(apps.join("boot.jar"), &boot).unwrap();
    let war = JarBuilder::new()
        .add("WEB-INF/lib/log4j-core-2.14.1.jar", &core_bytes)
        .finish();
    let ear = JarBuilder::new().add("web.war", &war).finish();
    std::fs::write(apps.join("app.ear"), &ear).unwrap();

    let text = fix_yes(&apps, &dir.path().join("backup"));
    assert!(text.contains("Done: 4 changed"), "{text}");

    let after_vce = run(Command::new("java").arg("-jar").arg(&vce));
    assert_eq!(after_vce.status.code(), before_vce.status.code());
    assert_eq!(
        out(&after_vce),
        out(&before_vce),
        "java reads the fixed file as before"
    );
    assert!(!out(&after_vce).contains("Invalid or corrupt jarfile"));

    let after_app = run(Command::new("java").arg("-jar").arg(&app));
    let t = out(&after_app);
    assert!(after_app.status.success(), "{t}");
    assert!(t.contains("hello from a self-executable jar"), "{t}");
    assert!(t.contains("JndiLookup present: false"), "{t}");
    #[cfg(unix)]
    {
        // Started as the script it is.
        let direct = run(&mut Command::new(&app));
        assert!(
            out(&direct).contains("JndiLookup present: false"),
            "{}",
            out(&direct)
        );
    }

    javac(&work, "ZipCheck", ZIPCHECK, &[]);
    let o = run(Command::new("java")
        .arg("-cp")
        .arg(&work)
        .arg("ZipCheck")
        .arg(&vce)
        .arg(&app)
        .arg(apps.join("boot.jar"))
        .arg(apps.join("app.ear")));
    let t = out(&o);
    assert!(o.status.success(), "{t}");
    assert_eq!(t.matches("OK ").count(), 4, "{t}");
}

#[test]
fn a_program_logging_through_the_fixed_log4j_core_still_logs() {
    let test = "a_program_logging_through_the_fixed_log4j_core_still_logs";
    let Some(j) = jars(test) else { return };
    if jdk(test, &["java", "javac"]).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let api = j.join("mergebase/false-hits/log4j-api-2.14.1.jar");
    let core = lib.join("log4j-core-2.14.1.jar");
    std::fs::copy(j.join("mergebase/true-hits/log4j-core-2.14.1.jar"), &core).unwrap();
    let core_bytes = std::fs::read(&core).unwrap();
    let boot = JarBuilder::new()
        .add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add_stored("BOOT-INF/lib/log4j-core-2.14.1.jar", &core_bytes)
        .finish();
    std::fs::write(lib.join("boot.jar"), &boot).unwrap();

    // Compiled here against the original, run against the fixed one.
    javac(&work, "LogCheck", LOGCHECK, &[&api, &core]);
    let text = fix_yes(&lib, &dir.path().join("backup"));
    assert!(text.contains("Done: 2 changed"), "{text}");

    let o = java_cp(&[&work, &api, &core], "LogCheck");
    let t = out(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains(
            "logged through log4j-core, the lookup stays text: ${jndi:ldap://127.0.0.1:1/a}"
        ),
        "{t}"
    );
    assert!(t.contains("JndiLookup present: false"), "{t}");

    // The copy nested STORED in the Spring Boot jar works the same.
    let fixed_boot = std::fs::read(lib.join("boot.jar")).unwrap();
    let mut ar = zip::ZipArchive::new(Cursor::new(fixed_boot)).unwrap();
    let mut nested = ar.by_name("BOOT-INF/lib/log4j-core-2.14.1.jar").unwrap();
    assert_eq!(nested.compression(), zip::CompressionMethod::Stored);
    let mut v = Vec::new();
    nested.read_to_end(&mut v).unwrap();
    let extracted = work.join("nested-core.jar");
    std::fs::File::create(&extracted)
        .unwrap()
        .write_all(&v)
        .unwrap();
    let o = java_cp(&[&work, &api, &extracted], "LogCheck");
    let t = out(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("JndiLookup present: false"), "{t}");
    assert!(t.contains("the lookup stays text"), "{t}");
}

#[test]
fn signed_jars_still_verify_after_the_fix() {
    let test = "signed_jars_still_verify_after_the_fix";
    let Some(j) = jars(test) else { return };
    if jdk(test, &["java", "javac", "keytool", "jarsigner"]).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let ks = work.join("ks.p12");
    let o = run(Command::new("keytool")
        .args(["-genkeypair", "-keystore"])
        .arg(&ks)
        .args([
            "-storepass",
            "praxcheck",
            "-keypass",
            "praxcheck",
            "-alias",
            "praxis",
            "-dname",
            "CN=praxcheck test",
            "-keyalg",
            "RSA",
            "-validity",
            "3650",
            "-storetype",
            "pkcs12",
        ]));
    assert!(o.status.success(), "{}", out(&o));
    let signed = apps.join("log4j-core-2.14.1-signed.jar");
    std::fs::copy(j.join("mergebase/true-hits/log4j-core-2.14.1.jar"), &signed).unwrap();
    let o = run(Command::new("jarsigner")
        .arg("-keystore")
        .arg(&ks)
        .args(["-storepass", "praxcheck"])
        .arg(&signed)
        .arg("praxis"));
    assert!(o.status.success(), "{}", out(&o));
    let signed_bytes = std::fs::read(&signed).unwrap();
    let war = JarBuilder::new()
        .add("WEB-INF/web.xml", b"<web-app/>")
        .add_stored("WEB-INF/lib/log4j-core-2.14.1-signed.jar", &signed_bytes)
        .finish();
    std::fs::write(apps.join("signed-inside.war"), &war).unwrap();

    // The dry run explains what removal means for the signature.
    let o = run(bin()
        .args(["--lang", "en", "fix", "--backup-dir"])
        .arg(dir.path().join("backup"))
        .arg(&apps));
    let t = stdout(&o);
    assert_eq!(t.matches("! Signed archive").count(), 2, "{t}");
    assert!(
        t.contains("the signature stays valid for every remaining entry"),
        "{t}"
    );

    let text = fix_yes(&apps, &dir.path().join("backup"));
    assert_eq!(text.matches("✓ jarsigner -verify").count(), 2, "{text}");
    assert!(
        text.contains("signed-inside.war!/WEB-INF/lib/log4j-core-2.14.1-signed.jar"),
        "{text}"
    );

    let o = run(Command::new("jarsigner").arg("-verify").arg(&signed));
    let t = out(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("jar verified."), "{t}");
    assert!(
        t.contains("signed entries for files that do not exist"),
        "{t}"
    );

    // Java loads and verifies the remaining signed classes.
    let api = j.join("mergebase/false-hits/log4j-api-2.14.1.jar");
    javac(&work, "LogCheck", LOGCHECK, &[&api, &signed]);
    let o = java_cp(&[&work, &api, &signed], "LogCheck");
    let t = out(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("JndiLookup present: false"), "{t}");
}

const HOLDER: &str = r#"
public class Holder {
    public static void main(String[] args) throws Exception {
        // Loading a class opens the jar, as in any running application.
        Class.forName("org.apache.logging.log4j.core.LoggerContext");
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
"#;

#[test]
fn a_jar_held_by_a_running_java_program_is_named_and_left_alone() {
    let test = "a_jar_held_by_a_running_java_program_is_named_and_left_alone";
    let Some(j) = jars(test) else { return };
    if jdk(test, &["java", "javac"]).is_none() {
        return;
    }
    if !Path::new("/proc/self/fd").is_dir() {
        eprintln!("SKIPPED {test}: no /proc to see open files");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let api = j.join("mergebase/false-hits/log4j-api-2.14.1.jar");
    let core = lib.join("log4j-core-2.14.1.jar");
    std::fs::copy(j.join("mergebase/true-hits/log4j-core-2.14.1.jar"), &core).unwrap();
    let original = std::fs::read(&core).unwrap();
    javac(&work, "Holder", HOLDER, &[]);
    let mut child = KillOnDrop(
        Command::new("java")
            .arg("-cp")
            .arg(std::env::join_paths([&work, &api, &core]).unwrap())
            .arg("Holder")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    let mut reader = std::io::BufReader::new(child.0.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
    assert_eq!(line.trim(), "ready");

    let backup = dir.path().join("backup");
    let o = run(bin()
        .args(["--lang", "en", "fix", "--yes", "--backup-dir"])
        .arg(&backup)
        .arg(&lib));
    let t = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains(&format!("in use by java (PID {})", child.0.id())),
        "{t}"
    );
    assert_eq!(std::fs::read(&core).unwrap(), original, "left alone");
    let o = run(bin()
        .args(["--lang", "en", "fix", "--yes", "--force", "--backup-dir"])
        .arg(&backup)
        .arg(&lib));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_ne!(
        std::fs::read(&core).unwrap(),
        original,
        "changed with --force"
    );
}

/// Ends a helper process however the test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
