//! Bulk writes for operator tasks (CSV import, synthetic loads, benchmarks): many rows a statement, in the
//! caller's transaction. Multi-row `VALUES` lists, one query source for both backends.
//!
//! These functions write records only. The caller decides what else the load needs: a CSV
//! import writes an event for every person through the ordinary path; a benchmark that fills
//! a database with a million people for timing search may write people and search keys alone.

use crate::contacts::ContactSubject;
use crate::events::{EventBatch, NewEvent};
use crate::people::{Address, Person, PreviousName};
use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_domain::person::Relationship;
use sqlx::Row;
use std::collections::HashSet;
use uuid::Uuid;

/// Bound parameters a statement may carry: under SQLite's limit (32,766) and PostgreSQL's
/// (65,535).
pub(crate) const MAX_PARAMETERS: usize = 30_000;

/// How a backend wants its parameters in a long `VALUES` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholders {
    /// `$1, $2, ...` (PostgreSQL).
    Numbered,
    /// `?, ?, ...` (SQLite: it looks each `$N` up among the names seen so far, so a statement
    /// with thousands of them takes seconds to prepare; plain `?` takes microseconds).
    Positional,
}

impl Placeholders {
    pub(crate) fn of(tx: &Tx) -> Self {
        if tx.is_postgres() {
            Placeholders::Numbered
        } else {
            Placeholders::Positional
        }
    }
}

/// `($1, $2, $3), ($4, $5, $6), ...` (or `(?, ?, ?), ...`) for `rows` rows of `columns`
/// columns.
pub(crate) fn values_list(rows: usize, columns: usize, style: Placeholders) -> String {
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

/// Runs one multi-row insert per chunk of `rows`, as many rows a statement as the bind limit
/// allows, and returns the rows written: `insert_many!(tx, "INSERT INTO t (a, b)", 2,
/// "ON CONFLICT DO NOTHING", rows, |query, row| query.bind(row.a).bind(row.b))`. The closure
/// binds exactly `columns` values per row, in order.
macro_rules! insert_many {
    ($tx:expr, $head:expr, $columns:expr, $tail:expr, $rows:expr, |$query:ident, $row:ident| $bind:expr) => {{
        let rows = $rows;
        let style = $crate::bulk::Placeholders::of($tx);
        let mut written: u64 = 0;
        for chunk in rows.chunks($crate::bulk::MAX_PARAMETERS / $columns) {
            let sql = format!(
                "{} VALUES {} {}",
                $head,
                $crate::bulk::values_list(chunk.len(), $columns, style),
                $tail
            );
            written += $crate::on_tx!($tx, conn => {
                let mut $query = sqlx::query(&sql);
                for $row in chunk {
                    $query = $bind;
                }
                $query.execute(&mut *conn).await?.rows_affected()
            });
        }
        written
    }};
}
pub(crate) use insert_many;

const PEOPLE_INSERT: &str = "INSERT INTO people (id, authority_id, la_person_id, given_name, family_name, birth_date, birth_date_expected, sex, ethnicity, nhs_number, upn, disabilities, postcode, merged_into, created_at, updated_at)";

/// Binds a person's 16 columns of [`PEOPLE_INSERT`], created and updated at `at`.
macro_rules! bind_person {
    ($query:expr, $person:expr, $at:expr) => {{
        let person: &Person = $person;
        let at: DateTime<Utc> = $at;
        $query
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
            .bind(at)
    }};
}

/// Inserts people, many to a statement. Returns the number of rows written.
pub async fn insert_people(
    tx: &mut Tx,
    people: &[Person],
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let at = crate::to_stored_instant(at);
    Ok(insert_many!(
        tx,
        PEOPLE_INSERT,
        16,
        "",
        people,
        |query, person| bind_person!(query, person, at)
    ))
}

/// Inserts people each created at their own instant, many to a statement.
async fn insert_people_at(
    tx: &mut Tx,
    people: &[(Person, DateTime<Utc>)],
) -> Result<u64, StoreError> {
    Ok(insert_many!(
        tx,
        PEOPLE_INSERT,
        16,
        "",
        people,
        |query, row| bind_person!(query, &row.0, crate::to_stored_instant(row.1))
    ))
}

/// Inserts previous names (person, name), many to a statement.
pub async fn insert_previous_names(
    tx: &mut Tx,
    authority: AuthorityId,
    names: &[(PersonId, PreviousName)],
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let at = crate::to_stored_instant(at);
    Ok(insert_many!(
        tx,
        "INSERT INTO person_names (id, authority_id, person_id, given_name, family_name, kind, recorded_at)",
        7,
        "",
        names,
        |query, row| {
            let (person, name) = row;
            query
                .bind(Uuid::now_v7())
                .bind(authority.0)
                .bind(person.0)
                .bind(&name.given_name)
                .bind(&name.family_name)
                .bind(&name.kind)
                .bind(at)
        }
    ))
}

/// Inserts search (blocking) keys (key, person), many to a statement; a key a person already
/// has is skipped. Rows sorted by key insert fastest.
pub async fn insert_blocking_keys(
    tx: &mut Tx,
    authority: AuthorityId,
    keys: &[(String, PersonId)],
) -> Result<u64, StoreError> {
    Ok(insert_many!(
        tx,
        "INSERT INTO person_blocking_keys (authority_id, blocking_key, person_id)",
        3,
        "ON CONFLICT DO NOTHING",
        keys,
        |query, row| query.bind(authority.0).bind(&row.0).bind(row.1 .0)
    ))
}

/// Takes `count` numbers of a per-authority counter at once, in one statement (never
/// read-then-write): returns the first; the numbers up to `first + count - 1` are the caller's.
/// The same numbers, in the same order, as `count` calls of
/// [`next_counter`](crate::people::next_counter).
pub async fn reserve_counter_block(
    tx: &mut Tx,
    authority: AuthorityId,
    counter: &str,
    count: i64,
) -> Result<i64, StoreError> {
    let last: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO counters (authority_id, counter, last_value) VALUES ($1, $2, $3)
             ON CONFLICT (authority_id, counter) DO UPDATE SET last_value = counters.last_value + $3
             RETURNING last_value",
        )
        .bind(authority.0).bind(counter).bind(count).fetch_one(&mut *conn).await?
    });
    Ok(last - count + 1)
}

