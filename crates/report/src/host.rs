//! The host facts in the terminal summary: every fact with its label from the catalogue,
//! its value and its first source, grouped by area. Judgements are not made here (that is
//! the assessment's job); "no backup found" and the facts that need more rights are said in
//! plain words.

use std::fmt::Write as _;

use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::{FactValue, HostFact, HostFacts, Unknown, UnknownReason, UnknownSaid};

use crate::term::vis;

/// Areas in the order they are shown.
const SECTIONS: [&str; 16] = [
    "os",
    "updates",
    "firewall",
    "listening",
    "remote",
    "shares",
    "antimalware",
    "screenlock",
    "logon",
    "disk",
    "accounts",
    "backup",
    "software",
    "network",
    "ti",
    "host",
];

/// At most this many items of a list are shown.
const LIST_MAX: usize = 6;

/// The catalogue key of a fact's label.
#[must_use]
pub fn label_key(fact_key: &str) -> String {
    format!("host-fact-{}", fact_key.replace(['.', '_'], "-"))
}

/// Why a fact is unknown, beyond its reason: from its kind and parameters in the
/// catalogue's language. A fact without a kind (documents written before every unknown fact
/// had one) has only its technical detail, which is English: shown in English reports,
/// left out (empty) of others, which say the reason alone.
#[must_use]
pub fn unknown_text(u: &Unknown, cat: &Catalog) -> String {
    use UnknownSaid as W;
    let Some(says) = &u.says else {
        return if cat.lang() == praxcheck_i18n::Lang::En {
            u.detail.clone()
        } else {
            String::new()
        };
    };
    let s = |v: &String| Arg::from(v.clone());
    let (key, args): (&str, Vec<(&str, Arg)>) = match says {
        W::NoBackupInReadableTargets { not_examined } => (
            "host-why-no-backup-in-readable-targets",
            vec![("targets", Arg::from(not_examined.join(", ")))],
        ),
        W::NoBackupFound => ("host-why-no-backup-found", vec![]),
        W::AttachmentUnknown { target } => {
            ("host-why-attachment-unknown", vec![("target", s(target))])
        }
        W::NoSignatureDate => ("host-why-no-signature-date", vec![]),
        W::NoDesktop => ("host-why-no-desktop", vec![]),
        W::ScreenLockPerUser { desktop } => (
            "host-why-screen-lock-per-user",
            vec![("desktop", s(desktop))],
        ),
        W::NoAutologinPassword => ("host-why-no-autologin-password", vec![]),
        W::RootNotOnBlockDevice { device } => (
            "host-why-root-not-on-block-device",
            vec![("device", s(device))],
        ),
        W::RootNotMounted => ("host-why-root-not-mounted", vec![]),
        W::NoSshServer => ("host-why-no-ssh-server", vec![]),
        W::WindowsOnly => ("host-why-windows-only", vec![]),
        W::InternalError => ("host-why-internal-error", vec![]),
        W::HiddenSockets { sockets, processes } => (
            "host-why-hidden-sockets",
            vec![
                ("sockets", Arg::from(*sockets)),
                ("processes", Arg::from(*processes)),
            ],
        ),
        W::NoOsRelease => ("host-why-no-os-release", vec![]),
        W::UnknownDistribution => ("host-why-unknown-distribution", vec![]),
        W::NoVersionId { file } => ("host-why-no-version-id", vec![("file", s(file))]),
        W::NoVersionNumber { distribution } => (
            "host-why-no-version-number",
            vec![("distribution", s(distribution))],
        ),
        W::NoEndOfLifeData {
            distribution,
            version,
        } => (
            "host-why-no-end-of-life-data",
            vec![("distribution", s(distribution)), ("version", s(version))],
        ),
        W::NoEndOfLifeAnnounced { cycle } => (
            "host-why-no-end-of-life-announced",
            vec![("cycle", s(cycle))],
        ),
        W::NotDebianOrRedHat => ("host-why-not-debian-or-red-hat", vec![]),
        W::NoAptLists => ("host-why-no-apt-lists", vec![]),
        W::NoPackageDatabase => ("host-why-no-package-database", vec![]),
        W::NoUpgradeRecorded => ("host-why-no-upgrade-recorded", vec![]),
        W::NoConnectorAddress => ("host-why-no-connector-address", vec![]),
        W::FileUnreadable { file } => ("host-why-file-unreadable", vec![("file", s(file))]),
        W::CommandFailed { command } => ("host-why-command-failed", vec![("command", s(command))]),
        W::NotUnderstood { source } => ("host-why-not-understood", vec![("source", s(source))]),
        W::PowershellFailed { part } => ("host-why-powershell-failed", vec![("part", s(part))]),
        W::SectionFailed { section } => ("host-why-section-failed", vec![("section", s(section))]),
        W::SectionMissing { section } => {
            ("host-why-section-missing", vec![("section", s(section))])
        }
        W::SectionGarbled { section } => {
            ("host-why-section-garbled", vec![("section", s(section))])
        }
        W::ValueMissing { value } => ("host-why-value-missing", vec![("value", s(value))]),
        W::NoAutomaticLock => ("host-why-no-automatic-lock", vec![]),
        W::SystemVolumeNotListed => ("host-why-system-volume-not-listed", vec![]),
        W::NoInstallationDate { updates } => (
            "host-why-no-installation-date",
            vec![("updates", Arg::from(*updates))],
        ),
        W::SshConfigNotRead => ("host-why-ssh-config-not-read", vec![]),
    };
    cat.t_args(key, &args)
}

