//! The performance dashboard on a small fixture whose every figure is worked out by hand (the
//! arithmetic is in the comments), on every backend: each figure for the whole authority and
//! for one team, the children behind each figure (and the access log they write), who may see
//! it, and the downloads' tables.
//!
//! The fixture's rows are written straight into the tables (the way a migration of an
//! authority's history would arrive), so each date is exactly what the arithmetic needs.
//!
//! The period is 1 April to 30 June 2026 (British Summer Time: London is UTC+1, so the period
//! runs from 31 March 23:00 UTC to 30 June 23:00 UTC); the clock stands at Wednesday 1 July
//! 2026, 10:00 UTC.

#[path = "../support/mod.rs"]
mod support;

use chrono::NaiveDate;
use frontdoor_app::dashboard::export::{children_table, dashboard_tables};
use frontdoor_app::dashboard::{period_of, Dashboard};
use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::spreadsheet::{table_csv, Cell};
use frontdoor_app::{App, AppError};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::ids::{PersonId, TeamId};
use frontdoor_domain::performance::{Figure, Period, Rate};
use frontdoor_store::testing::execute_directly;
use support::utc;
use uuid::Uuid;

struct World {
    app: App,
    senior: Actor,
    manager_a: Actor,
    qa: Actor,
    social_worker: Actor,
    officer: Actor,
    partner: Actor,
    team_a: TeamId,
    team_b: TeamId,
    /// The children P1…P7 (P6 only behind a contact outside the period).
    people: Vec<PersonId>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
}

fn period() -> Period {
    Period::new(d(2026, 4, 1), d(2026, 6, 30)).expect("a period")
}

/// Literal values for SQL written straight into the tables, on either backend.
struct Sql {
    postgres: bool,
}

impl Sql {
    fn id(&self, id: Uuid) -> String {
        if self.postgres {
            format!("'{id}'")
        } else {
            format!("X'{}'", id.simple())
        }
    }
    fn opt(&self, id: Option<Uuid>) -> String {
        id.map_or_else(|| "NULL".into(), |id| self.id(id))
    }
}

/// An instant as sqlx writes one (RFC 3339, UTC), so SQLite compares it as text correctly.
fn at(text: &str) -> String {
    format!("'{text}:00+00:00'")
}

fn at_or_null(text: Option<&str>) -> String {
    text.map_or_else(|| "NULL".into(), at)
}

fn day_or_null(text: Option<&str>) -> String {
    text.map_or_else(|| "NULL".into(), |t| format!("'{t}'"))
}

async fn run(store: &Store, sql: String) {
    execute_directly(store, &sql)
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
}

