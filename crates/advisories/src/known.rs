//! What the host collector knows to look for, as data (`data/catalogue.json`, embedded):
//! practice software, TI components, remote-maintenance and backup tools by
//! installed-program name, publisher or Linux package; the ports of remote-access
//! services; and how the Linux collector sees a remote-access tool. One pattern language
//! with the product advisories ([`crate::products::wildcard_match`]). A new product or
//! remote-maintenance tool is an entry in the file, not a change of code (issue 10 step 4).

use std::sync::LazyLock;

use serde::Deserialize;

use crate::products::wildcard_match;

const CATALOGUE: &str = include_str!("../data/catalogue.json");

/// The kinds of product the host collector knows.
pub const KINDS: [&str; 6] = [
    "kbv_test_module",
    "haevg_test_module",
    "practice_management",
    "telematics",
    "remote_maintenance",
    "backup",
];

/// The catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    /// What the file is (for people).
    #[serde(default)]
    pub comment: String,
    /// Products, in matching order (the first that matches wins).
    pub products: Vec<KnownProduct>,
    /// Ports of remote-access and file-sharing services.
    pub remote_access_ports: Vec<PortRange>,
    /// Remote-access tools as a Linux system shows them.
    pub remote_tools: Vec<RemoteTool>,
}

/// A product and how to recognise it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownProduct {
    /// Stable product id (the component name in ecosystem `Product`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is: `kbv_test_module`, `haevg_test_module`, `practice_management`,
    /// `telematics`, `remote_maintenance` or `backup`.
    pub kind: String,
    /// Installed-program name patterns.
    pub names: Vec<String>,
    /// When not empty, the publisher (or the name) must match one of these.
    #[serde(default)]
    pub publishers: Vec<String>,
    /// Linux package names (exact).
    #[serde(default)]
    pub packages: Vec<String>,
    /// Installed-program names this entry must recognise (its fixture).
    pub examples: Vec<String>,
}

impl KnownProduct {
    /// Whether an installed program's name (and publisher) names this product.
    #[must_use]
    pub fn matches_name(&self, display_name: &str, publisher: Option<&str>) -> bool {
        self.names.iter().any(|p| wildcard_match(p, display_name))
            && (self.publishers.is_empty()
                || self.publishers.iter().any(|p| {
                    publisher.is_some_and(|pb| wildcard_match(p, pb))
                        || wildcard_match(p, display_name)
                }))
    }
}

/// A port range of a remote-access service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortRange {
    /// First port.
    pub first: u16,
    /// Last port (inclusive).
    pub last: u16,
    /// Service name (`rdp`, `vnc`, …).
    pub service: String,
}

/// A remote-access tool as Linux packages, files, processes and units show it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteTool {
    /// Display name.
    pub name: String,
    /// Package names.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Program files.
    #[serde(default)]
    pub files: Vec<String>,
    /// Process names (`/proc/*/comm`).
    #[serde(default)]
    pub processes: Vec<String>,
    /// Prefixes of its systemd units.
    #[serde(default)]
    pub unit_prefixes: Vec<String>,
}

/// Errors reading a catalogue.
#[derive(Debug, thiserror::Error)]
#[error("host catalogue: {0}")]
pub struct KnownError(String);

impl Known {
    /// Parses and checks a catalogue.
    ///
    /// # Errors
    /// Not JSON of this shape, an entry without names or examples or of an unknown kind, a
    /// duplicate id, or an empty port range.
    pub fn from_json(text: &str) -> Result<Self, KnownError> {
        let k: Known = serde_json::from_str(text).map_err(|e| KnownError(e.to_string()))?;
        let mut ids = std::collections::BTreeSet::new();
        for p in &k.products {
            if p.names.is_empty() || p.examples.is_empty() {
                return Err(KnownError(format!("{}: no names or no examples", p.id)));
            }
            if !KINDS.contains(&p.kind.as_str()) {
                return Err(KnownError(format!("{}: unknown kind {}", p.id, p.kind)));
            }
            if !ids.insert(p.id.as_str()) {
                return Err(KnownError(format!("{}: listed twice", p.id)));
            }
        }
        if let Some(r) = k.remote_access_ports.iter().find(|r| r.first > r.last) {
            return Err(KnownError(format!("{}: empty port range", r.service)));
        }
        Ok(k)
    }

    /// The embedded catalogue. Its validity is checked by the test
    /// `known::the_embedded_catalogue_is_valid`; were it broken, the collector would
    /// recognise nothing rather than stop.
    #[must_use]
    pub fn embedded() -> &'static Known {
        static K: LazyLock<Known> = LazyLock::new(|| {
            Known::from_json(CATALOGUE).unwrap_or_else(|_| Known {
                comment: String::new(),
                products: Vec::new(),
                remote_access_ports: Vec::new(),
                remote_tools: Vec::new(),
            })
        });
        &K
    }

    /// The first product an installed program's name (and publisher) names.
    #[must_use]
    pub fn match_name(&self, display_name: &str, publisher: Option<&str>) -> Option<&KnownProduct> {
        self.products
            .iter()
            .find(|p| p.matches_name(display_name, publisher))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_is_valid() {
        let k = Known::from_json(CATALOGUE).unwrap();
        assert!(k.products.len() >= 50);
        assert!(k.remote_access_ports.iter().any(|r| r.service == "rdp"));
        assert_eq!(Known::embedded().products.len(), k.products.len());
    }

    /// Each entry's fixture: every example is recognised as that entry (not an earlier one).
    #[test]
    fn known_products_recognise_their_examples() {
        let k = Known::embedded();
        let mut wrong = Vec::new();
        for p in &k.products {
            for e in &p.examples {
                let got = k.match_name(e, None).map(|m| m.id.as_str());
                if got != Some(p.id.as_str()) {
                    wrong.push(format!("{e:?}: expected {}, got {got:?}", p.id));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn a_broken_catalogue_is_refused() {
        assert!(Known::from_json("{}").is_err());
        let dup = r#"{"products":[
            {"id":"a","name":"A","kind":"backup","names":["*a*"],"examples":["a"]},
            {"id":"a","name":"A","kind":"backup","names":["*a*"],"examples":["a"]}],
            "remote_access_ports":[],"remote_tools":[]}"#;
        assert!(Known::from_json(dup).is_err());
    }
}
