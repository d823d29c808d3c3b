//! Account lifecycle, partner organisations, teams and the threshold framework from the
//! command line. The operator holds the database, so these act "as operator" (like
//! `user add`): no policy check, and each change is audited with no worker named.

use anyhow::{bail, Context};
use clap::Subcommand;
use frontdoor_app::records::{Organisation, Team};
use frontdoor_app::{ActingAs, App, NewOrganisation, NewTeam, PlacementInput};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::decision::ThresholdFramework;
use std::io::BufRead;
use std::path::PathBuf;

use crate::config::Config;

/// `frontdoor user ...` beyond `add`.
#[derive(Subcommand)]
pub enum UserAdminCommand {
    /// List the authority's workers: role, team, organisation, active, live sessions.
    List {
        #[arg(long)]
        authority: String,
    },
    /// Deactivate a worker (a leaver): they cannot sign in, and their sessions end at once.
    Deactivate {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        username: String,
    },
    /// Reactivate a deactivated worker.
    Reactivate {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        username: String,
    },
    /// Set a new password (from FRONTDOOR_NEW_PASSWORD or the first line of standard input); all
    /// the worker's sessions end.
    ResetPassword {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        username: String,
    },
    /// End every session of a worker (they must sign in again).
    EndSessions {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        username: String,
    },
    /// Change a worker's role, team or partner organisation. A team manager, MASH social worker
    /// or contact officer needs --team; a partner practitioner needs --organisation.
    Change {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        username: String,
        /// The role, e.g. team_manager (see `frontdoor user add --help`). Default: unchanged.
        #[arg(long)]
        role: Option<String>,
        /// The team, by name.
        #[arg(long)]
        team: Option<String>,
        /// The partner organisation, by name (partner practitioners only).
        #[arg(long)]
        organisation: Option<String>,
    },
}

/// `frontdoor organisation ...`
#[derive(Subcommand)]
pub enum OrganisationCommand {
    /// Add a partner organisation (police, health, school, probation, housing, voluntary, other).
    Add {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        name: String,
        /// police, health, school, probation, housing, voluntary or other.
        #[arg(long)]
        kind: String,
    },
    /// List the authority's organisations, retired ones marked.
    List {
        #[arg(long)]
        authority: String,
    },
    /// Rename an organisation.
    Rename {
        #[arg(long)]
        authority: String,
        /// The current name.
        #[arg(long)]
        name: String,
        /// The new name.
        #[arg(long)]
        to: String,
    },
    /// Retire a partner organisation: its practitioners are deactivated and their sessions end.
    Retire {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        name: String,
    },
}

/// `frontdoor team ...`
#[derive(Subcommand)]
pub enum TeamCommand {
    /// Add a team.
    Add {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        name: String,
        /// A front-door team that contacts are allocated to.
        #[arg(long)]
        receives_contacts: bool,
    },
    /// List the authority's teams, retired ones marked.
    List {
        #[arg(long)]
        authority: String,
    },
    /// Rename a team.
    Rename {
        #[arg(long)]
        authority: String,
        /// The current name.
        #[arg(long)]
        name: String,
        /// The new name.
        #[arg(long)]
        to: String,
    },
}

/// `frontdoor threshold-framework ...`
#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// Print the framework in force (as TOML that `set` reads) and the versions before it.
    Show {
        #[arg(long)]
        authority: String,
    },
    /// Publish a new version from a TOML (or .json) file of [[levels]] with level, name, description.
    Set {
        #[arg(long)]
        authority: String,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// The version the file was edited from; refused if another has been published since.
        /// Default: the version in force now.
        #[arg(long)]
        expected_version: Option<i32>,
    },
}

async fn operator(config: &Config, authority: &str) -> anyhow::Result<(App, ActingAs)> {
    let app = crate::app(config, crate::open_store(config, true).await?)?;
    let directory = app.authority_directory(authority).await?.with_context(|| {
        format!("there is no authority with code '{authority}': create it with `frontdoor authority add`")
    })?;
    Ok((
        app,
        ActingAs::Operator {
            authority: directory.id,
        },
    ))
}

fn find_team<'a>(teams: &'a [Team], name: &str, authority: &str) -> anyhow::Result<&'a Team> {
    teams
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
        .with_context(|| {
            format!("there is no team '{name}' in {authority}: see `frontdoor team list`")
        })
}

