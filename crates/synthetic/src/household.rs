//! Households: one or two adults and one to five children, with the names, dates of birth,
//! identifiers and relationships a local authority would record.
//!
//! Siblings usually share a family name, but not always: step-families, half-siblings, a
//! mother who kept or went back to her own name, Sikh families using Singh and Kaur, Polish
//! family names that change with sex, children who took a step-parent's name (recorded with a
//! previous family name).

use crate::area::{Area, SyntheticAddress};
use crate::identifiers::{NhsNumberAllocator, UpnAllocator};
use crate::names::{feminine_family_name, fold_diacritics, Origin};
use crate::pick::{choose, weighted};
use chrono::{Datelike, Duration, Months, NaiveDate};
use frontdoor_domain::person::{EthnicityCode, NhsNumber, Relationship, Sex, Upn};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A person's number in a generated authority: 0, 1, 2... in the order they first appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonKey(pub u32);

/// A household's number in a generated authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HouseholdKey(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HouseholdRole {
    Adult,
    Child,
}

/// A person as the authority records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticPerson {
    pub key: PersonKey,
    pub household: HouseholdKey,
    pub role: HouseholdRole,
    pub given_name: String,
    pub family_name: String,
    /// Earlier family names (maiden names, a child's name before a step-parent's), oldest first.
    pub previous_family_names: Vec<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub ethnicity: EthnicityCode,
    /// Where the person's names come from (not recorded; it drives the names).
    pub origin: Origin,
    pub nhs_number: Option<NhsNumber>,
    pub upn: Option<Upn>,
    /// CIN census disability code ("NONE" when none).
    pub disabilities: &'static str,
}

impl SyntheticPerson {
    pub fn is_child_on(&self, on: NaiveDate) -> bool {
        on.years_since(self.birth_date).is_some_and(|age| age < 18) || self.birth_date > on
    }
}

/// A relationship, from `person`'s point of view ("person is parent of related").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticRelationship {
    pub person: PersonKey,
    pub relationship: Relationship,
    pub related: PersonKey,
}

/// A household, emitted with the first contact about any of its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticHousehold {
    pub key: HouseholdKey,
    pub address: SyntheticAddress,
    pub people: Vec<SyntheticPerson>,
    pub relationships: Vec<SyntheticRelationship>,
}

impl SyntheticHousehold {
    pub fn adults(&self) -> impl Iterator<Item = &SyntheticPerson> {
        self.people
            .iter()
            .filter(|p| p.role == HouseholdRole::Adult)
    }
    pub fn children(&self) -> impl Iterator<Item = &SyntheticPerson> {
        self.people
            .iter()
            .filter(|p| p.role == HouseholdRole::Child)
    }
}

const DISABILITIES: &[&str] = &[
    "AUT", "LD", "BEH", "COMM", "MOB", "HEAR", "VIS", "CON", "HAND", "PC", "DDA",
];

/// Makes households of people, numbering people and households in order.
#[derive(Debug, Clone)]
pub struct PopulationGenerator {
    pub(crate) area: Area,
    nhs: NhsNumberAllocator,
    upn: UpnAllocator,
    next_person: u32,
    next_household: u32,
}

/// A person before identifiers are given: names, sex, date of birth.
struct PersonSpec {
    origin: Origin,
    sex: Sex,
    given: String,
    family: String,
    previous: Vec<String>,
    birth: NaiveDate,
}

fn date_minus_years(on: NaiveDate, years: u32) -> NaiveDate {
    on.checked_sub_months(Months::new(years * 12)).unwrap_or(on)
}

impl PopulationGenerator {
    pub fn new(area: Area, seed: u64) -> Self {
        Self {
            area,
            nhs: NhsNumberAllocator::new(seed),
            upn: UpnAllocator::default(),
            next_person: 0,
            next_household: 0,
        }
    }

    pub fn area(&self) -> &Area {
        &self.area
    }

    pub fn people_so_far(&self) -> u32 {
        self.next_person
    }

    fn origin(rng: &mut ChaCha8Rng) -> Origin {
        let items: Vec<(Origin, f64)> = Origin::ALL.iter().map(|o| (*o, o.weight())).collect();
        weighted(rng, &items, Origin::WhiteBritish)
    }