async fn world(store: Store) -> World {
    let t = support::testshire(
        store,
        utc(2026, 7, 1, 10, 0),
        &["MASH A", "MASH B"],
        &[
            ("Testshire Police", OrganisationKind::Police),
            ("Testshire Health", OrganisationKind::Health),
        ],
    )
    .await;
    let s = Sql {
        postgres: t.app.store.backend_name() == "postgres",
    };
    let (team_a, team_b) = (t.teams[0], t.teams[1]);
    let worker_a = t
        .worker("worker.a", Role::MashSocialWorker, Some(0), None)
        .await;
    let worker_b = t
        .worker("worker.b", Role::MashSocialWorker, Some(1), None)
        .await;
    let manager_a = t
        .worker("manager.a", Role::TeamManager, Some(0), None)
        .await;
    let world = World {
        senior: t.worker("senior", Role::SeniorManager, None, None).await,
        qa: t
            .worker("qa", Role::QualityAssuranceOfficer, None, None)
            .await,
        officer: t
            .worker("officer", Role::ContactOfficer, Some(0), None)
            .await,
        partner: t
            .worker(
                "partner",
                Role::PartnerPractitioner,
                None,
                Some(t.organisation(OrganisationKind::Police)),
            )
            .await,
        social_worker: worker_a.clone(),
        manager_a: manager_a.clone(),
        team_a,
        team_b,
        people: Vec::new(),
        app: t.app.clone(),
    };
    let store = &t.app.store;
    let authority = s.id(t.authority.0);
    let (wa, wb, ma) = (
        s.id(worker_a.worker.0),
        s.id(worker_b.worker.0),
        s.id(manager_a.worker.0),
    );

    // The children P1…P7.
    let people: Vec<Uuid> = (0..7).map(|_| Uuid::now_v7()).collect();
    for (i, person) in people.iter().enumerate() {
        run(store, format!(
            "INSERT INTO people (id, authority_id, la_person_id, given_name, family_name, birth_date, birth_date_expected, sex, ethnicity, disabilities, created_at, updated_at)
             VALUES ({}, {authority}, 'P{n}', 'Child', 'P{n}', '2015-01-01', FALSE, 'F', 'WBRI', '', {now}, {now})",
            s.id(*person), n = i + 1, now = at("2026-01-01T09:00")
        )).await;
    }
    let p = |n: usize| Some(people[n - 1]);

    // Contacts: (name, team, received, decision due (the first moment after the due day),
    // decided, children).
    // C1 A  Mon 13 Apr 09:00, due by the end of Tue 14 Apr, decided Tue 14 Apr 15:00: met.
    // C2 A  Mon 20 Apr 09:00, due by the end of Tue 21 Apr, decided Thu 23 Apr: late (2 working days).
    // C3 B  Mon 11 May 09:00, due by the end of Tue 12 May, decided Tue 12 May 08:00: met. Two children.
    // C4 B  Mon 29 Jun 09:00, due by the end of Tue 30 Jun, not decided on 1 July: late. Its child is
    //       not yet linked to a record.
    // C5 A  Tue 30 Jun 12:00, due by the end of Wed 1 Jul, not decided: not yet due, not counted.
    // C6 A  Tue 31 Mar 22:30 UTC = 23:30 in London on 31 March: before the period.
    // C7 B  Tue 30 Jun 22:30 UTC = 23:30 in London on 30 June: in the period; decided 1 July 09:00,
    //       before the end of its due day: met.
    let contacts = [
        (
            "C1",
            team_a,
            "2026-04-13T09:00",
            "2026-04-14T23:00",
            Some("2026-04-14T15:00"),
            vec![p(1)],
        ),
        (
            "C2",
            team_a,
            "2026-04-20T09:00",
            "2026-04-21T23:00",
            Some("2026-04-23T10:00"),
            vec![p(2)],
        ),
        (
            "C3",
            team_b,
            "2026-05-11T09:00",
            "2026-05-12T23:00",
            Some("2026-05-12T08:00"),
            vec![p(3), p(4)],
        ),
        (
            "C4",
            team_b,
            "2026-06-29T09:00",
            "2026-06-30T23:00",
            None,
            vec![None],
        ),
        (
            "C5",
            team_a,
            "2026-06-30T12:00",
            "2026-07-01T23:00",
            None,
            vec![p(5)],
        ),
        (
            "C6",
            team_a,
            "2026-03-31T22:30",
            "2026-04-01T23:00",
            Some("2026-04-01T10:00"),
            vec![p(6)],
        ),
        (
            "C7",
            team_b,
            "2026-06-30T22:30",
            "2026-07-01T23:00",
            Some("2026-07-01T09:00"),
            vec![p(7)],
        ),
    ];
    let mut contact_ids = Vec::new();
    let mut subject_ids = Vec::new();
    for (reference, team, received, due, decided, children) in &contacts {
        let id = Uuid::now_v7();
        contact_ids.push(id);
        let status = if decided.is_some() {
            "decided"
        } else {
            "awaiting_triage"
        };
        run(store, format!(
            "INSERT INTO contacts (id, authority_id, reference, received_at, recorded_at, recorded_by, channel, source, referrer_name, referrer_organisation, referrer_role, referrer_phone, referrer_email, concern_categories, concern_summary, urgency, out_of_hours, family_consent, consent_notes, team_id, status, decision_due_at, decided_at)
             VALUES ({}, {authority}, '{reference}', {received}, {received}, {wa}, 'phone', 'school', 'A teacher', 'A school', 'Teacher', '', '', 'neglect', 'A concern', 'standard', FALSE, 'yes', '', {}, '{status}', {}, {})",
            s.id(id), s.id(team.0), at(due), at_or_null(*decided), received = at(received)
        )).await;
        for (position, child) in children.iter().enumerate() {
            let subject = Uuid::now_v7();
            subject_ids.push(subject);
            let (given, family) = match child {
                Some(_) => ("Child", "Linked"),
                None => ("Sam", "Unlinked"),
            };
            run(store, format!(
                "INSERT INTO contact_subjects (id, authority_id, contact_id, position, is_child, given_name, family_name, sex, address, person_id)
                 VALUES ({}, {authority}, {}, {position}, TRUE, '{given}', '{family}', 'F', '', {})",
                s.id(subject), s.id(id), s.opt(*child)
            )).await;
        }
    }
    let c = |n: usize| s.id(contact_ids[n - 1]);

    // Threshold decisions: (contact, state, level, authorised at).
    // Authorised in the period: C1 level 3 (A), C2 level 4 (A), C3 level 3 (B), C6 level 2 (A,
    // authorised 1 April although the contact came on 31 March). C7's (level 1) was authorised on
    // 1 July, after the period; C5's (level 2) awaits authorisation. Neither counts.
    let decisions = [
        (1, "authorised", 3, Some("2026-04-14T15:00")),
        (2, "authorised", 4, Some("2026-04-23T10:00")),
        (3, "authorised", 3, Some("2026-05-12T08:00")),
        (6, "authorised", 2, Some("2026-04-01T10:00")),
        (7, "authorised", 1, Some("2026-07-01T09:00")),
        (5, "awaiting_authorisation", 2, None),
    ];
    let mut decision_of = std::collections::HashMap::new();
    for (contact, state, level, reviewed) in decisions {
        let id = Uuid::now_v7();
        decision_of.insert(contact, id);
        run(store, format!(
            "INSERT INTO threshold_decisions (id, authority_id, contact_id, state, outcome, level_of_need, rationale, recommended_by, recommended_at, reviewed_by, reviewed_at)
             VALUES ({}, {authority}, {}, '{state}', 'referral_for_assessment', {level}, 'Reasons', {wa}, {}, {}, {})",
            s.id(id), c(contact), at("2026-04-01T09:00"),
            if reviewed.is_some() { ma.clone() } else { "NULL".into() }, at_or_null(reviewed)
        )).await;
    }

    // Referrals: (contact, child, date, re-referral). In the period: R1 (A), R2 (A, re-referral),
    // R3 (B), R4 (B, re-referral), R6 (A, dated 1 April): 5, of which 2 re-referrals.
    let referrals = [
        (1, 1, "2026-04-14", false),
        (2, 2, "2026-04-23", true),
        (3, 3, "2026-05-12", false),
        (3, 4, "2026-05-12", true),
        (6, 6, "2026-04-01", false),
    ];
    let mut referral_ids = Vec::new();
    for (contact, child, date, re) in referrals {
        let id = Uuid::now_v7();
        referral_ids.push(id);
        run(store, format!(
            "INSERT INTO referrals (id, authority_id, contact_id, person_id, decision_id, referral_date, source, is_re_referral, created_at)
             VALUES ({}, {authority}, {}, {}, {}, '{date}', 'school', {}, {})",
            s.id(id), c(contact), s.opt(p(child)), s.id(decision_of[&contact]),
            if re { "TRUE" } else { "FALSE" }, at("2026-04-01T09:00")
        )).await;
    }

    // Episodes E1 (P1, A, worker A), E2 (P2, A, worker A), E3 (P3, B, worker B), E4 (P4, B,
    // nobody), from the referrals R1…R4.
    let episodes = [
        (0, 1, 1, team_a, Some(&wa)),
        (1, 2, 2, team_a, Some(&wa)),
        (2, 3, 3, team_b, Some(&wb)),
        (3, 3, 4, team_b, None),
    ];
    let mut episode_ids = Vec::new();
    for (referral, contact, child, team, worker) in episodes {
        let id = Uuid::now_v7();
        episode_ids.push(id);
        run(store, format!(
            "INSERT INTO episodes (id, authority_id, person_id, referral_id, contact_id, referral_date, source, team_id, worker_id, created_at)
             VALUES ({}, {authority}, {}, {}, {}, '2026-04-14', 'school', {}, {}, {})",
            s.id(id), s.opt(p(child)), s.id(referral_ids[referral]), c(contact), s.id(team.0),
            worker.cloned().unwrap_or_else(|| "NULL".into()), at("2026-04-14T09:00")
        )).await;
    }
    let e = |n: usize| s.id(episode_ids[n - 1]);

    // Assessments: (episode, child, team, started, due, completed).
    // A1 A started 15 Apr, due 17 Jun, completed 10 Jun: met.
    // A2 A started 24 Apr, due Fri 26 Jun, completed Mon 29 Jun: late by 1 working day.
    // A3 B started 13 May, due 15 Jul, open: started in the period, not completed.
    // A4 B started 2 Mar (before the period), due 1 May, completed 30 Apr: met, and completed in
    //    the period.
    // Started in the period: A1, A2, A3 = 3 (A: 2). Completed in the period: A1, A2, A4 = 3,
    // within 45 working days A1, A4 = 2 of 3 = 66.7% (A: 1 of 2 = 50.0%; B: 1 of 1 = 100.0%).
    let assessments = [
        (1, 1, team_a, "2026-04-15", "2026-06-17", Some("2026-06-10")),
        (2, 2, team_a, "2026-04-24", "2026-06-26", Some("2026-06-29")),
        (3, 3, team_b, "2026-05-13", "2026-07-15", None),
        (4, 4, team_b, "2026-03-02", "2026-05-01", Some("2026-04-30")),
    ];
    for (episode, child, team, started, due, completed) in assessments {
        run(store, format!(
            "INSERT INTO assessments (id, authority_id, person_id, started_on, completed_on, created_at, episode_id, team_id, due_on, state)
             VALUES ({}, {authority}, {}, '{started}', {}, {}, {}, {}, '{due}', '{}')",
            s.id(Uuid::now_v7()), s.opt(p(child)), day_or_null(completed), at("2026-03-02T09:00"),
            e(episode), s.id(team.0), if completed.is_some() { "authorised" } else { "in_progress" }
        )).await;
    }

    // Strategy discussions, section 47 enquiries (started), initial conferences (due, held) and
    // plans:
    // Q1 E1 started 20 Apr; K1 due 12 May, held 11 May: met; plan PL1 from 11 May.
    // Q2 E2 started 5 May; K2 due Wed 27 May, held Tue 2 Jun: late by 4 working days (28, 29 May,
    //    1, 2 Jun).
    // Q3 E3 started 20 Mar (before the period); K3 due 14 Apr, held 14 Apr: met; plan PL3 from 14 Apr.
    // A review conference of E1 on 25 Jun is not an initial conference.
    // Section 47 enquiries in the period: Q1, Q2 = 2 (A: 2, B: 0). Initial conferences held: 3,
    // within 15 working days K1, K3 = 2 of 3 = 66.7% (A: 1 of 2 = 50.0%). Plans: 2 (A: 1).
    let enquiries = [
        (
            1,
            1,
            "2026-04-20",
            "2026-05-12",
            "2026-05-11",
            Some("2026-05-11"),
        ),
        (2, 2, "2026-05-05", "2026-05-27", "2026-06-02", None),
        (
            3,
            3,
            "2026-03-20",
            "2026-04-14",
            "2026-04-14",
            Some("2026-04-14"),
        ),
    ];
    for (episode, child, started, due, held, plan) in enquiries {
        let (discussion, enquiry, conference) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        run(store, format!(
            "INSERT INTO strategy_discussions (id, authority_id, episode_id, person_id, state, emergency, decided_at, police_absence_reason, health_absence_reason, rationale, withdrawal_reason, sign_off_refusals, created_at)
             VALUES ({}, {authority}, {}, {}, 'signed_off', FALSE, {}, '', '', 'Reasons', '', 0, {})",
            s.id(discussion), e(episode), s.opt(p(child)), at("2026-03-20T09:00"), at("2026-03-20T09:00")
        )).await;
        run(store, format!(
            "INSERT INTO section_47_enquiries (id, authority_id, episode_id, person_id, strategy_discussion_id, started_on, plan_agreed_at, icpc_due_on, state, outcome_reason, started_by, created_at)
             VALUES ({}, {authority}, {}, {}, {}, '{started}', {}, '{due}', 'open', '', {wa}, {})",
            s.id(enquiry), e(episode), s.opt(p(child)), s.id(discussion), at("2026-03-20T09:00"), at("2026-03-20T09:00")
        )).await;
        run(store, format!(
            "INSERT INTO conferences (id, authority_id, episode_id, person_id, kind, enquiry_id, due_on, held_on, chair, created_at)
             VALUES ({}, {authority}, {}, {}, 'initial', {}, '{due}', '{held}', 'A chair', {})",
            s.id(conference), e(episode), s.opt(p(child)), s.id(enquiry), at("2026-03-20T09:00")
        )).await;
        if let Some(plan) = plan {
            run(store, format!(
                "INSERT INTO protection_plans (id, authority_id, episode_id, person_id, icpc_id, started_on, initial_category, latest_category, created_at)
                 VALUES ({}, {authority}, {}, {}, {}, '{plan}', 'NEG', 'NEG', {})",
                s.id(Uuid::now_v7()), e(episode), s.opt(p(child)), s.id(conference), at("2026-03-20T09:00")
            )).await;
        }
    }
    run(store, format!(
        "INSERT INTO conferences (id, authority_id, episode_id, person_id, kind, due_on, held_on, chair, created_at)
         VALUES ({}, {authority}, {}, {}, 'review', '2026-08-11', '2026-06-25', 'A chair', {})",
        s.id(Uuid::now_v7()), e(1), s.opt(p(1)), at("2026-03-20T09:00")
    )).await;

    // Information requests: (contact, subject index, child, agency, sent, due, answered, status).
    // Police: I1 answered in 2 hours (in time), I2 in 6 hours (after its due time), I3 in 24
    //   hours (in time): sent 3, answered 3, within 2 of 3 = 66.7%, median of 2, 6, 24 = 6.0 hours.
    // Health: I4 answered in 48 hours (in time), I5 unanswered and past due on 1 July, I6
    //   unanswered and not yet due, I7 answered in 10 hours (in time), I8 withdrawn (not
    //   counted): sent 4, answered 2, within 2 of 3 (answered, or past due) = 66.7%, median of 10
    //   and 48 = 29.0 hours.
    // Team A (contacts C1, C2): police I1, I2: within 1 of 2, median (2 + 6) / 2 = 4.0; health
    //   I5, I6, I7: sent 3, answered 1, within 1 of 2 = 50.0%, median 10.0.
    let police = s.id(t.organisation(OrganisationKind::Police).0);
    let health = s.id(t.organisation(OrganisationKind::Health).0);
    let requests = [
        (
            1,
            0,
            1,
            "police",
            &police,
            "2026-04-13T10:00",
            "2026-04-13T14:00",
            Some("2026-04-13T12:00"),
            "answered",
        ),
        (
            2,
            1,
            2,
            "police",
            &police,
            "2026-04-20T10:00",
            "2026-04-20T14:00",
            Some("2026-04-20T16:00"),
            "answered",
        ),
        (
            3,
            2,
            3,
            "police",
            &police,
            "2026-05-11T10:00",
            "2026-05-14T16:00",
            Some("2026-05-12T10:00"),
            "answered",
        ),
        (
            3,
            3,
            4,
            "health",
            &health,
            "2026-05-11T10:00",
            "2026-05-14T16:00",
            Some("2026-05-13T10:00"),
            "answered",
        ),
        (
            1,
            0,
            1,
            "health",
            &health,
            "2026-06-29T10:00",
            "2026-06-30T14:00",
            None,
            "sent",
        ),
        (
            1,
            0,
            1,
            "health",
            &health,
            "2026-06-30T10:00",
            "2026-07-03T16:00",
            None,
            "sent",
        ),
        (
            2,
            1,
            2,
            "health",
            &health,
            "2026-04-21T08:00",
            "2026-04-24T16:00",
            Some("2026-04-21T18:00"),
            "answered",
        ),
        (
            2,
            1,
            2,
            "health",
            &health,
            "2026-04-22T08:00",
            "2026-04-24T16:00",
            None,
            "withdrawn",
        ),
    ];
    for (contact, subject, child, agency, organisation, sent, due, answered, status) in requests {
        run(store, format!(
            "INSERT INTO information_requests (id, authority_id, contact_id, subject_id, person_id, organisation_id, agency, questions, consent_basis, urgency, due_at, status, sent_by, sent_at, answer, answered_at)
             VALUES ({}, {authority}, {}, {}, {}, {organisation}, '{agency}', 'What do you know?', 'consent_given', 'standard', {}, '{status}', {wa}, {}, {}, {})",
            s.id(Uuid::now_v7()), c(contact), s.id(subject_ids[subject]), s.opt(p(child)),
            at(due), at(sent), if answered.is_some() { "'An answer'" } else { "NULL" }, at_or_null(answered)
        )).await;
    }

    // Supervision of worker A on 1 June: SA1 (P1) due 15 June, open: past due; SA2 (P2) due 10
    // July, carried forward once; SA3 (P1) due 10 July: not drifting; SA4 (P2) completed.
    // Drifting today: 2 (1 past due, 1 carried forward), both in team A.
    let supervision = Uuid::now_v7();
    run(store, format!(
        "INSERT INTO supervisions (id, authority_id, worker_id, team_id, supervisor_id, held_on, recorded_at)
         VALUES ({}, {authority}, {wa}, {}, {ma}, '2026-06-01', {})",
        s.id(supervision), s.id(team_a.0), at("2026-06-01T09:00")
    )).await;
    let actions = [
        (1, 1, "2026-06-15", "open", 0, None),
        (2, 2, "2026-07-10", "open", 1, None),
        (1, 1, "2026-07-10", "open", 0, None),
        (2, 2, "2026-06-10", "completed", 0, Some("2026-06-09")),
    ];
    for (position, (episode, child, due, status, carried, completed)) in
        actions.into_iter().enumerate()
    {
        run(store, format!(
            "INSERT INTO supervision_actions (id, authority_id, supervision_id, person_id, episode_id, team_id, position, description, owner_id, due_on, status, times_carried, completed_on, completion_note, closure_reason)
             VALUES ({}, {authority}, {}, {}, {}, {}, {position}, 'Visit the child', {wa}, '{due}', '{status}', {carried}, {}, '', '')",
            s.id(Uuid::now_v7()), s.id(supervision), s.opt(p(child)), e(episode), s.id(team_a.0), day_or_null(completed)
        )).await;
    }
    World {
        people: people.into_iter().map(PersonId).collect(),
        ..world
    }
}

