//! Settings that must be right or refused (issue 11): a language that is not supported and
//! an assessment date that is not a date end the run with exit code 2 instead of being
//! silently ignored.

use praxcheck_i18n::{Arg, Catalog, Lang};

/// The first setting that is wrong, as a message in the user's language.
pub(crate) fn check_settings(lang: Option<&str>, cat: &Catalog) -> Option<String> {
    if let Some(l) = lang
        && Lang::parse(l).is_none()
    {
        return Some(cat.t_args("harden-bad-lang", &[("value", Arg::Str(shown(l)))]));
    }
    if let Some(v) = std::env::var_os("PRAXCHECK_TODAY") {
        let s = v.to_string_lossy();
        let ok =
            praxcheck_advisories::parse_date(&s).is_some_and(|d| (2000..=2999).contains(&d.year()));
        if !ok {
            return Some(cat.t_args("harden-bad-today", &[("value", Arg::Str(shown(&s)))]));
        }
    }
    None
}

/// A value as shown back to the user: bounded, control characters escaped.
fn shown(s: &str) -> String {
    s.chars().take(64).flat_map(char::escape_default).collect()
}
