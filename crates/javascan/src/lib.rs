//! The Java component collector.
//!
//! Finds Java archives (jar, war, ear, zip, aar, jmod, rar, nar, sar, par, jpi, hpi and
//! script-prefixed executables) and exploded class folders, looks inside archives at any
//! depth, and records what it finds as inventory facts: every artifact with Maven
//! coordinates as a component with a package URL, and Log4j 2, Log4j 1.x / reload4j and
//! logback with the evidence for their version (pom.properties, manifest, file name, class
//! fingerprints, class byte markers) and the notable classes that are present (for example
//! whether `JndiLookup` was removed). It never judges: findings come from the advisories.
//!
//! Bad input never wins: every archive problem becomes an [`Unreadable`] entry naming the
//! file (and nested entry) and the reason, and the scan goes on. Memory stays bounded:
//! nested archives are read in place when STORED, in one forward pass over their inflated
//! bytes when DEFLATED and laid out so that the pass can prove it saw what their central
//! directory lists (`stream`), and spooled (memory up to [`Limits::spool_memory`], then an
//! anonymous temporary file) otherwise.

pub mod archive;
pub mod classfile;
pub mod fingerprints;
mod inspect;
pub mod placement;
pub mod procs;
pub mod source;
pub mod specs;
mod stream;
pub mod walk;
pub mod zipdir;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use praxcheck_model::{
    Component, Location, PathSegment, ScanStats, SkippedMount, Unreadable, UnreadableReason,
};

use crate::archive::FileScan;
use crate::inspect::{Container, analyze_class, parse_pom, pom_path};
use crate::source::Source;
use crate::specs::{SPECS, match_entry};

pub use walk::{Candidate, Mount, WalkOptions, current_mounts};

/// Limits that bound time, memory and disk use per file. Defaults are documented in
/// README.md ("Limits"); `--max-depth` changes the depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting depth of archives inside archives.
    pub max_depth: usize,
    /// Largest nested archive (inflated size) that is opened.
    pub max_nested_size: u64,
    /// Bytes that may be inflated in total for one file on disk and its nested archives.
    pub max_inflate_per_file: u64,
    /// Nested archives that may be opened in total for one file on disk, all levels
    /// together (STORED ones cost no inflation, so bytes alone do not bound the work).
    pub max_nested_per_file: u64,
    /// Largest `pom.properties` or manifest that is read.
    pub max_metadata_size: u64,
    /// Largest class file that is read.
    pub max_class_size: u64,
    /// Largest central directory (listing) of an archive.
    pub max_central_directory: u64,
    /// Inflated nested archives up to this size stay in memory; larger ones go to an
    /// anonymous temporary file. The default is 0: a nested archive is never held whole in
    /// memory (STORED ones are read in place, others are spooled to a temporary file).
    pub spool_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 16,
            max_nested_size: 4 << 30,
            max_inflate_per_file: 8 << 30,
            max_nested_per_file: 100_000,
            max_metadata_size: 1 << 20,
            max_class_size: 4 << 20,
            max_central_directory: 32 << 20,
            spool_memory: 0,
        }
    }
}

/// Scan settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// What to walk and what to leave out.
    pub walk: WalkOptions,
    /// Per-file limits.
    pub limits: Limits,
    /// Look up which running processes hold archives open (Linux).
    pub processes: bool,
}

/// Progress events for a user interface.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The walk finished: this many archives and bytes will be read.
    Walked {
        /// Archives to open.
        archives: u64,
        /// Their total size.
        bytes: u64,
    },
    /// One archive is done.
    ArchiveDone {
        /// Its size on disk.
        bytes: u64,
    },
}

/// What the collector found.
#[derive(Debug, Default)]
pub struct Output {
    /// Inventory components.
    pub components: Vec<Component>,
    /// Files and entries not (fully) read.
    pub unreadable: Vec<Unreadable>,
    /// Counters.
    pub stats: ScanStats,
    /// Mount points not entered.
    pub skipped_mounts: Vec<SkippedMount>,
    /// How many roots could be read at all.
    pub readable_roots: usize,
}

impl praxcheck_model::Collect for Output {
    const ID: praxcheck_model::CollectorId = praxcheck_model::CollectorId::Java;

