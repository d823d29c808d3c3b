//! Information requests to partner agencies: stored, guarded transitions (answer, withdraw),
//! and the reads of the authority's side and of the partner portal's side.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{
    AuthorityId, ContactId, EpisodeId, OrganisationId, PersonId, WorkerId,
};
use frontdoor_domain::information_request::{
    Agency, ConsentBasis, DueRule, RequestStatus, RequestUrgency,
};
use sqlx::Row;
use uuid::Uuid;

/// Which requests to list: those on a contact (including any sent later from the child's
/// episode, which carries the contact), or those sent from one episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestsOn {
    Contact(ContactId),
    Episode(EpisodeId),
}

impl From<ContactId> for RequestsOn {
    fn from(contact: ContactId) -> Self {
        RequestsOn::Contact(contact)
    }
}

impl From<EpisodeId> for RequestsOn {
    fn from(episode: EpisodeId) -> Self {
        RequestsOn::Episode(episode)
    }
}

/// An information request as the authority sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InformationRequest {
    pub id: Uuid,
    pub authority: AuthorityId,
    pub contact: ContactId,
    pub contact_reference: String,
    pub episode: Option<Uuid>,
    pub subject: Uuid,
    pub person: PersonId,
    pub child_name: String,
    pub organisation: OrganisationId,
    pub organisation_name: String,
    pub agency: Agency,
    pub questions: String,
    pub consent: ConsentBasis,
    /// The name of the manager who agreed to share without consent.
    pub agreed_by_name: Option<String>,
    pub urgency: RequestUrgency,
    pub due_at: DateTime<Utc>,
    pub status: RequestStatus,
    pub sent_by: WorkerId,
    pub sent_by_name: String,
    pub sent_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_by: Option<WorkerId>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: Option<String>,
    pub withdrawn_by_name: Option<String>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A request as a partner practitioner sees it: the questions and the least about the child
/// needed to answer them (name, date of birth, address). No contact, record or decisions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AddressedRequest {
    pub id: Uuid,
    /// The child's record, for the access log; never shown to the partner.
    #[serde(skip)]
    pub person: PersonId,
    pub organisation: OrganisationId,
    pub agency: Agency,
    pub child_name: String,
    pub child_birth_date: Option<NaiveDate>,
    pub child_address: String,
    pub questions: String,
    pub urgency: RequestUrgency,
    pub due_at: DateTime<Utc>,
    pub status: RequestStatus,
    pub sent_at: DateTime<Utc>,
    pub sent_by_name: String,
    /// Their own organisation's answer (never anyone else's).
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// What a new request stores.
pub struct NewInformationRequest<'a> {
    pub id: Uuid,
    pub authority: AuthorityId,
    pub contact: ContactId,
    pub episode: Option<Uuid>,
    pub subject: Uuid,
    pub person: PersonId,
    pub organisation: OrganisationId,
    pub agency: Agency,
    pub questions: &'a str,
    pub consent: &'a ConsentBasis,
    pub urgency: RequestUrgency,
    pub due_at: DateTime<Utc>,
    pub sent_by: WorkerId,
    pub sent_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

const REQUEST_SELECT: &str = "SELECT r.id, r.authority_id, r.contact_id, c.reference, r.episode_id, r.subject_id, r.person_id,
        p.given_name || ' ' || p.family_name AS child_name,
        r.organisation_id, o.name AS organisation_name, r.agency, r.questions, r.consent_basis,
        r.consent_given_by, r.consent_given_on, r.without_consent_reason, r.without_consent_agreed_by,
        m.display_name AS agreed_by_name, r.urgency, r.due_at, r.status, r.sent_by, s.display_name AS sent_by_name,
        r.sent_at, r.answer, r.answered_by, a.display_name AS answered_by_name, r.answered_at,
        r.withdrawn_reason, w.display_name AS withdrawn_by_name, r.withdrawn_at
    FROM information_requests r
    JOIN contacts c ON c.id = r.contact_id
    JOIN people p ON p.id = r.person_id
    JOIN organisations o ON o.id = r.organisation_id
    JOIN workers s ON s.id = r.sent_by
    LEFT JOIN workers m ON m.id = r.without_consent_agreed_by
    LEFT JOIN workers a ON a.id = r.answered_by
    LEFT JOIN workers w ON w.id = r.withdrawn_by";

