//! The records of a labelled set and the truth about them: which records are the same person.

use chrono::NaiveDate;
use frontdoor_domain::person::{Postcode, Sex, Upn};

/// One person record, as in a CSV file for `frontdoor persons import` / `persons match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub previous_family_names: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub postcode: Option<Postcode>,
    /// Kept as text: a record with one digit wrong has an NHS number that fails its check.
    pub nhs_number: Option<String>,
    pub la_person_id: String,
    pub upn: Option<Upn>,
    /// Another system's person key (blank when the record has none).
    pub other_id: String,
    /// The date of birth as written, when it is not written as the real date YYYY-MM-DD (an
    /// impossible date, or day and month swapped with a day above 12): what the CSV holds.
    pub date_written: Option<String>,
    /// The address as free text (blank when the record has none).
    pub address: String,
}

/// A field left blank in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    GivenName,
    DateOfBirth,
    Sex,
    Postcode,
    NhsNumber,
    Upn,
    Address,
    OtherId,
}

/// How a duplicate record differs from the person's true details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordError {
    GivenNameTypo,
    FamilyNameTypo,
    GivenNamePhonetic,
    FamilyNamePhonetic,
    /// Bill for William, Kasia for Katarzyna, John for Jack.
    Nickname,
    /// Another spelling of the same name: Muhammad for Mohammed.
    SpellingVariant,
    /// Smith-Jones for Smith, Jones for Smith-Jones, O Brien for O'Brien.
    DoubleBarrelled,
    /// Given and family names swapped.
    NamesSwapped,
    /// Recorded under a previous family name.
    PreviousFamilyName,
    DayMonthSwapped,
    DateDigitWrong,
    NhsDigitWrong,
    /// A different postcode in the area (the family moved, or an old address).
    Moved,
    /// Letters with accents written without them (Łukasz as Lukasz).
    AccentsDropped,
    /// UPPER CASE or stray spaces.
    CaseAndSpacing,
    Blank(Field),
    /// A date that does not exist (30 February, month 00...): the reader cannot use it.
    ImpossibleDate,
    /// The address written another way: abbreviated, in capitals, without the town.
    AddressWritten,
    /// Another system's key that belongs to someone else (a keying error).
    OtherIdWrong,
}

impl RecordError {
    pub fn code(self) -> &'static str {
        match self {
            RecordError::GivenNameTypo => "given_name_typo",
            RecordError::FamilyNameTypo => "family_name_typo",
            RecordError::GivenNamePhonetic => "given_name_phonetic",
            RecordError::FamilyNamePhonetic => "family_name_phonetic",
            RecordError::Nickname => "nickname",
            RecordError::SpellingVariant => "spelling_variant",
            RecordError::DoubleBarrelled => "double_barrelled",
            RecordError::NamesSwapped => "names_swapped",
            RecordError::PreviousFamilyName => "previous_family_name",
            RecordError::DayMonthSwapped => "day_month_swapped",
            RecordError::DateDigitWrong => "date_digit_wrong",
            RecordError::NhsDigitWrong => "nhs_digit_wrong",
            RecordError::Moved => "moved",
            RecordError::AccentsDropped => "accents_dropped",
            RecordError::CaseAndSpacing => "case_and_spacing",
            RecordError::Blank(Field::GivenName) => "blank_given_name",
            RecordError::Blank(Field::DateOfBirth) => "blank_date_of_birth",
            RecordError::Blank(Field::Sex) => "blank_sex",
            RecordError::Blank(Field::Postcode) => "blank_postcode",
            RecordError::Blank(Field::NhsNumber) => "blank_nhs_number",
            RecordError::Blank(Field::Upn) => "blank_upn",
            RecordError::Blank(Field::Address) => "blank_address",
            RecordError::Blank(Field::OtherId) => "blank_other_id",
            RecordError::ImpossibleDate => "impossible_date",
            RecordError::AddressWritten => "address_written",
            RecordError::OtherIdWrong => "other_id_wrong",
        }
    }
}

/// The true person behind one or more records (0, 1, 2...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TruePersonId(pub u32);

