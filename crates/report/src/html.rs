//! The single-file HTML report: inline CSS and SVG, no scripts, nothing loaded from outside
//! (a Content-Security-Policy of `default-src 'none'` makes the browser refuse anything
//! else), print-friendly (A4, rows kept together). It is also the PDF's source.

use std::collections::BTreeMap;

use askama::Template;
use praxcheck_assess::Catalogue;
use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{CheckState, KbvStatus, Severity, Status};

use crate::svg::{Segment, bar, score_ring};
use crate::words::{
    effort_key, light_key, light_symbol, local_date, severity_key, severity_symbol, topic_rank,
    topic_symbol,
};
use crate::{ReportError, View};

struct ActionRow {
    sym: &'static str,
    sev: &'static str,
    sev_word: String,
    title: String,
    why: String,
    detail: String,
    effort: String,
    location: String,
}

struct TopicRow {
    symbol: &'static str,
    name: String,
    earned: u32,
    possible: u32,
    svg: String,
}

struct MachineRow {
    host: String,
    os: String,
    scanned: String,
    light: String,
    score: u32,
    open: u32,
}

struct FindingRow {
    sym: &'static str,
    sev: &'static str,
    sev_word: String,
    title: String,
    status: String,
    status_class: &'static str,
    accepted: String,
    rule: String,
    subject: String,
    host: String,
    explanation: String,
    evidence: Vec<String>,
    remediation: String,
}

struct KbvRow {
    id: String,
    title: String,
    demand: String,
    unverified: String,
    status: String,
    class: &'static str,
    sym: &'static str,
    deadline: String,
    basis: String,
}

struct KbvBlock {
    title: String,
    note: String,
    svg: String,
    rows: Vec<KbvRow>,
}

struct CheckRow {
    title: String,
    state: String,
    class: &'static str,
    sym: &'static str,
    earned: u32,
    points: u32,
    host: String,
    missing: String,
}

struct CompareRow {
    sym: &'static str,
    sev: &'static str,
    sev_word: String,
    rule: String,
    title: String,
    host: String,
    location: String,
}

struct CompareGroup {
    title: String,
    rows: Vec<CompareRow>,
}

struct Incident {
    title: String,
    lines: Vec<String>,
    note: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    cat: Catalog,
    lang: &'static str,
    version: &'static str,
    title: String,
    subtitle: String,
    incident: Option<Incident>,
    light_class: &'static str,
    light_symbol: &'static str,
    light_word: String,
    score: u32,
    score_svg: String,
    coverage: String,
    reasons: Vec<String>,
    advisories: String,
    stale: Option<String>,
    incomplete: Option<String>,
    compare_line: Option<String>,
    actions: Vec<ActionRow>,
    topics: Vec<TopicRow>,
    machines: Vec<MachineRow>,
    comparison: Option<Vec<CompareGroup>>,
    findings: Vec<FindingRow>,
    products: Vec<String>,
    kbv: Vec<KbvBlock>,
    checks: Vec<CheckRow>,
    inventory: String,
    unreadable: Vec<String>,
    footer: String,
}

impl Page {
    fn t(&self, key: &str) -> String {
        self.cat.t(key)
    }
}

fn sev_class(s: Severity) -> &'static str {
    s.as_str()
}

fn check_state(s: CheckState) -> (&'static str, &'static str, &'static str) {
    match s {
        CheckState::Passed => ("check-passed", "passed", "✔"),
        CheckState::Failed => ("check-failed", "failed", "✖"),
        CheckState::Accepted => ("check-accepted", "accepted", "◐"),
        CheckState::NotChecked => ("check-not-checked", "not_checked", "○"),
        CheckState::NotApplicable => ("check-not-applicable", "not_applicable", "–"),
    }
}

fn kbv_state(s: KbvStatus) -> (&'static str, &'static str, &'static str) {
    match s {
        KbvStatus::Fulfilled => ("kbv-fulfilled", "fulfilled", "✔"),
        KbvStatus::NotFulfilled => ("kbv-not-fulfilled", "not_fulfilled", "✖"),
        KbvStatus::NotChecked => ("kbv-not-checked", "not_checked", "○"),
        KbvStatus::NotApplicable => ("kbv-not-applicable", "not_applicable", "–"),
    }
}

