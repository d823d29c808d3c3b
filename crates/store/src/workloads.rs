//! Workloads: open episodes counted by stage for each worker, the authority's weights and ASYE
//! protected caseload, and the record of every time a manager agreed to go over it.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, TeamId, WorkerId};
use frontdoor_domain::workload::{CaseStage, StageCounts, Weight, WorkloadRules};
use sqlx::Row;
use uuid::Uuid;

/// An open episode's stage, worked out from what is open on it (heaviest first).
const STAGE_SQL: &str = "CASE
    WHEN EXISTS (SELECT 1 FROM protection_plans p WHERE p.episode_id = e.id AND p.ended_on IS NULL) THEN 'child_protection'
    WHEN EXISTS (SELECT 1 FROM section_47_enquiries q WHERE q.episode_id = e.id AND q.completed_on IS NULL) THEN 'section_47'
    WHEN EXISTS (SELECT 1 FROM assessments a WHERE a.referral_id = e.referral_id AND a.completed_on IS NULL) THEN 'assessment'
    ELSE 'child_in_need' END";

/// A worker who can hold cases, with their open episodes by stage.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkerCaseload {
    pub worker: WorkerId,
    pub name: String,
    pub role: Role,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub asye: bool,
    pub counts: StageCounts,
}

/// A time a manager agreed an allocation that took an ASYE worker over their protected caseload.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseloadOverride {
    pub id: Uuid,
    pub episode: EpisodeId,
    pub person: PersonId,
    pub worker: WorkerId,
    pub worker_name: String,
    pub caseload_before: Weight,
    pub caseload_after: Weight,
    pub cap: Weight,
    pub reason: String,
    pub agreed_by: WorkerId,
    pub agreed_by_name: String,
    pub agreed_at: DateTime<Utc>,
}

fn stage_of(code: &str) -> Result<CaseStage, StoreError> {
    CaseStage::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown case stage {code:?}")))
}

fn weight_of(tenths: i32) -> Weight {
    Weight::from_tenths(u32::try_from(tenths).unwrap_or(0))
}

fn tenths(weight: Weight) -> i32 {
    i32::try_from(weight.tenths()).unwrap_or(i32::MAX)
}

const RULES_SQL: &str = "SELECT workload_weight_child_protection, workload_weight_section_47, workload_weight_assessment, workload_weight_child_in_need, asye_caseload_cap FROM authorities WHERE id = $1";

type RulesRow = (i32, i32, i32, i32, i32);

