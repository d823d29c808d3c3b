//! Workers: deactivation, password resets, ending sessions, roles and teams.

use super::*;

#[tokio::test]
async fn deactivation_ends_sessions_at_once_and_keeps_an_administrator() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let session = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        assert!(support::has_session(&w.app, &session.token).await);

        let done = w
            .app
            .deactivate_worker(&w.as_admin(), w.worker.worker)
            .await
            .expect("deactivate");
        assert!(!done.active);
        assert!(
            !support::has_session(&w.app, &session.token).await,
            "the live session ends at once"
        );
        assert!(matches!(
            w.app.sign_in("worker", PASSWORD, "10.0.0.1").await,
            Err(AppError::SignIn(_))
        ));
        conflict(
            w.app
                .deactivate_worker(&w.as_admin(), w.worker.worker)
                .await,
            "already deactivated",
        );
        let events = w
            .app
            .administration_history(&w.as_admin(), w.worker.worker.0)
            .await
            .expect("history");
        assert_eq!(
            events
                .iter()
                .filter(|e| e.kind == "worker_deactivated")
                .count(),
            1,
            "a refused second deactivation writes no event"
        );
        assert_eq!(
            events.last().map(|e| e.payload["sessions_ended"].clone()),
            Some(serde_json::json!(1))
        );

        w.app
            .reactivate_worker(&w.as_operator(), w.worker.worker)
            .await
            .expect("reactivate");
        conflict(
            w.app
                .reactivate_worker(&w.as_admin(), w.worker.worker)
                .await,
            "already active",
        );
        w.app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("signs in again");

        // Never oneself, never the last active administrator.
        conflict(
            w.app.deactivate_worker(&w.as_admin(), w.admin.worker).await,
            "your own account",
        );
        conflict(
            w.app
                .deactivate_worker(&w.as_operator(), w.admin.worker)
                .await,
            "last active administrator",
        );
        conflict(
            w.app
                .change_worker(
                    &w.as_operator(),
                    w.admin.worker,
                    &PlacementInput {
                        role: Role::MashSocialWorker,
                        team: Some(w.team),
                        organisation: None,
                    },
                )
                .await,
            "last active administrator",
        );
        // Only administrators.
        assert!(matches!(
            w.app
                .deactivate_worker(&ActingAs::Worker(w.worker.clone()), w.partner.worker)
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        support::assert_audit_intact(&w.app).await;
        db.remove().await;
    }
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_is_audited_without_the_password() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let first = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        let second = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.2")
            .await
            .expect("sign in");
        invalid(
            w.app
                .reset_password(&w.as_admin(), w.worker.worker, "short")
                .await,
            "password",
            "at least 12",
        );
        w.app
            .reset_password(&w.as_admin(), w.worker.worker, NEW_PASSWORD)
            .await
            .expect("reset");
        for token in [&first.token, &second.token] {
            assert!(w.app.session(token).await.expect("session").is_none());
        }
        assert!(w.app.sign_in("worker", PASSWORD, "10.0.0.1").await.is_err());
        w.app
            .sign_in("worker", NEW_PASSWORD, "10.0.0.1")
            .await
            .expect("the new password works");

        let live = w
            .app
            .sign_in("worker", NEW_PASSWORD, "10.0.0.3")
            .await
            .expect("sign in");
        assert_eq!(
            w.app
                .end_sessions(&w.as_operator(), w.worker.worker)
                .await
                .expect("end"),
            2
        );
        assert!(w.app.session(&live.token).await.expect("session").is_none());

        let events = w
            .app
            .administration_history(&w.as_admin(), w.worker.worker.0)
            .await
            .expect("history");
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "worker_added",
                "worker_password_reset",
                "worker_sessions_ended"
            ]
        );
        for event in &events {
            let text = event.payload.to_string();
            assert!(
                !text.contains(NEW_PASSWORD) && !text.contains("argon2"),
                "{text}"
            );
        }
        support::assert_audit_intact(&w.app).await;
        db.remove().await;
    }
}

#[tokio::test]
async fn roles_need_their_team_or_partner_organisation() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let new_worker = |role, team, organisation| NewWorker {
            authority: w.authority,
            username: "newcomer".into(),
            display_name: "Newcomer".into(),
            role,
            team,
            organisation,
            asye: false,
            password: PASSWORD.into(),
        };
        for role in [
            Role::TeamManager,
            Role::MashSocialWorker,
            Role::ContactOfficer,
        ] {
            invalid(
                w.app
                    .add_worker_as_operator(&new_worker(role, None, None))
                    .await,
                "team",
                "must have a team",
            );
        }
        invalid(
            w.app
                .add_worker_as_operator(&new_worker(Role::PartnerPractitioner, None, None))
                .await,
            "organisation",
            "partner organisation",
        );
        invalid(
            w.app
                .add_worker_as_operator(&new_worker(Role::SeniorManager, None, Some(w.police)))
                .await,
            "organisation",
            "Only partner agency practitioners",
        );

        let change = |role, team, organisation| PlacementInput {
            role,
            team,
            organisation,
        };
        invalid(
            w.app
                .change_worker(
                    &w.as_admin(),
                    w.worker.worker,
                    &change(Role::TeamManager, None, None),
                )
                .await,
            "team",
            "must have a team",
        );
        let session = w
            .app
            .sign_in("worker", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        let promoted = w
            .app
            .change_worker(
                &w.as_admin(),
                w.worker.worker,
                &change(Role::TeamManager, Some(w.team), None),
            )
            .await
            .expect("promote");
        assert_eq!(promoted.role, Role::TeamManager);
        assert!(
            !support::has_session(&w.app, &session.token).await,
            "a change of role ends sessions so it applies at once"
        );
        invalid(
            w.app
                .change_worker(
                    &w.as_admin(),
                    w.worker.worker,
                    &change(Role::TeamManager, Some(w.team), None),
                )
                .await,
            "role",
            "already has this role",
        );
        let moved = w
            .app
            .change_worker(
                &w.as_admin(),
                w.worker.worker,
                &change(Role::PartnerPractitioner, None, Some(w.police)),
            )
            .await
            .expect("to the police");
        assert_eq!(moved.organisation, w.police);
        assert_eq!(moved.team, None);
        support::assert_audit_intact(&w.app).await;
        db.remove().await;
    }
}
