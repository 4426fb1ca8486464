//! `praxcheck fix` on this computer (feature `local`): the fix's options from the parsed
//! arguments, the scan it plans from, and the command lines it suggests. The binary keeps
//! the dry run/apply decision, the output and the exit codes.

use praxcheck_report::fix::shell_word;
use std::path::PathBuf;
use std::sync::Arc;

use praxcheck_fix::{FailHook, FixOptions, NoFail};
use praxcheck_i18n::{Catalog, Lang};
use praxcheck_javascan::{Limits, Options, WalkOptions};

/// The fix's arguments as the binary parsed them.
#[derive(Debug, Clone, Default)]
pub struct FixPlan {
    /// Files or folders (empty: this computer's software locations).
    pub paths: Vec<PathBuf>,
    /// Files or folders to leave out.
    pub exclude: Vec<PathBuf>,
    /// Folder for the saved originals (default: the fix's own).
    pub backup_dir: Option<PathBuf>,
    /// Also change files in use (undo: also restore changed files).
    pub force: bool,
    /// Also remove the risky Log4j 1.x classes.
    pub log4j1: bool,
    /// Maximum nesting depth of archives.
    pub max_depth: usize,
}

impl FixPlan {
    /// The options and paths of this run, for the hints (`--yes …`, `--undo …`).
    #[must_use]
    pub fn shell_paths(&self, with_log4j1: bool) -> String {
        let mut words = Vec::new();
        if with_log4j1 && self.log4j1 {
            words.push("--log4j1".to_owned());
        }
        if let Some(d) = &self.backup_dir {
            words.push("--backup-dir".to_owned());
            words.push(shell_word(&d.display().to_string()));
        }
        words.extend(
            self.paths
                .iter()
                .map(|p| shell_word(&p.display().to_string())),
        );
        words.join(" ")
    }

    /// The fix's options: the backup folder made absolute, the limits and the
    /// `PRAXCHECK-BACKUP.txt` text (German and English).
    #[must_use]
    pub fn options(&self) -> FixOptions {
        let dir = self
            .backup_dir
            .clone()
            .unwrap_or_else(praxcheck_fix::default_backup_dir);
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        let mut o = FixOptions::new(dir);
        o.force = self.force;
        o.limits = Limits {
            max_depth: self.max_depth,
            ..Limits::default()
        };
        let de = Catalog::new(Lang::De).t("fix-readme");
        let en = Catalog::new(Lang::En).t("fix-readme");
        o.readme = format!("{de}\n\n{en}\n");
        o
    }

    /// What to change: the scan's components against the open findings of the advisory
    /// set (the fix detects nothing of its own).
    #[must_use]
    pub fn changes(
        &self,
        scan: &praxcheck_javascan::Output,
        set: &praxcheck_advisories::AdvisorySet,
    ) -> praxcheck_fix::Plan {
        let findings = praxcheck_advisories::match_components(set, &scan.components);
        praxcheck_fix::plan(
            &scan.components,
            &findings,
            praxcheck_fix::PlanOptions {
                log4j1: self.log4j1,
            },
        )
    }

    /// The Java scan the fix plans from: the paths (absolute: they go into the manifest and
    /// the undo hint), without the scan exclusions and the backup folder.
    #[must_use]
    pub fn scan(&self, opts: &FixOptions) -> praxcheck_javascan::Output {
        let mut exclude = crate::collect::scan_exclusions(&self.exclude);
        exclude.push(opts.backup_dir.clone());
        praxcheck_javascan::scan(
            &Options {
                walk: WalkOptions {
                    roots: crate::collect::java_roots(&self.paths),
                    exclude,
                    network_fs: false,
                    mounts: praxcheck_javascan::current_mounts(),
                },
                limits: opts.limits.clone(),
                processes: false,
            },
            &|_| {},
        )
    }
}

/// The failure hook: the test failpoint from the environment, else none.
#[must_use]
pub fn hook() -> Arc<dyn FailHook> {
    match praxcheck_fix::failpoint::from_env() {
        Some(h) => Arc::from(h),
        None => Arc::new(NoFail),
    }
}
