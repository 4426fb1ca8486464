//! praxcheck-server: the association's service.
//!
//! Enrolled machines upload their praxcheck documents; an upload is acknowledged only once
//! it is committed (group commit on one writer); components go into a reverse index so a
//! new signed advisory set finds the affected hosts of every practice without a rescan.
//! SQLite (embedded, default) or PostgreSQL, one code base. The binary only parses
//! arguments: tests drive [`Server`] in-process.
//!
//! Modules: [`db`] storage and migrations, [`tenant`] the one tenant check, [`enroll`]
//! practices, tokens and credentials, [`ingest`] uploads and the reverse index, [`reeval`]
//! advisory sets, re-evaluation and impact, [`practice`] a practice's own data, [`api`] the
//! HTTP routes, [`client`] the agent side (enroll, upload, spool).

pub mod api;
pub mod assess_adapter;
pub mod assessed;
pub mod audit;
pub mod client;
pub mod client_words;
pub mod command_line;
pub mod commands;
pub mod csaf;
pub mod db;
pub mod enroll;
pub mod error;
pub mod ingest;
pub mod notify;
pub mod practice;
pub mod ratelimit;
pub mod reeval;
pub mod secret;
pub mod tenant;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;

use praxcheck_advisories::update::TrustedKey;
use tokio::sync::{RwLock, mpsc};

pub use db::{Db, Engine, Location};
pub use error::Error;

/// How to run a server instance.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the data lives.
    pub location: Location,
    /// Address to listen on (`127.0.0.1:0` picks a port).
    pub listen: SocketAddr,
    /// The URL agents reach this server at (goes into enrollment tokens); default
    /// `http://<listen>`.
    pub public_url: Option<String>,
    /// Keys advisory sets must be signed with.
    pub keys: Vec<TrustedKey>,
    /// Requests per second per machine (bursts of 10× that).
    pub rate_per_host: f64,
    /// TLS (None: plain HTTP, behind a reverse proxy or on loopback).
    pub tls: Option<tls::TlsSource>,
    /// Extra routes merged into the API's router (the web pages, `crates/web`); default:
    /// what [`register_pages`] registered.
    pub pages: Option<Pages>,
    /// Where the association is told about new impacts (e-mail, webhook).
    pub notify: notify::NotifyConfig,
    /// Tests only (default none): how long each group commit keeps its transaction open
    /// before COMMIT, so a crash test can kill the server while a batch is written
    /// (`kill::acknowledged_uploads_survive_kill_9_during_a_group_commit`).
    pub commit_pause: Option<std::time::Duration>,
}

/// Builds extra routes (the web pages) over the server's state. They must not set a
/// fallback (the API's answers unknown paths).
#[derive(Clone)]
pub struct Pages(pub Arc<dyn Fn(Arc<api::AppState>) -> axum::Router + Send + Sync>);

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pages")
    }
}

static PAGES: std::sync::OnceLock<Pages> = std::sync::OnceLock::new();

/// Registers the web pages once per process (the binary does, before `serve`); every
/// [`Config::new`] after it mounts them.
pub fn register_pages(pages: Pages) {
    let _ = PAGES.set(pages);
}

impl Config {
    /// Defaults: the compiled-in advisory keys, 20 requests/s per machine.
    ///
    /// # Errors
    /// When the compiled-in keys are broken.
    pub fn new(location: Location, listen: SocketAddr) -> Result<Self, Error> {
        let keys = praxcheck_advisories::update::trusted_keys()
            .map_err(|e| Error::internal(format!("trusted keys: {e}")))?;
        Ok(Self {
            location,
            listen,
            public_url: None,
            keys,
            rate_per_host: 20.0,
            tls: None,
            pages: PAGES.get().cloned(),
            notify: notify::NotifyConfig::new(),
            commit_pause: None,
        })
    }
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    /// The bound address.
    pub addr: SocketAddr,
    /// Shared state (for in-process tests).
    pub state: Arc<api::AppState>,
    /// `http` or `https`.
    scheme: &'static str,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// The outbox dispatcher.
    outbox: tokio::task::JoinHandle<()>,
    /// The background re-assessment of stored hosts ([`reeval::catch_up`]).
    reassessor: tokio::task::JoinHandle<()>,
    /// This instance's id in outbox claims.
    instance: String,
}

