//! Section 47 enquiries, conferences and plans; races with one winner.

use super::*;

#[tokio::test]
async fn a_visit_before_the_strategy_discussion_agreed_the_plan_is_flagged_and_needs_a_reason() {
    each_backend(|w| async move {
        let (child, _, id) = signed_off(&w).await;
        let enquiry = w
            .app
            .start_section_47(&w.worker, id)
            .await
            .expect("enquiry");
        assert_eq!(enquiry.started_on, date(2026, 4, 1));
        let again = w.app.start_section_47(&w.worker, id).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains("already started")),
            "{again:?}"
        );

        // 11:00 London, before the discussion at 14:00.
        let mut visit = EnquiryVisitInput {
            visited_date: "2026-04-01".into(),
            visited_time: "11:00".into(),
            visited_by: "worker".into(),
            child_seen: Some(true),
            seen_alone: Some(false),
            early_visit_reason: String::new(),
        };
        let refused = w
            .app
            .record_section_47_visit(&w.worker, enquiry.id, &visit)
            .await
            .expect_err("refused");
        assert_eq!(fields(&refused), vec!["early_visit_reason"]);
        assert!(
            refused.to_string().contains("at 14:00 on 1 April 2026"),
            "{refused}"
        );
        visit.early_visit_reason =
            "Called out by police to the home when the injury was reported.".into();
        let flagged = w
            .app
            .record_section_47_visit(&w.worker, enquiry.id, &visit)
            .await
            .expect("visit");
        assert!(flagged.before_plan_agreed);

        // 14:30 London: after the plan was agreed, not flagged.
        let after = EnquiryVisitInput {
            visited_date: "2026-04-01".into(),
            visited_time: "14:30".into(),
            visited_by: "worker and DS Khan".into(),
            child_seen: Some(true),
            seen_alone: Some(true),
            early_visit_reason: String::new(),
        };
        let visit = w
            .app
            .record_section_47_visit(&w.worker, enquiry.id, &after)
            .await
            .expect("visit");
        assert!(!visit.before_plan_agreed);
        assert!(visit.seen_alone);

        let chronology = w
            .app
            .person_chronology(&w.worker, child, None)
            .await
            .expect("chronology");
        assert!(chronology.iter().any(|e| e
            .detail
            .contains("Visited before the strategy discussion agreed the plan")));
    })
    .await;
}

#[tokio::test]
async fn icpc_due_over_easter_then_plan_reviews_and_visits() {
    each_backend(|w| async move {
        let (_, episode, id) = signed_off(&w).await;
        let enquiry = w
            .app
            .start_section_47(&w.worker, id)
            .await
            .expect("enquiry");
        // Held Wednesday 1 April 2026; Good Friday (3rd) and Easter Monday (6th) do not count:
        // 15 working days later is Friday 24 April, not Wednesday 22 April.
        assert_eq!(enquiry.icpc_due_on, date(2026, 4, 24));

        w.clock.set(utc(2026, 4, 14, 9, 0));
        let completed = w
            .app
            .complete_section_47(
                &w.worker,
                enquiry.id,
                &EnquiryOutcomeInput {
                    concerns_substantiated: Some(true),
                    icpc_needed: Some(true),
                    reason: "Injury consistent with the disclosure; the risk remains at home."
                        .into(),
                    completed_on: String::new(),
                },
            )
            .await
            .expect("complete");
        assert_eq!(completed.icpc_needed, Some(true));
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        let icpc = view
            .conferences
            .iter()
            .find(|c| c.kind == "initial")
            .expect("icpc");
        assert_eq!(icpc.due_on, date(2026, 4, 24));

        w.clock.set(utc(2026, 4, 24, 15, 0));
        let held_with_a_plan = |category: &str| ConferenceInput {
            held_on: "2026-04-24".into(),
            chair: "I. Chair".into(),
            plan: Some(true),
            category: category.into(),
        };
        let missing = w
            .app
            .record_conference(&w.worker, icpc.id, &held_with_a_plan(""))
            .await
            .expect_err("a plan needs a category");
        assert_eq!(fields(&missing), vec!["category"]);
        w.app
            .record_conference(&w.worker, icpc.id, &held_with_a_plan("PHY"))
            .await
            .expect("icpc held");
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        let plan = &view.plans[0];
        assert_eq!(plan.plan.started_on, date(2026, 4, 24));
        assert_eq!(plan.plan.initial_category.code(), "PHY");
        // The first review within 3 months: Friday 24 July 2026.
        assert_eq!(plan.next_review_due, Some(date(2026, 7, 24)));
        // Statutory visits every 10 working days: Monday 11 May 2026 (the 4 May bank holiday
        // does not count).
        assert_eq!(plan.next_visit_due, Some(date(2026, 5, 11)));

        w.clock.set(utc(2026, 5, 6, 12, 0));
        let plan_view = w
            .app
            .record_plan_visit(
                &w.worker,
                plan.plan.id,
                &PlanVisitInput {
                    visited_on: "2026-05-06".into(),
                    seen_alone: Some(true),
                },
            )
            .await
            .expect("visit");
        assert_eq!(plan_view.next_visit_due, Some(date(2026, 5, 20)));

        w.clock.set(utc(2026, 7, 24, 15, 0));
        let review = plan_view
            .reviews
            .iter()
            .find(|r| r.held_on.is_none())
            .expect("review to hold");
        w.app
            .record_conference(
                &w.manager,
                review.id,
                &ConferenceInput {
                    held_on: "2026-07-24".into(),
                    chair: "I. Chair".into(),
                    plan: Some(true),
                    category: "MUL".into(),
                },
            )
            .await
            .expect("review held");
        let plan_view = w
            .app
            .view_plan(&w.worker, plan.plan.id)
            .await
            .expect("plan");
        assert_eq!(plan_view.plan.latest_category.code(), "MUL");
        // Then within 6 months of that review: 24 January 2027 is a Sunday, so Friday 22nd.
        assert_eq!(plan_view.next_review_due, Some(date(2027, 1, 22)));
        let twice = w
            .app
            .record_conference(
                &w.manager,
                review.id,
                &ConferenceInput {
                    held_on: "2026-07-24".into(),
                    chair: "I. Chair".into(),
                    plan: Some(false),
                    category: String::new(),
                },
            )
            .await;
        assert!(matches!(twice, Err(AppError::Conflict(_))), "{twice:?}");
    })
    .await;
}

#[tokio::test]
async fn two_managers_signing_off_or_two_enquiries_at_once_have_exactly_one_winner() {
    each_backend(|w| async move {
        let (_, episode, id) = to_write_up(&w).await;
        w.app
            .record_strategy_discussion(&w.worker, id, &complete())
            .await
            .expect("save");
        let (a, b) = tokio::join!(
            w.app.sign_off_strategy_discussion(&w.manager, id),
            w.app.sign_off_strategy_discussion(&w.manager2, id),
        );
        one_winner([a, b]);

        let (a, b) = tokio::join!(
            w.app.start_section_47(&w.worker, id),
            w.app.start_section_47(&w.manager, id),
        );
        one_winner([a, b]);
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        assert_eq!(view.enquiries.len(), 1);
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
