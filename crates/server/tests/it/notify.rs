//! The association is told: a new set that marks hosts sends one e-mail per affected
//! practice contact (to an SMTP sink on 127.0.0.1 the test runs) and a signed webhook (to a
//! local HTTP receiver), from the durable outbox, with retries, surviving a restart.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use praxcheck_server::notify::{self, NotifyConfig, PracticeWebhookBody, Webhook, WebhookBody};
use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::{Location, Server, enroll};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::common::*;
use crate::reeval::new_set;

crate::on_both!(
    a_new_set_mails_each_affected_practice_and_signs_the_webhook,
    two_instances_never_send_the_same_notification_twice,
    a_practice_webhook_gets_its_own_hosts_only,
);

/// One received e-mail: the recipients and the decoded text body.
#[derive(Debug, Clone)]
struct Mail {
    to: Vec<String>,
    data: String,
    text: String,
}

/// A tiny SMTP sink (enough of RFC 5321 for lettre), bounded: at most 64 connections.
async fn smtp_sink() -> (String, Arc<Mutex<Vec<Mail>>>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", l.local_addr().unwrap());
    let mails = Arc::new(Mutex::new(Vec::new()));
    let m = Arc::clone(&mails);
    tokio::spawn(async move {
        for _ in 0..64 {
            let Ok((sock, _)) = l.accept().await else {
                return;
            };
            let m = Arc::clone(&m);
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut to = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        w.write_all(b"250 sink\r\n").await.unwrap();
                    } else if cmd.starts_with("RCPT TO:") {
                        to.push(
                            line.trim_end()[8..]
                                .trim_matches(['<', '>', ' '])
                                .to_owned(),
                        );
                        w.write_all(b"250 OK\r\n").await.unwrap();
                    } else if cmd == "DATA" {
                        w.write_all(b"354 go ahead\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        let body = data
                            .split("\r\n\r\n")
                            .nth(1)
                            .unwrap_or("")
                            .replace("\r\n", "");
                        let text = String::from_utf8(
                            base64::engine::general_purpose::STANDARD
                                .decode(body.trim())
                                .unwrap_or_default(),
                        )
                        .unwrap_or_default();
                        m.lock().unwrap().push(Mail {
                            to: std::mem::take(&mut to),
                            data,
                            text,
                        });
                        w.write_all(b"250 queued\r\n").await.unwrap();
                    } else if cmd == "QUIT" {
                        w.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        w.write_all(b"250 OK\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (url, mails)
}

/// A local webhook receiver: answers 500 to the first `fail_first` requests, then 200.
/// Received webhook calls: (signature header, body).
type Calls = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

async fn receiver(fail_first: usize) -> (String, Calls) {
    use axum::http::{HeaderMap, StatusCode};
    let got: Calls = Arc::new(Mutex::new(Vec::new()));
    let calls = Arc::new(Mutex::new(0usize));
    let g = Arc::clone(&got);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |h: HeaderMap, body: axum::body::Bytes| {
            let g = Arc::clone(&g);
            let calls = Arc::clone(&calls);
            async move {
                let mut n = calls.lock().unwrap();
                *n += 1;
                if *n <= fail_first {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let sig = h
                    .get(notify::SIGNATURE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                g.lock().unwrap().push((sig, body.to_vec()));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, got)
}

/// Sets a practice's contact e-mail (no webhook).
async fn set_email(s: &Server, pid: i64, email: &str) {
    let admin = AdminCtx::local();
    enroll::set_contact(s.db(), &admin, admin.practice(pid), Some(email), None)
        .await
        .unwrap();
}

async fn start_notifying(loc: &Location, n: NotifyConfig) -> Server {
    let mut cfg = config(loc, "127.0.0.1:0");
    cfg.notify = n;
    Server::start(cfg).await.unwrap()
}

async fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    for _ in 0..300 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn a_new_set_mails_each_affected_practice_and_signs_the_webhook(b: Backend) {
    let Some(Env {
        tmp,
        server,
        location: loc,
        pg: _pg,
    }) = start(b).await
    else {
        return;
    };
    // The plain instance from `start` only set up the storage; the notifying one serves.
    server.stop().await;
    let (smtp, mails) = smtp_sink().await;
    let (hook_url, hooks) = receiver(1).await;
    let secret_file = tmp.path().join("webhook.secret");
    std::fs::write(&secret_file, "s3cret-of-the-association\n").unwrap();
    let mut n = NotifyConfig::new();
    n.smtp = Some(smtp);
    n.smtp_from = Some("praxcheck@verband.example".into());
    n.webhook = Some(Webhook::from_file(&hook_url, &secret_file).unwrap());
    n.poll = Duration::from_millis(100);
    n.retry_base = Duration::from_millis(100);
    let s = start_notifying(&loc, n.clone()).await;
    let c = reqwest::Client::new();
    // Practice 0: two vulnerable hosts; practice 1: one; practice 2: none (no mail);
    // practice 3: vulnerable but no contact (no mail, the row is kept as undeliverable).
    let mut creds = Vec::new();
    for p in 0..4 {
        let (pid, token) = practice(&s, &format!("Praxis {p}"), 4).await;
        if p != 3 {
            set_email(&s, pid, &format!("it@praxis{p}.example")).await;
        }
        for h in 0..3 {
            let name = format!("p{p}-h{h}");
            let e = enroll_host(&s, &token, &name).await;
            let vulnerable = (p == 0 && h < 2) || (p == 1 && h == 0) || (p == 3 && h == 0);
            let lib7 = if vulnerable { "1.9.9" } else { "2.0.0" };
            let r = upload(&c, &s, &e.credential, "first", document(&name, 12, lib7)).await;
            assert_eq!(r.status(), 201);
            creds.push(e);
        }
    }
    for e in &creds {
        wait_assessed(&c, &s, &e.credential).await;
    }
    assert!(mails.lock().unwrap().is_empty(), "no mail before a new set");
    let text = new_set(1_000_000);
    let report = import_set(&s, &text).await;
    assert_eq!(report.affected_hosts, 4);
    wait_for("two e-mails", || mails.lock().unwrap().len() >= 2).await;
    // The webhook failed once (500), was retried with backoff and then delivered.
    wait_for("the webhook", || !hooks.lock().unwrap().is_empty()).await;
    let mut got = mails.lock().unwrap().clone();
    got.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(
        got.len(),
        2,
        "one e-mail per affected practice with a contact"
    );
    for (mail, p, own) in [
        (&got[0], 0, &["p0-h0", "p0-h1"][..]),
        (&got[1], 1, &["p1-h0"][..]),
    ] {
        assert_eq!(mail.to, vec![format!("it@praxis{p}.example")]);
        assert!(
            mail.data.contains("From: praxcheck@verband.example"),
            "{}",
            mail.data
        );
        let t = &mail.text;
        let de = t.find("Die Warnliste Version 1000000 betrifft").expect(t);
        let en = t.find("Advisory set version 1000000 affects").expect(t);
        assert!(de < en, "German first: {t}");
        assert!(
            t.contains(&format!("betrifft {} Rechner", own.len())),
            "{t}"
        );
        assert!(
            t.contains(&format!("PRAX-TEST-0001: {} Rechner", own.len())),
            "{t}"
        );
        assert!(
            t.contains(&format!("PRAX-TEST-0001: {} hosts", own.len())),
            "{t}"
        );
        assert!(t.contains("/practice/"), "a link: {t}");
        for h in own {
            assert!(t.contains(h), "own host {h} named: {t}");
        }
        for other in ["p0-", "p1-", "p2-", "p3-"] {
            if !own[0].starts_with(other) {
                assert!(
                    !mail.data.contains(other) && !t.contains(other),
                    "{other} leaked: {t}"
                );
            }
        }
    }
    let hooks = hooks.lock().unwrap().clone();
    assert_eq!(hooks.len(), 1);
    let (sig, body) = &hooks[0];
    assert!(
        notify::verify(b"s3cret-of-the-association", body, sig),
        "{sig}"
    );
    assert!(!notify::verify(b"another secret", body, sig));
    let parsed: WebhookBody = serde_json::from_slice(body).unwrap();
    assert_eq!(parsed.set_version, 1_000_000);
    assert_eq!((parsed.hosts, parsed.practices), (4, 3));
    let adv = parsed
        .advisories
        .iter()
        .find(|a| a.id == "PRAX-TEST-0001")
        .unwrap();
    assert_eq!((adv.hosts, adv.practices), (4, 3));
    let raw = String::from_utf8_lossy(body);
    assert!(
        !raw.contains("p0-h0"),
        "no host names in the webhook: {raw}"
    );
    // Sent: 2 mails + the webhook; practice 3's row is kept as undeliverable (no contact).
    let mut counts = (0, 0, 0);
    for _ in 0..100 {
        counts = notify::counts(s.db()).await.unwrap();
        if counts.1 == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(counts, (3, 0, 1));
    s.stop().await;

    // Durable: rows written while the receivers are down are delivered by the next
    // instance (the outbox lives in the database, not in memory).
    let mut down = n.clone();
    down.smtp = Some("smtp://127.0.0.1:9".into());
    down.webhook = Some(Webhook::from_file("http://127.0.0.1:9/hook", &secret_file).unwrap());
    let s = start_notifying(&loc, down).await;
    let mut v: serde_json::Value = serde_json::from_str(&new_set(1_000_001)).unwrap();
    let rec = v["records"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == "PRAX-TEST-0001")
        .unwrap();
    rec["modified"] = "2026-12-04T00:00:00Z".into();
    let text = serde_json::to_string_pretty(&v).unwrap();
    let report = import_set(&s, &text).await;
    assert_eq!(report.changed_advisories, 1, "the modified record");
    // An upload still goes through while deliveries fail.
    let r = upload(
        &c,
        &s,
        &creds[0].credential,
        "second",
        document("p0-h0", 12, "1.9.9"),
    )
    .await;
    assert_eq!(r.status(), 201);
    s.stop().await;
    let before = mails.lock().unwrap().len();
    let s = start_notifying(&loc, n).await;
    wait_for("the e-mails after the restart", || {
        mails.lock().unwrap().len() >= before + 2
    })
    .await;
    s.stop().await;
}

/// Two instances on one database share the outbox: each row is claimed by one of them, so
/// the SMTP sink receives every e-mail exactly once and the webhook exactly once.
async fn two_instances_never_send_the_same_notification_twice(b: Backend) {
    const PRACTICES: usize = 24;
    let Some(env) = start(b).await else {
        return;
    };
    let s = &env.server;
    let c = reqwest::Client::new();
    for p in 0..PRACTICES {
        let (pid, token) = practice(s, &format!("Praxis {p}"), 1).await;
        set_email(s, pid, &format!("it@praxis{p}.example")).await;
        let name = format!("p{p}");
        let e = enroll_host(s, &token, &name).await;
        let r = upload(&c, s, &e.credential, "first", document(&name, 12, "1.9.9")).await;
        assert_eq!(r.status(), 201);
    }
    // The rows are written by the plain instance (no channels): they wait for the others.
    let text = new_set(1_000_000);
    import_set(s, &text).await;
    assert_eq!(
        notify::counts(s.db()).await.unwrap(),
        (0, i64::try_from(PRACTICES).unwrap() + 1, 0)
    );
    let (smtp, mails) = smtp_sink().await;
    let (hook_url, hooks) = receiver(0).await;
    let secret_file = env.tmp.path().join("webhook.secret");
    std::fs::write(&secret_file, "s3cret\n").unwrap();
    let mut n = NotifyConfig::new();
    n.smtp = Some(smtp);
    n.smtp_from = Some("praxcheck@verband.example".into());
    n.webhook = Some(Webhook::from_file(&hook_url, &secret_file).unwrap());
    n.poll = Duration::from_millis(20);
    // Both dispatchers poll every 20 ms from the same moment on.
    let (one, two) = tokio::join!(
        start_notifying(&env.location, n.clone()),
        start_notifying(&env.location, n)
    );
    wait_for("every e-mail", || mails.lock().unwrap().len() >= PRACTICES).await;
    wait_for("the webhook", || !hooks.lock().unwrap().is_empty()).await;
    // More rounds of both: nothing is sent again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut to: Vec<String> = mails
        .lock()
        .unwrap()
        .iter()
        .flat_map(|m| m.to.clone())
        .collect();
    to.sort();
    let n_sent = to.len();
    to.dedup();
    assert_eq!((n_sent, to.len()), (PRACTICES, PRACTICES), "{to:?}");
    assert_eq!(hooks.lock().unwrap().len(), 1);
    assert_eq!(
        notify::counts(s.db()).await.unwrap(),
        (i64::try_from(PRACTICES).unwrap() + 1, 0, 0)
    );
    one.stop().await;
    two.stop().await;
}

/// A practice's own webhook: practices A and B each set one (through the admin API, which
/// hands out each practice's signing secret once); a new set that marks hosts of both
/// sends A's receiver A's hosts only, signed with A's secret (B's secret does not verify
/// it), and B's receiver B's hosts only. The instance has no association channel
/// configured: the practices' own webhooks need none.
async fn a_practice_webhook_gets_its_own_hosts_only(b: Backend) {
    let Some(env) = start(b).await else {
        return;
    };
    env.server.stop().await;
    let mut n = NotifyConfig::new();
    n.poll = Duration::from_millis(50);
    let s = start_notifying(&env.location, n).await;
    let c = reqwest::Client::new();
    let admin = AdminCtx::local();
    let key = enroll::create_admin_key(s.db(), &admin, "hooks")
        .await
        .unwrap();
    let mut practices = Vec::new();
    for (p, vulnerable) in [("A", 2), ("B", 1)] {
        let (pid, token) = practice(&s, &format!("Praxis {p}"), 3).await;
        let (url, calls) = receiver(0).await;
        let contact = format!("{}/v1/admin/practices/{pid}/contact", s.url());
        let r = post_json(&c, &contact, &key, &serde_json::json!({ "webhook": url })).await;
        let secret = r["webhook_secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("pxw_"), "{r}");
        let mut names = Vec::new();
        for h in 0..3 {
            let name = format!("{p}-pc{h}");
            let e = enroll_host(&s, &token, &name).await;
            let lib7 = if h < vulnerable { "1.9.9" } else { "2.0.0" };
            let r = upload(&c, &s, &e.credential, "first", document(&name, 12, lib7)).await;
            assert_eq!(r.status(), 201);
            wait_assessed(&c, &s, &e.credential).await;
            if h < vulnerable {
                names.push(name);
            }
        }
        practices.push((pid, secret, calls, names));
    }
    let text = new_set(1_000_000);
    import_set(&s, &text).await;
    for (_, _, calls, _) in &practices {
        wait_for("each practice's webhook", || {
            !calls.lock().unwrap().is_empty()
        })
        .await;
    }
    // More rounds: nothing more arrives.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for (i, (pid, secret, calls, names)) in practices.iter().enumerate() {
        let calls = calls.lock().unwrap().clone();
        assert_eq!(calls.len(), 1, "practice {pid}");
        let (sig, body) = &calls[0];
        assert!(notify::verify(secret.as_bytes(), body, sig), "own secret");
        let other = &practices[1 - i];
        assert!(
            !notify::verify(other.1.as_bytes(), body, sig),
            "the other practice's secret must not verify it"
        );
        let parsed: PracticeWebhookBody = serde_json::from_slice(body).unwrap();
        assert_eq!((parsed.practice_id, parsed.set_version), (*pid, 1_000_000));
        assert_eq!(parsed.hosts, names.len());
        let mut got: Vec<String> = parsed
            .advisories
            .iter()
            .flat_map(|a| a.hosts.iter().map(|h| h.hostname.clone()))
            .collect();
        got.sort();
        got.dedup();
        assert_eq!(&got, names, "practice {pid}: its own affected hosts");
        let raw = String::from_utf8_lossy(body);
        for foreign in &other.3 {
            assert!(!raw.contains(foreign.as_str()), "{foreign} leaked: {raw}");
        }
        assert!(
            !raw.contains(&format!("\"practice_id\":{}", other.0)),
            "{raw}"
        );
    }
    // Both rows sent; the association's webhook row waits for an instance that has one.
    assert_eq!(notify::counts(s.db()).await.unwrap().0, 2);
    s.stop().await;
}
