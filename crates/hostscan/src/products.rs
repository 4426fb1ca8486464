//! Practice software and other products recognised by name: the KBV test module (XPM),
//! the HÄVG test module (HPM), practice management systems (PVS), TI components,
//! remote-maintenance and backup tools. Names follow `../shared/research/standards.md` §4
//! and §5. A match by name is a heuristic (confidence low); the version comes from the
//! uninstall entry or package, or from the XPM jar's file name.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Instant;

use praxcheck_advisories::known::{Known, KnownProduct};

use praxcheck_model::{
    Component, ComponentKind, Evidence, EvidenceKind, Location, PathSegment, Placement,
};

/// What a product is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// KBV test module (Prüfmodul, XPM), Kryptomodul.
    KbvTestModule,
    /// HÄVG test module (HPM).
    HaevgTestModule,
    /// Practice management system (PVS).
    PracticeManagement,
    /// TI component: connector software, KIM client, card terminal software.
    Telematics,
    /// Remote-maintenance tool.
    RemoteMaintenance,
    /// Backup software.
    Backup,
}

impl Category {
    /// The name used in evidence.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::KbvTestModule => "kbv_test_module",
            Category::HaevgTestModule => "haevg_test_module",
            Category::PracticeManagement => "practice_management",
            Category::Telematics => "telematics",
            Category::RemoteMaintenance => "remote_maintenance",
            Category::Backup => "backup",
        }
    }
}

impl Category {
    fn parse(kind: &str) -> Option<Self> {
        Some(match kind {
            "kbv_test_module" => Category::KbvTestModule,
            "haevg_test_module" => Category::HaevgTestModule,
            "practice_management" => Category::PracticeManagement,
            "telematics" => Category::Telematics,
            "remote_maintenance" => Category::RemoteMaintenance,
            "backup" => Category::Backup,
            _ => return None,
        })
    }
}

/// A product and how to recognise it: an entry of the host catalogue
/// (`praxcheck_advisories::known`, `advisories/data/catalogue.json`).
#[derive(Debug, Clone)]
pub struct Spec {
    /// Stable product id (the component name in ecosystem `Product`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Category.
    pub category: Category,
    entry: KnownProduct,
}

/// The products recognised, in matching order (the first that matches wins). An entry
/// of an unknown kind is left out (the catalogue test names it).
#[must_use]
pub fn products() -> &'static [Spec] {
    static P: LazyLock<Vec<Spec>> = LazyLock::new(|| {
        Known::embedded()
            .products
            .iter()
            .filter_map(|e| {
                Some(Spec {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    category: Category::parse(&e.kind)?,
                    entry: e.clone(),
                })
            })
            .collect()
    });
    &P
}

/// The product an installed program's name (and publisher) names.
#[must_use]
pub fn match_name(display_name: &str, publisher: Option<&str>) -> Option<&'static Spec> {
    products()
        .iter()
        .find(|s| s.entry.matches_name(display_name, publisher))
}

/// The product a Linux package is.
#[must_use]
pub fn match_package(name: &str) -> Option<&'static Spec> {
    products()
        .iter()
        .find(|s| s.entry.packages.iter().any(|p| p == name))
}

/// A product component.
#[must_use]
pub fn component(
    spec: &Spec,
    version: Option<&str>,
    location: &str,
    evidence_kind: EvidenceKind,
    evidence: String,
) -> Component {
    let loc = Location::new(vec![PathSegment::Text(location.to_owned())]);
    Component {
        id: Component::derive_id(ComponentKind::Application, &spec.id, &loc, None),
        kind: ComponentKind::Application,
        ecosystem: "Product".to_owned(),
        name: spec.id.to_owned(),
        version: version.map(str::to_owned),
        version_range: Vec::new(),
        version_source: version.map(|_| evidence_kind),
        purl: None,
        location: loc,
        placement: Placement::Installed,
        open_by: Vec::new(),
        evidence: vec![Evidence {
            kind: evidence_kind,
            path: None,
            detail: format!("{} ({}): {evidence}", spec.name, spec.category.as_str()),
            says: None,
        }],
        java: None,
    }
}

/// A KBV test module jar found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XpmJar {
    /// The jar.
    pub path: PathBuf,
    /// The module (`core`, `kvdt-praxis`, …).
    pub module: String,
    /// The version from the file name.
    pub version: String,
}

