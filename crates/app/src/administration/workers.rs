//! Workers' accounts: deactivate and reactivate, reset a password, end sessions, change role
//! or team.
//!
//! Concurrency: every change takes the worker-administration lock and re-reads the worker
//! inside the transaction, so the rules (never oneself, never the last active administrator,
//! a team for front-door roles) are checked against what is stored now. Deactivating or
//! reactivating someone who is already so is a conflict (409), and writes no event: of two
//! administrators who press "deactivate" together, one wins and the other is told. A password
//! reset or an end of sessions always succeeds (each is audited; the last reset wins).

use super::ActingAs;
use crate::passwords::check_password_strength;
use crate::{App, AppError};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Role};
use frontdoor_domain::ids::{OrganisationId, TeamId, WorkerId};
use frontdoor_store::administration as admin_store;
use frontdoor_store::events::{self, NewEvent};
use frontdoor_store::organisation::{Organisation, OrganisationKind, Team, Worker};
use frontdoor_store::Tx;
use serde_json::{json, Value};

/// A worker as the administrator's list shows them.
#[derive(Debug, Clone)]
pub struct WorkerSummary {
    pub worker: Worker,
    pub team_name: Option<String>,
    pub organisation_name: String,
    /// Sessions still live (not signed out, not expired).
    pub live_sessions: i64,
    /// When the latest live session began (`None`: signed out everywhere).
    pub latest_sign_in: Option<DateTime<Utc>>,
    /// Where notification emails go (`None`: in-app notifications only).
    pub email: Option<String>,
}

/// A change of role, team or partner organisation.
#[derive(Debug, Clone)]
pub struct PlacementInput {
    pub role: Role,
    pub team: Option<TeamId>,
    /// The partner organisation, for a partner agency practitioner.
    pub organisation: Option<OrganisationId>,
}

/// Checks that a role, team and organisation fit together, and gives the organisation the
/// worker belongs to: a team for front-door roles, a partner organisation (and no team) for
/// partner practitioners, the authority itself for everyone else. Retired teams and
/// organisations take nobody new.
pub(crate) fn check_placement(
    role: Role,
    team: Option<TeamId>,
    organisation: Option<OrganisationId>,
    organisations: &[Organisation],
    teams: &[Team],
) -> Result<OrganisationId, AppError> {
    let own = organisations
        .iter()
        .find(|o| o.kind == OrganisationKind::LocalAuthority)
        .ok_or(AppError::NotFound("The authority's own organisation"))?;
    if let Some(team) = team {
        let team = teams
            .iter()
            .find(|t| t.id == team)
            .ok_or(AppError::NotFound("The team"))?;
        if team.retired_at.is_some() {
            return Err(AppError::invalid(
                "team",
                format!("{} has been retired: choose a team in use.", team.name),
            ));
        }
    }
    if role.belongs_to_partner() {
        let Some(organisation) = organisation else {
            return Err(AppError::invalid(
                "organisation",
                "A partner agency practitioner belongs to a partner organisation: choose it (add it first if it is new).",
            ));
        };
        let organisation = organisations
            .iter()
            .find(|o| o.id == organisation)
            .ok_or(AppError::NotFound("The organisation"))?;
        if organisation.kind == OrganisationKind::LocalAuthority {
            return Err(AppError::invalid(
                "organisation",
                "A partner agency practitioner belongs to a partner organisation, not to the authority: choose the partner.",
            ));
        }
        if organisation.retired_at.is_some() {
            return Err(AppError::invalid(
                "organisation",
                format!(
                    "{} has been retired: choose an organisation in use.",
                    organisation.name
                ),
            ));
        }
        if team.is_some() {
            return Err(AppError::invalid(
                "team",
                "A partner agency practitioner is not in one of the authority's teams: leave the team empty.",
            ));
        }
        return Ok(organisation.id);
    }
    if role.needs_team() && team.is_none() {
        return Err(AppError::invalid(
            "team",
            format!(
                "A {} must have a team: choose their team.",
                role.label().to_lowercase().replace("mash", "MASH")
            ),
        ));
    }
    if organisation.is_some_and(|o| o != own.id) {
        return Err(AppError::invalid(
            "organisation",
            format!(
                "Only partner agency practitioners belong to a partner organisation; a {} belongs to the authority.",
                role.label().to_lowercase().replace("mash", "MASH")
            ),
        ));
    }
    Ok(own.id)
}

