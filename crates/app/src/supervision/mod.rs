//! Case supervision and drift: a team manager records a worker's supervision (the children
//! discussed, their risks reviewed, decisions, and actions each with an owner and a due date),
//! reviews every action still open from the worker's earlier supervisions (carried forward, or
//! closed with a reason), and the actions' owners complete them. Actions past due or carried
//! forward are drifting: the drift report shows them per worker and per team, and the child's
//! record shows the child's supervision history.
//!
//! Who may see what: a worker their own supervisions (and any action they own), a team
//! manager their team's, senior managers and quality assurance everyone's, partners nothing.

mod record;
mod report;

use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::ids::{SupervisionActionId, SupervisionId, WorkerId};
use frontdoor_domain::supervision::{drift, Drift};
use frontdoor_store::supervisions::{ActionsOf, SupervisionAction, SupervisionReview};
use serde::{Deserialize, Serialize};

pub use frontdoor_store::supervisions::{
    CaseloadChild, ChildDiscussion, Supervision, SupervisionSummary,
};
pub use report::{ChildSupervision, DriftCount, DriftReport, TeamDrift, WorkerDrift};

/// Rows of new actions a supervision form offers; blank rows are ignored.
pub const ACTION_ROWS: usize = 4;

/// A child on the form: discussed when ticked (or when anything is typed for them).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscussedChildInput {
    pub person_id: String,
    pub discussed: bool,
    pub risks_reviewed: String,
    pub decisions: String,
}

/// A new action: for which child discussed, what, who owns it and by when.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SupervisionActionInput {
    pub person_id: String,
    pub description: String,
    /// The owner's worker id.
    pub owner: String,
    /// 2026-03-27
    pub due_on: String,
}

/// What this supervision does with an action still open from an earlier one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionReviewInput {
    pub action_id: String,
    /// `carry_forward` or `close`.
    pub outcome: String,
    /// Why it is closed unfinished (required to close).
    pub reason: String,
    /// A new due date when carried forward (blank keeps the one it has).
    pub due_on: String,
}

/// A supervision as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SupervisionInput {
    /// The worker supervised (their id).
    pub worker: String,
    /// The London date it was held (2026-03-27).
    pub held_on: String,
    pub children: Vec<DiscussedChildInput>,
    pub actions: Vec<SupervisionActionInput>,
    /// One for each action still open from the worker's earlier supervisions, in the order
    /// [`App::prepare_supervision`] lists them.
    pub reviews: Vec<ActionReviewInput>,
}

/// Completing an action: the date it was done and what was done.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompletionInput {
    pub completed_on: String,
    pub note: String,
}

/// An action with whether (and why) it is drifting today.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    #[serde(flatten)]
    pub action: SupervisionAction,
    pub drift: Option<Drift>,
}

/// A supervision with its actions' drift.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionView {
    #[serde(flatten)]
    pub supervision: Supervision,
    pub action_drift: Vec<Option<Drift>>,
}

/// What a manager needs to record a worker's supervision: the children on their caseload, the
/// actions still open from earlier supervisions (each to carry forward or close), and who may
/// own an action.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionPreparation {
    pub worker: WorkerId,
    pub worker_name: String,
    pub last_held_on: Option<chrono::NaiveDate>,
    pub caseload: Vec<CaseloadChild>,
    pub open_actions: Vec<ActionView>,
    /// (worker id, name) of everyone who may own an action.
    pub owners: Vec<(WorkerId, String)>,
}

/// One action, with what later supervisions did with it and whether the asker may complete it.
#[derive(Debug, Clone, Serialize)]
pub struct ActionDetail {
    #[serde(flatten)]
    pub view: ActionView,
    pub reviews: Vec<SupervisionReview>,
    pub may_complete: bool,
}

impl App {
    async fn action_views(
        &self,
        actor: &Actor,
        actions: Vec<SupervisionAction>,
    ) -> Result<Vec<ActionView>, AppError> {
        let calendar = self.calendar_for(actor.authority).await?;
        let today = london_date(self.now());
        Ok(actions
            .into_iter()
            .map(|action| ActionView {
                drift: drift(
                    &calendar,
                    action.status,
                    action.due_on,
                    action.times_carried,
                    today,
                ),
                action,
            })
            .collect())
    }

