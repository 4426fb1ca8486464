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
use praxcheck_fix::store::ManifestProblem;
use praxcheck_fix::{
    ApplyReport, FailHook, FixError, FixOptions, NoFail, Outcome, PlanOptions, Preview, Recovered,
    UndoOutcome, UndoReport,
};
use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_javascan::{Limits, Options, WalkOptions};
use praxcheck_model::ProcessRef;

use crate::args::FixArgs;
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

fn procs(v: &[ProcessRef]) -> String {
    v.iter()
        .map(|p| format!("{} (PID {})", p.name, p.pid))
        .collect::<Vec<_>>()
        .join(", ")
}

fn short_sha(s: &str) -> &str {
    s.get(..16).unwrap_or(s)
}

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
                    praxcheck_report::text::reason_text(u.reason, cat),
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
    let mut so = std::io::stdout().lock();
    let mut code = EXIT_OK;
    for l in &plan.loose {
        writeln!(
            so,
            "{}",
            cat.t_args(
                "fix-loose",
                &[
                    ("path", l.path.display().to_string().into()),
                    ("rules", l.rules.join(", ").into()),
                ]
            )
        )?;
        code = code.max(EXIT_FINDINGS);
    }
    // Every file or nested archive the scan could not read may hide a JndiLookup, so each is
    // named and "nothing to change" is not claimed with exit code 0. A symbolic link loop is
    // no gap: the folder it points to is scanned once.
    let gaps = scan
        .unreadable
        .iter()
        .filter(|u| u.reason != praxcheck_model::UnreadableReason::SymlinkLoop)
        .count();
    if gaps > 0 {
        code = code.max(EXIT_FINDINGS);
    }
    for u in &scan.unreadable {
        writeln!(
            so,
            "{}",
            cat.t_args(
                "fix-unreadable",
                &[
                    ("path", u.location.display.clone().into()),
                    (
                        "reason",
                        praxcheck_report::text::reason_text(u.reason, cat).into(),
                    ),
                ]
            )
        )?;
    }
    if gaps > 0 {
        writeln!(
            so,
            "{}",
            cat.t_args("fix-unreadable-hint", &[("count", Arg::from(gaps))])
        )?;
    }
    if plan.files.is_empty() {
        writeln!(so, "{}", cat.t("fix-nothing-to-do"))?;
        return Ok(code);
    }
    if a.yes {
        let report =
            praxcheck_fix::apply(&plan, &opts, hook()).map_err(|e| cannot_start(&e, cat))?;
        drop(so);
        let c = render_apply(&report, a, cat)?;
        Ok(code.max(c))
    } else {
        let previews = praxcheck_fix::preview(&plan, &opts.limits, &opts.proc_root);
        drop(so);
        let c = render_preview(&previews, a, &opts, cat)?;
        Ok(code.max(c))
    }
}

fn removal_lines(
    so: &mut impl std::io::Write,
    fp: &praxcheck_fix::FilePlan,
    cat: &Catalog,
) -> std::io::Result<()> {
    for r in &fp.removals {
        writeln!(
            so,
            "    {}",
            cat.t_args(
                "fix-remove-line",
                &[
                    ("entry", r.display.clone().into()),
                    ("component", r.component.clone().into()),
                    ("rules", r.rules.join(", ").into()),
                ]
            )
        )?;
    }
    Ok(())
}

fn signed_lines(
    so: &mut impl std::io::Write,
    signed: &[praxcheck_fix::SignedInfo],
    cat: &Catalog,
) -> std::io::Result<()> {
    for s in signed {
        writeln!(
            so,
            "    {}",
            cat.t_args(
                "fix-signed",
                &[
                    ("archive", s.archive.clone().into()),
                    ("files", s.signature_files.join(", ").into()),
                ]
            )
        )?;
    }
    Ok(())
}

