//! The words of `praxcheck fix`: the dry run, the outcome of applying and of undoing, and
//! why a step failed. Exit codes are the binary's; these return what they counted.

use std::fmt::Write as _;
use std::path::Path;

use crate::words::io_error;
use praxcheck_fix::store::ManifestProblem;
use praxcheck_fix::{ApplyReport, FixError, Outcome, Preview, Recovered, UndoOutcome, UndoReport};
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::{ProcessRef, Unreadable, UnreadableReason};

/// What a rendering counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Files that would change (dry run), were changed, or were restored (undo).
    pub changed: u64,
    /// Files left alone (in use, hard links, broken signature; changed since the fix).
    pub left: u64,
    /// Files that could not be handled (an error).
    pub failed: u64,
}

/// What the dry run says besides the files.
#[derive(Debug, Clone, Copy)]
pub struct Hints<'a> {
    /// The options and paths for the `--yes` hint, quoted for a shell.
    pub apply: &'a str,
    /// The backup folder.
    pub backup_dir: &'a Path,
    /// No `jarsigner` was found to re-verify signed archives.
    pub jarsigner_missing: bool,
}

fn procs(v: &[ProcessRef]) -> String {
    v.iter()
        .map(|p| format!("{} (PID {})", p.name, p.pid))
        .collect::<Vec<_>>()
        .join(", ")
}

fn short_sha(s: &str) -> &str {
    s.get(..16).unwrap_or(s)
}

fn removal_lines(so: &mut String, fp: &praxcheck_fix::FilePlan, cat: &Catalog) {
    for r in &fp.removals {
        let _ = writeln!(
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
        );
    }
}

fn signed_lines(so: &mut String, signed: &[praxcheck_fix::SignedInfo], cat: &Catalog) {
    for s in signed {
        let _ = writeln!(
            so,
            "    {}",
            cat.t_args(
                "fix-signed",
                &[
                    ("archive", s.archive.clone().into()),
                    ("files", s.signature_files.join(", ").into()),
                ]
            )
        );
    }
}

/// The dry run: what would change in each file, warnings, and how to apply it.
/// `hints.apply` are the options and paths for the `--yes` hint.
#[must_use]
pub fn preview(previews: &[Preview], hints: &Hints<'_>, cat: &Catalog) -> (String, Tally) {
    let mut so = String::new();
    let mut tally = Tally::default();
    let _ = writeln!(so, "{}", cat.t("fix-header-dry"));
    let (mut files, mut classes) = (0u64, 0u64);
    let mut any_signed = false;
    for p in previews {
        let path = p.file.path.display().to_string();
        let st = match &p.status {
            Ok(st) => st,
            Err(e) => {
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-cannot",
                        &[("path", path.into()), ("reason", fix_reason(e, cat).into())]
                    )
                );
                tally.failed += 1;
                continue;
            }
        };
        match &p.rewrite {
            Some(Ok(summary)) => {
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args("fix-would-change", &[("path", path.clone().into())])
                );
                removal_lines(&mut so, &p.file, cat);
                signed_lines(&mut so, &summary.signed, cat);
                any_signed |= !summary.signed.is_empty();
                files += 1;
                classes += summary.removed.len() as u64;
            }
            Some(Err(e)) => {
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-cannot",
                        &[
                            ("path", path.clone().into()),
                            ("reason", fix_reason(e, cat).into())
                        ]
                    )
                );
                removal_lines(&mut so, &p.file, cat);
                tally.failed += 1;
                continue;
            }
            None => continue,
        }
        if !st.holders.is_empty() {
            let _ = writeln!(
                so,
                "    {}",
                cat.t_args("fix-warn-in-use", &[("procs", procs(&st.holders).into())])
            );
        }
        if st.hard_links > 1 {
            let _ = writeln!(
                so,
                "    {}",
                cat.t_args("fix-warn-hard-links", &[("count", st.hard_links.into())])
            );
        }
        if st.is_link {
            let _ = writeln!(
                so,
                "    {}",
                cat.t_args(
                    "fix-real-path",
                    &[("path", st.real_path.display().to_string().into())]
                )
            );
        }
    }
    if any_signed && hints.jarsigner_missing {
        let _ = writeln!(so, "{}", cat.t("fix-jarsigner-missing"));
    }
    so.push('\n');
    let _ = writeln!(
        so,
        "{}",
        cat.t_args(
            "fix-summary-dry",
            &[("files", files.into()), ("classes", classes.into())]
        )
    );
    if files > 0 {
        let _ = writeln!(
            so,
            "{}",
            cat.t_args("fix-apply-hint", &[("paths", hints.apply.into())])
        );
        let _ = writeln!(
            so,
            "{}",
            cat.t_args(
                "fix-backup-dir",
                &[("dir", hints.backup_dir.display().to_string().into())]
            )
        );
    }
    tally.changed = files;
    (so, tally)
}

