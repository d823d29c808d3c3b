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

    /// Every column but generated row ids, people named by their LA person id, in order.
    async fn written_rows(store: &Store, authority: AuthorityId) -> Vec<String> {
        let queries = [
            "SELECT p.la_person_id, p.given_name, p.family_name, p.birth_date, p.birth_date_expected, p.sex, p.ethnicity, p.nhs_number, p.upn, p.disabilities, p.postcode, p.merged_into, p.created_at, p.updated_at FROM people p WHERE p.authority_id = $1 ORDER BY 1",
            "SELECT p.la_person_id, n.given_name, n.family_name, n.kind, n.recorded_at FROM person_names n JOIN people p ON p.id = n.person_id WHERE n.authority_id = $1 ORDER BY 1, 2, 3",
            "SELECT p.la_person_id, a.line1, a.line2, a.town, a.postcode, a.from_date, a.to_date, a.recorded_at FROM addresses a JOIN people p ON p.id = a.person_id WHERE a.authority_id = $1 ORDER BY 1",
            "SELECT p.la_person_id, k.blocking_key FROM person_blocking_keys k JOIN people p ON p.id = k.person_id WHERE k.authority_id = $1 ORDER BY 1, 2",
            "SELECT p.la_person_id, q.la_person_id, r.relationship, r.recorded_at FROM relationships r JOIN people p ON p.id = r.person_id JOIN people q ON q.id = r.related_person_id WHERE r.authority_id = $1 ORDER BY 1, 2, 3",
            "SELECT s.position, s.is_child, s.given_name, s.family_name, s.birth_date, s.sex, s.address, s.postcode, s.nhs_number, p.la_person_id, s.linked_at, s.linked_by FROM contact_subjects s JOIN people p ON p.id = s.person_id WHERE s.authority_id = $1 ORDER BY 1",
            "SELECT e.kind, e.recorded_at, e.actor_id, e.payload, (SELECT COUNT(*) FROM event_people x WHERE x.event_sequence = e.sequence) AS people FROM events e WHERE e.authority_id = $1 ORDER BY e.sequence",
        ];
        let mut rows = Vec::new();
        for sql in queries {
            on_pool!(store, pool => {
                for row in sqlx::query(sql).bind(authority.0).fetch_all(pool).await.expect(sql) {
                    let mut text = Vec::new();
                    for i in 0..row.len() {
                        let value = row
                            .try_get::<Option<String>, _>(i)
                            .map(|v| v.unwrap_or_default())
                            .or_else(|_| row.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                            // PostgreSQL's INTEGER (a subject's position) is not an i64.
                            .or_else(|_| row.try_get::<Option<i32>, _>(i).map(|v| format!("{v:?}")))
                            .or_else(|_| row.try_get::<Option<bool>, _>(i).map(|v| format!("{v:?}")))
                            .or_else(|_| row.try_get::<Option<Uuid>, _>(i).map(|v| format!("{v:?}")))
                            .or_else(|_| row.try_get::<Option<DateTime<Utc>>, _>(i).map(|v| format!("{v:?}")))
                            .or_else(|_| row.try_get::<Option<chrono::NaiveDate>, _>(i).map(|v| format!("{v:?}")))
                            .unwrap_or_else(|e| format!("unreadable: {e}"));
                        text.push(value);
                    }
                    rows.push(format!("{sql:.40}| {}", text.join(" | ")));
                }
            });
        }
        rows
    }

    #[tokio::test]
    async fn a_row_batch_writes_what_the_row_by_row_functions_write_on_every_backend() {
        use crate::contacts::{insert_contact, insert_subject, Contact, Referrer};
        use crate::people::{
            insert_address, insert_person, insert_previous_name, insert_relationship,
            replace_blocking_keys,
        };
        use frontdoor_domain::contact::{
            ContactChannel, ContactStatus, FamilyConsent, ReferralSource, Urgency,
        };
        use frontdoor_domain::ids::ContactId;
        for db in all_backends().await.expect("databases") {
            let store = &db.store;
            let at = crate::to_stored_instant(Utc::now());
            let mut authorities = Vec::new();
            for (code, batched) in [("onebyone", false), ("batched", true)] {
                let authority = AuthorityId::new();
                let mut tx = store.begin().await.expect("begin");
                insert_authority(
                    &mut tx,
                    &Authority {
                        id: authority,
                        code: code.into(),
                        name: code.into(),
                        threshold_framework: Default::default(),
                        threshold_framework_version: 1,
                        local_closure_days: vec![],
                    },
                    at,
                )
                .await
                .expect("authority");
                let contact = Contact {
                    id: ContactId::new(),
                    authority,
                    reference: "C-1".into(),
                    received_at: at,
                    recorded_at: at,
                    recorded_by: None,
                    channel: ContactChannel::Phone,
                    source: ReferralSource::Police,
                    referrer: Referrer::default(),
                    made_by_organisation: None,
                    concern_categories: vec![],
                    concern_summary: "A concern".into(),
                    urgency: Urgency::Standard,
                    out_of_hours: false,
                    family_consent: FamilyConsent::Given,
                    consent_notes: String::new(),
                    team: None,
                    status: ContactStatus::AwaitingTriage,
                    decision_due_at: at,
                    decided_at: None,
                };
                insert_contact(&mut tx, &contact).await.expect("contact");
                let mut rows = if batched {
                    Some(RowBatch::start(&mut tx, authority).await.expect("batch"))
                } else {
                    None
                };
                let mut people = Vec::new();
                for i in 0..3 {
                    let mut p = person(authority, &format!("P{i}"), "Walker");
                    p.nhs_number = None;
                    p.postcode = None;
                    let name = PreviousName {
                        given_name: "Ann".into(),
                        family_name: format!("Before{i}"),
                        kind: "previous".into(),
                    };
                    let address = Address {
                        line1: format!("{i} High Street"),
                        line2: String::new(),
                        town: "Testham".into(),
                        postcode: Some("TE1 1ST".into()),
                        from_date: None,
                        to_date: None,
                    };
                    let keys = vec![format!("fy:Walker"), format!("id:P{i}")];
                    let subject = ContactSubject {
                        id: Uuid::now_v7(),
                        contact: contact.id,
                        position: i,
                        is_child: i > 0,
                        given_name: "Ann".into(),
                        family_name: "Walker".into(),
                        birth_date: p.birth_date,
                        sex: p.sex,
                        address: "1 High Street".into(),
                        postcode: None,
                        nhs_number: None,
                        person: Some(p.id),
                        linked_at: Some(at),
                        linked_by: None,
                    };
                    let event = NewEvent::new(authority, at, "person_created", p.id.0)
                        .about(p.id)
                        .about(p.id)
                        .with(serde_json::json!({ "la_person_id": p.la_person_id }));
                    match rows.as_mut() {
                        Some(rows) => {
                            rows.person(p.clone(), at);
                            rows.previous_name(p.id, name, at);
                            rows.address(p.id, address, at);
                            rows.blocking_keys(p.id, &keys);
                            rows.contact_subject(subject);
                            rows.event(event);
                        }
                        None => {
                            insert_person(&mut tx, &p, at).await.expect("person");
                            insert_previous_name(&mut tx, authority, p.id, &name, at)
                                .await
                                .expect("name");
                            insert_address(&mut tx, authority, p.id, &address, at)
                                .await
                                .expect("address");
                            replace_blocking_keys(&mut tx, authority, p.id, &keys)
                                .await
                                .expect("keys");
                            insert_subject(&mut tx, authority, &subject)
                                .await
                                .expect("subject");
                            crate::events::append(&mut tx, event).await.expect("event");
                        }
                    }
                    people.push(p.id);
                }
                for pair in people.windows(2) {
                    match rows.as_mut() {
                        Some(rows) => {
                            rows.relationship(pair[0], Relationship::SiblingOf, pair[1], at);
                            // The same relationship twice is stored once.
                            rows.relationship(pair[0], Relationship::SiblingOf, pair[1], at);
                        }
                        None => {
                            insert_relationship(
                                &mut tx,
                                authority,
                                pair[0],
                                Relationship::SiblingOf,
                                pair[1],
                                at,
                            )
                            .await
                            .expect("relationship");
                        }
                    }
                }
                if let Some(rows) = rows.as_mut() {
                    assert!(rows.holds_any(&people[..1]));
                    assert!(rows.pending_rows() > 0);
                    rows.flush(&mut tx).await.expect("flush");
                    assert!(!rows.holds_any(&people));
                }
                tx.commit().await.expect("commit");
                authorities.push(authority);
            }
            let one_by_one = written_rows(store, authorities[0]).await;
            let batched = written_rows(store, authorities[1]).await;
            assert_eq!(
                one_by_one.len(),
                3 + 3 + 3 + 6 + 2 + 3 + 3,
                "{}",
                db.backend()
            );
            assert_eq!(one_by_one, batched, "{}", db.backend());
            assert!(
                !one_by_one.iter().any(|row| row.contains("unreadable")),
                "{one_by_one:#?}"
            );
            let audit = store.verify_events().await.expect("verify");
            assert!(audit.first_break.is_none(), "{audit:?}");
            assert_eq!(audit.verified, 6);
            db.remove().await;
        }
    }

    #[tokio::test]
    async fn a_counter_block_hands_out_the_numbers_one_by_one_would() {
        for db in all_backends().await.expect("databases") {
            let store = &db.store;
            let authority = AuthorityId::new();
            let mut tx = store.begin().await.expect("begin");
            insert_authority(
                &mut tx,
                &Authority {
                    id: authority,
                    code: "counted".into(),
                    name: "Counted".into(),
                    threshold_framework: Default::default(),
                    threshold_framework_version: 1,
                    local_closure_days: vec![],
                },
                Utc::now(),
            )
            .await
            .expect("authority");
            // A counter not used before starts at 1; one used before carries on.
            assert_eq!(
                reserve_counter_block(&mut tx, authority, "person", 5)
                    .await
                    .expect("block"),
                1
            );
            assert_eq!(
                crate::people::next_counter(&mut tx, authority, "person")
                    .await
                    .expect("next"),
                6
            );
            assert_eq!(
                reserve_counter_block(&mut tx, authority, "person", 3)
                    .await
                    .expect("block"),
                7
            );
            assert_eq!(
                crate::people::next_counter(&mut tx, authority, "person")
                    .await
                    .expect("next"),
                10
            );
            tx.commit().await.expect("commit");
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
