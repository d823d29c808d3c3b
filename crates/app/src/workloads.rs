//! Workloads: each case-holding worker's open episodes weighted by stage, by team; the
//! protected caseload of a worker in their ASYE year enforced when an episode is allocated,
//! with a manager's agreement to go over it recorded, reasoned and reported.

use crate::error::Checks;
use crate::{ActingAs, App, AppError};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::child_protection::MIN_REASON_CHARS;
use frontdoor_domain::ids::{AuthorityId, TeamId};
use frontdoor_domain::workload::{CaseStage, Weight, WorkloadRules};
use frontdoor_store::administration::worker_for_update;
use frontdoor_store::episodes::Episode;
use frontdoor_store::events::NewEvent;
use frontdoor_store::organisation::Worker;
use frontdoor_store::workloads::{self as store, CaseloadOverride, WorkerCaseload};
use frontdoor_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// How many of the most recent overrides the workloads page lists.
pub const OVERRIDES_SHOWN: i64 = 50;

/// One worker's caseload, weighted.
#[derive(Debug, Clone, Serialize)]
pub struct WorkerWorkload {
    #[serde(flatten)]
    pub caseload: WorkerCaseload,
    pub episodes: u32,
    pub weighted: Weight,
    /// An ASYE worker whose weighted caseload is over the protected cap.
    pub over_asye_cap: bool,
}

/// A team's workers and their total.
#[derive(Debug, Clone, Serialize)]
pub struct TeamWorkload {
    pub team: Option<TeamId>,
    pub name: String,
    pub workers: Vec<WorkerWorkload>,
    pub episodes: u32,
    pub weighted: Weight,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workloads {
    pub rules: WorkloadRules,
    pub teams: Vec<TeamWorkload>,
    /// The most recent agreements to go over an ASYE worker's protected caseload.
    pub overrides: Vec<CaseloadOverride>,
}

/// The weights and the cap as typed by an administrator.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkloadRulesInput {
    pub child_protection: String,
    pub section_47: String,
    pub assessment: String,
    pub child_in_need: String,
    pub asye_cap: String,
}

impl WorkloadRulesInput {
    fn weight_text(&self, stage: CaseStage) -> &str {
        match stage {
            CaseStage::ChildProtection => &self.child_protection,
            CaseStage::Section47 => &self.section_47,
            CaseStage::Assessment => &self.assessment,
            CaseStage::ChildInNeed => &self.child_in_need,
        }
    }
}

fn group_by_team(rules: &WorkloadRules, caseloads: Vec<WorkerCaseload>) -> Vec<TeamWorkload> {
    let mut teams: Vec<TeamWorkload> = Vec::new();
    for caseload in caseloads {
        let weighted = rules.weighted(&caseload.counts);
        let worker = WorkerWorkload {
            episodes: caseload.counts.episodes(),
            weighted,
            over_asye_cap: caseload.asye && weighted > rules.asye_cap(),
            caseload,
        };
        let team = match teams.last_mut() {
            Some(team) if team.team == worker.caseload.team => team,
            _ => {
                teams.push(TeamWorkload {
                    team: worker.caseload.team,
                    name: worker
                        .caseload
                        .team_name
                        .clone()
                        .unwrap_or_else(|| "No team".into()),
                    workers: Vec::new(),
                    episodes: 0,
                    weighted: Weight::default(),
                });
                let last = teams.len() - 1;
                &mut teams[last]
            }
        };
        team.episodes += worker.episodes;
        team.weighted = team.weighted + worker.weighted;
        team.workers.push(worker);
    }
    teams
}

impl App {
    /// Caseloads by team and worker (one team, or the whole authority), with the ASYE
    /// protection and the latest overrides of it.
    pub async fn workloads(
        &self,
        actor: &Actor,
        team: Option<TeamId>,
    ) -> Result<Workloads, AppError> {
        actor.may(Action::ViewWorkloads)?;
        self.workloads_of(actor.authority, team).await
    }

    /// The workloads view for a caller that has checked its own permission (the performance
    /// dashboard, under `ViewPerformance`).
    pub(crate) async fn workloads_of(
        &self,
        authority: AuthorityId,
        team: Option<TeamId>,
    ) -> Result<Workloads, AppError> {
        let rules = self.store.workload_rules(authority).await?;
        let caseloads = self.store.caseloads(authority, team).await?;
        let overrides = self
            .store
            .caseload_overrides(authority, OVERRIDES_SHOWN)
            .await?
            .into_iter()
            .filter(|o| team.is_none() || caseloads.iter().any(|c| c.worker == o.worker))
            .collect();
        Ok(Workloads {
            teams: group_by_team(&rules, caseloads),
            rules,
            overrides,
        })
    }