/// A record and the truth about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledRecord {
    pub record: PersonRecord,
    pub truth: TruePersonId,
    /// The person's own record (true details) rather than a duplicate.
    pub original: bool,
    /// How this record differs from the true details (empty for originals and exact copies).
    pub errors: Vec<RecordError>,
}

/// Which records belong to the same person. Compact (a number per record), so that sets of a
/// million people stay small; record ids are a letter and a number, as the generators make them.
#[derive(Debug, Clone, Default)]
pub struct Truth {
    /// For each id letter, the true person of record 1, 2, 3...
    files: Vec<(char, Vec<TruePersonId>)>,
}

fn split_id(id: &str) -> Option<(char, usize)> {
    let mut chars = id.chars();
    let letter = chars.next()?;
    let number: usize = chars.as_str().parse().ok()?;
    number.checked_sub(1).map(|index| (letter, index))
}

impl Truth {
    pub(super) fn from_records<'a>(records: impl Iterator<Item = &'a LabelledRecord>) -> Self {
        let mut truth = Truth::default();
        for r in records {
            let Some((letter, index)) = split_id(&r.record.id) else {
                continue;
            };
            let file = match truth.files.iter().position(|(l, _)| *l == letter) {
                Some(i) => &mut truth.files[i].1,
                None => {
                    truth.files.push((letter, Vec::new()));
                    let last = truth.files.len() - 1;
                    &mut truth.files[last].1
                }
            };
            if file.len() <= index {
                file.resize(index + 1, TruePersonId(u32::MAX));
            }
            file[index] = r.truth;
        }
        truth
    }
    fn all(&self) -> impl Iterator<Item = (char, usize, TruePersonId)> + '_ {
        self.files.iter().flat_map(|(letter, people)| {
            people
                .iter()
                .enumerate()
                .filter(|(_, p)| p.0 != u32::MAX)
                .map(move |(i, p)| (*letter, i, *p))
        })
    }
    fn counts(&self) -> Vec<u32> {
        let mut counts = Vec::new();
        for (_, _, person) in self.all() {
            let i = person.0 as usize;
            if counts.len() <= i {
                counts.resize(i + 1, 0);
            }
            counts[i] += 1;
        }
        counts
    }
    /// The true person behind a record id.
    pub fn person_of(&self, record_id: &str) -> Option<TruePersonId> {
        let (letter, index) = split_id(record_id)?;
        let (_, people) = self.files.iter().find(|(l, _)| *l == letter)?;
        people.get(index).copied().filter(|p| p.0 != u32::MAX)
    }
    /// Whether two record ids are the same person.
    pub fn same_person(&self, a: &str, b: &str) -> bool {
        matches!((self.person_of(a), self.person_of(b)), (Some(x), Some(y)) if x == y)
    }
    /// The number of true pairs (records of the same person), the denominator of recall.
    pub fn pair_count(&self) -> u64 {
        self.counts()
            .iter()
            .map(|k| u64::from(*k) * u64::from(k.saturating_sub(1)) / 2)
            .sum()
    }
    /// Every true pair, each once, in a stable order (by true person, then by id).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut records: Vec<(TruePersonId, char, usize)> = self
            .all()
            .map(|(letter, i, person)| (person, letter, i))
            .collect();
        records.sort();
        let mut pairs = Vec::new();
        for group in records.chunk_by(|a, b| a.0 == b.0) {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    pairs.push((record_id(a.1, a.2), record_id(b.1, b.2)));
                }
            }
        }
        pairs
    }
    /// The number of distinct people.
    pub fn people(&self) -> usize {
        self.counts().iter().filter(|k| **k > 0).count()
    }
    /// The ids of every record of a person.
    pub fn records_of(&self, person: TruePersonId) -> Vec<String> {
        self.all()
            .filter(|(_, _, p)| *p == person)
            .map(|(letter, i, _)| record_id(letter, i))
            .collect()
    }
}

/// The id of record `index` (from 0) of the file with this letter: `P0000001`...
pub(super) fn record_id(letter: char, index: usize) -> String {
    format!("{letter}{:07}", index + 1)
}
