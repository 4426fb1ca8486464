//! The overview, the reports and the advisory update as a user meets them: snapshots of the
//! terminal overview (also captured at 80×24 in tmux) and of the JSON, schema validation,
//! the PDF read back with poppler, the signed update, and re-evaluation of a stored
//! document with a newer set (no rescan). Tests that need tmux, chromium or poppler print
//! SKIPPED when the tool is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The assessment date of every test (fixed, so snapshots do not age).
const TODAY: &str = "2026-11-29";

fn assess_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assess/tests/fixtures")
        .join(name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/fixtures")
        .join(name)
}

/// A command with its own state and output folders and a fixed date.
struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn state(&self) -> PathBuf {
        self.tmp.path().join("state")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_praxcheck"));
        c.env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("NO_COLOR", "1")
            .env("PRAXCHECK_TODAY", TODAY)
            .env("PRAXCHECK_STATE_DIR", self.state())
            .env("PRAXCHECK_OUTPUT_DIR", self.tmp.path().join("out"));
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Prints SKIPPED for a missing tool, or fails when `PRAXCHECK_REQUIRE_REPORT_TOOLS=1`
/// (CI sets it after installing chromium, poppler-utils, tmux and cyclonedx-python-lib).
#[allow(clippy::print_stdout)]
fn skipped(what: &str) {
    assert!(
        std::env::var_os("PRAXCHECK_REQUIRE_REPORT_TOOLS").is_none(),
        "{what} is required (PRAXCHECK_REQUIRE_REPORT_TOOLS is set)"
    );
    println!("SKIPPED: {what} not installed");
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
}

fn report_empfang(env: &Env, extra: &[&str]) -> Output {
    let doc = assess_fixture("empfang.json");
    let facts = assess_fixture("empfang.facts.json");
    let mut args = vec!["report", "--from", s(&doc), "--facts", s(&facts)];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn assert_fits(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 23, "{} lines:\n{text}", lines.len());
    for l in &lines {
        assert!(
            l.chars().count() <= 80,
            "too wide ({}): {l}",
            l.chars().count()
        );
    }
}

#[test]
fn overview_in_german_and_english() {
    let env = Env::new();
    let o = report_empfang(&env, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let de = stdout(&o);
    assert_fits(&de);
    assert!(de.contains("✖ ROT"), "{de}");
    assert!(de.contains("1. ✖ log4j-core 2.14.1 aktualisieren"), "{de}");
    insta::assert_snapshot!("overview_de", de);
    let o = report_empfang(&env, &["--lang", "en"]);
    let en = stdout(&o);
    assert_fits(&en);
    assert!(en.contains("✖ RED"), "{en}");
    insta::assert_snapshot!("overview_en", en);
}

#[test]
fn several_documents_merge_into_one_practice_overview() {
    let env = Env::new();
    let o = env.run(&[
        "report",
        "--from",
        s(&assess_fixture("empfang.json")),
        "--from",
        s(&assess_fixture("server.json")),
        "--facts",
        s(&assess_fixture("empfang.facts.json")),
        "--facts",
        s(&assess_fixture("server.facts.json")),
    ]);
    let text = stdout(&o);
    assert_fits(&text);
    assert!(text.contains("Praxisübersicht · 2 Rechner"), "{text}");
    assert!(
        text.contains("empfang ✖") && text.contains("server ✖"),
        "{text}"
    );
    insta::assert_snapshot!("overview_practice", text);
    // JSON: one practice report with both documents, valid against its schema.
    let o = env.run(&[
        "report",
        "--from",
        s(&assess_fixture("empfang.json")),
        "--from",
        s(&assess_fixture("server.json")),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["documents"].as_array().unwrap().len(), 2);
    assert_eq!(v["assessment"]["machines"].as_array().unwrap().len(), 2);
    validate(&v, "praxcheck-practice.schema.json");
    // CSV: one table with the host in the last column.
    let o = env.run(&[
        "report",
        "--from",
        s(&assess_fixture("empfang.json")),
        "--from",
        s(&assess_fixture("server.json")),
        "--format",
        "csv",
    ]);
    let csv = stdout(&o);
    assert!(csv.lines().next().unwrap().ends_with(",host"));
    assert!(csv.lines().any(|l| l.ends_with(",server")));
    assert!(csv.lines().any(|l| l.ends_with(",empfang")));
}

fn validate(v: &serde_json::Value, schema: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schema")
        .join(schema);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn json_document_carries_the_assessment_and_validates() {
    let env = Env::new();
    let o = report_empfang(&env, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    validate(&v, "praxcheck-document.schema.json");
    assert_eq!(v["assessment"]["light"], "red");
    assert_eq!(v["assessment"]["date"], TODAY);
    let findings = v["findings"].as_array().unwrap();
    for f in findings {
        assert!(f["effort"].is_string(), "{f}");
        assert!(!f["kbv"].as_array().unwrap().is_empty(), "{f}");
        assert!(!f["remediation"]["de"].as_str().unwrap().is_empty());
    }
    insta::assert_json_snapshot!("document_assessed", v);
}

/// A copy of a fixture document marked as an incomplete scan (missing rights).
fn incomplete_copy(dir: &Path, name: &str) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(assess_fixture(name)).unwrap()).unwrap();
    v["scan"]["complete"] = serde_json::Value::Bool(false);
    // Missing rights are named only when they caused it: a folder was denied.
    v["scan"]["stats"]["dirs_denied"] = serde_json::Value::from(1);
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    p
}

#[test]
fn an_incomplete_check_is_said_in_the_overview_and_the_html_report() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let complete = report_empfang(&env, &[]);
    assert!(!stdout(&complete).contains("Unvollständig"));
    let doc = incomplete_copy(dir.path(), "empfang.json");
    let facts = assess_fixture("empfang.facts.json");
    let o = env.run(&["report", "--from", s(&doc), "--facts", s(&facts)]);
    let text = stdout(&o);
    assert_fits(&text);
    assert!(
        text.contains("Unvollständig (fehlende Rechte) – als Administrator bzw. root wiederholen"),
        "{text}"
    );
    let o = env.run(&[
        "--lang",
        "en",
        "report",
        "--from",
        s(&doc),
        "--facts",
        s(&facts),
        "--format",
        "html",
    ]);
    assert!(
        stdout(&o).contains("Incomplete (missing rights) – repeat as administrator or root"),
        "{}",
        stdout(&o)
    );
    // In the practice view the line names the computer.
    let server = incomplete_copy(dir.path(), "server.json");
    let o = env.run(&[
        "report",
        "--from",
        s(&assess_fixture("empfang.json")),
        "--from",
        s(&server),
    ]);
    let text = stdout(&o);
    assert_fits(&text);
    assert!(
        text.contains("Unvollständig (fehlende Rechte) auf server –"),
        "{text}"
    );
}

#[test]
fn compare_shows_progress_since_an_earlier_run() {
    let env = Env::new();
    let o = report_empfang(
        &env,
        &["--compare", s(&assess_fixture("empfang-2026-10.json"))],
    );
    let text = stdout(&o);
    assert!(text.contains("Seit 01.10.2026:"), "{text}");
    // The old Log4j 2.8.2 (two critical advisories) is gone.
    assert!(text.contains("2 behoben"), "{text}");
    assert_fits(&text);
}

#[test]
fn sbom_and_sarif_describe_the_inventory_and_the_component_findings() {
    let env = Env::new();
    let o = report_empfang(&env, &["--format", "sbom"]);
    let bom: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.5");
    let comps = bom["components"].as_array().unwrap();
    assert_eq!(comps.len(), 7);
    let core = comps.iter().find(|c| c["version"] == "2.14.1").unwrap();
    assert_eq!(
        core["purl"],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    );
    assert_eq!(core["group"], "org.apache.logging.log4j");
    let refs: Vec<&str> = comps
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    let vulns = bom["vulnerabilities"].as_array().unwrap();
    assert!(
        vulns
            .iter()
            .any(|v| v["id"] == "CVE-2021-44228" && v["analysis"]["state"] == "exploitable")
    );
    assert!(
        vulns
            .iter()
            .any(|v| v["analysis"]["state"] == "not_affected"
                && v["analysis"]["justification"] == "code_not_present")
    );
    for v in vulns {
        let r = v["affects"][0]["ref"].as_str().unwrap();
        assert!(refs.contains(&r), "dangling ref {r}");
    }
    let o = report_empfang(&env, &["--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let i = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("file:///")
        );
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
    }
    // Only component findings: the host findings (firewall) are not code locations.
    assert!(
        !results
            .iter()
            .any(|r| r["ruleId"] == "PRAX-HOST-FIREWALL-OFF")
    );
    let nested = results
        .iter()
        .find(|r| {
            r["logicalLocations"].is_null() && r["locations"][0]["logicalLocations"].is_array()
        })
        .unwrap();
    assert!(
        nested["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .contains("!/WEB-INF/lib/")
    );
}

fn sign(set_text: &str, dir: &Path, name: &str) -> PathBuf {
    let key = Path::new(env!("CARGO_MANIFEST_DIR")).join("../advisories/keys/test.key");
    let sk = minisign::SecretKeyBox::from_string(&std::fs::read_to_string(key).unwrap())
        .unwrap()
        .into_unencrypted_secret_key()
        .unwrap();
    let p = dir.join(name);
    std::fs::write(&p, set_text).unwrap();
    let sig = minisign::sign(
        None,
        &sk,
        std::io::Cursor::new(set_text.as_bytes()),
        None,
        None,
    )
    .unwrap();
    let mut sp = p.as_os_str().to_owned();
    sp.push(".minisig");
    std::fs::write(PathBuf::from(sp), sig.into_string()).unwrap();
    p
}

/// The embedded set, one version newer, with the Text4Shell record added.
fn newer_set_with_text4shell() -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(praxcheck_advisories::AdvisorySet::embedded_json()).unwrap();
    let version = v["version"].as_u64().unwrap() + 1;
    v["version"] = version.into();
    v["expires"] = "2099-12-31".into();
    let rec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("text4shell.osv.json")).unwrap())
            .unwrap();
    v["records"].as_array_mut().unwrap().push(rec);
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn a_newly_signed_set_changes_the_verdict_of_a_stored_document_without_a_rescan() {
    let env = Env::new();
    let doc = fixture("reeval.json");
    let facts = fixture("anmeldung.facts.json");
    let report = |fmt: &str| {
        env.run(&[
            "report",
            "--from",
            s(&doc),
            "--facts",
            s(&facts),
            "--format",
            fmt,
        ])
    };
    // Before: the stored document is clean under the embedded set.
    let before = report("json");
    assert_eq!(before.status.code(), Some(0), "{}", stderr(&before));
    let v: serde_json::Value = serde_json::from_slice(&before.stdout).unwrap();
    assert_eq!(
        v["assessment"]["light"], "green",
        "{}",
        v["assessment"]["light_reasons"]
    );
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "CVE-2022-42889")
    );
    // Install a newer, signed set that knows Text4Shell (a non-Log4j Maven package).
    let set = sign(&newer_set_with_text4shell(), env.tmp.path(), "set.json");
    let o = env.run(&["advisories", "update", "--from", s(&set)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Sicherheitshinweise installiert"),
        "{}",
        stdout(&o)
    );
    // After: same document, no rescan, new verdict.
    let after = report("json");
    assert_eq!(after.status.code(), Some(1), "{}", stderr(&after));
    let v: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(v["assessment"]["light"], "red");
    assert_eq!(v["advisory_set"]["source"], "installed");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "CVE-2022-42889")
        .unwrap();
    assert_eq!(f["status"], "vulnerable");
    assert_eq!(f["severity"], "critical");
    assert!(
        f["subject"]["location"]["display"]
            .as_str()
            .unwrap()
            .ends_with("commons-text-1.9.jar")
    );
    let text = stdout(&report("overview"));
    assert!(text.contains("commons-text 1.9 aktualisieren"), "{text}");
    // `advisories show` says what is loaded.
    let o = env.run(&["advisories", "show"]);
    assert!(
        stdout(&o).contains("installiert (signiert)"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("CVE-2022-42889"));
}

