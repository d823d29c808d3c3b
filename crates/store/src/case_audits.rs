//! Quality-assurance case audits: the authority's audit tools, audits (how their cases were
//! chosen), one case audit per child with its graded answers, actions, and the partners invited
//! to a multi-agency audit. Every workflow step is a guarded statement that reports a lost race
//! as `false`. Actions, invitations and the report's reading are in [`actions`]; the children
//! an audit may sample from in [`selection`].

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::case_audit::{AuditKind, AuditTheme, AuditTool, CaseAuditState, Grade};
use frontdoor_domain::ids::{
    AuditId, AuditToolId, AuthorityId, CaseAuditId, PersonId, TeamId, WorkerId,
};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// A tool to store.
#[derive(Debug, Clone)]
pub struct NewTool {
    pub id: AuditToolId,
    pub authority: AuthorityId,
    pub name: String,
    pub description: String,
    pub questions: Vec<String>,
    pub by: WorkerId,
    pub at: DateTime<Utc>,
}

/// Stores a tool; a second tool of the same name is `StoreError::Duplicate`.
pub async fn insert_tool(tx: &mut Tx, tool: &NewTool) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO audit_tools (id, authority_id, name, description, questions, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(tool.id.0).bind(tool.authority.0).bind(&tool.name).bind(&tool.description)
            .bind(tool.questions.join("\n")).bind(tool.by.0).bind(to_stored_instant(tool.at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

macro_rules! tool_from_row {
    ($r:expr) => {{
        let r = $r;
        let questions: String = r.try_get("questions")?;
        AuditTool {
            id: AuditToolId(r.try_get("id")?),
            name: r.try_get("name")?,
            description: r.try_get("description")?,
            questions: questions.lines().map(String::from).collect(),
            built_in: false,
        }
    }};
}

/// An audit and how its cases were chosen.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub id: AuditId,
    pub authority: AuthorityId,
    pub title: String,
    pub kind: AuditKind,
    pub tool: AuditToolId,
    pub tool_name: String,
    /// How the cases were chosen, in words.
    pub selection: String,
    pub theme: Option<AuditTheme>,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// How many children met the criteria (or were in the list) when the sample was drawn.
    pub population: i32,
    pub sample_size: i32,
    /// The sampling seed; none for a named child.
    pub seed: Option<String>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub cases: i64,
    pub cases_completed: i64,
}

/// An audit to store.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub id: AuditId,
    pub authority: AuthorityId,
    pub title: String,
    pub kind: AuditKind,
    pub tool: AuditToolId,
    pub tool_name: String,
    pub selection: String,
    pub theme: Option<AuditTheme>,
    pub team: Option<TeamId>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub population: i32,
    pub sample_size: i32,
    pub seed: Option<u64>,
    pub by: WorkerId,
    pub at: DateTime<Utc>,
}

pub async fn insert_audit(tx: &mut Tx, audit: &NewAudit) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO audits (id, authority_id, title, kind, tool_id, tool_name, selection, theme, team_id, period_from, period_to, population, sample_size, seed, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
            .bind(audit.id.0).bind(audit.authority.0).bind(&audit.title).bind(audit.kind.code())
            .bind(audit.tool.0).bind(&audit.tool_name).bind(&audit.selection)
            .bind(audit.theme.map(|t| t.code())).bind(audit.team.map(|t| t.0))
            .bind(audit.period_from).bind(audit.period_to).bind(audit.population).bind(audit.sample_size)
            .bind(audit.seed.map(|s| s.to_string())).bind(audit.by.0).bind(to_stored_instant(audit.at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

const AUDIT_COLUMNS: &str = "a.id, a.authority_id, a.title, a.kind, a.tool_id, a.tool_name, a.selection, a.theme, a.team_id,
    t.name AS team_name, a.period_from, a.period_to, a.population, a.sample_size, a.seed, w.display_name AS created_by_name, a.created_at,
    (SELECT COUNT(*) FROM case_audits c WHERE c.audit_id = a.id) AS cases,
    (SELECT COUNT(*) FROM case_audits c WHERE c.audit_id = a.id AND c.state = 'completed') AS cases_completed";
const AUDIT_FROM: &str =
    "FROM audits a JOIN workers w ON w.id = a.created_by LEFT JOIN teams t ON t.id = a.team_id";

macro_rules! audit_from_row {
    ($r:expr) => {{
        let r = $r;
        let kind: String = r.try_get("kind")?;
        let theme: Option<String> = r.try_get("theme")?;
        Audit {
            id: AuditId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            title: r.try_get("title")?,
            kind: AuditKind::from_code(&kind).map_err(corrupt)?,
            tool: AuditToolId(r.try_get("tool_id")?),
            tool_name: r.try_get("tool_name")?,
            selection: r.try_get("selection")?,
            theme: theme
                .map(|t| AuditTheme::from_code(&t))
                .transpose()
                .map_err(corrupt)?,
            team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            team_name: r.try_get("team_name")?,
            period_from: r.try_get("period_from")?,
            period_to: r.try_get("period_to")?,
            population: r.try_get("population")?,
            sample_size: r.try_get("sample_size")?,
            seed: r.try_get("seed")?,
            created_by_name: r.try_get("created_by_name")?,
            created_at: r.try_get("created_at")?,
            cases: r.try_get("cases")?,
            cases_completed: r.try_get("cases_completed")?,
        }
    }};
}

/// One child's case audit as it stands.
#[derive(Debug, Clone, Serialize)]
pub struct CaseAudit {
    pub id: CaseAuditId,
    pub authority: AuthorityId,
    pub audit: AuditId,
    pub audit_title: String,
    pub kind: AuditKind,
    pub tool_name: String,
    pub person: PersonId,
    pub child_name: String,
    pub birth_date: Option<NaiveDate>,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub state: CaseAuditState,
    pub overall_grade: Option<Grade>,
    pub findings: String,
    pub started_by_name: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_by_name: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
}

const CASE_COLUMNS: &str = "c.id, c.authority_id, c.audit_id, a.title AS audit_title, a.kind, a.tool_name, c.person_id,
    TRIM(p.given_name || ' ' || p.family_name) AS child_name, p.birth_date, c.team_id, t.name AS team_name, c.state,
    c.overall_grade, c.findings, ws.display_name AS started_by_name, c.started_at, wc.display_name AS completed_by_name, c.completed_at";
const CASE_FROM: &str = "FROM case_audits c JOIN audits a ON a.id = c.audit_id JOIN people p ON p.id = c.person_id
    LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN workers ws ON ws.id = c.started_by LEFT JOIN workers wc ON wc.id = c.completed_by";

macro_rules! case_from_row {
    ($r:expr) => {{
        let r = $r;
        let kind: String = r.try_get("kind")?;
        let state: String = r.try_get("state")?;
        let overall: Option<String> = r.try_get("overall_grade")?;
        CaseAudit {
            id: CaseAuditId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            audit: AuditId(r.try_get("audit_id")?),
            audit_title: r.try_get("audit_title")?,
            kind: AuditKind::from_code(&kind).map_err(corrupt)?,
            tool_name: r.try_get("tool_name")?,
            person: PersonId(r.try_get("person_id")?),
            child_name: r.try_get("child_name")?,
            birth_date: r.try_get("birth_date")?,
            team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            team_name: r.try_get("team_name")?,
            state: CaseAuditState::from_code(&state).map_err(corrupt)?,
            overall_grade: overall
                .map(|g| Grade::from_code(&g))
                .transpose()
                .map_err(corrupt)?,
            findings: r.try_get("findings")?,
            started_by_name: r.try_get("started_by_name")?,
            started_at: r.try_get("started_at")?,
            completed_by_name: r.try_get("completed_by_name")?,
            completed_at: r.try_get("completed_at")?,
        }
    }};
}

/// A case to audit: its row and one unanswered answer per question of the tool.
#[allow(clippy::too_many_arguments)]
pub async fn insert_case_audit(
    tx: &mut Tx,
    authority: AuthorityId,
    audit: AuditId,
    id: CaseAuditId,
    person: PersonId,
    team: Option<TeamId>,
    questions: &[String],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let at = to_stored_instant(at);
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO case_audits (id, authority_id, audit_id, person_id, team_id, state, findings, updated_at) VALUES ($1, $2, $3, $4, $5, 'planned', '', $6)")
            .bind(id.0).bind(authority.0).bind(audit.0).bind(person.0).bind(team.map(|t| t.0)).bind(at)
            .execute(&mut *conn).await?;
        for (i, question) in questions.iter().enumerate() {
            sqlx::query("INSERT INTO case_audit_answers (authority_id, case_audit_id, number, question, comment) VALUES ($1, $2, $3, $4, '')")
                .bind(authority.0).bind(id.0).bind(i as i32 + 1).bind(question)
                .execute(&mut *conn).await?;
        }
    });
    Ok(())
}

/// The team that held the child's most recent contact, read through the transaction.
pub async fn latest_contact_team_in(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
) -> Result<Option<TeamId>, StoreError> {
    let team: Option<Option<Uuid>> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT c.team_id FROM contacts c JOIN contact_subjects s ON s.contact_id = c.id
             WHERE s.person_id = $1 AND c.authority_id = $2 ORDER BY c.received_at DESC LIMIT 1")
            .bind(person.0).bind(authority.0).fetch_optional(&mut *conn).await?
    });
    Ok(team.flatten().map(TeamId))
}

