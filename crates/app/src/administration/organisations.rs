//! Partner organisations and the authority's teams: add, rename, retire.
//!
//! Names are unique within an authority whatever their case, by a unique index: two
//! administrators adding the same name at once get one organisation and one conflict (409).
//! Nothing is deleted: contacts, decisions and workers keep naming what they named.
//!
//! Retiring a partner organisation deactivates its practitioners and ends their sessions in
//! the same transaction, so nobody signs in for an agency the authority no longer works with;
//! they cannot be reactivated while it stays retired. The authority's own organisation cannot
//! be retired. A team is retired only when no active worker is in it and none of its contacts
//! is open; it then receives no contacts.

use super::{clean_name, ActingAs};
use crate::{App, AppError};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::{OrganisationId, TeamId};
use frontdoor_store::administration::{self as admin_store, Renamed};
use frontdoor_store::events::{self, NewEvent};
use frontdoor_store::organisation::{self as org_store, Organisation, OrganisationKind, Team};
use frontdoor_store::StoreError;
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    /// Any kind but `local_authority` (the authority has exactly one organisation of its own).
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct NewTeam {
    pub name: String,
    /// A front-door team: contacts are allocated to it.
    pub receives_contacts: bool,
}

fn taken(what: &str, name: &str) -> AppError {
    AppError::Conflict(format!(
        "There is already {what} called '{name}' in this authority: choose another name."
    ))
}

impl App {
    fn event(&self, by: &ActingAs, kind: &'static str, subject: Uuid, payload: Value) -> NewEvent {
        NewEvent::new(by.authority(), self.now(), kind, subject)
            .recorded_by(by.worker())
            .with(payload)
    }

    /// The authority's organisations (its own first, then partners by name), retired ones included.
    pub async fn organisations(&self, by: &ActingAs) -> Result<Vec<Organisation>, AppError> {
        by.require(Action::ManageOrganisations)?;
        let mut organisations = self.store.organisations(by.authority()).await?;
        organisations.sort_by_key(|o| o.kind != OrganisationKind::LocalAuthority);
        Ok(organisations)
    }

    /// The authority's teams, retired ones included.
    pub async fn managed_teams(&self, by: &ActingAs) -> Result<Vec<Team>, AppError> {
        by.require(Action::ManageOrganisations)?;
        Ok(self.store.teams(by.authority()).await?)
    }

