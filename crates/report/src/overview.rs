//! The one-page terminal overview for the practice owner: the light with a word and a
//! symbol (never colour alone), the score, what was checked, the three things to do first,
//! the topics, KBV coverage per Anlage and the advisory set's age. It fits 80 columns and,
//! together with the caller's footer lines, 23 lines, so that on a 24-line terminal nothing
//! scrolls away (the cursor takes the last line).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{Assessment, CheckState, Light, Severity, Status};

use crate::View;
use crate::term::vis;
use crate::words::{
    effort_key, light_key, light_symbol, local_date, severity_symbol, topic_rank, topic_symbol,
};

/// Width of the overview.
pub const WIDTH: usize = 80;
/// Height of the overview, footer included (a 24-line terminal less the cursor line).
pub const HEIGHT: usize = 23;

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct OverviewOptions {
    /// Language.
    pub lang: Lang,
    /// ANSI colours.
    pub color: bool,
    /// Lines the caller adds at the end (where the report was written, how long it took);
    /// counted into the 24 lines.
    pub footer: Vec<String>,
}

fn light_color(l: Light) -> &'static str {
    match l {
        Light::Red => "\x1b[1;37;41m",
        Light::Yellow => "\x1b[1;30;43m",
        Light::Green => "\x1b[1;37;42m",
    }
}

/// Cuts a line to `width` characters, marking the cut with `…`.
#[must_use]
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Left text and right text on one line of `width` characters.
fn two_sided(left: &str, right: &str, width: usize) -> String {
    let r = right.chars().count();
    let l = fit(left, width.saturating_sub(r + 1));
    let pad = width.saturating_sub(l.chars().count() + r);
    format!("{l}{}{right}", " ".repeat(pad))
}

/// Per topic: (earned, possible, any failed, any not checked, all not applicable).
fn topics(a: &Assessment) -> Vec<Topic> {
    let mut m: BTreeMap<&str, (u32, u32, bool, bool)> = BTreeMap::new();
    for c in &a.checks {
        let e = m.entry(c.topic.as_str()).or_default();
        if c.state != CheckState::NotApplicable {
            e.0 += c.earned;
            e.1 += c.points;
        }
        e.2 |= matches!(c.state, CheckState::Failed | CheckState::Accepted);
        e.3 |= c.state == CheckState::NotChecked;
    }
    let mut v: Vec<Topic> = m
        .into_iter()
        .filter(|(_, x)| x.1 > 0)
        .map(|(k, x)| (k.to_owned(), x.0, x.1, x.2, x.3))
        .collect();
    v.sort_by_key(|t| topic_rank(&t.0));
    v
}

/// A topic: (name, earned, possible, any failed, any not checked).
type Topic = (String, u32, u32, bool, bool);

/// The topics' lines, at most two. When two lines do not hold every topic (a practice view
/// with the network), the topics with something failed come first, then those not checked,
/// so that the ones left out are those where everything passed.
fn topic_lines(mut ts: Vec<Topic>, cat: &Catalog) -> Vec<String> {
    if ts.is_empty() {
        return Vec::new();
    }
    let wrap = |ts: &[Topic]| {
        let mut line = cat.t("overview-topics");
        let mut lines = Vec::new();
        for (t, earned, possible, failed, nc) in ts {
            let item = format!(
                " {} {} {earned}/{possible}",
                topic_symbol(*failed, *nc),
                cat.t(&format!("topic-{t}"))
            );
            if line.chars().count() + item.chars().count() > WIDTH {
                lines.push(line);
                line = " ".repeat(cat.t("overview-topics").chars().count());
            }
            line.push_str(&item);
        }
        lines.push(line);
        lines
    };
    let mut lines = wrap(&ts);
    if lines.len() > 2 {
        ts.sort_by_key(|t| (!t.3, !t.4));
        lines = wrap(&ts);
    }
    lines.truncate(2);
    lines
}

/// Why a document's coverage is incomplete, as catalogue keys of the causes (missing
/// rights first, then each limit that left something unread). Empty when it is complete.
/// Missing rights are named only when rights caused it: a denied folder, a refused file,
/// or a computer checked without admin rights.
#[must_use]
pub fn incomplete_causes(d: &praxcheck_model::Document) -> Vec<&'static str> {
    use praxcheck_model::UnreadableReason as R;
    let unprivileged = d
        .inventory
        .host
        .as_ref()
        .is_some_and(|h| !h.privileged && h.root.is_none());
    if d.scan.complete && !unprivileged {
        return Vec::new();
    }
    let has = |r: R| d.unreadable.iter().any(|u| u.reason == r);
    let mut causes = Vec::new();
    if unprivileged || d.scan.stats.dirs_denied > 0 || has(R::PermissionDenied) {
        causes.push("incomplete-cause-rights");
    }
    for (r, key) in [
        (R::DepthLimit, "incomplete-cause-depth"),
        (R::SizeLimit, "incomplete-cause-size"),
        (R::PathTooLong, "incomplete-cause-path"),
    ] {
        if has(r) {
            causes.push(key);
        }
    }
    if causes.is_empty() {
        causes.push("incomplete-cause-unknown");
    }
    causes
}