fn worker_event(
    by: &ActingAs,
    at: DateTime<Utc>,
    kind: &'static str,
    worker: &Worker,
    payload: Value,
) -> NewEvent {
    NewEvent::new(worker.authority, at, kind, worker.id.0)
        .recorded_by(by.worker())
        .with(payload)
}

impl App {
    /// The authority's workers with their team, organisation and live sessions.
    pub async fn worker_summaries(&self, by: &ActingAs) -> Result<Vec<WorkerSummary>, AppError> {
        by.require(Action::ManageWorkers)?;
        let authority = by.authority();
        let workers = self.store.workers(authority).await?;
        let teams = self.store.teams(authority).await?;
        let organisations = self.store.organisations(authority).await?;
        let sessions = self.store.session_summaries(authority, self.now()).await?;
        let emails = self.store.worker_emails(authority).await?;
        Ok(workers
            .into_iter()
            .map(|worker| {
                let session = sessions.iter().find(|s| s.worker == worker.id);
                WorkerSummary {
                    team_name: worker
                        .team
                        .and_then(|id| teams.iter().find(|t| t.id == id))
                        .map(|t| t.name.clone()),
                    organisation_name: organisations
                        .iter()
                        .find(|o| o.id == worker.organisation)
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                    live_sessions: session.map(|s| s.live).unwrap_or(0),
                    latest_sign_in: session.map(|s| s.latest_sign_in),
                    email: emails
                        .iter()
                        .find(|(id, _)| *id == worker.id)
                        .map(|(_, email)| email.clone()),
                    worker,
                }
            })
            .collect())
    }

    /// One worker, for their administration page.
    pub async fn worker_summary(
        &self,
        by: &ActingAs,
        id: WorkerId,
    ) -> Result<WorkerSummary, AppError> {
        self.worker_summaries(by)
            .await?
            .into_iter()
            .find(|s| s.worker.id == id)
            .ok_or(AppError::NotFound("The worker"))
    }

    /// A worker of the authority by username (usernames are compared in lower case).
    pub async fn worker_by_username(
        &self,
        by: &ActingAs,
        username: &str,
    ) -> Result<WorkerSummary, AppError> {
        let wanted = username.trim().to_ascii_lowercase();
        self.worker_summaries(by)
            .await?
            .into_iter()
            .find(|s| s.worker.username == wanted)
            .ok_or(AppError::NotFound(
                "A worker with that username in this authority",
            ))
    }

