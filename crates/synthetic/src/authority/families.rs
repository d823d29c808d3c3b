//! What is remembered of people and households, and which family a contact comes back to.

use super::{KnownHousehold, KnownPerson, SyntheticAuthority};
use crate::household::{HouseholdKey, PersonKey, SyntheticHousehold};
use chrono::NaiveDate;
use frontdoor_domain::history::{
    count_in_last_twelve_months, is_re_referral, twelve_months_before,
};
use rand::Rng;

impl SyntheticAuthority {
    pub(super) fn remember(&mut self, household: &SyntheticHousehold) {
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
                episode_open_until: None,
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

    pub(super) fn person(&self, key: PersonKey) -> Option<&KnownPerson> {
        self.people.get(key.0 as usize)
    }

    pub(super) fn is_child_on(&self, key: PersonKey, on: NaiveDate) -> bool {
        self.person(key)
            .is_some_and(|p| p.birth < on && on.years_since(p.birth).is_some_and(|age| age < 18))
    }

    pub(super) fn age_on(&self, key: PersonKey, on: NaiveDate) -> u32 {
        self.person(key)
            .and_then(|p| on.years_since(p.birth))
            .unwrap_or(0)
    }

    /// A recently referred household whose children can be re-referred today.
    pub(super) fn re_referral_candidate(
        &mut self,
        on: NaiveDate,
    ) -> Option<(HouseholdKey, Vec<PersonKey>)> {
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
    pub(super) fn known_household(
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
    pub(super) fn some_children(&mut self, eligible: &[PersonKey]) -> Vec<PersonKey> {
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
}
