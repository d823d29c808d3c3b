//! Section 47 enquiries and their visits, child protection conferences, plans and plan visits.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::child_protection::CategoryOfAbuse;
use frontdoor_domain::ids::{
    AuthorityId, ConferenceId, EnquiryId, EpisodeId, PersonId, PlanId, StrategyDiscussionId,
    WorkerId,
};
use sqlx::Row;
use uuid::Uuid;

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn category(code: Option<String>) -> Result<Option<CategoryOfAbuse>, StoreError> {
    code.map(|c| CategoryOfAbuse::from_code(&c))
        .transpose()
        .map_err(corrupt)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Enquiry {
    pub id: EnquiryId,
    pub authority: AuthorityId,
    pub episode: EpisodeId,
    pub person: PersonId,
    pub strategy_discussion: StrategyDiscussionId,
    pub started_on: NaiveDate,
    /// When the strategy discussion agreed how the enquiry would proceed (it was held).
    pub plan_agreed_at: DateTime<Utc>,
    pub icpc_due_on: NaiveDate,
    /// `open` or `completed`.
    pub state: String,
    pub concerns_substantiated: Option<bool>,
    pub icpc_needed: Option<bool>,
    pub outcome_reason: String,
    pub completed_on: Option<NaiveDate>,
    pub started_by: WorkerId,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EnquiryVisit {
    pub id: Uuid,
    pub enquiry: EnquiryId,
    pub visited_at: DateTime<Utc>,
    pub visited_by: String,
    pub child_seen: bool,
    pub seen_alone: bool,
    /// Flagged: the visit came before the strategy discussion agreed the plan.
    pub before_plan_agreed: bool,
    pub early_visit_reason: String,
    pub recorded_by: WorkerId,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Conference {
    pub id: ConferenceId,
    pub authority: AuthorityId,
    pub episode: EpisodeId,
    pub person: PersonId,
    /// `initial` or `review`.
    pub kind: String,
    pub enquiry: Option<EnquiryId>,
    pub plan: Option<PlanId>,
    pub due_on: NaiveDate,
    pub held_on: Option<NaiveDate>,
    pub chair: String,
    /// Initial: whether the child is to have a plan. Review: whether the plan continues.
    pub plan_outcome: Option<bool>,
    pub category: Option<CategoryOfAbuse>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ProtectionPlan {
    pub id: PlanId,
    pub authority: AuthorityId,
    pub episode: EpisodeId,
    pub person: PersonId,
    pub icpc: ConferenceId,
    pub started_on: NaiveDate,
    pub initial_category: CategoryOfAbuse,
    pub latest_category: CategoryOfAbuse,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanVisit {
    pub id: Uuid,
    pub plan: PlanId,
    pub visited_on: NaiveDate,
    pub seen_alone: bool,
}

const ENQUIRY_COLUMNS: &str = "id, authority_id, episode_id, person_id, strategy_discussion_id, started_on, plan_agreed_at, icpc_due_on, state, concerns_substantiated, icpc_needed, outcome_reason, completed_on, started_by";

macro_rules! enquiry_from_row {
    ($r:expr) => {{
        let r = $r;
        Enquiry {
            id: EnquiryId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            episode: EpisodeId(r.try_get("episode_id")?),
            person: PersonId(r.try_get("person_id")?),
            strategy_discussion: StrategyDiscussionId(r.try_get("strategy_discussion_id")?),
            started_on: r.try_get("started_on")?,
            plan_agreed_at: r.try_get("plan_agreed_at")?,
            icpc_due_on: r.try_get("icpc_due_on")?,
            state: r.try_get("state")?,
            concerns_substantiated: r.try_get("concerns_substantiated")?,
            icpc_needed: r.try_get("icpc_needed")?,
            outcome_reason: r.try_get("outcome_reason")?,
            completed_on: r.try_get("completed_on")?,
            started_by: WorkerId(r.try_get("started_by")?),
        }
    }};
}

const CONFERENCE_COLUMNS: &str = "id, authority_id, episode_id, person_id, kind, enquiry_id, plan_id, due_on, held_on, chair, plan_outcome, category";

macro_rules! conference_from_row {
    ($r:expr) => {{
        let r = $r;
        Conference {
            id: ConferenceId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            episode: EpisodeId(r.try_get("episode_id")?),
            person: PersonId(r.try_get("person_id")?),
            kind: r.try_get("kind")?,
            enquiry: r.try_get::<Option<Uuid>, _>("enquiry_id")?.map(EnquiryId),
            plan: r.try_get::<Option<Uuid>, _>("plan_id")?.map(PlanId),
            due_on: r.try_get("due_on")?,
            held_on: r.try_get("held_on")?,
            chair: r.try_get("chair")?,
            plan_outcome: r.try_get("plan_outcome")?,
            category: category(r.try_get("category")?)?,
        }
    }};
}

const PLAN_COLUMNS: &str = "id, authority_id, episode_id, person_id, icpc_id, started_on, initial_category, latest_category, ended_on, end_reason";

macro_rules! plan_from_row {
    ($r:expr) => {{
        let r = $r;
        let initial: String = r.try_get("initial_category")?;
        let latest: String = r.try_get("latest_category")?;
        ProtectionPlan {
            id: PlanId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            episode: EpisodeId(r.try_get("episode_id")?),
            person: PersonId(r.try_get("person_id")?),
            icpc: ConferenceId(r.try_get("icpc_id")?),
            started_on: r.try_get("started_on")?,
            initial_category: CategoryOfAbuse::from_code(&initial).map_err(corrupt)?,
            latest_category: CategoryOfAbuse::from_code(&latest).map_err(corrupt)?,
            ended_on: r.try_get("ended_on")?,
            end_reason: r.try_get("end_reason")?,
        }
    }};
}

/// Starts an enquiry. The strategy discussion's unique key refuses a second enquiry from the
/// same discussion ([`StoreError::Duplicate`]), so two started at once cannot both succeed.
pub async fn insert_enquiry(tx: &mut Tx, e: &Enquiry, at: DateTime<Utc>) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO section_47_enquiries (id, authority_id, episode_id, person_id, strategy_discussion_id, started_on, plan_agreed_at, icpc_due_on, state, outcome_reason, started_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', '', $9, $10)")
            .bind(e.id.0).bind(e.authority.0).bind(e.episode.0).bind(e.person.0).bind(e.strategy_discussion.0)
            .bind(e.started_on).bind(to_stored_instant(e.plan_agreed_at)).bind(e.icpc_due_on).bind(e.started_by.0)
            .bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Reads an enquiry inside a write transaction, holding its row.
pub async fn enquiry_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EnquiryId,
) -> Result<Enquiry, StoreError> {
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT {ENQUIRY_COLUMNS} FROM section_47_enquiries WHERE id = $1 AND authority_id = $2{lock}");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(enquiry_from_row!(&row)),
            None => Err(StoreError::NotFound("The section 47 enquiry")),
        }
    })
}

/// The enquiry started from a strategy discussion, read through the transaction.
pub async fn enquiry_of_discussion(
    tx: &mut Tx,
    authority: AuthorityId,
    discussion: StrategyDiscussionId,
) -> Result<Option<Enquiry>, StoreError> {
    let sql = format!("SELECT {ENQUIRY_COLUMNS} FROM section_47_enquiries WHERE strategy_discussion_id = $1 AND authority_id = $2");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(discussion.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(Some(enquiry_from_row!(&row))),
            None => Ok(None),
        }
    })
}

