//! The demo's contacts as referrers describe them: who sent each, about whom, and what they said.

use crate::local_time::london;
use crate::{ContactInput, SubjectInput};
use chrono::{DateTime, Utc};
use frontdoor_store::contacts::Referrer;

/// A child or adult as a referrer would describe them.
pub(super) fn person(
    given: &str,
    family: &str,
    born: &str,
    sex: &str,
    postcode: &str,
) -> SubjectInput {
    SubjectInput {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: born.into(),
        sex: sex.into(),
        address: String::new(),
        postcode: postcode.into(),
        nhs_number: String::new(),
    }
}

pub(super) struct Vignette {
    pub(super) source: &'static str,
    pub(super) referrer: (&'static str, &'static str, &'static str),
    pub(super) concerns: &'static [&'static str],
    pub(super) summary: &'static str,
    pub(super) urgency: &'static str,
    pub(super) consent: &'static str,
    pub(super) children: Vec<SubjectInput>,
}

impl Vignette {
    pub(super) fn input(&self, received: DateTime<Utc>, channel: &str) -> ContactInput {
        let local = london(received);
        ContactInput {
            received_date: local.format("%Y-%m-%d").to_string(),
            received_time: local.format("%H:%M").to_string(),
            channel: channel.into(),
            source: self.source.into(),
            referrer: Referrer {
                name: self.referrer.0.into(),
                organisation: self.referrer.1.into(),
                role: self.referrer.2.into(),
                phone: String::new(),
                email: String::new(),
            },
            concern_categories: self.concerns.iter().map(|c| c.to_string()).collect(),
            concern_summary: self.summary.into(),
            urgency: self.urgency.into(),
            family_consent: self.consent.into(),
            consent_notes: match self.consent {
                "not_sought" => "The referrer wanted advice before speaking to the family.",
                "not_sought_safeguarding" => {
                    "Telling the family first could put the children at greater risk."
                }
                "unknown" => "An anonymous caller: not known.",
                _ => "",
            }
            .into(),
            children: self.children.clone(),
            adults: vec![],
        }
    }
}

/// A vignette and how far it had got by now: received, then (each if it happened) its people
/// linked, a recommendation, and the manager's review.
pub(super) struct Scene {
    pub(super) vignette: Vignette,
    pub(super) received: DateTime<Utc>,
    pub(super) channel: &'static str,
    pub(super) linked: Option<DateTime<Utc>>,
    pub(super) recommended: Option<Recommended>,
    pub(super) reviewed: Option<Reviewed>,
}

/// A MASH social worker's recommendation.
pub(super) struct Recommended {
    pub(super) at: DateTime<Utc>,
    pub(super) outcome: &'static str,
    pub(super) level: &'static str,
    pub(super) rationale: &'static str,
}

/// The manager's review: authorised, or returned for more.
pub(super) struct Reviewed {
    pub(super) at: DateTime<Utc>,
    pub(super) authorise: bool,
    pub(super) rationale: &'static str,
}
