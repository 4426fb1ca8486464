//! Day-zero re-evaluation: a new signed set marks exactly the hosts whose stored inventory
//! holds an affected version, without any new upload.

use praxcheck_advisories::AdvisorySet;
use praxcheck_server::reeval;
use praxcheck_server::tenant::AdminCtx;

use crate::common::*;

crate::on_both!(a_new_signed_set_marks_the_affected_hosts_of_every_practice,);

/// The embedded set plus a new advisory for com.example:lib7 < 2.0.0, as a bundle.
pub(crate) fn new_set(version: u64) -> String {
    let mut v: serde_json::Value = serde_json::from_str(AdvisorySet::embedded_json()).unwrap();
    v["version"] = version.into();
    v["expires"] = "2099-01-01".into();
    let rec = serde_json::json!({
        "schema_version": "1.4.0",
        "id": "PRAX-TEST-0001",
        "modified": "2026-12-03T00:00:00Z",
        "published": "2026-12-03T00:00:00Z",
        "aliases": ["CVE-2026-99999"],
        "summary": "Remote code execution in lib7",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
        "affected": [{
            "package": {"ecosystem": "Maven", "name": "com.example:lib7"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]
        }]
    });
    v["records"].as_array_mut().unwrap().push(rec);
    serde_json::to_string_pretty(&v).unwrap()
}

async fn a_new_signed_set_marks_the_affected_hosts_of_every_practice(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let mut vulnerable = Vec::new();
    let mut creds = Vec::new();
    for p in 0..3 {
        let (_pid, token) = practice(s, &format!("Praxis {p}"), 4).await;
        for h in 0..3 {
            let name = format!("p{p}-h{h}");
            let e = enroll_host(s, &token, &name).await;
            let lib7 = if h == 0 || (p == 1 && h == 1) {
                "1.9.9"
            } else {
                "2.0.0"
            };
            if lib7 == "1.9.9" {
                vulnerable.push(e.host_id);
            }
            let r = upload(&c, s, &e.credential, "first", document(&name, 12, lib7)).await;
            assert_eq!(r.status(), 201);
            creds.push(e);
        }
    }
    for e in &creds {
        wait_assessed(&c, s, &e.credential).await;
    }
    let admin = AdminCtx::local();
    let sk = test_secret_key();
    let text = new_set(1_000_000);
    // Wrongly signed, then tampered: refused, nothing changes.
    let other = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let err = import_signed(s, &text, &other.sk).await.unwrap_err();
    assert_eq!(err.status(), 400, "{err}");
    let tampered = text.replace("Remote code", "Remote kode");
    let err = reeval::import(
        s.db(),
        &admin,
        tampered.as_bytes(),
        &sign(&text, &sk),
        &test_keys(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.status(), 400, "{err}");
    assert_eq!(count(s, "impacts").await, 0);
    // The good set over HTTP.
    let key = praxcheck_server::enroll::create_admin_key(s.db(), &admin, "ops")
        .await
        .unwrap();
    let r = c
        .post(format!("{}/v1/admin/advisories", s.url()))
        .bearer_auth(&key)
        .json(&serde_json::json!({"set": text, "signature": sign(&text, &sk)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let report: serde_json::Value = r.json().await.unwrap();
    assert_eq!(report["affected_hosts"], vulnerable.len());
    assert_eq!(report["affected_practices"], 3);
    for id in ["PRAX-TEST-0001", "CVE-2026-99999"] {
        assert_eq!(impact_hosts(&c, s, &key, id).await, vulnerable, "{id}");
    }
    // The affected hosts were re-assessed under the new set and now carry the finding.
    for e in &creds {
        let v: serde_json::Value = get_json(
            &c,
            &format!("{}/v1/practice/hosts/{}", s.url(), e.host_id),
            &e.credential,
        )
        .await;
        let has = v["findings"].to_string().contains("PRAX-TEST-0001");
        assert_eq!(has, vulnerable.contains(&e.host_id), "{}", e.host_id);
        if has {
            assert_eq!(v["set_version"], 1_000_000);
            assert_eq!(v["light"], "red");
        }
    }
    // The same set again: already installed; an older one: refused (rollback).
    let again = import_signed(s, &text, &sk).await.unwrap();
    assert!(!again.installed);
    let older = new_set(999_999);
    let err = import_signed(s, &older, &sk).await.unwrap_err();
    assert_eq!(err.status(), 400, "{err}");
    assert!(
        err.to_string().contains("999999") || err.to_string().to_lowercase().contains("newer"),
        "{err}"
    );
    // A host credential cannot read the impact.
    let r = c
        .get(format!("{}/v1/advisories/PRAX-TEST-0001/impact", s.url()))
        .bearer_auth(&creds[0].credential)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
