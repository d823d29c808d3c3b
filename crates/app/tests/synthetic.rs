//! Loading a synthetic authority on SQLite: counts agree with what was generated, the event
//! chain verifies, re-referrals are plausible and a child's chronology tells their story.

use chrono::{TimeZone, Utc};
use frontdoor_app::synthetic_load::{SyntheticLoadOptions, SyntheticStaff};
use frontdoor_app::{App, AppError, NewAuthority, NewWorker, Settings};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::clock::SystemClock;
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::ids::AuthorityId;
use frontdoor_store::{DatabaseUrl, Store};
use frontdoor_synthetic::{AuthorityConfig, SyntheticAuthority};
use std::path::PathBuf;
use std::sync::Arc;

/// A folder under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("frontdoor-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("create a temporary folder");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn app_on_sqlite(dir: &TempDir) -> App {
    let url = format!("sqlite://{}", dir.0.join("frontdoor.db").display());
    let store = Store::connect(&DatabaseUrl::parse(&url).expect("a SQLite URL"))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    App::new(store, Arc::new(SystemClock), Settings::default())
}

async fn authority_with_staff(app: &App, code: &str, roles: &[(&str, Role)]) -> AuthorityId {
    let authority = app
        .create_authority(&NewAuthority {
            code: code.into(),
            name: "Testshire County Council".into(),
            front_door_teams: vec!["MASH team A".into(), "MASH team B".into()],
            other_teams: vec![],
            partners: vec![],
        })
        .await
        .expect("create the authority");
    let teams = app.store.teams(authority).await.expect("teams");
    for (username, role) in roles {
        // Front-door roles need a team.
        let team = teams.first().map(|t| t.id).filter(|_| role.needs_team());
        app.add_worker_as_operator(&NewWorker {
            authority,
            username: format!("{code}-{username}"),
            display_name: format!("Test {username}"),
            role: *role,
            team,
            organisation: None,
            asye: false,
            password: "correct horse battery staple".into(),
        })
        .await
        .expect("add a worker");
    }
    authority
}

fn config(contacts: u32) -> AuthorityConfig {
    let as_of = Utc
        .with_ymd_and_hms(2026, 3, 2, 12, 0, 0)
        .single()
        .expect("valid instant");
    AuthorityConfig::new(2026, contacts, 1, as_of)
}

