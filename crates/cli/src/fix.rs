//! `praxcheck fix`: scan, plan, show (dry run) or apply; `praxcheck fix --undo`.
//!
//! Exit codes: 0 = nothing (more) to change; 1 = something still needs changing (dry run:
//! there are changes to apply; with `--yes`: some files were left alone, for example
//! because a program holds them; files or nested archives could not be read, so they may
//! hold a `JndiLookup`; undo: some files were refused); 2 = could not run or a
//! change failed (the original stays in place).

use std::io::Write as _;

use anyhow::Result;
use praxcheck_app::fixing::hook;
use praxcheck_fix::{FixError, FixOptions};
use praxcheck_i18n::Catalog;
use praxcheck_report::fix::Tally;

use crate::args::FixArgs;
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

pub(crate) fn run(a: &FixArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let fp = a.plan();
    let opts = fp.options();
    if a.undo {
        return undo(a, &opts, cat);
    }
    if !quiet {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", cat.t("fix-scanning"));
    }
    let scan = fp.scan(&opts);
    if scan.readable_roots == 0 {
        anyhow::bail!("{}", praxcheck_report::fix::no_root(&scan.unreadable, cat));
    }
    let set = crate::assessing::load_set(quiet, cat)?;
    let plan = fp.changes(&scan, &set);
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
        let (text, tally) = praxcheck_report::fix::applied(&report, &fp.shell_paths(false), cat);
        so.write_all(text.as_bytes())?;
        Ok(code.max(exit(tally)))
    } else {
        let previews = praxcheck_fix::preview(&plan, &opts.limits, &opts.proc_root);
        let hints = praxcheck_report::fix::Hints {
            apply: &fp.shell_paths(true),
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
