//! Child sexual exploitation screenings, their answers, and the risk management group's
//! reviews.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::cse::{Answer, CseLevel};
use frontdoor_domain::ids::{AuthorityId, ContactId, CseScreeningId, PersonId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

/// One indicator's answer and note.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CseAnswer {
    /// The indicator's code ("going_missing.overnight").
    pub indicator: String,
    pub answer: Answer,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CseScreening {
    pub id: CseScreeningId,
    pub authority: AuthorityId,
    /// The child.
    pub person: PersonId,
    /// The child's name (filled on the risk management group's list).
    pub child_name: Option<String>,
    /// The contact it was completed for, if any.
    pub contact: Option<ContactId>,
    pub screened_on: NaiveDate,
    pub answers: Vec<CseAnswer>,
    /// The level the present indicators give.
    pub indicator_level: CseLevel,
    pub judgement_level: Option<CseLevel>,
    pub judgement_reason: String,
    pub level: CseLevel,
    /// The risk management group's next review (medium and high risk).
    pub review_on: Option<NaiveDate>,
    pub recorded_by: WorkerId,
    pub recorded_by_name: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl CseScreening {
    /// The codes of the indicators found present.
    pub fn present(&self) -> impl Iterator<Item = &str> {
        self.answers
            .iter()
            .filter(|a| a.answer == Answer::Present)
            .map(|a| a.indicator.as_str())
    }
}

/// A review by the risk management group.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CseReview {
    pub id: Uuid,
    pub screening: CseScreeningId,
    pub previous_review_on: Option<NaiveDate>,
    pub next_review_on: NaiveDate,
    pub notes: String,
    pub recorded_by: WorkerId,
    pub recorded_by_name: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

const COLUMNS: &str = "s.id, s.authority_id, s.person_id, s.contact_id, s.screened_on, s.indicator_level, s.judgement_level, s.judgement_reason, s.level, s.review_on,
    s.recorded_by, w.display_name AS recorded_by_name, s.recorded_at, TRIM(p.given_name || ' ' || p.family_name) AS child_name";
const FROM: &str = "FROM cse_screenings s LEFT JOIN workers w ON w.id = s.recorded_by LEFT JOIN people p ON p.id = s.person_id";

macro_rules! screening_from_row {
    ($r:expr) => {{
        let r = $r;
        let level: String = r.try_get("level")?;
        let indicator_level: String = r.try_get("indicator_level")?;
        let judgement: Option<String> = r.try_get("judgement_level")?;
        CseScreening {
            id: CseScreeningId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            person: PersonId(r.try_get("person_id")?),
            child_name: r.try_get("child_name")?,
            contact: r.try_get::<Option<Uuid>, _>("contact_id")?.map(ContactId),
            screened_on: r.try_get("screened_on")?,
            answers: Vec::new(),
            indicator_level: CseLevel::from_code(&indicator_level).map_err(corrupt)?,
            judgement_level: judgement
                .map(|j| CseLevel::from_code(&j))
                .transpose()
                .map_err(corrupt)?,
            judgement_reason: r.try_get("judgement_reason")?,
            level: CseLevel::from_code(&level).map_err(corrupt)?,
            review_on: r.try_get("review_on")?,
            recorded_by: WorkerId(r.try_get("recorded_by")?),
            recorded_by_name: r.try_get("recorded_by_name")?,
            recorded_at: r.try_get("recorded_at")?,
        }
    }};
}

/// Fills in a screening's answers, through `$conn`.
macro_rules! load_answers {
    ($conn:expr, $s:expr) => {{
        let s: &mut CseScreening = $s;
        let rows = sqlx::query("SELECT indicator, answer, note FROM cse_answers WHERE cse_screening_id = $1 ORDER BY position")
            .bind(s.id.0).fetch_all(&mut *$conn).await?;
        for r in &rows {
            let answer: String = r.try_get("answer")?;
            s.answers.push(CseAnswer {
                indicator: r.try_get("indicator")?,
                answer: Answer::from_code(&answer).map_err(corrupt)?,
                note: r.try_get("note")?,
            });
        }
    }};
}

/// A completed screening, with its answers.
pub async fn insert(tx: &mut Tx, s: &CseScreening) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO cse_screenings (id, authority_id, person_id, contact_id, screened_on, indicator_level, judgement_level, judgement_reason, level, review_on, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(s.id.0).bind(s.authority.0).bind(s.person.0).bind(s.contact.map(|c| c.0))
        .bind(s.screened_on).bind(s.indicator_level.code()).bind(s.judgement_level.map(|l| l.code()))
        .bind(&s.judgement_reason).bind(s.level.code()).bind(s.review_on)
        .bind(s.recorded_by.0).bind(to_stored_instant(s.recorded_at))
        .execute(&mut *conn).await?;
        for (position, a) in s.answers.iter().enumerate() {
            sqlx::query("INSERT INTO cse_answers (id, authority_id, cse_screening_id, position, indicator, answer, note) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(Uuid::now_v7()).bind(s.authority.0).bind(s.id.0).bind(position as i32)
                .bind(&a.indicator).bind(a.answer.code()).bind(&a.note)
                .execute(&mut *conn).await?;
        }
    });
    Ok(())
}

/// Moves a screening's review date, in one guarded statement: only while it is still the date
/// the reviewer saw (`previous`). False when someone else reviewed it first.
pub async fn record_review(
    tx: &mut Tx,
    authority: AuthorityId,
    review: &CseReview,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE cse_screenings SET review_on = $1 WHERE id = $2 AND authority_id = $3 AND review_on = $4")
            .bind(review.next_review_on).bind(review.screening.0).bind(authority.0).bind(review.previous_review_on)
            .execute(&mut *conn).await?.rows_affected()
    });
    if changed != 1 {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO cse_reviews (id, authority_id, cse_screening_id, previous_review_on, next_review_on, notes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(review.id).bind(authority.0).bind(review.screening.0).bind(review.previous_review_on)
            .bind(review.next_review_on).bind(&review.notes).bind(review.recorded_by.0).bind(to_stored_instant(review.recorded_at))
            .execute(&mut *conn).await?;
    });
    Ok(true)
}