    fn into_contribution(self) -> praxcheck_model::Contribution {
        praxcheck_model::Contribution {
            collector: Self::ID,
            inventory: praxcheck_model::Inventory {
                components: self.components,
                ..praxcheck_model::Inventory::default()
            },
            unreadable: self.unreadable,
            stats: self.stats,
            coverage: praxcheck_model::CollectorCoverage {
                readable_roots: self.readable_roots,
                skipped_mounts: self.skipped_mounts,
            },
        }
    }
}

fn modified(md: &std::fs::Metadata) -> Option<std::time::SystemTime> {
    md.modified().ok()
}

/// What scanning one file yields.
type FileResult = (Vec<Container>, Vec<Unreadable>, ScanStats);

/// Scans one file on disk as an archive (and everything nested in it). With `defer`, big
/// nested archives become tasks of their own in that scope, whose results go to the sink.
fn scan_file<'scope>(
    c: &Candidate,
    limits: &'scope Limits,
    defer: Option<(&rayon::Scope<'scope>, &'scope archive::Sink, (u64, u64))>,
) -> FileResult {
    let loc = Location::file(&c.path);
    let mut fs = FileScan::new(limits);
    fs.defer = defer;
    let file = match std::fs::File::open(&c.path) {
        Ok(f) => f,
        Err(e) => {
            fs.unreadable.push(Unreadable {
                location: loc,
                reason: walk::io_reason(&e),
                detail: e.to_string(),
            });
            return (fs.containers, fs.unreadable, fs.stats);
        }
    };
    let before = file.metadata().ok();
    let src = match Source::file(file) {
        Ok(s) => s,
        Err(e) => {
            fs.unreadable.push(Unreadable {
                location: loc,
                reason: walk::io_reason(&e),
                detail: e.to_string(),
            });
            return (fs.containers, fs.unreadable, fs.stats);
        }
    };
    let name = c.path.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut ancestors = Vec::new();
    fs.archive(&src, &loc, name, 0, &mut ancestors);
    // A file that changed while we read it may have given inconsistent answers.
    let after = std::fs::metadata(&c.path).ok();
    let changed = match (&before, &after) {
        (Some(b), Some(a)) => b.len() != a.len() || modified(b) != modified(a),
        (Some(_), None) => true,
        _ => false,
    };
    if changed {
        fs.unreadable.push(Unreadable {
            location: loc,
            reason: UnreadableReason::ChangedDuringScan,
            detail: "the file changed or disappeared while it was read; scan it again".to_owned(),
        });
    }
    (fs.containers, fs.unreadable, fs.stats)
}