pub async fn insert_enquiry_visit(
    tx: &mut Tx,
    authority: AuthorityId,
    v: &EnquiryVisit,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO section_47_visits (id, authority_id, enquiry_id, visited_at, visited_by, child_seen, seen_alone, before_plan_agreed, early_visit_reason, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(v.id).bind(authority.0).bind(v.enquiry.0).bind(to_stored_instant(v.visited_at)).bind(&v.visited_by)
            .bind(v.child_seen).bind(v.seen_alone).bind(v.before_plan_agreed).bind(&v.early_visit_reason)
            .bind(v.recorded_by.0).bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Records an open enquiry's outcome, in one guarded statement; false when it had already
/// been completed.
#[allow(clippy::too_many_arguments)]
pub async fn complete_enquiry(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EnquiryId,
    substantiated: bool,
    icpc_needed: bool,
    reason: &str,
    on: NaiveDate,
    by: WorkerId,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE section_47_enquiries SET state = 'completed', concerns_substantiated = $1, icpc_needed = $2, outcome_reason = $3, completed_on = $4, completed_by = $5 WHERE id = $6 AND authority_id = $7 AND state = 'open'")
            .bind(substantiated).bind(icpc_needed).bind(reason).bind(on).bind(by.0).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

pub async fn insert_conference(
    tx: &mut Tx,
    c: &Conference,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO conferences (id, authority_id, episode_id, person_id, kind, enquiry_id, plan_id, due_on, held_on, chair, plan_outcome, category, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, '', NULL, NULL, $9)")
            .bind(c.id.0).bind(c.authority.0).bind(c.episode.0).bind(c.person.0).bind(&c.kind)
            .bind(c.enquiry.map(|e| e.0)).bind(c.plan.map(|p| p.0)).bind(c.due_on).bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Reads a conference inside a write transaction, holding its row.
pub async fn conference_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: ConferenceId,
) -> Result<Conference, StoreError> {
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT {CONFERENCE_COLUMNS} FROM conferences WHERE id = $1 AND authority_id = $2{lock}"
    );
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(conference_from_row!(&row)),
            None => Err(StoreError::NotFound("The conference")),
        }
    })
}