fn rate(met: i64, of: i64) -> Rate {
    Rate::new(met, of)
}

fn agency<'a>(d: &'a Dashboard, code: &str) -> &'a frontdoor_app::dashboard::AgencyFigures {
    d.information_requests
        .iter()
        .find(|a| a.agency == code)
        .unwrap_or_else(|| panic!("no {code} row"))
}

async fn whole_authority(w: &World) {
    let d = w
        .app
        .dashboard(&w.senior, period(), None)
        .await
        .expect("dashboard");
    // Decisions: C1, C2, C3, C4, C7 counted (C5 not yet due, C6 before the period); met C1, C3,
    // C7: 3 of 5 = 60.0%.
    assert_eq!(d.decisions_within_one_working_day.rate, rate(3, 5));
    assert_eq!(d.decisions_within_one_working_day.percent, Some(60.0));
    // Conversion: contacts C1, C2, C3, C4, C5, C7 = 6; referrals 5; assessments 3; section 47
    // enquiries 2; initial conferences 3; plans 2.
    let c = d.conversion;
    assert_eq!(
        (
            c.contacts,
            c.referrals,
            c.assessments,
            c.section_47_enquiries,
            c.initial_conferences,
            c.protection_plans
        ),
        (6, 5, 3, 2, 3, 2)
    );
    // Re-referrals: 2 of 5 = 40.0%.
    assert_eq!(d.re_referrals.rate, rate(2, 5));
    assert_eq!(d.re_referrals.percent, Some(40.0));
    // Assessments: 2 of 3 = 66.7%; initial conferences: 2 of 3 = 66.7%.
    assert_eq!(d.assessments_within_45_working_days.rate, rate(2, 3));
    assert_eq!(d.assessments_within_45_working_days.percent, Some(66.7));
    assert_eq!(
        d.initial_conferences_within_15_working_days.rate,
        rate(2, 3)
    );
    // Information requests by agency.
    let police = agency(&d, "police");
    assert_eq!(
        (police.label.as_str(), police.sent, police.answered),
        ("Police", 3, 3)
    );
    assert_eq!(police.within_due, rate(2, 3));
    assert_eq!(police.median_hours, Some(6.0));
    let health = agency(&d, "health");
    assert_eq!((health.sent, health.answered), (4, 2));
    assert_eq!(health.within_due, rate(2, 3));
    assert_eq!(health.within_due_percent, Some(66.7));
    assert_eq!(health.median_hours, Some(29.0));
    assert_eq!(d.information_requests.len(), 2);
    // Drift today: 2 actions (1 past due, 1 carried forward), in team A.
    assert_eq!(
        (
            d.drift.total.drifting,
            d.drift.total.past_due,
            d.drift.total.carried_forward
        ),
        (2, 1, 1)
    );
    assert_eq!(d.drift.teams.len(), 1);
    assert_eq!(d.drift.teams[0].team, Some(w.team_a));
    // Workloads today: worker A holds E1 (a plan: 2.0) and E2 (an enquiry: 1.5) = 3.5; worker
    // B holds E3 (a plan) = 2.0.
    let weighted = |name: &str| {
        d.workloads
            .iter()
            .flat_map(|t| &t.workers)
            .find(|x| x.caseload.name == name)
            .map(|x| (x.episodes, x.weighted.to_string()))
    };
    assert_eq!(weighted("worker.a"), Some((2, "3.5".to_string())));
    assert_eq!(weighted("worker.b"), Some((1, "2.0".to_string())));
    // Decisions by level of need: A has levels 2, 3 and 4 once each; B level 3 once; in all
    // 0, 1, 2, 1 at levels 1 to 4 = 4.
    let levels: Vec<u8> = d.consistency.levels.iter().map(|l| l.level).collect();
    assert_eq!(levels, vec![1, 2, 3, 4]);
    let row = |team: TeamId| {
        d.consistency
            .teams
            .iter()
            .find(|r| r.team == Some(team))
            .map(|r| (r.decisions.clone(), r.total))
    };
    assert_eq!(row(w.team_a), Some((vec![0, 1, 1, 1], 3)));
    assert_eq!(row(w.team_b), Some((vec![0, 0, 1, 0], 1)));
    assert_eq!(d.consistency.total.decisions, vec![0, 1, 2, 1]);
    assert_eq!(d.consistency.total.total, 4);
    // Team A's shares: a third at each of levels 2, 3 and 4.
    let shares = d
        .consistency
        .teams
        .iter()
        .find(|r| r.team == Some(w.team_a))
        .expect("A")
        .shares();
    assert_eq!(shares, vec![Some(0.0), Some(33.3), Some(33.3), Some(33.3)]);

    // The downloads carry the same numbers.
    let tables = dashboard_tables(&d);
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Timeliness",
            "Conversion",
            "Information requests",
            "Decisions by level",
            "Drift",
            "Workloads"
        ]
    );
    assert_eq!(
        tables[0].rows[0],
        vec![
            Cell::text("Decisions within one working day"),
            Cell::count(3),
            Cell::count(5),
            Cell::Number(60.0)
        ]
    );
    let csv = table_csv(&tables[1]).expect("csv");
    assert!(
        csv.starts_with("Stage,Number\r\nContacts,6\r\nReferrals,5\r\n"),
        "{csv}"
    );
}

