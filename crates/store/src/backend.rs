//! The two backends behind one [`Store`], and the macros that run one query source on both.

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;
use thiserror::Error;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("Database URL '{0}' is not understood: use sqlite://PATH (for example sqlite://frontdoor.db) or postgres://USER@HOST:PORT/DATABASE.")]
    UnsupportedUrl(String),
    #[error("The database URL '{0}' names no file: give the path of the database file, for example sqlite://frontdoor.db (an empty or in-memory database would lose everything when frontdoor stops).")]
    NoDatabaseFile(String),
    #[error("There is no database file at {0}: check the path (commands that only read never create a database; `frontdoor migrate` creates one).")]
    NoSuchDatabase(String),
    #[error("Cannot open the database at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("The database has schema version {found}, newer than this frontdoor understands (up to {known}). Upgrade frontdoor, or restore a backup taken before the upgrade.")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("The database schema is not up to date (it is at version {found}, this frontdoor needs {known}). Run `frontdoor migrate`.")]
    SchemaTooOld { found: i64, known: i64 },
    #[error("Migrating the database failed: {0}")]
    Migrate(String),
    #[error("{0} was not found.")]
    NotFound(&'static str),
    #[error("That {0} already exists.")]
    Duplicate(&'static str),
    #[error("Stored data is not valid ({0}): the database may have been edited by hand. Run `frontdoor audit verify`.")]
    Corrupt(String),
    /// Another transaction changed the same rows at the same moment (PostgreSQL deadlock or
    /// serialisation failure, SQLite busy past its timeout): the change was not made.
    #[error("Someone else changed this record at the same moment, so nothing was saved: reload and try again.")]
    Contention,
    #[error("The database is busy or unavailable: {0}. Try again.")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound("The record"),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate("record")
            }
            // 40001 serialization_failure, 40P01 deadlock_detected (PostgreSQL); 5 SQLITE_BUSY,
            // 6 SQLITE_LOCKED and their extended codes (SQLite).
            sqlx::Error::Database(db)
                if matches!(
                    db.code().as_deref(),
                    Some("40001" | "40P01" | "5" | "6" | "261" | "517" | "262")
                ) =>
            {
                StoreError::Contention
            }
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                StoreError::Corrupt(error.to_string())
            }
            _ => StoreError::Database(error),
        }
    }
}

/// Which database a URL names, checked before anything connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let url = url.trim();
        if url.starts_with("sqlite:") {
            let parsed = DatabaseUrl::Sqlite(url.to_string());
            // An empty path is a temporary file SQLite deletes on closing, and `:memory:` (or
            // `mode=memory`) lives in memory: either would silently lose everything stored.
            match parsed.sqlite_path() {
                Some(_) => Ok(parsed),
                None => Err(StoreError::NoDatabaseFile(url.to_string())),
            }
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_string()))
        } else {
            // Hide a password in it the way a PostgreSQL URL's is hidden: it was mistyped,
            // not meant to be shown.
            Err(StoreError::UnsupportedUrl(
                DatabaseUrl::Postgres(url.to_string()).redacted(),
            ))
        }
    }
    /// The URL with any password hidden, for messages and logs: the one in the user-info part
    /// (`postgres://user:PASSWORD@host/db`) and any `password=` parameter of the query string
    /// (`?password=...`, which libpq and sqlx also accept).
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(url) => url.clone(),
            DatabaseUrl::Postgres(url) => {
                let (base, query) = match url.split_once('?') {
                    Some((base, query)) => (base, Some(query)),
                    None => (url.as_str(), None),
                };
                let mut redacted = match (base.find("://"), base.rfind('@')) {
                    (Some(scheme_end), Some(at)) if at > scheme_end => {
                        let credentials = &base[scheme_end + 3..at];
                        match credentials.find(':') {
                            Some(colon) => format!(
                                "{}{}:***{}",
                                &base[..scheme_end + 3],
                                &credentials[..colon],
                                &base[at..]
                            ),
                            None => base.to_string(),
                        }
                    }
                    _ => base.to_string(),
                };
                if let Some(query) = query {
                    let parameters: Vec<String> = query
                        .split('&')
                        .map(|parameter| match parameter.split_once('=') {
                            Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                                format!("{key}=***")
                            }
                            _ => parameter.to_string(),
                        })
                        .collect();
                    redacted.push('?');
                    redacted.push_str(&parameters.join("&"));
                }
                redacted
            }
        }
    }

    /// The file a SQLite URL names (`None` for PostgreSQL, and for a URL that names no file:
    /// an empty path or an in-memory database).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let DatabaseUrl::Sqlite(url) = self else {
            return None;
        };
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
        if query
            .split('&')
            .any(|p| p.eq_ignore_ascii_case("mode=memory"))
        {
            return None;
        }
        let options = SqliteConnectOptions::from_str(url).ok()?;
        let path = options.get_filename();
        let text = path.to_string_lossy();
        if text.is_empty() || text == ":memory:" || text.starts_with("file:sqlx-in-memory") {
            return None;
        }
        Some(path.to_path_buf())
    }
}

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The store: a pool on one of the two backends.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
}

/// A write transaction. SQLite's begins IMMEDIATE (takes the write lock up front, so a
/// read-then-write transaction cannot fail on upgrade); PostgreSQL's takes an advisory lock
/// before appending to a hash chain.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs the same query code on whichever backend the store has: `on_pool!(store, pool => expr)`.
#[macro_export]
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}