/// Groups loose class files into exploded class folders and analyses each folder.
fn scan_exploded(
    class_files: &[PathBuf],
    limits: &Limits,
) -> (Vec<Container>, Vec<Unreadable>, ScanStats) {
    let mut stats = ScanStats::default();
    let mut unreadable = Vec::new();
    // (actual root, canonical prefix) → folder
    let mut roots: BTreeMap<(String, String), ()> = BTreeMap::new();
    for p in class_files {
        let b = p.to_string_lossy().replace('\\', "/");
        if let Some(m) = match_entry(b.as_bytes())
            && SPECS[m.spec].identifies
        {
            roots.insert((m.actual_prefix, m.canonical_prefix), ());
        }
    }
    let mut containers = Vec::new();
    for ((actual, canonical), ()) in roots {
        let root = PathBuf::from(actual.trim_end_matches('/'));
        let root = if root.as_os_str().is_empty() {
            PathBuf::from("/")
        } else {
            root
        };
        let loc = Location::file(&root);
        let mut c = Container::new(
            loc.clone(),
            root.file_name().map(|n| n.to_string_lossy().into_owned()),
            placement::classify(&loc),
        );
        for spec in SPECS {
            let Some(rel) = spec.canonical.strip_prefix(canonical.as_str()) else {
                continue;
            };
            for ext in specs::CLASS_EXTENSIONS {
                let path = root.join(format!("{rel}.{ext}"));
                let Ok(md) = std::fs::metadata(&path) else {
                    continue;
                };
                if !md.is_file() {
                    continue;
                }
                let entry_loc = loc.child(PathSegment::Text(format!("{rel}.{ext}")));
                if md.len() > limits.max_class_size {
                    unreadable.push(Unreadable {
                        location: entry_loc,
                        reason: UnreadableReason::SizeLimit,
                        detail: format!("class file of {} bytes exceeds the limit", md.len()),
                    });
                    continue;
                }
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        stats.bytes_read += bytes.len() as u64;
                        let shown = format!("{rel}.{ext}");
                        if let Some(m) = match_entry(format!("{canonical}{shown}").as_bytes()) {
                            let mut hit = analyze_class(&m, &shown, &bytes);
                            hit.actual_prefix = actual.clone();
                            hit.canonical_prefix = canonical.clone();
                            c.classes.push(hit);
                        }
                    }
                    Err(e) => unreadable.push(Unreadable {
                        location: entry_loc,
                        reason: walk::io_reason(&e),
                        detail: e.to_string(),
                    }),
                }
            }
        }
        // Maven metadata next to the classes (an unpacked jar keeps META-INF/maven).
        let maven = root.join("META-INF/maven");
        if let Ok(groups) = std::fs::read_dir(&maven) {
            for g in groups.filter_map(Result::ok).take(1000) {
                let Ok(arts) = std::fs::read_dir(g.path()) else {
                    continue;
                };
                for a in arts.filter_map(Result::ok).take(1000) {
                    let pp = a.path().join("pom.properties");
                    let rel = format!(
                        "META-INF/maven/{}/{}/pom.properties",
                        g.file_name().to_string_lossy(),
                        a.file_name().to_string_lossy()
                    );
                    let Some(dir) = pom_path(rel.as_bytes()) else {
                        continue;
                    };
                    let Ok(md) = std::fs::metadata(&pp) else {
                        continue;
                    };
                    if md.len() > limits.max_metadata_size {
                        continue;
                    }
                    if let Ok(text) = std::fs::read(&pp) {
                        c.poms.push(parse_pom(&rel, dir, &text));
                    }
                }
            }
        }
        if !c.classes.is_empty() {
            containers.push(c);
        }
    }
    (containers, unreadable, stats)
}

/// Most components listed for one file on disk and everything nested in it: a hostile
/// tree of thousands of nested archives must not make a document of a gigabyte.
pub const MAX_COMPONENTS_PER_FILE: usize = 10_000;
/// Most entries listed as not (fully) read for one file on disk.
pub const MAX_UNREADABLE_PER_FILE: usize = 1_000;

/// Keeps the facts of one file within [`MAX_COMPONENTS_PER_FILE`] and
/// [`MAX_UNREADABLE_PER_FILE`]. Java library components (Log4j, logback, with their class
/// facts) are kept before plain Maven artifacts; what is left out is counted in an entry
/// for the file, never dropped silently.
pub fn cap_file_facts(file: &Location, f: &mut FileFacts) {
    let mut note = None;
    if f.components.len() > MAX_COMPONENTS_PER_FILE {
        let total = f.components.len();
        // Stable: library components first, each group in its order.
        let (mut keep, rest): (Vec<Component>, Vec<Component>) = std::mem::take(&mut f.components)
            .into_iter()
            .partition(|c| c.java.is_some());
        keep.extend(rest);
        keep.truncate(MAX_COMPONENTS_PER_FILE);
        f.components = keep;
        note = Some(Unreadable {
            location: file.clone(),
            reason: UnreadableReason::SizeLimit,
            detail: format!(
                "{} of {total} components in this file are not listed (at most \
                 {MAX_COMPONENTS_PER_FILE} per file)",
                total - MAX_COMPONENTS_PER_FILE
            ),
        });
    }
    if f.unreadable.len() > MAX_UNREADABLE_PER_FILE {
        let total = f.unreadable.len();
        f.unreadable.sort();
        f.unreadable.truncate(MAX_UNREADABLE_PER_FILE - 1);
        f.unreadable.push(Unreadable {
            location: file.clone(),
            reason: UnreadableReason::SizeLimit,
            detail: format!(
                "{} further entries of this file were not fully read and are not listed \
                 (at most {MAX_UNREADABLE_PER_FILE} per file)",
                total - (MAX_UNREADABLE_PER_FILE - 1)
            ),
        });
    }
    f.unreadable.extend(note);
}

