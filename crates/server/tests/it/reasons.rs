//! Error answers are German first with English: the `reason` comes from the message
//! catalogue in the language `Accept-Language` asks for (German without one), and the JSON
//! body keeps a stable machine `code` in every language.

use crate::common::*;

crate::on_both!(error_reasons_are_german_first_and_english_on_request);

async fn get_reason(r: reqwest::Response) -> (u16, String, String, String) {
    let status = r.status().as_u16();
    let lang = r
        .headers()
        .get("content-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let v: serde_json::Value = r.json().await.unwrap();
    (
        status,
        v["code"].as_str().unwrap().to_owned(),
        v["reason"].as_str().unwrap().to_owned(),
        lang,
    )
}

async fn error_reasons_are_german_first_and_english_on_request(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let (_, token) = practice(s, "Praxis Sprache", 1).await;
    let host = enroll_host(s, &token, "pc-lang").await;
    // An upload without its Upload-Id.
    let upload_without_id = |lang: Option<&'static str>| {
        let mut r = c
            .post(format!("{}/v1/agent/uploads", s.url()))
            .bearer_auth(&host.credential)
            .body(document("pc-lang", 1, "1.0"));
        if let Some(l) = lang {
            r = r.header("Accept-Language", l);
        }
        r.send()
    };
    let de = get_reason(upload_without_id(None).await.unwrap()).await;
    assert_eq!(
        de,
        (
            400,
            "upload_id_missing".into(),
            "Die Kopfzeile Upload-Id fehlt".into(),
            "de".into()
        )
    );
    let en = get_reason(upload_without_id(Some("en-US,en;q=0.9")).await.unwrap()).await;
    assert_eq!(
        en,
        (
            400,
            "upload_id_missing".into(),
            "The Upload-Id header is missing".into(),
            "en".into()
        )
    );
    // A practice endpoint without a credential; quality values pick the language.
    let hosts = |lang: &'static str| {
        c.get(format!("{}/v1/practice/hosts", s.url()))
            .header("Accept-Language", lang)
            .send()
    };
    let (status, code, reason, _) =
        get_reason(hosts("fr, de;q=0.8, en;q=0.5").await.unwrap()).await;
    assert_eq!((status, code.as_str()), (401, "credential_missing"));
    assert!(reason.starts_with("Zugangsdaten fehlen"), "{reason}");
    let (status, code, reason, _) = get_reason(hosts("de;q=0.3, en-GB;q=0.7").await.unwrap()).await;
    assert_eq!((status, code.as_str()), (401, "credential_missing"));
    assert!(
        reason.starts_with("Missing or malformed credential"),
        "{reason}"
    );
    // A refused document keeps its technical detail after the catalogue's sentence.
    let r = c
        .post(format!("{}/v1/agent/uploads", s.url()))
        .bearer_auth(&host.credential)
        .header("Upload-Id", "u1")
        .header("Accept-Language", "en")
        .body("{}")
        .send()
        .await
        .unwrap();
    let (status, code, reason, _) = get_reason(r).await;
    assert_eq!((status, code.as_str()), (400, "not_a_document"));
    assert!(
        reason.starts_with("Not a praxcheck document this service can read: schema"),
        "{reason}"
    );
}
