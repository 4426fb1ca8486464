//! Storage: one code base on SQLite (embedded default) and PostgreSQL, through sqlx's `Any`
//! driver with runtime queries (`$1` placeholders work on both engines). Two migration sets
//! with the same version numbers live in `migrations/sqlite` and `migrations/postgres`.
//!
//! SQLite runs in WAL mode with `synchronous=FULL` (a commit is on disk before it returns,
//! which is what "acknowledged means durable" needs, also across power loss) and with one
//! writing connection: every write goes through [`Db::write`], so no deferred transaction
//! ever has to upgrade to a write lock (that fails with SQLITE_BUSY regardless of the busy
//! timeout). Reads use a separate pool.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::Executor as _;
use sqlx::any::AnyPoolOptions;

use crate::tenant::PracticeId;

/// Which engine a database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite in a data folder.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// A data folder (SQLite file `praxcheck.db` inside).
    Folder(PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// From the command-line options: a database URL wins over a data folder.
    #[must_use]
    pub fn from_options(data: Option<&Path>, database: Option<&str>) -> Self {
        match (database, data) {
            (Some(url), _) => Self::Postgres(url.to_owned()),
            (None, Some(d)) => Self::Folder(d.to_owned()),
            (None, None) => Self::Folder(default_data_dir()),
        }
    }
}

/// `PRAXCHECK_DATA_DIR`, else `<state folder>/server`.
#[must_use]
pub fn default_data_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("PRAXCHECK_DATA_DIR").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    praxcheck_advisories::update::StateDir::default_location()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("server")
}

/// Storage errors.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The data folder could not be created.
    #[error("{path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The URL is not a PostgreSQL URL.
    #[error("{0}: not a postgres:// URL")]
    BadUrl(String),
}

impl DbError {
    /// Whether the failure is the disk being full (SQLITE_FULL / PostgreSQL 53100).
    #[must_use]
    pub fn is_disk_full(&self) -> bool {
        let Self::Sql(sqlx::Error::Database(e)) = self else {
            return false;
        };
        matches!(e.code().as_deref(), Some("13" | "53100"))
            || e.message().contains("database or disk is full")
    }
}

static MIGRATE_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATE_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// An open database: a read pool and a write pool (the same pool on PostgreSQL).
#[derive(Debug, Clone)]
pub struct Db {
    engine: Engine,
    read: AnyPool,
    write: AnyPool,
}

impl Db {
    /// Opens (and creates and migrates) the database.
    ///
    /// # Errors
    /// When the folder cannot be created or the database cannot be opened or migrated.
    pub async fn open(loc: &Location) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        match loc {
            Location::Folder(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| DbError::Folder {
                    path: dir.clone(),
                    source,
                })?;
                let url = format!("sqlite://{}?mode=rwc", dir.join("praxcheck.db").display());
                let opts = || {
                    AnyPoolOptions::new()
                        .acquire_timeout(Duration::from_secs(30))
                        .after_release(|conn, _| Box::pin(keep_sqlite_connection(conn)))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                                     PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                };
                let write = opts().max_connections(1).connect(&url).await?;
                MIGRATE_SQLITE.run(&write).await?;
                let read = opts().max_connections(4).connect(&url).await?;
                Ok(Self {
                    engine: Engine::Sqlite,
                    read,
                    write,
                })
            }
            Location::Postgres(url) => {
                if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                    return Err(DbError::BadUrl(url.clone()));
                }
                // Association-wide work (the writer, re-evaluation, admin) runs with the
                // row-level security bypass on; practice-facing reads switch it off per
                // transaction ([`Db::tenant_read`]).
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("SET app.bypass = 'on'").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                MIGRATE_POSTGRES.run(&pool).await?;
                Ok(Self {
                    engine: Engine::Postgres,
                    read: pool.clone(),
                    write: pool,
                })
            }
        }
    }

    /// The engine.
    #[must_use]
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The pool for reads (public for the web pages, `crates/web`).
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// The pool for writes (one connection on SQLite; public for `crates/web`).
    pub fn write(&self) -> &AnyPool {
        &self.write
    }

    /// A read transaction for one practice's data. On PostgreSQL it switches the
    /// row-level security bypass off and sets `app.practice_id`, so the policies admit
    /// only that practice's rows even if a query forgot its `practice_id` filter (the
    /// second line behind [`PracticeId`]). Both settings end with the transaction.
    ///
    /// # Errors
    /// Storage errors.
    pub(crate) async fn tenant_read(
        &self,
        practice: &PracticeId,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
        let mut tx = self.read.begin().await?;
        if self.engine == Engine::Postgres {
            sqlx::query(
                "SELECT set_config('app.bypass', 'off', true), \
                 set_config('app.practice_id', $1, true)",
            )
            .bind(practice.get().to_string())
            .execute(&mut *tx)
            .await?;
        }
        Ok(tx)
    }

    /// Closes the pools (waits for connections to finish).
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Whether a SQLite connection coming back to its pool may be used again.
///
/// A COMMIT that fails with SQLITE_FULL (disk full) leaves the connection inside its
/// transaction as far as sqlx counts (depth 1, the rollback on drop does not bring it back
/// to 0). The next `begin()` on it then issues a SAVEPOINT nested in that dead transaction,
/// and its "commit" only releases the savepoint: it succeeds without writing anything, so
/// an upload would be acknowledged and never stored (seen on a full tmpfs:
/// `disk::a_full_disk_gives_503_and_loses_nothing_acknowledged`). Such a connection is
/// closed instead (closing rolls back whatever SQLite still holds) and the pool opens a
/// fresh one.
///
/// Cost: a connection outside any transaction (every release after a committed write or a
/// plain read) is kept after one atomic load; nothing queued can open a transaction again
/// (BEGIN is awaited). Only a connection that still counts a transaction is pinged, which
/// lets a dropped transaction's queued rollback finish before it is looked at again. sqlx
/// pings every released connection itself after this hook, so the old unconditional ping
/// here was a second round trip to the connection's thread per release (measured in
/// `examples/uploadbench.rs`, BENCHMARKS.md).
async fn keep_sqlite_connection(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection as _;
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    if conn.ping().await.is_err() {
        return Ok(false);
    }
    Ok(!conn.is_in_transaction())
}

/// Now, unix milliseconds.
#[must_use]
pub fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis()),
    )
    .unwrap_or(i64::MAX)
}
