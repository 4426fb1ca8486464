//! CSAF 2.0 advisories: a document in the style of a BSI CERT-Bund / vendor advisory is
//! imported, mapped onto the advisory model and re-evaluated like a signed set; the hosts
//! holding an affected version appear in the impact; malformed documents are refused with
//! a reason and change nothing.

use praxcheck_server::enroll;
use praxcheck_server::tenant::AdminCtx;

use crate::common::*;

crate::on_both!(a_csaf_advisory_marks_the_affected_hosts_and_bad_ones_are_refused);

/// A Log4j 2.x style advisory: log4j-core from 2.0-beta9 below 2.17.2 (purl-named), with a
/// fixed version and a remediation; unknown fields as publishers add them.
fn log4j_csaf(revision: &str) -> serde_json::Value {
    serde_json::json!({
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "lang": "de",
            "title": "Apache Log4j: Schwachstelle ermöglicht Codeausführung",
            "publisher": {"category": "coordinator", "name": "BSI CERT-Bund", "namespace": "https://wid.cert-bund.de"},
            "tracking": {
                "id": "WID-SEC-2026-9001",
                "status": "final",
                "version": "1",
                "initial_release_date": "2026-12-01T08:00:00Z",
                "current_release_date": revision,
                "revision_history": [{"date": revision, "number": "1", "summary": "Initiale Fassung"}],
                "generator": {"engine": {"name": "test"}}
            },
            "x-unknown-extension": {"tolerated": true}
        },
        "product_tree": {
            "branches": [{
                "category": "vendor", "name": "Apache",
                "branches": [{
                    "category": "product_name", "name": "Log4j",
                    "branches": [
                        {"category": "product_version_range", "name": "vers:maven/>=2.0-beta9|<2.17.2",
                         "product": {"product_id": "T1", "name": "Apache Log4j < 2.17.2",
                                     "product_identification_helper": {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core"}}},
                        {"category": "product_version", "name": "2.17.2",
                         "product": {"product_id": "T2", "name": "Apache Log4j 2.17.2",
                                     "product_identification_helper": {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.2"}}}
                    ]
                }]
            }]
        },
        "vulnerabilities": [{
            "cve": "CVE-2026-31337",
            "title": "JNDI lookup in log4j-core",
            "product_status": {"known_affected": ["T1"], "fixed": ["T2"]},
            "remediations": [{"category": "vendor_fix", "details": "Update auf 2.17.2 oder neuer", "product_ids": ["T1"]}],
            "scores": [{"cvss_v3": {"baseScore": 9.8}, "products": ["T1"]}]
        }]
    })
}

/// A practice product without a purl: the installed program's name and exact versions.
fn practice_product_csaf() -> serde_json::Value {
    serde_json::json!({
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "title": "Praxis-EDV Pro: Authentifizierung umgehbar",
            "publisher": {"category": "vendor", "name": "Praxis-EDV GmbH", "namespace": "https://praxis-edv.example"},
            "tracking": {"id": "PEDV-2026-004", "current_release_date": "2026-12-02T00:00:00Z",
                         "initial_release_date": "2026-12-02T00:00:00Z", "status": "final", "version": "1"}
        },
        "product_tree": {"branches": [{"category": "vendor", "name": "Praxis-EDV GmbH", "branches": [
            {"category": "product_name", "name": "Praxis-EDV Pro", "branches": [
                {"category": "product_version", "name": "5.1.2", "product": {"product_id": "P512", "name": "Praxis-EDV Pro 5.1.2"}},
                {"category": "product_version", "name": "5.1.3", "product": {"product_id": "P513", "name": "Praxis-EDV Pro 5.1.3"}}
            ]}
        ]}]},
        "vulnerabilities": [{
            "cve": "CVE-2026-40404",
            "product_status": {"known_affected": ["P512"], "fixed": ["P513"]}
        }]
    })
}

/// The fixture document with log4j-core at `log4j` and, optionally, an installed program.
fn host_document(hostname: &str, log4j: &str, program: Option<(&str, &str)>) -> Vec<u8> {
    let mut d: serde_json::Value = serde_json::from_slice(&document(hostname, 3, "1.7.0")).unwrap();
    let comps = d["inventory"]["components"].as_array_mut().unwrap();
    assert_eq!(comps[0]["name"], "org.apache.logging.log4j:log4j-core");
    comps[0]["version"] = log4j.into();
    comps[0]["purl"] = format!("pkg:maven/org.apache.logging.log4j/log4j-core@{log4j}").into();
    if let Some((name, version)) = program {
        let mut c = comps[1].clone();
        c["id"] = "w1".into();
        c["kind"] = "application".into();
        c["ecosystem"] = "Windows".into();
        c["name"] = name.into();
        c["version"] = version.into();
        c.as_object_mut().unwrap().remove("purl");
        comps.push(c);
    }
    serde_json::to_vec(&d).unwrap()
}

async fn a_csaf_advisory_marks_the_affected_hosts_and_bad_ones_are_refused(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let (_, ta) = practice(s, "Praxis A", 2).await;
    let (_, tb) = practice(s, "Praxis B", 1).await;
    let a1 = enroll_host(s, &ta, "a1").await;
    let a2 = enroll_host(s, &ta, "a2").await;
    let b1 = enroll_host(s, &tb, "b1").await;
    for (e, doc) in [
        (&a1, host_document("a1", "2.17.1", None)),
        (
            &a2,
            host_document("a2", "2.24.0", Some(("Praxis-EDV Pro", "5.1.3"))),
        ),
        (
            &b1,
            host_document("b1", "2.24.0", Some(("Praxis-EDV Pro", "5.1.2"))),
        ),
    ] {
        assert_eq!(upload(&c, s, &e.credential, "u1", doc).await.status(), 201);
    }
    let key = enroll::create_admin_key(s.db(), &AdminCtx::local(), "ops")
        .await
        .unwrap();
    let post = |body: Vec<u8>| {
        let (c, url, key) = (c.clone(), s.url(), key.clone());
        async move {
            let r = c
                .post(format!("{url}/v1/admin/advisories/csaf"))
                .bearer_auth(&key)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    // Malformed documents: refused with a reason, nothing stored.
    let bad: [(&[u8], &str); 4] = [
        (b"{\"document\": ", "not JSON"),
        (br#"{"document": {"csaf_version": "1.2"}}"#, "1.2"),
        (br#"{"product_tree": {}}"#, "document"),
        (
            br#"{"document": {"csaf_version": "2.0", "tracking": {"id": "X", "current_release_date": "2026-12-01T00:00:00Z"}}, "vulnerabilities": [{"product_status": {"known_affected": ["nope"]}}]}"#,
            "no vulnerability names an affected product",
        ),
    ];
    for (body, why) in bad {
        let (status, v) = post(body.to_vec()).await;
        assert_eq!(status, 400, "{v}");
        assert!(v["reason"].as_str().unwrap().contains(why), "{why}: {v}");
    }
    let (status, v) = post(vec![b' '; praxcheck_server::csaf::MAX_CSAF_BYTES + 10]).await;
    assert_eq!(status, 413, "{v}");
    assert_eq!(count(s, "impacts").await, 0);

    // The Log4j advisory over HTTP: a1 (2.17.1) is affected, a2 and b1 (2.24.0) are not.
    let (status, report) =
        post(serde_json::to_vec(&log4j_csaf("2026-12-01T08:00:00Z")).unwrap()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["affected_hosts"], 1, "{report}");
    assert_eq!(
        impact_hosts(&c, s, &key, "CVE-2026-31337").await,
        [a1.host_id]
    );
    // The same revision again changes nothing; an older one is refused.
    let (status, again) =
        post(serde_json::to_vec(&log4j_csaf("2026-12-01T08:00:00Z")).unwrap()).await;
    assert_eq!(
        (status, &again["installed"]),
        (200, &false.into()),
        "{again}"
    );
    let (status, old) =
        post(serde_json::to_vec(&log4j_csaf("2026-11-01T08:00:00Z")).unwrap()).await;
    assert_eq!(status, 409, "{old}");
    // The re-assessed host carries the finding under the new advisory.
    let st = wait_assessed(&c, s, &a1.credential).await;
    assert!(st.to_string().contains("CVE-2026-31337"), "{st}");

    // The practice product through the admin command's path (a file, no signature): only
    // b1 runs the affected version 5.1.2.
    let file = env.tmp.path().join("pedv.json");
    std::fs::write(&file, serde_json::to_vec(&practice_product_csaf()).unwrap()).unwrap();
    let loc = env.location.clone();
    let out = tokio::task::spawn_blocking(move || {
        praxcheck_server::commands::advisories_import(&loc, &file, None)
    })
    .await
    .unwrap()
    .unwrap();
    let out: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out["affected_hosts"], 1, "{out}");
    assert_eq!(
        impact_hosts(&c, s, &key, "CVE-2026-40404").await,
        [b1.host_id]
    );
    // Another instance on the same storage loads the CSAF records with its set.
    let other = env.another().await;
    let set = other.state.set().await;
    assert!(
        set.records().iter().any(|r| r.id == "CVE-2026-40404"),
        "the other instance does not know the CSAF advisory"
    );
    other.stop().await;
}
