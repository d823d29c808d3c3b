//! Early help, end to end on every backend: an authorised early help decision opens an
//! unallocated episode per child; allocation races have one winner; consent to share limits
//! what a partner sees and whether they may lead the assessment (refused and withdrawn consent
//! block, a manager's safeguarding override allows); the assessment's due date and the overdue
//! list; team-around-the-family actions need a due date; step-up carries the history into a
//! new contact, once; step-down closes the social care episode RC9 and opens early help.

#[path = "../support/mod.rs"]
mod support;

use frontdoor_app::chronology::EntryCategory;
use frontdoor_app::records::{OrganisationKind, QueueFilter, Store};
use frontdoor_app::{
    AllocationInput, App, AppError, AssessmentCompletionInput, AssessmentStartInput, ConsentInput,
    EarlyHelpClosureInput, FamilyActionInput, FamilyContactInput, LeadProfessionalInput,
    RecommendationInput, ReviewInput, SafeguardingOverrideInput, StepDownInput, StepUpInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::contact::ReferralSource;
use frontdoor_domain::early_help::{EarlyHelpStatus, SharedPart};
use frontdoor_domain::episode::ClosureReason;
use frontdoor_domain::ids::{EarlyHelpEpisodeId, PersonId};
use std::sync::Arc;
use support::utc;

struct World {
    app: App,
    clock: Arc<FixedClock>,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    coordinator: Actor,
    coordinator2: Actor,
    /// A health visitor (Health) and a teacher (Education): partner practitioners.
    health: Actor,
    teacher: Actor,
    health_colleague: Actor,
}

async fn world(store: Store) -> World {
    // Wednesday 1 April 2026, 09:00 UTC.
    let t = support::testshire(
        store,
        utc(2026, 4, 1, 9, 0),
        &["MASH A"],
        &[
            ("Northshire Health", OrganisationKind::Health),
            ("Riverside Primary", OrganisationKind::School),
        ],
    )
    .await;
    let team = t.front_door_team().await;
    let health = t.organisation(OrganisationKind::Health);
    let school = t.organisation(OrganisationKind::School);
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
        coordinator: t
            .worker("coordinator", Role::EarlyHelpCoordinator, None, None)
            .await,
        coordinator2: t
            .worker("coordinator.two", Role::EarlyHelpCoordinator, None, None)
            .await,
        health: t
            .worker(
                "health.visitor",
                Role::PartnerPractitioner,
                None,
                Some(health),
            )
            .await,
        health_colleague: t
            .worker("health.two", Role::PartnerPractitioner, None, Some(health))
            .await,
        teacher: t
            .worker("teacher", Role::PartnerPractitioner, None, Some(school))
            .await,
        clock: t.clock.clone(),
        app: t.app,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    support::on_every_backend(world, test).await;
}

/// A school contact about Ella and Sam, decided "early help" and authorised: their episodes.
async fn early_help_decided(w: &World) -> Vec<(PersonId, EarlyHelpEpisodeId)> {
    let contact = w
        .app
        .record_contact(
            &w.officer,
            &support::school_contact(vec![
                support::child("Ella", "Moss", "2016-02-01"),
                support::child("Sam", "Moss", "2018-09-12"),
            ]),
        )
        .await
        .expect("record");
    let people = support::link_all_new(&w.app, &w.officer, contact.id).await;
    w.app
        .recommend_decision(
            &w.worker,
            contact.id,
            &RecommendationInput {
                outcome: "early_help".into(),
                level_of_need: "2".into(),
                signposted_to: String::new(),
                rationale: "Needs support with routines and food; no indication of harm.".into(),
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
                rationale: "Agreed: offer early help to the family.".into(),
                ..Default::default()
            },
        )
        .await
        .expect("authorise");
    let mut episodes = Vec::new();
    for person in people {
        let of_child = w
            .app
            .early_help_of_child(&w.coordinator, person)
            .await
            .expect("episodes");
        assert_eq!(of_child.len(), 1, "one early help episode per child");
        episodes.push((person, of_child[0].id));
    }
    episodes
}

async fn allocated(w: &World) -> EarlyHelpEpisodeId {
    let (_, id) = early_help_decided(w).await[0];
    w.app
        .allocate_early_help(&w.coordinator, id, &AllocationInput::default())
        .await
        .expect("allocate");
    id
}

fn consent(decision: &str, agencies: &[&str], parts: &[&str]) -> ConsentInput {
    ConsentInput {
        decision: decision.into(),
        given_by: "Kerry Moss".into(),
        relationship: "Mother".into(),
        decided_on: "2026-04-01".into(),
        parts: parts.iter().map(|p| p.to_string()).collect(),
        agencies: agencies.iter().map(|a| a.to_string()).collect(),
        notes: String::new(),
    }
}

const ALL_PARTS: [&str; 3] = ["identity", "assessment", "family_history"];

fn lead(actor: &Actor) -> LeadProfessionalInput {
    LeadProfessionalInput {
        lead: actor.worker.to_string(),
    }
}

fn denied(result: Result<impl std::fmt::Debug, AppError>, reason: DenialReason) {
    match result {
        Err(AppError::Denied(r)) => assert_eq!(r, reason),
        other => panic!("expected {reason:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn an_authorised_early_help_decision_opens_an_unallocated_episode_per_child() {
    each_backend(|w| async move {
        let episodes = early_help_decided(&w).await;
        assert_eq!(episodes.len(), 2);
        let lists = w.app.early_help_lists(&w.coordinator).await.expect("lists");
        assert_eq!(lists.unallocated.len(), 2);
        assert!(lists.mine.is_empty());
        let view = w
            .app
            .view_early_help(&w.coordinator, episodes[0].1)
            .await
            .expect("view");
        assert_eq!(view.episode.status, EarlyHelpStatus::Open);
        assert!(view.episode.coordinator.is_none());
        assert!(view.episode.contact_reference.is_some());
        assert!(view.episode.reason.contains("routines"));
        // No referral and no social care episode for an early help decision.
        assert!(w
            .app
            .episodes_of_child(&w.worker, episodes[0].0)
            .await
            .expect("episodes")
            .is_empty());
        // On the child's chronology.
        let chronology = w
            .app
            .person_chronology(&w.worker, episodes[0].0, Some(EntryCategory::EarlyHelp))
            .await
            .expect("chronology");
        assert!(
            chronology.iter().any(|e| e.kind == "early_help_opened"),
            "{chronology:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn two_coordinators_allocating_at_once_one_wins_and_the_other_is_told_who() {
    each_backend(|w| async move {
        let (_, id) = early_help_decided(&w).await[0];
        let none = AllocationInput::default();
        let (a, b) = tokio::join!(
            w.app.allocate_early_help(&w.coordinator, id, &none),
            w.app.allocate_early_help(&w.coordinator2, id, &none),
        );
        let results = [a, b];
        support::one_winner(&results);
        let winner = results
            .iter()
            .find_map(|r| r.as_ref().ok())
            .expect("winner");
        let name = winner.coordinator_name.clone().expect("coordinator");
        for r in &results {
            if let Err(AppError::Conflict(message)) = r {
                assert!(message.contains(&name), "{message}");
            }
        }
        let lists = w.app.early_help_lists(&w.coordinator).await.expect("lists");
        assert_eq!(lists.unallocated.len(), 1);
        // Only to an early help coordinator.
        let fields = support::fields(
            w.app
                .allocate_early_help(
                    &w.manager,
                    early_help_decided(&w).await[0].1,
                    &AllocationInput {
                        coordinator: w.worker.worker.to_string(),
                    },
                )
                .await,
        );
        assert_eq!(fields, vec!["coordinator"]);
    })
    .await;
}

#[tokio::test]
async fn consent_limits_what_a_partner_sees_and_whether_they_may_lead() {
    each_backend(|w| async move {
        let id = allocated(&w).await;
        // No consent recorded: the health visitor cannot be appointed lead professional.
        assert_eq!(
            support::fields(
                w.app
                    .appoint_lead_professional(&w.coordinator, id, &lead(&w.health))
                    .await
            ),
            vec!["lead"]
        );
        // Consent for health to see identity only: still not enough to lead.
        w.app
            .record_consent(&w.coordinator, id, &consent("given", &["health"], &["identity"]))
            .await
            .expect("consent");
        assert_eq!(
            support::fields(
                w.app
                    .appoint_lead_professional(&w.coordinator, id, &lead(&w.health))
                    .await
            ),
            vec!["lead"]
        );
        // Identity and assessment: the health visitor leads, and sees those parts only.
        w.app
            .record_consent(
                &w.coordinator,
                id,
                &consent("given", &["health"], &["identity", "assessment"]),
            )
            .await
            .expect("consent");
        w.app
            .appoint_lead_professional(&w.coordinator, id, &lead(&w.health))
            .await
            .expect("appoint");
        w.app
            .record_family_contact(
                &w.coordinator,
                id,
                &FamilyContactInput {
                    contacted_on: "2026-04-01".into(),
                    method: "phone".into(),
                    outcome: "Mother agreed to early help and to an assessment.".into(),
                },
            )
            .await
            .expect("family contact");
        let seen = w.app.partner_early_help(&w.health, id).await.expect("view");
        assert_eq!(seen.child_name, "Ella Moss");
        assert!(seen.assessment.is_some());
        assert!(seen.family_contacts.is_none(), "family history not shared");
        assert!(seen.reason.is_none());
        assert_eq!(seen.withheld.len(), 1);
        assert_eq!(seen.withheld[0].0, SharedPart::FamilyHistory);
        assert_eq!(
            w.app.led_early_help(&w.health).await.expect("list").len(),
            1
        );
        // Another health practitioner is not the lead: not found, not even that it exists.
        assert!(matches!(
            w.app.partner_early_help(&w.health_colleague, id).await,
            Err(AppError::NotFound(_))
        ));
        // The lead starts the assessment through the portal.
        w.app
            .start_early_help_assessment(&w.health, id, &AssessmentStartInput::default())
            .await
            .expect("start");
        // The mother withdraws consent: the lead sees nothing and can record nothing.
        w.app
            .record_consent(&w.coordinator, id, &consent("withdrawn", &[], &[]))
            .await
            .expect("withdraw");
        denied(
            w.app.partner_early_help(&w.health, id).await,
            DenialReason::NotSharedWithAgency,
        );
        assert!(w.app.led_early_help(&w.health).await.expect("list").is_empty());
        denied(
            w.app
                .complete_early_help_assessment(
                    &w.health,
                    id,
                    &AssessmentCompletionInput {
                        completed_on: String::new(),
                        summary: "Family needs help with routines and budgeting.".into(),
                    },
                )
                .await,
            DenialReason::NotSharedWithAgency,
        );
        // A coordinator may not override; a manager records a safeguarding reason for health.
        let reason = SafeguardingOverrideInput {
            agency: "health".into(),
            reason: "Sam's weight has fallen sharply: the health visitor must continue to see the family.".into(),
        };
        denied(
            w.app
                .record_safeguarding_override(&w.coordinator, id, &reason)
                .await,
            DenialReason::RoleNotPermitted,
        );
        w.app
            .record_safeguarding_override(&w.manager, id, &reason)
            .await
            .expect("override");
        let seen = w.app.partner_early_help(&w.health, id).await.expect("view");
        assert!(seen.family_contacts.is_some(), "the override shares every part");
        assert!(seen.withheld.is_empty());
        w.app
            .complete_early_help_assessment(
                &w.health,
                id,
                &AssessmentCompletionInput {
                    completed_on: String::new(),
                    summary: "Family needs help with routines and budgeting.".into(),
                },
            )
            .await
            .expect("complete");
        // The teacher's agency was never covered: refused as lead, with the reason.
        match w
            .app
            .appoint_lead_professional(&w.coordinator, id, &lead(&w.teacher))
            .await
        {
            Err(AppError::Invalid(errors)) => {
                assert!(errors[0].message.contains("consent"), "{errors:?}")
            }
            other => panic!("expected the teacher refused, got {other:?}"),
        }
        // Annex A list 2: start, completion, organisation.
        let view = w.app.view_early_help(&w.coordinator, id).await.expect("view");
        let a = view.episode.assessment.expect("assessment");
        assert_eq!(a.lead_organisation_name, "Northshire Health");
        assert!(a.started_on.is_some() && a.completed_on.is_some());
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn refused_consent_blocks_the_lead_until_a_manager_overrides() {
    each_backend(|w| async move {
        let id = allocated(&w).await;
        w.app
            .record_consent(&w.coordinator, id, &consent("refused", &["health"], &[]))
            .await
            .expect("refusal");
        assert_eq!(
            support::fields(
                w.app
                    .appoint_lead_professional(&w.coordinator, id, &lead(&w.health))
                    .await
            ),
            vec!["lead"]
        );
        w.app
            .record_safeguarding_override(
                &w.manager,
                id,
                &SafeguardingOverrideInput {
                    agency: "health".into(),
                    reason: "Concerns about the baby's feeding need the health visitor involved."
                        .into(),
                },
            )
            .await
            .expect("override");
        w.app
            .appoint_lead_professional(&w.coordinator, id, &lead(&w.health))
            .await
            .expect("appointed under the override");
        // A consent decision without a decision, person or date stores nothing.
        let fields = support::fields(
            w.app
                .record_consent(&w.coordinator, id, &ConsentInput::default())
                .await,
        );
        assert!(fields.contains(&"decision".to_string()), "{fields:?}");
        assert!(fields.contains(&"given_by".to_string()), "{fields:?}");
        let view = w
            .app
            .view_early_help(&w.coordinator, id)
            .await
            .expect("view");
        assert_eq!(view.consents.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn overdue_assessments_are_listed_and_completion_happens_once() {
    each_backend(|w| async move {
        let id = allocated(&w).await;
        w.app
            .record_consent(
                &w.coordinator,
                id,
                &consent("given", &["health"], &ALL_PARTS),
            )
            .await
            .expect("consent");
        w.app
            .appoint_lead_professional(&w.coordinator, id, &lead(&w.health))
            .await
            .expect("appoint");
        let started = w
            .app
            .start_early_help_assessment(&w.coordinator, id, &AssessmentStartInput::default())
            .await
            .expect("start");
        let due = started.due_on.expect("due");
        assert_eq!(
            due.to_string(),
            "2026-05-18",
            "30 working days after 1 April 2026"
        );
        support::conflict(
            w.app
                .start_early_help_assessment(&w.coordinator, id, &AssessmentStartInput::default())
                .await,
            "already started",
        );
        // On the due date it is not overdue; the day after, it is.
        w.clock.set(utc(2026, 5, 18, 12, 0));
        assert!(w
            .app
            .early_help_lists(&w.coordinator)
            .await
            .expect("lists")
            .overdue
            .is_empty());
        w.clock.set(utc(2026, 5, 19, 9, 0));
        let overdue = w
            .app
            .early_help_lists(&w.coordinator)
            .await
            .expect("lists")
            .overdue;
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].id, id);
        assert!(w.app.led_early_help(&w.health).await.expect("led")[0].overdue);
        // Two completions at once: one wins.
        let done = AssessmentCompletionInput {
            completed_on: String::new(),
            summary: "Parenting support and a school attendance plan agreed.".into(),
        };
        let (a, b) = tokio::join!(
            w.app.complete_early_help_assessment(&w.health, id, &done),
            w.app
                .complete_early_help_assessment(&w.coordinator, id, &done),
        );
        support::one_winner(&[a, b]);
        assert!(w
            .app
            .early_help_lists(&w.coordinator)
            .await
            .expect("lists")
            .overdue
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_team_around_the_family_action_needs_a_due_date() {
    each_backend(|w| async move {
        let id = allocated(&w).await;
        let fields = support::fields(
            w.app
                .add_family_action(
                    &w.coordinator,
                    id,
                    &FamilyActionInput {
                        description: "Refer to the food bank".into(),
                        owner: "Family support worker".into(),
                        due_on: String::new(),
                    },
                )
                .await,
        );
        assert_eq!(fields, vec!["due_on"]);
        assert!(w
            .app
            .view_early_help(&w.coordinator, id)
            .await
            .expect("view")
            .actions
            .is_empty());
        let action = w
            .app
            .add_family_action(
                &w.coordinator,
                id,
                &FamilyActionInput {
                    description: "Refer to the food bank".into(),
                    owner: "Family support worker".into(),
                    due_on: "2026-04-08".into(),
                },
            )
            .await
            .expect("action");
        w.app
            .complete_family_action(&w.coordinator, id, action.id)
            .await
            .expect("done");
        support::conflict(
            w.app
                .complete_family_action(&w.coordinator, id, action.id)
                .await,
            "already completed",
        );
    })
    .await;
}

#[tokio::test]
async fn step_up_carries_the_history_into_a_new_contact_once() {
    each_backend(|w| async move {
        let id = allocated(&w).await;
        w.app
            .record_consent(
                &w.coordinator,
                id,
                &consent("given", &["health"], &ALL_PARTS),
            )
            .await
            .expect("consent");
        w.app
            .appoint_lead_professional(&w.coordinator, id, &lead(&w.health))
            .await
            .expect("appoint");
        w.app
            .start_early_help_assessment(&w.health, id, &AssessmentStartInput::default())
            .await
            .expect("start");
        w.app
            .complete_early_help_assessment(
                &w.health,
                id,
                &AssessmentCompletionInput {
                    completed_on: String::new(),
                    summary: "Mother struggling with low mood; routines poor.".into(),
                },
            )
            .await
            .expect("complete");
        w.app
            .add_family_action(
                &w.coordinator,
                id,
                &FamilyActionInput {
                    description: "GP appointment for mother".into(),
                    owner: "Health visitor".into(),
                    due_on: "2026-04-10".into(),
                },
            )
            .await
            .expect("action");
        let before = support::queue(&w.app, &w.worker, QueueFilter::default())
            .await
            .rows
            .len();
        let input = StepUpInput {
            concern_categories: vec!["neglect".into()],
            concern_summary: "Ella disclosed she is often left alone overnight.".into(),
            urgency: "urgent".into(),
        };
        let (a, b) = tokio::join!(
            w.app.step_up_early_help(&w.coordinator, id, &input),
            w.app.step_up_early_help(&w.coordinator2, id, &input),
        );
        let results = [a, b];
        support::one_winner(&results);
        let contact = results
            .iter()
            .find_map(|r| r.as_ref().ok())
            .expect("contact")
            .clone();
        for r in &results {
            if let Err(AppError::Conflict(message)) = r {
                assert!(message.contains(&contact.reference), "{message}");
            }
        }
        assert_eq!(contact.source, ReferralSource::EarlyHelp);
        for expected in [
            "left alone overnight",
            "Consent given",
            "Kerry Moss",
            "Northshire Health",
            "Mother struggling with low mood",
            "GP appointment for mother",
        ] {
            assert!(
                contact.concern_summary.contains(expected),
                "'{expected}' missing from:\n{}",
                contact.concern_summary
            );
        }
        // One new contact in the queue, the child already linked.
        let queue = support::queue(&w.app, &w.worker, QueueFilter::default()).await;
        assert_eq!(queue.rows.len(), before + 1);
        let view = w
            .app
            .view_contact(&w.worker, contact.id)
            .await
            .expect("view");
        let episode = w.app.view_early_help(&w.coordinator, id).await.expect("eh");
        assert_eq!(view.subjects.len(), 1);
        assert_eq!(
            view.subjects[0].subject.person,
            Some(episode.episode.person)
        );
        assert_eq!(episode.episode.status, EarlyHelpStatus::SteppedUp);
        assert_eq!(episode.episode.stepped_up_contact, Some(contact.id));
        // Nothing more can be recorded on a stepped-up episode.
        support::conflict(
            w.app
                .record_consent(&w.coordinator, id, &consent("refused", &[], &[]))
                .await,
            "stepped up",
        );
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn step_down_closes_the_social_care_episode_and_opens_early_help() {
    each_backend(|w| async move {
        // A referral: the child's social care episode.
        let contact = w
            .app
            .record_contact(
                &w.officer,
                &support::school_contact(vec![support::child("Lily", "Ward", "2015-03-03")]),
            )
            .await
            .expect("record");
        let people = support::link_all_new(&w.app, &w.officer, contact.id).await;
        w.app
            .recommend_decision(
                &w.worker,
                contact.id,
                &RecommendationInput {
                    outcome: "referral_for_assessment".into(),
                    level_of_need: "3".into(),
                    signposted_to: String::new(),
                    rationale: "Needs a child and family assessment.".into(),
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
                    rationale: "Agreed: a child and family assessment is needed.".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("authorise");
        let episode = w
            .app
            .episodes_of_child(&w.worker, people[0])
            .await
            .expect("episodes")[0]
            .id;
        let input = StepDownInput {
            reason: "Assessment found needs that early help can meet: parenting support.".into(),
        };
        denied(
            w.app
                .step_down_to_early_help(&w.coordinator, episode, &input)
                .await,
            DenialReason::RoleNotPermitted,
        );
        assert_eq!(
            support::fields(
                w.app
                    .step_down_to_early_help(&w.manager, episode, &StepDownInput::default())
                    .await
            ),
            vec!["reason"]
        );
        let opened = w
            .app
            .step_down_to_early_help(&w.manager, episode, &input)
            .await
            .expect("step down");
        assert_eq!(opened.stepped_down_from, Some(episode));
        assert!(opened.coordinator.is_none(), "waits for a coordinator");
        let closed = w
            .app
            .episodes_of_child(&w.worker, people[0])
            .await
            .expect("episodes")[0]
            .clone();
        assert_eq!(
            closed.closure_reason,
            Some(ClosureReason::ClosedAfterAssessmentEarlyHelp)
        );
        support::conflict(
            w.app
                .step_down_to_early_help(&w.manager, episode, &input)
                .await,
            "closed",
        );
        assert_eq!(
            w.app
                .early_help_of_child(&w.coordinator, people[0])
                .await
                .expect("eh")
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn closing_early_help_needs_a_reason_and_summary_happens_once_and_names_what_was_left() {
    each_backend(|w| async move {
        let id = allocated(&w).await;
        w.app
            .add_family_action(
                &w.coordinator,
                id,
                &FamilyActionInput {
                    description: "Parenting course for both parents".into(),
                    owner: "Family hub".into(),
                    due_on: "2026-05-01".into(),
                },
            )
            .await
            .expect("action");
        // Refused, naming both fields, and nothing changes.
        let fields = support::fields(
            w.app
                .close_early_help(
                    &w.coordinator,
                    id,
                    &EarlyHelpClosureInput {
                        reason: "bored".into(),
                        summary: "done".into(),
                    },
                )
                .await,
        );
        assert_eq!(fields, vec!["reason", "summary"]);
        let open = w
            .app
            .view_early_help(&w.coordinator, id)
            .await
            .expect("view");
        assert_eq!(open.episode.status, EarlyHelpStatus::Open);
        // A partner practitioner may not close it.
        denied(
            w.app
                .close_early_help(&w.health, id, &EarlyHelpClosureInput::default())
                .await,
            DenialReason::RoleNotPermitted,
        );

        // Two coordinators close it at once: one wins, the other is told who and why.
        let closing = |reason: &str| EarlyHelpClosureInput {
            reason: reason.into(),
            summary: "Routines are settled and Ella attends school every day.".into(),
        };
        let (met, withdrew) = (closing("needs_met"), closing("family_withdrew"));
        let (a, b) = tokio::join!(
            w.app.close_early_help(&w.coordinator, id, &met),
            w.app.close_early_help(&w.coordinator2, id, &withdrew),
        );
        let results = [a, b];
        support::one_winner(&results);
        let closed = results
            .iter()
            .find_map(|r| r.as_ref().ok())
            .expect("closed")
            .clone();
        assert_eq!(closed.status, EarlyHelpStatus::Closed);
        let closure = closed.closure.clone().expect("closure");
        assert_eq!(closed.closed_on, Some(w.app.now().date_naive()));
        for r in &results {
            if let Err(AppError::Conflict(message)) = r {
                assert!(message.contains(&closure.closed_by_name), "{message}");
            }
        }
        // Nothing more is recorded on it, and it cannot be stepped up.
        support::conflict(
            w.app
                .record_consent(&w.coordinator, id, &consent("refused", &[], &[]))
                .await,
            "closed",
        );
        support::conflict(
            w.app
                .step_up_early_help(
                    &w.coordinator,
                    id,
                    &StepUpInput {
                        concern_categories: vec!["neglect".into()],
                        concern_summary: "New concern after closure.".into(),
                        urgency: "standard".into(),
                    },
                )
                .await,
            "closed",
        );
        // On the chronology, with the action left open.
        let chronology = w
            .app
            .person_chronology(&w.worker, closed.person, Some(EntryCategory::EarlyHelp))
            .await
            .expect("chronology");
        let entry = chronology
            .iter()
            .find(|e| e.title.starts_with("Early help closed"))
            .expect("closure on the chronology");
        assert!(
            entry.detail.contains("Parenting course for both parents"),
            "{entry:?}"
        );
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
