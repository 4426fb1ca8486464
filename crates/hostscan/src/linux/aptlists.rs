//! Pending updates from apt's local package lists (`/var/lib/apt/lists/*_Packages`, plain,
//! `.lz4` or `.gz`), compared with the installed versions by dpkg's ordering. Nothing is
//! downloaded. This reads the lists directly rather than asking `apt-get -s`, which on
//! systems without apt's binary cache (container images set `Dir::Cache::pkgcache ""`)
//! rebuilds the whole dependency cache on every call and takes seconds.
//!
//! Candidate selection follows apt's defaults: the highest version in any list for the
//! package's architecture, leaving out archives marked `NotAutomatic: yes` (backports,
//! experimental) unless they also say `ButAutomaticUpgrades: yes`, and packages on hold.
//! Pins in `/etc/apt/preferences` are not applied (said in the fact's note).

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read};

use praxcheck_versions::compare_debian;

use super::Package;
use super::updates::Pending;
use crate::fsroot::Fs;

/// What a list's `InRelease`/`Release` file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseInfo {
    /// `Suite`.
    pub suite: String,
    /// `Codename`.
    pub codename: String,
    /// `Label`.
    pub label: String,
    /// `NotAutomatic: yes` without `ButAutomaticUpgrades: yes`.
    pub not_automatic: bool,
}

impl ReleaseInfo {
    /// Whether the archive is a security archive.
    #[must_use]
    pub fn security(&self) -> bool {
        self.suite.ends_with("-security")
            || self.codename.ends_with("-security")
            || self.label.to_ascii_lowercase().contains("security")
    }
}

/// Parses the head of a `Release`/`InRelease` file.
#[must_use]
pub fn parse_release(text: &str) -> ReleaseInfo {
    let mut r = ReleaseInfo::default();
    let mut but_auto = false;
    for l in text.lines().take(60) {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k {
            "Suite" => r.suite = v.to_owned(),
            "Codename" => r.codename = v.to_owned(),
            "Label" => r.label = v.to_owned(),
            "NotAutomatic" => r.not_automatic = v.eq_ignore_ascii_case("yes"),
            "ButAutomaticUpgrades" => but_auto = v.eq_ignore_ascii_case("yes"),
            _ => {}
        }
    }
    r.not_automatic &= !but_auto;
    r
}

/// The release file of a list (`…_dists_bookworm-security_main_binary-amd64_Packages` →
/// `…_dists_bookworm-security_InRelease`).
#[must_use]
pub fn release_name(list: &str) -> Option<(String, String)> {
    let i = list.find("_dists_")?;
    let rest = &list[i + "_dists_".len()..];
    let suite = rest.split('_').next()?;
    let base = format!("{}_dists_{suite}_", &list[..i]);
    Some((format!("{base}InRelease"), format!("{base}Release")))
}

/// Scans one list, updating the newest candidate per installed package.
/// Longest line of a package list that is kept; the fields read here are far shorter, and
/// a corrupt list without line feeds must not fill memory.
const MAX_LINE: u64 = 64 * 1024;

