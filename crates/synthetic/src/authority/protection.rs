//! What follows a referral beyond the assessment: strategy discussions (decided at the front
//! door, or during the assessment), section 47 enquiries, initial child protection conferences
//! (mostly within 15 working days of the discussion), child protection plans with a category of
//! abuse, review conferences (within 3 months, then at most every 6 months) and statutory
//! visits, child in need plans, and the episode's closure after all of it.
//!
//! Rates are England's, year to 31 March 2025: per 632,830 referrals, 230,590 section 47
//! enquiries (36%), 72,100 initial conferences (31% of enquiries) and 61,840 plans (86% of
//! conferences); plans by initial category at about England's proportions.
//!
//! Like the episode's course, every choice is worked out from the contact's number, the child
//! and what is being chosen — never drawn from the generator's random stream — so the rest of
//! the generated authority is as it was. Each child's history is consistent: a plan ends after
//! it starts, its reviews fall inside it, a child in need plan never runs beside a child
//! protection plan, and the episode closes after everything in it.

use super::episodes::mix;
use super::{SyntheticAuthority, SyntheticClosure};
use crate::household::PersonKey;
use chrono::NaiveDate;
use frontdoor_domain::assessment::{parse_factors, AssessmentFactor, NO_FACTORS_IDENTIFIED};
use frontdoor_domain::child_protection::{next_review_due, CategoryOfAbuse};
use frontdoor_domain::contact::ConcernCategory;
use frontdoor_domain::decision::ThresholdOutcome;
use frontdoor_domain::episode::ClosureReason;

/// A strategy discussion a referral led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticStrategyDiscussion {
    /// Decided while the child's assessment was under way (otherwise by the threshold decision).
    pub during_assessment: bool,
    pub decided_on: NaiveDate,
    /// The next working day for most; three working days on for one in ten.
    pub held_on: NaiveDate,
    /// Decided on a section 47 enquiry (otherwise no further action under section 47).
    pub section_47: bool,
}

/// A section 47 enquiry, started the day its strategy discussion was held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticEnquiry {
    pub started_on: NaiveDate,
    /// The social worker's visit (the child seen), after the discussion agreed the plan.
    pub visited_on: Option<NaiveDate>,
    /// The child was seen alone on the visit (old enough to be).
    pub visit_seen_alone: bool,
    pub completed_on: Option<NaiveDate>,
    pub concerns_substantiated: bool,
    pub icpc_needed: bool,
    /// The initial child protection conference, when held by `as_of`.
    pub icpc_held_on: Option<NaiveDate>,
    /// The plan the initial conference started.
    pub plan: Option<SyntheticProtectionPlan>,
}

/// A child protection plan, started by the initial conference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticProtectionPlan {
    pub started_on: NaiveDate,
    pub category: CategoryOfAbuse,
    /// Review conferences held, in order; a plan that ended at a review ends on the last.
    pub reviews: Vec<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    /// Ended between reviews (the family moved away), not at a review conference.
    pub ended_between_reviews: bool,
    pub visits: Vec<SyntheticVisit>,
}

/// A statutory visit to a child on a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticVisit {
    pub on: NaiveDate,
    pub seen_alone: bool,
}

/// A child in need plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticCinPlan {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// What a referral's course depends on.
pub(super) struct Course {
    pub contact: u64,
    pub child: PersonKey,
    pub outcome: ThresholdOutcome,
    pub authorised_on: NaiveDate,
    /// The assessment's start and (planned) end, when the child is assessed.
    pub assessment: Option<(NaiveDate, NaiveDate)>,
}

/// The course beyond the assessment, before the history's end cuts it.
#[derive(Debug, Default)]
pub(super) struct Protection {
    pub strategy_discussion: Option<SyntheticStrategyDiscussion>,
    pub enquiry: Option<SyntheticEnquiry>,
    pub cin_plan: Option<SyntheticCinPlan>,
    /// The episode's closure, when the enquiry decides it.
    pub closure: Option<SyntheticClosure>,
}

