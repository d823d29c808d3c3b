//! Child protection plans: statutory visits (seen alone or not) and ending a plan.

use crate::episodes::{required_date, PlanView};
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::child_protection::MIN_REASON_CHARS;
use frontdoor_domain::ids::PlanId;
use frontdoor_store::child_protection::{self as cp_store, PlanVisit};
use frontdoor_store::events::NewEvent;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanVisitInput {
    pub visited_on: String,
    pub seen_alone: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanEndInput {
    pub ended_on: String,
    pub reason: String,
}

impl App {
    /// A plan with its reviews, visits and next due dates.
    pub async fn view_plan(&self, actor: &Actor, id: PlanId) -> Result<PlanView, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let plan = self
            .store
            .plan(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let calendar = self.calendar_for(actor.authority).await?;
        let conferences = self
            .store
            .conferences_of_episode(actor.authority, plan.episode)
            .await?;
        self.plan_view(&calendar, plan, &conferences).await
    }

    /// Records a statutory visit to a child on a plan.
    pub async fn record_plan_visit(
        &self,
        actor: &Actor,
        id: PlanId,
        input: &PlanVisitInput,
    ) -> Result<PlanView, AppError> {
        actor.may(Action::RecordProtectionPlan)?;
        let now = self.now();
        let mut checks = Checks::default();
        let visited_on = required_date(
            &mut checks,
            "visited_on",
            &input.visited_on,
            "Enter the date of the visit.",
        );
        if visited_on.is_some_and(|d| d > london_date(now)) {
            checks.add(
                "visited_on",
                "Record a visit once it has happened: the date is in the future.",
            );
        }
        if input.seen_alone.is_none() {
            checks.add("seen_alone", "Say whether the child was seen alone.");
        }
        checks.finish()?;
        let (Some(visited_on), Some(seen_alone)) = (visited_on, input.seen_alone) else {
            return Err(AppError::invalid(
                "visited_on",
                "Enter the date of the visit.",
            ));
        };
        let mut tx = self.store.begin().await?;
        let plan = cp_store::plan_for_update(&mut tx, actor.authority, id).await?;
        if plan.ended_on.is_some() {
            return Err(AppError::Conflict(
                "This child protection plan has ended: reload it to see its current state.".into(),
            ));
        }
        if visited_on < plan.started_on {
            return Err(AppError::invalid(
                "visited_on",
                "A statutory visit is on or after the plan's start.",
            ));
        }
        let visit = PlanVisit {
            id: Uuid::now_v7(),
            plan: id,
            visited_on,
            seen_alone,
        };
        cp_store::insert_plan_visit(&mut tx, actor.authority, &visit, actor.worker, now).await?;
        NewEvent::by(actor, now, "protection_plan_visit_recorded", id.0)
            .about(plan.person)
            .with(json!({ "visited_on": visited_on, "seen_alone": seen_alone }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.view_plan(actor, id).await
    }

    /// Ends a plan outside a review conference (the child moved away, for example).
    pub async fn end_protection_plan(
        &self,
        actor: &Actor,
        id: PlanId,
        input: &PlanEndInput,
    ) -> Result<PlanView, AppError> {
        actor.may(Action::RecordProtectionPlan)?;
        let now = self.now();
        let mut checks = Checks::default();
        let ended_on = required_date(
            &mut checks,
            "ended_on",
            &input.ended_on,
            "Enter the date the plan ended.",
        );
        if ended_on.is_some_and(|d| d > london_date(now)) {
            checks.add("ended_on", "The end date cannot be in the future.");
        }
        let reason = input.reason.trim();
        if reason.chars().count() < MIN_REASON_CHARS {
            checks.add("reason", "Say why the plan ended.");
        }
        checks.finish()?;
        let Some(ended_on) = ended_on else {
            return Err(AppError::invalid(
                "ended_on",
                "Enter the date the plan ended.",
            ));
        };
        let mut tx = self.store.begin().await?;
        let plan = cp_store::plan_for_update(&mut tx, actor.authority, id).await?;
        if ended_on < plan.started_on {
            return Err(AppError::invalid(
                "ended_on",
                "The plan cannot end before it started.",
            ));
        }
        if !cp_store::end_plan(&mut tx, actor.authority, id, ended_on, reason).await? {
            return Err(AppError::Conflict(
                "This child protection plan has already ended: reload it to see its current state."
                    .into(),
            ));
        }
        NewEvent::by(actor, now, "protection_plan_ended", id.0)
            .about(plan.person)
            .with(json!({ "ended_on": ended_on, "reason": reason }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.view_plan(actor, id).await
    }
}