/// Records a conference as held, in one guarded statement; false when it was already recorded.
#[allow(clippy::too_many_arguments)]
pub async fn hold_conference(
    tx: &mut Tx,
    authority: AuthorityId,
    id: ConferenceId,
    held_on: NaiveDate,
    chair: &str,
    plan_outcome: bool,
    category: Option<CategoryOfAbuse>,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE conferences SET held_on = $1, chair = $2, plan_outcome = $3, category = $4, recorded_by = $5, recorded_at = $6 WHERE id = $7 AND authority_id = $8 AND held_on IS NULL")
            .bind(held_on).bind(chair).bind(plan_outcome).bind(category.map(|c| c.code()))
            .bind(by.0).bind(to_stored_instant(at)).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

pub async fn insert_plan(
    tx: &mut Tx,
    p: &ProtectionPlan,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO protection_plans (id, authority_id, episode_id, person_id, icpc_id, started_on, initial_category, latest_category, ended_on, end_reason, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, $9)")
            .bind(p.id.0).bind(p.authority.0).bind(p.episode.0).bind(p.person.0).bind(p.icpc.0)
            .bind(p.started_on).bind(p.initial_category.code()).bind(p.latest_category.code()).bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Reads a plan inside a write transaction, holding its row.
pub async fn plan_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: PlanId,
) -> Result<ProtectionPlan, StoreError> {
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT {PLAN_COLUMNS} FROM protection_plans WHERE id = $1 AND authority_id = $2{lock}"
    );
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(plan_from_row!(&row)),
            None => Err(StoreError::NotFound("The child protection plan")),
        }
    })
}