/// Reads a case audit inside a write transaction, holding its row on PostgreSQL.
pub async fn case_audit_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: CaseAuditId,
) -> Result<CaseAudit, StoreError> {
    if tx.is_postgres() {
        on_tx!(tx, conn => {
            sqlx::query("SELECT id FROM case_audits WHERE id = $1 AND authority_id = $2 FOR UPDATE")
                .bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await?;
        });
    }
    let sql = format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE c.id = $1 AND c.authority_id = $2");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(case_from_row!(&row)),
            None => Err(StoreError::NotFound("The case audit")),
        }
    })
}

/// One question of a case audit and its answer so far.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub number: i32,
    pub question: String,
    pub grade: Option<Grade>,
    pub comment: String,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

const ANSWER_SQL: &str = "SELECT x.number, x.question, x.grade, x.comment, w.display_name AS answered_by_name, x.answered_at
    FROM case_audit_answers x LEFT JOIN workers w ON w.id = x.answered_by WHERE x.case_audit_id = $1 AND x.authority_id = $2 ORDER BY x.number";

macro_rules! answer_from_row {
    ($r:expr) => {{
        let r = $r;
        let grade: Option<String> = r.try_get("grade")?;
        Answer {
            number: r.try_get("number")?,
            question: r.try_get("question")?,
            grade: grade
                .map(|g| Grade::from_code(&g))
                .transpose()
                .map_err(corrupt)?,
            comment: r.try_get("comment")?,
            answered_by_name: r.try_get("answered_by_name")?,
            answered_at: r.try_get("answered_at")?,
        }
    }};
}

