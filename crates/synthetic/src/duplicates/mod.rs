//! Labelled test sets for person matching: records of known people, some of them recorded
//! more than once with the errors real records carry, each labelled with the true person, so
//! that precision, recall and F1 of duplicate detection and the recall at 1 and at 5 of search
//! can be measured.
//!
//! The people come from the same household generator as the synthetic authority, so the hard
//! cases are there: siblings sharing a family name, postcode and similar dates of birth; twins;
//! parents and children with the same name.

mod records;

pub use records::{Field, LabelledRecord, PersonRecord, RecordError, TruePersonId, Truth};

use crate::area::{Area, SyntheticAddress};
use crate::household::{PopulationGenerator, SyntheticPerson};
use crate::names::{fold_diacritics, Origin};
use crate::pick::weighted;
use crate::variation;
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use records::record_id;

/// How to build a labelled set.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateOptions {
    pub seed: u64,
    /// Distinct true people.
    pub people: usize,
    /// The share of people recorded more than once (each duplicated person has 1 to 3 extra
    /// records).
    pub duplicate_rate: f64,
    /// Give a wrong-digit NHS number a recomputed check digit, so that every NHS number in the
    /// set is valid (for importers that reject invalid ones). Otherwise one digit is simply
    /// wrong, and the number fails its check, as a mistyped number on paper does.
    pub valid_nhs_numbers_only: bool,
    /// Ages are worked out on this day (no date of birth is after it).
    pub as_of: NaiveDate,
    /// Records as another source holds them: every record has an address line and most have
    /// that source's own person key (`other_id`); duplicates also carry impossible dates,
    /// addresses written differently, wrong keys, and day and month swapped three times as
    /// often as usual, written day first when the day is above 12 (an impossible month, which
    /// lenient reading turns back).
    pub other_source: bool,
}

impl DuplicateOptions {
    pub fn new(seed: u64, people: usize, duplicate_rate: f64) -> Self {
        Self {
            seed,
            people,
            duplicate_rate,
            valid_nhs_numbers_only: false,
            other_source: false,
            as_of: NaiveDate::from_ymd_opt(2025, 4, 1).unwrap_or(NaiveDate::MIN),
        }
    }
}

/// People, one original record each, plus labelled duplicates: for deduplication within one
/// file. Records are shuffled; ids are `P0000001`, `P0000002`...
pub fn duplicate_test_set(
    seed: u64,
    people: usize,
    duplicate_rate: f64,
) -> (Vec<LabelledRecord>, Truth) {
    duplicate_test_set_with(&DuplicateOptions::new(seed, people, duplicate_rate))
}

pub fn duplicate_test_set_with(options: &DuplicateOptions) -> (Vec<LabelledRecord>, Truth) {
    let mut maker = RecordMaker::new(options);
    let mut records = Vec::with_capacity(
        options.people + (options.people as f64 * options.duplicate_rate * 1.3) as usize,
    );
    maker.each_person(options.people, |maker, person, truth| {
        records.push(maker.original(person, truth));
        if maker.rng.gen_bool(options.duplicate_rate.clamp(0.0, 1.0)) {
            let copies = weighted(&mut maker.rng, &[(1usize, 80.0), (2, 15.0), (3, 5.0)], 1);
            for _ in 0..copies {
                records.push(maker.duplicate(person, truth));
            }
        }
    });
    shuffle(&mut maker.rng, &mut records);
    for (i, r) in records.iter_mut().enumerate() {
        r.record.id = record_id('P', i);
        r.record.la_person_id = format!("LA{:07}", i + 1);
    }
    let truth = Truth::from_records(records.iter());
    (records, truth)
}

/// Two files to link: `left` holds one original record for each of `people` people; `right`
/// holds, for `overlap` of them, a record as another agency holds it (errors as for
/// duplicates), and records of other people for the rest. Ids are `L...` and `R...`.
#[derive(Debug, Clone)]
pub struct LinkageTestSet {
    pub left: Vec<LabelledRecord>,
    pub right: Vec<LabelledRecord>,
    pub truth: Truth,
}

pub fn linkage_test_set(seed: u64, people: usize, overlap: f64) -> LinkageTestSet {
    linkage_test_set_with(&DuplicateOptions::new(seed, people, 0.0), overlap)
}

/// As [`linkage_test_set`], for files from another source (see
/// [`DuplicateOptions::other_source`]): addresses, other systems' keys, impossible dates and
/// heavy day/month swapping.
pub fn other_source_linkage_test_set(seed: u64, people: usize, overlap: f64) -> LinkageTestSet {
    let options = DuplicateOptions {
        other_source: true,
        ..DuplicateOptions::new(seed, people, 0.0)
    };
    linkage_test_set_with(&options, overlap)
}

