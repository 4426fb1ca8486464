//! The shared vocabulary of every renderer: symbols and catalogue keys of severities,
//! lights, efforts and topics, dates in the user's form, reasons a file was unreadable.
//! `text`, `overview` and `html` all use it; it uses none of them (no cycle).

use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{Allows, Effort, Evidence, Light, Said, Severity};

/// The symbol for a severity.
#[must_use]
pub fn severity_symbol(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "✖",
        Severity::High => "▲",
        Severity::Medium => "●",
        Severity::Low => "○",
        Severity::Info => "·",
    }
}

/// The catalogue key of a severity word.
#[must_use]
pub fn severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "severity-critical",
        Severity::High => "severity-high",
        Severity::Medium => "severity-medium",
        Severity::Low => "severity-low",
        Severity::Info => "severity-info",
    }
}

/// Why a file was not (fully) read, in the catalogue's language.
#[must_use]
pub fn reason_text(reason: praxcheck_model::UnreadableReason, cat: &Catalog) -> String {
    cat.t(&format!("reason-{}", reason.as_str().replace('_', "-")))
}

/// What a command says when none of the given paths could be read (issue 11, item 6):
/// the headline, then each path (at most 20) with why, never a result that looks like
/// "no open vulnerabilities".
#[must_use]
pub fn nothing_readable(unreadable: &[praxcheck_model::Unreadable], cat: &Catalog) -> String {
    let mut out = format!(
        "praxcheck: {}: {}",
        cat.t("error-prefix"),
        cat.t("logs-error-no-readable-path")
    );
    for u in unreadable.iter().take(20) {
        out.push_str(&format!(
            "\n   {} – {}",
            crate::term::visible(&u.location.display),
            reason_text(u.reason, cat)
        ));
    }
    out
}

/// What a piece of evidence says, in the catalogue's language: from its kind and
/// parameters ([`Said`]) when it has them, else its technical detail (documents written
/// before evidence was data, and evidence that is data only, such as Maven coordinates).
#[must_use]
pub fn evidence_text(e: &Evidence, cat: &Catalog) -> String {
    let Some(says) = &e.says else {
        return e.detail.clone();
    };
    let prefix = |p: &str| {
        if p.is_empty() {
            cat.t("evidence-archive-root")
        } else {
            p.to_owned()
        }
    };
    match says {
        Said::Relocated { actual, canonical } => cat.t_args(
            "evidence-relocated",
            &[
                ("actual", Arg::from(prefix(actual))),
                ("canonical", Arg::from(prefix(canonical))),
            ],
        ),
        Said::ManifestVersion { version } => cat.t_args(
            "evidence-manifest-version",
            &[("version", Arg::from(version.clone()))],
        ),
        Said::FileNameVersion { file, version } => cat.t_args(
            "evidence-file-name-version",
            &[
                ("file", Arg::from(file.clone())),
                ("version", Arg::from(version.clone())),
            ],
        ),
        Said::MetadataOverruled { version } => cat.t_args(
            "evidence-metadata-overruled",
            &[("version", Arg::from(version.clone()))],
        ),
        Said::Class {
            class,
            needle,
            found,
            allows,
        } => {
            let class = Arg::from(class.clone());
            let observation = match (needle, found) {
                (None, true) => cat.t_args("evidence-class-present", &[("class", class)]),
                (None, false) => cat.t_args("evidence-class-absent", &[("class", class)]),
                (Some(n), true) => cat.t_args(
                    "evidence-class-contains",
                    &[("class", class), ("needle", Arg::from(n.clone()))],
                ),
                (Some(n), false) => cat.t_args(
                    "evidence-class-lacks",
                    &[("class", class), ("needle", Arg::from(n.clone()))],
                ),
            };
            match allows {
                None => observation,
                Some(Allows::Versions(v)) => cat.t_args(
                    "evidence-class-allows",
                    &[
                        ("observation", Arg::from(observation)),
                        ("versions", Arg::from(v.clone())),
                    ],
                ),
                Some(Allows::Contradiction) => cat.t_args(
                    "evidence-class-contradicts",
                    &[("observation", Arg::from(observation))],
                ),
            }
        }
        Said::Fingerprint { versions } => cat.t_args(
            "evidence-fingerprint",
            &[("versions", Arg::from(versions.join(", ")))],
        ),
    }
}

