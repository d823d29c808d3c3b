//! The authorization policy as a table: every role × every action, and the resource rules.

use frontdoor_domain::authorization::{
    authorize, Action, Actor, Authorization, DenialReason, Resource, Role,
};
use frontdoor_domain::ids::{AuthorityId, OrganisationId, TeamId, WorkerId};

/// The expected role matrix, written out in full so a change to the policy must change this.
/// Columns follow `Action::ALL`:
/// RecordContact ViewContact ViewContactQueue SearchPeople CreatePerson EditPerson
/// LinkPersonToContact ViewChildRecord RecommendDecision AuthoriseDecision ReturnDecision
/// RecordEmergencyAction ViewDuplicates MergePeople ImportPeople ViewPerformance ViewAuditTrail
/// ManageWorkers ManageOrganisations ManageThresholdFramework FollowOwnReferral
/// | RequestInformation ViewInformationRequests WithdrawInformationRequest
/// ViewAddressedInformationRequests AnswerInformationRequest ManageInformationRequestTimescales
/// ViewNotifications | RecordTriageMeeting | RecordStrategyDiscussion SignOffStrategyDiscussion
/// RecordSection47Enquiry RecordConference RecordProtectionPlan UpdateEpisode CloseEpisode
/// ViewWorkDue | ViewWorkloads OverrideAsyeCaseload ManageWorkloadRules | RecordSafetyPlan
/// SignOffSafetyPlan RecordDashAssessment | RecordSupervision ViewSupervision
/// CompleteSupervisionAction ViewDriftReport | RecordCseScreening ViewRiskManagementGroup
/// RecordCseReview | ManageThresholdPrompts ViewThresholdPromptDepartures | RecordAssessment
/// AuthoriseAssessment ViewAssessmentReports | ViewEarlyHelp RecordEarlyHelp
/// RecordSafeguardingOverride StepUpEarlyHelp StepDownToEarlyHelp LeadEarlyHelpAssessment |
/// ProduceStatutoryReturns | ConductCaseAudits ManageAuditTools TakePartInMultiAgencyAudit
const MATRIX: &[(Role, &str)] = &[
    (
        Role::ContactOfficer,
        "YYYYYYYY.............YYY...Y......... ... ... .YY. ... .. ... ...... . ...",
    ),
    (
        Role::MashSocialWorker,
        "YYYYYYYYY..YY........YYY...YYY.YYYY.Y ... Y.Y .YY. Y.. .. Y.. Y..... . ...",
    ),
    (
        Role::TeamManager,
        "YYYYYYYYYYYYYY.Y.....YYY...YYYYYYYYYY YY. YYY YYYY YYY .Y YYY YYYYY. . Y..",
    ),
    (
        Role::EarlyHelpCoordinator,
        "YYYY...Y.............YYY...Y......... ... ... .YY. ... .. ... YY.Y.. . ...",
    ),
    (
        Role::PartnerPractitioner,
        "Y...................Y...YY.Y......... ... ... .... ... .. ... .....Y . ..Y",
    ),
    (
        Role::OutOfHoursWorker,
        "YYYYYYYYY..YY........YYY...YYY.Y..Y.Y ... Y.Y .YY. Y.. .. ... Y..... . ...",
    ),
    (
        Role::QualityAssuranceOfficer,
        ".YYY...Y....Y..YY.....Y....Y........Y ... ... .Y.Y .Y. .Y ..Y Y..... Y YY.",
    ),
    (
        Role::SeniorManager,
        ".YY....Y.......Y......Y....Y........Y Y.. ... .Y.Y .Y. .Y ..Y Y..... Y Y..",
    ),
    (
        Role::Administrator,
        "..............Y.YYYY......YY......... ..Y ... .... ... Y. ... ...... . .Y.",
    ),
];

/// A row without the spaces that group its columns.
fn columns(row: &str) -> Vec<char> {
    row.chars().filter(|c| *c != ' ').collect()
}

struct World {
    authority: AuthorityId,
    team: TeamId,
    organisation: OrganisationId,
}

fn world() -> World {
    World {
        authority: AuthorityId::new(),
        team: TeamId::new(),
        organisation: OrganisationId::new(),
    }
}

fn actor(world: &World, role: Role) -> Actor {
    Actor {
        worker: WorkerId::new(),
        authority: world.authority,
        organisation: world.organisation,
        team: Some(world.team),
        role,
    }
}

