//! `praxcheck advisories show` and `praxcheck advisories update --from FILE`.

use std::io::Write as _;

use anyhow::{Context as _, Result, bail};
use praxcheck_advisories::update::{self, UpdateError, UpdateOutcome};
use praxcheck_advisories::{AdvisorySet, RuleKind};
use praxcheck_i18n::{Arg, Catalog};

use crate::args::UpdateArgs;
use crate::assessing::{load_set, state_dir, today};
use crate::{EXIT_ERROR, EXIT_OK};

/// The reason of a refused update in the user's language, with the technical detail.
pub(crate) fn refusal(e: &UpdateError, cat: &Catalog) -> String {
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
        UpdateError::Io { .. }
        | UpdateError::NotRegular { .. }
        | UpdateError::BadKey { .. }
        | UpdateError::BadState { .. } => {
            s("update-reason-io", &[("detail", Arg::from(e.to_string()))])
        }
    }
}

/// `praxcheck advisories update --from FILE`.
pub(crate) fn update(a: &UpdateArgs, quiet: bool, cat: &Catalog) -> Result<u8> {
    let Some(state) = state_dir() else {
        bail!("{}", cat.t("error-no-state-dir"));
    };
    let keys = update::trusted_keys().context("trusted keys")?;
    let embedded = AdvisorySet::embedded().context("embedded advisory set")?;
    let mut err = std::io::stderr().lock();
    if update::keys_kind() == "test" && !quiet {
        writeln!(err, "{}", cat.t("advisories-keys-test"))?;
    }
    match update::install(
        &state,
        &a.from,
        a.signature.as_deref(),
        &keys,
        // The real date: expiry protects against replayed old sets, PRAXCHECK_TODAY must
        // not switch that off.
        time::OffsetDateTime::now_utc().date(),
        embedded.meta(),
    ) {
        Ok(UpdateOutcome::Installed {
            installed,
            previous,
        }) => {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{}",
                cat.t_args(
                    "update-installed",
                    &[
                        ("id", Arg::from(installed.id.as_str())),
                        ("version", Arg::from(installed.version)),
                        (
                            "date",
                            Arg::from(praxcheck_report::overview::local_date(
                                &installed.published,
                                cat.lang()
                            ))
                        ),
                        ("previous", Arg::from(previous)),
                        ("key", Arg::from(installed.key_id.as_str())),
                    ]
                )
            )?;
            Ok(EXIT_OK)
        }
        Ok(UpdateOutcome::AlreadyInstalled { installed }) => {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{}",
                cat.t_args(
                    "update-already",
                    &[
                        ("id", Arg::from(installed.id.as_str())),
                        ("version", Arg::from(installed.version)),
                    ]
                )
            )?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            writeln!(
                err,
                "praxcheck: {}: {} {}",
                cat.t("error-prefix"),
                cat.t("update-refused"),
                refusal(&e, cat)
            )?;
            writeln!(err, "  ({e})")?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `praxcheck advisories show`.
pub(crate) fn show(quiet: bool, cat: &Catalog) -> Result<u8> {
    let set = load_set(quiet, cat)?;
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
                (
                    "date",
                    praxcheck_report::overview::local_date(&m.published, cat.lang()).into()
                ),
                ("count", (set.records().len() as u64).into()),
            ]
        )
    )?;
    writeln!(
        so,
        "{}",
        cat.t_args(
            "advisories-details",
            &[
                (
                    "source",
                    Arg::from(cat.t(&format!("advisories-source-{}", set.source())))
                ),
                ("age", Arg::from(set.age_days(today()).unwrap_or(0).max(0))),
                (
                    "expires",
                    Arg::from(praxcheck_report::overview::local_date(
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
    )?;
    if set.is_stale(today()) {
        writeln!(
            so,
            "{}",
            cat.t_args(
                "overview-advisories-stale",
                &[("days", Arg::from(praxcheck_advisories::STALE_AFTER_DAYS))]
            )
        )?;
    }
    if update::keys_kind() == "test" {
        writeln!(so, "{}", cat.t("advisories-keys-test"))?;
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
    for r in set.rules() {
        writeln!(
            so,
            "{:<16} {:<20} {:<9} {}",
            "",
            r.id,
            cat.t(praxcheck_report::text::severity_key(r.severity)),
            r.title.get(code)
        )?;
    }
    for p in set.products() {
        for a in &p.advisories {
            writeln!(
                so,
                "{:<16} {:<20} {:<9} {}  [{} {}]",
                a.aliases.first().cloned().unwrap_or_default(),
                a.id,
                cat.t(praxcheck_report::text::severity_key(a.severity)),
                a.title.get(code),
                p.vendor,
                p.name
            )?;
        }
    }
    Ok(EXIT_OK)
}
