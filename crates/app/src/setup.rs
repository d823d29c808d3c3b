//! Setting up an authority, its organisations, teams and workers. These are operator tasks
//! (run from the CLI by whoever holds the database), or administrator tasks in the app.

use crate::passwords::check_password_strength;
use crate::{App, AppError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource, Role};
use frontdoor_domain::decision::ThresholdFramework;
use frontdoor_domain::ids::{AuthorityId, OrganisationId, TeamId, WorkerId};
use frontdoor_store::events::NewEvent;
use frontdoor_store::organisation::{
    self as org_store, Authority, Organisation, OrganisationKind, Team, Worker,
};
use serde_json::json;

/// A new authority with its own organisation and front-door teams.
#[derive(Debug, Clone)]
pub struct NewAuthority {
    pub code: String,
    pub name: String,
    /// Names of the teams that receive contacts (e.g. "MASH team A"); the first by name is
    /// where contacts from the online form go.
    pub front_door_teams: Vec<String>,
    /// Other teams (e.g. the emergency duty team, which acts for every team out of hours).
    pub other_teams: Vec<String>,
    /// Partner organisations (name, kind).
    pub partners: Vec<(String, OrganisationKind)>,
}

#[derive(Debug, Clone)]
pub struct NewWorker {
    pub authority: AuthorityId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<TeamId>,
    /// A partner organisation; `None` means the authority itself.
    pub organisation: Option<OrganisationId>,
    pub asye: bool,
    pub password: String,
}

