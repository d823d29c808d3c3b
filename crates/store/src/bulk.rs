//! Bulk writes for operator tasks (CSV import, benchmarks): many rows a statement, in the
//! caller's transaction. Multi-row `VALUES` lists, one query source for both backends.
//!
//! These functions write records only. The caller decides what else the load needs: a CSV
//! import writes an event for every person through the ordinary path; a benchmark that fills
//! a database with a million people for timing search may write people and search keys alone.

use crate::people::{Person, PreviousName};
use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, PersonId};
use sqlx::Row;
use uuid::Uuid;

/// Bound parameters a statement may carry: under SQLite's limit (32,766) and PostgreSQL's
/// (65,535).
const MAX_PARAMETERS: usize = 30_000;

/// How a backend wants its parameters in a long `VALUES` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholders {
    /// `$1, $2, ...` (PostgreSQL).
    Numbered,
    /// `?, ?, ...` (SQLite: it looks each `$N` up among the names seen so far, so a statement
    /// with thousands of them takes seconds to prepare; plain `?` takes microseconds).
    Positional,
}

impl Placeholders {
    fn of(tx: &Tx) -> Self {
        if tx.is_postgres() {
            Placeholders::Numbered
        } else {
            Placeholders::Positional
        }
    }
}

/// `($1, $2, $3), ($4, $5, $6), ...` (or `(?, ?, ?), ...`) for `rows` rows of `columns`
/// columns.
fn values_list(rows: usize, columns: usize, style: Placeholders) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            match style {
                Placeholders::Numbered => {
                    sql.push('$');
                    sql.push_str(&(row * columns + column + 1).to_string());
                }
                Placeholders::Positional => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

/// Inserts people, many to a statement. Returns the number of rows written.
pub async fn insert_people(
    tx: &mut Tx,
    people: &[Person],
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    const COLUMNS: usize = 16;
    let at = crate::to_stored_instant(at);
    let mut written = 0;
    for chunk in people.chunks(MAX_PARAMETERS / COLUMNS) {
        let sql = format!(
            "INSERT INTO people (id, authority_id, la_person_id, given_name, family_name, birth_date, birth_date_expected, sex, ethnicity, nhs_number, upn, disabilities, postcode, merged_into, created_at, updated_at) VALUES {}",
            values_list(chunk.len(), COLUMNS, Placeholders::of(tx))
        );
        written += on_tx!(tx, conn => {
            let mut query = sqlx::query(&sql);
            for person in chunk {
                query = query
                    .bind(person.id.0)
                    .bind(person.authority.0)
                    .bind(&person.la_person_id)
                    .bind(&person.given_name)
                    .bind(&person.family_name)
                    .bind(person.birth_date)
                    .bind(person.birth_date_expected)
                    .bind(person.sex.code())
                    .bind(person.ethnicity.code())
                    .bind(person.nhs_number.as_ref().map(|n| n.as_str()))
                    .bind(person.upn.as_ref().map(|u| u.as_str()))
                    .bind(&person.disabilities)
                    .bind(person.postcode.as_ref().map(|p| p.as_str()))
                    .bind(person.merged_into.map(|p| p.0))
                    .bind(at)
                    .bind(at);
            }
            query.execute(&mut *conn).await?.rows_affected()
        });
    }
    Ok(written)
}

/// Inserts previous names (person, name), many to a statement.
pub async fn insert_previous_names(
    tx: &mut Tx,
    authority: AuthorityId,
    names: &[(PersonId, PreviousName)],
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    const COLUMNS: usize = 7;
    let at = crate::to_stored_instant(at);
    let mut written = 0;
    for chunk in names.chunks(MAX_PARAMETERS / COLUMNS) {
        let sql = format!(
            "INSERT INTO person_names (id, authority_id, person_id, given_name, family_name, kind, recorded_at) VALUES {}",
            values_list(chunk.len(), COLUMNS, Placeholders::of(tx))
        );
        written += on_tx!(tx, conn => {
            let mut query = sqlx::query(&sql);
            for (person, name) in chunk {
                query = query
                    .bind(Uuid::now_v7())
                    .bind(authority.0)
                    .bind(person.0)
                    .bind(&name.given_name)
                    .bind(&name.family_name)
                    .bind(&name.kind)
                    .bind(at);
            }
            query.execute(&mut *conn).await?.rows_affected()
        });
    }
    Ok(written)
}

/// Inserts search (blocking) keys (key, person), many to a statement; a key a person already
/// has is skipped. Rows sorted by key insert fastest.
pub async fn insert_blocking_keys(
    tx: &mut Tx,
    authority: AuthorityId,
    keys: &[(String, PersonId)],
) -> Result<u64, StoreError> {
    const COLUMNS: usize = 3;
    let mut written = 0;
    for chunk in keys.chunks(MAX_PARAMETERS / COLUMNS) {
        let sql = format!(
            "INSERT INTO person_blocking_keys (authority_id, blocking_key, person_id) VALUES {} ON CONFLICT DO NOTHING",
            values_list(chunk.len(), COLUMNS, Placeholders::of(tx))
        );
        written += on_tx!(tx, conn => {
            let mut query = sqlx::query(&sql);
            for (key, person) in chunk {
                query = query.bind(authority.0).bind(key).bind(person.0);
            }
            query.execute(&mut *conn).await?.rows_affected()
        });
    }
    Ok(written)
}

/// Lets SQLite keep up to `mebibytes` of the database in memory on this transaction's
/// connection (the default is 2 MiB), so that a bulk load's inserts into indexes in random
/// order update pages in memory instead of reading and spilling them again and again. The
/// setting stays with the pooled connection. Nothing on PostgreSQL.
pub async fn enlarge_page_cache(tx: &mut Tx, mebibytes: u32) -> Result<(), StoreError> {
    if let Tx::Sqlite(transaction) = tx {
        let kibibytes = i64::from(mebibytes) * 1024;
        sqlx::query(&format!("PRAGMA cache_size = -{kibibytes}"))
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
}

/// Raises a per-authority counter to at least `at_least` (never lowers it), so that numbers
/// taken later from it do not collide with identifiers loaded from elsewhere.
pub async fn raise_counter(
    tx: &mut Tx,
    authority: AuthorityId,
    counter: &str,
    at_least: i64,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO counters (authority_id, counter, last_value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(authority.0).bind(counter).bind(at_least).execute(&mut *conn).await?;
        sqlx::query("UPDATE counters SET last_value = $3 WHERE authority_id = $1 AND counter = $2 AND last_value < $3")
            .bind(authority.0).bind(counter).bind(at_least).execute(&mut *conn).await?;
    });
    Ok(())
}

impl Store {
    /// Which of these LA person ids the authority already uses.
    pub async fn existing_la_person_ids(
        &self,
        authority: AuthorityId,
        ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT la_person_id FROM people WHERE authority_id = $1 AND la_person_id IN ({})",
                placeholders.join(", ")
            );
            on_pool!(self, pool => {
                let mut query = sqlx::query(&sql).bind(authority.0);
                for id in chunk {
                    query = query.bind(id);
                }
                for row in query.fetch_all(pool).await?.iter() {
                    found.push(row.try_get("la_person_id")?);
                }
            });
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::{insert_authority, Authority};
    use crate::testing::all_backends;
    use frontdoor_domain::person::{EthnicityCode, Sex};

    fn person(authority: AuthorityId, la: &str, family: &str) -> Person {
        Person {
            id: PersonId::new(),
            authority,
            la_person_id: la.into(),
            given_name: "Ann".into(),
            family_name: family.into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(2014, 3, 12),
            birth_date_expected: false,
            sex: Sex::Female,
            ethnicity: EthnicityCode::NOT_OBTAINED,
            nhs_number: None,
            upn: None,
            disabilities: "NONE".into(),
            postcode: None,
            merged_into: None,
        }
    }

    #[tokio::test]
    async fn bulk_writes_are_read_back_on_every_backend() {
        for db in all_backends().await.expect("databases") {
            let store = &db.store;
            let authority = AuthorityId::new();
            let mut tx = store.begin().await.expect("begin");
            insert_authority(
                &mut tx,
                &Authority {
                    id: authority,
                    code: "bulkshire".into(),
                    name: "Bulkshire".into(),
                    threshold_framework: Default::default(),
                    threshold_framework_version: 1,
                    local_closure_days: vec![],
                },
                Utc::now(),
            )
            .await
            .expect("authority");
            tx.commit().await.expect("commit");

            // More rows than one statement holds, so the chunking is exercised.
            let people: Vec<Person> = (0..2_500)
                .map(|i| person(authority, &format!("B{i}"), &format!("Family{}", i % 7)))
                .collect();
            let names: Vec<(PersonId, PreviousName)> = people
                .iter()
                .take(3)
                .map(|p| {
                    (
                        p.id,
                        PreviousName {
                            given_name: "Ann".into(),
                            family_name: "Walker".into(),
                            kind: "previous".into(),
                        },
                    )
                })
                .collect();
            let mut keys: Vec<(String, PersonId)> = people
                .iter()
                .map(|p| (format!("fy:{}", p.family_name), p.id))
                .collect();
            keys.push(keys[0].clone()); // a repeated key is skipped
            keys.sort();
            let mut tx = store.begin().await.expect("begin");
            enlarge_page_cache(&mut tx, 16).await.expect("cache");
            let at = Utc::now();
            assert_eq!(
                insert_people(&mut tx, &people, at).await.expect("people"),
                2_500
            );
            assert_eq!(
                insert_previous_names(&mut tx, authority, &names, at)
                    .await
                    .expect("names"),
                3
            );
            assert_eq!(
                insert_blocking_keys(&mut tx, authority, &keys)
                    .await
                    .expect("keys"),
                2_500
            );
            raise_counter(&mut tx, authority, "person", 40)
                .await
                .expect("raise");
            raise_counter(&mut tx, authority, "person", 20)
                .await
                .expect("never lowers");
            assert_eq!(
                crate::people::next_counter(&mut tx, authority, "person")
                    .await
                    .expect("next"),
                41
            );
            tx.commit().await.expect("commit");

            assert_eq!(store.person_count(authority).await.expect("count"), 2_500);
            let sharing = store
                .search_candidates(authority, &["fy:Family3".to_string()], 1_000)
                .await
                .expect("search");
            assert_eq!(sharing.len(), 357, "{}", db.backend());
            let previous = store
                .previous_names_of(authority, &[people[0].id])
                .await
                .expect("names");
            assert_eq!(previous[&people[0].id][0].family_name, "Walker");
            let used = store
                .existing_la_person_ids(authority, &["B7".to_string(), "X1".to_string()])
                .await
                .expect("ids");
            assert_eq!(used, ["B7"]);
            db.remove().await;
        }
    }

    #[test]
    fn values_lists_number_every_parameter() {
        assert_eq!(
            values_list(2, 3, Placeholders::Numbered),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(values_list(1, 1, Placeholders::Numbered), "($1)");
        assert_eq!(
            values_list(2, 2, Placeholders::Positional),
            "(?, ?), (?, ?)"
        );
    }
}