/// The facts found in one file on disk and everything nested in it (components without the
/// processes holding it open, which are looked up on every run), for a [`FactCache`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileFacts {
    /// Components, in the order the collector produced them.
    pub components: Vec<Component>,
    /// Entries not (fully) read.
    pub unreadable: Vec<Unreadable>,
    /// Counters of reading it.
    pub stats: ScanStats,
}

/// A store of facts per file on disk, asked before a file is opened (the repeat-scan cache
/// of `praxcheck-agent` implements it). The collector stays a pure reader: whether a file is
/// unchanged is the cache's decision.
pub trait FactCache: Sync {
    /// The facts of this file when it is unchanged since they were stored; `None` = read it.
    fn lookup(&self, file: &Candidate) -> Option<FileFacts>;
    /// The facts of a file that was just read.
    fn store(&self, file: &Candidate, facts: &FileFacts);
}

/// Runs the collector.
pub fn scan(opts: &Options, progress: &(dyn Fn(Progress) + Sync)) -> Output {
    scan_with_cache(opts, None, progress)
}

/// Runs the collector; files the cache knows unchanged are not read.
pub fn scan_with_cache(
    opts: &Options,
    cache: Option<&dyn FactCache>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Output {
    let walked = walk::walk(&opts.walk);
    let mut out = Output {
        stats: walked.stats.clone(),
        unreadable: walked.unreadable,
        skipped_mounts: walked.skipped_mounts,
        readable_roots: walked.readable_roots,
        ..Output::default()
    };
    let total: u64 = walked.archives.iter().map(|c| c.size).sum();
    progress(Progress::Walked {
        archives: walked.archives.len() as u64,
        bytes: total,
    });
    let mut known: Vec<((u64, u64), FileFacts)> = Vec::new();
    let mut to_read: Vec<&Candidate> = Vec::new();
    // Asking the cache costs a `stat` and a small read per file: on every thread.
    let looked_up: Vec<Option<FileFacts>> = match cache {
        Some(k) => {
            use rayon::prelude::*;
            walked.archives.par_iter().map(|c| k.lookup(c)).collect()
        }
        None => Vec::new(),
    };
    let mut looked_up = looked_up.into_iter();
    for c in &walked.archives {
        match looked_up.next().flatten() {
            Some(f) => {
                progress(Progress::ArchiveDone { bytes: c.size });
                known.push((c.identity, f));
            }
            None => to_read.push(c),
        }
    }
    // Largest files first, so that the big ones do not end up last on one thread; big nested
    // archives are handed off as tasks of their own.
    let mut order = to_read;
    order.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
    let sink: archive::Sink = std::sync::Mutex::new(Vec::new());
    let limits = &opts.limits;
    rayon::scope(|scope| {
        for c in &order {
            let sink = &sink;
            let c = *c;
            scope.spawn(move |scope| {
                let (containers, unreadable, stats) =
                    scan_file(c, limits, Some((scope, sink, c.identity)));
                if let Ok(mut v) = sink.lock() {
                    v.push((c.identity, containers, unreadable, stats));
                }
                progress(Progress::ArchiveDone { bytes: c.size });
            });
        }
    });
    // The results of one file (its own task and those of its big nested archives), together.
    let mut read: BTreeMap<(u64, u64), FileFacts> = BTreeMap::new();
    for (identity, containers, unreadable, stats) in sink.into_inner().unwrap_or_default() {
        let f = read.entry(identity).or_default();
        f.stats += &stats;
        f.unreadable.extend(unreadable);
        for c in &containers {
            f.components.extend(inspect::components(c));
        }
    }
    let paths: std::collections::HashMap<(u64, u64), &Path> = order
        .iter()
        .map(|c| (c.identity, c.path.as_path()))
        .collect();
    for (identity, f) in &mut read {
        if let Some(p) = paths.get(identity) {
            cap_file_facts(&Location::file(p), f);
        }
    }
    if let Some(k) = cache {
        for c in &order {
            // Without device and inode (identity 0, 0) results cannot be told apart per file.
            if c.identity != (0, 0)
                && let Some(f) = read.get(&c.identity)
            {
                k.store(c, f);
            }
        }
    }
    let open = if opts.processes {
        procs::open_archives(Path::new("/proc"))
    } else {
        Default::default()
    };
    for (identity, f) in known.into_iter().chain(read) {
        out.stats += &f.stats;
        out.unreadable.extend(f.unreadable);
        let mut comps = f.components;
        if let Some(holders) = open.get(&identity) {
            for comp in &mut comps {
                comp.open_by.clone_from(holders);
            }
        }
        out.components.extend(comps);
    }
    let (containers, unreadable, stats) = scan_exploded(&walked.class_files, &opts.limits);
    out.stats += &stats;
    out.unreadable.extend(unreadable);
    for c in &containers {
        out.components.extend(inspect::components(c));
    }
    out.components
        .sort_by(|a, b| (&a.location.display, &a.name).cmp(&(&b.location.display, &b.name)));
    out.unreadable.sort();
    out.unreadable.dedup();
    out
}

/// The default roots on this platform: the software locations of Linux
/// (`/opt`, `/usr/share`, `/usr/lib`, `/srv`, `/var/lib`, `/home`) that exist, or every
/// local fixed drive on Windows.
#[must_use]
pub fn default_roots() -> Vec<PathBuf> {
    #[cfg(windows)]
    {
        windows_fixed_drives()
    }
    #[cfg(not(windows))]
    {
        [
            "/opt",
            "/usr/share",
            "/usr/lib",
            "/srv",
            "/var/lib",
            "/home",
        ]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .collect()
    }
}

#[cfg(windows)]
fn windows_fixed_drives() -> Vec<PathBuf> {
    // DriveType 3 = local disk (Win32_LogicalDisk); language independent.
    let out = std::process::Command::new("powershell")
        .args([
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            "Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=3' | ForEach-Object { $_.DeviceID }",
        ])
        .output();
    let mut v: Vec<PathBuf> = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::trim)
            .filter(|l| l.len() == 2 && l.ends_with(':'))
            .map(|l| PathBuf::from(format!("{l}\\")))
            .collect(),
        _ => Vec::new(),
    };
    if v.is_empty() {
        v.push(PathBuf::from("C:\\"));
    }
    v
}