fn render_recovered(so: &mut String, rec: &[Recovered], cat: &Catalog) {
    for r in rec {
        let (key, path) = match r {
            Recovered::Applied(p) => ("fix-recovered-applied", p),
            Recovered::RolledBack(p) => ("fix-recovered-rolled-back", p),
            Recovered::Restored(p) => ("fix-recovered-restored", p),
            Recovered::UndoRolledBack(p) => ("fix-recovered-undo-rolled-back", p),
            Recovered::Unresolved(p) => ("fix-recovered-unresolved", p),
            Recovered::TempRemoved(p) => ("fix-recovered-temp", p),
        };
        let _ = writeln!(
            so,
            "{}",
            cat.t_args(key, &[("path", path.display().to_string().into())])
        );
    }
}

/// A word for a POSIX shell: as it is when it holds only safe characters, else in single
/// quotes (the one rule for every hint: `praxcheck_app`'s fix plan uses it too).
#[must_use]
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// When a changed file was reached through a symbolic link, the file changed is where the
/// link points, and `--undo` finds it by that path, not by the folder the link is in: the
/// hint then names the backup folder and every changed file by its real path.
fn undo_hint_paths(report: &ApplyReport) -> Option<String> {
    let fixed: Vec<(&Path, &Path)> = report
        .outcomes
        .iter()
        .filter_map(|(fp, o)| match o {
            Outcome::Fixed(f) => Some((fp.path.as_path(), f.real_path.as_path())),
            _ => None,
        })
        .collect();
    if fixed.iter().all(|(reached, real)| reached == real) {
        return None;
    }
    let mut words = vec![
        "--backup-dir".to_owned(),
        shell_word(&report.backup_dir.display().to_string()),
    ];
    words.extend(
        fixed
            .iter()
            .map(|(_, real)| shell_word(&real.display().to_string())),
    );
    Some(words.join(" "))
}

/// The outcome of `fix --yes`: each file changed or left alone, and how to undo it.
/// `undo_paths` are the options and paths for the `--undo` hint.
#[must_use]
pub fn applied(report: &ApplyReport, undo_paths: &str, cat: &Catalog) -> (String, Tally) {
    let mut so = String::new();
    let _ = writeln!(so, "{}", cat.t("fix-header-apply"));
    render_recovered(&mut so, &report.recovered, cat);
    let (mut fixed, mut left, mut failed) = (0u64, 0u64, 0u64);
    for (fp, o) in &report.outcomes {
        let path: Arg = fp.path.display().to_string().into();
        match o {
            Outcome::Fixed(f) => {
                fixed += 1;
                let _ = writeln!(so, "{}", cat.t_args("fix-changed", &[("path", path)]));
                removal_lines(&mut so, fp, cat);
                signed_lines(&mut so, &f.summary.signed, cat);
                for c in &f.jarsigner {
                    let key = if c.verified {
                        "fix-jarsigner-ok"
                    } else {
                        "fix-jarsigner-failed"
                    };
                    let _ = writeln!(
                        so,
                        "    {}",
                        cat.t_args(
                            key,
                            &[
                                ("archive", c.archive.clone().into()),
                                ("warnings", c.warnings.join(" ").into())
                            ]
                        )
                    );
                }
                let _ = writeln!(
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
                );
                for n in &f.notes {
                    let _ = writeln!(
                        so,
                        "    {}",
                        cat.t_args("fix-note", &[("note", n.clone().into())])
                    );
                }
            }
            Outcome::InUse(p) => {
                left += 1;
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-skip-in-use",
                        &[("path", path), ("procs", procs(p).into())]
                    )
                );
            }
            Outcome::HardLinks(n) => {
                left += 1;
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-skip-hard-links",
                        &[("path", path), ("count", (*n).into())]
                    )
                );
            }
            Outcome::SignatureBroken(checks) => {
                left += 1;
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args("fix-skip-signature", &[("path", path)])
                );
                for c in checks {
                    let _ = writeln!(so, "    {}: {}", c.archive, c.warnings.join(" "));
                }
            }
            Outcome::Failed(e) => {
                failed += 1;
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-failed",
                        &[("path", path), ("reason", fix_reason(e, cat).into())]
                    )
                );
            }
        }
    }
    so.push('\n');
    let _ = writeln!(
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
    );
    let _ = writeln!(
        so,
        "{}",
        cat.t_args(
            "fix-backup-dir",
            &[("dir", report.backup_dir.display().to_string().into())]
        )
    );
    if fixed > 0 {
        let paths = undo_hint_paths(report).unwrap_or_else(|| undo_paths.to_owned());
        let _ = writeln!(
            so,
            "{}",
            cat.t_args("fix-undo-hint", &[("paths", paths.into())])
        );
    }
    (
        so,
        Tally {
            changed: fixed,
            left,
            failed,
        },
    )
}