/// Rows of a bulk load held in memory and written many to a statement by [`RowBatch::flush`]:
/// people with their previous names, addresses, search keys and relationships; the people
/// named on contacts; and events, linked into the hash chain in memory ([`EventBatch`]).
///
/// One batch lives for one transaction ([`RowBatch::start`] takes the event chain's lock and
/// reads its head). Push rows as the load goes and flush before committing. Foreign keys are
/// checked statement by statement, so before writing directly anything that names a person
/// pushed here (a referral, an episode), flush if [`RowBatch::holds_any`] says one is still
/// held. Each row is what the row-by-row functions write ([`crate::people::insert_person`],
/// [`crate::contacts::insert_subject`], [`crate::events::append`], ...).
#[derive(Debug)]
pub struct RowBatch {
    authority: AuthorityId,
    people: Vec<(Person, DateTime<Utc>)>,
    previous_names: Vec<(PersonId, PreviousName, DateTime<Utc>)>,
    addresses: Vec<(PersonId, Address, DateTime<Utc>)>,
    blocking_keys: Vec<(String, PersonId)>,
    relationships: Vec<(PersonId, Relationship, PersonId, DateTime<Utc>)>,
    subjects: Vec<ContactSubject>,
    events: EventBatch,
    held: HashSet<PersonId>,
    /// Rows pushed and not yet written (events counted with their people).
    pending_rows: usize,
}

impl RowBatch {
    /// A batch for this transaction (locks the event chain until it ends).
    pub async fn start(tx: &mut Tx, authority: AuthorityId) -> Result<Self, StoreError> {
        Ok(RowBatch {
            authority,
            people: Vec::new(),
            previous_names: Vec::new(),
            addresses: Vec::new(),
            blocking_keys: Vec::new(),
            relationships: Vec::new(),
            subjects: Vec::new(),
            events: EventBatch::start(tx).await?,
            held: HashSet::new(),
            pending_rows: 0,
        })
    }

    /// A new person, created at `at`.
    pub fn person(&mut self, person: Person, at: DateTime<Utc>) {
        self.held.insert(person.id);
        self.people.push((person, at));
        self.pending_rows += 1;
    }

    pub fn previous_name(&mut self, person: PersonId, name: PreviousName, at: DateTime<Utc>) {
        self.previous_names.push((person, name, at));
        self.pending_rows += 1;
    }

    pub fn address(&mut self, person: PersonId, address: Address, at: DateTime<Utc>) {
        self.addresses.push((person, address, at));
        self.pending_rows += 1;
    }

