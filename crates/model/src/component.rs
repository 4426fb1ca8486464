//! Inventory components: software found on the machine, as facts with their evidence.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::location::Location;

/// What kind of thing a component is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    /// A Java archive (jar, war, ...) identified as a whole, usually by its Maven metadata.
    JavaArchive,
    /// A Java library recognised by its classes inside a larger archive or an exploded
    /// class folder (uber jars, shaded or relocated copies, `WEB-INF/classes`).
    JavaClasses,
    /// A package from the operating system's package database (dpkg, rpm).
    OsPackage,
    /// An installed program (Windows uninstall entry, practice software, ...).
    Application,
    /// A runtime such as a Java installation.
    Runtime,
}

/// Well-known Java products the scanner recognises beyond their coordinates.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum JavaProduct {
    /// Apache Log4j 2 core (`org.apache.logging.log4j:log4j-core`).
    Log4jCore,
    /// Apache Log4j 2 API (not vulnerable by itself).
    Log4jApi,
    /// A bridge or binding around Log4j (log4j-1.2-api, log4j-over-slf4j, slf4j-log4j12,
    /// log4j-slf4j-impl, ...): recognised, not vulnerable by itself.
    Log4jBridge,
    /// Apache Log4j 1.x (`log4j:log4j`), end of life.
    Log4j1,
    /// reload4j, the maintained fork of Log4j 1.2 (`ch.qos.reload4j:reload4j`).
    Reload4j,
    /// logback-classic.
    LogbackClassic,
    /// logback-core.
    LogbackCore,
}

/// Where a component sits, which tells how likely it is to be running.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Part of installed software (a library folder, a deployed web application).
    Installed,
    /// Inside a distribution archive (a `.zip` that must be unpacked before it runs).
    Distribution,
    /// Inside an installer or setup folder.
    Installer,
    /// Inside a backup folder or backup archive.
    Backup,
    /// In a download folder.
    Download,
    /// In a build-tool cache (Maven `.m2`, Gradle caches): not on any running classpath.
    BuildCache,
    /// Could not be told.
    #[default]
    Unknown,
}

/// A running process that has a component's file open (Linux: `/proc/*/maps` and `fd`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct ProcessRef {
    /// Process id at scan time.
    pub pid: u32,
    /// Program name (`comm`).
    pub name: String,
}

/// What told us something about a component.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// `META-INF/maven/<group>/<artifact>/pom.properties`.
    PomProperties,
    /// `META-INF/MANIFEST.MF` attributes.
    Manifest,
    /// The archive's file name (`log4j-core-2.14.1.jar`).
    FileName,
    /// A class file whose normalised content matched a reference build exactly.
    ClassFingerprint,
    /// A byte marker inside a class file (a string that only some versions contain).
    ClassMarker,
    /// The presence of a class file.
    ClassPresence,
    /// The operating system's package database.
    PackageDatabase,
    /// The Windows registry.
    Registry,
    /// Anything else; the detail says what.
    Other,
}

/// One piece of evidence.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Evidence {
    /// Kind of evidence.
    pub kind: EvidenceKind,
    /// Path of the entry (inside the component's archive or folder) that told us, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What it said, e.g. `version=2.14.1` or `contains "log4j2.enableJndi"`: a technical
    /// note for machine formats. Reports show [`Evidence::says`] instead when it is set.
    pub detail: String,
    /// What it says as a kind with its parameters; the words are the report's, from the
    /// message catalogue in the reader's language (issue 10 step 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<Said>,
}

