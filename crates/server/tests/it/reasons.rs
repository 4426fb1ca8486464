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
    let (_, _, host) = practice_host(s, "Praxis Sprache", 1, "pc-lang").await;
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

/// Every `server-error-*` sentence of the catalogue belongs to a code the service can
/// answer ([`CODES`]): no sentence is kept for a refusal that cannot happen.
#[test]
fn every_error_sentence_of_the_catalogue_is_a_code() {
    use praxcheck_server::error::CODES;
    let de = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../i18n/locales/de.ftl");
    let text = std::fs::read_to_string(de).unwrap();
    let codes: Vec<String> = CODES.iter().map(|(c, _)| c.replace('_', "-")).collect();
    let stray: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("server-error-"))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .filter(|k| !codes.iter().any(|c| c == k))
        .collect();
    assert!(!codes.is_empty());
    assert!(
        stray.is_empty(),
        "server-error-* keys with no code: {stray:?}"
    );
}

/// Every code the service can answer has its sentence in both catalogues, German and
/// English differ, and every code the sources construct is one of [`CODES`] (so a new
/// refusal cannot go out without its sentence).
#[test]
fn every_error_code_has_its_sentence_in_both_languages() {
    use praxcheck_i18n::{Catalog, Lang};
    use praxcheck_server::error::CODES;
    let (de, en) = (Catalog::new(Lang::De), Catalog::new(Lang::En));
    for (code, status) in CODES {
        let key = format!("server-error-{}", code.replace('_', "-"));
        assert!(de.has(&key) && en.has(&key), "{key} missing");
        assert_ne!(de.t(&key), en.t(&key), "{key}: German is English");
        assert!((400..600).contains(status), "{code}: {status}");
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.clone()];
    let mut used = std::collections::BTreeSet::new();
    while let Some(f) = files.pop() {
        if f.is_dir() {
            files.extend(std::fs::read_dir(&f).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        // `coded(STATUS, "code"`, `bad("code"`, `not_found("code"`, over line breaks.
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for pat in ["coded(", "bad(\"", "not_found(\""] {
            for (i, _) in flat.match_indices(pat) {
                let rest = &flat[i + pat.len()..];
                let rest =
                    rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == ' ');
                let Some(rest) =
                    rest.strip_prefix('"')
                        .or(if pat.ends_with('"') { Some(rest) } else { None })
                else {
                    continue;
                };
                let code: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !code.is_empty() {
                    used.insert(code);
                }
            }
        }
    }
    assert!(used.len() > 30, "the walk found too few codes: {used:?}");
    for code in &used {
        assert!(
            CODES.iter().any(|(c, _)| c == code),
            "{code} is constructed in src/ but not in error::CODES"
        );
    }
}

crate::on_both!(every_refusal_over_http_is_worded_by_the_catalogue);

/// One provoked refusal: the code it must answer with and the request.
struct Case {
    code: &'static str,
    get: bool,
    path: String,
    bearer: Option<String>,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn case(code: &'static str, get: bool, path: impl Into<String>, bearer: Option<&str>) -> Case {
    Case {
        code,
        get,
        path: path.into(),
        bearer: bearer.map(str::to_owned),
        headers: Vec::new(),
        body: Vec::new(),
    }
}

impl Case {
    fn header(mut self, k: &'static str, v: &str) -> Self {
        self.headers.push((k, v.to_owned()));
        self
    }
    fn body(mut self, b: impl Into<Vec<u8>>) -> Self {
        self.body = b.into();
        self
    }
    fn json(self, v: &serde_json::Value) -> Self {
        self.header("content-type", "application/json")
            .body(serde_json::to_vec(v).unwrap())
    }
}

/// Provokes the service's refusals over HTTP and checks each answer: the status of its
/// code, and a reason that is the catalogue's sentence for it — German without
/// `Accept-Language`, English with `en`.
async fn every_refusal_over_http_is_worded_by_the_catalogue(b: Backend) {
    use praxcheck_i18n::{Catalog, Lang};
    use serde_json::json;
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    let admin = praxcheck_server::tenant::AdminCtx::local();
    let key = praxcheck_server::enroll::create_admin_key(s.db(), &admin, "walk")
        .await
        .unwrap();
    let (pid, token, host) = practice_host(s, "Praxis Fehler", 2, "pc-walk").await;
    let r = upload(&c, s, &host.credential, "u1", document("pc-walk", 2, "1.0")).await;
    assert_eq!(r.status(), 201);
    let (h, k) = (Some(host.credential.as_str()), Some(key.as_str()));
    let up = "/v1/agent/uploads";
    let mut big_facts = facts("x");
    big_facts.hostname = "x".repeat(300);
    // A well-formed token with a wrong secret.
    let mut t = praxcheck_server::enroll::TokenContent::decode(&token).unwrap();
    t.secret = "wrong".into();
    let forged = t.encode();
    let contact = format!("/v1/admin/practices/{pid}/contact");
    let cases = vec![
        case("upload_id_missing", false, up, h).body("{}"),
        case("upload_id_invalid", false, up, h)
            .header("Upload-Id", "no spaces")
            .body("{}"),
        case("encoding_unsupported", false, up, h)
            .header("Upload-Id", "u2")
            .header("Content-Encoding", "br")
            .body("{}"),
        case("body_corrupt", false, up, h)
            .header("Upload-Id", "u2")
            .header("Content-Encoding", "gzip")
            .body("not gzip"),
        case("not_a_document", false, up, h)
            .header("Upload-Id", "u2")
            .body("{}"),
        case("upload_id_reused", false, up, h)
            .header("Upload-Id", "u1")
            .body(document("pc-walk", 3, "2.0")),
        case("credential_missing", false, up, None).body("{}"),
        case("credential_rejected", false, up, Some("pxh_unknown")).body("{}"),
        case("token_invalid", false, "/v1/agent/enroll", None)
            .json(&json!({"token": "nope", "facts": facts("pc")})),
        case("token_refused", false, "/v1/agent/enroll", None)
            .json(&json!({"token": forged, "facts": facts("pc")})),
        case("host_facts_invalid", false, "/v1/agent/enroll", None)
            .json(&json!({"token": token, "facts": big_facts})),
        case("reenroll_refused", false, "/v1/agent/reenroll", None)
            .json(&json!({"host_id": host.host_id, "reenroll_secret": "pxr_wrong"})),
        case("body_invalid", false, "/v1/agent/reenroll", None).body("{not json"),
        case("host_not_found", true, "/v1/practice/hosts/999999", h),
        case("upload_not_found", true, "/v1/practice/uploads/999999", h),
        case("not_found", true, "/v1/practice/hosts/x", h),
        case("no_such_endpoint", true, "/v1/nothing-here", None),
        case("method_not_allowed", true, up, None),
        case("practice_exists", false, "/v1/admin/practices", k)
            .json(&json!({"name": "Praxis Fehler"})),
        case("practice_name_invalid", false, "/v1/admin/practices", k).json(&json!({"name": " "})),
        case("email_invalid", false, contact.as_str(), k).json(&json!({"email": "no address"})),
        case("webhook_invalid", false, contact.as_str(), k).json(&json!({"webhook": "ftp://x"})),
        case(
            "practice_not_found",
            false,
            "/v1/admin/practices/999999/contact",
            k,
        )
        .json(&json!({})),
        case(
            "token_limits_invalid",
            false,
            format!("/v1/admin/practices/{pid}/tokens"),
            k,
        )
        .json(&json!({"uses": 0})),
        case(
            "token_not_found",
            false,
            format!("/v1/admin/tokens/{}/revoke", "0".repeat(32)),
            k,
        ),
        case(
            "advisory_id_invalid",
            true,
            format!("/v1/advisories/{}/impact", "x".repeat(101)),
            k,
        ),
        case("set_refused", false, "/v1/admin/advisories", k)
            .json(&json!({"set": "{}", "signature": "untrusted comment: x\nnot a signature"})),
        case("csaf_invalid", false, "/v1/admin/advisories/csaf", k).body("{\"document\": {}}"),
    ];
    let (de, en) = (Catalog::new(Lang::De), Catalog::new(Lang::En));
    for t in &cases {
        let sentence = format!("server-error-{}", t.code.replace('_', "-"));
        let status = praxcheck_server::error::CODES
            .iter()
            .find(|(c, _)| *c == t.code)
            .unwrap_or_else(|| panic!("{} not in CODES", t.code))
            .1;
        for (lang, cat, tag) in [(None, &de, "de"), (Some("en"), &en, "en")] {
            let url = format!("{}{}", s.url(), t.path);
            let mut r = if t.get {
                c.get(url)
            } else {
                c.post(url).body(t.body.clone())
            };
            if let Some(b) = &t.bearer {
                r = r.bearer_auth(b);
            }
            for (k, v) in &t.headers {
                r = r.header(*k, v);
            }
            if let Some(l) = lang {
                r = r.header("Accept-Language", l);
            }
            let (st, code, reason, content_lang) = get_reason(r.send().await.unwrap()).await;
            assert_eq!(
                (st, code.as_str()),
                (status, t.code),
                "{} ({tag}): {reason}",
                t.code
            );
            assert!(
                reason.starts_with(&cat.t(&sentence)),
                "{} ({tag}): {reason:?} is not the catalogue's {:?}",
                t.code,
                cat.t(&sentence)
            );
            assert_eq!(content_lang, tag, "{}", t.code);
        }
    }
    assert!(cases.len() >= 28);
}
