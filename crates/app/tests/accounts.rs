//! Administration on every backend: deactivating and reactivating workers (their sessions end
//! at once), resetting passwords, ending sessions, changing role or team, the rules that keep
//! an administrator and a team for front-door roles, partner organisations and teams, and
//! threshold framework versions recorded on decisions.

use chrono::{TimeZone, Utc};
use frontdoor_app::records::{OrganisationKind, Referrer, Store};
use frontdoor_app::{
    ActingAs, App, AppError, ContactInput, LinkTarget, NewAuthority, NewOrganisation, NewTeam,
    NewWorker, PlacementInput, RecommendationInput, Settings, SubjectInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::decision::{LevelOfNeed, ThresholdFramework};
use frontdoor_domain::ids::{AuthorityId, OrganisationId, TeamId};
use frontdoor_store::testing::all_backends;
use std::sync::Arc;

const PASSWORD: &str = "a long enough password";
const NEW_PASSWORD: &str = "a brand new long password";

struct World {
    app: App,
    authority: AuthorityId,
    team: TeamId,
    police: OrganisationId,
    worker: Actor,
    partner: Actor,
    admin: Actor,
}

impl World {
    fn as_admin(&self) -> ActingAs {
        ActingAs::Worker(self.admin.clone())
    }
    fn as_operator(&self) -> ActingAs {
        ActingAs::Operator {
            authority: self.authority,
        }
    }
}

async fn world(store: Store) -> World {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
            .single()
            .expect("instant"),
    ));
    let app = App::new(store, clock, Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "adminshire".into(),
            name: "Adminshire Council".into(),
            front_door_teams: vec!["MASH A".into(), "MASH B".into()],
            other_teams: vec![],
            partners: vec![("Adminshire Police".into(), OrganisationKind::Police)],
        })
        .await
        .expect("authority");
    let team = app.store.teams(authority).await.expect("teams")[0].id;
    let police = app
        .store
        .organisations(authority)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.kind == OrganisationKind::Police)
        .map(|o| o.id)
        .expect("police");
    let add = |username: &'static str, role: Role, team: Option<TeamId>, organisation| {
        let app = app.clone();
        async move {
            app.add_worker_as_operator(&NewWorker {
                authority,
                username: username.into(),
                display_name: username.into(),
                role,
                team,
                organisation,
                asye: false,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor()
        }
    };
    World {
        worker: add("worker", Role::MashSocialWorker, Some(team), None).await,
        partner: add("partner", Role::PartnerPractitioner, None, Some(police)).await,
        admin: add("admin", Role::Administrator, None, None).await,
        app,
        authority,
        team,
        police,
    }
}

fn conflict(result: Result<impl std::fmt::Debug, AppError>, expected: &str) {
    match result {
        Err(AppError::Conflict(message)) => {
            assert!(message.contains(expected), "{message}")
        }
        other => panic!("expected a conflict containing '{expected}', got {other:?}"),
    }
}

