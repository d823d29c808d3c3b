//! Drift: carried forward, past due (across Easter), the report's counts, and work due.

use super::*;
use frontdoor_app::supervision::{ActionReviewInput, DriftCount};
use frontdoor_app::{WorkDueKind, WorkDueScope};
use frontdoor_domain::authorization::DenialReason;
use frontdoor_domain::supervision::ActionStatus;

fn carry(action: &str, due_on: &str) -> ActionReviewInput {
    ActionReviewInput {
        action_id: action.into(),
        outcome: "carry_forward".into(),
        reason: String::new(),
        due_on: due_on.into(),
    }
}

#[tokio::test]
async fn carrying_an_action_forward_makes_it_drift_and_every_open_action_is_reviewed() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        let (ben, _) = allocated(&w, "Ben", &w.worker).await;
        // Monday 30 March: two actions, both due after the next supervision.
        let mut first = supervision(&w.worker, "2026-03-30", &[amy, ben], "2026-04-20");
        first.actions.push(SupervisionActionInput {
            person_id: ben.to_string(),
            description: "Health visitor to weigh Ben".into(),
            owner: w.worker2.worker.to_string(),
            due_on: "2026-04-20".into(),
        });
        let first = record(&w, &first).await;
        let (see_amy, weigh_ben) = (
            first.supervision.actions[0].id.to_string(),
            first.supervision.actions[1].id.to_string(),
        );
        let report = w.app.drift_report(&w.manager, None).await.expect("report");
        assert!(
            report.actions.is_empty(),
            "nothing drifts before its due date"
        );

        // Wednesday 1 April: neither earlier action reviewed — refused, naming each.
        let next = supervision(&w.worker, "2026-04-01", &[amy], "2026-04-15");
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &next).await),
            vec!["reviews[0].outcome", "reviews[1].outcome"]
        );
        // Closing without a reason is refused too.
        let mut next = next;
        next.reviews = vec![
            carry(&see_amy, ""),
            ActionReviewInput {
                action_id: weigh_ben.clone(),
                outcome: "close".into(),
                ..Default::default()
            },
        ];
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &next).await),
            vec!["reviews[1].reason"]
        );
        next.reviews[1].reason = "Ben was weighed at the GP surgery instead.".into();
        let second = record(&w, &next).await;
        assert_eq!(second.supervision.reviews.len(), 2);

        let report = w.app.drift_report(&w.manager, None).await.expect("report");
        assert_eq!(
            report.actions.len(),
            1,
            "the carried action drifts; the closed one not"
        );
        let drifting = &report.actions[0];
        assert_eq!(drifting.action.id.to_string(), see_amy);
        assert_eq!(drifting.action.times_carried, 1);
        let drift = drifting.drift.expect("drifting");
        assert!(!drift.past_due);
        assert_eq!(drift.reason(), "Carried forward once");
        assert_eq!(
            report.total,
            DriftCount {
                drifting: 1,
                past_due: 0,
                carried_forward: 1
            }
        );
        let closed = w
            .app
            .supervision_action(&w.manager, weigh_ben.parse().expect("id"))
            .await
            .expect("action");
        assert_eq!(closed.view.action.status, ActionStatus::Closed);
        assert!(closed.view.drift.is_none());
        // On Amy's chronology, in words.
        let chronology = w
            .app
            .person_chronology(&w.worker, amy, None)
            .await
            .expect("chronology");
        assert!(chronology.iter().any(|e| e.title
            == "Supervision action carried forward unfinished: See the child alone at school"));
        // Supervisions are recorded in order: one dated before the latest is refused.
        let mut earlier = supervision(&w.worker, "2026-03-31", &[amy], "2026-04-15");
        earlier.reviews = w
            .app
            .prepare_supervision(&w.manager, w.worker.worker)
            .await
            .expect("preparation")
            .open_actions
            .iter()
            .map(|a| carry(&a.action.id.to_string(), ""))
            .collect();
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &earlier).await),
            vec!["held_on"]
        );
    })
    .await;
}

