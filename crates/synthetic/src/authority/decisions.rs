//! The threshold decision's urgency, family consent and timing.

use super::SyntheticAuthority;
use crate::pick::weighted;
use chrono::{Duration, NaiveDateTime, NaiveTime};
use frontdoor_domain::contact::{FamilyConsent, ReferralSource, Urgency};
use frontdoor_domain::decision::ThresholdOutcome;
use rand::Rng;

impl SyntheticAuthority {
    pub(super) fn urgency(&mut self, outcome: ThresholdOutcome) -> Urgency {
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

    pub(super) fn consent(
        &mut self,
        source: ReferralSource,
        outcome: ThresholdOutcome,
        youngest: u32,
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
            FamilyConsent::NotSought => {
                let notes: &[&str] = &[
                    "The referrer had no contact details for the parents.",
                    "Parents could not be reached before the referral was made.",
                    "The young person asked for their parents not to be told yet.",
                ];
                // Only a young person asks for their parents not to be told.
                let fitting: Vec<&str> = notes
                    .iter()
                    .copied()
                    .filter(|n| crate::text::suits_age(n, youngest))
                    .collect();
                crate::pick::choose(&mut self.rng, &fitting).to_string()
            }
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

    pub(super) fn decision_times(
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
}
