//! `praxcheck fix`: scan, plan, show (dry run) or apply; `praxcheck fix --undo`.
//!
//! Exit codes: 0 = nothing (more) to change; 1 = something still needs changing (dry run:
//! there are changes to apply; with `--yes`: some files were left alone, for example
//! because a program holds them; files or nested archives could not be read, so they may
//! hold a `JndiLookup`; undo: some files were refused); 2 = could not run or a
//! change failed (the original stays in place).

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use praxcheck_fix::{FailHook, FixError, FixOptions, NoFail, PlanOptions};
use praxcheck_i18n::{Catalog, Lang};
use praxcheck_javascan::{Limits, Options, WalkOptions};
use praxcheck_report::fix::Tally;

use crate::args::FixArgs;
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The options and paths of this run, for the hints (`--yes …`, `--undo …`).
fn shell_paths(a: &FixArgs, with_log4j1: bool) -> String {
    let mut words = Vec::new();
    if with_log4j1 && a.log4j1 {
        words.push("--log4j1".to_owned());
    }
    if let Some(d) = &a.backup_dir {
        words.push("--backup-dir".to_owned());
        words.push(shell_word(&d.display().to_string()));
    }
    words.extend(a.paths.iter().map(|p| shell_word(&p.display().to_string())));
    words.join(" ")
}

/// The text of `PRAXCHECK-BACKUP.txt`, German and English.
fn readme() -> String {
    let de = Catalog::new(Lang::De).t("fix-readme");
    let en = Catalog::new(Lang::En).t("fix-readme");
    format!("{de}\n\n{en}\n")
}

fn hook() -> Arc<dyn FailHook> {
    match praxcheck_fix::failpoint::from_env() {
        Some(h) => Arc::from(h),
        None => Arc::new(NoFail),
    }
}

fn options(a: &FixArgs) -> FixOptions {
    let dir = a
        .backup_dir
        .clone()
        .unwrap_or_else(praxcheck_fix::default_backup_dir);
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    let mut o = FixOptions::new(dir);
    o.force = a.force;
    o.limits = Limits {
        max_depth: a.max_depth,
        ..Limits::default()
    };
    o.readme = readme();
    o
}

pub(crate) fn run(a: &FixArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let opts = options(a);
    if a.undo {
        return undo(a, &opts, cat);
    }
    // Absolute paths: they go into the manifest and the undo hint.
    let absolute = |p: &PathBuf| std::path::absolute(p).unwrap_or_else(|_| p.clone());
    let roots: Vec<PathBuf> = if a.paths.is_empty() {
        praxcheck_javascan::default_roots()
    } else {
        a.paths.iter().map(absolute).collect()
    };
    let mut exclude = crate::scan_exclusions(&a.exclude);
    exclude.push(opts.backup_dir.clone());
    if !quiet {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", cat.t("fix-scanning"));
    }
    let scan = praxcheck_javascan::scan(
        &Options {
            walk: WalkOptions {
                roots,
                exclude,
                network_fs: false,
                mounts: praxcheck_javascan::current_mounts(),
            },
            limits: opts.limits.clone(),
            processes: false,
        },
        &|_| {},
    );
    if scan.readable_roots == 0 {
        let detail = scan
            .unreadable
            .first()
            .map(|u| {
                format!(
                    "{}: {} ({})",
                    u.location,
                    praxcheck_report::words::reason_text(u.reason, cat),
                    u.detail
                )
            })
            .unwrap_or_default();
        anyhow::bail!("{} {detail}", cat.t("fix-no-root"));
    }
    let set = crate::assessing::load_set(quiet, cat)?;
    let findings = praxcheck_advisories::match_components(&set, &scan.components);
    let plan = praxcheck_fix::plan(
        &scan.components,
        &findings,
        PlanOptions { log4j1: a.log4j1 },
    );
    let (notes, gaps) = praxcheck_report::fix::plan_notes(&plan, &scan.unreadable, cat);
    let mut so = std::io::stdout().lock();
    so.write_all(notes.as_bytes())?;
    // Loose classes and unreadable files or nested archives may hide a JndiLookup:
    // "nothing to change" is not claimed with exit code 0 then.
    let code = if plan.loose.is_empty() && gaps == 0 {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    };
    if plan.files.is_empty() {
        writeln!(so, "{}", cat.t("fix-nothing-to-do"))?;
        return Ok(code);
    }
    if a.yes {
        let report =
            praxcheck_fix::apply(&plan, &opts, hook()).map_err(|e| cannot_start(&e, cat))?;
        let (text, tally) = praxcheck_report::fix::applied(&report, &shell_paths(a, false), cat);
        so.write_all(text.as_bytes())?;
        Ok(code.max(exit(tally)))
    } else {
        let previews = praxcheck_fix::preview(&plan, &opts.limits, &opts.proc_root);
        let hints = praxcheck_report::fix::Hints {
            apply: &shell_paths(a, true),
            backup_dir: &opts.backup_dir,
            jarsigner_missing: opts.jarsigner.is_none(),
        };
        let (text, tally) = praxcheck_report::fix::preview(&previews, &hints, cat);
        so.write_all(text.as_bytes())?;
        // Dry run: changes waiting are exit code 1.
        Ok(code.max(exit(Tally {
            left: tally.left + tally.changed,
            ..tally
        })))
    }
}

/// The exit code for what was counted: 2 when a file failed, 1 when one was left alone.
fn exit(t: Tally) -> u8 {
    if t.failed > 0 {
        EXIT_ERROR
    } else if t.left > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn undo(a: &FixArgs, opts: &FixOptions, cat: &Catalog) -> Result<u8> {
    let report = praxcheck_fix::undo(&a.paths, opts, hook()).map_err(|e| cannot_start(&e, cat))?;
    let (text, tally) = praxcheck_report::fix::undone(&report, cat);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(exit(tally))
}

/// The error when the backup folder cannot be used at all.
fn cannot_start(e: &FixError, cat: &Catalog) -> anyhow::Error {
    anyhow::anyhow!(praxcheck_report::fix::fix_reason(e, cat)).context(cat.t("fix-cannot-start"))
}
