//! Where a component sits, from the names along its location: inside installed software,
//! a distribution archive, an installer, a backup, a download folder or a build cache.

use praxcheck_model::{Location, Placement};

const BACKUP: &[&str] = &[
    "backup",
    "backups",
    "sicherung",
    "datensicherung",
    "bak",
    "old",
    ".snapshots",
    "snapshots",
];
const DOWNLOAD: &[&str] = &["downloads", "download", "heruntergeladen"];
const INSTALLER: &[&str] = &[
    "installer",
    "installers",
    "setup",
    "install",
    "installation",
    "$recycle.bin",
];
const CACHE: &[&str] = &[".m2", ".gradle", ".ivy2", ".cache"];

/// Classifies a location. The first match along the path wins in this order: build cache,
/// backup, download, installer, distribution (nested inside a plain `.zip`), installed.
#[must_use]
pub fn classify(loc: &Location) -> Placement {
    let mut parts: Vec<String> = Vec::new();
    for seg in &loc.chain {
        for p in seg.display().split(['/', '\\']) {
            if !p.is_empty() {
                parts.push(p.to_lowercase());
            }
        }
    }
    let has = |set: &[&str]| parts.iter().any(|p| set.contains(&p.as_str()));
    let contains = |needle: &str| parts.iter().any(|p| p.contains(needle));
    if has(CACHE) && !contains("webapps") {
        return Placement::BuildCache;
    }
    if has(BACKUP)
        || contains("backup")
        || contains("sicherung")
        || parts.iter().any(|p| p.ends_with(".bak"))
    {
        return Placement::Backup;
    }
    if has(DOWNLOAD) {
        return Placement::Download;
    }
    if has(INSTALLER)
        || parts.iter().any(|p| {
            p.starts_with("setup") && (p.ends_with(".zip") || p.ends_with(".exe"))
                || p.ends_with(".msi")
                || p.contains("installer")
        })
    {
        return Placement::Installer;
    }
    // Inside a plain .zip (not a Java archive): a distribution that must be unpacked first.
    let outer_and_nested: Vec<&str> = loc.chain.iter().map(|s| s.display()).collect();
    if outer_and_nested
        .iter()
        .take(outer_and_nested.len().saturating_sub(1))
        .any(|s| s.to_ascii_lowercase().ends_with(".zip"))
    {
        return Placement::Distribution;
    }
    let installed_roots = [
        "opt",
        "usr",
        "srv",
        "var",
        "program files",
        "program files (x86)",
        "programdata",
        "webapps",
        "lib",
        "libs",
        "web-inf",
        "boot-inf",
        "app",
        "apps",
    ];
    if has(&installed_roots) {
        return Placement::Installed;
    }
    Placement::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use praxcheck_model::PathSegment;

    fn loc(parts: &[&str]) -> Location {
        Location::new(
            parts
                .iter()
                .map(|p| PathSegment::Text((*p).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn places() {
        assert_eq!(
            classify(&loc(&["/opt/app/lib/log4j-core-2.14.1.jar"])),
            Placement::Installed
        );
        assert_eq!(
            classify(&loc(&["/home/u/Downloads/x.jar"])),
            Placement::Download
        );
        assert_eq!(
            classify(&loc(&["/srv/backup/2024/app.war"])),
            Placement::Backup
        );
        assert_eq!(
            classify(&loc(&["D:\\Datensicherung\\praxis.zip", "lib/a.jar"])),
            Placement::Backup
        );
        assert_eq!(
            classify(&loc(&["/home/u/.m2/repository/org/x.jar"])),
            Placement::BuildCache
        );
        assert_eq!(
            classify(&loc(&["/opt/dist/app-1.0.zip", "lib/log4j-core.jar"])),
            Placement::Distribution
        );
        assert_eq!(
            classify(&loc(&["/opt/app/app.jar", "BOOT-INF/lib/log4j-core.jar"])),
            Placement::Installed
        );
        assert_eq!(
            classify(&loc(&["C:\\Program Files\\Praxis\\setup\\x.jar"])),
            Placement::Installer
        );
        assert_eq!(classify(&loc(&["/tmp/x.jar"])), Placement::Unknown);
    }
}