/// As [`duplicate_test_set`], for a file from another source (see
/// [`DuplicateOptions::other_source`]).
pub fn other_source_duplicate_test_set(
    seed: u64,
    people: usize,
    duplicate_rate: f64,
) -> (Vec<LabelledRecord>, Truth) {
    duplicate_test_set_with(&DuplicateOptions {
        other_source: true,
        ..DuplicateOptions::new(seed, people, duplicate_rate)
    })
}

pub fn linkage_test_set_with(options: &DuplicateOptions, overlap: f64) -> LinkageTestSet {
    let people = options.people;
    let overlap = overlap.clamp(0.0, 1.0);
    let mut maker = RecordMaker::new(options);
    let mut left = Vec::with_capacity(people);
    let mut right = Vec::with_capacity(people);
    let shared = (people as f64 * overlap).round() as usize;
    let total = people + (people - shared);
    let mut count = 0usize;
    maker.each_person(total, |maker, person, truth| {
        if count < people {
            left.push(maker.original(person, truth));
            if count < shared {
                right.push(maker.duplicate(person, truth));
            }
        } else {
            right.push(maker.original(person, truth));
        }
        count += 1;
    });
    shuffle(&mut maker.rng, &mut left);
    shuffle(&mut maker.rng, &mut right);
    for (i, r) in left.iter_mut().enumerate() {
        r.record.id = record_id('L', i);
        r.record.la_person_id = format!("LA{:07}", i + 1);
    }
    for (i, r) in right.iter_mut().enumerate() {
        r.record.id = record_id('R', i);
        r.record.la_person_id = String::new();
    }
    let truth = Truth::from_records(left.iter().chain(right.iter()));
    LinkageTestSet { left, right, truth }
}

fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.gen_range(0..=i);
        items.swap(i, j);
    }
}

struct RecordMaker {
    rng: ChaCha8Rng,
    population: PopulationGenerator,
    area: Area,
    as_of: NaiveDate,
    valid_nhs_only: bool,
    other_source: bool,
}

