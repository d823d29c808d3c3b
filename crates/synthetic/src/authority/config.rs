//! What to generate ([`AuthorityConfig`]), the source and outcome mixes, and London dates.

use chrono::{DateTime, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use frontdoor_domain::contact::ReferralSource;
use frontdoor_domain::decision::ThresholdOutcome;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityConfig {
    pub seed: u64,
    /// Contacts received in each year (the largest English authorities take about 100,000).
    pub contacts_per_year: u32,
    pub years: u32,
    /// Contacts are received in the `years` before the London date of this instant (the day
    /// itself excluded); decisions, referrals and assessments not reached by then are left open.
    pub as_of: DateTime<Utc>,
    /// The share of referrals that should be re-referrals within 12 months (England: 22.6%).
    pub re_referral_target: f64,
    /// The area's name, used in partner organisations' names ("Northshire Police").
    pub area_name: String,
    /// The letters of the made-up postcode area ("NS" is not a real one).
    pub postcode_area: String,
}

impl AuthorityConfig {
    pub fn new(seed: u64, contacts_per_year: u32, years: u32, as_of: DateTime<Utc>) -> Self {
        Self {
            seed,
            contacts_per_year,
            years,
            as_of,
            re_referral_target: 0.22,
            area_name: "Northshire".into(),
            postcode_area: "NS".into(),
        }
    }

    /// The first day contacts are received (London date).
    pub fn first_day(&self) -> NaiveDate {
        let end = london_date(self.as_of);
        end.checked_sub_months(Months::new(12 * self.years))
            .unwrap_or(end)
    }

    /// How many contacts the stream holds: `contacts_per_year` for each year.
    pub fn total_contacts(&self) -> u64 {
        u64::from(self.contacts_per_year) * u64::from(self.years)
    }
}

/// The source mix of contacts: (source, share of all contacts in percent, share of that
/// source's contacts that arrive out of hours).
pub const SOURCE_MIX: &[(ReferralSource, f64, f64)] = &[
    (ReferralSource::Police, 28.0, 0.45),
    (ReferralSource::School, 16.5, 0.03),
    (ReferralSource::EducationServices, 1.5, 0.05),
    (ReferralSource::GeneralPractitioner, 2.5, 0.05),
    (ReferralSource::HealthVisitor, 2.5, 0.03),
    (ReferralSource::SchoolNurse, 1.0, 0.02),
    (ReferralSource::OtherPrimaryHealth, 1.5, 0.10),
    (ReferralSource::AccidentAndEmergency, 3.0, 0.60),
    (ReferralSource::OtherHealth, 3.5, 0.25),
    (ReferralSource::LaSocialCare, 4.0, 0.10),
    (ReferralSource::LaOtherInternal, 2.5, 0.05),
    (ReferralSource::LaExternal, 1.5, 0.10),
    (ReferralSource::EarlyHelp, 2.0, 0.03),
    (ReferralSource::Individual, 1.5, 0.40),
    (ReferralSource::FamilyMember, 3.5, 0.40),
    (ReferralSource::Acquaintance, 1.5, 0.35),
    (ReferralSource::SelfReferral, 1.5, 0.35),
    (ReferralSource::Anonymous, 3.0, 0.40),
    (ReferralSource::Housing, 3.0, 0.08),
    (ReferralSource::OtherLegalAgency, 4.0, 0.15),
    (ReferralSource::Other, 9.0, 0.20),
    (ReferralSource::Unknown, 3.0, 0.25),
];

/// The outcome mix of threshold decisions (percent).
pub const OUTCOME_MIX: &[(ThresholdOutcome, f64)] = &[
    (ThresholdOutcome::NoFurtherAction, 18.0),
    (ThresholdOutcome::InformationAndAdvice, 22.0),
    (ThresholdOutcome::Signpost, 2.0),
    (ThresholdOutcome::EarlyHelp, 20.0),
    (ThresholdOutcome::ReferralForAssessment, 30.0),
    (ThresholdOutcome::StrategyDiscussion, 8.0),
];

/// The broad group a referral source belongs to (for reporting the mix).
pub fn source_group(source: ReferralSource) -> &'static str {
    use ReferralSource as S;
    match source {
        S::Police => "police",
        S::School | S::EducationServices => "schools",
        S::GeneralPractitioner
        | S::HealthVisitor
        | S::SchoolNurse
        | S::OtherPrimaryHealth
        | S::AccidentAndEmergency
        | S::OtherHealth => "health",
        S::LaSocialCare | S::LaOtherInternal | S::LaExternal | S::EarlyHelp => "local authority",
        S::Individual | S::FamilyMember | S::Acquaintance | S::SelfReferral => "individual",
        S::Anonymous => "anonymous",
        S::Housing => "housing",
        S::OtherLegalAgency => "other legal agency",
        S::Other => "other",
        S::Unknown => "unknown",
    }
}

/// The London calendar date of an instant.
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

/// The instant of a London wall-clock time (the earlier of an autumn repeated hour; an hour
/// later for a spring hour that does not exist).
pub fn from_london(local: NaiveDateTime) -> DateTime<Utc> {
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => match London.from_local_datetime(&(local + Duration::hours(1))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            LocalResult::None => Utc.from_utc_datetime(&local),
        },
    }
}