/// A resource in the actor's own authority, team and organisation, recommended by someone else.
fn own_resource(world: &World) -> Resource {
    Resource {
        authority: Some(world.authority),
        team: Some(world.team),
        made_by_organisation: Some(world.organisation),
        recommended_by: Some(WorkerId::new()),
        addressed_to: Some(world.organisation),
        worker: None,
    }
}

#[test]
fn the_matrix_covers_every_role_and_every_action() {
    assert_eq!(MATRIX.len(), Role::ALL.len());
    for role in Role::ALL {
        let row = MATRIX.iter().find(|(r, _)| *r == role).map(|(_, row)| *row);
        let row = row.unwrap_or_else(|| panic!("no row for {role:?}"));
        assert_eq!(
            columns(row).len(),
            Action::ALL.len(),
            "row for {role:?} has the wrong length"
        );
    }
}

#[test]
fn role_matrix() {
    let world = world();
    let resource = own_resource(&world);
    let mut failures = Vec::new();
    for (role, row) in MATRIX {
        let who = actor(&world, *role);
        for (action, expected) in Action::ALL.iter().zip(columns(row)) {
            let got = authorize(&who, *action, &resource);
            let want = if expected == 'Y' {
                Authorization::Allowed
            } else {
                Authorization::Denied(DenialReason::RoleNotPermitted)
            };
            if got != want {
                failures.push(format!(
                    "{role:?} {action:?}: expected {want:?}, got {got:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nobody_crosses_into_another_authority() {
    let world = world();
    let elsewhere = Resource {
        authority: Some(AuthorityId::new()),
        ..own_resource(&world)
    };
    for role in Role::ALL {
        for action in Action::ALL {
            assert_eq!(
                authorize(&actor(&world, role), action, &elsewhere),
                Authorization::Denied(DenialReason::OtherAuthority),
                "{role:?} {action:?}"
            );
        }
    }
}

#[test]
fn team_scoped_actions_need_the_owning_team() {
    let world = world();
    let other_team = Resource {
        team: Some(TeamId::new()),
        ..own_resource(&world)
    };
    for role in [Role::MashSocialWorker, Role::TeamManager] {
        for action in [
            Action::RecommendDecision,
            Action::AuthoriseDecision,
            Action::ReturnDecision,
        ] {
            let who = actor(&world, role);
            if !role.allows(action) {
                continue;
            }
            assert_eq!(
                authorize(&who, action, &other_team),
                Authorization::Denied(DenialReason::OtherTeam),
                "{role:?} {action:?}"
            );
        }
    }
    // A worker with no team cannot act on a team's contact either.
    let teamless = Actor {
        team: None,
        ..actor(&world, Role::TeamManager)
    };
    assert_eq!(
        authorize(&teamless, Action::AuthoriseDecision, &own_resource(&world)),
        Authorization::Denied(DenialReason::OtherTeam)
    );
    // Out of hours, the emergency duty worker acts for every team.
    let edt = actor(&world, Role::OutOfHoursWorker);
    assert!(authorize(&edt, Action::RecommendDecision, &other_team).is_allowed());
    // Team scoping does not limit reading.
    let worker = actor(&world, Role::MashSocialWorker);
    assert!(authorize(&worker, Action::ViewContact, &other_team).is_allowed());
}

#[test]
fn nobody_authorises_their_own_recommendation() {
    let world = world();
    let manager = actor(&world, Role::TeamManager);
    let own = Resource::decision(world.authority, Some(world.team), manager.worker);
    assert_eq!(
        authorize(&manager, Action::AuthoriseDecision, &own),
        Authorization::Denied(DenialReason::OwnRecommendation)
    );
    let someone_elses = Resource::decision(world.authority, Some(world.team), WorkerId::new());
    assert!(authorize(&manager, Action::AuthoriseDecision, &someone_elses).is_allowed());
    // A social worker is refused for their role before anything else.
    let worker = actor(&world, Role::MashSocialWorker);
    let theirs = Resource::decision(world.authority, Some(world.team), worker.worker);
    assert_eq!(
        authorize(&worker, Action::AuthoriseDecision, &theirs),
        Authorization::Denied(DenialReason::RoleNotPermitted)
    );
}

#[test]
fn partners_see_only_their_own_organisations_referrals() {
    let world = world();
    let partner = actor(&world, Role::PartnerPractitioner);
    let theirs = Resource::contact(world.authority, Some(world.team), Some(world.organisation));
    let others = Resource::contact(
        world.authority,
        Some(world.team),
        Some(OrganisationId::new()),
    );
    let public = Resource::contact(world.authority, Some(world.team), None);
    assert!(authorize(&partner, Action::FollowOwnReferral, &theirs).is_allowed());
    assert_eq!(
        authorize(&partner, Action::FollowOwnReferral, &others),
        Authorization::Denied(DenialReason::OtherOrganisation)
    );
    assert_eq!(
        authorize(&partner, Action::FollowOwnReferral, &public),
        Authorization::Denied(DenialReason::OtherOrganisation)
    );
    // Not the authority's working record of the contact, even for their own referral: no
    // rationale, no internal notes, no worker names.
    for action in [
        Action::ViewContact,
        Action::SearchPeople,
        Action::ViewChildRecord,
        Action::ViewContactQueue,
    ] {
        assert_eq!(
            authorize(&partner, action, &theirs),
            Authorization::Denied(DenialReason::RoleNotPermitted)
        );
    }
}

#[test]
fn front_door_roles_need_a_team_and_partners_an_organisation() {
    let with_team: Vec<Role> = Role::ALL.into_iter().filter(|r| r.needs_team()).collect();
    assert_eq!(
        with_team,
        vec![
            Role::ContactOfficer,
            Role::MashSocialWorker,
            Role::TeamManager
        ]
    );
    let partners: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| r.belongs_to_partner())
        .collect();
    assert_eq!(partners, vec![Role::PartnerPractitioner]);
}

#[test]
fn only_administrators_manage_accounts_organisations_and_the_framework() {
    let world = world();
    let authority = Resource::authority(world.authority);
    for action in [
        Action::ManageWorkers,
        Action::ManageOrganisations,
        Action::ManageThresholdFramework,
    ] {
        for role in Role::ALL {
            let got = authorize(&actor(&world, role), action, &authority);
            if role == Role::Administrator {
                assert!(got.is_allowed(), "{role:?} {action:?}");
            } else {
                assert_eq!(
                    got,
                    Authorization::Denied(DenialReason::RoleNotPermitted),
                    "{role:?} {action:?}"
                );
            }
        }
    }
}

#[test]
fn partners_see_and_answer_only_requests_to_their_own_organisation() {
    let world = world();
    let partner = actor(&world, Role::PartnerPractitioner);
    let theirs = Resource::information_request(world.authority, world.organisation);
    let others = Resource::information_request(world.authority, OrganisationId::new());
    for action in [
        Action::ViewAddressedInformationRequests,
        Action::AnswerInformationRequest,
    ] {
        assert!(authorize(&partner, action, &theirs).is_allowed());
        assert_eq!(
            authorize(&partner, action, &others),
            Authorization::Denied(DenialReason::OtherOrganisation)
        );
    }
    // Nor the authority's side of the request: the list on the contact, other answers.
    for action in [
        Action::ViewInformationRequests,
        Action::RequestInformation,
        Action::WithdrawInformationRequest,
        Action::ViewChildRecord,
    ] {
        assert_eq!(
            authorize(&partner, action, &theirs),
            Authorization::Denied(DenialReason::RoleNotPermitted)
        );
    }
    // A worker of the authority cannot answer on a partner's behalf.
    let worker = actor(&world, Role::MashSocialWorker);
    assert_eq!(
        authorize(&worker, Action::AnswerInformationRequest, &theirs),
        Authorization::Denied(DenialReason::RoleNotPermitted)
    );
}

#[test]
fn strategy_discussions_are_signed_off_by_another_manager_of_the_team() {
    let world = world();
    let manager = actor(&world, Role::TeamManager);
    let own =
        Resource::record_for_sign_off(world.authority, Some(world.team), Some(manager.worker));
    assert_eq!(
        authorize(&manager, Action::SignOffStrategyDiscussion, &own),
        Authorization::Denied(DenialReason::OwnRecord)
    );
    let others =
        Resource::record_for_sign_off(world.authority, Some(world.team), Some(WorkerId::new()));
    assert!(authorize(&manager, Action::SignOffStrategyDiscussion, &others).is_allowed());
    let other_team = Resource::record_for_sign_off(world.authority, Some(TeamId::new()), None);
    assert_eq!(
        authorize(&manager, Action::SignOffStrategyDiscussion, &other_team),
        Authorization::Denied(DenialReason::OtherTeam)
    );
    for role in [
        Role::MashSocialWorker,
        Role::OutOfHoursWorker,
        Role::PartnerPractitioner,
    ] {
        assert_eq!(
            authorize(
                &actor(&world, role),
                Action::SignOffStrategyDiscussion,
                &others
            ),
            Authorization::Denied(DenialReason::RoleNotPermitted),
            "{role:?}"
        );
    }
}

#[test]
fn assessments_are_authorised_by_a_manager_of_the_team_who_did_not_submit_them() {
    let world = world();
    let manager = actor(&world, Role::TeamManager);
    let own =
        Resource::record_for_sign_off(world.authority, Some(world.team), Some(manager.worker));
    assert_eq!(
        authorize(&manager, Action::AuthoriseAssessment, &own),
        Authorization::Denied(DenialReason::OwnRecord)
    );
    let others =
        Resource::record_for_sign_off(world.authority, Some(world.team), Some(WorkerId::new()));
    assert!(authorize(&manager, Action::AuthoriseAssessment, &others).is_allowed());
    let other_team =
        Resource::record_for_sign_off(world.authority, Some(TeamId::new()), Some(WorkerId::new()));
    assert_eq!(
        authorize(&manager, Action::AuthoriseAssessment, &other_team),
        Authorization::Denied(DenialReason::OtherTeam)
    );
    let worker = actor(&world, Role::MashSocialWorker);
    assert!(authorize(&worker, Action::RecordAssessment, &others).is_allowed());
    assert_eq!(
        authorize(&worker, Action::AuthoriseAssessment, &others),
        Authorization::Denied(DenialReason::RoleNotPermitted)
    );
}

#[test]
fn safety_plans_are_signed_off_by_a_manager_who_did_not_write_them() {
    let world = world();
    let manager = actor(&world, Role::TeamManager);
    let own = Resource::record_for_sign_off(world.authority, None, Some(manager.worker));
    assert_eq!(
        authorize(&manager, Action::SignOffSafetyPlan, &own),
        Authorization::Denied(DenialReason::OwnRecord)
    );
    // A child's plan follows the child, not a front-door team: any manager of the authority
    // who did not write it may sign it off.
    let others = Resource::record_for_sign_off(world.authority, Some(TeamId::new()), None);
    assert!(authorize(&manager, Action::SignOffSafetyPlan, &others).is_allowed());
    for role in [Role::MashSocialWorker, Role::OutOfHoursWorker] {
        let who = actor(&world, role);
        assert!(authorize(&who, Action::RecordSafetyPlan, &others).is_allowed());
        assert_eq!(
            authorize(&who, Action::SignOffSafetyPlan, &others),
            Authorization::Denied(DenialReason::RoleNotPermitted),
            "{role:?}"
        );
    }
}

#[test]
fn a_manager_records_supervision_of_their_own_team_only_and_never_their_own() {
    let world = world();
    let manager = actor(&world, Role::TeamManager);
    let worker = actor(&world, Role::MashSocialWorker);
    let theirs = Resource::workers_own(world.authority, Some(world.team), worker.worker);
    assert!(authorize(&manager, Action::RecordSupervision, &theirs).is_allowed());
    let own = Resource::workers_own(world.authority, Some(world.team), manager.worker);
    assert_eq!(
        authorize(&manager, Action::RecordSupervision, &own),
        Authorization::Denied(DenialReason::OwnSupervision)
    );
    for elsewhere in [Some(TeamId::new()), None] {
        let resource = Resource::workers_own(world.authority, elsewhere, WorkerId::new());
        assert_eq!(
            authorize(&manager, Action::RecordSupervision, &resource),
            Authorization::Denied(DenialReason::OtherTeam),
            "{elsewhere:?}"
        );
    }
    for role in Role::ALL.into_iter().filter(|r| *r != Role::TeamManager) {
        assert_eq!(
            authorize(&actor(&world, role), Action::RecordSupervision, &theirs),
            Authorization::Denied(DenialReason::RoleNotPermitted),
            "{role:?}"
        );
    }
}

#[test]
fn a_supervision_is_read_by_its_worker_their_manager_and_senior_managers_never_partners() {
    let world = world();
    let worker = actor(&world, Role::MashSocialWorker);
    let own = Resource::workers_own(world.authority, Some(world.team), worker.worker);
    let colleagues = Resource::workers_own(world.authority, Some(world.team), WorkerId::new());
    let other_teams = Resource::workers_own(world.authority, Some(TeamId::new()), WorkerId::new());
    let read = |role: Role, resource: &Resource| {
        let who = if role == Role::MashSocialWorker {
            worker.clone()
        } else {
            actor(&world, role)
        };
        authorize(&who, Action::ViewSupervision, resource)
    };
    assert!(read(Role::MashSocialWorker, &own).is_allowed());
    assert_eq!(
        read(Role::MashSocialWorker, &colleagues),
        Authorization::Denied(DenialReason::OtherWorker)
    );
    assert!(read(Role::TeamManager, &colleagues).is_allowed());
    assert_eq!(
        read(Role::TeamManager, &other_teams),
        Authorization::Denied(DenialReason::OtherTeam)
    );
    for role in [Role::SeniorManager, Role::QualityAssuranceOfficer] {
        assert!(read(role, &other_teams).is_allowed(), "{role:?}");
    }
    for role in [Role::PartnerPractitioner, Role::Administrator] {
        assert_eq!(
            read(role, &own),
            Authorization::Denied(DenialReason::RoleNotPermitted),
            "{role:?}"
        );
    }
}

#[test]
fn a_supervision_action_is_completed_by_its_owner_or_the_teams_manager() {
    let world = world();
    let owner = actor(&world, Role::MashSocialWorker);
    let action = Resource::workers_own(world.authority, Some(world.team), owner.worker);
    assert!(authorize(&owner, Action::CompleteSupervisionAction, &action).is_allowed());
    assert_eq!(
        authorize(
            &actor(&world, Role::MashSocialWorker),
            Action::CompleteSupervisionAction,
            &action
        ),
        Authorization::Denied(DenialReason::OtherWorker)
    );
    assert!(authorize(
        &actor(&world, Role::TeamManager),
        Action::CompleteSupervisionAction,
        &action
    )
    .is_allowed());
    let other_team = Resource::workers_own(world.authority, Some(TeamId::new()), owner.worker);
    assert_eq!(
        authorize(
            &actor(&world, Role::TeamManager),
            Action::CompleteSupervisionAction,
            &other_team
        ),
        Authorization::Denied(DenialReason::OtherTeam)
    );
    // Reading everything is not completing anything.
    assert_eq!(
        authorize(
            &actor(&world, Role::SeniorManager),
            Action::CompleteSupervisionAction,
            &action
        ),
        Authorization::Denied(DenialReason::RoleNotPermitted)
    );
}

#[test]
fn a_team_managers_drift_report_is_their_own_teams() {
    let world = world();
    let own = Resource::team(world.authority, Some(world.team));
    let other = Resource::team(world.authority, Some(TeamId::new()));
    let manager = actor(&world, Role::TeamManager);
    assert!(authorize(&manager, Action::ViewDriftReport, &own).is_allowed());
    assert_eq!(
        authorize(&manager, Action::ViewDriftReport, &other),
        Authorization::Denied(DenialReason::OtherTeam)
    );
    for role in [Role::SeniorManager, Role::QualityAssuranceOfficer] {
        let who = Actor {
            team: None,
            ..actor(&world, role)
        };
        assert!(
            authorize(&who, Action::ViewDriftReport, &other).is_allowed(),
            "{role:?}"
        );
    }
    assert_eq!(
        authorize(
            &actor(&world, Role::MashSocialWorker),
            Action::ViewDriftReport,
            &own
        ),
        Authorization::Denied(DenialReason::RoleNotPermitted)
    );
}

#[test]
fn only_the_lead_professional_records_an_early_help_assessment_through_the_portal() {
    let world = world();
    let partner = actor(&world, Role::PartnerPractitioner);
    let theirs = Resource::workers_own(world.authority, None, partner.worker);
    let someone_elses = Resource::workers_own(world.authority, None, WorkerId::new());
    assert!(authorize(&partner, Action::LeadEarlyHelpAssessment, &theirs).is_allowed());
    assert_eq!(
        authorize(&partner, Action::LeadEarlyHelpAssessment, &someone_elses),
        Authorization::Denied(DenialReason::OtherWorker)
    );
    // Partners never read the authority's early help record itself, nor override consent.
    for action in [
        Action::ViewEarlyHelp,
        Action::RecordEarlyHelp,
        Action::RecordSafeguardingOverride,
        Action::StepUpEarlyHelp,
    ] {
        assert_eq!(
            authorize(&partner, action, &theirs),
            Authorization::Denied(DenialReason::RoleNotPermitted),
            "{action:?}"
        );
    }
    // The safeguarding override is a manager's, never the coordinator's.
    let coordinator = actor(&world, Role::EarlyHelpCoordinator);
    assert_eq!(
        authorize(
            &coordinator,
            Action::RecordSafeguardingOverride,
            &Resource::authority(world.authority)
        ),
        Authorization::Denied(DenialReason::RoleNotPermitted)
    );
}