/// Runs the same query code inside a transaction: `on_tx!(tx, conn => expr)`, where `conn` is
/// the backend's connection (`&mut *conn` is an executor).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(transaction) => {
                let $conn = &mut **transaction;
                $body
            }
            $crate::Tx::Postgres(transaction) => {
                let $conn = &mut **transaction;
                $body
            }
        }
    };
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }
}

impl Store {
    /// Connects without migrating (see [`Store::migrate`] and [`Store::check_schema`]),
    /// creating a SQLite file that does not exist yet.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, StoreError> {
        Self::open(url, true).await
    }

    /// Connects to a database that must already exist: a SQLite file that is missing is an
    /// error ([`StoreError::NoSuchDatabase`]), never created. For commands that only read.
    pub async fn connect_existing(url: &DatabaseUrl) -> Result<Self, StoreError> {
        if let Some(path) = url.sqlite_path() {
            if !path.is_file() {
                return Err(StoreError::NoSuchDatabase(path.display().to_string()));
            }
        }
        Self::open(url, false).await
    }

    async fn open(url: &DatabaseUrl, create_if_missing: bool) -> Result<Self, StoreError> {
        let connect_error = |e: sqlx::Error| StoreError::Connect {
            url: url.redacted(),
            reason: e.to_string(),
        };
        let backend = match url {
            DatabaseUrl::Sqlite(raw) => {
                let options = SqliteConnectOptions::from_str(raw)
                    .map_err(|_| StoreError::UnsupportedUrl(raw.clone()))?
                    .create_if_missing(create_if_missing)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // Read pages straight from the operating system's cache instead of
                    // copying each into SQLite's own (2 MiB) cache: person search reads a few
                    // hundred scattered rows, and with a million people this took its median
                    // from 6.2 to 4.5 ms. (Capped by SQLite at just under 2 GiB.)
                    .pragma("mmap_size", "2147418112");
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Backend::Sqlite(pool)
            }
            DatabaseUrl::Postgres(raw) => {
                let options = PgConnectOptions::from_str(raw)
                    .map_err(|_| StoreError::UnsupportedUrl(url.redacted()))?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Backend::Postgres(pool)
            }
        };
        Ok(Self { backend })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite(_) => &SQLITE_MIGRATIONS,
            Backend::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// The newest schema version this build knows.
    pub fn known_schema_version(&self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The newest schema version applied to the database (0 when it is new).
    pub async fn applied_schema_version(&self) -> Result<i64, StoreError> {
        let exists: bool = on_pool!(self, pool => {
            let sql = match self.backend {
                Backend::Sqlite(_) => "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                Backend::Postgres(_) => "SELECT COUNT(*) > 0 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
            };
            sqlx::query_scalar(sql).fetch_one(pool).await?
        });
        if !exists {
            return Ok(0);
        }
        let version: Option<i64> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await?
        });
        Ok(version.unwrap_or(0))
    }

    /// Applies any pending migrations; refuses a database from a newer frontdoor.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let found = self.applied_schema_version().await?;
        let known = self.known_schema_version();
        if found > known {
            return Err(StoreError::SchemaTooNew { found, known });
        }
        let result = on_pool!(self, pool => self.migrator().run(pool).await);
        result.map_err(|e| StoreError::Migrate(e.to_string()))
    }

    /// Checks the schema is exactly the version this build knows (for commands that do not
    /// migrate, such as `audit verify`).
    pub async fn check_schema(&self) -> Result<(), StoreError> {
        let found = self.applied_schema_version().await?;
        let known = self.known_schema_version();
        match found.cmp(&known) {
            std::cmp::Ordering::Greater => Err(StoreError::SchemaTooNew { found, known }),
            std::cmp::Ordering::Less => Err(StoreError::SchemaTooOld { found, known }),
            std::cmp::Ordering::Equal => Ok(()),
        }
    }

    /// Begins a read-only transaction that sees the database as of one instant (SQLite's
    /// deferred read transaction in WAL mode; PostgreSQL's repeatable read), so that a report
    /// read with several queries is consistent while writers carry on.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN DEFERRED").await?),
            Backend::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    /// Begins a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_naming_no_file_is_refused() {
        for url in [
            "sqlite:",
            "sqlite://",
            "sqlite::memory:",
            "sqlite://x.db?mode=memory",
        ] {
            assert!(
                matches!(DatabaseUrl::parse(url), Err(StoreError::NoDatabaseFile(_))),
                "{url}"
            );
        }
        let url = DatabaseUrl::parse("sqlite://data/frontdoor.db").expect("a file");
        assert_eq!(url.sqlite_path(), Some(PathBuf::from("data/frontdoor.db")));
        let url = DatabaseUrl::parse("sqlite:frontdoor.db?mode=rwc").expect("a file");
        assert_eq!(url.sqlite_path(), Some(PathBuf::from("frontdoor.db")));
    }

    #[test]
    fn passwords_are_hidden_wherever_the_url_holds_them() {
        let cases = [
            (
                "postgres://fd:s3cret@db:5432/fd",
                "postgres://fd:***@db:5432/fd",
            ),
            (
                "postgres://fd@db/fd?sslmode=require&password=s3cret",
                "postgres://fd@db/fd?sslmode=require&password=***",
            ),
            (
                "postgresql://fd:one@db/fd?PASSWORD=two&application_name=x",
                "postgresql://fd:***@db/fd?PASSWORD=***&application_name=x",
            ),
            ("postgres://fd@db/fd", "postgres://fd@db/fd"),
        ];
        for (url, expected) in cases {
            let redacted = DatabaseUrl::parse(url).expect("url").redacted();
            assert_eq!(redacted, expected);
            assert!(!redacted.contains("s3cret") && !redacted.contains("two"));
        }
    }
}
