//! The advisory set for people: `praxcheck advisories show` (the set, its age and every
//! record, rule and product advisory), the outcome of `advisories update` and the reason an
//! installed or offered set was refused.

use std::fmt::Write as _;

use praxcheck_advisories::update::{LoadNote, UpdateError, UpdateOutcome};
use praxcheck_advisories::{AdvisorySet, RuleKind};
use praxcheck_i18n::{Arg, Catalog};

/// The reason of a refused update in the user's language, with the technical detail.
#[must_use]
pub fn refusal(e: &UpdateError, cat: &Catalog) -> String {
    let s = |k: &str, args: &[(&str, Arg)]| cat.t_args(k, args);
    match e {
        UpdateError::Unsigned { signature, .. } => s(
            "update-reason-unsigned",
            &[("signature", Arg::from(signature.display().to_string()))],
        ),
        UpdateError::BadSignatureFile { signature, .. } => s(
            "update-reason-bad-signature",
            &[("signature", Arg::from(signature.display().to_string()))],
        ),
        UpdateError::WrongKey {
            signed_by, trusted, ..
        } => s(
            "update-reason-wrong-key",
            &[
                ("key", Arg::from(signed_by.as_str())),
                ("trusted", Arg::from(trusted.as_str())),
            ],
        ),
        UpdateError::Tampered { .. } => s("update-reason-tampered", &[]),
        UpdateError::LegacySignature { .. } => s("update-reason-legacy", &[]),
        UpdateError::NotASet { reason, .. } => s(
            "update-reason-not-a-set",
            &[("detail", Arg::from(reason.as_str()))],
        ),
        UpdateError::WrongSetId {
            found, expected, ..
        } => s(
            "update-reason-wrong-id",
            &[
                ("found", Arg::from(found.as_str())),
                ("expected", Arg::from(expected.as_str())),
            ],
        ),
        UpdateError::NoExpiry { .. } => s("update-reason-no-expiry", &[]),
        UpdateError::Expired { expires, .. } => s(
            "update-reason-expired",
            &[("date", Arg::from(expires.as_str()))],
        ),
        UpdateError::NotNewer { found, current, .. } => s(
            "update-reason-not-newer",
            &[
                ("found", Arg::from(*found)),
                ("current", Arg::from(*current)),
            ],
        ),
        UpdateError::TooLarge { size, .. } => {
            s("update-reason-too-large", &[("size", Arg::from(*size))])
        }
        // The operating system's reason in the user's words, with the path and its code.
        UpdateError::Io { path, error } => s(
            "update-reason-io",
            &[(
                "detail",
                Arg::from(format!(
                    "{}: {}",
                    path.display(),
                    crate::words::io_error(error, cat)
                )),
            )],
        ),
        UpdateError::NotRegular { path, kind } => s(
            "update-reason-io",
            &[(
                "detail",
                Arg::from(crate::words::read_error(
                    &praxcheck_model::read::ReadError::NotRegular {
                        path: path.clone(),
                        kind: *kind,
                    },
                    cat,
                )),
            )],
        ),
        UpdateError::BadKey { .. } | UpdateError::BadState { .. } => {
            s("update-reason-io", &[("detail", Arg::from(e.to_string()))])
        }
    }
}