impl Store {
    pub async fn cse_screening(
        &self,
        authority: AuthorityId,
        id: CseScreeningId,
    ) -> Result<CseScreening, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE s.id = $1 AND s.authority_id = $2");
        on_pool!(self, pool => {
            let mut conn = pool.acquire().await?;
            let Some(row) = sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? else {
                return Err(StoreError::NotFound("The CSE screening"));
            };
            let mut s = screening_from_row!(&row);
            load_answers!(conn, &mut s);
            Ok(s)
        })
    }

    /// A child's screenings, newest first, with their answers.
    pub async fn cse_screenings_of_person(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<CseScreening>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE s.person_id = $1 AND s.authority_id = $2 ORDER BY s.recorded_at DESC, s.id DESC");
        on_pool!(self, pool => {
            let mut conn = pool.acquire().await?;
            let rows = sqlx::query(&sql).bind(person.0).bind(authority.0).fetch_all(&mut *conn).await?;
            let mut all = Vec::new();
            for row in &rows {
                let mut s = screening_from_row!(row);
                load_answers!(conn, &mut s);
                all.push(s);
            }
            Ok(all)
        })
    }

    /// Each child whose latest screening is at one of `levels`, the earliest review first
    /// (without the answers).
    pub async fn cse_latest_screenings_at(
        &self,
        authority: AuthorityId,
        levels: &[CseLevel],
    ) -> Result<Vec<CseScreening>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE s.authority_id = $1
               AND NOT EXISTS (SELECT 1 FROM cse_screenings l WHERE l.person_id = s.person_id AND l.authority_id = s.authority_id
                               AND (l.recorded_at > s.recorded_at OR (l.recorded_at = s.recorded_at AND l.id > s.id)))
             ORDER BY s.recorded_at"
        );
        let all: Vec<CseScreening> = on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(screening_from_row!(r))).collect::<Result<Vec<_>, StoreError>>()?
        });
        let mut due: Vec<CseScreening> = all
            .into_iter()
            .filter(|s| levels.contains(&s.level))
            .collect();
        due.sort_by_key(|s| (s.review_on.is_none(), s.review_on, s.recorded_at));
        Ok(due)
    }

    /// The risk management group's reviews of a screening, oldest first.
    pub async fn cse_reviews(
        &self,
        authority: AuthorityId,
        screening: CseScreeningId,
    ) -> Result<Vec<CseReview>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT r.id, r.previous_review_on, r.next_review_on, r.notes, r.recorded_by, w.display_name AS recorded_by_name, r.recorded_at
                                    FROM cse_reviews r LEFT JOIN workers w ON w.id = r.recorded_by
                                    WHERE r.cse_screening_id = $1 AND r.authority_id = $2 ORDER BY r.recorded_at")
                .bind(screening.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(CseReview {
                id: r.try_get("id")?,
                screening,
                previous_review_on: r.try_get("previous_review_on")?,
                next_review_on: r.try_get("next_review_on")?,
                notes: r.try_get("notes")?,
                recorded_by: WorkerId(r.try_get("recorded_by")?),
                recorded_by_name: r.try_get("recorded_by_name")?,
                recorded_at: r.try_get("recorded_at")?,
            })).collect()
        })
    }
}
