//! Installed software as inventory components: dpkg packages (`/var/lib/dpkg/status`, read
//! directly), rpm packages (`rpm -qa` with a fixed query format), Java runtimes (`release`
//! files), practice products and KBV test module jars.

use crate::keys;
use std::time::{Duration, Instant};

use praxcheck_model::{
    Component, ComponentKind, Confidence, Evidence, EvidenceKind, FactValue, Location, PathSegment,
    Placement,
};

use super::{Base, Ctx, Package};
use crate::exec::Exec;
use crate::facts::{Facts, command, file};
use crate::fsroot::Fs;
use crate::products;

/// The rpm query format: name, epoch, version, release, arch, vendor, install time.
pub const RPM_QUERY: &str =
    "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\t%{INSTALLTIME}\\n";

/// Parses `/var/lib/dpkg/status`; keeps installed packages (`Status: … installed`).
#[must_use]
pub fn parse_dpkg_status(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let mut name = None;
        let mut version = None;
        let mut arch = String::new();
        let mut source = None;
        let mut installed = false;
        let mut held = false;
        for line in para.lines() {
            if line.starts_with([' ', '\t']) {
                continue;
            }
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let v = v.trim();
            match k {
                "Package" => name = Some(v.to_owned()),
                "Version" => version = Some(v.to_owned()),
                "Architecture" => arch = v.to_owned(),
                "Source" => source = Some(v.split_whitespace().next().unwrap_or(v).to_owned()),
                "Status" => {
                    installed = v.ends_with(" installed");
                    held = v.starts_with("hold ");
                }
                _ => {}
            }
        }
        if let (true, Some(name), Some(version)) = (installed, name, version) {
            let source = source.filter(|s| *s != name);
            out.push(Package {
                name,
                version,
                arch,
                source,
                vendor: None,
                install_time: None,
                held,
            });
        }
    }
    out
}

/// Parses `rpm -qa --qf` output in the [`RPM_QUERY`] format.
#[must_use]
pub fn parse_rpm_query(text: &str) -> Vec<Package> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 7 || f[0].is_empty() || f[0] == "gpg-pubkey" {
                return None;
            }
            let epoch = f[1].trim();
            let vr = format!("{}-{}", f[2], f[3]);
            let version = if epoch.is_empty() || epoch == "0" || epoch == "(none)" {
                vr
            } else {
                format!("{epoch}:{vr}")
            };
            Some(Package {
                name: f[0].to_owned(),
                version,
                arch: f[4].to_owned(),
                source: None,
                vendor: (f[5] != "(none)" && !f[5].is_empty()).then(|| f[5].to_owned()),
                install_time: f[6].trim().parse().ok(),
                held: false,
            })
        })
        .collect()
}

/// The installed packages and where they were read.
#[must_use]
pub fn read_packages(
    fs: &Fs,
    exec: &dyn Exec,
    timeout: Duration,
    base: &Base,
) -> (Vec<Package>, Option<String>) {
    if let Ok(bytes) = fs.read("/var/lib/dpkg/status", 256 * 1024 * 1024) {
        let text = String::from_utf8_lossy(&bytes);
        return (
            parse_dpkg_status(&text),
            Some("/var/lib/dpkg/status".to_owned()),
        );
    }
    if base.is_rhel_family() || fs.is_dir("/var/lib/rpm") {
        let qf = RPM_QUERY.replace("\\t", "\t").replace("\\n", "\n");
        if let Ok(out) = exec.run("rpm", &["-qa", "--qf", &qf], timeout)
            && out.success()
        {
            return (
                parse_rpm_query(&out.stdout_text()),
                Some("rpm -qa".to_owned()),
            );
        }
    }
    (Vec::new(), None)
}