    /// The age of the child a contact is about (referral age profile: more babies and
    /// teenagers than a flat spread).
    pub(crate) fn contact_age(rng: &mut ChaCha8Rng) -> u32 {
        let bucket = weighted(
            rng,
            &[(0u32, 10.0), (1, 20.0), (5, 27.0), (10, 32.0), (16, 11.0)],
            5,
        );
        match bucket {
            0 => 0,
            1 => rng.gen_range(1..=4),
            5 => rng.gen_range(5..=9),
            10 => rng.gen_range(10..=15),
            _ => rng.gen_range(16..=17),
        }
    }

    fn birth_date_for_age(rng: &mut ChaCha8Rng, on: NaiveDate, age: u32) -> NaiveDate {
        // A birthday between `age` and `age + 1` years before `on`.
        let latest = date_minus_years(on, age);
        latest - Duration::days(rng.gen_range(1..365))
    }

    fn given_name(rng: &mut ChaCha8Rng, origin: Origin, sex: Sex, child: bool) -> String {
        let lists = origin.names();
        let list = match (sex, child) {
            (Sex::Male, true) => lists.boys,
            (Sex::Male, false) => lists.men,
            (_, true) => lists.girls,
            (_, false) => lists.women,
        };
        choose(rng, list).to_string()
    }

    fn family_name(rng: &mut ChaCha8Rng, origin: Origin) -> String {
        choose(rng, origin.names().family).to_string()
    }

    fn adult(rng: &mut ChaCha8Rng, origin: Origin, sex: Sex, birth: NaiveDate) -> PersonSpec {
        let family = Self::family_name(rng, origin);
        PersonSpec {
            origin,
            sex,
            given: Self::given_name(rng, origin, sex, false),
            family: if sex == Sex::Female {
                feminine_family_name(origin, &family)
            } else {
                family
            },
            previous: Vec::new(),
            birth,
        }
    }

