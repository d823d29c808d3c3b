//! Threshold decisions: nobody authorises or returns their own; a review says what it does.

use super::*;

#[tokio::test]
async fn nobody_authorises_their_own_recommendation_and_a_return_reopens_the_contact() {
    each_backend(|w| async move {
        let contact = linked(&w, vec![child("Bo", "Reed", "2019-01-02")]).await;
        w.app
            .recommend_decision(&w.manager, contact.id, &recommendation("early_help"))
            .await
            .expect("a manager may recommend");
        let own = w
            .app
            .review_decision(&w.manager, contact.id, &review(true))
            .await;
        assert!(
            matches!(own, Err(AppError::Denied(DenialReason::OwnRecommendation))),
            "{own:?}"
        );

        let other = linked(&w, vec![child("Cy", "Reed", "2018-01-02")]).await;
        w.app
            .recommend_decision(&w.worker, other.id, &recommendation("no_further_action"))
            .await
            .expect("recommend");
        assert_eq!(
            w.app
                .review_decision(&w.manager, other.id, &review(false))
                .await
                .expect("return"),
            DecisionState::Returned
        );
        let view = w.app.view_contact(&w.worker, other.id).await.expect("view");
        assert_eq!(view.contact.status, ContactStatus::Returned);
        // Reviewing again finds nothing awaiting authorisation.
        assert!(matches!(
            w.app
                .review_decision(&w.manager, other.id, &review(true))
                .await,
            Err(AppError::Conflict(_))
        ));
        w.app
            .recommend_decision(&w.worker, other.id, &recommendation("early_help"))
            .await
            .expect("recommend again");
        assert_eq!(
            w.app
                .review_decision(&w.manager, other.id, &review(true))
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
        w.app
            .recommend_decision(&w.manager, contact.id, &recommendation("early_help"))
            .await
            .expect("a manager may recommend");
        // Neither authorise nor return: refused, nothing assumed.
        let unsaid = ReviewInput {
            authorise: None,
            rationale: "Agreed after reading the history and the school's account.".into(),
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
        match w
            .app
            .review_decision(&w.manager, contact.id, &review(false))
            .await
        {
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