#[tokio::test]
async fn a_small_authority_loads_with_its_history() {
    let dir = TempDir::new("synthetic-load");
    let app = app_on_sqlite(&dir).await;
    let authority = authority_with_staff(
        &app,
        "testshire",
        &[
            ("officer", Role::ContactOfficer),
            ("sw1", Role::MashSocialWorker),
            ("sw2", Role::MashSocialWorker),
            ("manager", Role::TeamManager),
        ],
    )
    .await;
    let events_before = app.store.event_count().await.expect("count events");

    let generated: Vec<_> = SyntheticAuthority::new(config(300)).collect();
    let generated_people: usize = generated
        .iter()
        .filter_map(|c| c.new_household.as_ref())
        .map(|h| h.people.len())
        .sum();
    let generated_referrals = generated
        .iter()
        .map(|c| c.referrals.len() as u64)
        .sum::<u64>();
    let generated_re = generated
        .iter()
        .flat_map(|c| c.referrals.iter())
        .filter(|r| r.is_re_referral)
        .count() as u64;

    let mut reports = 0;
    let report = app
        .load_synthetic_with(
            authority,
            generated.clone(),
            &SyntheticLoadOptions {
                staff: None,
                batch_contacts: 100,
                history_ends: Some(config(300).as_of),
            },
            |_| reports += 1,
        )
        .await
        .expect("load");
    println!("{report:?}");
    assert!(reports >= 3, "progress after each batch");

    // Counts agree with what was generated and what is stored.
    assert_eq!(report.contacts, 300);
    assert_eq!(
        app.store.contact_count(authority).await.expect("count"),
        300
    );
    assert_eq!(report.people as usize, generated_people);
    assert_eq!(
        app.store.person_count(authority).await.expect("count") as u64,
        report.people
    );
    assert_eq!(
        app.store.event_count().await.expect("count") as u64,
        events_before as u64 + report.events
    );
    assert_eq!(report.referrals, generated_referrals);
    assert_eq!(
        report.re_referrals, generated_re,
        "the loader's re-referral rule agrees with the generator's"
    );
    assert!(
        report.decisions_authorised > 250
            && report.decisions_recommended >= report.decisions_authorised
    );
    assert!(report.assessments > 0 && report.relationships > 0 && report.contact_subjects >= 300);

    // Historic strategy discussions were held and signed off, as a MASH does; only those
    // decided in the history's last working day or two are left to hold.
    assert!(report.strategy_discussions > 0, "{report:?}");
    let to_hold = app
        .store
        .count_due(
            authority,
            frontdoor_store::work_due::DueSource::StrategyDiscussions,
            frontdoor_store::work_due::Whose::Authority,
            frontdoor_store::work_due::Basis::Instant(config(300).as_of),
        )
        .await
        .expect("count");
    assert_eq!(
        to_hold.total,
        report.strategy_discussions - report.strategy_discussions_signed_off
    );
    assert!(
        to_hold.total * 10 <= report.strategy_discussions.max(10),
        "{to_hold:?} of {} left to hold",
        report.strategy_discussions
    );

    // The audit trail verifies.
    let audit = app.verify_audit_trail().await.expect("verify");
    assert!(audit.is_intact(), "{:?}", audit.events.first_break);
    assert_eq!(
        audit.events.verified as u64,
        events_before as u64 + report.events
    );

    // Re-referrals are plausible for a small authority's first year.
    let share = report.re_referral_share();
    println!(
        "referrals {}, re-referrals {:.1}%",
        report.referrals,
        100.0 * share
    );
    assert!((0.08..=0.35).contains(&share), "re-referral share {share}");

    // The first contact: decided by a manager who did not recommend it, and its child's
    // chronology tells the story in order.
    let first = app
        .store
        .contact_by_reference(authority, "FD-2025-000001")
        .await
        .expect("read")
        .expect("the first contact of the year");
    assert_eq!(first.received_at, generated[0].received_at);
    let decisions = app
        .store
        .decisions_on_contact(authority, first.id)
        .await
        .expect("decisions");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].state, DecisionState::Authorised);
    assert_eq!(first.status, ContactStatus::Decided);
    assert_ne!(Some(decisions[0].recommended_by), decisions[0].reviewed_by);
    let subjects = app
        .store
        .contact_subjects(authority, first.id)
        .await
        .expect("subjects");
    let child = subjects
        .iter()
        .find(|s| s.is_child)
        .and_then(|s| s.person)
        .expect("a linked child");
    let chronology = app
        .store
        .chronology(authority, child)
        .await
        .expect("chronology");
    let kinds: Vec<&str> = chronology.iter().map(|e| e.kind.as_str()).collect();
    println!("first child's chronology: {kinds:?}");
    for kind in [
        "person_created",
        "contact_linked",
        "decision_recommended",
        "decision_authorised",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert!(
        chronology.iter().all(|e| e.recorded_at < config(300).as_of),
        "historic instants, not the clock's"
    );
    assert!(!app
        .store
        .related_people(authority, child)
        .await
        .expect("related")
        .is_empty());

    // Contacts not yet decided by `as_of` are left open, as in a real queue.
    let open = generated
        .iter()
        .filter(|c| {
            c.decision
                .as_ref()
                .and_then(|d| d.authorisation.as_ref())
                .is_none()
        })
        .count();
    let queue = app
        .store
        .contact_queue(
            authority,
            &frontdoor_store::contacts::QueueFilter {
                limit: 1000,
                ..Default::default()
            },
            frontdoor_store::contacts::QueueDueBounds {
                overdue_before: app.now(),
                due_today_before: app.now(),
            },
        )
        .await
        .expect("queue");
    assert_eq!(queue.total as usize, open);
}

