//! Threshold decisions: nobody authorises or returns their own; a review says what it does.

use super::*;

#[tokio::test]
async fn nobody_authorises_their_own_recommendation_and_a_return_reopens_the_contact() {
    each_backend(|w| async move {
        let contact = linked(&w, vec![child("Bo", "Reed", "2019-01-02")]).await;
        recommended(&w, &w.manager, contact.id, "early_help").await;
        let own = reviewed(&w, &w.manager, contact.id, true).await;
        assert!(
            matches!(own, Err(AppError::Denied(DenialReason::OwnRecommendation))),
            "{own:?}"
        );

        let other = linked(&w, vec![child("Cy", "Reed", "2018-01-02")]).await;
        recommended(&w, &w.worker, other.id, "no_further_action").await;
        assert_eq!(
            reviewed(&w, &w.manager, other.id, false)
                .await
                .expect("return"),
            DecisionState::Returned
        );
        let view = w.app.view_contact(&w.worker, other.id).await.expect("view");
        assert_eq!(view.contact.status, ContactStatus::Returned);
        // Reviewing again finds nothing awaiting authorisation.
        assert!(matches!(
            reviewed(&w, &w.manager, other.id, true).await,
            Err(AppError::Conflict(_))
        ));
        recommended(&w, &w.worker, other.id, "early_help").await;
        assert_eq!(
            reviewed(&w, &w.manager, other.id, true)
                .await
                .expect("authorise"),
            DecisionState::Authorised
        );
    })
    .await;
}

#[tokio::test]
async fn a_review_must_say_what_it_does_and_nobody_returns_their_own_recommendation() {
    each_backend(|w| async move {
        let contact = linked(&w, vec![child("Kit", "Lowe", "2015-05-05")]).await;
        recommended(&w, &w.manager, contact.id, "early_help").await;
        // Neither authorise nor return: refused, nothing assumed.
        let unsaid = ReviewInput {
            authorise: None,
            rationale: "Agreed after reading the history and the school's account.".into(),
            departure_reasons: Default::default(),
        };
        match w
            .app
            .review_decision(&w.manager_b, contact.id, &unsaid)
            .await
        {
            Err(AppError::Invalid(errors)) => assert_eq!(errors[0].field, "authorise"),
            other => panic!("expected a field error, got {other:?}"),
        }
        // Returning one's own recommendation is refused with its own reason.
        match reviewed(&w, &w.manager, contact.id, false).await {
            Err(AppError::Conflict(message)) => {
                assert!(message.contains("cannot return it yourself"), "{message}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let stored = w
            .app
            .store
            .contact(w.authority, contact.id)
            .await
            .expect("contact");
        assert_eq!(stored.status, ContactStatus::AwaitingAuthorisation);
    })
    .await;
}
