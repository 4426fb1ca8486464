//! What one container (an archive or an exploded class folder) holds: Maven metadata,
//! the manifest and notable classes; and the components that follow from them.

use std::collections::BTreeMap;

use praxcheck_model::{
    Allows, ClassFact, Component, ComponentKind, Evidence, EvidenceKind, JavaFacts, JavaProduct,
    Location, Placement, Said, maven_purl,
};
use praxcheck_versions::{Scheme, VersionSet, compare_maven};

use crate::classfile::fingerprint_for;
use crate::fingerprints;
use crate::specs::{LOG4J_CORE_MARKERS, Marker, SPECS, SpecMatch, dotted};

/// A notable class found in a container.
#[derive(Debug, Clone)]
pub(crate) struct ClassHit {
    pub spec: usize,
    pub path: String,
    pub actual_prefix: String,
    pub canonical_prefix: String,
    pub fingerprint: Option<String>,
    /// (marker index, needle found) for the markers that look at this class.
    pub markers: Vec<(usize, bool)>,
}

/// `META-INF/maven/<g>/<a>/pom.properties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PomHit {
    pub path: String,
    pub group: String,
    pub artifact: String,
    pub version: Option<String>,
}

/// The interesting attributes of `META-INF/MANIFEST.MF`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ManifestInfo {
    pub implementation_title: Option<String>,
    pub implementation_version: Option<String>,
    pub bundle_symbolic_name: Option<String>,
    pub bundle_version: Option<String>,
}

/// Everything notable in one archive or exploded folder.
#[derive(Debug, Clone)]
pub(crate) struct Container {
    pub location: Location,
    /// The file or folder name, for versions from file names.
    pub file_name: Option<String>,
    pub placement: Placement,
    pub poms: Vec<PomHit>,
    pub manifest: Option<ManifestInfo>,
    pub classes: Vec<ClassHit>,
}

impl Container {
    pub(crate) fn new(location: Location, file_name: Option<String>, placement: Placement) -> Self {
        Self {
            location,
            file_name,
            placement,
            poms: Vec::new(),
            manifest: None,
            classes: Vec::new(),
        }
    }
}

/// Whether an entry path is a `pom.properties` under `META-INF/maven/`; returns the
/// (group, artifact) folder names.
pub(crate) fn pom_path(path: &[u8]) -> Option<(String, String)> {
    // Cheap byte checks first: this runs for every entry of every archive.
    if !path.starts_with(b"META-INF/maven/") || !path.ends_with(b"/pom.properties") {
        return None;
    }
    let s = std::str::from_utf8(path).ok()?;
    let rest = s.strip_prefix("META-INF/maven/")?;
    let mut parts = rest.split('/');
    let g = parts.next()?;
    let a = parts.next()?;
    if parts.next()? != "pom.properties" || parts.next().is_some() || g.is_empty() || a.is_empty() {
        return None;
    }
    Some((g.to_owned(), a.to_owned()))
}

/// Parses a `pom.properties` (Java properties: `key=value` or `key: value`, `#`/`!` comments).
pub(crate) fn parse_pom(path: &str, dir: (String, String), text: &[u8]) -> PomHit {
    let text = String::from_utf8_lossy(text);
    let mut props: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some(i) = line.find(['=', ':']) else {
            continue;
        };
        let (k, v) = line.split_at(i);
        props.insert(k.trim().to_owned(), v[1..].trim().to_owned());
    }
    let clean = |s: Option<&String>| {
        s.map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty() && v.len() <= 200 && !v.contains(char::is_control))
    };
    PomHit {
        path: path.to_owned(),
        group: clean(props.get("groupId")).unwrap_or(dir.0),
        artifact: clean(props.get("artifactId")).unwrap_or(dir.1),
        version: clean(props.get("version")),
    }
}