/// Per thousand threshold decisions of a strategy discussion (of an assessed child) that
/// decide on a section 47 enquiry.
const FRONT_DOOR_DISCUSSION_SECTION_47: u64 = 850;
/// Per thousand assessed referrals for assessment that have a strategy discussion during the
/// assessment, and per thousand of those that decide on an enquiry: with the front door's
/// discussions, section 47 enquiries come to about 36% of referrals, as in England.
const ASSESSMENT_DISCUSSION: u64 = 340;
const ASSESSMENT_DISCUSSION_SECTION_47: u64 = 850;
/// Per thousand enquiries that need an initial conference (England: 72,100 of 230,590).
const ICPC_NEEDED: u64 = 313;
/// Per thousand initial conferences that start a plan (England: 61,840 of 72,100).
const PLAN_STARTED: u64 = 858;
/// Per hundred initial conferences held within 15 working days of the discussion.
const ICPC_IN_TIME: u64 = 80;
/// Plans starting by initial category, per thousand (England, about: neglect half, emotional
/// abuse over a third, then physical, sexual and multiple).
const CATEGORY_MIX: [(CategoryOfAbuse, u64); 5] = [
    (CategoryOfAbuse::Neglect, 505),
    (CategoryOfAbuse::EmotionalAbuse, 375),
    (CategoryOfAbuse::PhysicalAbuse, 70),
    (CategoryOfAbuse::SexualAbuse, 35),
    (CategoryOfAbuse::Multiple, 15),
];
/// Review conferences a plan has before it ends at one, per hundred plans: about a third end at
/// the first review (3 months), most within a year, a few run past two years.
const REVIEWS_TO_END: [(usize, u64); 5] = [(1, 30), (2, 40), (3, 20), (4, 8), (5, 2)];

/// A roll for one choice about one child on one contact.
fn roll(course: &Course, choice: u64) -> u64 {
    mix(
        course
            .contact
            .wrapping_add(choice.wrapping_mul(0xA076_1D64_78BD_642F)),
        course.child,
    )
}

/// A number from `low` to `high` (inclusive) from a roll.
fn between(roll: u64, low: u32, high: u32) -> u32 {
    low + (roll % u64::from(high.saturating_sub(low) + 1)) as u32
}

fn pick<T: Copy>(roll: u64, mix: &[(T, u64)], fallback: T) -> T {
    let total: u64 = mix.iter().map(|(_, w)| w).sum();
    let mut at = roll % total.max(1);
    for (item, weight) in mix {
        if at < *weight {
            return *item;
        }
        at -= weight;
    }
    fallback
}

/// The census factors an assessment identified, from the contact's concerns: one or more,
/// with parental mental health, substance misuse and domestic abuse added where assessments
/// find them beyond what the referrer said; about one in twenty finds none (21).
pub(super) fn assessment_factors(
    contact: u64,
    child: PersonKey,
    concerns: &[ConcernCategory],
) -> Vec<AssessmentFactor> {
    use ConcernCategory as C;
    let course = Course {
        contact,
        child,
        outcome: ThresholdOutcome::ReferralForAssessment,
        authorised_on: NaiveDate::MIN,
        assessment: None,
    };
    if roll(&course, 40) % 100 < 5 {
        return parse_factors(&[NO_FACTORS_IDENTIFIED]).unwrap_or_default();
    }
    let mut codes: Vec<&str> = Vec::new();
    for concern in concerns {
        codes.extend_from_slice(match concern {
            C::Neglect => &["16A"],
            C::PhysicalAbuse => &["19B"],
            C::SexualAbuse => &["18B"],
            C::EmotionalAbuse => &["17A"],
            C::DomesticAbuse => &["3A", "3B"],
            C::ChildSexualExploitation => &["11A"],
            C::ChildCriminalExploitation => &["23A"],
            C::GoingMissing => &["10A"],
            C::ParentalMentalHealth => &["4B"],
            C::ParentalSubstanceMisuse => {
                if roll(&course, 41) % 2 == 0 {
                    &["2B"]
                } else {
                    &["1B"]
                }
            }
            C::ChildMentalHealth => &["4A"],
            C::SelfHarm => &["15A"],
            C::FemaleGenitalMutilation => &["20"],
            C::Disability => &["6A"],
            C::Radicalisation | C::Homelessness | C::Other => &["24A"],
        });
    }
    if roll(&course, 42) % 100 < 18 {
        codes.push("4B");
    }
    if roll(&course, 43) % 100 < 10 {
        codes.push("2B");
    }
    if roll(&course, 44) % 100 < 12 {
        codes.push("3B");
    }
    if codes.is_empty() {
        codes.push("24A");
    }
    parse_factors(&codes).unwrap_or_default()
}

