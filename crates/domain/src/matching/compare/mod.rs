//! Comparing two records: the level of agreement of each field (the comparison vector), and
//! the weights that explain the score.
//!
//! The levels depend only on the two records, never on the model's parameters, so comparison
//! vectors can be computed once and used both for scoring and for estimating parameters.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::address::{compare_addresses, AddressComparison};
use super::jaro_winkler::jaro_winkler;
use super::model::{
    match_probability, Agreement, Field, Household, MatchBand, MatchModel, PartialAgreement,
    FIELD_COUNT,
};
use super::name_variants::share_group;
use super::normalise::{NhsDigits, PostcodeParts};
use super::record::{BirthDate, FamilyName, MatchRecord, NameToken};

/// Names at least this similar (Jaro–Winkler) count as a typing error of each other.
pub const TYPO_SIMILARITY: f64 = 0.9;

/// Names that sound alike count as phonetic agreement only when at least this similar in
/// spelling too, so that short names with colliding codes (Emma, Amy: both `AM`) do not.
pub const PHONETIC_MIN_SIMILARITY: f64 = 0.7;

/// Dates of birth at most this many days apart partly agree.
pub const WITHIN_DAYS: i64 = 7;

/// The level of agreement of every field of a pair of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ComparisonVector {
    agreements: [Agreement; FIELD_COUNT],
}

impl Default for ComparisonVector {
    fn default() -> Self {
        ComparisonVector {
            agreements: [Agreement::Missing; FIELD_COUNT],
        }
    }
}

impl ComparisonVector {
    /// A vector with every field missing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The agreement of one field.
    pub fn get(&self, field: Field) -> Agreement {
        self.agreements[field.index()]
    }

    /// Set the agreement of one field (for building vectors by hand, e.g. in tests).
    pub fn set(&mut self, field: Field, agreement: Agreement) -> &mut Self {
        self.agreements[field.index()] = agreement;
        self
    }

    /// All agreements, in the order of [`Field::ALL`].
    pub fn agreements(&self) -> &[Agreement; FIELD_COUNT] {
        &self.agreements
    }

    /// The level index of each field in [`Field::levels`] (`None` when missing).
    pub(crate) fn level_indices(&self) -> [Option<usize>; FIELD_COUNT] {
        let mut indices = [None; FIELD_COUNT];
        for field in Field::ALL {
            indices[field.index()] = field.level_index(self.get(field));
        }
        indices
    }

    pub(crate) fn household(&self) -> Household {
        Household::of(
            self.get(Field::GivenName),
            self.get(Field::FamilyName),
            self.get(Field::Postcode),
            self.get(Field::Address),
        )
    }
}

/// Compare every field of two records.
pub fn comparison_vector(a: &MatchRecord, b: &MatchRecord) -> ComparisonVector {
    let (given, family) = compare_names(a, b);
    let mut v = ComparisonVector::new();
    v.agreements[Field::NhsNumber.index()] = compare_nhs_numbers(a.nhs_number(), b.nhs_number());
    v.agreements[Field::LaPersonId.index()] =
        compare_identifiers(a.la_person_id(), b.la_person_id());
    v.agreements[Field::Upn.index()] = compare_identifiers(a.upn(), b.upn());
    v.agreements[Field::OtherId.index()] = compare_identifiers(a.other_id(), b.other_id());
    v.agreements[Field::GivenName.index()] = given;
    v.agreements[Field::FamilyName.index()] = family;
    v.agreements[Field::DateOfBirth.index()] =
        compare_dates_of_birth(a.date_of_birth(), b.date_of_birth());
    v.agreements[Field::Sex.index()] = match (a.sex(), b.sex()) {
        (Some(x), Some(y)) if x == y => Agreement::Agree,
        (Some(_), Some(_)) => Agreement::Disagree,
        _ => Agreement::Missing,
    };
    v.agreements[Field::Postcode.index()] = compare_postcodes(a.postcode(), b.postcode());
    v.agreements[Field::Address.index()] = match (a.address(), b.address()) {
        (Some(x), Some(y)) => match compare_addresses(x, y) {
            AddressComparison::Agree => Agreement::Agree,
            AddressComparison::SameStreet => Agreement::PartlyAgree(PartialAgreement::SameStreet),
            AddressComparison::Disagree => Agreement::Disagree,
        },
        _ => Agreement::Missing,
    };
    v
}