fn status_key(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Vulnerable => ("status-vulnerable", "failed"),
        Status::Mitigated => ("status-mitigated", "passed"),
        Status::Undetermined => ("status-undetermined", "not_checked"),
        Status::Detected => ("status-detected", "failed"),
        Status::Accepted => ("status-accepted", "accepted"),
    }
}

/// What every section builder reads.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    view: &'a View<'a>,
    cat: &'a Catalog,
    lang: Lang,
    code: &'static str,
    a: &'a praxcheck_model::Assessment,
}

impl Ctx<'_> {
    fn set(&self) -> &praxcheck_model::AdvisorySetRef {
        &self.view.docs[0].advisory_set
    }
}

/// Renders the HTML report: one builder per section, then the template.
///
/// # Errors
/// When the KBV catalogue or the template fails (neither happens with valid input).
pub fn html(view: &View<'_>, lang: Lang) -> Result<String, ReportError> {
    let cat = Catalog::new(lang);
    let code = lang.code();
    let a = view.assessment;
    let kbv_cat = Catalogue::embedded().map_err(|e| ReportError::Kbv(e.to_string()))?;
    let x = Ctx {
        view,
        cat: &cat,
        lang,
        code,
        a,
    };
    let set = x.set();
    let components: usize = view.docs.iter().map(|d| d.inventory.components.len()).sum();
    let page = Page {
        lang: code,
        version: env!("CARGO_PKG_VERSION"),
        title: cat.t("html-title"),
        subtitle: subtitle(&x),
        incident: incident(&x),
        light_class: a.light.as_str(),
        light_symbol: light_symbol(a.light),
        light_word: format!(
            "{} – {}",
            cat.t(light_key(a.light)),
            cat.t(&format!("{}-hint", light_key(a.light)))
        ),
        score: a.score.percent,
        score_svg: score_ring(
            a.score.percent,
            a.light,
            &cat.t_args("overview-score", &[("score", Arg::from(a.score.percent))]),
        ),
        coverage: cat.t_args(
            "overview-coverage",
            &[
                ("ran", Arg::from(a.coverage.ran)),
                ("applicable", Arg::from(a.coverage.applicable)),
                ("percent", Arg::from(a.coverage.percent)),
            ],
        ),
        reasons: a
            .light_reasons
            .iter()
            .map(|r| r.get(code).to_owned())
            .collect(),
        advisories: advisories_line(&x),
        incomplete: crate::overview::incomplete_line(view, &cat),
        stale: a.advisories.stale.then(|| {
            cat.t_args(
                "overview-advisories-stale",
                &[("days", Arg::from(a.advisories.stale_after_days))],
            )
        }),
        compare_line: compare_line(&x),
        actions: actions(&x),
        topics: topics(&x),
        machines: machines(&x),
        comparison: comparison(&x),
        findings: findings(&x),
        products: products(&x),
        kbv: kbv(&x, &kbv_cat),
        checks: checks(&x),
        inventory: cat.t_args("html-inventory-count", &[("count", Arg::from(components))]),
        unreadable: unreadable(&x),
        footer: cat.t_args(
            "html-footer",
            &[
                ("version", Arg::from(env!("CARGO_PKG_VERSION"))),
                ("set", Arg::from(set.id.as_str())),
                ("setversion", Arg::from(set.version)),
                ("date", Arg::from(local_date(&set.published, lang))),
            ],
        ),
        cat,
    };
    page.render().map_err(|e| ReportError::Html(e.to_string()))
}

/// The line under the title: the host and its scan date, or the practice.
fn subtitle(x: &Ctx<'_>) -> String {
    let Ctx {
        view, cat, lang, a, ..
    } = *x;
    if view.docs.len() == 1 {
        cat.t_args(
            "html-subtitle-host",
            &[
                ("host", Arg::from(view.docs[0].scan.hostname.as_str())),
                (
                    "date",
                    Arg::from(local_date(&view.docs[0].scan.started_at, lang)),
                ),
            ],
        )
    } else {
        cat.t_args(
            "html-subtitle-practice",
            &[
                ("count", Arg::from(view.docs.len())),
                ("date", Arg::from(local_date(&a.date, lang))),
            ],
        )
    }
}

