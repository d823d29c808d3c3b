//! Contacts, the people they are about, and the contact queue.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::contact::{
    ConcernCategory, ContactChannel, ContactStatus, FamilyConsent, ReferralSource, Urgency,
};
use frontdoor_domain::ids::{AuthorityId, ContactId, OrganisationId, PersonId, TeamId, WorkerId};
use frontdoor_domain::person::Sex;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Referrer {
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub authority: AuthorityId,
    pub reference: String,
    pub received_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Option<WorkerId>,
    pub channel: ContactChannel,
    pub source: ReferralSource,
    pub referrer: Referrer,
    pub made_by_organisation: Option<OrganisationId>,
    pub concern_categories: Vec<ConcernCategory>,
    pub concern_summary: String,
    pub urgency: Urgency,
    pub out_of_hours: bool,
    pub family_consent: FamilyConsent,
    pub consent_notes: String,
    pub team: Option<TeamId>,
    pub status: ContactStatus,
    pub decision_due_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A person a contact is about, as the referrer described them, and the record they link to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactSubject {
    pub id: Uuid,
    pub contact: ContactId,
    pub position: i32,
    pub is_child: bool,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
    pub address: String,
    pub postcode: Option<String>,
    pub nhs_number: Option<String>,
    pub person: Option<PersonId>,
    pub linked_at: Option<DateTime<Utc>>,
    pub linked_by: Option<WorkerId>,
}

impl ContactSubject {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
            .trim()
            .to_string()
    }
}

/// One row of the contact queue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueEntry {
    pub id: ContactId,
    pub reference: String,
    pub received_at: DateTime<Utc>,
    pub source: ReferralSource,
    pub urgency: Urgency,
    pub out_of_hours: bool,
    pub status: ContactStatus,
    pub team: Option<TeamId>,
    pub decision_due_at: DateTime<Utc>,
    pub children: i64,
    pub unlinked: i64,
    pub first_child: String,
}

/// Filters on the contact queue. `None` means any.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub team: Option<TeamId>,
    pub status: Option<ContactStatus>,
    pub urgency: Option<Urgency>,
    pub out_of_hours: Option<bool>,
    pub limit: i64,
    pub offset: i64,
}

/// Where "overdue" and "due today" begin and end for the queue's counts, worked out by the
/// caller from the timescale rule and the local calendar.
#[derive(Debug, Clone, Copy)]
pub struct QueueDueBounds {
    /// A contact due before this instant is overdue.
    pub overdue_before: DateTime<Utc>,
    /// A contact due from `overdue_before` until this instant is due today.
    pub due_today_before: DateTime<Utc>,
}

/// One page of the queue, with counts over the whole queue the filter selects.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub entries: Vec<QueueEntry>,
    pub total: i64,
    pub overdue: i64,
    pub due_today: i64,
}

const CONTACT_COLUMNS: &str = "id, authority_id, reference, received_at, recorded_at, recorded_by, channel, source, referrer_name, referrer_organisation, referrer_role, referrer_phone, referrer_email, made_by_organisation_id, concern_categories, concern_summary, urgency, out_of_hours, family_consent, consent_notes, team_id, status, decision_due_at, decided_at";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

fn parse_categories(text: &str) -> Result<Vec<ConcernCategory>, StoreError> {
    text.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| ConcernCategory::from_code(c).map_err(|_| corrupt("concern", c)))
        .collect()
}