/// What a piece of evidence says, as a kind with its parameters. Reports render it from the
/// message catalogue (`evidence-*`), so no collector's English reaches a German report.
/// Serialized as `{"kind": "<kind>", …parameters}`; kinds are added, never renamed.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Said {
    /// The product's classes live under another package (shaded): `actual` stands for
    /// `canonical` (an empty prefix is the archive root).
    Relocated {
        /// The package prefix found.
        actual: String,
        /// The product's own package prefix.
        canonical: String,
    },
    /// The manifest names a version.
    ManifestVersion {
        /// The version.
        version: String,
    },
    /// The archive's file name names a version.
    FileNameVersion {
        /// The file name.
        file: String,
        /// The version.
        version: String,
    },
    /// The metadata names a version the classes rule out; the classes decide.
    MetadataOverruled {
        /// The version the metadata names.
        version: String,
    },
    /// What a class showed: present or absent (no `needle`), or whether it contains a
    /// marker string; with the versions this allows (`None`: it contradicts the other
    /// markers and was ignored; no versions are named when only presence was checked).
    Class {
        /// The class (its simple or canonical name).
        class: String,
        /// The marker string looked for, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        needle: Option<String>,
        /// Whether the class (or the marker in it) was found.
        found: bool,
        /// What it means for the version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allows: Option<Allows>,
    },
    /// A class's content equals the reference build of these versions.
    Fingerprint {
        /// The versions.
        versions: Vec<String>,
    },
}

/// What a class observation means for the version.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Allows {
    /// The versions it allows (a version set as text, e.g. `[2.0-beta9, 2.15.0)`).
    Versions(String),
    /// It contradicts the other markers and was ignored.
    Contradiction,
}

/// One end of a version interval.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct VersionBound {
    /// The version at the bound.
    pub version: String,
    /// Whether the bound itself belongs to the interval.
    pub inclusive: bool,
}

/// A contiguous interval of versions; a missing end is unbounded.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct VersionInterval {
    /// Lower bound, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<VersionBound>,
    /// Upper bound, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<VersionBound>,
}

impl VersionInterval {
    /// The interval that holds exactly one version.
    #[must_use]
    pub fn exact(version: &str) -> Self {
        let b = VersionBound {
            version: version.to_owned(),
            inclusive: true,
        };
        Self {
            min: Some(b.clone()),
            max: Some(b),
        }
    }

    /// `[min, max)`.
    #[must_use]
    pub fn half_open(min: &str, max: &str) -> Self {
        Self {
            min: Some(VersionBound {
                version: min.to_owned(),
                inclusive: true,
            }),
            max: Some(VersionBound {
                version: max.to_owned(),
                inclusive: false,
            }),
        }
    }

    /// `[min, ∞)`.
    #[must_use]
    pub fn at_least(min: &str) -> Self {
        Self {
            min: Some(VersionBound {
                version: min.to_owned(),
                inclusive: true,
            }),
            max: None,
        }
    }
}

impl std::fmt::Display for VersionInterval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.min, &self.max) {
            (Some(a), Some(b)) if a == b && a.inclusive => f.write_str(&a.version),
            (min, max) => {
                match min {
                    Some(b) => write!(f, "{}{}", if b.inclusive { "[" } else { "(" }, b.version)?,
                    None => f.write_str("(")?,
                }
                f.write_str(", ")?;
                match max {
                    Some(b) => write!(f, "{}{}", b.version, if b.inclusive { "]" } else { ")" }),
                    None => f.write_str(")"),
                }
            }
        }
    }
}

/// Java-specific facts about a component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct JavaFacts {
    /// The recognised product, if it is one the scanner knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<JavaProduct>,
    /// The package folder the product's classes sit under inside the archive, e.g.
    /// `org/apache/logging/log4j/` or, when relocated, `clt/shaded/l/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_root: Option<String>,
    /// True when the classes sit under a package other than the product's own (shading).
    #[serde(default)]
    pub relocated: bool,
    /// Notable classes that are present: canonical name and the entry path where found.
    /// Classes the scanner looks for but did not find are absent from this list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassFact>,
    /// True when the component's classes were examined, so a class missing from `classes`
    /// is known to be absent (false for components known only from metadata, such as a
    /// `pom.properties` whose classes were not recognised).
    #[serde(default)]
    pub classes_examined: bool,
}