async fn team_a(w: &World) {
    let d = w
        .app
        .dashboard(&w.senior, period(), Some(w.team_a))
        .await
        .expect("dashboard");
    assert_eq!(d.team_name.as_deref(), Some("MASH A"));
    // Decisions: C1, C2 counted; C1 met: 1 of 2.
    assert_eq!(d.decisions_within_one_working_day.rate, rate(1, 2));
    let c = d.conversion;
    assert_eq!(
        (
            c.contacts,
            c.referrals,
            c.assessments,
            c.section_47_enquiries,
            c.initial_conferences,
            c.protection_plans
        ),
        (3, 3, 2, 2, 2, 1)
    );
    // Re-referrals: R2 of R1, R2, R6.
    assert_eq!(d.re_referrals.rate, rate(1, 3));
    assert_eq!(d.re_referrals.percent, Some(33.3));
    assert_eq!(d.assessments_within_45_working_days.rate, rate(1, 2));
    assert_eq!(
        d.initial_conferences_within_15_working_days.rate,
        rate(1, 2)
    );
    let police = agency(&d, "police");
    assert_eq!(
        (police.sent, police.within_due, police.median_hours),
        (2, rate(1, 2), Some(4.0))
    );
    let health = agency(&d, "health");
    assert_eq!(
        (
            health.sent,
            health.answered,
            health.within_due,
            health.median_hours
        ),
        (3, 1, rate(1, 2), Some(10.0))
    );
    assert_eq!(d.consistency.total.decisions, vec![0, 1, 1, 1]);
    assert_eq!(d.consistency.teams.len(), 1);

    // Team B has no drift and one worker's workload.
    let b = w
        .app
        .dashboard(&w.senior, period(), Some(w.team_b))
        .await
        .expect("dashboard");
    assert_eq!(b.decisions_within_one_working_day.rate, rate(2, 3));
    assert_eq!(b.drift.total.drifting, 0);
    assert_eq!(b.conversion.section_47_enquiries, 0);
}

