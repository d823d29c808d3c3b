//! Early help episodes and what is recorded on them: contacts with the family, consent to
//! share, safeguarding overrides, the early help assessment and team-around-the-family actions.

use crate::organisation::OrganisationKind;
use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::early_help::{
    ConsentDecision, ConsentToShare, EarlyHelpClosureReason, EarlyHelpStatus, SafeguardingOverride,
    SharedPart,
};
use frontdoor_domain::ids::{
    AuthorityId, ContactId, EarlyHelpEpisodeId, EpisodeId, OrganisationId, PersonId, TeamId,
    WorkerId,
};
use sqlx::Row;
use uuid::Uuid;

/// The early help assessment of an episode, with its lead professional.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EarlyHelpAssessment {
    pub id: Uuid,
    pub lead: WorkerId,
    pub lead_name: String,
    pub lead_organisation: OrganisationId,
    pub lead_organisation_name: String,
    /// The agency the lead professional's organisation is (for consent to share).
    pub lead_agency: Agency,
    /// Whether the lead professional works for a partner organisation (not the authority).
    pub lead_is_partner: bool,
    pub appointed_by: WorkerId,
    pub appointed_at: DateTime<Utc>,
    pub started_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub completed_by: Option<WorkerId>,
    pub summary: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EarlyHelpEpisode {
    pub id: EarlyHelpEpisodeId,
    pub authority: AuthorityId,
    pub person: PersonId,
    pub child_name: String,
    pub child_birth_date: Option<NaiveDate>,
    /// The contact whose authorised early help decision opened it.
    pub contact: Option<ContactId>,
    pub contact_reference: Option<String>,
    pub decision: Option<Uuid>,
    /// The episode of children's social care it was stepped down from.
    pub stepped_down_from: Option<EpisodeId>,
    /// Why the family came to early help (the decision's rationale, or the step-down reason).
    pub reason: String,
    pub status: EarlyHelpStatus,
    pub opened_on: NaiveDate,
    pub opened_at: DateTime<Utc>,
    pub coordinator: Option<WorkerId>,
    pub coordinator_name: Option<String>,
    pub team: Option<TeamId>,
    pub allocated_by_name: Option<String>,
    pub allocated_at: Option<DateTime<Utc>>,
    pub stepped_up_contact: Option<ContactId>,
    pub stepped_up_contact_reference: Option<String>,
    pub stepped_up_by_name: Option<String>,
    pub stepped_up_at: Option<DateTime<Utc>>,
    pub closed_on: Option<NaiveDate>,
    /// Why it closed, in the worker's summary too (not set when it was stepped up).
    pub closure: Option<EarlyHelpClosure>,
    pub assessment: Option<EarlyHelpAssessment>,
}

/// How an episode closed: why, the worker's summary, who and when.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EarlyHelpClosure {
    pub reason: EarlyHelpClosureReason,
    pub summary: String,
    pub closed_by_name: String,
    pub closed_at: DateTime<Utc>,
}

/// A contact by the coordinator with the family.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FamilyContact {
    pub id: Uuid,
    pub episode: EarlyHelpEpisodeId,
    pub contacted_on: NaiveDate,
    pub method: String,
    pub outcome: String,
    pub recorded_by: WorkerId,
    pub recorded_by_name: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// A recorded consent decision: who decided, when, what and for whom.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentRecord {
    pub id: Uuid,
    pub episode: EarlyHelpEpisodeId,
    pub given_by: String,
    pub relationship: String,
    pub decided_on: NaiveDate,
    pub notes: String,
    #[serde(flatten)]
    pub consent: ConsentToShare,
    pub recorded_by: WorkerId,
    pub recorded_by_name: Option<String>,
}

/// A manager's safeguarding reason to share with an agency regardless of consent.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OverrideRecord {
    pub id: Uuid,
    pub episode: EarlyHelpEpisodeId,
    pub reason: String,
    #[serde(flatten)]
    pub sharing: SafeguardingOverride,
    pub recorded_by: WorkerId,
    pub recorded_by_name: Option<String>,
}

