//! Case supervision and drift, end to end on every backend: an action without a timescale and a
//! child without risks reviewed are refused (naming each part, storing nothing); completing an
//! action (once: a second completion is a conflict); carrying an action forward makes it drift,
//! and so does passing its due date (counted across Easter); the drift report's counts per
//! worker and per team, checked by hand; who may record and read; and races with one winner.

#[path = "../support/mod.rs"]
mod support;

mod drift;
mod recording;

use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::supervision::{
    DiscussedChildInput, SupervisionActionInput, SupervisionInput, SupervisionView,
};
use frontdoor_app::{App, AppError, EpisodeUpdateInput, RecommendationInput, ReviewInput};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{EpisodeId, PersonId};
use std::sync::Arc;
use support::utc;

struct World {
    app: App,
    clock: Arc<FixedClock>,
    officer: Actor,
    /// MASH team A: two social workers and their manager.
    worker: Actor,
    worker2: Actor,
    manager: Actor,
    /// MASH team B: a social worker and their manager.
    worker_b: Actor,
    manager_b: Actor,
    senior: Actor,
    partner: Actor,
}

async fn world(store: Store) -> World {
    // Wednesday 1 April 2026, 09:00 UTC (10:00 in London, BST): Good Friday is 3 April and
    // Easter Monday 6 April.
    let t = support::testshire(
        store,
        utc(2026, 4, 1, 9, 0),
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
        worker2: t
            .worker("worker.two", Role::MashSocialWorker, Some(0), None)
            .await,
        worker_b: t
            .worker("worker.b", Role::MashSocialWorker, Some(1), None)
            .await,
        manager_b: t
            .worker("manager.b", Role::TeamManager, Some(1), None)
            .await,
        senior: t.worker("senior", Role::SeniorManager, None, None).await,
        partner: t
            .worker("partner", Role::PartnerPractitioner, None, police)
            .await,
        app: t.app,
        clock: t.clock,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    support::on_every_backend(world, test).await;
}

/// A child referred for assessment (recommended and authorised in MASH A) whose episode is
/// then allocated to `worker` (and so to their team), on Monday 23 March 2026: the child and
/// the episode.
async fn allocated(w: &World, given: &str, worker: &Actor) -> (PersonId, EpisodeId) {
    let now = w.app.now();
    w.clock.set(utc(2026, 3, 23, 10, 0));
    let input = support::school_contact(vec![support::child(given, "Stone", "2016-04-01")]);
    let contact = w
        .app
        .record_contact(&w.officer, &input)
        .await
        .expect("record");
    let child = support::link_all_new(&w.app, &w.officer, contact.id).await[0];
    w.app
        .recommend_decision(
            &w.worker,
            contact.id,
            &RecommendationInput {
                outcome: "referral_for_assessment".into(),
                level_of_need: "3".into(),
                signposted_to: String::new(),
                rationale: "Neglect over weeks: a child and family assessment is needed.".into(),
            },
        )
        .await
        .expect("recommend");
    w.app
        .review_decision(
            &w.manager,
            contact.id,
            &ReviewInput {
                authorise: Some(true),
                rationale: "Agreed: assessment by the MASH social worker.".into(),
                departure_reasons: Default::default(),
            },
        )
        .await
        .expect("authorise");
    let episode = w
        .app
        .episodes_of_child(&w.manager, child)
        .await
        .expect("episodes")[0]
        .id;
    w.app
        .update_episode(
            &w.manager,
            episode,
            &EpisodeUpdateInput {
                worker: worker.worker.to_string(),
                ..Default::default()
            },
        )
        .await
        .expect("allocate");
    w.clock.set(now);
    (child, episode)
}

/// A supervision of `worker` held on `held_on` discussing `children`, with one action for the
/// first, owned by the worker and due on `due_on`.
fn supervision(
    worker: &Actor,
    held_on: &str,
    children: &[PersonId],
    due_on: &str,
) -> SupervisionInput {
    SupervisionInput {
        worker: worker.worker.to_string(),
        held_on: held_on.into(),
        children: children
            .iter()
            .map(|c| DiscussedChildInput {
                person_id: c.to_string(),
                discussed: true,
                risks_reviewed: "Neglect continues; the school reports she is hungry most days."
                    .into(),
                decisions: "Continue the assessment; see her alone.".into(),
            })
            .collect(),
        actions: vec![SupervisionActionInput {
            person_id: children[0].to_string(),
            description: "See the child alone at school".into(),
            owner: worker.worker.to_string(),
            due_on: due_on.into(),
        }],
        reviews: vec![],
    }
}

async fn record(w: &World, input: &SupervisionInput) -> SupervisionView {
    w.app
        .record_supervision(&w.manager, input)
        .await
        .expect("supervision recorded")
}

/// The fields a refusal names.
fn fields(result: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    support::fields(result)
}
