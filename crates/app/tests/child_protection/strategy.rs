//! Strategy discussions: opened by a referral, written up, signed off only when complete.

use super::*;

#[tokio::test]
async fn a_referral_opens_the_childs_episode_and_a_strategy_outcome_leaves_a_discussion_to_hold() {
    each_backend(|w| async move {
        let (_, _, episode) = decided(&w, "referral_for_assessment").await;
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        assert_eq!(view.episode.referral_date, date(2026, 4, 1));
        assert_eq!(view.episode.source.code(), "5A");
        assert!(
            view.episode.team.is_some(),
            "allocated to the contact's team"
        );
        assert!(view.strategy_discussions.is_empty());

        let (_, child, episode) = decided(&w, "strategy_discussion").await;
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        let discussion = &view.strategy_discussions[0];
        assert_eq!(discussion.state, StrategyState::ToHold);
        assert_eq!(discussion.decided_at, utc(2026, 4, 1, 9, 0));
        assert!(!discussion.emergency);

        // The primary need, then closure with a census reason.
        w.app
            .update_episode(
                &w.worker,
                episode,
                &EpisodeUpdateInput {
                    primary_need: "N1".into(),
                    worker: String::new(),
                    ..Default::default()
                },
            )
            .await
            .expect("need");
        let refused = w.app.close_episode(&w.manager, episode, &closure()).await;
        assert!(
            matches!(&refused, Err(AppError::Conflict(m)) if m.contains("strategy discussion")),
            "{refused:?}"
        );
        let titles = [
            "Episode of need opened by a referral",
            "Strategy discussion to be held",
            "Primary need: Abuse or neglect",
        ];
        assert_on_chronology(&w, child, &titles).await;
    })
    .await;
}

#[tokio::test]
async fn strategy_sign_off_is_refused_for_each_missing_part_and_accepted_once_complete() {
    each_backend(|w| async move {
        let (child, _, id) = to_write_up(&w).await;

        // Not held yet: nothing to sign off.
        let early = w.app.sign_off_strategy_discussion(&w.manager, id).await;
        assert!(matches!(early, Err(AppError::Conflict(_))), "{early:?}");

        type Change = fn(&mut StrategyRecordInput);
        let cases: Vec<(&str, Change)> = vec![
            ("police_absence_reason", |r| {
                r.attendees.retain(|a| a.agency != "police");
            }),
            ("health_absence_reason", |r| {
                r.attendees.retain(|a| a.agency != "health");
            }),
            ("information_shared.police", |r| {
                r.attendees[0].information_shared.clear();
            }),
            ("risks", |r| r.risks.clear()),
            ("risks[0].to_whom", |r| r.risks[0].to_whom.clear()),
            ("risks[0].from_whom", |r| r.risks[0].from_whom.clear()),
            ("risks[0].likelihood", |r| r.risks[0].likelihood.clear()),
            ("risks[0].severity", |r| r.risks[0].severity.clear()),
            ("decision", |r| r.decision.clear()),
            ("rationale", |r| r.rationale.clear()),
            ("actions", |r| r.actions.clear()),
            ("actions[0].owner", |r| r.actions[0].owner.clear()),
            ("actions[0].due_on", |r| r.actions[0].due_on.clear()),
        ];
        for (missing, change) in &cases {
            let mut input = complete();
            change(&mut input);
            w.app
                .record_strategy_discussion(&w.worker, id, &input)
                .await
                .expect("an incomplete record can be saved");
            let refused = w
                .app
                .sign_off_strategy_discussion(&w.manager, id)
                .await
                .expect_err("refused");
            assert_eq!(fields(&refused), vec![missing.to_string()], "{missing}");
        }
        // A reason stands in for an absent agency.
        let mut input = complete();
        input.attendees.retain(|a| a.agency != "health");
        input.health_absence_reason = "Not known to health; GP checked by phone beforehand.".into();
        // Every part missing at once is named at once, in the order of the form.
        let empty = StrategyRecordInput {
            held_date: "2026-04-01".into(),
            held_time: "14:00".into(),
            ..Default::default()
        };
        w.app.record_strategy_discussion(&w.worker, id, &empty).await.expect("save");
        let refused = w.app.sign_off_strategy_discussion(&w.manager, id).await.expect_err("refused");
        assert_eq!(
            fields(&refused),
            vec!["police_absence_reason", "health_absence_reason", "risks", "decision", "rationale", "actions"]
        );
        assert!(refused.to_string().contains("Record the decision"), "{refused}");

        // Complete: the worker's record is signed off by a manager of the team.
        w.app.record_strategy_discussion(&w.worker, id, &input).await.expect("save");
        let other_team = w.app.sign_off_strategy_discussion(&w.manager_b, id).await;
        assert!(matches!(other_team, Err(AppError::Denied(DenialReason::OtherTeam))), "{other_team:?}");
        let worker = w.app.sign_off_strategy_discussion(&w.worker, id).await;
        assert!(matches!(worker, Err(AppError::Denied(DenialReason::RoleNotPermitted))), "{worker:?}");
        let signed = w.app.sign_off_strategy_discussion(&w.manager, id).await.expect("signed off");
        assert_eq!(signed.state, StrategyState::SignedOff);
        assert_eq!(signed.held_within_target, Some(true));
        assert_eq!(signed.sign_off_refusals, cases.len() as i32 + 1);
        let assessments = w
            .app
            .store
            .assessment_dates(signed.authority, child)
            .await
            .expect("assessments");
        assert!(
            assessments.is_empty(),
            "a section 47 decision starts no single-agency assessment"
        );

        // Never twice, and no changes after sign-off: the conflict says who and when.
        let again = w.app.sign_off_strategy_discussion(&w.manager2, id).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains("manager signed this strategy discussion off at 16:00 on 1 April 2026")),
            "{again:?}"
        );
        let edit = w.app.record_strategy_discussion(&w.worker, id, &complete()).await;
        assert!(matches!(edit, Err(AppError::Conflict(_))), "{edit:?}");

        let titles = [
            "Strategy discussion signed off: Section 47 enquiry",
            "Strategy discussion sign-off refused: the record is incomplete",
        ];
        assert_on_chronology(&w, child, &titles).await;
    })
    .await;
}

