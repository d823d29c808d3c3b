//! The synthetic authority: a stream of contacts over the years, in the order they were
//! received, each with the people it is about (a new household the first time), the threshold
//! decision, referrals, assessments, any emergency action, and the rest of each referred
//! child's journey (strategy discussions, section 47 enquiries, conferences, plans, closure).
//!
//! Contacts are generated one at a time ([`SyntheticAuthority`] is an [`Iterator`]); only a
//! compact summary of each person and household is kept, so a year of the largest authority
//! (about 100,000 contacts) needs tens of megabytes, not the whole data set.

mod config;
mod contacts;
mod decisions;
mod episodes;
mod families;
mod people;
mod protection;
mod records;
mod schedule;

pub use config::{
    from_london, london_date, source_group, AuthorityConfig, OUTCOME_MIX, SOURCE_MIX,
};
pub use records::{
    SubjectDescription, SyntheticAssessment, SyntheticAuthorisation, SyntheticCinPlan,
    SyntheticClosure, SyntheticContact, SyntheticDecision, SyntheticEmergencyAction,
    SyntheticEnquiry, SyntheticProtectionPlan, SyntheticReferral, SyntheticReferrer,
    SyntheticStrategyDiscussion, SyntheticSubject, SyntheticVisit,
};

use crate::area::Area;
use crate::household::{HouseholdKey, PersonKey, PopulationGenerator};
use chrono::{NaiveDate, NaiveDateTime};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::person::{NhsNumber, Postcode, Sex};
use frontdoor_domain::timescale::OfficeHours;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

/// What is remembered of each person (enough to describe them on a later contact).
#[derive(Debug, Clone)]
struct KnownPerson {
    given: Box<str>,
    family: Box<str>,
    birth: NaiveDate,
    sex: Sex,
    nhs: Option<NhsNumber>,
    referrals: Vec<NaiveDate>,
    /// The day the child's latest episode closes (`NaiveDate::MAX` while it stays open): a
    /// contact before then is about a child already open to children's social care, and makes
    /// no new referral.
    episode_open_until: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
struct KnownHousehold {
    adults: Vec<PersonKey>,
    children: Vec<PersonKey>,
    address: Box<str>,
    postcode: Postcode,
}

#[derive(Debug, Clone)]
struct RecentReferral {
    date: NaiveDate,
    household: HouseholdKey,
    children: Vec<PersonKey>,
}

/// The generator. Iterate it for contacts in order of receipt.
#[derive(Debug, Clone)]
pub struct SyntheticAuthority {
    config: AuthorityConfig,
    rng: ChaCha8Rng,
    population: PopulationGenerator,
    calendar: WorkingDayCalendar,
    office_hours: OfficeHours,
    people: Vec<KnownPerson>,
    households: Vec<KnownHousehold>,
    recent_referrals: VecDeque<RecentReferral>,
    referrals: u64,
    re_referrals: u64,
    end_day: NaiveDate,
    segment_end: NaiveDate,
    segment_start: NaiveDate,
    segment_counts: Vec<u32>,
    working_day_ooh_rate: f64,
    next_day: NaiveDate,
    today: VecDeque<(NaiveDateTime, bool)>,
    number: u64,
}

impl SyntheticAuthority {
    pub fn new(config: AuthorityConfig) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let area = Area::generate(&mut rng, &config.postcode_area);
        let population = PopulationGenerator::new(area, config.seed);
        let first = config.first_day();
        let end_day = london_date(config.as_of);
        Self {
            rng,
            population,
            calendar: WorkingDayCalendar::new(),
            office_hours: OfficeHours::default(),
            people: Vec::new(),
            households: Vec::new(),
            recent_referrals: VecDeque::new(),
            referrals: 0,
            re_referrals: 0,
            end_day,
            segment_end: first,
            segment_start: first,
            segment_counts: Vec::new(),
            working_day_ooh_rate: 0.14,
            next_day: first,
            today: VecDeque::new(),
            number: 0,
            config,
        }
    }

    pub fn config(&self) -> &AuthorityConfig {
        &self.config
    }

    pub fn area(&self) -> &Area {
        self.population.area()
    }

    /// Referrals generated so far, and how many were re-referrals.
    pub fn referral_counts(&self) -> (u64, u64) {
        (self.referrals, self.re_referrals)
    }

    /// People generated so far.
    pub fn people_count(&self) -> usize {
        self.people.len()
    }

    /// The share of contacts expected out of hours (from the source mix).
    pub fn expected_out_of_hours_share() -> f64 {
        let total: f64 = SOURCE_MIX.iter().map(|(_, p, _)| p).sum();
        SOURCE_MIX.iter().map(|(_, p, q)| p * q).sum::<f64>() / total
    }

    fn is_working_day(&self, day: NaiveDate) -> bool {
        self.calendar.is_working_day(day)
    }
}

impl Iterator for SyntheticAuthority {
    type Item = SyntheticContact;

    fn next(&mut self) -> Option<SyntheticContact> {
        loop {
            if let Some((local, ooh)) = self.today.pop_front() {
                return Some(self.contact(local, ooh));
            }
            if !self.plan_day() {
                return None;
            }
        }
    }
}