/// A team-around-the-family action: what, who, by when (always), and when it was done.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FamilyAction {
    pub id: Uuid,
    pub episode: EarlyHelpEpisodeId,
    pub description: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub recorded_by: WorkerId,
    pub recorded_at: DateTime<Utc>,
}

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    codes.into_iter().collect::<Vec<_>>().join(" ")
}

const COLUMNS: &str = "e.id, e.authority_id, e.person_id, TRIM(p.given_name || ' ' || p.family_name) AS child_name, p.birth_date,
    e.contact_id, c.reference AS contact_reference, e.decision_id, e.stepped_down_from, e.reason, e.status, e.opened_on, e.opened_at,
    e.coordinator_id, cw.display_name AS coordinator_name, e.team_id, aw.display_name AS allocated_by_name, e.allocated_at,
    e.stepped_up_contact_id, sc.reference AS stepped_up_reference, sw.display_name AS stepped_up_by_name, e.stepped_up_at, e.closed_on,
    e.closure_reason, e.closure_summary, xw.display_name AS closed_by_name, e.closed_at,
    a.id AS assessment_id, a.lead_worker_id, lw.display_name AS lead_name, lw.role AS lead_role, a.lead_organisation_id,
    lo.name AS lead_organisation_name, lo.kind AS lead_organisation_kind, a.appointed_by, a.appointed_at, a.started_on, a.due_on,
    a.completed_on, a.completed_by, a.summary";
const FROM: &str = "FROM early_help_episodes e
    JOIN people p ON p.id = e.person_id
    LEFT JOIN contacts c ON c.id = e.contact_id
    LEFT JOIN workers cw ON cw.id = e.coordinator_id
    LEFT JOIN workers aw ON aw.id = e.allocated_by
    LEFT JOIN contacts sc ON sc.id = e.stepped_up_contact_id
    LEFT JOIN workers sw ON sw.id = e.stepped_up_by
    LEFT JOIN workers xw ON xw.id = e.closed_by
    LEFT JOIN early_help_assessments a ON a.early_help_episode_id = e.id
    LEFT JOIN workers lw ON lw.id = a.lead_worker_id
    LEFT JOIN organisations lo ON lo.id = a.lead_organisation_id";