impl App {
    /// Creates an authority (operator task). Returns its id.
    pub async fn create_authority(&self, new: &NewAuthority) -> Result<AuthorityId, AppError> {
        let code = new.code.trim().to_ascii_lowercase();
        if code.is_empty()
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            || code.len() > 40
        {
            return Err(AppError::invalid("code", "An authority code is 1 to 40 letters, digits or hyphens, for example 'northshire'."));
        }
        if new.name.trim().is_empty() {
            return Err(AppError::invalid("name", "Enter the authority's name."));
        }
        // Team and organisation names are unique within an authority whatever their case.
        let mut seen = std::collections::HashSet::new();
        for name in new.front_door_teams.iter().chain(&new.other_teams) {
            if !seen.insert(name.trim().to_lowercase()) {
                return Err(AppError::invalid(
                    "team",
                    format!(
                        "The team '{}' is named twice: give each team its own name.",
                        name.trim()
                    ),
                ));
            }
        }
        if self.store.authority_by_code(&code).await?.is_some() {
            return Err(AppError::Conflict(format!(
                "An authority with code '{code}' already exists."
            )));
        }
        let now = self.now();
        let authority = Authority {
            id: AuthorityId::new(),
            code,
            name: new.name.trim().to_string(),
            threshold_framework: ThresholdFramework::default(),
            threshold_framework_version: 1,
            local_closure_days: vec![],
        };
        let own = Organisation {
            id: OrganisationId::new(),
            authority: authority.id,
            name: authority.name.clone(),
            kind: OrganisationKind::LocalAuthority,
            retired_at: None,
        };
        let mut tx = self.store.begin().await?;
        org_store::insert_authority(&mut tx, &authority, now).await?;
        org_store::insert_organisation(&mut tx, &own, now).await?;
        for name in &new.front_door_teams {
            let team = Team {
                id: TeamId::new(),
                authority: authority.id,
                organisation: own.id,
                name: name.clone(),
                receives_contacts: true,
                retired_at: None,
            };
            org_store::insert_team(&mut tx, &team, now).await?;
        }
        for name in &new.other_teams {
            let team = Team {
                id: TeamId::new(),
                authority: authority.id,
                organisation: own.id,
                name: name.clone(),
                receives_contacts: false,
                retired_at: None,
            };
            org_store::insert_team(&mut tx, &team, now).await?;
        }
        for (name, kind) in &new.partners {
            let partner = Organisation {
                id: OrganisationId::new(),
                authority: authority.id,
                name: name.clone(),
                kind: *kind,
                retired_at: None,
            };
            org_store::insert_organisation(&mut tx, &partner, now).await?;
        }
        NewEvent::new(authority.id, now, "authority_created", authority.id.0)
            .with(json!({ "code": authority.code, "name": authority.name }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(authority.id)
    }

    /// Adds a worker as an administrator of the same authority.
    pub async fn add_worker(&self, actor: &Actor, new: &NewWorker) -> Result<Worker, AppError> {
        authorize(
            actor,
            Action::ManageWorkers,
            &Resource::authority(new.authority),
        )
        .require()?;
        self.insert_worker(Some(actor), new).await
    }

    /// Adds a worker from the command line (the operator holds the database itself).
    pub async fn add_worker_as_operator(&self, new: &NewWorker) -> Result<Worker, AppError> {
        self.insert_worker(None, new).await
    }

    async fn insert_worker(
        &self,
        actor: Option<&Actor>,
        new: &NewWorker,
    ) -> Result<Worker, AppError> {
        let username = new.username.trim().to_ascii_lowercase();
        if username.len() < 2
            || username.len() > 64
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
        {
            return Err(AppError::invalid(
                "username",
                "A username is 2 to 64 letters, digits, dots, hyphens, underscores or @.",
            ));
        }
        if new.display_name.trim().is_empty() {
            return Err(AppError::invalid(
                "display_name",
                "Enter the worker's name.",
            ));
        }
        check_password_strength(&new.password)?;
        // A team manager, MASH social worker or contact officer needs a team; a partner
        // practitioner a partner organisation (the same rule as changing a worker's role).
        let organisations = self.store.organisations(new.authority).await?;
        let teams = self.store.teams(new.authority).await?;
        let organisation = crate::administration::check_placement(
            new.role,
            new.team,
            new.organisation,
            &organisations,
            &teams,
        )?;
        let worker = Worker {
            id: WorkerId::new(),
            authority: new.authority,
            organisation,
            team: new.team,
            username,
            display_name: new.display_name.trim().to_string(),
            role: new.role,
            asye: new.asye,
            password_hash: self.passwords.hash(&new.password).await?,
            active: true,
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        org_store::insert_worker(&mut tx, &worker, now)
            .await
            .map_err(|e| match e {
                frontdoor_store::StoreError::Duplicate(_) => AppError::Conflict(format!(
                    "The username '{}' is taken: choose another.",
                    worker.username
                )),
                other => other.into(),
            })?;
        let added = json!({
            "username": worker.username, "role": worker.role.code(),
            "team": worker.team, "asye": worker.asye,
        });
        NewEvent::new(new.authority, now, "worker_added", worker.id.0)
            .recorded_by(actor.map(|a| a.worker))
            .with(added)
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(worker)
    }
}

/// An authority with its teams and organisations, as an operator sees it.
#[derive(Debug, Clone)]
pub struct AuthorityDirectory {
    pub id: AuthorityId,
    pub code: String,
    pub name: String,
    pub teams: Vec<Team>,
    pub organisations: Vec<Organisation>,
}

impl App {
    /// Every authority in the database: (id, code, name). An operator task.
    pub async fn authorities(&self) -> Result<Vec<(AuthorityId, String, String)>, AppError> {
        Ok(self.store.authorities().await?)
    }

    /// An authority by its code, with its teams and organisations (operator task), or `None`.
    pub async fn authority_directory(
        &self,
        code: &str,
    ) -> Result<Option<AuthorityDirectory>, AppError> {
        let code = code.trim().to_ascii_lowercase();
        let Some(id) = self.store.authority_by_code(&code).await? else {
            return Ok(None);
        };
        let authority = self.store.authority(id).await?;
        Ok(Some(AuthorityDirectory {
            id,
            code: authority.code,
            name: authority.name,
            teams: self.store.teams(id).await?,
            organisations: self.store.organisations(id).await?,
        }))
    }
}

impl App {
    /// Sets an authority's local closure days (operator task): days, beyond England and Wales
    /// bank holidays, that do not count as working days for its timescales.
    pub async fn set_local_closure_days(
        &self,
        authority: AuthorityId,
        days: &[chrono::NaiveDate],
    ) -> Result<(), AppError> {
        let mut days = days.to_vec();
        days.sort();
        days.dedup();
        let now = self.now();
        let mut tx = self.store.begin().await?;
        org_store::set_local_closure_days(&mut tx, authority, &days).await?;
        NewEvent::new(authority, now, "local_closure_days_set", authority.0)
            .with(json!({ "days": days }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
