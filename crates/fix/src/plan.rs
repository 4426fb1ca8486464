//! What to remove, decided from the scan's components and the advisory matcher's findings
//! — never by a second detection of our own.
//!
//! A listed class is removed from a component when the component has an open finding
//! (vulnerable or undetermined) that depends on one of the listed classes being present
//! (the finding carries the class as `class_presence` evidence). So Log4j 2.17.1, whose
//! `JndiLookup` no advisory needs, is left alone, and a relocated or renamed `JndiLookup`
//! is removed wherever the scan found it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use praxcheck_model::{Component, EvidenceKind, Finding, NESTING_SEPARATOR, PathSegment};

use crate::fsutil::path_of;
use crate::zipraw::Node;

/// The class whose removal is the official Log4Shell stop-gap.
pub const JNDI_LOOKUP: &str = "org.apache.logging.log4j.core.lookup.JndiLookup";

/// The Log4j 1.x classes `--log4j1` removes, with the flaw each one carries:
/// `JMSAppender` (CVE-2021-4104), `JMSSink` (CVE-2022-23302), `SocketServer` and
/// `SimpleSocketServer` (CVE-2019-17571), `JDBCAppender` (CVE-2022-23305), Chainsaw's
/// `LoggingReceiver` (CVE-2022-23307). `SMTPAppender` (CVE-2020-9488, low: no certificate
/// check of the mail server) is kept: removing it would silently stop e-mail alerts.
pub const LOG4J1_RISKY: &[&str] = &[
    "org.apache.log4j.net.JMSAppender",
    "org.apache.log4j.net.JMSSink",
    "org.apache.log4j.net.SocketServer",
    "org.apache.log4j.net.SimpleSocketServer",
    "org.apache.log4j.jdbc.JDBCAppender",
    "org.apache.log4j.chainsaw.LoggingReceiver",
];

/// What the plan covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Also remove the risky Log4j 1.x classes.
    pub log4j1: bool,
}

/// One class to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Nested archive entries from the outer file to the archive holding the class.
    pub chain: Vec<Vec<u8>>,
    /// The class's entry name in that archive.
    pub entry: Vec<u8>,
    /// The whole location, `outer.jar!/inner.jar!/…/JndiLookup.class`.
    pub display: String,
    /// Canonical class name.
    pub class: String,
    /// The component, `log4j-core 2.14.1`.
    pub component: String,
    /// The open findings (rule ids) the removal addresses.
    pub rules: Vec<String>,
}

/// All removals in one file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePlan {
    /// The file as the scan reached it.
    pub path: PathBuf,
    /// The removals, in location order.
    pub removals: Vec<Removal>,
}

impl FilePlan {
    /// The change tree for the rewrite.
    #[must_use]
    pub fn node(&self) -> Node {
        let mut n = Node::default();
        for r in &self.removals {
            n.add(&r.chain, r.entry.clone());
        }
        n
    }
}

/// A class file lying loose in a folder (an exploded application). `fix` changes archives
/// only; these are listed so that the user can remove or update them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LooseClass {
    /// The class file.
    pub path: PathBuf,
    /// Canonical class name.
    pub class: String,
    /// The open findings.
    pub rules: Vec<String>,
}

/// The whole plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Archives to change, by path.
    pub files: Vec<FilePlan>,
    /// Loose class files that would need removing by hand.
    pub loose: Vec<LooseClass>,
}

fn targets(opts: PlanOptions) -> Vec<&'static str> {
    let mut v = vec![JNDI_LOOKUP];
    if opts.log4j1 {
        v.extend_from_slice(LOG4J1_RISKY);
    }
    v
}

/// Builds the plan from a scan's components and the findings matched against them.
#[must_use]
pub fn plan(components: &[Component], findings: &[Finding], opts: PlanOptions) -> Plan {
    let targets = targets(opts);
    let mut files: BTreeMap<PathBuf, Vec<Removal>> = BTreeMap::new();
    let mut loose = Vec::new();
    for c in components {
        let Some(java) = &c.java else {
            continue;
        };
        let wanted: Vec<&praxcheck_model::ClassFact> = java
            .classes
            .iter()
            .filter(|f| targets.contains(&f.canonical.as_str()))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        // Open findings of this component that need one of the wanted classes.
        let mut rules: Vec<String> = findings
            .iter()
            .filter(|f| f.status.is_open() && f.subject.component.as_deref() == Some(c.id.as_str()))
            .filter(|f| {
                f.evidence.iter().any(|e| {
                    e.kind == EvidenceKind::ClassPresence
                        && e.path
                            .as_deref()
                            .is_some_and(|p| wanted.iter().any(|w| w.path == p))
                })
            })
            .map(|f| f.rule_id.clone())
            .collect();
        if rules.is_empty() {
            continue;
        }
        rules.sort();
        rules.dedup();
        let Some(outer) = c.location.chain.first() else {
            continue;
        };
        let outer_path = path_of(outer);
        let component = format!("{} {}", short_name(&c.name), c.version_display());
        if c.location.chain.len() == 1 && outer_path.is_dir() {
            for w in &wanted {
                loose.push(LooseClass {
                    path: outer_path.join(&w.path),
                    class: w.canonical.clone(),
                    rules: rules.clone(),
                });
            }
            continue;
        }
        let chain: Vec<Vec<u8>> = c.location.chain[1..]
            .iter()
            .map(PathSegment::bytes)
            .collect();
        for w in wanted {
            files.entry(outer_path.clone()).or_default().push(Removal {
                chain: chain.clone(),
                entry: w.path.as_bytes().to_vec(),
                display: format!("{}{NESTING_SEPARATOR}{}", c.location.display, w.path),
                class: w.canonical.clone(),
                component: component.clone(),
                rules: rules.clone(),
            });
        }
    }
    let files = files
        .into_iter()
        .map(|(path, mut removals)| {
            removals.sort_by(|a, b| a.display.cmp(&b.display));
            removals.dedup_by(|a, b| a.chain == b.chain && a.entry == b.entry);
            FilePlan { path, removals }
        })
        .collect();
    loose.sort_by(|a: &LooseClass, b| a.path.cmp(&b.path));
    loose.dedup_by(|a, b| a.path == b.path);
    Plan { files, loose }
}

fn short_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}
