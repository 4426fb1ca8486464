//! The commands' side of the pipeline (`praxcheck-app`): notes on standard error, the
//! output argument, and `praxcheck report`. The folders are documented in
//! `praxcheck_app::folders`.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use praxcheck_advisories::AdvisorySet;
use praxcheck_app::folders::{state_dir, today};
use praxcheck_app::{Pipeline, RenderOptions, Run};
use praxcheck_assess::Answers;
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::Document;

use crate::args::{Format, OutputArgs, ReportArgs, ScanArgs};
use crate::{EXIT_OK, exit_code, use_color};

fn stderr_line(quiet: bool, s: &str) {
    if !quiet {
        let mut e = std::io::stderr().lock();
        let _ = writeln!(e, "{s}");
    }
}

/// The advisory set in use, with notes about an installed set that could not be used.
pub(crate) fn load_set(quiet: bool, cat: &Catalog) -> Result<AdvisorySet> {
    let (set, notes) = praxcheck_app::load_set(state_dir().as_ref(), today())?;
    for n in &notes {
        stderr_line(quiet, &praxcheck_report::advisories::load_note(n, cat));
    }
    Ok(set)
}

/// Loads the answers (none yet = empty). A file named with `--answers` must be readable;
/// the default file in the state folder is skipped with a note when it is not.
pub(crate) fn load_answers(explicit: Option<&Path>, quiet: bool, cat: &Catalog) -> Result<Answers> {
    let (answers, note) = praxcheck_app::answers::load_for_run(explicit)
        .with_context(|| cat.t("error-read-answers"))?;
    if let Some(e) = note {
        stderr_line(
            quiet,
            &cat.t_args(
                "note-answers-skipped",
                &[("reason", Arg::from(e.to_string()))],
            ),
        );
    }
    Ok(answers)
}

/// Renders the run in the format and writes it to `--output` (atomically) or standard
/// output; returns the exit code (`--fail-on`).
pub(crate) fn emit_run(
    run: &Run,
    format: Format,
    out: &OutputArgs,
    footer: Vec<String>,
    quiet: bool,
    cat: &Catalog,
) -> Result<u8> {
    let opts = RenderOptions {
        lang: cat.lang(),
        color: out.output.is_none() && use_color(),
        all: out.all,
        footer,
    };
    let bytes = praxcheck_app::render(run, format, &opts)?;
    match &out.output {
        Some(path) => {
            praxcheck_sys::write_atomic(path, &bytes)
                .with_context(|| format!("{}: {}", cat.t("error-write-output"), path.display()))?;
            stderr_line(
                quiet,
                &cat.t_args(
                    "note-written",
                    &[("path", Arg::from(path.display().to_string()))],
                ),
            );
        }
        None => {
            if format == Format::Pdf && std::io::stdout().is_terminal() {
                bail!("{}", cat.t("error-pdf-needs-output"));
            }
            let mut so = std::io::stdout().lock();
            so.write_all(&bytes)?;
            so.flush()?;
        }
    }
    Ok(run
        .docs
        .iter()
        .map(|d| exit_code(d, out.fail_on))
        .max()
        .unwrap_or(EXIT_OK))
}

/// `praxcheck report`.
pub(crate) fn report(a: &ReportArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let set = load_set(quiet, cat)?;
    let answers = load_answers(a.out.answers.as_deref(), quiet, cat)?;
    let pipeline = Pipeline::new(&set, &answers, today())?;
    let run =
        praxcheck_app::stored::report(&pipeline, &a.from, &a.facts, &a.compare).map_err(|e| {
            let key = e.key();
            anyhow::Error::new(e).context(cat.t(key))
        })?;
    let format = a.out.format.unwrap_or(Format::Overview);
    emit_run(&run, format, &a.out, Vec::new(), quiet, cat)
}

/// Assesses one document and renders it (default: the text summary).
pub(crate) fn emit(
    doc: Document,
    set: &AdvisorySet,
    out: &OutputArgs,
    quiet: bool,
    cat: &Catalog,
) -> Result<u8> {
    let answers = load_answers(out.answers.as_deref(), quiet, cat)?;
    let run = Pipeline::new(set, &answers, today())?.assess(vec![doc], &[]);
    emit_run(
        &run,
        out.format.unwrap_or(Format::Text),
        out,
        Vec::new(),
        quiet,
        cat,
    )
}

/// The end of `praxcheck scan` (`praxcheck_app::output::finish_scan`): assess, save a
/// whole-computer scan to the output folder, render.
pub(crate) fn finish_scan(
    doc: Document,
    set: &AdvisorySet,
    a: &ScanArgs,
    quiet: bool,
    cat: &Catalog,
    started: Instant,
) -> Result<u8> {
    let answers = load_answers(a.out.answers.as_deref(), quiet, cat)?;
    let pipeline = Pipeline::new(set, &answers, today())?;
    let (run, format, footer) =
        praxcheck_app::output::finish_scan(&pipeline, doc, a, cat, started)?;
    emit_run(&run, format, &a.out, footer, quiet, cat)
}
