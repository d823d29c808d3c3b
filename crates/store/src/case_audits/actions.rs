//! A case audit's actions (owner and due date), the partner auditors invited to a
//! multi-agency audit, and what the audit summary report reads.

use super::{corrupt, Answer, CaseAudit, CASE_COLUMNS, CASE_FROM};
use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::case_audit::{AuditKind, CaseAuditState, Grade};
use frontdoor_domain::ids::{
    AuditActionId, AuditId, AuthorityId, CaseAuditId, OrganisationId, PersonId, TeamId, WorkerId,
};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// An action agreed in a case audit.
#[derive(Debug, Clone, Serialize)]
pub struct AuditAction {
    pub id: AuditActionId,
    pub case_audit: CaseAuditId,
    pub audit: AuditId,
    pub person: PersonId,
    pub child_name: String,
    pub team: Option<TeamId>,
    pub description: String,
    pub owner: WorkerId,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
}

const ACTION_COLUMNS: &str = "x.id, x.case_audit_id, c.audit_id, c.person_id, TRIM(p.given_name || ' ' || p.family_name) AS child_name,
    c.team_id, x.description, x.owner_id, w.display_name AS owner_name, x.due_on, x.completed_on";
const ACTION_FROM: &str = "FROM case_audit_actions x JOIN case_audits c ON c.id = x.case_audit_id JOIN people p ON p.id = c.person_id
    JOIN workers w ON w.id = x.owner_id";

macro_rules! action_from_row {
    ($r:expr) => {{
        let r = $r;
        AuditAction {
            id: AuditActionId(r.try_get("id")?),
            case_audit: CaseAuditId(r.try_get("case_audit_id")?),
            audit: AuditId(r.try_get("audit_id")?),
            person: PersonId(r.try_get("person_id")?),
            child_name: r.try_get("child_name")?,
            team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            description: r.try_get("description")?,
            owner: WorkerId(r.try_get("owner_id")?),
            owner_name: r.try_get("owner_name")?,
            due_on: r.try_get("due_on")?,
            completed_on: r.try_get("completed_on")?,
        }
    }};
}

/// An action to store.
#[derive(Debug, Clone)]
pub struct NewAuditAction {
    pub id: AuditActionId,
    pub authority: AuthorityId,
    pub case_audit: CaseAuditId,
    pub description: String,
    pub owner: WorkerId,
    pub due_on: NaiveDate,
    pub by: WorkerId,
    pub at: DateTime<Utc>,
}

