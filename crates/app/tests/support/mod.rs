//! Shared by the app's scenario test binaries (`#[path = "../support/mod.rs"] mod support;`):
//! a test authority on a fixed clock, its workers, and running a scenario on every backend.
#![allow(dead_code)] // each binary uses its own part of it

use chrono::{DateTime, TimeZone, Utc};
use frontdoor_app::records::{Organisation, OrganisationKind, QueueFilter, Referrer, Store};
use frontdoor_app::{
    App, AppError, ContactInput, LinkTarget, NewAuthority, NewWorker, QueueView, Settings,
    SubjectInput,
};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{AuthorityId, ContactId, OrganisationId, PersonId, TeamId};
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
        self.add_worker(username, role, team, organisation, false)
            .await
    }

    /// A newly qualified social worker in their ASYE year, in the front-door team at `team`.
    #[allow(dead_code)] // each test binary uses a different part of the support module
    pub async fn asye_worker(&self, username: &str, team: usize) -> Actor {
        self.add_worker(username, Role::MashSocialWorker, Some(team), None, true)
            .await
    }

    async fn add_worker(
        &self,
        username: &str,
        role: Role,
        team: Option<usize>,
        organisation: Option<OrganisationId>,
        asye: bool,
    ) -> Actor {
        self.app
            .add_worker_as_operator(&NewWorker {
                authority: self.authority,
                username: username.into(),
                display_name: username.into(),
                role,
                team: team.map(|i| self.teams[i]),
                organisation,
                asye,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor()
    }
}

/// The first front-door team's contact officer ("officer"), MASH social worker ("worker") and
/// team manager ("manager").
pub struct FrontDoorTeam {
    pub officer: Actor,
    pub worker: Actor,
    pub manager: Actor,
}

impl Testshire {
    pub async fn front_door_team(&self) -> FrontDoorTeam {
        FrontDoorTeam {
            officer: self
                .worker("officer", Role::ContactOfficer, Some(0), None)
                .await,
            worker: self
                .worker("worker", Role::MashSocialWorker, Some(0), None)
                .await,
            manager: self
                .worker("manager", Role::TeamManager, Some(0), None)
                .await,
        }
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

/// An instant in UTC, to the minute.
pub fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("instant")
}

/// A girl living at NE61 2EF.
pub fn child(given: &str, family: &str, date_of_birth: &str) -> SubjectInput {
    SubjectInput {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: date_of_birth.into(),
        sex: "female".into(),
        postcode: "NE61 2EF".into(),
        ..Default::default()
    }
}

/// A school's phone call about neglect (standard urgency, the family consenting) about `children`.
pub fn school_contact(children: Vec<SubjectInput>) -> ContactInput {
    ContactInput {
        channel: "phone".into(),
        source: "2A".into(),
        referrer: Referrer {
            name: "Jo Teacher".into(),
            organisation: "Riverside Primary".into(),
            ..Default::default()
        },
        concern_categories: vec!["neglect".into()],
        concern_summary: "Hungry at school three days running; says there is no food at home."
            .into(),
        urgency: "standard".into(),
        family_consent: "given".into(),
        children,
        ..Default::default()
    }
}

/// Links every child of `contact` to a new record, as `actor`; returns their records.
pub async fn link_all_new(app: &App, actor: &Actor, contact: ContactId) -> Vec<PersonId> {
    let view = app.view_contact(actor, contact).await.expect("view");
    let mut people = Vec::new();
    for s in view.subjects {
        people.push(
            app.link_contact_subject(actor, contact, s.subject.id, LinkTarget::NewRecord)
                .await
                .expect("link"),
        );
    }
    people
}

/// The first fifty rows of the contact queue as `actor` sees it, narrowed by `filter`.
pub async fn queue(app: &App, actor: &Actor, filter: QueueFilter) -> QueueView {
    app.contact_queue(
        actor,
        &QueueFilter {
            limit: 50,
            ..filter
        },
    )
    .await
    .expect("queue")
}

/// The fields a refusal names; any other result fails the test.
pub fn fields(result: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// Asserts a conflict whose message holds `expected`.
pub fn conflict(result: Result<impl std::fmt::Debug, AppError>, expected: &str) {
    match result {
        Err(AppError::Conflict(message)) => assert!(message.contains(expected), "{message}"),
        other => panic!("expected a conflict containing '{expected}', got {other:?}"),
    }
}

/// Asserts that the audit trail's hash chains verify.
pub async fn assert_audit_intact(app: &App) {
    let report = app.verify_audit_trail().await.expect("verify");
    assert!(report.is_intact(), "the audit trail is broken: {report:?}");
}

/// Whether `token` is a live session.
pub async fn has_session(app: &App, token: &str) -> bool {
    app.session(token).await.expect("session").is_some()
}

/// Of attempts made at once, exactly one succeeded and another met a conflict.
pub fn one_winner<T: std::fmt::Debug>(results: &[Result<T, AppError>]) {
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(AppError::Conflict(_)))),
        "{results:?}"
    );
}
