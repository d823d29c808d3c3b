//! People known to the authority, and the identifiers and codes that describe them.
//!
//! Each value is parsed once into a type that cannot be invalid: an [`NhsNumber`] has a valid
//! check digit, a [`Postcode`] is well-formed, a [`Upn`] has a valid check letter.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Why an identifier or code could not be accepted. Each message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PersonValueError {
    #[error("An NHS number has 10 digits (spaces allowed), for example 943 476 5919.")]
    NhsNumberFormat,
    #[error(
        "That NHS number's check digit is wrong: check each digit against the source document."
    )]
    NhsNumberCheckDigit,
    #[error("Enter a full UK postcode, for example NE61 2EF.")]
    Postcode,
    #[error("A unique pupil number (UPN) is 13 characters: a letter, 11 digits, then a digit or letter.")]
    UpnFormat,
    #[error(
        "That unique pupil number's check letter is wrong: check it against the school's record."
    )]
    UpnCheckLetter,
    #[error("Unknown ethnicity code '{0}': use a DfE code such as WBRI, MWBC, AIND, BAFR, NOBT or REFU.")]
    EthnicityCode(String),
    #[error("Unknown sex '{0}': use female, male, indeterminate or not known.")]
    Sex(String),
    #[error("Enter a family name.")]
    FamilyNameMissing,
    #[error("Names must be at most 100 characters.")]
    NameTooLong,
    #[error("Names cannot hold control characters (often copied from another system along with the name): retype the name.")]
    NameControlCharacter,
}

/// An NHS number with a valid modulus-11 check digit, stored as its 10 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber(String);

impl NhsNumber {
    pub fn parse(input: &str) -> Result<Self, PersonValueError> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PersonValueError::NhsNumberFormat);
        }
        if nhs_check_digit(&digits[..9]) != digits[9..].parse::<u32>().ok() {
            return Err(PersonValueError::NhsNumberCheckDigit);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shown as 3-3-4 digits, the way it is printed on NHS documents.
    pub fn formatted(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

/// The modulus-11 check digit for the first nine digits, or `None` where no valid number exists.
pub fn nhs_check_digit(first_nine: &str) -> Option<u32> {
    let mut sum = 0;
    for (i, c) in first_nine.chars().enumerate() {
        sum += c.to_digit(10)? * (10 - i as u32);
    }
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        d => Some(d),
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = PersonValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}
impl From<NhsNumber> for String {
    fn from(value: NhsNumber) -> Self {
        value.0
    }
}
impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

/// A well-formed UK postcode, stored upper case with one space before the inward code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, PersonValueError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact == "GIR0AA" {
            return Ok(Self("GIR 0AA".into()));
        }
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(PersonValueError::Postcode);
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit()
                && b[1..]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() && !b"CIKMOV".contains(c))
        };
        // Outward shapes: A9, A99, AA9, AA99, A9A, AA9A.
        let shape: String = outward
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    '9'
                } else if c.is_ascii_uppercase() {
                    'A'
                } else {
                    '?'
                }
            })
            .collect();
        let outward_ok = matches!(
            shape.as_str(),
            "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
        );
        if !inward_ok || !outward_ok {
            return Err(PersonValueError::Postcode);
        }
        Ok(Self(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The outward code ("NE61" of "NE61 2EF").
    pub fn outward(&self) -> &str {
        self.0.split(' ').next().unwrap_or(&self.0)
    }
}
impl TryFrom<String> for Postcode {
    type Error = PersonValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}
impl From<Postcode> for String {
    fn from(value: Postcode) -> Self {
        value.0
    }
}
impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A unique pupil number (DfE): check letter, 11 digits, then a digit (or a letter for a
/// temporary UPN).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Upn(String);

const UPN_CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

impl Upn {
    pub fn parse(input: &str) -> Result<Self, PersonValueError> {
        let upn: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let b = upn.as_bytes();
        if b.len() != 13
            || !b[0].is_ascii_uppercase()
            || !b[1..12].iter().all(u8::is_ascii_digit)
            || !(b[12].is_ascii_digit() || UPN_CHECK_LETTERS.contains(&b[12]))
        {
            return Err(PersonValueError::UpnFormat);
        }
        let mut sum = 0usize;
        for (i, c) in b[1..].iter().enumerate() {
            let value = if c.is_ascii_digit() {
                (c - b'0') as usize
            } else {
                UPN_CHECK_LETTERS.iter().position(|l| l == c).unwrap_or(0)
            };
            sum += value * (i + 2);
        }
        if UPN_CHECK_LETTERS[sum % 23] != b[0] {
            return Err(PersonValueError::UpnCheckLetter);
        }
        Ok(Self(upn))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for Upn {
    type Error = PersonValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}
impl From<Upn> for String {
    fn from(value: Upn) -> Self {
        value.0
    }
}

/// Sex as recorded for the DfE returns (CIN census gender codes 0, 1, 2, 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Indeterminate,
    NotKnown,
}

impl Sex {
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Indeterminate, Sex::NotKnown];
    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Indeterminate => "indeterminate",
            Sex::NotKnown => "not_known",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "Female",
            Sex::Male => "Male",
            Sex::Indeterminate => "Indeterminate",
            Sex::NotKnown => "Not known",
        }
    }
    /// The CIN census code: 1 male, 2 female, 0 not known, 9 not specified.
    pub fn census_code(self) -> u8 {
        match self {
            Sex::Male => 1,
            Sex::Female => 2,
            Sex::NotKnown => 0,
            Sex::Indeterminate => 9,
        }
    }
}
impl FromStr for Sex {
    type Err = PersonValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace(' ', "_").as_str() {
            "female" | "f" | "2" => Ok(Sex::Female),
            "male" | "m" | "1" => Ok(Sex::Male),
            "indeterminate" | "i" | "9" => Ok(Sex::Indeterminate),
            "not_known" | "unknown" | "u" | "0" | "" => Ok(Sex::NotKnown),
            other => Err(PersonValueError::Sex(other.to_string())),
        }
    }
}