/// An assessment that found no factors (21) ends the episode as closed after assessment (RC8 or
/// RC9, DfE query 8873Q): where the episode goes on, the assessment found something after all
/// (24A, other).
pub(super) fn fit_factors_to_closure(
    assessments: &mut [super::SyntheticAssessment],
    closures: &[(PersonKey, ClosureReason)],
) {
    let none = parse_factors(&[NO_FACTORS_IDENTIFIED]).unwrap_or_default();
    for assessment in assessments.iter_mut().filter(|a| a.factors == none) {
        let after_assessment = closures.iter().any(|(child, reason)| {
            *child == assessment.child
                && matches!(
                    reason,
                    ClosureReason::ClosedAfterAssessmentNoFurtherAction
                        | ClosureReason::ClosedAfterAssessmentEarlyHelp
                )
        });
        if !after_assessment {
            assessment.factors = parse_factors(&["24A"]).unwrap_or_default();
        }
    }
}

impl SyntheticAuthority {
    /// `n` working days before `date` (a working day itself).
    fn working_days_before(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        for _ in 0..n {
            day = self.calendar.previous_working_day(day);
        }
        day
    }

    /// The course of a referral beyond its assessment (not yet cut at `as_of`).
    pub(super) fn protection(&self, course: &Course) -> Protection {
        let calendar = &self.calendar;
        let held = |decided_on: NaiveDate| {
            let late = roll(course, 1) % 10 == 9;
            calendar.add_working_days(decided_on, if late { 3 } else { 1 })
        };
        let discussion = match (course.outcome, course.assessment) {
            (ThresholdOutcome::StrategyDiscussion, assessment) => {
                Some(SyntheticStrategyDiscussion {
                    during_assessment: false,
                    decided_on: course.authorised_on,
                    held_on: held(course.authorised_on),
                    // An enquiry goes with an assessment: a child not assessed is not enquired into.
                    section_47: assessment.is_some()
                        && roll(course, 2) % 1000 < FRONT_DOOR_DISCUSSION_SECTION_47,
                })
            }
            (ThresholdOutcome::ReferralForAssessment, Some((start, end)))
                if roll(course, 3) % 1000 < ASSESSMENT_DISCUSSION =>
            {
                let length = calendar.working_days_between(start, end).max(5) as u32;
                let decided_on =
                    calendar.add_working_days(start, between(roll(course, 4), 1, length - 4));
                Some(SyntheticStrategyDiscussion {
                    during_assessment: true,
                    decided_on,
                    held_on: held(decided_on),
                    section_47: roll(course, 2) % 1000 < ASSESSMENT_DISCUSSION_SECTION_47,
                })
            }
            _ => None,
        };
        let mut protection = Protection {
            strategy_discussion: discussion.clone(),
            ..Protection::default()
        };
        let Some(discussion) = discussion.filter(|d| d.section_47) else {
            return protection;
        };
        let assessed_by = course.assessment.map(|(_, end)| end);
        let started_on = discussion.held_on;
        let visited_on = calendar.add_working_days(started_on, between(roll(course, 5), 1, 2));
        let icpc_needed = roll(course, 6) % 1000 < ICPC_NEEDED;
        let mut enquiry = SyntheticEnquiry {
            started_on,
            visited_on: Some(visited_on),
            visit_seen_alone: self.age_on(course.child, visited_on) >= 4
                && roll(course, 16) % 100 < 85,
            completed_on: None,
            concerns_substantiated: icpc_needed || roll(course, 11) % 100 < 40,
            icpc_needed,
            icpc_held_on: None,
            plan: None,
        };
        // Where the enquiry leaves the child: the day protection work ends, whether a child in
        // need plan follows, and whether the family moved away.
        let (protection_ends, cin_plan_share, moved) = if icpc_needed {
            let days = if roll(course, 7) % 100 < ICPC_IN_TIME {
                between(roll(course, 8), 8, 15)
            } else {
                between(roll(course, 8), 16, 30)
            };
            let icpc_on = calendar.add_working_days(started_on, days);
            enquiry.completed_on =
                Some(calendar.add_working_days(started_on, days - between(roll(course, 9), 1, 3)));
            enquiry.icpc_held_on = Some(icpc_on);
            if roll(course, 10) % 1000 < PLAN_STARTED {
                let plan = self.plan(course, icpc_on);
                let ended_on = plan.ended_on.unwrap_or(icpc_on);
                let moved = plan.ended_between_reviews;
                enquiry.plan = Some(plan);
                (ended_on, 75, moved)
            } else {
                (icpc_on, 80, false)
            }
        } else {
            let completed = calendar.add_working_days(started_on, between(roll(course, 9), 5, 15));
            enquiry.completed_on = Some(completed);
            (completed, 45, false)
        };
        protection.enquiry = Some(enquiry);
        // Work after the enquiry starts once the assessment is done.
        let after = protection_ends.max(assessed_by.unwrap_or(protection_ends));
        let closure = if moved {
            SyntheticClosure {
                on: calendar.add_working_days(after, between(roll(course, 20), 2, 5)),
                reason: ClosureReason::TransferredToAnotherAuthority,
            }
        } else if roll(course, 21) % 100 < cin_plan_share {
            let started_on = calendar.next_working_day(after);
            let ended_on =
                calendar.add_working_days(started_on, between(roll(course, 22), 40, 130));
            protection.cin_plan = Some(SyntheticCinPlan {
                started_on,
                ended_on: Some(ended_on),
            });
            SyntheticClosure {
                on: ended_on,
                reason: ClosureReason::ServicesCeased,
            }
        } else {
            SyntheticClosure {
                on: calendar.add_working_days(after, between(roll(course, 23), 2, 20)),
                reason: ClosureReason::ServicesCeased,
            }
        };
        protection.closure = Some(closure);
        protection
    }

