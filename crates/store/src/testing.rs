//! Fresh databases for tests, on every backend available: SQLite always; PostgreSQL when
//! `FRONTDOOR_TEST_POSTGRES` holds a server URL (each test gets its own new database there).
//! When `FRONTDOOR_REQUIRE_POSTGRES=1` (as in CI), a missing PostgreSQL fails instead of skipping.

use crate::{DatabaseUrl, Store, StoreError};
use std::path::PathBuf;

pub struct TestDatabase {
    pub store: Store,
    pub url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

impl TestDatabase {
    pub fn backend(&self) -> &'static str {
        self.store.backend_name()
    }

    /// Closes the store and removes the database.
    pub async fn remove(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::SqliteFile(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                if let Ok(admin) = Store::connect(&DatabaseUrl::Postgres(admin_url)).await {
                    if let crate::Backend::Postgres(pool) = &admin.backend {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(pool)
                                .await;
                    }
                    admin.close().await;
                }
            }
        }
    }
}

fn unique_name() -> String {
    format!("fdtest_{}", uuid::Uuid::now_v7().simple())
}

/// A migrated SQLite database in a new temporary folder.
pub async fn sqlite() -> Result<TestDatabase, StoreError> {
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Connect {
        url: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let url = DatabaseUrl::Sqlite(format!("sqlite://{}", dir.join("test.db").display()));
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    Ok(TestDatabase {
        store,
        url,
        cleanup: Cleanup::SqliteFile(dir),
    })
}

/// A migrated, empty PostgreSQL database, or `None` (with a message) when none is configured.
pub async fn postgres() -> Result<Option<TestDatabase>, StoreError> {
    let Some(admin_url) = std::env::var("FRONTDOOR_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        if std::env::var("FRONTDOOR_REQUIRE_POSTGRES").as_deref() == Ok("1") {
            panic!("FRONTDOOR_REQUIRE_POSTGRES=1 but FRONTDOOR_TEST_POSTGRES is not set: the PostgreSQL tests cannot be skipped here");
        }
        eprintln!("PostgreSQL tests SKIPPED: set FRONTDOOR_TEST_POSTGRES=postgres://USER@HOST:PORT/DATABASE to run them");
        return Ok(None);
    };
    postgres_on(&admin_url).await.map(Some)
}

/// A migrated, empty, new database on the PostgreSQL server at `admin_url` (benchmarks).
pub async fn postgres_on(admin_url: &str) -> Result<TestDatabase, StoreError> {
    let admin_url = admin_url.to_string();
    let admin = Store::connect(&DatabaseUrl::Postgres(admin_url.clone())).await?;
    let name = unique_name();
    if let crate::Backend::Postgres(pool) = &admin.backend {
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(pool)
            .await?;
    }
    admin.close().await;
    // Replace the database part of the URL (after the last '/', before any '?').
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b.to_string(), format!("?{q}")),
        None => (admin_url.clone(), String::new()),
    };
    let base = match base.rfind('/') {
        Some(slash) if slash > "postgres://".len() => base[..slash].to_string(),
        _ => base,
    };
    let url = DatabaseUrl::Postgres(format!("{base}/{name}{query}"));
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    Ok(TestDatabase {
        store,
        url,
        cleanup: Cleanup::PostgresDatabase { admin_url, name },
    })
}

/// Every backend available: SQLite, and PostgreSQL when configured.
pub async fn all_backends() -> Result<Vec<TestDatabase>, StoreError> {
    let mut databases = vec![sqlite().await?];
    if let Some(pg) = postgres().await? {
        databases.push(pg);
    }
    Ok(databases)
}

/// A benchmark's baseline: `rows` plain rows (a number, a uuid, an instant and a short text)
/// written into a table of their own by multi-row inserts, 100,000 a transaction, the fastest
/// the database takes rows through this store; the table is dropped afterwards.
pub async fn raw_multi_row_inserts(store: &Store, rows: u64) -> Result<(), StoreError> {
    let create = if matches!(store.backend, crate::Backend::Postgres(_)) {
        "CREATE TABLE baseline_rows (n BIGINT PRIMARY KEY, id UUID NOT NULL, at TIMESTAMPTZ NOT NULL, note TEXT NOT NULL)"
    } else {
        "CREATE TABLE baseline_rows (n BIGINT PRIMARY KEY, id BLOB NOT NULL, at TEXT NOT NULL, note TEXT NOT NULL)"
    };
    execute_directly(store, "DROP TABLE IF EXISTS baseline_rows").await?;
    execute_directly(store, create).await?;
    let at = crate::to_stored_instant(chrono::Utc::now());
    let mut start = 0u64;
    while start < rows {
        let end = (start + 100_000).min(rows);
        let numbers: Vec<i64> = (start as i64..end as i64).collect();
        let mut tx = store.begin().await?;
        crate::bulk::insert_many!(
            &mut tx,
            "INSERT INTO baseline_rows (n, id, at, note)",
            4,
            "",
            &numbers,
            |query, n| query
                .bind(*n)
                .bind(uuid::Uuid::now_v7())
                .bind(at)
                .bind("a baseline row")
        );
        tx.commit().await?;
        start = end;
    }
    execute_directly(store, "DROP TABLE baseline_rows").await?;
    Ok(())
}

/// Runs a statement directly against the database, bypassing everything: tests use it to
/// tamper with stored rows as an attacker with database access would.
pub async fn execute_directly(store: &Store, sql: &str) -> Result<u64, StoreError> {
    Ok(crate::on_pool!(store, pool => sqlx::query(sql).execute(pool).await?.rows_affected()))
}

/// The schema as names both databases can be compared by: `table.column` (with `NOT NULL`
/// where it is required) and `index name ON table`, sorted. Column types differ by design (see
/// decision 0001); names, nullability and indexes must not.
pub async fn schema_outline(store: &Store) -> Result<Vec<String>, StoreError> {
    // (table, column, required) and (index, table), asked of each database's own catalogue.
    type Columns = Vec<(String, String, bool)>;
    type Indexes = Vec<(String, String)>;
    let (columns, indexes): (Columns, Indexes) = match &store.backend {
        crate::Backend::Sqlite(pool) => (
            sqlx::query_as(
                "SELECT m.name, c.name, c.\"notnull\" OR c.pk > 0
                 FROM sqlite_master m JOIN pragma_table_info(m.name) c
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await?,
            sqlx::query_as(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'",
            )
            .fetch_all(pool)
            .await?,
        ),
        // Indexes made for a primary key or UNIQUE constraint are SQLite's autoindexes.
        crate::Backend::Postgres(pool) => (
            sqlx::query_as(
                "SELECT table_name::text, column_name::text, is_nullable = 'NO'
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await?,
            sqlx::query_as(
                "SELECT indexname::text, tablename::text FROM pg_indexes i
                 WHERE schemaname = current_schema() AND tablename <> '_sqlx_migrations'
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            )
            .fetch_all(pool)
            .await?,
        ),
    };
    let mut outline: Vec<String> = columns
        .into_iter()
        .map(|(table, column, required)| {
            format!(
                "{table}.{column}{}",
                if required { " NOT NULL" } else { "" }
            )
        })
        .chain(
            indexes
                .into_iter()
                .map(|(index, table)| format!("index {index} ON {table}")),
        )
        .collect();
    outline.sort();
    Ok(outline)
}
