//! Authorities, organisations, teams and workers.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::decision::ThresholdFramework;
use frontdoor_domain::ids::{AuthorityId, OrganisationId, TeamId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Authority {
    pub id: AuthorityId,
    pub code: String,
    pub name: String,
    pub threshold_framework: ThresholdFramework,
    /// The version of the threshold framework in force (1 when the authority was created;
    /// each publication adds one). Older versions are kept in `threshold_framework_versions`.
    pub threshold_framework_version: i32,
    /// Extra closure days (ISO dates), beyond England and Wales bank holidays.
    pub local_closure_days: Vec<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    LocalAuthority,
    Police,
    Health,
    School,
    Probation,
    Housing,
    Voluntary,
    Other,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 8] = [
        OrganisationKind::LocalAuthority,
        OrganisationKind::Police,
        OrganisationKind::Health,
        OrganisationKind::School,
        OrganisationKind::Probation,
        OrganisationKind::Housing,
        OrganisationKind::Voluntary,
        OrganisationKind::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::LocalAuthority => "local_authority",
            OrganisationKind::Police => "police",
            OrganisationKind::Health => "health",
            OrganisationKind::School => "school",
            OrganisationKind::Probation => "probation",
            OrganisationKind::Housing => "housing",
            OrganisationKind::Voluntary => "voluntary",
            OrganisationKind::Other => "other",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
    /// The agency an organisation of this kind is, for consent to share: consent names
    /// agencies, and a practitioner's organisation says which one they work for.
    pub fn agency(self) -> frontdoor_domain::agency::Agency {
        use frontdoor_domain::agency::Agency;
        match self {
            OrganisationKind::LocalAuthority => Agency::ChildrensSocialCare,
            OrganisationKind::Police => Agency::Police,
            OrganisationKind::Health => Agency::Health,
            OrganisationKind::School => Agency::Education,
            OrganisationKind::Probation => Agency::Probation,
            OrganisationKind::Housing => Agency::Housing,
            OrganisationKind::Voluntary | OrganisationKind::Other => Agency::Other,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub authority: AuthorityId,
    pub name: String,
    pub kind: OrganisationKind,
    /// When the organisation was retired (its practitioners were deactivated then); `None`
    /// while it is in use.
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Team {
    pub id: TeamId,
    pub authority: AuthorityId,
    pub organisation: OrganisationId,
    pub name: String,
    /// A front-door team that contacts are allocated to.
    pub receives_contacts: bool,
    /// When the team was retired (it then receives no contacts); `None` while it is in use.
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Worker {
    pub id: WorkerId,
    pub authority: AuthorityId,
    pub organisation: OrganisationId,
    pub team: Option<TeamId>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// In the Assessed and Supported Year in Employment: a newly qualified social worker.
    pub asye: bool,
    pub password_hash: String,
    pub active: bool,
}

impl Worker {
    pub fn actor(&self) -> Actor {
        Actor {
            worker: self.id,
            authority: self.authority,
            organisation: self.organisation,
            team: self.team,
            role: self.role,
        }
    }
}

macro_rules! worker_from_row {
    ($row:expr) => {{
        let row = $row;
        let role: String = row.try_get("role")?;
        Worker {
            id: WorkerId(row.try_get("id")?),
            authority: AuthorityId(row.try_get("authority_id")?),
            organisation: OrganisationId(row.try_get("organisation_id")?),
            team: row.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            role: Role::from_code(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
            asye: row.try_get("asye")?,
            password_hash: row.try_get("password_hash")?,
            active: row.try_get("active")?,
        }
    }};
}

pub(crate) use worker_from_row;

pub(crate) const WORKER_COLUMNS: &str =
    "id, authority_id, organisation_id, team_id, username, display_name, role, asye, password_hash, active";

pub async fn insert_authority(
    tx: &mut Tx,
    authority: &Authority,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let framework = serde_json::to_string(&authority.threshold_framework)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let closures = authority
        .local_closure_days
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(",");
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO authorities (id, code, name, threshold_framework, local_closure_days, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(authority.id.0).bind(&authority.code).bind(&authority.name).bind(&framework).bind(&closures).bind(at)
            .execute(&mut *conn).await?;
        sqlx::query("UPDATE authorities SET threshold_framework_version = $1 WHERE id = $2")
            .bind(authority.threshold_framework_version).bind(authority.id.0)
            .execute(&mut *conn).await?;
        sqlx::query("INSERT INTO threshold_framework_versions (authority_id, version, framework, published_at, published_by) VALUES ($1, $2, $3, $4, NULL)")
            .bind(authority.id.0).bind(authority.threshold_framework_version).bind(&framework).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_organisation(
    tx: &mut Tx,
    organisation: &Organisation,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO organisations (id, authority_id, name, kind, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(organisation.id.0).bind(organisation.authority.0).bind(&organisation.name)
            .bind(organisation.kind.code()).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_team(tx: &mut Tx, team: &Team, at: DateTime<Utc>) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO teams (id, authority_id, organisation_id, name, receives_contacts, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(team.id.0).bind(team.authority.0).bind(team.organisation.0).bind(&team.name)
            .bind(team.receives_contacts).bind(at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

pub async fn insert_worker(
    tx: &mut Tx,
    worker: &Worker,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let result = on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO workers (id, authority_id, organisation_id, team_id, username, display_name, role, asye, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(worker.id.0).bind(worker.authority.0).bind(worker.organisation.0).bind(worker.team.map(|t| t.0))
        .bind(&worker.username).bind(&worker.display_name).bind(worker.role.code()).bind(worker.asye)
        .bind(&worker.password_hash).bind(worker.active).bind(at)
        .execute(&mut *conn).await.map(|done| done.rows_affected())
    });
    match result {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            Err(StoreError::Duplicate("username"))
        }
        Err(e) => Err(e.into()),
    }
}

impl Store {
    pub async fn authority(&self, id: AuthorityId) -> Result<Authority, StoreError> {
        let row = on_pool!(self, pool => {
            let row = sqlx::query("SELECT id, code, name, threshold_framework, threshold_framework_version, local_closure_days FROM authorities WHERE id = $1")
                .bind(id.0).fetch_optional(pool).await?;
            match row {
                None => None,
                Some(row) => Some((
                    row.try_get::<Uuid, _>("id")?, row.try_get::<String, _>("code")?, row.try_get::<String, _>("name")?,
                    row.try_get::<String, _>("threshold_framework")?, row.try_get::<i32, _>("threshold_framework_version")?,
                    row.try_get::<String, _>("local_closure_days")?,
                )),
            }
        });
        let (id, code, name, framework, framework_version, closures) =
            row.ok_or(StoreError::NotFound("The authority"))?;
        Ok(Authority {
            id: AuthorityId(id),
            code,
            name,
            threshold_framework: serde_json::from_str(&framework)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            threshold_framework_version: framework_version,
            local_closure_days: closures
                .split(',')
                .filter(|d| !d.is_empty())
                .map(|d| {
                    d.parse()
                        .map_err(|_| StoreError::Corrupt(format!("closure day {d}")))
                })
                .collect::<Result<_, _>>()?,
        })
    }

    pub async fn authority_by_code(&self, code: &str) -> Result<Option<AuthorityId>, StoreError> {
        let id: Option<Uuid> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT id FROM authorities WHERE code = $1").bind(code).fetch_optional(pool).await?
        });
        Ok(id.map(AuthorityId))
    }

    /// All authorities in the database, by code (a regional deployment has several).
    pub async fn authorities(&self) -> Result<Vec<(AuthorityId, String, String)>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, code, name FROM authorities ORDER BY code").fetch_all(pool).await?;
            rows.iter().map(|r| Ok((AuthorityId(r.try_get("id")?), r.try_get("code")?, r.try_get("name")?))).collect()
        })
    }

    pub async fn worker_by_username(&self, username: &str) -> Result<Option<Worker>, StoreError> {
        let sql = format!("SELECT {WORKER_COLUMNS} FROM workers WHERE username = $1");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(username).fetch_optional(pool).await? {
                Some(row) => Ok(Some(worker_from_row!(&row))),
                None => Ok(None),
            }
        })
    }

    pub async fn worker(&self, authority: AuthorityId, id: WorkerId) -> Result<Worker, StoreError> {
        let sql =
            format!("SELECT {WORKER_COLUMNS} FROM workers WHERE id = $1 AND authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(worker_from_row!(&row)),
                None => Err(StoreError::NotFound("The worker")),
            }
        })
    }

    pub async fn workers(&self, authority: AuthorityId) -> Result<Vec<Worker>, StoreError> {
        let sql = format!(
            "SELECT {WORKER_COLUMNS} FROM workers WHERE authority_id = $1 ORDER BY display_name"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(worker_from_row!(row))).collect()
        })
    }

    pub async fn teams(&self, authority: AuthorityId) -> Result<Vec<Team>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, authority_id, organisation_id, name, receives_contacts, retired_at FROM teams WHERE authority_id = $1 ORDER BY name")
                .bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(Team {
                id: TeamId(r.try_get("id")?),
                authority: AuthorityId(r.try_get("authority_id")?),
                organisation: OrganisationId(r.try_get("organisation_id")?),
                name: r.try_get("name")?,
                receives_contacts: r.try_get("receives_contacts")?,
                retired_at: r.try_get("retired_at")?,
            })).collect()
        })
    }

    pub async fn organisations(
        &self,
        authority: AuthorityId,
    ) -> Result<Vec<Organisation>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, authority_id, name, kind, retired_at FROM organisations WHERE authority_id = $1 ORDER BY name")
                .bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(Organisation {
                    id: OrganisationId(r.try_get("id")?),
                    authority: AuthorityId(r.try_get("authority_id")?),
                    name: r.try_get("name")?,
                    kind: OrganisationKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("organisation kind {kind}")))?,
                    retired_at: r.try_get("retired_at")?,
                })
            }).collect()
        })
    }
}

/// Replaces an authority's local closure days (days its front door treats as non-working).
pub async fn set_local_closure_days(
    tx: &mut Tx,
    authority: AuthorityId,
    days: &[chrono::NaiveDate],
) -> Result<(), StoreError> {
    let text = days
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(",");
    on_tx!(tx, conn => {
        sqlx::query("UPDATE authorities SET local_closure_days = $1 WHERE id = $2")
            .bind(&text).bind(authority.0).execute(&mut *conn).await?;
    });
    Ok(())
}
