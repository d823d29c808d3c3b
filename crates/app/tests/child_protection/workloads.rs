//! Workloads: caseloads weighted by stage, the ASYE protected caseload enforced at allocation
//! with a manager's reasoned override, and allocations at once never all squeezed under the cap.

use super::*;
use frontdoor_app::{ActingAs, WorkloadRulesInput, Workloads};

/// Weights as the defaults (child protection 2, enquiry 1.5, others 1) and an ASYE cap of `cap`.
async fn set_cap(w: &World, cap: &str) {
    let operator = ActingAs::Operator {
        authority: w.manager.authority,
    };
    w.app
        .set_workload_rules(
            &operator,
            &WorkloadRulesInput {
                child_protection: "2".into(),
                section_47: "1.5".into(),
                assessment: "1".into(),
                child_in_need: "1".into(),
                asye_cap: cap.into(),
            },
        )
        .await
        .expect("rules");
}

fn allocation(to: &Actor, reason: &str) -> EpisodeUpdateInput {
    EpisodeUpdateInput {
        worker: to.worker.to_string(),
        asye_override_reason: reason.into(),
        ..Default::default()
    }
}

async fn workloads(w: &World) -> Workloads {
    w.app.workloads(&w.manager, None).await.expect("workloads")
}

/// The weighted caseload shown for `who`, as text ("2.5").
fn weighted(view: &Workloads, who: &Actor) -> String {
    view.teams
        .iter()
        .flat_map(|t| &t.workers)
        .find(|c| c.caseload.worker == who.worker)
        .map(|c| c.weighted.to_string())
        .expect("the worker is listed")
}

