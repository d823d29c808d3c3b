//! The person details that matching compares, normalised once so that comparing is cheap.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::address::{AddressTokens, AddressWordCounts};
use super::name_variants::variant_groups;
use super::normalise::{
    family_name_tokens, given_name_tokens, identifier, NhsDigits, PostcodeParts,
    FAMILY_NAME_PARTICLES,
};
use super::phonetic::PhoneticKey;
use crate::person::Sex;

/// A person's details as recorded (or as typed into a search), before normalisation. Every
/// field may be blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    /// All given names, first name first ("Mary Jane", "Jean-Paul").
    pub given_names: String,
    /// The current family name, possibly double-barrelled ("Smith-Jones").
    pub family_name: String,
    /// Family names the person was known by before (birth name, a parent's former name).
    pub previous_family_names: Vec<String>,
    /// Date of birth (expected date of delivery for an unborn child).
    pub date_of_birth: Option<NaiveDate>,
    /// Sex. `Indeterminate` and `NotKnown` are treated as blank.
    pub sex: Option<Sex>,
    /// Postcode of the home address.
    pub postcode: Option<String>,
    /// NHS number (ten digits, spaces allowed).
    pub nhs_number: Option<String>,
    /// The authority's own person identifier (from its case management system).
    pub la_person_id: Option<String>,
    /// Unique pupil number.
    pub upn: Option<String>,
    /// Any other system's person key (a health, education or police system's id; any
    /// length), compared exactly.
    pub other_id: Option<String>,
    /// The date of birth was written with day and month exchanged (a month above 12, read as
    /// the day): `date_of_birth` holds the date read with them exchanged back, and it agrees
    /// with the same date elsewhere as a day and month swap, not as an exact agreement.
    pub date_of_birth_read_swapped: bool,
    /// The address as free text ("Flat 3, 12 High St, Ashbridge").
    pub address: Option<String>,
}

/// One normalised name word with what comparisons need precomputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameToken {
    text: String,
    phonetic: PhoneticKey,
    variant_groups: &'static [u16],
}

impl NameToken {
    pub(crate) fn new(text: String) -> Self {
        let phonetic = PhoneticKey::of(&text);
        let variant_groups = variant_groups(&text);
        NameToken {
            text,
            phonetic,
            variant_groups,
        }
    }

    /// The normalised word (upper-case ASCII).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Its Double Metaphone codes.
    pub fn phonetic(&self) -> &PhoneticKey {
        &self.phonetic
    }

    /// The name-variant groups it belongs to (see [`super::name_variants`]).
    pub fn variant_groups(&self) -> &'static [u16] {
        self.variant_groups
    }
}

/// A family name: the whole name as one word (`SMITHJONES`) and, when it has several words,
/// each word other than particles (`SMITH`, `JONES`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyName {
    full: NameToken,
    parts: Vec<NameToken>,
}

impl FamilyName {
    fn from_tokens(tokens: Vec<String>) -> Option<Self> {
        if tokens.is_empty() {
            return None;
        }
        let full = NameToken::new(tokens.concat());
        let parts = if tokens.len() > 1 {
            tokens
                .into_iter()
                .filter(|t| !FAMILY_NAME_PARTICLES.contains(&t.as_str()))
                .map(NameToken::new)
                .collect()
        } else {
            Vec::new()
        };
        Some(FamilyName { full, parts })
    }

    /// The whole name without spaces or hyphens.
    pub fn full(&self) -> &NameToken {
        &self.full
    }

    /// The words of a double-barrelled or multi-word name (empty for a one-word name).
    pub fn parts(&self) -> &[NameToken] {
        &self.parts
    }

    /// The full name and each part.
    pub fn forms(&self) -> impl Iterator<Item = &NameToken> {
        std::iter::once(&self.full).chain(self.parts.iter())
    }
}

/// A date of birth with its eight digits (`YYYYMMDD`) precomputed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate {
    date: NaiveDate,
    digits: [u8; 8],
    read_swapped: bool,
}

