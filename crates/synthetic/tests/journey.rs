//! The whole statutory journey the synthetic authority generates: section 47 enquiries,
//! initial conferences and child protection plans at England's rates per referral, plans by
//! category at England's proportions, conferences mostly within 15 working days, and every
//! child's history in order — no plan ending before it starts, reviews inside the plan, visits
//! while it runs, no child in need plan beside a child protection plan, the episode closing
//! after everything in it — and every completed assessment with its census factors. Run with
//! `--nocapture` to see the measurements.

use chrono::{NaiveDate, TimeZone, Utc};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::child_protection::{icpc_due, next_review_due, CategoryOfAbuse};
use frontdoor_domain::decision::ThresholdOutcome;
use frontdoor_domain::episode::ClosureReason;
use frontdoor_synthetic::{AuthorityConfig, SyntheticAuthority, SyntheticContact};
use std::collections::HashMap;

fn authority(seed: u64, contacts_per_year: u32, years: u32) -> Vec<SyntheticContact> {
    let as_of = Utc
        .with_ymd_and_hms(2026, 3, 2, 12, 0, 0)
        .single()
        .expect("valid instant");
    SyntheticAuthority::new(AuthorityConfig::new(seed, contacts_per_year, years, as_of)).collect()
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

/// England, year to 31 March 2025 (DOMAIN.md): per 632,830 referrals.
const REFERRALS: f64 = 632_830.0;
const ENQUIRIES: f64 = 230_590.0;
const CONFERENCES: f64 = 72_100.0;
const PLANS: f64 = 61_840.0;

#[test]
fn enquiries_conferences_and_plans_come_at_englands_rates() {
    let contacts = authority(7, 20_000, 2);
    let referrals: Vec<_> = contacts.iter().flat_map(|c| c.referrals.iter()).collect();
    // Only referrals whose course has had time to run: made at least a year before the end.
    let settled: Vec<_> = referrals
        .iter()
        .filter(|r| r.date < NaiveDate::from_ymd_opt(2025, 3, 1).expect("a date"))
        .collect();
    let enquiries: Vec<_> = settled
        .iter()
        .filter_map(|r| r.section_47.as_ref())
        .collect();
    let conferences = enquiries
        .iter()
        .filter(|e| e.icpc_held_on.is_some())
        .count();
    let plans: Vec<_> = enquiries.iter().filter_map(|e| e.plan.as_ref()).collect();
    let discussions = settled
        .iter()
        .filter(|r| r.strategy_discussion.is_some())
        .count();
    let during = settled
        .iter()
        .filter(|r| {
            r.strategy_discussion
                .as_ref()
                .is_some_and(|d| d.during_assessment)
        })
        .count();
    let cin_plans = settled.iter().filter(|r| r.cin_plan.is_some()).count();
    let assessments: usize = contacts.iter().map(|c| c.assessments.len()).sum();
    println!(
        "referrals {} (settled {}), assessments {assessments} ({:.1}% of referrals; England {:.1}%)",
        referrals.len(),
        settled.len(),
        100.0 * share(assessments, referrals.len()),
        100.0 * 648_830.0 / REFERRALS
    );
    println!(
        "strategy discussions {discussions} ({during} during an assessment), section 47 {} ({:.1}% of referrals; England {:.1}%), ICPC {conferences} ({:.1}% of enquiries; England {:.1}%), plans {} ({:.1}% of ICPCs; England {:.1}%), CIN plans {cin_plans} ({:.1}% of referrals)",
        enquiries.len(),
        100.0 * share(enquiries.len(), settled.len()),
        100.0 * ENQUIRIES / REFERRALS,
        100.0 * share(conferences, enquiries.len()),
        100.0 * CONFERENCES / ENQUIRIES,
        plans.len(),
        100.0 * share(plans.len(), conferences),
        100.0 * PLANS / CONFERENCES,
        100.0 * share(cin_plans, settled.len()),
    );
    let near =
        |measured: f64, england: f64, tolerance: f64| (measured - england).abs() <= tolerance;
    assert!(near(
        share(enquiries.len(), settled.len()),
        ENQUIRIES / REFERRALS,
        0.05
    ));
    assert!(near(
        share(conferences, enquiries.len()),
        CONFERENCES / ENQUIRIES,
        0.05
    ));
    assert!(near(
        share(plans.len(), conferences),
        PLANS / CONFERENCES,
        0.06
    ));
    assert!(near(
        share(plans.len(), settled.len()),
        PLANS / REFERRALS,
        0.025
    ));

    // Categories at about England's proportions: neglect half, emotional abuse over a third.
    let mut by_category: HashMap<CategoryOfAbuse, usize> = HashMap::new();
    for plan in &plans {
        *by_category.entry(plan.category).or_default() += 1;
    }
    println!("plans by category: {by_category:?}");
    let of = |c| share(by_category.get(&c).copied().unwrap_or(0), plans.len());
    assert!((0.42..=0.58).contains(&of(CategoryOfAbuse::Neglect)));
    assert!((0.30..=0.45).contains(&of(CategoryOfAbuse::EmotionalAbuse)));
    assert!(of(CategoryOfAbuse::PhysicalAbuse) > 0.02 && of(CategoryOfAbuse::PhysicalAbuse) < 0.12);
    assert!(of(CategoryOfAbuse::SexualAbuse) > 0.01 && of(CategoryOfAbuse::SexualAbuse) < 0.08);
    assert!(by_category.contains_key(&CategoryOfAbuse::Multiple));

    // Initial conferences: mostly within 15 working days of the strategy discussion.
    let calendar = WorkingDayCalendar::new();
    let held: Vec<_> = enquiries
        .iter()
        .filter_map(|e| e.icpc_held_on.map(|on| (e.started_on, on)))
        .collect();
    let in_time = held
        .iter()
        .filter(|(start, on)| *on <= icpc_due(&calendar, *start))
        .count();
    println!(
        "ICPCs within 15 working days: {:.1}%",
        100.0 * share(in_time, held.len())
    );
    assert!((0.70..=0.90).contains(&share(in_time, held.len())));

    // Plans last months, most ending within a year or so; reviews mostly on time.
    let ended: Vec<i64> = plans
        .iter()
        .filter_map(|p| p.ended_on.map(|end| (end - p.started_on).num_days()))
        .collect();
    let mut sorted = ended.clone();
    sorted.sort();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
    println!("plans ended {}, median length {median} days", ended.len());
    assert!((90..=365).contains(&median), "median plan {median} days");
}

#[test]
fn every_childs_history_is_in_order() {
    let contacts = authority(11, 6_000, 3);
    let as_of = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
    let calendar = WorkingDayCalendar::new();
    let mut checked_plans = 0;
    for contact in &contacts {
        for a in &contact.assessments {
            match a.completed_on {
                Some(done) => {
                    assert!(done >= a.started_on);
                    assert!(
                        !a.factors.is_empty(),
                        "a completed assessment has its factors"
                    );
                    let codes: Vec<&str> = a.factors.iter().map(|f| f.code()).collect();
                    assert!(!(codes.contains(&"21") && codes.len() > 1), "{codes:?}");
                }
                None => assert!(a.factors.is_empty(), "factors come with completion"),
            }
        }
        for r in &contact.referrals {
            let closed = r.closure.map(|c| c.on);
            let mut activity = vec![];
            if let Some(d) = &r.strategy_discussion {
                assert!(d.decided_on >= r.date && d.held_on > d.decided_on);
                assert!(d.decided_on < as_of);
                if d.during_assessment {
                    assert_eq!(
                        contact.decision.as_ref().map(|d| d.outcome),
                        Some(ThresholdOutcome::ReferralForAssessment)
                    );
                }
            }
            if let Some(e) = &r.section_47 {
                let d = r
                    .strategy_discussion
                    .as_ref()
                    .expect("an enquiry follows a discussion");
                assert!(d.section_47 && e.started_on == d.held_on);
                assert!(
                    contact.assessments.iter().any(|a| a.child == r.child),
                    "an enquiry goes with an assessment"
                );
                for day in [e.visited_on, e.completed_on, e.icpc_held_on]
                    .into_iter()
                    .flatten()
                {
                    assert!(day >= e.started_on && day < as_of);
                    activity.push(day);
                }
                if let (Some(done), Some(icpc)) = (e.completed_on, e.icpc_held_on) {
                    assert!(done < icpc, "the enquiry concludes before the conference");
                }
                assert!(e.icpc_held_on.is_none() || e.icpc_needed);
                if let Some(icpc) = e.icpc_held_on {
                    assert!(calendar.is_working_day(icpc));
                }
                if let Some(p) = &e.plan {
                    checked_plans += 1;
                    assert_eq!(
                        Some(p.started_on),
                        e.icpc_held_on,
                        "the ICPC starts the plan"
                    );
                    let end = p.ended_on.unwrap_or(as_of);
                    assert!(end > p.started_on, "no plan ends before (or as) it starts");
                    let mut last = None;
                    for review in &p.reviews {
                        assert!(
                            *review > p.started_on && *review <= end,
                            "reviews inside the plan"
                        );
                        assert!(last.is_none_or(|l| l < *review));
                        // Held by the due date, or at most ten working days late.
                        let due = next_review_due(&calendar, p.started_on, last);
                        assert!(*review <= calendar.add_working_days(due, 10));
                        last = Some(*review);
                    }
                    for v in &p.visits {
                        assert!(v.on >= p.started_on && v.on < end);
                    }
                    if let Some(ended) = p.ended_on {
                        assert!(p.ended_between_reviews || p.reviews.last() == Some(&ended));
                        activity.push(ended);
                    }
                    if let Some(cin) = &r.cin_plan {
                        let cp_end = p.ended_on.expect("a CIN plan after the CP plan has ended");
                        assert!(cin.started_on > cp_end, "no CIN plan beside a CP plan");
                    }
                }
            }
            if let Some(cin) = &r.cin_plan {
                if let Some(end) = cin.ended_on {
                    assert!(end > cin.started_on);
                    activity.push(end);
                }
                activity.push(cin.started_on);
            }
            for a in contact.assessments.iter().filter(|a| a.child == r.child) {
                activity.extend(a.completed_on);
            }
            if let Some(closed) = closed {
                assert!(closed >= r.date && closed < as_of);
                let last = activity.iter().max();
                assert!(
                    last.is_none_or(|d| *d <= closed),
                    "the episode closes after everything in it: {r:?}"
                );
                let protected = r.section_47.is_some();
                let reason = r.closure.map(|c| c.reason);
                assert!(
                    !(protected
                        && matches!(
                            reason,
                            Some(ClosureReason::ClosedAfterAssessmentNoFurtherAction)
                                | Some(ClosureReason::ClosedAfterAssessmentEarlyHelp)
                        )),
                    "an episode with an enquiry does not close as after an assessment"
                );
            }
        }
    }
    assert!(checked_plans > 50, "{checked_plans} plans checked");
}

#[test]
fn the_journey_is_the_same_for_the_same_seed() {
    let a = authority(5, 3_000, 2);
    let b = authority(5, 3_000, 2);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert!(a
        .iter()
        .flat_map(|c| c.referrals.iter())
        .any(|r| r.section_47.as_ref().is_some_and(|e| e.plan.is_some())));
}