#[tokio::test]
async fn an_action_past_its_due_date_drifts_counted_in_working_days_across_easter() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        // Due Thursday 2 April 2026; Good Friday and Easter Monday follow.
        record(
            &w,
            &supervision(&w.worker, "2026-04-01", &[amy], "2026-04-02"),
        )
        .await;
        let overdue = |w: &World| {
            let app = w.app.clone();
            let manager = w.manager.clone();
            async move {
                let report = app.drift_report(&manager, None).await.expect("report");
                report
                    .actions
                    .first()
                    .and_then(|a| a.drift)
                    .map(|d| d.working_days_overdue)
            }
        };
        w.clock.set(utc(2026, 4, 2, 20, 0));
        assert_eq!(overdue(&w).await, None, "due today is not drift");
        w.clock.set(utc(2026, 4, 3, 9, 0));
        assert_eq!(overdue(&w).await, Some(1), "Good Friday: past due");
        w.clock.set(utc(2026, 4, 6, 9, 0));
        assert_eq!(
            overdue(&w).await,
            Some(1),
            "Easter Monday is no working day"
        );
        w.clock.set(utc(2026, 4, 7, 9, 0));
        assert_eq!(overdue(&w).await, Some(1));
        w.clock.set(utc(2026, 4, 8, 9, 0));
        assert_eq!(overdue(&w).await, Some(2));
        // The owner's work due shows it, overdue; the team's too.
        let mine = w
            .app
            .work_due(&w.worker, WorkDueScope::Mine)
            .await
            .expect("work due");
        let item = mine
            .soonest
            .iter()
            .find(|i| i.kind == WorkDueKind::SupervisionAction)
            .expect("the action is due");
        assert!(item.breached);
        assert_eq!(item.worker_name.as_deref(), Some("worker"));
        let counted = mine
            .by_kind
            .iter()
            .find(|k| k.kind == WorkDueKind::SupervisionAction)
            .expect("counted");
        assert_eq!((counted.due, counted.overdue), (1, 1));
        let team = w
            .app
            .work_due(&w.manager, WorkDueScope::Team)
            .await
            .expect("work due");
        assert!(team
            .soonest
            .iter()
            .any(|i| i.kind == WorkDueKind::SupervisionAction));
        // Not a colleague's.
        let theirs = w
            .app
            .work_due(&w.worker2, WorkDueScope::Mine)
            .await
            .expect("work due");
        assert!(!theirs
            .soonest
            .iter()
            .any(|i| i.kind == WorkDueKind::SupervisionAction));
    })
    .await;
}