fn reason_key(r: UnknownReason) -> &'static str {
    match r {
        UnknownReason::NeedsPrivilege => "host-unknown-needs-privilege",
        UnknownReason::ToolMissing => "host-unknown-tool-missing",
        UnknownReason::NotApplicable => "host-unknown-not-applicable",
        UnknownReason::NotConfigured => "host-unknown-not-configured",
        UnknownReason::Unreadable => "host-unknown-unreadable",
        UnknownReason::Timeout => "host-unknown-timeout",
        UnknownReason::ParseError => "host-unknown-parse-error",
        UnknownReason::NotCollected => "host-unknown-not-collected",
        UnknownReason::NoReferenceData => "host-unknown-no-reference-data",
    }
}

fn yes_no(b: bool, cat: &Catalog) -> String {
    cat.t(if b { "host-yes" } else { "host-no" })
}

fn join_limited(items: Vec<String>, cat: &Catalog) -> String {
    if items.is_empty() {
        return cat.t("host-none");
    }
    let n = items.len();
    let mut shown: Vec<String> = items.into_iter().take(LIST_MAX).collect();
    if n > LIST_MAX {
        shown.push(cat.t_args("host-more", &[("count", Arg::from(n - LIST_MAX))]));
    }
    shown.join(", ")
}

/// The value of a fact as one line.
#[must_use]
pub fn value_text(f: &HostFact, cat: &Catalog) -> String {
    match &f.value {
        FactValue::Bool(b) => yes_no(*b, cat),
        FactValue::Int(i) => i.to_string(),
        FactValue::Text(s) if f.key == praxcheck_model::fact_keys::OS_EXTENDED_SUPPORT_KIND => {
            extended_support_kind(s, cat)
        }
        FactValue::Text(s) | FactValue::Date(s) | FactValue::Timestamp(s) => s.clone(),
        FactValue::List(l) => join_limited(l.clone(), cat),
        FactValue::Services(l) => join_limited(
            l.iter()
                .map(|s| {
                    format!(
                        "{} {}:{}{}",
                        s.protocol,
                        s.address,
                        s.port,
                        s.process
                            .as_ref()
                            .map(|p| format!(" ({p})"))
                            .unwrap_or_default()
                    )
                })
                .collect(),
            cat,
        ),
        FactValue::FirewallRules(l) => join_limited(
            l.iter()
                .map(|r| {
                    format!(
                        "{} [{}] {}",
                        r.display_name.as_deref().unwrap_or(&r.location),
                        r.services.join("/"),
                        r.ports.join(",")
                    )
                })
                .collect(),
            cat,
        ),
        FactValue::Accounts(l) => join_limited(l.iter().map(|a| a.name.clone()).collect(), cat),
        FactValue::BackupTools(l) => join_limited(l.iter().map(|t| t.name.clone()).collect(), cat),
        FactValue::BackupTargets(l) => join_limited(
            l.iter()
                .map(|t| {
                    let mut s = t.label.clone().unwrap_or_else(|| t.target.clone());
                    if let Some(d) = t.newest_age_days {
                        let _ = write!(
                            s,
                            " ({})",
                            cat.t_args("host-days", &[("days", Arg::from(d))])
                        );
                    }
                    if let Some(a) = t.attached_now {
                        let _ = write!(
                            s,
                            ", {}",
                            cat.t(if a { "host-attached" } else { "host-detached" })
                        );
                    }
                    s
                })
                .collect(),
            cat,
        ),
        FactValue::RemoteTools(l) => join_limited(
            l.iter()
                .map(|t| {
                    let mut s = t.name.clone();
                    if t.running == Some(true) {
                        let _ = write!(s, ", {}", cat.t("host-running"));
                    }
                    if t.starts_unattended == Some(true) {
                        let _ = write!(s, ", {}", cat.t("host-unattended"));
                    }
                    s
                })
                .collect(),
            cat,
        ),
        FactValue::Shares(l) => join_limited(
            l.iter()
                .map(|s| format!("{} ({})", s.name, s.path))
                .collect(),
            cat,
        ),
        FactValue::Antimalware(l) => join_limited(
            l.iter()
                .map(|p| match p.signature_age_days {
                    Some(d) => format!(
                        "{} ({})",
                        p.name,
                        cat.t_args("host-days", &[("days", Arg::from(d))])
                    ),
                    None => p.name.clone(),
                })
                .collect(),
            cat,
        ),
        FactValue::Volumes(l) => join_limited(
            l.iter()
                .map(|v| match v.encrypted {
                    Some(e) => format!(
                        "{} ({})",
                        v.mount_point,
                        cat.t(if e {
                            "host-encrypted"
                        } else {
                            "host-not-encrypted"
                        })
                    ),
                    None => v.mount_point.clone(),
                })
                .collect(),
            cat,
        ),
        FactValue::Unknown(u) => cat.t(reason_key(u.reason)),
    }
}