#[tokio::test]
async fn loading_needs_a_social_worker_and_a_manager() {
    let dir = TempDir::new("synthetic-staff");
    let app = app_on_sqlite(&dir).await;
    let authority =
        authority_with_staff(&app, "nomanager", &[("sw", Role::MashSocialWorker)]).await;
    let result = app
        .load_synthetic(authority, SyntheticAuthority::new(config(10)), |_| {})
        .await;
    assert!(matches!(result, Err(AppError::Conflict(_))), "{result:?}");

    let staff = app.synthetic_staff(authority).await.expect("staff");
    let same = SyntheticStaff {
        contact_officers: vec![],
        social_workers: staff.social_workers.clone(),
        managers: staff.social_workers,
    };
    let result = app
        .load_synthetic_with(
            authority,
            SyntheticAuthority::new(config(10)),
            &SyntheticLoadOptions {
                staff: Some(same),
                batch_contacts: 10,
                history_ends: None,
            },
            |_| {},
        )
        .await;
    assert!(
        matches!(result, Err(AppError::Conflict(_))),
        "nobody authorises their own recommendation"
    );
    assert_eq!(
        app.store.contact_count(authority).await.expect("count"),
        0,
        "nothing half-loaded"
    );
}

/// The demo's live front door: today's work in every state, made through the use cases.
#[tokio::test]
async fn todays_work_puts_the_front_door_in_every_state() {
    use frontdoor_app::records::QueueFilter;
    use frontdoor_domain::clock::FixedClock;
    use frontdoor_domain::timescale::TimescaleStatus;

    let dir = TempDir::new("todays-work");
    // Wednesday 4 March 2026, 14:00 in London: today's work is today's.
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 4, 14, 0, 0)
            .single()
            .expect("instant"),
    ));
    let url = format!("sqlite://{}", dir.0.join("frontdoor.db").display());
    let store = Store::connect(&DatabaseUrl::parse(&url).expect("a SQLite URL"))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let app = App::new(store, clock, Settings::default());
    let authority = authority_with_staff(
        &app,
        "liveshire",
        &[
            ("officer", Role::ContactOfficer),
            ("sw", Role::MashSocialWorker),
            ("manager", Role::TeamManager),
            ("edt", Role::OutOfHoursWorker),
            ("ehc", Role::EarlyHelpCoordinator),
        ],
    )
    .await;
    let work = app.stage_todays_work(authority).await.expect("staged");
    assert_eq!(work.contacts, 12);
    // No partner organisations: the three early help families the coordinator leads alone.
    assert_eq!(work.early_help, 3);
    assert_eq!(work.child_protection, 2);
    assert_eq!(work.triage_meetings, 1);
    // The test authority has no partner organisations: no requests are staged.
    assert_eq!(work.information_requests, 0);

    let manager = app
        .store
        .workers(authority)
        .await
        .expect("workers")
        .into_iter()
        .find(|w| w.role == Role::TeamManager)
        .expect("a manager")
        .actor();
    let queue = app
        .contact_queue(
            &manager,
            &QueueFilter {
                limit: 100,
                ..QueueFilter::default()
            },
        )
        .await
        .expect("queue");
    let statuses: Vec<ContactStatus> = queue.rows.iter().map(|r| r.entry.status).collect();
    for wanted in [
        ContactStatus::AwaitingTriage,
        ContactStatus::AwaitingAuthorisation,
        ContactStatus::Returned,
    ] {
        assert!(statuses.contains(&wanted), "{wanted:?} in {statuses:?}");
    }
    assert!(
        queue.rows.iter().any(|r| r.timescale.is_overdue()),
        "some contacts are overdue"
    );
    assert!(
        queue
            .rows
            .iter()
            .any(|r| r.timescale == TimescaleStatus::DueToday),
        "some contacts are due today"
    );
    assert_eq!(
        app.triage_meetings(&manager, 10).await.expect("meetings")[0].contacts,
        3
    );
    // Two supervisions of the social worker: one action carried forward and past due, one past
    // due, one done and one closed.
    assert_eq!(work.supervisions, 2);
    let drift = app
        .drift_report(&manager, None)
        .await
        .expect("drift report");
    assert_eq!(drift.total.drifting, 2, "{drift:?}");
    assert_eq!(drift.total.past_due, 2);
    assert_eq!(drift.total.carried_forward, 1);
    // Work due: strategy discussions to hold, the conference due and the plan's review and
    // visit, each with a date.
    let due = app
        .work_due(&manager, frontdoor_app::WorkDueScope::All)
        .await
        .expect("work due");
    let kinds: Vec<String> = due
        .soonest
        .iter()
        .map(|item| format!("{:?}", item.kind))
        .collect();
    println!("work due: {kinds:?}");
    for wanted in ["StrategyDiscussion", "Conference", "Review", "Visit"] {
        assert!(
            kinds.iter().any(|k| k.contains(wanted)),
            "{wanted} in {kinds:?}"
        );
    }
    // The open episodes are the social worker's caseload (allocated for supervision, or with
    // the rest of the caseloads).
    let workloads = app.workloads(&manager, None).await.expect("workloads");
    let held: u32 = workloads
        .teams
        .iter()
        .flat_map(|t| &t.workers)
        .filter(|w| w.caseload.role == Role::MashSocialWorker)
        .map(|w| w.episodes)
        .sum();
    assert!(
        held > 0 && held as usize >= work.allocated,
        "{work:?} {workloads:?}"
    );
    let verified = app.store.verify_events().await.expect("verify");
    assert!(verified.first_break.is_none(), "the event chain verifies");
}