    pub async fn add_organisation(
        &self,
        by: &ActingAs,
        new: &NewOrganisation,
    ) -> Result<Organisation, AppError> {
        by.require(Action::ManageOrganisations)?;
        let name = clean_name("name", "organisation", &new.name)?;
        let kind = match OrganisationKind::from_code(new.kind.trim()) {
            Some(OrganisationKind::LocalAuthority) | None => {
                return Err(AppError::invalid(
                    "kind",
                    "Choose the kind of partner: police, health, school, probation, housing, voluntary or other.",
                ))
            }
            Some(kind) => kind,
        };
        let organisation = Organisation {
            id: OrganisationId::new(),
            authority: by.authority(),
            name,
            kind,
            retired_at: None,
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        match org_store::insert_organisation(&mut tx, &organisation, now).await {
            Err(StoreError::Duplicate(_)) => {
                return Err(taken("an organisation", &organisation.name))
            }
            other => other?,
        }
        events::append(
            &mut tx,
            self.event(
                by,
                "organisation_added",
                organisation.id.0,
                json!({ "name": organisation.name, "kind": kind.code() }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(organisation)
    }

    pub async fn rename_organisation(
        &self,
        by: &ActingAs,
        id: OrganisationId,
        name: &str,
    ) -> Result<(), AppError> {
        by.require(Action::ManageOrganisations)?;
        let name = clean_name("name", "organisation", name)?;
        let before = self
            .organisations(by)
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or(AppError::NotFound("The organisation"))?;
        self.rename(by, Renamed::Organisation, id.0, &before.name, &name)
            .await
    }

    pub async fn add_team(&self, by: &ActingAs, new: &NewTeam) -> Result<Team, AppError> {
        by.require(Action::ManageOrganisations)?;
        let name = clean_name("name", "team", &new.name)?;
        let own = self
            .store
            .organisations(by.authority())
            .await?
            .into_iter()
            .find(|o| o.kind == OrganisationKind::LocalAuthority)
            .ok_or(AppError::NotFound("The authority's own organisation"))?;
        let team = Team {
            id: TeamId::new(),
            authority: by.authority(),
            organisation: own.id,
            name,
            receives_contacts: new.receives_contacts,
            retired_at: None,
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        match org_store::insert_team(&mut tx, &team, now).await {
            Err(StoreError::Duplicate(_)) => return Err(taken("a team", &team.name)),
            other => other?,
        }
        events::append(
            &mut tx,
            self.event(
                by,
                "team_added",
                team.id.0,
                json!({ "name": team.name, "receives_contacts": team.receives_contacts }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(team)
    }

    pub async fn rename_team(&self, by: &ActingAs, id: TeamId, name: &str) -> Result<(), AppError> {
        by.require(Action::ManageOrganisations)?;
        let name = clean_name("name", "team", name)?;
        let before = self
            .managed_teams(by)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(AppError::NotFound("The team"))?;
        self.rename(by, Renamed::Team, id.0, &before.name, &name)
            .await
    }

    async fn rename(
        &self,
        by: &ActingAs,
        what: Renamed,
        id: Uuid,
        before: &str,
        name: &str,
    ) -> Result<(), AppError> {
        let (article, kind) = match what {
            Renamed::Organisation => ("an organisation", "organisation_renamed"),
            Renamed::Team => ("a team", "team_renamed"),
        };
        if before == name {
            return Err(AppError::invalid(
                "name",
                format!("It is already called '{name}': type the new name."),
            ));
        }
        let mut tx = self.store.begin().await?;
        match admin_store::rename(&mut tx, what, by.authority(), id, name).await {
            Err(StoreError::Duplicate(_)) => return Err(taken(article, name)),
            Ok(false) => {
                return Err(AppError::Conflict(format!(
                    "'{before}' has been retired, so it cannot be renamed."
                )))
            }
            Ok(true) => {}
            Err(e) => return Err(e.into()),
        }
        events::append(
            &mut tx,
            self.event(by, kind, id, json!({ "from": before, "to": name })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Retires a partner organisation: its practitioners are deactivated and their sessions
    /// end, in the same transaction. Returns how many were deactivated.
    pub async fn retire_organisation(
        &self,
        by: &ActingAs,
        id: OrganisationId,
    ) -> Result<usize, AppError> {
        by.require(Action::ManageOrganisations)?;
        let organisation = self
            .organisations(by)
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or(AppError::NotFound("The organisation"))?;
        if organisation.kind == OrganisationKind::LocalAuthority {
            return Err(AppError::Conflict(format!(
                "{} is the authority itself and cannot be retired: deactivate its workers one by one instead.",
                organisation.name
            )));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        admin_store::lock_worker_administration(&mut tx).await?;
        if !admin_store::retire_organisation(&mut tx, by.authority(), id, now).await? {
            return Err(AppError::Conflict(format!(
                "{} has already been retired: reload the page to see it.",
                organisation.name
            )));
        }
        let deactivated =
            admin_store::deactivate_organisation_workers(&mut tx, by.authority(), id).await?;
        events::append(
            &mut tx,
            self.event(
                by,
                "organisation_retired",
                id.0,
                json!({ "name": organisation.name, "workers_deactivated": deactivated }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(deactivated.len())
    }

    /// Retires a team nobody active is in and with no open contact.
    pub async fn retire_team(&self, by: &ActingAs, id: TeamId) -> Result<(), AppError> {
        by.require(Action::ManageOrganisations)?;
        let teams = self.managed_teams(by).await?;
        let team = teams
            .iter()
            .find(|t| t.id == id)
            .cloned()
            .ok_or(AppError::NotFound("The team"))?;
        if team.receives_contacts
            && !teams
                .iter()
                .any(|t| t.id != id && t.receives_contacts && t.retired_at.is_none())
        {
            return Err(AppError::Conflict(format!(
                "{} is the only team that receives contacts: add another front-door team before retiring it.",
                team.name
            )));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // Held so that nobody is moved into the team while it is being retired.
        admin_store::lock_worker_administration(&mut tx).await?;
        if team.receives_contacts
            && admin_store::other_receiving_teams(&mut tx, by.authority(), id).await? == 0
        {
            return Err(AppError::Conflict(format!(
                "{} is now the only team that receives contacts (another was retired a moment ago): add another front-door team before retiring it.",
                team.name
            )));
        }
        let (workers, contacts) = admin_store::team_dependants(&mut tx, by.authority(), id).await?;
        if workers > 0 || contacts > 0 {
            return Err(AppError::Conflict(format!(
                "{} still has {workers} active worker(s) and {contacts} open contact(s): move the workers to another team and finish or reallocate the contacts first.",
                team.name
            )));
        }
        if !admin_store::retire_team(&mut tx, by.authority(), id, now).await? {
            return Err(AppError::Conflict(format!(
                "{} has already been retired: reload the page to see it.",
                team.name
            )));
        }
        events::append(
            &mut tx,
            self.event(by, "team_retired", id.0, json!({ "name": team.name })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