async fn children_behind(w: &World) {
    let app = &w.app;
    let names = |children: &[frontdoor_app::dashboard::ChildBehindFigure]| {
        children.iter().map(|c| c.name.clone()).collect::<Vec<_>>()
    };
    // Decisions late: C2 (P2, 2 working days late) and C4 (its child not yet linked, 1 working
    // day late by today, 1 July).
    let late = app
        .children_behind(&w.qa, Figure::DecisionsLate, period(), None)
        .await
        .expect("children");
    assert_eq!(names(&late), vec!["Child P2", "Sam Unlinked"]);
    assert_eq!(late[0].person, Some(w.people[1]));
    assert_eq!(late[0].reference.as_deref(), Some("C2"));
    assert_eq!(
        (late[0].on, late[0].due, late[0].done),
        (d(2026, 4, 20), Some(d(2026, 4, 21)), Some(d(2026, 4, 23)))
    );
    assert_eq!(late[0].working_days_late, Some(2));
    assert_eq!(late[1].person, None);
    assert_eq!(
        (late[1].due, late[1].done, late[1].working_days_late),
        (Some(d(2026, 6, 30)), None, Some(1))
    );
    // Every child behind a count is listed, one row a child of a record.
    let expect = [
        (Figure::Contacts, 7), // C1, C2, C3 (two children), C4, C5, C7
        (Figure::Referrals, 5),
        (Figure::ReReferrals, 2),
        (Figure::AssessmentsStarted, 3),
        (Figure::AssessmentsLate, 1),
        (Figure::Section47Enquiries, 2),
        (Figure::InitialConferences, 3),
        (Figure::InitialConferencesLate, 1),
        (Figure::ProtectionPlans, 2),
        (Figure::InformationRequestsLate, 2),
        (Figure::Drift, 2),
    ];
    for (figure, count) in expect {
        let children = app
            .children_behind(&w.senior, figure, period(), None)
            .await
            .expect("children");
        assert_eq!(children.len(), count, "{figure:?}: {children:?}");
    }
    let assessments = app
        .children_behind(&w.senior, Figure::AssessmentsLate, period(), None)
        .await
        .expect("children");
    assert_eq!(names(&assessments), vec!["Child P2"]);
    assert_eq!(
        (assessments[0].on, assessments[0].working_days_late),
        (d(2026, 6, 29), Some(1))
    );
    let conferences = app
        .children_behind(&w.senior, Figure::InitialConferencesLate, period(), None)
        .await
        .expect("children");
    assert_eq!(
        (conferences[0].on, conferences[0].working_days_late),
        (d(2026, 6, 2), Some(4))
    );
    let requests = app
        .children_behind(&w.senior, Figure::InformationRequestsLate, period(), None)
        .await
        .expect("children");
    assert_eq!(names(&requests), vec!["Child P2", "Child P1"]);
    assert_eq!(requests[0].done, Some(d(2026, 4, 20)));
    assert_eq!(requests[1].done, None);
    let re = app
        .children_behind(&w.senior, Figure::ReReferrals, period(), Some(w.team_b))
        .await
        .expect("children");
    assert_eq!(names(&re), vec!["Child P4"]);
    let drift = app
        .children_behind(&w.senior, Figure::Drift, period(), None)
        .await
        .expect("children");
    let mut drifting: Vec<_> = drift.iter().filter_map(|c| c.person).collect();
    drifting.sort();
    let mut expected = vec![w.people[0], w.people[1]];
    expected.sort();
    assert_eq!(drifting, expected);

    // Each child listed was logged as read by whoever listed them.
    let accesses = app
        .store
        .accesses_of(w.senior.authority, w.people[1], 100)
        .await
        .expect("accesses");
    assert!(
        accesses.iter().any(|a| a.actor == w.qa.worker
            && a.purpose == "dashboard: decisions not made within one working day"),
        "{accesses:?}"
    );
    // P6's contact came on 31 March, before the period, but their referral is dated 1 April:
    // the referrals list read them, the contacts list did not.
    let p6: Vec<String> = app
        .store
        .accesses_of(w.senior.authority, w.people[5], 100)
        .await
        .expect("accesses")
        .into_iter()
        .map(|a| a.purpose)
        .collect();
    assert_eq!(p6, vec!["dashboard: referrals".to_string()]);
    // The download of a list has a row a child.
    let table = children_table(Figure::DecisionsLate, &late);
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.headings[4], "Received");
    assert_eq!(table.rows[0][4], Cell::Date(d(2026, 4, 20)));
}

