//! Episodes of need: one per referral, per child (the census's CIN details).

use crate::decisions::{EmergencyActionRecord, Referral};
use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::contact::ReferralSource;
use frontdoor_domain::episode::{ClosureReason, PrimaryNeed};
use frontdoor_domain::ids::{
    AuthorityId, ContactId, EpisodeId, PersonId, ReferralId, TeamId, WorkerId,
};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Episode {
    pub id: EpisodeId,
    pub authority: AuthorityId,
    pub person: PersonId,
    pub referral: ReferralId,
    pub contact: ContactId,
    pub referral_date: NaiveDate,
    pub source: ReferralSource,
    pub primary_need: Option<PrimaryNeed>,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub worker: Option<WorkerId>,
    pub worker_name: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<ClosureReason>,
}

impl Episode {
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }
}

const EPISODE_COLUMNS: &str = "e.id, e.authority_id, e.person_id, e.referral_id, e.contact_id, e.referral_date, e.source, e.primary_need, e.team_id, t.name AS team_name, e.worker_id, w.display_name AS worker_name, e.closed_on, e.closure_reason";
const EPISODE_FROM: &str =
    "FROM episodes e LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN workers w ON w.id = e.worker_id";

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

macro_rules! episode_from_row {
    ($r:expr) => {{
        let r = $r;
        let source: String = r.try_get("source")?;
        let need: Option<String> = r.try_get("primary_need")?;
        let reason: Option<String> = r.try_get("closure_reason")?;
        Episode {
            id: EpisodeId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            person: PersonId(r.try_get("person_id")?),
            referral: ReferralId(r.try_get("referral_id")?),
            contact: ContactId(r.try_get("contact_id")?),
            referral_date: r.try_get("referral_date")?,
            source: ReferralSource::from_code(&source).map_err(corrupt)?,
            primary_need: need
                .map(|n| PrimaryNeed::from_code(&n))
                .transpose()
                .map_err(corrupt)?,
            team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            team_name: r.try_get("team_name")?,
            worker: r.try_get::<Option<Uuid>, _>("worker_id")?.map(WorkerId),
            worker_name: r.try_get("worker_name")?,
            closed_on: r.try_get("closed_on")?,
            closure_reason: reason
                .map(|c| ClosureReason::from_code(&c))
                .transpose()
                .map_err(corrupt)?,
        }
    }};
}

/// Opens the child's episode for a referral, in the referral's transaction: allocated to the
/// team that owned the contact.
pub async fn open_for_referral(
    tx: &mut Tx,
    authority: AuthorityId,
    referral: &Referral,
    at: DateTime<Utc>,
) -> Result<EpisodeId, StoreError> {
    let id = EpisodeId::new();
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO episodes (id, authority_id, person_id, referral_id, contact_id, referral_date, source, team_id, created_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, c.team_id, $8 FROM contacts c WHERE c.id = $5 AND c.authority_id = $2",
        )
        .bind(id.0).bind(authority.0).bind(referral.person.0).bind(referral.id.0).bind(referral.contact.0)
        .bind(referral.referral_date).bind(referral.source.code()).bind(to_stored_instant(at))
        .execute(&mut *conn).await?;
    });
    Ok(id)
}

/// Reads an episode inside a write transaction, holding its row (PostgreSQL `FOR UPDATE`;
/// SQLite's write lock is already held).
pub async fn episode_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EpisodeId,
) -> Result<Episode, StoreError> {
    // Lock the episode row alone (PostgreSQL refuses FOR UPDATE on the nullable side of an
    // outer join), then read it with its names.
    if tx.is_postgres() {
        on_tx!(tx, conn => {
            sqlx::query("SELECT id FROM episodes WHERE id = $1 AND authority_id = $2 FOR UPDATE")
                .bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await?;
        });
    }
    let sql =
        format!("SELECT {EPISODE_COLUMNS} {EPISODE_FROM} WHERE e.id = $1 AND e.authority_id = $2");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(episode_from_row!(&row)),
            None => Err(StoreError::NotFound("The episode")),
        }
    })
}

