//! The `praxcheck` command: argument parsing, progress and output around the libraries.
//!
//! Exit codes: 0 = ran, nothing open at or above `--fail-on`; 1 = findings at or above it;
//! 2 = could not run (bad arguments, nothing could be scanned, unreadable input).
//! Machine output goes to standard output only; progress and notes go to standard error.

pub mod args;
mod fix;
pub mod host;
pub mod logs;
mod scan;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::FromArgMatches as _;
use praxcheck_advisories::AdvisorySet;
use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{Document, Severity};
use praxcheck_report::TextOptions;

use crate::args::{AdvisoriesCommand, Cli, Command, FailOn, Format, OutputArgs};

/// Exit code: ran, nothing at or above the threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: could not run.
pub const EXIT_ERROR: u8 = 2;

/// Runs the program with the given arguments (the first is the program name).
#[must_use]
pub fn main_with_args(args: Vec<OsString>) -> ExitCode {
    let lang = Lang::detect(args::sniff_lang(&args).as_deref());
    let cat = Catalog::new(lang);
    let matches = match args::command(&cat).try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            // Help and version are not errors; clap prints them itself.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match run(&cli, &cat) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "praxcheck: {}: {e:#}", cat.t("error-prefix"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: &Cli, cat: &Catalog) -> Result<u8> {
    match &cli.command {
        Command::Scan(a) => scan::run(a, cli.quiet, cat),
        Command::Logs(a) => logs::run(a, cli.quiet, cat),
        Command::Report(a) => report(a, cli.quiet, cat),
        Command::Fix(a) => fix::run(a, cli.quiet, cat),
        Command::Advisories { command } => match command {
            AdvisoriesCommand::Show => advisories_show(cat),
        },
    }
}

/// The advisory set in use.
pub(crate) fn advisory_set() -> Result<AdvisorySet> {
    AdvisorySet::embedded().context("loading the embedded advisory set")
}

fn threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Critical => Some(Severity::Critical),
        FailOn::High => Some(Severity::High),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::Low => Some(Severity::Low),
        FailOn::None => None,
    }
}

/// The exit code for a document.
pub(crate) fn exit_code(doc: &Document, fail_on: FailOn) -> u8 {
    match threshold(fail_on) {
        Some(t)
            if doc
                .findings
                .iter()
                .any(|f| f.status.is_open() && f.severity >= t) =>
        {
            EXIT_FINDINGS
        }
        _ => EXIT_OK,
    }
}

/// Whether colours may be used on standard output.
pub(crate) fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Renders a document in the chosen format and writes it to the chosen place.
pub(crate) fn emit(doc: &Document, out: &OutputArgs, quiet: bool, cat: &Catalog) -> Result<()> {
    let text = match out.format {
        Format::Json => doc.to_json_pretty()?,
        Format::Csv => praxcheck_report::findings_csv(doc, cat.lang())?,
        Format::Text if doc.scan.collectors == ["logs"] => logs::text_summary(doc, cat, out.all),
        Format::Text => {
            // A host-only scan has no Java summary.
            let java = doc.scan.collectors.iter().any(|c| c == "java");
            let mut t = if java {
                praxcheck_report::scan_summary(
                    doc,
                    TextOptions {
                        lang: cat.lang(),
                        color: out.output.is_none() && use_color(),
                        all: out.all,
                    },
                )
            } else {
                String::new()
            };
            let l = logs::text_summary(doc, cat, out.all);
            if !l.is_empty() {
                t.push('\n');
                t.push_str(&l);
            }
            if let Some(h) = &doc.inventory.host {
                if !t.is_empty() {
                    t.push('\n');
                }
                t.push_str(&host::summary(h, &doc.scan.hostname, cat));
            }
            t
        }
    };
    match &out.output {
        Some(path) => {
            write_atomic(path, text.as_bytes())
                .with_context(|| format!("{}: {}", cat.t("error-write-output"), path.display()))?;
            if !quiet {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(
                    err,
                    "{}",
                    cat.t_args(
                        "note-written",
                        &[("path", Arg::from(path.display().to_string()))]
                    )
                );
            }
        }
        None => {
            let mut so = std::io::stdout().lock();
            so.write_all(text.as_bytes())?;
            so.flush()?;
        }
    }
    Ok(())
}

/// Writes a file through a temporary file in the same folder and a rename, so a reader
/// never sees half a report.
pub(crate) fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.praxcheck-tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn report(a: &args::ReportArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let set = advisory_set()?;
    let mut docs = Vec::new();
    for p in &a.from {
        let bytes = std::fs::read(p)
            .with_context(|| format!("{}: {}", cat.t("error-read-document"), p.display()))?;
        let doc = Document::from_json(&bytes)
            .with_context(|| format!("{}: {}", cat.t("error-read-document"), p.display()))?;
        docs.push(doc);
    }
    // Several documents: one after the other (the practice-wide merge renders them as one).
    let mut code = EXIT_OK;
    for mut doc in docs {
        doc.findings = praxcheck_advisories::match_components(&set, &doc.inventory.components);
        doc.advisory_set = set.reference();
        doc.canonicalize();
        emit(&doc, &a.out, quiet, cat)?;
        code = code.max(exit_code(&doc, a.out.fail_on));
    }
    Ok(code)
}

fn advisories_show(cat: &Catalog) -> Result<u8> {
    let set = advisory_set()?;
    let m = set.meta();
    let mut so = std::io::stdout().lock();
    writeln!(
        so,
        "{}",
        cat.t_args(
            "advisories-header",
            &[
                ("id", m.id.clone().into()),
                ("version", m.version.into()),
                ("date", m.published.clone().into()),
                ("count", (set.records().len() as u64).into()),
            ]
        )
    )?;
    let code = cat.lang().code();
    for r in set.records() {
        let title = r
            .database_specific
            .as_ref()
            .and_then(|d| d.praxcheck.as_ref())
            .and_then(|p| p.title.as_ref())
            .map(|t| t.get(code).to_owned())
            .or_else(|| r.summary.clone())
            .unwrap_or_default();
        let pkgs: Vec<String> = r
            .affected
            .iter()
            .map(|a| a.package.name.clone())
            .filter(|n| {
                n.starts_with("org.apache.logging")
                    || n.starts_with("log4j")
                    || n.starts_with("ch.qos")
            })
            .collect();
        writeln!(
            so,
            "{:<16} {:<20} {:<9} {}  [{}]",
            praxcheck_advisories::matcher::rule_id(r),
            r.id,
            cat.t(praxcheck_report::text::severity_key(
                praxcheck_advisories::matcher::record_severity(r)
            )),
            title,
            pkgs.join(", ")
        )?;
    }
    Ok(EXIT_OK)
}