macro_rules! request_from_row {
    ($row:expr) => {{
        let r = $row;
        let agency: String = r.try_get("agency")?;
        let basis: String = r.try_get("consent_basis")?;
        let urgency: String = r.try_get("urgency")?;
        let status: String = r.try_get("status")?;
        let consent = match basis.as_str() {
            "consent_given" => ConsentBasis::ConsentGiven {
                given_by: r
                    .try_get::<Option<String>, _>("consent_given_by")?
                    .unwrap_or_default(),
                given_on: r
                    .try_get::<Option<NaiveDate>, _>("consent_given_on")?
                    .ok_or_else(|| corrupt("consent date", "missing"))?,
            },
            "without_consent" => ConsentBasis::WithoutConsent {
                reason: r
                    .try_get::<Option<String>, _>("without_consent_reason")?
                    .unwrap_or_default(),
                agreed_by: WorkerId(
                    r.try_get::<Option<Uuid>, _>("without_consent_agreed_by")?
                        .ok_or_else(|| corrupt("agreeing manager", "missing"))?,
                ),
            },
            other => return Err(corrupt("consent basis", other)),
        };
        InformationRequest {
            id: r.try_get("id")?,
            authority: AuthorityId(r.try_get("authority_id")?),
            contact: ContactId(r.try_get("contact_id")?),
            contact_reference: r.try_get("reference")?,
            episode: r.try_get("episode_id")?,
            subject: r.try_get("subject_id")?,
            person: PersonId(r.try_get("person_id")?),
            child_name: r.try_get("child_name")?,
            organisation: OrganisationId(r.try_get("organisation_id")?),
            organisation_name: r.try_get("organisation_name")?,
            agency: Agency::from_code(&agency).ok_or_else(|| corrupt("agency", &agency))?,
            questions: r.try_get("questions")?,
            consent,
            agreed_by_name: r.try_get("agreed_by_name")?,
            urgency: RequestUrgency::from_code(&urgency)
                .map_err(|_| corrupt("urgency", &urgency))?,
            due_at: r.try_get("due_at")?,
            status: RequestStatus::from_code(&status).map_err(|_| corrupt("status", &status))?,
            sent_by: WorkerId(r.try_get("sent_by")?),
            sent_by_name: r.try_get("sent_by_name")?,
            sent_at: r.try_get("sent_at")?,
            answer: r.try_get("answer")?,
            answered_by: r.try_get::<Option<Uuid>, _>("answered_by")?.map(WorkerId),
            answered_by_name: r.try_get("answered_by_name")?,
            answered_at: r.try_get("answered_at")?,
            withdrawn_reason: r.try_get("withdrawn_reason")?,
            withdrawn_by_name: r.try_get("withdrawn_by_name")?,
            withdrawn_at: r.try_get("withdrawn_at")?,
        }
    }};
}

const ADDRESSED_SELECT: &str =
    "SELECT r.id, r.person_id, r.organisation_id, r.agency, p.given_name || ' ' || p.family_name AS child_name,
        p.birth_date, TRIM(cs.address || ' ' || COALESCE(cs.postcode, '')) AS child_address,
        r.questions, r.urgency, r.due_at, r.status, r.sent_at, s.display_name AS sent_by_name,
        r.answer, r.answered_at
    FROM information_requests r
    JOIN people p ON p.id = r.person_id
    JOIN contact_subjects cs ON cs.id = r.subject_id
    JOIN workers s ON s.id = r.sent_by";

macro_rules! addressed_from_row {
    ($row:expr) => {{
        let r = $row;
        let agency: String = r.try_get("agency")?;
        let urgency: String = r.try_get("urgency")?;
        let status: String = r.try_get("status")?;
        AddressedRequest {
            id: r.try_get("id")?,
            person: PersonId(r.try_get("person_id")?),
            organisation: OrganisationId(r.try_get("organisation_id")?),
            agency: Agency::from_code(&agency).ok_or_else(|| corrupt("agency", &agency))?,
            child_name: r.try_get("child_name")?,
            child_birth_date: r.try_get("birth_date")?,
            child_address: r.try_get("child_address")?,
            questions: r.try_get("questions")?,
            urgency: RequestUrgency::from_code(&urgency)
                .map_err(|_| corrupt("urgency", &urgency))?,
            due_at: r.try_get("due_at")?,
            status: RequestStatus::from_code(&status).map_err(|_| corrupt("status", &status))?,
            sent_at: r.try_get("sent_at")?,
            sent_by_name: r.try_get("sent_by_name")?,
            answer: r.try_get("answer")?,
            answered_at: r.try_get("answered_at")?,
        }
    }};
}

pub async fn insert_request(
    tx: &mut Tx,
    request: &NewInformationRequest<'_>,
) -> Result<(), StoreError> {
    let (given_by, given_on, reason, agreed_by) = match request.consent {
        ConsentBasis::ConsentGiven { given_by, given_on } => {
            (Some(given_by.clone()), Some(*given_on), None, None)
        }
        ConsentBasis::WithoutConsent { reason, agreed_by } => {
            (None, None, Some(reason.clone()), Some(agreed_by.0))
        }
    };
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO information_requests (id, authority_id, contact_id, episode_id, subject_id, person_id, organisation_id, agency, questions,
                consent_basis, consent_given_by, consent_given_on, without_consent_reason, without_consent_agreed_by, urgency, due_at, status, sent_by, sent_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'sent', $17, $18)",
        )
        .bind(request.id).bind(request.authority.0).bind(request.contact.0).bind(request.episode).bind(request.subject)
        .bind(request.person.0).bind(request.organisation.0).bind(request.agency.code()).bind(request.questions)
        .bind(request.consent.code()).bind(&given_by).bind(given_on).bind(&reason).bind(agreed_by)
        .bind(request.urgency.code()).bind(request.due_at).bind(request.sent_by.0).bind(request.sent_at)
        .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Records the partner's answer, only while the request is still sent and addressed to their
