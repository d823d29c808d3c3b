//! Threshold decisions, referrals, assessments and emergency actions.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::contact::ReferralSource;
use frontdoor_domain::decision::{DecisionState, EmergencyAction, ThresholdOutcome};
use frontdoor_domain::ids::{AuthorityId, ContactId, DecisionId, PersonId, ReferralId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ThresholdDecision {
    pub id: DecisionId,
    pub authority: AuthorityId,
    pub contact: ContactId,
    pub state: DecisionState,
    pub outcome: ThresholdOutcome,
    pub level_of_need: i32,
    pub signposted_to: Option<String>,
    pub rationale: String,
    pub recommended_by: WorkerId,
    pub recommended_by_name: Option<String>,
    pub recommended_at: DateTime<Utc>,
    pub reviewed_by: Option<WorkerId>,
    pub reviewed_by_name: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_rationale: Option<String>,
    /// The version of the authority's threshold framework the level of need was chosen from.
    pub threshold_framework_version: i32,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Referral {
    pub id: ReferralId,
    pub contact: ContactId,
    pub person: PersonId,
    pub decision: DecisionId,
    pub referral_date: NaiveDate,
    pub source: ReferralSource,
    pub is_re_referral: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EmergencyActionRecord {
    pub id: Uuid,
    pub contact: ContactId,
    pub person: Option<PersonId>,
    pub action: EmergencyAction,
    pub taken_at: DateTime<Utc>,
    pub notes: String,
    pub recorded_by: WorkerId,
}

pub async fn insert_decision(tx: &mut Tx, decision: &ThresholdDecision) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO threshold_decisions (id, authority_id, contact_id, state, outcome, level_of_need, signposted_to, rationale, recommended_by, recommended_at, reviewed_by, reviewed_at, review_rationale, threshold_framework_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(decision.id.0).bind(decision.authority.0).bind(decision.contact.0).bind(decision.state.code())
        .bind(decision.outcome.code()).bind(decision.level_of_need).bind(&decision.signposted_to).bind(&decision.rationale)
        .bind(decision.recommended_by.0).bind(decision.recommended_at)
        .bind(decision.reviewed_by.map(|w| w.0)).bind(decision.reviewed_at).bind(&decision.review_rationale)
        .bind(decision.threshold_framework_version)
        .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Records a manager's review. Only a decision still `recommended` changes: the state check in
/// the statement means two managers reviewing at once cannot both succeed.
pub async fn review_decision(
    tx: &mut Tx,
    authority: AuthorityId,
    decision: DecisionId,
    state: DecisionState,
    reviewer: WorkerId,
    at: DateTime<Utc>,
    rationale: &str,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE threshold_decisions SET state = $1, reviewed_by = $2, reviewed_at = $3, review_rationale = $4 WHERE id = $5 AND authority_id = $6 AND state = 'recommended'")
            .bind(state.code()).bind(reviewer.0).bind(at).bind(rationale).bind(decision.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

pub async fn insert_referral(
    tx: &mut Tx,
    authority: AuthorityId,
    referral: &Referral,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO referrals (id, authority_id, contact_id, person_id, decision_id, referral_date, source, is_re_referral, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(referral.id.0).bind(authority.0).bind(referral.contact.0).bind(referral.person.0).bind(referral.decision.0)
            .bind(referral.referral_date).bind(referral.source.code()).bind(referral.is_re_referral).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_emergency_action(
    tx: &mut Tx,
    authority: AuthorityId,
    record: &EmergencyActionRecord,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO emergency_actions (id, authority_id, contact_id, person_id, action, taken_at, notes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(record.id).bind(authority.0).bind(record.contact.0).bind(record.person.map(|p| p.0)).bind(record.action.code())
            .bind(record.taken_at).bind(&record.notes).bind(record.recorded_by.0).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// A person's referral dates, read inside a write transaction: a use case holding the write
/// lock must not wait for a second pool connection (with every connection taken by requests
/// queued behind that lock, it would wait until they time out).
pub async fn referral_dates_in(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
) -> Result<Vec<NaiveDate>, StoreError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT referral_date FROM referrals WHERE person_id = $1 AND authority_id = $2 ORDER BY referral_date")
            .bind(person.0).bind(authority.0).fetch_all(&mut *conn).await?
    }))
}

impl Store {
    /// Every decision on a contact, oldest first (returned ones stay, as history).
    pub async fn decisions_on_contact(
        &self,
        authority: AuthorityId,
        contact: ContactId,
    ) -> Result<Vec<ThresholdDecision>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT d.id, d.authority_id, d.contact_id, d.state, d.outcome, d.level_of_need, d.signposted_to, d.rationale,
                        d.recommended_by, r.display_name AS recommended_by_name, d.recommended_at,
                        d.reviewed_by, v.display_name AS reviewed_by_name, d.reviewed_at, d.review_rationale,
                        d.threshold_framework_version
                 FROM threshold_decisions d
                 JOIN workers r ON r.id = d.recommended_by
                 LEFT JOIN workers v ON v.id = d.reviewed_by
                 WHERE d.contact_id = $1 AND d.authority_id = $2 ORDER BY d.recommended_at",
            )
            .bind(contact.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| {
                let state: String = r.try_get("state")?;
                let outcome: String = r.try_get("outcome")?;
                Ok(ThresholdDecision {
                    id: DecisionId(r.try_get("id")?),
                    authority: AuthorityId(r.try_get("authority_id")?),
                    contact: ContactId(r.try_get("contact_id")?),
                    state: DecisionState::from_code(&state).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    outcome: ThresholdOutcome::from_code(&outcome).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    level_of_need: r.try_get("level_of_need")?,
                    signposted_to: r.try_get("signposted_to")?,
                    rationale: r.try_get("rationale")?,
                    recommended_by: WorkerId(r.try_get("recommended_by")?),
                    recommended_by_name: r.try_get("recommended_by_name")?,
                    recommended_at: r.try_get("recommended_at")?,
                    reviewed_by: r.try_get::<Option<Uuid>, _>("reviewed_by")?.map(WorkerId),
                    reviewed_by_name: r.try_get("reviewed_by_name")?,
                    reviewed_at: r.try_get("reviewed_at")?,
                    review_rationale: r.try_get("review_rationale")?,
                    threshold_framework_version: r.try_get("threshold_framework_version")?,
                })
            }).collect()
        })
    }

    /// A person's referrals as (date, the contact that made it), oldest first.
    pub async fn referrals_of(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<(NaiveDate, ContactId)>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT referral_date, contact_id FROM referrals WHERE person_id = $1 AND authority_id = $2 ORDER BY referral_date")
                .bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok((r.try_get("referral_date")?, ContactId(r.try_get("contact_id")?)))).collect()
        })
    }

    /// Dates of a person's referrals, oldest first.
    pub async fn referral_dates(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<NaiveDate>, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT referral_date FROM referrals WHERE person_id = $1 AND authority_id = $2 ORDER BY referral_date")
                .bind(person.0).bind(authority.0).fetch_all(pool).await?
        }))
    }

    /// Start dates of a person's assessments, oldest first.
    pub async fn assessment_dates(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<NaiveDate>, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT started_on FROM assessments WHERE person_id = $1 AND authority_id = $2 ORDER BY started_on")
                .bind(person.0).bind(authority.0).fetch_all(pool).await?
        }))
    }

    /// Emergency action recorded on a contact, oldest first.
    pub async fn emergency_actions_on_contact(
        &self,
        authority: AuthorityId,
        contact: ContactId,
    ) -> Result<Vec<EmergencyActionRecord>, StoreError> {
        emergency_actions_where(self, authority, "contact_id", contact.0).await
    }
}

/// Emergency actions whose `column` (`contact_id` or `person_id`, never user input) is `id`,
/// oldest first.
pub(crate) async fn emergency_actions_where(
    store: &Store,
    authority: AuthorityId,
    column: &'static str,
    id: Uuid,
) -> Result<Vec<EmergencyActionRecord>, StoreError> {
    let sql = format!("SELECT id, contact_id, person_id, action, taken_at, notes, recorded_by FROM emergency_actions WHERE {column} = $1 AND authority_id = $2 ORDER BY taken_at");
    on_pool!(store, pool => {
        let rows = sqlx::query(&sql).bind(id).bind(authority.0).fetch_all(pool).await?;
        rows.iter().map(|r| {
            let action: String = r.try_get("action")?;
            Ok(EmergencyActionRecord {
                id: r.try_get("id")?,
                contact: ContactId(r.try_get("contact_id")?),
                person: r.try_get::<Option<Uuid>, _>("person_id")?.map(PersonId),
                action: EmergencyAction::from_code(&action)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                taken_at: r.try_get("taken_at")?,
                notes: r.try_get("notes")?,
                recorded_by: WorkerId(r.try_get("recorded_by")?),
            })
        }).collect()
    })
}
