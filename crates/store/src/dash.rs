//! DASH domestic abuse risk assessments and their 24 answers.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::dash::{Answer, DashLevel};
use frontdoor_domain::ids::{AuthorityId, ContactId, DashAssessmentId, PersonId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

/// One question's answer and comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DashAnswer {
    /// 1 to 24.
    pub question: i32,
    pub answer: Answer,
    pub comment: String,
}

/// The MARAC referral, when the risk prompted one: made on a date, or not made and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "referred", rename_all = "snake_case")]
pub enum MaracReferral {
    Referred { on: NaiveDate },
    NotReferred { reason: String },
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DashAssessment {
    pub id: DashAssessmentId,
    pub authority: AuthorityId,
    /// The child.
    pub person: PersonId,
    /// The contact it was completed for, if any.
    pub contact: Option<ContactId>,
    pub victim_name: String,
    /// The victim's relationship to the child ("mother").
    pub victim_relationship: String,
    pub incident_on: NaiveDate,
    pub answers: Vec<DashAnswer>,
    /// The number of "yes" answers.
    pub score: i32,
    pub judgement_level: Option<DashLevel>,
    pub judgement_reason: String,
    pub level: DashLevel,
    /// Domestic abuse incidents for the child in the 12 months up to this one, this one included.
    pub incidents_in_12_months: i32,
    pub escalation: bool,
    pub marac: Option<MaracReferral>,
    pub recorded_by: WorkerId,
    pub recorded_by_name: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

const COLUMNS: &str = "d.id, d.authority_id, d.person_id, d.contact_id, d.victim_name, d.victim_relationship, d.incident_on, d.score, d.judgement_level, d.judgement_reason, d.level,
    d.incidents_in_12_months, d.escalation, d.marac_referred, d.marac_referred_on, d.marac_reason_not, d.recorded_by, w.display_name AS recorded_by_name, d.recorded_at";
const FROM: &str = "FROM dash_assessments d LEFT JOIN workers w ON w.id = d.recorded_by";

macro_rules! dash_from_row {
    ($r:expr) => {{
        let r = $r;
        let level: String = r.try_get("level")?;
        let judgement: Option<String> = r.try_get("judgement_level")?;
        let referred: Option<bool> = r.try_get("marac_referred")?;
        let referred_on: Option<NaiveDate> = r.try_get("marac_referred_on")?;
        DashAssessment {
            id: DashAssessmentId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            person: PersonId(r.try_get("person_id")?),
            contact: r.try_get::<Option<Uuid>, _>("contact_id")?.map(ContactId),
            victim_name: r.try_get("victim_name")?,
            victim_relationship: r.try_get("victim_relationship")?,
            incident_on: r.try_get("incident_on")?,
            answers: Vec::new(),
            score: r.try_get("score")?,
            judgement_level: judgement
                .map(|j| DashLevel::from_code(&j))
                .transpose()
                .map_err(corrupt)?,
            judgement_reason: r.try_get("judgement_reason")?,
            level: DashLevel::from_code(&level).map_err(corrupt)?,
            incidents_in_12_months: r.try_get("incidents_in_12_months")?,
            escalation: r.try_get("escalation")?,
            marac: match (referred, referred_on) {
                (Some(true), Some(on)) => Some(MaracReferral::Referred { on }),
                (Some(false), _) => Some(MaracReferral::NotReferred {
                    reason: r.try_get("marac_reason_not")?,
                }),
                _ => None,
            },
            recorded_by: WorkerId(r.try_get("recorded_by")?),
            recorded_by_name: r.try_get("recorded_by_name")?,
            recorded_at: r.try_get("recorded_at")?,
        }
    }};
}

/// A completed checklist, with its answers.
pub async fn insert(tx: &mut Tx, d: &DashAssessment) -> Result<(), StoreError> {
    let (referred, referred_on, reason_not) = match &d.marac {
        Some(MaracReferral::Referred { on }) => (Some(true), Some(*on), ""),
        Some(MaracReferral::NotReferred { reason }) => (Some(false), None, reason.as_str()),
        None => (None, None, ""),
    };
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO dash_assessments (id, authority_id, person_id, contact_id, victim_name, victim_relationship, incident_on, score, judgement_level, judgement_reason, level, incidents_in_12_months, escalation, marac_referred, marac_referred_on, marac_reason_not, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(d.id.0).bind(d.authority.0).bind(d.person.0).bind(d.contact.map(|c| c.0))
        .bind(&d.victim_name).bind(&d.victim_relationship).bind(d.incident_on).bind(d.score)
        .bind(d.judgement_level.map(|l| l.code())).bind(&d.judgement_reason).bind(d.level.code())
        .bind(d.incidents_in_12_months).bind(d.escalation).bind(referred).bind(referred_on).bind(reason_not)
        .bind(d.recorded_by.0).bind(to_stored_instant(d.recorded_at))
        .execute(&mut *conn).await?;
        for a in &d.answers {
            sqlx::query("INSERT INTO dash_answers (id, authority_id, dash_assessment_id, question, answer, comment) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(Uuid::now_v7()).bind(d.authority.0).bind(d.id.0).bind(a.question)
                .bind(a.answer.code()).bind(&a.comment)
                .execute(&mut *conn).await?;
        }
    });
    Ok(())
}

impl Store {
    pub async fn dash_assessment(
        &self,
        authority: AuthorityId,
        id: DashAssessmentId,
    ) -> Result<DashAssessment, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE d.id = $1 AND d.authority_id = $2");
        on_pool!(self, pool => {
            let Some(row) = sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? else {
                return Err(StoreError::NotFound("The DASH risk assessment"));
            };
            let mut d = dash_from_row!(&row);
            let rows = sqlx::query("SELECT question, answer, comment FROM dash_answers WHERE dash_assessment_id = $1 ORDER BY question")
                .bind(id.0).fetch_all(pool).await?;
            for r in &rows {
                let answer: String = r.try_get("answer")?;
                d.answers.push(DashAnswer {
                    question: r.try_get("question")?,
                    answer: Answer::from_code(&answer).map_err(corrupt)?,
                    comment: r.try_get("comment")?,
                });
            }
            Ok(d)
        })
    }

    /// A child's DASH assessments, newest incident first (without their answers).
    pub async fn dash_assessments_of_person(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<DashAssessment>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE d.person_id = $1 AND d.authority_id = $2 ORDER BY d.incident_on DESC, d.recorded_at DESC");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(dash_from_row!(r))).collect()
        })
    }
}