/// The Log4j 2 core version evidence of the outermost level of one archive file: the
/// versions the class markers allow, and the versions whose reference fingerprints all
/// classes match. For the fingerprint generator, the tests and diagnostics.
#[must_use]
pub fn log4j_core_evidence(
    path: &Path,
) -> Option<(praxcheck_versions::VersionSet, Option<Vec<String>>)> {
    let cand = Candidate {
        path: path.to_path_buf(),
        identity: (0, 0),
        size: 0,
        explicit: true,
    };
    let limits = Limits {
        max_depth: 0,
        ..Limits::default()
    };
    let (containers, _, _) = scan_file(&cand, &limits, None);
    let c = containers.into_iter().next()?;
    let hits: Vec<&inspect::ClassHit> = c
        .classes
        .iter()
        .filter(|h| SPECS[h.spec].product == praxcheck_model::JavaProduct::Log4jCore)
        .collect();
    if hits.is_empty() {
        return None;
    }
    let (set, _, _) = inspect::marker_versions(&hits);
    let (fp, _) = inspect::fingerprint_versions(&hits);
    Some((set, fp))
}

/// Scans archive bytes held in memory as if they were a file named `name` (for fuzzing
/// and tests of the archive reader).
#[must_use]
pub fn scan_archive_bytes(name: &str, bytes: Vec<u8>, limits: &Limits) -> Output {
    let loc = Location::new(vec![PathSegment::Text(name.to_owned())]);
    let mut fs = FileScan::new(limits);
    let src = Source::memory(bytes);
    fs.archive(&src, &loc, Some(name.to_owned()), 0, &mut Vec::new());
    let mut f = FileFacts {
        components: Vec::new(),
        unreadable: fs.unreadable,
        stats: fs.stats,
    };
    for c in &fs.containers {
        f.components.extend(inspect::components(c));
    }
    cap_file_facts(&loc, &mut f);
    Output {
        components: f.components,
        unreadable: f.unreadable,
        stats: f.stats,
        ..Output::default()
    }
}
