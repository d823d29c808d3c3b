//! The risk management group: children whose latest CSE screening is medium or high risk, with
//! their review dates (overdue ones marked), and the group's reviews, each moving the next
//! review date in a guarded statement.

use crate::episodes::{at_words, required_date};
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::NaiveDate;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::cse::{self, CseLevel};
use frontdoor_domain::ids::{CseScreeningId, PersonId, SafetyPlanId};
use frontdoor_domain::safety_plan::meets_requirement;
use frontdoor_store::cse::{self as cse_store, CseReview};
use frontdoor_store::events::NewEvent;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A child on the group's list.
#[derive(Debug, Clone, Serialize)]
pub struct RmgChild {
    pub person: PersonId,
    pub child_name: String,
    pub screening: CseScreeningId,
    pub level: CseLevel,
    pub screened_on: NaiveDate,
    pub review_on: Option<NaiveDate>,
    /// The review date has passed.
    pub overdue: bool,
    /// The signed-off safety plan answering the screening, if there is one.
    pub safety_plan: Option<SafetyPlanId>,
}

/// The group's list: medium and high risk children (or one level), earliest review first.
#[derive(Debug, Clone, Serialize)]
pub struct RiskManagementGroup {
    pub today: NaiveDate,
    /// The level shown, when filtered.
    pub level: Option<CseLevel>,
    pub children: Vec<RmgChild>,
}

/// A review as typed: the next review date, what the group decided, and the review date the
/// reviewer saw (so two reviews at once cannot both move it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CseReviewInput {
    /// The review date shown when the review was opened (2026-04-29).
    pub previous_review_on: String,
    /// The next review (2026-05-27).
    pub next_review_on: String,
    pub notes: String,
}

impl App {
    /// The risk management group's list: each child whose latest screening is medium or high
    /// risk (or only `level`), with the screening date, the next review and whether it is
    /// overdue.
    pub async fn risk_management_group(
        &self,
        actor: &Actor,
        level: Option<&str>,
    ) -> Result<RiskManagementGroup, AppError> {
        actor.may(Action::ViewRiskManagementGroup)?;
        let level = match level.map(str::trim).filter(|l| !l.is_empty()) {
            Some(code) => match CseLevel::from_code(code) {
                Ok(l) if cse::requires_safety_plan(l) => Some(l),
                _ => {
                    return Err(AppError::invalid(
                        "level",
                        "Choose medium or high, or show both.",
                    ))
                }
            },
            None => None,
        };
        let levels: Vec<CseLevel> = match level {
            Some(l) => vec![l],
            None => vec![CseLevel::Medium, CseLevel::High],
        };
        let today = london_date(self.now());
        let mut children = Vec::new();
        for s in self
            .store
            .cse_latest_screenings_at(actor.authority, &levels)
            .await?
        {
            let plans = self
                .store
                .safety_plans_of_person(actor.authority, s.person)
                .await?;
            children.push(RmgChild {
                person: s.person,
                child_name: s.child_name.clone().unwrap_or_default(),
                screening: s.id,
                level: s.level,
                screened_on: s.screened_on,
                review_on: s.review_on,
                overdue: s.review_on.is_some_and(|d| d < today),
                safety_plan: plans
                    .iter()
                    .find(|p| {
                        p.cse_screening == Some(s.id) && meets_requirement(p.record.kind, p.state)
                    })
                    .map(|p| p.id),
            });
        }
        Ok(RiskManagementGroup {
            today,
            level,
            children,
        })
    }

    /// The group's reviews of a screening, oldest first.
    pub async fn cse_reviews(
        &self,
        actor: &Actor,
        id: CseScreeningId,
    ) -> Result<Vec<CseReview>, AppError> {
        actor.may(Action::ViewChildRecord)?;
        Ok(self.store.cse_reviews(actor.authority, id).await?)
    }

    /// The group reviews a child at medium or high risk and sets the next review. Guarded: the
    /// date moves only from the one the reviewer saw; a review recorded first by someone else is
    /// a conflict naming who and what they set. A new screening is the other way to review.
    pub async fn record_cse_review(
        &self,
        actor: &Actor,
        id: CseScreeningId,
        input: &CseReviewInput,
    ) -> Result<CseReview, AppError> {
        actor.may(Action::RecordCseReview)?;
        let s = self.load_cse_screening(actor, id).await?;
        let now = self.now();
        let today = london_date(now);
        let latest = self
            .store
            .cse_screenings_of_person(actor.authority, s.person)
            .await?;
        if latest.first().is_some_and(|l| l.id != s.id) {
            return Err(AppError::Conflict("This cannot be done now: a newer screening has been recorded for this child. Review from the child's latest screening.".into()));
        }
        if !cse::requires_safety_plan(s.level) {
            return Err(AppError::invalid(
                "next_review_on",
                "Only a child at medium or high risk is reviewed by the risk management group.",
            ));
        }
        let mut checks = Checks::default();
        let previous = if input.previous_review_on.trim().is_empty() {
            s.review_on
        } else {
            required_date(
                &mut checks,
                "previous_review_on",
                &input.previous_review_on,
                "Enter the review date you saw.",
            )
        };
        let next = required_date(
            &mut checks,
            "next_review_on",
            &input.next_review_on,
            "Enter the date of the next review.",
        );
        if next.is_some_and(|d| d <= today) {
            checks.add("next_review_on", "The next review must be after today.");
        }
        let notes = checks.text("notes", &input.notes, 4000);
        if notes.chars().count() < 10 {
            checks.add("notes", "Record what the group decided.");
        }
        checks.finish()?;
        let Some(next) = next else {
            return Err(AppError::invalid(
                "next_review_on",
                "Enter the date of the next review.",
            ));
        };
        let review = CseReview {
            id: uuid::Uuid::now_v7(),
            screening: id,
            previous_review_on: previous,
            next_review_on: next,
            notes,
            recorded_by: actor.worker,
            recorded_by_name: None,
            recorded_at: now,
        };
        let mut tx = self.store.begin().await?;
        if !cse_store::record_review(&mut tx, actor.authority, &review).await? {
            drop(tx);
            return Err(self.cse_review_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "cse_review_recorded", id.0)
            .about(s.person)
            .with(json!({
                "level": s.level.code(),
                "previous_review_on": previous,
                "next_review_on": next,
                "notes": review.notes,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(review)
    }

    async fn cse_review_conflict(&self, actor: &Actor, id: CseScreeningId) -> AppError {
        match self.store.cse_reviews(actor.authority, id).await {
            Ok(reviews) => match reviews.last() {
                Some(r) => AppError::Conflict(format!(
                    "This cannot be done now: {} reviewed this child at {} and set the next review for {}. Reload to see it.",
                    r.recorded_by_name.clone().unwrap_or_else(|| "another worker".into()),
                    at_words(r.recorded_at),
                    r.next_review_on.format("%-d %B %Y")
                )),
                None => AppError::Conflict("This cannot be done now: the review date has changed. Reload to see it.".into()),
            },
            Err(e) => e.into(),
        }
    }
}
