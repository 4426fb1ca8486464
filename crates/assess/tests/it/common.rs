use std::path::PathBuf;

use praxcheck_advisories::{AdvisorySet, Facts};
use praxcheck_assess::{Answers, Catalogue, Options};
use praxcheck_model::{Assessment, Document};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn doc(name: &str) -> Document {
    Document::from_json(&std::fs::read(fixture(name)).unwrap()).unwrap()
}

pub fn facts(name: &str) -> Facts {
    praxcheck_assess::facts::from_json(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

pub fn today() -> time::Date {
    praxcheck_advisories::parse_date("2026-11-29").unwrap()
}

pub struct World {
    pub set: AdvisorySet,
    pub cat: Catalogue,
    pub answers: Answers,
    pub today: time::Date,
}

impl World {
    pub fn new() -> Self {
        Self {
            set: AdvisorySet::embedded().unwrap(),
            cat: Catalogue::embedded().unwrap(),
            answers: Answers::default(),
            today: today(),
        }
    }

    pub fn run(&self, docs: &mut [Document], extra: &[Facts]) -> Assessment {
        let opts = Options {
            set: &self.set,
            catalogue: &self.cat,
            answers: &self.answers,
            today: self.today,
        };
        praxcheck_assess::assess(docs, extra, &opts).write_into(docs)
    }
}

pub fn check<'a>(a: &'a Assessment, id: &str, host: &str) -> &'a praxcheck_model::CheckResult {
    a.checks
        .iter()
        .find(|c| c.id == id && c.host == host)
        .unwrap_or_else(|| panic!("no check {id} on {host:?}"))
}