    /// Makes a household on `on`: one child is of the age children at the front door are
    /// (more babies and teenagers), the siblings around them.
    pub fn household(&mut self, rng: &mut ChaCha8Rng, on: NaiveDate) -> SyntheticHousehold {
        let key = HouseholdKey(self.next_household);
        self.next_household += 1;
        let address = self.area.address(rng);

        // Who the family are.
        let main_origin = Self::origin(rng);
        let mixed = main_origin != Origin::WhiteBritish && rng.gen_bool(0.22);
        let (mother_origin, partner_origin) = if mixed {
            if rng.gen_bool(0.5) {
                (Origin::WhiteBritish, main_origin)
            } else {
                (main_origin, Origin::WhiteBritish)
            }
        } else {
            (main_origin, main_origin)
        };
        let two_adults = rng.gen_bool(0.62);
        let single_father = !two_adults && rng.gen_bool(0.08);
        let step_family = two_adults && rng.gen_bool(0.22);
        let children_count = weighted(
            rng,
            &[(1usize, 36.0), (2, 30.0), (3, 19.0), (4, 10.0), (5, 5.0)],
            1,
        );
        let plain_letters = rng.gen_bool(0.5);
        let sikh_names = mother_origin == Origin::Sikh && rng.gen_bool(0.6);

        // Children's ages: one about the contact's age, siblings around it.
        let index_age = Self::contact_age(rng);
        let mut births = vec![Self::birth_date_for_age(rng, on, index_age)];
        let twins = children_count >= 2 && rng.gen_bool(0.03);
        for i in 1..children_count {
            if twins && i == 1 {
                births.push(births[0]);
                continue;
            }
            let offset: i32 = rng.gen_range(-8..=8);
            let age = (index_age as i32 + offset).clamp(0, 17) as u32;
            births.push(Self::birth_date_for_age(rng, on, age));
        }
        births.sort();
        let oldest = births[0];

        // Parents' ages follow from the oldest child's.
        let mother_age_at_first: u32 = weighted(
            rng,
            &[
                (18u32, 1.0),
                (19, 3.0),
                (22, 4.0),
                (26, 4.0),
                (30, 3.0),
                (34, 1.5),
            ],
            24,
        );
        let mother_birth = date_minus_years(oldest, mother_age_at_first + rng.gen_range(0..3))
            - Duration::days(rng.gen_range(0..365));
        let first_sex = if single_father {
            Sex::Male
        } else {
            Sex::Female
        };
        let mut first = Self::adult(rng, mother_origin, first_sex, mother_birth);
        let mut partner = two_adults.then(|| {
            let sex = if rng.gen_bool(0.02) {
                Sex::Female
            } else {
                Sex::Male
            };
            let years: i64 = rng.gen_range(-3..=8);
            let birth = (mother_birth - Duration::days(years * 365 + rng.gen_range(0..365)))
                .min(date_minus_years(on, 18) - Duration::days(rng.gen_range(1..200)));
            Self::adult(rng, partner_origin, sex, birth)
        });
        // The children's other birth parent when it is not the partner.
        let absent_parent_family = Self::family_name(rng, main_origin);

        // Mother's name: took a partner's name, kept her own, or went back to it.
        if first.sex == Sex::Female {
            let maiden = first.family.clone();
            let keeps_own = rng.gen_bool(first.origin.mother_keeps_own_name());
            match &partner {
                Some(p) if p.sex == Sex::Male && !keeps_own && rng.gen_bool(0.7) => {
                    first.family = feminine_family_name(first.origin, &p.family);
                    if step_family && rng.gen_bool(0.4) {
                        first.previous.push(maiden);
                        first
                            .previous
                            .push(feminine_family_name(first.origin, &absent_parent_family));
                    } else {
                        first.previous.push(maiden);
                    }
                }
                None if !keeps_own && rng.gen_bool(0.45) => {
                    first.family = feminine_family_name(first.origin, &absent_parent_family);
                    first.previous.push(maiden);
                }
                _ => {}
            }
        }

        // Children: sex, family name, previous names.
        let half_siblings_from = if step_family {
            rng.gen_range(1..=children_count)
        } else {
            children_count
        };
        let double_barrelled = two_adults && !step_family && rng.gen_bool(0.05);
        let mut children = Vec::new();
        for (i, birth) in births.iter().enumerate() {
            let sex = if on.signed_duration_since(*birth).num_days() < 60 && rng.gen_bool(0.02) {
                Sex::NotKnown
            } else if rng.gen_bool(0.51) {
                Sex::Male
            } else {
                Sex::Female
            };
            let name_origin = if mixed && rng.gen_bool(0.5) {
                partner_origin
            } else {
                mother_origin
            };
            let naming_sex = if sex == Sex::Male {
                Sex::Male
            } else {
                Sex::Female
            };
            let given = Self::given_name(rng, name_origin, naming_sex, true);
            let of_new_couple = !step_family || i >= half_siblings_from;
            let (mut family, mut previous) = match (&partner, of_new_couple) {
                (Some(p), true) if p.sex == Sex::Male => (p.family.clone(), vec![]),
                (Some(p), false) if p.sex == Sex::Male && rng.gen_bool(0.25) => {
                    // Took the step-parent's name.
                    (p.family.clone(), vec![absent_parent_family.clone()])
                }
                (Some(_), false) => (absent_parent_family.clone(), vec![]),
                _ => {
                    if first.sex == Sex::Male || rng.gen_bool(0.5) {
                        (first.family.clone(), vec![])
                    } else {
                        (absent_parent_family.clone(), vec![])
                    }
                }
            };
            if double_barrelled {
                if let Some(maiden) = first.previous.first() {
                    family = format!("{maiden}-{family}");
                }
            }
            if sikh_names {
                family = if sex == Sex::Male {
                    "Singh".into()
                } else {
                    "Kaur".into()
                };
                previous.clear();
            }
            if naming_sex == Sex::Female {
                family = feminine_family_name(mother_origin, &family);
            }
            children.push(PersonSpec {
                origin: name_origin,
                sex,
                given,
                family,
                previous,
                birth: *birth,
            });
        }
        if sikh_names {
            first.family = if first.sex == Sex::Male {
                "Singh".into()
            } else {
                "Kaur".into()
            };
            if let Some(p) = partner.as_mut() {
                p.family = if p.sex == Sex::Male {
                    "Singh".into()
                } else {
                    "Kaur".into()
                };
            }
        }

        let household = key;
        let mut people = Vec::new();
        let first_key = PersonKey(self.next_person);
        self.next_person += 1;
        let ethnicity = Self::recorded_ethnicity(rng, first.origin.ethnicity());
        people.push(self.person(
            rng,
            on,
            plain_letters,
            household,
            first_key,
            HouseholdRole::Adult,
            first,
            ethnicity,
        ));
        let mut partner_key = None;
        if let Some(p) = partner {
            let pk = PersonKey(self.next_person);
            self.next_person += 1;
            partner_key = Some(pk);
            let ethnicity = Self::recorded_ethnicity(rng, p.origin.ethnicity());
            people.push(self.person(
                rng,
                on,
                plain_letters,
                household,
                pk,
                HouseholdRole::Adult,
                p,
                ethnicity,
            ));
        }
        let mut child_keys = Vec::new();
        for (i, child) in children.into_iter().enumerate() {
            let code = if mixed && (!step_family || i >= half_siblings_from) {
                let other = if mother_origin == Origin::WhiteBritish {
                    partner_origin
                } else {
                    mother_origin
                };
                EthnicityCode::parse(other.mixed_with_white_british())
                    .unwrap_or(EthnicityCode::NOT_OBTAINED)
            } else {
                mother_origin.ethnicity()
            };
            let ethnicity = Self::recorded_ethnicity(rng, code);
            let ck = PersonKey(self.next_person);
            self.next_person += 1;
            child_keys.push(ck);
            people.push(self.person(
                rng,
                on,
                plain_letters,
                household,
                ck,
                HouseholdRole::Child,
                child,
                ethnicity,
            ));
        }

        let mut relationships = Vec::new();
        for (i, child) in child_keys.iter().enumerate() {
            relationships.push(SyntheticRelationship {
                person: first_key,
                relationship: Relationship::ParentOf,
                related: *child,
            });
            if let Some(pk) = partner_key {
                let relationship = if step_family && i < half_siblings_from {
                    Relationship::StepParentOf
                } else {
                    Relationship::ParentOf
                };
                relationships.push(SyntheticRelationship {
                    person: pk,
                    relationship,
                    related: *child,
                });
            }
        }
        if let Some(pk) = partner_key {
            relationships.push(SyntheticRelationship {
                person: first_key,
                relationship: Relationship::PartnerOf,
                related: pk,
            });
        }
        for (i, a) in child_keys.iter().enumerate() {
            for b in &child_keys[i + 1..] {
                relationships.push(SyntheticRelationship {
                    person: *a,
                    relationship: Relationship::SiblingOf,
                    related: *b,
                });
            }
        }
        SyntheticHousehold {
            key,
            address,
            people,
            relationships,
        }
    }

