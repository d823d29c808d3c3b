//! MASH triage meetings: the agencies meet, rate each contact waiting for a decision red, amber
//! or green, and agree its next step. Each contact's discussion goes on its children's
//! chronologies; the meeting's record is kept whole for the MASH.

use crate::contacts::parse_date;
use crate::error::Checks;
use crate::local_time::{from_london, london_date};
use crate::{App, AppError};
use chrono::{NaiveTime, Utc};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::ids::{ContactId, PersonId, TriageMeetingId};
use frontdoor_domain::triage::{check_meeting, Attendee, Discussed, RagRating, TriageProblem};
use frontdoor_store::contacts as contact_store;
use frontdoor_store::events::NewEvent;
use frontdoor_store::triage::{self as triage_store, TriageDiscussion, TriageMeeting};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use frontdoor_store::triage::{ContactTriage, TriageMeetingSummary};

/// Attendees a meeting form offers rows for; blank rows are ignored.
pub const ATTENDEE_ROWS: usize = 8;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendeeInput {
    pub name: String,
    pub agency: String,
    pub role: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscussedInput {
    pub contact_id: String,
    /// `red`, `amber` or `green`. A row with neither a rating nor a next step was not
    /// discussed and is ignored (a form lists every open contact).
    pub rating: String,
    pub next_step: String,
}

/// A triage meeting as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TriageMeetingInput {
    /// London date (YYYY-MM-DD or DD/MM/YYYY).
    pub held_date: String,
    /// London time (HH:MM).
    pub held_time: String,
    pub notes: String,
    pub attendees: Vec<AttendeeInput>,
    pub discussed: Vec<DiscussedInput>,
}

struct ValidMeeting {
    held_at: chrono::DateTime<Utc>,
    notes: String,
    attendees: Vec<Attendee>,
    discussed: Vec<Discussed<ContactId>>,
}

fn check_input(
    input: &TriageMeetingInput,
    now: chrono::DateTime<Utc>,
) -> Result<ValidMeeting, AppError> {
    let mut checks = Checks::default();
    let date = match parse_date(&input.held_date) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            checks.add("held_date", "Enter the date of the meeting.");
            None
        }
        Err(message) => {
            checks.add("held_date", message);
            None
        }
    };
    let time = match NaiveTime::parse_from_str(input.held_time.trim(), "%H:%M") {
        Ok(time) => Some(time),
        Err(_) if input.held_time.trim().is_empty() => {
            checks.add(
                "held_time",
                "Enter the time the meeting started, for example 09:30.",
            );
            None
        }
        Err(_) => {
            checks.add(
                "held_time",
                "Enter a time as hours and minutes, for example 09:30.",
            );
            None
        }
    };
    let held_at = match (date, time) {
        (Some(date), Some(time)) => {
            let at = from_london(date.and_time(time));
            if at > now + chrono::Duration::minutes(5) {
                checks.add("held_date", "A meeting is recorded once it has happened: the date and time cannot be in the future.");
            }
            if london_date(now) - date > chrono::Duration::days(366) {
                checks.add(
                    "held_date",
                    "The date is more than a year ago: check the year.",
                );
            }
            Some(at)
        }
        _ => None,
    };
    let notes = checks.text("notes", &input.notes, 4000);

    let mut attendees = Vec::new();
    for (i, row) in input.attendees.iter().enumerate() {
        let prefix = format!("attendees[{i}]");
        let name = checks.text(&format!("{prefix}.name"), &row.name, 200);
        let role = checks.text(&format!("{prefix}.role"), &row.role, 200);
        if name.is_empty() && row.agency.trim().is_empty() && role.is_empty() {
            continue; // an unused row of the form
        }
        if name.is_empty() {
            checks.add(format!("{prefix}.name"), "Enter the attendee's name.");
        }
        match Agency::from_code(&row.agency) {
            Some(agency) if !name.is_empty() => attendees.push(Attendee { name, agency, role }),
            Some(_) => {}
            None => checks.add(format!("{prefix}.agency"), "Choose the attendee's agency."),
        }
    }

    let mut discussed: Vec<Discussed<ContactId>> = Vec::new();
    let mut seen: Vec<ContactId> = Vec::new();
    for (i, row) in input.discussed.iter().enumerate() {
        let prefix = format!("discussed[{i}]");
        if row.rating.trim().is_empty() && row.next_step.trim().is_empty() {
            continue; // a contact listed on the form but not discussed
        }
        let Ok(contact) = row.contact_id.trim().parse::<uuid::Uuid>().map(ContactId) else {
            checks.add(
                format!("{prefix}.contact_id"),
                "Choose a contact from the list.",
            );
            continue;
        };
        let first_time = !seen.contains(&contact);
        seen.push(contact);
        if !first_time {
            checks.add(
                format!("{prefix}.contact_id"),
                "This contact is listed twice: discuss each contact once.",
            );
            continue;
        }
        let next_step = checks.text(&format!("{prefix}.next_step"), &row.next_step, 1000);
        if next_step.chars().count() < 5 {
            checks.add(
                format!("{prefix}.next_step"),
                "Say what the meeting agreed should happen next, and by when.",
            );
        }
        match RagRating::from_code(&row.rating) {
            Some(rating) => discussed.push(Discussed {
                contact,
                rating,
                next_step,
            }),
            None => checks.add(format!("{prefix}.rating"), "Choose red, amber or green."),
        }
    }
    let field_errors_so_far = !checks.0.is_empty();
    for problem in check_meeting(&attendees, &discussed) {
        // A missing row already named above is not reported twice.
        let field = match problem {
            TriageProblem::NothingDiscussed
                if field_errors_so_far && !input.discussed.is_empty() =>
            {
                continue
            }
            TriageProblem::NothingDiscussed => "discussed",
            TriageProblem::TooFewAttendees | TriageProblem::SingleAgency => "attendees",
        };
        checks.add(field, problem.to_string());
    }
    checks.finish()?;
    Ok(ValidMeeting {
        held_at: held_at.unwrap_or(now),
        notes,
        attendees,
        discussed,
    })
}