/// Adds an action; false when the case audit is still planned (not started).
pub async fn insert_action(tx: &mut Tx, action: &NewAuditAction) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("INSERT INTO case_audit_actions (id, authority_id, case_audit_id, description, owner_id, due_on, created_by, created_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS
                (SELECT 1 FROM case_audits WHERE id = $3 AND authority_id = $2 AND state <> 'planned')")
            .bind(action.id.0).bind(action.authority.0).bind(action.case_audit.0).bind(&action.description)
            .bind(action.owner.0).bind(action.due_on).bind(action.by.0).bind(to_stored_instant(action.at))
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Marks an action done; false when it was already done.
pub async fn complete_action(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AuditActionId,
    by: WorkerId,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE case_audit_actions SET completed_on = $1, completed_by = $2 WHERE id = $3 AND authority_id = $4 AND completed_on IS NULL")
            .bind(on).bind(by.0).bind(id.0).bind(authority.0).execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// A partner auditor invited to a multi-agency audit.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub worker: WorkerId,
    pub worker_name: String,
    pub organisation: OrganisationId,
    pub organisation_name: String,
    pub invited_at: DateTime<Utc>,
}

/// Invites a partner auditor; `StoreError::Duplicate` when already invited.
pub async fn insert_invitation(
    tx: &mut Tx,
    authority: AuthorityId,
    audit: AuditId,
    worker: WorkerId,
    organisation: OrganisationId,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO audit_invitations (audit_id, authority_id, worker_id, organisation_id, invited_by, invited_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(audit.0).bind(authority.0).bind(worker.0).bind(organisation.0).bind(by.0).bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// What the audit summary report reads: the case audits, their answers and their actions.
#[derive(Debug, Clone, Default)]
pub struct AuditReportRows {
    pub cases: Vec<CaseAudit>,
    /// (case audit, answer)
    pub answers: Vec<(CaseAuditId, Answer)>,
    pub actions: Vec<AuditAction>,
}

impl Store {
    /// The actions of a case audit, soonest due first.
    pub async fn case_audit_actions(
        &self,
        authority: AuthorityId,
        id: CaseAuditId,
    ) -> Result<Vec<AuditAction>, StoreError> {
        let sql = format!("SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE x.case_audit_id = $1 AND x.authority_id = $2 ORDER BY x.due_on, x.created_at");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(action_from_row!(r))).collect()
        })
    }

    pub async fn audit_action(
        &self,
        authority: AuthorityId,
        id: AuditActionId,
    ) -> Result<AuditAction, StoreError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE x.id = $1 AND x.authority_id = $2"
        );
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(r) => Ok(action_from_row!(&r)),
                None => Err(StoreError::NotFound("The audit action")),
            }
        })
    }

    /// The partner auditors invited to an audit.
    pub async fn audit_invitations(
        &self,
        authority: AuthorityId,
        audit: AuditId,
    ) -> Result<Vec<Invitation>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT i.worker_id, w.display_name, i.organisation_id, o.name AS organisation_name, i.invited_at
                 FROM audit_invitations i JOIN workers w ON w.id = i.worker_id JOIN organisations o ON o.id = i.organisation_id
                 WHERE i.audit_id = $1 AND i.authority_id = $2 ORDER BY o.name, w.display_name")
                .bind(audit.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(Invitation {
                worker: WorkerId(r.try_get("worker_id")?),
                worker_name: r.try_get("display_name")?,
                organisation: OrganisationId(r.try_get("organisation_id")?),
                organisation_name: r.try_get("organisation_name")?,
                invited_at: r.try_get("invited_at")?,
            })).collect()
        })
    }

    /// Whether `worker` is invited to `audit`.
    pub async fn is_invited_to_audit(
        &self,
        authority: AuthorityId,
        audit: AuditId,
        worker: WorkerId,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM audit_invitations WHERE audit_id = $1 AND authority_id = $2 AND worker_id = $3")
                .bind(audit.0).bind(authority.0).bind(worker.0).fetch_optional(pool).await?;
            Ok(found.is_some())
        })
    }

    /// The case audits (with answers and actions) of the audits created in `[from, to)`, or
    /// of one of them.
    pub async fn audit_report_rows(
        &self,
        authority: AuthorityId,
        audit: Option<AuditId>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<AuditReportRows, StoreError> {
        // One audit (whenever created) is asked for with the widest period.
        let which = "a.created_at >= $2 AND a.created_at < $3 AND ($4 IS NULL OR a.id = $4)";
        let cases_sql = format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE c.authority_id = $1 AND {which} ORDER BY team_name, child_name");
        let answers_sql = format!("SELECT x.case_audit_id, x.number, x.question, x.grade, x.comment, w.display_name AS answered_by_name, x.answered_at
            FROM case_audit_answers x JOIN case_audits c ON c.id = x.case_audit_id JOIN audits a ON a.id = c.audit_id
            LEFT JOIN workers w ON w.id = x.answered_by WHERE x.authority_id = $1 AND {which} ORDER BY x.case_audit_id, x.number");
        let actions_sql = format!("SELECT {ACTION_COLUMNS} {ACTION_FROM} JOIN audits a ON a.id = c.audit_id WHERE x.authority_id = $1 AND {which} ORDER BY x.due_on");
        let (from, to) = (to_stored_instant(from), to_stored_instant(to));
        let audit_id = audit.map(|a| a.0);
        on_pool!(self, pool => {
            let rows = sqlx::query(&cases_sql).bind(authority.0).bind(from).bind(to).bind(audit_id).fetch_all(pool).await?;
            let cases = rows.iter().map(|r| Ok(case_from_row!(r))).collect::<Result<Vec<_>, StoreError>>()?;
            let rows = sqlx::query(&answers_sql).bind(authority.0).bind(from).bind(to).bind(audit_id).fetch_all(pool).await?;
            let answers = rows.iter().map(|r| Ok((CaseAuditId(r.try_get("case_audit_id")?), answer_from_row!(r)))).collect::<Result<Vec<_>, StoreError>>()?;
            let rows = sqlx::query(&actions_sql).bind(authority.0).bind(from).bind(to).bind(audit_id).fetch_all(pool).await?;
            let actions = rows.iter().map(|r| Ok(action_from_row!(r))).collect::<Result<Vec<_>, StoreError>>()?;
            Ok(AuditReportRows { cases, answers, actions })
        })
    }
}
