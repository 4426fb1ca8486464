//! What the pages say comes from the catalogue in the page's language: a finding's evidence
//! is worded from its kind (`report::words::evidence_text`), never the collector's English
//! note (issue 10 step 6).

use crate::common::{Browser, PW, document, import_new_set, world};

#[tokio::test]
async fn evidence_on_a_german_page_is_german() {
    let w = world().await;
    // Alpha's machine reports lib7 with evidence that is data and an English note.
    let mut d: serde_json::Value =
        serde_json::from_slice(&document("alpha-empfang", "1.9.9")).unwrap();
    let lib7 = d["inventory"]["components"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["name"] == "com.example:lib7")
        .unwrap();
    lib7["evidence"] = serde_json::json!([{
        "kind": "manifest",
        "path": "META-INF/MANIFEST.MF",
        "detail": "the collector's English note on version 1.9.9",
        "says": {"kind": "manifest_version", "version": "1.9.9"}
    }]);
    let r = reqwest::Client::new()
        .post(format!("{}/v1/agent/uploads", w.server.url()))
        .bearer_auth(&w.creds[0])
        .header("Upload-Id", "evidence-words")
        .body(serde_json::to_vec(&d).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    import_new_set(&w).await;
    let mut b = Browser::new(&w.server.url());
    assert_eq!(b.login("admin@alpha.example", PW).await, 303);
    let path = format!("/practice/{}", w.a);
    let mut page = String::new();
    // The upload is assessed in the background: wait for its evidence (bounded).
    for _ in 0..100 {
        let (code, p) = b.get(&path).await;
        assert_eq!(code, 200);
        page = p;
        if page.contains("nennt Version 1.9.9") || page.contains("English note") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("das Manifest nennt Version 1.9.9"), "{page}");
    assert!(!page.contains("English note"), "{page}");
}
