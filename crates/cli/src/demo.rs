//! `frontdoor demo`: a demo authority ("Northshire") with one user per role and a synthetic
//! history of children and contacts, served on localhost.

use crate::config::Config;
use anyhow::Context;
use clap::Args;
use frontdoor_app::records::OrganisationKind;
use frontdoor_app::{App, NewAuthority, NewWorker};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::ids::AuthorityId;

pub const DEMO_AUTHORITY_CODE: &str = "northshire";
/// Every demo user's password. A demo database holds only synthetic people.
pub const DEMO_PASSWORD: &str = "frontdoor-demo";

/// A demo user: (username, name, role, team, partner organisation).
type DemoUser = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
);

/// The demo's newly qualified social worker, in their ASYE year with a protected caseload.
pub const DEMO_ASYE_USER: &str = "newly.qualified";

pub const DEMO_USERS: &[DemoUser] = &[
    (
        "officer",
        "Olu Adeyemi",
        Role::ContactOfficer,
        Some("MASH team A"),
        None,
    ),
    (
        "social.worker",
        "Sam Patel",
        Role::MashSocialWorker,
        Some("MASH team A"),
        None,
    ),
    (
        DEMO_ASYE_USER,
        "Nadia Hussain",
        Role::MashSocialWorker,
        Some("MASH team A"),
        None,
    ),
    (
        "manager",
        "Morag Campbell",
        Role::TeamManager,
        Some("MASH team A"),
        None,
    ),
    (
        "manager.b",
        "Ben Okafor",
        Role::TeamManager,
        Some("MASH team B"),
        None,
    ),
    (
        "early.help",
        "Ellie Hughes",
        Role::EarlyHelpCoordinator,
        None,
        None,
    ),
    (
        "partner",
        "PC Priya Shah",
        Role::PartnerPractitioner,
        None,
        Some("Northshire Police"),
    ),
    (
        "health.visitor",
        "Gemma Lowe",
        Role::PartnerPractitioner,
        None,
        Some("Northshire Health NHS Trust"),
    ),
    (
        "out.of.hours",
        "Owen Walsh",
        Role::OutOfHoursWorker,
        Some("Emergency duty team"),
        None,
    ),
    (
        "qa",
        "Quinn Roberts",
        Role::QualityAssuranceOfficer,
        None,
        None,
    ),
    ("senior", "Sunita Rao", Role::SeniorManager, None, None),
    ("admin", "Ada Lovell", Role::Administrator, None, None),
];

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Synthetic contacts per year of history (the largest authorities take about 100,000).
    #[arg(long, default_value_t = 2_000)]
    contacts_per_year: u32,
    /// Years of synthetic history.
    #[arg(long, default_value_t = 2)]
    years: u32,
    /// Seed of the synthetic generator: the same seed gives the same authority.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Set up the demo and exit without serving.
    #[arg(long)]
    no_serve: bool,
}

/// Creates the demo authority and its users, if they are not there yet.
pub async fn set_up(app: &App) -> anyhow::Result<(AuthorityId, bool)> {
    if let Some(existing) = app.authority_directory(DEMO_AUTHORITY_CODE).await? {
        return Ok((existing.id, false));
    }
    let authority = app
        .create_authority(&NewAuthority {
            code: DEMO_AUTHORITY_CODE.into(),
            name: "Northshire Council".into(),
            front_door_teams: vec!["MASH team A".into(), "MASH team B".into()],
            other_teams: vec!["Emergency duty team".into()],
            partners: vec![
                ("Northshire Police".into(), OrganisationKind::Police),
                (
                    "Northshire Health NHS Trust".into(),
                    OrganisationKind::Health,
                ),
                ("Riverside Primary School".into(), OrganisationKind::School),
            ],
        })
        .await?;
    // The census header's LEA: 001, a DfE pseudo LA number (Northshire is not a real authority).
    app.set_dfe_la_number(
        authority,
        &frontdoor_app::returns::LaNumberInput {
            number: "001".into(),
        },
    )
    .await?;
    let directory = app
        .authority_directory(DEMO_AUTHORITY_CODE)
        .await?
        .context("the demo authority was just created")?;
    let (teams, organisations) = (directory.teams, directory.organisations);
    for (username, name, role, team, organisation) in DEMO_USERS {
        let team = team
            .and_then(|t| teams.iter().find(|x| x.name == t))
            .map(|t| t.id);
        let organisation = organisation
            .and_then(|o| organisations.iter().find(|x| x.name == o))
            .map(|o| o.id);
        app.add_worker_as_operator(&NewWorker {
            authority,
            username: username.to_string(),
            display_name: name.to_string(),
            role: *role,
            team,
            organisation,
            asye: *username == DEMO_ASYE_USER,
            password: DEMO_PASSWORD.into(),
        })
        .await
        .with_context(|| format!("adding demo user {username}"))?;
    }
    Ok((authority, true))
}