/// The advisory set the findings were computed with.
fn advisories_line(x: &Ctx<'_>) -> String {
    let Ctx { cat, lang, a, .. } = *x;
    cat.t_args(
        "overview-advisories",
        &[
            ("id", Arg::from(x.set().id.as_str())),
            ("version", Arg::from(x.set().version)),
            ("date", Arg::from(local_date(&x.set().published, lang))),
            ("age", Arg::from(a.advisories.age_days.max(0))),
        ],
    )
}

/// What to do first when an attack may have succeeded.
fn incident(x: &Ctx<'_>) -> Option<Incident> {
    let Ctx { cat, a, .. } = *x;
    a.incident.then(|| Incident {
        title: cat.t("incident-title"),
        lines: ["incident-1", "incident-2", "incident-3"]
            .iter()
            .map(|k| {
                cat.t(k)
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
                    .to_owned()
            })
            .collect(),
        note: cat.t("incident-note"),
    })
}

/// The ranked actions.
fn actions(x: &Ctx<'_>) -> Vec<ActionRow> {
    let Ctx {
        view, cat, code, a, ..
    } = *x;
    a.actions
        .iter()
        .map(|x| ActionRow {
            sym: severity_symbol(x.severity),
            sev: sev_class(x.severity),
            sev_word: cat.t(severity_key(x.severity)),
            title: x.title.get(code).to_owned(),
            why: x.why.get(code).to_owned(),
            detail: x.detail.get(code).to_owned(),
            effort: cat.t_args(
                "overview-effort",
                &[("effort", Arg::from(cat.t(effort_key(x.effort))))],
            ),
            location: {
                let mut l = x.location.clone().unwrap_or_default();
                if view.docs.len() > 1 && !x.hosts.is_empty() {
                    if !l.is_empty() {
                        l.push_str(" · ");
                    }
                    l.push_str(&x.hosts.join(", "));
                }
                l
            },
        })
        .collect()
}

/// Points per topic, each with its bar.
fn topics(x: &Ctx<'_>) -> Vec<TopicRow> {
    let Ctx { cat, a, .. } = *x;
    let mut per: BTreeMap<String, [u32; 5]> = BTreeMap::new();
    for c in &a.checks {
        let e = per.entry(c.topic.clone()).or_default();
        match c.state {
            CheckState::Passed => e[0] += c.points,
            CheckState::Failed => e[1] += c.points,
            CheckState::Accepted => e[2] += c.points,
            CheckState::NotChecked => e[3] += c.points,
            CheckState::NotApplicable => e[4] += c.points,
        }
    }
    let mut per: Vec<(String, [u32; 5])> = per.into_iter().collect();
    per.sort_by_key(|(t, _)| topic_rank(t));
    per.iter()
        .filter(|(_, v)| v[0] + v[1] + v[2] + v[3] > 0)
        .map(|(t, v)| {
            let name = cat.t(&format!("topic-{t}"));
            let possible = v[0] + v[1] + v[2] + v[3];
            let seg = |value, color, hatched, key: &str| Segment {
                value,
                color,
                hatched,
                label: format!("{} {value}", cat.t(key)),
            };
            let svg = bar(
                &[
                    seg(v[0], "#2e7d32", false, "check-passed"),
                    seg(v[1], "#c62828", false, "check-failed"),
                    seg(v[2], "#f9a825", false, "check-accepted"),
                    seg(v[3], "#9e9e9e", true, "check-not-checked"),
                ],
                possible,
                &cat.t_args(
                    "html-topic-chart",
                    &[
                        ("topic", Arg::from(name.as_str())),
                        ("earned", Arg::from(v[0])),
                        ("possible", Arg::from(possible)),
                    ],
                ),
                t,
            );
            TopicRow {
                symbol: topic_symbol(v[1] + v[2] > 0, v[3] > 0),
                name,
                earned: v[0],
                possible,
                svg,
            }
        })
        .collect()
}

/// One row per machine of the practice.
fn machines(x: &Ctx<'_>) -> Vec<MachineRow> {
    let Ctx { cat, lang, a, .. } = *x;
    a.machines
        .iter()
        .map(|m| MachineRow {
            host: m.hostname.clone(),
            os: m.os.clone(),
            scanned: local_date(&m.scanned_at, lang),
            light: format!("{} {}", light_symbol(m.light), cat.t(light_key(m.light))),
            score: m.score,
            open: m.open_findings,
        })
        .collect()
}

