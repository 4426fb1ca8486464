//! `praxcheck questionnaire`: asks the open questions (German by default) one at a time;
//! every answer is saved at once, so the dialogue can be left with `q` (or by closing the
//! input) and resumed later. An accepted risk is recorded with [`Mode::Accept`], the stored
//! answers are shown with [`Mode::List`].
//!
//! The dialogue reads from any `BufRead` and writes to any `Write`: the binary passes the
//! terminal, tests pass bytes.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use praxcheck_assess::answers::{AcceptedRisk, QuestionKind};
use praxcheck_assess::questionnaire::{Input, Topic, open_questions, record};
use praxcheck_assess::{Catalogue, Reply};
use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::Document;

use crate::answers::AnswersError;

/// What the command does.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Ask the open questions; the documents (stored scans) answer what they can (a Windows
    /// computer among them answers the Windows question).
    Ask {
        /// Stored documents.
        from: Vec<PathBuf>,
    },
    /// Show the stored answers and accepted risks.
    List,
    /// Record an accepted risk.
    Accept(Acceptance),
}

/// An accepted risk as given on the command line.
#[derive(Debug, Clone)]
pub struct Acceptance {
    /// A finding id (16 hex digits) or a rule id (a CVE or rule id).
    pub id: String,
    /// Why (required).
    pub reason: Option<String>,
    /// Until when, YYYY-MM-DD (required, not in the past).
    pub until: Option<String>,
    /// Who accepts it.
    pub by: Option<String>,
    /// Only on this computer.
    pub host: Option<String>,
}

/// Why the command could not run. The messages are the user's (from the catalogue).
#[derive(Debug, thiserror::Error)]
pub enum QuestionnaireError {
    /// The answers file could not be read or written.
    #[error("{message}")]
    Answers {
        /// What failed, in the user's language.
        message: String,
        /// The file and the reason.
        source: AnswersError,
    },
    /// A stored document could not be read.
    #[error("{message}")]
    Document {
        /// What failed, in the user's language, with the path.
        message: String,
        /// The reason.
        source: praxcheck_model::ModelError,
    },
    /// The arguments do not make a valid acceptance.
    #[error("{0}")]
    Refused(String),
    /// The embedded KBV catalogue is unusable (a build error).
    #[error("KBV catalogue: {0}")]
    Catalogue(String),
    /// Reading the input or writing the output failed.
    #[error("standard input/output: {0}")]
    Io(#[from] std::io::Error),
}

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

/// The longest answer line read (issue 11 item 2: every reader has a cap before it
/// allocates).
const MAX_ANSWER_LINE: usize = 4096;
/// How far past [`MAX_ANSWER_LINE`] the end of an over-long line is looked for; input with
/// no line end within it (`< /dev/zero`) ends the dialogue as the end of input does.
const MAX_LINE_SKIP: usize = 64 << 10;

/// One line of the dialogue's input.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    Text(String),
    /// Longer than [`MAX_ANSWER_LINE`]: not kept, answered as invalid.
    TooLong,
}

