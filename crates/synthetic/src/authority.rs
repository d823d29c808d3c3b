//! The synthetic authority: a stream of contacts over the years, in the order they were
//! received, each with the people it is about (a new household the first time), the threshold
//! decision, referrals, assessments and any emergency action.
//!
//! Contacts are generated one at a time ([`SyntheticAuthority`] is an [`Iterator`]); only a
//! compact summary of each person and household is kept, so a year of the largest authority
//! (about 100,000 contacts) needs tens of megabytes, not the whole data set.

use crate::area::Area;
use crate::household::{HouseholdKey, PersonKey, PopulationGenerator, SyntheticHousehold};
use crate::pick::{weighted, weighted_index};
use crate::text;
use crate::variation;
use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc,
};
use chrono_tz::Europe::London;
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::contact::{
    ConcernCategory, ContactChannel, FamilyConsent, ReferralSource, Urgency,
};
use frontdoor_domain::decision::{EmergencyAction, ThresholdOutcome};
use frontdoor_domain::history::{
    count_in_last_twelve_months, is_re_referral, twelve_months_before,
};
use frontdoor_domain::person::{NhsNumber, Postcode, Sex};
use frontdoor_domain::timescale::OfficeHours;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

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

/// A child or adult on a contact, with how the referrer described them (which is not always
/// how the record has them: a nickname, a typo, a date of birth they did not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticSubject {
    pub person: PersonKey,
    pub is_child: bool,
    pub described: SubjectDescription,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectDescription {
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
    pub address: String,
    pub postcode: Option<Postcode>,
    pub nhs_number: Option<NhsNumber>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyntheticReferrer {
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

/// A social worker's recommendation and (if made before `as_of`) a manager's authorisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticDecision {
    pub outcome: ThresholdOutcome,
    pub level_of_need: u8,
    pub signposted_to: Option<String>,
    pub rationale: String,
    pub recommended_at: DateTime<Utc>,
    pub authorisation: Option<SyntheticAuthorisation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticAuthorisation {
    pub at: DateTime<Utc>,
    pub rationale: String,
}

/// A referral of one child, made when a referral decision is authorised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticReferral {
    pub child: PersonKey,
    /// The day the contact was received (London), as the DfE counts referrals.
    pub date: NaiveDate,
    /// Within 12 months of an earlier referral of the same child.
    pub is_re_referral: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticAssessment {
    pub child: PersonKey,
    pub started_on: NaiveDate,
    /// `None` while the assessment is still open at `as_of`.
    pub completed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticEmergencyAction {
    pub action: EmergencyAction,
    pub at: DateTime<Utc>,
    pub child: PersonKey,
}

/// One contact and everything that followed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticContact {
    /// 1, 2, 3... in order of receipt.
    pub number: u64,
    pub received_at: DateTime<Utc>,
    /// When a contact officer recorded it (a few minutes after receipt).
    pub recorded_at: DateTime<Utc>,
    /// Outside 09:00–17:00 on a working day (London time, England and Wales bank holidays).
    pub out_of_hours: bool,
    pub channel: ContactChannel,
    pub source: ReferralSource,
    pub referrer: SyntheticReferrer,
    pub concern_categories: Vec<ConcernCategory>,
    pub concern_summary: String,
    pub urgency: Urgency,
    pub family_consent: FamilyConsent,
    pub consent_notes: String,
    pub household: HouseholdKey,
    /// The household, when this is the first contact about it: its people are new records.
    pub new_household: Option<SyntheticHousehold>,
    pub subjects: Vec<SyntheticSubject>,
    /// `None` when no recommendation had been made by `as_of`.
    pub decision: Option<SyntheticDecision>,
    pub referrals: Vec<SyntheticReferral>,
    pub assessments: Vec<SyntheticAssessment>,
    pub emergency_action: Option<SyntheticEmergencyAction>,
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

/// What is remembered of each person (enough to describe them on a later contact).
#[derive(Debug, Clone)]
struct KnownPerson {
    given: Box<str>,
    family: Box<str>,
    birth: NaiveDate,
    sex: Sex,
    nhs: Option<NhsNumber>,
    referrals: Vec<NaiveDate>,
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

    /// Shares each year's contacts out over its days (fewer at weekends, on bank holidays, in
    /// August and at Christmas), exactly `contacts_per_year` in all.
    fn plan_segment(&mut self) {
        let start = self.segment_end;
        let end = start
            .checked_add_months(Months::new(12))
            .unwrap_or(self.end_day)
            .min(self.end_day);
        let days = (end - start).num_days().max(0) as usize;
        let mut weights = Vec::with_capacity(days);
        for i in 0..days {
            let day = start + Duration::days(i as i64);
            let month = match day.month() {
                4 => 0.92,
                8 => 0.78,
                12 => 0.88,
                3 | 6 | 10 => 1.05,
                11 => 1.08,
                _ => 1.0,
            };
            let kind = if self.is_working_day(day) { 1.0 } else { 0.33 };
            weights.push(kind * month * self.rng.gen_range(0.85..1.15));
        }
        let total: f64 = weights.iter().sum();
        let wanted = f64::from(self.config.contacts_per_year);
        let mut counts: Vec<u32> = Vec::with_capacity(days);
        let mut remainders: Vec<(f64, usize)> = Vec::with_capacity(days);
        for (i, w) in weights.iter().enumerate() {
            let exact = if total > 0.0 { wanted * w / total } else { 0.0 };
            counts.push(exact.floor() as u32);
            remainders.push((exact - exact.floor(), i));
        }
        let allotted: u32 = counts.iter().sum();
        let missing = self.config.contacts_per_year.saturating_sub(allotted) as usize;
        remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders.into_iter().take(missing) {
            counts[i] += 1;
        }
        // Out-of-hours: all of a non-working day, and enough of working days' evenings and
        // nights for the source mix's share overall.
        let all: u32 = counts.iter().sum();
        let closed: u32 = (0..days)
            .filter(|i| !self.is_working_day(start + Duration::days(*i as i64)))
            .map(|i| counts[i])
            .sum();
        let closed_share = if all > 0 {
            f64::from(closed) / f64::from(all)
        } else {
            0.0
        };
        let target = Self::expected_out_of_hours_share();
        self.working_day_ooh_rate =
            ((target - closed_share) / (1.0 - closed_share).max(0.01)).clamp(0.02, 0.6);
        self.segment_start = start;
        self.segment_end = end;
        self.segment_counts = counts;
    }

    /// Plans the next day's contacts: how many, at what times, in time order.
    fn plan_day(&mut self) -> bool {
        if self.next_day >= self.end_day {
            return false;
        }
        if self.next_day >= self.segment_end {
            self.plan_segment();
            if self.segment_end <= self.segment_start {
                return false;
            }
        }
        let day = self.next_day;
        self.next_day = day + Duration::days(1);
        let index = (day - self.segment_start).num_days().max(0) as usize;
        let count = self.segment_counts.get(index).copied().unwrap_or(0);
        let working = self.is_working_day(day);
        let mut times = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let ooh = !working || self.rng.gen_bool(self.working_day_ooh_rate);
            let hour = if !working {
                weighted_index(&mut self.rng, &NON_WORKING_DAY_HOURS)
            } else if ooh {
                weighted_index(&mut self.rng, &EVENING_AND_NIGHT_HOURS)
            } else {
                9 + weighted_index(&mut self.rng, &OFFICE_HOURS)
            };
            let minute = self.rng.gen_range(0..60);
            let second = self.rng.gen_range(0..60);
            let time =
                NaiveTime::from_hms_opt(hour as u32, minute, second).unwrap_or(NaiveTime::MIN);
            times.push((day.and_time(time), ooh));
        }
        times.sort();
        self.today = times.into();
        true
    }

    fn source(&mut self, ooh: bool) -> ReferralSource {
        let items: Vec<(ReferralSource, f64)> = SOURCE_MIX
            .iter()
            .map(|(s, p, q)| (*s, if ooh { p * q } else { p * (1.0 - q) }))
            .collect();
        weighted(&mut self.rng, &items, ReferralSource::Other)
    }

    fn categories(&mut self, source: ReferralSource, oldest_age: u32) -> Vec<ConcernCategory> {
        use ConcernCategory as C;
        use ReferralSource as S;
        let table: &[(C, f64)] = match source {
            S::Police => &[
                (C::DomesticAbuse, 45.0),
                (C::PhysicalAbuse, 10.0),
                (C::GoingMissing, 10.0),
                (C::ChildCriminalExploitation, 7.0),
                (C::ChildSexualExploitation, 4.0),
                (C::ParentalSubstanceMisuse, 8.0),
                (C::Neglect, 8.0),
                (C::SexualAbuse, 4.0),
                (C::Other, 4.0),
            ],
            S::School | S::EducationServices => &[
                (C::Neglect, 22.0),
                (C::EmotionalAbuse, 14.0),
                (C::PhysicalAbuse, 12.0),
                (C::ChildMentalHealth, 14.0),
                (C::DomesticAbuse, 8.0),
                (C::SelfHarm, 6.0),
                (C::SexualAbuse, 4.0),
                (C::ChildSexualExploitation, 3.0),
                (C::Radicalisation, 1.0),
                (C::FemaleGenitalMutilation, 0.5),
                (C::Other, 6.0),
            ],
            S::GeneralPractitioner
            | S::HealthVisitor
            | S::SchoolNurse
            | S::OtherPrimaryHealth
            | S::AccidentAndEmergency
            | S::OtherHealth => &[
                (C::ParentalMentalHealth, 15.0),
                (C::SelfHarm, 14.0),
                (C::Neglect, 14.0),
                (C::ChildMentalHealth, 12.0),
                (C::PhysicalAbuse, 10.0),
                (C::ParentalSubstanceMisuse, 10.0),
                (C::DomesticAbuse, 8.0),
                (C::Disability, 5.0),
                (C::FemaleGenitalMutilation, 1.0),
                (C::Other, 5.0),
            ],
            S::Housing | S::LaSocialCare | S::LaOtherInternal | S::LaExternal | S::EarlyHelp => &[
                (C::Neglect, 20.0),
                (C::Homelessness, 16.0),
                (C::DomesticAbuse, 12.0),
                (C::ParentalMentalHealth, 10.0),
                (C::Disability, 8.0),
                (C::ChildCriminalExploitation, 4.0),
                (C::Other, 10.0),
            ],
            S::Individual | S::FamilyMember | S::Acquaintance | S::SelfReferral | S::Anonymous => {
                &[
                    (C::Neglect, 30.0),
                    (C::PhysicalAbuse, 15.0),
                    (C::EmotionalAbuse, 12.0),
                    (C::ParentalSubstanceMisuse, 12.0),
                    (C::DomesticAbuse, 12.0),
                    (C::Other, 8.0),
                ]
            }
            _ => &[
                (C::DomesticAbuse, 20.0),
                (C::Neglect, 15.0),
                (C::ParentalSubstanceMisuse, 10.0),
                (C::ChildCriminalExploitation, 8.0),
                (C::ParentalMentalHealth, 10.0),
                (C::Other, 15.0),
            ],
        };
        let count = weighted(&mut self.rng, &[(1usize, 55.0), (2, 33.0), (3, 12.0)], 1);
        let mut chosen: Vec<C> = Vec::new();
        for _ in 0..count * 3 {
            if chosen.len() >= count {
                break;
            }
            let mut c = weighted(&mut self.rng, table, C::Other);
            // Exploitation, going missing, self-harm and radicalisation concern older children.
            let teen_only = matches!(
                c,
                C::ChildSexualExploitation
                    | C::ChildCriminalExploitation
                    | C::GoingMissing
                    | C::SelfHarm
                    | C::Radicalisation
            );
            if teen_only && oldest_age < 10 {
                c = C::Neglect;
            }
            if c == C::ChildMentalHealth && oldest_age < 6 {
                c = C::EmotionalAbuse;
            }
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        if chosen.is_empty() {
            chosen.push(C::Other);
        }
        chosen
    }

    fn remember(&mut self, household: &SyntheticHousehold) {
        let mut adults = Vec::new();
        let mut children = Vec::new();
        for person in &household.people {
            // Keys are handed out in order, so the person's index is their key.
            debug_assert_eq!(person.key.0 as usize, self.people.len());
            self.people.push(KnownPerson {
                given: person.given_name.clone().into_boxed_str(),
                family: person.family_name.clone().into_boxed_str(),
                birth: person.birth_date,
                sex: person.sex,
                nhs: person.nhs_number.clone(),
                referrals: Vec::new(),
            });
            match person.role {
                crate::household::HouseholdRole::Adult => adults.push(person.key),
                crate::household::HouseholdRole::Child => children.push(person.key),
            }
        }
        debug_assert_eq!(household.key.0 as usize, self.households.len());
        self.households.push(KnownHousehold {
            adults,
            children,
            address: household.address.one_line().into_boxed_str(),
            postcode: household.address.postcode.clone(),
        });
    }

    fn person(&self, key: PersonKey) -> Option<&KnownPerson> {
        self.people.get(key.0 as usize)
    }

    fn is_child_on(&self, key: PersonKey, on: NaiveDate) -> bool {
        self.person(key)
            .is_some_and(|p| p.birth < on && on.years_since(p.birth).is_some_and(|age| age < 18))
    }

    fn age_on(&self, key: PersonKey, on: NaiveDate) -> u32 {
        self.person(key)
            .and_then(|p| on.years_since(p.birth))
            .unwrap_or(0)
    }

    /// A recently referred household whose children can be re-referred today.
    fn re_referral_candidate(&mut self, on: NaiveDate) -> Option<(HouseholdKey, Vec<PersonKey>)> {
        let window_start = twelve_months_before(on);
        while self
            .recent_referrals
            .front()
            .is_some_and(|r| r.date < window_start)
        {
            self.recent_referrals.pop_front();
        }
        for _attempt in 0..4 {
            if self.recent_referrals.is_empty() {
                return None;
            }
            let index = self.rng.gen_range(0..self.recent_referrals.len());
            let Some(entry) = self.recent_referrals.get(index) else {
                continue;
            };
            if entry.date >= on {
                continue;
            }
            let household = entry.household;
            let children: Vec<PersonKey> = entry
                .children
                .iter()
                .copied()
                .filter(|c| self.is_child_on(*c, on))
                .filter(|c| {
                    self.person(*c).is_some_and(|p| {
                        // At most four referrals of a child in 12 months (the inspection letter
                        // found children assessed up to four times in a year).
                        is_re_referral(on, &p.referrals)
                            && count_in_last_twelve_months(on, &p.referrals) < 4
                    })
                })
                .collect();
            if !children.is_empty() {
                return Some((household, children));
            }
        }
        None
    }

    /// A known household with children under 18 today, none of them referred in the last 12
    /// months when `fresh_referral` is set.
    fn known_household(
        &mut self,
        on: NaiveDate,
        fresh_referral: bool,
    ) -> Option<(HouseholdKey, Vec<PersonKey>)> {
        if self.households.is_empty() {
            return None;
        }
        // Early on, few families are known: come back to them less, so the first few are not
        // seen over and over.
        let known = self.households.len() as f64;
        let settled = (f64::from(self.config.contacts_per_year) * 0.1).max(1.0);
        if !self.rng.gen_bool((known / settled).min(1.0)) {
            return None;
        }
        for _attempt in 0..3 {
            // Recently known families are more likely to come back than long-known ones.
            let back = (known * self.rng.gen::<f64>().powi(2)) as usize;
            let index = self.households.len().saturating_sub(1 + back);
            let Some(household) = self.households.get(index) else {
                continue;
            };
            let eligible: Vec<PersonKey> = household
                .children
                .iter()
                .copied()
                .filter(|c| self.is_child_on(*c, on))
                .collect();
            if eligible.is_empty() {
                continue;
            }
            if fresh_referral
                && eligible.iter().any(|c| {
                    self.person(*c)
                        .is_some_and(|p| is_re_referral(on, &p.referrals))
                })
            {
                continue;
            }
            let chosen = self.some_children(&eligible);
            return Some((HouseholdKey(index as u32), chosen));
        }
        None
    }

    /// All the children, or one (sometimes two) of them.
    fn some_children(&mut self, eligible: &[PersonKey]) -> Vec<PersonKey> {
        if eligible.len() <= 1 || self.rng.gen_bool(0.4) {
            return eligible.to_vec();
        }
        let first = self.rng.gen_range(0..eligible.len());
        let mut chosen = vec![eligible[first]];
        if eligible.len() > 2 && self.rng.gen_bool(0.15) {
            let second = (first + 1 + self.rng.gen_range(0..eligible.len() - 1)) % eligible.len();
            chosen.push(eligible[second]);
        }
        chosen.sort();
        chosen
    }

    fn describe(
        &mut self,
        key: PersonKey,
        household: HouseholdKey,
        is_child: bool,
        source: ReferralSource,
    ) -> Option<SubjectDescription> {
        let person = self.person(key)?.clone();
        let home = self.households.get(household.0 as usize)?;
        let (address, postcode) = (home.address.to_string(), home.postcode.clone());
        let rng = &mut self.rng;
        let mut given = person.given.to_string();
        let mut family = person.family.to_string();
        let roll: f64 = rng.gen();
        if roll < 0.03 {
            given = variation::nickname(rng, &given).unwrap_or(given);
        } else if roll < 0.06 {
            given = variation::typo(rng, &given).unwrap_or(given);
        } else if roll < 0.08 {
            given = variation::phonetic(rng, &given).unwrap_or(given);
        } else if roll < 0.10 {
            family = variation::typo(rng, &family).unwrap_or(family);
        }
        let knows_birth = rng.gen_bool(if is_child { 0.88 } else { 0.55 });
        let health = source_group(source) == "health";
        Some(SubjectDescription {
            given_name: given,
            family_name: family,
            birth_date: knows_birth.then_some(person.birth),
            sex: if rng.gen_bool(0.03) {
                Sex::NotKnown
            } else {
                person.sex
            },
            address: if rng.gen_bool(0.85) {
                address
            } else {
                String::new()
            },
            postcode: rng.gen_bool(0.8).then_some(postcode),
            nhs_number: if rng.gen_bool(if health { 0.6 } else { 0.06 }) {
                person.nhs
            } else {
                None
            },
        })
    }

    fn referrer(&mut self, source: ReferralSource) -> SyntheticReferrer {
        if source == ReferralSource::Anonymous {
            return SyntheticReferrer::default();
        }
        let (organisation, role) =
            text::referrer_organisation(&mut self.rng, source, &self.config.area_name);
        let origin = weighted(
            &mut self.rng,
            &[
                (crate::names::Origin::WhiteBritish, 75.0),
                (crate::names::Origin::Pakistani, 6.0),
                (crate::names::Origin::Indian, 4.0),
                (crate::names::Origin::WestAfrican, 4.0),
                (crate::names::Origin::Polish, 4.0),
                (crate::names::Origin::Caribbean, 3.0),
                (crate::names::Origin::Irish, 4.0),
            ],
            crate::names::Origin::WhiteBritish,
        );
        let lists = origin.names();
        let given = if self.rng.gen_bool(0.7) {
            crate::pick::choose(&mut self.rng, lists.women)
        } else {
            crate::pick::choose(&mut self.rng, lists.men)
        };
        let family = crate::pick::choose(&mut self.rng, lists.family);
        let name = crate::names::fold_diacritics(&format!("{given} {family}"));
        let public = organisation.is_empty();
        let phone = if public {
            format!("07700 900{:03}", self.rng.gen_range(0..1000))
        } else {
            format!("01632 960{:03}", self.rng.gen_range(0..1000))
        };
        let email = if public && self.rng.gen_bool(0.6) {
            String::new()
        } else {
            let local: String = name
                .chars()
                .filter(|c| c.is_ascii_alphabetic() || *c == ' ')
                .collect::<String>()
                .to_ascii_lowercase()
                .replace(' ', ".");
            format!(
                "{local}@{}",
                text::email_domain(if public { "" } else { &organisation })
            )
        };
        SyntheticReferrer {
            name,
            organisation,
            role,
            phone,
            email,
        }
    }

    fn urgency(&mut self, outcome: ThresholdOutcome) -> Urgency {
        let table: &[(Urgency, f64)] = match outcome {
            ThresholdOutcome::StrategyDiscussion => &[
                (Urgency::Immediate, 45.0),
                (Urgency::Urgent, 40.0),
                (Urgency::Standard, 15.0),
            ],
            ThresholdOutcome::ReferralForAssessment => &[
                (Urgency::Immediate, 5.0),
                (Urgency::Urgent, 30.0),
                (Urgency::Standard, 65.0),
            ],
            ThresholdOutcome::EarlyHelp => &[
                (Urgency::Immediate, 1.0),
                (Urgency::Urgent, 10.0),
                (Urgency::Standard, 89.0),
            ],
            _ => &[
                (Urgency::Immediate, 1.0),
                (Urgency::Urgent, 8.0),
                (Urgency::Standard, 91.0),
            ],
        };
        weighted(&mut self.rng, table, Urgency::Standard)
    }

    fn consent(
        &mut self,
        source: ReferralSource,
        outcome: ThresholdOutcome,
    ) -> (FamilyConsent, String) {
        if source == ReferralSource::Anonymous {
            return (FamilyConsent::Unknown, String::new());
        }
        let table: &[(FamilyConsent, f64)] = if outcome == ThresholdOutcome::StrategyDiscussion {
            &[
                (FamilyConsent::NotSoughtSafeguarding, 45.0),
                (FamilyConsent::Given, 25.0),
                (FamilyConsent::Unknown, 20.0),
                (FamilyConsent::NotSought, 5.0),
                (FamilyConsent::Refused, 5.0),
            ]
        } else {
            &[
                (FamilyConsent::Given, 60.0),
                (FamilyConsent::Refused, 6.0),
                (FamilyConsent::NotSoughtSafeguarding, 8.0),
                (FamilyConsent::NotSought, 6.0),
                (FamilyConsent::Unknown, 20.0),
            ]
        };
        let consent = weighted(&mut self.rng, table, FamilyConsent::Unknown);
        let notes = match consent {
            FamilyConsent::NotSought => crate::pick::choose(
                &mut self.rng,
                &[
                    "The referrer had no contact details for the parents.",
                    "Parents could not be reached before the referral was made.",
                    "The young person asked for their parents not to be told yet.",
                ],
            )
            .to_string(),
            FamilyConsent::Refused => {
                "Parent said they did not want social care involved.".to_string()
            }
            _ => String::new(),
        };
        (consent, notes)
    }

    /// The first working-hours moment at or after `local`.
    fn next_office_moment(&self, local: NaiveDateTime) -> NaiveDateTime {
        let opens = self.office_hours.opens();
        let closes = self.office_hours.closes();
        let date = local.date();
        if self.is_working_day(date) && local.time() < opens {
            return date.and_time(opens);
        }
        if self.is_working_day(date) && local.time() < closes {
            return local;
        }
        self.calendar.next_working_day(date).and_time(opens)
    }

    fn decision_times(
        &mut self,
        received: NaiveDateTime,
        ooh: bool,
        urgency: Urgency,
    ) -> (NaiveDateTime, NaiveDateTime) {
        let recommended = if ooh && urgency == Urgency::Immediate {
            received + Duration::minutes(self.rng.gen_range(20..150))
        } else {
            let start = self.next_office_moment(received);
            let mut at = start + Duration::minutes(self.rng.gen_range(30..300));
            if at.time() >= self.office_hours.closes() {
                at = self.next_office_moment(at) + Duration::minutes(self.rng.gen_range(0..120));
            }
            if self.rng.gen_bool(0.08) {
                // Late: the one-working-day timescale is missed.
                at = self
                    .calendar
                    .next_working_day(at.date())
                    .and_time(at.time());
            }
            at
        };
        let mut authorised = recommended + Duration::minutes(self.rng.gen_range(10..240));
        if self.rng.gen_bool(0.08) {
            authorised = self.next_office_moment(
                self.calendar
                    .next_working_day(authorised.date())
                    .and_time(NaiveTime::MIN),
            ) + Duration::minutes(self.rng.gen_range(0..180));
        }
        (recommended, authorised)
    }

    fn contact(&mut self, local: NaiveDateTime, ooh: bool) -> SyntheticContact {
        self.number += 1;
        let on = local.date();
        let received_at = from_london(local);
        let as_of = self.config.as_of;
        let source = self.source(ooh);
        let outcome = weighted(
            &mut self.rng,
            OUTCOME_MIX,
            ThresholdOutcome::InformationAndAdvice,
        );

        // Who the contact is about.
        let mut chosen = None;
        let mut new_household = None;
        if outcome.is_referral() {
            let target = self.config.re_referral_target;
            let below = (self.re_referrals as f64) < target * self.referrals as f64;
            let p = if below {
                (target * 2.5).min(0.9)
            } else {
                target * 0.3
            };
            if self.rng.gen_bool(p.clamp(0.0, 1.0)) {
                chosen = self.re_referral_candidate(on);
            }
            if chosen.is_none() && self.rng.gen_bool(0.2) {
                chosen = self.known_household(on, true);
            }
        } else if self.rng.gen_bool(0.33) {
            chosen = self.known_household(on, false);
        }
        let (household, children) = match chosen {
            Some(found) => found,
            None => {
                let made = self.population.household(&mut self.rng, on);
                self.remember(&made);
                let eligible: Vec<PersonKey> = made
                    .children()
                    .map(|c| c.key)
                    .filter(|c| self.is_child_on(*c, on))
                    .collect();
                let children = self.some_children(&eligible);
                let key = made.key;
                new_household = Some(made);
                (key, children)
            }
        };
        let adults: Vec<PersonKey> = self
            .households
            .get(household.0 as usize)
            .map(|h| h.adults.clone())
            .unwrap_or_default();
        let ages: Vec<u32> = children.iter().map(|c| self.age_on(*c, on)).collect();
        let categories = self.categories(source, ages.iter().copied().max().unwrap_or(0));
        let include_all_adults = categories.contains(&ConcernCategory::DomesticAbuse);
        let mut subjects = Vec::new();
        for child in &children {
            if let Some(described) = self.describe(*child, household, true, source) {
                subjects.push(SyntheticSubject {
                    person: *child,
                    is_child: true,
                    described,
                });
            }
        }
        for adult in &adults {
            if include_all_adults || self.rng.gen_bool(0.65) {
                if let Some(described) = self.describe(*adult, household, false, source) {
                    subjects.push(SyntheticSubject {
                        person: *adult,
                        is_child: false,
                        described,
                    });
                }
            }
        }

        let urgency = self.urgency(outcome);
        let (family_consent, consent_notes) = self.consent(source, outcome);
        let channel = text::channel(&mut self.rng, source);
        let referrer = self.referrer(source);
        let concern_summary = text::summary(&mut self.rng, source, &categories);
        let recorded_at = (received_at + Duration::minutes(self.rng.gen_range(2..45)))
            .min(as_of)
            .max(received_at);

        // The decision, as far as it had got by `as_of`.
        let (recommended_local, authorised_local) = self.decision_times(local, ooh, urgency);
        let recommended_at = from_london(recommended_local).max(recorded_at + Duration::minutes(1));
        let authorised_at =
            from_london(authorised_local).max(recommended_at + Duration::minutes(1));
        let level_of_need = match outcome {
            ThresholdOutcome::NoFurtherAction
            | ThresholdOutcome::InformationAndAdvice
            | ThresholdOutcome::Signpost => {
                if self.rng.gen_bool(0.8) {
                    1
                } else {
                    2
                }
            }
            ThresholdOutcome::EarlyHelp => 2,
            ThresholdOutcome::ReferralForAssessment => 3,
            ThresholdOutcome::StrategyDiscussion => 4,
        };
        let signposted_to = (outcome == ThresholdOutcome::Signpost)
            .then(|| text::signposted_service(&mut self.rng));
        let rationale = text::rationale(&mut self.rng, outcome);
        let review = text::review_rationale(&mut self.rng);
        let decision = (recommended_at < as_of).then(|| SyntheticDecision {
            outcome,
            level_of_need,
            signposted_to,
            rationale,
            recommended_at,
            authorisation: (authorised_at < as_of).then_some(SyntheticAuthorisation {
                at: authorised_at,
                rationale: review,
            }),
        });
        let authorised = decision
            .as_ref()
            .and_then(|d| d.authorisation.as_ref())
            .map(|a| a.at);

        // Referrals and assessments follow an authorised referral decision.
        let mut referrals = Vec::new();
        let mut assessments = Vec::new();
        if let (Some(authorised_at), true) = (authorised, outcome.is_referral()) {
            let mut referred = Vec::new();
            for child in &children {
                let Some(person) = self.people.get_mut(child.0 as usize) else {
                    continue;
                };
                let is_re = is_re_referral(on, &person.referrals);
                person.referrals.push(on);
                self.referrals += 1;
                if is_re {
                    self.re_referrals += 1;
                }
                referrals.push(SyntheticReferral {
                    child: *child,
                    date: on,
                    is_re_referral: is_re,
                });
                referred.push(*child);
            }
            if !referred.is_empty() {
                self.recent_referrals.push_back(RecentReferral {
                    date: on,
                    household,
                    children: referred,
                });
            }
            let as_of_day = london_date(as_of);
            let authorised_day = london_date(authorised_at);
            for child in &children {
                let p = if outcome == ThresholdOutcome::StrategyDiscussion {
                    0.92
                } else {
                    0.85
                };
                if !self.rng.gen_bool(p) {
                    continue;
                }
                let first_day = if self.is_working_day(authorised_day) {
                    authorised_day
                } else {
                    self.calendar.next_working_day(authorised_day)
                };
                let started_on = self
                    .calendar
                    .add_working_days(first_day, self.rng.gen_range(0..3));
                if started_on >= as_of_day {
                    continue;
                }
                let length = match weighted(&mut self.rng, &[(0u8, 55.0), (1, 33.0), (2, 12.0)], 0)
                {
                    0 => self.rng.gen_range(10..=30),
                    1 => self.rng.gen_range(31..=45),
                    _ => self.rng.gen_range(46..=70),
                };
                let completed = self.calendar.add_working_days(started_on, length);
                assessments.push(SyntheticAssessment {
                    child: *child,
                    started_on,
                    completed_on: (completed < as_of_day).then_some(completed),
                });
            }
        }

        let emergency_action = match (decision.as_ref(), children.first()) {
            (Some(d), Some(child))
                if d.outcome == ThresholdOutcome::StrategyDiscussion
                    && urgency == Urgency::Immediate
                    && ooh
                    && self.rng.gen_bool(0.12) =>
            {
                let at = received_at + Duration::minutes(self.rng.gen_range(30..180));
                let action = if source == ReferralSource::Police {
                    EmergencyAction::PoliceProtection
                } else {
                    EmergencyAction::Accommodation
                };
                (at < as_of).then_some(SyntheticEmergencyAction {
                    action,
                    at,
                    child: *child,
                })
            }
            _ => None,
        };

        SyntheticContact {
            number: self.number,
            received_at,
            recorded_at,
            out_of_hours: self.office_hours.is_out_of_hours(&self.calendar, local),
            channel,
            source,
            referrer,
            concern_categories: categories,
            concern_summary,
            urgency,
            family_consent,
            consent_notes,
            household,
            new_household,
            subjects,
            decision,
            referrals,
            assessments,
            emergency_action,
        }
    }
}

/// Relative numbers of contacts in each hour of a weekend or bank holiday (00:00 to 23:00).
const NON_WORKING_DAY_HOURS: [f64; 24] = [
    0.5, 0.4, 0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.2, 1.2, 1.2, 1.2, 1.3, 1.4, 1.4,
    1.3, 1.2, 1.0, 0.8, 0.6,
];
/// Relative numbers of out-of-hours contacts on a working day, by hour (00:00 to 23:00; none
/// in office hours).
const EVENING_AND_NIGHT_HOURS: [f64; 24] = [
    0.35, 0.25, 0.2, 0.15, 0.1, 0.1, 0.2, 0.35, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.6,
    1.4, 1.2, 1.0, 0.9, 0.7, 0.5,
];
/// Relative numbers of contacts in each office hour (09:00 to 16:00).
const OFFICE_HOURS: [f64; 8] = [1.0, 1.3, 1.3, 1.0, 1.0, 1.2, 1.2, 0.9];

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