/// The whole statutory journey, on every backend: the strategy discussions, section 47
/// enquiries, conferences, plans, reviews, statutory visits and child in need plans the
/// generator made are all stored (through the store functions the use cases use, each with its
/// event), the returns read them back, every completed assessment carries its census factors,
/// and the census of the latest complete year has no error by the DfE's rules as ported.
#[tokio::test]
async fn the_whole_journey_loads_on_every_backend() {
    use frontdoor_app::returns::LaNumberInput;
    use frontdoor_domain::returns::cin_census::{CensusYear, IssueKind};

    let as_of = Utc
        .with_ymd_and_hms(2026, 3, 2, 12, 0, 0)
        .single()
        .expect("valid instant");
    let config = AuthorityConfig::new(2027, 700, 2, as_of);
    let generated: Vec<_> = SyntheticAuthority::new(config.clone()).collect();
    let referrals: Vec<_> = generated.iter().flat_map(|c| c.referrals.iter()).collect();
    let enquiries: Vec<_> = referrals
        .iter()
        .filter_map(|r| r.section_47.as_ref())
        .collect();
    let conferences = enquiries
        .iter()
        .filter(|e| e.icpc_held_on.is_some())
        .count() as u64;
    let plans: Vec<_> = enquiries.iter().filter_map(|e| e.plan.as_ref()).collect();
    let reviews: u64 = plans.iter().map(|p| p.reviews.len() as u64).sum();
    let visits: u64 = plans.iter().map(|p| p.visits.len() as u64).sum();
    let ended = plans.iter().filter(|p| p.ended_on.is_some()).count() as u64;
    let cin_plans = referrals.iter().filter(|r| r.cin_plan.is_some()).count() as u64;
    let during_assessment = referrals
        .iter()
        .filter(|r| {
            r.strategy_discussion
                .as_ref()
                .is_some_and(|d| d.during_assessment)
        })
        .count() as u64;
    println!(
        "generated: {} referrals, {} enquiries, {conferences} ICPCs, {} plans ({ended} ended, {reviews} reviews, {visits} visits), {cin_plans} CIN plans",
        referrals.len(),
        enquiries.len(),
        plans.len()
    );
    assert!(plans.len() >= 5 && reviews > 0 && visits > 0 && cin_plans > 0);

    for database in frontdoor_store::testing::all_backends()
        .await
        .expect("databases")
    {
        println!("-- on {}", database.backend());
        let app = App::new(
            database.store.clone(),
            Arc::new(SystemClock),
            Settings::default(),
        );
        let authority = authority_with_staff(
            &app,
            "journeyshire",
            &[
                ("officer", Role::ContactOfficer),
                ("sw1", Role::MashSocialWorker),
                ("sw2", Role::MashSocialWorker),
                ("manager", Role::TeamManager),
            ],
        )
        .await;
        let report = app
            .load_synthetic_with(
                authority,
                generated.clone(),
                &SyntheticLoadOptions {
                    staff: None,
                    batch_contacts: 250,
                    history_ends: Some(as_of),
                },
                |_| {},
            )
            .await
            .expect("load");
        println!("{report:?}");
        assert_eq!(report.section_47_enquiries, enquiries.len() as u64);
        assert_eq!(report.initial_conferences, conferences);
        assert_eq!(report.protection_plans, plans.len() as u64);
        assert_eq!(report.protection_plans_ended, ended);
        assert_eq!(report.review_conferences, reviews);
        assert_eq!(report.plan_visits, visits);
        assert_eq!(report.cin_plans, cin_plans);
        assert_eq!(
            report.strategy_discussions_during_assessment,
            during_assessment
        );

        // Read back as the returns read them.
        let records = app
            .store
            .return_records(authority, config.first_day(), as_of.date_naive())
            .await
            .expect("records");
        assert_eq!(records.enquiries.len(), enquiries.len());
        assert_eq!(
            records
                .enquiries
                .iter()
                .filter(|e| e.icpc_held_on.is_some())
                .count() as u64,
            conferences
        );
        assert_eq!(records.plans.len(), plans.len());
        assert_eq!(
            records
                .plans
                .iter()
                .filter(|p| p.ended_on.is_some())
                .count() as u64,
            ended
        );
        assert_eq!(records.reviews.len() as u64, reviews);
        assert_eq!(records.cin_plans.len() as u64, cin_plans);
        assert!(records
            .assessments
            .iter()
            .filter(|a| a.completed_on.is_some())
            .all(|a| !a.factors.is_empty()));

        // The census of the latest complete year: no error, and no missing factors.
        app.set_dfe_la_number(
            authority,
            &LaNumberInput {
                number: "001".into(),
            },
        )
        .await
        .expect("LA number");
        let year = CensusYear::parse("2025").expect("a census year");
        let census = app
            .cin_census_for_operator(authority, year)
            .await
            .expect("census");
        let mut codes: Vec<&str> = census.issues.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        println!(
            "census {}: {} children, {} errors, {} queries {codes:?}",
            year.year(),
            census.children(),
            census.errors(),
            census.queries()
        );
        let errors: Vec<_> = census
            .issues
            .iter()
            .filter(|i| i.kind == IssueKind::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            !codes.contains(&"8897Q"),
            "every assessment has its factors"
        );
        let xml = census.xml();
        for module in ["<Section47>", "<ChildProtectionPlans>", "<CINPlanDates>"] {
            assert!(xml.contains(module), "{module} in the census");
        }

        let audit = app.verify_audit_trail().await.expect("verify");
        assert!(audit.is_intact(), "{:?}", audit.events.first_break);
        database.remove().await;
    }
}

