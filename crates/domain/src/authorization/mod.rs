//! Who may do what: one policy, `authorize(actor, action, resource)`, called by every use case.
//!
//! Three scopes are checked, in order:
//! 1. authority — nobody acts on another authority's records (a regional database holds many);
//! 2. role — what the worker's job allows ([`Role::allows`]);
//! 3. the resource's own rules — the team that owns a contact, the partner organisation that
//!    made a referral, and that nobody authorises their own recommendation.

mod action;
mod role;

pub use action::Action;
pub use role::Role;

use crate::ids::{AuthorityId, OrganisationId, TeamId, WorkerId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The worker asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub worker: WorkerId,
    pub authority: AuthorityId,
    pub organisation: OrganisationId,
    pub team: Option<TeamId>,
    pub role: Role,
}

/// What the action is taken on, as far as the policy needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resource {
    pub authority: Option<AuthorityId>,
    /// The team that owns the record (a contact's allocated front-door team).
    pub team: Option<TeamId>,
    /// The partner organisation that made the contact, when a partner recorded it.
    pub made_by_organisation: Option<OrganisationId>,
    /// Who recommended the decision under review (or recorded the record being signed off).
    pub recommended_by: Option<WorkerId>,
    /// The partner organisation an information request is addressed to.
    pub addressed_to: Option<OrganisationId>,
    /// The worker whose own record it is: the worker supervised, the owner of an action.
    pub worker: Option<WorkerId>,
}

impl Resource {
    /// The authority as a whole (e.g. its queue, its people, its workers).
    pub fn authority(authority: AuthorityId) -> Self {
        Self {
            authority: Some(authority),
            ..Self::default()
        }
    }
    /// A contact, owned by a team, perhaps made by a partner organisation.
    pub fn contact(
        authority: AuthorityId,
        team: Option<TeamId>,
        made_by_organisation: Option<OrganisationId>,
    ) -> Self {
        Self {
            authority: Some(authority),
            team,
            made_by_organisation,
            ..Self::default()
        }
    }
    /// An information request addressed to a partner organisation.
    pub fn information_request(authority: AuthorityId, addressed_to: OrganisationId) -> Self {
        Self {
            authority: Some(authority),
            addressed_to: Some(addressed_to),
            ..Self::default()
        }
    }
    /// A recommended decision on a contact.
    pub fn decision(
        authority: AuthorityId,
        team: Option<TeamId>,
        recommended_by: WorkerId,
    ) -> Self {
        Self {
            authority: Some(authority),
            team,
            recommended_by: Some(recommended_by),
            ..Self::default()
        }
    }
}

impl Resource {
    /// A record a manager signs off (a strategy discussion), owned by a team, written up by
    /// `recorded_by`.
    pub fn record_for_sign_off(
        authority: AuthorityId,
        team: Option<TeamId>,
        recorded_by: Option<WorkerId>,
    ) -> Self {
        Self {
            authority: Some(authority),
            team,
            recommended_by: recorded_by,
            ..Self::default()
        }
    }
}

impl Resource {
    /// A worker's own record (their supervision, an action they own), in their `team`.
    pub fn workers_own(authority: AuthorityId, team: Option<TeamId>, worker: WorkerId) -> Self {
        Self {
            authority: Some(authority),
            team,
            worker: Some(worker),
            ..Self::default()
        }
    }
    /// A team's records as a whole (its drift report).
    pub fn team(authority: AuthorityId, team: Option<TeamId>) -> Self {
        Self {
            authority: Some(authority),
            team,
            ..Self::default()
        }
    }
}

/// Why the policy said no. Each reason is a sentence the worker can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DenialReason {
    OtherAuthority,
    RoleNotPermitted,
    OtherTeam,
    OtherOrganisation,
    OwnRecommendation,
    OwnRecord,
    OwnSupervision,
    OtherWorker,
    /// The family's consent to share (or a manager's safeguarding reason) does not cover the
    /// partner's agency for this.
    NotSharedWithAgency,
}