fn render_preview(
    previews: &[Preview],
    a: &FixArgs,
    opts: &FixOptions,
    cat: &Catalog,
) -> Result<u8> {
    let mut so = std::io::stdout().lock();
    writeln!(so, "{}", cat.t("fix-header-dry"))?;
    let mut code = EXIT_OK;
    let (mut files, mut classes) = (0u64, 0u64);
    let mut any_signed = false;
    for p in previews {
        let path = p.file.path.display().to_string();
        let st = match &p.status {
            Ok(st) => st,
            Err(e) => {
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-cannot",
                        &[("path", path.into()), ("reason", fix_reason(e, cat).into())]
                    )
                )?;
                code = EXIT_ERROR;
                continue;
            }
        };
        match &p.rewrite {
            Some(Ok(summary)) => {
                writeln!(
                    so,
                    "{}",
                    cat.t_args("fix-would-change", &[("path", path.clone().into())])
                )?;
                removal_lines(&mut so, &p.file, cat)?;
                signed_lines(&mut so, &summary.signed, cat)?;
                any_signed |= !summary.signed.is_empty();
                files += 1;
                classes += summary.removed.len() as u64;
                code = code.max(EXIT_FINDINGS);
            }
            Some(Err(e)) => {
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-cannot",
                        &[
                            ("path", path.clone().into()),
                            ("reason", fix_reason(e, cat).into())
                        ]
                    )
                )?;
                removal_lines(&mut so, &p.file, cat)?;
                code = EXIT_ERROR;
                continue;
            }
            None => continue,
        }
        if !st.holders.is_empty() {
            writeln!(
                so,
                "    {}",
                cat.t_args("fix-warn-in-use", &[("procs", procs(&st.holders).into())])
            )?;
        }
        if st.hard_links > 1 {
            writeln!(
                so,
                "    {}",
                cat.t_args("fix-warn-hard-links", &[("count", st.hard_links.into())])
            )?;
        }
        if st.is_link {
            writeln!(
                so,
                "    {}",
                cat.t_args(
                    "fix-real-path",
                    &[("path", st.real_path.display().to_string().into())]
                )
            )?;
        }
    }
    if any_signed && opts.jarsigner.is_none() {
        writeln!(so, "{}", cat.t("fix-jarsigner-missing"))?;
    }
    writeln!(so)?;
    writeln!(
        so,
        "{}",
        cat.t_args(
            "fix-summary-dry",
            &[("files", files.into()), ("classes", classes.into())]
        )
    )?;
    if files > 0 {
        writeln!(
            so,
            "{}",
            cat.t_args("fix-apply-hint", &[("paths", shell_paths(a, true).into())])
        )?;
        writeln!(
            so,
            "{}",
            cat.t_args(
                "fix-backup-dir",
                &[("dir", opts.backup_dir.display().to_string().into())]
            )
        )?;
    }
    Ok(code)
}

fn render_recovered(
    so: &mut impl std::io::Write,
    rec: &[Recovered],
    cat: &Catalog,
) -> std::io::Result<()> {
    for r in rec {
        let (key, path) = match r {
            Recovered::Applied(p) => ("fix-recovered-applied", p),
            Recovered::RolledBack(p) => ("fix-recovered-rolled-back", p),
            Recovered::Restored(p) => ("fix-recovered-restored", p),
            Recovered::UndoRolledBack(p) => ("fix-recovered-undo-rolled-back", p),
            Recovered::Unresolved(p) => ("fix-recovered-unresolved", p),
            Recovered::TempRemoved(p) => ("fix-recovered-temp", p),
        };
        writeln!(
            so,
            "{}",
            cat.t_args(key, &[("path", path.display().to_string().into())])
        )?;
    }
    Ok(())
}