pub async fn run(config: &mut Config, args: DemoArgs) -> anyhow::Result<()> {
    config.listen = args.listen.clone();
    config.public_authority = DEMO_AUTHORITY_CODE.into();
    let _lock = crate::backup::hold_server_lock(config)?;
    let store = crate::open_store(config, true).await?;
    let app = crate::app(config, store)?;
    let (authority, created) = set_up(&app).await?;
    if created {
        load_history(&app, authority, &args).await?;
        let today = app
            .stage_todays_work(authority)
            .await
            .context("staging today's work")?;
        println!(
            "Today's work: {} contacts ({} awaiting authorisation), {} information requests, {} triage meeting, {} children in child protection, {} case supervisions, {} episodes allocated, {} assessments, {} early help episodes.",
            today.contacts, today.awaiting_authorisation, today.information_requests, today.triage_meetings, today.child_protection, today.supervisions, today.allocated, today.assessments, today.early_help
        );
        // The likely-duplicates page reads the stored report: compute it once after the load.
        let refresh = app
            .refresh_duplicates(authority, true)
            .await
            .context("computing the likely duplicates")?;
        println!("{}", crate::duplicates::describe(&refresh));
    } else {
        println!("The demo authority already exists in this database: serving it as it is.");
    }
    println!("Demo users (password for all: {DEMO_PASSWORD}):");
    for (username, name, role, team, _) in DEMO_USERS {
        println!(
            "  {username:<14} {name:<16} {}{}",
            role.label(),
            team.map(|t| format!(", {t}")).unwrap_or_default()
        );
    }
    if args.no_serve {
        return Ok(());
    }
    crate::serve(config, app).await
}

/// Loads a seeded synthetic history (people, households, contacts, decisions, referrals and
/// each referred child's journey on).
async fn load_history(app: &App, authority: AuthorityId, args: &DemoArgs) -> anyhow::Result<()> {
    if args.contacts_per_year == 0 || args.years == 0 {
        return Ok(());
    }
    let config = frontdoor_synthetic::AuthorityConfig::new(
        args.seed,
        args.contacts_per_year,
        args.years,
        app.now(),
    );
    println!(
        "Loading {} synthetic contacts ({} a year for {} years, seed {})...",
        config.total_contacts(),
        args.contacts_per_year,
        args.years,
        args.seed
    );
    let mut last_report = std::time::Instant::now();
    let report = app
        .load_synthetic(
            authority,
            frontdoor_synthetic::SyntheticAuthority::new(config),
            |progress| {
                if last_report.elapsed().as_secs() >= 5 {
                    last_report = std::time::Instant::now();
                    println!(
                        "  {} contacts, {} people so far ({:.0} s)",
                        progress.contacts,
                        progress.people,
                        progress.elapsed.as_secs_f64()
                    );
                }
            },
        )
        .await?;
    println!(
        "Loaded {} people and {} contacts ({} referrals, {} of them re-referrals).",
        report.people, report.contacts, report.referrals, report.re_referrals
    );
    println!(
        "  {} assessments, {} strategy discussions, {} section 47 enquiries, {} initial conferences, {} child protection plans ({} review conferences, {} statutory visits), {} child in need plans, {} episodes closed.",
        report.assessments,
        report.strategy_discussions,
        report.section_47_enquiries,
        report.initial_conferences,
        report.protection_plans,
        report.review_conferences,
        report.plan_visits,
        report.cin_plans,
        report.episodes_closed
    );
    Ok(())
}
