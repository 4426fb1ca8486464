//! Assessment and rendering around the commands: the advisory set in use (installed or
//! embedded), the answers file, the output folder of a whole-computer scan, and every output
//! format rendered from the assessed documents.
//!
//! Folders (documented in the README):
//! * state: `PRAXCHECK_STATE_DIR`, else `/var/lib/praxcheck` (root) or
//!   `$XDG_STATE_HOME/praxcheck` / `~/.local/state/praxcheck`; Windows `%ProgramData%\praxcheck`.
//!   Holds the installed advisory set and `answers.json`.
//! * output: `PRAXCHECK_OUTPUT_DIR`, else `/var/lib/praxcheck/reports` (root) or
//!   `$XDG_DATA_HOME/praxcheck/reports` / `~/.local/share/praxcheck/reports`; Windows
//!   `%LOCALAPPDATA%\praxcheck\reports`. Holds the HTML report and JSON document of each
//!   whole-computer scan. Both folders are left out of the scan itself.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use praxcheck_advisories::update::{self, LoadNote, StateDir};
use praxcheck_advisories::{AdvisorySet, Facts};
use praxcheck_assess::{Answers, Catalogue, Options};
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::{Assessment, CollectorId, Document, PracticeReport, Tool};
use praxcheck_report::{OverviewOptions, View};

use crate::args::{Format, OutputArgs, ReportArgs, ScanArgs};
use crate::{EXIT_OK, exit_code, use_color, write_atomic};

/// The assessment date: `PRAXCHECK_TODAY` (YYYY-MM-DD) when set, to re-assess "as of" a
/// day and for reproducible tests; else today (UTC).
pub(crate) fn today() -> time::Date {
    std::env::var("PRAXCHECK_TODAY")
        .ok()
        .and_then(|s| praxcheck_advisories::parse_date(&s))
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// The state folder, when one can be determined.
pub(crate) fn state_dir() -> Option<StateDir> {
    StateDir::default_location().map(StateDir::new)
}

/// The output folder of whole-computer scans.
pub(crate) fn output_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PRAXCHECK_OUTPUT_DIR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if cfg!(windows) {
        return std::env::var_os("LOCALAPPDATA")
            .map(|p| PathBuf::from(p).join("praxcheck/reports"));
    }
    if praxcheck_model::sys::is_root() {
        return Some(PathBuf::from("/var/lib/praxcheck/reports"));
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(x).join("praxcheck/reports"));
    }
    std::env::var_os("HOME")
        .filter(|p| !p.is_empty())
        .map(|h| PathBuf::from(h).join(".local/share/praxcheck/reports"))
}

/// Folders a scan must leave out: our own state and output.
pub(crate) fn own_folders() -> Vec<PathBuf> {
    state_dir()
        .map(|s| s.root().to_path_buf())
        .into_iter()
        .chain(output_dir())
        .collect()
}

fn stderr_line(quiet: bool, s: &str) {
    if !quiet {
        let mut e = std::io::stderr().lock();
        let _ = writeln!(e, "{s}");
    }
}

/// The advisory set in use, with notes about an installed set that could not be used.
pub(crate) fn load_set(quiet: bool, cat: &Catalog) -> Result<AdvisorySet> {
    let keys = update::trusted_keys().context("trusted keys")?;
    let state = state_dir();
    let (set, notes) =
        update::load_active(state.as_ref(), &keys, today()).context("loading the advisory set")?;
    for n in notes {
        let line = match n {
            LoadNote::InstalledUnusable { reason } => cat.t_args(
                "advisories-note-unusable",
                &[(
                    "reason",
                    Arg::from(crate::advisories_cmd::refusal(&reason, cat)),
                )],
            ),
            LoadNote::InstalledExpired { expires } => {
                cat.t_args("advisories-note-expired", &[("date", Arg::from(expires))])
            }
        };
        stderr_line(quiet, &line);
    }
    Ok(set)
}

/// The answers file to use.
pub(crate) fn answers_path(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| state_dir().map(|s| s.root().join("answers.json")))
}

/// Loads the answers (none yet = empty). A file named with `--answers` must be readable;
/// the default file in the state folder is skipped with a note when it is not (another
/// user's state folder, for example).
pub(crate) fn load_answers(explicit: Option<&Path>, quiet: bool, cat: &Catalog) -> Result<Answers> {
    match (explicit, answers_path(explicit)) {
        (Some(_), Some(p)) => Answers::load(&p).with_context(|| cat.t("error-read-answers")),
        (None, Some(p)) => match Answers::load(&p) {
            Ok(a) => Ok(a),
            Err(e) => {
                stderr_line(
                    quiet,
                    &cat.t_args(
                        "note-answers-skipped",
                        &[("reason", Arg::from(e.to_string()))],
                    ),
                );
                Ok(Answers::default())
            }
        },
        _ => Ok(Answers::default()),
    }
}

