//! Who sees what: partners their own referrals only; search forgives errors, stays in authority.

use super::*;

#[tokio::test]
async fn partners_see_only_their_own_referrals_and_never_search() {
    each_backend(|w| async move {
        let mine = w
            .app
            .record_contact(
                &w.partner,
                &school_contact(vec![child("Hal", "Ives", "2013-03-03")]),
            )
            .await
            .expect("partner refers");
        assert!(mine.made_by_organisation.is_some());
        // Their own referral's progress, not the working record (with its history).
        let progress = w
            .app
            .referral_progress(&w.partner, mine.id)
            .await
            .expect("own referral");
        assert_eq!(progress.children, vec!["Hal Ives".to_string()]);
        assert!(progress.outcome.is_none(), "nothing authorised yet");
        assert!(matches!(
            w.app.view_contact(&w.partner, mine.id).await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        let schools = recorded(&w, vec![child("Ida", "Jay", "2013-03-03")]).await;
        assert!(matches!(
            w.app.referral_progress(&w.partner, schools.id).await,
            Err(AppError::Denied(DenialReason::OtherOrganisation))
        ));
        let search = w
            .app
            .search_people(
                &w.partner,
                &PersonQuery {
                    family_name: "Ives".into(),
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(
            search,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert!(matches!(
            w.app
                .contact_queue(&w.partner, &QueueFilter::default())
                .await,
            Err(AppError::Denied(_))
        ));
        // Administrators run the system but do not read children's records.
        assert!(matches!(
            w.app.view_contact(&w.admin, schools.id).await,
            Err(AppError::Denied(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn search_finds_the_child_despite_errors_and_never_crosses_authorities() {
    each_backend(|w| async move {
        let contact = linked(&w, vec![child("Katherine", "Oduya-Smith", "2015-06-09")]).await;
        let query = PersonQuery {
            given_name: "Kate".into(),
            family_name: "Oduya".into(),
            date_of_birth: "2015-09-06".into(),
            ..Default::default()
        };
        let found = w
            .app
            .search_people(&w.officer, &query)
            .await
            .expect("search");
        assert_eq!(
            found.results.first().map(|r| r.person.given_name.as_str()),
            Some("Katherine"),
            "{found:?}"
        );
        assert!(!found.results[0].reasons.is_empty());

        // Another authority in the same database sees nothing of this one's people.
        let other = w
            .app
            .create_authority(&NewAuthority {
                code: "otherton".into(),
                name: "Otherton".into(),
                front_door_teams: vec!["MASH".into()],
                other_teams: vec![],
                partners: vec![],
            })
            .await
            .expect("other authority");
        let other_team = w.app.store.teams(other).await.expect("teams")[0].id;
        let outsider = w
            .app
            .add_worker_as_operator(&NewWorker {
                authority: other,
                username: "outsider".into(),
                display_name: "Outsider".into(),
                role: Role::TeamManager,
                team: Some(other_team),
                organisation: None,
                asye: false,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor();
        let found = w
            .app
            .search_people(&outsider, &query)
            .await
            .expect("search");
        assert!(found.results.is_empty());
        assert!(matches!(
            w.app
                .view_contact(&outsider, contact.id)
                .await
                .map_err(|e| e.normalise()),
            Err(AppError::NotFound(_))
        ));
    })
    .await;
}