/// Sets the primary need and allocation of an open episode; false when it has closed.
pub async fn update_open_episode(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EpisodeId,
    primary_need: Option<PrimaryNeed>,
    team: Option<TeamId>,
    worker: Option<WorkerId>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE episodes SET primary_need = $1, team_id = $2, worker_id = $3 WHERE id = $4 AND authority_id = $5 AND closed_on IS NULL")
            .bind(primary_need.map(|n| n.code())).bind(team.map(|t| t.0)).bind(worker.map(|w| w.0))
            .bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Closes an open episode; false when it had already closed.
pub async fn close_episode(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EpisodeId,
    closed_on: NaiveDate,
    reason: ClosureReason,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE episodes SET closed_on = $1, closure_reason = $2 WHERE id = $3 AND authority_id = $4 AND closed_on IS NULL")
            .bind(closed_on).bind(reason.code()).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Work still open on an episode, counted through the transaction.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenWork {
    pub plans: i64,
    pub enquiries: i64,
    pub discussions: i64,
}

pub async fn open_work_on_episode(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EpisodeId,
) -> Result<OpenWork, StoreError> {
    Ok(on_tx!(tx, conn => {
        let plans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM protection_plans WHERE episode_id = $1 AND authority_id = $2 AND ended_on IS NULL")
            .bind(episode.0).bind(authority.0).fetch_one(&mut *conn).await?;
        let enquiries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM section_47_enquiries WHERE episode_id = $1 AND authority_id = $2 AND state = 'open'")
            .bind(episode.0).bind(authority.0).fetch_one(&mut *conn).await?;
        let discussions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM strategy_discussions WHERE episode_id = $1 AND authority_id = $2 AND state IN ('to_hold', 'held')")
            .bind(episode.0).bind(authority.0).fetch_one(&mut *conn).await?;
        OpenWork { plans, enquiries, discussions }
    }))
}

impl Store {
    pub async fn episode(
        &self,
        authority: AuthorityId,
        id: EpisodeId,
    ) -> Result<Episode, StoreError> {
        let sql = format!(
            "SELECT {EPISODE_COLUMNS} {EPISODE_FROM} WHERE e.id = $1 AND e.authority_id = $2"
        );
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(episode_from_row!(&row)),
                None => Err(StoreError::NotFound("The episode")),
            }
        })
    }

    /// A child's episodes, newest first.
    pub async fn episodes_of(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<Episode>, StoreError> {
        let sql = format!("SELECT {EPISODE_COLUMNS} {EPISODE_FROM} WHERE e.person_id = $1 AND e.authority_id = $2 ORDER BY e.referral_date DESC, e.created_at DESC");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(episode_from_row!(r))).collect()
        })
    }

    /// The episode a referral started.
    pub async fn episode_of_referral(
        &self,
        authority: AuthorityId,
        referral: ReferralId,
    ) -> Result<Episode, StoreError> {
        let sql = format!("SELECT {EPISODE_COLUMNS} {EPISODE_FROM} WHERE e.referral_id = $1 AND e.authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(referral.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(episode_from_row!(&row)),
                None => Err(StoreError::NotFound("The episode")),
            }
        })
    }

    /// Emergency action taken for a child (police protection, EPO, accommodation), oldest
    /// first: the app keeps those within an episode.
    pub async fn emergency_actions_of(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<EmergencyActionRecord>, StoreError> {
        crate::decisions::emergency_actions_where(self, authority, "person_id", person.0).await
    }
}

/// Records an open episode's primary need alone; false when it has closed.
pub async fn record_primary_need(
    tx: &mut Tx,
    authority: AuthorityId,
    id: EpisodeId,
    primary_need: PrimaryNeed,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE episodes SET primary_need = $1 WHERE id = $2 AND authority_id = $3 AND closed_on IS NULL")
            .bind(primary_need.code()).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}
