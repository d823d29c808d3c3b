//! How the referrer describes a subject, and who the referrer is.

use super::{source_group, SubjectDescription, SyntheticAuthority, SyntheticReferrer};
use crate::household::{HouseholdKey, PersonKey};
use crate::pick::weighted;
use crate::text;
use crate::variation;
use frontdoor_domain::contact::ReferralSource;
use frontdoor_domain::person::Sex;
use rand::Rng;

impl SyntheticAuthority {
    pub(super) fn describe(
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

    pub(super) fn referrer(&mut self, source: ReferralSource) -> SyntheticReferrer {
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
}