macro_rules! contact_from_row {
    ($row:expr) => {{
        let row = $row;
        let channel: String = row.try_get("channel")?;
        let source: String = row.try_get("source")?;
        let urgency: String = row.try_get("urgency")?;
        let consent: String = row.try_get("family_consent")?;
        let status: String = row.try_get("status")?;
        Contact {
            id: ContactId(row.try_get("id")?),
            authority: AuthorityId(row.try_get("authority_id")?),
            reference: row.try_get("reference")?,
            received_at: row.try_get("received_at")?,
            recorded_at: row.try_get("recorded_at")?,
            recorded_by: row.try_get::<Option<Uuid>, _>("recorded_by")?.map(WorkerId),
            channel: ContactChannel::from_code(&channel)
                .map_err(|_| corrupt("channel", &channel))?,
            source: ReferralSource::from_code(&source).map_err(|_| corrupt("source", &source))?,
            referrer: Referrer {
                name: row.try_get("referrer_name")?,
                organisation: row.try_get("referrer_organisation")?,
                role: row.try_get("referrer_role")?,
                phone: row.try_get("referrer_phone")?,
                email: row.try_get("referrer_email")?,
            },
            made_by_organisation: row
                .try_get::<Option<Uuid>, _>("made_by_organisation_id")?
                .map(OrganisationId),
            concern_categories: parse_categories(&row.try_get::<String, _>("concern_categories")?)?,
            concern_summary: row.try_get("concern_summary")?,
            urgency: Urgency::from_code(&urgency).map_err(|_| corrupt("urgency", &urgency))?,
            out_of_hours: row.try_get("out_of_hours")?,
            family_consent: FamilyConsent::from_code(&consent)
                .map_err(|_| corrupt("consent", &consent))?,
            consent_notes: row.try_get("consent_notes")?,
            team: row.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            status: ContactStatus::from_code(&status).map_err(|_| corrupt("status", &status))?,
            decision_due_at: row.try_get("decision_due_at")?,
            decided_at: row.try_get("decided_at")?,
        }
    }};
}

macro_rules! subject_from_row {
    ($row:expr) => {{
        let row = $row;
        let sex: String = row.try_get("sex")?;
        ContactSubject {
            id: row.try_get("id")?,
            contact: ContactId(row.try_get("contact_id")?),
            position: row.try_get("position")?,
            is_child: row.try_get("is_child")?,
            given_name: row.try_get("given_name")?,
            family_name: row.try_get("family_name")?,
            birth_date: row.try_get("birth_date")?,
            sex: sex.parse().map_err(|_| corrupt("sex", &sex))?,
            address: row.try_get("address")?,
            postcode: row.try_get("postcode")?,
            nhs_number: row.try_get("nhs_number")?,
            person: row.try_get::<Option<Uuid>, _>("person_id")?.map(PersonId),
            linked_at: row.try_get("linked_at")?,
            linked_by: row.try_get::<Option<Uuid>, _>("linked_by")?.map(WorkerId),
        }
    }};
}

const SUBJECT_COLUMNS: &str = "id, contact_id, position, is_child, given_name, family_name, birth_date, sex, address, postcode, nhs_number, person_id, linked_at, linked_by";

pub async fn insert_contact(tx: &mut Tx, contact: &Contact) -> Result<(), StoreError> {
    let categories = contact
        .concern_categories
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(",");
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO contacts (id, authority_id, reference, received_at, recorded_at, recorded_by, channel, source, referrer_name, referrer_organisation, referrer_role, referrer_phone, referrer_email, made_by_organisation_id, concern_categories, concern_summary, urgency, out_of_hours, family_consent, consent_notes, team_id, status, decision_due_at, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)",
        )
        .bind(contact.id.0).bind(contact.authority.0).bind(&contact.reference)
        .bind(contact.received_at).bind(contact.recorded_at).bind(contact.recorded_by.map(|w| w.0))
        .bind(contact.channel.code()).bind(contact.source.code())
        .bind(&contact.referrer.name).bind(&contact.referrer.organisation).bind(&contact.referrer.role)
        .bind(&contact.referrer.phone).bind(&contact.referrer.email)
        .bind(contact.made_by_organisation.map(|o| o.0))
        .bind(&categories).bind(&contact.concern_summary).bind(contact.urgency.code()).bind(contact.out_of_hours)
        .bind(contact.family_consent.code()).bind(&contact.consent_notes).bind(contact.team.map(|t| t.0))
        .bind(contact.status.code()).bind(contact.decision_due_at).bind(contact.decided_at)
        .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_subject(
    tx: &mut Tx,
    authority: AuthorityId,
    subject: &ContactSubject,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO contact_subjects (id, authority_id, contact_id, position, is_child, given_name, family_name, birth_date, sex, address, postcode, nhs_number, person_id, linked_at, linked_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(subject.id).bind(authority.0).bind(subject.contact.0).bind(subject.position).bind(subject.is_child)
        .bind(&subject.given_name).bind(&subject.family_name).bind(subject.birth_date).bind(subject.sex.code())
        .bind(&subject.address).bind(&subject.postcode).bind(&subject.nhs_number)
        .bind(subject.person.map(|p| p.0)).bind(subject.linked_at).bind(subject.linked_by.map(|w| w.0))
        .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Links a person on a contact to a record. The caller holds the contact's row
/// ([`contact_for_update`]) and has checked its status, so nobody relinks under a decision.
pub async fn link_subject(
    tx: &mut Tx,
    authority: AuthorityId,
    contact: ContactId,
    subject: Uuid,
    person: PersonId,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE contact_subjects SET person_id = $1, linked_at = $2, linked_by = $3 WHERE id = $4 AND contact_id = $5 AND authority_id = $6")
            .bind(person.0).bind(at).bind(by.0).bind(subject).bind(contact.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    if changed == 0 {
        return Err(StoreError::NotFound("The child or adult on this contact"));
    }
    Ok(())
}

/// Reads a contact inside a write transaction and holds its row until the transaction ends:
/// `SELECT … FOR UPDATE` on PostgreSQL (a second writer waits, then reads what the first
/// committed); SQLite's IMMEDIATE transaction already holds the database's write lock.
pub async fn contact_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: ContactId,
) -> Result<Contact, StoreError> {
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql =
        format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1 AND authority_id = $2{lock}");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(contact_from_row!(&row)),
            None => Err(StoreError::NotFound("The contact")),
        }
    })
}

