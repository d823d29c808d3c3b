//! Shared by the app's scenario test binaries (`#[path = "../support/mod.rs"] mod support;`):
//! a test authority on a fixed clock, its workers, and running a scenario on every backend.
#![allow(dead_code)] // each binary uses its own part of it

use chrono::{DateTime, Utc};
use frontdoor_app::records::{Organisation, OrganisationKind, Store};
use frontdoor_app::{App, NewAuthority, NewWorker, Settings};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{AuthorityId, OrganisationId, TeamId};
use frontdoor_store::testing::all_backends;
use std::future::Future;
use std::sync::Arc;

pub const PASSWORD: &str = "a long enough password";

/// "Testshire Council" with the front-door teams and partner organisations asked for.
pub struct Testshire {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub authority: AuthorityId,
    pub teams: Vec<TeamId>,
    organisations: Vec<Organisation>,
}

pub async fn testshire(
    store: Store,
    now: DateTime<Utc>,
    front_door_teams: &[&str],
    partners: &[(&str, OrganisationKind)],
) -> Testshire {
    let clock = Arc::new(FixedClock::new(now));
    let app = App::new(store, clock.clone(), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "testshire".into(),
            name: "Testshire Council".into(),
            front_door_teams: front_door_teams.iter().map(|t| t.to_string()).collect(),
            other_teams: vec![],
            partners: partners
                .iter()
                .map(|(name, kind)| (name.to_string(), *kind))
                .collect(),
        })
        .await
        .expect("authority");
    let teams = app
        .store
        .teams(authority)
        .await
        .expect("teams")
        .iter()
        .map(|t| t.id)
        .collect();
    let organisations = app.store.organisations(authority).await.expect("orgs");
    Testshire {
        app,
        clock,
        authority,
        teams,
        organisations,
    }
}

impl Testshire {
    /// The partner organisation of this kind.
    pub fn organisation(&self, kind: OrganisationKind) -> OrganisationId {
        self.organisations
            .iter()
            .find(|o| o.kind == kind)
            .map(|o| o.id)
            .expect("organisation")
    }

    /// A worker (display name = username), in the front-door team at `team` if given.
    pub async fn worker(
        &self,
        username: &str,
        role: Role,
        team: Option<usize>,
        organisation: Option<OrganisationId>,
    ) -> Actor {
        self.app
            .add_worker_as_operator(&NewWorker {
                authority: self.authority,
                username: username.into(),
                display_name: username.into(),
                role,
                team: team.map(|i| self.teams[i]),
                organisation,
                asye: false,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor()
    }
}

/// Runs `test` on a world built by `build` on every backend (SQLite, and PostgreSQL when
/// configured), each on its own fresh database.
pub async fn on_every_backend<W, B, BFut, T, TFut>(build: B, test: T)
where
    B: Fn(Store) -> BFut,
    BFut: Future<Output = W>,
    T: Fn(W) -> TFut,
    TFut: Future<Output = ()>,
{
    for database in all_backends().await.expect("databases") {
        eprintln!("-- on {}", database.backend());
        test(build(database.store.clone()).await).await;
        database.remove().await;
    }
}