/// Assesses documents with the set and answers; returns the practice-wide assessment.
pub(crate) fn assess(
    docs: &mut [Document],
    facts: &[Facts],
    set: &AdvisorySet,
    answers: &Answers,
) -> Result<Assessment> {
    let catalogue = Catalogue::embedded().context("KBV catalogue")?;
    let opts = Options {
        set,
        catalogue: &catalogue,
        answers,
        today: today(),
    };
    Ok(praxcheck_assess::assess(docs, facts, &opts))
}

/// Renders one format.
pub(crate) fn render(
    docs: &[Document],
    assessment: &Assessment,
    format: Format,
    out: &OutputArgs,
    footer: Vec<String>,
    cat: &Catalog,
) -> Result<Vec<u8>> {
    let view = View { docs, assessment };
    let lang = cat.lang();
    let color = out.output.is_none() && use_color();
    Ok(match format {
        Format::Json => {
            if docs.len() == 1 {
                docs[0].to_json_pretty()?.into_bytes()
            } else {
                let r = PracticeReport {
                    schema_version: praxcheck_model::assessment::PRACTICE_SCHEMA_VERSION,
                    tool: Tool::default(),
                    assessment: assessment.clone(),
                    documents: docs.to_vec(),
                };
                let mut s = serde_json::to_string_pretty(&r)?;
                s.push('\n');
                s.into_bytes()
            }
        }
        Format::Csv => if docs.len() == 1 {
            praxcheck_report::findings_csv(&docs[0], lang)?
        } else {
            praxcheck_report::practice_csv(docs, lang)?
        }
        .into_bytes(),
        Format::Text => docs
            .iter()
            .map(|d| {
                let logs = crate::logs::text_summary(d, cat, out.all);
                if d.scan.collectors == [CollectorId::Logs] {
                    return logs;
                }
                // A host-only scan has no Java summary.
                let mut t = if d.ran(CollectorId::Java) {
                    praxcheck_report::scan_summary(
                        d,
                        praxcheck_report::TextOptions {
                            lang,
                            color,
                            all: out.all,
                        },
                    )
                } else {
                    String::new()
                };
                if !logs.is_empty() {
                    t.push('\n');
                    t.push_str(&logs);
                }
                if let Some(h) = &d.inventory.host {
                    if !t.is_empty() {
                        t.push('\n');
                    }
                    t.push_str(&crate::host::summary(h, &d.scan.hostname, cat));
                }
                t
            })
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        Format::Overview => praxcheck_report::overview(
            &view,
            &OverviewOptions {
                lang,
                color,
                footer,
            },
        )
        .into_bytes(),
        Format::Html => praxcheck_report::html::html(&view, lang)?.into_bytes(),
        Format::Pdf => {
            let html = praxcheck_report::html::html(&view, lang)?;
            let browser = match praxcheck_report::pdf::find_browser() {
                Ok(b) => b,
                Err(praxcheck_report::pdf::PdfError::NoBrowser { searched }) => bail!(
                    "{}",
                    cat.t_args(
                        "pdf-engine-missing",
                        &[("searched", Arg::from(searched.join(", ")))]
                    )
                ),
                Err(e) => bail!("{e}"),
            };
            praxcheck_report::pdf::html_to_pdf(&html, &browser).map_err(|e| {
                anyhow::anyhow!(
                    "{}",
                    cat.t_args("pdf-engine-failed", &[("reason", Arg::from(e.to_string()))])
                )
            })?
        }
        Format::Sbom => praxcheck_report::sbom::cyclonedx(&view)?.into_bytes(),
        Format::Sarif => praxcheck_report::sarif::sarif(&view)?.into_bytes(),
    })
}

/// Writes rendered bytes to `--output` (atomically) or standard output.
pub(crate) fn write_out(
    bytes: &[u8],
    format: Format,
    out: &OutputArgs,
    quiet: bool,
    cat: &Catalog,
) -> Result<()> {
    match &out.output {
        Some(path) => {
            write_atomic(path, bytes)
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
            so.write_all(bytes)?;
            so.flush()?;
        }
    }
    Ok(())
}

fn any_exit(docs: &[Document], out: &OutputArgs) -> u8 {
    docs.iter()
        .map(|d| exit_code(d, out.fail_on))
        .max()
        .unwrap_or(EXIT_OK)
}

fn read_doc(p: &Path, cat: &Catalog) -> Result<Document> {
    // Regular files only, capped before allocating (issue 11): a FIFO never hangs.
    let bytes =
        praxcheck_model::read::read_regular_capped(p, praxcheck_model::read::MAX_DOCUMENT_BYTES)
            .with_context(|| format!("{}: {}", cat.t("error-read-document"), p.display()))?;
    Document::from_json(&bytes)
        .with_context(|| format!("{}: {}", cat.t("error-read-document"), p.display()))
}

fn read_facts(p: &Path, cat: &Catalog) -> Result<Facts> {
    let text = std::fs::read_to_string(p)
        .with_context(|| format!("{}: {}", cat.t("error-read-facts"), p.display()))?;
    praxcheck_assess::facts::from_json(&text)
        .with_context(|| format!("{}: {}", cat.t("error-read-facts"), p.display()))
}

