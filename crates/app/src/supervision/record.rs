//! Recording a supervision (with its reviews of earlier actions) and completing an action.

use super::{
    ActionView, CompletionInput, SupervisionInput, SupervisionPreparation, SupervisionView,
};
use crate::contacts::parse_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError, FieldError};
use chrono::NaiveDate;
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::ids::{PersonId, SupervisionActionId, SupervisionId, WorkerId};
use frontdoor_domain::supervision::{
    check_completion, missing_parts, ActionReview, ActionStatus, AgreedAction, DiscussedChild,
    ReviewOutcome, SupervisionRecord,
};
use frontdoor_store::events::NewEvent;
use frontdoor_store::organisation::Worker;
use frontdoor_store::supervisions::{
    self as store, ActionsOf, CaseloadChild, NewAction, NewChild, NewSupervision, SupervisionAction,
};
use serde_json::json;

fn day(on: NaiveDate) -> String {
    on.format("%-d %B %Y").to_string()
}

/// "This cannot be done now: Sam Patel completed this action on 3 March 2026. Reload it to see
/// its current state."
fn what_changed(action: &SupervisionAction) -> String {
    let who = |name: &Option<String>| name.clone().unwrap_or_else(|| "another worker".into());
    let what = match action.status {
        ActionStatus::Completed => format!(
            "{} completed this action ({})",
            who(&action.completed_by_name),
            action.completed_on.map(day).unwrap_or_default()
        ),
        ActionStatus::Closed => format!(
            "{} closed this action unfinished: {}",
            who(&action.closed_by_name),
            action.closure_reason
        ),
        ActionStatus::Open => "a later supervision carried it forward".to_string(),
    };
    format!("This cannot be done now: {what}. Reload it to see its current state.")
}

/// A supervision held on `held` when the worker's latest was held on `latest`: one a day (a
/// second the same day is taken for the first sent twice, a conflict), in the order held.
fn out_of_order(worker: &Worker, held: NaiveDate, latest: NaiveDate) -> Option<AppError> {
    if held == latest {
        Some(AppError::Conflict(format!(
            "A supervision of {} held on {} is already recorded (perhaps a moment ago): one supervision a day. Reload to see it.",
            worker.display_name,
            day(latest)
        )))
    } else if held < latest {
        Some(AppError::invalid(
            "held_on",
            format!(
                "{}'s last supervision was on {}: record supervisions in the order they were held.",
                worker.display_name,
                day(latest)
            ),
        ))
    } else {
        None
    }
}

/// Whether a worker may own supervision actions: active, and in a role that completes them.
fn may_own(worker: &Worker) -> bool {
    worker.active && worker.role.allows(Action::CompleteSupervisionAction)
}

fn parse_id<T: std::str::FromStr>(
    checks: &mut Checks,
    field: &str,
    text: &str,
    message: &str,
) -> Option<T> {
    if text.trim().is_empty() {
        return None;
    }
    match text.trim().parse::<T>() {
        Ok(id) => Some(id),
        Err(_) => {
            checks.add(field, message);
            None
        }
    }
}

fn optional_date(checks: &mut Checks, field: &str, text: &str) -> Option<NaiveDate> {
    match parse_date(text) {
        Ok(date) => date,
        Err(message) => {
            checks.add(field, message);
            None
        }
    }
}

