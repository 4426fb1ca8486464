//! No English reaches a German report from the host collector (issue 10 step 6): every
//! unknown fact and every note the Linux and Windows collectors give on the fake trees and
//! the recorded Windows fixtures of these tests is walked. Each unknown fact says why as a
//! kind ([`praxcheck_model::UnknownSaid`]) that the catalogue words in German, and no
//! collector's own text (an unknown fact's detail, a fact's note) appears in the German text,
//! HTML or overview of the assessed document.

use praxcheck_advisories::AdvisorySet;
use praxcheck_app::{Answers, Format, Pipeline, RenderOptions, render};
use praxcheck_hostscan::exec::{CmdOutput, FnExec, NoExec};
use praxcheck_hostscan::{HostScan, collect, collect_with};
use praxcheck_i18n::{Catalog, Lang};
use praxcheck_model::Document;

use crate::linux_tree::{Tree, practice_server, scan_server};

/// Every scenario of the Linux and Windows tests, by name.
fn scans() -> Vec<(&'static str, HostScan)> {
    let mut out = Vec::new();
    out.push(("linux server", scan_server(None).0));
    out.push((
        "linux server with connector",
        scan_server(Some("10.0.0.9")).0,
    ));
    // A foreign root: no command runs.
    out.push((
        "linux foreign root",
        collect(&practice_server().opts()).unwrap(),
    ));
    let tr = practice_server();
    let mut o = tr.opts();
    o.privileged = Some(false);
    let denied = FnExec(|program: &str, _: &[&str]| match program {
        "nft" => Some(Ok(CmdOutput::failed(1, "Error: Operation not permitted\n"))),
        _ => None,
    });
    out.push(("linux unprivileged", collect_with(&o, &denied).unwrap()));
    let bare = Tree::new();
    bare.file(
        "etc/os-release",
        "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\n",
    );
    out.push(("linux bare", collect_with(&bare.opts(), &NoExec).unwrap()));
    let unknown_os = Tree::new();
    unknown_os
        .file(
            "etc/os-release",
            "NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel\"\nVERSION_ID=\"99\"\n",
        )
        .dir("var/lib/rpm");
    out.push((
        "linux rpm, no commands",
        collect_with(&unknown_os.opts(), &NoExec).unwrap(),
    ));
    out.push((
        "linux nothing",
        collect_with(&Tree::new().opts(), &NoExec).unwrap(),
    ));
    out.push(("windows reception", crate::windows::reception_pc(None).0));
    out.push((
        "windows server, pending timed out",
        crate::windows::server(true),
    ));
    out.push(("windows server", crate::windows::server(false)));
    let root = tempfile::tempdir().unwrap();
    let none = FnExec(|_: &str, _: &[&str]| None);
    out.push((
        "windows without PowerShell",
        collect_with(&crate::windows::opts(root.path()), &none).unwrap(),
    ));
    out
}

/// Text of the collector's own: more than one word of letters (paths and single values may
/// stand in a report as parameters).
fn is_sentence(s: &str) -> bool {
    s.split_whitespace()
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 3)
        .count()
        >= 2
}

fn rendered(d: &Document, format: Format) -> String {
    let set = AdvisorySet::embedded().unwrap();
    let answers = Answers::default();
    let today = praxcheck_advisories::parse_date("2026-11-29").unwrap();
    let run = Pipeline::new(&set, &answers, today)
        .unwrap()
        .assess(vec![d.clone()], &[]);
    let opts = RenderOptions {
        lang: Lang::De,
        color: false,
        all: true,
        footer: Vec::new(),
    };
    String::from_utf8(render(&run, format, &opts).unwrap()).unwrap()
}

#[test]
fn every_unknown_fact_and_note_reaches_a_german_report_in_german() {
    let (de, en) = (Catalog::new(Lang::De), Catalog::new(Lang::En));
    let base = Document::from_json(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../assess/tests/fixtures/server.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut unknown_seen = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for (name, s) in scans() {
        let mut own_words = Vec::new();
        for f in &s.facts.facts {
            if let Some(note) = &f.note {
                own_words.push(note.clone());
            }
            let Some(u) = f.unknown() else { continue };
            unknown_seen += 1;
            let says = u
                .says
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: {} is unknown without a kind: {u:?}", f.key));
            kinds.insert(serde_json::to_value(says).unwrap()["kind"].to_string());
            let german = praxcheck_report::host::unknown_text(u, &de);
            assert!(!german.is_empty(), "{name}: {}", f.key);
            assert_ne!(
                german,
                praxcheck_report::host::unknown_text(u, &en),
                "{name}: {}",
                f.key
            );
            own_words.push(u.detail.clone());
        }
        let mut d = base.clone();
        d.inventory.host = Some(s.facts.clone());
        for format in [Format::Text, Format::Html, Format::Overview] {
            let report = rendered(&d, format);
            for w in own_words.iter().filter(|w| is_sentence(w)) {
                assert!(
                    !report.contains(w.as_str()),
                    "{name}: the German {format:?} report holds the collector's {w:?}"
                );
            }
        }
    }
    // The walk reaches the kinds it is meant to (so it cannot pass by seeing nothing).
    assert!(unknown_seen >= 40, "{unknown_seen} unknown facts");
    for kind in [
        "command_failed",
        "file_unreadable",
        "powershell_failed",
        "section_failed",
        "no_ssh_server",
    ] {
        assert!(
            kinds.contains(&format!("\"{kind}\"")),
            "{kind} not seen: {kinds:?}"
        );
    }
}