/// `praxcheck report`.
pub(crate) fn report(a: &ReportArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let set = load_set(quiet, cat)?;
    let answers = load_answers(a.out.answers.as_deref(), quiet, cat)?;
    let mut docs = a
        .from
        .iter()
        .map(|p| read_doc(p, cat))
        .collect::<Result<Vec<_>>>()?;
    let facts = a
        .facts
        .iter()
        .map(|p| read_facts(p, cat))
        .collect::<Result<Vec<_>>>()?;
    let mut assessment = assess(&mut docs, &facts, &set, &answers)?;
    if !a.compare.is_empty() {
        let mut old = a
            .compare
            .iter()
            .map(|p| read_doc(p, cat))
            .collect::<Result<Vec<_>>>()?;
        let old_a = assess(&mut old, &[], &set, &answers)?;
        let c = praxcheck_assess::compare(&old, &old_a, &docs);
        if docs.len() == 1
            && let Some(da) = docs[0].assessment.as_mut()
        {
            da.comparison = Some(c.clone());
        }
        assessment.comparison = Some(c);
    }
    let format = a.out.format.unwrap_or(Format::Overview);
    let bytes = render(&docs, &assessment, format, &a.out, Vec::new(), cat)?;
    write_out(&bytes, format, &a.out, quiet, cat)?;
    Ok(any_exit(&docs, &a.out))
}

fn stamp(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(17)
        .enumerate()
        .flat_map(|(i, c)| if i == 8 { vec!['-', c] } else { vec![c] })
        .collect()
}

fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The newest earlier JSON document of this host in the output folder.
fn previous_document(dir: &Path, host: &str, except: &Path) -> Option<PathBuf> {
    let prefix = format!("praxcheck-{}-", safe_name(host));
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".json"))
                && p != except
        })
        .collect();
    v.sort();
    v.pop()
}

/// The end of `praxcheck scan`: assess, then either render the chosen format, or (a
/// whole-computer scan without `--format`/`--output`) print the overview and write the HTML
/// report and the JSON document to the output folder.
pub(crate) fn finish_scan(
    doc: Document,
    set: &AdvisorySet,
    a: &ScanArgs,
    quiet: bool,
    cat: &Catalog,
    started: Instant,
) -> Result<u8> {
    let answers = load_answers(a.out.answers.as_deref(), quiet, cat)?;
    let whole_computer = a.paths.is_empty() && !a.host_only;
    let save = whole_computer && !a.no_save && a.out.format.is_none() && a.out.output.is_none();
    let format = a.out.format.unwrap_or(if whole_computer {
        Format::Overview
    } else {
        Format::Text
    });
    let mut docs = vec![doc];
    let mut assessment = assess(&mut docs, &[], set, &answers)?;
    let mut footer = Vec::new();
    if save {
        let Some(dir) = output_dir() else {
            bail!("{}", cat.t("error-no-output-dir"));
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("{}: {}", cat.t("error-write-output"), dir.display()))?;
        let base = format!(
            "praxcheck-{}-{}",
            safe_name(&docs[0].scan.hostname),
            stamp(&docs[0].scan.started_at)
        );
        let json_path = dir.join(format!("{base}.json"));
        let html_path = dir.join(format!("{base}.html"));
        if let Some(prev) = previous_document(&dir, &docs[0].scan.hostname, &json_path)
            && let Ok(bytes) = std::fs::read(&prev)
            && let Ok(old) = Document::from_json(&bytes)
        {
            let mut old = vec![old];
            let old_a = assess(&mut old, &[], set, &answers)?;
            let c = praxcheck_assess::compare(&old, &old_a, &docs);
            if let Some(da) = docs[0].assessment.as_mut() {
                da.comparison = Some(c.clone());
            }
            assessment.comparison = Some(c);
        }
        write_atomic(&json_path, docs[0].to_json_pretty()?.as_bytes())
            .with_context(|| format!("{}: {}", cat.t("error-write-output"), json_path.display()))?;
        let html = praxcheck_report::html::html(
            &View {
                docs: &docs,
                assessment: &assessment,
            },
            cat.lang(),
        )?;
        write_atomic(&html_path, html.as_bytes())
            .with_context(|| format!("{}: {}", cat.t("error-write-output"), html_path.display()))?;
        footer.push(cat.t_args(
            "note-report-html",
            &[("path", Arg::from(html_path.display().to_string()))],
        ));
        footer.push(cat.t_args(
            "note-report-json",
            &[("path", Arg::from(json_path.display().to_string()))],
        ));
    }
    if format == Format::Overview {
        let secs = cat.lang().decimal1(started.elapsed().as_secs_f64());
        footer.push(cat.t_args("note-duration", &[("seconds", Arg::from(secs))]));
    }
    let bytes = render(&docs, &assessment, format, &a.out, footer, cat)?;
    write_out(&bytes, format, &a.out, quiet, cat)?;
    Ok(any_exit(&docs, &a.out))
}