impl App {
    /// Records a MASH triage meeting. Every contact discussed must still be waiting for its
    /// decision when the meeting is stored (checked with each contact held for the
    /// transaction), and each discussion goes on the chronology of that contact's children.
    pub async fn record_triage_meeting(
        &self,
        actor: &Actor,
        input: &TriageMeetingInput,
    ) -> Result<TriageMeeting, AppError> {
        actor.may(Action::RecordTriageMeeting)?;
        let now = self.now();
        let valid = check_input(input, now)?;
        let mut tx = self.store.begin().await?;
        // Hold the contacts in id order, so two meetings discussing the same contacts cannot
        // deadlock each other on PostgreSQL.
        let mut order: Vec<ContactId> = valid.discussed.iter().map(|d| d.contact).collect();
        order.sort_by_key(|c| c.0);
        let mut held = Vec::with_capacity(order.len());
        for contact_id in order {
            let contact =
                match contact_store::contact_for_update(&mut tx, actor.authority, contact_id).await
                {
                    Ok(contact) => contact,
                    Err(frontdoor_store::StoreError::NotFound(_)) => {
                        return Err(AppError::NotFound("A contact discussed at the meeting"))
                    }
                    Err(e) => return Err(AppError::from(e).normalise()),
                };
            if contact.status == ContactStatus::Decided {
                drop(tx);
                return Err(self.contact_conflict(&contact).await);
            }
            let people: Vec<PersonId> =
                contact_store::subjects_for_update(&mut tx, actor.authority, contact_id)
                    .await?
                    .iter()
                    .filter_map(|s| s.person)
                    .collect();
            held.push((contact, people));
        }
        let meeting = TriageMeeting {
            id: TriageMeetingId::new(),
            held_at: valid.held_at,
            team: actor.team,
            notes: valid.notes,
            recorded_by: actor.worker,
            recorded_by_name: String::new(),
            recorded_at: now,
            attendees: valid.attendees,
            discussed: valid
                .discussed
                .iter()
                .map(|d| TriageDiscussion {
                    contact: d.contact,
                    contact_reference: held
                        .iter()
                        .find(|(c, _)| c.id == d.contact)
                        .map(|(c, _)| c.reference.clone())
                        .unwrap_or_default(),
                    rating: d.rating,
                    next_step: d.next_step.clone(),
                })
                .collect(),
        };
        triage_store::insert_meeting(&mut tx, actor.authority, &meeting).await?;
        let agencies: Vec<&str> = {
            let mut agencies: Vec<&str> =
                meeting.attendees.iter().map(|a| a.agency.code()).collect();
            agencies.sort_unstable();
            agencies.dedup();
            agencies
        };
        NewEvent::by(actor, now, "triage_meeting_recorded", meeting.id.0).with(json!({
                    "held_at": meeting.held_at,
                    "agencies": agencies,
                    "attendees": meeting.attendees.len(),
                    "contacts": meeting.discussed.iter().map(|d| &d.contact_reference).collect::<Vec<_>>(),
                })).append(&mut tx)
        .await?;
        // One entry per contact, so a child's chronology shows only their own contact's rating.
        for discussion in &meeting.discussed {
            let people = held
                .iter()
                .find(|(c, _)| c.id == discussion.contact)
                .map(|(_, people)| people.clone())
                .unwrap_or_default();
            NewEvent::by(actor, now, "triage_discussed", discussion.contact.0)
                .about_all(people)
                .with(json!({
                    "meeting": meeting.id,
                    "held_at": meeting.held_at,
                    "contact": discussion.contact_reference,
                    "rating": discussion.rating.code(),
                    "next_step": discussion.next_step,
                    "agencies": agencies,
                }))
                .append(&mut tx)
                .await?;
        }
        tx.commit().await?;
        self.triage_meeting(actor, meeting.id).await
    }

