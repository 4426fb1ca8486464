//! The arguments the pipeline turns into plans (`praxcheck_app::args`, features `clap` and
//! `local`, which the binary turns on): each option lands where the collectors, the fix
//! and the questionnaire read it.

use clap::Parser;
use praxcheck_app::args::{FailOn, FixArgs, QuestionnaireArgs, ScanArgs};
use praxcheck_app::questionnaire::Mode;
use praxcheck_i18n::Lang;
use praxcheck_model::Severity;

#[derive(Parser)]
struct Scan {
    #[command(flatten)]
    a: ScanArgs,
}

#[derive(Parser)]
struct Fix {
    #[command(flatten)]
    a: FixArgs,
}

#[derive(Parser)]
struct Questions {
    #[command(flatten)]
    a: QuestionnaireArgs,
}

fn scan(args: &[&str]) -> ScanArgs {
    Scan::try_parse_from(std::iter::once("scan").chain(args.iter().copied()))
        .unwrap()
        .a
}

#[test]
fn a_whole_computer_scan_reads_host_facts_and_a_path_scan_only_when_asked() {
    let whole = scan(&[]);
    assert!(whole.whole_computer());
    let p = whole.plan(Lang::En);
    assert!(p.host && p.logs && p.processes && p.cache && !p.host_only);
    assert_eq!(p.host_options.lang, Lang::En);

    let path = scan(&["--path", "/opt/app", "--no-cache", "--no-logs"]);
    assert!(!path.whole_computer());
    let p = path.plan(Lang::De);
    assert!(!p.host && !p.logs && !p.cache);
    assert!(scan(&["--path", "/opt/app", "--host"]).plan(Lang::De).host);

    let host = scan(&["--host-only", "--connector-address", "10.0.0.5"]);
    assert!(!host.whole_computer());
    let p = host.plan(Lang::De);
    assert!(p.host && p.host_only);
    assert_eq!(
        p.host_options.connector_address,
        Some(std::net::Ipv4Addr::new(10, 0, 0, 5))
    );
    assert!(Scan::try_parse_from(["scan", "--host-only", "--path", "/x"]).is_err());
    assert!(!scan(&["--no-host"]).plan(Lang::De).host);
}

#[test]
fn fix_and_questionnaire_options_become_their_plans() {
    let f = Fix::try_parse_from(["fix", "--log4j1", "--force", "--max-depth", "3", "/srv"])
        .unwrap()
        .a;
    let p = f.plan();
    assert!(p.log4j1 && p.force);
    assert_eq!(p.max_depth, 3);
    assert_eq!(p.paths, vec![std::path::PathBuf::from("/srv")]);

    let q = |args: &[&str]| {
        Questions::try_parse_from(std::iter::once("q").chain(args.iter().copied()))
            .unwrap()
            .a
            .mode()
    };
    assert!(matches!(q(&[]), Mode::Ask { from } if from.is_empty()));
    assert!(matches!(q(&["--list"]), Mode::List));
    let Mode::Accept(a) = q(&["--accept", "CVE-2021-44228", "--reason", "isolated"]) else {
        panic!("not an acceptance");
    };
    assert_eq!(a.id, "CVE-2021-44228");
    assert_eq!(a.reason.as_deref(), Some("isolated"));
}

#[test]
fn fail_on_names_the_lowest_severity_that_fails() {
    assert_eq!(FailOn::High.threshold(), Some(Severity::High));
    assert_eq!(FailOn::Low.threshold(), Some(Severity::Low));
    assert_eq!(FailOn::None.threshold(), None);
}