    /// A new person's search keys (a key they already have is skipped).
    pub fn blocking_keys(&mut self, person: PersonId, keys: &[String]) {
        self.blocking_keys
            .extend(keys.iter().map(|key| (key.clone(), person)));
        self.pending_rows += keys.len();
    }

    /// A relationship (left out when the same one is already recorded).
    pub fn relationship(
        &mut self,
        person: PersonId,
        relationship: Relationship,
        related: PersonId,
        at: DateTime<Utc>,
    ) {
        self.relationships.push((person, relationship, related, at));
        self.pending_rows += 1;
    }

    /// A person named on a contact (the contact itself already written).
    pub fn contact_subject(&mut self, subject: ContactSubject) {
        self.subjects.push(subject);
        self.pending_rows += 1;
    }

    /// An event, linked after the last; returns its sequence number.
    pub fn event(&mut self, event: NewEvent) -> i64 {
        self.pending_rows += 1 + event.people.len();
        self.events.push(event)
    }

    /// Whether any of these people is still held here (not yet written).
    pub fn holds_any(&self, people: &[PersonId]) -> bool {
        !self.held.is_empty() && people.iter().any(|p| self.held.contains(p))
    }

    /// Rows pushed and not yet written: flush when it grows large, to bound memory.
    pub fn pending_rows(&self) -> usize {
        self.pending_rows
    }

    /// Writes everything held, people first and events last; returns the rows written.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<u64, StoreError> {
        let authority = self.authority;
        let mut written = insert_people_at(tx, &std::mem::take(&mut self.people)).await?;
        written += insert_many!(
            tx,
            "INSERT INTO person_names (id, authority_id, person_id, given_name, family_name, kind, recorded_at)",
            7,
            "",
            &std::mem::take(&mut self.previous_names),
            |query, row| query
                .bind(Uuid::now_v7())
                .bind(authority.0)
                .bind(row.0 .0)
                .bind(&row.1.given_name)
                .bind(&row.1.family_name)
                .bind(&row.1.kind)
                .bind(row.2)
        );
        written += insert_many!(
            tx,
            "INSERT INTO addresses (id, authority_id, person_id, line1, line2, town, postcode, from_date, to_date, recorded_at)",
            10,
            "",
            &std::mem::take(&mut self.addresses),
            |query, row| query
                .bind(Uuid::now_v7())
                .bind(authority.0)
                .bind(row.0 .0)
                .bind(&row.1.line1)
                .bind(&row.1.line2)
                .bind(&row.1.town)
                .bind(&row.1.postcode)
                .bind(row.1.from_date)
                .bind(row.1.to_date)
                .bind(row.2)
        );
        let mut keys = std::mem::take(&mut self.blocking_keys);
        keys.sort();
        written += insert_blocking_keys(tx, authority, &keys).await?;
        written += insert_many!(
            tx,
            "INSERT INTO relationships (id, authority_id, person_id, related_person_id, relationship, recorded_at)",
            6,
            "ON CONFLICT (person_id, related_person_id, relationship) DO NOTHING",
            &std::mem::take(&mut self.relationships),
            |query, row| query
                .bind(Uuid::now_v7())
                .bind(authority.0)
                .bind(row.0 .0)
                .bind(row.2 .0)
                .bind(row.1.code())
                .bind(row.3)
        );
        written += insert_many!(
            tx,
            "INSERT INTO contact_subjects (id, authority_id, contact_id, position, is_child, given_name, family_name, birth_date, sex, address, postcode, nhs_number, person_id, linked_at, linked_by)",
            15,
            "",
            &std::mem::take(&mut self.subjects),
            |query, subject| query
                .bind(subject.id)
                .bind(authority.0)
                .bind(subject.contact.0)
                .bind(subject.position)
                .bind(subject.is_child)
                .bind(&subject.given_name)
                .bind(&subject.family_name)
                .bind(subject.birth_date)
                .bind(subject.sex.code())
                .bind(&subject.address)
                .bind(&subject.postcode)
                .bind(&subject.nhs_number)
                .bind(subject.person.map(|p| p.0))
                .bind(subject.linked_at)
                .bind(subject.linked_by.map(|w| w.0))
        );
        written += self.events.flush(tx).await?;
        self.held.clear();
        self.pending_rows = 0;
        Ok(written)
    }
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
mod tests;
