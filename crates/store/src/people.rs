//! People (children and adults), their previous names, addresses and relationships, and the
//! blocking keys that make person search fast.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_domain::person::{EthnicityCode, NhsNumber, Postcode, Relationship, Sex, Upn};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub id: PersonId,
    pub authority: AuthorityId,
    pub la_person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<NaiveDate>,
    pub birth_date_expected: bool,
    pub sex: Sex,
    pub ethnicity: EthnicityCode,
    pub nhs_number: Option<NhsNumber>,
    pub upn: Option<Upn>,
    /// CIN census disability codes, comma separated ("NONE" when none).
    pub disabilities: String,
    /// The current address's postcode, kept on the person for matching.
    pub postcode: Option<Postcode>,
    pub merged_into: Option<PersonId>,
}

impl Person {
    pub fn full_name(&self) -> String {
        if self.given_name.is_empty() {
            self.family_name.clone()
        } else {
            format!("{} {}", self.given_name, self.family_name)
        }
    }
    /// Age in whole years on a date; `None` when unborn or the date of birth is unknown.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        match (self.birth_date, self.birth_date_expected) {
            (Some(born), false) => on.years_since(born),
            _ => None,
        }
    }
    pub fn is_child_on(&self, on: NaiveDate) -> bool {
        self.birth_date_expected || self.age_on(on).is_some_and(|age| age < 18)
    }
}

/// The fields of a person that matching reads, as stored (see [`Store::search_candidates`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchCandidate {
    pub id: PersonId,
    pub la_person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub previous_family_names: Vec<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
    pub postcode: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PreviousName {
    pub given_name: String,
    pub family_name: String,
    pub kind: String,
}

