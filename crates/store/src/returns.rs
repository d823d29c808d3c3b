//! What the statutory returns read: the records of a collection period, as stored (codes as
//! text, so that a bad value reaches the return's checks instead of failing the read).
//!
//! One read-only transaction, so the return is the database as of one instant.

use crate::{on_tx, Store, StoreError};
use chrono::NaiveDate;
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, PlanId, ReferralId};
use sqlx::Row;

/// A child with an episode in the period: the identifiers and characteristics the census reads.
#[derive(Debug, Clone)]
pub struct ReturnChild {
    pub person: PersonId,
    pub la_person_id: String,
    pub birth_date: Option<NaiveDate>,
    pub birth_date_expected: bool,
    pub sex: String,
    pub ethnicity: String,
    pub upn: Option<String>,
    pub disabilities: String,
}

#[derive(Debug, Clone)]
pub struct ReturnEpisode {
    pub id: EpisodeId,
    pub person: PersonId,
    pub referral: ReferralId,
    pub referral_date: NaiveDate,
    pub source: String,
    pub primary_need: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReturnAssessment {
    pub referral: ReferralId,
    pub started_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    /// The census assessment factor codes identified (comma-separated as stored).
    pub factors: String,
}

#[derive(Debug, Clone)]
pub struct ReturnEnquiry {
    pub episode: EpisodeId,
    pub started_on: NaiveDate,
    pub icpc_due_on: NaiveDate,
    pub icpc_needed: Option<bool>,
    pub completed_on: Option<NaiveDate>,
    /// The initial conference the enquiry led to, when held.
    pub icpc_held_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct ReturnPlan {
    pub id: PlanId,
    pub episode: EpisodeId,
    pub person: PersonId,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub initial_category: String,
    pub latest_category: String,
}

#[derive(Debug, Clone)]
pub struct ReturnCinPlan {
    pub episode: EpisodeId,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct ReturnReview {
    pub plan: PlanId,
    pub held_on: NaiveDate,
}

/// Everything recorded for the children with an episode open at any point from `from` to
/// `to`: all their episodes, with the episodes' assessments, child in need plans, enquiries,
/// plans and review conferences (the return decides what of it the period covers, and counts earlier plans as
/// previous plans).
#[derive(Debug, Clone, Default)]
pub struct ReturnRecords {
    pub children: Vec<ReturnChild>,
    pub episodes: Vec<ReturnEpisode>,
    pub assessments: Vec<ReturnAssessment>,
    pub cin_plans: Vec<ReturnCinPlan>,
    pub enquiries: Vec<ReturnEnquiry>,
    pub plans: Vec<ReturnPlan>,
    pub reviews: Vec<ReturnReview>,
}

/// Children with an episode open at any point of the window ($1 authority, $2 last day, $3
/// first day).
const WINDOW_PEOPLE: &str = "SELECT person_id FROM episodes WHERE authority_id = $1 AND referral_date <= $2 AND (closed_on IS NULL OR closed_on >= $3)";

impl Store {
    /// The records a return for the period `from`–`to` (inclusive) reads.
    pub async fn return_records(
        &self,
        authority: AuthorityId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<ReturnRecords, StoreError> {
        let mut tx = self.begin_read().await?;
        let children_sql = format!(
            "SELECT id, la_person_id, birth_date, birth_date_expected, sex, ethnicity, upn, disabilities
             FROM people WHERE authority_id = $1 AND id IN ({WINDOW_PEOPLE}) ORDER BY la_person_id"
        );
        let episodes_sql = format!(
            "SELECT id, person_id, referral_id, referral_date, source, primary_need, closed_on, closure_reason
             FROM episodes WHERE authority_id = $1 AND person_id IN ({WINDOW_PEOPLE}) ORDER BY person_id, referral_date, created_at"
        );
        let assessments_sql = format!(
            "SELECT referral_id, started_on, completed_on, factors FROM assessments
             WHERE authority_id = $1 AND referral_id IN (SELECT referral_id FROM episodes WHERE person_id IN ({WINDOW_PEOPLE}))
             ORDER BY started_on, created_at"
        );
        let cin_plans_sql = format!(
            "SELECT episode_id, started_on, ended_on FROM cin_plans
             WHERE authority_id = $1 AND person_id IN ({WINDOW_PEOPLE})
             ORDER BY started_on, created_at"
        );
        let enquiries_sql = format!(
            "SELECT s.episode_id, s.started_on, s.icpc_due_on, s.icpc_needed, s.completed_on, c.held_on AS icpc_held_on
             FROM section_47_enquiries s
             LEFT JOIN conferences c ON c.enquiry_id = s.id AND c.kind = 'initial'
             WHERE s.authority_id = $1 AND s.person_id IN ({WINDOW_PEOPLE})
             ORDER BY s.started_on, s.created_at"
        );
        let plans_sql = format!(
            "SELECT id, episode_id, person_id, started_on, ended_on, initial_category, latest_category
             FROM protection_plans WHERE authority_id = $1 AND person_id IN ({WINDOW_PEOPLE})
             ORDER BY started_on, created_at"
        );
        let reviews_sql = format!(
            "SELECT plan_id, held_on FROM conferences
             WHERE authority_id = $1 AND kind = 'review' AND held_on IS NOT NULL
               AND plan_id IN (SELECT id FROM protection_plans WHERE person_id IN ({WINDOW_PEOPLE}))
             ORDER BY held_on"
        );
        let records = on_tx!(&mut tx, conn => {
            let mut records = ReturnRecords::default();
            for r in sqlx::query(&children_sql).bind(authority.0).bind(to).bind(from).fetch_all(&mut *conn).await? {
                records.children.push(ReturnChild {
                    person: PersonId(r.try_get("id")?),
                    la_person_id: r.try_get("la_person_id")?,
                    birth_date: r.try_get("birth_date")?,
                    birth_date_expected: r.try_get("birth_date_expected")?,
                    sex: r.try_get("sex")?,
                    ethnicity: r.try_get("ethnicity")?,
                    upn: r.try_get("upn")?,
                    disabilities: r.try_get("disabilities")?,
                });
            }
            for r in sqlx::query(&episodes_sql).bind(authority.0).bind(to).bind(from).fetch_all(&mut *conn).await? {
                records.episodes.push(ReturnEpisode {
                    id: EpisodeId(r.try_get("id")?),
                    person: PersonId(r.try_get("person_id")?),
                    referral: ReferralId(r.try_get("referral_id")?),
                    referral_date: r.try_get("referral_date")?,
                    source: r.try_get("source")?,
                    primary_need: r.try_get("primary_need")?,
                    closed_on: r.try_get("closed_on")?,
                    closure_reason: r.try_get("closure_reason")?,
                });
            }
            for r in sqlx::query(&assessments_sql).bind(authority.0).bind(to).bind(from).fetch_all(&mut *conn).await? {
                records.assessments.push(ReturnAssessment {
                    referral: ReferralId(r.try_get("referral_id")?),
                    started_on: r.try_get("started_on")?,
                    completed_on: r.try_get("completed_on")?,
                    factors: r.try_get("factors")?,
                });
            }
            for r in sqlx::query(&cin_plans_sql).bind(authority.0).bind(to).bind(from).fetch_all(&mut *conn).await? {
                records.cin_plans.push(ReturnCinPlan {
                    episode: EpisodeId(r.try_get("episode_id")?),
                    started_on: r.try_get("started_on")?,
                    ended_on: r.try_get("ended_on")?,
                });
            }
            for r in sqlx::query(&enquiries_sql).bind(authority.0).bind(to).bind(from).fetch_all(&mut *conn).await? {
                records.enquiries.push(ReturnEnquiry {
                    episode: EpisodeId(r.try_get("episode_id")?),
                    started_on: r.try_get("started_on")?,
                    icpc_due_on: r.try_get("icpc_due_on")?,
                    icpc_needed: r.try_get("icpc_needed")?,
                    completed_on: r.try_get("completed_on")?,
                    icpc_held_on: r.try_get("icpc_held_on")?,
                });
            }
            for r in sqlx::query(&plans_sql).bind(authority.0).bind(to).bind(from).fetch_all(&mut *conn).await? {
                records.plans.push(ReturnPlan {
                    id: PlanId(r.try_get("id")?),
                    episode: EpisodeId(r.try_get("episode_id")?),
                    person: PersonId(r.try_get("person_id")?),
                    started_on: r.try_get("started_on")?,
                    ended_on: r.try_get("ended_on")?,
                    initial_category: r.try_get("initial_category")?,
                    latest_category: r.try_get("latest_category")?,
                });
            }
            for r in sqlx::query(&reviews_sql).bind(authority.0).bind(to).bind(from).fetch_all(&mut *conn).await? {
                records.reviews.push(ReturnReview {
                    plan: PlanId(r.try_get("plan_id")?),
                    held_on: r.try_get("held_on")?,
                });
            }
            records
        });
        tx.commit().await?;
        Ok(records)
    }
}

impl Store {
    /// The authority's three-digit DfE LA number (empty when not set).
    pub async fn dfe_la_number(&self, authority: AuthorityId) -> Result<String, StoreError> {
        crate::on_pool!(self, pool => {
            let number: Option<String> = sqlx::query_scalar("SELECT dfe_la_number FROM authorities WHERE id = $1")
                .bind(authority.0).fetch_optional(pool).await?;
            number.ok_or(StoreError::NotFound("The authority"))
        })
    }
}

/// Sets the authority's DfE LA number, in the caller's transaction; false when there is no
/// such authority.
pub async fn set_dfe_la_number(
    tx: &mut crate::Tx,
    authority: AuthorityId,
    number: &str,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE authorities SET dfe_la_number = $1 WHERE id = $2")
            .bind(number).bind(authority.0).execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}