/// DfE ethnicity codes, as used by the CIN census and Annex A.
pub const ETHNICITY_CODES: &[(&str, &str)] = &[
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WOTH", "Any other White background"),
    ("WROM", "Gypsy/Roma"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Caribbean"),
    ("BAFR", "African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
];

/// A DfE ethnicity code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EthnicityCode(&'static str);

impl EthnicityCode {
    pub const NOT_OBTAINED: EthnicityCode = EthnicityCode("NOBT");
    pub fn parse(input: &str) -> Result<Self, PersonValueError> {
        let wanted = input.trim().to_ascii_uppercase();
        ETHNICITY_CODES
            .iter()
            .find(|(code, _)| *code == wanted)
            .map(|(code, _)| EthnicityCode(code))
            .ok_or(PersonValueError::EthnicityCode(input.trim().to_string()))
    }
    pub fn code(self) -> &'static str {
        self.0
    }
    pub fn label(self) -> &'static str {
        ETHNICITY_CODES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, l)| *l)
            .unwrap_or(self.0)
    }
}
impl TryFrom<String> for EthnicityCode {
    type Error = PersonValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}
impl From<EthnicityCode> for String {
    fn from(value: EthnicityCode) -> Self {
        value.0.to_string()
    }
}

/// A person's date of birth, or the expected date of birth of an unborn child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "date", rename_all = "snake_case")]
pub enum BirthDate {
    Born(NaiveDate),
    Expected(NaiveDate),
}

impl BirthDate {
    pub fn date(self) -> NaiveDate {
        match self {
            BirthDate::Born(d) | BirthDate::Expected(d) => d,
        }
    }
    pub fn is_unborn(self) -> bool {
        matches!(self, BirthDate::Expected(_))
    }
    /// Age in whole years on `on`, or `None` for an unborn child.
    pub fn age_on(self, on: NaiveDate) -> Option<u32> {
        match self {
            BirthDate::Expected(_) => None,
            BirthDate::Born(born) => on.years_since(born),
        }
    }
}

/// A person's name. A family name is required; given names may be unknown (e.g. a newborn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    given: String,
    family: String,
}

impl PersonName {
    pub fn new(given: &str, family: &str) -> Result<Self, PersonValueError> {
        let given = collapse_spaces(given);
        let family = collapse_spaces(family);
        if family.is_empty() {
            return Err(PersonValueError::FamilyNameMissing);
        }
        check_name_part(&given)?;
        check_name_part(&family)?;
        Ok(Self { given, family })
    }

    /// A previous family name as stored: spaces collapsed, checked like a current one. Empty
    /// when blank.
    pub fn previous_family_name(text: &str) -> Result<String, PersonValueError> {
        let name = collapse_spaces(text);
        check_name_part(&name)?;
        Ok(name)
    }
    pub fn given(&self) -> &str {
        &self.given
    }
    pub fn family(&self) -> &str {
        &self.family
    }
    pub fn full(&self) -> String {
        if self.given.is_empty() {
            self.family.clone()
        } else {
            format!("{} {}", self.given, self.family)
        }
    }
}