/// What a weight was adjusted for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightAdjustment {
    /// Exact name agreement weighed by how common the name is: `count` of `total` records
    /// have it.
    NameFrequency { count: u64, total: u64 },
    /// The records could be two members of one household (same family name and address), so
    /// this agreement counts for less (or, for the family name, is not frequency-adjusted).
    SharedHousehold,
    /// The addresses agree, and the postcode is part of the address: counted once, there.
    CountedInAddress,
}

/// How one field compared and what it contributed to the score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FieldComparison {
    /// The field.
    pub field: Field,
    /// How the two values compare.
    pub agreement: Agreement,
    /// The weight contributed, in bits (0 when missing).
    pub weight: f64,
    /// Why the weight differs from the level's plain weight, if it does.
    pub adjustment: Option<WeightAdjustment>,
}

/// The score of a pair of records and, field by field, why.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchExplanation {
    /// The sum of the field weights, in bits: each bit doubles the odds that the records are
    /// the same person.
    pub score: f64,
    /// Every field, in the order of [`Field::ALL`].
    pub fields: [FieldComparison; FIELD_COUNT],
}

impl MatchExplanation {
    /// The comparison of one field.
    pub fn field(&self, field: Field) -> &FieldComparison {
        &self.fields[field.index()]
    }

    /// The comparison vector behind the explanation.
    pub fn comparison_vector(&self) -> ComparisonVector {
        let mut v = ComparisonVector::new();
        for fc in &self.fields {
            v.set(fc.field, fc.agreement);
        }
        v
    }

    /// The probability that the records are the same person, given the prior probability
    /// that two records are (e.g. [`super::ModelParameters::prior_match_probability`]).
    pub fn probability(&self, prior: f64) -> f64 {
        match_probability(self.score, prior)
    }

    /// True when both records carry the same NHS number and it passes the check digit: the
    /// strongest single piece of evidence, which ranks a candidate first.
    pub fn nhs_number_confirmed(&self) -> bool {
        self.field(Field::NhsNumber).agreement == Agreement::Agree
    }

    /// The presentation band of the score under `model`'s thresholds.
    pub fn band(&self, model: &MatchModel) -> MatchBand {
        model.band(self.score)
    }

    /// Order for search results, best first: a confirmed NHS number ranks before any pair
    /// without one; then higher scores first.
    pub fn rank_cmp(&self, other: &MatchExplanation) -> Ordering {
        other
            .nhs_number_confirmed()
            .cmp(&self.nhs_number_confirmed())
            .then_with(|| other.score.total_cmp(&self.score))
    }

    /// One line a field, for people: "Given name: partly agrees: nickname or other form of
    /// the name (+5.6)". Missing fields are left out.
    pub fn lines(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|fc| fc.agreement != Agreement::Missing)
            .map(|fc| {
                let note = match fc.adjustment {
                    Some(WeightAdjustment::NameFrequency { count, total }) => {
                        format!(" [name held by {count} of {total} records]")
                    }
                    Some(WeightAdjustment::SharedHousehold) => {
                        " [could be another member of the same household: counts for less]"
                            .to_string()
                    }
                    Some(WeightAdjustment::CountedInAddress) => {
                        " [part of the same address: counted once, under the address]".to_string()
                    }
                    None => String::new(),
                };
                format!(
                    "{}: {} ({:+.1}){}",
                    fc.field.label(),
                    fc.agreement,
                    fc.weight,
                    note
                )
            })
            .collect()
    }
}

/// Compare two records under a model: the score and, for each field, the agreement and the
/// weight it contributed. Symmetric: `compare(a, b)` and `compare(b, a)` give the same score.
pub fn compare(a: &MatchRecord, b: &MatchRecord, model: &MatchModel) -> MatchExplanation {
    let vector = comparison_vector(a, b);
    explain(&vector, Some((a, b)), model)
}