impl BirthDate {
    fn new(date: NaiveDate, read_swapped: bool) -> Self {
        let text = format!(
            "{:04}{:02}{:02}",
            date.year().rem_euclid(10_000),
            date.month(),
            date.day()
        );
        let mut digits = [0u8; 8];
        for (d, b) in digits.iter_mut().zip(text.bytes()) {
            *d = b;
        }
        BirthDate {
            date,
            digits,
            read_swapped,
        }
    }

    /// True when the date was written with day and month exchanged and read back.
    pub fn read_swapped(&self) -> bool {
        self.read_swapped
    }

    /// The date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The date as `YYYYMMDD` digits.
    pub fn digits(&self) -> &[u8; 8] {
        &self.digits
    }
}

/// A person's details normalised for matching: build one with [`MatchRecord::new`] once per
/// record (or query), then compare as often as needed without further allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRecord {
    given: Vec<NameToken>,
    given_joined: String,
    family: Option<FamilyName>,
    previous_family: Vec<FamilyName>,
    date_of_birth: Option<BirthDate>,
    sex: Option<Sex>,
    postcode: Option<PostcodeParts>,
    nhs_number: Option<NhsDigits>,
    la_person_id: Option<String>,
    upn: Option<String>,
    other_id: Option<String>,
    address: Option<AddressTokens>,
}

impl MatchRecord {
    /// Normalise a person's details: fold accents to upper-case ASCII, drop punctuation and
    /// placeholder words ("Baby", "Not known"), split double-barrelled names, parse the
    /// postcode and NHS number (a value that cannot be read counts as blank), and precompute
    /// phonetic keys and name-variant groups.
    pub fn new(details: &PersonDetails) -> Self {
        let given_tokens = given_name_tokens(&details.given_names);
        let given_joined = given_tokens.concat();
        let given = given_tokens.into_iter().map(NameToken::new).collect();
        let family = FamilyName::from_tokens(family_name_tokens(&details.family_name));
        let mut previous_family: Vec<FamilyName> = Vec::new();
        for raw in &details.previous_family_names {
            if let Some(name) = FamilyName::from_tokens(family_name_tokens(raw)) {
                let duplicate = family.as_ref() == Some(&name) || previous_family.contains(&name);
                if !duplicate {
                    previous_family.push(name);
                }
            }
        }
        let sex = details.sex.filter(|s| matches!(s, Sex::Female | Sex::Male));
        MatchRecord {
            given,
            given_joined,
            family,
            previous_family,
            date_of_birth: details
                .date_of_birth
                .map(|d| BirthDate::new(d, details.date_of_birth_read_swapped)),
            sex,
            postcode: details.postcode.as_deref().and_then(PostcodeParts::parse),
            nhs_number: details.nhs_number.as_deref().and_then(NhsDigits::parse),
            la_person_id: details.la_person_id.as_deref().and_then(identifier),
            upn: details.upn.as_deref().and_then(identifier),
            other_id: details.other_id.as_deref().and_then(identifier),
            address: details.address.as_deref().and_then(AddressTokens::parse),
        }
    }

    /// All given names, first name first.
    pub fn given_names(&self) -> &[NameToken] {
        &self.given
    }

    /// The first given name, if any.
    pub fn first_given_name(&self) -> Option<&NameToken> {
        self.given.first()
    }

    /// All given names run together (`MARYJANE` for "Mary-Jane" or "Mary Jane").
    pub fn given_names_joined(&self) -> &str {
        &self.given_joined
    }

    /// The current family name.
    pub fn family_name(&self) -> Option<&FamilyName> {
        self.family.as_ref()
    }

    /// Previous family names (without repeats of the current one).
    pub fn previous_family_names(&self) -> &[FamilyName] {
        &self.previous_family
    }

    /// Date of birth.
    pub fn date_of_birth(&self) -> Option<&BirthDate> {
        self.date_of_birth.as_ref()
    }

