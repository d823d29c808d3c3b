//! Probability tables, the shared-household adjustment and name frequencies: the `u`
//! probabilities that depend on the records compared.

use super::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// m and u probabilities in fixed arrays, indexed by field and level (see [`Field::levels`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ProbabilityTable {
    pub m: [[f64; MAX_LEVELS]; FIELD_COUNT],
    pub u: [[f64; MAX_LEVELS]; FIELD_COUNT],
    pub household_postcode_u: f64,
    pub household_date_of_birth_u: f64,
}

impl ProbabilityTable {
    /// From validated parameters.
    pub fn from_parameters(parameters: &ModelParameters) -> Self {
        let mut table = ProbabilityTable {
            m: [[1.0; MAX_LEVELS]; FIELD_COUNT],
            u: [[1.0; MAX_LEVELS]; FIELD_COUNT],
            household_postcode_u: parameters.household.postcode_u,
            household_date_of_birth_u: parameters.household.date_of_birth_u,
        };
        for field in Field::ALL {
            for (l, &agreement) in field.levels().iter().enumerate() {
                if let Some(lp) = parameters.level(field, agreement) {
                    table.m[field.index()][l] = lp.m;
                    table.u[field.index()][l] = lp.u;
                }
            }
        }
        table
    }

    /// Write the table's probabilities back into a copy of `base`.
    pub fn to_parameters(self, base: &ModelParameters) -> ModelParameters {
        let mut parameters = base.clone();
        parameters.fields = Field::ALL
            .iter()
            .map(|&field| FieldParameters {
                field,
                levels: field
                    .levels()
                    .iter()
                    .enumerate()
                    .map(|(l, &agreement)| LevelParameters {
                        agreement,
                        m: self.m[field.index()][l],
                        u: self.u[field.index()][l],
                    })
                    .collect(),
            })
            .collect();
        parameters.household = HouseholdParameters {
            postcode_u: self.household_postcode_u,
            date_of_birth_u: self.household_date_of_birth_u,
        };
        parameters
    }

    /// The u probability of `level` of a household-conditioned field: the agreeing level takes
    /// the household probability `h`, the others share the rest in their usual proportions.
    pub fn conditioned_u(&self, field: Field, level: usize, h: f64) -> f64 {
        let u = &self.u[field.index()];
        if level == 0 {
            h
        } else {
            let rest = (1.0 - u[0]).max(f64::MIN_POSITIVE);
            u[level] * (1.0 - h) / rest
        }
    }
}

/// Whether the household refinement applies to a pair (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Household {
    /// Family names agree, partly agree or one is blank: postcode (and address) agreement is
    /// conditioned.
    pub postcode_conditioned: bool,
    /// ...and the given names do not tell the two apart: date-of-birth agreement is
    /// conditioned (it is what twins look like).
    pub date_of_birth_conditioned: bool,
    /// Family names and postcodes both agree: no frequency adjustment of the family name.
    pub family_unadjusted: bool,
}

impl Household {
    pub fn of(
        given: Agreement,
        family: Agreement,
        postcode: Agreement,
        address: Agreement,
    ) -> Self {
        use PartialAgreement as P;
        let maybe_same_household = matches!(
            family,
            Agreement::Agree | Agreement::PartlyAgree(_) | Agreement::Missing
        );
        let same_address = postcode == Agreement::Agree || address == Agreement::Agree;
        let names_identify = matches!(
            given,
            Agreement::Agree
                | Agreement::PartlyAgree(P::Nickname)
                | Agreement::PartlyAgree(P::NamesSwapped)
        );
        Household {
            postcode_conditioned: maybe_same_household,
            date_of_birth_conditioned: maybe_same_household && !names_identify,
            family_unadjusted: family == Agreement::Agree && same_address,
        }
    }
}

/// How often each normalised name occurs in the data, for frequency-adjusted name weights.
/// Count first given names and current family names of every person in the index (the
/// store keeps it up to date as people are added, changed and merged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameFrequencies {
    given: HashMap<String, u64>,
    family: HashMap<String, u64>,
    pub(super) given_total: u64,
    pub(super) family_total: u64,
}

impl NameFrequencies {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Count the names of `records`.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a MatchRecord>) -> Self {
        let mut table = Self::new();
        for record in records {
            table.add_record(record);
        }
        table
    }

    /// Count one record's first given name and family name.
    pub fn add_record(&mut self, record: &MatchRecord) {
        if let Some(given) = record.first_given_name() {
            self.add_given_name(given.text(), 1);
        }
        if let Some(family) = record.family_name() {
            self.add_family_name(family.full().text(), 1);
        }
    }

    /// Uncount one record (when it is changed or merged away).
    pub fn remove_record(&mut self, record: &MatchRecord) {
        if let Some(given) = record.first_given_name() {
            decrement(&mut self.given, &mut self.given_total, given.text());
        }
        if let Some(family) = record.family_name() {
            decrement(
                &mut self.family,
                &mut self.family_total,
                family.full().text(),
            );
        }
    }

    /// Add `count` records with the normalised given name `name`.
    pub fn add_given_name(&mut self, name: &str, count: u64) {
        *self.given.entry(name.to_string()).or_default() += count;
        self.given_total += count;
    }

    /// Add `count` records with the normalised family name `name`.
    pub fn add_family_name(&mut self, name: &str, count: u64) {
        *self.family.entry(name.to_string()).or_default() += count;
        self.family_total += count;
    }

    /// How many records have the normalised given name.
    pub fn given_count(&self, name: &str) -> u64 {
        self.given.get(name).copied().unwrap_or(0)
    }

    /// How many records have the normalised family name.
    pub fn family_count(&self, name: &str) -> u64 {
        self.family.get(name).copied().unwrap_or(0)
    }

    /// How many given names were counted.
    pub fn given_total(&self) -> u64 {
        self.given_total
    }

    /// How many family names were counted.
    pub fn family_total(&self) -> u64 {
        self.family_total
    }
}

pub(super) fn decrement(map: &mut HashMap<String, u64>, total: &mut u64, name: &str) {
    if let Some(count) = map.get_mut(name) {
        *count = count.saturating_sub(1);
        *total = total.saturating_sub(1);
        if *count == 0 {
            map.remove(name);
        }
    }
}
