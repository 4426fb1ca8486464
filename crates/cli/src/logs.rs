//! `praxcheck logs`: the log collector on its own, and the log part of `praxcheck scan`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use praxcheck_i18n::Catalog;
use praxcheck_logscan::{Options, Root};
use praxcheck_model::{Collect as _, Document};

use crate::EXIT_ERROR;
use crate::args::LogsArgs;

/// Mount points the log walk must not enter (kernel interfaces, network shares).
pub(crate) fn skip_dirs() -> Vec<PathBuf> {
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

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

pub(crate) fn run(a: &LogsArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let started = Instant::now();
    let started_at = crate::scan::now_rfc3339();
    let roots: Vec<Root> = if a.paths.is_empty() {
        praxcheck_logscan::discover_roots()
    } else {
        a.paths.iter().map(|p| Root::given(absolute(p))).collect()
    };
    let opts = Options {
        exclude: crate::scan_exclusions(&a.exclude),
        skip_dirs: skip_dirs(),
        ..Options::default()
    };
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_fmt(&mut err, format_args!("{} …\n", cat.t("progress-logs")));
    }
    let scan = praxcheck_logscan::scan_roots(&roots, &opts);
    let readable = scan.readable_roots;
    let set = crate::assessing::load_set(quiet, cat)?;
    let mut doc = Document::new(
        crate::scan::scan_info(
            started_at,
            started,
            roots.iter().map(|r| r.path.display().to_string()).collect(),
        ),
        set.reference(),
    );
    doc.absorb(scan.into_contribution());
    doc.finish();
    doc.canonicalize();
    let code = crate::emit(doc, &set, &a.out, quiet, cat)?;
    if readable == 0 && !a.paths.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_fmt(
            &mut err,
            format_args!(
                "praxcheck: {}: {}\n",
                cat.t("error-prefix"),
                cat.t("logs-error-no-readable-path")
            ),
        );
        return Ok(EXIT_ERROR);
    }
    Ok(code)
}

/// Log folders for `praxcheck scan`: the machine's server-software log folders (without
/// `--path`) or the log folders below the given paths, plus those next to the Java
/// archives found.
pub(crate) fn scan_roots_for(given: &[PathBuf], component_files: &[PathBuf]) -> Vec<Root> {
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
