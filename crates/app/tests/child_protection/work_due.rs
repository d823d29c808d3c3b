//! Work due for the worker, the team and the authority.

use super::*;

async fn due_for(w: &World, who: &Actor, scope: WorkDueScope) -> frontdoor_app::WorkDue {
    w.app.work_due(who, scope).await.expect("work due")
}

#[tokio::test]
async fn work_due_lists_the_worker_and_team_due_dates_soonest_first_with_breaches() {
    each_backend(|w| async move {
        let (_, episode, _) = to_hold(&w).await;
        let due = due_for(&w, &w.manager, WorkDueScope::Team).await;
        let team = &due.soonest;
        assert_eq!(team.len(), 1);
        assert_eq!((due.due, due.overdue), (1, 0));
        assert_eq!(team[0].kind, WorkDueKind::StrategyDiscussion);
        // Decided on Wednesday 1 April: to be held by the end of Thursday 2 April.
        assert_eq!(team[0].due_on, date(2026, 4, 2));
        assert!(!team[0].breached);
        // Due today on the Thursday is not yet overdue, in the list or in the counts.
        w.clock.set(utc(2026, 4, 2, 17, 0));
        let due = due_for(&w, &w.manager, WorkDueScope::Team).await;
        assert_eq!((due.due, due.overdue), (1, 0));
        assert!(!due.soonest[0].breached);
        w.clock.set(utc(2026, 4, 1, 9, 0));
        let other_team = due_for(&w, &w.manager_b, WorkDueScope::Team).await;
        assert!(other_team.soonest.is_empty());
        assert_eq!(other_team.due, 0);
        assert!(due_for(&w, &w.worker, WorkDueScope::Mine)
            .await
            .soonest
            .is_empty());
        let partner = w.app.work_due(&w.partner, WorkDueScope::All).await;
        assert!(matches!(partner, Err(AppError::Denied(_))), "{partner:?}");

        // Allocated to the worker, it is theirs; after Easter it is a breach.
        w.app
            .update_episode(
                &w.manager,
                episode,
                &EpisodeUpdateInput {
                    primary_need: String::new(),
                    worker: w.worker.worker.to_string(),
                    ..Default::default()
                },
            )
            .await
            .expect("allocate");
        // Good Friday and Easter Monday are not working days: overdue from Friday in the
        // calendar, and still on Tuesday 7 April.
        w.clock.set(utc(2026, 4, 7, 9, 0));
        let due = due_for(&w, &w.worker, WorkDueScope::Mine).await;
        let mine = &due.soonest;
        assert_eq!(mine.len(), 1);
        assert!(mine[0].breached);
        assert_eq!((due.due, due.overdue), (1, 1));
        assert_eq!(mine[0].worker_name.as_deref(), Some("worker"));

        // Another child's discussion signed off and its enquiry completed: the ICPC is due.
        w.clock.set(utc(2026, 4, 1, 9, 0));
        let (_, _, id) = signed_off(&w).await;
        let enquiry = w
            .app
            .start_section_47(&w.worker, id)
            .await
            .expect("enquiry");
        w.app
            .complete_section_47(
                &w.worker,
                enquiry.id,
                &EnquiryOutcomeInput {
                    concerns_substantiated: Some(true),
                    icpc_needed: Some(true),
                    reason: "Significant harm likely without a plan.".into(),
                    completed_on: String::new(),
                },
            )
            .await
            .expect("complete");
        let due = due_for(&w, &w.manager, WorkDueScope::Team).await;
        let team = &due.soonest;
        let kinds: Vec<WorkDueKind> = team.iter().map(|i| i.kind).collect();
        let counted: Vec<(WorkDueKind, u64)> = due
            .by_kind
            .iter()
            .filter(|k| k.due > 0)
            .map(|k| (k.kind, k.due))
            .collect();
        assert_eq!(
            counted,
            vec![
                (WorkDueKind::StrategyDiscussion, 1),
                (WorkDueKind::InitialConference, 1)
            ]
        );
        assert_eq!(
            kinds,
            vec![
                WorkDueKind::StrategyDiscussion,
                WorkDueKind::InitialConference
            ]
        );
        assert!(
            team.windows(2).all(|p| p[0].due_on <= p[1].due_on),
            "soonest first"
        );
    })
    .await;
}
