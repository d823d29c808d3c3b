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