/// The symbol of a light.
#[must_use]
pub fn light_symbol(l: Light) -> &'static str {
    match l {
        Light::Red => "✖",
        Light::Yellow => "▲",
        Light::Green => "✔",
    }
}

/// The catalogue key of a light's word.
#[must_use]
pub fn light_key(l: Light) -> &'static str {
    match l {
        Light::Red => "light-red",
        Light::Yellow => "light-yellow",
        Light::Green => "light-green",
    }
}

/// The catalogue key of an effort.
#[must_use]
pub fn effort_key(e: Effort) -> &'static str {
    match e {
        Effort::Low => "effort-low",
        Effort::Medium => "effort-medium",
        Effort::High => "effort-high",
    }
}

/// A date `YYYY-MM-DD…` in the language's usual form (`29.11.2026` / `2026-11-29`).
#[must_use]
pub fn local_date(d: &str, lang: Lang) -> String {
    let d = d.get(..10).unwrap_or(d);
    match (lang, d.split('-').collect::<Vec<_>>().as_slice()) {
        (Lang::De, [y, m, day]) => format!("{day}.{m}.{y}"),
        _ => d.to_owned(),
    }
}

/// The order topics are shown in.
pub const TOPIC_ORDER: [&str; 11] = [
    "java",
    "software",
    "logs",
    "firewall",
    "updates",
    "backup",
    "remote",
    "protection",
    "ti",
    "network",
    "organisation",
];

/// Position of a topic in [`TOPIC_ORDER`] (unknown topics last).
#[must_use]
pub fn topic_rank(t: &str) -> usize {
    TOPIC_ORDER
        .iter()
        .position(|o| *o == t)
        .unwrap_or(TOPIC_ORDER.len())
}

/// The symbol of a topic: ✖ something failed, ○ something not checked, ✔ all passed.
#[must_use]
pub fn topic_symbol(failed: bool, not_checked: bool) -> &'static str {
    if failed {
        "✖"
    } else if not_checked {
        "○"
    } else {
        "✔"
    }
}

/// The catalogue key for the kind of an I/O error (`io-*`).
fn io_kind_key(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind as K;
    match kind {
        K::PermissionDenied => "io-permission-denied",
        K::NotFound => "io-not-found",
        K::AlreadyExists => "io-already-exists",
        K::IsADirectory => "io-is-a-directory",
        K::NotADirectory => "io-not-a-directory",
        K::ReadOnlyFilesystem => "io-read-only",
        K::StorageFull | K::QuotaExceeded => "io-storage-full",
        K::InvalidFilename => "io-too-long",
        K::BrokenPipe => "io-broken-pipe",
        K::UnexpectedEof => "io-unexpected-eof",
        K::InvalidData => "io-invalid-data",
        K::TimedOut => "io-timed-out",
        K::ResourceBusy | K::ExecutableFileBusy => "io-busy",
        _ => "io-other",
    }
}

/// The operating system's numeric code of an I/O error, also when a library wrapped the
/// system's error in its own (the temporary file of an atomic write adds its path so).
fn os_code(e: &std::io::Error) -> Option<i32> {
    let mut level: Option<&(dyn std::error::Error + 'static)> = match e.get_ref() {
        Some(inner) => Some(inner),
        None => return e.raw_os_error(),
    };
    while let Some(l) = level {
        if let Some(code) = l
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error)
        {
            return Some(code);
        }
        level = l.source();
    }
    // A wrapper that keeps the system's error only in its text (tempfile's path error,
    // whose `source` skips it): the code read back from "(os error N)".
    let text = e.to_string();
    let (_, rest) = text.split_once("(os error ")?;
    rest.split_once(')')?.0.parse().ok()
}