/// What changed since the earlier run: fixed, new and unchanged findings.
fn comparison(x: &Ctx<'_>) -> Option<Vec<CompareGroup>> {
    let Ctx { cat, code, a, .. } = *x;
    let compare_row = |f: &praxcheck_model::ComparedFinding| CompareRow {
        sym: severity_symbol(f.severity),
        sev: sev_class(f.severity),
        sev_word: cat.t(severity_key(f.severity)),
        rule: f.rule_id.clone(),
        title: f.title.get(code).to_owned(),
        host: f.host.clone(),
        location: f.location.clone().unwrap_or_default(),
    };
    a.comparison.as_ref().map(|c| {
        vec![
            CompareGroup {
                title: cat.t("html-compare-fixed"),
                rows: c.fixed.iter().map(compare_row).collect(),
            },
            CompareGroup {
                title: cat.t("html-compare-new"),
                rows: c.new.iter().map(compare_row).collect(),
            },
            CompareGroup {
                title: cat.t("html-compare-unchanged"),
                rows: c.unchanged.iter().map(compare_row).collect(),
            },
        ]
    })
}

/// The one-line summary of the comparison.
fn compare_line(x: &Ctx<'_>) -> Option<String> {
    let Ctx { cat, lang, a, .. } = *x;
    a.comparison.as_ref().map(|c| {
        cat.t_args(
            "overview-compare",
            &[
                ("date", Arg::from(local_date(&c.old_scanned_at, lang))),
                ("fixed", Arg::from(c.fixed.len())),
                ("new", Arg::from(c.new.len())),
                ("unchanged", Arg::from(c.unchanged.len())),
                ("old", Arg::from(c.old_score)),
                ("score", Arg::from(a.score.percent)),
            ],
        )
    })
}

/// Every finding: open and accepted first (worst first), then mitigated.
fn findings(x: &Ctx<'_>) -> Vec<FindingRow> {
    let Ctx {
        view,
        cat,
        lang,
        code,
        ..
    } = *x;
    let mut findings = Vec::new();
    for d in view.docs {
        let comps: std::collections::HashMap<&str, &praxcheck_model::Component> = d
            .inventory
            .components
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        for f in &d.findings {
            let comp = f.subject.component.as_deref().and_then(|id| comps.get(id));
            let subject = match (comp, &f.subject.location, &f.subject.fact) {
                (Some(c), _, _) => format!(
                    "{} {} – {}",
                    c.name,
                    c.version_display(),
                    c.location.display
                ),
                (None, Some(l), _) => l.display.clone(),
                (None, None, Some(k)) => k.clone(),
                _ => String::new(),
            };
            let (sk, sc) = status_key(f.status);
            findings.push((
                (
                    u8::from(!(f.status.is_open() || f.status == Status::Accepted)),
                    std::cmp::Reverse(f.severity),
                ),
                FindingRow {
                    sym: severity_symbol(f.severity),
                    sev: sev_class(f.severity),
                    sev_word: cat.t(severity_key(f.severity)),
                    title: f.title.get(code).to_owned(),
                    status: cat.t(sk),
                    status_class: sc,
                    accepted: f
                        .accepted
                        .as_ref()
                        .map(|x| {
                            cat.t_args(
                                "html-accepted-by",
                                &[
                                    ("date", Arg::from(local_date(&x.expires, lang))),
                                    ("reason", Arg::from(x.reason.as_str())),
                                ],
                            )
                        })
                        .unwrap_or_default(),
                    rule: std::iter::once(f.rule_id.clone())
                        .chain(f.aliases.iter().cloned())
                        .collect::<Vec<_>>()
                        .join(", "),
                    subject,
                    host: if view.docs.len() > 1 {
                        d.scan.hostname.clone()
                    } else {
                        String::new()
                    },
                    explanation: f.explanation.get(code).to_owned(),
                    // A log finding names every file with its count (issue 11, item 7).
                    evidence: if crate::logs::is_log_finding(f) {
                        crate::logs::per_file(d, cat)
                            .into_iter()
                            .map(|(file, n)| {
                                if file.is_empty() {
                                    n
                                } else {
                                    format!("{file}: {n}")
                                }
                            })
                            .collect()
                    } else {
                        f.evidence
                            .iter()
                            .map(|e| {
                                let said = crate::words::evidence_text(e, cat);
                                match &e.path {
                                    Some(p) => format!("{p}: {said}"),
                                    None => said,
                                }
                            })
                            .collect()
                    },
                    remediation: f.remediation.get(code).to_owned(),
                },
            ));
        }
    }
    findings.sort_by_key(|a| a.0);
    findings.into_iter().map(|(_, r)| r).collect()
}