    pub async fn workload_rules(&self, by: &ActingAs) -> Result<WorkloadRules, AppError> {
        by.require(Action::ManageWorkloadRules)?;
        Ok(self.store.workload_rules(by.authority()).await?)
    }

    /// An administrator sets each stage's weight and the ASYE protected caseload.
    pub async fn set_workload_rules(
        &self,
        by: &ActingAs,
        input: &WorkloadRulesInput,
    ) -> Result<WorkloadRules, AppError> {
        by.require(Action::ManageWorkloadRules)?;
        let mut checks = Checks::default();
        let weights = CaseStage::ALL
            .map(|stage| checks.take(stage.code(), Weight::parse(input.weight_text(stage))));
        let cap = checks.take("asye_cap", Weight::parse(&input.asye_cap));
        checks.finish()?;
        let (
            [Some(child_protection), Some(section_47), Some(assessment), Some(child_in_need)],
            Some(cap),
        ) = (weights, cap)
        else {
            return Err(AppError::invalid(
                "asye_cap",
                "Enter every weight and the cap.",
            ));
        };
        let rules = WorkloadRules::new(
            [child_protection, section_47, assessment, child_in_need],
            cap,
        )
        .map_err(|e| {
            let field = match e {
                frontdoor_domain::workload::WorkloadRuleError::CapOutOfRange => "asye_cap",
                _ => CaseStage::ALL
                    .into_iter()
                    .find(|s| {
                        let w = Weight::parse(input.weight_text(*s)).unwrap_or_default();
                        w.tenths() < 1 || w.tenths() > 100
                    })
                    .map_or("child_protection", CaseStage::code),
            };
            AppError::invalid(field, e.to_string())
        })?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        store::set_rules(&mut tx, by.authority(), &rules).await?;
        NewEvent::new(by.authority(), now, "workload_rules_set", by.authority().0)
            .recorded_by(by.worker())
            .with(json!({ "rules": rules }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(rules)
    }
}

/// Inside the transaction that allocates `episode` to `worker` (its row locked first): an
/// ASYE worker's protected caseload may not be passed unless a manager agrees, with a reason.
/// The worker's row is locked, so two allocations to one worker are weighed one after the
/// other and never both squeeze under the cap.
pub(crate) async fn check_asye_allocation(
    tx: &mut Tx,
    actor: &Actor,
    episode: &Episode,
    worker: &Worker,
    override_reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !worker.asye || episode.worker == Some(worker.id) {
        return Ok(());
    }
    worker_for_update(tx, actor.authority, worker.id).await?;
    let rules = store::rules_in(tx, actor.authority).await?;
    let current = store::caseload_in(tx, actor.authority, worker.id).await?;
    let stage = store::stage_in(tx, actor.authority, episode.id).await?;
    if !rules.allocation_exceeds_asye_cap(&current, stage) {
        return Ok(());
    }
    let before = rules.weighted(&current);
    let after = before + rules.weight(stage);
    let reason = override_reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "worker",
            format!(
                "{} is in their ASYE year: their caseload is {before} of a protected {cap}, and \
                 this child ({stage}, weighing {weight}) would take it to {after}. Choose another \
                 worker, or a team manager can agree to go over the protected caseload, giving \
                 the reason.",
                worker.display_name,
                cap = rules.asye_cap(),
                stage = stage.label().to_lowercase(),
                weight = rules.weight(stage),
            ),
        ));
    }
    if !actor.role.allows(Action::OverrideAsyeCaseload) {
        return Err(AppError::invalid(
            "asye_override_reason",
            "Only a team manager can agree to go over an ASYE worker's protected caseload: ask \
             your manager, or choose another worker.",
        ));
    }
    if reason.chars().count() < MIN_REASON_CHARS {
        return Err(AppError::invalid(
            "asye_override_reason",
            "Say why this worker should hold the child despite their protected caseload.",
        ));
    }
    let record = CaseloadOverride {
        id: Uuid::now_v7(),
        episode: episode.id,
        person: episode.person,
        worker: worker.id,
        worker_name: worker.display_name.clone(),
        caseload_before: before,
        caseload_after: after,
        cap: rules.asye_cap(),
        reason: reason.to_string(),
        agreed_by: actor.worker,
        agreed_by_name: String::new(),
        agreed_at: now,
    };
    store::insert_override(tx, actor.authority, &record).await?;
    NewEvent::by(actor, now, "asye_caseload_overridden", episode.id.0)
        .about(episode.person)
        .with(json!({
            "worker": worker.id, "worker_name": worker.display_name, "reason": reason,
            "caseload_before": before, "caseload_after": after, "cap": rules.asye_cap(),
        }))
        .append(tx)
        .await?;
    Ok(())
}