/// A write `praxcheck_sys::write_atomic` refused before trying, in the catalogue's language.
fn refused(r: &praxcheck_sys::Refused, cat: &Catalog) -> String {
    use praxcheck_sys::Refused as R;
    let p = |p: &std::path::Path| Arg::from(p.display().to_string());
    match r {
        R::ForeignLinkInSharedFolder { link, owner } => cat.t_args(
            "io-refused-foreign-link",
            &[("link", p(link)), ("owner", Arg::from(owner.to_string()))],
        ),
        R::LinkIntoSystemFolder { link, target } => cat.t_args(
            "io-refused-system-link",
            &[("link", p(link)), ("target", p(target))],
        ),
        R::ForeignLinkToForeignFile { link, target } => cat.t_args(
            "io-refused-foreign-target",
            &[("link", p(link)), ("target", p(target))],
        ),
        R::BlockDevice { path } => cat.t_args("io-refused-block-device", &[("path", p(path))]),
        R::Directory { path } => cat.t_args("io-refused-folder", &[("path", p(path))]),
    }
}

/// Why an operating-system call failed, in the catalogue's language, with the system's
/// numeric code as evidence (`Zugriff verweigert (os error 13)`): the system's own English
/// sentence never reaches a German message. A write the system-access crate refused
/// (`praxcheck_sys::Refused`) is said with its reason.
#[must_use]
pub fn io_error(e: &std::io::Error, cat: &Catalog) -> String {
    if let Some(r) = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<praxcheck_sys::Refused>())
    {
        return refused(r, cat);
    }
    let words = cat.t(io_kind_key(e.kind()));
    match os_code(e) {
        Some(code) => format!("{words} (os error {code})"),
        None => words,
    }
}

/// A file that could not be read back (`praxcheck_model::read`), in the catalogue's
/// language: the path, then why.
#[must_use]
pub fn read_error(e: &praxcheck_model::read::ReadError, cat: &Catalog) -> String {
    use praxcheck_model::read::ReadError;
    match e {
        ReadError::Io { path, error } => format!("{}: {}", path.display(), io_error(error, cat)),
        ReadError::NotRegular { path, kind } => {
            use praxcheck_model::read::FileKind;
            let kind = match kind {
                FileKind::Pipe => "io-kind-pipe",
                FileKind::Device => "io-kind-device",
                FileKind::Socket => "io-kind-socket",
                FileKind::Folder => "io-kind-folder",
                FileKind::Other => "io-kind-other",
            };
            let text = cat.t_args("io-not-regular", &[("kind", Arg::from(cat.t(kind)))]);
            format!("{}: {text}", path.display())
        }
        ReadError::TooLarge { path, cap } => {
            let text = cat.t_args("io-too-large", &[("cap", Arg::from(cap.to_string()))]);
            format!("{}: {text}", path.display())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    /// The system's reason in the catalogue's words with its code; a code a library kept
    /// only in its text is found too; a refused write says its own reason.
    #[test]
    fn io_errors_are_worded_with_their_code() {
        let de = Catalog::new(Lang::De);
        let en = Catalog::new(Lang::En);
        let denied = Error::from_raw_os_error(13);
        assert_eq!(denied.kind(), ErrorKind::PermissionDenied);
        assert_eq!(io_error(&denied, &de), "Zugriff verweigert (os error 13)");
        assert_eq!(io_error(&denied, &en), "permission denied (os error 13)");
        let wrapped = Error::new(
            ErrorKind::NotFound,
            "No such file or directory (os error 2) at path \"/x/.tmp1\"",
        );
        assert_eq!(io_error(&wrapped, &de), "nicht vorhanden (os error 2)");
        assert_eq!(
            io_error(&Error::from(ErrorKind::Other), &de),
            "Ein-/Ausgabefehler"
        );
        let refused = Error::new(
            ErrorKind::InvalidInput,
            praxcheck_sys::Refused::Directory {
                path: "/tmp/ordner".into(),
            },
        );
        assert_eq!(io_error(&refused, &de), "/tmp/ordner ist ein Ordner");
    }
}