/// Compare two records of one system (the duplicates report, `persons match --dedupe`): as
/// [`compare`], except that different LA person ids count for nothing. A system gives each of
/// its records its own id, duplicates included, so two ids always differ; the same id on both
/// records still counts in full.
pub fn compare_within_one_system(
    a: &MatchRecord,
    b: &MatchRecord,
    model: &MatchModel,
) -> MatchExplanation {
    let mut explanation = compare(a, b, model);
    let la = &mut explanation.fields[Field::LaPersonId.index()];
    if la.agreement == Agreement::Disagree {
        explanation.score -= la.weight;
        la.agreement = Agreement::Missing;
        la.weight = 0.0;
        la.adjustment = None;
    }
    explanation
}

/// The score alone (the same number as [`compare`]'s).
pub fn score(a: &MatchRecord, b: &MatchRecord, model: &MatchModel) -> f64 {
    compare(a, b, model).score
}

/// Weigh a comparison vector. With the records, exact name agreement is frequency-adjusted
/// when the model has name frequencies.
pub fn explain(
    vector: &ComparisonVector,
    records: Option<(&MatchRecord, &MatchRecord)>,
    model: &MatchModel,
) -> MatchExplanation {
    let household = vector.household();
    let same_address = vector.get(Field::Address) == Agreement::Agree;
    let mut fields = [FieldComparison {
        field: Field::NhsNumber,
        agreement: Agreement::Missing,
        weight: 0.0,
        adjustment: None,
    }; FIELD_COUNT];
    let mut score = 0.0;
    for field in Field::ALL {
        let agreement = vector.get(field);
        let mut weight = 0.0;
        let mut adjustment = None;
        if let Some(level) = field.level_index(agreement) {
            weight = model.weight(field, level);
            let conditioned = match field {
                Field::Postcode | Field::Address => household.postcode_conditioned,
                Field::DateOfBirth => household.date_of_birth_conditioned,
                _ => false,
            };
            if field == Field::Postcode && same_address && agreement != Agreement::Disagree {
                weight = 0.0;
                adjustment = Some(WeightAdjustment::CountedInAddress);
            } else if conditioned {
                weight = model.household_weight(field, level);
                adjustment = Some(WeightAdjustment::SharedHousehold);
            } else if agreement == Agreement::Agree
                && field == Field::FamilyName
                && household.family_unadjusted
            {
                // Within one household a rare surname says nothing more.
                adjustment = Some(WeightAdjustment::SharedHousehold);
            } else if agreement == Agreement::Agree {
                if let Some((name, total)) =
                    records.and_then(|(a, b)| exact_name(field, a, b, model))
                {
                    if let Some((w, count)) = model.name_frequency_weight(field, name) {
                        weight = w;
                        adjustment = Some(WeightAdjustment::NameFrequency { count, total });
                    }
                }
            }
        }
        score += weight;
        fields[field.index()] = FieldComparison {
            field,
            agreement,
            weight,
            adjustment,
        };
    }
    MatchExplanation { score, fields }
}

/// The name two records agree on exactly, for frequency adjustment, with the table's total.
fn exact_name<'a>(
    field: Field,
    a: &'a MatchRecord,
    b: &MatchRecord,
    model: &MatchModel,
) -> Option<(&'a str, u64)> {
    let frequencies = model.name_frequencies()?;
    match field {
        Field::GivenName => {
            let (x, y) = (a.first_given_name()?, b.first_given_name()?);
            (x.text() == y.text()).then_some((x.text(), frequencies.given_total()))
        }
        Field::FamilyName => {
            let (x, y) = (a.family_name()?, b.family_name()?);
            (x.full().text() == y.full().text())
                .then_some((x.full().text(), frequencies.family_total()))
        }
        _ => None,
    }
}

/// Jaro–Winkler in a fixed argument order, so that comparisons are exactly symmetric.
fn similarity(x: &str, y: &str) -> f64 {
    if (x.len(), x) <= (y.len(), y) {
        jaro_winkler(x, y)
    } else {
        jaro_winkler(y, x)
    }
}

