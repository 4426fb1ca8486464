//! `praxcheck fix` on this computer (feature `local`): the fix's options from the parsed
//! arguments, the scan it plans from, the command lines it suggests, and (with `clap`) the
//! command itself: the dry run/apply decision, its output and exit codes (`run`). The
//! binary passes its terminal.

use praxcheck_report::fix::{Tally, shell_word};
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

/// The exit code for what was counted: [`EXIT_ERROR`](crate::command::EXIT_ERROR) when a
/// file failed, [`EXIT_FINDINGS`](crate::command::EXIT_FINDINGS) when one was left alone.
#[must_use]
pub fn tally_exit_code(t: Tally) -> u8 {
    use crate::command::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
    if t.failed > 0 {
        EXIT_ERROR
    } else if t.left > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The error when the backup folder cannot be used at all.
#[cfg(feature = "clap")]
fn cannot_start(e: &praxcheck_fix::FixError, cat: &Catalog) -> crate::command::CommandError {
    crate::command::CommandError::failed(
        cat.t("fix-cannot-start"),
        praxcheck_report::fix::fix_reason(e, cat),
    )
}

/// `praxcheck fix`: scan, plan, show (dry run) or apply; `praxcheck fix --undo`.
///
/// Exit codes: 0 = nothing (more) to change; 1 = something still needs changing (dry run:
/// there are changes to apply; with `--yes`: some files were left alone, for example
/// because a program holds them; files or nested archives could not be read, so they may
/// hold a `JndiLookup`; undo: some files were refused); 2 = could not run or a change
/// failed (the original stays in place).
///
/// # Errors
/// No readable path, the advisory set, a backup folder that cannot be used, or writing
/// to standard output.
#[cfg(feature = "clap")]
pub fn run(
    a: &crate::args::FixArgs,
    term: &mut dyn crate::command::Terminal,
    cat: &Catalog,
) -> Result<u8, crate::command::CommandError> {
    use crate::command::{CommandError, EXIT_FINDINGS, EXIT_OK, write_out};
    let fp = a.plan();
    let opts = fp.options();
    if a.undo {
        let report =
            praxcheck_fix::undo(&a.paths, &opts, hook()).map_err(|e| cannot_start(&e, cat))?;
        let (text, tally) = praxcheck_report::fix::undone(&report, cat);
        write_out(term, text.as_bytes(), cat)?;
        return Ok(tally_exit_code(tally));
    }
    term.note(&cat.t("fix-scanning"));
    let scan = fp.scan(&opts);
    if scan.readable_roots == 0 {
        let text = praxcheck_report::fix::no_root(&scan.unreadable, cat);
        return Err(CommandError::Said(text));
    }
    let set = crate::command::advisory_set(term, cat)?;
    let plan = fp.changes(&scan, &set);
    let (notes, gaps) = praxcheck_report::fix::plan_notes(&plan, &scan.unreadable, cat);
    write_out(term, notes.as_bytes(), cat)?;
    // Loose classes and unreadable files or nested archives may hide a JndiLookup:
    // "nothing to change" is not claimed with exit code 0 then.
    let code = if plan.loose.is_empty() && gaps == 0 {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    };
    if plan.files.is_empty() {
        write_out(
            term,
            format!("{}\n", cat.t("fix-nothing-to-do")).as_bytes(),
            cat,
        )?;
        return Ok(code);
    }
    if a.yes {
        let report =
            praxcheck_fix::apply(&plan, &opts, hook()).map_err(|e| cannot_start(&e, cat))?;
        let (text, tally) = praxcheck_report::fix::applied(&report, &fp.shell_paths(false), cat);
        write_out(term, text.as_bytes(), cat)?;
        Ok(code.max(tally_exit_code(tally)))
    } else {
        let previews = praxcheck_fix::preview(&plan, &opts.limits, &opts.proc_root);
        let hints = praxcheck_report::fix::Hints {
            apply: &fp.shell_paths(true),
            backup_dir: &opts.backup_dir,
            jarsigner_missing: opts.jarsigner.is_none(),
        };
        let (text, tally) = praxcheck_report::fix::preview(&previews, &hints, cat);
        write_out(term, text.as_bytes(), cat)?;
        // Dry run: changes waiting are exit code 1.
        Ok(code.max(tally_exit_code(Tally {
            left: tally.left + tally.changed,
            ..tally
        })))
    }
}