/// organisation: false (nothing changed) when it was answered or withdrawn first.
pub async fn answer_request(
    tx: &mut Tx,
    authority: AuthorityId,
    organisation: OrganisationId,
    id: Uuid,
    answer: &str,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE information_requests SET status = 'answered', answer = $1, answered_by = $2, answered_at = $3
                     WHERE id = $4 AND authority_id = $5 AND organisation_id = $6 AND status = 'sent'")
            .bind(answer).bind(by.0).bind(at).bind(id).bind(authority.0).bind(organisation.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Withdraws a request still sent: false (nothing changed) when it was answered or withdrawn.
pub async fn withdraw_request(
    tx: &mut Tx,
    authority: AuthorityId,
    id: Uuid,
    reason: &str,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE information_requests SET status = 'withdrawn', withdrawn_reason = $1, withdrawn_by = $2, withdrawn_at = $3
                     WHERE id = $4 AND authority_id = $5 AND status = 'sent'")
            .bind(reason).bind(by.0).bind(at).bind(id).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// A request read inside a write transaction.
pub async fn request_in(
    tx: &mut Tx,
    authority: AuthorityId,
    id: Uuid,
) -> Result<InformationRequest, StoreError> {
    let sql = format!("{REQUEST_SELECT} WHERE r.id = $1 AND r.authority_id = $2");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(request_from_row!(&row)),
            None => Err(StoreError::NotFound("The information request")),
        }
    })
}

/// The active practitioners of an organisation (who a new request is announced to).
pub async fn active_practitioners_in(
    tx: &mut Tx,
    authority: AuthorityId,
    organisation: OrganisationId,
) -> Result<Vec<WorkerId>, StoreError> {
    let ids: Vec<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM workers WHERE authority_id = $1 AND organisation_id = $2 AND role = 'partner_practitioner' AND active ORDER BY id")
            .bind(authority.0).bind(organisation.0).fetch_all(&mut *conn).await?
    });
    Ok(ids.into_iter().map(WorkerId).collect())
}

/// The organisation a request is addressed to, read inside the transaction: its kind code and
/// whether it is retired. `None` when it is not one of the authority's organisations.
pub async fn organisation_in(
    tx: &mut Tx,
    authority: AuthorityId,
    organisation: OrganisationId,
) -> Result<Option<(String, bool)>, StoreError> {
    let row: Option<(String, Option<DateTime<Utc>>)> = on_tx!(tx, conn => {
        sqlx::query_as("SELECT kind, retired_at FROM organisations WHERE id = $1 AND authority_id = $2")
            .bind(organisation.0).bind(authority.0).fetch_optional(&mut *conn).await?
    });
    Ok(row.map(|(kind, retired)| (kind, retired.is_some())))
}

/// Whether a worker is an active team manager of the authority (read inside the transaction).
pub async fn is_active_manager_in(
    tx: &mut Tx,
    authority: AuthorityId,
    worker: WorkerId,
) -> Result<bool, StoreError> {
    let found: Option<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM workers WHERE id = $1 AND authority_id = $2 AND role = 'team_manager' AND active")
            .bind(worker.0).bind(authority.0).fetch_optional(&mut *conn).await?
    });
    Ok(found.is_some())
}

/// The authority's due rule, read inside a transaction.
pub async fn due_rule_in(tx: &mut Tx, authority: AuthorityId) -> Result<DueRule, StoreError> {
    let (hours, days): (i32, i32) = on_tx!(tx, conn => {
        sqlx::query_as("SELECT information_request_urgent_hours, information_request_standard_days FROM authorities WHERE id = $1")
            .bind(authority.0).fetch_one(&mut *conn).await?
    });
    due_rule(hours, days)
}