impl RecordMaker {
    fn new(options: &DuplicateOptions) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x5eed_d0b1_e5e7_0001);
        let area = Area::generate(&mut rng, "NS");
        let population = PopulationGenerator::new(area.clone(), options.seed);
        Self {
            rng,
            population,
            area,
            as_of: options.as_of,
            valid_nhs_only: options.valid_nhs_numbers_only,
            other_source: options.other_source,
        }
    }

    /// Calls `each` for `count` people from whole households (households are made on dates
    /// spread over the five years before `as_of`, so ages vary).
    fn each_person(
        &mut self,
        count: usize,
        mut each: impl FnMut(&mut Self, &Subject<'_>, TruePersonId),
    ) {
        let mut made = 0usize;
        while made < count {
            let days_back = self.rng.gen_range(0..5 * 365);
            let on = self.as_of - chrono::Duration::days(days_back);
            let household = self.population.household(&mut self.rng, on);
            for person in &household.people {
                if made >= count {
                    break;
                }
                let truth = TruePersonId(made as u32);
                each(
                    self,
                    &Subject {
                        person,
                        address: &household.address,
                    },
                    truth,
                );
                made += 1;
            }
        }
    }

    /// The source's own fields: the address line, and its key for the person on most records.
    fn source_fields(
        &mut self,
        subject: &Subject<'_>,
        truth: TruePersonId,
        record: &mut PersonRecord,
    ) {
        if self.other_source {
            record.address = subject.address.one_line();
            if self.rng.gen_bool(0.7) {
                record.other_id = other_id_of(truth);
            }
        }
    }

    fn original(&mut self, subject: &Subject<'_>, truth: TruePersonId) -> LabelledRecord {
        let mut record = true_record(subject);
        self.source_fields(subject, truth, &mut record);
        LabelledRecord {
            record,
            truth,
            original: true,
            errors: Vec::new(),
        }
    }

    fn duplicate(&mut self, subject: &Subject<'_>, truth: TruePersonId) -> LabelledRecord {
        let person = subject.person;
        let mut record = true_record(subject);
        self.source_fields(subject, truth, &mut record);
        let mut errors = Vec::new();
        // Other sources often lack the identifiers.
        if record.nhs_number.is_some() && self.rng.gen_bool(0.4) {
            record.nhs_number = None;
            errors.push(RecordError::Blank(Field::NhsNumber));
        }
        if record.upn.is_some() && self.rng.gen_bool(0.5) {
            record.upn = None;
            errors.push(RecordError::Blank(Field::Upn));
        }
        let wanted = weighted(
            &mut self.rng,
            &[(0usize, 8.0), (1, 45.0), (2, 32.0), (3, 15.0)],
            1,
        );
        let mut applied = 0;
        for _attempt in 0..wanted * 6 {
            if applied >= wanted {
                break;
            }
            let kind = self.error_kind(person);
            if errors.contains(&kind) {
                continue;
            }
            if self.apply(kind, person, truth, &mut record) {
                errors.push(kind);
                applied += 1;
            }
        }
        LabelledRecord {
            record,
            truth,
            original: false,
            errors,
        }
    }

    fn error_kind(&mut self, person: &SyntheticPerson) -> RecordError {
        use RecordError as E;
        let swap_weight = if matches!(person.origin, Origin::Chinese | Origin::Somali) {
            20.0
        } else {
            4.0
        };
        // Only files from another source carry these (and swap day and month more often).
        let other = if self.other_source { 1.0 } else { 0.0 };
        let day_month_weight = if self.other_source { 18.0 } else { 6.0 };
        weighted(
            &mut self.rng,
            &[
                (E::GivenNameTypo, 11.0),
                (E::FamilyNameTypo, 10.0),
                (E::GivenNamePhonetic, 7.0),
                (E::FamilyNamePhonetic, 6.0),
                (E::Nickname, 10.0),
                (E::SpellingVariant, 5.0),
                (E::DoubleBarrelled, 5.0),
                (E::NamesSwapped, swap_weight),
                (
                    E::PreviousFamilyName,
                    if person.previous_family_names.is_empty() {
                        0.0
                    } else {
                        12.0
                    },
                ),
                (E::DayMonthSwapped, day_month_weight),
                (E::DateDigitWrong, 8.0),
                (E::NhsDigitWrong, 5.0),
                (E::Moved, 9.0),
                (E::AccentsDropped, 3.0),
                (E::CaseAndSpacing, 3.0),
                (E::Blank(Field::GivenName), 1.0),
                (E::Blank(Field::DateOfBirth), 3.0),
                (E::Blank(Field::Sex), 3.0),
                (E::Blank(Field::Postcode), 6.0),
                (E::ImpossibleDate, 4.0 * other),
                (E::AddressWritten, 10.0 * other),
                (E::OtherIdWrong, 2.0 * other),
                (E::Blank(Field::Address), 4.0 * other),
                (E::Blank(Field::OtherId), 4.0 * other),
            ],
            E::GivenNameTypo,
        )
    }

    /// Applies one error; false when it does not apply to this record.
    fn apply(
        &mut self,
        kind: RecordError,
        person: &SyntheticPerson,
        truth: TruePersonId,
        record: &mut PersonRecord,
    ) -> bool {
        use RecordError as E;
        let rng = &mut self.rng;
        let changed = |slot: &mut String, value: Option<String>| match value {
            Some(v) if v != *slot && !v.trim().is_empty() => {
                *slot = v;
                true
            }
            _ => false,
        };
        match kind {
            E::GivenNameTypo => {
                let v = variation::typo(rng, &record.given_name);
                changed(&mut record.given_name, v)
            }
            E::FamilyNameTypo => {
                let v = variation::typo(rng, &record.family_name);
                changed(&mut record.family_name, v)
            }
            E::GivenNamePhonetic => {
                let v = variation::phonetic(rng, &record.given_name);
                changed(&mut record.given_name, v)
            }
            E::FamilyNamePhonetic => {
                let v = variation::phonetic(rng, &record.family_name);
                changed(&mut record.family_name, v)
            }
            E::Nickname => {
                let v = variation::nickname(rng, &record.given_name);
                changed(&mut record.given_name, v)
            }
            E::SpellingVariant => {
                let v = variation::spelling_variant(rng, &record.given_name);
                if changed(&mut record.given_name, v) {
                    return true;
                }
                let v = variation::spelling_variant(rng, &record.family_name);
                changed(&mut record.family_name, v)
            }
            E::DoubleBarrelled => {
                let other = person
                    .previous_family_names
                    .first()
                    .cloned()
                    .unwrap_or_else(|| {
                        crate::pick::choose(rng, person.origin.names().family).to_string()
                    });
                let v = variation::double_barrelled(rng, &record.family_name, &other);
                changed(&mut record.family_name, v)
            }
            E::NamesSwapped => {
                if record.given_name.is_empty() || record.given_name == record.family_name {
                    return false;
                }
                std::mem::swap(&mut record.given_name, &mut record.family_name);
                true
            }
            E::PreviousFamilyName => match person.previous_family_names.last() {
                Some(previous) if *previous != record.family_name => {
                    record.family_name = previous.clone();
                    record.previous_family_names.clear();
                    true
                }
                _ => false,
            },
            E::DayMonthSwapped => match record.date_of_birth.and_then(variation::swap_day_month) {
                Some(d) if d <= self.as_of => {
                    record.date_of_birth = Some(d);
                    true
                }
                // Day first with a day above 12: a month that does not exist.
                _ if self.other_source => match record.date_of_birth {
                    Some(d) if d.day() > 12 => {
                        record.date_written =
                            Some(format!("{:04}-{:02}-{:02}", d.year(), d.day(), d.month()));
                        true
                    }
                    _ => false,
                },
                _ => false,
            },
            E::ImpossibleDate => match record.date_of_birth.take() {
                Some(d) => {
                    let written = match rng.gen_range(0..3) {
                        0 => format!("{:04}-02-30", d.year()),
                        1 => format!("{:04}-{:02}-00", d.year(), d.month()),
                        _ => format!("{:04}-00-{:02}", d.year(), d.day()),
                    };
                    record.date_written = Some(written);
                    true
                }
                None => false,
            },
            E::AddressWritten => {
                if record.address.is_empty() {
                    return false;
                }
                let written = address_written(rng, &record.address);
                changed(&mut record.address, Some(written))
            }
            E::OtherIdWrong => {
                if record.other_id.is_empty() {
                    return false;
                }
                let wrong = TruePersonId(truth.0.wrapping_add(rng.gen_range(1..1_000)));
                record.other_id = other_id_of(wrong);
                true
            }
            E::DateDigitWrong => match record
                .date_of_birth
                .and_then(|d| variation::date_digit_wrong(rng, d, self.as_of))
            {
                Some(d) => {
                    record.date_of_birth = Some(d);
                    true
                }
                None => false,
            },
            E::NhsDigitWrong => match person.nhs_number.as_ref() {
                Some(n) if record.nhs_number.is_some() => {
                    match variation::nhs_digit_wrong(rng, n, self.valid_nhs_only) {
                        Some(v) => {
                            record.nhs_number = Some(v);
                            true
                        }
                        None => false,
                    }
                }
                _ => false,
            },
            E::Moved => {
                let address = self.area.address(rng);
                if record.postcode.as_ref() == Some(&address.postcode) {
                    return false;
                }
                if !record.address.is_empty() {
                    record.address = address.one_line();
                }
                record.postcode = Some(address.postcode);
                true
            }
            E::AccentsDropped => {
                let given = fold_diacritics(&record.given_name);
                let family = fold_diacritics(&record.family_name);
                if given == record.given_name && family == record.family_name {
                    return false;
                }
                record.given_name = given;
                record.family_name = family;
                true
            }
            E::CaseAndSpacing => {
                if rng.gen_bool(0.5) {
                    record.family_name = record.family_name.to_uppercase();
                } else {
                    record.given_name = format!(" {}  ", record.given_name);
                }
                true
            }
            E::Blank(field) => match field {
                Field::GivenName => !std::mem::take(&mut record.given_name).is_empty(),
                Field::DateOfBirth => {
                    record.date_written = None;
                    record.date_of_birth.take().is_some()
                }
                Field::Sex => record.sex.take().is_some(),
                Field::Postcode => record.postcode.take().is_some(),
                Field::NhsNumber => record.nhs_number.take().is_some(),
                Field::Upn => record.upn.take().is_some(),
                Field::Address => !std::mem::take(&mut record.address).is_empty(),
                Field::OtherId => !std::mem::take(&mut record.other_id).is_empty(),
            },
        }
    }
}