    /// Finishes a person: identifiers, disability, letters as this family's records show them.
    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        rng: &mut ChaCha8Rng,
        on: NaiveDate,
        plain_letters: bool,
        household: HouseholdKey,
        key: PersonKey,
        role: HouseholdRole,
        spec: PersonSpec,
        ethnicity: EthnicityCode,
    ) -> SyntheticPerson {
        let child = role == HouseholdRole::Child;
        let nhs_number = if rng.gen_bool(if child { 0.93 } else { 0.72 }) {
            self.nhs.allocate()
        } else {
            None
        };
        let age = on.years_since(spec.birth).unwrap_or(0);
        let upn = if child && (4..18).contains(&age) && rng.gen_bool(0.6) {
            self.upn.allocate(spec.birth.year() + 4)
        } else {
            None
        };
        let disabilities = if child && rng.gen_bool(0.06) {
            choose(rng, DISABILITIES)
        } else {
            "NONE"
        };
        let fold = |s: String| {
            if plain_letters {
                fold_diacritics(&s)
            } else {
                s
            }
        };
        SyntheticPerson {
            key,
            household,
            role,
            given_name: fold(spec.given),
            family_name: fold(spec.family),
            previous_family_names: spec.previous.into_iter().map(fold).collect(),
            birth_date: spec.birth,
            sex: spec.sex,
            ethnicity,
            origin: spec.origin,
            nhs_number,
            upn,
            disabilities,
        }
    }

    /// Most records carry the family's code; some are not yet obtained or were refused.
    fn recorded_ethnicity(rng: &mut ChaCha8Rng, code: EthnicityCode) -> EthnicityCode {
        let roll: f64 = rng.gen();
        if roll < 0.045 {
            EthnicityCode::NOT_OBTAINED
        } else if roll < 0.055 {
            EthnicityCode::parse("REFU").unwrap_or(EthnicityCode::NOT_OBTAINED)
        } else {
            code
        }
    }
}