fn invalid(result: Result<impl std::fmt::Debug, AppError>, field: &str, expected: &str) {
    match result {
        Err(AppError::Invalid(errors)) => assert!(
            errors
                .iter()
                .any(|e| e.field == field && e.message.contains(expected)),
            "{errors:?}"
        ),
        other => panic!("expected an error on {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn deactivation_ends_sessions_at_once_and_keeps_an_administrator() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let session = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        assert!(w
            .app
            .session(&session.token)
            .await
            .expect("session")
            .is_some());

        let done = w
            .app
            .deactivate_worker(&w.as_admin(), w.worker.worker)
            .await
            .expect("deactivate");
        assert!(!done.active);
        assert!(
            w.app
                .session(&session.token)
                .await
                .expect("session")
                .is_none(),
            "the live session ends at once"
        );
        assert!(matches!(
            w.app.sign_in("worker", PASSWORD, "10.0.0.1").await,
            Err(AppError::SignIn(_))
        ));
        conflict(
            w.app
                .deactivate_worker(&w.as_admin(), w.worker.worker)
                .await,
            "already deactivated",
        );
        let events = w
            .app
            .administration_history(&w.as_admin(), w.worker.worker.0)
            .await
            .expect("history");
        assert_eq!(
            events
                .iter()
                .filter(|e| e.kind == "worker_deactivated")
                .count(),
            1,
            "a refused second deactivation writes no event"
        );
        assert_eq!(
            events.last().map(|e| e.payload["sessions_ended"].clone()),
            Some(serde_json::json!(1))
        );

        w.app
            .reactivate_worker(&w.as_operator(), w.worker.worker)
            .await
            .expect("reactivate");
        conflict(
            w.app
                .reactivate_worker(&w.as_admin(), w.worker.worker)
                .await,
            "already active",
        );
        w.app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("signs in again");

        // Never oneself, never the last active administrator.
        conflict(
            w.app.deactivate_worker(&w.as_admin(), w.admin.worker).await,
            "your own account",
        );
        conflict(
            w.app
                .deactivate_worker(&w.as_operator(), w.admin.worker)
                .await,
            "last active administrator",
        );
        conflict(
            w.app
                .change_worker(
                    &w.as_operator(),
                    w.admin.worker,
                    &PlacementInput {
                        role: Role::MashSocialWorker,
                        team: Some(w.team),
                        organisation: None,
                    },
                )
                .await,
            "last active administrator",
        );
        // Only administrators.
        assert!(matches!(
            w.app
                .deactivate_worker(&ActingAs::Worker(w.worker.clone()), w.partner.worker)
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert!(w
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact());
        db.remove().await;
    }
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_is_audited_without_the_password() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let first = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        let second = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.2")
            .await
            .expect("sign in");
        invalid(
            w.app
                .reset_password(&w.as_admin(), w.worker.worker, "short")
                .await,
            "password",
            "at least 12",
        );
        w.app
            .reset_password(&w.as_admin(), w.worker.worker, NEW_PASSWORD)
            .await
            .expect("reset");
        for token in [&first.token, &second.token] {
            assert!(w.app.session(token).await.expect("session").is_none());
        }
        assert!(w.app.sign_in("worker", PASSWORD, "10.0.0.1").await.is_err());
        w.app
            .sign_in("worker", NEW_PASSWORD, "10.0.0.1")
            .await
            .expect("the new password works");

        let live = w
            .app
            .sign_in("worker", NEW_PASSWORD, "10.0.0.3")
            .await
            .expect("sign in");
        assert_eq!(
            w.app
                .end_sessions(&w.as_operator(), w.worker.worker)
                .await
                .expect("end"),
            2
        );
        assert!(w.app.session(&live.token).await.expect("session").is_none());

        let events = w
            .app
            .administration_history(&w.as_admin(), w.worker.worker.0)
            .await
            .expect("history");
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "worker_added",
                "worker_password_reset",
                "worker_sessions_ended"
            ]
        );
        for event in &events {
            let text = event.payload.to_string();
            assert!(
                !text.contains(NEW_PASSWORD) && !text.contains("argon2"),
                "{text}"
            );
        }
        assert!(w
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact());
        db.remove().await;
    }
}

#[tokio::test]
async fn roles_need_their_team_or_partner_organisation() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let new_worker = |role, team, organisation| NewWorker {
            authority: w.authority,
            username: "newcomer".into(),
            display_name: "Newcomer".into(),
            role,
            team,
            organisation,
            asye: false,
            password: PASSWORD.into(),
        };
        for role in [
            Role::TeamManager,
            Role::MashSocialWorker,
            Role::ContactOfficer,
        ] {
            invalid(
                w.app
                    .add_worker_as_operator(&new_worker(role, None, None))
                    .await,
                "team",
                "must have a team",
            );
        }
        invalid(
            w.app
                .add_worker_as_operator(&new_worker(Role::PartnerPractitioner, None, None))
                .await,
            "organisation",
            "partner organisation",
        );
        invalid(
            w.app
                .add_worker_as_operator(&new_worker(Role::SeniorManager, None, Some(w.police)))
                .await,
            "organisation",
            "Only partner agency practitioners",
        );

        let change = |role, team, organisation| PlacementInput {
            role,
            team,
            organisation,
        };
        invalid(
            w.app
                .change_worker(
                    &w.as_admin(),
                    w.worker.worker,
                    &change(Role::TeamManager, None, None),
                )
                .await,
            "team",
            "must have a team",
        );
        let session = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        let promoted = w
            .app
            .change_worker(
                &w.as_admin(),
                w.worker.worker,
                &change(Role::TeamManager, Some(w.team), None),
            )
            .await
            .expect("promote");
        assert_eq!(promoted.role, Role::TeamManager);
        assert!(
            w.app
                .session(&session.token)
                .await
                .expect("session")
                .is_none(),
            "a change of role ends sessions so it applies at once"
        );
        invalid(
            w.app
                .change_worker(
                    &w.as_admin(),
                    w.worker.worker,
                    &change(Role::TeamManager, Some(w.team), None),
                )
                .await,
            "role",
            "already has this role",
        );
        let moved = w
            .app
            .change_worker(
                &w.as_admin(),
                w.worker.worker,
                &change(Role::PartnerPractitioner, None, Some(w.police)),
            )
            .await
            .expect("to the police");
        assert_eq!(moved.organisation, w.police);
        assert_eq!(moved.team, None);
        assert!(w
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact());
        db.remove().await;
    }
}