fn due_rule(hours: i32, days: i32) -> Result<DueRule, StoreError> {
    DueRule::new(
        u32::try_from(hours).unwrap_or(0),
        u32::try_from(days).unwrap_or(0),
    )
    .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Sets the authority's due rule.
pub async fn set_due_rule(
    tx: &mut Tx,
    authority: AuthorityId,
    rule: DueRule,
) -> Result<(), StoreError> {
    let hours = i32::try_from(rule.urgent_hours()).unwrap_or(i32::MAX);
    let days = i32::try_from(rule.standard_working_days()).unwrap_or(i32::MAX);
    on_tx!(tx, conn => {
        sqlx::query("UPDATE authorities SET information_request_urgent_hours = $1, information_request_standard_days = $2 WHERE id = $3")
            .bind(hours).bind(days).bind(authority.0).execute(&mut *conn).await?;
    });
    Ok(())
}

impl Store {
    pub async fn information_request(
        &self,
        authority: AuthorityId,
        id: Uuid,
    ) -> Result<InformationRequest, StoreError> {
        let sql = format!("{REQUEST_SELECT} WHERE r.id = $1 AND r.authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(request_from_row!(&row)),
                None => Err(StoreError::NotFound("The information request")),
            }
        })
    }

    /// Every request on a contact, or sent from an episode, oldest first.
    pub async fn information_requests_on(
        &self,
        authority: AuthorityId,
        on: RequestsOn,
    ) -> Result<Vec<InformationRequest>, StoreError> {
        let (column, id) = match on {
            RequestsOn::Contact(contact) => ("contact_id", contact.0),
            RequestsOn::Episode(episode) => ("episode_id", episode.0),
        };
        let sql = format!(
            "{REQUEST_SELECT} WHERE r.{column} = $1 AND r.authority_id = $2 ORDER BY r.sent_at"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(id).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(request_from_row!(row))).collect()
        })
    }

    /// Requests a worker sent that are overdue at `now`, soonest due first.
    pub async fn overdue_requests_sent_by(
        &self,
        authority: AuthorityId,
        worker: WorkerId,
        now: DateTime<Utc>,
    ) -> Result<Vec<InformationRequest>, StoreError> {
        let sql = format!(
            "{REQUEST_SELECT} WHERE r.authority_id = $1 AND r.sent_by = $2 AND r.status = 'sent' AND r.due_at < $3 ORDER BY r.due_at"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(authority.0).bind(worker.0).bind(now).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(request_from_row!(row))).collect()
        })
    }

    /// The contacts with overdue requests at `now`, and how many each has.
    pub async fn contacts_with_overdue_requests(
        &self,
        authority: AuthorityId,
        now: DateTime<Utc>,
    ) -> Result<Vec<(ContactId, i64)>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT contact_id, COUNT(*) AS overdue FROM information_requests
                                    WHERE authority_id = $1 AND status = 'sent' AND due_at < $2 GROUP BY contact_id")
                .bind(authority.0).bind(now).fetch_all(pool).await?;
            rows.iter().map(|r| Ok((ContactId(r.try_get("contact_id")?), r.try_get("overdue")?))).collect()
        })
    }

    /// The requests addressed to one organisation: waiting ones first, then newest first.
    pub async fn requests_addressed_to(
        &self,
        authority: AuthorityId,
        organisation: OrganisationId,
    ) -> Result<Vec<AddressedRequest>, StoreError> {
        // Those waiting for an answer first; the newest 500 in all.
        let sql = format!("{ADDRESSED_SELECT} WHERE r.authority_id = $1 AND r.organisation_id = $2 ORDER BY CASE WHEN r.status = 'sent' THEN 0 ELSE 1 END, r.sent_at DESC LIMIT 500");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(authority.0).bind(organisation.0).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(addressed_from_row!(row))).collect()
        })
    }

    /// One request as its addressee sees it (any organisation: the caller checks whose it is).
    pub async fn addressed_request(
        &self,
        authority: AuthorityId,
        id: Uuid,
    ) -> Result<AddressedRequest, StoreError> {
        let sql = format!("{ADDRESSED_SELECT} WHERE r.authority_id = $1 AND r.id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(authority.0).bind(id).fetch_optional(pool).await? {
                Some(row) => Ok(addressed_from_row!(&row)),
                None => Err(StoreError::NotFound("The information request")),
            }
        })
    }

    /// The authority's due rule for information requests.
    pub async fn information_request_due_rule(
        &self,
        authority: AuthorityId,
    ) -> Result<DueRule, StoreError> {
        let (hours, days): (i32, i32) = on_pool!(self, pool => {
            sqlx::query_as("SELECT information_request_urgent_hours, information_request_standard_days FROM authorities WHERE id = $1")
                .bind(authority.0).fetch_optional(pool).await?.ok_or(StoreError::NotFound("The authority"))?
        });
        due_rule(hours, days)
    }

    /// The active team managers of the authority, by name: who may agree to share without
    /// consent.
    pub async fn active_managers(
        &self,
        authority: AuthorityId,
    ) -> Result<Vec<(WorkerId, String)>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, display_name FROM workers WHERE authority_id = $1 AND role = 'team_manager' AND active ORDER BY display_name")
                .bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok((WorkerId(r.try_get("id")?), r.try_get("display_name")?))).collect()
        })
    }
}