/// The batched load on every backend: the chain verifies, every row the report counts is
/// stored, and person and contact numbers taken a block per transaction run on without a gap,
/// exactly as taking them one by one would.
#[tokio::test]
async fn a_batched_load_verifies_and_numbers_as_one_by_one_on_every_backend() {
    for db in frontdoor_store::testing::all_backends()
        .await
        .expect("databases")
    {
        let app = App::new(db.store.clone(), Arc::new(SystemClock), Settings::default());
        let authority = authority_with_staff(
            &app,
            "batchshire",
            &[
                ("officer", Role::ContactOfficer),
                ("sw1", Role::MashSocialWorker),
                ("manager", Role::TeamManager),
            ],
        )
        .await;
        let events_before = app.store.event_count().await.expect("count events");
        let generated: Vec<_> = SyntheticAuthority::new(config(150)).collect();
        let report = app
            .load_synthetic_with(
                authority,
                generated.clone(),
                &SyntheticLoadOptions {
                    staff: None,
                    batch_contacts: 40,
                    history_ends: Some(config(150).as_of),
                },
                |_| {},
            )
            .await
            .expect("load");
        let audit = app.verify_audit_trail().await.expect("verify");
        assert!(audit.is_intact(), "{} {audit:?}", db.backend());
        assert_eq!(
            app.store.event_count().await.expect("count") as u64,
            events_before as u64 + report.events
        );
        let people = app.store.person_count(authority).await.expect("count") as i64;
        assert_eq!(people as u64, report.people);
        assert_eq!(
            app.store.contact_count(authority).await.expect("count"),
            150
        );
        // The counters stand where one-by-one numbering would leave them.
        let mut tx = app.store.begin().await.expect("begin");
        assert_eq!(
            frontdoor_store::people::next_counter(&mut tx, authority, "person")
                .await
                .expect("next"),
            people + 1,
            "{}",
            db.backend()
        );
        let mut numbered = 0;
        for year in ["2025", "2026"] {
            numbered += frontdoor_store::people::next_counter(
                &mut tx,
                authority,
                &format!("contact-{year}"),
            )
            .await
            .expect("next")
                - 1;
        }
        assert_eq!(numbered, 150, "{}", db.backend());
        drop(tx); // rolled back
        db.remove().await;
    }
}