/// The causes in words, joined.
fn causes_text(causes: &[&str], cat: &Catalog) -> String {
    causes
        .iter()
        .map(|k| cat.t(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A warning when a computer was checked without admin rights or not every folder could
/// be read (the light and score then rest on fewer facts), naming the computers when the
/// view holds several, and what caused it: missing rights, or which limit.
#[must_use]
pub fn incomplete_line(view: &View<'_>, cat: &Catalog) -> Option<String> {
    let mut causes: Vec<&'static str> = Vec::new();
    let incomplete: Vec<String> = view
        .docs
        .iter()
        .filter_map(|d| {
            let c = incomplete_causes(d);
            if c.is_empty() {
                return None;
            }
            for k in c {
                if !causes.contains(&k) {
                    causes.push(k);
                }
            }
            Some(vis(&d.scan.hostname))
        })
        .collect();
    if incomplete.is_empty() {
        return None;
    }
    let rights_only = causes == ["incomplete-cause-rights"];
    Some(match (rights_only, view.docs.len() == 1) {
        (true, true) => cat.t("overview-incomplete"),
        (true, false) => cat.t_args(
            "overview-incomplete-hosts",
            &[("hosts", Arg::from(incomplete.join(", ")))],
        ),
        (false, true) => cat.t_args(
            "overview-incomplete-limit",
            &[("causes", Arg::from(causes_text(&causes, cat)))],
        ),
        (false, false) => cat.t_args(
            "overview-incomplete-limit-hosts",
            &[
                ("causes", Arg::from(causes_text(&causes, cat))),
                ("hosts", Arg::from(incomplete.join(", "))),
            ],
        ),
    })
}

/// The text report's sentence on an incomplete check: missing rights, or which limit.
#[must_use]
pub fn incomplete_sentence(d: &praxcheck_model::Document, cat: &Catalog) -> Option<String> {
    let causes = incomplete_causes(d);
    if d.scan.complete || causes.is_empty() {
        None
    } else if causes == ["incomplete-cause-rights"] {
        Some(cat.t("summary-incomplete"))
    } else {
        Some(cat.t_args(
            "summary-incomplete-limit",
            &[("causes", Arg::from(causes_text(&causes, cat)))],
        ))
    }
}

/// Renders the overview.
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn overview(view: &View<'_>, opts: &OverviewOptions) -> String {
    let cat = Catalog::new(opts.lang);
    let code = opts.lang.code();
    let a = view.assessment;
    let mut head: Vec<String> = Vec::new();
    let date = local_date(&a.date, opts.lang);
    head.push(fit(
        &if view.docs.len() == 1 {
            cat.t_args(
                "overview-title",
                &[
                    ("host", Arg::from(vis(&view.docs[0].scan.hostname))),
                    ("date", Arg::from(date.as_str())),
                ],
            )
        } else {
            cat.t_args(
                "overview-title-practice",
                &[
                    ("count", Arg::from(view.docs.len())),
                    ("date", Arg::from(date.as_str())),
                ],
            )
        },
        WIDTH,
    ));
    head.push("─".repeat(WIDTH));
    let word = format!(" {} {} ", light_symbol(a.light), cat.t(light_key(a.light)));
    let hint = cat.t(&format!("{}-hint", light_key(a.light)));
    let score = cat.t_args("overview-score", &[("score", Arg::from(a.score.percent))]);
    let plain = two_sided(&format!("{word} {hint}"), &score, WIDTH);
    head.push(if opts.color {
        plain.replacen(&word, &format!("{}{word}\x1b[0m", light_color(a.light)), 1)
    } else {
        plain
    });
    for r in a.light_reasons.iter().take(2) {
        head.push(fit(&format!("  {}", vis(r.get(code))), WIDTH));
    }
    head.push(fit(
        &format!(
            "  {}",
            cat.t_args(
                "overview-coverage",
                &[
                    ("ran", Arg::from(a.coverage.ran)),
                    ("applicable", Arg::from(a.coverage.applicable)),
                    ("percent", Arg::from(a.coverage.percent)),
                ]
            )
        ),
        WIDTH,
    ));
    if let Some(line) = incomplete_line(view, &cat) {
        head.push(fit(&format!("  {line}"), WIDTH));
    }
    if view.docs.len() > 1 {
        let machines: Vec<String> = a
            .machines
            .iter()
            .map(|m| format!("{} {} {}", vis(&m.hostname), light_symbol(m.light), m.score))
            .collect();
        head.push(fit(
            &format!("  {} {}", cat.t("overview-machines"), machines.join(" · ")),
            WIDTH,
        ));
    }
    if let Some(c) = &a.comparison {
        head.push(fit(
            &format!(
                "  {}",
                cat.t_args(
                    "overview-compare",
                    &[
                        ("date", Arg::from(local_date(&c.old_scanned_at, opts.lang))),
                        ("fixed", Arg::from(c.fixed.len())),
                        ("new", Arg::from(c.new.len())),
                        ("unchanged", Arg::from(c.unchanged.len())),
                        ("old", Arg::from(c.old_score)),
                        ("score", Arg::from(a.score.percent)),
                    ]
                )
            ),
            WIDTH,
        ));
    }

    let mut incident: Vec<String> = Vec::new();
    if a.incident {
        incident.push(fit(&cat.t("incident-title"), WIDTH));
        for k in ["incident-1", "incident-2", "incident-3"] {
            incident.push(fit(&format!("  {}", cat.t(k)), WIDTH));
        }
    }

    let mut tail: Vec<String> = Vec::new();
    tail.extend(topic_lines(topics(a), &cat));
    let mut kbv = Vec::new();
    for c in &a.kbv.anlagen {
        if c.applies == Some(false) {
            kbv.push(cat.t_args(
                "overview-kbv-anlage-na",
                &[("n", Arg::from(u32::from(c.anlage)))],
            ));
            continue;
        }
        kbv.push(cat.t_args(
            "overview-kbv-anlage",
            &[
                ("n", Arg::from(u32::from(c.anlage))),
                ("f", Arg::from(c.fulfilled)),
                ("nf", Arg::from(c.not_fulfilled)),
                ("nc", Arg::from(c.not_checked)),
                ("na", Arg::from(c.not_applicable)),
            ],
        ));
    }
    tail.push(fit(&cat.t("overview-kbv"), WIDTH));
    let mut line = String::from(" ");
    for item in kbv {
        if line.chars().count() + item.chars().count() + 2 > WIDTH {
            tail.push(line);
            line = String::from(" ");
        }
        line.push_str(&format!(" {item}"));
    }
    if !a.kbv.profile_missing.is_empty() {
        let note = cat.t_args(
            "overview-kbv-profile",
            &[("count", Arg::from(a.kbv.profile_missing.len()))],
        );
        if line.chars().count() + note.chars().count() + 2 > WIDTH {
            tail.push(line);
            line = String::from(" ");
        }
        line.push_str(&format!(" {note}"));
    }
    tail.push(line);
    let set = &view.docs[0].advisory_set;
    tail.push(fit(
        &cat.t_args(
            "overview-advisories",
            &[
                ("id", Arg::from(vis(&set.id))),
                ("version", Arg::from(set.version)),
                ("date", Arg::from(local_date(&set.published, opts.lang))),
                ("age", Arg::from(a.advisories.age_days.max(0))),
            ],
        ),
        WIDTH,
    ));
    if a.advisories.stale {
        tail.push(fit(
            &cat.t_args(
                "overview-advisories-stale",
                &[("days", Arg::from(a.advisories.stale_after_days))],
            ),
            WIDTH,
        ));
    }
    let count = |s: Severity| -> u64 {
        view.docs
            .iter()
            .flat_map(|d| d.findings.iter())
            .filter(|f| f.status.is_open() && f.severity == s)
            .count() as u64
    };
    let accepted = view
        .docs
        .iter()
        .flat_map(|d| d.findings.iter())
        .filter(|f| f.status == Status::Accepted)
        .count();
    let mut open = cat.t_args(
        "overview-open",
        &[
            ("critical", Arg::from(count(Severity::Critical))),
            ("high", Arg::from(count(Severity::High))),
            ("medium", Arg::from(count(Severity::Medium))),
            ("low", Arg::from(count(Severity::Low))),
        ],
    );
    if accepted > 0 {
        open = format!(
            "{} · {}",
            cat.t_args("overview-accepted", &[("count", Arg::from(accepted))]),
            open
        );
    }
    tail.push(fit(&open, WIDTH));
    let footer: Vec<String> = opts.footer.iter().map(|l| fit(l, WIDTH)).collect();

    // Actions get what is left of the 24 lines: a heading and up to three actions of two
    // lines each (one when space is short).
    let fixed = head.len() + incident.len() + tail.len() + footer.len() + 2;
    let room = HEIGHT.saturating_sub(fixed);
    let mut actions: Vec<String> = Vec::new();
    if room >= 2 {
        actions.push(cat.t("overview-actions"));
        if a.actions.is_empty() {
            actions.push(format!("  {}", cat.t("overview-no-actions")));
        }
        let n = a.actions.len().min(3);
        let two_lines = room > n * 2;
        for x in a.actions.iter().take(n) {
            if actions.len() >= room {
                break;
            }
            let effort = cat.t_args(
                "overview-effort",
                &[("effort", Arg::from(cat.t(effort_key(x.effort))))],
            );
            let left = format!(
                " {}. {} {}",
                x.rank,
                severity_symbol(x.severity),
                vis(x.title.get(code))
            );
            actions.push(two_sided(&left, &effort, WIDTH));
            if two_lines && actions.len() < room {
                let mut why = vis(x.why.get(code));
                if let Some(h) = x.hosts.first().filter(|_| view.docs.len() > 1) {
                    why = format!("{why} ({})", vis(h));
                }
                actions.push(fit(&format!("       {why}"), WIDTH));
            }
        }
    }
    let mut lines = head;
    lines.push(String::new());
    lines.extend(incident);
    lines.extend(actions);
    lines.push(String::new());
    lines.extend(tail);
    lines.extend(footer);
    lines.truncate(HEIGHT);
    let mut o = String::new();
    for l in lines {
        let _ = writeln!(o, "{}", l.trim_end());
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use praxcheck_model::{Document, Location, Unreadable, UnreadableReason};

    fn doc() -> Document {
        serde_json::from_str(include_str!("../../assess/tests/fixtures/empfang.json"))
            .expect("fixture")
    }

    fn unread(d: &mut Document, reason: UnreadableReason) {
        d.unreadable.push(Unreadable {
            location: Location::file(std::path::Path::new("/srv/app.jar")),
            reason,
            detail: String::new(),
        });
        d.scan.complete = false;
    }

    #[test]
    fn missing_rights_are_named_only_when_rights_caused_it() {
        let de = Catalog::new(Lang::De);
        let en = Catalog::new(Lang::En);
        let mut d = doc();
        assert!(incomplete_causes(&d).is_empty());
        assert_eq!(incomplete_sentence(&d, &de), None);

        // A size limit: the limit is named, rights are not.
        unread(&mut d, UnreadableReason::SizeLimit);
        assert_eq!(incomplete_causes(&d), ["incomplete-cause-size"]);
        let s = incomplete_sentence(&d, &de).unwrap();
        assert!(s.contains("Größengrenze erreicht"), "{s}");
        assert!(!s.contains("Rechte"), "{s}");
        let s = incomplete_sentence(&d, &en).unwrap();
        assert!(
            s.contains("size limit reached") && !s.contains("rights"),
            "{s}"
        );

        // Depth and path limits too, each once, in a fixed order.
        unread(&mut d, UnreadableReason::PathTooLong);
        unread(&mut d, UnreadableReason::DepthLimit);
        unread(&mut d, UnreadableReason::SizeLimit);
        assert_eq!(
            incomplete_causes(&d),
            [
                "incomplete-cause-depth",
                "incomplete-cause-size",
                "incomplete-cause-path"
            ]
        );

        // Rights alone keep the rights wording; rights and a limit name both.
        let mut r = doc();
        r.scan.stats.dirs_denied = 1;
        r.scan.complete = false;
        assert_eq!(incomplete_causes(&r), ["incomplete-cause-rights"]);
        assert_eq!(
            incomplete_sentence(&r, &de),
            Some(de.t("summary-incomplete"))
        );
        unread(&mut r, UnreadableReason::DepthLimit);
        let s = incomplete_sentence(&r, &de).unwrap();
        assert!(
            s.contains("fehlende Rechte, Verschachtelungsgrenze erreicht"),
            "{s}"
        );
    }

    #[test]
    fn a_failed_topic_is_shown_when_two_lines_do_not_hold_every_topic() {
        let de = Catalog::new(Lang::De);
        // Every topic in the order the overview shows them; only the last one failed.
        let mut ts: Vec<Topic> = crate::words::TOPIC_ORDER
            .iter()
            .map(|t| ((*t).to_owned(), 10, 10, false, false))
            .collect();
        let last = ts.last_mut().unwrap();
        last.1 = 0;
        last.3 = true;
        let failed = de.t(&format!("topic-{}", last.0));
        let all = ts.clone();
        let lines = topic_lines(ts, &de);
        assert!(lines.len() <= 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= WIDTH),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("✖ {failed} 0/10"))),
            "the failed topic is missing: {lines:?}"
        );
        // Topics that fit in two lines keep their order.
        let few: Vec<Topic> = all[..3].to_vec();
        let lines = topic_lines(few.clone(), &de);
        let first = de.t(&format!("topic-{}", few[0].0));
        assert!(lines[0].contains(&first), "{lines:?}");
    }
}