/// The record as typed, parsed (formats only: completeness is the domain's rule).
fn parse(input: &SupervisionInput, checks: &mut Checks) -> SupervisionRecord {
    let mut record = SupervisionRecord {
        held_on: optional_date(checks, "held_on", &input.held_on),
        ..SupervisionRecord::default()
    };
    for (row, c) in input.children.iter().enumerate() {
        let prefix = format!("children[{row}]");
        let risks_reviewed =
            checks.text(&format!("{prefix}.risks_reviewed"), &c.risks_reviewed, 4000);
        let decisions = checks.text(&format!("{prefix}.decisions"), &c.decisions, 4000);
        if !c.discussed && risks_reviewed.is_empty() && decisions.is_empty() {
            continue; // on the caseload, not discussed this time
        }
        let message = "Choose a child from the worker's caseload.";
        let field = format!("{prefix}.person_id");
        match parse_id::<PersonId>(checks, &field, &c.person_id, message) {
            Some(child) => record.children.push(DiscussedChild {
                row,
                child,
                risks_reviewed,
                decisions,
            }),
            None if c.person_id.trim().is_empty() => checks.add(field, message),
            None => {}
        }
    }
    for (row, a) in input.actions.iter().enumerate() {
        let prefix = format!("actions[{row}]");
        let description = checks.text(&format!("{prefix}.description"), &a.description, 1000);
        if description.is_empty()
            && a.person_id.trim().is_empty()
            && a.owner.trim().is_empty()
            && a.due_on.trim().is_empty()
        {
            continue; // an unused row
        }
        record.actions.push(AgreedAction {
            row,
            child: parse_id(
                checks,
                &format!("{prefix}.person_id"),
                &a.person_id,
                "Choose which child discussed the action is for.",
            ),
            description,
            owner: parse_id::<WorkerId>(
                checks,
                &format!("{prefix}.owner"),
                &a.owner,
                "Choose the action's owner from the list.",
            ),
            due_on: optional_date(checks, &format!("{prefix}.due_on"), &a.due_on),
        });
    }
    for (row, r) in input.reviews.iter().enumerate() {
        let prefix = format!("reviews[{row}]");
        let Some(action) = parse_id::<SupervisionActionId>(
            checks,
            &format!("{prefix}.action_id"),
            &r.action_id,
            "Choose an earlier action from the list.",
        ) else {
            continue;
        };
        let outcome = if r.outcome.trim().is_empty() {
            None
        } else {
            let found = ReviewOutcome::from_code(&r.outcome);
            if found.is_none() {
                checks.add(
                    format!("{prefix}.outcome"),
                    "Choose carry forward or close.",
                );
            }
            found
        };
        record.reviews.push(ActionReview {
            action,
            outcome,
            reason: checks.text(&format!("{prefix}.reason"), &r.reason, 2000),
            new_due_on: optional_date(checks, &format!("{prefix}.due_on"), &r.due_on),
        });
    }
    record
}

impl App {
    /// The workers a manager supervises: the other active workers of their team.
    pub async fn supervisees(&self, actor: &Actor) -> Result<Vec<(WorkerId, String)>, AppError> {
        actor.may(Action::RecordSupervision)?;
        Ok(self
            .store
            .workers(actor.authority)
            .await?
            .into_iter()
            .filter(|w| {
                w.active && w.team.is_some() && w.team == actor.team && w.id != actor.worker
            })
            .filter(|w| w.role.allows(Action::CompleteSupervisionAction))
            .map(|w| (w.id, w.display_name))
            .collect())
    }