    /// A plan started by the initial conference on `started_on`: its category, its reviews (the
    /// first within 3 months, then within 6 months of the last; a few held late), how it ends,
    /// and its statutory visits every ten working days or so.
    fn plan(&self, course: &Course, started_on: NaiveDate) -> SyntheticProtectionPlan {
        let calendar = &self.calendar;
        let category = pick(roll(course, 12), &CATEGORY_MIX, CategoryOfAbuse::Neglect);
        let reviews_to_end = pick(roll(course, 13), &REVIEWS_TO_END, 2);
        let ended_between_reviews = roll(course, 14) % 100 < 6;
        let mut reviews: Vec<NaiveDate> = Vec::new();
        let mut ended_on = None;
        for i in 0..reviews_to_end {
            let last = reviews.last().copied();
            let due =
                calendar.working_day_on_or_before(next_review_due(calendar, started_on, last));
            let r = roll(course, 60 + i as u64);
            let held = if r % 100 < 5 {
                calendar.add_working_days(due, between(r >> 8, 1, 10))
            } else {
                self.working_days_before(due, between(r >> 8, 0, 8))
            };
            let held = held.max(calendar.next_working_day(last.unwrap_or(started_on)));
            if ended_between_reviews && i + 1 == reviews_to_end {
                let from = last.unwrap_or(started_on);
                let gap = calendar.working_days_between(from, held).max(4) as u32;
                ended_on = Some(calendar.add_working_days(from, between(r >> 16, 2, gap - 2)));
                break;
            }
            reviews.push(held);
            if i + 1 == reviews_to_end {
                ended_on = Some(held);
            }
        }
        let until = ended_on.unwrap_or(NaiveDate::MAX);
        let mut visits = Vec::new();
        let mut on = calendar.add_working_days(started_on, between(roll(course, 15), 2, 7));
        for i in 0u64.. {
            if on >= until || on >= self.end_day {
                break;
            }
            let r = roll(course, 100 + i);
            let age = self.age_on(course.child, on);
            visits.push(SyntheticVisit {
                on,
                seen_alone: age >= 4 && r % 100 < 85,
            });
            let gap = if (r >> 8) % 100 < 10 {
                between(r >> 16, 11, 15)
            } else {
                between(r >> 16, 7, 10)
            };
            on = calendar.add_working_days(on, gap);
        }
        SyntheticProtectionPlan {
            started_on,
            category,
            reviews,
            ended_on,
            ended_between_reviews,
            visits,
        }
    }
}

impl Protection {
    /// The course as far as it had got by `as_of` (dates on or after it are still to come).
    pub(super) fn cut(mut self, as_of: NaiveDate) -> Self {
        let by = |d: Option<NaiveDate>| d.filter(|d| *d < as_of);
        self.strategy_discussion = self.strategy_discussion.filter(|d| d.decided_on < as_of);
        self.enquiry = self.enquiry.filter(|e| e.started_on < as_of).map(|mut e| {
            e.visited_on = by(e.visited_on);
            e.completed_on = by(e.completed_on);
            e.icpc_held_on = by(e.icpc_held_on);
            e.plan = e.plan.filter(|p| p.started_on < as_of).map(|mut p| {
                p.reviews.retain(|r| *r < as_of);
                p.visits.retain(|v| v.on < as_of);
                p.ended_on = by(p.ended_on);
                p
            });
            e
        });
        self.cin_plan = self.cin_plan.filter(|p| p.started_on < as_of).map(|mut p| {
            p.ended_on = by(p.ended_on);
            p
        });
        self
    }
}