/// At most 100 characters, and no control characters: they are invisible on screen, and
/// matching joins names with one (see the store's search candidates).
fn check_name_part(name: &str) -> Result<(), PersonValueError> {
    if name.chars().count() > 100 {
        return Err(PersonValueError::NameTooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(PersonValueError::NameControlCharacter);
    }
    Ok(())
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How two people are related. Stored from the first person's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    ParentOf,
    StepParentOf,
    CarerOf,
    SiblingOf,
    GrandparentOf,
    PartnerOf,
    HouseholdMemberOf,
}

impl Relationship {
    pub const ALL: [Relationship; 7] = [
        Relationship::ParentOf,
        Relationship::StepParentOf,
        Relationship::CarerOf,
        Relationship::SiblingOf,
        Relationship::GrandparentOf,
        Relationship::PartnerOf,
        Relationship::HouseholdMemberOf,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Relationship::ParentOf => "parent_of",
            Relationship::StepParentOf => "step_parent_of",
            Relationship::CarerOf => "carer_of",
            Relationship::SiblingOf => "sibling_of",
            Relationship::GrandparentOf => "grandparent_of",
            Relationship::PartnerOf => "partner_of",
            Relationship::HouseholdMemberOf => "household_member_of",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Relationship::ParentOf => "parent of",
            Relationship::StepParentOf => "step-parent of",
            Relationship::CarerOf => "carer of",
            Relationship::SiblingOf => "sibling of",
            Relationship::GrandparentOf => "grandparent of",
            Relationship::PartnerOf => "partner of",
            Relationship::HouseholdMemberOf => "lives in the same household as",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_need_a_valid_check_digit() {
        assert!(NhsNumber::parse("943 476 5919").is_ok());
        assert_eq!(
            NhsNumber::parse("9434765918"),
            Err(PersonValueError::NhsNumberCheckDigit)
        );
        assert_eq!(
            NhsNumber::parse("94347659"),
            Err(PersonValueError::NhsNumberFormat)
        );
        assert_eq!(
            NhsNumber::parse("94347659AB"),
            Err(PersonValueError::NhsNumberFormat)
        );
        assert_eq!(
            NhsNumber::parse("943 476 5919").map(|n| n.formatted()),
            Ok("943 476 5919".into())
        );
    }

    #[test]
    fn postcodes_are_normalised_and_checked() {
        assert_eq!(
            Postcode::parse("ne612ef").map(|p| p.to_string()),
            Ok("NE61 2EF".into())
        );
        assert_eq!(
            Postcode::parse("SW1A 1AA").map(|p| p.outward().to_string()),
            Ok("SW1A".into())
        );
        assert!(Postcode::parse("M1 2WD").is_ok());
        assert!(Postcode::parse("EC1A1BB").is_ok());
        assert!(
            Postcode::parse("NE61 2CF").is_err(),
            "C is not allowed in the inward code"
        );
        assert!(Postcode::parse("12345").is_err());
        assert!(Postcode::parse("").is_err());
        assert!(Postcode::parse("NE61 2EFX").is_err());
    }

    #[test]
    fn upn_check_letter() {
        // Build a valid UPN from its 12 trailing characters.
        let tail = "801200001001";
        let sum: usize = tail
            .bytes()
            .enumerate()
            .map(|(i, c)| (c - b'0') as usize * (i + 2))
            .sum();
        let upn = format!("{}{}", UPN_CHECK_LETTERS[sum % 23] as char, tail);
        assert!(Upn::parse(&upn).is_ok());
        let wrong = if upn.starts_with('A') {
            format!("B{tail}")
        } else {
            format!("A{tail}")
        };
        assert_eq!(Upn::parse(&wrong), Err(PersonValueError::UpnCheckLetter));
        assert_eq!(Upn::parse("A12"), Err(PersonValueError::UpnFormat));
    }

    #[test]
    fn ethnicity_and_sex_codes() {
        assert_eq!(
            EthnicityCode::parse("wbri").map(|e| e.label()),
            Ok("White British")
        );
        assert!(EthnicityCode::parse("XXXX").is_err());
        assert_eq!("F".parse::<Sex>(), Ok(Sex::Female));
        assert!("robot".parse::<Sex>().is_err());
    }

    #[test]
    fn names_refuse_control_characters_and_excess_length() {
        for (given, family) in [
            ("Amy\u{1f}", "Smith"),
            ("Amy", "Sm\u{0}ith"),
            ("A\u{7f}", "B"),
        ] {
            assert_eq!(
                PersonName::new(given, family),
                Err(PersonValueError::NameControlCharacter)
            );
        }
        // Tabs and line breaks are spaces, collapsed like any other.
        assert_eq!(
            PersonName::new("Amy\tJo", "Smith\n").map(|n| n.full()),
            Ok("Amy Jo Smith".into())
        );
        assert_eq!(
            PersonName::new("Amy", &"x".repeat(101)),
            Err(PersonValueError::NameTooLong)
        );
        assert_eq!(
            PersonName::previous_family_name("  Walker  Jones "),
            Ok("Walker Jones".into())
        );
        assert_eq!(PersonName::previous_family_name("  "), Ok(String::new()));
        assert_eq!(
            PersonName::previous_family_name("Walker\u{1f}Jones"),
            Err(PersonValueError::NameControlCharacter)
        );
    }

    #[test]
    fn names_need_a_family_name() {
        assert_eq!(
            PersonName::new("  Amy  Jo ", " Smith ").map(|n| n.full()),
            Ok("Amy Jo Smith".into())
        );
        assert_eq!(
            PersonName::new("Amy", "  "),
            Err(PersonValueError::FamilyNameMissing)
        );
        assert_eq!(
            PersonName::new("", "Baby Smith").map(|n| n.full()),
            Ok("Baby Smith".into())
        );
    }
}