impl Server {
    /// Opens the storage, binds the address and serves in the background.
    ///
    /// # Errors
    /// When the storage cannot be opened or the address cannot be bound.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        config.notify.check()?;
        let tls = config.tls.as_ref().map(tls::ServerTls::load).transpose()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let db = Db::open(&config.location).await?;
        let csaf_seen = reeval::csaf_generation(&db).await?;
        let set = reeval::active_set(&db, &config.keys).await?;
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let (changed_tx, changed_rx) = mpsc::unbounded_channel();
        let writer = ingest::Writer::start_with(db.clone(), Some(changed_tx), config.commit_pause);
        let state = Arc::new(api::AppState {
            db,
            writer,
            set: RwLock::new(Arc::new(set)),
            keys: config.keys,
            public_url: config
                .public_url
                .unwrap_or_else(|| format!("{scheme}://{addr}")),
            pin: tls.as_ref().map(|t| t.pin.clone()),
            limiter: ratelimit::Limiter::new(config.rate_per_host, config.rate_per_host * 10.0),
            csaf_seen: std::sync::atomic::AtomicI64::new(csaf_seen),
            reassess: tokio::sync::Notify::new(),
        });
        tokio::spawn(assessor(Arc::clone(&state), changed_rx));
        // Never awaited here: the server answers at once while stored hosts assessed with
        // an older set (a newer binary's embedded set) are re-assessed behind it.
        state.reassess.notify_one();
        let reassessor = tokio::spawn(reassessor(Arc::clone(&state)));
        let instance = notify::instance_id();
        let outbox = tokio::spawn(notify::dispatcher(
            state.db.clone(),
            config.notify,
            state.public_url.clone(),
            instance.clone(),
        ));
        let mut app = api::router(Arc::clone(&state));
        if let Some(pages) = &config.pages {
            app = (pages.0)(Arc::clone(&state)).merge(app);
        }
        let task = match &tls {
            Some(t) => {
                let listener = tls::TlsListener::new(listener, t)?;
                tokio::spawn(async move { axum::serve(listener, app).await })
            }
            None => tokio::spawn(async move { axum::serve(listener, app).await }),
        };
        Ok(Self {
            addr,
            state,
            scheme,
            task,
            outbox,
            reassessor,
            instance,
        })
    }

    /// The base URL.
    #[must_use]
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// The SPKI pin of the TLS key (None on plain HTTP).
    #[must_use]
    pub fn pin(&self) -> Option<&str> {
        self.state.pin.as_deref()
    }

    /// The database.
    #[must_use]
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Serves until the task ends (the `serve` command).
    ///
    /// # Errors
    /// When serving fails.
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await??;
        Ok(())
    }

    /// Stops serving.
    pub async fn stop(self) {
        // A batch in the middle rolls back; the next start continues from the stored
        // set versions.
        self.reassessor.abort();
        let _ = self.reassessor.await;
        self.outbox.abort();
        let _ = self.outbox.await;
        // A row claimed but not finished goes back to the others at once (a crash leaves
        // it to the lease).
        let _ = notify::release_claims(&self.state.db, &self.instance).await;
        self.task.abort();
        let _ = self.task.await;
    }
}

/// The least time between two rounds of the assessor. Uploads that arrive meanwhile are
/// collected, and a host that uploaded several times is assessed once, with its newest
/// upload: under a burst the assessor takes the CPU the uploads leave, not all of it.
const ASSESS_ROUND_GAP: std::time::Duration = std::time::Duration::from_millis(250);

/// Assesses hosts after their upload committed, with the set in use. Runs behind the
/// acknowledgement: the upload is durable first, its light follows (at once on a quiet
/// server, within [`ASSESS_ROUND_GAP`] plus a round under load).
async fn assessor(state: Arc<api::AppState>, mut rx: mpsc::UnboundedReceiver<Vec<i64>>) {
    let mut last_round: Option<tokio::time::Instant> = None;
    while let Some(mut hosts) = rx.recv().await {
        if let Some(t) = last_round {
            tokio::time::sleep_until(t + ASSESS_ROUND_GAP).await;
        }
        last_round = Some(tokio::time::Instant::now());
        while let Ok(more) = rx.try_recv() {
            hosts.extend(more);
            if hosts.len() > 4096 {
                break;
            }
        }
        hosts.sort_unstable();
        hosts.dedup();
        let set = current_set(&state).await;
        // A failure leaves the previous assessment; the next upload or set retries.
        let _ = reeval::assess_hosts(&state.db, &set, &hosts).await;
    }
}

/// Re-assesses the stored hosts assessed with an older set than the one in use
/// ([`reeval::catch_up`]): once at start and again whenever the set in use changes. A
/// failed pass is retried after [`CATCH_UP_RETRY`]; what it committed stays.
async fn reassessor(state: Arc<api::AppState>) {
    loop {
        state.reassess.notified().await;
        let set = current_set(&state).await;
        if reeval::catch_up(&state.db, &set).await.is_err() {
            tokio::time::sleep(CATCH_UP_RETRY).await;
            state.reassess.notify_one();
        }
    }
}

/// How long the background re-assessment waits after a storage error.
const CATCH_UP_RETRY: std::time::Duration = std::time::Duration::from_secs(30);

/// The set in use, reloaded when another instance on the same database stored a newer one
/// (instances share nothing but the database).
async fn current_set(state: &api::AppState) -> Arc<praxcheck_advisories::AdvisorySet> {
    let set = Arc::clone(&*state.set.read().await);
    let newer = reeval::stored_version(&state.db)
        .await
        .ok()
        .flatten()
        .is_some_and(|v| v > set.meta().version);
    let seen = state.csaf_seen.load(std::sync::atomic::Ordering::Acquire);
    let csaf = reeval::csaf_generation(&state.db).await.unwrap_or(seen);
    if (newer || csaf != seen)
        && let Ok(fresh) = reeval::active_set(&state.db, &state.keys).await
    {
        let fresh = Arc::new(fresh);
        *state.set.write().await = Arc::clone(&fresh);
        state
            .csaf_seen
            .store(csaf, std::sync::atomic::Ordering::Release);
        state.reassess.notify_one();
        return fresh;
    }
    set
}
