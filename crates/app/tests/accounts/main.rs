//! Administration on every backend: deactivating and reactivating workers (their sessions end
//! at once), resetting passwords, ending sessions, changing role or team, the rules that keep
//! an administrator and a team for front-door roles, partner organisations and teams, and
//! threshold framework versions recorded on decisions.

mod framework;
mod organisations;
mod workers;

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

pub(crate) const PASSWORD: &str = "a long enough password";
pub(crate) const NEW_PASSWORD: &str = "a brand new long password";

pub(crate) struct World {
    pub(crate) app: App,
    pub(crate) authority: AuthorityId,
    pub(crate) team: TeamId,
    pub(crate) police: OrganisationId,
    pub(crate) worker: Actor,
    pub(crate) partner: Actor,
    pub(crate) admin: Actor,
}

impl World {
    pub(crate) fn as_admin(&self) -> ActingAs {
        ActingAs::Worker(self.admin.clone())
    }
    pub(crate) fn as_operator(&self) -> ActingAs {
        ActingAs::Operator {
            authority: self.authority,
        }
    }
}

pub(crate) async fn world(store: Store) -> World {
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

pub(crate) fn conflict(result: Result<impl std::fmt::Debug, AppError>, expected: &str) {
    match result {
        Err(AppError::Conflict(message)) => {
            assert!(message.contains(expected), "{message}")
        }
        other => panic!("expected a conflict containing '{expected}', got {other:?}"),
    }
}

pub(crate) fn invalid(result: Result<impl std::fmt::Debug, AppError>, field: &str, expected: &str) {
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
