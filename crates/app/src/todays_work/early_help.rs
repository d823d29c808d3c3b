//! The demo's early help: four families whose early help decisions were authorised, in the
//! states a coordinator meets — one waiting for a coordinator (authorised this morning), one
//! whose assessment is overdue, one whose mother withdrew consent to share, and one led by a
//! partner's health visitor through the partner portal — so the early help coordinator signing
//! in sees real lists, and the health visitor sees the episode she leads.

use super::script::Today;
use crate::local_time::from_london;
use crate::{
    AllocationInput, App, AppError, AssessmentStartInput, ConsentInput, ContactInput,
    FamilyActionInput, FamilyContactInput, LeadProfessionalInput, LinkTarget, RecommendationInput,
    ReviewInput, SubjectInput,
};
use chrono::{NaiveDate, NaiveTime};
use frontdoor_domain::authorization::Actor;
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::EarlyHelpEpisodeId;
use frontdoor_store::contacts::Referrer;

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Who does the demo's early help.
pub(super) struct EarlyHelpStaff<'a> {
    pub officer: &'a Actor,
    pub social_worker: &'a Actor,
    pub manager: &'a Actor,
    pub coordinator: &'a Actor,
    /// A partner practitioner (a health visitor, where the authority has one).
    pub partner: Option<(&'a Actor, &'static str)>,
}

struct Family {
    given: &'static str,
    family: &'static str,
    born: &'static str,
    summary: &'static str,
    rationale: &'static str,
    /// Working days before today the contact came and was decided.
    days_before: u32,
}

const FAMILIES: [Family; 4] = [
    Family {
        given: "Ava",
        family: "Kendal",
        born: "2019-06-14",
        summary: "Ava (6) often arrives at school late, hungry and in unwashed clothes; her mother says she is struggling since her partner left.",
        rationale: "Needs met by early help: support for mother with routines and budgeting; no indication of significant harm.",
        days_before: 1,
    },
    Family {
        given: "Leo",
        family: "Marsh",
        born: "2017-01-09",
        summary: "Leo (9) has had 14 absences this term; his father has been signed off work with depression.",
        rationale: "Attendance and a parent's mental health: a team around the family, with school and health.",
        days_before: 45,
    },
    Family {
        given: "Poppy",
        family: "Rowe",
        born: "2015-11-30",
        summary: "Poppy (10) told her teacher there are arguments at home every night and she cannot sleep.",
        rationale: "Parental conflict without violence disclosed: early help, with consent to share with school.",
        days_before: 15,
    },
    Family {
        given: "Noel",
        family: "Fenwick",
        born: "2025-08-02",
        summary: "Baby Noel's mother is isolated and anxious after a difficult birth; the health visitor is worried about feeding.",
        rationale: "Early help led by the health visitor: support for mother's wellbeing and the baby's feeding.",
        days_before: 10,
    },
];

