//! Collecting on this computer (feature `local`): the collectors of `praxcheck scan`,
//! `logs` and `net` run with the options the binary parsed, and their contributions go into
//! one document through the collector contract (`Document::absorb`). The binary keeps the
//! arguments, the progress display and the exit codes; the service never collects.

use std::path::{Path, PathBuf};
use std::time::Instant;

use praxcheck_javascan::{FactCache, Limits, Options, Progress, WalkOptions};
use praxcheck_logscan::Root;
use praxcheck_model::{AdvisorySetRef, Collect as _, Contribution, Document, ScanInfo, ScanStats};

/// RFC 3339 UTC timestamp.
#[must_use]
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// This machine's host name.
#[must_use]
pub fn hostname() -> String {
    for p in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(s) = std::fs::read_to_string(p) {
            let s = s.trim();
            if !s.is_empty() {
                return s.to_owned();
            }
        }
    }
    std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// The start of a command's collection: wall-clock time for the document, a monotonic
/// clock for its duration.
#[derive(Debug, Clone)]
pub struct Started {
    at: String,
    instant: Instant,
}

impl Started {
    /// Now.
    #[must_use]
    pub fn now() -> Self {
        Self {
            at: now_rfc3339(),
            instant: Instant::now(),
        }
    }

    /// When the command started (monotonic).
    #[must_use]
    pub fn instant(&self) -> Instant {
        self.instant
    }

    /// The scan header before any collector has added to it: this machine, the start and
    /// end time, and the roots the command was given or chose.
    #[must_use]
    pub fn scan_info(&self, roots: Vec<String>) -> ScanInfo {
        ScanInfo {
            hostname: hostname(),
            os: std::env::consts::OS.to_owned(),
            started_at: self.at.clone(),
            finished_at: now_rfc3339(),
            duration_ms: u64::try_from(self.instant.elapsed().as_millis()).unwrap_or(u64::MAX),
            roots,
            collectors: Vec::new(),
            stats: ScanStats::default(),
            complete: true,
            skipped_mounts: Vec::new(),
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// What every scan leaves out: the folders the user excludes, the backup folders of
/// `praxcheck fix` (saved originals are not installed software) and praxcheck's own state
/// and output folders (its reports quote the payloads it found). All made absolute.
#[must_use]
pub fn scan_exclusions(user: &[PathBuf]) -> Vec<PathBuf> {
    user.iter()
        .chain(&praxcheck_fix::scan_exclusions())
        .chain(&crate::folders::own_folders())
        .map(|p| absolute(p))
        .collect()
}

/// The roots of a Java scan: the given paths made absolute (they are what a fix or an IT
/// provider needs), else this computer's software locations.
#[must_use]
pub fn java_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        praxcheck_javascan::default_roots()
    } else {
        paths.iter().map(|p| absolute(p)).collect()
    }
}

/// Mount points the log walk must not enter (kernel interfaces, network shares).
#[must_use]
pub fn skip_dirs() -> Vec<PathBuf> {
    use praxcheck_javascan::walk::{NETWORK_FS, PSEUDO_FS};
    praxcheck_javascan::current_mounts()
        .into_iter()
        .filter(|m| {
            PSEUDO_FS.contains(&m.fs_type.as_str()) || NETWORK_FS.contains(&m.fs_type.as_str())
        })
        .map(|m| m.path)
        .filter(|p| p != Path::new("/"))
        .collect()
}

/// Log folders for `praxcheck scan`: the machine's server-software log folders (without
/// `--path`) or the log folders below the given paths, plus those next to the Java
/// archives found.
#[must_use]
pub fn log_roots_for_scan(given: &[PathBuf], component_files: &[PathBuf]) -> Vec<Root> {
    let mut roots = if given.is_empty() {
        praxcheck_logscan::discover_roots()
    } else {
        praxcheck_logscan::discover::discover_in(&[], given)
    };
    // Below the given paths only (issue 11): `scan --path a/b` never reads `a/logs`.
    roots.extend(praxcheck_logscan::roots_near_components_below(
        component_files,
        given,
    ));
    praxcheck_logscan::discover::dedupe_nested(roots)
}

/// What `praxcheck scan` collects, as the binary parsed it.
#[derive(Debug, Clone)]
pub struct ScanPlan {
    /// Files or folders given (empty: this computer's software locations).
    pub paths: Vec<PathBuf>,
    /// Files or folders the user leaves out.
    pub exclude: Vec<PathBuf>,
    /// Enter network filesystems.
    pub network_fs: bool,
    /// Maximum nesting depth of archives.
    pub max_depth: usize,
    /// Look up which running programs use the archives.
    pub processes: bool,
    /// Search the log folders.
    pub logs: bool,
    /// Read this computer's settings.
    pub host: bool,
    /// Only this computer's settings: no Java archives, no logs.
    pub host_only: bool,
    /// Use the repeat-scan cache of the state folder.
    pub cache: bool,
    /// The host collector's options.
    pub host_options: praxcheck_hostscan::Options,
}

/// The collectors' results, before the advisory set in use is known.
#[derive(Debug)]
pub struct Collected {
    info: ScanInfo,
    parts: Vec<Contribution>,
    /// How many of the Java roots could be read (0 with nothing readable).
    pub readable_roots: usize,
    /// A note when the repeat-scan cache could not be saved.
    pub cache_note: Option<String>,
    /// Why the stored repeat-scan cache was not used, when it was not.
    pub cache_discarded: Option<praxcheck_agent::cache::Discard>,
}

impl Collected {
    /// The one document of the run: every contribution absorbed, statistics summed.
    #[must_use]
    pub fn into_document(self, set: AdvisorySetRef) -> Document {
        let mut doc = Document::new(self.info, set);
        for c in self.parts {
            doc.absorb(c);
        }
        doc.finish();
        doc
    }