/// The outcome of `fix --undo`: each original restored or left alone.
#[must_use]
pub fn undone(report: &UndoReport, cat: &Catalog) -> (String, Tally) {
    let mut so = String::new();
    let _ = writeln!(so, "{}", cat.t("fix-header-undo"));
    render_recovered(&mut so, &report.recovered, cat);
    if report.outcomes.is_empty() {
        let _ = writeln!(so, "{}", cat.t("fix-undo-nothing"));
        return (so, Tally::default());
    }
    let (mut restored, mut left, mut failed) = (0u64, 0u64, 0u64);
    for (path, o) in &report.outcomes {
        let p: Arg = path.display().to_string().into();
        match o {
            UndoOutcome::Restored { sha256, replaced } => {
                restored += 1;
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-undo-restored",
                        &[("path", p), ("sha", short_sha(sha256).into())]
                    )
                );
                if let Some(r) = replaced {
                    let _ = writeln!(
                        so,
                        "    {}",
                        cat.t_args(
                            "fix-undo-replaced",
                            &[("object", r.display().to_string().into())]
                        )
                    );
                }
            }
            UndoOutcome::AlreadyOriginal => {
                restored += 1;
                let _ = writeln!(so, "{}", cat.t_args("fix-undo-already", &[("path", p)]));
            }
            UndoOutcome::ChangedSinceFix { missing } => {
                left += 1;
                let key = if *missing {
                    "fix-undo-missing"
                } else {
                    "fix-undo-changed"
                };
                let _ = writeln!(so, "{}", cat.t_args(key, &[("path", p)]));
            }
            UndoOutcome::InUse(v) => {
                left += 1;
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-undo-in-use",
                        &[("path", p), ("procs", procs(v).into())]
                    )
                );
            }
            UndoOutcome::Failed(e) => {
                failed += 1;
                let _ = writeln!(
                    so,
                    "{}",
                    cat.t_args(
                        "fix-undo-failed",
                        &[("path", p), ("reason", fix_reason(e, cat).into())]
                    )
                );
            }
        }
    }
    so.push('\n');
    let _ = writeln!(
        so,
        "{}",
        cat.t_args(
            "fix-undo-summary",
            &[
                ("restored", restored.into()),
                ("left", (left + failed).into())
            ]
        )
    );
    (
        so,
        Tally {
            changed: restored,
            left,
            failed,
        },
    )
}