/// Percent-encodes what a purl version or qualifier value must not contain.
fn purl_part(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b".-_~+:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The package URL of a dpkg package (`pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12`).
#[must_use]
pub fn deb_purl(p: &Package, vendor: &str, distro: Option<&str>) -> String {
    let mut q = vec![format!("arch={}", purl_part(&p.arch))];
    if let Some(d) = distro {
        q.push(format!("distro={}", purl_part(d)));
    }
    if let Some(s) = &p.source {
        q.push(format!("upstream={}", purl_part(s)));
    }
    format!(
        "pkg:deb/{}/{}@{}?{}",
        purl_part(vendor),
        purl_part(&p.name),
        purl_part(&p.version),
        q.join("&")
    )
}

/// The package URL of an rpm package (`pkg:rpm/rhel/openssl@3.0.7-27.el9?arch=x86_64&epoch=1&distro=rhel-9.4`).
#[must_use]
pub fn rpm_purl(p: &Package, vendor: &str, distro: Option<&str>) -> String {
    let (epoch, vr) = match p.version.split_once(':') {
        Some((e, v)) => (Some(e), v),
        None => (None, p.version.as_str()),
    };
    let mut q = vec![format!("arch={}", purl_part(&p.arch))];
    if let Some(e) = epoch {
        q.push(format!("epoch={e}"));
    }
    if let Some(d) = distro {
        q.push(format!("distro={}", purl_part(d)));
    }
    format!(
        "pkg:rpm/{}/{}@{}?{}",
        purl_part(vendor),
        purl_part(&p.name),
        purl_part(vr),
        q.join("&")
    )
}

/// Components for the packages, Java runtimes, practice products and XPM jars, plus the
/// `software.*` facts.
pub fn components(ctx: &Ctx<'_>, f: &mut Facts) -> Vec<Component> {
    let b = &ctx.base;
    let mut out = Vec::new();
    let id = b.os("ID").unwrap_or("linux").to_owned();
    let distro = b.os("VERSION_ID").map(|v| format!("{id}-{v}"));
    let (ecosystem, deb) = if b.package_source.as_deref() == Some("/var/lib/dpkg/status") {
        (if id == "ubuntu" { "Ubuntu" } else { "Debian" }, true)
    } else {
        ("RPM", false)
    };
    if let Some(src) = &b.package_source {
        let loc = Location::new(vec![PathSegment::Text(src.clone())]);
        for p in &b.packages {
            let full = format!("{}:{}", p.name, p.arch);
            out.push(Component {
                id: Component::derive_id(ComponentKind::OsPackage, &full, &loc, None),
                kind: ComponentKind::OsPackage,
                ecosystem: ecosystem.to_owned(),
                name: p.name.clone(),
                version: Some(p.version.clone()),
                version_range: Vec::new(),
                version_source: Some(EvidenceKind::PackageDatabase),
                purl: Some(if deb {
                    deb_purl(p, &id, distro.as_deref())
                } else {
                    rpm_purl(p, &id, distro.as_deref())
                }),
                location: loc.clone(),
                placement: Placement::Installed,
                open_by: Vec::new(),
                evidence: vec![Evidence {
                    kind: EvidenceKind::PackageDatabase,
                    path: None,
                    detail: match &p.source {
                        Some(s) => {
                            format!("{} {} {} (source package {s})", p.name, p.version, p.arch)
                        }
                        None => format!("{} {} {}", p.name, p.version, p.arch),
                    },
                    says: None,
                }],
                java: None,
            });
            if let Some(spec) = products::match_package(&p.name) {
                out.push(products::component(
                    spec,
                    Some(&p.version),
                    src,
                    EvidenceKind::PackageDatabase,
                    format!("package {}", p.name),
                ));
            }
        }
        f.put(
            keys::SOFTWARE_PACKAGE_COUNT,
            FactValue::Int(i64::try_from(b.packages.len()).unwrap_or(i64::MAX)),
            Confidence::High,
            vec![if deb { file(src) } else { command(src) }],
        );
    } else {
        f.unknown(
            keys::SOFTWARE_PACKAGE_COUNT,
            praxcheck_model::UnknownReason::ToolMissing,
            praxcheck_model::UnknownSaid::NoPackageDatabase,
            "no dpkg database and no rpm",
            vec![file("/var/lib/dpkg/status")],
        );
    }
    // Java runtimes.
    let mut javas = Vec::new();
    let mut homes: Vec<String> = ctx
        .fs
        .list("/usr/lib/jvm")
        .into_iter()
        .map(|n| format!("/usr/lib/jvm/{n}"))
        .collect();
    for d in ["/opt", "/opt/java", "/usr/local"] {
        homes.extend(
            ctx.fs
                .list(d)
                .into_iter()
                .filter(|n| {
                    let l = n.to_ascii_lowercase();
                    l.contains("jdk")
                        || l.contains("jre")
                        || l.contains("java")
                        || l.contains("temurin")
                        || l.contains("zulu")
                        || l.contains("corretto")
                })
                .map(|n| format!("{d}/{n}")),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for h in homes {
        // Links (default-java, java-1.17.0-openjdk-amd64) point at folders listed anyway.
        let real = std::fs::canonicalize(ctx.fs.path(&h)).unwrap_or_else(|_| ctx.fs.path(&h));
        if !seen.insert(real) {
            continue;
        }
        let rel = format!("{h}/release");
        if let Ok(t) = ctx.fs.text(&rel)
            && let Some(r) = products::parse_java_release(&h, &t)
        {
            out.push(products::java_component(&r, &rel));
            javas.push(format!(
                "{} {} ({h})",
                products::java_product(r.implementor.as_deref(), &h),
                r.version
            ));
        }
    }
    f.put(
        keys::SOFTWARE_JAVA_RUNTIMES,
        FactValue::List(javas),
        Confidence::High,
        vec![file("/usr/lib/jvm/*/release"), file("/opt/*/release")],
    );
    // KBV test module jars in the usual install places.
    let roots: Vec<_> = ["/opt", "/srv", "/usr/local", "/home"]
        .iter()
        .map(|r| ctx.fs.path(r))
        .filter(|p| p.is_dir())
        .collect();
    let jars = products::find_xpm(
        &roots,
        5,
        50_000,
        Instant::now() + Duration::from_millis(600),
    );
    let jars: Vec<_> = jars
        .into_iter()
        .map(|mut j| {
            // Report system paths, not paths below the test root.
            if let Ok(rel) = j.path.strip_prefix(ctx.fs.root()) {
                j.path = std::path::Path::new("/").join(rel);
            }
            j
        })
        .collect();
    out.extend(products::xpm_components(&jars));
    let practice: Vec<String> = out
        .iter()
        .filter(|c| c.ecosystem == "Product" && c.kind == ComponentKind::Application)
        .map(|c| format!("{} {}", c.name, c.version.as_deref().unwrap_or("?")))
        .collect();
    f.put_noted(
        keys::SOFTWARE_PRODUCTS,
        FactValue::List(practice),
        Confidence::Low,
        vec![file("/var/lib/dpkg/status"), file("/opt"), file("/srv"), file("/usr/local"), file("/home")],
        "recognised by package or file name (practice software, KBV test module jars, remote-maintenance and backup tools)",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_status_paragraphs() {
        let t = "Package: libssl3\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nMulti-Arch: same\nSource: openssl\nVersion: 3.0.15-1~deb12u1\nDescription: x\n multi line\n\n\
                 Package: removed\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\n\n\
                 Package: bsdutils\nStatus: install ok installed\nArchitecture: amd64\nSource: util-linux (2.38.1-5)\nVersion: 1:2.38.1-5+deb12u3\n";
        let p = parse_dpkg_status(t);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].source.as_deref(), Some("openssl"));
        assert_eq!(p[1].source.as_deref(), Some("util-linux"));
        assert_eq!(
            deb_purl(&p[1], "debian", Some("debian-12")),
            "pkg:deb/debian/bsdutils@1:2.38.1-5+deb12u3?arch=amd64&distro=debian-12&upstream=util-linux"
        );
    }

    #[test]
    fn rpm_query_lines() {
        let t = "openssl\t1\t3.0.7\t27.el9\tx86_64\tRed Hat, Inc.\t1732780800\ngpg-pubkey\t(none)\tfd431d51\t4ae0493b\t(none)\t(none)\t1700000000\nbash\t(none)\t5.1.8\t9.el9\tx86_64\tRed Hat, Inc.\t1700000000\n";
        let p = parse_rpm_query(t);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].version, "1:3.0.7-27.el9");
        assert_eq!(
            rpm_purl(&p[0], "rhel", Some("rhel-9.4")),
            "pkg:rpm/rhel/openssl@3.0.7-27.el9?arch=x86_64&epoch=1&distro=rhel-9.4"
        );
        assert_eq!(p[1].version, "5.1.8-9.el9");
        assert_eq!(p[0].install_time, Some(1_732_780_800));
    }
}