fn sounds_alike(x: &NameToken, y: &NameToken) -> bool {
    x.phonetic().sounds_like(y.phonetic())
        && similarity(x.text(), y.text()) >= PHONETIC_MIN_SIMILARITY
}

/// Exact, phonetic or typing-error similarity (used to recognise swapped names).
fn similar(x: &NameToken, y: &NameToken) -> bool {
    x.text() == y.text() || sounds_alike(x, y) || similarity(x.text(), y.text()) >= TYPO_SIMILARITY
}

/// Given and family names, compared together so that a swap can be recognised.
fn compare_names(a: &MatchRecord, b: &MatchRecord) -> (Agreement, Agreement) {
    let given = compare_given_names(a, b);
    let family = compare_family_names(a.family_name(), a, b.family_name(), b);
    if given == Agreement::Disagree && family == Agreement::Disagree && names_swapped(a, b) {
        let swapped = Agreement::PartlyAgree(PartialAgreement::NamesSwapped);
        return (swapped, swapped);
    }
    (given, family)
}

fn names_swapped(a: &MatchRecord, b: &MatchRecord) -> bool {
    let (Some(ag), Some(af), Some(bg), Some(bf)) = (
        a.first_given_name(),
        a.family_name(),
        b.first_given_name(),
        b.family_name(),
    ) else {
        return false;
    };
    let given_like_family = |g: &NameToken, joined: &str, f: &FamilyName| {
        similar(g, f.full()) || joined == f.full().text()
    };
    given_like_family(ag, a.given_names_joined(), bf)
        && given_like_family(bg, b.given_names_joined(), af)
}

fn compare_given_names(a: &MatchRecord, b: &MatchRecord) -> Agreement {
    use PartialAgreement as P;
    let (Some(x), Some(y)) = (a.first_given_name(), b.first_given_name()) else {
        return Agreement::Missing;
    };
    if x.text() == y.text() || a.given_names_joined() == b.given_names_joined() {
        return Agreement::Agree;
    }
    if share_group(x.variant_groups(), y.variant_groups()) {
        return Agreement::PartlyAgree(P::Nickname);
    }
    let other_name = a.given_names().iter().enumerate().any(|(i, p)| {
        b.given_names()
            .iter()
            .enumerate()
            .any(|(j, q)| (i, j) != (0, 0) && p.text().len() > 1 && p.text() == q.text())
    });
    if other_name {
        return Agreement::PartlyAgree(P::OtherGivenName);
    }
    if sounds_alike(x, y) {
        return Agreement::PartlyAgree(P::Phonetic);
    }
    if similarity(x.text(), y.text()) >= TYPO_SIMILARITY {
        return Agreement::PartlyAgree(P::Typo);
    }
    let initial_of =
        |i: &NameToken, n: &NameToken| i.text().len() == 1 && n.text().starts_with(i.text());
    if initial_of(x, y) || initial_of(y, x) {
        return Agreement::PartlyAgree(P::Initial);
    }
    Agreement::Disagree
}

fn compare_family_names(
    x: Option<&FamilyName>,
    a: &MatchRecord,
    y: Option<&FamilyName>,
    b: &MatchRecord,
) -> Agreement {
    use PartialAgreement as P;
    let (Some(x), Some(y)) = (x, y) else {
        return Agreement::Missing;
    };
    if x.full().text() == y.full().text() {
        return Agreement::Agree;
    }
    if (!x.parts().is_empty() || !y.parts().is_empty())
        && x.forms().any(|p| y.forms().any(|q| p.text() == q.text()))
    {
        return Agreement::PartlyAgree(P::NamePart);
    }
    let previous_matches = |previous: &[FamilyName], current: &FamilyName| {
        previous
            .iter()
            .any(|p| current.forms().any(|c| c.text() == p.full().text()))
    };
    let both_previous = a.previous_family_names().iter().any(|p| {
        b.previous_family_names()
            .iter()
            .any(|q| p.full().text() == q.full().text())
    });
    if previous_matches(a.previous_family_names(), y)
        || previous_matches(b.previous_family_names(), x)
        || both_previous
    {
        return Agreement::PartlyAgree(P::PreviousName);
    }
    if sounds_alike(x.full(), y.full()) {
        return Agreement::PartlyAgree(P::Phonetic);
    }
    if similarity(x.full().text(), y.full().text()) >= TYPO_SIMILARITY {
        return Agreement::PartlyAgree(P::Typo);
    }
    Agreement::Disagree
}

