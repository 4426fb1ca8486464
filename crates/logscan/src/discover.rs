//! Where the logs of this machine's server software are: the system log folder, Tomcat,
//! web servers, and the `log`/`logs` folders of installed applications (Linux `/opt`,
//! `/srv`, `/usr/local`; Windows `ProgramData`, `Program Files`, IIS). Also the log folders
//! next to Java components another collector found.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use praxcheck_model::LogSourceOrigin;

use crate::Root;

/// How deep below an application base folder a `log`/`logs` folder is looked for.
const SEARCH_DEPTH: usize = 3;

fn is_log_dir_name(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "log" | "logs" | "logfiles" | "logging"
    )
}

/// What kind of software a log folder belongs to, from its path.
#[must_use]
pub fn classify(path: &Path) -> LogSourceOrigin {
    let s = path
        .to_string_lossy()
        .to_ascii_lowercase()
        .replace('\\', "/");
    if s.contains("tomcat") || s.contains("catalina") {
        LogSourceOrigin::Tomcat
    } else if [
        "nginx", "apache2", "httpd", "inetpub", "apache24", "/iis", "lighttpd", "caddy",
    ]
    .iter()
    .any(|w| s.contains(w))
    {
        LogSourceOrigin::WebServer
    } else if s == "/var/log" || s.ends_with("/system32/logfiles") || s.ends_with("/windows/logs") {
        LogSourceOrigin::System
    } else {
        LogSourceOrigin::JavaApplication
    }
}

/// `log`/`logs` folders up to [`SEARCH_DEPTH`] levels below `base` (not following links).
fn log_dirs_below(base: &Path, out: &mut BTreeSet<PathBuf>) {
    let walker = walkdir::WalkDir::new(base)
        .follow_links(false)
        .min_depth(1)
        .max_depth(SEARCH_DEPTH)
        .into_iter()
        .filter_entry(|e| e.file_type().is_dir());
    for entry in walker.flatten() {
        if entry.file_name().to_str().is_some_and(is_log_dir_name) {
            out.insert(entry.into_path());
        }
    }
}

/// The log folders of this machine, below the given base folders.
///
/// `system` are system log folders read whole (`/var/log`); `app_bases` are folders whose
/// applications' `log`/`logs` folders are looked for (`/opt`, `C:\ProgramData`).
#[must_use]
pub fn discover_in(system: &[PathBuf], app_bases: &[PathBuf]) -> Vec<Root> {
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for s in system {
        if s.is_dir() {
            dirs.insert(s.clone());
        }
    }
    for b in app_bases {
        if b.is_dir() {
            log_dirs_below(b, &mut dirs);
        }
    }
    dirs.into_iter()
        .map(|path| Root {
            origin: classify(&path),
            path,
        })
        .collect()
}

/// The log folders of this machine's server software, with platform defaults.
#[must_use]
pub fn discover_roots() -> Vec<Root> {
    let mut system = Vec::new();
    let mut bases = Vec::new();
    if cfg!(windows) {
        let env = |k: &str| std::env::var_os(k).map(PathBuf::from);
        if let Some(root) = env("SystemRoot") {
            system.push(root.join("System32").join("LogFiles"));
        }
        if let Some(drive) = env("SystemDrive") {
            let d = PathBuf::from(format!("{}\\", drive.display()));
            bases.push(d.join("inetpub"));
            bases.push(d.join("Tomcat"));
        }
        for k in [
            "ProgramData",
            "ProgramFiles",
            "ProgramFiles(x86)",
            "ProgramW6432",
        ] {
            if let Some(p) = env(k) {
                bases.push(p);
            }
        }
    } else {
        system.push(PathBuf::from("/var/log"));
        for b in ["/opt", "/srv", "/usr/local", "/var/lib"] {
            bases.push(PathBuf::from(b));
        }
        if let Some(base) = std::env::var_os("CATALINA_BASE") {
            system.push(PathBuf::from(base).join("logs"));
        }
    }
    dedupe_nested(discover_in(&system, &bases))
}

/// Log folders of the applications that contain the given files (for example the Java
/// archives the Java collector found): for `/opt/app/lib/x.jar`, `/opt/app/logs` and
/// `/opt/app/log` when they exist, up to four levels up.
#[must_use]
pub fn roots_near_components(files: &[PathBuf]) -> Vec<Root> {
    let mut dirs = BTreeSet::new();
    for f in files {
        for anc in f.ancestors().skip(1).take(4) {
            if anc.parent().is_none() {
                break;
            }
            for name in ["logs", "log", "Logs", "Log"] {
                let cand = anc.join(name);
                if cand.is_dir() {
                    dirs.insert(cand);
                }
            }
        }
    }
    dirs.into_iter()
        .map(|path| Root {
            origin: classify(&path),
            path,
        })
        .collect()
}

/// Like [`roots_near_components`], but only folders below one of `bases` (the paths of
/// `scan --path`): a path scan reads below its paths only, never the log folders above
/// them. Without bases every folder counts (a whole-machine scan).
#[must_use]
pub fn roots_near_components_below(files: &[PathBuf], bases: &[PathBuf]) -> Vec<Root> {
    let mut roots = roots_near_components(files);
    if !bases.is_empty() {
        roots.retain(|r| bases.iter().any(|b| r.path.starts_with(b)));
    }
    roots
}

/// Removes duplicate roots; nested roots are kept (the scan attributes their files to the
/// most specific one).
#[must_use]
pub fn dedupe_nested(mut roots: Vec<Root>) -> Vec<Root> {
    roots.sort_by(|a, b| a.path.cmp(&b.path));
    roots.dedup_by(|a, b| a.path == b.path);
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_path() {
        assert_eq!(
            classify(Path::new("/var/log/tomcat9")),
            LogSourceOrigin::Tomcat
        );
        assert_eq!(
            classify(Path::new(r"C:\inetpub\logs\LogFiles")),
            LogSourceOrigin::WebServer
        );
        assert_eq!(classify(Path::new("/var/log")), LogSourceOrigin::System);
        assert_eq!(
            classify(Path::new("/opt/praxis-server/logs")),
            LogSourceOrigin::JavaApplication
        );
    }

    /// Issue 11 item 3: `scan --path app/lib` finds `app/lib/x.jar` but does not read
    /// `app/logs`, the log folder above its path; `--path app` and a whole-machine scan do.
    #[test]
    fn a_path_scan_reads_log_folders_below_its_paths_only() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("app");
        let lib = app.join("lib");
        std::fs::create_dir_all(&lib).unwrap();
        std::fs::create_dir_all(app.join("logs")).unwrap();
        std::fs::create_dir_all(lib.join("log")).unwrap();
        let jar = lib.join("x.jar");
        std::fs::write(&jar, b"PK").unwrap();
        let paths = |roots: Vec<Root>| roots.into_iter().map(|r| r.path).collect::<Vec<_>>();
        let files = std::slice::from_ref(&jar);
        assert_eq!(
            paths(roots_near_components_below(
                files,
                std::slice::from_ref(&lib)
            )),
            [lib.join("log")]
        );
        let mut both = vec![app.join("logs"), lib.join("log")];
        both.sort();
        let mut got = paths(roots_near_components_below(
            files,
            std::slice::from_ref(&app),
        ));
        got.sort();
        assert_eq!(got, both);
        // (Without bases every folder counts; only those of this tree are compared.)
        let mut got = paths(roots_near_components_below(files, &[]));
        got.retain(|p| p.starts_with(dir.path()));
        got.sort();
        assert_eq!(got, both);
    }
}
