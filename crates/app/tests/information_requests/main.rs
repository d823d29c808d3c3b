//! Information requests to partner agencies, end to end on every backend: sending (and every
//! field that must be right), due times from the authority's rule and calendar, the partner's
//! view scoped to their organisation, the guarded answer and withdrawal, the chronology, the
//! overdue count in the queue, and the notifications written with each change.

#[path = "../support/mod.rs"]
mod support;

mod episodes;
mod notifications;
mod requests;

use frontdoor_app::records::{InformationRequest, OrganisationKind, QueueFilter, Store};
use frontdoor_app::{App, InformationRequestInput, QueueView, SubjectInput};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{ContactId, OrganisationId};
use std::sync::Arc;
pub use support::{conflict, fields, utc};
use uuid::Uuid;

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
    let t = support::testshire(
        store,
        utc(2026, 3, 3, 10, 0),
        &["MASH A"],
        &[
            ("Testshire Police", OrganisationKind::Police),
            ("Testshire Health", OrganisationKind::Health),
        ],
    )
    .await;
    let police = t.organisation(OrganisationKind::Police);
    let health = t.organisation(OrganisationKind::Health);
    let team = t.front_door_team().await;
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
        police_officer: t
            .worker("pc.one", Role::PartnerPractitioner, None, Some(police))
            .await,
        police_officer2: t
            .worker("pc.two", Role::PartnerPractitioner, None, Some(police))
            .await,
        nurse: t
            .worker("nurse", Role::PartnerPractitioner, None, Some(health))
            .await,
        admin: t.worker("admin", Role::Administrator, None, None).await,
        police,
        health,
        app: t.app,
        clock: t.clock,
    }
}

pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    support::on_every_backend(world, test).await;
}

impl World {
    /// Sends `with_consent(subject, organisation, urgency)` as the worker.
    pub async fn send(
        &self,
        contact: ContactId,
        subject: Uuid,
        organisation: OrganisationId,
        urgency: &str,
    ) -> InformationRequest {
        self.app
            .request_information(
                &self.worker,
                contact,
                &with_consent(subject, organisation, urgency),
            )
            .await
            .expect("sent")
    }

    /// The worker's contact queue.
    pub async fn queue(&self) -> QueueView {
        support::queue(&self.app, &self.worker, QueueFilter::default()).await
    }
}

/// A school's contact about `child`, not yet linked to a record: the contact and the child's
/// subject id.
pub async fn recorded_contact(w: &World, child: SubjectInput) -> (ContactId, Uuid) {
    let contact = w
        .app
        .record_contact(&w.officer, &support::school_contact(vec![child]))
        .await
        .expect("contact");
    let view = w
        .app
        .view_contact(&w.officer, contact.id)
        .await
        .expect("view");
    (contact.id, view.subjects[0].subject.id)
}

/// A contact about Amy Stone, linked to a new record; returns the contact and Amy's subject id.
pub async fn linked_contact(w: &World) -> (ContactId, Uuid) {
    let amy = SubjectInput {
        address: "1 Mill Lane, Testtown".into(),
        ..support::child("Amy", "Stone", "2016-04-01")
    };
    let (contact, subject) = recorded_contact(w, amy).await;
    support::link_all_new(&w.app, &w.officer, contact).await;
    (contact, subject)
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
