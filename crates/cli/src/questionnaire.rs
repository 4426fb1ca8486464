//! `praxcheck questionnaire`: asks the open questions in the terminal (German by default),
//! one at a time; every answer is saved at once, so the dialogue can be left with `q` (or
//! by closing the input) and resumed later. `--accept` records an accepted risk, `--list`
//! shows what is stored.

use std::io::{BufRead as _, Write as _};

use anyhow::{Context as _, Result, bail};
use praxcheck_assess::answers::{AcceptedRisk, QuestionKind};
use praxcheck_assess::questionnaire::{Input, Topic, open_questions, record};
use praxcheck_assess::{Catalogue, Reply};
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::Document;

use crate::EXIT_OK;
use crate::args::QuestionnaireArgs;
use crate::assessing::{answers_path, today};

fn ymd(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

enum Typed {
    Input(Input),
    Skip,
    Help,
    Quit,
    Invalid,
}

fn parse(line: &str, kind: QuestionKind) -> Typed {
    let s = line.trim().to_lowercase();
    match s.as_str() {
        "" => return Typed::Skip,
        "?" | "h" | "hilfe" | "help" => return Typed::Help,
        "q" | "quit" | "ende" | "x" => return Typed::Quit,
        _ => {}
    }
    match kind {
        QuestionKind::Number => s
            .parse::<u32>()
            .map_or(Typed::Invalid, |n| Typed::Input(Input::Number(n))),
        QuestionKind::YesNo => match s.as_str() {
            "j" | "ja" | "y" | "yes" => Typed::Input(Input::Reply(Reply::Yes)),
            "n" | "nein" | "no" => Typed::Input(Input::Reply(Reply::No)),
            "e" | "entfällt" | "na" | "n/a" | "-" => {
                Typed::Input(Input::Reply(Reply::NotApplicable))
            }
            _ => Typed::Invalid,
        },
    }
}

/// Runs the command.
pub(crate) fn run(a: &QuestionnaireArgs, cat: &Catalog) -> Result<u8> {
    let Some(path) = answers_path(a.answers.as_deref()) else {
        bail!("{}", cat.t("error-no-state-dir"));
    };
    let mut answers =
        praxcheck_app::answers::load(&path).with_context(|| cat.t("error-read-answers"))?;
    let code = cat.lang().code();
    let mut out = std::io::stdout().lock();
    if let Some(id) = &a.accept {
        let (Some(reason), Some(until)) = (a.reason.as_ref(), a.until.as_ref()) else {
            bail!("{}", cat.t("q-accept-needs"));
        };
        let Some(exp) = praxcheck_advisories::parse_date(until) else {
            bail!(
                "{}",
                cat.t_args("q-accept-bad-date", &[("date", Arg::from(until.as_str()))])
            );
        };
        if exp < today() || reason.trim().is_empty() {
            bail!(
                "{}",
                cat.t_args("q-accept-bad-date", &[("date", Arg::from(until.as_str()))])
            );
        }
        let is_finding_id = id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit());
        answers.accepted.retain(|x| {
            !(x.finding.as_deref() == Some(id.as_str()) || x.rule.as_deref() == Some(id.as_str()))
                || x.host != a.host
        });
        answers.accepted.push(AcceptedRisk {
            finding: is_finding_id.then(|| id.clone()),
            rule: (!is_finding_id).then(|| id.clone()),
            host: a.host.clone(),
            reason: reason.trim().to_owned(),
            expires: ymd(exp),
            by: a.by.clone(),
            date: ymd(today()),
        });
        praxcheck_app::answers::save(&answers, &path)
            .with_context(|| cat.t("error-write-answers"))?;
        writeln!(
            out,
            "{}",
            cat.t_args(
                "q-accepted-ok",
                &[
                    ("id", Arg::from(id.as_str())),
                    ("date", Arg::from(ymd(exp))),
                    ("path", Arg::from(path.display().to_string())),
                ]
            )
        )?;
        return Ok(EXIT_OK);
    }
    let catalogue = Catalogue::embedded().context("KBV catalogue")?;
    if a.list {
        let text = praxcheck_report::answers::listing(&answers, &path, &catalogue, cat);
        out.write_all(text.as_bytes())?;
        return Ok(EXIT_OK);
    }
    let docs: Vec<Document> = a
        .from
        .iter()
        .map(|p| {
            Document::read_file(p)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("{}: {}", cat.t("error-read-document"), p.display()))
        })
        .collect::<Result<_>>()?;
    let refs: Vec<&Document> = docs.iter().collect();
    writeln!(out, "{}", cat.t("q-intro"))?;
    writeln!(
        out,
        "{}",
        cat.t_args(
            "q-saved-to",
            &[("path", Arg::from(path.display().to_string()))]
        )
    )?;
    writeln!(out, "{}", cat.t("q-keys"))?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut skipped: Vec<Topic> = Vec::new();
    let mut answered = 0u32;
    loop {
        let open = open_questions(&catalogue, &answers, &refs);
        let remaining: Vec<_> = open
            .iter()
            .filter(|q| !skipped.contains(&q.topic))
            .collect();
        let Some(q) = remaining.first() else {
            break;
        };
        writeln!(out)?;
        let header = match &q.context {
            Some((id, title)) => format!("{id} – {}", title.get(code)),
            None => cat.t("q-profile"),
        };
        writeln!(
            out,
            "[{}/{}] {header}",
            answered + 1,
            u32::try_from(remaining.len()).unwrap_or(u32::MAX) + answered
        )?;
        writeln!(out, "{}", q.text.get(code))?;
        loop {
            let prompt = match q.kind {
                QuestionKind::YesNo => cat.t("q-prompt-yesno"),
                QuestionKind::Number => cat.t("q-prompt-number"),
            };
            write!(out, "{prompt} ")?;
            out.flush()?;
            let Some(line) = lines.next() else {
                // End of input: everything answered so far is saved.
                writeln!(out)?;
                writeln!(
                    out,
                    "{}",
                    cat.t_args("q-remaining", &[("count", Arg::from(remaining.len()))])
                )?;
                return Ok(EXIT_OK);
            };
            let line = line.context("standard input")?;
            match parse(&line, q.kind) {
                Typed::Input(i) => {
                    record(&mut answers, &q.topic, i, &ymd(today()));
                    praxcheck_app::answers::save(&answers, &path)
                        .with_context(|| cat.t("error-write-answers"))?;
                    answered += 1;
                    break;
                }
                Typed::Skip => {
                    skipped.push(q.topic.clone());
                    break;
                }
                Typed::Help => {
                    let h = q.help.get(code);
                    writeln!(
                        out,
                        "  {}",
                        if h.is_empty() {
                            cat.t("q-no-help")
                        } else {
                            h.to_owned()
                        }
                    )?;
                }
                Typed::Quit => {
                    let left = open_questions(&catalogue, &answers, &refs).len();
                    writeln!(
                        out,
                        "{}",
                        cat.t_args("q-remaining", &[("count", Arg::from(left))])
                    )?;
                    return Ok(EXIT_OK);
                }
                Typed::Invalid => writeln!(out, "{}", cat.t("q-invalid"))?,
            }
        }
    }
    let left = open_questions(&catalogue, &answers, &refs).len();
    writeln!(out)?;
    if left == 0 {
        writeln!(out, "{}", cat.t("q-done"))?;
    } else {
        writeln!(
            out,
            "{}",
            cat.t_args("q-remaining", &[("count", Arg::from(left))])
        )?;
    }
    Ok(EXIT_OK)
}