/// Splits `xpm-kvdt-praxis-2026.4.2.jar` into (`kvdt-praxis`, `2026.4.2`).
#[must_use]
pub fn parse_xpm_jar_name(name: &str) -> Option<(String, String)> {
    let l = name.to_ascii_lowercase();
    let stem = l.strip_prefix("xpm-")?.strip_suffix(".jar")?;
    let b = stem.as_bytes();
    let split =
        (0..b.len()).find(|&i| b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit))?;
    Some((stem[..split].to_owned(), stem[split + 1..].to_owned()))
}

/// Looks for KBV test module jars (`xpm-*.jar`) below the roots, at most `max_depth`
/// folders deep and `max_entries` entries in all, stopping at `deadline`.
#[must_use]
pub fn find_xpm(
    roots: &[PathBuf],
    max_depth: usize,
    max_entries: usize,
    deadline: Instant,
) -> Vec<XpmJar> {
    let mut out = Vec::new();
    let mut seen = 0usize;
    let mut stack: Vec<(PathBuf, usize)> = roots.iter().map(|r| (r.clone(), 0)).collect();
    while let Some((dir, depth)) = stack.pop() {
        if Instant::now() >= deadline || seen >= max_entries {
            break;
        }
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            seen += 1;
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if ft.is_dir() && depth < max_depth && !name.starts_with('.') && name != "node_modules"
            {
                stack.push((e.path(), depth + 1));
            } else if ft.is_file()
                && let Some((module, version)) = parse_xpm_jar_name(&name)
            {
                out.push(XpmJar {
                    path: e.path(),
                    module,
                    version,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Components for XPM jars found on disk.
#[must_use]
pub fn xpm_components(jars: &[XpmJar]) -> Vec<Component> {
    let Some(spec) = products().iter().find(|s| s.id == "kbv-xpm") else {
        return Vec::new();
    };
    jars.iter()
        .map(|j| {
            let loc = Location::file(&j.path);
            let name = format!("kbv-xpm-{}", j.module);
            Component {
                id: Component::derive_id(ComponentKind::Application, &name, &loc, None),
                kind: ComponentKind::Application,
                ecosystem: "Product".to_owned(),
                name,
                version: Some(j.version.clone()),
                version_range: Vec::new(),
                version_source: Some(EvidenceKind::FileName),
                purl: None,
                location: loc,
                placement: Placement::Installed,
                open_by: Vec::new(),
                evidence: vec![Evidence {
                    kind: EvidenceKind::FileName,
                    path: None,
                    detail: format!("{} ({}): jar file name", spec.name, spec.category.as_str()),
                    says: None,
                }],
                java: None,
            }
        })
        .collect()
}

/// A Java installation's `release` file values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaRelease {
    /// Installation folder.
    pub home: String,
    /// `JAVA_VERSION`.
    pub version: String,
    /// `IMPLEMENTOR`.
    pub implementor: Option<String>,
    /// `JAVA_RUNTIME_VERSION` (with build).
    pub runtime_version: Option<String>,
}

/// Parses a JDK/JRE `release` file.
#[must_use]
pub fn parse_java_release(home: &str, text: &str) -> Option<JavaRelease> {
    let kv = crate::linux::parse_env_file(text);
    let get = |k: &str| kv.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
    Some(JavaRelease {
        home: home.to_owned(),
        version: get("JAVA_VERSION")?,
        implementor: get("IMPLEMENTOR"),
        runtime_version: get("JAVA_RUNTIME_VERSION"),
    })
}

/// The product id of a Java distribution.
#[must_use]
pub fn java_product(implementor: Option<&str>, home: &str) -> &'static str {
    let i = implementor.unwrap_or("").to_ascii_lowercase();
    let h = home.to_ascii_lowercase();
    if i.contains("adoptium") || h.contains("temurin") || h.contains("adoptium") {
        "eclipse-temurin"
    } else if i.contains("azul") || h.contains("zulu") {
        "azul-zulu"
    } else if i.contains("amazon") || h.contains("corretto") {
        "amazon-corretto"
    } else if i.contains("microsoft") {
        "microsoft-openjdk"
    } else if i.contains("bellsoft") || h.contains("liberica") {
        "bellsoft-liberica"
    } else if (i.contains("oracle") && !h.contains("openjdk"))
        // Oracle's Java 8 has no IMPLEMENTOR line; its installer uses Program Files\Java.
        || (i.is_empty() && (h.contains("\\java\\jre") || h.contains("\\java\\jdk")))
    {
        "oracle-java"
    } else {
        "openjdk"
    }
}

/// A Java runtime component.
#[must_use]
pub fn java_component(r: &JavaRelease, source: &str) -> Component {
    let loc = Location::file(Path::new(&r.home));
    let name = java_product(r.implementor.as_deref(), &r.home);
    Component {
        id: Component::derive_id(ComponentKind::Runtime, name, &loc, None),
        kind: ComponentKind::Runtime,
        ecosystem: "Product".to_owned(),
        name: name.to_owned(),
        version: Some(r.version.clone()),
        version_range: Vec::new(),
        version_source: Some(EvidenceKind::Other),
        purl: None,
        location: loc,
        placement: Placement::Installed,
        open_by: Vec::new(),
        evidence: vec![Evidence {
            kind: EvidenceKind::Other,
            path: Some(source.to_owned()),
            detail: format!(
                "JAVA_VERSION={}{}{}",
                r.version,
                r.implementor
                    .as_ref()
                    .map(|i| format!(", IMPLEMENTOR={i}"))
                    .unwrap_or_default(),
                r.runtime_version
                    .as_ref()
                    .map(|v| format!(", JAVA_RUNTIME_VERSION={v}"))
                    .unwrap_or_default()
            ),
            says: None,
        }],
        java: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: &str, p: Option<&str>) -> Option<&'static str> {
        match_name(n, p).map(|s| s.id.as_str())
    }

    #[test]
    fn names_match_products() {
        assert_eq!(id("TeamViewer 15", Some("TeamViewer")), Some("teamviewer"));
        assert_eq!(id("TeamViewer Host", None), Some("teamviewer"));
        assert_eq!(
            id("CGM ALBIS", Some("CompuGroup Medical SE & Co. KGaA")),
            Some("cgm-albis")
        );
        assert_eq!(id("ALBIS", Some("Albis Plastic")), None);
        assert_eq!(
            id("HÄVG-Prüfmodul", Some("HÄVG Rechenzentrum GmbH")),
            Some("haevg-hpm")
        );
        assert_eq!(
            id("HPM Service", Some("HÄVG Rechenzentrum GmbH")),
            Some("haevg-hpm")
        );
        assert_eq!(id("HP Smart", Some("HP Inc.")), None);
        assert_eq!(
            id("x.isynet", Some("medatixx GmbH & Co. KG")),
            Some("medatixx-x-isynet")
        );
        assert_eq!(
            id(
                "Veeam Agent for Microsoft Windows",
                Some("Veeam Software Group GmbH")
            ),
            Some("veeam")
        );
        assert_eq!(id("KIM-Clientmodul", None), Some("ti-kim-client"));
        assert_eq!(id("Kim Wilde Fan Club", None), None);
        assert_eq!(id("Microsoft Edge", Some("Microsoft Corporation")), None);
    }

    #[test]
    fn xpm_jar_names() {
        assert_eq!(
            parse_xpm_jar_name("xpm-kvdt-praxis-2026.4.2.jar"),
            Some(("kvdt-praxis".into(), "2026.4.2".into()))
        );
        assert_eq!(
            parse_xpm_jar_name("xpm-core-4.3.4.jar"),
            Some(("core".into(), "4.3.4".into()))
        );
        assert_eq!(
            parse_xpm_jar_name("XPM-Core-4.3.4.JAR"),
            Some(("core".into(), "4.3.4".into()))
        );
        assert_eq!(parse_xpm_jar_name("xpm-core.jar"), None);
        assert_eq!(parse_xpm_jar_name("log4j-core-2.14.1.jar"), None);
    }

    #[test]
    fn java_distributions() {
        assert_eq!(
            java_product(Some("Eclipse Adoptium"), "/opt/x"),
            "eclipse-temurin"
        );
        assert_eq!(
            java_product(Some("Debian"), "/usr/lib/jvm/java-17-openjdk-amd64"),
            "openjdk"
        );
        assert_eq!(
            java_product(
                Some("Oracle Corporation"),
                "C:\\Program Files\\Java\\jre1.8.0_361"
            ),
            "oracle-java"
        );
        assert_eq!(
            java_product(None, "C:\\Program Files\\Java\\jre1.8.0_431"),
            "oracle-java"
        );
        assert_eq!(
            java_product(None, "C:\\Program Files\\Zulu\\zulu-17"),
            "azul-zulu"
        );
    }
}
