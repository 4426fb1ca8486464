//! Evidence is data, its words are the catalogue's (issue 10 step 6): a Java component whose
//! evidence carries every kind of [`Said`], and host facts unknown for a reason given as
//! [`UnknownSaid`], render in German without one English sentence of the collectors', and
//! in English with the catalogue's English words.

use praxcheck_advisories::AdvisorySet;
use praxcheck_app::{Answers, Format, Pipeline, RenderOptions, render};
use praxcheck_i18n::Lang;
use praxcheck_model::{
    Allows, Confidence, Evidence, EvidenceKind, FactValue, HostFact, HostFacts, Said, Unknown,
    UnknownReason, UnknownSaid,
};

use crate::pipeline::doc;

fn said(kind: EvidenceKind, path: Option<&str>, detail: &str, says: Said) -> Evidence {
    Evidence {
        kind,
        path: path.map(str::to_owned),
        detail: detail.to_owned(),
        says: Some(says),
    }
}

/// Every kind, with the English technical note the collector also writes.
fn every_kind() -> Vec<Evidence> {
    let marker = |needle: Option<&str>, found, allows| Said::Class {
        class: "JndiManager".into(),
        needle: needle.map(str::to_owned),
        found,
        allows,
    };
    vec![
        said(
            EvidenceKind::ClassPresence,
            Some("shaded/log4j/"),
            "classes relocated: shaded/log4j/ stands for org/apache/logging/log4j/",
            Said::Relocated {
                actual: "shaded/log4j/".into(),
                canonical: "org/apache/logging/log4j/".into(),
            },
        ),
        said(
            EvidenceKind::Manifest,
            Some("META-INF/MANIFEST.MF"),
            "version 2.14.1",
            Said::ManifestVersion {
                version: "2.14.1".into(),
            },
        ),
        said(
            EvidenceKind::FileName,
            None,
            "log4j-core-2.14.1.jar names version 2.14.1",
            Said::FileNameVersion {
                file: "log4j-core-2.14.1.jar".into(),
                version: "2.14.1".into(),
            },
        ),
        said(
            EvidenceKind::ClassMarker,
            None,
            "metadata names 2.16.0, but the classes are not that version; the classes decide",
            Said::MetadataOverruled {
                version: "2.16.0".into(),
            },
        ),
        said(
            EvidenceKind::ClassMarker,
            Some("x/JndiManager.class"),
            "JndiManager contains \"log4j2.enableJndi\" → [2.16.0, )",
            marker(
                Some("log4j2.enableJndi"),
                true,
                Some(Allows::Versions("[2.16.0, )".into())),
            ),
        ),
        said(
            EvidenceKind::ClassMarker,
            Some("x/JndiManager.class"),
            "JndiManager does not contain \"x\" contradicts the other markers; ignored",
            marker(Some("x"), false, Some(Allows::Contradiction)),
        ),
        said(
            EvidenceKind::ClassMarker,
            None,
            "JndiManager absent → (, 2.1)",
            marker(None, false, Some(Allows::Versions("(, 2.1)".into()))),
        ),
        said(
            EvidenceKind::ClassPresence,
            None,
            "JndiLookup present",
            marker(None, true, None),
        ),
        said(
            EvidenceKind::ClassFingerprint,
            Some("x/JndiLookup.class"),
            "content equals the build of 2.14.0, 2.14.1",
            Said::Fingerprint {
                versions: vec!["2.14.0".into(), "2.14.1".into()],
            },
        ),
    ]
}

/// The fixed words of the catalogue's English `evidence-*` and `host-why-*` messages
/// (placeables left out).
fn english_words() -> Vec<String> {
    let en = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../i18n/locales/en.ftl"
    ))
    .unwrap();
    let mut words = Vec::new();
    for line in en
        .lines()
        .filter(|l| l.starts_with("evidence-") || l.starts_with("host-why-"))
    {
        let text = line.split_once(" = ").unwrap().1;
        let mut rest = text;
        while !rest.is_empty() {
            let (piece, after) = match rest.split_once('{') {
                Some((p, a)) => (p, a.split_once('}').map_or("", |x| x.1)),
                None => (rest, ""),
            };
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            if piece.split_whitespace().count() >= 2 || piece.len() >= 7 {
                words.push(piece.to_owned());
            }
            rest = after;
        }
    }
    assert!(words.len() >= 8, "{words:?}");
    words
}

