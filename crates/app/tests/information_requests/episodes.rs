//! Requests sent from a child's episode, after the referral: they carry the episode and its
//! contact, reach the partner like any other, and are listed on the episode.

use super::*;
use frontdoor_app::{AppError, RecommendationInput, ReviewInput};

/// Amy's contact decided for a strategy discussion: her episode.
async fn amys_episode(w: &World) -> (ContactId, frontdoor_domain::ids::EpisodeId) {
    let (contact, subject) = linked_contact(w).await;
    w.app
        .recommend_decision(
            &w.worker,
            contact,
            &RecommendationInput {
                outcome: "strategy_discussion".into(),
                level_of_need: "4".into(),
                signposted_to: String::new(),
                rationale: "No food at home for days: reasonable cause to suspect neglect.".into(),
            },
        )
        .await
        .expect("recommend");
    w.app
        .review_decision(
            &w.manager,
            contact,
            &ReviewInput {
                authorise: Some(true),
                rationale: "Agreed: hold a strategy discussion.".into(),
                departure_reasons: Default::default(),
            },
        )
        .await
        .expect("authorise");
    let view = w.app.view_contact(&w.worker, contact).await.expect("view");
    let amy = view
        .subjects
        .iter()
        .find(|s| s.subject.id == subject)
        .and_then(|s| s.subject.person)
        .expect("Amy is linked");
    let episodes = w
        .app
        .episodes_of_child(&w.worker, amy)
        .await
        .expect("episodes");
    (contact, episodes[0].id)
}

#[tokio::test]
async fn a_request_from_an_episode_carries_it_reaches_the_partner_and_is_listed_on_it() {
    each_backend(|w| async move {
        let (contact, episode) = amys_episode(&w).await;
        // The subject is the episode's child whatever the form said.
        let input = with_consent(Uuid::nil(), w.police, "standard");
        let request = w
            .app
            .request_information(&w.worker, episode, &input)
            .await
            .expect("sent from the episode");
        assert_eq!(request.episode, Some(episode.0));
        assert_eq!(request.contact, contact);

        let on_episode = w
            .app
            .information_requests_on(&w.worker, episode)
            .await
            .expect("listed");
        assert_eq!(on_episode.len(), 1);
        assert_eq!(on_episode[0].request.id, request.id);
        // The contact that began the episode shows it too: it is the same child's referral.
        let on_contact = w
            .app
            .information_requests_on(&w.worker, contact)
            .await
            .expect("listed");
        assert!(on_contact.iter().any(|r| r.request.id == request.id));

        // The police practitioner sees it in the portal; they cannot send or list one.
        let addressed = w
            .app
            .addressed_requests(&w.police_officer)
            .await
            .expect("portal");
        assert!(addressed.iter().any(|r| r.request.id == request.id));
        let refused = w
            .app
            .request_information(&w.police_officer, episode, &input)
            .await;
        assert!(matches!(refused, Err(AppError::Denied(_))), "{refused:?}");
        let refused = w
            .app
            .information_requests_on(&w.police_officer, episode)
            .await;
        assert!(matches!(refused, Err(AppError::Denied(_))), "{refused:?}");

        // An unknown episode is not found, and a bad request is refused naming the field.
        let unknown = w
            .app
            .request_information(&w.worker, frontdoor_domain::ids::EpisodeId::new(), &input)
            .await;
        assert!(matches!(unknown, Err(AppError::NotFound(_))), "{unknown:?}");
        let no_questions = InformationRequestInput {
            questions: String::new(),
            ..input.clone()
        };
        assert_eq!(
            fields(
                w.app
                    .request_information(&w.worker, episode, &no_questions)
                    .await
            ),
            vec!["questions"]
        );
    })
    .await;
}