/// Parses the main section of a manifest (continuation lines start with one space).
pub(crate) fn parse_manifest(text: &[u8]) -> ManifestInfo {
    let text = String::from_utf8_lossy(text);
    let mut attrs: Vec<(String, String)> = Vec::new();
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() {
            // End of the main section.
            if !attrs.is_empty() {
                break;
            }
            continue;
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some(last) = attrs.last_mut() {
                last.1.push_str(cont);
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            attrs.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let get = |k: &str| {
        attrs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim_matches('"').to_owned())
            .filter(|v| !v.is_empty() && v.len() <= 200)
    };
    ManifestInfo {
        implementation_title: get("implementation-title"),
        implementation_version: get("implementation-version"),
        bundle_symbolic_name: get("bundle-symbolicname")
            .map(|s| s.split(';').next().unwrap_or("").trim().to_owned()),
        bundle_version: get("bundle-version"),
    }
}

/// Analyses the bytes of a notable class.
pub(crate) fn analyze_class(m: &SpecMatch, path: &str, bytes: &[u8]) -> ClassHit {
    let spec = &SPECS[m.spec];
    let fingerprint = if spec.fingerprint {
        // The class's own name tells where it was relocated to, whatever its entry path.
        fingerprint_for(
            spec.canonical,
            bytes,
            (&m.actual_prefix, &m.canonical_prefix),
        )
    } else {
        None
    };
    let markers = LOG4J_CORE_MARKERS
        .iter()
        .enumerate()
        .filter(|(_, mk)| mk.class == spec.canonical)
        .map(|(i, mk)| {
            let found = match mk.needle {
                None => true,
                Some(n) => memchr::memmem::find(bytes, n).is_some(),
            };
            (i, found)
        })
        .collect();
    ClassHit {
        spec: m.spec,
        path: path.to_owned(),
        actual_prefix: m.actual_prefix.clone(),
        canonical_prefix: m.canonical_prefix.clone(),
        fingerprint,
        markers,
    }
}

/// A notable class too large to read within the limits: its presence is a fact (the JVM
/// loads a class of any size), what is inside it is unknown. Only the markers that need no
/// content are kept, so a limit can prove presence but never absence.
pub(crate) fn presence_only(m: &SpecMatch, path: &str) -> ClassHit {
    let mut hit = analyze_class(m, path, &[]);
    hit.fingerprint = None;
    hit.markers.retain(|(i, _)| {
        LOG4J_CORE_MARKERS
            .get(*i)
            .is_some_and(|mk| mk.needle.is_none())
    });
    hit
}

fn marker_set(ranges: &[(Option<&str>, Option<&str>)]) -> VersionSet {
    use praxcheck_model::{VersionBound, VersionInterval};
    let ivs: Vec<VersionInterval> = ranges
        .iter()
        .map(|(lo, hi)| VersionInterval {
            min: lo.map(|v| VersionBound {
                version: v.to_owned(),
                inclusive: true,
            }),
            max: hi.map(|v| VersionBound {
                version: v.to_owned(),
                inclusive: false,
            }),
        })
        .collect();
    VersionSet::from_intervals(Scheme::Maven, &ivs)
}

fn marker_text(m: &Marker, found: bool) -> String {
    match (m.needle, found) {
        (None, _) => format!("{} present", short(m.class)),
        (Some(n), true) => format!(
            "{} contains \"{}\"",
            short(m.class),
            String::from_utf8_lossy(n)
        ),
        (Some(n), false) => format!(
            "{} does not contain \"{}\"",
            short(m.class),
            String::from_utf8_lossy(n)
        ),
    }
}

/// A marker observation as data (the report words it, see [`Said::Class`]).
fn marker_said(m: &Marker, found: bool, allows: Allows) -> Said {
    Said::Class {
        class: short(m.class).to_owned(),
        needle: m.needle.map(|n| String::from_utf8_lossy(n).into_owned()),
        found,
        allows: Some(allows),
    }
}

fn short(canonical: &str) -> &str {
    canonical.rsplit('/').next().unwrap_or(canonical)
}

/// Coordinates for a product.
fn product_name(p: JavaProduct) -> (&'static str, &'static str) {
    match p {
        JavaProduct::Log4jCore => ("org.apache.logging.log4j", "log4j-core"),
        JavaProduct::Log4j1 => ("log4j", "log4j"),
        JavaProduct::Reload4j => ("ch.qos.reload4j", "reload4j"),
        JavaProduct::LogbackClassic => ("ch.qos.logback", "logback-classic"),
        JavaProduct::LogbackCore => ("ch.qos.logback", "logback-core"),
        JavaProduct::Log4jApi => ("org.apache.logging.log4j", "log4j-api"),
        JavaProduct::Log4jBridge => ("org.apache.logging.log4j", "log4j-1.2-api"),
    }
}

/// The product a pom's coordinates name, if it is one we know.
pub(crate) fn pom_product(group: &str, artifact: &str) -> Option<JavaProduct> {
    Some(match (group, artifact) {
        ("org.apache.logging.log4j", "log4j-core") => JavaProduct::Log4jCore,
        ("org.apache.logging.log4j", "log4j-api") => JavaProduct::Log4jApi,
        ("log4j", "log4j") => JavaProduct::Log4j1,
        ("ch.qos.reload4j", "reload4j") => JavaProduct::Reload4j,
        ("ch.qos.logback", "logback-classic") => JavaProduct::LogbackClassic,
        ("ch.qos.logback", "logback-core") => JavaProduct::LogbackCore,
        (
            "org.apache.logging.log4j",
            "log4j-1.2-api" | "log4j-slf4j-impl" | "log4j-slf4j2-impl" | "log4j-to-slf4j"
            | "log4j-jcl" | "log4j-jul" | "log4j-to-jul" | "log4j-web",
        )
        | ("org.slf4j", "log4j-over-slf4j" | "slf4j-log4j12" | "slf4j-reload4j") => {
            JavaProduct::Log4jBridge
        }
        _ => return None,
    })
}

/// The class-level product a pom product's classes are found as.
fn class_product(p: JavaProduct) -> JavaProduct {
    match p {
        JavaProduct::Reload4j => JavaProduct::Log4j1,
        other => other,
    }
}

/// A version from a file name such as `log4j-core-2.14.1.jar` for the given artifact.
fn version_from_file_name(file_name: &str, artifact: &str) -> Option<String> {
    let lower = String::from_utf8_lossy(crate::archive::strip_set_aside(file_name.as_bytes()))
        .to_ascii_lowercase();
    let stem = lower.rsplit_once('.').map_or(lower.as_str(), |(s, _)| s);
    let rest = stem.strip_prefix(artifact)?.strip_prefix('-')?;
    let ok = rest.chars().next().is_some_and(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    ok.then(|| rest.to_owned())
}

struct Group<'a> {
    product: JavaProduct,
    actual_prefix: String,
    canonical_prefix: String,
    hits: Vec<&'a ClassHit>,
}

/// Turns a container into inventory components.
pub(crate) fn components(c: &Container) -> Vec<Component> {
    let mut out = Vec::new();

    // Group notable classes by product and package root.
    let mut groups: Vec<Group<'_>> = Vec::new();
    for h in &c.classes {
        let product = SPECS[h.spec].product;
        match groups.iter_mut().find(|g| {
            g.product == product
                && g.actual_prefix == h.actual_prefix
                && g.canonical_prefix == h.canonical_prefix
        }) {
            Some(g) => g.hits.push(h),
            None => groups.push(Group {
                product,
                actual_prefix: h.actual_prefix.clone(),
                canonical_prefix: h.canonical_prefix.clone(),
                hits: vec![h],
            }),
        }
    }
    groups.retain(|g| g.hits.iter().any(|h| SPECS[h.spec].identifies));

    let products: Vec<(usize, JavaProduct)> = c
        .poms
        .iter()
        .enumerate()
        .filter_map(|(i, p)| pom_product(&p.group, &p.artifact).map(|pr| (i, pr)))
        .collect();
    let has_log4j1_pom = products
        .iter()
        .any(|(_, p)| matches!(p, JavaProduct::Log4j1 | JavaProduct::Reload4j));
    let has_bridge_pom = products.iter().any(|(_, p)| *p == JavaProduct::Log4jBridge);
    // Bridges (log4j-1.2-api, log4j-over-slf4j) carry org/apache/log4j classes of their
    // own; without a Log4j 1.x pom, a group that only has such shared classes is the bridge.
    groups.retain(|g| {
        let only_shared = !g.hits.iter().any(|h| {
            let s = SPECS[h.spec].canonical;
            s.contains("/net/") || s.contains("/jdbc/JDBC") || s.contains("/chainsaw/")
        });
        g.product != JavaProduct::Log4j1 || !has_bridge_pom || has_log4j1_pom || !only_shared
    });

    // Attach poms to groups of their product.
    let mut pom_used = vec![false; c.poms.len()];
    let mut group_pom: Vec<Option<usize>> = vec![None; groups.len()];
    for (pi, pp) in &products {
        let cp = class_product(*pp);
        let candidates: Vec<usize> = groups
            .iter()
            .enumerate()
            .filter(|(gi, g)| g.product == cp && group_pom[*gi].is_none())
            .map(|(gi, _)| gi)
            .collect();
        let chosen = match candidates.as_slice() {
            [] => None,
            [one] => Some(*one),
            many => many
                .iter()
                .copied()
                .find(|&gi| groups[gi].actual_prefix == groups[gi].canonical_prefix)
                .or_else(|| many.first().copied()),
        };
        if let Some(gi) = chosen {
            group_pom[gi] = Some(*pi);
            pom_used[*pi] = true;
        }
    }

    let single_pom = c.poms.len() == 1;
    for (gi, g) in groups.iter().enumerate() {
        let pom = group_pom[gi].map(|i| &c.poms[i]);
        let product = pom
            .and_then(|p| pom_product(&p.group, &p.artifact))
            .unwrap_or(g.product);
        out.push(group_component(c, g, product, pom, single_pom));
    }

    // Every other pom becomes a plain Maven component.
    for (i, p) in c.poms.iter().enumerate() {
        if pom_used[i] {
            continue;
        }
        let product = pom_product(&p.group, &p.artifact);
        let name = format!("{}:{}", p.group, p.artifact);
        let kind = if single_pom {
            ComponentKind::JavaArchive
        } else {
            ComponentKind::JavaClasses
        };
        let evidence = vec![Evidence {
            kind: EvidenceKind::PomProperties,
            path: Some(p.path.clone()),
            detail: format!(
                "{}:{}:{}",
                p.group,
                p.artifact,
                p.version.as_deref().unwrap_or("?")
            ),
            says: None,
        }];
        out.push(Component {
            id: Component::derive_id(kind, &name, &c.location, Some(&p.path)),
            kind,
            ecosystem: "Maven".to_owned(),
            name,
            version: p.version.clone(),
            version_range: Vec::new(),
            version_source: p.version.as_ref().map(|_| EvidenceKind::PomProperties),
            purl: Some(maven_purl(&p.group, &p.artifact, p.version.as_deref())),
            location: c.location.clone(),
            placement: c.placement,
            open_by: Vec::new(),
            evidence,
            java: product.map(|pr| JavaFacts {
                product: Some(pr),
                package_root: None,
                relocated: false,
                classes: Vec::new(),
                classes_examined: false,
            }),
        });
    }
    out
}

fn group_component(
    c: &Container,
    g: &Group<'_>,
    product: JavaProduct,
    pom: Option<&PomHit>,
    single_pom: bool,
) -> Component {
    let (group_id, artifact) = product_name(product);
    let name = format!("{group_id}:{artifact}");
    let mut evidence: Vec<Evidence> = Vec::new();
    let relocated = g.actual_prefix != g.canonical_prefix;
    if relocated {
        evidence.push(Evidence {
            kind: EvidenceKind::ClassPresence,
            path: Some(g.actual_prefix.clone()),
            detail: format!(
                "classes relocated: {} stands for {}",
                display_prefix(&g.actual_prefix),
                display_prefix(&g.canonical_prefix)
            ),
            says: Some(Said::Relocated {
                actual: g.actual_prefix.clone(),
                canonical: g.canonical_prefix.clone(),
            }),
        });
    }

    // Metadata version: pom, else manifest of the archive itself, else the file name.
    let mut meta: Option<(String, EvidenceKind, Option<String>)> = None;
    if let Some(p) = pom {
        evidence.push(Evidence {
            kind: EvidenceKind::PomProperties,
            path: Some(p.path.clone()),
            detail: format!(
                "{}:{}:{}",
                p.group,
                p.artifact,
                p.version.as_deref().unwrap_or("?")
            ),
            says: None,
        });
        if let Some(v) = &p.version {
            meta = Some((v.clone(), EvidenceKind::PomProperties, Some(p.path.clone())));
        }
    }
    if meta.is_none()
        && let Some(m) = &c.manifest
        && manifest_names(m, product)
        && let Some(v) = m
            .implementation_version
            .clone()
            .or_else(|| m.bundle_version.clone())
    {
        evidence.push(Evidence {
            kind: EvidenceKind::Manifest,
            path: Some("META-INF/MANIFEST.MF".to_owned()),
            detail: format!("version {v}"),
            says: Some(Said::ManifestVersion { version: v.clone() }),
        });
        meta = Some((
            v,
            EvidenceKind::Manifest,
            Some("META-INF/MANIFEST.MF".to_owned()),
        ));
    }
    if meta.is_none()
        && let Some(f) = &c.file_name
        && let Some(v) = version_from_file_name(f, artifact)
    {
        evidence.push(Evidence {
            kind: EvidenceKind::FileName,
            path: None,
            detail: format!("{f} names version {v}"),
            says: Some(Said::FileNameVersion {
                file: f.clone(),
                version: v.clone(),
            }),
        });
        meta = Some((v, EvidenceKind::FileName, None));
    }

    // Class evidence.
    let scheme = Scheme::Maven;
    let (marker_possible, markers_used, marker_evidence) = if g.product == JavaProduct::Log4jCore {
        marker_versions(&g.hits)
    } else {
        (VersionSet::all(scheme), false, Vec::new())
    };
    evidence.extend(marker_evidence);
    let (fp_versions, fp_evidence) = fingerprint_versions(&g.hits);
    evidence.extend(fp_evidence);
    let fp_versions = fp_versions.filter(|v| v.iter().all(|x| marker_possible.contains(x)));

    // Decide.
    let (version, range, source): (
        Option<String>,
        Vec<praxcheck_model::VersionInterval>,
        Option<EvidenceKind>,
    ) = match (&fp_versions, &meta) {
        (Some(fv), Some((mv, kind, _))) if fv.iter().any(|v| compare_maven(v, mv).is_eq()) => {
            (Some(mv.clone()), Vec::new(), Some(*kind))
        }
        (Some(fv), _) if fv.len() == 1 => (
            Some(fv[0].clone()),
            Vec::new(),
            Some(EvidenceKind::ClassFingerprint),
        ),
        (Some(fv), _) => {
            let set = fv.iter().fold(VersionSet::empty(scheme), |s, v| {
                s.union(&VersionSet::exact(scheme, v))
            });
            (None, set.intervals(), Some(EvidenceKind::ClassFingerprint))
        }
        (None, Some((mv, kind, _))) if marker_possible.contains(mv) => {
            (Some(mv.clone()), Vec::new(), Some(*kind))
        }
        (None, Some((mv, _, path))) if markers_used => {
            evidence.push(Evidence {
                kind: EvidenceKind::ClassMarker,
                path: path.clone(),
                detail: format!(
                    "metadata names {mv}, but the classes are not that version; the classes decide"
                ),
                says: Some(Said::MetadataOverruled {
                    version: mv.clone(),
                }),
            });
            (
                None,
                marker_possible.intervals(),
                Some(EvidenceKind::ClassMarker),
            )
        }
        (None, Some((mv, kind, _))) => (Some(mv.clone()), Vec::new(), Some(*kind)),
        (None, None) if markers_used => match marker_possible.as_exact() {
            Some(v) => (
                Some(v.to_owned()),
                Vec::new(),
                Some(EvidenceKind::ClassMarker),
            ),
            None => (
                None,
                marker_possible.intervals(),
                Some(EvidenceKind::ClassMarker),
            ),
        },
        (None, None) => (None, Vec::new(), None),
    };

    let own_pom = pom.is_some() && single_pom && !relocated;
    let named_like_it = c.poms.is_empty()
        && c.file_name
            .as_deref()
            .is_some_and(|f| f.to_ascii_lowercase().starts_with(artifact));
    let kind = if own_pom || named_like_it {
        ComponentKind::JavaArchive
    } else {
        ComponentKind::JavaClasses
    };
    let mut classes: Vec<ClassFact> = g
        .hits
        .iter()
        .map(|h| ClassFact {
            canonical: dotted(SPECS[h.spec].canonical),
            path: h.path.clone(),
        })
        .collect();
    classes.sort();
    classes.dedup();
    let purl = Some(maven_purl(group_id, artifact, version.as_deref()));
    Component {
        id: Component::derive_id(kind, &name, &c.location, Some(&g.actual_prefix)),
        kind,
        ecosystem: "Maven".to_owned(),
        name,
        version,
        version_range: range,
        version_source: source,
        purl,
        location: c.location.clone(),
        placement: c.placement,
        open_by: Vec::new(),
        evidence,
        java: Some(JavaFacts {
            product: Some(product),
            package_root: Some(g.actual_prefix.clone()),
            relocated,
            classes,
            classes_examined: true,
        }),
    }
}

/// The versions the Log4j 2 core markers of these classes allow, whether any marker was
/// evaluated, and the evidence.
pub(crate) fn marker_versions(hits: &[&ClassHit]) -> (VersionSet, bool, Vec<Evidence>) {
    // Log4j 2 starts at 2.0-alpha1; earlier versions of this product do not exist.
    let mut possible = marker_set(&[(Some("2.0-alpha1"), None)]);
    let mut used = false;
    let mut evidence = Vec::new();
    for h in hits {
        for &(mi, found) in &h.markers {
            let mk = &LOG4J_CORE_MARKERS[mi];
            let set = if found {
                Some(marker_set(mk.present))
            } else {
                mk.absent.map(marker_set)
            };
            let Some(set) = set else { continue };
            let next = possible.intersect(&set);
            if next.is_empty() {
                evidence.push(Evidence {
                    kind: EvidenceKind::ClassMarker,
                    path: Some(h.path.clone()),
                    detail: format!(
                        "{} contradicts the other markers; ignored",
                        marker_text(mk, found)
                    ),
                    says: Some(marker_said(mk, found, Allows::Contradiction)),
                });
                continue;
            }
            possible = next;
            used = true;
            evidence.push(Evidence {
                kind: EvidenceKind::ClassMarker,
                path: Some(h.path.clone()),
                detail: format!("{} → {}", marker_text(mk, found), set),
                says: Some(marker_said(mk, found, Allows::Versions(set.to_string()))),
            });
        }
    }
    // Classes that are missing although others of the product are there: last, and only
    // when consistent with everything above.
    for mk in LOG4J_CORE_MARKERS {
        let Some(missing) = mk.missing else { continue };
        if hits.iter().any(|h| SPECS[h.spec].canonical == mk.class) {
            continue;
        }
        let set = marker_set(missing);
        let next = possible.intersect(&set);
        if next.is_empty() {
            continue;
        }
        possible = next;
        used = true;
        evidence.push(Evidence {
            kind: EvidenceKind::ClassMarker,
            path: None,
            detail: format!("{} absent → {}", short(mk.class), set),
            says: Some(Said::Class {
                class: short(mk.class).to_owned(),
                needle: None,
                found: false,
                allows: Some(Allows::Versions(set.to_string())),
            }),
        });
    }
    (possible, used, evidence)
}

/// The versions whose reference builds match every fingerprinted class (classes whose
/// fingerprint is unknown are skipped), and the evidence.
pub(crate) fn fingerprint_versions(hits: &[&ClassHit]) -> (Option<Vec<String>>, Vec<Evidence>) {
    let mut versions_so_far: Option<Vec<String>> = None;
    let mut evidence = Vec::new();
    for h in hits {
        let Some(fp) = &h.fingerprint else { continue };
        let Some(versions) = fingerprints::lookup(SPECS[h.spec].canonical, fp) else {
            continue;
        };
        let next: Vec<String> = match &versions_so_far {
            None => versions.to_vec(),
            Some(prev) => prev
                .iter()
                .filter(|v| versions.contains(v))
                .cloned()
                .collect(),
        };
        if next.is_empty() {
            continue;
        }
        evidence.push(Evidence {
            kind: EvidenceKind::ClassFingerprint,
            path: Some(h.path.clone()),
            detail: format!("content equals the build of {}", versions.join(", ")),
            says: Some(Said::Fingerprint {
                versions: versions.to_vec(),
            }),
        });
        versions_so_far = Some(next);
    }
    (versions_so_far, evidence)
}

fn display_prefix(p: &str) -> String {
    if p.is_empty() {
        "(archive root)".to_owned()
    } else {
        p.to_owned()
    }
}

/// Whether a manifest describes the given product (so its version may be used).
fn manifest_names(m: &ManifestInfo, product: JavaProduct) -> bool {
    let title = m
        .implementation_title
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let bsn = m
        .bundle_symbolic_name
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    match product {
        JavaProduct::Log4jCore => {
            title.contains("log4j core") || bsn == "org.apache.logging.log4j.core"
        }
        JavaProduct::Log4j1 => title == "log4j" || bsn == "org.apache.log4j" || bsn == "log4j",
        JavaProduct::Reload4j => title.contains("reload4j") || bsn.contains("reload4j"),
        JavaProduct::LogbackClassic => {
            title.contains("logback-classic") || bsn == "ch.qos.logback.classic"
        }
        JavaProduct::LogbackCore => title.contains("logback-core") || bsn == "ch.qos.logback.core",
        JavaProduct::Log4jApi | JavaProduct::Log4jBridge => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_file_names_ignore_set_aside_suffixes() {
        for (name, want) in [
            ("log4j-core-2.14.1.jar", Some("2.14.1")),
            ("log4j-core-2.14.1.jar.bak", Some("2.14.1")),
            ("log4j-core-2.14.1.jar.1", Some("2.14.1")),
            ("LOG4J-CORE-2.14.1.JAR.OLD", Some("2.14.1")),
            ("log4j-core.jar.bak", None),
        ] {
            assert_eq!(
                version_from_file_name(name, "log4j-core").as_deref(),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn pom_paths() {
        assert_eq!(
            pom_path(b"META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties"),
            Some(("org.apache.logging.log4j".into(), "log4j-core".into()))
        );
        assert_eq!(pom_path(b"META-INF/maven/x/pom.properties"), None);
        assert_eq!(
            pom_path(b"BOOT-INF/META-INF/maven/a/b/pom.properties"),
            None
        );
    }

    #[test]
    fn pom_parsing() {
        let p = parse_pom(
            "p",
            ("dg".into(), "da".into()),
            b"#Generated by Maven\n#Mon\r\nversion=2.14.1\r\ngroupId=org.apache.logging.log4j\nartifactId = log4j-core\n",
        );
        assert_eq!(p.group, "org.apache.logging.log4j");
        assert_eq!(p.artifact, "log4j-core");
        assert_eq!(p.version.as_deref(), Some("2.14.1"));
        let p = parse_pom("p", ("dg".into(), "da".into()), b"garbage\x00\xff");
        assert_eq!(
            (p.group.as_str(), p.artifact.as_str(), p.version),
            ("dg", "da", None)
        );
    }

    #[test]
    fn manifest_parsing() {
        let m = parse_manifest(
            b"Manifest-Version: 1.0\r\nImplementation-Title: Apache Log4j Core\r\nImplementation-Ver\r\n sion: x\r\nImplementation-Version: 2.14.1\r\nBundle-SymbolicName: org.apache.logging.log4j.core;singleton:=true\r\n\r\nName: a\r\nImplementation-Version: 9\r\n",
        );
        assert_eq!(m.implementation_version.as_deref(), Some("2.14.1"));
        assert_eq!(
            m.bundle_symbolic_name.as_deref(),
            Some("org.apache.logging.log4j.core")
        );
        assert!(manifest_names(&m, JavaProduct::Log4jCore));
    }

    #[test]
    fn file_name_versions() {
        assert_eq!(
            version_from_file_name("log4j-core-2.14.1.jar", "log4j-core").as_deref(),
            Some("2.14.1")
        );
        assert_eq!(
            version_from_file_name("log4j-core-2.0-beta9.jar", "log4j-core").as_deref(),
            Some("2.0-beta9")
        );
        assert_eq!(version_from_file_name("log4j-core.jar", "log4j-core"), None);
        assert_eq!(
            version_from_file_name("log4j-1.2.17.jar", "log4j").as_deref(),
            Some("1.2.17")
        );
        assert_eq!(
            version_from_file_name("log4j-core-api.jar", "log4j-core"),
            None
        );
    }
}