#[tokio::test]
async fn organisations_and_teams_are_added_renamed_and_retired() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let by = w.as_admin();
        let health = w
            .app
            .add_organisation(
                &by,
                &NewOrganisation {
                    name: "  Adminshire   NHS Trust ".into(),
                    kind: "health".into(),
                },
            )
            .await
            .expect("add");
        assert_eq!(health.name, "Adminshire NHS Trust");
        conflict(
            w.app
                .add_organisation(
                    &by,
                    &NewOrganisation {
                        name: "adminshire nhs trust".into(),
                        kind: "health".into(),
                    },
                )
                .await,
            "already an organisation called",
        );
        invalid(
            w.app
                .add_organisation(
                    &by,
                    &NewOrganisation {
                        name: "Another council".into(),
                        kind: "local_authority".into(),
                    },
                )
                .await,
            "kind",
            "Choose the kind of partner",
        );
        conflict(
            w.app
                .rename_organisation(&by, health.id, "Adminshire Police")
                .await,
            "already an organisation called",
        );
        w.app
            .rename_organisation(&by, health.id, "Adminshire Health")
            .await
            .expect("rename");

        // Retiring the police deactivates its practitioner and ends their session.
        let session = w
            .app
            .sign_in("partner", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        assert_eq!(
            w.app
                .retire_organisation(&by, w.police)
                .await
                .expect("retire"),
            1
        );
        assert!(w
            .app
            .session(&session.token)
            .await
            .expect("session")
            .is_none());
        conflict(
            w.app.retire_organisation(&by, w.police).await,
            "already been retired",
        );
        conflict(
            w.app.reactivate_worker(&by, w.partner.worker).await,
            "organisation has been retired",
        );
        let own = w
            .app
            .organisations(&by)
            .await
            .expect("list")
            .into_iter()
            .find(|o| o.kind == OrganisationKind::LocalAuthority)
            .expect("own");
        conflict(
            w.app.retire_organisation(&by, own.id).await,
            "the authority itself",
        );

        // Teams.
        let edt = w
            .app
            .add_team(
                &by,
                &NewTeam {
                    name: "Emergency duty team".into(),
                    receives_contacts: false,
                },
            )
            .await
            .expect("team");
        conflict(
            w.app
                .add_team(
                    &by,
                    &NewTeam {
                        name: "mash a".into(),
                        receives_contacts: true,
                    },
                )
                .await,
            "already a team called",
        );
        w.app
            .rename_team(&by, edt.id, "Out of hours")
            .await
            .expect("rename");
        conflict(w.app.retire_team(&by, w.team).await, "1 active worker(s)");
        w.app.retire_team(&by, edt.id).await.expect("retire");
        conflict(
            w.app.rename_team(&by, edt.id, "Back again").await,
            "retired",
        );
        invalid(
            w.app
                .change_worker(
                    &by,
                    w.worker.worker,
                    &PlacementInput {
                        role: Role::MashSocialWorker,
                        team: Some(edt.id),
                        organisation: None,
                    },
                )
                .await,
            "team",
            "has been retired",
        );
        let teams = w.app.managed_teams(&by).await.expect("teams");
        let retired = teams.iter().find(|t| t.id == edt.id).expect("kept");
        assert!(retired.retired_at.is_some() && !retired.receives_contacts);
        invalid(
            w.app
                .create_authority(&NewAuthority {
                    code: "twiceshire".into(),
                    name: "Twiceshire".into(),
                    front_door_teams: vec!["MASH".into(), " mash ".into()],
                    other_teams: vec![],
                    partners: vec![],
                })
                .await,
            "team",
            "named twice",
        );
        assert!(matches!(
            w.app
                .add_team(
                    &ActingAs::Worker(w.worker.clone()),
                    &NewTeam {
                        name: "Mine".into(),
                        receives_contacts: false
                    }
                )
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert!(w
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact());
        db.remove().await;
    }
}

fn levels(names: &[&str]) -> Vec<LevelOfNeed> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| LevelOfNeed {
            level: u8::try_from(i + 1).expect("small"),
            name: (*name).into(),
            description: format!("Children whose needs are {name}."),
        })
        .collect()
}

