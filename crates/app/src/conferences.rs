//! Child protection conferences: the initial conference (due 15 working days after the
//! strategy discussion) decides on a plan and its category; each review (first within 3
//! months of the initial conference, then within 6 months of the last) continues or ends it.

use crate::episodes::required_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::child_protection::{next_review_due, CategoryOfAbuse};
use frontdoor_domain::ids::{ConferenceId, PlanId};
use frontdoor_store::child_protection::{self as cp_store, Conference, ProtectionPlan};
use frontdoor_store::events::NewEvent;
use frontdoor_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// A conference as held, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConferenceInput {
    pub held_on: String,
    pub chair: String,
    /// Initial: the child is to have a plan. Review: the plan continues.
    pub plan: Option<bool>,
    /// NEG, PHY, SAB, EMO or MUL: required with a plan (a review may leave it unchanged).
    pub category: String,
}

impl App {
    pub async fn view_conference(
        &self,
        actor: &Actor,
        id: ConferenceId,
    ) -> Result<Conference, AppError> {
        actor.may(Action::ViewChildRecord)?;
        self.store
            .conference(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// Records a conference as held, with its outcome.
    pub async fn record_conference(
        &self,
        actor: &Actor,
        id: ConferenceId,
        input: &ConferenceInput,
    ) -> Result<Conference, AppError> {
        actor.may(Action::RecordConference)?;
        let now = self.now();
        let current = self.view_conference(actor, id).await?;
        let initial = current.kind == "initial";
        let mut checks = Checks::default();
        let held_on = required_date(
            &mut checks,
            "held_on",
            &input.held_on,
            "Enter the date the conference was held.",
        );
        if held_on.is_some_and(|d| d > london_date(now)) {
            checks.add(
                "held_on",
                "Record the conference once it has been held: the date is in the future.",
            );
        }
        let chair = input.chair.trim();
        if chair.is_empty() {
            checks.add("chair", "Give the name of the conference's chair.");
        }
        if input.plan.is_none() {
            checks.add(
                "plan",
                if initial {
                    "Say whether the child is to have a child protection plan."
                } else {
                    "Say whether the child protection plan continues."
                },
            );
        }
        let category = if input.category.trim().is_empty() {
            if initial && input.plan == Some(true) {
                checks.add("category", "Choose the category of abuse for the plan.");
            }
            None
        } else {
            checks.take("category", CategoryOfAbuse::from_code(&input.category))
        };
        checks.finish()?;
        let (Some(held_on), Some(plan)) = (held_on, input.plan) else {
            return Err(AppError::invalid(
                "held_on",
                "Enter the date the conference was held.",
            ));
        };
        let calendar = self.calendar_for(actor.authority).await?;
        let mut tx = self.store.begin().await?;
        let conference = cp_store::conference_for_update(&mut tx, actor.authority, id).await?;
        if !cp_store::hold_conference(
            &mut tx,
            actor.authority,
            id,
            held_on,
            chair,
            plan,
            category,
            actor.worker,
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "This conference was already recorded as held on {}: reload the episode to see it.",
                conference
                    .held_on
                    .map(|d| d.format("%-d %B %Y").to_string())
                    .unwrap_or_default()
            )));
        }
        // The conference, and the plan it starts or ends, each go on the child's chronology.
        let event = |kind: &'static str, subject: Uuid, payload: serde_json::Value| {
            NewEvent::by(actor, now, kind, subject)
                .about(conference.person)
                .with(payload)
        };
        let held = json!({
            "kind": conference.kind, "held_on": held_on, "chair": chair, "plan": plan,
            "category": category.map(|c| c.code()),
        });
        event("conference_held", id.0, held).append(&mut tx).await?;
        match (initial, plan, category) {
            (true, true, Some(category)) => {
                let started = ProtectionPlan {
                    id: PlanId::new(),
                    authority: actor.authority,
                    episode: conference.episode,
                    person: conference.person,
                    icpc: id,
                    started_on: held_on,
                    initial_category: category,
                    latest_category: category,
                    ended_on: None,
                    end_reason: None,
                };
                cp_store::insert_plan(&mut tx, &started, now).await?;
                let due = next_review_due(&calendar, held_on, None);
                schedule_review(&mut tx, &conference, started.id, due, now).await?;
                let payload = json!({ "category": category.code(), "started_on": held_on, "review_due_on": due });
                event("protection_plan_started", started.id.0, payload)
                    .append(&mut tx)
                    .await?;
            }
            (false, continues, category) => {
                let Some(plan_id) = conference.plan else {
                    return Err(AppError::Conflict(
                        "This review conference belongs to no plan.".into(),
                    ));
                };
                let held_plan =
                    cp_store::plan_for_update(&mut tx, actor.authority, plan_id).await?;
                if held_plan.ended_on.is_some() {
                    return Err(AppError::Conflict(
                        "The child protection plan under review has already ended.".into(),
                    ));
                }
                if continues {
                    if let Some(category) = category {
                        cp_store::set_latest_category(&mut tx, actor.authority, plan_id, category)
                            .await?;
                    }
                    let due = next_review_due(&calendar, held_plan.started_on, Some(held_on));
                    schedule_review(&mut tx, &conference, plan_id, due, now).await?;
                } else {
                    cp_store::end_plan(
                        &mut tx,
                        actor.authority,
                        plan_id,
                        held_on,
                        "Ended at a review conference",
                    )
                    .await?;
                    let payload =
                        json!({ "ended_on": held_on, "reason": "Ended at a review conference." });
                    event("protection_plan_ended", plan_id.0, payload)
                        .append(&mut tx)
                        .await?;
                }
            }
            _ => {}
        }
        tx.commit().await?;
        self.view_conference(actor, id).await
    }
}

async fn schedule_review(
    tx: &mut Tx,
    after: &Conference,
    plan: PlanId,
    due_on: chrono::NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let review = Conference {
        id: ConferenceId::new(),
        authority: after.authority,
        episode: after.episode,
        person: after.person,
        kind: "review".into(),
        enquiry: None,
        plan: Some(plan),
        due_on,
        held_on: None,
        chair: String::new(),
        plan_outcome: None,
        category: None,
    };
    cp_store::insert_conference(tx, &review, at).await?;
    Ok(())
}