/// The next input line, at most [`MAX_ANSWER_LINE`] bytes kept; `None` at the end of input
/// or when an over-long line does not end within [`MAX_LINE_SKIP`]. (`BufRead::lines`
/// would hold a line of any length.)
fn next_line(input: &mut impl BufRead) -> Option<std::io::Result<Line>> {
    use std::io::Read as _;
    let mut buf = Vec::new();
    let cap = u64::try_from(MAX_ANSWER_LINE + 1).unwrap_or(u64::MAX);
    match input.by_ref().take(cap).read_until(b'\n', &mut buf) {
        Err(e) => return Some(Err(e)),
        Ok(0) => return None,
        Ok(_) => {}
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    } else if buf.len() > MAX_ANSWER_LINE {
        let mut skipped = 0;
        loop {
            let (found, used) = match input.fill_buf() {
                Err(e) => return Some(Err(e)),
                Ok([]) => return None,
                Ok(b) => b
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or((false, b.len()), |i| (true, i + 1)),
            };
            input.consume(used);
            skipped += used;
            if found {
                return Some(Ok(Line::TooLong));
            }
            if skipped > MAX_LINE_SKIP {
                return None;
            }
        }
    }
    Some(
        String::from_utf8(buf)
            .map(Line::Text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
    )
}

/// Runs the command on the answers file `path` as of `today`.
///
/// # Errors
/// An unreadable answers file or document, a refused acceptance, failed input or output.
pub fn run(
    path: &Path,
    mode: &Mode,
    today: time::Date,
    input: impl BufRead,
    mut out: impl Write,
    cat: &Catalog,
) -> Result<(), QuestionnaireError> {
    let mut answers = crate::answers::load(path).map_err(|source| QuestionnaireError::Answers {
        message: cat.t("error-read-answers"),
        source,
    })?;
    match mode {
        Mode::Accept(a) => {
            let exp = ymd(accept(&mut answers, a, today, cat)?);
            save(&answers, path, cat)?;
            writeln!(
                out,
                "{}",
                cat.t_args(
                    "q-accepted-ok",
                    &[
                        ("id", Arg::from(a.id.as_str())),
                        ("date", Arg::from(exp)),
                        ("path", Arg::from(path.display().to_string())),
                    ]
                )
            )?;
            Ok(())
        }
        Mode::List => {
            let catalogue = catalogue()?;
            let text = praxcheck_report::answers::listing(&answers, path, &catalogue, cat);
            out.write_all(text.as_bytes())?;
            Ok(())
        }
        Mode::Ask { from } => {
            let catalogue = catalogue()?;
            let docs = from
                .iter()
                .map(|p| {
                    Document::read_file(p).map_err(|source| QuestionnaireError::Document {
                        message: format!("{}: {}", cat.t("error-read-document"), p.display()),
                        source,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&Document> = docs.iter().collect();
            let mut dialogue = Dialogue {
                catalogue: &catalogue,
                answers,
                docs: &refs,
                path,
                today,
                cat,
            };
            dialogue.ask(input, &mut out)
        }
    }
}

fn catalogue() -> Result<Catalogue, QuestionnaireError> {
    Catalogue::embedded().map_err(|e| QuestionnaireError::Catalogue(e.to_string()))
}

fn save(
    answers: &praxcheck_assess::Answers,
    path: &Path,
    cat: &Catalog,
) -> Result<(), QuestionnaireError> {
    crate::answers::save(answers, path).map_err(|source| QuestionnaireError::Answers {
        message: cat.t("error-write-answers"),
        source,
    })
}

/// Records the acceptance in `answers` (replacing one for the same id and host); returns
/// the date it expires.
fn accept(
    answers: &mut praxcheck_assess::Answers,
    a: &Acceptance,
    today: time::Date,
    cat: &Catalog,
) -> Result<time::Date, QuestionnaireError> {
    let (Some(reason), Some(until)) = (a.reason.as_ref(), a.until.as_ref()) else {
        return Err(QuestionnaireError::Refused(cat.t("q-accept-needs")));
    };
    let bad_date = || {
        QuestionnaireError::Refused(
            cat.t_args("q-accept-bad-date", &[("date", Arg::from(until.as_str()))]),
        )
    };
    let exp = praxcheck_advisories::parse_date(until).ok_or_else(bad_date)?;
    if exp < today || reason.trim().is_empty() {
        return Err(bad_date());
    }
    let id = &a.id;
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
        date: ymd(today),
    });
    Ok(exp)
}

struct Dialogue<'a> {
    catalogue: &'a Catalogue,
    answers: praxcheck_assess::Answers,
    docs: &'a [&'a Document],
    path: &'a Path,
    today: time::Date,
    cat: &'a Catalog,
}

impl Dialogue<'_> {
    fn open_count(&self) -> usize {
        open_questions(self.catalogue, &self.answers, self.docs).len()
    }

    fn remaining(&self, out: &mut impl Write, count: usize) -> std::io::Result<()> {
        writeln!(
            out,
            "{}",
            self.cat
                .t_args("q-remaining", &[("count", Arg::from(count))])
        )
    }

    fn ask(&mut self, input: impl BufRead, out: &mut impl Write) -> Result<(), QuestionnaireError> {
        let cat = self.cat;
        let code = cat.lang().code();
        writeln!(out, "{}", cat.t("q-intro"))?;
        writeln!(
            out,
            "{}",
            cat.t_args(
                "q-saved-to",
                &[("path", Arg::from(self.path.display().to_string()))]
            )
        )?;
        writeln!(out, "{}", cat.t("q-keys"))?;
        let mut input = input;
        let mut skipped: Vec<Topic> = Vec::new();
        let mut answered = 0u32;
        loop {
            let open = open_questions(self.catalogue, &self.answers, self.docs);
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
                let Some(line) = next_line(&mut input) else {
                    // End of input: everything answered so far is saved.
                    writeln!(out)?;
                    return Ok(self.remaining(out, remaining.len())?);
                };
                let typed = match line? {
                    Line::Text(l) => parse(&l, q.kind),
                    Line::TooLong => Typed::Invalid,
                };
                match typed {
                    Typed::Input(i) => {
                        record(&mut self.answers, &q.topic, i, &ymd(self.today));
                        save(&self.answers, self.path, cat)?;
                        answered += 1;
                        break;
                    }
                    Typed::Skip => {
                        skipped.push(q.topic.clone());
                        break;
                    }
                    Typed::Help => {
                        let h = q.help.get(code);
                        let h = if h.is_empty() {
                            cat.t("q-no-help")
                        } else {
                            h.to_owned()
                        };
                        writeln!(out, "  {h}")?;
                    }
                    Typed::Quit => return Ok(self.remaining(out, self.open_count())?),
                    Typed::Invalid => writeln!(out, "{}", cat.t("q-invalid"))?,
                }
            }
        }
        let left = self.open_count();
        writeln!(out)?;
        if left == 0 {
            writeln!(out, "{}", cat.t("q-done"))?;
        } else {
            self.remaining(out, left)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    /// Issue 11 item 2: an answer line is capped before it is kept; input without a line
    /// end ends the dialogue instead of filling memory.
    #[test]
    fn answer_lines_are_capped_and_endless_input_ends() {
        let long = "x".repeat(MAX_ANSWER_LINE * 3);
        let text = format!("ja\r\n{long}\nnein\nlast");
        let mut input = std::io::Cursor::new(text.into_bytes());
        let mut got = Vec::new();
        while let Some(l) = next_line(&mut input) {
            got.push(l.unwrap());
        }
        assert_eq!(
            got,
            [
                Line::Text("ja".into()),
                Line::TooLong,
                Line::Text("nein".into()),
                Line::Text("last".into())
            ]
        );
        // `< /dev/zero`: endless bytes, no line end.
        let mut zero = std::io::BufReader::new(std::io::repeat(0));
        assert!(next_line(&mut zero).is_none());
        // A line of exactly the cap is kept.
        let exact = "y".repeat(MAX_ANSWER_LINE);
        let mut input = std::io::Cursor::new(format!("{exact}\n").into_bytes());
        assert_eq!(next_line(&mut input).unwrap().unwrap(), Line::Text(exact));
    }
}
