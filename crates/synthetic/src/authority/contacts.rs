//! One contact: its source, concern categories, and everything that followed from it.

use super::{episodes, protection};
use super::{
    from_london, london_date, RecentReferral, SyntheticAssessment, SyntheticAuthorisation,
    SyntheticAuthority, SyntheticContact, SyntheticDecision, SyntheticEmergencyAction,
    SyntheticReferral, SyntheticSubject, OUTCOME_MIX, SOURCE_MIX,
};
use crate::household::PersonKey;
use crate::pick::weighted;
use crate::text;
use chrono::{Duration, NaiveDateTime};
use frontdoor_domain::contact::{ConcernCategory, ReferralSource, Urgency};
use frontdoor_domain::decision::{EmergencyAction, ThresholdOutcome};
use frontdoor_domain::history::is_re_referral;
use rand::Rng;

impl SyntheticAuthority {
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

    pub(super) fn contact(&mut self, local: NaiveDateTime, ooh: bool) -> SyntheticContact {
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
        let youngest = ages.iter().copied().min().unwrap_or(0);
        let (family_consent, consent_notes) = self.consent(source, outcome, youngest);
        let channel = text::channel(&mut self.rng, source);
        let referrer = self.referrer(source);
        let concern_summary = text::summary(&mut self.rng, source, &categories, youngest);
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
                // Already open to children's social care: the contact goes to the open case.
                if person.episode_open_until.is_some_and(|until| on < until) {
                    continue;
                }
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
                    primary_need: episodes::primary_need(self.number, *child),
                    closure: None,
                    strategy_discussion: None,
                    section_47: None,
                    cin_plan: None,
                });
                referred.push(*child);
            }
            if !referred.is_empty() {
                self.recent_referrals.push_back(RecentReferral {
                    date: on,
                    household,
                    children: referred.clone(),
                });
            }
            let mut completions = Vec::new();
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
                // (Drawn for every child, so the stream is the same whoever was referred.)
                if !referred.contains(child) {
                    continue;
                }
                completions.push((*child, started_on, completed));
                let done = completed < as_of_day;
                assessments.push(SyntheticAssessment {
                    child: *child,
                    started_on,
                    completed_on: done.then_some(completed),
                    factors: if done {
                        protection::assessment_factors(self.number, *child, &categories)
                    } else {
                        Vec::new()
                    },
                });
            }
            let closures = self.close_episodes(
                &mut referrals,
                &completions,
                outcome,
                authorised_day,
                as_of_day,
            );
            protection::fit_factors_to_closure(&mut assessments, &closures);
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