    /// The authority's triage meetings, most recent first.
    pub async fn triage_meetings(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<TriageMeetingSummary>, AppError> {
        actor.may(Action::ViewContactQueue)?;
        Ok(self
            .store
            .triage_meetings(actor.authority, limit.clamp(1, 500))
            .await?)
    }

    /// One triage meeting: who attended, the contacts discussed, ratings and next steps.
    pub async fn triage_meeting(
        &self,
        actor: &Actor,
        id: TriageMeetingId,
    ) -> Result<TriageMeeting, AppError> {
        actor.may(Action::ViewContactQueue)?;
        self.store
            .triage_meeting(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// What triage meetings said about a contact, earliest first.
    pub async fn triage_of_contact(
        &self,
        actor: &Actor,
        contact: ContactId,
    ) -> Result<Vec<ContactTriage>, AppError> {
        actor.may(Action::ViewContact)?;
        Ok(self
            .store
            .triage_of_contact(actor.authority, contact)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0)
            .single()
            .expect("instant")
    }

    fn input() -> TriageMeetingInput {
        TriageMeetingInput {
            held_date: "2026-03-04".into(),
            held_time: "09:30".into(),
            notes: String::new(),
            attendees: vec![
                AttendeeInput {
                    name: "Sam Lee".into(),
                    agency: "childrens_social_care".into(),
                    role: "MASH manager".into(),
                },
                AttendeeInput {
                    name: "DS Jo Khan".into(),
                    agency: "police".into(),
                    role: String::new(),
                },
                AttendeeInput::default(),
            ],
            discussed: vec![DiscussedInput {
                contact_id: uuid::Uuid::now_v7().to_string(),
                rating: "amber".into(),
                next_step: "School to share attendance by noon".into(),
            }],
        }
    }

    #[test]
    fn a_complete_meeting_passes_and_blank_rows_are_ignored() {
        let valid = check_input(&input(), now()).expect("valid");
        assert_eq!(valid.attendees.len(), 2);
        assert_eq!(valid.discussed.len(), 1);
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut bad = input();
        bad.held_time = "9.30am".into();
        bad.attendees[1].agency = "army".into();
        bad.discussed[0].rating = "purple".into();
        bad.discussed.push(bad.discussed[0].clone());
        let Err(AppError::Invalid(errors)) = check_input(&bad, now()) else {
            panic!("refused")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"held_time"), "{fields:?}");
        assert!(fields.contains(&"attendees[1].agency"), "{fields:?}");
        assert!(fields.contains(&"discussed[0].rating"), "{fields:?}");
        assert!(fields.contains(&"discussed[1].contact_id"), "{fields:?}");
    }

    #[test]
    fn a_meeting_in_the_future_is_refused() {
        let mut future = input();
        future.held_date = "2026-03-05".into();
        let Err(AppError::Invalid(errors)) = check_input(&future, now()) else {
            panic!("refused")
        };
        assert_eq!(errors[0].field, "held_date");
    }
}
