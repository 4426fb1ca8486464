//! Operating system and its end of life.

use crate::keys;
use praxcheck_model::{Confidence, FactValue, UnknownReason};

use super::Ctx;
use crate::eol;
use crate::facts::{self, Facts, file, reference};

/// `os.*` facts.
pub fn collect(ctx: &Ctx<'_>, f: &mut Facts) {
    f.put(
        keys::OS_FAMILY,
        FactValue::Text("linux".into()),
        Confidence::High,
        vec![facts::derived("platform")],
    );
    if let Ok(k) = ctx.fs.text("/proc/sys/kernel/osrelease") {
        f.put(
            keys::OS_KERNEL,
            FactValue::Text(k.trim().to_owned()),
            Confidence::High,
            vec![file("/proc/sys/kernel/osrelease")],
        );
    }
    let Some(path) = ctx.base.os_release_path.clone() else {
        f.unknown(
            keys::OS_NAME,
            UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::NoOsRelease,
            "/etc/os-release and /usr/lib/os-release: not found",
            vec![file("/etc/os-release")],
        );
        f.unknown(
            keys::OS_END_OF_LIFE,
            UnknownReason::Unreadable,
            praxcheck_model::UnknownSaid::UnknownDistribution,
            "the distribution is not known",
            vec![file("/etc/os-release")],
        );
        return;
    };
    let src = vec![file(&path)];
    let b = &ctx.base;
    let name = b
        .os("PRETTY_NAME")
        .or_else(|| b.os("NAME"))
        .unwrap_or("Linux");
    f.put(
        keys::OS_NAME,
        FactValue::Text(name.to_owned()),
        Confidence::High,
        src.clone(),
    );
    let id = b.os("ID").unwrap_or("linux").to_owned();
    f.put(
        keys::OS_ID,
        FactValue::Text(id.clone()),
        Confidence::High,
        src.clone(),
    );
    let version = b.os("VERSION_ID").map(str::to_owned);
    match &version {
        Some(v) => {
            f.put(
                keys::OS_VERSION,
                FactValue::Text(v.clone()),
                Confidence::High,
                src.clone(),
            );
        }
        None => f.unknown(
            keys::OS_VERSION,
            UnknownReason::ParseError,
            praxcheck_model::UnknownSaid::NoVersionId { file: path.clone() },
            format!("{path}: no VERSION_ID (a rolling or testing release)"),
            src.clone(),
        ),
    }
    // Debian's point release ("12.12").
    if let Ok(dv) = ctx.fs.text("/etc/debian_version") {
        f.put(
            keys::OS_POINT_RELEASE,
            FactValue::Text(dv.trim().to_owned()),
            Confidence::High,
            vec![file("/etc/debian_version")],
        );
    }
    let Some(version) = version else {
        f.unknown(
            keys::OS_END_OF_LIFE,
            UnknownReason::NoReferenceData,
            praxcheck_model::UnknownSaid::NoVersionNumber {
                distribution: id.clone(),
            },
            format!("{id} without a version number"),
            src,
        );
        return;
    };
    match eol::linux(&id, &version) {
        Some(m) => eol_facts(f, &m, ctx.now, &path),
        None => f.unknown(
            keys::OS_END_OF_LIFE,
            UnknownReason::NoReferenceData,
            praxcheck_model::UnknownSaid::NoEndOfLifeData {
                distribution: id.clone(),
                version: version.clone(),
            },
            format!("no end-of-life data for {id} {version} in the shipped table"),
            vec![file(&path), reference("endoflife.date subset")],
        ),
    }
}

/// `os.eol_cycle`, `os.end_of_life`, `os.end_of_extended_support`,
/// `os.extended_support_kind`, `os.days_until_end_of_life` from a matched cycle.
pub fn eol_facts(f: &mut Facts, m: &eol::Match, now: time::OffsetDateTime, from: &str) {
    let mut src = vec![
        crate::facts::registry_or_file(from),
        reference(&format!("endoflife.date {} {}", m.product, m.cycle.cycle)),
    ];
    if let Some(url) = &m.cycle.source {
        src.push(reference(url));
    }
    f.put(
        keys::OS_EOL_CYCLE,
        FactValue::Text(m.cycle.label.clone()),
        Confidence::High,
        src.clone(),
    );
    match m.cycle.eol.as_deref().and_then(facts::parse_ymd) {
        Some(d) => {
            f.put(
                keys::OS_END_OF_LIFE,
                FactValue::Date(facts::ymd(d)),
                Confidence::High,
                src.clone(),
            );
            let days = (d - now.date()).whole_days();
            f.put(
                keys::OS_DAYS_UNTIL_END_OF_LIFE,
                FactValue::Int(days),
                Confidence::High,
                vec![facts::derived("os.end_of_life + collected_at")],
            );
        }
        None => f.unknown(
            keys::OS_END_OF_LIFE,
            UnknownReason::NoReferenceData,
            praxcheck_model::UnknownSaid::NoEndOfLifeAnnounced {
                cycle: m.cycle.label.clone(),
            },
            format!("{}: no end-of-life date announced", m.cycle.label),
            src.clone(),
        ),
    }
    if let Some(d) = m
        .cycle
        .extended_support
        .as_deref()
        .and_then(facts::parse_ymd)
    {
        f.put(
            keys::OS_END_OF_EXTENDED_SUPPORT,
            FactValue::Date(facts::ymd(d)),
            Confidence::High,
            src.clone(),
        );
        // Who gets those updates decides the phase's verdict (the assessment's).
        if let Some(e) = m.extended() {
            let mut src = src;
            src.push(reference(&e.source));
            f.put(
                keys::OS_EXTENDED_SUPPORT_KIND,
                FactValue::Text(e.kind.as_str().to_owned()),
                Confidence::High,
                src,
            );
        }
    }
}