impl DenialReason {
    pub fn message(self) -> &'static str {
        match self {
            DenialReason::OtherAuthority => "This record belongs to another local authority.",
            DenialReason::RoleNotPermitted => {
                "Your role does not allow this. Ask your manager if you need it."
            }
            DenialReason::OtherTeam => {
                "This contact belongs to another team. Ask that team's manager, or have it reallocated."
            }
            DenialReason::OtherOrganisation => {
                "This referral was made by another organisation, so you cannot see it."
            }
            DenialReason::OwnRecommendation => {
                "You recommended this decision, so another manager must authorise it."
            }
            DenialReason::OwnRecord => {
                "You wrote this record up, so another manager must sign it off."
            }
            DenialReason::OwnSupervision => {
                "You cannot record your own supervision: your manager records it."
            }
            DenialReason::OtherWorker => {
                "This is another worker's: only they and their team's manager may do this."
            }
            DenialReason::NotSharedWithAgency => {
                "The family's consent to share does not cover your organisation for this, and no manager has recorded a safeguarding reason to share it: ask the early help coordinator."
            }
        }
    }
}

impl fmt::Display for DenialReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorization {
    Allowed,
    Denied(DenialReason),
}

impl Authorization {
    pub fn is_allowed(self) -> bool {
        self == Authorization::Allowed
    }
    /// `Ok(())` when allowed, so use cases can write `authorize(..).require()?`.
    pub fn require(self) -> Result<(), DenialReason> {
        match self {
            Authorization::Allowed => Ok(()),
            Authorization::Denied(reason) => Err(reason),
        }
    }
}

impl Actor {
    /// May the actor do `action` on their own authority's records in general (no particular
    /// team or organisation)? The check use cases make before reading or writing such records.
    pub fn may(&self, action: Action) -> Result<(), DenialReason> {
        authorize(self, action, &Resource::authority(self.authority)).require()
    }
}

/// The one authorization policy.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource) -> Authorization {
    use Authorization::*;
    if resource.authority.is_some_and(|a| a != actor.authority) {
        return Denied(DenialReason::OtherAuthority);
    }
    if !actor.role.allows(action) {
        return Denied(DenialReason::RoleNotPermitted);
    }
    if action == Action::FollowOwnReferral
        && resource.made_by_organisation != Some(actor.organisation)
    {
        return Denied(DenialReason::OtherOrganisation);
    }
    if action.is_addressee_scoped() && resource.addressed_to != Some(actor.organisation) {
        return Denied(DenialReason::OtherOrganisation);
    }
    if action.is_team_scoped() {
        if let (Some(owner), Some(mine)) = (resource.team, actor.team) {
            // Out-of-hours workers act for every team while the offices are closed.
            if owner != mine && actor.role != Role::OutOfHoursWorker {
                return Denied(DenialReason::OtherTeam);
            }
        } else if resource.team.is_some()
            && actor.team.is_none()
            && actor.role != Role::OutOfHoursWorker
        {
            return Denied(DenialReason::OtherTeam);
        }
    }
    if action == Action::AuthoriseDecision && resource.recommended_by == Some(actor.worker) {
        return Denied(DenialReason::OwnRecommendation);
    }
    if matches!(
        action,
        Action::SignOffStrategyDiscussion | Action::SignOffSafetyPlan | Action::AuthoriseAssessment
    ) && resource.recommended_by == Some(actor.worker)
    {
        return Denied(DenialReason::OwnRecord);
    }
    if action == Action::RecordSupervision {
        if resource.worker == Some(actor.worker) {
            return Denied(DenialReason::OwnSupervision);
        }
        // A worker in no team is supervised by no team manager here.
        if resource.worker.is_some() && (resource.team.is_none() || resource.team != actor.team) {
            return Denied(DenialReason::OtherTeam);
        }
    }
    if action.is_worker_scoped() && resource.worker.is_some_and(|w| w != actor.worker) {
        let reads_all = action == Action::ViewSupervision
            && matches!(
                actor.role,
                Role::SeniorManager | Role::QualityAssuranceOfficer
            );
        let their_manager =
            actor.role == Role::TeamManager && actor.team.is_some() && resource.team == actor.team;
        if !reads_all && !their_manager {
            return Denied(if actor.role == Role::TeamManager {
                DenialReason::OtherTeam
            } else {
                DenialReason::OtherWorker
            });
        }
    }
    // The partner portal's early help: only the lead professional the episode names.
    if action == Action::LeadEarlyHelpAssessment
        && resource.worker.is_some_and(|w| w != actor.worker)
    {
        return Denied(DenialReason::OtherWorker);
    }
    // A team manager's drift report is their own team's (senior managers and quality
    // assurance read any team's).
    if action == Action::ViewDriftReport
        && actor.role == Role::TeamManager
        && resource.team.is_some()
        && resource.team != actor.team
    {
        return Denied(DenialReason::OtherTeam);
    }
    Allowed
}
