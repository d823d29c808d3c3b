//! The front door's use cases, end to end, on every backend: recording contacts (staff and the
//! online form), out-of-hours marking and the one-working-day timescale, linking, searching,
//! recommending, authorising (and every way of being refused), re-referrals, the chronology and
//! the access log.

#[path = "../support/mod.rs"]
mod support;
use support::{child, school_contact, utc, PASSWORD};

use chrono::NaiveDate;
use frontdoor_app::records::{Contact, OrganisationKind, QueueFilter, Store, ThresholdDecision};
use frontdoor_app::{
    App, AppError, LinkTarget, NewAuthority, NewWorker, PersonQuery, QueueView,
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
    let t = support::testshire(
        store,
        utc(2026, 3, 3, 10, 0),
        &["MASH A", "MASH B"],
        &[("Testshire Police", OrganisationKind::Police)],
    )
    .await;
    let police = Some(t.organisation(OrganisationKind::Police));
    let team = t.front_door_team().await;
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
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
        departure_reasons: Default::default(),
    }
}

/// Records a school's contact about `children`, as the officer.
async fn recorded(w: &World, children: Vec<SubjectInput>) -> Contact {
    w.app
        .record_contact(&w.officer, &school_contact(children))
        .await
        .expect("record")
}

/// The same, with every child linked to a new record.
async fn linked(w: &World, children: Vec<SubjectInput>) -> Contact {
    let contact = recorded(w, children).await;
    link_all_new(w, contact.id).await;
    contact
}

/// `by` recommends `outcome` on the contact.
async fn recommended(
    w: &World,
    by: &Actor,
    contact: ContactId,
    outcome: &str,
) -> ThresholdDecision {
    w.app
        .recommend_decision(by, contact, &recommendation(outcome))
        .await
        .expect("recommend")
}

/// `by` authorises (or returns) the recommendation on the contact.
async fn reviewed(
    w: &World,
    by: &Actor,
    contact: ContactId,
    authorise: bool,
) -> Result<DecisionState, AppError> {
    w.app.review_decision(by, contact, &review(authorise)).await
}

async fn link_all_new(w: &World, contact: ContactId) {
    support::link_all_new(&w.app, &w.officer, contact).await;
}

async fn queue(w: &World, filter: QueueFilter) -> QueueView {
    support::queue(&w.app, &w.worker, filter).await
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
mod family_network;
mod merges;
mod recording;
mod sign_in;
