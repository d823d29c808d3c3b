//! Threshold framework versions, and the version each decision records.

use super::*;

fn levels(names: &[&str]) -> Vec<LevelOfNeed> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| LevelOfNeed {
            level: u8::try_from(i + 1).expect("small"),
            name: (*name).into(),
            description: format!("Children whose needs are {name}."),
        })
        .collect()
}

#[tokio::test]
async fn framework_versions_are_published_by_compare_and_set_and_recorded_on_decisions() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let by = w.as_admin();
        let history = w
            .app
            .threshold_framework_history(&by)
            .await
            .expect("history");
        assert_eq!(history.versions.len(), 1);
        assert_eq!(
            history.current().map(|v| &v.framework),
            Some(&ThresholdFramework::default())
        );
        invalid(
            w.app
                .publish_threshold_framework(&by, 1, ThresholdFramework::default().levels)
                .await,
            "levels",
            "same as version 1",
        );
        invalid(
            w.app
                .publish_threshold_framework(&by, 1, levels(&["Universal", ""]))
                .await,
            "level_2_name",
            "Give level 2 a name",
        );
        let three = levels(&["Universal", "Targeted", "Specialist"]);
        assert_eq!(
            w.app
                .publish_threshold_framework(&by, 1, three.clone())
                .await
                .expect("publish"),
            2
        );
        conflict(
            w.app
                .publish_threshold_framework(&w.as_operator(), 1, levels(&["A", "B"]))
                .await,
            "Version 2 of the threshold framework was published",
        );
        let history = w
            .app
            .threshold_framework_history(&by)
            .await
            .expect("history");
        assert_eq!(
            history
                .versions
                .iter()
                .map(|v| v.version)
                .collect::<Vec<_>>(),
            [2, 1]
        );
        assert_eq!(history.versions[0].published_by, Some(w.admin.worker));
        let authority = w.app.authority_of(&w.worker).await.expect("authority");
        assert_eq!(authority.threshold_framework_version, 2);
        assert_eq!(authority.threshold_framework.levels.len(), 3);

        // A decision is checked against, and records, the version in force.
        let contact = w
            .app
            .record_contact(
                &w.worker,
                &support::school_contact(vec![support::child("Ada", "Lovelace", "2015-12-10")]),
            )
            .await
            .expect("contact");
        support::link_all_new(&w.app, &w.worker, contact.id).await;
        let recommend = |level: &str| RecommendationInput {
            outcome: "early_help".into(),
            level_of_need: level.into(),
            rationale: "Needs are met by targeted early help with the family's consent.".into(),
            ..Default::default()
        };
        invalid(
            w.app
                .recommend_decision(&w.worker, contact.id, &recommend("4"))
                .await,
            "level_of_need",
            "from 1 to 3",
        );
        let decision = w
            .app
            .recommend_decision(&w.worker, contact.id, &recommend("2"))
            .await
            .expect("recommend");
        assert_eq!(decision.threshold_framework_version, 2);
        let stored = w
            .app
            .view_contact(&w.worker, contact.id)
            .await
            .expect("view");
        assert_eq!(stored.decisions[0].threshold_framework_version, 2);
        assert!(matches!(
            w.app
                .threshold_framework_history(&ActingAs::Worker(w.worker.clone()))
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        support::assert_audit_intact(&w.app).await;
        db.remove().await;
    }
}