/// Sets an open plan's latest category (from a review); false when it has ended.
pub async fn set_latest_category(
    tx: &mut Tx,
    authority: AuthorityId,
    id: PlanId,
    category: CategoryOfAbuse,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE protection_plans SET latest_category = $1 WHERE id = $2 AND authority_id = $3 AND ended_on IS NULL")
            .bind(category.code()).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Ends an open plan; false when it had already ended.
pub async fn end_plan(
    tx: &mut Tx,
    authority: AuthorityId,
    id: PlanId,
    on: NaiveDate,
    reason: &str,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE protection_plans SET ended_on = $1, end_reason = $2 WHERE id = $3 AND authority_id = $4 AND ended_on IS NULL")
            .bind(on).bind(reason).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

pub async fn insert_plan_visit(
    tx: &mut Tx,
    authority: AuthorityId,
    v: &PlanVisit,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO plan_visits (id, authority_id, plan_id, visited_on, seen_alone, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(v.id).bind(authority.0).bind(v.plan.0).bind(v.visited_on).bind(v.seen_alone).bind(by.0).bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

impl Store {
    pub async fn enquiry(
        &self,
        authority: AuthorityId,
        id: EnquiryId,
    ) -> Result<Enquiry, StoreError> {
        let sql = format!(
            "SELECT {ENQUIRY_COLUMNS} FROM section_47_enquiries WHERE id = $1 AND authority_id = $2"
        );
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(enquiry_from_row!(&row)),
                None => Err(StoreError::NotFound("The section 47 enquiry")),
            }
        })
    }

    pub async fn enquiries_of_episode(
        &self,
        authority: AuthorityId,
        episode: EpisodeId,
    ) -> Result<Vec<Enquiry>, StoreError> {
        let sql = format!("SELECT {ENQUIRY_COLUMNS} FROM section_47_enquiries WHERE episode_id = $1 AND authority_id = $2 ORDER BY started_on");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(enquiry_from_row!(r))).collect()
        })
    }

    pub async fn enquiry_visits(
        &self,
        authority: AuthorityId,
        enquiry: EnquiryId,
    ) -> Result<Vec<EnquiryVisit>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, enquiry_id, visited_at, visited_by, child_seen, seen_alone, before_plan_agreed, early_visit_reason, recorded_by FROM section_47_visits WHERE enquiry_id = $1 AND authority_id = $2 ORDER BY visited_at")
                .bind(enquiry.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(EnquiryVisit {
                id: r.try_get("id")?,
                enquiry: EnquiryId(r.try_get("enquiry_id")?),
                visited_at: r.try_get("visited_at")?,
                visited_by: r.try_get("visited_by")?,
                child_seen: r.try_get("child_seen")?,
                seen_alone: r.try_get("seen_alone")?,
                before_plan_agreed: r.try_get("before_plan_agreed")?,
                early_visit_reason: r.try_get("early_visit_reason")?,
                recorded_by: WorkerId(r.try_get("recorded_by")?),
            })).collect()
        })
    }

    pub async fn conference(
        &self,
        authority: AuthorityId,
        id: ConferenceId,
    ) -> Result<Conference, StoreError> {
        let sql = format!(
            "SELECT {CONFERENCE_COLUMNS} FROM conferences WHERE id = $1 AND authority_id = $2"
        );
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(conference_from_row!(&row)),
                None => Err(StoreError::NotFound("The conference")),
            }
        })
    }

    pub async fn conferences_of_episode(
        &self,
        authority: AuthorityId,
        episode: EpisodeId,
    ) -> Result<Vec<Conference>, StoreError> {
        let sql = format!("SELECT {CONFERENCE_COLUMNS} FROM conferences WHERE episode_id = $1 AND authority_id = $2 ORDER BY due_on");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(conference_from_row!(r))).collect()
        })
    }

    pub async fn plan(
        &self,
        authority: AuthorityId,
        id: PlanId,
    ) -> Result<ProtectionPlan, StoreError> {
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM protection_plans WHERE id = $1 AND authority_id = $2"
        );
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(plan_from_row!(&row)),
                None => Err(StoreError::NotFound("The child protection plan")),
            }
        })
    }

    pub async fn plans_of_episode(
        &self,
        authority: AuthorityId,
        episode: EpisodeId,
    ) -> Result<Vec<ProtectionPlan>, StoreError> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM protection_plans WHERE episode_id = $1 AND authority_id = $2 ORDER BY started_on");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(plan_from_row!(r))).collect()
        })
    }

    pub async fn plan_visits(
        &self,
        authority: AuthorityId,
        plan: PlanId,
    ) -> Result<Vec<PlanVisit>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, plan_id, visited_on, seen_alone FROM plan_visits WHERE plan_id = $1 AND authority_id = $2 ORDER BY visited_on")
                .bind(plan.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(PlanVisit {
                id: r.try_get("id")?,
                plan: PlanId(r.try_get("plan_id")?),
                visited_on: r.try_get("visited_on")?,
                seen_alone: r.try_get("seen_alone")?,
            })).collect()
        })
    }

    /// Review conferences of a plan, oldest first.
    pub async fn reviews_of_plan(
        &self,
        authority: AuthorityId,
        plan: PlanId,
    ) -> Result<Vec<Conference>, StoreError> {
        let sql = format!("SELECT {CONFERENCE_COLUMNS} FROM conferences WHERE plan_id = $1 AND authority_id = $2 AND kind = 'review' ORDER BY due_on");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(plan.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(conference_from_row!(r))).collect()
        })
    }
}