#[tokio::test]
async fn a_caseload_is_weighted_by_the_stage_each_open_episode_has_reached() {
    each_backend(|w| async move {
        let (_, in_need, _) = to_hold(&w).await;
        let (_, enquiring, discussion) = signed_off(&w).await;
        w.app
            .start_section_47(&w.worker, discussion)
            .await
            .expect("enquiry");
        for episode in [in_need, enquiring] {
            w.app
                .update_episode(&w.manager, episode, &allocation(&w.worker, ""))
                .await
                .expect("allocate");
        }
        let view = workloads(&w).await;
        // A child in need (1) and an enquiry under way (1.5).
        assert_eq!(weighted(&view, &w.worker), "2.5");
        assert_eq!(weighted(&view, &w.asye), "0.0");
        let team = &view.teams[0];
        assert_eq!(team.name, "MASH A");
        assert_eq!(
            (team.episodes, team.weighted.to_string().as_str()),
            (2, "2.5")
        );
        // The second team's manager holds no cases and sees only their own team when asked.
        let theirs = w
            .app
            .workloads(&w.manager_b, w.manager_b.team)
            .await
            .expect("team");
        assert!(theirs
            .teams
            .iter()
            .all(|t| t.team == w.manager_b.team && t.episodes == 0));

        // Seen by managers only.
        assert!(w.app.workloads(&w.senior, None).await.is_ok());
        for who in [&w.worker, &w.partner, &w.officer] {
            let refused = w.app.workloads(who, None).await;
            assert!(matches!(refused, Err(AppError::Denied(_))), "{refused:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_asye_workers_protected_caseload_holds_unless_a_manager_agrees_with_a_reason() {
    each_backend(|w| async move {
        set_cap(&w, "2").await;
        let mut episodes = Vec::new();
        for _ in 0..3 {
            episodes.push(to_hold(&w).await.1);
        }
        for episode in &episodes[..2] {
            w.app
                .update_episode(&w.manager, *episode, &allocation(&w.asye, ""))
                .await
                .expect("within the cap");
        }
        // Re-allocating a child the worker already holds weighs nothing new.
        w.app
            .update_episode(&w.manager, episodes[0], &allocation(&w.asye, ""))
            .await
            .expect("already theirs");

        let refused = w
            .app
            .update_episode(&w.manager, episodes[2], &allocation(&w.asye, ""))
            .await
            .expect_err("over the cap");
        assert_eq!(fields(&refused), ["worker"]);
        let message = refused.to_string();
        assert!(
            message.contains("2.0 of a protected 2.0") && message.contains("to 3.0"),
            "{message}"
        );
        // A social worker cannot agree it, whatever the reason; a manager must give one.
        let by_worker = w
            .app
            .update_episode(
                &w.worker,
                episodes[2],
                &allocation(&w.asye, "Only worker who speaks the family's language."),
            )
            .await
            .expect_err("not a manager");
        assert_eq!(fields(&by_worker), ["asye_override_reason"]);
        let too_short = w
            .app
            .update_episode(&w.manager, episodes[2], &allocation(&w.asye, "ok"))
            .await
            .expect_err("no reason");
        assert_eq!(fields(&too_short), ["asye_override_reason"]);
        assert_eq!(weighted(&workloads(&w).await, &w.asye), "2.0");

        let reason = "Only worker who speaks the family's language; reviewed in 4 weeks.";
        let allocated = w
            .app
            .update_episode(&w.manager, episodes[2], &allocation(&w.asye, reason))
            .await
            .expect("agreed by the manager");
        assert_eq!(allocated.worker, Some(w.asye.worker));
        let view = workloads(&w).await;
        assert_eq!(weighted(&view, &w.asye), "3.0");
        let over = view
            .teams
            .iter()
            .flat_map(|t| &t.workers)
            .find(|c| c.caseload.worker == w.asye.worker)
            .expect("listed");
        assert!(over.over_asye_cap && over.caseload.asye);
        assert_eq!(view.overrides.len(), 1);
        let agreed = &view.overrides[0];
        assert_eq!(agreed.reason, reason);
        assert_eq!(agreed.agreed_by, w.manager.worker);
        assert_eq!(agreed.agreed_by_name, "manager");
        assert_eq!(
            (
                agreed.caseload_before.to_string(),
                agreed.caseload_after.to_string(),
                agreed.cap.to_string()
            ),
            ("2.0".into(), "3.0".into(), "2.0".into())
        );
        let child = w
            .app
            .view_episode(&w.manager, episodes[2])
            .await
            .expect("episode")
            .episode
            .person;
        assert_on_chronology(
            &w,
            child,
            &["Allocated to newly.qualified beyond their protected caseload"],
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn allocations_at_once_to_an_asye_worker_at_the_edge_of_the_cap_have_one_winner() {
    each_backend(|w| async move {
        set_cap(&w, "2").await;
        let held = to_hold(&w).await.1;
        w.app
            .update_episode(&w.manager, held, &allocation(&w.asye, ""))
            .await
            .expect("first");
        let mut waiting = Vec::new();
        for _ in 0..4 {
            waiting.push(to_hold(&w).await.1);
        }
        let to_asye = allocation(&w.asye, "");
        let allocate = |episode, manager| w.app.update_episode(manager, episode, &to_asye);
        let (a, b, c, d) = tokio::join!(
            allocate(waiting[0], &w.manager),
            allocate(waiting[1], &w.manager2),
            allocate(waiting[2], &w.manager),
            allocate(waiting[3], &w.manager2),
        );
        let outcomes = [a.map(|_| ()), b.map(|_| ()), c.map(|_| ()), d.map(|_| ())];
        assert_eq!(
            outcomes.iter().filter(|r| r.is_ok()).count(),
            1,
            "{outcomes:?}"
        );
        assert!(
            outcomes.iter().all(|r| match r {
                Err(AppError::Invalid(e)) => e[0].field == "worker",
                other => other.is_ok(),
            }),
            "{outcomes:?}"
        );
        assert_eq!(weighted(&workloads(&w).await, &w.asye), "2.0");
    })
    .await;
}

#[tokio::test]
async fn workload_rules_are_set_by_an_administrator_and_bad_values_are_named() {
    each_backend(|w| async move {
        let operator = ActingAs::Operator {
            authority: w.manager.authority,
        };
        let mut input = WorkloadRulesInput {
            child_protection: "2.25".into(),
            section_47: "1.5".into(),
            assessment: "0".into(),
            child_in_need: "one".into(),
            asye_cap: "15".into(),
        };
        let refused = w
            .app
            .set_workload_rules(&operator, &input)
            .await
            .expect_err("bad values");
        assert_eq!(fields(&refused), ["child_protection", "child_in_need"]);
        input.child_protection = "2".into();
        input.child_in_need = "1".into();
        let refused = w
            .app
            .set_workload_rules(&operator, &input)
            .await
            .expect_err("zero weight");
        assert_eq!(fields(&refused), ["assessment"]);
        input.assessment = "1.2".into();
        let rules = w
            .app
            .set_workload_rules(&operator, &input)
            .await
            .expect("rules");
        assert_eq!(rules.asye_cap().to_string(), "15.0");
        let manager = w
            .app
            .set_workload_rules(&ActingAs::Worker(w.manager.clone()), &input)
            .await;
        assert!(matches!(manager, Err(AppError::Denied(_))), "{manager:?}");
        assert_eq!(workloads(&w).await.rules, rules);
    })
    .await;
}
