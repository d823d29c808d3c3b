//! Information requests to partner agencies, end to end on every backend: sending (and every
//! field that must be right), due times from the authority's rule and calendar, the partner's
//! view scoped to their organisation, the guarded answer and withdrawal, the chronology, the
//! overdue count in the queue, and the notifications written with each change.

mod notifications;
mod requests;

use chrono::{TimeZone, Utc};
use frontdoor_app::records::{OrganisationKind, Referrer, Store};
use frontdoor_app::{
    App, AppError, ContactInput, InformationRequestInput, LinkTarget, NewAuthority, NewWorker,
    Settings, SubjectInput,
};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{ContactId, OrganisationId};
use frontdoor_store::testing::all_backends;
use std::sync::Arc;
use uuid::Uuid;

pub const PASSWORD: &str = "a long enough password";

pub struct World {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub worker: Actor,
    pub manager: Actor,
    pub officer: Actor,
    pub police: OrganisationId,
    pub health: OrganisationId,
    pub police_officer: Actor,
    pub police_officer2: Actor,
    pub nurse: Actor,
    pub admin: Actor,
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
            front_door_teams: vec!["MASH A".into()],
            other_teams: vec![],
            partners: vec![
                ("Testshire Police".into(), OrganisationKind::Police),
                ("Testshire Health".into(), OrganisationKind::Health),
            ],
        })
        .await
        .expect("authority");
    let team = app.store.teams(authority).await.expect("teams")[0].id;
    let organisations = app.store.organisations(authority).await.expect("orgs");
    let find = |kind| {
        organisations
            .iter()
            .find(|o| o.kind == kind)
            .map(|o| o.id)
            .expect("organisation")
    };
    let police = find(OrganisationKind::Police);
    let health = find(OrganisationKind::Health);
    let add = |username: &'static str, role: Role, team, organisation| {
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
        manager: add("manager", Role::TeamManager, Some(team), None).await,
        officer: add("officer", Role::ContactOfficer, Some(team), None).await,
        police_officer: add("pc.one", Role::PartnerPractitioner, None, Some(police)).await,
        police_officer2: add("pc.two", Role::PartnerPractitioner, None, Some(police)).await,
        nurse: add("nurse", Role::PartnerPractitioner, None, Some(health)).await,
        admin: add("admin", Role::Administrator, None, None).await,
        police,
        health,
        app,
        clock,
    }
}

pub async fn each_backend<F, Fut>(test: F)
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

/// A contact about Amy Stone, linked to a new record; returns the contact and Amy's subject id.
pub async fn linked_contact(w: &World) -> (ContactId, Uuid) {
    let contact = w
        .app
        .record_contact(
            &w.officer,
            &ContactInput {
                channel: "phone".into(),
                source: "2A".into(),
                referrer: Referrer {
                    name: "Jo Teacher".into(),
                    organisation: "Riverside Primary".into(),
                    ..Default::default()
                },
                concern_categories: vec!["neglect".into()],
                concern_summary: "Hungry at school three days running; no food at home.".into(),
                urgency: "standard".into(),
                family_consent: "given".into(),
                children: vec![SubjectInput {
                    given_name: "Amy".into(),
                    family_name: "Stone".into(),
                    date_of_birth: "2016-04-01".into(),
                    sex: "female".into(),
                    address: "1 Mill Lane, Testtown".into(),
                    postcode: "NE61 2EF".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .await
        .expect("contact");
    let view = w
        .app
        .view_contact(&w.officer, contact.id)
        .await
        .expect("view");
    let subject = view.subjects[0].subject.id;
    w.app
        .link_contact_subject(&w.officer, contact.id, subject, LinkTarget::NewRecord)
        .await
        .expect("link");
    (contact.id, subject)
}

pub fn with_consent(
    subject: Uuid,
    organisation: OrganisationId,
    urgency: &str,
) -> InformationRequestInput {
    InformationRequestInput {
        subject: subject.to_string(),
        organisation: organisation.to_string(),
        agency: "police".into(),
        questions: "Any callouts to 1 Mill Lane in the last year? Any known adults of concern?"
            .into(),
        consent: "consent_given".into(),
        consent_given_by: "Amy's mother".into(),
        consent_given_on: "2026-03-02".into(),
        urgency: urgency.into(),
        ..Default::default()
    }
}

pub fn fields(result: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}