    async fn supervisee(&self, actor: &Actor, id: WorkerId) -> Result<Worker, AppError> {
        actor.may(Action::RecordSupervision)?;
        let worker = self
            .store
            .worker(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        authorize(
            actor,
            Action::RecordSupervision,
            &Resource::workers_own(actor.authority, worker.team, worker.id),
        )
        .require()?;
        Ok(worker)
    }

    /// What the supervision form of `worker` offers (see [`SupervisionPreparation`]).
    pub async fn prepare_supervision(
        &self,
        actor: &Actor,
        worker: WorkerId,
    ) -> Result<SupervisionPreparation, AppError> {
        let worker = self.supervisee(actor, worker).await?;
        let authority = actor.authority;
        let open = self
            .store
            .supervision_actions(authority, ActionsOf::OpenFromSupervisionsOf(worker.id))
            .await?;
        let last_held_on = self
            .store
            .supervisions(authority, Some(worker.id), None, 1)
            .await?
            .first()
            .map(|s| s.held_on);
        Ok(SupervisionPreparation {
            worker: worker.id,
            worker_name: worker.display_name,
            last_held_on,
            caseload: self.store.caseload(authority, worker.id).await?,
            open_actions: self.action_views(actor, open).await?,
            owners: self
                .store
                .workers(authority)
                .await?
                .into_iter()
                .filter(may_own)
                .map(|w| (w.id, w.display_name))
                .collect(),
        })
    }

    /// Records a supervision of a worker of the manager's team. Refused, naming every missing
    /// part, unless each child discussed (from the worker's caseload) has their risks reviewed,
    /// each action has a child, a description, an owner and a due date on or after the
    /// supervision, and every action still open from the worker's earlier supervisions is
    /// carried forward or closed with a reason. Two supervisions of one worker recorded at once
    /// are taken one after the other; an earlier action changed meanwhile is a conflict.
    pub async fn record_supervision(
        &self,
        actor: &Actor,
        input: &SupervisionInput,
    ) -> Result<SupervisionView, AppError> {
        actor.may(Action::RecordSupervision)?;
        let authority = actor.authority;
        let Ok(worker_id) = input.worker.trim().parse::<WorkerId>() else {
            return Err(AppError::invalid("worker", "Choose the worker supervised."));
        };
        let worker = match self.supervisee(actor, worker_id).await {
            Err(AppError::NotFound(_)) => {
                return Err(AppError::invalid("worker", "Choose the worker supervised."))
            }
            other => other?,
        };
        let now = self.now();
        let today = london_date(now);
        let mut checks = Checks::default();
        let record = parse(input, &mut checks);
        if let Some(held) = record.held_on {
            if held > today {
                checks.add("held_on", "A supervision is recorded once it has been held: the date cannot be in the future.");
            } else if (today - held).num_days() > 366 {
                checks.add(
                    "held_on",
                    "The date is more than a year ago: check the year.",
                );
            }
        }
        let caseload = self.store.caseload(authority, worker.id).await?;
        let episode_of = |child: PersonId| -> Option<&CaseloadChild> {
            caseload.iter().find(|c| c.person == child)
        };
        for child in &record.children {
            let field = format!("children[{}].person_id", child.row);
            match episode_of(child.child) {
                None => checks.add(field, format!("This child has no open episode allocated to {}: only children on the worker's caseload are discussed in their case supervision.", worker.display_name)),
                Some(c) if record.held_on.is_some_and(|held| held < c.referral_date) => checks.add(
                    field,
                    format!("{}'s episode began on {}, after this supervision.", c.child_name, day(c.referral_date)),
                ),
                Some(_) => {}
            }
        }
        let workers = self.store.workers(authority).await?;
        for action in &record.actions {
            if let Some(owner) = action.owner {
                if !workers.iter().any(|w| w.id == owner && may_own(w)) {
                    checks.add(
                        format!("actions[{}].owner", action.row),
                        "Choose an active worker of the authority to own the action.",
                    );
                }
            }
        }
        let open = self
            .store
            .supervision_actions(authority, ActionsOf::OpenFromSupervisionsOf(worker.id))
            .await?;
        let open_ids: Vec<SupervisionActionId> = open.iter().map(|a| a.id).collect();
        // Read after the open actions: a supervision recorded meanwhile shows here.
        let latest = self
            .store
            .supervisions(authority, Some(worker.id), None, 1)
            .await?
            .into_iter()
            .next();
        if let (Some(latest), Some(held)) = (&latest, record.held_on) {
            if let Some(problem) = out_of_order(&worker, held, latest.held_on) {
                match problem {
                    AppError::Invalid(errors) => checks.0.extend(errors),
                    conflict => return Err(conflict),
                }
            }
        }
        for (row, review) in record.reviews.iter().enumerate() {
            if open_ids.contains(&review.action) {
                continue;
            }
            match self
                .store
                .supervision_action(authority, review.action)
                .await
            {
                Ok(changed) if changed.supervised_worker == worker.id => {
                    return Err(AppError::Conflict(what_changed(&changed)))
                }
                _ => checks.add(
                    format!("reviews[{row}].action_id"),
                    "Choose an earlier action of this worker's supervisions.",
                ),
            }
        }
        checks.0.extend(
            missing_parts(&record, &open_ids)
                .iter()
                .map(|part| FieldError::new(part.field(), part.to_string())),
        );
        checks.finish()?;
        let held_on = record.held_on.unwrap_or(today);

        let mut tx = self.store.begin().await?;
        store::hold_worker(&mut tx, authority, worker.id).await?;
        if let Some(latest) = store::latest_held_on(&mut tx, authority, worker.id).await? {
            if let Some(problem) = out_of_order(&worker, held_on, latest) {
                return Err(problem);
            }
        }
        // What is reviewed is what is open now: an action added, completed or closed since it
        // was read is a conflict, never a review lost or made twice.
        let held_open = store::open_actions_for_update(&mut tx, authority, worker.id).await?;
        let same = held_open.len() == open.len()
            && held_open.iter().all(|a| {
                open.iter()
                    .any(|b| b.id == a.id && b.times_carried == a.times_carried)
            });
        if !same {
            return Err(AppError::Conflict(format!("{}'s open actions changed while this supervision was being recorded (another supervision, or an action completed). Reload the form to see them.", worker.display_name)));
        }
        let id = SupervisionId::new();
        let children: Vec<NewChild> = record
            .children
            .iter()
            .filter_map(|c| {
                episode_of(c.child).map(|e| NewChild {
                    person: c.child,
                    episode: e.episode,
                    risks_reviewed: c.risks_reviewed.clone(),
                    decisions: c.decisions.clone(),
                })
            })
            .collect();
        let actions: Vec<NewAction> = record
            .actions
            .iter()
            .filter_map(|a| {
                let (child, owner, due_on) = (a.child?, a.owner?, a.due_on?);
                Some(NewAction {
                    id: SupervisionActionId::new(),
                    person: child,
                    episode: episode_of(child)?.episode,
                    description: a.description.clone(),
                    owner,
                    due_on,
                })
            })
            .collect();
        store::insert(
            &mut tx,
            &NewSupervision {
                id,
                authority,
                worker: worker.id,
                team: worker.team,
                supervisor: actor.worker,
                held_on,
                recorded_at: now,
                children: &children,
                actions: &actions,
            },
        )
        .await?;
        let owner_name = |id: WorkerId| {
            workers
                .iter()
                .find(|w| w.id == id)
                .map(|w| w.display_name.clone())
                .unwrap_or_default()
        };
        let (mut carried, mut closed) = (0, 0);
        for (position, action) in held_open.iter().enumerate() {
            let Some(review) = record.reviews.iter().find(|r| r.action == action.id) else {
                continue;
            };
            let Some(outcome) = review.outcome else {
                continue;
            };
            let due_after = match outcome {
                ReviewOutcome::CarryForward => review.new_due_on.unwrap_or(action.due_on),
                ReviewOutcome::Close => action.due_on,
            };
            let reason = review.reason.trim();
            if !store::review_action(
                &mut tx,
                authority,
                id,
                position,
                action,
                outcome,
                reason,
                due_after,
                actor.worker,
                now,
            )
            .await?
            {
                return Err(AppError::Conflict(format!("An earlier action ('{}') changed while this supervision was being recorded. Reload the form to see it.", action.description)));
            }
            let kind = match outcome {
                ReviewOutcome::CarryForward => {
                    carried += 1;
                    "supervision_action_carried_forward"
                }
                ReviewOutcome::Close => {
                    closed += 1;
                    "supervision_action_closed"
                }
            };
            NewEvent::by(actor, now, kind, action.id.0)
                .about(action.person)
                .with(json!({
                    "supervision": id,
                    "held_on": held_on,
                    "worker_name": worker.display_name,
                    "description": action.description,
                    "owner_name": action.owner_name,
                    "times_carried": action.times_carried + i32::from(outcome == ReviewOutcome::CarryForward),
                    "due_on_before": action.due_on,
                    "due_on_after": due_after,
                    "reason": reason,
                }))
                .append(&mut tx)
                .await?;
        }
        NewEvent::by(actor, now, "supervision_recorded", id.0)
            .with(json!({
                "worker": worker.id,
                "worker_name": worker.display_name,
                "held_on": held_on,
                "children": children.len(),
                "actions": actions.len(),
                "carried_forward": carried,
                "closed": closed,
            }))
            .append(&mut tx)
            .await?;
        // One entry per child, so a child's chronology shows only their own discussion.
        for child in &children {
            let agreed: Vec<serde_json::Value> = actions
                .iter()
                .filter(|a| a.person == child.person)
                .map(|a| json!({ "description": a.description, "owner_name": owner_name(a.owner), "due_on": a.due_on }))
                .collect();
            NewEvent::by(actor, now, "supervision_discussed", id.0)
                .about(child.person)
                .with(json!({
                    "held_on": held_on,
                    "worker_name": worker.display_name,
                    "risks_reviewed": child.risks_reviewed,
                    "decisions": child.decisions,
                    "actions": agreed,
                }))
                .append(&mut tx)
                .await?;
        }
        tx.commit().await?;
        self.view_supervision(actor, id).await
    }

    /// Completes an open action: its owner, or the manager of the team it was agreed in, with
    /// the date it was done and what was done. Of two completions at once one wins; the other
    /// is a conflict saying who completed it.
    pub async fn complete_supervision_action(
        &self,
        actor: &Actor,
        id: SupervisionActionId,
        input: &CompletionInput,
    ) -> Result<ActionView, AppError> {
        actor.may(Action::CompleteSupervisionAction)?;
        let authority = actor.authority;
        let action = self.load_supervision_action(actor, id).await?;
        authorize(
            actor,
            Action::CompleteSupervisionAction,
            &Resource::workers_own(authority, action.team, action.owner),
        )
        .require()?;
        if action.status != ActionStatus::Open {
            return Err(AppError::Conflict(what_changed(&action)));
        }
        let now = self.now();
        let mut checks = Checks::default();
        let completed_on = optional_date(&mut checks, "completed_on", &input.completed_on);
        let note = checks.text("note", &input.note, 2000);
        checks.finish()?;
        let problems = check_completion(completed_on, &note, action.agreed_on, london_date(now));
        if !problems.is_empty() {
            return Err(AppError::Invalid(
                problems
                    .iter()
                    .map(|p| FieldError::new(p.field(), p.to_string()))
                    .collect(),
            ));
        }
        let completed_on = completed_on.unwrap_or_else(|| london_date(now));
        let mut tx = self.store.begin().await?;
        if !store::complete(
            &mut tx,
            authority,
            id,
            actor.worker,
            now,
            completed_on,
            &note,
        )
        .await?
        {
            drop(tx);
            let current = self.load_supervision_action(actor, id).await?;
            return Err(AppError::Conflict(what_changed(&current)));
        }
        NewEvent::by(actor, now, "supervision_action_completed", id.0)
            .about(action.person)
            .with(json!({
                "supervision": action.supervision,
                "description": action.description,
                "owner_name": action.owner_name,
                "due_on": action.due_on,
                "completed_on": completed_on,
                "note": note,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        let current = self.load_supervision_action(actor, id).await?;
        self.action_views(actor, vec![current])
            .await?
            .pop()
            .ok_or(AppError::NotFound("The supervision action"))
    }
}
