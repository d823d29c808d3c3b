//! Safety plans (and written agreements) and their actions.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{
    AuthorityId, CseScreeningId, DashAssessmentId, PersonId, SafetyPlanId, WorkerId,
};
use frontdoor_domain::safety_plan::{PlanAction, PlanKind, PlanRecord, PlanState};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, serde::Serialize)]
pub struct SafetyPlan {
    pub id: SafetyPlanId,
    pub authority: AuthorityId,
    /// The child.
    pub person: PersonId,
    pub state: PlanState,
    /// The DASH assessment that prompted it, if one did.
    pub dash_assessment: Option<DashAssessmentId>,
    /// The CSE screening whose identified indicators its actions must answer, if any.
    pub cse_screening: Option<CseScreeningId>,
    pub record: PlanRecord,
    pub created_by: WorkerId,
    pub created_at: DateTime<Utc>,
    pub recorded_by: WorkerId,
    pub recorded_by_name: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub signed_off_by: Option<WorkerId>,
    pub signed_off_by_name: Option<String>,
    pub signed_off_at: Option<DateTime<Utc>>,
    /// Sign-offs refused as incomplete before the one that succeeded.
    pub sign_off_refusals: i32,
}

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

const COLUMNS: &str = "p.id, p.authority_id, p.person_id, p.kind, p.state, p.dash_assessment_id, p.cse_screening_id, p.concerns, p.review_on,
    p.created_by, p.created_at, p.recorded_by, r.display_name AS recorded_by_name, p.recorded_at, p.signed_off_by, o.display_name AS signed_off_by_name, p.signed_off_at, p.sign_off_refusals";
const FROM: &str = "FROM safety_plans p LEFT JOIN workers r ON r.id = p.recorded_by LEFT JOIN workers o ON o.id = p.signed_off_by";

macro_rules! plan_from_row {
    ($r:expr) => {{
        let r = $r;
        let kind: String = r.try_get("kind")?;
        let state: String = r.try_get("state")?;
        SafetyPlan {
            id: SafetyPlanId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            person: PersonId(r.try_get("person_id")?),
            state: PlanState::from_code(&state).map_err(corrupt)?,
            dash_assessment: r
                .try_get::<Option<Uuid>, _>("dash_assessment_id")?
                .map(DashAssessmentId),
            cse_screening: r
                .try_get::<Option<Uuid>, _>("cse_screening_id")?
                .map(CseScreeningId),
            record: PlanRecord {
                kind: PlanKind::from_code(&kind).map_err(corrupt)?,
                concerns: r.try_get("concerns")?,
                actions: Vec::new(),
                review_on: r.try_get("review_on")?,
            },
            created_by: WorkerId(r.try_get("created_by")?),
            created_at: r.try_get("created_at")?,
            recorded_by: WorkerId(r.try_get("recorded_by")?),
            recorded_by_name: r.try_get("recorded_by_name")?,
            recorded_at: r.try_get("recorded_at")?,
            signed_off_by: r.try_get::<Option<Uuid>, _>("signed_off_by")?.map(WorkerId),
            signed_off_by_name: r.try_get("signed_off_by_name")?,
            signed_off_at: r.try_get("signed_off_at")?,
            sign_off_refusals: r.try_get("sign_off_refusals")?,
        }
    }};
}

/// Fills in a plan's actions, through `$conn`.
macro_rules! load_actions {
    ($conn:expr, $plan:expr) => {{
        let p: &mut SafetyPlan = $plan;
        let rows = sqlx::query("SELECT description, owner, due_on, answers FROM safety_plan_actions WHERE safety_plan_id = $1 ORDER BY position")
            .bind(p.id.0).fetch_all(&mut *$conn).await?;
        for r in &rows {
            let answers: String = r.try_get("answers")?;
            p.record.actions.push(PlanAction {
                description: r.try_get("description")?,
                owner: r.try_get("owner")?,
                due_on: r.try_get::<Option<NaiveDate>, _>("due_on")?,
                answers: answers.split(',').filter(|c| !c.is_empty()).map(String::from).collect(),
            });
        }
    }};
}

/// A new draft plan, its actions included.
pub async fn insert(tx: &mut Tx, plan: &SafetyPlan) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO safety_plans (id, authority_id, person_id, kind, state, dash_assessment_id, cse_screening_id, concerns, review_on, created_by, created_at, recorded_by, recorded_at, sign_off_refusals)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0)",
        )
        .bind(plan.id.0).bind(plan.authority.0).bind(plan.person.0).bind(plan.record.kind.code()).bind(plan.state.code())
        .bind(plan.dash_assessment.map(|d| d.0)).bind(plan.cse_screening.map(|c| c.0))
        .bind(plan.record.concerns.trim()).bind(plan.record.review_on)
        .bind(plan.created_by.0).bind(to_stored_instant(plan.created_at)).bind(plan.recorded_by.0).bind(to_stored_instant(plan.recorded_at))
        .execute(&mut *conn).await?;
    });
    insert_actions(tx, plan.authority, plan.id, &plan.record.actions).await
}

