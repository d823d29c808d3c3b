//! Copies of a SQLite database for backup and restore: a consistent snapshot of a database in
//! use, and the checks a copy must pass before it is trusted (see
//! docs/decisions/0006-backup-and-restore.md).

use crate::{Backend, Store, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::path::Path;
use std::time::Duration;

/// Tables counted in backup and restore reports.
const COUNTED: [&str; 5] = ["people", "contacts", "workers", "events", "access_log"];

impl Store {
    /// Writes a consistent snapshot of this SQLite database to `out`, a file that must not
    /// exist yet, with `VACUUM INTO`: one read transaction, so writers carry on meanwhile and
    /// the copy is the database as of one instant. The copy is one self-contained file.
    pub async fn snapshot_into(&self, out: &Path) -> Result<(), StoreError> {
        let Backend::Sqlite(pool) = &self.backend else {
            return Err(StoreError::Migrate(
                "a snapshot is taken of SQLite databases only; use pg_dump for PostgreSQL".into(),
            ));
        };
        let target = out.to_str().ok_or_else(|| StoreError::Connect {
            url: out.display().to_string(),
            reason: "the backup's path is not valid UTF-8: choose a plainer name".into(),
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// What SQLite's `PRAGMA integrity_check` finds wrong (empty when the file is sound).
    /// Nothing to check on PostgreSQL (its own checks run continuously).
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let Backend::Sqlite(pool) = &self.backend else {
            return Ok(vec![]);
        };
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(pool)
            .await?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }

    /// How many rows the main tables hold, for reports that a copy is complete.
    pub async fn record_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut counts = Vec::with_capacity(COUNTED.len());
        for table in COUNTED {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let count: i64 =
                crate::on_pool!(self, pool => sqlx::query_scalar(&sql).fetch_one(pool).await?);
            counts.push((table, count));
        }
        Ok(counts)
    }
}

/// Opens a copy of a SQLite database (a backup) to check it: the file must exist; it is put
/// in rollback-journal mode, so that no `-wal` file is left beside it and it stays one
/// self-contained file. Use it on copies no one else has open.
pub async fn open_sqlite_copy(path: &Path) -> Result<Store, StoreError> {
    if !path.is_file() {
        return Err(StoreError::NoSuchDatabase(path.display().to_string()));
    }
    let connect_error = |e: sqlx::Error| StoreError::Connect {
        url: path.display().to_string(),
        reason: e.to_string(),
    };
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(connect_error)?;
    Ok(Store {
        backend: Backend::Sqlite(pool),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_snapshot_is_a_sound_self_contained_copy() {
        let db = crate::testing::sqlite().await.expect("database");
        let path = db.url.sqlite_path().expect("a file");
        let out = path.with_file_name("copy.db");
        db.store.snapshot_into(&out).await.expect("snapshot");
        // VACUUM INTO never overwrites.
        assert!(db.store.snapshot_into(&out).await.is_err());
        let copy = open_sqlite_copy(&out).await.expect("open");
        assert!(copy.integrity_problems().await.expect("check").is_empty());
        assert_eq!(
            copy.applied_schema_version().await.expect("version"),
            db.store.known_schema_version()
        );
        assert_eq!(
            copy.record_counts().await.expect("counts"),
            db.store.record_counts().await.expect("counts")
        );
        copy.close().await;
        assert!(!out.with_file_name("copy.db-wal").exists());

        std::fs::write(out.with_file_name("junk.db"), b"not a database at all").expect("write");
        let junk = open_sqlite_copy(&out.with_file_name("junk.db")).await;
        let refused = match junk {
            Err(_) => true,
            Ok(store) => store.integrity_problems().await.is_err(),
        };
        assert!(refused);
        db.remove().await;
    }
}
