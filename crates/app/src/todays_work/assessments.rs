//! The demo's child and family assessments, on children the MASH social worker holds: one in
//! progress (the child seen, not yet alone), one awaiting the manager's authorisation, one
//! authorised without the child seen alone (and the reason why), and a second assessment of
//! that same child started today — a repeat, flagged.

use super::script::Today;
use crate::assessments::{AssessmentInput, AssessmentSubmissionInput, AssessmentVisitInput};
use crate::local_time::from_london;
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use frontdoor_domain::authorization::Actor;
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{AssessmentId, EpisodeId};
use std::collections::BTreeMap;

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn record(
    views: &str,
    history: &str,
    family: &str,
    sources: &str,
    factors: &[&str],
    outcome: &str,
) -> AssessmentInput {
    AssessmentInput {
        child_views: views.into(),
        history_considered: history.into(),
        family_considered: family.into(),
        verification_sources: sources.into(),
        factors: factors.iter().map(|f| f.to_string()).collect(),
        outcome: outcome.into(),
    }
}

/// Stages the assessments; returns how many were started.
pub(super) async fn assessments_of_the_social_worker(
    app: &App,
    clock: &FixedClock,
    today: &Today<'_>,
    now: DateTime<Utc>,
    social_worker: &Actor,
    manager: &Actor,
) -> Result<usize, AppError> {
    // Nothing is staged later than now.
    let set = |t: DateTime<Utc>| clock.set(t.min(now));
    let at = |date: NaiveDate, hour: u32| {
        from_london(date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
    };
    // Children the worker holds whose episode has no assessment yet (oldest referral last, so
    // the newest referrals are assessed).
    let mut free: Vec<(EpisodeId, NaiveDate)> = Vec::new();
    for child in app
        .store
        .caseload(social_worker.authority, social_worker.worker)
        .await?
    {
        if app
            .store
            .assessments_of_episode(social_worker.authority, child.episode)
            .await?
            .is_empty()
        {
            free.push((child.episode, child.referral_date));
        }
    }
    free.sort_by_key(|(_, referral)| std::cmp::Reverse(*referral));
    let mut started = 0;
    // A start on or after the referral date, and on or after `from`.
    let start = |from: NaiveDate, referral: NaiveDate| at(from.max(referral), 10);
    let mut episodes = free.into_iter();

    // In progress: seen once with mum in the room, the child's views begun.
    if let Some((episode, referral)) = episodes.next() {
        let from = today.before(12);
        set(start(from, referral));
        let a = app.start_assessment(social_worker, episode).await?;
        started += 1;
        let visit_on = today.before(6).max(a.started_on);
        set(at(visit_on, 15));
        app.record_assessment_visit(
            social_worker,
            a.id,
            &AssessmentVisitInput {
                visited_on: day(visit_on),
                child_seen: true,
                seen_alone: false,
                note: "Home visit after school; mum stayed in the room throughout.".into(),
            },
        )
        .await?;
        app.update_assessment(
            social_worker,
            a.id,
            &record(
                "Said he is 'fine' and that his favourite thing is football with his uncle. Direct work (three houses) planned for the next visit, at school.",
                "",
                "",
                "",
                &[],
                "",
            ),
        )
        .await?;
    }

    // Awaiting authorisation: every quality point shown.
    if let Some((episode, referral)) = episodes.next() {
        let from = today.before(20);
        set(start(from, referral));
        let a = app.start_assessment(social_worker, episode).await?;
        started += 1;
        complete_record(app, &set, today, social_worker, a.id, a.started_on, true).await?;
        set(at(today.before(0), 12));
        app.submit_assessment(social_worker, a.id, &AssessmentSubmissionInput::default())
            .await?;
    }

    // Authorised without the child seen alone, with the reason; then a repeat today.
    if let Some((episode, referral)) = episodes.next() {
        let from = today.before(40);
        set(start(from, referral));
        let a = app.start_assessment(social_worker, episode).await?;
        started += 1;
        complete_record(app, &set, today, social_worker, a.id, a.started_on, false).await?;
        let submit_on = today.before(5).max(a.started_on);
        set(at(submit_on, 16));
        let mut reasons = BTreeMap::new();
        reasons.insert(
            "child_seen_alone".to_string(),
            "She would not be parted from her mother on any visit; seen alone is planned through school under the child in need plan.".to_string(),
        );
        app.submit_assessment(social_worker, a.id, &AssessmentSubmissionInput { reasons })
            .await?;
        set(at(today.before(3).max(submit_on), 11));
        app.authorise_assessment(manager, a.id).await?;
        // New concerns this morning: a second assessment of the same child.
        set(at(today.before(0), 10));
        app.start_assessment(social_worker, episode).await?;
        started += 1;
    }
    Ok(started)
}

/// Visits and the record (seen alone on the second visit when `alone`), factors and outcome.
async fn complete_record(
    app: &App,
    set: &dyn Fn(DateTime<Utc>),
    today: &Today<'_>,
    social_worker: &Actor,
    id: AssessmentId,
    started_on: NaiveDate,
    alone: bool,
) -> Result<(), AppError> {
    let at = |date: NaiveDate, hour: u32| {
        from_london(date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
    };
    for (n, seen_alone) in [(10, false), (7, alone)] {
        let on = today.before(n).max(started_on);
        set(at(on, 14));
        app.record_assessment_visit(
            social_worker,
            id,
            &AssessmentVisitInput {
                visited_on: day(on),
                child_seen: true,
                seen_alone,
                note: if seen_alone {
                    "Seen alone at school; used the three houses with her.".into()
                } else {
                    "Home visit with both parents present.".into()
                },
            },
        )
        .await?;
    }
    set(at(today.before(6).max(started_on), 17));
    app.update_assessment(
        social_worker,
        id,
        &record(
            "Worries: shouting at night, dad leaving. Good things: nan's house, her teacher. Wishes: 'for mum and dad to stop arguing'.",
            "Third contact in two years (two domestic incidents notified by police); the earlier assessment closed with advice. The pattern is escalating.",
            "Father (lives apart) seen; paternal grandmother provides after-school care and is a protective adult; mother's partner not yet spoken to.",
            "School (attendance, presentation)\nHealth visitor\nPolice (previous call-outs)",
            &["3A", "4B"],
            "child_in_need_plan",
        ),
    )
    .await?;
    Ok(())
}