fn render_apply(report: &ApplyReport, a: &FixArgs, cat: &Catalog) -> Result<u8> {
    let mut so = std::io::stdout().lock();
    writeln!(so, "{}", cat.t("fix-header-apply"))?;
    render_recovered(&mut so, &report.recovered, cat)?;
    let mut code = EXIT_OK;
    let (mut fixed, mut left, mut failed) = (0u64, 0u64, 0u64);
    for (fp, o) in &report.outcomes {
        let path: Arg = fp.path.display().to_string().into();
        match o {
            Outcome::Fixed(f) => {
                fixed += 1;
                writeln!(so, "{}", cat.t_args("fix-changed", &[("path", path)]))?;
                removal_lines(&mut so, fp, cat)?;
                signed_lines(&mut so, &f.summary.signed, cat)?;
                for c in &f.jarsigner {
                    let key = if c.verified {
                        "fix-jarsigner-ok"
                    } else {
                        "fix-jarsigner-failed"
                    };
                    writeln!(
                        so,
                        "    {}",
                        cat.t_args(
                            key,
                            &[
                                ("archive", c.archive.clone().into()),
                                ("warnings", c.warnings.join(" ").into())
                            ]
                        )
                    )?;
                }
                writeln!(
                    so,
                    "    {}",
                    cat.t_args(
                        "fix-backup-line",
                        &[
                            ("object", f.object.display().to_string().into()),
                            ("before", short_sha(&f.sha256_before).into()),
                            ("after", short_sha(&f.sha256_after).into()),
                        ]
                    )
                )?;
                for n in &f.notes {
                    writeln!(
                        so,
                        "    {}",
                        cat.t_args("fix-note", &[("note", n.clone().into())])
                    )?;
                }
            }
            Outcome::InUse(p) => {
                left += 1;
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-skip-in-use",
                        &[("path", path), ("procs", procs(p).into())]
                    )
                )?;
            }
            Outcome::HardLinks(n) => {
                left += 1;
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-skip-hard-links",
                        &[("path", path), ("count", (*n).into())]
                    )
                )?;
            }
            Outcome::SignatureBroken(checks) => {
                left += 1;
                writeln!(
                    so,
                    "{}",
                    cat.t_args("fix-skip-signature", &[("path", path)])
                )?;
                for c in checks {
                    writeln!(so, "    {}: {}", c.archive, c.warnings.join(" "))?;
                }
            }
            Outcome::Failed(e) => {
                failed += 1;
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-failed",
                        &[("path", path), ("reason", fix_reason(e, cat).into())]
                    )
                )?;
            }
        }
    }
    writeln!(so)?;
    writeln!(
        so,
        "{}",
        cat.t_args(
            "fix-summary-apply",
            &[
                ("fixed", fixed.into()),
                ("left", left.into()),
                ("failed", failed.into())
            ]
        )
    )?;
    writeln!(
        so,
        "{}",
        cat.t_args(
            "fix-backup-dir",
            &[("dir", report.backup_dir.display().to_string().into())]
        )
    )?;
    if fixed > 0 {
        writeln!(
            so,
            "{}",
            cat.t_args("fix-undo-hint", &[("paths", shell_paths(a, false).into())])
        )?;
    }
    if left > 0 {
        code = code.max(EXIT_FINDINGS);
    }
    if failed > 0 {
        code = EXIT_ERROR;
    }
    Ok(code)
}

fn undo(a: &FixArgs, opts: &FixOptions, cat: &Catalog) -> Result<u8> {
    let report = praxcheck_fix::undo(&a.paths, opts, hook()).map_err(|e| cannot_start(&e, cat))?;
    render_undo(&report, cat)
}