/// Hand-checked, on Wednesday 8 April 2026 (Good Friday 3 and Easter Monday 6 April between):
/// - MASH A, worker's supervision of 30 March: Amy "see alone" (owner worker, due 2 April) and
///   Amy "school" (owner worker2, due 9 April); at worker's supervision of 8 April both are
///   carried forward, "see alone" to 10 April: both drift as carried, neither past due;
/// - MASH A, worker2's supervision of 31 March: Cal "see alone" (owner worker2, due 1 April):
///   past due by 3 working days (2, 7 and 8 April);
/// - MASH B, worker.b's supervision of 1 April: Bea "see alone" (owner worker.b, due 1 April,
///   past due 3) and Bea "nursery" (owner manager.b, due 2 April, past due 2).
///
/// So MASH A: 3 drifting (1 past due, 2 carried); by owner, worker 1 (carried) and worker2 2
/// (1 past due, 1 carried). MASH B: 2 drifting, both past due; worker.b 1, manager.b 1.
#[tokio::test]
async fn the_drift_report_counts_per_worker_and_team_as_checked_by_hand() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        let (cal, _) = allocated(&w, "Cal", &w.worker2).await;
        let (bea, _) = allocated(&w, "Bea", &w.worker_b).await;
        let mut a1 = supervision(&w.worker, "2026-03-30", &[amy], "2026-04-02");
        a1.actions.push(SupervisionActionInput {
            person_id: amy.to_string(),
            description: "Ask the school for attendance".into(),
            owner: w.worker2.worker.to_string(),
            due_on: "2026-04-09".into(),
        });
        let a1 = record(&w, &a1).await;
        record(
            &w,
            &supervision(&w.worker2, "2026-03-31", &[cal], "2026-04-01"),
        )
        .await;
        let mut b1 = supervision(&w.worker_b, "2026-04-01", &[bea], "2026-04-01");
        b1.actions.push(SupervisionActionInput {
            person_id: bea.to_string(),
            description: "Book a nursery place".into(),
            owner: w.manager_b.worker.to_string(),
            due_on: "2026-04-02".into(),
        });
        w.app
            .record_supervision(&w.manager_b, &b1)
            .await
            .expect("team B");
        w.clock.set(utc(2026, 4, 8, 9, 0));
        let mut a2 = supervision(&w.worker, "2026-04-08", &[amy], "2026-04-22");
        a2.actions.clear();
        a2.reviews = vec![
            carry(&a1.supervision.actions[0].id.to_string(), "2026-04-10"),
            carry(&a1.supervision.actions[1].id.to_string(), ""),
        ];
        record(&w, &a2).await;

        let everyone = w.app.drift_report(&w.senior, None).await.expect("report");
        let team = |name: &str| {
            everyone
                .teams
                .iter()
                .find(|t| t.name == name)
                .map(|t| t.counts)
                .expect("team row")
        };
        let count = |drifting, past_due, carried_forward| DriftCount {
            drifting,
            past_due,
            carried_forward,
        };
        assert_eq!(team("MASH A"), count(3, 1, 2));
        assert_eq!(team("MASH B"), count(2, 2, 0));
        assert_eq!(everyone.total, count(5, 3, 2));
        let owner = |name: &str| {
            everyone
                .workers
                .iter()
                .find(|o| o.name == name)
                .map(|o| o.counts)
                .expect("worker row")
        };
        assert_eq!(owner("worker"), count(1, 0, 1));
        assert_eq!(owner("worker.two"), count(2, 1, 1));
        assert_eq!(owner("worker.b"), count(1, 1, 0));
        assert_eq!(owner("manager.b"), count(1, 1, 0));
        // Most overdue first: Cal's and Bea's GP visit (3 working days).
        let first = everyone.actions[0].drift.expect("drift");
        assert_eq!(first.working_days_overdue, 3);

        // A manager's report is their own team's; another team's is refused.
        let a = w.app.drift_report(&w.manager, None).await.expect("report");
        assert_eq!(a.total, count(3, 1, 2));
        assert_eq!(a.teams.len(), 1);
        let b_team = w.manager_b.team;
        assert!(matches!(
            w.app.drift_report(&w.manager, b_team).await,
            Err(AppError::Denied(DenialReason::OtherTeam))
        ));
        // A senior manager narrows to a team.
        let b = w.app.drift_report(&w.senior, b_team).await.expect("report");
        assert_eq!(b.total, count(2, 2, 0));
        // Social workers and partners have no drift report.
        for who in [&w.worker, &w.partner] {
            assert!(matches!(
                w.app.drift_report(who, None).await,
                Err(AppError::Denied(DenialReason::RoleNotPermitted))
            ));
        }
    })
    .await;
}

#[tokio::test]
async fn two_supervisions_carrying_the_same_action_at_once_have_one_winner() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        let first = record(
            &w,
            &supervision(&w.worker, "2026-03-30", &[amy], "2026-04-20"),
        )
        .await;
        let action = first.supervision.actions[0].id.to_string();
        let mut next = supervision(&w.worker, "2026-04-01", &[amy], "2026-04-22");
        next.reviews = vec![carry(&action, "")];
        let (a, b) = tokio::join!(
            w.app.record_supervision(&w.manager, &next),
            w.app.record_supervision(&w.manager, &next),
        );
        support::one_winner(&[a, b]);
        let carried = w
            .app
            .supervision_action(&w.manager, action.parse().expect("id"))
            .await
            .expect("action");
        assert_eq!(
            carried.view.action.times_carried, 1,
            "carried once, not twice"
        );
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
