//! The direction of dependencies between the workspace's crates, read from `cargo
//! metadata` (ARCHITECTURE.md, "Dependencies point one way"). Normal and build
//! dependencies count; test-only (dev) dependencies do not.

use std::collections::{BTreeMap, BTreeSet};

use crate::workspace::packages;

/// Package → its praxcheck dependencies (normal and build).
fn workspace_graph() -> BTreeMap<String, BTreeSet<String>> {
    packages()
        .into_iter()
        .map(|p| {
            let deps = p
                .deps
                .into_iter()
                .filter(|n| n.starts_with("praxcheck"))
                .collect();
            (p.name, deps)
        })
        .collect()
}

const COLLECTORS: [&str; 4] = [
    "praxcheck-javascan",
    "praxcheck-logscan",
    "praxcheck-hostscan",
    "praxcheck-netscan",
];

/// (crate, crates it must not depend on).
fn forbidden(all: &BTreeSet<String>) -> Vec<(String, Vec<String>)> {
    let mut rules = vec![
        // The model depends on nothing of ours.
        (
            "praxcheck-model".to_owned(),
            all.iter()
                .filter(|n| *n != "praxcheck-model")
                .cloned()
                .collect(),
        ),
        // The system-access crate is below everything but the model (its reason codes).
        (
            "praxcheck-sys".to_owned(),
            all.iter()
                .filter(|n| *n != "praxcheck-sys" && *n != "praxcheck-model")
                .cloned()
                .collect(),
        ),
        // assess is the pure core: no collector, no rendering, no pipeline, no service.
        (
            "praxcheck-assess".to_owned(),
            COLLECTORS
                .iter()
                .chain(&["praxcheck-report", "praxcheck-app", "praxcheck-server"])
                .map(|s| (*s).to_owned())
                .collect(),
        ),
        // Rendering never calls the pipeline or the service.
        (
            "praxcheck-report".to_owned(),
            vec!["praxcheck-app".to_owned(), "praxcheck-server".to_owned()],
        ),
        // The pipeline is below the service.
        (
            "praxcheck-app".to_owned(),
            vec!["praxcheck-server".to_owned()],
        ),
    ];
    // Collectors record facts: they never judge, render, run the pipeline or serve.
    for c in COLLECTORS {
        rules.push((
            c.to_owned(),
            [
                "praxcheck-assess",
                "praxcheck-report",
                "praxcheck-app",
                "praxcheck-server",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        ));
    }
    // Nothing depends on the binary, and test helpers stay in tests.
    for n in all {
        rules.push((
            n.clone(),
            vec!["praxcheck".to_owned(), "praxcheck-testsupport".to_owned()],
        ));
    }
    rules
}

fn violations(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let all: BTreeSet<String> = graph.keys().cloned().collect();
    let mut bad = Vec::new();
    for (krate, banned) in forbidden(&all) {
        let Some(deps) = graph.get(&krate) else {
            bad.push(format!("{krate}: not in the workspace (rule out of date)"));
            continue;
        };
        for b in banned {
            if deps.contains(&b) {
                bad.push(format!("{krate} depends on {b}"));
            }
        }
    }
    bad
}

#[test]
fn crates_depend_in_one_direction() {
    let graph = workspace_graph();
    for must in [
        "praxcheck",
        "praxcheck-model",
        "praxcheck-app",
        "praxcheck-assess",
    ] {
        assert!(graph.contains_key(must), "{must} missing from {graph:?}");
    }
    let bad = violations(&graph);
    assert!(
        bad.is_empty(),
        "dependencies against the direction:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_direction_check_catches_a_wrong_edge() {
    let mut graph = workspace_graph();
    graph
        .get_mut("praxcheck-javascan")
        .unwrap()
        .insert("praxcheck-report".into());
    graph
        .get_mut("praxcheck-model")
        .unwrap()
        .insert("praxcheck-versions".into());
    let bad = violations(&graph);
    assert!(
        bad.contains(&"praxcheck-javascan depends on praxcheck-report".to_owned()),
        "{bad:?}"
    );
    assert!(
        bad.contains(&"praxcheck-model depends on praxcheck-versions".to_owned()),
        "{bad:?}"
    );
}