fn render_undo(report: &UndoReport, cat: &Catalog) -> Result<u8> {
    let mut so = std::io::stdout().lock();
    writeln!(so, "{}", cat.t("fix-header-undo"))?;
    render_recovered(&mut so, &report.recovered, cat)?;
    if report.outcomes.is_empty() {
        writeln!(so, "{}", cat.t("fix-undo-nothing"))?;
        return Ok(EXIT_OK);
    }
    let (mut restored, mut left, mut failed) = (0u64, 0u64, 0u64);
    for (path, o) in &report.outcomes {
        let p: Arg = path.display().to_string().into();
        match o {
            UndoOutcome::Restored { sha256, replaced } => {
                restored += 1;
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-undo-restored",
                        &[("path", p), ("sha", short_sha(sha256).into())]
                    )
                )?;
                if let Some(r) = replaced {
                    writeln!(
                        so,
                        "    {}",
                        cat.t_args(
                            "fix-undo-replaced",
                            &[("object", r.display().to_string().into())]
                        )
                    )?;
                }
            }
            UndoOutcome::AlreadyOriginal => {
                restored += 1;
                writeln!(so, "{}", cat.t_args("fix-undo-already", &[("path", p)]))?;
            }
            UndoOutcome::ChangedSinceFix { missing } => {
                left += 1;
                let key = if *missing {
                    "fix-undo-missing"
                } else {
                    "fix-undo-changed"
                };
                writeln!(so, "{}", cat.t_args(key, &[("path", p)]))?;
            }
            UndoOutcome::InUse(v) => {
                left += 1;
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-undo-in-use",
                        &[("path", p), ("procs", procs(v).into())]
                    )
                )?;
            }
            UndoOutcome::Failed(e) => {
                failed += 1;
                writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-undo-failed",
                        &[("path", p), ("reason", fix_reason(e, cat).into())]
                    )
                )?;
            }
        }
    }
    writeln!(so)?;
    writeln!(
        so,
        "{}",
        cat.t_args(
            "fix-undo-summary",
            &[
                ("restored", restored.into()),
                ("left", (left + failed).into())
            ]
        )
    )?;
    Ok(if failed > 0 {
        EXIT_ERROR
    } else if left > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Why a fix step failed, in the user's language; the technical detail (an operating
/// system message, a byte offset) stays in parentheses as it came.
fn fix_reason(e: &FixError, cat: &Catalog) -> String {
    let p = |p: &std::path::Path| Arg::from(p.display().to_string());
    match e {
        FixError::Io { path, source } => cat.t_args(
            "fix-error-io",
            &[("path", p(path)), ("detail", source.to_string().into())],
        ),
        FixError::Archive { source, .. } => cat.t_args(
            "fix-error-archive",
            &[("detail", source.to_string().into())],
        ),
        FixError::VerifyFailed { reason, .. } => {
            cat.t_args("fix-error-verify", &[("detail", reason.clone().into())])
        }
        FixError::ChangedDuringFix(_) => cat.t("fix-error-changed"),
        FixError::BackupDamaged { object, .. } => {
            cat.t_args("fix-error-backup-damaged", &[("object", p(object))])
        }
        FixError::Busy(dir) => cat.t_args("fix-error-busy", &[("path", p(dir))]),
        FixError::Manifest { path, source } => cat.t_args(
            "fix-error-manifest",
            &[("path", p(path)), ("detail", source.to_string().into())],
        ),
        FixError::ManifestRefused { path, problem } => {
            let id = |id: &String| Arg::from(id.as_str());
            let problem = match problem {
                ManifestProblem::ObjectName { id: i } => {
                    cat.t_args("fix-problem-object", &[("id", id(i))])
                }
                ManifestProblem::RelativePath { id: i } => {
                    cat.t_args("fix-problem-relative", &[("id", id(i))])
                }
                ManifestProblem::TempElsewhere { id: i } => {
                    cat.t_args("fix-problem-temp", &[("id", id(i))])
                }
                ManifestProblem::ForeignOwner { path, owner } => cat.t_args(
                    "fix-problem-owner",
                    &[("path", p(path)), ("owner", Arg::from(*owner))],
                ),
                ManifestProblem::WritableByOthers { path } => {
                    cat.t_args("fix-problem-writable", &[("path", p(path))])
                }
            };
            cat.t_args(
                "fix-error-refused",
                &[("path", p(path)), ("problem", problem.into())],
            )
        }
        FixError::NoBackups(dir) => cat.t_args("fix-error-no-backups", &[("path", p(dir))]),
        FixError::Injected(_) => e.to_string(),
    }
}

/// The error when the backup folder cannot be used at all.
fn cannot_start(e: &FixError, cat: &Catalog) -> anyhow::Error {
    anyhow::anyhow!(fix_reason(e, cat)).context(cat.t("fix-cannot-start"))
}