/// Dates of birth: exact; day and month swapped; year one out; one digit different; within a
/// week; otherwise disagree.
pub fn compare_dates_of_birth(a: Option<&BirthDate>, b: Option<&BirthDate>) -> Agreement {
    use chrono::Datelike;
    use PartialAgreement as P;
    let (Some(x), Some(y)) = (a, b) else {
        return Agreement::Missing;
    };
    let (dx, dy) = (x.date(), y.date());
    if dx == dy {
        // A date read with day and month exchanged (it was written with a month above 12)
        // agrees as a day and month swap: that is what was written.
        return if x.read_swapped() == y.read_swapped() {
            Agreement::Agree
        } else {
            Agreement::PartlyAgree(P::DayMonthSwapped)
        };
    }
    if dx.year() == dy.year() && dx.month() == dy.day() && dx.day() == dy.month() {
        return Agreement::PartlyAgree(P::DayMonthSwapped);
    }
    if dx.month() == dy.month() && dx.day() == dy.day() && (dx.year() - dy.year()).abs() == 1 {
        return Agreement::PartlyAgree(P::YearOffByOne);
    }
    let different_digits = x
        .digits()
        .iter()
        .zip(y.digits())
        .filter(|(p, q)| p != q)
        .count();
    if different_digits == 1 {
        return Agreement::PartlyAgree(P::OneDigit);
    }
    if (dx - dy).num_days().abs() <= WITHIN_DAYS {
        return Agreement::PartlyAgree(P::WithinDays);
    }
    Agreement::Disagree
}

/// NHS numbers: exact (and valid); exact but failing the check digit; one digit different;
/// two adjacent digits swapped; otherwise disagree.
pub fn compare_nhs_numbers(a: Option<&NhsDigits>, b: Option<&NhsDigits>) -> Agreement {
    use PartialAgreement as P;
    let (Some(x), Some(y)) = (a, b) else {
        return Agreement::Missing;
    };
    if x.digits == y.digits {
        return if x.valid {
            Agreement::Agree
        } else {
            Agreement::PartlyAgree(P::InvalidCheckDigit)
        };
    }
    let mut differences = [0usize; 3];
    let mut n = 0;
    for (i, (p, q)) in x.digits.iter().zip(&y.digits).enumerate() {
        if p != q {
            if n < differences.len() {
                differences[n] = i;
            }
            n += 1;
        }
    }
    if n == 1 {
        return Agreement::PartlyAgree(P::OneDigit);
    }
    if n == 2 {
        let (i, j) = (differences[0], differences[1]);
        if j == i + 1 && x.digits[i] == y.digits[j] && x.digits[j] == y.digits[i] {
            return Agreement::PartlyAgree(P::Transposition);
        }
    }
    Agreement::Disagree
}

/// Postcodes: exact; same sector; same district; otherwise disagree.
pub fn compare_postcodes(a: Option<&PostcodeParts>, b: Option<&PostcodeParts>) -> Agreement {
    use PartialAgreement as P;
    let (Some(x), Some(y)) = (a, b) else {
        return Agreement::Missing;
    };
    if x.outward != y.outward {
        return Agreement::Disagree;
    }
    match (x.inward.as_deref(), y.inward.as_deref()) {
        (Some(i), Some(j)) if i == j => Agreement::Agree,
        (Some(i), Some(j)) if i.as_bytes().first() == j.as_bytes().first() => {
            Agreement::PartlyAgree(P::SameSector)
        }
        _ => Agreement::PartlyAgree(P::SameDistrict),
    }
}

fn compare_identifiers(a: Option<&str>, b: Option<&str>) -> Agreement {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Agreement::Agree,
        (Some(_), Some(_)) => Agreement::Disagree,
        _ => Agreement::Missing,
    }
}

#[cfg(test)]
mod tests;
