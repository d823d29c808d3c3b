//! Strategy discussions and their records (participants, risks, actions).

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, StrategyDiscussionId, WorkerId};
use frontdoor_domain::strategy_discussion::{
    Agency, AgreedAction, Attendee, Risk, RiskLevel, StrategyOutcome, StrategyRecord, StrategyState,
};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, serde::Serialize)]
pub struct StrategyDiscussion {
    pub id: StrategyDiscussionId,
    pub authority: AuthorityId,
    pub episode: EpisodeId,
    pub person: PersonId,
    pub state: StrategyState,
    /// Started out of hours on an open episode, rather than by a threshold decision.
    pub emergency: bool,
    pub decided_at: DateTime<Utc>,
    pub decided_by: Option<WorkerId>,
    pub decided_by_name: Option<String>,
    pub record: StrategyRecord,
    pub recorded_by: Option<WorkerId>,
    pub recorded_by_name: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
    pub signed_off_by: Option<WorkerId>,
    pub signed_off_by_name: Option<String>,
    pub signed_off_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawal_reason: String,
    /// Sign-offs refused as incomplete before the one that succeeded.
    pub sign_off_refusals: i32,
    /// Whether it was held within the target after the decision (set at sign-off).
    pub held_within_target: Option<bool>,
}

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

const COLUMNS: &str = "s.id, s.authority_id, s.episode_id, s.person_id, s.state, s.emergency, s.decided_at, s.decided_by, d.display_name AS decided_by_name,
    s.held_at, s.police_absence_reason, s.health_absence_reason, s.decision, s.rationale,
    s.recorded_by, r.display_name AS recorded_by_name, s.recorded_at, s.signed_off_by, o.display_name AS signed_off_by_name, s.signed_off_at, s.withdrawn_at, s.withdrawal_reason,
    s.sign_off_refusals, s.held_within_target";
const FROM: &str = "FROM strategy_discussions s LEFT JOIN workers d ON d.id = s.decided_by LEFT JOIN workers r ON r.id = s.recorded_by LEFT JOIN workers o ON o.id = s.signed_off_by";

macro_rules! discussion_from_row {
    ($r:expr) => {{
        let r = $r;
        let state: String = r.try_get("state")?;
        let decision: Option<String> = r.try_get("decision")?;
        StrategyDiscussion {
            id: StrategyDiscussionId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            episode: EpisodeId(r.try_get("episode_id")?),
            person: PersonId(r.try_get("person_id")?),
            state: StrategyState::from_code(&state).map_err(corrupt)?,
            emergency: r.try_get("emergency")?,
            decided_at: r.try_get("decided_at")?,
            decided_by: r.try_get::<Option<Uuid>, _>("decided_by")?.map(WorkerId),
            decided_by_name: r.try_get("decided_by_name")?,
            record: StrategyRecord {
                held_at: r.try_get("held_at")?,
                attendees: Vec::new(),
                police_absence_reason: r.try_get("police_absence_reason")?,
                health_absence_reason: r.try_get("health_absence_reason")?,
                risks: Vec::new(),
                decision: decision
                    .map(|d| StrategyOutcome::from_code(&d))
                    .transpose()
                    .map_err(corrupt)?,
                rationale: r.try_get("rationale")?,
                actions: Vec::new(),
            },
            recorded_by: r.try_get::<Option<Uuid>, _>("recorded_by")?.map(WorkerId),
            recorded_by_name: r.try_get("recorded_by_name")?,
            recorded_at: r.try_get("recorded_at")?,
            signed_off_by: r.try_get::<Option<Uuid>, _>("signed_off_by")?.map(WorkerId),
            signed_off_by_name: r.try_get("signed_off_by_name")?,
            signed_off_at: r.try_get("signed_off_at")?,
            withdrawn_at: r.try_get("withdrawn_at")?,
            withdrawal_reason: r.try_get("withdrawal_reason")?,
            sign_off_refusals: r.try_get("sign_off_refusals")?,
            held_within_target: r.try_get("held_within_target")?,
        }
    }};
}

fn level(code: Option<String>) -> Result<Option<RiskLevel>, StoreError> {
    code.map(|c| RiskLevel::from_code(&c))
        .transpose()
        .map_err(corrupt)
}