/// The people on a contact, read inside a write transaction (after [`contact_for_update`], so
/// they cannot change until it ends).
pub async fn subjects_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    contact: ContactId,
) -> Result<Vec<ContactSubject>, StoreError> {
    let sql = format!("SELECT {SUBJECT_COLUMNS} FROM contact_subjects WHERE contact_id = $1 AND authority_id = $2 ORDER BY position");
    on_tx!(tx, conn => {
        let rows = sqlx::query(&sql).bind(contact.0).bind(authority.0).fetch_all(&mut *conn).await?;
        rows.iter().map(|row| Ok(subject_from_row!(row))).collect()
    })
}

/// Moves a contact to `to` if it is in one of the `from` statuses, in one guarded statement;
/// false (and nothing changed) when someone else moved it first.
pub async fn transition_contact(
    tx: &mut Tx,
    authority: AuthorityId,
    contact: ContactId,
    from: &[ContactStatus],
    to: ContactStatus,
    decided_at: Option<DateTime<Utc>>,
) -> Result<bool, StoreError> {
    // The expected statuses are our own codes, never user input.
    let expected = from
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("UPDATE contacts SET status = $1, decided_at = $2 WHERE id = $3 AND authority_id = $4 AND status IN ({expected})");
    let changed = on_tx!(tx, conn => {
        sqlx::query(&sql)
            .bind(to.code()).bind(decided_at).bind(contact.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

impl Store {
    pub async fn contact(
        &self,
        authority: AuthorityId,
        id: ContactId,
    ) -> Result<Contact, StoreError> {
        let sql =
            format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1 AND authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(contact_from_row!(&row)),
                None => Err(StoreError::NotFound("The contact")),
            }
        })
    }

    pub async fn contact_by_reference(
        &self,
        authority: AuthorityId,
        reference: &str,
    ) -> Result<Option<Contact>, StoreError> {
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE reference = $1 AND authority_id = $2"
        );
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(reference).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(Some(contact_from_row!(&row))),
                None => Ok(None),
            }
        })
    }

    pub async fn contact_subjects(
        &self,
        authority: AuthorityId,
        contact: ContactId,
    ) -> Result<Vec<ContactSubject>, StoreError> {
        let sql = format!("SELECT {SUBJECT_COLUMNS} FROM contact_subjects WHERE contact_id = $1 AND authority_id = $2 ORDER BY position");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(contact.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(subject_from_row!(row))).collect()
        })
    }

    /// Every contact a person has been linked to, newest first.
    pub async fn contacts_of_person(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<Contact>, StoreError> {
        let columns = CONTACT_COLUMNS
            .split(", ")
            .map(|c| format!("c.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT DISTINCT {columns} FROM contacts c JOIN contact_subjects s ON s.contact_id = c.id
             WHERE s.person_id = $1 AND c.authority_id = $2 ORDER BY c.received_at DESC"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(contact_from_row!(row))).collect()
        })
    }

    /// Open contacts (or those matching the filter), soonest due first.
    /// One page of the open contacts matching `filter`, soonest due first, with counts over
    /// every contact matching it (not only the page): all of them, those due before
    /// `due.overdue_before` and those due from then until `due.due_today_before`.
    pub async fn contact_queue(
        &self,
        authority: AuthorityId,
        filter: &QueueFilter,
        due: QueueDueBounds,
    ) -> Result<QueuePage, StoreError> {
        let mut conditions = vec!["c.authority_id = $1".to_string()];
        let mut next = 2;
        let mut texts: Vec<String> = Vec::new();
        if let Some(status) = filter.status {
            conditions.push(format!("c.status = ${next}"));
            texts.push(status.code().to_string());
            next += 1;
        } else {
            // Name the open statuses (rather than "not decided") so the queue index is used:
            // decided contacts are nearly all of an authority's history.
            let open: Vec<String> = ContactStatus::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| format!("'{}'", s.code()))
                .collect();
            conditions.push(format!("c.status IN ({})", open.join(", ")));
        }
        if let Some(urgency) = filter.urgency {
            conditions.push(format!("c.urgency = ${next}"));
            texts.push(urgency.code().to_string());
            next += 1;
        }
        if let Some(out_of_hours) = filter.out_of_hours {
            conditions.push(if out_of_hours {
                "c.out_of_hours".into()
            } else {
                "NOT c.out_of_hours".into()
            });
        }
        // The team is bound last, after the text filters.
        if filter.team.is_some() {
            conditions.push(format!("c.team_id = ${next}"));
        }
        let where_clause = conditions.join(" AND ");
        let sql = format!(
            "SELECT c.id, c.reference, c.received_at, c.source, c.urgency, c.out_of_hours, c.status, c.team_id, c.decision_due_at,
                    (SELECT COUNT(*) FROM contact_subjects s WHERE s.contact_id = c.id AND s.is_child) AS children,
                    (SELECT COUNT(*) FROM contact_subjects s WHERE s.contact_id = c.id AND s.person_id IS NULL) AS unlinked,
                    COALESCE((SELECT s.given_name || ' ' || s.family_name FROM contact_subjects s WHERE s.contact_id = c.id AND s.is_child ORDER BY s.position LIMIT 1), '') AS first_child
             FROM contacts c WHERE {where_clause}
             ORDER BY c.decision_due_at, c.received_at LIMIT {} OFFSET {}",
            filter.limit.clamp(1, 1000),
            filter.offset.max(0)
        );
        let overdue_before = next + usize::from(filter.team.is_some());
        let due_today_before = overdue_before + 1;
        let count_sql = format!(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN c.decision_due_at < ${overdue_before} THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN c.decision_due_at >= ${overdue_before} AND c.decision_due_at < ${due_today_before} THEN 1 ELSE 0 END), 0)
             FROM contacts c WHERE {where_clause}"
        );
        on_pool!(self, pool => {
            let mut query = sqlx::query(&sql).bind(authority.0);
            let mut count = sqlx::query_as::<_, (i64, i64, i64)>(&count_sql).bind(authority.0);
            for text in &texts {
                query = query.bind(text);
                count = count.bind(text);
            }
            if let Some(team) = filter.team {
                query = query.bind(team.0);
                count = count.bind(team.0);
            }
            let (total, overdue, due_today) = count
                .bind(to_stored_instant(due.overdue_before))
                .bind(to_stored_instant(due.due_today_before))
                .fetch_one(pool)
                .await?;
            let rows = query.fetch_all(pool).await?;
            let entries = rows.iter().map(|r| {
                let source: String = r.try_get("source")?;
                let urgency: String = r.try_get("urgency")?;
                let status: String = r.try_get("status")?;
                Ok(QueueEntry {
                    id: ContactId(r.try_get("id")?),
                    reference: r.try_get("reference")?,
                    received_at: r.try_get("received_at")?,
                    source: ReferralSource::from_code(&source).map_err(|_| corrupt("source", &source))?,
                    urgency: Urgency::from_code(&urgency).map_err(|_| corrupt("urgency", &urgency))?,
                    out_of_hours: r.try_get("out_of_hours")?,
                    status: ContactStatus::from_code(&status).map_err(|_| corrupt("status", &status))?,
                    team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                    decision_due_at: r.try_get("decision_due_at")?,
                    children: r.try_get("children")?,
                    unlinked: r.try_get("unlinked")?,
                    first_child: r.try_get("first_child")?,
                })
            }).collect::<Result<Vec<_>, StoreError>>()?;
            Ok(QueuePage { entries, total, overdue, due_today })
        })
    }

    pub async fn contact_count(&self, authority: AuthorityId) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE authority_id = $1").bind(authority.0).fetch_one(pool).await?
        }))
    }
}