fn rendered(lang: Lang, format: Format) -> String {
    let mut d = doc("server.json");
    let mut c = d
        .inventory
        .components
        .iter()
        .find(|c| c.ecosystem == "Maven")
        .unwrap()
        .clone();
    c.id = "feedfacefeedface".into();
    c.version = Some("2.14.1".into());
    c.evidence = every_kind();
    d.inventory.components.push(c);
    let unknown = |key: &str, reason, detail: &str, says| HostFact {
        key: key.to_owned(),
        value: FactValue::Unknown(Unknown {
            reason,
            detail: detail.to_owned(),
            says: Some(says),
        }),
        confidence: Confidence::High,
        sources: Vec::new(),
        note: None,
    };
    d.inventory.host = Some(HostFacts {
        platform: "linux".into(),
        collected_at: String::new(),
        privileged: false,
        root: None,
        facts: vec![
            unknown(
                "remote.ssh.password_authentication",
                UnknownReason::NotApplicable,
                "no OpenSSH server installed",
                UnknownSaid::NoSshServer,
            ),
            unknown(
                "os.end_of_life",
                UnknownReason::NoReferenceData,
                "no end-of-life data for debian 99 in the shipped table",
                UnknownSaid::NoEndOfLifeData {
                    distribution: "debian".into(),
                    version: "99".into(),
                },
            ),
        ],
    });
    let set = AdvisorySet::embedded().unwrap();
    let answers = Answers::default();
    let today = praxcheck_advisories::parse_date("2026-11-29").unwrap();
    let run = Pipeline::new(&set, &answers, today)
        .unwrap()
        .assess(vec![d], &[]);
    let opts = RenderOptions {
        lang,
        color: false,
        all: true,
        footer: Vec::new(),
    };
    String::from_utf8(render(&run, format, &opts).unwrap()).unwrap()
}

#[test]
fn no_english_evidence_sentence_reaches_a_german_report() {
    // (the text format shows the host facts, HTML and the overview the findings)
    let words = english_words();
    for format in [Format::Html, Format::Text, Format::Overview] {
        let de = rendered(Lang::De, format);
        for w in &words {
            assert!(!de.contains(w.as_str()), "{format:?} (de) holds {w:?}");
        }
        // Nor the collector's own technical notes.
        for note in [
            "classes relocated",
            "content equals",
            "names version",
            "contradicts",
            "no OpenSSH server installed",
            "no end-of-life data",
        ] {
            assert!(!de.contains(note), "{format:?} (de) holds {note:?}");
        }
    }
    let de = rendered(Lang::De, Format::Html);
    for german in [
        "Klassen verschoben: ",
        " steht für ",
        "Inhalt gleich dem Build von 2.14.0, 2.14.1",
        "der Dateiname log4j-core-2.14.1.jar nennt Version 2.14.1",
        "JndiManager enthält „log4j2.enableJndi“ → [2.16.0, )",
        "JndiManager fehlt → (, 2.1)",
        "widerspricht den anderen Merkmalen",
    ] {
        assert!(de.contains(german), "German HTML lacks {german:?}");
    }
    let text = rendered(Lang::De, Format::Text);
    assert!(text.contains("kein OpenSSH-Server installiert"), "{text}");
    assert!(
        text.contains("keine Daten zum Support-Ende für debian 99"),
        "{text}"
    );
    let en = rendered(Lang::En, Format::Html);
    assert!(en.contains("content equals the build of 2.14.0, 2.14.1"));
    assert!(en.contains("JndiManager does not contain"));
    assert!(rendered(Lang::En, Format::Text).contains("no OpenSSH server installed"));
}