    /// One supervision: its worker, their manager, or a senior manager (each child's record
    /// read is access-logged).
    pub async fn view_supervision(
        &self,
        actor: &Actor,
        id: SupervisionId,
    ) -> Result<SupervisionView, AppError> {
        actor.may(Action::ViewSupervision)?;
        let supervision = self
            .store
            .supervision(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        authorize(
            actor,
            Action::ViewSupervision,
            &Resource::workers_own(actor.authority, supervision.team, supervision.worker),
        )
        .require()?;
        let now = self.now();
        for child in &supervision.children {
            self.store
                .log_access(
                    actor.authority,
                    actor.worker,
                    child.person,
                    "supervision",
                    now,
                )
                .await?;
        }
        let actions = self
            .action_views(actor, supervision.actions.clone())
            .await?;
        Ok(SupervisionView {
            action_drift: actions.into_iter().map(|a| a.drift).collect(),
            supervision,
        })
    }

    /// Supervisions, most recent first: of `worker` when given (theirs, their manager's or a
    /// senior manager's to read); otherwise the asker's own, or for a manager their team's,
    /// for a senior manager or quality assurance everyone's.
    pub async fn supervisions(
        &self,
        actor: &Actor,
        worker: Option<WorkerId>,
    ) -> Result<Vec<SupervisionSummary>, AppError> {
        actor.may(Action::ViewSupervision)?;
        let authority = actor.authority;
        let (worker, team) = match worker {
            Some(id) => {
                let found = self
                    .store
                    .worker(authority, id)
                    .await
                    .map_err(|e| AppError::from(e).normalise())?;
                authorize(
                    actor,
                    Action::ViewSupervision,
                    &Resource::workers_own(authority, found.team, id),
                )
                .require()?;
                (Some(id), None)
            }
            None => match actor.role {
                frontdoor_domain::authorization::Role::TeamManager => match actor.team {
                    Some(team) => (None, Some(team)),
                    None => (Some(actor.worker), None),
                },
                frontdoor_domain::authorization::Role::SeniorManager
                | frontdoor_domain::authorization::Role::QualityAssuranceOfficer => (None, None),
                _ => (Some(actor.worker), None),
            },
        };
        Ok(self
            .store
            .supervisions(authority, worker, team, 200)
            .await?)
    }

    /// The open supervision actions the asker owns, due soonest first.
    pub async fn my_supervision_actions(&self, actor: &Actor) -> Result<Vec<ActionView>, AppError> {
        actor.may(Action::ViewSupervision)?;
        let actions = self
            .store
            .supervision_actions(actor.authority, ActionsOf::OpenOwnedBy(actor.worker))
            .await?;
        self.action_views(actor, actions).await
    }

    pub(crate) async fn load_supervision_action(
        &self,
        actor: &Actor,
        id: SupervisionActionId,
    ) -> Result<SupervisionAction, AppError> {
        self.store
            .supervision_action(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// One action: for its owner, or whoever may read the supervision that agreed it.
    pub async fn supervision_action(
        &self,
        actor: &Actor,
        id: SupervisionActionId,
    ) -> Result<ActionDetail, AppError> {
        actor.may(Action::ViewSupervision)?;
        let action = self.load_supervision_action(actor, id).await?;
        if action.owner != actor.worker {
            authorize(
                actor,
                Action::ViewSupervision,
                &Resource::workers_own(actor.authority, action.team, action.supervised_worker),
            )
            .require()?;
        }
        let may_complete = authorize(
            actor,
            Action::CompleteSupervisionAction,
            &Resource::workers_own(actor.authority, action.team, action.owner),
        )
        .is_allowed();
        let reviews = self.store.reviews_of_action(actor.authority, id).await?;
        let view = self
            .action_views(actor, vec![action])
            .await?
            .pop()
            .ok_or(AppError::NotFound("The supervision action"))?;
        Ok(ActionDetail {
            view,
            reviews,
            may_complete,
        })
    }
}
