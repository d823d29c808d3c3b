//! `frontdoor`: the children's services front door. One binary: the server, migrations, the
//! demo authority, user administration and audit verification.
#![forbid(unsafe_code)]

mod accounts;
mod backup;
mod config;
mod demo;
mod duplicates;
mod information_requests;
mod persons;
mod returns;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use config::Config;
use frontdoor_app::records::{DatabaseUrl, Store};
use frontdoor_app::{App, NewWorker};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::clock::SystemClock;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "frontdoor",
    version,
    about = "The front door of a local authority's children's services: contacts, finding the child, threshold decisions and their authorisation, with every read and write audited."
)]
struct Cli {
    /// Configuration file (TOML). Default: ./frontdoor.toml if it exists.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Database URL; overrides the configuration (sqlite://PATH or postgres://...).
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the web pages and API.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 (overrides the configuration).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Bring the database schema up to date (also done by `serve`).
    Migrate,
    /// Create a demo authority with synthetic children and contacts and one user per role, then serve it.
    Demo(demo::DemoArgs),
    /// Create an authority, with its front-door teams.
    #[command(subcommand)]
    Authority(AuthorityCommand),
    /// Manage workers (users).
    #[command(subcommand)]
    User(UserCommand),
    /// Manage partner organisations.
    #[command(subcommand)]
    Organisation(accounts::OrganisationCommand),
    /// Manage the authority's teams.
    #[command(subcommand)]
    Team(accounts::TeamCommand),
    /// Show or publish the threshold framework (levels of need).
    #[command(subcommand)]
    ThresholdFramework(accounts::FrameworkCommand),
    /// How long partners have to answer information requests; workers' notification emails.
    #[command(subcommand)]
    InformationRequests(information_requests::InformationRequestsCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import people from CSV; find the same person across CSV files or within one.
    #[command(subcommand)]
    Persons(persons::PersonsCommand),
    /// The stored likely-duplicates report: refresh it (after loads and imports).
    #[command(subcommand)]
    Duplicates(duplicates::DuplicatesCommand),
    /// Statutory returns: the DfE Children in Need census, with the DfE's validation.
    #[command(subcommand)]
    Returns(returns::ReturnsCommand),
    /// Back up the SQLite database while the server runs: a consistent snapshot, checked
    /// (integrity, schema, audit chains) before it is kept. (PostgreSQL: prints how to use pg_dump.)
    Backup(backup::BackupArgs),
    /// Restore the SQLite database from a backup, once checked; the server must be stopped.
    /// The previous database is kept beside it as FILE.before-restore-TIMESTAMP.
    Restore(backup::RestoreArgs),
}

#[derive(Subcommand)]
enum AuthorityCommand {
    /// Set the authority's local closure days (beyond England and Wales bank holidays), which do
    /// not count as working days for its timescales. Replaces any set before.
    Closures {
        /// The authority's code.
        #[arg(long)]
        authority: String,
        /// Dates as YYYY-MM-DD, comma separated (empty to clear), e.g. 2026-12-24,2026-12-31.
        #[arg(long, value_delimiter = ',')]
        days: Vec<String>,
    },
    /// Set the authority's three-digit DfE LA number, written in the census header (LEA).
    LaNumber {
        /// The authority's code.
        #[arg(long)]
        authority: String,
        /// The DfE LA number, e.g. 938.
        #[arg(long)]
        number: String,
    },
    /// Add an authority.
    Add {
        /// Short code, e.g. northshire.
        #[arg(long)]
        code: String,
        /// Name shown to users, e.g. "Northshire County Council".
        #[arg(long)]
        name: String,
        /// A front-door team that receives contacts (repeat for several).
        #[arg(long = "team", default_values_t = ["MASH".to_string()])]
        teams: Vec<String>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a worker. The password is read from FRONTDOOR_NEW_PASSWORD or the first line of standard input.
    Add {
        /// The authority's code.
        #[arg(long)]
        authority: String,
        #[arg(long)]
        username: String,
        /// The worker's full name.
        #[arg(long)]
        name: String,
        /// One of: contact_officer, mash_social_worker, team_manager, early_help_coordinator,
        /// partner_practitioner, out_of_hours_worker, quality_assurance_officer, senior_manager, administrator.
        #[arg(long)]
        role: String,
        /// The worker's team, by name.
        #[arg(long)]
        team: Option<String>,
        /// A partner agency's name (for partner practitioners).
        #[arg(long)]
        organisation: Option<String>,
        /// A newly qualified social worker in their assessed and supported year.
        #[arg(long)]
        asye: bool,
    },
    #[command(flatten)]
    Admin(accounts::UserAdminCommand),
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the hash chains of the event log and the access log; exits non-zero at the first bad entry.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FRONTDOOR_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("frontdoor: error: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

pub async fn open_store(config: &Config, migrate: bool) -> anyhow::Result<Store> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    // A command that only reads must not create a database where a path was mistyped.
    let store = if migrate {
        Store::connect(&url).await?
    } else {
        Store::connect_existing(&url).await?
    };
    if migrate {
        store.migrate().await?;
    } else {
        store.check_schema().await?;
    }
    Ok(store)
}

pub fn app(config: &Config, store: Store) -> anyhow::Result<App> {
    Ok(App::new(store, Arc::new(SystemClock), config.settings()?))
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(url) = cli.database {
        config.database_url = url;
    }
    match cli.command {
        Command::Migrate => {
            let store = open_store(&config, true).await?;
            println!(
                "Database is at schema version {} ({}).",
                store.applied_schema_version().await?,
                store.backend_name()
            );
        }
        Command::Serve { listen } => {
            if let Some(listen) = listen {
                config.listen = listen;
            }
            let _lock = backup::hold_server_lock(&config)?;
            let store = open_store(&config, true).await?;
            serve(&config, app(&config, store)?).await?;
        }
        Command::Demo(args) => demo::run(&mut config, args).await?,
        Command::Authority(AuthorityCommand::Add { code, name, teams }) => {
            let app = app(&config, open_store(&config, true).await?)?;
            let id = app
                .create_authority(&frontdoor_app::NewAuthority {
                    code: code.clone(),
                    name,
                    front_door_teams: teams,
                    other_teams: vec![],
                    partners: vec![],
                })
                .await?;
            println!("Created authority '{code}' ({id}).");
        }
        Command::Authority(AuthorityCommand::Closures { authority, days }) => {
            let app = app(&config, open_store(&config, true).await?)?;
            let directory = app
                .authority_directory(&authority)
                .await?
                .with_context(|| format!("there is no authority with code '{authority}'"))?;
            let days = days
                .iter()
                .filter(|d| !d.trim().is_empty())
                .map(|d| {
                    chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                        .with_context(|| format!("'{d}' is not a date like 2026-12-24"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            app.set_local_closure_days(directory.id, &days).await?;
            println!(
                "{} has {} local closure day(s).",
                directory.name,
                days.len()
            );
        }
        Command::User(UserCommand::Add {
            authority,
            username,
            name,
            role,
            team,
            organisation,
            asye,
        }) => {
            let app = app(&config, open_store(&config, true).await?)?;
            let role = Role::from_code(&role).with_context(|| {
                format!("unknown role '{role}': see `frontdoor user add --help` for the roles")
            })?;
            let directory = app.authority_directory(&authority).await?.with_context(|| {
                format!("there is no authority with code '{authority}': create it with `frontdoor authority add`")
            })?;
            let team = match team {
                Some(name) => Some(
                    directory
                        .teams
                        .iter()
                        .find(|t| t.name.eq_ignore_ascii_case(&name))
                        .map(|t| t.id)
                        .with_context(|| format!("there is no team '{name}' in {authority}"))?,
                ),
                None => None,
            };
            let organisation = match organisation {
                Some(name) => Some(
                    directory
                        .organisations
                        .iter()
                        .find(|o| o.name.eq_ignore_ascii_case(&name))
                        .map(|o| o.id)
                        .with_context(|| {
                            format!("there is no organisation '{name}' in {authority}")
                        })?,
                ),
                None => None,
            };
            let password = match std::env::var("FRONTDOOR_NEW_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    eprintln!("Password for {username} (at least 12 characters), then Enter:");
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("cannot read the password from standard input")?;
                    line.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            let worker = app
                .add_worker_as_operator(&NewWorker {
                    authority: directory.id,
                    username,
                    display_name: name,
                    role,
                    team,
                    organisation,
                    asye,
                    password,
                })
                .await?;
            println!(
                "Added {} ({}) as {}.",
                worker.display_name,
                worker.username,
                worker.role.label()
            );
        }
        Command::Persons(command) => persons::run(&config, command).await?,
        Command::Duplicates(command) => {
            let app = app(&config, open_store(&config, true).await?)?;
            duplicates::run(&app, command).await?;
        }
        Command::Returns(command) => {
            let app = app(&config, open_store(&config, true).await?)?;
            return returns::run(&app, command).await;
        }
        Command::Authority(AuthorityCommand::LaNumber { authority, number }) => {
            let app = app(&config, open_store(&config, true).await?)?;
            let id = returns::authority_of(&app, Some(&authority)).await?;
            app.set_dfe_la_number(
                id,
                &frontdoor_app::returns::LaNumberInput {
                    number: number.clone(),
                },
            )
            .await?;
            println!(
                "The DfE LA number of '{authority}' is now {}.",
                number.trim()
            );
        }
        Command::Backup(args) => backup::backup(&config, args).await?,
        Command::Restore(args) => backup::restore(&config, args).await?,
        Command::User(UserCommand::Admin(command)) => accounts::run_user(&config, command).await?,
        Command::Organisation(command) => accounts::run_organisation(&config, command).await?,
        Command::Team(command) => accounts::run_team(&config, command).await?,
        Command::InformationRequests(command) => {
            information_requests::run(&config, command).await?
        }
        Command::ThresholdFramework(command) => accounts::run_framework(&config, command).await?,
        Command::Audit(AuditCommand::Verify) => {
            let app = app(&config, open_store(&config, false).await?)?;
            let report = app.verify_audit_trail().await?;
            let describe =
                |name: &str, r: &frontdoor_app::records::ChainReport| match &r.first_break {
                    None => format!("{name}: {} entries verified, chain intact", r.verified),
                    Some(broken) => {
                        format!("{name}: BROKEN after {} good entries: {broken}", r.verified)
                    }
                };
            println!("{}", describe("event log", &report.events));
            println!("{}", describe("access log", &report.access_log));
            if !report.is_intact() {
                eprintln!("frontdoor: error: the audit trail has been tampered with (see above); restore from backup and investigate");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn serve(config: &Config, app: App) -> anyhow::Result<()> {
    let authorities = app.authorities().await?;
    let public = if config.public_authority.is_empty() {
        match authorities.as_slice() {
            [(id, _, _)] => *id,
            [] => bail!("there is no authority yet: create one with `frontdoor authority add` (or run `frontdoor demo`)"),
            _ => bail!("several authorities share this database: set public_authority in the configuration to the one whose online form /refer serves"),
        }
    } else {
        authorities
            .iter()
            .find(|(_, code, _)| *code == config.public_authority)
            .map(|(id, _, _)| *id)
            .with_context(|| {
                format!(
                    "public_authority '{}' is not an authority in this database",
                    config.public_authority
                )
            })?
    };
    let settings = frontdoor_web::WebSettings {
        behind_tls: config.behind_tls,
        public_authority: public,
        referrals_per_client: config.referrals_per_client,
        trusted_proxies: config.trusted_proxies()?,
    };
    if let Some(email) = config.email_settings() {
        // Notification emails (no personal data) go through the relay every 15 seconds.
        tokio::spawn(
            app.clone()
                .run_email_outbox(email, std::time::Duration::from_secs(15)),
        );
    }
    let router = frontdoor_web::router(app, settings).await?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    println!("frontdoor is serving on http://{address}/ (Ctrl-C to stop)");
    tracing::info!(%address, "serving");
    frontdoor_web::serve(listener, router).await?;
    Ok(())
}
