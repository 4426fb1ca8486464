//! The one message catalogue.
//!
//! User-facing text lives in `locales/de.ftl` (German, the default) and `locales/en.ftl`
//! (English), in Fluent syntax, and nowhere else. Code refers to messages by key. A test
//! checks that both files define the same keys and that every message formats.
//!
//! Advisory titles and remediation texts are data of the advisory set (German and English
//! side by side) and do not live here.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::langid;

const DE: &str = include_str!("../locales/de.ftl");
const EN: &str = include_str!("../locales/en.ftl");

/// A user interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// German (default).
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// The code used in documents and texts (`de`, `en`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// `value` with one decimal place, written the way the language writes it (`0,8` in
    /// German, `0.8` in English).
    #[must_use]
    pub fn decimal1(self, value: f64) -> String {
        let s = format!("{value:.1}");
        match self {
            Lang::De => s.replace('.', ","),
            Lang::En => s,
        }
    }

    /// Parses `de`, `en`, `en_US.UTF-8`, `de-DE` and the like. Unknown values give `None`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("de") {
            Some(Lang::De)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language chosen by an explicit option, else by `LC_ALL`, `LC_MESSAGES` or `LANG`
    /// (English only when one of them asks for it), else German.
    #[must_use]
    pub fn detect(explicit: Option<&str>) -> Self {
        if let Some(l) = explicit.and_then(Lang::parse) {
            return l;
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                return Lang::parse(&v).unwrap_or(Lang::De);
            }
        }
        Lang::De
    }
}

/// The catalogue for one language. Each language's messages are parsed once per process,
/// on the first message asked for, and shared: creating a `Catalog` costs nothing, so code
/// may create one where it needs it, and a run that says nothing in words (a quiet scan
/// with a machine format) never parses the catalogue (issue 15: the repeat scan's start).
#[derive(Clone, Copy)]
pub struct Catalog {
    lang: Lang,
    bundle: &'static OnceLock<FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").field("lang", &self.lang).finish()
    }
}

/// An argument value for a message.
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text.
    Str(String),
    /// A number (selects plural forms).
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(n: $t) -> Self { Arg::Num(n as f64) }
        }
    )*};
}
num_arg!(u8, u16, u32, u64, usize, i32, i64, f64);

impl Catalog {
    /// The catalogue for a language (parsed when the first message is asked for).
    #[must_use]
    pub fn new(lang: Lang) -> Self {
        static DE_BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
        static EN_BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
        let bundle = match lang {
            Lang::De => &DE_BUNDLE,
            Lang::En => &EN_BUNDLE,
        };
        Self { lang, bundle }
    }

    /// The parsed messages (parsed on first use).
    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        self.bundle.get_or_init(|| {
            let (id, src) = match self.lang {
                Lang::De => (langid!("de-DE"), DE),
                Lang::En => (langid!("en-US"), EN),
            };
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks: output goes to terminals, CSV and PDF.
            bundle.set_use_isolating(false);
            // The catalogue files are part of the binary and checked by tests; a broken
            // entry only drops that entry (and the test names it).
            let res = match FluentResource::try_new(src.to_owned()) {
                Ok(r) | Err((r, _)) => r,
            };
            let _ = bundle.add_resource(res);
            bundle
        })
    }

    /// The language of this catalogue.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message for a key, without arguments.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        self.t_args(key, &[])
    }

    /// The message for a key with named arguments. A missing key yields the key itself in
    /// brackets, so a gap is visible instead of silent (and the catalogue test fails).
    #[must_use]
    pub fn t_args(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let bundle = self.bundle();
        let Some(msg) = bundle.get_message(key) else {
            return format!("[{key}]");
        };
        let Some(pattern) = msg.value() else {
            return format!("[{key}]");
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fargs.set(*name, FluentValue::from(s.clone())),
                Arg::Num(n) => fargs.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }

    /// Whether the catalogue has a key.
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.bundle().has_message(key)
    }
}

/// All message keys defined in a catalogue source (for tests and tooling).
#[must_use]
pub fn keys(lang: Lang) -> Vec<String> {
    let src = match lang {
        Lang::De => DE,
        Lang::En => EN,
    };
    src.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(Lang::De.decimal1(0.84), "0,8");
        assert_eq!(Lang::En.decimal1(0.84), "0.8");
        assert_eq!(Lang::De.decimal1(1234.56), "1234,6");
    }

    #[test]
    fn both_catalogues_parse_without_errors() {
        for src in [DE, EN] {
            if let Err((_, errs)) = FluentResource::try_new(src.to_owned()) {
                panic!("catalogue has syntax errors: {errs:?}");
            }
        }
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let mut de = keys(Lang::De);
        let mut en = keys(Lang::En);
        de.sort();
        en.sort();
        let only_de: Vec<_> = de.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !de.contains(k)).collect();
        assert!(
            only_de.is_empty() && only_en.is_empty(),
            "only de: {only_de:?}; only en: {only_en:?}"
        );
        assert!(!de.is_empty());
    }

    #[test]
    fn every_message_formats() {
        for lang in [Lang::De, Lang::En] {
            let cat = Catalog::new(lang);
            for k in keys(lang) {
                assert!(cat.has(&k), "{k} missing in {lang:?}");
                let s = cat.t(&k);
                assert!(!s.is_empty(), "{k} empty in {lang:?}");
            }
        }
    }

    #[test]
    fn lang_detection() {
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("de_DE.UTF-8"), Some(Lang::De));
        assert_eq!(Lang::parse("C"), None);
        assert_eq!(Lang::detect(Some("en")), Lang::En);
    }

    #[test]
    fn arguments_and_plurals() {
        let de = Catalog::new(Lang::De);
        let en = Catalog::new(Lang::En);
        let one = de.t_args("scan-files-unreadable", &[("count", 1u32.into())]);
        let many = de.t_args("scan-files-unreadable", &[("count", 3u32.into())]);
        assert_ne!(one, many);
        assert!(
            en.t_args("scan-files-unreadable", &[("count", 3u32.into())])
                .contains('3')
        );
        assert_eq!(de.t("no-such-key"), "[no-such-key]");
    }
}
