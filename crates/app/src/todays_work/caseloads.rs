//! The demo's caseloads: each front-door social worker holds some of the open episodes, a
//! newly qualified (ASYE) worker up to their protected caseload, and one child beyond it that
//! their manager agreed, with the reason — so the workloads page shows a real team.

use crate::{App, AppError, EpisodeUpdateInput};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::ids::AuthorityId;
use frontdoor_domain::workload::{CaseStage, StageCounts};
use frontdoor_store::organisation::Worker;

/// Open episodes an experienced social worker holds in the demo.
const CASELOAD: usize = 12;

const OVERRIDE_REASON: &str = "She knows this family from her final placement; agreed for \
    continuity, to be reviewed at her next supervision.";

/// Allocates open episodes to the front-door social workers, each by their team's manager;
/// returns how many were allocated.
pub(super) async fn allocate_caseloads(
    app: &App,
    authority: AuthorityId,
    workers: &[Worker],
) -> Result<usize, AppError> {
    let rules = app.store.workload_rules(authority).await?;
    let social_workers: Vec<&Worker> = workers
        .iter()
        .filter(|w| w.active && w.role == Role::MashSocialWorker && w.team.is_some())
        .collect();
    let wanted: usize = social_workers
        .iter()
        .map(|w| {
            if w.asye {
                asye_caseload(&rules) + 1
            } else {
                CASELOAD
            }
        })
        .sum();
    let mut episodes = app
        .store
        .unallocated_episodes(authority, i64::try_from(wanted).unwrap_or(i64::MAX))
        .await?
        .into_iter();
    let mut allocated = 0;
    for worker in social_workers {
        let Some(manager) = workers
            .iter()
            .find(|m| m.active && m.role == Role::TeamManager && m.team == worker.team)
            .map(Worker::actor)
        else {
            continue;
        };
        let within = if worker.asye {
            asye_caseload(&rules)
        } else {
            CASELOAD
        };
        for episode in episodes.by_ref().take(within) {
            allocated += allocate(app, &manager, worker, episode, "").await?;
        }
        if worker.asye {
            // One more: over the protected caseload, so the manager must say why.
            if let Some(episode) = episodes.next() {
                allocated += allocate(app, &manager, worker, episode, OVERRIDE_REASON).await?;
            }
        }
    }
    Ok(allocated)
}

/// How many child-in-need episodes fit within the protected caseload.
fn asye_caseload(rules: &frontdoor_domain::workload::WorkloadRules) -> usize {
    let mut counts = StageCounts::default();
    let mut n = 0;
    while !rules.allocation_exceeds_asye_cap(&counts, CaseStage::ChildInNeed) && n < 100 {
        counts.add(CaseStage::ChildInNeed, 1);
        n += 1;
    }
    n
}

async fn allocate(
    app: &App,
    manager: &Actor,
    worker: &Worker,
    episode: frontdoor_domain::ids::EpisodeId,
    reason: &str,
) -> Result<usize, AppError> {
    let input = EpisodeUpdateInput {
        worker: worker.id.to_string(),
        asye_override_reason: reason.into(),
        ..Default::default()
    };
    match app.update_episode(manager, episode, &input).await {
        Ok(_) => Ok(1),
        // An older episode may already carry a heavier stage: skip what does not fit.
        Err(AppError::Invalid(_)) => Ok(0),
        Err(other) => Err(other),
    }
}