async fn insert_actions(
    tx: &mut Tx,
    authority: AuthorityId,
    id: SafetyPlanId,
    actions: &[PlanAction],
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        for (position, a) in actions.iter().enumerate() {
            sqlx::query("INSERT INTO safety_plan_actions (id, authority_id, safety_plan_id, position, description, owner, due_on, answers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(Uuid::now_v7()).bind(authority.0).bind(id.0).bind(position as i32)
                .bind(a.description.trim()).bind(a.owner.trim()).bind(a.due_on).bind(a.answers.join(","))
                .execute(&mut *conn).await?;
        }
    });
    Ok(())
}

/// Reads a plan inside a write transaction, holding its row until the transaction ends.
pub async fn plan_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: SafetyPlanId,
) -> Result<SafetyPlan, StoreError> {
    if tx.is_postgres() {
        on_tx!(tx, conn => {
            sqlx::query("SELECT id FROM safety_plans WHERE id = $1 AND authority_id = $2 FOR UPDATE")
                .bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await?;
        });
    }
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE p.id = $1 AND p.authority_id = $2");
    on_tx!(tx, conn => {
        let Some(row) = sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? else {
            return Err(StoreError::NotFound("The safety plan"));
        };
        let mut plan = plan_from_row!(&row);
        load_actions!(conn, &mut plan);
        Ok(plan)
    })
}

/// Replaces a draft plan's kind, concerns, review date and actions; false when it was signed
/// off first.
pub async fn save_draft(
    tx: &mut Tx,
    authority: AuthorityId,
    id: SafetyPlanId,
    record: &PlanRecord,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE safety_plans SET kind = $1, concerns = $2, review_on = $3, recorded_by = $4, recorded_at = $5
                     WHERE id = $6 AND authority_id = $7 AND state = 'draft'")
            .bind(record.kind.code()).bind(record.concerns.trim()).bind(record.review_on)
            .bind(by.0).bind(to_stored_instant(at)).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    if changed != 1 {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM safety_plan_actions WHERE safety_plan_id = $1")
            .bind(id.0).execute(&mut *conn).await?;
    });
    insert_actions(tx, authority, id, &record.actions).await?;
    Ok(true)
}

/// Signs a draft off, in one guarded statement; false when another manager signed it off first.
pub async fn sign_off(
    tx: &mut Tx,
    authority: AuthorityId,
    id: SafetyPlanId,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE safety_plans SET state = 'signed_off', signed_off_by = $1, signed_off_at = $2 WHERE id = $3 AND authority_id = $4 AND state = 'draft'")
            .bind(by.0).bind(to_stored_instant(at)).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Counts a sign-off refused because the plan was incomplete (a record-quality indicator).
pub async fn count_refusal(
    tx: &mut Tx,
    authority: AuthorityId,
    id: SafetyPlanId,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE safety_plans SET sign_off_refusals = sign_off_refusals + 1 WHERE id = $1 AND authority_id = $2 AND state = 'draft'")
            .bind(id.0).bind(authority.0).execute(&mut *conn).await?;
    });
    Ok(())
}

impl Store {
    pub async fn safety_plan(
        &self,
        authority: AuthorityId,
        id: SafetyPlanId,
    ) -> Result<SafetyPlan, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE p.id = $1 AND p.authority_id = $2");
        on_pool!(self, pool => {
            let mut conn = pool.acquire().await?;
            let Some(row) = sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? else {
                return Err(StoreError::NotFound("The safety plan"));
            };
            let mut plan = plan_from_row!(&row);
            load_actions!(conn, &mut plan);
            Ok(plan)
        })
    }

    /// A child's plans and written agreements, newest first (with their actions).
    pub async fn safety_plans_of_person(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<SafetyPlan>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE p.person_id = $1 AND p.authority_id = $2 ORDER BY p.created_at DESC");
        on_pool!(self, pool => {
            let mut conn = pool.acquire().await?;
            let rows = sqlx::query(&sql).bind(person.0).bind(authority.0).fetch_all(&mut *conn).await?;
            let mut plans = Vec::new();
            for row in &rows {
                let mut plan = plan_from_row!(row);
                load_actions!(conn, &mut plan);
                plans.push(plan);
            }
            Ok(plans)
        })
    }
}
