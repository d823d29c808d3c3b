//! Administration on every backend: deactivating and reactivating workers (their sessions end
//! at once), resetting passwords, ending sessions, changing role or team, the rules that keep
//! an administrator and a team for front-door roles, partner organisations and teams, and
//! threshold framework versions recorded on decisions.

mod framework;
mod organisations;
mod workers;

#[path = "../support/mod.rs"]
mod support;

use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::{
    ActingAs, App, AppError, NewAuthority, NewOrganisation, NewTeam, NewWorker, PlacementInput,
    RecommendationInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::decision::{LevelOfNeed, ThresholdFramework};
use frontdoor_domain::ids::{AuthorityId, OrganisationId, TeamId};
use frontdoor_store::testing::all_backends;
pub(crate) use support::{conflict, PASSWORD};

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
    let t = support::testshire(
        store,
        support::utc(2026, 3, 3, 10, 0),
        &["MASH A", "MASH B"],
        &[("Adminshire Police", OrganisationKind::Police)],
    )
    .await;
    let police = t.organisation(OrganisationKind::Police);
    World {
        worker: t
            .worker("worker", Role::MashSocialWorker, Some(0), None)
            .await,
        partner: t
            .worker("partner", Role::PartnerPractitioner, None, Some(police))
            .await,
        admin: t.worker("admin", Role::Administrator, None, None).await,
        team: t.teams[0],
        authority: t.authority,
        app: t.app,
        police,
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