fn rules_from_row((cp, s47, assessment, cin, cap): RulesRow) -> Result<WorkloadRules, StoreError> {
    WorkloadRules::new(
        [
            weight_of(cp),
            weight_of(s47),
            weight_of(assessment),
            weight_of(cin),
        ],
        weight_of(cap),
    )
    .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The authority's workload rules, read inside a transaction.
pub async fn rules_in(tx: &mut Tx, authority: AuthorityId) -> Result<WorkloadRules, StoreError> {
    let row: RulesRow = on_tx!(tx, conn => {
        sqlx::query_as(RULES_SQL).bind(authority.0).fetch_one(&mut *conn).await?
    });
    rules_from_row(row)
}

/// Sets the authority's workload rules.
pub async fn set_rules(
    tx: &mut Tx,
    authority: AuthorityId,
    rules: &WorkloadRules,
) -> Result<(), StoreError> {
    let w = |stage| tenths(rules.weight(stage));
    on_tx!(tx, conn => {
        sqlx::query("UPDATE authorities SET workload_weight_child_protection = $1, workload_weight_section_47 = $2, workload_weight_assessment = $3, workload_weight_child_in_need = $4, asye_caseload_cap = $5 WHERE id = $6")
            .bind(w(CaseStage::ChildProtection)).bind(w(CaseStage::Section47))
            .bind(w(CaseStage::Assessment)).bind(w(CaseStage::ChildInNeed))
            .bind(tenths(rules.asye_cap())).bind(authority.0)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// A worker's open episodes by stage, read inside the transaction that allocates to them
/// (after locking the worker's row, so two allocations to one worker are counted in turn).
pub async fn caseload_in(
    tx: &mut Tx,
    authority: AuthorityId,
    worker: WorkerId,
) -> Result<StageCounts, StoreError> {
    let sql = format!(
        "SELECT stage, COUNT(*) AS n FROM (SELECT {STAGE_SQL} AS stage FROM episodes e
         WHERE e.authority_id = $1 AND e.worker_id = $2 AND e.closed_on IS NULL) s GROUP BY stage"
    );
    let rows: Vec<(String, i64)> = on_tx!(tx, conn => {
        sqlx::query_as(&sql).bind(authority.0).bind(worker.0).fetch_all(&mut *conn).await?
    });
    let mut counts = StageCounts::default();
    for (stage, n) in rows {
        counts.add(stage_of(&stage)?, u32::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}

/// One open episode's stage, inside a transaction.
pub async fn stage_in(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EpisodeId,
) -> Result<CaseStage, StoreError> {
    let sql = format!("SELECT {STAGE_SQL} FROM episodes e WHERE e.id = $1 AND e.authority_id = $2");
    let code: String = on_tx!(tx, conn => {
        sqlx::query_scalar(&sql).bind(episode.0).bind(authority.0).fetch_one(&mut *conn).await?
    });
    stage_of(&code)
}

/// Records a manager's agreement to go over an ASYE worker's protected caseload.
pub async fn insert_override(
    tx: &mut Tx,
    authority: AuthorityId,
    record: &CaseloadOverride,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO caseload_overrides (id, authority_id, episode_id, worker_id, caseload_before, caseload_after, cap, reason, agreed_by, agreed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(record.id).bind(authority.0).bind(record.episode.0).bind(record.worker.0)
            .bind(tenths(record.caseload_before)).bind(tenths(record.caseload_after)).bind(tenths(record.cap))
            .bind(record.reason.as_str()).bind(record.agreed_by.0).bind(to_stored_instant(record.agreed_at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

impl Store {
    pub async fn workload_rules(
        &self,
        authority: AuthorityId,
    ) -> Result<WorkloadRules, StoreError> {
        let row: RulesRow = on_pool!(self, pool => {
            sqlx::query_as(RULES_SQL).bind(authority.0).fetch_one(pool).await?
        });
        rules_from_row(row)
    }

    /// Every active worker who can hold cases (social workers and team managers), in `team`
    /// or the whole authority, with their open episodes by stage; by team, then name. The
    /// team filter is applied to the episodes too, so one team's workloads weigh only that
    /// team's cases (not every open episode of the authority).
    pub async fn caseloads(
        &self,
        authority: AuthorityId,
        team: Option<TeamId>,
    ) -> Result<Vec<WorkerCaseload>, StoreError> {
        let sql = format!(
            "SELECT w.id, w.display_name, w.role, w.team_id, t.name AS team_name, w.asye, c.stage, c.n
             FROM workers w LEFT JOIN teams t ON t.id = w.team_id
             LEFT JOIN (SELECT worker_id, stage, COUNT(*) AS n FROM
                 (SELECT e.worker_id, {STAGE_SQL} AS stage FROM episodes e
                  JOIN workers holder ON holder.id = e.worker_id
                  WHERE e.authority_id = $1 AND e.closed_on IS NULL
                    AND ($5 OR holder.team_id = $6)) s
                 GROUP BY worker_id, stage) c ON c.worker_id = w.id
             WHERE w.authority_id = $1 AND w.active = $2 AND w.role IN ($3, $4)
               AND ($5 OR w.team_id = $6)
             ORDER BY t.name, w.display_name, w.id"
        );
        let rows = on_pool!(self, pool => {
            sqlx::query(&sql)
                .bind(authority.0).bind(true)
                .bind(Role::MashSocialWorker.code()).bind(Role::TeamManager.code())
                .bind(team.is_none()).bind(team.map(|t| t.0))
                .fetch_all(pool).await?
                .into_iter()
                .map(|r| -> Result<_, StoreError> {
                    Ok((
                        WorkerId(r.try_get("id")?),
                        r.try_get::<String, _>("display_name")?,
                        r.try_get::<String, _>("role")?,
                        r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                        r.try_get::<Option<String>, _>("team_name")?,
                        r.try_get::<bool, _>("asye")?,
                        r.try_get::<Option<String>, _>("stage")?,
                        r.try_get::<Option<i64>, _>("n")?,
                    ))
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        let mut caseloads: Vec<WorkerCaseload> = Vec::new();
        for (worker, name, role, team, team_name, asye, stage, n) in rows {
            if caseloads.last().map(|c| c.worker) != Some(worker) {
                caseloads.push(WorkerCaseload {
                    worker,
                    name,
                    role: Role::from_code(&role)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
                    team,
                    team_name,
                    asye,
                    counts: StageCounts::default(),
                });
            }
            if let (Some(stage), Some(n), Some(current)) = (stage, n, caseloads.last_mut()) {
                current
                    .counts
                    .add(stage_of(&stage)?, u32::try_from(n).unwrap_or(0));
            }
        }
        Ok(caseloads)
    }

    /// Open episodes no one holds yet, most recently referred first.
    pub async fn unallocated_episodes(
        &self,
        authority: AuthorityId,
        limit: i64,
    ) -> Result<Vec<EpisodeId>, StoreError> {
        let ids: Vec<Uuid> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT id FROM episodes WHERE authority_id = $1 AND worker_id IS NULL AND closed_on IS NULL ORDER BY referral_date DESC, id LIMIT $2")
                .bind(authority.0).bind(limit).fetch_all(pool).await?
        });
        Ok(ids.into_iter().map(EpisodeId).collect())
    }

    /// Every agreement to go over an ASYE worker's protected caseload, most recent first.
    pub async fn caseload_overrides(
        &self,
        authority: AuthorityId,
        limit: i64,
    ) -> Result<Vec<CaseloadOverride>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query("SELECT o.id, o.episode_id, e.person_id, o.worker_id, w.display_name AS worker_name, o.caseload_before, o.caseload_after, o.cap, o.reason, o.agreed_by, m.display_name AS agreed_by_name, o.agreed_at
                 FROM caseload_overrides o JOIN episodes e ON e.id = o.episode_id
                 JOIN workers w ON w.id = o.worker_id JOIN workers m ON m.id = o.agreed_by
                 WHERE o.authority_id = $1 ORDER BY o.agreed_at DESC, o.id LIMIT $2")
                .bind(authority.0).bind(limit)
                .fetch_all(pool).await?
                .iter()
                .map(|r| Ok(CaseloadOverride {
                    id: r.try_get("id")?,
                    episode: EpisodeId(r.try_get("episode_id")?),
                    person: PersonId(r.try_get("person_id")?),
                    worker: WorkerId(r.try_get("worker_id")?),
                    worker_name: r.try_get("worker_name")?,
                    caseload_before: weight_of(r.try_get("caseload_before")?),
                    caseload_after: weight_of(r.try_get("caseload_after")?),
                    cap: weight_of(r.try_get("cap")?),
                    reason: r.try_get("reason")?,
                    agreed_by: WorkerId(r.try_get("agreed_by")?),
                    agreed_by_name: r.try_get("agreed_by_name")?,
                    agreed_at: r.try_get("agreed_at")?,
                }))
                .collect()
        })
    }
}