/// The listing of `praxcheck advisories show`: header, details, staleness and one line per
/// record, rule and product advisory. `test_keys` says the build trusts the test keys.
#[must_use]
pub fn listing(set: &AdvisorySet, today: time::Date, test_keys: bool, cat: &Catalog) -> String {
    let m = set.meta();
    let mut so = String::new();
    let _ = writeln!(
        so,
        "{}",
        cat.t_args(
            "advisories-header",
            &[
                ("id", m.id.clone().into()),
                ("version", m.version.into()),
                (
                    "date",
                    crate::words::local_date(&m.published, cat.lang()).into()
                ),
                ("count", (set.records().len() as u64).into()),
            ]
        )
    );
    let _ = writeln!(
        so,
        "{}",
        cat.t_args(
            "advisories-details",
            &[
                (
                    "source",
                    Arg::from(cat.t(&format!("advisories-source-{}", set.source())))
                ),
                ("age", Arg::from(set.age_days(today).unwrap_or(0).max(0))),
                (
                    "expires",
                    Arg::from(crate::words::local_date(
                        m.expires.as_deref().unwrap_or_default(),
                        cat.lang()
                    ))
                ),
                (
                    "host",
                    Arg::from(
                        set.rules()
                            .iter()
                            .filter(|r| r.kind != RuleKind::Log)
                            .count()
                    )
                ),
                (
                    "logs",
                    Arg::from(
                        set.rules()
                            .iter()
                            .filter(|r| r.kind == RuleKind::Log)
                            .count()
                    )
                ),
                ("products", Arg::from(set.products().len())),
            ]
        )
    );
    if set.is_stale(today) {
        let _ = writeln!(
            so,
            "{}",
            cat.t_args(
                "overview-advisories-stale",
                &[("days", Arg::from(praxcheck_advisories::STALE_AFTER_DAYS))]
            )
        );
    }
    if test_keys {
        let _ = writeln!(so, "{}", cat.t("advisories-keys-test"));
    }
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
        let mut pkgs: Vec<String> = r.affected.iter().map(|a| a.package.name.clone()).collect();
        pkgs.dedup();
        pkgs.truncate(3);
        let _ = writeln!(
            so,
            "{:<16} {:<20} {:<9} {}  [{}]",
            praxcheck_advisories::matcher::rule_id(r),
            r.id,
            cat.t(crate::words::severity_key(
                praxcheck_advisories::matcher::record_severity(r)
            )),
            title,
            pkgs.join(", ")
        );
    }
    for r in set.rules() {
        let _ = writeln!(
            so,
            "{:<16} {:<20} {:<9} {}",
            "",
            r.id,
            cat.t(crate::words::severity_key(r.severity)),
            r.title.get(code)
        );
    }
    for p in set.products() {
        for a in &p.advisories {
            let _ = writeln!(
                so,
                "{:<16} {:<20} {:<9} {}  [{} {}]",
                a.aliases.first().cloned().unwrap_or_default(),
                a.id,
                cat.t(crate::words::severity_key(a.severity)),
                a.title.get(code),
                p.vendor,
                p.name
            );
        }
    }
    so
}

/// The line that reports an installed (or already installed) set.
#[must_use]
pub fn update_outcome(outcome: &UpdateOutcome, cat: &Catalog) -> String {
    match outcome {
        UpdateOutcome::Installed {
            installed,
            previous,
        } => cat.t_args(
            "update-installed",
            &[
                ("id", Arg::from(installed.id.as_str())),
                ("version", Arg::from(installed.version)),
                (
                    "date",
                    Arg::from(crate::words::local_date(&installed.published, cat.lang())),
                ),
                ("previous", Arg::from(*previous)),
                ("key", Arg::from(installed.key_id.as_str())),
            ],
        ),
        UpdateOutcome::AlreadyInstalled { installed } => cat.t_args(
            "update-already",
            &[
                ("id", Arg::from(installed.id.as_str())),
                ("version", Arg::from(installed.version)),
            ],
        ),
    }
}

/// A note about the installed set that could not be used (the embedded one is used).
#[must_use]
pub fn load_note(note: &LoadNote, cat: &Catalog) -> String {
    match note {
        LoadNote::InstalledUnusable { reason } => cat.t_args(
            "advisories-note-unusable",
            &[("reason", Arg::from(refusal(reason, cat)))],
        ),
        LoadNote::InstalledExpired { expires } => cat.t_args(
            "advisories-note-expired",
            &[("date", Arg::from(expires.clone()))],
        ),
    }
}
