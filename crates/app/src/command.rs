//! The commands' side of the pipeline (feature `clap`): the advisory set and the answers in
//! use with their notes, assess, render, write to `--output` (atomically) or standard
//! output, and the exit code of `--fail-on`. The binary passes its terminal
//! ([`Terminal`]) and keeps the progress bars and the printing; every decision and every
//! word is made here.
//!
//! Exit codes: [`EXIT_OK`] = ran, nothing open at or above `--fail-on`; [`EXIT_FINDINGS`] =
//! findings at or above it (or an incomplete scan); [`EXIT_ERROR`] = could not run.

use std::io::Write;
use std::path::Path;

use praxcheck_advisories::AdvisorySet;
use praxcheck_assess::Answers;
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::Document;

use crate::args::{FailOn, OutputArgs, ReportArgs};
use crate::folders::{state_dir, today};
use crate::{AppError, Format, Pipeline, RenderError, RenderOptions, Run};

/// Exit code: ran, nothing at or above the threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: could not run.
pub const EXIT_ERROR: u8 = 2;

/// Where a command's output and notes go: the binary's standard output and error.
pub trait Terminal {
    /// A note on standard error (the binary leaves it out with `--quiet`).
    fn note(&mut self, text: &str);
    /// A message on standard error that is shown even with `--quiet`.
    fn say(&mut self, text: &str);
    /// Standard output.
    fn stdout(&mut self) -> &mut dyn Write;
    /// Whether standard output is a terminal (a PDF is not written there).
    fn stdout_is_terminal(&self) -> bool;
    /// Whether colours may be used on standard output.
    fn color(&self) -> bool;
}

