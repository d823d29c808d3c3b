//! Recording contacts: receipt to authorised referral, refused input, timescale, online form.

use super::*;

#[tokio::test]
async fn a_contact_goes_from_receipt_to_an_authorised_referral() {
    each_backend(|w| async move {
        let contact = recorded(&w, vec![child("Amy", "Stone", "2016-04-01")]).await;
        assert_eq!(contact.reference, "FD-2026-000001");
        assert!(!contact.out_of_hours, "Tuesday 10:00 is office hours");
        assert_eq!(contact.status, ContactStatus::AwaitingTriage);
        // Due by the end of Wednesday 4 March (London): breached from midnight.
        assert_eq!(contact.decision_due_at, utc(2026, 3, 5, 0, 0));

        // No recommendation before the child is linked to a record.
        let early = w
            .app
            .recommend_decision(
                &w.worker,
                contact.id,
                &recommendation("referral_for_assessment"),
            )
            .await;
        assert!(matches!(early, Err(AppError::Conflict(_))), "{early:?}");
        link_all_new(&w, contact.id).await;

        let decision = recommended(&w, &w.worker, contact.id, "referral_for_assessment").await;
        assert_eq!(decision.state, DecisionState::Recommended);

        // Every refusal: the social worker's role, the other team's manager, a partner.
        use DenialReason::{OtherTeam, RoleNotPermitted};
        for (who, reviewer, reason) in [
            ("the social worker", &w.worker, RoleNotPermitted),
            ("the other team's manager", &w.manager_b, OtherTeam),
            ("a partner", &w.partner, RoleNotPermitted),
        ] {
            let refused = reviewed(&w, reviewer, contact.id, true).await;
            assert!(
                matches!(refused, Err(AppError::Denied(r)) if r == reason),
                "{who}: {refused:?}"
            );
        }
        let too_short = w
            .app
            .review_decision(
                &w.manager,
                contact.id,
                &ReviewInput {
                    authorise: Some(true),
                    rationale: "ok".into(),
                    departure_reasons: Default::default(),
                },
            )
            .await;
        assert!(
            matches!(too_short, Err(AppError::Invalid(ref e)) if e[0].field == "rationale"),
            "{too_short:?}"
        );

        assert_eq!(
            reviewed(&w, &w.manager, contact.id, true)
                .await
                .expect("authorise"),
            DecisionState::Authorised
        );
        let view = w
            .app
            .view_contact(&w.manager, contact.id)
            .await
            .expect("view");
        assert_eq!(view.contact.status, ContactStatus::Decided);
        let person = view.subjects[0].person.clone().expect("linked");

        // The child's chronology shows the contact, the recommendation and the authorisation.
        let record = w
            .app
            .view_person(&w.worker, person.id)
            .await
            .expect("record");
        let kinds: Vec<&str> = record.chronology.iter().map(|e| e.kind.as_str()).collect();
        for kind in [
            "person_created",
            "contact_linked",
            "decision_recommended",
            "decision_authorised",
        ] {
            assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
        }
        // Both views were written to the access log, and the chains verify.
        assert!(record.recent_access.iter().any(|a| a.purpose == "record"));
        assert!(record
            .recent_access
            .iter()
            .any(|a| a.purpose.starts_with("contact FD-")));
        support::assert_audit_intact(&w.app).await;

        // A second contact two months later: the child's new referral is a re-referral.
        w.clock.set(utc(2026, 5, 5, 9, 30));
        let second = recorded(&w, vec![child("Amy", "Stone", "2016-04-01")]).await;
        let sub = w
            .app
            .view_contact(&w.officer, second.id)
            .await
            .expect("view")
            .subjects[0]
            .subject
            .id;
        w.app
            .link_contact_subject(&w.officer, second.id, sub, LinkTarget::Existing(person.id))
            .await
            .expect("link existing");
        let view = w
            .app
            .view_contact(&w.worker, second.id)
            .await
            .expect("view");
        let history = view.subjects[0].history.clone().expect("history");
        assert!(history.would_be_re_referral, "{history:?}");
        assert_eq!(history.previous_contacts, 1);
        assert_eq!(
            view.subjects[0].known_concerns,
            vec![frontdoor_domain::contact::ConcernCategory::Neglect],
            "known risks from the earlier contact"
        );
        recommended(&w, &w.worker, second.id, "strategy_discussion").await;
        reviewed(&w, &w.manager, second.id, true)
            .await
            .expect("authorise");
        let dates = w
            .app
            .store
            .referrals_of(w.authority, person.id)
            .await
            .expect("referrals");
        assert_eq!(dates.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_stored() {
    each_backend(|w| async move {
        let events_before = w.app.store.event_count().await.expect("count");
        let mut input = school_contact(vec![SubjectInput {
            given_name: "Dee".into(),
            family_name: "".into(),
            date_of_birth: "2019-02-30".into(),
            postcode: "NOT A POSTCODE".into(),
            nhs_number: "1234567890".into(),
            ..Default::default()
        }]);
        input.source = "99".into();
        input.concern_categories = vec![];
        input.concern_summary = "".into();
        let Err(AppError::Invalid(errors)) = w.app.record_contact(&w.officer, &input).await else {
            panic!("expected field errors")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "source",
            "concern_categories",
            "concern_summary",
            "children[0].family_name",
            "children[0].date_of_birth",
            "children[0].postcode",
            "children[0].nhs_number",
        ] {
            assert!(fields.contains(&field), "{field} not in {fields:?}");
        }
        assert_eq!(
            w.app.store.contact_count(w.authority).await.expect("count"),
            0
        );
        assert_eq!(
            w.app.store.event_count().await.expect("count"),
            events_before
        );
        // A time received in the future is refused.
        let mut future = school_contact(vec![child("Eve", "Moss", "2015-01-01")]);
        future.received_date = "2026-03-04".into();
        future.received_time = "10:00".into();
        let Err(AppError::Invalid(errors)) = w.app.record_contact(&w.officer, &future).await else {
            panic!("expected field errors")
        };
        assert_eq!(errors[0].field, "received_date");
    })
    .await;
}

#[tokio::test]
async fn out_of_hours_and_the_timescale_follow_the_calendar() {
    each_backend(|w| async move {
        // Thursday 2 April 2026 at 18:30: out of hours; Good Friday and Easter Monday follow,
        // so the decision is due by the end of Tuesday 7 April.
        w.clock.set(utc(2026, 4, 2, 17, 30));
        let contact = recorded(&w, vec![child("Fay", "Lane", "2014-07-07")]).await;
        assert!(contact.out_of_hours);
        let view = w
            .app
            .view_contact(&w.officer, contact.id)
            .await
            .expect("view");
        assert_eq!(
            view.due_date,
            NaiveDate::from_ymd_opt(2026, 4, 7).expect("date")
        );
        // The queue shows it, overdue once the due day has passed.
        w.clock.set(utc(2026, 4, 8, 9, 0));
        let all = queue(&w, QueueFilter::default()).await;
        assert_eq!(all.total, 1);
        assert_eq!(all.overdue, 1);
        let out_of_hours_only = queue(
            &w,
            QueueFilter {
                out_of_hours: Some(false),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(out_of_hours_only.total, 0);
    })
    .await;
}

#[tokio::test]
async fn the_online_form_records_a_contact_with_no_account() {
    each_backend(|w| async move {
        let mut input = school_contact(vec![child("Gus", "Hart", "2012-12-12")]);
        input.received_date = "2020-01-01".into(); // ignored: received when submitted
        let contact = w
            .app
            .submit_online_referral(w.authority, &input)
            .await
            .expect("submit");
        assert_eq!(contact.recorded_by, None);
        assert_eq!(contact.channel.code(), "online_form");
        assert_eq!(contact.received_at, w.app.now());
    })
    .await;
}

#[tokio::test]
async fn the_queues_counts_cover_every_contact_not_only_the_page_shown() {
    each_backend(|w| async move {
        // Received Thursday 26 February (due Friday 27th: overdue by Tuesday 3 March), Monday
        // 2 March (due Tuesday 3rd: due today) and Tuesday 3 March (due Wednesday: on time).
        let now = w.app.now();
        for received in [utc(2026, 2, 26, 11, 0), utc(2026, 3, 2, 9, 30), now] {
            w.clock.set(received);
            recorded(&w, vec![child("Maya", "Stone", "2014-04-04")]).await;
        }
        w.clock.set(now);
        let page_of = |offset: i64| QueueFilter {
            limit: 1,
            offset,
            ..QueueFilter::default()
        };
        for offset in 0..3 {
            let queue = w
                .app
                .contact_queue(&w.officer, &page_of(offset))
                .await
                .expect("queue");
            assert_eq!(queue.rows.len(), 1);
            assert_eq!(
                (queue.total, queue.overdue, queue.due_today),
                (3, 1, 1),
                "page {offset}: the counts are over the whole queue"
            );
        }
        // And they agree with each row's own status.
        let whole = w
            .app
            .contact_queue(
                &w.officer,
                &QueueFilter {
                    limit: 100,
                    ..QueueFilter::default()
                },
            )
            .await
            .expect("queue");
        assert_eq!(whole.rows.len(), 3);
        let overdue = whole
            .rows
            .iter()
            .filter(|r| r.timescale.is_overdue())
            .count();
        let due_today = whole
            .rows
            .iter()
            .filter(|r| r.timescale == frontdoor_domain::timescale::TimescaleStatus::DueToday)
            .count();
        assert_eq!(
            (overdue as i64, due_today as i64),
            (whole.overdue, whole.due_today)
        );
    })
    .await;
}