/// Fills in a discussion's participants, risks and actions, through `$conn`.
macro_rules! load_parts {
    ($conn:expr, $discussion:expr) => {{
        let d: &mut StrategyDiscussion = $discussion;
        let rows = sqlx::query("SELECT name, agency, role, information_shared FROM strategy_attendees WHERE strategy_discussion_id = $1 ORDER BY position")
            .bind(d.id.0).fetch_all(&mut *$conn).await?;
        for r in &rows {
            let agency: Option<String> = r.try_get("agency")?;
            d.record.attendees.push(Attendee {
                name: r.try_get("name")?,
                agency: agency
                    .map(|a| Agency::from_code(&a).ok_or_else(|| corrupt(format!("unknown agency '{a}'"))))
                    .transpose()?,
                role: r.try_get("role")?,
                information_shared: r.try_get("information_shared")?,
            });
        }
        let rows = sqlx::query("SELECT harm, to_whom, from_whom, likelihood, severity FROM strategy_risks WHERE strategy_discussion_id = $1 ORDER BY position")
            .bind(d.id.0).fetch_all(&mut *$conn).await?;
        for r in &rows {
            d.record.risks.push(Risk {
                harm: r.try_get("harm")?,
                to_whom: r.try_get("to_whom")?,
                from_whom: r.try_get("from_whom")?,
                likelihood: level(r.try_get("likelihood")?)?,
                severity: level(r.try_get("severity")?)?,
            });
        }
        let rows = sqlx::query("SELECT description, owner, due_on FROM strategy_actions WHERE strategy_discussion_id = $1 ORDER BY position")
            .bind(d.id.0).fetch_all(&mut *$conn).await?;
        for r in &rows {
            d.record.actions.push(AgreedAction {
                description: r.try_get("description")?,
                owner: r.try_get("owner")?,
                due_on: r.try_get("due_on")?,
            });
        }
    }};
}

/// A new strategy discussion, to hold (decided at `decided_at`).
pub async fn insert(tx: &mut Tx, discussion: &StrategyDiscussion) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO strategy_discussions (id, authority_id, episode_id, person_id, state, emergency, decided_at, decided_by, held_at, police_absence_reason, health_absence_reason, decision, rationale, sign_off_refusals, withdrawal_reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, '', '', NULL, '', 0, '', $9)",
        )
        .bind(discussion.id.0).bind(discussion.authority.0).bind(discussion.episode.0).bind(discussion.person.0)
        .bind(discussion.state.code()).bind(discussion.emergency).bind(to_stored_instant(discussion.decided_at))
        .bind(discussion.decided_by.map(|w| w.0)).bind(to_stored_instant(discussion.decided_at))
        .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Reads a discussion inside a write transaction, holding its row until the transaction ends.
pub async fn discussion_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: StrategyDiscussionId,
) -> Result<StrategyDiscussion, StoreError> {
    if tx.is_postgres() {
        on_tx!(tx, conn => {
            sqlx::query("SELECT id FROM strategy_discussions WHERE id = $1 AND authority_id = $2 FOR UPDATE")
                .bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await?;
        });
    }
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE s.id = $1 AND s.authority_id = $2");
    on_tx!(tx, conn => {
        let Some(row) = sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? else {
            return Err(StoreError::NotFound("The strategy discussion"));
        };
        let mut discussion = discussion_from_row!(&row);
        load_parts!(conn, &mut discussion);
        Ok(discussion)
    })
}