/// Reads one line of at most `max` bytes into `line`; the rest of a longer line is skipped.
/// `Ok(false)` at the end of the input.
fn read_line_bounded<R: std::io::BufRead>(
    r: &mut R,
    line: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<bool> {
    use std::io::Read as _;
    line.clear();
    let n = r.by_ref().take(max).read_until(b'\n', line)?;
    if n == 0 {
        return Ok(false);
    }
    if line.last() != Some(&b'\n') && n as u64 == max {
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let k = r.by_ref().take(max).read_until(b'\n', &mut rest)?;
            if k == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
    }
    Ok(true)
}

fn scan_list(
    r: impl Read,
    installed: &BTreeMap<&str, &Package>,
    security: bool,
    best: &mut BTreeMap<String, (String, bool)>,
) {
    let mut reader = BufReader::with_capacity(256 * 1024, r);
    let mut line = Vec::with_capacity(256);
    let (mut name, mut version, mut arch) = (String::new(), String::new(), String::new());
    let mut finish = |name: &mut String, version: &mut String, arch: &mut String| {
        if let Some(p) = installed.get(name.as_str())
            && !version.is_empty()
            && (arch.as_str() == p.arch || arch == "all" || p.arch == "all")
            && compare_debian(version, &p.version) == std::cmp::Ordering::Greater
        {
            let e = best
                .entry(name.clone())
                .or_insert_with(|| (version.clone(), false));
            if compare_debian(version, &e.0) == std::cmp::Ordering::Greater {
                e.0 = version.clone();
            }
            // Any security archive offering a newer version makes it a security update.
            e.1 |= security;
        }
        name.clear();
        version.clear();
        arch.clear();
    };
    while let Ok(true) = read_line_bounded(&mut reader, &mut line, MAX_LINE) {
        let l = line.strip_suffix(b"\n").unwrap_or(&line);
        if l.is_empty() {
            finish(&mut name, &mut version, &mut arch);
            continue;
        }
        if l[0] == b' ' || l[0] == b'\t' {
            continue;
        }
        let text = |prefix: &[u8]| {
            l.strip_prefix(prefix)
                .map(|v| String::from_utf8_lossy(v).trim().to_owned())
        };
        if let Some(v) = text(b"Package:") {
            name = v;
        } else if let Some(v) = text(b"Version:") {
            version = v;
        } else if let Some(v) = text(b"Architecture:") {
            arch = v;
        }
    }
    finish(&mut name, &mut version, &mut arch);
}

/// The result of reading the lists.
#[derive(Debug, Clone, Default)]
pub struct ListsResult {
    /// Pending updates.
    pub pending: Vec<Pending>,
    /// Lists read.
    pub lists: usize,
    /// Lists left out (compression not read, or archives not chosen automatically).
    pub skipped: Vec<String>,
}

/// Reads the lists and compares them with the installed packages.
#[must_use]
pub fn pending_from_lists(fs: &Fs, packages: &[Package]) -> ListsResult {
    let installed: BTreeMap<&str, &Package> = packages
        .iter()
        .filter(|p| !p.held)
        .map(|p| (p.name.as_str(), p))
        .collect();
    let mut res = ListsResult::default();
    let mut best: BTreeMap<String, (String, bool)> = BTreeMap::new();
    const DIR: &str = "/var/lib/apt/lists";
    for name in fs.list(DIR) {
        let base = name
            .strip_suffix(".lz4")
            .or_else(|| name.strip_suffix(".gz"))
            .unwrap_or(&name);
        if !base.ends_with("_Packages") {
            if base.contains("_Packages.") {
                res.skipped.push(format!("{name} (compression not read)"));
            }
            continue;
        }
        let rel = release_name(base)
            .and_then(|(inr, r)| {
                fs.read(&format!("{DIR}/{inr}"), 64 * 1024)
                    .or_else(|_| fs.read(&format!("{DIR}/{r}"), 64 * 1024))
                    .ok()
            })
            .map(|b| parse_release(&String::from_utf8_lossy(&b)))
            .unwrap_or_default();
        if rel.not_automatic {
            res.skipped.push(format!("{name} (NotAutomatic archive)"));
            continue;
        }
        let Ok(f) = std::fs::File::open(fs.path(&format!("{DIR}/{name}"))) else {
            continue;
        };
        // Bounded: a list larger than 1 GiB uncompressed is cut there.
        const LIMIT: u64 = 1 << 30;
        if name.ends_with(".lz4") {
            scan_list(
                lz4_flex::frame::FrameDecoder::new(f).take(LIMIT),
                &installed,
                rel.security(),
                &mut best,
            );
        } else if name.ends_with(".gz") {
            scan_list(
                flate2::read::GzDecoder::new(f).take(LIMIT),
                &installed,
                rel.security(),
                &mut best,
            );
        } else {
            scan_list(f.take(LIMIT), &installed, rel.security(), &mut best);
        }
        res.lists += 1;
    }
    res.pending = best
        .into_iter()
        .map(|(name, (to, security))| Pending {
            from: installed.get(name.as_str()).map(|p| p.version.clone()),
            name,
            to,
            security,
        })
        .collect();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_not_held() {
        let mut text = b"Package: a\nDescription: ".to_vec();
        text.extend(std::iter::repeat_n(b'x', 300_000));
        text.extend_from_slice(b"\nVersion: 1.0\n\n");
        let mut r = std::io::BufReader::new(&text[..]);
        let mut line = Vec::new();
        let mut lines = Vec::new();
        while read_line_bounded(&mut r, &mut line, 1024).unwrap() {
            assert!(line.len() <= 1024);
            lines.push(String::from_utf8_lossy(&line[..line.len().min(20)]).into_owned());
        }
        assert_eq!(
            lines,
            [
                "Package: a\n",
                "Description: xxxxxxx",
                "Version: 1.0\n",
                "\n"
            ]
        );
    }

    #[test]
    fn release_files_and_names() {
        let r = parse_release(
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: Debian\nLabel: Debian-Security\nSuite: oldstable-security\nCodename: bookworm-security\n",
        );
        assert!(r.security());
        assert!(!r.not_automatic);
        let b = parse_release(
            "Suite: bookworm-backports\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n",
        );
        assert!(!b.not_automatic);
        let e = parse_release("Suite: experimental\nNotAutomatic: yes\n");
        assert!(e.not_automatic);
        assert_eq!(
            release_name(
                "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages"
            )
            .unwrap()
            .0,
            "deb.debian.org_debian-security_dists_bookworm-security_InRelease"
        );
    }
}