/// A family's early help decision, made and authorised through the use cases on the day it
/// came; the child's early help episode.
async fn decided(
    app: &App,
    clock: &FixedClock,
    today: &Today<'_>,
    staff: &EarlyHelpStaff<'_>,
    f: &Family,
) -> Result<EarlyHelpEpisodeId, AppError> {
    let on = today.before(f.days_before);
    let at = |hour: u32, minute: u32| {
        from_london(on.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()))
    };
    clock.set(at(9, 30));
    let contact = app
        .record_contact(
            staff.officer,
            &ContactInput {
                channel: "phone".into(),
                source: "2A".into(),
                referrer: Referrer {
                    name: "Mrs Dawn Hall".into(),
                    organisation: "Riverside Primary School".into(),
                    role: "Designated safeguarding lead".into(),
                    ..Default::default()
                },
                concern_categories: vec!["neglect".into()],
                concern_summary: f.summary.into(),
                urgency: "standard".into(),
                family_consent: "given".into(),
                children: vec![SubjectInput {
                    given_name: f.given.into(),
                    family_name: f.family.into(),
                    date_of_birth: f.born.into(),
                    sex: "unknown".into(),
                    postcode: "NE61 4QT".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .await?;
    clock.set(at(9, 45));
    for subject in app.view_contact(staff.officer, contact.id).await?.subjects {
        app.link_contact_subject(
            staff.officer,
            contact.id,
            subject.subject.id,
            LinkTarget::NewRecord,
        )
        .await?;
    }
    clock.set(at(10, 30));
    app.recommend_decision(
        staff.social_worker,
        contact.id,
        &RecommendationInput {
            outcome: "early_help".into(),
            level_of_need: "2".into(),
            signposted_to: String::new(),
            rationale: f.rationale.into(),
        },
    )
    .await?;
    clock.set(at(11, 15));
    app.review_decision(
        staff.manager,
        contact.id,
        &ReviewInput {
            authorise: Some(true),
            rationale:
                "Agreed: early help is the right response; the coordinator to contact the family."
                    .into(),
            ..Default::default()
        },
    )
    .await?;
    let child = app
        .view_contact(staff.officer, contact.id)
        .await?
        .subjects
        .first()
        .and_then(|s| s.subject.person)
        .ok_or(AppError::NotFound("The child on the contact"))?;
    app.early_help_of_child(staff.coordinator, child)
        .await?
        .first()
        .map(|e| e.id)
        .ok_or(AppError::NotFound("The child's early help episode"))
}

/// Allocates, contacts the family and records the mother's consent, the working day after the
/// decision.
async fn taken_up(
    app: &App,
    clock: &FixedClock,
    on: NaiveDate,
    staff: &EarlyHelpStaff<'_>,
    id: EarlyHelpEpisodeId,
    agencies: &[&str],
    parts: &[&str],
) -> Result<(), AppError> {
    let coordinator = staff.coordinator;
    clock.set(from_london(
        on.and_time(NaiveTime::from_hms_opt(9, 10, 0).unwrap_or_default()),
    ));
    app.allocate_early_help(coordinator, id, &AllocationInput::default())
        .await?;
    clock.set(from_london(
        on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default()),
    ));
    app.record_family_contact(
        coordinator,
        id,
        &FamilyContactInput {
            contacted_on: day(on),
            method: "phone".into(),
            outcome: "Spoke to mother about early help; she would like support and agreed to share information with the agencies named.".into(),
        },
    )
    .await?;
    app.record_consent(
        coordinator,
        id,
        &ConsentInput {
            decision: "given".into(),
            given_by: "The child's mother".into(),
            relationship: "Mother".into(),
            decided_on: day(on),
            parts: parts.iter().map(|p| p.to_string()).collect(),
            agencies: agencies.iter().map(|a| a.to_string()).collect(),
            notes: String::new(),
        },
    )
    .await?;
    Ok(())
}

/// Stages the four families; returns how many early help episodes were staged.
pub(super) async fn early_help_families(
    app: &App,
    clock: &FixedClock,
    today: &Today<'_>,
    staff: &EarlyHelpStaff<'_>,
) -> Result<usize, AppError> {
    let all = ["identity", "assessment", "family_history"];
    let coordinator = staff.coordinator;
    let mut staged = 0;
    for (i, family) in FAMILIES.iter().enumerate() {
        if i == 3 && staff.partner.is_none() {
            continue;
        }
        let id = decided(app, clock, today, staff, family).await?;
        staged += 1;
        let next_day = today.before(family.days_before.saturating_sub(1));
        let at = |date: NaiveDate, hour: u32| {
            from_london(date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
        };
        match i {
            // Waiting for a coordinator.
            0 => {}
            // The coordinator leads; the assessment started 35 working days ago: overdue.
            1 => {
                taken_up(
                    app,
                    clock,
                    next_day,
                    staff,
                    id,
                    &["health", "education"],
                    &all,
                )
                .await?;
                let started = today.before(35);
                clock.set(at(started, 14));
                app.appoint_lead_professional(
                    coordinator,
                    id,
                    &LeadProfessionalInput {
                        lead: coordinator.worker.to_string(),
                    },
                )
                .await?;
                app.start_early_help_assessment(
                    coordinator,
                    id,
                    &AssessmentStartInput {
                        started_on: day(started),
                    },
                )
                .await?;
                app.add_family_action(
                    coordinator,
                    id,
                    &FamilyActionInput {
                        description: "Attendance plan agreed with school".into(),
                        owner: "Riverside Primary School".into(),
                        due_on: day(today.before(20)),
                    },
                )
                .await?;
            }
            // Consent given to school, then withdrawn by the mother.
            2 => {
                taken_up(
                    app,
                    clock,
                    next_day,
                    staff,
                    id,
                    &["education"],
                    &["identity", "assessment"],
                )
                .await?;
                let withdrawn = today.before(4);
                clock.set(at(withdrawn, 15));
                app.record_consent(
                    coordinator,
                    id,
                    &ConsentInput {
                        decision: "withdrawn".into(),
                        given_by: "The child's mother".into(),
                        relationship: "Mother".into(),
                        decided_on: day(withdrawn),
                        notes: "Mother no longer wants the school told about home: she will talk to the coordinator only.".into(),
                        ..Default::default()
                    },
                )
                .await?;
            }
            // Led by the partner's health visitor, who started the assessment in the portal.
            _ => {
                let Some((partner, agency)) = staff.partner else {
                    continue;
                };
                taken_up(
                    app,
                    clock,
                    next_day,
                    staff,
                    id,
                    &[agency],
                    &["identity", "assessment"],
                )
                .await?;
                let appointed = today.before(8);
                clock.set(at(appointed, 10));
                app.appoint_lead_professional(
                    coordinator,
                    id,
                    &LeadProfessionalInput {
                        lead: partner.worker.to_string(),
                    },
                )
                .await?;
                clock.set(at(today.before(6), 13));
                app.start_early_help_assessment(partner, id, &AssessmentStartInput::default())
                    .await?;
                app.add_family_action(
                    coordinator,
                    id,
                    &FamilyActionInput {
                        description: "Infant feeding clinic appointment".into(),
                        owner: "Health visitor".into(),
                        due_on: day(today.date + chrono::Duration::days(7)),
                    },
                )
                .await?;
            }
        }
    }
    Ok(staged)
}