/// The answers, read through the transaction (completion judges them under the row lock).
pub async fn answers_in(
    tx: &mut Tx,
    authority: AuthorityId,
    id: CaseAuditId,
) -> Result<Vec<Answer>, StoreError> {
    on_tx!(tx, conn => {
        let rows = sqlx::query(ANSWER_SQL).bind(id.0).bind(authority.0).fetch_all(&mut *conn).await?;
        rows.iter().map(|r| Ok(answer_from_row!(r))).collect()
    })
}

/// A question's answer as given: its number, grade (none to leave it ungraded) and comment.
#[derive(Debug, Clone)]
pub struct GivenAnswer {
    pub number: i32,
    pub grade: Option<Grade>,
    pub comment: String,
}

/// Saves answers; false unless the case audit is in progress. Only the questions given change.
pub async fn save_answers(
    tx: &mut Tx,
    authority: AuthorityId,
    id: CaseAuditId,
    answers: &[GivenAnswer],
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let at = to_stored_instant(at);
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE case_audits SET updated_at = $1 WHERE id = $2 AND authority_id = $3 AND state = 'in_progress'")
            .bind(at).bind(id.0).bind(authority.0).execute(&mut *conn).await?.rows_affected()
    });
    if changed != 1 {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        for answer in answers {
            sqlx::query("UPDATE case_audit_answers SET grade = $1, comment = $2, answered_by = $3, answered_at = $4
                 WHERE case_audit_id = $5 AND authority_id = $6 AND number = $7")
                .bind(answer.grade.map(|g| g.code())).bind(&answer.comment).bind(by.0).bind(at)
                .bind(id.0).bind(authority.0).bind(answer.number)
                .execute(&mut *conn).await?;
        }
    });
    Ok(true)
}