impl PreviousName {
    /// A person's earlier family names, each kept with their given name.
    pub fn family_names<S: Into<String>>(
        given_name: &str,
        family_names: impl IntoIterator<Item = S>,
    ) -> Vec<PreviousName> {
        family_names
            .into_iter()
            .map(|family| PreviousName {
                given_name: given_name.to_string(),
                family_name: family.into(),
                kind: "previous".into(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Address {
    pub line1: String,
    pub line2: String,
    pub town: String,
    pub postcode: Option<String>,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RelatedPerson {
    pub relationship: Relationship,
    /// True when the stored relationship reads "other is <relationship> this person".
    pub inverse: bool,
    pub person: Person,
}

const PERSON_COLUMNS: &str = "id, authority_id, la_person_id, given_name, family_name, birth_date, birth_date_expected, sex, ethnicity, nhs_number, upn, disabilities, postcode, merged_into";

macro_rules! person_from_row {
    ($row:expr) => {{
        let row = $row;
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value}"));
        let sex: String = row.try_get("sex")?;
        let ethnicity: String = row.try_get("ethnicity")?;
        let nhs: Option<String> = row.try_get("nhs_number")?;
        let upn: Option<String> = row.try_get("upn")?;
        let postcode: Option<String> = row.try_get("postcode")?;
        Person {
            id: PersonId(row.try_get("id")?),
            authority: AuthorityId(row.try_get("authority_id")?),
            la_person_id: row.try_get("la_person_id")?,
            given_name: row.try_get("given_name")?,
            family_name: row.try_get("family_name")?,
            birth_date: row.try_get("birth_date")?,
            birth_date_expected: row.try_get("birth_date_expected")?,
            sex: sex.parse().map_err(|_| corrupt("sex", &sex))?,
            ethnicity: EthnicityCode::parse(&ethnicity)
                .map_err(|_| corrupt("ethnicity", &ethnicity))?,
            nhs_number: nhs
                .as_deref()
                .map(NhsNumber::parse)
                .transpose()
                .map_err(|_| corrupt("NHS number", "?"))?,
            upn: upn
                .as_deref()
                .map(Upn::parse)
                .transpose()
                .map_err(|_| corrupt("UPN", "?"))?,
            disabilities: row.try_get("disabilities")?,
            postcode: postcode
                .as_deref()
                .map(Postcode::parse)
                .transpose()
                .map_err(|_| corrupt("postcode", "?"))?,
            merged_into: row.try_get::<Option<Uuid>, _>("merged_into")?.map(PersonId),
        }
    }};
}

/// Decodes a row with a person's matching fields (see [`Store::search_candidates`]).
macro_rules! search_candidate_from_row {
    ($row:expr) => {{
        let r = $row;
        let sex: String = r.try_get("sex")?;
        let previous: Option<String> = r.try_get("previous_family_names")?;
        Ok(SearchCandidate {
            id: PersonId(r.try_get("id")?),
            la_person_id: r.try_get("la_person_id")?,
            given_name: r.try_get("given_name")?,
            family_name: r.try_get("family_name")?,
            previous_family_names: previous
                .map(|joined| joined.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
            birth_date: r.try_get("birth_date")?,
            sex: sex
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("sex {sex}")))?,
            postcode: r.try_get("postcode")?,
            nhs_number: r.try_get("nhs_number")?,
            upn: r.try_get("upn")?,
        })
    }};
}

/// Takes the next value of a per-authority counter (e.g. "person", "contact-2026").
pub async fn next_counter(
    tx: &mut Tx,
    authority: AuthorityId,
    counter: &str,
) -> Result<i64, StoreError> {
    // One statement, so two transactions can never be handed the same number: PostgreSQL
    // takes the row lock in the upsert and the second waits for the first to commit; SQLite's
    // IMMEDIATE transaction already holds the write lock.
    on_tx!(tx, conn => {
        let next: i64 = sqlx::query_scalar(
            "INSERT INTO counters (authority_id, counter, last_value) VALUES ($1, $2, 1)
             ON CONFLICT (authority_id, counter) DO UPDATE SET last_value = counters.last_value + 1
             RETURNING last_value",
        )
        .bind(authority.0).bind(counter).fetch_one(&mut *conn).await?;
        Ok(next)
    })
}

pub async fn insert_person(
    tx: &mut Tx,
    person: &Person,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO people (id, authority_id, la_person_id, given_name, family_name, birth_date, birth_date_expected, sex, ethnicity, nhs_number, upn, disabilities, postcode, merged_into, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
        )
        .bind(person.id.0).bind(person.authority.0).bind(&person.la_person_id)
        .bind(&person.given_name).bind(&person.family_name).bind(person.birth_date).bind(person.birth_date_expected)
        .bind(person.sex.code()).bind(person.ethnicity.code())
        .bind(person.nhs_number.as_ref().map(|n| n.as_str().to_string()))
        .bind(person.upn.as_ref().map(|u| u.as_str().to_string()))
        .bind(&person.disabilities)
        .bind(person.postcode.as_ref().map(|p| p.as_str().to_string()))
        .bind(person.merged_into.map(|p| p.0))
        .bind(at)
        .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Reads people inside a write transaction and holds their rows until it ends (PostgreSQL
/// `FOR UPDATE`, taken in id order so two transactions locking the same pair cannot deadlock;
/// SQLite's IMMEDIATE transaction already holds the write lock). Missing ids are left out.
pub async fn people_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    ids: &[PersonId],
) -> Result<Vec<Person>, StoreError> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql =
        format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1 AND authority_id = $2{lock}");
    let mut people = Vec::with_capacity(ids.len());
    for id in ids {
        let person = on_tx!(tx, conn => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
                Some(row) => Some(person_from_row!(&row)),
                None => None,
            }
        });
        people.extend(person);
    }
    Ok(people)
}

/// Marks a person merged into another (`Some`) or unmerged (`None`) if their merge state is
/// still `expected`; false, with nothing changed, when someone else changed it first.
pub async fn set_merged_into(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
    expected: Option<PersonId>,
    merged_into: Option<PersonId>,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let guard = match expected {
        Some(_) => "merged_into = $5",
        None => "merged_into IS NULL",
    };
    let sql = format!(
        "UPDATE people SET merged_into = $1, updated_at = $2 WHERE id = $3 AND authority_id = $4 AND {guard}"
    );
    let changed = on_tx!(tx, conn => {
        let mut query = sqlx::query(&sql)
            .bind(merged_into.map(|p| p.0)).bind(at).bind(person.0).bind(authority.0);
        if let Some(expected) = expected {
            query = query.bind(expected.0);
        }
        query.execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

pub async fn insert_previous_name(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
    name: &PreviousName,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO person_names (id, authority_id, person_id, given_name, family_name, kind, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(Uuid::now_v7()).bind(authority.0).bind(person.0).bind(&name.given_name).bind(&name.family_name).bind(&name.kind).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_address(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
    address: &Address,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO addresses (id, authority_id, person_id, line1, line2, town, postcode, from_date, to_date, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(Uuid::now_v7()).bind(authority.0).bind(person.0).bind(&address.line1).bind(&address.line2).bind(&address.town)
            .bind(&address.postcode).bind(address.from_date).bind(address.to_date).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Records a relationship unless the same one is already recorded (in one statement, so two
/// people recording it at once store it once); false when it was already there.
pub async fn insert_relationship(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
    relationship: Relationship,
    related: PersonId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let inserted = on_tx!(tx, conn => {
        sqlx::query("INSERT INTO relationships (id, authority_id, person_id, related_person_id, relationship, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (person_id, related_person_id, relationship) DO NOTHING")
            .bind(Uuid::now_v7()).bind(authority.0).bind(person.0).bind(related.0).bind(relationship.code()).bind(at)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(inserted == 1)
}

/// Replaces a person's blocking keys (after they are created, changed or merged).
pub async fn replace_blocking_keys(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
    keys: &[String],
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM person_blocking_keys WHERE person_id = $1 AND authority_id = $2")
            .bind(person.0).bind(authority.0).execute(&mut *conn).await?;
        for key in keys {
            sqlx::query("INSERT INTO person_blocking_keys (authority_id, blocking_key, person_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(authority.0).bind(key).bind(person.0).execute(&mut *conn).await?;
        }
    });
    Ok(())
}

impl Store {
    pub async fn person(&self, authority: AuthorityId, id: PersonId) -> Result<Person, StoreError> {
        let sql =
            format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1 AND authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(person_from_row!(&row)),
                None => Err(StoreError::NotFound("The person")),
            }
        })
    }

    /// People by id (in no particular order); ids from another authority are ignored.
    pub async fn people_by_ids(
        &self,
        authority: AuthorityId,
        ids: &[PersonId],
    ) -> Result<Vec<Person>, StoreError> {
        let mut people = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| self.placeholder(i + 1)).collect();
            // By id alone, the authority checked on each row below: with `authority_id = $1`
            // in the WHERE clause, SQLite's planner (without statistics) read every person of
            // the authority through an index led by authority_id instead of looking up each id
            // (23 ms a search with 20,000 people; it grows with the authority).
            let sql = format!(
                "SELECT {PERSON_COLUMNS} FROM people WHERE id IN ({})",
                placeholders.join(", ")
            );
            on_pool!(self, pool => {
                let mut query = sqlx::query(&sql);
                for id in chunk {
                    query = query.bind(id.0);
                }
                for row in query.fetch_all(pool).await?.iter() {
                    let person = person_from_row!(row);
                    if person.authority == authority {
                        people.push(person);
                    }
                }
            });
        }
        Ok(people)
    }

    /// The people sharing most of `keys` (at most `limit`, those sharing most first), with
    /// only the fields person matching reads, in one query: a search scores hundreds of
    /// candidates and reads whole records only for the few it shows. Merged records are left
    /// out.
    pub async fn search_candidates(
        &self,
        authority: AuthorityId,
        keys: &[String],
        limit: i64,
    ) -> Result<Vec<SearchCandidate>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..keys.len()).map(|i| format!("${}", i + 2)).collect();
        // CROSS JOIN makes SQLite read the few candidates first and each person by id (its
        // planner may otherwise walk the authority's people).
        let columns = self.matching_columns();
        let sql = format!(
            "SELECT {columns}
             FROM (SELECT person_id, COUNT(*) AS shared FROM person_blocking_keys
                   WHERE authority_id = $1 AND blocking_key IN ({})
                   GROUP BY person_id ORDER BY shared DESC LIMIT {limit}) k
             CROSS JOIN people p
             WHERE p.id = k.person_id AND p.authority_id = $1 AND p.merged_into IS NULL
             ORDER BY k.shared DESC, p.id",
            placeholders.join(", ")
        );
        on_pool!(self, pool => {
            let mut query = sqlx::query(&sql).bind(authority.0);
            for key in keys {
                query = query.bind(key);
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter().map(|r| search_candidate_from_row!(r)).collect()
        })
    }

    /// The matching fields of every person of an authority not merged into another, for
    /// duplicate detection over the whole index.
    pub async fn matching_fields_of_all(
        &self,
        authority: AuthorityId,
    ) -> Result<Vec<SearchCandidate>, StoreError> {
        let sql = format!(
            "SELECT {} FROM people p WHERE p.authority_id = $1 AND p.merged_into IS NULL ORDER BY p.id",
            self.matching_columns()
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| search_candidate_from_row!(r)).collect()
        })
    }

    /// The columns [`SearchCandidate`] is read from (people as `p`). Previous family names come
    /// joined by the unit separator, a control character names cannot hold (PersonName refuses
    /// them); their order does not matter to matching.
    fn matching_columns(&self) -> &'static str {
        match &self.backend {
            crate::Backend::Sqlite(_) => {
                "p.id, p.la_person_id, p.given_name, p.family_name, p.birth_date, p.sex, p.postcode, p.nhs_number, p.upn,
                 (SELECT group_concat(n.family_name, char(31)) FROM person_names n WHERE n.person_id = p.id) AS previous_family_names"
            }
            crate::Backend::Postgres(_) => {
                "p.id, p.la_person_id, p.given_name, p.family_name, p.birth_date, p.sex, p.postcode, p.nhs_number, p.upn,
                 (SELECT string_agg(n.family_name, chr(31)) FROM person_names n WHERE n.person_id = p.id) AS previous_family_names"
            }
        }
    }

    pub async fn previous_names(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<PreviousName>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT given_name, family_name, kind FROM person_names WHERE person_id = $1 AND authority_id = $2 ORDER BY recorded_at")
                .bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(PreviousName { given_name: r.try_get("given_name")?, family_name: r.try_get("family_name")?, kind: r.try_get("kind")? })).collect()
        })
    }

    pub async fn addresses(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<Address>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT line1, line2, town, postcode, from_date, to_date FROM addresses WHERE person_id = $1 AND authority_id = $2 ORDER BY recorded_at DESC")
                .bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(Address {
                line1: r.try_get("line1")?, line2: r.try_get("line2")?, town: r.try_get("town")?,
                postcode: r.try_get("postcode")?, from_date: r.try_get("from_date")?, to_date: r.try_get("to_date")?,
            })).collect()
        })
    }

    /// Everyone related to a person, in either direction.
    pub async fn related_people(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<RelatedPerson>, StoreError> {
        let links: Vec<(Uuid, Uuid, String)> = on_pool!(self, pool => {
            let rows = sqlx::query("SELECT person_id, related_person_id, relationship FROM relationships WHERE authority_id = $1 AND (person_id = $2 OR related_person_id = $2)")
                .bind(authority.0).bind(person.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok((r.try_get("person_id")?, r.try_get("related_person_id")?, r.try_get("relationship")?))).collect::<Result<Vec<_>, StoreError>>()?
        });
        let ids: Vec<PersonId> = links
            .iter()
            .map(|(a, b, _)| {
                if *a == person.0 {
                    PersonId(*b)
                } else {
                    PersonId(*a)
                }
            })
            .collect();
        let people = self.people_by_ids(authority, &ids).await?;
        let mut related = Vec::new();
        for (from, to, code) in links {
            let relationship = Relationship::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("relationship {code}")))?;
            let (other, inverse) = if from == person.0 {
                (to, false)
            } else {
                (from, true)
            };
            if let Some(p) = people.iter().find(|p| p.id.0 == other) {
                related.push(RelatedPerson {
                    relationship,
                    inverse,
                    person: p.clone(),
                });
            }
        }
        Ok(related)
    }

    /// The person the authority knows by this LA person id, if any.
    pub async fn person_id_by_la_id(
        &self,
        authority: AuthorityId,
        la_person_id: &str,
    ) -> Result<Option<PersonId>, StoreError> {
        let id: Option<Uuid> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT id FROM people WHERE authority_id = $1 AND la_person_id = $2")
                .bind(authority.0).bind(la_person_id).fetch_optional(pool).await?
        });
        Ok(id.map(PersonId))
    }

    pub async fn person_count(&self, authority: AuthorityId) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE authority_id = $1").bind(authority.0).fetch_one(pool).await?
        }))
    }
}

