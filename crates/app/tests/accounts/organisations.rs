//! Partner organisations and teams.

use super::*;

#[tokio::test]
async fn organisations_and_teams_are_added_renamed_and_retired() {
    for db in all_backends().await.expect("databases") {
        eprintln!("on {}", db.backend());
        let w = world(db.store.clone()).await;
        let by = w.as_admin();
        let health = w
            .app
            .add_organisation(
                &by,
                &NewOrganisation {
                    name: "  Adminshire   NHS Trust ".into(),
                    kind: "health".into(),
                },
            )
            .await
            .expect("add");
        assert_eq!(health.name, "Adminshire NHS Trust");
        conflict(
            w.app
                .add_organisation(
                    &by,
                    &NewOrganisation {
                        name: "adminshire nhs trust".into(),
                        kind: "health".into(),
                    },
                )
                .await,
            "already an organisation called",
        );
        invalid(
            w.app
                .add_organisation(
                    &by,
                    &NewOrganisation {
                        name: "Another council".into(),
                        kind: "local_authority".into(),
                    },
                )
                .await,
            "kind",
            "Choose the kind of partner",
        );
        conflict(
            w.app
                .rename_organisation(&by, health.id, "Adminshire Police")
                .await,
            "already an organisation called",
        );
        w.app
            .rename_organisation(&by, health.id, "Adminshire Health")
            .await
            .expect("rename");

        // Retiring the police deactivates its practitioner and ends their session.
        let session = w
            .app
            .sign_in("partner", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        assert_eq!(
            w.app
                .retire_organisation(&by, w.police)
                .await
                .expect("retire"),
            1
        );
        assert!(!support::has_session(&w.app, &session.token).await);
        conflict(
            w.app.retire_organisation(&by, w.police).await,
            "already been retired",
        );
        conflict(
            w.app.reactivate_worker(&by, w.partner.worker).await,
            "organisation has been retired",
        );
        let own = w
            .app
            .organisations(&by)
            .await
            .expect("list")
            .into_iter()
            .find(|o| o.kind == OrganisationKind::LocalAuthority)
            .expect("own");
        conflict(
            w.app.retire_organisation(&by, own.id).await,
            "the authority itself",
        );

        // Teams.
        let edt = w
            .app
            .add_team(
                &by,
                &NewTeam {
                    name: "Emergency duty team".into(),
                    receives_contacts: false,
                },
            )
            .await
            .expect("team");
        conflict(
            w.app
                .add_team(
                    &by,
                    &NewTeam {
                        name: "mash a".into(),
                        receives_contacts: true,
                    },
                )
                .await,
            "already a team called",
        );
        w.app
            .rename_team(&by, edt.id, "Out of hours")
            .await
            .expect("rename");
        conflict(w.app.retire_team(&by, w.team).await, "1 active worker(s)");
        w.app.retire_team(&by, edt.id).await.expect("retire");
        conflict(
            w.app.rename_team(&by, edt.id, "Back again").await,
            "retired",
        );
        invalid(
            w.app
                .change_worker(
                    &by,
                    w.worker.worker,
                    &PlacementInput {
                        role: Role::MashSocialWorker,
                        team: Some(edt.id),
                        organisation: None,
                    },
                )
                .await,
            "team",
            "has been retired",
        );
        let teams = w.app.managed_teams(&by).await.expect("teams");
        let retired = teams.iter().find(|t| t.id == edt.id).expect("kept");
        assert!(retired.retired_at.is_some() && !retired.receives_contacts);
        invalid(
            w.app
                .create_authority(&NewAuthority {
                    code: "twiceshire".into(),
                    name: "Twiceshire".into(),
                    front_door_teams: vec!["MASH".into(), " mash ".into()],
                    other_teams: vec![],
                    partners: vec![],
                })
                .await,
            "team",
            "named twice",
        );
        assert!(matches!(
            w.app
                .add_team(
                    &ActingAs::Worker(w.worker.clone()),
                    &NewTeam {
                        name: "Mine".into(),
                        receives_contacts: false
                    }
                )
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        support::assert_audit_intact(&w.app).await;
        db.remove().await;
    }
}