/// Saves the overall grade and findings; false unless the case audit is in progress.
pub async fn save_judgement(
    tx: &mut Tx,
    authority: AuthorityId,
    id: CaseAuditId,
    overall: Option<Grade>,
    findings: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE case_audits SET overall_grade = $1, findings = $2, updated_at = $3 WHERE id = $4 AND authority_id = $5 AND state = 'in_progress'")
            .bind(overall.map(|g| g.code())).bind(findings).bind(to_stored_instant(at)).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Starts a planned case audit; false unless it was planned.
pub async fn start(
    tx: &mut Tx,
    authority: AuthorityId,
    id: CaseAuditId,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let at = to_stored_instant(at);
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE case_audits SET state = 'in_progress', started_by = $1, started_at = $2, updated_at = $2 WHERE id = $3 AND authority_id = $4 AND state = 'planned'")
            .bind(by.0).bind(at).bind(id.0).bind(authority.0).execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Completes an in-progress case audit; false unless it was in progress.
pub async fn complete(
    tx: &mut Tx,
    authority: AuthorityId,
    id: CaseAuditId,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let at = to_stored_instant(at);
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE case_audits SET state = 'completed', completed_by = $1, completed_at = $2, updated_at = $2 WHERE id = $3 AND authority_id = $4 AND state = 'in_progress'")
            .bind(by.0).bind(at).bind(id.0).bind(authority.0).execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

pub mod actions;
pub mod selection;

pub use actions::{
    complete_action, insert_action, insert_invitation, AuditAction, AuditReportRows, Invitation,
    NewAuditAction,
};

impl Store {
    /// The authority's own tools (the built-in standard tool is not stored), by name.
    pub async fn audit_tools(&self, authority: AuthorityId) -> Result<Vec<AuditTool>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, name, description, questions FROM audit_tools WHERE authority_id = $1 ORDER BY name")
                .bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(tool_from_row!(r))).collect()
        })
    }

    pub async fn audit_tool(
        &self,
        authority: AuthorityId,
        id: AuditToolId,
    ) -> Result<AuditTool, StoreError> {
        on_pool!(self, pool => {
            match sqlx::query("SELECT id, name, description, questions FROM audit_tools WHERE id = $1 AND authority_id = $2")
                .bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(r) => Ok(tool_from_row!(&r)),
                None => Err(StoreError::NotFound("The audit tool")),
            }
        })
    }

    /// Every audit of the authority, newest first; or only those `partner` is invited to.
    pub async fn audits(
        &self,
        authority: AuthorityId,
        partner: Option<WorkerId>,
    ) -> Result<Vec<Audit>, StoreError> {
        let invited = if partner.is_some() {
            " AND EXISTS (SELECT 1 FROM audit_invitations i WHERE i.audit_id = a.id AND i.worker_id = $2)"
        } else {
            ""
        };
        let sql = format!("SELECT {AUDIT_COLUMNS} {AUDIT_FROM} WHERE a.authority_id = $1{invited} ORDER BY a.created_at DESC");
        on_pool!(self, pool => {
            let mut query = sqlx::query(&sql).bind(authority.0);
            if let Some(worker) = partner {
                query = query.bind(worker.0);
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter().map(|r| Ok(audit_from_row!(r))).collect()
        })
    }

    pub async fn audit(&self, authority: AuthorityId, id: AuditId) -> Result<Audit, StoreError> {
        let sql =
            format!("SELECT {AUDIT_COLUMNS} {AUDIT_FROM} WHERE a.id = $1 AND a.authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(r) => Ok(audit_from_row!(&r)),
                None => Err(StoreError::NotFound("The audit")),
            }
        })
    }

    /// The case audits of an audit, by child's name.
    pub async fn case_audits_of(
        &self,
        authority: AuthorityId,
        audit: AuditId,
    ) -> Result<Vec<CaseAudit>, StoreError> {
        let sql = format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE c.audit_id = $1 AND c.authority_id = $2 ORDER BY child_name, c.id");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(audit.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(case_from_row!(r))).collect()
        })
    }

    pub async fn case_audit(
        &self,
        authority: AuthorityId,
        id: CaseAuditId,
    ) -> Result<CaseAudit, StoreError> {
        let sql =
            format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE c.id = $1 AND c.authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(r) => Ok(case_from_row!(&r)),
                None => Err(StoreError::NotFound("The case audit")),
            }
        })
    }

    pub async fn case_audit_answers(
        &self,
        authority: AuthorityId,
        id: CaseAuditId,
    ) -> Result<Vec<Answer>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(ANSWER_SQL).bind(id.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(answer_from_row!(r))).collect()
        })
    }
}