fn find_organisation<'a>(
    organisations: &'a [Organisation],
    name: &str,
    authority: &str,
) -> anyhow::Result<&'a Organisation> {
    organisations
        .iter()
        .find(|o| o.name.eq_ignore_ascii_case(name.trim()))
        .with_context(|| {
            format!("there is no organisation '{name}' in {authority}: see `frontdoor organisation list`")
        })
}

fn retired(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|at| format!(" (retired {})", at.format("%Y-%m-%d")))
        .unwrap_or_default()
}

/// The new password, from FRONTDOOR_NEW_PASSWORD or the first line of standard input.
pub fn new_password(username: &str) -> anyhow::Result<String> {
    match std::env::var("FRONTDOOR_NEW_PASSWORD") {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => {
            eprintln!("Password for {username} (at least 12 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            Ok(line.trim_end_matches(['\n', '\r']).to_string())
        }
    }
}

pub async fn run_user(config: &Config, command: UserAdminCommand) -> anyhow::Result<()> {
    match command {
        UserAdminCommand::List { authority } => {
            let (app, by) = operator(config, &authority).await?;
            for s in app.worker_summaries(&by).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{} live session(s)",
                    s.worker.username,
                    s.worker.display_name,
                    s.worker.role.code(),
                    s.team_name.as_deref().unwrap_or("-"),
                    s.organisation_name,
                    if s.worker.active {
                        "active"
                    } else {
                        "deactivated"
                    },
                    s.live_sessions
                );
            }
        }
        UserAdminCommand::Deactivate {
            authority,
            username,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let worker = app.worker_by_username(&by, &username).await?.worker;
            app.deactivate_worker(&by, worker.id).await?;
            println!(
                "Deactivated {} ({}); their sessions have ended.",
                worker.display_name, worker.username
            );
        }
        UserAdminCommand::Reactivate {
            authority,
            username,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let worker = app.worker_by_username(&by, &username).await?.worker;
            app.reactivate_worker(&by, worker.id).await?;
            println!("Reactivated {} ({}).", worker.display_name, worker.username);
        }
        UserAdminCommand::ResetPassword {
            authority,
            username,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let worker = app.worker_by_username(&by, &username).await?.worker;
            let password = new_password(&worker.username)?;
            app.reset_password(&by, worker.id, &password).await?;
            println!(
                "Set a new password for {} ({}); their sessions have ended.",
                worker.display_name, worker.username
            );
        }
        UserAdminCommand::EndSessions {
            authority,
            username,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let worker = app.worker_by_username(&by, &username).await?.worker;
            let ended = app.end_sessions(&by, worker.id).await?;
            println!(
                "Ended {ended} session(s) of {} ({}).",
                worker.display_name, worker.username
            );
        }
        UserAdminCommand::Change {
            authority,
            username,
            role,
            team,
            organisation,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let worker = app.worker_by_username(&by, &username).await?.worker;
            let role = match role {
                Some(code) => Role::from_code(&code).with_context(|| {
                    format!("unknown role '{code}': see `frontdoor user add --help` for the roles")
                })?,
                None => worker.role,
            };
            let teams = app.managed_teams(&by).await?;
            let organisations = app.organisations(&by).await?;
            let team = match team {
                Some(name) => Some(find_team(&teams, &name, &authority)?.id),
                // Keep the team unless the new role takes none.
                None if role.belongs_to_partner() => None,
                None => worker.team,
            };
            let organisation = match organisation {
                Some(name) => Some(find_organisation(&organisations, &name, &authority)?.id),
                None if role.belongs_to_partner() => Some(worker.organisation),
                None => None,
            };
            let changed = app
                .change_worker(
                    &by,
                    worker.id,
                    &PlacementInput {
                        role,
                        team,
                        organisation,
                    },
                )
                .await?;
            println!(
                "{} ({}) is now {}{}.",
                changed.display_name,
                changed.username,
                changed.role.label(),
                changed
                    .team
                    .and_then(|id| teams.iter().find(|t| t.id == id))
                    .map(|t| format!(" in {}", t.name))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

pub async fn run_organisation(config: &Config, command: OrganisationCommand) -> anyhow::Result<()> {
    match command {
        OrganisationCommand::Add {
            authority,
            name,
            kind,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let added = app
                .add_organisation(&by, &NewOrganisation { name, kind })
                .await?;
            println!("Added {} ({}).", added.name, added.kind.code());
        }
        OrganisationCommand::List { authority } => {
            let (app, by) = operator(config, &authority).await?;
            for o in app.organisations(&by).await? {
                println!("{}\t{}{}", o.name, o.kind.code(), retired(o.retired_at));
            }
        }
        OrganisationCommand::Rename {
            authority,
            name,
            to,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let organisations = app.organisations(&by).await?;
            let organisation = find_organisation(&organisations, &name, &authority)?;
            app.rename_organisation(&by, organisation.id, &to).await?;
            println!("Renamed {} to {}.", organisation.name, to.trim());
        }
        OrganisationCommand::Retire { authority, name } => {
            let (app, by) = operator(config, &authority).await?;
            let organisations = app.organisations(&by).await?;
            let organisation = find_organisation(&organisations, &name, &authority)?;
            let deactivated = app.retire_organisation(&by, organisation.id).await?;
            println!(
                "Retired {}; {deactivated} practitioner(s) deactivated and signed out.",
                organisation.name
            );
        }
    }
    Ok(())
}

pub async fn run_team(config: &Config, command: TeamCommand) -> anyhow::Result<()> {
    match command {
        TeamCommand::Add {
            authority,
            name,
            receives_contacts,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let team = app
                .add_team(
                    &by,
                    &NewTeam {
                        name,
                        receives_contacts,
                    },
                )
                .await?;
            println!(
                "Added {}{}.",
                team.name,
                if team.receives_contacts {
                    " (receives contacts)"
                } else {
                    ""
                }
            );
        }
        TeamCommand::List { authority } => {
            let (app, by) = operator(config, &authority).await?;
            for t in app.managed_teams(&by).await? {
                println!(
                    "{}\t{}{}",
                    t.name,
                    if t.receives_contacts {
                        "receives contacts"
                    } else {
                        "-"
                    },
                    retired(t.retired_at)
                );
            }
        }
        TeamCommand::Rename {
            authority,
            name,
            to,
        } => {
            let (app, by) = operator(config, &authority).await?;
            let teams = app.managed_teams(&by).await?;
            let team = find_team(&teams, &name, &authority)?;
            app.rename_team(&by, team.id, &to).await?;
            println!("Renamed {} to {}.", team.name, to.trim());
        }
    }
    Ok(())
}

/// Reads a framework file: JSON when it ends in `.json`, TOML otherwise.
fn read_framework(file: &PathBuf) -> anyhow::Result<ThresholdFramework> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let is_json = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(&text).with_context(|| {
            format!("{} is not a threshold framework in JSON: expected {{\"levels\": [{{\"level\": 1, \"name\": ..., \"description\": ...}}, ...]}}", file.display())
        })
    } else {
        toml::from_str(&text).with_context(|| {
            format!("{} is not a threshold framework in TOML: expected [[levels]] tables with level, name and description (see `frontdoor threshold-framework show`)", file.display())
        })
    }
}

pub async fn run_framework(config: &Config, command: FrameworkCommand) -> anyhow::Result<()> {
    match command {
        FrameworkCommand::Show { authority } => {
            let (app, by) = operator(config, &authority).await?;
            let history = app.threshold_framework_history(&by).await?;
            let Some(current) = history.current() else {
                bail!("{authority} has no threshold framework: the database may have been edited by hand");
            };
            println!(
                "# Version {} of {authority}'s threshold framework, in force since {}{}.",
                current.version,
                current.published_at.format("%Y-%m-%d %H:%M UTC"),
                current
                    .published_by_name
                    .as_ref()
                    .map(|n| format!(", published by {n}"))
                    .unwrap_or_default()
            );
            for older in history.versions.iter().skip(1) {
                println!(
                    "# Version {}: {} levels, published {}.",
                    older.version,
                    older.framework.levels.len(),
                    older.published_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
            println!(
                "{}",
                toml::to_string(&current.framework)
                    .context("cannot write the framework as TOML")?
            );
        }
        FrameworkCommand::Set {
            authority,
            file,
            expected_version,
        } => {
            let framework = read_framework(&file)?;
            let (app, by) = operator(config, &authority).await?;
            let expected = match expected_version {
                Some(version) => version,
                None => app
                    .threshold_framework_history(&by)
                    .await?
                    .current()
                    .map(|v| v.version)
                    .unwrap_or(1),
            };
            let version = app
                .publish_threshold_framework(&by, expected, framework.levels)
                .await?;
            println!("Published version {version} of {authority}'s threshold framework.");
        }
    }
    Ok(())
}
