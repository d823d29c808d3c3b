//! The front door's use cases, end to end, on every backend: recording contacts (staff and the
//! online form), out-of-hours marking and the one-working-day timescale, linking, searching,
//! recommending, authorising (and every way of being refused), re-referrals, the chronology and
//! the access log.

use chrono::{NaiveDate, TimeZone, Utc};
use frontdoor_app::records::{OrganisationKind, QueueFilter, Referrer, Store};
use frontdoor_app::{
    App, AppError, ContactInput, LinkTarget, NewAuthority, NewWorker, PersonQuery,
    RecommendationInput, ReviewInput, Settings, SubjectInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::ids::{AuthorityId, ContactId};
use frontdoor_store::testing::all_backends;
use std::sync::Arc;

const PASSWORD: &str = "a long enough password";

struct World {
    app: App,
    clock: Arc<FixedClock>,
    authority: AuthorityId,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    manager_b: Actor,
    partner: Actor,
    admin: Actor,
}

async fn world(store: Store) -> World {
    // Tuesday 3 March 2026, 10:00 London (GMT).
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
            .single()
            .expect("instant"),
    ));
    let app = App::new(store, clock.clone(), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "testshire".into(),
            name: "Testshire Council".into(),
            front_door_teams: vec!["MASH A".into(), "MASH B".into()],
            other_teams: vec![],
            partners: vec![("Testshire Police".into(), OrganisationKind::Police)],
        })
        .await
        .expect("authority");
    let teams = app.store.teams(authority).await.expect("teams");
    let police = app
        .store
        .organisations(authority)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.kind == OrganisationKind::Police)
        .map(|o| o.id);
    let add = |username: &'static str, role: Role, team: Option<usize>, organisation| {
        let app = app.clone();
        let team = team.map(|i| teams[i].id);
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
        officer: add("officer", Role::ContactOfficer, Some(0), None).await,
        worker: add("worker", Role::MashSocialWorker, Some(0), None).await,
        manager: add("manager", Role::TeamManager, Some(0), None).await,
        manager_b: add("manager.b", Role::TeamManager, Some(1), None).await,
        partner: add("partner", Role::PartnerPractitioner, None, police).await,
        admin: add("admin", Role::Administrator, None, None).await,
        app,
        clock,
        authority,
    }
}

fn child(given: &str, family: &str, dob: &str) -> SubjectInput {
    SubjectInput {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: dob.into(),
        sex: "female".into(),
        postcode: "NE61 2EF".into(),
        ..Default::default()
    }
}

fn contact_input(children: Vec<SubjectInput>) -> ContactInput {
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

fn recommendation(outcome: &str) -> RecommendationInput {
    RecommendationInput {
        outcome: outcome.into(),
        level_of_need: "3".into(),
        signposted_to: String::new(),
        rationale: "Neglect concerns from school; needs a child and family assessment.".into(),
    }
}

fn review(authorise: bool) -> ReviewInput {
    ReviewInput {
        authorise: Some(authorise),
        rationale: "Agreed after reading the history and the school's account.".into(),
    }
}

async fn link_all_new(w: &World, contact: ContactId) {
    let view = w.app.view_contact(&w.officer, contact).await.expect("view");
    for s in view.subjects {
        w.app
            .link_contact_subject(&w.officer, contact, s.subject.id, LinkTarget::NewRecord)
            .await
            .expect("link");
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in all_backends().await.expect("databases") {
        eprintln!("-- on {}", database.backend());
        test(world(database.store.clone()).await).await;
        database.remove().await;
    }
}

mod access;
mod decisions;
mod merges;
mod recording;
mod sign_in;
