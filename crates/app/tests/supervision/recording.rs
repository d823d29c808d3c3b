//! Recording a supervision: the refusals, who may record and read, completing an action, and
//! the child's record.

use super::*;
use frontdoor_app::supervision::CompletionInput;
use frontdoor_domain::authorization::DenialReason;
use frontdoor_domain::supervision::ActionStatus;

#[tokio::test]
async fn an_action_without_a_timescale_is_refused_and_nothing_is_stored() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        let mut input = supervision(&w.worker, "2026-04-01", &[amy], "");
        input.actions.push(SupervisionActionInput {
            person_id: amy.to_string(),
            description: "Ask the school for attendance".into(),
            owner: w.worker2.worker.to_string(),
            due_on: "2026-03-31".into(),
        });
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &input).await),
            vec!["actions[0].due_on", "actions[1].due_on"]
        );
        let Err(AppError::Invalid(errors)) = w.app.record_supervision(&w.manager, &input).await
        else {
            panic!("refused")
        };
        assert!(
            errors[0].message.contains("without a timescale"),
            "{errors:?}"
        );
        assert!(
            errors[1].message.contains("before the supervision"),
            "{errors:?}"
        );
        assert!(w
            .app
            .supervisions(&w.manager, Some(w.worker.worker))
            .await
            .expect("list")
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_child_without_risks_reviewed_is_refused_naming_the_row() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        let (ben, _) = allocated(&w, "Ben", &w.worker).await;
        let mut input = supervision(&w.worker, "2026-04-01", &[amy, ben], "2026-04-08");
        input.children[1].risks_reviewed = "  ".into();
        input.children.insert(
            0,
            DiscussedChildInput {
                person_id: PersonId::new().to_string(),
                ..Default::default()
            },
        );
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &input).await),
            vec!["children[2].risks_reviewed"],
            "the unticked row is not discussed; the second child has no risks reviewed"
        );
        // Nothing discussed at all, and no date.
        let empty = SupervisionInput {
            worker: w.worker.worker.to_string(),
            ..Default::default()
        };
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &empty).await),
            vec!["held_on", "children"]
        );
        // A child not on the worker's caseload (allocated to someone else).
        let (cal, _) = allocated(&w, "Cal", &w.worker2).await;
        let input = supervision(&w.worker, "2026-04-01", &[cal], "2026-04-08");
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &input).await),
            vec!["children[0].person_id"]
        );
        // In the future.
        let input = supervision(&w.worker, "2026-04-02", &[amy], "2026-04-08");
        assert_eq!(
            fields(w.app.record_supervision(&w.manager, &input).await),
            vec!["held_on"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_manager_records_their_own_teams_supervision_which_the_worker_reads() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        let (bea, _) = allocated(&w, "Bea", &w.worker_b).await;
        let input = supervision(&w.worker, "2026-03-31", &[amy], "2026-04-08");
        let denied = |result: Result<SupervisionView, AppError>| match result {
            Err(AppError::Denied(reason)) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(
            denied(w.app.record_supervision(&w.worker, &input).await),
            DenialReason::RoleNotPermitted
        );
        assert_eq!(
            denied(w.app.record_supervision(&w.manager_b, &input).await),
            DenialReason::OtherTeam
        );
        let own = supervision(&w.manager, "2026-03-31", &[amy], "2026-04-08");
        assert_eq!(
            denied(w.app.record_supervision(&w.manager, &own).await),
            DenialReason::OwnSupervision
        );
        let recorded = record(&w, &input).await;
        assert_eq!(recorded.supervision.children[0].person, amy);
        assert_eq!(recorded.supervision.actions[0].status, ActionStatus::Open);
        assert_eq!(recorded.supervision.supervisor_name, "manager");
        let id = recorded.supervision.id;
        // Read by the worker, their manager and a senior manager; not by a colleague, the
        // other team's manager or a partner.
        for reader in [&w.worker, &w.manager, &w.senior] {
            w.app.view_supervision(reader, id).await.expect("read");
        }
        for (reader, reason) in [
            (&w.worker2, DenialReason::OtherWorker),
            (&w.manager_b, DenialReason::OtherTeam),
            (&w.partner, DenialReason::RoleNotPermitted),
        ] {
            match w.app.view_supervision(reader, id).await {
                Err(AppError::Denied(got)) => assert_eq!(got, reason),
                other => panic!("expected {reason:?}, got {other:?}"),
            }
        }
        assert_eq!(
            w.app
                .supervisions(&w.worker, None)
                .await
                .expect("own")
                .len(),
            1
        );
        assert!(w
            .app
            .supervisions(&w.worker2, None)
            .await
            .expect("own")
            .is_empty());
        assert!(matches!(
            w.app.supervisions(&w.worker2, Some(w.worker.worker)).await,
            Err(AppError::Denied(DenialReason::OtherWorker))
        ));
        // Team B's manager supervises their own worker.
        let theirs = supervision(&w.worker_b, "2026-03-31", &[bea], "2026-04-08");
        w.app
            .record_supervision(&w.manager_b, &theirs)
            .await
            .expect("team B");
        // On the child's record: the discussion and the action; in words on the chronology.
        let child = w
            .app
            .child_supervision(&w.worker, amy)
            .await
            .expect("child's supervision");
        assert_eq!(child.discussions.len(), 1);
        assert!(child.discussions[0].risks_reviewed.contains("hungry"));
        assert_eq!(child.actions.len(), 1);
        let chronology = w
            .app
            .person_chronology(&w.worker, amy, None)
            .await
            .expect("chronology");
        let entry = chronology
            .iter()
            .find(|e| e.kind == "supervision_discussed")
            .expect("on the chronology");
        assert_eq!(
            entry.title,
            "Discussed in worker's case supervision on 31 March 2026"
        );
        assert!(
            entry
                .detail
                .contains("See the child alone at school (worker, by 8 April 2026)"),
            "{}",
            entry.detail
        );
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn an_action_is_completed_once_by_its_owner_or_the_manager() {
    each_backend(|w| async move {
        let (amy, _) = allocated(&w, "Amy", &w.worker).await;
        let recorded = record(
            &w,
            &supervision(&w.worker, "2026-03-31", &[amy], "2026-04-08"),
        )
        .await;
        let action = recorded.supervision.actions[0].id;
        let done = CompletionInput {
            completed_on: "2026-04-01".into(),
            note: "Seen alone at school; she says there is food at home now.".into(),
        };
        match w
            .app
            .complete_supervision_action(&w.worker2, action, &done)
            .await
        {
            Err(AppError::Denied(DenialReason::OtherWorker)) => {}
            other => panic!("a colleague cannot complete it: {other:?}"),
        }
        match w
            .app
            .complete_supervision_action(&w.manager_b, action, &done)
            .await
        {
            Err(AppError::Denied(DenialReason::OtherTeam)) => {}
            other => panic!("another team's manager cannot complete it: {other:?}"),
        }
        let early = CompletionInput {
            completed_on: "2026-03-30".into(),
            note: String::new(),
        };
        assert_eq!(
            fields(
                w.app
                    .complete_supervision_action(&w.worker, action, &early)
                    .await
            ),
            vec!["completed_on", "note"]
        );
        let completed = w
            .app
            .complete_supervision_action(&w.worker, action, &done)
            .await
            .expect("completed");
        assert_eq!(completed.action.status, ActionStatus::Completed);
        assert!(completed.drift.is_none());
        support::conflict(
            w.app
                .complete_supervision_action(&w.manager, action, &done)
                .await,
            "worker completed this action",
        );
        let chronology = w
            .app
            .person_chronology(&w.worker, amy, None)
            .await
            .expect("chronology");
        assert!(chronology
            .iter()
            .any(|e| e.title == "Supervision action done: See the child alone at school"));

        // The manager completes another; two completions at once: one winner.
        let second = record(
            &w,
            &supervision(&w.worker, "2026-04-01", &[amy], "2026-04-08"),
        )
        .await;
        let action = second.supervision.actions[0].id;
        let (a, b) = tokio::join!(
            w.app.complete_supervision_action(&w.manager, action, &done),
            w.app.complete_supervision_action(&w.worker, action, &done),
        );
        support::one_winner(&[a, b]);
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
