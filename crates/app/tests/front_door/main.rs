//! The front door's use cases, end to end, on every backend: recording contacts (staff and the
//! online form), out-of-hours marking and the one-working-day timescale, linking, searching,
//! recommending, authorising (and every way of being refused), re-referrals, the chronology and
//! the access log.

#[path = "../support/mod.rs"]
mod support;
use support::PASSWORD;

use chrono::{NaiveDate, TimeZone, Utc};
use frontdoor_app::records::{OrganisationKind, QueueFilter, Referrer, Store};
use frontdoor_app::{
    App, AppError, ContactInput, LinkTarget, NewAuthority, NewWorker, PersonQuery,
    RecommendationInput, ReviewInput, SubjectInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::ids::{AuthorityId, ContactId};
use std::sync::Arc;

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
    let at = Utc
        .with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .expect("instant");
    let t = support::testshire(
        store,
        at,
        &["MASH A", "MASH B"],
        &[("Testshire Police", OrganisationKind::Police)],
    )
    .await;
    let police = Some(t.organisation(OrganisationKind::Police));
    World {
        officer: t
            .worker("officer", Role::ContactOfficer, Some(0), None)
            .await,
        worker: t
            .worker("worker", Role::MashSocialWorker, Some(0), None)
            .await,
        manager: t.worker("manager", Role::TeamManager, Some(0), None).await,
        manager_b: t
            .worker("manager.b", Role::TeamManager, Some(1), None)
            .await,
        partner: t
            .worker("partner", Role::PartnerPractitioner, None, police)
            .await,
        admin: t.worker("admin", Role::Administrator, None, None).await,
        authority: t.authority,
        app: t.app,
        clock: t.clock,
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
    support::on_every_backend(world, test).await;
}

mod access;
mod decisions;
mod merges;
mod recording;
mod sign_in;
