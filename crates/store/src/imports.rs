//! Files of people imported into an authority, remembered by the SHA-256 of their bytes so that
//! the same file imported again is noticed. Written in the import's own transaction: a file is
//! recorded as imported exactly when its people are stored.

use crate::{on_tx, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

/// PostgreSQL advisory-lock key that serialises imports: the second of two imports of one file
/// waits for the first, then sees it recorded (SQLite's IMMEDIATE transaction already holds
/// the single write lock).
const IMPORT_LOCK: i64 = 0x0046_4452_0003;

/// One file imported into an authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonImport {
    pub id: Uuid,
    pub authority: AuthorityId,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub file_sha256: String,
    /// The file's name as given (for the operator; the hash identifies it).
    pub file_name: String,
    pub people: i64,
    pub imported_by: Option<WorkerId>,
    pub imported_at: DateTime<Utc>,
}

/// Waits until no other import is running, then holds that for the rest of the transaction.
/// Call first in an import's transaction, before checking what is already stored.
pub async fn lock_imports(tx: &mut Tx) -> Result<(), StoreError> {
    if let Tx::Postgres(transaction) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(IMPORT_LOCK)
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
}

/// The earlier imports of a file (by its hash) into the authority, latest first, read inside
/// the import's transaction.
pub async fn imports_of_file(
    tx: &mut Tx,
    authority: AuthorityId,
    file_sha256: &str,
) -> Result<Vec<PersonImport>, StoreError> {
    let rows = on_tx!(tx, conn => {
        sqlx::query(
            "SELECT id, file_name, people, imported_by, imported_at FROM person_imports
             WHERE authority_id = $1 AND file_sha256 = $2 ORDER BY imported_at DESC",
        )
        .bind(authority.0)
        .bind(file_sha256)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| -> Result<PersonImport, sqlx::Error> {
            Ok(PersonImport {
                id: row.try_get("id")?,
                authority,
                file_sha256: file_sha256.to_string(),
                file_name: row.try_get("file_name")?,
                people: row.try_get("people")?,
                imported_by: row.try_get::<Option<Uuid>, _>("imported_by")?.map(WorkerId),
                imported_at: row.try_get("imported_at")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?
    });
    Ok(rows)
}

/// Records an imported file.
pub async fn insert_import(tx: &mut Tx, import: &PersonImport) -> Result<(), StoreError> {
    let at = crate::to_stored_instant(import.imported_at);
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO person_imports (id, authority_id, file_sha256, file_name, people, imported_by, imported_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(import.id)
        .bind(import.authority.0)
        .bind(&import.file_sha256)
        .bind(&import.file_name)
        .bind(import.people)
        .bind(import.imported_by.map(|w| w.0))
        .bind(at)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Which of these LA person ids the authority already uses, read inside the transaction.
pub async fn existing_la_person_ids_in(
    tx: &mut Tx,
    authority: AuthorityId,
    ids: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT la_person_id FROM people WHERE authority_id = $1 AND la_person_id IN ({})",
            placeholders.join(", ")
        );
        on_tx!(tx, conn => {
            let mut query = sqlx::query(&sql).bind(authority.0);
            for id in chunk {
                query = query.bind(id);
            }
            for row in query.fetch_all(&mut *conn).await?.iter() {
                found.push(row.try_get("la_person_id")?);
            }
        });
    }
    Ok(found)
}