/// A notable class found in a component.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct ClassFact {
    /// Canonical class name, e.g. `org.apache.logging.log4j.core.lookup.JndiLookup`.
    pub canonical: String,
    /// The entry path where it was found, e.g. `clt/shaded/l/core/lookup/JndiLookup.class`.
    pub path: String,
}

/// A piece of software found on the machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Component {
    /// Stable identifier derived from kind, name and location (see [`Component::derive_id`]).
    pub id: String,
    /// What kind of thing this is.
    pub kind: ComponentKind,
    /// Package ecosystem in OSV spelling (`Maven`, `Debian`, ...), or `Product` for practice
    /// software matched by the advisory set's product rules.
    pub ecosystem: String,
    /// Package name in the ecosystem's form (Maven: `group:artifact`).
    pub name: String,
    /// Exact version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When the exact version is not known: the narrowest set of versions the evidence allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub version_range: Vec<VersionInterval>,
    /// Which evidence decided the version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_source: Option<EvidenceKind>,
    /// Package URL, e.g. `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Where it was found.
    pub location: Location,
    /// Where it sits (installed software, installer, backup, ...).
    #[serde(default)]
    pub placement: Placement,
    /// Running processes that have the file open, when the platform lets us see it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_by: Vec<ProcessRef>,
    /// Everything that told us about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Java-specific facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub java: Option<JavaFacts>,
}

impl Component {
    /// The stable id of a component: a short hash over kind, name, location and package root.
    /// Two scans of the same unchanged file give the same id, so findings can be compared
    /// across runs.
    #[must_use]
    pub fn derive_id(
        kind: ComponentKind,
        name: &str,
        location: &Location,
        package_root: Option<&str>,
    ) -> String {
        crate::short_hash(&[
            kind_tag(kind).as_bytes(),
            name.as_bytes(),
            location.display.as_bytes(),
            package_root.unwrap_or("").as_bytes(),
        ])
    }

    /// True when the named class (canonical name) was found in this component.
    #[must_use]
    pub fn has_class(&self, canonical: &str) -> bool {
        self.java
            .as_ref()
            .is_some_and(|j| j.classes.iter().any(|c| c.canonical == canonical))
    }

    /// Human-readable version: the exact version, or the range.
    #[must_use]
    pub fn version_display(&self) -> String {
        if let Some(v) = &self.version {
            return v.clone();
        }
        if self.version_range.is_empty() {
            return "?".to_owned();
        }
        self.version_range
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ∪ ")
    }
}

fn kind_tag(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::JavaArchive => "java_archive",
        ComponentKind::JavaClasses => "java_classes",
        ComponentKind::OsPackage => "os_package",
        ComponentKind::Application => "application",
        ComponentKind::Runtime => "runtime",
    }
}

/// Builds a Maven package URL (`pkg:maven/group/artifact@version`), percent-encoding what
/// the purl specification requires.
#[must_use]
pub fn maven_purl(group: &str, artifact: &str, version: Option<&str>) -> String {
    let mut s = format!("pkg:maven/{}/{}", purl_encode(group), purl_encode(artifact));
    if let Some(v) = version {
        s.push('@');
        s.push_str(&purl_encode(v));
    }
    s
}

fn purl_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_is_encoded() {
        assert_eq!(
            maven_purl("org.apache.logging.log4j", "log4j-core", Some("2.14.1")),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        );
        assert_eq!(maven_purl("a b", "c", None), "pkg:maven/a%20b/c");
    }

    #[test]
    fn interval_display() {
        assert_eq!(VersionInterval::exact("2.14.1").to_string(), "2.14.1");
        assert_eq!(
            VersionInterval::half_open("2.1", "2.15.0").to_string(),
            "[2.1, 2.15.0)"
        );
        assert_eq!(
            VersionInterval::at_least("2.17.1").to_string(),
            "[2.17.1, )"
        );
    }
}
