//! Duplicates found, merged and unmerged, the search index kept right; merges not reversed.

use super::*;

#[tokio::test]
async fn duplicates_are_found_merged_and_unmerged_with_the_search_index_kept_right() {
    each_backend(|w| async move {
        // The same child recorded twice (a typo and a nickname), and an unrelated sibling.
        linked(&w, vec![child("Katherine", "Mahoney", "2015-06-09")]).await;
        linked(
            &w,
            vec![
                child("Kate", "Mahony", "2015-06-09"),
                child("Liam", "Mahoney", "2017-01-20"),
            ],
        )
        .await;

        let pairs = w
            .app
            .likely_duplicates(&w.manager, 50)
            .await
            .expect("duplicates");
        let pair = pairs.first().expect("a likely pair");
        let names = [
            pair.first.given_name.as_str(),
            pair.second.given_name.as_str(),
        ];
        assert!(
            names.contains(&"Katherine") && names.contains(&"Kate"),
            "{names:?}"
        );
        assert!(
            !pairs
                .iter()
                .any(|p| p.first.given_name == "Liam" || p.second.given_name == "Liam"),
            "siblings are not duplicates"
        );
        // Each record has its own LA person id: that they differ is not held against a pair.
        assert_ne!(pair.first.la_person_id, pair.second.la_person_id);
        assert!(
            pairs
                .iter()
                .all(|p| p.reasons.iter().all(|r| r.field != "LA person id")),
            "{pairs:?}"
        );
        assert!(matches!(
            w.app.likely_duplicates(&w.officer, 50).await,
            Err(AppError::Denied(_))
        ));

        let (kept, merged) = if pair.first.given_name == "Katherine" {
            (pair.first.id, pair.second.id)
        } else {
            (pair.second.id, pair.first.id)
        };
        assert!(matches!(
            w.app
                .merge_people(
                    &w.worker,
                    kept,
                    merged,
                    "Same NHS number on the school record."
                )
                .await,
            Err(AppError::Denied(_))
        ));
        assert!(matches!(
            w.app.merge_people(&w.manager, kept, merged, "same").await,
            Err(AppError::Invalid(_))
        ));
        let merge = w
            .app
            .merge_people(
                &w.manager,
                kept,
                merged,
                "Same date of birth, address and school; Kate is her usual name.",
            )
            .await
            .expect("merge");
        assert_eq!(merge.moved["contact_subjects"].len(), 1);

        // The kept record now carries both contacts and both chronologies; the merged one is out of search.
        let record = w.app.view_person(&w.manager, kept).await.expect("record");
        assert_eq!(record.contacts.len(), 2);
        assert!(record.chronology.iter().any(|e| e.kind == "person_merged"));
        let search = |given: &'static str| {
            let app = w.app.clone();
            let officer = w.officer.clone();
            async move {
                app.search_people(
                    &officer,
                    &PersonQuery {
                        given_name: given.into(),
                        family_name: "Mahony".into(),
                        date_of_birth: "2015-06-09".into(),
                        ..Default::default()
                    },
                )
                .await
                .expect("search")
            }
        };
        let found = search("Kate").await;
        assert!(
            found.results.iter().all(|r| r.person.id != merged),
            "a merged record is not offered"
        );
        assert_eq!(found.results.first().map(|r| r.person.id), Some(kept));
        assert!(matches!(
            w.app
                .merge_people(
                    &w.manager,
                    kept,
                    merged,
                    "Trying to merge the same pair twice."
                )
                .await,
            Err(AppError::Conflict(_))
        ));

        // Reversing puts exactly the moved links back and the record returns to search.
        w.app
            .reverse_merge(
                &w.manager,
                merge.id,
                "Different children: confirmed with the school.",
            )
            .await
            .expect("reverse");
        for (record, which) in [(kept, "kept"), (merged, "merged")] {
            let view = w.app.view_person(&w.manager, record).await.expect("record");
            assert_eq!(view.contacts.len(), 1, "the {which} record's contacts");
        }
        assert!(search("Kate")
            .await
            .results
            .iter()
            .any(|r| r.person.id == merged));
        assert!(matches!(
            w.app
                .reverse_merge(&w.manager, merge.id, "Reversing a second time must fail.")
                .await,
            Err(AppError::Conflict(_))
        ));
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn a_merge_is_not_reversed_once_its_kept_record_has_been_merged_again() {
    each_backend(|w| async move {
        let mut people = Vec::new();
        for given in ["Nia", "Nya", "Niah"] {
            let contact = linked(&w, vec![child(given, "Okafor", "2014-04-04")]).await;
            let view = w
                .app
                .view_contact(&w.officer, contact.id)
                .await
                .expect("view");
            people.push(view.subjects[0].subject.person.expect("linked"));
        }
        let reason = "Same child: school and GP records agree on the address.";
        let first = w
            .app
            .merge_people(&w.manager, people[1], people[0], reason)
            .await
            .expect("merge the first into the second");
        w.app
            .merge_people(&w.manager, people[2], people[1], reason)
            .await
            .expect("merge the second into the third");
        // The first merge's rows now belong to the third record: reversing it would take them
        // from a record it never touched, so it is refused until the later merge is reversed.
        match w
            .app
            .reverse_merge(&w.manager, first.id, "Merged in error: different children.")
            .await
        {
            Err(AppError::Conflict(message)) => {
                assert!(message.contains("reverse that merge first"), "{message}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let third = w
            .app
            .store
            .contacts_of_person(w.authority, people[2])
            .await
            .expect("contacts");
        assert_eq!(third.len(), 3, "nothing moved by the refused reversal");
    })
    .await;
}

/// The pairs (by person id) and scores of a report, in order.
fn pair_list(pairs: &[frontdoor_app::DuplicatePair]) -> Vec<(String, String, String)> {
    pairs
        .iter()
        .map(|p| {
            (
                p.first.id.to_string(),
                p.second.id.to_string(),
                format!("{:.6}", p.score),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_stored_duplicates_report_rescores_changed_people_and_runs_once_at_a_time() {
    use frontdoor_store::duplicates::{claim_lease, release_lease};
    each_backend(|w| async move {
        let authority = w.authority;
        let stored = w
            .app
            .stored_duplicates(&w.manager, 50)
            .await
            .expect("stored");
        assert!(stored.computed_at.is_none() && stored.pairs.is_empty());
        assert!(matches!(
            w.app.stored_duplicates(&w.officer, 50).await,
            Err(AppError::Denied(_))
        ));

        linked(&w, vec![child("Katherine", "Mahoney", "2015-06-09")]).await;
        linked(
            &w,
            vec![
                child("Kate", "Mahony", "2015-06-09"),
                child("Liam", "Mahoney", "2017-01-20"),
            ],
        )
        .await;
        // The first refresh pairs everyone, as the report worked out on the spot does.
        let first = w
            .app
            .refresh_duplicates(authority, false)
            .await
            .expect("refresh");
        assert!(first.full);
        assert_eq!((first.people_rescored, first.people), (3, 3));
        let stored = w
            .app
            .stored_duplicates(&w.manager, 50)
            .await
            .expect("stored");
        let live = w.app.likely_duplicates(&w.manager, 50).await.expect("live");
        assert!(!live.is_empty());
        assert_eq!(pair_list(&stored.pairs), pair_list(&live));
        assert_eq!(stored.computed_at, Some(first.computed_at));
        assert_eq!(stored.pairs[0].reasons.len(), live[0].reasons.len());

        // Nothing changed since: nobody is rescored.
        let again = w
            .app
            .refresh_duplicates(authority, false)
            .await
            .expect("refresh");
        assert!(!again.full);
        assert_eq!(again.people_rescored, 0);
        assert_eq!(
            pair_list(
                &w.app
                    .stored_duplicates(&w.manager, 50)
                    .await
                    .expect("stored")
                    .pairs
            ),
            pair_list(&live)
        );

        // A third record of the same child: only the new person is rescored, and the stored
        // report is what working it out again in full gives.
        linked(&w, vec![child("Katie", "Mahoney", "2015-06-09")]).await;
        let third = w
            .app
            .refresh_duplicates(authority, false)
            .await
            .expect("refresh");
        assert!(!third.full);
        assert_eq!((third.people_rescored, third.people), (1, 4));
        let stored = w
            .app
            .stored_duplicates(&w.manager, 50)
            .await
            .expect("stored");
        let live = w.app.likely_duplicates(&w.manager, 50).await.expect("live");
        assert!(live.len() > 1, "{live:?}");
        assert_eq!(pair_list(&stored.pairs), pair_list(&live));

        // While a refresh holds the job another is refused, and nothing is stored.
        let now = w.app.now();
        let holder = uuid::Uuid::now_v7();
        let mut tx = w.app.store.begin().await.expect("begin");
        assert!(claim_lease(
            &mut tx,
            authority,
            holder,
            now,
            now + chrono::Duration::hours(1)
        )
        .await
        .expect("claim"));
        tx.commit().await.expect("commit");
        match w.app.refresh_duplicates(authority, true).await {
            Err(AppError::Conflict(message)) => {
                assert!(message.contains("Another refresh"), "{message}")
            }
            other => panic!("a second refresh ran: {other:?}"),
        }
        let mut tx = w.app.store.begin().await.expect("begin");
        assert!(release_lease(&mut tx, authority, holder)
            .await
            .expect("release"));
        tx.commit().await.expect("commit");

        // Simultaneous claims: exactly one wins.
        let mut claims = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let store = w.app.store.clone();
            claims.spawn(async move {
                let mut tx = store.begin().await.expect("begin");
                let won = claim_lease(
                    &mut tx,
                    authority,
                    uuid::Uuid::now_v7(),
                    now,
                    now + chrono::Duration::hours(1),
                )
                .await
                .expect("claim");
                tx.commit().await.expect("commit");
                won
            });
        }
        let won: Vec<bool> = claims.join_all().await;
        assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
        // A lease that ran out is taken over.
        let later = now + chrono::Duration::hours(2);
        let mut tx = w.app.store.begin().await.expect("begin");
        assert!(claim_lease(&mut tx, authority, holder, later, later)
            .await
            .expect("claim"));
        tx.commit().await.expect("commit");
    })
    .await;
}
