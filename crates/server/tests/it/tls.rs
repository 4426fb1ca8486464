//! TLS: a generated self-signed certificate or given files; its key pin travels in the
//! enrollment token; the agent accepts only the pinned key, at enrollment and after.

use praxcheck_server::client::{Agent, ClientError};
use praxcheck_server::enroll::{self, TokenContent};
use praxcheck_server::tenant::AdminCtx;
use praxcheck_server::tls::TlsSource;
use praxcheck_server::{Location, Server};

use crate::common::*;

async fn start_tls(data: &std::path::Path, source: TlsSource) -> Server {
    let mut cfg = config(&Location::Folder(data.to_owned()), "127.0.0.1:0");
    cfg.tls = Some(source);
    Server::start(cfg).await.unwrap()
}

/// A practice and a token made by the server itself (it writes its pin in).
async fn token(s: &Server, name: &str) -> String {
    let admin = AdminCtx::local();
    let p = enroll::add_practice(s.db(), &admin, name).await.unwrap();
    enroll::create_token(
        s.db(),
        &admin,
        admin.practice(p.id),
        3,
        1,
        &s.url(),
        s.pin(),
    )
    .await
    .unwrap()
    .token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_certificate_is_pinned_at_enrollment_and_for_every_upload() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let s = start_tls(&data, TlsSource::Generated { dir: data.clone() }).await;
    assert!(s.url().starts_with("https://"));
    let pin = s.pin().unwrap().to_owned();
    assert!(pin.starts_with("sha256/"), "{pin}");
    // The key is private to the server's user.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(data.join("tls/key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    let token = token(&s, "Praxis TLS").await;
    assert_eq!(
        TokenContent::decode(&token).unwrap().pin.as_deref(),
        Some(pin.as_str())
    );
    let agent_dir = tmp.path().join("agent");
    let agent = Agent::new(&agent_dir).unwrap();
    let cred = agent.enroll(&s.url(), &token, &facts("pc")).await.unwrap();
    assert_eq!(cred.pin.as_deref(), Some(pin.as_str()));
    agent.enqueue(&document("pc", 5, "1.0")).unwrap();
    assert_eq!(agent.flush().await.unwrap().len(), 1);
    // A restart keeps the certificate, so the pin still holds.
    let url = s.url();
    s.stop().await;
    let mut cfg = config(
        &Location::Folder(data.clone()),
        url.trim_start_matches("https://"),
    );
    cfg.tls = Some(TlsSource::Generated { dir: data.clone() });
    let s = Server::start(cfg).await.unwrap();
    assert_eq!(s.pin(), Some(pin.as_str()));
    agent.enqueue(&document("pc", 6, "1.0")).unwrap();
    assert_eq!(agent.flush().await.unwrap().len(), 1);
    // Another server (another key) answers at that address: uploads are refused with the
    // reason, and the document stays in the spool.
    s.stop().await;
    let other = tmp.path().join("other");
    let mut cfg = config(
        &Location::Folder(other.clone()),
        url.trim_start_matches("https://"),
    );
    cfg.tls = Some(TlsSource::Generated { dir: other });
    let impostor = Server::start(cfg).await.unwrap();
    assert_ne!(impostor.pin(), Some(pin.as_str()));
    agent.enqueue(&document("pc", 7, "1.0")).unwrap();
    let err = agent.flush().await.unwrap_err();
    assert!(
        matches!(&err, ClientError::PinMismatch { pinned, .. } if *pinned == pin),
        "{err}"
    );
    assert!(err.to_string().contains("pin"), "{err}");
    assert_eq!(
        std::fs::read_dir(agent_dir.join("agent/spool"))
            .unwrap()
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_in_the_token_is_refused_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let s = start_tls(&data, TlsSource::Generated { dir: data.clone() }).await;
    let token = token(&s, "Praxis Falsch").await;
    let mut t = TokenContent::decode(&token).unwrap();
    t.pin = Some("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
    let agent = Agent::new(&tmp.path().join("agent")).unwrap();
    let err = agent
        .enroll(&s.url(), &t.encode(), &facts("pc"))
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ClientError::PinMismatch { .. }), "{msg}");
    assert!(
        msg.contains(s.pin().unwrap()) && msg.contains("sha256/AAAA"),
        "{msg}"
    );
    // Nothing was stored: no credential, no host.
    assert!(agent.credential().is_err());
    assert_eq!(count(&s, "hosts").await, 0);
    // A pinned token over plain http is refused before any connection.
    let err = agent
        .enroll(
            &s.url().replace("https://", "http://"),
            &token,
            &facts("pc"),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("https://"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_given_certificate_and_key_are_served_and_pinned() {
    let tmp = tempfile::tempdir().unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["praxis.example".to_owned()]).unwrap();
    let cert = tmp.path().join("server.crt");
    let key = tmp.path().join("server.key");
    std::fs::write(&cert, generated.cert.pem()).unwrap();
    std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
    let data = tmp.path().join("data");
    let s = start_tls(
        &data,
        TlsSource::Files {
            cert: cert.clone(),
            key,
        },
    )
    .await;
    assert_eq!(
        s.pin(),
        Some(praxcheck_server::tls::pin_of_file(&cert).unwrap().as_str())
    );
    // No certificate was generated into the data folder.
    assert!(!data.join("tls").exists());
    let token = token(&s, "Praxis Datei").await;
    let agent = Agent::new(&tmp.path().join("agent")).unwrap();
    agent.enroll(&s.url(), &token, &facts("pc")).await.unwrap();
    agent.enqueue(&document("pc", 5, "1.0")).unwrap();
    assert_eq!(agent.flush().await.unwrap().len(), 1);
    // A key file that is not a key is named in the error.
    let mut cfg = config(&Location::Folder(data), "127.0.0.1:0");
    cfg.tls = Some(TlsSource::Files {
        cert: cert.clone(),
        key: cert.clone(),
    });
    let err = Server::start(cfg).await.unwrap_err().to_string();
    assert!(err.contains("server.crt"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_command_pins_the_generated_certificate_in_its_tokens() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let loc = Location::Folder(data.clone());
    // `serve` without --plain-http and without files: the generated certificate.
    let source = praxcheck_server::commands::tls_source(&loc, false, None);
    assert!(matches!(&source, Some(TlsSource::Generated { dir }) if *dir == data));
    assert!(praxcheck_server::commands::tls_source(&loc, true, None).is_none());
    let s = start_tls(&data, source.unwrap()).await;
    let pin = s.pin().unwrap().to_owned();
    let url = s.url();
    // The operator's commands run their own runtime: off this one.
    let (https, http) = tokio::task::spawn_blocking(move || {
        praxcheck_server::commands::practice_add(&loc, "Praxis Admin", None).unwrap();
        let https =
            praxcheck_server::commands::token_create(&loc, "Praxis Admin", 1, 1, &url, None)
                .unwrap();
        let http = praxcheck_server::commands::token_create(
            &loc,
            "Praxis Admin",
            1,
            1,
            "http://127.0.0.1:1",
            None,
        )
        .unwrap();
        (https, http)
    })
    .await
    .unwrap();
    assert_eq!(
        TokenContent::decode(https.trim()).unwrap().pin.as_deref(),
        Some(pin.as_str())
    );
    assert_eq!(TokenContent::decode(http.trim()).unwrap().pin, None);
    let agent = Agent::new(&tmp.path().join("agent")).unwrap();
    agent
        .enroll(&s.url(), https.trim(), &facts("pc"))
        .await
        .unwrap();
}