    /// Sex, when recorded as female or male.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    /// Postcode.
    pub fn postcode(&self) -> Option<&PostcodeParts> {
        self.postcode.as_ref()
    }

    /// NHS number.
    pub fn nhs_number(&self) -> Option<&NhsDigits> {
        self.nhs_number.as_ref()
    }

    /// LA person id.
    pub fn la_person_id(&self) -> Option<&str> {
        self.la_person_id.as_deref()
    }

    /// Unique pupil number.
    pub fn upn(&self) -> Option<&str> {
        self.upn.as_deref()
    }

    /// Another system's person key.
    pub fn other_id(&self) -> Option<&str> {
        self.other_id.as_deref()
    }

    /// The address, normalised.
    pub fn address(&self) -> Option<&AddressTokens> {
        self.address.as_ref()
    }

    /// Weigh the address's words by their rarity among the addresses being matched.
    pub fn weigh_address(&mut self, counts: &AddressWordCounts) {
        if let Some(address) = &mut self.address {
            address.weigh(counts);
        }
    }
}

impl From<&PersonDetails> for MatchRecord {
    fn from(details: &PersonDetails) -> Self {
        MatchRecord::new(details)
    }
}

impl AsRef<MatchRecord> for MatchRecord {
    fn as_ref(&self) -> &MatchRecord {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_every_field() {
        let details = PersonDetails {
            given_names: " zoë-Mary ".into(),
            family_name: "O'Brien-Smith".into(),
            previous_family_names: vec!["Jones".into(), "o'brien smith".into(), " ".into()],
            date_of_birth: NaiveDate::from_ymd_opt(2015, 3, 9),
            sex: Some(Sex::NotKnown),
            postcode: Some("ls6 2ab".into()),
            nhs_number: Some("943 476 5919".into()),
            la_person_id: Some(" p-1234 ".into()),
            upn: Some("".into()),
            other_id: Some(" hx-00012 ".into()),
            date_of_birth_read_swapped: false,
            address: Some("Flat 2, 7 Mill Rd".into()),
        };
        let r = MatchRecord::new(&details);
        let given: Vec<&str> = r.given_names().iter().map(NameToken::text).collect();
        assert_eq!(given, ["ZOE", "MARY"]);
        assert_eq!(r.given_names_joined(), "ZOEMARY");
        let family = r.family_name().expect("family name");
        assert_eq!(family.full().text(), "OBRIENSMITH");
        let parts: Vec<&str> = family.parts().iter().map(NameToken::text).collect();
        assert_eq!(parts, ["OBRIEN", "SMITH"]);
        assert_eq!(
            r.previous_family_names().len(),
            1,
            "the current name is not repeated as a previous name"
        );
        assert_eq!(r.date_of_birth().map(|d| *d.digits()), Some(*b"20150309"));
        assert_eq!(r.sex(), None);
        assert_eq!(
            r.postcode().map(PostcodeParts::compact),
            Some("LS62AB".into())
        );
        assert!(r.nhs_number().is_some_and(|n| n.valid));
        assert_eq!(r.la_person_id(), Some("P1234"));
        assert_eq!(r.upn(), None);
        assert_eq!(r.other_id(), Some("HX00012"));
    }

    #[test]
    fn particles_are_not_parts() {
        let r = MatchRecord::new(&PersonDetails {
            family_name: "Al Hassan".into(),
            ..Default::default()
        });
        let family = r.family_name().expect("family name");
        assert_eq!(family.full().text(), "ALHASSAN");
        let parts: Vec<&str> = family.parts().iter().map(NameToken::text).collect();
        assert_eq!(parts, ["HASSAN"]);
    }

    #[test]
    fn blank_details_give_a_blank_record() {
        let r = MatchRecord::new(&PersonDetails::default());
        assert!(r.given_names().is_empty());
        assert!(r.family_name().is_none());
        assert!(r.date_of_birth().is_none());
        assert!(r.postcode().is_none());
        assert!(r.nhs_number().is_none());
    }
}
