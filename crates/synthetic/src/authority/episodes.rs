//! How each synthetic episode of need goes: the child's primary need, and when and why the
//! episode closes — so that a census of the authority has the content a real one has.
//!
//! Worked out from the contact's number and the child, not drawn from the generator's random
//! stream, so everything else the generator makes is as it was.
//!
//! - Primary need at about the rates of England's children in need (abuse or neglect over
//!   half, then family dysfunction, the child's disability, acute stress...).
//! - A referred child who is not assessed: the referral closes with no further action a week
//!   on (RC7), once any strategy discussion is done.
//! - An assessed child: 40% closed when the assessment ends with no further action (RC8), 20%
//!   closed to early help (RC9), 35% kept open on a child in need plan for three to nine months
//!   (RC7), 5% transferred to another authority within three months (RC5).
//! - A child in a section 47 enquiry: the episode closes when the protection work (and any
//!   child in need plan after it) ends — see [`super::protection`].

use super::protection::{Course, Protection};
use super::{SyntheticAuthority, SyntheticCinPlan, SyntheticClosure, SyntheticReferral};
use crate::household::PersonKey;
use chrono::NaiveDate;
use frontdoor_domain::decision::ThresholdOutcome;
use frontdoor_domain::episode::{ClosureReason, PrimaryNeed};

/// SplitMix64 of the contact number and the child: a well-spread number, the same every run.
pub(super) fn mix(contact: u64, child: PersonKey) -> u64 {
    let mut z = contact
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(u64::from(child.0).wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Per thousand children in need (England, 31 March 2025, rounded).
const NEED_MIX: [(PrimaryNeed, u64); 10] = [
    (PrimaryNeed::AbuseOrNeglect, 570),
    (PrimaryNeed::FamilyDysfunction, 140),
    (PrimaryNeed::ChildDisabilityOrIllness, 120),
    (PrimaryNeed::FamilyInAcuteStress, 80),
    (PrimaryNeed::ParentalDisabilityOrIllness, 30),
    (PrimaryNeed::NotInNeed, 20),
    (PrimaryNeed::AbsentParenting, 20),
    (PrimaryNeed::SociallyUnacceptableBehaviour, 15),
    (PrimaryNeed::NotStated, 3),
    (PrimaryNeed::LowIncome, 2),
];

/// The primary need recorded on the episode a referral of `child` on contact `contact` opens.
pub(super) fn primary_need(contact: u64, child: PersonKey) -> PrimaryNeed {
    let mut roll = mix(contact, child) % 1000;
    for (need, share) in NEED_MIX {
        if roll < share {
            return need;
        }
        roll -= share;
    }
    PrimaryNeed::AbuseOrNeglect
}

/// An assessment of a referred child: the child, its start and its (planned) end.
pub(super) type AssessmentSpan = (PersonKey, NaiveDate, NaiveDate);

impl SyntheticAuthority {
    /// Works out the course of the episodes the referrals open — strategy discussions,
    /// enquiries, plans and closure — as far as it had got by `as_of`, and remembers until when
    /// each child is open to children's social care. Returns each child's closure reason (when
    /// it closes, even after `as_of`).
    pub(super) fn close_episodes(
        &mut self,
        referrals: &mut [SyntheticReferral],
        assessments: &[AssessmentSpan],
        outcome: ThresholdOutcome,
        authorised_on: NaiveDate,
        as_of: NaiveDate,
    ) -> Vec<(PersonKey, ClosureReason)> {
        let mut reasons = Vec::with_capacity(referrals.len());
        for referral in referrals.iter_mut() {
            let roll = mix(self.number, referral.child) >> 16;
            let assessed = assessments
                .iter()
                .find(|(child, ..)| *child == referral.child)
                .map(|(_, starts, ends)| (*starts, *ends));
            let Protection {
                strategy_discussion,
                enquiry,
                mut cin_plan,
                closure,
            } = self.protection(&Course {
                contact: self.number,
                child: referral.child,
                outcome,
                authorised_on,
                assessment: assessed,
            });
            let (closes, reason) = match (closure, assessed) {
                (Some(closure), _) => (closure.on, closure.reason),
                (None, None) => (
                    self.calendar.add_working_days(authorised_on, 5),
                    ClosureReason::ServicesCeased,
                ),
                (None, Some((_, ends))) => match roll % 100 {
                    0..40 => (ends, ClosureReason::ClosedAfterAssessmentNoFurtherAction),
                    40..60 => (ends, ClosureReason::ClosedAfterAssessmentEarlyHelp),
                    60..95 => {
                        let closes = self
                            .calendar
                            .add_working_days(ends, 60 + ((roll / 100) % 121) as u32);
                        cin_plan = Some(SyntheticCinPlan {
                            started_on: self
                                .calendar
                                .add_working_days(ends, ((roll >> 24) % 5) as u32),
                            ended_on: Some(closes),
                        });
                        (closes, ClosureReason::ServicesCeased)
                    }
                    _ => (
                        self.calendar
                            .add_working_days(ends, 20 + ((roll / 100) % 41) as u32),
                        ClosureReason::TransferredToAnotherAuthority,
                    ),
                },
            };
            let course = Protection {
                strategy_discussion,
                enquiry,
                cin_plan,
                closure: None,
            }
            .cut(as_of);
            referral.strategy_discussion = course.strategy_discussion;
            referral.section_47 = course.enquiry;
            referral.cin_plan = course.cin_plan;
            referral.closure = (closes < as_of).then_some(SyntheticClosure { on: closes, reason });
            reasons.push((referral.child, reason));
            if let Some(person) = self.people.get_mut(referral.child.0 as usize) {
                person.episode_open_until = Some(closes);
            }
        }
        reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_come_at_about_englands_rates() {
        let mut abuse = 0;
        let mut seen = std::collections::HashSet::new();
        for contact in 0..20_000u64 {
            let need = primary_need(contact, PersonKey((contact % 7) as u32));
            seen.insert(need);
            abuse += u32::from(need == PrimaryNeed::AbuseOrNeglect);
        }
        assert!((10_800..=12_000).contains(&abuse), "{abuse}");
        assert_eq!(seen.len(), 10);
    }
}
