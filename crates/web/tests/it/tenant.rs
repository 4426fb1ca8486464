//! The cross-tenant matrix over every page route: another practice's user and the
//! association without a grant get 404 for every foreign URL, with none of its data.

use praxcheck_web::ROUTES;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_route_refuses_foreign_practices() {
    let w = world().await;
    import_new_set(&w).await;
    let mut beta = Browser::new(&w.server.url());
    assert_eq!(beta.login("admin@beta.example", PW).await, 303);
    let beta_csrf = beta.csrf_at(&format!("/practice/{}", w.b)).await;
    let mut staff = Browser::new(&w.server.url());
    assert_eq!(staff.login("staff@alpha.example", PW).await, 303);
    let staff_csrf = staff.csrf_at(&format!("/practice/{}", w.a)).await;
    let mut assoc = Browser::new(&w.server.url());
    assert_eq!(assoc.login("it@verband.example", PW).await, 303);
    let assoc_csrf = assoc.csrf_at("/fleet").await;
    let secrets = ["Praxis Alpha", "alpha-empfang", w.a_token_id.as_str()];
    let mut checked = 0;
    for (method, template, who) in ROUTES {
        if !template.contains("{id}") && !who.starts_with("association") {
            continue;
        }
        let foreign_ids = [
            w.a.to_string(),
            "999999".into(),
            "0".into(),
            "-1".into(),
            "abc".into(),
        ];
        for id in &foreign_ids {
            let path = template.replace("{tid}", &w.a_token_id).replace(
                "{id}",
                if who.starts_with("association") {
                    "PRAX-TEST-0001"
                } else {
                    id
                },
            );
            // Another practice's admin.
            let (code, body) = if *method == "GET" {
                beta.get(&path).await
            } else {
                beta.post(
                    &path,
                    &[
                        ("csrf", &beta_csrf),
                        ("on", "1"),
                        ("rule", "CVE-2026-99999"),
                        ("reason", "x"),
                        ("expires", "2027-01-01"),
                    ],
                )
                .await
            };
            assert_eq!(code, 404, "{method} {path} as Beta: {body}");
            for s in secrets {
                assert!(!body.contains(s), "{method} {path} as Beta shows {s}");
            }
            // Association staff without a grant (practice pages) — fleet pages are theirs.
            if !who.starts_with("association") {
                let (code, body) = if *method == "GET" {
                    assoc.get(&path).await
                } else {
                    assoc
                        .post(&path, &[("csrf", &assoc_csrf), ("on", "1")])
                        .await
                };
                assert_eq!(code, 404, "{method} {path} as the association: {body}");
                for s in secrets {
                    assert!(
                        !body.contains(s),
                        "{method} {path} as the association shows {s}"
                    );
                }
            }
            checked += 1;
        }
        // Staff of the own practice: reads, never manages.
        if template.starts_with("/practice/") && *method == "POST" {
            let path = template
                .replace("{tid}", &w.a_token_id)
                .replace("{id}", &w.a.to_string());
            let (code, body) = staff
                .post(&path, &[("csrf", &staff_csrf), ("on", "1")])
                .await;
            assert_eq!(code, 404, "{method} {path} as staff: {body}");
        }
    }
    assert!(checked >= 5 * 9, "{checked}");
    // Nothing of Alpha's changed: no risk, no grant, its token still active.
    let db = w.server.db();
    for sql in [
        "SELECT COUNT(*) AS n FROM web_accepted_risks",
        "SELECT COUNT(*) AS n FROM web_grants",
        "SELECT COUNT(*) AS n FROM enroll_tokens WHERE revoked_at IS NOT NULL",
    ] {
        let n: i64 = sqlx::Row::get(&sqlx::query(sql).fetch_one(db.read()).await.unwrap(), "n");
        assert_eq!(n, 0, "{sql}");
    }
    let (code, page) = beta.get(&format!("/practice/{}", w.b)).await;
    assert_eq!(code, 200);
    assert!(page.contains("Praxis Beta"));
}