impl Store {
    /// The `n`th (from 1) bound parameter of a long `IN` list: `$n` on PostgreSQL; on SQLite a
    /// plain `?` (in order), because SQLite treats `$n` as a name and looks every one up among
    /// those before it, which with hundreds of ids costs more than the lookups themselves.
    pub(crate) fn placeholder(&self, n: usize) -> String {
        match self.backend {
            crate::Backend::Sqlite(_) => "?".to_string(),
            crate::Backend::Postgres(_) => format!("${n}"),
        }
    }

    /// Previous names of many people at once, grouped by person.
    pub async fn previous_names_of(
        &self,
        authority: AuthorityId,
        ids: &[PersonId],
    ) -> Result<std::collections::HashMap<PersonId, Vec<PreviousName>>, StoreError> {
        let mut grouped: std::collections::HashMap<PersonId, Vec<PreviousName>> =
            std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| self.placeholder(i + 2)).collect();
            let sql = format!(
                "SELECT person_id, given_name, family_name, kind FROM person_names WHERE authority_id = {} AND person_id IN ({}) ORDER BY recorded_at",
                self.placeholder(1),
                placeholders.join(", ")
            );
            on_pool!(self, pool => {
                let mut query = sqlx::query(&sql).bind(authority.0);
                for id in chunk {
                    query = query.bind(id.0);
                }
                for r in query.fetch_all(pool).await?.iter() {
                    grouped.entry(PersonId(r.try_get("person_id")?)).or_default().push(PreviousName {
                        given_name: r.try_get("given_name")?,
                        family_name: r.try_get("family_name")?,
                        kind: r.try_get("kind")?,
                    });
                }
            });
        }
        Ok(grouped)
    }
}