/// Why a fix step failed, in the user's language; the technical detail (an operating
/// system message, a byte offset) stays in parentheses as it came.
#[must_use]
pub fn fix_reason(e: &FixError, cat: &Catalog) -> String {
    let p = |p: &std::path::Path| Arg::from(p.display().to_string());
    match e {
        FixError::Io { path, source } => cat.t_args(
            "fix-error-io",
            &[("path", p(path)), ("detail", io_error(source, cat).into())],
        ),
        FixError::HeldOpen { path, source } => cat.t_args(
            "fix-error-held-open",
            &[("path", p(path)), ("detail", io_error(source, cat).into())],
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
                ManifestProblem::LinkInPath { id: i, path } => {
                    cat.t_args("fix-problem-link", &[("id", id(i)), ("path", p(path))])
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

/// Why the fix cannot start when none of its paths could be read: the headline and the
/// first unreadable path with its reason.
#[must_use]
pub fn no_root(unreadable: &[Unreadable], cat: &Catalog) -> String {
    let detail = unreadable
        .first()
        .map(|u| {
            format!(
                "{}: {} ({})",
                u.location,
                crate::words::reason_text(u.reason, cat),
                u.detail
            )
        })
        .unwrap_or_default();
    format!("{} {detail}", cat.t("fix-no-root"))
}

/// What the scan before a fix found besides the files to change: loose `JndiLookup` class
/// files (not changed) and every file or nested archive it could not read (each may hide a
/// `JndiLookup`). Returns the text and the number of such gaps (a symbolic link loop is
/// none: the folder it points to is scanned once).
#[must_use]
pub fn plan_notes(
    plan: &praxcheck_fix::Plan,
    unreadable: &[Unreadable],
    cat: &Catalog,
) -> (String, usize) {
    let mut so = String::new();
    for l in &plan.loose {
        let _ = writeln!(
            so,
            "{}",
            cat.t_args(
                "fix-loose",
                &[
                    ("path", l.path.display().to_string().into()),
                    ("rules", l.rules.join(", ").into()),
                ]
            )
        );
    }
    let gaps = unreadable
        .iter()
        .filter(|u| u.reason != UnreadableReason::SymlinkLoop)
        .count();
    for u in unreadable {
        let _ = writeln!(
            so,
            "{}",
            cat.t_args(
                "fix-unreadable",
                &[
                    ("path", u.location.display.clone().into()),
                    ("reason", crate::words::reason_text(u.reason, cat).into()),
                ]
            )
        );
    }
    if gaps > 0 {
        let _ = writeln!(
            so,
            "{}",
            cat.t_args("fix-unreadable-hint", &[("count", Arg::from(gaps))])
        );
    }
    (so, gaps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use praxcheck_fix::{FilePlan, Fixed, RewriteSummary};
    use praxcheck_i18n::Lang;
    use std::path::PathBuf;

    fn fixed(reached: &str, real: &str) -> (FilePlan, Outcome) {
        let f = Fixed {
            record_id: "r".into(),
            real_path: PathBuf::from(real),
            sha256_before: "a".repeat(64),
            sha256_after: "b".repeat(64),
            sizes: (2, 1),
            object: PathBuf::from("/var/backup/objects/x"),
            summary: RewriteSummary::default(),
            jarsigner: Vec::new(),
            notes: Vec::new(),
        };
        (
            FilePlan {
                path: PathBuf::from(reached),
                removals: Vec::new(),
            },
            Outcome::Fixed(Box::new(f)),
        )
    }

    #[test]
    fn after_a_fix_through_a_link_the_undo_hint_names_the_real_files() {
        let cat = Catalog::new(Lang::En);
        let mut report = ApplyReport {
            recovered: Vec::new(),
            outcomes: vec![fixed("/opt/app/lib/core.jar", "/opt/app/lib/core.jar")],
            backup_dir: PathBuf::from("/var/lib/praxcheck/backup"),
        };
        // No link: the run's own paths.
        let (text, _) = applied(&report, "/opt/app", &cat);
        assert!(text.contains("praxcheck fix --undo /opt/app\n"), "{text}");
        // Through a link in a scanned folder: the folder would restore nothing.
        report.outcomes.push(fixed(
            "/opt/app/links/log4j.jar",
            "/srv/real dir/log4j-core.jar",
        ));
        let (text, _) = applied(&report, "/opt/app", &cat);
        assert!(
            text.contains(
                "praxcheck fix --undo --backup-dir /var/lib/praxcheck/backup \
                 /opt/app/lib/core.jar '/srv/real dir/log4j-core.jar'\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_file_held_open_is_named_with_its_reason_from_the_catalogue() {
        let e = FixError::HeldOpen {
            path: PathBuf::from(r"C:\Praxis\lib\log4j-core.jar"),
            source: std::io::Error::from_raw_os_error(32),
        };
        let de = fix_reason(&e, &Catalog::new(Lang::De));
        assert!(
            de.starts_with(r"C:\Praxis\lib\log4j-core.jar ist von einem anderen Programm geöffnet"),
            "{de}"
        );
        let en = fix_reason(&e, &Catalog::new(Lang::En));
        assert!(en.contains("held open by another program"), "{en}");
    }
}