    /// The notes about the repeat-scan cache, in the user's language: why the stored
    /// cache was not used (every file was read again), and that it could not be saved.
    #[must_use]
    pub fn cache_notes(&self, cat: &praxcheck_i18n::Catalog) -> Vec<String> {
        let mut notes: Vec<String> = self
            .cache_discarded
            .iter()
            .map(|d| cache_discarded_note(d, cat))
            .collect();
        if let Some(reason) = &self.cache_note {
            notes.push(cat.t_args("cache-not-saved", &[("reason", reason.into())]));
        }
        notes
    }
}

/// Why the stored repeat-scan cache was not used, in the user's language (the English
/// detail is for logs: [`praxcheck_agent::cache::ScanCache::discarded`]).
#[must_use]
pub fn cache_discarded_note(
    d: &praxcheck_agent::cache::Discard,
    cat: &praxcheck_i18n::Catalog,
) -> String {
    use praxcheck_agent::cache::DiscardKind;
    use praxcheck_i18n::Arg;
    let key = match d.kind {
        DiscardKind::Damaged => "cache-discarded-damaged",
        DiscardKind::Foreign => "cache-discarded-foreign",
        DiscardKind::TooLarge => "cache-discarded-too-large",
        DiscardKind::Unreadable => "cache-discarded-unreadable",
    };
    cat.t_args(key, &[("path", Arg::from(d.path.display().to_string()))])
}

/// Why `praxcheck scan` could not collect.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The host collector failed.
    #[error(transparent)]
    Host(#[from] praxcheck_hostscan::HostError),
    /// The host collector's thread ended without a result.
    #[error("the host collector stopped")]
    HostStopped,
}

/// `praxcheck scan`: Java archives (with `on_progress`), host facts (read meanwhile on a
/// second thread) and the logs near what was found.
///
/// # Errors
/// When the host collector fails.
pub fn scan(
    plan: &ScanPlan,
    started: &Started,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Collected, CollectError> {
    // The assessment after the scan needs the embedded advisory set: parsed meanwhile.
    praxcheck_advisories::AdvisorySet::prepare_embedded();
    let roots = java_roots(&plan.paths);
    let opts = Options {
        walk: WalkOptions {
            roots: roots.clone(),
            exclude: scan_exclusions(&plan.exclude),
            network_fs: plan.network_fs,
            mounts: praxcheck_javascan::current_mounts(),
        },
        limits: Limits {
            max_depth: plan.max_depth,
            ..Limits::default()
        },
        processes: plan.processes,
    };
    let mut cache_note = None;
    let mut cache_discarded = None;
    let (out, host) = std::thread::scope(|s| {
        let host = plan
            .host
            .then(|| s.spawn(|| praxcheck_hostscan::collect(&plan.host_options)));
        let out = if plan.host_only {
            praxcheck_javascan::Output::default()
        } else {
            let cache = open_cache(!plan.cache, &opts.limits);
            let out = praxcheck_javascan::scan_with_cache(
                &opts,
                cache.as_ref().map(|c| c as &dyn FactCache),
                on_progress,
            );
            cache_discarded = cache.as_ref().and_then(|c| c.discard().cloned());
            cache_note = save_cache(cache);
            out
        };
        (out, host.map(|h| h.join()))
    });
    let host = match host {
        None => None,
        Some(Ok(r)) => Some(r?),
        Some(Err(_)) => return Err(CollectError::HostStopped),
    };
    let java_roots = if plan.host_only {
        Vec::new()
    } else {
        roots.iter().map(|r| r.display().to_string()).collect()
    };
    let info = started.scan_info(java_roots);
    let readable_roots = out.readable_roots;
    // The log collector, for the log folders of the software on this machine (or below the
    // given paths) and next to the Java archives found.
    let logs = (plan.logs && !plan.host_only)
        .then(|| {
            let files: Vec<PathBuf> = out
                .components
                .iter()
                .filter_map(|c| c.location.chain.first())
                .map(|seg| PathBuf::from(seg.display()))
                .collect();
            let given: Vec<PathBuf> = plan.paths.iter().map(|p| absolute(p)).collect();
            let log_roots = log_roots_for_scan(&given, &files);
            (!log_roots.is_empty()).then(|| {
                let log_opts = praxcheck_logscan::Options {
                    exclude: opts.walk.exclude.clone(),
                    skip_dirs: skip_dirs(),
                    ..praxcheck_logscan::Options::default()
                };
                praxcheck_logscan::scan_roots(&log_roots, &log_opts)
            })
        })
        .flatten();
    let mut parts = Vec::new();
    if !plan.host_only {
        parts.push(out.into_contribution());
    }
    if let Some(h) = host {
        parts.push(h.into_contribution());
    }
    if let Some(l) = logs {
        parts.push(l.into_contribution());
    }
    Ok(Collected {
        info,
        parts,
        readable_roots,
        cache_note,
        cache_discarded,
    })
}

/// `praxcheck logs`: the log collector on its own, for the given paths (absolute) or this
/// computer's server log folders.
#[must_use]
pub fn logs(paths: &[PathBuf], exclude: &[PathBuf], started: &Started) -> Collected {
    let roots: Vec<Root> = if paths.is_empty() {
        praxcheck_logscan::discover_roots()
    } else {
        paths.iter().map(|p| Root::given(absolute(p))).collect()
    };
    let opts = praxcheck_logscan::Options {
        exclude: scan_exclusions(exclude),
        skip_dirs: skip_dirs(),
        ..praxcheck_logscan::Options::default()
    };
    let scan = praxcheck_logscan::scan_roots(&roots, &opts);
    Collected {
        info: started.scan_info(roots.iter().map(|r| r.path.display().to_string()).collect()),
        readable_roots: scan.readable_roots,
        parts: vec![scan.into_contribution()],
        cache_note: None,
        cache_discarded: None,
    }
}

/// `praxcheck net`: the network collector's facts into a document. The document is
/// complete only when the scan finished in time.
#[must_use]
pub fn net_document(
    facts: praxcheck_model::NetworkFacts,
    started: &Started,
    set: AdvisorySetRef,
) -> Document {
    let mut info = started.scan_info(facts.targets.clone());
    info.complete = false;
    let finished_in_time = facts.complete;
    let mut doc = Document::new(info, set);
    doc.absorb(facts.into_contribution());
    doc.finish();
    doc.scan.complete &= finished_in_time;
    doc.canonicalize();
    doc
}

/// Why `praxcheck net` could not run, in the user's words, with the target or the
/// numbers as evidence (the network collector's English stays out of a German message).
#[must_use]
pub fn net_refusal(e: &praxcheck_netscan::NetError, cat: &praxcheck_i18n::Catalog) -> String {
    use praxcheck_i18n::Arg;
    use praxcheck_netscan::NetError;
    match e {
        NetError::BadTarget { target, .. } => {
            let target = praxcheck_report::term::vis(target);
            cat.t_args("net-error-bad-target", &[("target", Arg::from(target))])
        }
        NetError::Public { target } => format!("{} ({target})", cat.t("net-error-public")),
        NetError::TooLarge {
            addresses, limit, ..
        } => format!("{} ({addresses} > {limit})", cat.t("net-error-large")),
        NetError::NoTargets => cat.t("net-error-no-targets"),
        NetError::Runtime(io) => format!(
            "{} ({})",
            cat.t("net-error-failed"),
            praxcheck_report::words::io_error(io, cat)
        ),
        // The embedded data is broken: a build defect, said as the library says it.
        NetError::Data(_) => format!("{} ({e})", cat.t("net-error-failed")),
    }
}

/// The repeat-scan cache of the state folder, unless `off` or there is no state folder.
#[must_use]
pub fn open_cache(off: bool, limits: &Limits) -> Option<praxcheck_agent::cache::ScanCache> {
    if off {
        return None;
    }
    let state = crate::folders::state_dir()?;
    // A state folder that is not there and cannot be made (no parent): nothing to cache.
    if !state.root().exists() && !state.root().parent().is_some_and(Path::exists) {
        return None;
    }
    Some(praxcheck_agent::cache::ScanCache::load(
        state.root(),
        limits,
    ))
}

/// Saves the cache after a scan; returns the reason when that failed (worded for people by
/// the catalogue's `cache-not-saved`).
#[must_use]
pub fn save_cache(cache: Option<praxcheck_agent::cache::ScanCache>) -> Option<String> {
    let c = cache?;
    c.save().err().map(|e| e.to_string())
}