/// The practice products recognised.
fn products(x: &Ctx<'_>) -> Vec<String> {
    let Ctx { view, a, .. } = *x;
    a.products
        .iter()
        .map(|p| {
            let mut s = p.name.clone();
            if let Some(v) = &p.version {
                s.push(' ');
                s.push_str(v);
            }
            if view.docs.len() > 1 {
                s.push_str(&format!(" ({})", p.host));
            }
            s
        })
        .collect()
}

/// The KBV requirements per Anlage, each Anlage with its bar.
fn kbv(x: &Ctx<'_>, kbv_cat: &Catalogue) -> Vec<KbvBlock> {
    let Ctx {
        cat, lang, code, a, ..
    } = *x;
    let statuses: std::collections::HashMap<&str, &praxcheck_model::KbvRequirementStatus> = a
        .kbv
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    kbv_cat
        .anlagen
        .iter()
        .map(|an| {
            let count = a.kbv.anlagen.iter().find(|c| c.anlage == an.anlage);
            let note = match count.and_then(|c| c.applies) {
                None => cat.t("html-kbv-anlage-applies-unknown"),
                Some(false) => cat.t("html-kbv-anlage-not-applicable"),
                Some(true) => String::new(),
            };
            let (f, nf, nc, na) = count.map_or((0, 0, 0, 0), |c| {
                (
                    c.fulfilled,
                    c.not_fulfilled,
                    c.not_checked,
                    c.not_applicable,
                )
            });
            let seg = |value, color, hatched, key: &str| Segment {
                value,
                color,
                hatched,
                label: format!("{} {value}", cat.t(key)),
            };
            let svg = bar(
                &[
                    seg(f, "#2e7d32", false, "kbv-fulfilled"),
                    seg(nf, "#c62828", false, "kbv-not-fulfilled"),
                    seg(nc, "#9e9e9e", true, "kbv-not-checked"),
                    seg(na, "#e0e0e0", false, "kbv-not-applicable"),
                ],
                f + nf + nc + na,
                an.title.get(code),
                &format!("kbv{}", an.anlage),
            );
            let rows = kbv_cat
                .requirements
                .iter()
                .filter(|r| r.anlage == an.anlage)
                .map(|r| {
                    let st = statuses.get(r.id.as_str());
                    let (key, class, sym) =
                        kbv_state(st.map_or(KbvStatus::NotChecked, |s| s.status));
                    KbvRow {
                        id: r.id.clone(),
                        title: r.title.get(code).to_owned(),
                        demand: r.demand.get(code).to_owned(),
                        unverified: cat.t("html-demand-unverified"),
                        status: cat.t(key),
                        class,
                        sym,
                        deadline: local_date(&r.deadline, lang),
                        basis: st.map(|s| s.basis.join(", ")).unwrap_or_default(),
                    }
                })
                .collect();
            KbvBlock {
                title: an.title.get(code).to_owned(),
                note,
                svg,
                rows,
            }
        })
        .collect()
}

/// Every check with its state and points.
fn checks(x: &Ctx<'_>) -> Vec<CheckRow> {
    let Ctx { cat, code, a, .. } = *x;
    a.checks
        .iter()
        .map(|c| {
            let (key, class, sym) = check_state(c.state);
            CheckRow {
                title: c.title.get(code).to_owned(),
                state: cat.t(key),
                class,
                sym,
                earned: c.earned,
                points: c.points,
                host: c.host.clone(),
                missing: c.missing.join(", "),
            }
        })
        .collect()
}

/// What could not be read (at most 200 lines).
fn unreadable(x: &Ctx<'_>) -> Vec<String> {
    let Ctx { view, cat, .. } = *x;
    view.docs
        .iter()
        .flat_map(|d| {
            d.unreadable.iter().map(|u| {
                format!(
                    "{} – {}",
                    u.location.display,
                    crate::words::reason_text(u.reason, cat)
                )
            })
        })
        .take(200)
        .collect()
}