/// The host section of the terminal summary.
#[must_use]
pub fn summary(h: &HostFacts, hostname: &str, cat: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        cat.t_args(
            "host-title",
            &[
                ("host", Arg::from(vis(hostname))),
                ("platform", Arg::from(vis(h.platform.as_str())))
            ]
        )
    );
    // Said first and plainly.
    if let Some(f) = h.get("backup.found") {
        match f.value {
            FactValue::Bool(false) => {
                let _ = writeln!(out, "  {}", cat.t("host-backup-none"));
            }
            FactValue::Unknown(_) => {
                let _ = writeln!(out, "  {}", cat.t("host-backup-unknown"));
            }
            _ => {}
        }
    }
    if let Some(FactValue::List(keys)) = h.get("host.facts_needing_privilege").map(|f| &f.value)
        && !keys.is_empty()
    {
        let _ = writeln!(
            out,
            "  {}",
            cat.t_args(
                "host-unprivileged",
                &[
                    ("count", Arg::from(keys.len())),
                    ("keys", Arg::from(vis(&keys.join(", "))))
                ]
            )
        );
    }
    let width = h
        .facts
        .iter()
        .map(|f| cat.t(&label_key(&f.key)).chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for section in SECTIONS {
        let facts: Vec<&HostFact> = h
            .facts
            .iter()
            .filter(|f| f.key.split('.').next() == Some(section))
            .collect();
        if facts.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", cat.t(&format!("host-section-{section}")));
        for f in facts {
            let label = cat.t(&label_key(&f.key));
            let pad = width.saturating_sub(label.chars().count());
            let source = f
                .sources
                .first()
                .map(|s| {
                    let more = if f.sources.len() > 1 {
                        format!(" +{}", f.sources.len() - 1)
                    } else {
                        String::new()
                    };
                    format!("  [{}: {}{more}]", cat.t("host-source"), vis(&s.reference))
                })
                .unwrap_or_default();
            let detail = f
                .unknown()
                .map(|u| unknown_text(u, cat))
                .filter(|w| !w.is_empty())
                .map(|w| format!(" ({})", vis(&w)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {label}{} {}{detail}{source}",
                " ".repeat(pad),
                vis(&value_text(f, cat))
            );
        }
    }
    out
}

/// Who gets the extended security updates (`os.extended_support_kind`: `free`,
/// `subscription`, `paid`), in the catalogue's words; another word is shown as recorded.
fn extended_support_kind(word: &str, cat: &Catalog) -> String {
    match word {
        "free" => cat.t("host-extended-support-free"),
        "subscription" => cat.t("host-extended-support-subscription"),
        "paid" => cat.t("host-extended-support-paid"),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use praxcheck_i18n::Lang;

    #[test]
    fn every_fact_key_has_a_label_in_both_languages() {
        for lang in [Lang::De, Lang::En] {
            let cat = Catalog::new(lang);
            for k in praxcheck_hostscan::keys::KEYS {
                assert!(
                    cat.has(&label_key(k.key)),
                    "{lang:?}: no label for {}",
                    k.key
                );
            }
            for s in SECTIONS {
                assert!(cat.has(&format!("host-section-{s}")), "{lang:?}: {s}");
            }
        }
    }

    #[test]
    fn no_backup_and_missing_rights_are_said_plainly() {
        use praxcheck_model::{Confidence, HostFact, Unknown};
        let f = |key: &str, value: FactValue| HostFact {
            key: key.into(),
            value,
            confidence: Confidence::High,
            sources: Vec::new(),
            note: None,
        };
        let h = HostFacts {
            platform: "linux".into(),
            collected_at: String::new(),
            privileged: false,
            root: None,
            facts: vec![
                f("backup.found", FactValue::Bool(false)),
                f(
                    "accounts.empty_password",
                    FactValue::Unknown(Unknown {
                        reason: UnknownReason::NeedsPrivilege,
                        detail: "/etc/shadow: permission denied".into(),
                        says: Some(UnknownSaid::FileUnreadable {
                            file: "/etc/shadow".into(),
                        }),
                    }),
                ),
                // A document from before the kinds: its English detail only in English.
                f(
                    "updates.pending_count",
                    FactValue::Unknown(Unknown {
                        reason: UnknownReason::Unreadable,
                        detail: "apt-get: exit Some(100): lists locked".into(),
                        says: None,
                    }),
                ),
                f(
                    "host.facts_needing_privilege",
                    FactValue::List(vec!["accounts.empty_password".into()]),
                ),
            ],
        };
        let de = summary(&h, "empfang", &Catalog::new(Lang::De));
        assert!(de.contains("Keine Datensicherung gefunden."), "{de}");
        assert!(
            de.contains("eine Angabe fehlt (accounts.empty_password)"),
            "{de}"
        );
        assert!(de.contains("Konten ohne Passwort"), "{de}");
        assert!(
            de.contains(
                "unbekannt – braucht Administrator- bzw. Root-Rechte (die Datei /etc/shadow ließ sich nicht lesen)"
            ),
            "{de}"
        );
        assert!(
            !de.contains("permission denied") && !de.contains("lists locked"),
            "{de}"
        );
        let en = summary(&h, "empfang", &Catalog::new(Lang::En));
        assert!(en.contains("No backup found."), "{en}");
        assert!(
            en.contains("(the file /etc/shadow could not be read)"),
            "{en}"
        );
        assert!(
            en.contains("(apt-get: exit Some(100): lists locked)"),
            "{en}"
        );
    }

    /// Issue 11: the extended phase's kind is worded, never shown as the recorded word.
    #[test]
    fn the_extended_support_kind_is_worded_in_both_languages() {
        use praxcheck_model::{Confidence, HostFact};
        let fact = |word: &str| HostFact {
            key: praxcheck_model::fact_keys::OS_EXTENDED_SUPPORT_KIND.into(),
            value: FactValue::Text(word.into()),
            confidence: Confidence::High,
            sources: Vec::new(),
            note: None,
        };
        let de = Catalog::new(Lang::De);
        let en = Catalog::new(Lang::En);
        for (word, german, english) in [
            ("free", "kostenlos", "free"),
            ("subscription", "Abonnement", "subscription"),
            ("paid", "bezahlte", "paid"),
        ] {
            let d = value_text(&fact(word), &de);
            let e = value_text(&fact(word), &en);
            assert_ne!(d, word, "German shows the raw word");
            assert_ne!(e, word, "English shows the raw word");
            assert!(d.contains(german), "{word}: {d}");
            assert!(e.contains(english), "{word}: {e}");
            assert_ne!(d, e, "{word}: not translated");
        }
        let h = HostFacts {
            platform: "linux".into(),
            collected_at: String::new(),
            privileged: true,
            root: None,
            facts: vec![fact("paid")],
        };
        let text = summary(&h, "empfang", &de);
        assert!(text.contains("nur mit bezahlter Lizenz"), "{text}");
        assert!(!text.contains(" paid"), "{text}");
    }
}