macro_rules! episode_from_row {
    ($r:expr) => {{
        let r = $r;
        let status: String = r.try_get("status")?;
        let assessment = match r.try_get::<Option<Uuid>, _>("assessment_id")? {
            None => None,
            Some(id) => {
                let kind: String = r.try_get("lead_organisation_kind")?;
                let kind = OrganisationKind::from_code(&kind)
                    .ok_or_else(|| corrupt(format!("organisation kind '{kind}'")))?;
                let role: String = r.try_get("lead_role")?;
                Some(EarlyHelpAssessment {
                    id,
                    lead: WorkerId(r.try_get("lead_worker_id")?),
                    lead_name: r.try_get("lead_name")?,
                    lead_organisation: OrganisationId(r.try_get("lead_organisation_id")?),
                    lead_organisation_name: r.try_get("lead_organisation_name")?,
                    lead_agency: kind.agency(),
                    lead_is_partner: role == "partner_practitioner",
                    appointed_by: WorkerId(r.try_get("appointed_by")?),
                    appointed_at: r.try_get("appointed_at")?,
                    started_on: r.try_get("started_on")?,
                    due_on: r.try_get("due_on")?,
                    completed_on: r.try_get("completed_on")?,
                    completed_by: r.try_get::<Option<Uuid>, _>("completed_by")?.map(WorkerId),
                    summary: r.try_get("summary")?,
                })
            }
        };
        EarlyHelpEpisode {
            id: EarlyHelpEpisodeId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            person: PersonId(r.try_get("person_id")?),
            child_name: r.try_get("child_name")?,
            child_birth_date: r.try_get("birth_date")?,
            contact: r.try_get::<Option<Uuid>, _>("contact_id")?.map(ContactId),
            contact_reference: r.try_get("contact_reference")?,
            decision: r.try_get("decision_id")?,
            stepped_down_from: r
                .try_get::<Option<Uuid>, _>("stepped_down_from")?
                .map(EpisodeId),
            reason: r.try_get("reason")?,
            status: EarlyHelpStatus::from_code(&status).map_err(corrupt)?,
            opened_on: r.try_get("opened_on")?,
            opened_at: r.try_get("opened_at")?,
            coordinator: r
                .try_get::<Option<Uuid>, _>("coordinator_id")?
                .map(WorkerId),
            coordinator_name: r.try_get("coordinator_name")?,
            team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            allocated_by_name: r.try_get("allocated_by_name")?,
            allocated_at: r.try_get("allocated_at")?,
            stepped_up_contact: r
                .try_get::<Option<Uuid>, _>("stepped_up_contact_id")?
                .map(ContactId),
            stepped_up_contact_reference: r.try_get("stepped_up_reference")?,
            stepped_up_by_name: r.try_get("stepped_up_by_name")?,
            stepped_up_at: r.try_get("stepped_up_at")?,
            closed_on: r.try_get("closed_on")?,
            closure: match r.try_get::<Option<String>, _>("closure_reason")? {
                None => None,
                Some(code) => Some(EarlyHelpClosure {
                    reason: EarlyHelpClosureReason::from_code(&code).map_err(corrupt)?,
                    summary: r
                        .try_get::<Option<String>, _>("closure_summary")?
                        .unwrap_or_default(),
                    closed_by_name: r
                        .try_get::<Option<String>, _>("closed_by_name")?
                        .unwrap_or_default(),
                    closed_at: r
                        .try_get::<Option<DateTime<Utc>>, _>("closed_at")?
                        .ok_or_else(|| corrupt("a closed early help episode without its time"))?,
                }),
            },
            assessment,
        }
    }};
}

/// What a new episode stores.
pub struct NewEarlyHelpEpisode<'a> {
    pub id: EarlyHelpEpisodeId,
    pub authority: AuthorityId,
    pub person: PersonId,
    pub contact: Option<ContactId>,
    pub decision: Option<Uuid>,
    pub stepped_down_from: Option<EpisodeId>,
    pub reason: &'a str,
    pub opened_on: NaiveDate,
    pub opened_at: DateTime<Utc>,
}