    /// Opens a worker-administration transaction: the lock, then the worker as stored now.
    async fn begin_worker_change(
        &self,
        by: &ActingAs,
        id: WorkerId,
    ) -> Result<(Tx, Worker), AppError> {
        by.require(Action::ManageWorkers)?;
        let mut tx = self.store.begin().await?;
        admin_store::lock_worker_administration(&mut tx).await?;
        let worker = admin_store::worker_for_update(&mut tx, by.authority(), id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        Ok((tx, worker))
    }

    /// Refuses a change that would leave the authority with no active administrator.
    async fn keep_an_administrator(
        &self,
        tx: &mut Tx,
        worker: &Worker,
        what: &str,
    ) -> Result<(), AppError> {
        if worker.role == Role::Administrator && worker.active {
            let active = admin_store::active_administrators(tx, worker.authority).await?;
            if active <= 1 {
                return Err(AppError::Conflict(format!(
                    "{} is the last active administrator: {what} would leave nobody to manage accounts. Make someone else an administrator first.",
                    worker.display_name
                )));
            }
        }
        Ok(())
    }

    /// Deactivates a worker: they cannot sign in, and every session of theirs ends at once
    /// (in the same transaction). A worker already inactive is a conflict.
    pub async fn deactivate_worker(&self, by: &ActingAs, id: WorkerId) -> Result<Worker, AppError> {
        let (mut tx, worker) = self.begin_worker_change(by, id).await?;
        if by.worker() == Some(worker.id) {
            return Err(AppError::Conflict(
                "You cannot deactivate your own account: ask another administrator.".into(),
            ));
        }
        if !worker.active {
            return Err(AppError::Conflict(format!(
                "{}'s account is already deactivated: reload the page to see it.",
                worker.display_name
            )));
        }
        self.keep_an_administrator(&mut tx, &worker, "deactivating them")
            .await?;
        if !admin_store::set_worker_active(&mut tx, worker.authority, worker.id, false).await? {
            return Err(AppError::Conflict(format!(
                "{}'s account was deactivated by someone else just now.",
                worker.display_name
            )));
        }
        let ended = admin_store::end_worker_sessions(&mut tx, worker.authority, worker.id).await?;
        let now = self.now();
        events::append(
            &mut tx,
            worker_event(
                by,
                now,
                "worker_deactivated",
                &worker,
                json!({ "username": worker.username, "sessions_ended": ended }),
            ),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(worker = %worker.id, sessions_ended = ended, "worker deactivated");
        Ok(Worker {
            active: false,
            ..worker
        })
    }

    /// Reactivates a worker (they sign in with their existing password, or one reset for
    /// them). Refused while their organisation or team is retired.
    pub async fn reactivate_worker(&self, by: &ActingAs, id: WorkerId) -> Result<Worker, AppError> {
        let (mut tx, worker) = self.begin_worker_change(by, id).await?;
        if worker.active {
            return Err(AppError::Conflict(format!(
                "{}'s account is already active: reload the page to see it.",
                worker.display_name
            )));
        }
        if admin_store::organisation_retired(&mut tx, worker.authority, worker.organisation).await?
            == Some(true)
        {
            return Err(AppError::Conflict(format!(
                "{}'s organisation has been retired: move them to an organisation in use first.",
                worker.display_name
            )));
        }
        if let Some(team) = worker.team {
            if admin_store::team_retired(&mut tx, worker.authority, team).await? == Some(true) {
                return Err(AppError::Conflict(format!(
                    "{}'s team has been retired: move them to a team in use first.",
                    worker.display_name
                )));
            }
        }
        if !admin_store::set_worker_active(&mut tx, worker.authority, worker.id, true).await? {
            return Err(AppError::Conflict(format!(
                "{}'s account was reactivated by someone else just now.",
                worker.display_name
            )));
        }
        let now = self.now();
        events::append(
            &mut tx,
            worker_event(
                by,
                now,
                "worker_reactivated",
                &worker,
                json!({ "username": worker.username }),
            ),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(worker = %worker.id, "worker reactivated");
        Ok(Worker {
            active: true,
            ..worker
        })
    }

    /// Sets a new password chosen by the administrator (or the operator), ends every session
    /// of the worker, and forgets their failed sign-ins. The event records that it happened,
    /// never the password or its hash.
    pub async fn reset_password(
        &self,
        by: &ActingAs,
        id: WorkerId,
        password: &str,
    ) -> Result<Worker, AppError> {
        by.require(Action::ManageWorkers)?;
        check_password_strength(password)?;
        // On the bounded hashing pool, like sign-in: hashing never stalls other requests.
        let hash = self.passwords.hash(password).await?;
        let (mut tx, worker) = self.begin_worker_change(by, id).await?;
        if !admin_store::set_worker_password(&mut tx, worker.authority, worker.id, &hash).await? {
            return Err(AppError::NotFound("The worker"));
        }
        let ended = admin_store::end_worker_sessions(&mut tx, worker.authority, worker.id).await?;
        admin_store::clear_sign_in_failures(&mut tx, &worker.username).await?;
        let now = self.now();
        events::append(
            &mut tx,
            worker_event(
                by,
                now,
                "worker_password_reset",
                &worker,
                json!({ "username": worker.username, "sessions_ended": ended }),
            ),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(worker = %worker.id, sessions_ended = ended, "password reset");
        Ok(Worker {
            password_hash: hash,
            ..worker
        })
    }

    /// Ends every session of a worker (they must sign in again). Returns how many ended.
    pub async fn end_sessions(&self, by: &ActingAs, id: WorkerId) -> Result<u64, AppError> {
        let (mut tx, worker) = self.begin_worker_change(by, id).await?;
        let ended = admin_store::end_worker_sessions(&mut tx, worker.authority, worker.id).await?;
        let now = self.now();
        events::append(
            &mut tx,
            worker_event(
                by,
                now,
                "worker_sessions_ended",
                &worker,
                json!({ "username": worker.username, "sessions_ended": ended }),
            ),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(worker = %worker.id, sessions_ended = ended, "sessions ended");
        Ok(ended)
    }

    /// Changes a worker's role, team or partner organisation. Their sessions end, so the new
    /// role applies from their next request.
    pub async fn change_worker(
        &self,
        by: &ActingAs,
        id: WorkerId,
        input: &PlacementInput,
    ) -> Result<Worker, AppError> {
        by.require(Action::ManageWorkers)?;
        let authority = by.authority();
        let organisations = self.store.organisations(authority).await?;
        let teams = self.store.teams(authority).await?;
        let organisation = check_placement(
            input.role,
            input.team,
            input.organisation,
            &organisations,
            &teams,
        )?;
        let (mut tx, worker) = self.begin_worker_change(by, id).await?;
        if worker.role == input.role
            && worker.team == input.team
            && worker.organisation == organisation
        {
            return Err(AppError::invalid(
                "role",
                format!(
                    "{} already has this role and team: change one of them.",
                    worker.display_name
                ),
            ));
        }
        if worker.role == Role::Administrator && input.role != Role::Administrator {
            if by.worker() == Some(worker.id) {
                return Err(AppError::Conflict(
                    "You cannot take away your own administrator role: ask another administrator."
                        .into(),
                ));
            }
            self.keep_an_administrator(&mut tx, &worker, "changing their role")
                .await?;
        }
        // The team or organisation may have been retired since they were read above.
        if let Some(team) = input.team {
            if admin_store::team_retired(&mut tx, authority, team).await? != Some(false) {
                return Err(AppError::Conflict(
                    "That team was retired just now: choose a team in use.".into(),
                ));
            }
        }
        if admin_store::organisation_retired(&mut tx, authority, organisation).await? != Some(false)
        {
            return Err(AppError::Conflict(
                "That organisation was retired just now: choose one in use.".into(),
            ));
        }
        if !admin_store::set_worker_placement(
            &mut tx,
            authority,
            worker.id,
            input.role,
            input.team,
            organisation,
            worker.role,
            worker.team,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "{}'s role or team was changed by someone else just now: reload the page to see it.",
                worker.display_name
            )));
        }
        let ended = admin_store::end_worker_sessions(&mut tx, authority, worker.id).await?;
        let now = self.now();
        events::append(
            &mut tx,
            worker_event(
                by,
                now,
                "worker_changed",
                &worker,
                json!({
                    "username": worker.username,
                    "role": { "from": worker.role.code(), "to": input.role.code() },
                    "team": { "from": worker.team, "to": input.team },
                    "organisation": { "from": worker.organisation, "to": organisation },
                    "sessions_ended": ended,
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(worker = %worker.id, "worker changed");
        Ok(Worker {
            role: input.role,
            team: input.team,
            organisation,
            ..worker
        })
    }
}