/// Saves the record of a discussion still open to editing (to hold, or held and not signed
/// off), replacing its participants, risks and actions; false when it was signed off first.
pub async fn save_record(
    tx: &mut Tx,
    authority: AuthorityId,
    id: StrategyDiscussionId,
    record: &StrategyRecord,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let state = if record.held_at.is_some() {
        StrategyState::Held
    } else {
        StrategyState::ToHold
    };
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE strategy_discussions SET state = $1, held_at = $2, police_absence_reason = $3, health_absence_reason = $4, decision = $5, rationale = $6, recorded_by = $7, recorded_at = $8
                     WHERE id = $9 AND authority_id = $10 AND state IN ('to_hold', 'held')")
            .bind(state.code()).bind(record.held_at.map(to_stored_instant)).bind(record.police_absence_reason.trim())
            .bind(record.health_absence_reason.trim()).bind(record.decision.map(|d| d.code())).bind(record.rationale.trim())
            .bind(by.0).bind(to_stored_instant(at)).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    if changed != 1 {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        for table in ["strategy_attendees", "strategy_risks", "strategy_actions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE strategy_discussion_id = $1"))
                .bind(id.0).execute(&mut *conn).await?;
        }
        for (position, a) in record.attendees.iter().enumerate() {
            sqlx::query("INSERT INTO strategy_attendees (id, authority_id, strategy_discussion_id, position, name, agency, role, information_shared) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(Uuid::now_v7()).bind(authority.0).bind(id.0).bind(position as i32)
                .bind(a.name.trim()).bind(a.agency.map(|g| g.code())).bind(a.role.trim()).bind(a.information_shared.trim())
                .execute(&mut *conn).await?;
        }
        for (position, r) in record.risks.iter().enumerate() {
            sqlx::query("INSERT INTO strategy_risks (id, authority_id, strategy_discussion_id, position, harm, to_whom, from_whom, likelihood, severity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(Uuid::now_v7()).bind(authority.0).bind(id.0).bind(position as i32)
                .bind(r.harm.trim()).bind(r.to_whom.trim()).bind(r.from_whom.trim())
                .bind(r.likelihood.map(|l| l.code())).bind(r.severity.map(|l| l.code()))
                .execute(&mut *conn).await?;
        }
        for (position, a) in record.actions.iter().enumerate() {
            sqlx::query("INSERT INTO strategy_actions (id, authority_id, strategy_discussion_id, position, description, owner, due_on) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(Uuid::now_v7()).bind(authority.0).bind(id.0).bind(position as i32)
                .bind(a.description.trim()).bind(a.owner.trim()).bind(a.due_on)
                .execute(&mut *conn).await?;
        }
    });
    Ok(true)
}

/// Signs a held discussion off, in one guarded statement; false when it was not held (or
/// another manager signed it off first).
pub async fn sign_off(
    tx: &mut Tx,
    authority: AuthorityId,
    id: StrategyDiscussionId,
    by: WorkerId,
    at: DateTime<Utc>,
    held_within_target: bool,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE strategy_discussions SET state = 'signed_off', signed_off_by = $1, signed_off_at = $2, held_within_target = $3 WHERE id = $4 AND authority_id = $5 AND state = 'held'")
            .bind(by.0).bind(to_stored_instant(at)).bind(held_within_target).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Withdraws a discussion not yet signed off, in one guarded statement; false when it was
/// signed off (or withdrawn) first.
pub async fn withdraw(
    tx: &mut Tx,
    authority: AuthorityId,
    id: StrategyDiscussionId,
    by: WorkerId,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE strategy_discussions SET state = 'withdrawn', withdrawn_by = $1, withdrawn_at = $2, withdrawal_reason = $3 WHERE id = $4 AND authority_id = $5 AND state IN ('to_hold', 'held')")
            .bind(by.0).bind(to_stored_instant(at)).bind(reason).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Counts a sign-off refused because the record was incomplete (a record-quality indicator).
pub async fn count_refusal(
    tx: &mut Tx,
    authority: AuthorityId,
    id: StrategyDiscussionId,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE strategy_discussions SET sign_off_refusals = sign_off_refusals + 1 WHERE id = $1 AND authority_id = $2 AND state IN ('to_hold', 'held')")
            .bind(id.0).bind(authority.0).execute(&mut *conn).await?;
    });
    Ok(())
}

impl Store {
    pub async fn strategy_discussion(
        &self,
        authority: AuthorityId,
        id: StrategyDiscussionId,
    ) -> Result<StrategyDiscussion, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE s.id = $1 AND s.authority_id = $2");
        on_pool!(self, pool => {
            let mut conn = pool.acquire().await?;
            let Some(row) = sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? else {
                return Err(StoreError::NotFound("The strategy discussion"));
            };
            let mut discussion = discussion_from_row!(&row);
            load_parts!(conn, &mut discussion);
            Ok(discussion)
        })
    }

    /// An episode's strategy discussions, oldest first (without their parts).
    pub async fn strategy_discussions_of_episode(
        &self,
        authority: AuthorityId,
        episode: EpisodeId,
    ) -> Result<Vec<StrategyDiscussion>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE s.episode_id = $1 AND s.authority_id = $2 ORDER BY s.decided_at");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(discussion_from_row!(r))).collect()
        })
    }
}