#[tokio::test]
async fn framework_versions_are_published_by_compare_and_set_and_recorded_on_decisions() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let by = w.as_admin();
        let history = w
            .app
            .threshold_framework_history(&by)
            .await
            .expect("history");
        assert_eq!(history.versions.len(), 1);
        assert_eq!(
            history.current().map(|v| &v.framework),
            Some(&ThresholdFramework::default())
        );
        invalid(
            w.app
                .publish_threshold_framework(&by, 1, ThresholdFramework::default().levels)
                .await,
            "levels",
            "same as version 1",
        );
        invalid(
            w.app
                .publish_threshold_framework(&by, 1, levels(&["Universal", ""]))
                .await,
            "level_2_name",
            "Give level 2 a name",
        );
        let three = levels(&["Universal", "Targeted", "Specialist"]);
        assert_eq!(
            w.app
                .publish_threshold_framework(&by, 1, three.clone())
                .await
                .expect("publish"),
            2
        );
        conflict(
            w.app
                .publish_threshold_framework(&w.as_operator(), 1, levels(&["A", "B"]))
                .await,
            "Version 2 of the threshold framework was published",
        );
        let history = w
            .app
            .threshold_framework_history(&by)
            .await
            .expect("history");
        assert_eq!(
            history
                .versions
                .iter()
                .map(|v| v.version)
                .collect::<Vec<_>>(),
            [2, 1]
        );
        assert_eq!(history.versions[0].published_by, Some(w.admin.worker));
        let authority = w.app.authority_of(&w.worker).await.expect("authority");
        assert_eq!(authority.threshold_framework_version, 2);
        assert_eq!(authority.threshold_framework.levels.len(), 3);

        // A decision is checked against, and records, the version in force.
        let contact = w
            .app
            .record_contact(
                &w.worker,
                &ContactInput {
                    channel: "phone".into(),
                    source: "2A".into(),
                    referrer: Referrer {
                        name: "Jo Teacher".into(),
                        organisation: "Riverside Primary".into(),
                        ..Default::default()
                    },
                    concern_categories: vec!["neglect".into()],
                    concern_summary: "The child arrives at school hungry most days this term."
                        .into(),
                    urgency: "standard".into(),
                    family_consent: "given".into(),
                    children: vec![SubjectInput {
                        given_name: "Ada".into(),
                        family_name: "Lovelace".into(),
                        date_of_birth: "2015-12-10".into(),
                        sex: "female".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            )
            .await
            .expect("contact");
        let view = w
            .app
            .view_contact(&w.worker, contact.id)
            .await
            .expect("view");
        w.app
            .link_contact_subject(
                &w.worker,
                contact.id,
                view.subjects[0].subject.id,
                LinkTarget::NewRecord,
            )
            .await
            .expect("link");
        let recommend = |level: &str| RecommendationInput {
            outcome: "early_help".into(),
            level_of_need: level.into(),
            rationale: "Needs are met by targeted early help with the family's consent.".into(),
            ..Default::default()
        };
        invalid(
            w.app
                .recommend_decision(&w.worker, contact.id, &recommend("4"))
                .await,
            "level_of_need",
            "from 1 to 3",
        );
        let decision = w
            .app
            .recommend_decision(&w.worker, contact.id, &recommend("2"))
            .await
            .expect("recommend");
        assert_eq!(decision.threshold_framework_version, 2);
        let stored = w
            .app
            .view_contact(&w.worker, contact.id)
            .await
            .expect("view");
        assert_eq!(stored.decisions[0].threshold_framework_version, 2);
        assert!(matches!(
            w.app
                .threshold_framework_history(&ActingAs::Worker(w.worker.clone()))
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert!(w
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact());
        db.remove().await;
    }
}
