//! The demo's case supervision: the MASH social worker's caseload (the children in child
//! protection, and this morning's strategy discussion) allocated to them, and two supervisions
//! by their manager, so that the manager signing in sees a real drift report: an action
//! carried forward and now past due, another past due, one done, one closed unfinished.

use super::child_of;
use super::script::Today;
use crate::local_time::from_london;
use crate::supervision::{
    ActionReviewInput, CompletionInput, DiscussedChildInput, SupervisionActionInput,
    SupervisionInput,
};
use crate::{App, AppError, EpisodeUpdateInput};
use chrono::{NaiveDate, NaiveTime};
use frontdoor_domain::authorization::Actor;
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{ContactId, PersonId};

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn discussed(child: PersonId, risks: &str, decisions: &str) -> DiscussedChildInput {
    DiscussedChildInput {
        person_id: child.to_string(),
        discussed: true,
        risks_reviewed: risks.into(),
        decisions: decisions.into(),
    }
}

fn action(child: PersonId, what: &str, owner: &Actor, due: NaiveDate) -> SupervisionActionInput {
    SupervisionActionInput {
        person_id: child.to_string(),
        description: what.into(),
        owner: owner.worker.to_string(),
        due_on: day(due),
    }
}

/// Stages the supervisions: `on_a_plan` (Lily-Mae), `enquiry` (Mason) and `decided` (Amira)
/// are the contacts whose children the social worker holds. Returns how many were recorded.
pub(super) async fn supervision_of_the_social_worker(
    app: &App,
    clock: &FixedClock,
    today: &Today<'_>,
    social_worker: &Actor,
    manager: &Actor,
    [on_a_plan, enquiry, decided]: [ContactId; 3],
) -> Result<usize, AppError> {
    let at = |date: NaiveDate, hour: u32| {
        from_london(date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
    };
    let (lily, lily_episode) = child_of(app, manager, on_a_plan).await?;
    let (mason, mason_episode) = child_of(app, manager, enquiry).await?;
    let (_, amira_episode) = child_of(app, manager, decided).await?;
    // Allocated the working day after each referral (Amira's this morning).
    for (episode, on) in [
        (lily_episode, today.before(59)),
        (mason_episode, today.before(11)),
        (amira_episode, today.before(0)),
    ] {
        clock.set(at(on, 9));
        app.update_episode(
            manager,
            episode,
            &EpisodeUpdateInput {
                worker: social_worker.worker.to_string(),
                ..Default::default()
            },
        )
        .await?;
    }

    // Twenty-five working days ago: Lily-Mae.
    let first_on = today.before(25);
    clock.set(at(first_on, 15));
    let first = app
        .record_supervision(
            manager,
            &SupervisionInput {
                worker: social_worker.worker.to_string(),
                held_on: day(first_on),
                children: vec![discussed(
                    lily,
                    "Father has moved out under bail conditions; mother is engaging. Lily-Mae says she feels safer but is anxious at school.",
                    "Plan continues; the review conference stays as set.",
                )],
                actions: vec![
                    action(lily, "See Lily-Mae alone at school about how things are at home", social_worker, today.before(20)),
                    action(lily, "Refer father to the domestic abuse perpetrator programme", social_worker, today.before(15)),
                    action(lily, "Arrange a core group meeting with school and health", manager, today.before(22)),
                ],
                reviews: vec![],
            },
        )
        .await?;
    let ids: Vec<String> = first
        .supervision
        .actions
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    // The referral was made on time.
    let done_on = today.before(18);
    clock.set(at(done_on, 16));
    if let Some(referral) = first.supervision.actions.get(1) {
        app.complete_supervision_action(
            social_worker,
            referral.id,
            &CompletionInput {
                completed_on: day(done_on),
                note: "Referral made; father has an assessment appointment next month.".into(),
            },
        )
        .await?;
    }

    // Eight working days ago: Lily-Mae again, and Mason.
    let second_on = today.before(8);
    clock.set(at(second_on, 15));
    let review =
        |id: &str, outcome: &str, reason: &str, due: Option<NaiveDate>| ActionReviewInput {
            action_id: id.into(),
            outcome: outcome.into(),
            reason: reason.into(),
            due_on: due.map(day).unwrap_or_default(),
        };
    app.record_supervision(
        manager,
        &SupervisionInput {
            worker: social_worker.worker.to_string(),
            held_on: day(second_on),
            children: vec![
                discussed(
                    lily,
                    "No new incidents; Lily-Mae has not yet been seen alone since the plan began, which leaves her voice missing.",
                    "Seeing her alone is now the priority.",
                ),
                discussed(
                    mason,
                    "Spiral fracture with inconsistent accounts; mother's partner not yet spoken to. Risk of further physical harm remains high.",
                    "Initial conference to go ahead; section 47 visit write-up to be finished first.",
                ),
            ],
            actions: vec![
                action(mason, "Finish the write-up of the section 47 visit for the conference", social_worker, today.before(3)),
                action(mason, "Ask Mason's school for his attendance and any injuries seen", social_worker, today.date + chrono::Duration::days(7)),
            ],
            reviews: vec![
                review(&ids[0], "carry_forward", "", Some(today.before(4))),
                review(&ids[2], "close", "The core group met at the review conference instead.", None),
            ],
        },
    )
    .await?;
    Ok(2)
}
