//! Child in need plans: the plan a child in need has after their assessment (or after a child
//! protection plan ends), reported in the census's `CINPlanDates`.

use crate::{on_tx, to_stored_instant, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, WorkerId};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CinPlan {
    pub id: Uuid,
    pub authority: AuthorityId,
    pub episode: EpisodeId,
    pub person: PersonId,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// Starts a plan (its end, if any, is recorded with [`end_cin_plan`]).
pub async fn insert_cin_plan(
    tx: &mut Tx,
    plan: &CinPlan,
    by: Option<WorkerId>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO cin_plans (id, authority_id, episode_id, person_id, started_on, ended_on, started_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)")
            .bind(plan.id).bind(plan.authority.0).bind(plan.episode.0).bind(plan.person.0)
            .bind(plan.started_on).bind(by.map(|w| w.0)).bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Ends an open plan, in one guarded statement; false when it had already ended (or ending it
/// on `on` would end it before it started).
pub async fn end_cin_plan(
    tx: &mut Tx,
    authority: AuthorityId,
    id: Uuid,
    on: NaiveDate,
    by: Option<WorkerId>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE cin_plans SET ended_on = $1, ended_by = $2 WHERE id = $3 AND authority_id = $4 AND ended_on IS NULL AND started_on <= $1")
            .bind(on).bind(by.map(|w| w.0)).bind(id).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}