async fn who_may_see_it(w: &World) {
    for actor in [&w.senior, &w.qa, &w.manager_a] {
        w.app
            .dashboard(actor, period(), None)
            .await
            .unwrap_or_else(|e| panic!("{:?}: {e}", actor.role));
        w.app
            .children_behind(actor, Figure::DecisionsLate, period(), None)
            .await
            .unwrap_or_else(|e| panic!("{:?}: {e}", actor.role));
    }
    // A team manager's drift is their own team's, as in the drift report.
    let d = w
        .app
        .dashboard(&w.manager_a, period(), None)
        .await
        .expect("dashboard");
    assert_eq!(d.drift.team, Some(w.team_a));
    for actor in [&w.social_worker, &w.officer, &w.partner] {
        assert!(
            matches!(
                w.app.dashboard(actor, period(), None).await,
                Err(AppError::Denied(_))
            ),
            "{:?} sees the dashboard",
            actor.role
        );
        assert!(
            matches!(
                w.app
                    .children_behind(actor, Figure::Contacts, period(), None)
                    .await,
                Err(AppError::Denied(_))
            ),
            "{:?} sees the children behind a figure",
            actor.role
        );
    }
    // A team of another authority (or none at all) is not found.
    assert!(matches!(
        w.app
            .dashboard(&w.senior, period(), Some(TeamId::new()))
            .await,
        Err(AppError::NotFound(_))
    ));
}

#[test]
fn a_period_defaults_to_the_last_three_months_and_is_checked() {
    let today = d(2026, 7, 1);
    let p = period_of("", "", today).expect("default");
    assert_eq!((p.from(), p.to()), (d(2026, 4, 2), d(2026, 7, 1)));
    let p = period_of("2026-04-01", "2026-06-30", today).expect("typed");
    assert_eq!(p, period());
    assert!(matches!(
        period_of("2026-06-31", "", today),
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        period_of("2026-07-01", "2026-06-30", today),
        Err(AppError::Invalid(_))
    ));
}

#[tokio::test]
async fn every_figure_matches_the_hand_counted_fixture() {
    support::on_every_backend(world, |w| async move {
        whole_authority(&w).await;
        team_a(&w).await;
        children_behind(&w).await;
        who_may_see_it(&w).await;
    })
    .await;
}