/// A true person and where they live.
struct Subject<'a> {
    person: &'a SyntheticPerson,
    address: &'a SyntheticAddress,
}

/// The other source's key for a person.
fn other_id_of(truth: TruePersonId) -> String {
    format!("HX-{:07}", u64::from(truth.0) * 7 + 1_000_003)
}

/// An address written another way: street types abbreviated, in capitals, or without the
/// town (the last part).
fn address_written(rng: &mut ChaCha8Rng, address: &str) -> String {
    match rng.gen_range(0..3) {
        0 => address
            .replace("Road", "Rd")
            .replace("Street", "St")
            .replace("Avenue", "Ave")
            .replace("Lane", "Ln")
            .replace("Close", "Cl")
            .replace("Gardens", "Gdns")
            .replace("Crescent", "Cres")
            .replace("Flat ", "Flt "),
        1 => address.to_uppercase(),
        _ => match address.rfind(", ") {
            Some(i) => address[..i].to_string(),
            None => address.to_string(),
        },
    }
}

fn true_record(subject: &Subject<'_>) -> PersonRecord {
    let person = subject.person;
    PersonRecord {
        id: String::new(),
        given_name: person.given_name.clone(),
        family_name: person.family_name.clone(),
        previous_family_names: person.previous_family_names.clone(),
        date_of_birth: Some(person.birth_date),
        sex: Some(person.sex),
        postcode: Some(subject.address.postcode.clone()),
        nhs_number: person.nhs_number.as_ref().map(|n| n.as_str().to_string()),
        la_person_id: String::new(),
        upn: person.upn.clone(),
        other_id: String::new(),
        date_written: None,
        address: String::new(),
    }
}