/// Opens an episode, unallocated.
pub async fn insert_episode(tx: &mut Tx, e: &NewEarlyHelpEpisode<'_>) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO early_help_episodes (id, authority_id, person_id, contact_id, decision_id, stepped_down_from, reason, status, opened_on, opened_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)")
            .bind(e.id.0).bind(e.authority.0).bind(e.person.0).bind(e.contact.map(|c| c.0)).bind(e.decision)
            .bind(e.stepped_down_from.map(|s| s.0)).bind(e.reason).bind(e.opened_on).bind(to_stored_instant(e.opened_at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Allocates an open, unallocated episode to a coordinator; false when it was already
/// allocated (or is no longer open).
pub async fn allocate(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EarlyHelpEpisodeId,
    coordinator: WorkerId,
    team: Option<TeamId>,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE early_help_episodes SET coordinator_id = $1, team_id = $2, allocated_by = $3, allocated_at = $4
                     WHERE id = $5 AND authority_id = $6 AND coordinator_id IS NULL AND status = 'open'")
            .bind(coordinator.0).bind(team.map(|t| t.0)).bind(by.0).bind(to_stored_instant(at)).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Marks an open episode stepped up to `contact`; false when it is no longer open.
pub async fn step_up(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EarlyHelpEpisodeId,
    contact: ContactId,
    by: WorkerId,
    at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE early_help_episodes SET status = 'stepped_up', stepped_up_contact_id = $1, stepped_up_by = $2, stepped_up_at = $3, closed_on = $4
                     WHERE id = $5 AND authority_id = $6 AND status = 'open'")
            .bind(contact.0).bind(by.0).bind(to_stored_instant(at)).bind(on).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// An episode's closure as stored: why, the summary, who, when and on which day.
pub struct Closing<'a> {
    pub reason: EarlyHelpClosureReason,
    pub summary: &'a str,
    pub by: WorkerId,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
}

/// Closes an open episode; false when it is no longer open (stepped up or closed by someone
/// else first).
pub async fn close_episode(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EarlyHelpEpisodeId,
    closing: &Closing<'_>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE early_help_episodes SET status = 'closed', closure_reason = $1, closure_summary = $2, closed_by = $3, closed_at = $4, closed_on = $5
                     WHERE id = $6 AND authority_id = $7 AND status = 'open'")
            .bind(closing.reason.code()).bind(closing.summary).bind(closing.by.0).bind(to_stored_instant(closing.at))
            .bind(closing.on).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// The descriptions of the episode's actions not yet completed, by due date, inside a
/// transaction (closing an episode records what was left open).
pub async fn open_actions_in(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EarlyHelpEpisodeId,
) -> Result<Vec<String>, StoreError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT description FROM early_help_actions
                            WHERE early_help_episode_id = $1 AND authority_id = $2 AND completed_on IS NULL
                            ORDER BY due_on, recorded_at, id")
            .bind(episode.0).bind(authority.0).fetch_all(&mut *conn).await?
    }))
}

/// Holds an episode for the rest of the transaction (PostgreSQL row lock; SQLite's
/// `BEGIN IMMEDIATE` already serialises writers), so what is read cannot change before commit.
pub async fn lock_episode(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EarlyHelpEpisodeId,
) -> Result<(), StoreError> {
    let sql = if tx.is_postgres() {
        "SELECT id FROM early_help_episodes WHERE id = $1 AND authority_id = $2 FOR UPDATE"
    } else {
        "SELECT id FROM early_help_episodes WHERE id = $1 AND authority_id = $2"
    };
    let found: Option<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar(sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await?
    });
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound("The early help episode")),
    }
}

/// The episode read through the transaction.
pub async fn episode_in(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EarlyHelpEpisodeId,
) -> Result<EarlyHelpEpisode, StoreError> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE e.id = $1 AND e.authority_id = $2");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(episode_from_row!(&row)),
            None => Err(StoreError::NotFound("The early help episode")),
        }
    })
}

