//! The stored answers for people: `praxcheck questionnaire --list`.

use std::fmt::Write as _;
use std::path::Path;

use praxcheck_assess::{Answers, Catalogue, Reply};
use praxcheck_i18n::{Arg, Catalog};

/// A reply (or a number) as a word of the user's language.
#[must_use]
pub fn reply_word(r: Option<Reply>, number: Option<u32>, cat: &Catalog) -> String {
    match (r, number) {
        (_, Some(n)) => n.to_string(),
        (Some(Reply::Yes), _) => cat.t("q-word-yes"),
        (Some(Reply::No), _) => cat.t("q-word-no"),
        (Some(Reply::NotApplicable), _) => cat.t("q-word-na"),
        (None, None) => String::new(),
    }
}

/// Every stored answer and accepted risk, under a header naming the file.
#[must_use]
pub fn listing(answers: &Answers, path: &Path, catalogue: &Catalogue, cat: &Catalog) -> String {
    let code = cat.lang().code();
    let mut so = String::new();
    let _ = writeln!(
        so,
        "{}",
        cat.t_args(
            "q-list-header",
            &[("path", Arg::from(path.display().to_string()))]
        )
    );
    for (k, v) in &answers.profile {
        let _ = writeln!(
            so,
            "  {k}: {} ({})",
            reply_word(v.reply, v.number, cat),
            v.date
        );
    }
    for (k, v) in &answers.requirements {
        let title = catalogue
            .get(k)
            .map(|r| r.title.get(code).to_owned())
            .unwrap_or_default();
        let _ = writeln!(
            so,
            "  {k} {title}: {} ({})",
            reply_word(v.reply, None, cat),
            v.date
        );
    }
    for r in &answers.accepted {
        let _ = writeln!(
            so,
            "  {}",
            cat.t_args(
                "q-list-accepted",
                &[
                    (
                        "id",
                        Arg::from(
                            r.finding
                                .clone()
                                .or_else(|| r.rule.clone())
                                .unwrap_or_default()
                        )
                    ),
                    ("date", Arg::from(r.expires.as_str())),
                    ("reason", Arg::from(r.reason.as_str())),
                ]
            )
        );
    }
    so
}