/// A command that could not finish; the messages are the user's (from the catalogue).
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// What failed (the message), and why (the cause).
    #[error("{message}")]
    Failed {
        /// What could not be done, in the user's language.
        message: String,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A refusal the message says in full.
    #[error("{0}")]
    Said(String),
    /// The pipeline could not start (a build defect).
    #[error(transparent)]
    Pipeline(#[from] AppError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The end of a scan failed (the output folder).
    #[error(transparent)]
    Finish(#[from] crate::output::FinishError),
}

impl CommandError {
    /// `message` failed because of `source`.
    pub fn failed(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Failed {
            message: message.into(),
            source: source.into(),
        }
    }
}

/// The exit code for a document: [`EXIT_FINDINGS`] when a finding at or above `--fail-on`
/// is open, or when the scan is incomplete (a limit was hit or a folder could not be read:
/// a clean result cannot be promised, issue 11); [`EXIT_OK`] otherwise. `--fail-on none`
/// always gives [`EXIT_OK`].
#[must_use]
pub fn exit_code(doc: &Document, fail_on: FailOn) -> u8 {
    match fail_on.threshold() {
        Some(t)
            if !doc.scan.complete
                || doc
                    .findings
                    .iter()
                    .any(|f| f.status.is_open() && f.severity >= t) =>
        {
            EXIT_FINDINGS
        }
        _ => EXIT_OK,
    }
}

/// The advisory set in use; an installed set that could not be used is a note.
///
/// # Errors
/// When the trusted keys or the embedded set are broken.
pub fn advisory_set(term: &mut dyn Terminal, cat: &Catalog) -> Result<AdvisorySet, AppError> {
    let (set, notes) = crate::load_set(state_dir().as_ref(), today())?;
    for n in &notes {
        term.note(&praxcheck_report::advisories::load_note(n, cat));
    }
    Ok(set)
}

/// The answers (none yet = empty). A file named with `--answers` must be readable; the
/// default file in the state folder is skipped with a note when it is not.
///
/// # Errors
/// When the file named with `--answers` cannot be used.
pub fn answers(
    explicit: Option<&Path>,
    term: &mut dyn Terminal,
    cat: &Catalog,
) -> Result<Answers, CommandError> {
    let (answers, note) = crate::answers::load_for_run(explicit)
        .map_err(|e| CommandError::failed(cat.t("error-read-answers"), e))?;
    if let Some(e) = note {
        let reason = crate::errors::error_text(&e, cat);
        term.note(&cat.t_args("note-answers-skipped", &[("reason", Arg::from(reason))]));
    }
    Ok(answers)
}

/// Renders the run in the format and writes it to `--output` (atomically) or standard
/// output; returns the exit code (`--fail-on`).
///
/// # Errors
/// When rendering or writing fails, or a PDF would go to a terminal.
pub fn show(
    run: &Run,
    format: Format,
    out: &OutputArgs,
    footer: Vec<String>,
    term: &mut dyn Terminal,
    cat: &Catalog,
) -> Result<u8, CommandError> {
    let opts = RenderOptions {
        lang: cat.lang(),
        color: out.output.is_none() && term.color(),
        all: out.all,
        footer,
    };
    let bytes = crate::render(run, format, &opts)?;
    if let Some(path) = &out.output {
        praxcheck_sys::write_atomic(path, &bytes).map_err(|e| {
            let what = format!("{}: {}", cat.t("error-write-output"), path.display());
            CommandError::failed(what, e)
        })?;
        let path = Arg::from(path.display().to_string());
        term.note(&cat.t_args("note-written", &[("path", path)]));
    } else {
        if format == Format::Pdf && term.stdout_is_terminal() {
            return Err(CommandError::Said(cat.t("error-pdf-needs-output")));
        }
        write_out(term, &bytes, cat)?;
    }
    let codes = run.docs.iter().map(|d| exit_code(d, out.fail_on));
    Ok(codes.max().unwrap_or(EXIT_OK))
}

/// `praxcheck report`: the stored documents assessed again and shown (default: the
/// overview).
///
/// # Errors
/// An input that cannot be read, or [`show`]'s.
pub fn report(a: &ReportArgs, term: &mut dyn Terminal, cat: &Catalog) -> Result<u8, CommandError> {
    let set = advisory_set(term, cat)?;
    let answers = answers(a.out.answers.as_deref(), term, cat)?;
    let pipeline = Pipeline::new(&set, &answers, today())?;
    let run = crate::stored::report(&pipeline, &a.from, &a.facts, &a.compare)
        .map_err(|e| CommandError::failed(cat.t(e.key()), e))?;
    let format = a.out.format.unwrap_or(Format::Overview);
    show(&run, format, &a.out, Vec::new(), term, cat)
}

/// One document assessed and shown (default: the text summary): `logs` and `net`.
///
/// # Errors
/// The answers, or [`show`]'s.
pub fn assess_and_show(
    doc: Document,
    set: &AdvisorySet,
    out: &OutputArgs,
    term: &mut dyn Terminal,
    cat: &Catalog,
) -> Result<u8, CommandError> {
    let answers = answers(out.answers.as_deref(), term, cat)?;
    let run = Pipeline::new(set, &answers, today())?.assess(vec![doc], &[]);
    let format = out.format.unwrap_or(Format::Text);
    show(&run, format, out, Vec::new(), term, cat)
}

/// The end of `praxcheck scan` after collecting: the cache notes; when none of the given
/// paths could be read, only that with each path and why (issue 11, item 6), never a
/// result that looks like "no open vulnerabilities" (machine formats still get the
/// document, which records each path's reason) and exit code [`EXIT_ERROR`]; `--upload`
/// (the `upload` hook, before the output); then assess, save a whole-computer scan to the
/// output folder (`output::finish_scan`) and show.
///
/// # Errors
/// The advisory set, the answers, the output folder, or [`show`]'s.
#[cfg(feature = "local")]
pub fn scan_end(
    collected: crate::collect::Collected,
    a: &crate::args::ScanArgs,
    started: &crate::collect::Started,
    upload: &dyn Fn(&Document, &mut dyn Terminal),
    term: &mut dyn Terminal,
    cat: &Catalog,
) -> Result<u8, CommandError> {
    for note in collected.cache_notes(cat) {
        term.note(&format!("praxcheck: {note}"));
    }
    let nothing_read = collected.readable_roots == 0 && !a.host_only;
    let set = advisory_set(term, cat)?;
    let doc = collected.into_document(set.reference());
    let for_people = matches!(a.out.format, None | Some(Format::Text | Format::Overview));
    if nothing_read && for_people {
        term.say(&praxcheck_report::words::nothing_readable(
            &doc.unreadable,
            cat,
        ));
        return Ok(EXIT_ERROR);
    }
    if a.upload {
        upload(&doc, term);
    }
    let answers = answers(a.out.answers.as_deref(), term, cat)?;
    let pipeline = Pipeline::new(&set, &answers, today())?;
    let (run, format, footer) =
        crate::output::finish_scan(&pipeline, doc, a, cat, started.instant())?;
    let code = show(&run, format, &a.out, footer, term, cat)?;
    Ok(if nothing_read { EXIT_ERROR } else { code })
}

/// `praxcheck logs` after the progress line: collect, assess and show; when none of the
/// given paths could be read, that is said and the exit code is [`EXIT_ERROR`].
///
/// # Errors
/// The advisory set, the answers, or [`show`]'s.
#[cfg(feature = "local")]
pub fn logs(
    a: &crate::args::LogsArgs,
    started: &crate::collect::Started,
    term: &mut dyn Terminal,
    cat: &Catalog,
) -> Result<u8, CommandError> {
    let collected = crate::collect::logs(&a.paths, &a.exclude, started);
    let readable = collected.readable_roots;
    let set = advisory_set(term, cat)?;
    let mut doc = collected.into_document(set.reference());
    doc.canonicalize();
    let code = assess_and_show(doc, &set, &a.out, term, cat)?;
    if readable == 0 && !a.paths.is_empty() {
        return Ok(refused(term, &cat.t("logs-error-no-readable-path"), cat));
    }
    Ok(code)
}

/// `praxcheck net` after the progress line: the network collector into a document, then
/// the same output, `--fail-on` and exit codes as `scan`. A target or option the
/// collector refuses is said in the user's words with exit code [`EXIT_ERROR`].
///
/// # Errors
/// The advisory set, the answers, or [`show`]'s.
#[cfg(feature = "local")]
pub fn net(
    a: &crate::args::NetArgs,
    started: &crate::collect::Started,
    term: &mut dyn Terminal,
    cat: &Catalog,
) -> Result<u8, CommandError> {
    let facts = match a.plan().and_then(|opts| praxcheck_netscan::scan(&opts)) {
        Ok(f) => f,
        Err(e) => {
            return Ok(refused(term, &crate::collect::net_refusal(&e, cat), cat));
        }
    };
    let set = advisory_set(term, cat)?;
    let doc = crate::collect::net_document(facts, started, set.reference());
    assess_and_show(doc, &set, &a.out, term, cat)
}

/// `praxcheck advisories show`: the set in use, listed.
///
/// # Errors
/// The advisory set, or writing to standard output.
pub fn advisories_show(term: &mut dyn Terminal, cat: &Catalog) -> Result<u8, CommandError> {
    let set = advisory_set(term, cat)?;
    let test_keys = praxcheck_advisories::update::keys_kind() == "test";
    let text = praxcheck_report::advisories::listing(&set, today(), test_keys, cat);
    write_out(term, text.as_bytes(), cat)?;
    Ok(EXIT_OK)
}

/// `praxcheck advisories update --from FILE`: installs a signed set; a refused one is said
/// with its reason in the user's words (and the file named), exit code [`EXIT_ERROR`].
///
/// # Errors
/// No state folder, broken trusted keys or embedded set, or writing the outcome.
pub fn advisories_update(
    a: &crate::args::UpdateArgs,
    term: &mut dyn Terminal,
    cat: &Catalog,
) -> Result<u8, CommandError> {
    use praxcheck_advisories::update;
    let Some(state) = state_dir() else {
        return Err(CommandError::Said(cat.t("error-no-state-dir")));
    };
    let keys = update::trusted_keys().map_err(AppError::Keys)?;
    let embedded = AdvisorySet::embedded().map_err(AppError::Set)?;
    if update::keys_kind() == "test" {
        term.note(&cat.t("advisories-keys-test"));
    }
    let outcome = update::install(
        &state,
        &a.from,
        a.signature.as_deref(),
        &keys,
        // The real date: expiry protects against replayed old sets, PRAXCHECK_TODAY must
        // not switch that off.
        time::OffsetDateTime::now_utc().date(),
        embedded.meta(),
    );
    match outcome {
        Ok(outcome) => {
            let text = praxcheck_report::advisories::update_outcome(&outcome, cat);
            write_out(term, format!("{text}\n").as_bytes(), cat)?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            let reason = praxcheck_report::advisories::refusal(&e, cat);
            let file = praxcheck_report::term::vis(&a.from.display().to_string());
            let text = format!("{} {reason}\n  ({file})", cat.t("update-refused"));
            Ok(refused(term, &text, cat))
        }
    }
}

/// Says on standard error why a command could not run (`praxcheck: Fehler: …`, also with
/// `--quiet`); returns [`EXIT_ERROR`].
fn refused(term: &mut dyn Terminal, why: &str, cat: &Catalog) -> u8 {
    term.say(&format!("praxcheck: {}: {why}", cat.t("error-prefix")));
    EXIT_ERROR
}

/// Writes to standard output.
///
/// # Errors
/// When standard output cannot be written.
pub fn write_out(term: &mut dyn Terminal, bytes: &[u8], cat: &Catalog) -> Result<(), CommandError> {
    let so = term.stdout();
    so.write_all(bytes)
        .and_then(|()| so.flush())
        .map_err(|e| CommandError::failed(cat.t("error-write-stdout"), e))
}
