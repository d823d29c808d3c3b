//! The demo's day as written in `day.toml`: scenes (a contact and how far it had got by now),
//! the information requests and this morning's triage meeting. Times are London times relative
//! to "today", resolved when the day is staged.

use crate::local_time::{from_london, london};
use crate::{AppError, ContactInput, SubjectInput};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_store::contacts::Referrer;
use serde::Deserialize;

const DAY: &str = include_str!("day.toml");

#[derive(Debug, Deserialize)]
pub(super) struct Day {
    pub(super) scene: Vec<Scene>,
    pub(super) request: Vec<Request>,
    pub(super) triage: Triage,
}

impl Day {
    pub(super) fn script() -> Result<Day, AppError> {
        toml::from_str(DAY).map_err(|e| {
            AppError::Conflict(format!("The demo's day (day.toml) cannot be read: {e}"))
        })
    }
}

/// A London time some working days (or calendar nights) before today.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct When {
    #[serde(default)]
    days_before: u32,
    /// On the calendar night before today (out of hours), rather than working days before.
    nights_before: Option<u32>,
    time: String,
}

/// Today and the calendar that working days before it are counted on.
pub(super) struct Today<'a> {
    pub(super) date: NaiveDate,
    pub(super) calendar: &'a WorkingDayCalendar,
}

impl Today<'_> {
    /// The working day `days` working days before today.
    pub(super) fn before(&self, days: u32) -> NaiveDate {
        (0..days).fold(self.date, |date, _| {
            self.calendar.previous_working_day(date)
        })
    }

    pub(super) fn at(&self, when: &When) -> Result<DateTime<Utc>, AppError> {
        let time = NaiveTime::parse_from_str(&when.time, "%H:%M").map_err(|_| {
            AppError::Conflict(format!(
                "The demo's day has a time that is not HH:MM: {}",
                when.time
            ))
        })?;
        let date = match when.nights_before {
            Some(nights) => self.date - chrono::Duration::days(i64::from(nights)),
            None => self.before(when.days_before),
        };
        Ok(from_london(date.and_time(time)))
    }
}

impl When {
    pub(super) fn days_before(&self) -> u32 {
        self.days_before
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct Scene {
    pub(super) name: String,
    /// Recorded and linked by the emergency duty team (`out_of_hours`) rather than the officer.
    #[serde(default)]
    pub(super) by: String,
    #[serde(default)]
    pub(super) awaiting_authorisation: bool,
    source: String,
    referrer: [String; 3],
    concerns: Vec<String>,
    summary: String,
    urgency: String,
    consent: String,
    #[serde(default = "phone")]
    channel: String,
    children: Vec<Person>,
    pub(super) received: When,
    pub(super) linked: Option<When>,
    pub(super) recommended: Option<Recommended>,
    pub(super) reviewed: Option<Reviewed>,
    pub(super) emergency: Option<Emergency>,
    pub(super) child_protection: Option<ChildProtection>,
}

fn phone() -> String {
    "phone".into()
}

#[derive(Debug, Deserialize)]
struct Person {
    given: String,
    family: String,
    #[serde(default)]
    born: String,
    /// Born this many days before today (a baby stays a baby whenever the demo runs).
    born_days_before_today: Option<i64>,
    sex: String,
    postcode: String,
}

/// A MASH social worker's recommendation.
#[derive(Debug, Deserialize)]
pub(super) struct Recommended {
    #[serde(flatten)]
    pub(super) when: When,
    pub(super) outcome: String,
    pub(super) level: String,
    pub(super) rationale: String,
}

/// The manager's review: authorised, or returned for more.
#[derive(Debug, Deserialize)]
pub(super) struct Reviewed {
    #[serde(flatten)]
    pub(super) when: When,
    pub(super) authorise: bool,
    pub(super) rationale: String,
    /// The manager's reasons for authorising below a threshold prompt, by the prompt's kind.
    #[serde(default)]
    pub(super) departure_reasons: std::collections::BTreeMap<String, String>,
}

/// Emergency action out of hours.
#[derive(Debug, Deserialize)]
pub(super) struct Emergency {
    #[serde(flatten)]
    pub(super) when: When,
    pub(super) action: String,
    pub(super) notes: String,
}

/// Taken on through a strategy discussion to an enquiry (and, with `to_plan`, a plan).
#[derive(Debug, Deserialize)]
pub(super) struct ChildProtection {
    pub(super) to_plan: bool,
}

#[derive(Debug, Deserialize)]
pub(super) struct Request {
    pub(super) scene: String,
    /// The partner organisation's kind: police or health.
    pub(super) to: String,
    pub(super) urgency: String,
    pub(super) questions: String,
    pub(super) sent: When,
    pub(super) answered: Option<Answer>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Answer {
    #[serde(flatten)]
    pub(super) when: When,
    pub(super) answer: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct Triage {
    pub(super) held: When,
    pub(super) recorded: When,
    pub(super) attendees: Vec<crate::triage::AttendeeInput>,
    pub(super) discussed: Vec<Discussed>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Discussed {
    pub(super) scene: String,
    pub(super) rating: String,
    pub(super) next_step: String,
}

impl Scene {
    /// The contact as the referrer gave it, received at `received`.
    pub(super) fn input(&self, received: DateTime<Utc>, today: NaiveDate) -> ContactInput {
        let local = london(received);
        ContactInput {
            received_date: local.format("%Y-%m-%d").to_string(),
            received_time: local.format("%H:%M").to_string(),
            channel: self.channel.clone(),
            source: self.source.clone(),
            referrer: Referrer {
                name: self.referrer[0].clone(),
                organisation: self.referrer[1].clone(),
                role: self.referrer[2].clone(),
                phone: String::new(),
                email: String::new(),
            },
            concern_categories: self.concerns.clone(),
            concern_summary: self.summary.clone(),
            urgency: self.urgency.clone(),
            family_consent: self.consent.clone(),
            consent_notes: match self.consent.as_str() {
                "not_sought" => "The referrer wanted advice before speaking to the family.",
                "not_sought_safeguarding" => {
                    "Telling the family first could put the children at greater risk."
                }
                "unknown" => "An anonymous caller: not known.",
                _ => "",
            }
            .into(),
            children: self
                .children
                .iter()
                .map(|p| SubjectInput {
                    given_name: p.given.clone(),
                    family_name: p.family.clone(),
                    date_of_birth: match p.born_days_before_today {
                        Some(days) => (today - chrono::Duration::days(days))
                            .format("%Y-%m-%d")
                            .to_string(),
                        None => p.born.clone(),
                    },
                    sex: p.sex.clone(),
                    address: String::new(),
                    postcode: p.postcode.clone(),
                    nhs_number: String::new(),
                })
                .collect(),
            adults: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_day_reads_and_every_reference_names_a_scene() {
        let day = Day::script().expect("day.toml reads");
        let names: Vec<&str> = day.scene.iter().map(|s| s.name.as_str()).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            names.len(),
            "scene names are unique: {names:?}"
        );
        for scene in day
            .request
            .iter()
            .map(|r| r.scene.as_str())
            .chain(day.triage.discussed.iter().map(|d| d.scene.as_str()))
        {
            assert!(names.contains(&scene), "{scene} is not a scene");
        }
        let calendar = WorkingDayCalendar::new();
        let today = Today {
            date: NaiveDate::from_ymd_opt(2026, 3, 4).expect("date"),
            calendar: &calendar,
        };
        for scene in &day.scene {
            today.at(&scene.received).expect("a time");
        }
    }
}