pub async fn insert_family_contact(
    tx: &mut Tx,
    authority: AuthorityId,
    c: &FamilyContact,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO early_help_family_contacts (id, authority_id, early_help_episode_id, contacted_on, method, outcome, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(c.id).bind(authority.0).bind(c.episode.0).bind(c.contacted_on).bind(&c.method).bind(&c.outcome)
            .bind(c.recorded_by.0).bind(to_stored_instant(c.recorded_at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_consent(
    tx: &mut Tx,
    authority: AuthorityId,
    c: &ConsentRecord,
) -> Result<(), StoreError> {
    let parts = codes(c.consent.parts.iter().map(|p| p.code()));
    let agencies = codes(c.consent.agencies.iter().map(|a| a.code()));
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO early_help_consents (id, authority_id, early_help_episode_id, decision, given_by, relationship, decided_on, parts, agencies, notes, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
            .bind(c.id).bind(authority.0).bind(c.episode.0).bind(c.consent.decision.code()).bind(&c.given_by)
            .bind(&c.relationship).bind(c.decided_on).bind(&parts).bind(&agencies).bind(&c.notes)
            .bind(c.recorded_by.0).bind(to_stored_instant(c.consent.recorded_at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_override(
    tx: &mut Tx,
    authority: AuthorityId,
    o: &OverrideRecord,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO early_help_overrides (id, authority_id, early_help_episode_id, agency, reason, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(o.id).bind(authority.0).bind(o.episode.0).bind(o.sharing.agency.code()).bind(&o.reason)
            .bind(o.recorded_by.0).bind(to_stored_instant(o.sharing.recorded_at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Appoints the lead professional: creates the assessment, or changes the lead of one not yet
/// completed. False when the assessment has been completed.
#[allow(clippy::too_many_arguments)]
pub async fn appoint_lead(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EarlyHelpEpisodeId,
    lead: WorkerId,
    organisation: OrganisationId,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let at = to_stored_instant(at);
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE early_help_assessments SET lead_worker_id = $1, lead_organisation_id = $2, appointed_by = $3, appointed_at = $4
                     WHERE early_help_episode_id = $5 AND authority_id = $6 AND completed_on IS NULL")
            .bind(lead.0).bind(organisation.0).bind(by.0).bind(at).bind(episode.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    if changed == 1 {
        return Ok(true);
    }
    let exists: Option<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM early_help_assessments WHERE early_help_episode_id = $1 AND authority_id = $2")
            .bind(episode.0).bind(authority.0).fetch_optional(&mut *conn).await?
    });
    if exists.is_some() {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO early_help_assessments (id, authority_id, early_help_episode_id, lead_worker_id, lead_organisation_id, appointed_by, appointed_at, summary)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, '')")
            .bind(Uuid::now_v7()).bind(authority.0).bind(episode.0).bind(lead.0).bind(organisation.0).bind(by.0).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(true)
}

/// Starts the assessment; false when it had already started.
pub async fn start_assessment(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EarlyHelpEpisodeId,
    started_on: NaiveDate,
    due_on: NaiveDate,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE early_help_assessments SET started_on = $1, due_on = $2
                     WHERE early_help_episode_id = $3 AND authority_id = $4 AND started_on IS NULL")
            .bind(started_on).bind(due_on).bind(episode.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Completes a started assessment, once; false when it was not started or already completed.
pub async fn complete_assessment(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EarlyHelpEpisodeId,
    completed_on: NaiveDate,
    by: WorkerId,
    summary: &str,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE early_help_assessments SET completed_on = $1, completed_by = $2, summary = $3
                     WHERE early_help_episode_id = $4 AND authority_id = $5 AND started_on IS NOT NULL AND completed_on IS NULL")
            .bind(completed_on).bind(by.0).bind(summary).bind(episode.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

pub async fn insert_action(
    tx: &mut Tx,
    authority: AuthorityId,
    a: &FamilyAction,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO early_help_actions (id, authority_id, early_help_episode_id, description, owner, due_on, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(a.id).bind(authority.0).bind(a.episode.0).bind(&a.description).bind(&a.owner).bind(a.due_on)
            .bind(a.recorded_by.0).bind(to_stored_instant(a.recorded_at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Completes an action, once; false when it was already completed (or is not on the episode).
pub async fn complete_action(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EarlyHelpEpisodeId,
    action: Uuid,
    on: NaiveDate,
    by: WorkerId,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE early_help_actions SET completed_on = $1, completed_by = $2
                     WHERE id = $3 AND early_help_episode_id = $4 AND authority_id = $5 AND completed_on IS NULL")
            .bind(on).bind(by.0).bind(action).bind(episode.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

const CONSENTS_SQL: &str = "SELECT c.id, c.early_help_episode_id, c.decision, c.given_by, c.relationship, c.decided_on, c.parts, c.agencies, c.notes,
    c.recorded_by, w.display_name AS recorded_by_name, c.recorded_at
    FROM early_help_consents c LEFT JOIN workers w ON w.id = c.recorded_by
    WHERE c.early_help_episode_id = $1 AND c.authority_id = $2 ORDER BY c.recorded_at, c.id";
const OVERRIDES_SQL: &str = "SELECT o.id, o.early_help_episode_id, o.agency, o.reason, o.recorded_by, w.display_name AS recorded_by_name, o.recorded_at
    FROM early_help_overrides o LEFT JOIN workers w ON w.id = o.recorded_by
    WHERE o.early_help_episode_id = $1 AND o.authority_id = $2 ORDER BY o.recorded_at, o.id";

macro_rules! consent_from_row {
    ($r:expr) => {{
        let r = $r;
        let decision: String = r.try_get("decision")?;
        let parts: String = r.try_get("parts")?;
        let agencies: String = r.try_get("agencies")?;
        Ok::<_, StoreError>(ConsentRecord {
            id: r.try_get("id")?,
            episode: EarlyHelpEpisodeId(r.try_get("early_help_episode_id")?),
            given_by: r.try_get("given_by")?,
            relationship: r.try_get("relationship")?,
            decided_on: r.try_get("decided_on")?,
            notes: r.try_get("notes")?,
            consent: ConsentToShare {
                decision: ConsentDecision::from_code(&decision).map_err(corrupt)?,
                parts: parts
                    .split_whitespace()
                    .map(SharedPart::from_code)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(corrupt)?,
                agencies: agencies
                    .split_whitespace()
                    .map(|a| Agency::from_code(a).ok_or_else(|| corrupt(format!("agency '{a}'"))))
                    .collect::<Result<Vec<_>, _>>()?,
                recorded_at: r.try_get("recorded_at")?,
            },
            recorded_by: WorkerId(r.try_get("recorded_by")?),
            recorded_by_name: r.try_get("recorded_by_name")?,
        })
    }};
}

macro_rules! override_from_row {
    ($r:expr) => {{
        let r = $r;
        let agency: String = r.try_get("agency")?;
        Ok::<_, StoreError>(OverrideRecord {
            id: r.try_get("id")?,
            episode: EarlyHelpEpisodeId(r.try_get("early_help_episode_id")?),
            reason: r.try_get("reason")?,
            sharing: SafeguardingOverride {
                agency: Agency::from_code(&agency)
                    .ok_or_else(|| corrupt(format!("agency '{agency}'")))?,
                recorded_at: r.try_get("recorded_at")?,
            },
            recorded_by: WorkerId(r.try_get("recorded_by")?),
            recorded_by_name: r.try_get("recorded_by_name")?,
        })
    }};
}

/// The consent decisions on an episode, oldest first, through the transaction (so the rule is
/// applied to what is committed with the change).
pub async fn consents_in(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EarlyHelpEpisodeId,
) -> Result<(Vec<ConsentRecord>, Vec<OverrideRecord>), StoreError> {
    on_tx!(tx, conn => {
        let consents = sqlx::query(CONSENTS_SQL).bind(episode.0).bind(authority.0).fetch_all(&mut *conn).await?;
        let overrides = sqlx::query(OVERRIDES_SQL).bind(episode.0).bind(authority.0).fetch_all(&mut *conn).await?;
        Ok((
            consents.iter().map(|r| consent_from_row!(r)).collect::<Result<Vec<_>, StoreError>>()?,
            overrides.iter().map(|r| override_from_row!(r)).collect::<Result<Vec<_>, StoreError>>()?,
        ))
    })
}

/// Which episodes a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarlyHelpList {
    /// Open and not yet allocated to a coordinator, oldest first.
    Unallocated,
    /// Open and allocated to this coordinator.
    CoordinatedBy(WorkerId),
    /// Open, with a started assessment not completed by `today` whose due date has passed.
    OverdueOn(NaiveDate),
    /// Open, with this worker as the assessment's lead professional.
    LedBy(WorkerId),
}

/// At most this many rows in a list.
pub const LIST_LIMIT: i64 = 500;

impl Store {
    pub async fn early_help_episode(
        &self,
        authority: AuthorityId,
        id: EarlyHelpEpisodeId,
    ) -> Result<EarlyHelpEpisode, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE e.id = $1 AND e.authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(episode_from_row!(&row)),
                None => Err(StoreError::NotFound("The early help episode")),
            }
        })
    }

    pub async fn early_help_list(
        &self,
        authority: AuthorityId,
        list: EarlyHelpList,
    ) -> Result<Vec<EarlyHelpEpisode>, StoreError> {
        let (condition, order) = match list {
            EarlyHelpList::Unallocated => ("e.coordinator_id IS NULL", "e.opened_at, e.id"),
            EarlyHelpList::CoordinatedBy(_) => ("e.coordinator_id = $3", "e.opened_at, e.id"),
            EarlyHelpList::OverdueOn(_) => (
                "a.started_on IS NOT NULL AND a.completed_on IS NULL AND a.due_on < $3",
                "a.due_on, e.id",
            ),
            EarlyHelpList::LedBy(_) => ("a.lead_worker_id = $3", "e.opened_at, e.id"),
        };
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE e.authority_id = $1 AND e.status = 'open' AND {condition} ORDER BY {order} LIMIT $2"
        );
        on_pool!(self, pool => {
            let query = sqlx::query(&sql).bind(authority.0).bind(LIST_LIMIT);
            let query = match list {
                EarlyHelpList::Unallocated => query,
                EarlyHelpList::CoordinatedBy(w) | EarlyHelpList::LedBy(w) => query.bind(w.0),
                EarlyHelpList::OverdueOn(today) => query.bind(today),
            };
            let rows = query.fetch_all(pool).await?;
            rows.iter().map(|r| Ok(episode_from_row!(r))).collect()
        })
    }

    /// A child's early help episodes, newest first.
    pub async fn early_help_episodes_of(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<EarlyHelpEpisode>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE e.person_id = $1 AND e.authority_id = $2 ORDER BY e.opened_at DESC, e.id DESC");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(episode_from_row!(r))).collect()
        })
    }

    pub async fn early_help_consents(
        &self,
        authority: AuthorityId,
        episode: EarlyHelpEpisodeId,
    ) -> Result<(Vec<ConsentRecord>, Vec<OverrideRecord>), StoreError> {
        on_pool!(self, pool => {
            let consents = sqlx::query(CONSENTS_SQL).bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            let overrides = sqlx::query(OVERRIDES_SQL).bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            Ok((
                consents.iter().map(|r| consent_from_row!(r)).collect::<Result<Vec<_>, StoreError>>()?,
                overrides.iter().map(|r| override_from_row!(r)).collect::<Result<Vec<_>, StoreError>>()?,
            ))
        })
    }

    /// The coordinator's contacts with the family, oldest first.
    pub async fn early_help_family_contacts(
        &self,
        authority: AuthorityId,
        episode: EarlyHelpEpisodeId,
    ) -> Result<Vec<FamilyContact>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT f.id, f.contacted_on, f.method, f.outcome, f.recorded_by, w.display_name AS recorded_by_name, f.recorded_at
                                    FROM early_help_family_contacts f LEFT JOIN workers w ON w.id = f.recorded_by
                                    WHERE f.early_help_episode_id = $1 AND f.authority_id = $2 ORDER BY f.contacted_on, f.recorded_at")
                .bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(FamilyContact {
                id: r.try_get("id")?,
                episode,
                contacted_on: r.try_get("contacted_on")?,
                method: r.try_get("method")?,
                outcome: r.try_get("outcome")?,
                recorded_by: WorkerId(r.try_get("recorded_by")?),
                recorded_by_name: r.try_get("recorded_by_name")?,
                recorded_at: r.try_get("recorded_at")?,
            })).collect()
        })
    }

    /// The team-around-the-family actions, by due date.
    pub async fn early_help_actions(
        &self,
        authority: AuthorityId,
        episode: EarlyHelpEpisodeId,
    ) -> Result<Vec<FamilyAction>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, description, owner, due_on, completed_on, recorded_by, recorded_at FROM early_help_actions
                                    WHERE early_help_episode_id = $1 AND authority_id = $2 ORDER BY due_on, recorded_at, id")
                .bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(FamilyAction {
                id: r.try_get("id")?,
                episode,
                description: r.try_get("description")?,
                owner: r.try_get("owner")?,
                due_on: r.try_get("due_on")?,
                completed_on: r.try_get("completed_on")?,
                recorded_by: WorkerId(r.try_get("recorded_by")?),
                recorded_at: r.try_get("recorded_at")?,
            })).collect()
        })
    }
}