#[tokio::test]
async fn a_manager_does_not_sign_off_their_own_record_and_partners_take_no_part() {
    each_backend(|w| async move {
        let (_, episode, id) = to_write_up(&w).await;
        w.app
            .record_strategy_discussion(&w.manager, id, &complete())
            .await
            .expect("save");
        let own = w.app.sign_off_strategy_discussion(&w.manager, id).await;
        assert!(
            matches!(own, Err(AppError::Denied(DenialReason::OwnRecord))),
            "{own:?}"
        );
        w.app
            .sign_off_strategy_discussion(&w.manager2, id)
            .await
            .expect("another manager");
        let partner = w.app.view_episode(&w.partner, episode).await;
        assert!(matches!(partner, Err(AppError::Denied(_))), "{partner:?}");
        let partner = w
            .app
            .start_emergency_strategy_discussion(&w.partner, episode)
            .await;
        assert!(matches!(partner, Err(AppError::Denied(_))), "{partner:?}");

        // Out of hours, an emergency discussion on the open episode.
        w.clock.set(utc(2026, 4, 1, 22, 30));
        let emergency = w
            .app
            .start_emergency_strategy_discussion(&w.out_of_hours, episode)
            .await
            .expect("emergency");
        assert!(emergency.emergency);
        assert_eq!(emergency.state, StrategyState::ToHold);
    })
    .await;
}

#[tokio::test]
async fn a_single_agency_assessment_decided_starts_the_childs_assessment() {
    each_backend(|w| async move {
        let (child, _, id) = to_write_up(&w).await;
        let mut input = complete();
        input.decision = "section_17_assessment".into();
        w.app
            .record_strategy_discussion(&w.worker, id, &input)
            .await
            .expect("save");
        let signed = w
            .app
            .sign_off_strategy_discussion(&w.manager, id)
            .await
            .expect("sign off");
        let assessments = w
            .app
            .store
            .assessment_dates(signed.authority, child)
            .await
            .expect("assessments");
        assert_eq!(assessments, vec![date(2026, 4, 1)]);
        let refused = w.app.start_section_47(&w.worker, id).await;
        assert!(matches!(refused, Err(AppError::Conflict(_))), "{refused:?}");
    })
    .await;
}

#[tokio::test]
async fn a_manager_withdraws_a_discussion_no_longer_needed_and_the_episode_can_close() {
    each_backend(|w| async move {
        let (child, episode, id) = to_hold(&w).await;
        let worker = w
            .app
            .withdraw_strategy_discussion(
                &w.worker,
                id,
                "Police confirmed the injury was accidental.",
            )
            .await;
        assert!(
            matches!(
                worker,
                Err(AppError::Denied(DenialReason::RoleNotPermitted))
            ),
            "{worker:?}"
        );
        let short = w
            .app
            .withdraw_strategy_discussion(&w.manager, id, "no")
            .await
            .expect_err("refused");
        assert_eq!(fields(&short), vec!["withdrawal_reason"]);
        let withdrawn = w
            .app
            .withdraw_strategy_discussion(
                &w.manager,
                id,
                "Police confirmed the injury was accidental.",
            )
            .await
            .expect("withdrawn");
        assert_eq!(withdrawn.state, StrategyState::Withdrawn);
        assert!(w
            .app
            .work_due(&w.manager, WorkDueScope::Team)
            .await
            .expect("due")
            .soonest
            .is_empty());
        let again = w.app.sign_off_strategy_discussion(&w.manager2, id).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains("withdrawn")),
            "{again:?}"
        );
        w.app
            .close_episode(&w.manager, episode, &closure())
            .await
            .expect("closed");
        let titles = [
            "Strategy discussion withdrawn: no longer needed",
            "Episode of need closed",
        ];
        assert_on_chronology(&w, child, &titles).await;
    })
    .await;
}
