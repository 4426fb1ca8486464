//! Installed software on Windows as inventory components: uninstall entries (HKLM, its
//! 32-bit view and HKCU), Java runtimes (registry `JavaHome` keys and the `release` file of
//! each installation), practice products recognised by name, and KBV test module jars.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use praxcheck_model::{
    Component, ComponentKind, Confidence, Evidence, EvidenceKind, FactValue, Location, PathSegment,
    Placement,
};

use super::Sections;
use super::system::Context;
use crate::Options;
use crate::facts::{Facts, cmdlet};
use crate::keys;
use crate::products;
use crate::pwsh::{int, many, text};

fn uninstall_component(
    key: &str,
    name: &str,
    version: Option<&str>,
    publisher: Option<&str>,
    location: Option<&str>,
) -> Component {
    let loc = Location::new(vec![PathSegment::Text(key.to_owned())]);
    Component {
        id: Component::derive_id(ComponentKind::Application, name, &loc, None),
        kind: ComponentKind::Application,
        ecosystem: "Windows".to_owned(),
        name: name.to_owned(),
        version: version.map(str::to_owned),
        version_range: Vec::new(),
        version_source: version.map(|_| EvidenceKind::Registry),
        purl: None,
        location: loc,
        placement: Placement::Installed,
        open_by: Vec::new(),
        evidence: vec![Evidence {
            kind: EvidenceKind::Registry,
            path: location.map(str::to_owned),
            detail: format!(
                "DisplayName={name}{}{}",
                version
                    .map(|v| format!(", DisplayVersion={v}"))
                    .unwrap_or_default(),
                publisher
                    .map(|p| format!(", Publisher={p}"))
                    .unwrap_or_default()
            ),
            says: None,
        }],
        java: None,
    }
}

/// Components and `software.*` facts.
pub fn collect(s: &Sections, opts: &Options, ctx: &Context, f: &mut Facts) -> Vec<Component> {
    let mut out = Vec::new();
    let usrc = vec![
        crate::facts::registry("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"),
        crate::facts::registry(
            "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
        ),
        crate::facts::registry("HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"),
    ];
    match s.get("uninstall") {
        Ok(v) => {
            let entries = many(v);
            for e in &entries {
                let (Some(name), key) =
                    (text(e, "DisplayName"), text(e, "Key").unwrap_or_default())
                else {
                    continue;
                };
                let version = text(e, "DisplayVersion");
                let publisher = text(e, "Publisher");
                let location = text(e, "InstallLocation");
                out.push(uninstall_component(
                    &key,
                    &name,
                    version.as_deref(),
                    publisher.as_deref(),
                    location.as_deref(),
                ));
                if let Some(spec) = products::match_name(&name, publisher.as_deref()) {
                    out.push(products::component(
                        spec,
                        version.as_deref(),
                        location.as_deref().unwrap_or(&key),
                        EvidenceKind::Registry,
                        format!("uninstall entry \"{name}\" ({key})"),
                    ));
                }
            }
            f.put(
                keys::SOFTWARE_PACKAGE_COUNT,
                FactValue::Int(i64::try_from(entries.len()).unwrap_or(i64::MAX)),
                Confidence::High,
                usrc.clone(),
            );
        }
        Err(why) => f.unknown_why(keys::SOFTWARE_PACKAGE_COUNT, why, usrc.clone()),
    }
    // Java runtimes.
    let mut javas = Vec::new();
    if let Ok(v) = s.get("java") {
        for j in many(v) {
            let (Some(home), Some(rel)) = (text(j, "Home"), text(j, "Release")) else {
                continue;
            };
            if let Some(r) = products::parse_java_release(&home, &rel) {
                out.push(products::java_component(&r, &format!("{home}\\release")));
                javas.push(format!(
                    "{} {} ({home})",
                    products::java_product(r.implementor.as_deref(), &home),
                    r.version
                ));
            }
        }
    }
    f.put(
        keys::SOFTWARE_JAVA_RUNTIMES,
        FactValue::List(javas),
        Confidence::High,
        vec![
            crate::facts::registry("HKLM\\SOFTWARE\\JavaSoft"),
            cmdlet("Get-Content <JavaHome>\\release"),
        ],
    );
    // KBV test module jars: below the system drive on this computer, below the root
    // folder otherwise (tests).
    let roots: Vec<PathBuf> = if opts.is_live() {
        if cfg!(windows) {
            vec![PathBuf::from(format!("{}\\", ctx.system_drive))]
        } else {
            Vec::new()
        }
    } else {
        vec![opts.root.clone()]
    };
    let jars = products::find_xpm(
        &roots,
        5,
        100_000,
        Instant::now() + Duration::from_millis(800),
    );
    out.extend(products::xpm_components(&jars));
    let practice: Vec<String> = out
        .iter()
        .filter(|c| c.ecosystem == "Product" && c.kind == ComponentKind::Application)
        .map(|c| format!("{} {}", c.name, c.version.as_deref().unwrap_or("?")))
        .collect();
    f.put_noted(
        keys::SOFTWARE_PRODUCTS,
        FactValue::List(practice),
        Confidence::Low,
        usrc,
        "recognised by the uninstall entry's name and publisher, or the jar's file name",
    );
    let _ = int;
    out
}
