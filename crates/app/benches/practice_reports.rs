//! The drift report, the workloads view (issue 10) and the performance dashboard (issue 11) at
//! the largest authority's size.
//!
//! ```text
//! cargo bench -p frontdoor-app --bench practice_reports                  # SQLite, 100,000 contacts
//! FRONTDOOR_BENCH_CONTACTS=20000 cargo bench -p frontdoor-app --bench practice_reports
//! FRONTDOOR_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test cargo bench -p frontdoor-app --bench practice_reports
//! ```
//!
//! Set-up, through the app's own use cases (every row with its event), on a fresh database:
//! 1. a year of the synthetic authority (`FRONTDOOR_BENCH_CONTACTS` contacts, default 100,000 —
//!    the largest English authorities; about a fifth become referrals, each opening an episode);
//! 2. `TEAMS` teams, each with a manager and `WORKERS_PER_TEAM` social workers, one of them in
//!    their ASYE year; the most recent episodes allocated, `CASELOAD` to a worker (the ASYE
//!    worker to the protected cap), the older ones closed where nothing stops it;
//! 3. a year of monthly supervisions of every worker, each discussing the worker's whole
//!    caseload with one action per child due three weeks later; between supervisions the
//!    workers complete four in five of their open actions; at the next supervision the rest are
//!    carried forward (two in three) or closed unfinished with a reason. So the drift report
//!    at the end has actions carried and actions past due, as a real one does.
//!
//! Then, with the clock at the end of the year: the drift report and the workloads view, for
//! the whole authority (a senior manager) and for one team (its manager), each `RUNS` times;
//! the dashboard's query of each figure family over the year, the last three months and one
//! team's year, the whole dashboard, and the children behind the year's late decisions;
//! and, in the same run, the baseline: reading one person by id, the cheapest read there is.
//! Reported as p50, p90 and max, and p50 as a multiple of the baseline's.
//!
//! With `FRONTDOOR_BENCH_POSTGRES` set, the same runs on that server (in a fresh database
//! created for the run and dropped after) instead of SQLite. Run without `--bench` (as
//! `cargo test --benches` does) it builds a small authority and stops, as a smoke test.

#[path = "support/mod.rs"]
mod support;

use chrono::{DateTime, Datelike, Duration as Days, NaiveDate, TimeZone, Utc};
use frontdoor_app::supervision::{
    ActionReviewInput, CompletionInput, DiscussedChildInput, SupervisionActionInput,
    SupervisionInput,
};
use frontdoor_app::synthetic_load::SyntheticLoadOptions;
use frontdoor_app::{
    App, EpisodeClosureInput, EpisodeUpdateInput, NewAuthority, NewWorker, Settings,
};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{AuthorityId, PersonId, TeamId};
use frontdoor_domain::performance::{Figure, Period};
use frontdoor_synthetic::{AuthorityConfig, SyntheticAuthority};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{connect, report, time, BenchResult};

const SEED: u64 = 2026;
const TEAMS: usize = 40;
const WORKERS_PER_TEAM: usize = 10;
const CASELOAD: usize = 15;
const MONTHS: i64 = 12;
const RUNS: usize = 30;

/// The end of the year: Wednesday 1 April 2026, 16:00 in London.
fn year_end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 15, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The weekday on or before `date` (supervisions are held on working days).
fn weekday_on_or_before(mut date: NaiveDate) -> NaiveDate {
    while date.weekday().number_from_monday() > 5 {
        date -= Days::days(1);
    }
    date
}

struct Sizes {
    contacts: u32,
    teams: usize,
    workers_per_team: usize,
    caseload: usize,
    months: i64,
    runs: usize,
}

struct Staff {
    senior: Actor,
    /// Each team: its id, its manager and its social workers (the first is in their ASYE year).
    teams: Vec<(TeamId, Actor, Vec<Actor>)>,
}