#[test]
fn a_bad_update_is_refused_with_its_reason_and_the_old_set_stays() {
    let env = Env::new();
    let good = sign(&newer_set_with_text4shell(), env.tmp.path(), "good.json");
    assert_eq!(
        env.run(&["advisories", "update", "--from", s(&good)])
            .status
            .code(),
        Some(0)
    );
    // Tampered: signed, then changed.
    let mut v: serde_json::Value = serde_json::from_str(&newer_set_with_text4shell()).unwrap();
    v["version"] = (v["version"].as_u64().unwrap() + 1).into();
    let bad = sign(&v.to_string(), env.tmp.path(), "bad.json");
    let mut text = std::fs::read_to_string(&bad).unwrap();
    text = text.replacen("CRITICAL", "LOW", 1);
    std::fs::write(&bad, text).unwrap();
    let o = env.run(&["advisories", "update", "--from", s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("Aktualisierung abgelehnt"), "{err}");
    assert!(err.contains("nach dem Signieren verändert"), "{err}");
    assert!(err.contains("bad.json"), "{err}");
    // Unsigned.
    let unsigned = env.tmp.path().join("unsigned.json");
    std::fs::write(&unsigned, v.to_string()).unwrap();
    let o = env.run(&["advisories", "update", "--from", s(&unsigned)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nicht signiert"), "{}", stderr(&o));
    // Older than installed (the embedded set's own version, validly signed).
    let old = sign(
        praxcheck_advisories::AdvisorySet::embedded_json(),
        env.tmp.path(),
        "old.json",
    );
    let o = env.run(&["--lang", "en", "advisories", "update", "--from", s(&old)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not newer"), "{}", stderr(&o));
    // The installed set is still the good one.
    let o = env.run(&["advisories", "show"]);
    assert!(stdout(&o).contains("CVE-2022-42889"), "{}", stdout(&o));
    // Changed on disk after installation: not used, and the reason is said in German.
    let sets = env.state().join("advisories/sets");
    for f in std::fs::read_dir(&sets).unwrap() {
        let p = f.unwrap().path();
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push(' ');
        std::fs::write(&p, text).unwrap();
    }
    let o = env.run(&["advisories", "show"]);
    assert!(!stdout(&o).contains("CVE-2022-42889"), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("werden nicht verwendet (Die Datei wurde nach dem Signieren verändert."),
        "{err}"
    );
}

#[test]
fn questionnaire_asks_saves_resumes_and_fills_the_kbv_coverage() {
    let env = Env::new();
    let answers = env.state().join("answers.json");
    let ask = |input: &str| {
        use std::io::Write as _;
        let mut child = env
            .cmd()
            .args(["questionnaire"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    // 4 persons, no large processing, help for one question, then quit.
    let o = ask("4\nn\n?\nq\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Wie viele Personen"), "{out}");
    assert!(out.contains("Großgeräte"), "{out}");
    assert!(out.contains("Fragen sind noch offen"), "{out}");
    let saved = std::fs::read_to_string(&answers).unwrap();
    assert!(saved.contains("\"persons\"") && saved.contains("\"large_processing\""));
    // Resume: the next run starts where the last stopped; end of input saves and stops.
    let o = ask("n\nj\nx-invalid\nj\n");
    let out = stdout(&o);
    assert!(!out.contains("Wie viele Personen"), "{out}");
    assert!(out.contains("Bitte j, n, e"), "{out}");
    let a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&answers).unwrap()).unwrap();
    assert_eq!(a["profile"]["large_devices"]["reply"], "no");
    assert_eq!(a["profile"]["ti"]["reply"], "yes");
    // The answers reach the KBV coverage: Anlagen 2, 3 and 4 do not apply.
    let o = report_empfang(&env, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let anl = v["assessment"]["kbv"]["anlagen"].as_array().unwrap();
    assert_eq!(anl[1]["applies"], false);
    assert_eq!(anl[2]["applies"], false);
    assert_eq!(anl[3]["applies"], false);
    assert_eq!(anl[4]["applies"], true);
    // Accepting a risk from the command line.
    let o = env.run(&[
        "questionnaire",
        "--accept",
        "CVE-2021-44228",
        "--reason",
        "Gerät ohne Internet, Hersteller-Update bestellt",
        "--until",
        "2027-03-31",
        "--host",
        "empfang",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = report_empfang(&env, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "CVE-2021-44228"
                && f["status"] == "accepted"
                && f["accepted"]["expires"] == "2027-03-31")
    );
    let o = env.run(&["questionnaire", "--list"]);
    assert!(
        stdout(&o).contains("CVE-2021-44228 bis 2027-03-31"),
        "{}",
        stdout(&o)
    );
    // A past date is refused.
    let o = env.run(&[
        "questionnaire",
        "--accept",
        "X",
        "--reason",
        "r",
        "--until",
        "2020-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn scan_without_arguments_writes_reports_to_the_output_folder_never_into_scanned_places() {
    // The real whole-computer scan of this machine (default roots), with the output folder
    // in a temporary place: the overview names the written files, a second scan compares
    // with the first, and a scan of a given folder writes nothing there.
    let env = Env::new();
    let out_dir = env.tmp.path().join("out");
    let o = env.run(&["scan", "--no-processes"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Punkte:"), "{text}");
    assert!(text.contains("Bericht: "), "{text}");
    assert!(text.contains("Dauer: "), "{text}");
    assert_fits(&text);
    let files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".html")));
    assert!(files.iter().any(|f| f.ends_with(".json")));
    for f in &files {
        assert!(text.contains(f.as_str()), "{f} not named in the overview");
    }
    let o = env.run(&["scan", "--no-processes"]);
    let text = stdout(&o);
    assert!(
        text.contains("Seit 29.11.2026:") || text.contains("Seit "),
        "{text}"
    );
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 4);
    // --path scans keep the detailed summary and write nothing to the output folder.
    let src = tempfile::tempdir().unwrap();
    let o = env.run(&["scan", "--no-processes", "--path", s(src.path())]);
    assert!(stdout(&o).contains("Java-Komponenten"), "{}", stdout(&o));
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 4);
    assert_eq!(std::fs::read_dir(src.path()).unwrap().count(), 0);
}

#[test]
fn overview_fits_a_24_line_terminal_in_tmux() {
    if !have("tmux") {
        skipped("tmux");
        return;
    }
    let env = Env::new();
    let sock = format!("praxcheck-test-{}", std::process::id());
    let done = format!("done-{}", std::process::id());
    let cmd = format!(
        "env -u LANG -u LC_ALL NO_COLOR=1 PRAXCHECK_TODAY={TODAY} PRAXCHECK_STATE_DIR={} {} report --from {} --facts {}; tmux -L {sock} wait-for -S {done}; sleep 30",
        s(&env.state()),
        env!("CARGO_BIN_EXE_praxcheck"),
        s(&assess_fixture("empfang.json")),
        s(&assess_fixture("empfang.facts.json")),
    );
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .args(["-L", &sock, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap()
    };
    let o = tmux(&["new-session", "-d", "-s", "t", "-x", "80", "-y", "24", &cmd]);
    assert!(o.status.success(), "{}", stderr(&o));
    let w = Command::new("timeout")
        .args(["30", "tmux", "-L", &sock, "wait-for", &done])
        .status()
        .unwrap();
    let pane = tmux(&["capture-pane", "-p", "-t", "t"]);
    let _ = tmux(&["kill-server"]);
    assert!(w.success(), "the command did not finish in tmux");
    let screen = String::from_utf8(pane.stdout).unwrap();
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows.len() <= 24);
    // Nothing scrolled away: the title is on the first row, the counts near the end.
    assert!(
        rows[0].starts_with("praxcheck · Übersicht für empfang"),
        "{screen}"
    );
    assert!(screen.contains("✖ ROT"), "{screen}");
    assert!(screen.contains("Zuerst tun:"), "{screen}");
    assert!(screen.contains("Offen: "), "{screen}");
    let trimmed: String = rows
        .iter()
        .map(|r| r.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("overview_tmux_80x24", trimmed.trim_end());
}

#[test]
fn pdf_renders_and_reads_back() {
    if praxcheck_report::pdf::find_browser().is_err() || !have("pdftotext") {
        skipped("chromium or poppler-utils (pdftotext, pdftoppm)");
        return;
    }
    let env = Env::new();
    let pdf = env.tmp.path().join("bericht.pdf");
    let o = report_empfang(&env, &["--format", "pdf", "--output", s(&pdf)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = Command::new("pdftotext")
        .args(["-layout", s(&pdf), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in [
        "praxcheck – Sicherheitsbericht",
        "ROT",
        "log4j-core 2.14.1 aktualisieren",
        "KBV IT-Sicherheitsrichtlinie",
        "A1-25",
        "Test der Datensicherung",
        "Die Firewall ist ausgeschaltet",
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle:?}");
    }
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 3, "{pages} pages");
    let png = env.tmp.path().join("page");
    let o = Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "1", s(&pdf), s(&png)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read_dir(env.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .unwrap();
    let png_bytes = std::fs::read(&first).unwrap();
    assert!(png_bytes.starts_with(b"\x89PNG"));
    assert!(png_bytes.len() > 5_000, "first page rendered almost empty");
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::copy(&pdf, artifacts.join("report.pdf")).unwrap();
    std::fs::copy(&first, artifacts.join("report-page1.png")).unwrap();
}

/// Validates JSON with the official CycloneDX 1.5 schema shipped in the PyPI package
/// `cyclonedx-python-lib` (`pip install 'cyclonedx-python-lib[json-validation]'`); `None`
/// when that package is not installed.
fn cyclonedx_errors(bom: &str) -> Option<String> {
    let script = "import sys\nfrom cyclonedx.validation.json import JsonStrictValidator\nfrom cyclonedx.schema import SchemaVersion\ne = JsonStrictValidator(SchemaVersion.V1_5).validate_str(sys.stdin.read())\nprint('OK' if e is None else e)\n";
    use std::io::Write as _;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(bom.as_bytes()).ok()?;
    let o = child.wait_with_output().ok()?;
    if !o.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

#[test]
fn sbom_validates_against_the_official_cyclonedx_schema() {
    let env = Env::new();
    let o = report_empfang(&env, &["--format", "sbom"]);
    let bom = stdout(&o);
    let Some(result) = cyclonedx_errors(&bom) else {
        skipped("python3 with cyclonedx-python-lib[json-validation]");
        return;
    };
    assert_eq!(result, "OK", "{result}");
    // The same validator fails a broken BOM (the check can fail).
    let broken = bom.replacen("\"specVersion\": \"1.5\"", "\"specVersion\": 1.5", 1);
    assert_ne!(cyclonedx_errors(&broken).as_deref(), Some("OK"));
    // The practice view's SBOM too.
    let o = env.run(&[
        "report",
        "--from",
        s(&assess_fixture("empfang.json")),
        "--from",
        s(&assess_fixture("server.json")),
        "--format",
        "sbom",
    ]);
    assert_eq!(cyclonedx_errors(&stdout(&o)).as_deref(), Some("OK"));
}

#[test]
fn an_old_advisory_set_is_named_with_its_age_and_flagged_in_every_report() {
    let env = Env::new();
    let doc = assess_fixture("server.json");
    let run = |fmt: &str| {
        let o = env
            .cmd()
            .env("PRAXCHECK_TODAY", "2027-03-01")
            .args(["report", "--from", s(&doc), "--format", fmt])
            .output()
            .unwrap();
        stdout(&o)
    };
    let overview = run("overview");
    assert!(overview.contains("(92 Tage alt)"), "{overview}");
    assert!(overview.contains("älter als 30 Tage"), "{overview}");
    assert!(run("text").contains("älter als 30 Tage"));
    let html = run("html");
    assert!(html.contains("92 Tage alt") && html.contains("älter als 30 Tage"));
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(v["assessment"]["advisories"]["age_days"], 92);
    assert_eq!(v["assessment"]["advisories"]["stale"], true);
    // Fresh: the age is shown, no warning.
    let fresh = stdout(&env.run(&["report", "--from", s(&doc)]));
    assert!(
        fresh.contains("(0 Tage alt)") && !fresh.contains("älter als"),
        "{fresh}"
    );
}