async fn staff(app: &App, authority: AuthorityId, sizes: &Sizes) -> BenchResult<Staff> {
    let add = |username: String, role: Role, team: Option<TeamId>, asye: bool| NewWorker {
        authority,
        display_name: username.replace('.', " "),
        username,
        role,
        team,
        organisation: None,
        asye,
        password: "benchmark password".into(),
    };
    let senior = app
        .add_worker_as_operator(&add("senior".into(), Role::SeniorManager, None, false))
        .await?
        .actor();
    let mut teams = Vec::new();
    for (t, team) in app.store.teams(authority).await?.into_iter().enumerate() {
        let manager = app
            .add_worker_as_operator(&add(
                format!("manager.{t}"),
                Role::TeamManager,
                Some(team.id),
                false,
            ))
            .await?
            .actor();
        let mut workers = Vec::new();
        for w in 0..sizes.workers_per_team {
            workers.push(
                app.add_worker_as_operator(&add(
                    format!("worker.{t}.{w}"),
                    Role::MashSocialWorker,
                    Some(team.id),
                    w == 0,
                ))
                .await?
                .actor(),
            );
        }
        teams.push((team.id, manager, workers));
    }
    Ok(Staff { senior, teams })
}

/// Allocates the most recent episodes, a caseload to each worker, and closes the rest where
/// nothing open stops it. Returns (allocated, closed, left unallocated).
async fn allocate(
    app: &App,
    authority: AuthorityId,
    staff: &Staff,
    sizes: &Sizes,
) -> BenchResult<(usize, usize, usize)> {
    let rules = app.store.workload_rules(authority).await?;
    let all = app.store.unallocated_episodes(authority, i64::MAX).await?;
    // Spread over the year, so that children join caseloads month by month.
    let wanted: usize = staff
        .teams
        .iter()
        .map(|(_, _, workers)| {
            (rules.asye_cap().tenths() / 10) as usize + (workers.len() - 1) * sizes.caseload
        })
        .sum();
    let step = (all.len() / wanted.max(1)).max(1);
    let (chosen, rest): (Vec<_>, Vec<_>) = all
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % step == 0 && i / step < wanted);
    let mut episodes = chosen.into_iter().map(|(_, id)| id);
    let mut allocated = 0;
    for (_, manager, workers) in &staff.teams {
        for (w, worker) in workers.iter().enumerate() {
            // The ASYE worker up to the protected cap (in whole episodes), the others a full load.
            let count = if w == 0 {
                (rules.asye_cap().tenths() / 10) as usize
            } else {
                sizes.caseload
            };
            for episode in episodes.by_ref().take(count) {
                app.update_episode(
                    manager,
                    episode,
                    &EpisodeUpdateInput {
                        worker: worker.worker.to_string(),
                        ..Default::default()
                    },
                )
                .await?;
                allocated += 1;
            }
        }
    }
    let manager = &staff.teams[0].1;
    let input = EpisodeClosureInput {
        closed_on: day(year_end().date_naive()),
        closure_reason: "RC8".into(),
    };
    let (mut closed, mut open) = (0, 0);
    for (_, id) in rest.into_iter().chain(episodes.map(|id| (0, id))) {
        match app.close_episode(manager, id, &input).await {
            Ok(_) => closed += 1,
            // An open assessment, enquiry or plan keeps it open: it stays unallocated.
            Err(frontdoor_app::AppError::Conflict(_)) => open += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok((allocated, closed, open))
}

/// A year of monthly supervisions of every worker. Returns (supervisions, actions).
async fn supervise(
    app: &App,
    clock: &FixedClock,
    staff: &Staff,
    sizes: &Sizes,
) -> BenchResult<(usize, usize)> {
    let end = year_end();
    let (mut supervisions, mut actions) = (0, 0);
    let mut turn = 0u64;
    for month in (0..sizes.months).rev() {
        let held = weekday_on_or_before((end - Days::days(30 * month + 2)).date_naive());
        clock.set(end - Days::days(30 * month + 2));
        for (_, manager, workers) in &staff.teams {
            for worker in workers {
                let preparation = app.prepare_supervision(manager, worker.worker).await?;
                // Four in five of the open actions were done before this supervision.
                let mut reviews = Vec::new();
                for open in &preparation.open_actions {
                    turn += 1;
                    let done_on = (held - Days::days(1)).max(open.action.agreed_on);
                    if turn % 5 != 0 && done_on >= open.action.agreed_on {
                        app.complete_supervision_action(
                            worker,
                            open.action.id,
                            &CompletionInput {
                                completed_on: day(done_on),
                                note: "Done.".into(),
                            },
                        )
                        .await?;
                        continue;
                    }
                    reviews.push((open.action.id, turn));
                }
                let reviews = reviews
                    .into_iter()
                    .map(|(id, turn)| ActionReviewInput {
                        action_id: id.to_string(),
                        outcome: if turn % 3 == 0 {
                            "close"
                        } else {
                            "carry_forward"
                        }
                        .into(),
                        reason: if turn % 3 == 0 {
                            "Overtaken by the plan agreed at the review.".into()
                        } else {
                            String::new()
                        },
                        due_on: String::new(),
                    })
                    .collect();
                // The children referred by then.
                let children: Vec<PersonId> = preparation
                    .caseload
                    .iter()
                    .filter(|c| c.referral_date <= held)
                    .map(|c| c.person)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                if children.is_empty() {
                    // Nobody on the caseload yet this month: no supervision to record.
                    continue;
                }
                let view = app
                    .record_supervision(
                        manager,
                        &SupervisionInput {
                            worker: worker.worker.to_string(),
                            held_on: day(held),
                            children: children
                                .iter()
                                .map(|child| DiscussedChildInput {
                                    person_id: child.to_string(),
                                    discussed: true,
                                    risks_reviewed: "Risks reviewed against the plan; no new incidents reported by school or health.".into(),
                                    decisions: "Plan continues.".into(),
                                })
                                .collect(),
                            actions: children
                                .iter()
                                .map(|child| SupervisionActionInput {
                                    person_id: child.to_string(),
                                    description: "Visit and see the child alone; update the plan.".into(),
                                    owner: worker.worker.to_string(),
                                    due_on: day(held + Days::days(21)),
                                })
                                .collect(),
                            reviews,
                        },
                    )
                    .await?;
                supervisions += 1;
                actions += view.supervision.actions.len();
            }
        }
        println!(
            "  ... supervisions held {}: {supervisions} so far, {actions} actions",
            held
        );
    }
    clock.set(end);
    Ok((supervisions, actions))
}

async fn run(sizes: Sizes) -> BenchResult<()> {
    let (store, backend, cleanup) = connect("practice").await?;
    store.migrate().await?;
    let clock = Arc::new(FixedClock::new(year_end()));
    let app = App::new(store, clock.clone(), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "benchshire".into(),
            name: "Benchshire County Council".into(),
            front_door_teams: (1..=sizes.teams)
                .map(|t| format!("Children's team {t:02}"))
                .collect(),
            other_teams: vec![],
            partners: vec![],
        })
        .await?;
    println!(
        "frontdoor practice reports on {backend}: {} contacts, {} teams of {} social workers, caseload {}",
        sizes.contacts, sizes.teams, sizes.workers_per_team, sizes.caseload
    );
    // The staff first: the synthetic history's decisions are made by its social workers and
    // authorised by its managers.
    let staff = staff(&app, authority, &sizes).await?;
    let started = Instant::now();
    let config = AuthorityConfig::new(SEED, sizes.contacts, 1, year_end() - Days::days(1));
    let loaded = app
        .load_synthetic_with(
            authority,
            SyntheticAuthority::new(config),
            &SyntheticLoadOptions::default(),
            |_| {},
        )
        .await?;
    println!(
        "set-up: a year loaded in {:.0} s: {} contacts, {} referrals, {} people",
        started.elapsed().as_secs_f64(),
        loaded.contacts,
        loaded.referrals,
        loaded.people
    );
    let started = Instant::now();
    let (allocated, closed, unallocated) = allocate(&app, authority, &staff, &sizes).await?;
    println!(
        "set-up: {allocated} episodes allocated, {closed} closed, {unallocated} left open and unallocated, in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let (supervisions, actions) = supervise(&app, &clock, &staff, &sizes).await?;
    println!(
        "set-up: {supervisions} supervisions with {actions} actions in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let (team, manager, _) = &staff.teams[0];
    let senior = &staff.senior;
    let drift = app.drift_report(senior, None).await?;
    let loads = app.workloads(senior, None).await?;
    println!(
        "the reports: {} drifting actions ({} past due, {} carried) for {} workers in {} teams; workloads of {} workers holding {} episodes",
        drift.total.drifting,
        drift.total.past_due,
        drift.total.carried_forward,
        drift.workers.len(),
        drift.teams.len(),
        loads.teams.iter().map(|t| t.workers.len()).sum::<usize>(),
        loads.teams.iter().map(|t| t.episodes).sum::<u32>(),
    );
    let person = app
        .store
        .caseload(authority, staff.teams[0].2[1].worker)
        .await?
        .first()
        .map(|c| c.person)
        .ok_or("the first team's second worker holds no child")?;
    let baseline = time(sizes.runs * 10, || async {
        Ok::<_, frontdoor_app::AppError>(app.store.person(authority, person).await?)
    })
    .await?;
    let base = baseline[baseline.len() / 2];
    report("baseline: read one person by id", &baseline, None);
    let times = time(sizes.runs, || app.drift_report(senior, None)).await?;
    report("drift report, whole authority", &times, Some(base));
    let times = time(sizes.runs, || app.drift_report(manager, Some(*team))).await?;
    report("drift report, one team", &times, Some(base));
    let times = time(sizes.runs, || app.workloads(senior, None)).await?;
    report("workloads, whole authority", &times, Some(base));
    let times = time(sizes.runs, || app.workloads(manager, Some(*team))).await?;
    report("workloads, one team", &times, Some(base));
    dashboard(&app, authority, senior, *team, &sizes, base).await?;

    app.store.close().await;
    cleanup.run().await?;
    Ok(())
}

/// The dashboard (issue 11): each figure family's query over the year and over the last three
/// months, for the whole authority and one team; the whole dashboard; and the children behind
/// the late decisions of the year.
async fn dashboard(
    app: &App,
    authority: AuthorityId,
    senior: &Actor,
    team: TeamId,
    sizes: &Sizes,
    base: Duration,
) -> BenchResult<()> {
    let today = year_end().date_naive();
    let year = Period::new(today - Days::days(365), today - Days::days(1))?;
    let quarter = Period::last_three_months(today - Days::days(1));
    let whole = app.dashboard(senior, year, None).await?;
    println!(
        "the dashboard of the year: {} contacts, {} referrals, decisions within a working day {}, {} decisions by level",
        whole.conversion.contacts,
        whole.conversion.referrals,
        whole.decisions_within_one_working_day.rate.describe(),
        whole.consistency.total.total,
    );
    for (name, period, team) in [
        ("year", year, None),
        ("3 months", quarter, None),
        ("year, one team", year, Some(team)),
    ] {
        let scope = app.dashboard_scope(authority, period, team);
        let store = &app.store;
        macro_rules! figure {
            ($what:expr, $query:ident) => {
                let times = time(sizes.runs, || async {
                    Ok::<_, frontdoor_app::AppError>(store.$query(&scope).await?)
                })
                .await?;
                report(&format!("dashboard: {}, {name}", $what), &times, Some(base));
            };
        }
        figure!("decisions in a working day", decision_timeliness);
        figure!("conversion", conversion);
        figure!("re-referrals", re_referrals);
        figure!("assessments in 45 days", assessment_timeliness);
        figure!("conferences in 15 days", conference_timeliness);
        figure!("information requests", information_request_responses);
        figure!("decisions by level", decisions_by_level);
        let times = time(sizes.runs, || app.dashboard(senior, period, team)).await?;
        report(
            &format!("dashboard: all figures, {name}"),
            &times,
            Some(base),
        );
    }
    let times = time(sizes.runs, || {
        app.children_behind(senior, Figure::DecisionsLate, year, None)
    })
    .await?;
    report(
        "dashboard: children behind late decisions, year",
        &times,
        Some(base),
    );
    Ok(())
}

fn main() -> BenchResult<()> {
    let benching = std::env::args().any(|a| a == "--bench");
    let sizes = if benching {
        Sizes {
            contacts: std::env::var("FRONTDOOR_BENCH_CONTACTS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(100_000),
            teams: TEAMS,
            workers_per_team: WORKERS_PER_TEAM,
            caseload: CASELOAD,
            months: MONTHS,
            runs: RUNS,
        }
    } else {
        Sizes {
            contacts: 300,
            teams: 2,
            workers_per_team: 3,
            caseload: 4,
            months: 2,
            runs: 2,
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(sizes))
}
