//! Addresses as free text ("Flat 3, 12 High St, Ashbridge"): normalised into house and flat
//! numbers and words, and compared by the words they share, each word weighed by how rare it
//! is among the addresses being matched (term-frequency weighting).
//!
//! Normalisation: accents folded to upper-case ASCII; full stops and apostrophes join
//! (St. → ST); common abbreviations written out (RD → ROAD, ST → STREET, AVE → AVENUE ...);
//! flat words (Flat, Apartment, Apt, Unit, Room) and the number after them become one flat
//! number (`F3`), as does the first of "3/12"; a number with a letter stays one (`12A`); "12-14"
//! is two numbers; a few words that say nothing (THE, OF, AND) are dropped.
//!
//! Comparison ([`compare_addresses`]): the words of the two addresses (a word matching another
//! spelt alike, Jaro–Winkler at least 0.92, counts as shared) give a weighted similarity: the
//! weight of the shared words over the weight of all the words of the address that shares
//! most (so a town written on one side only costs nothing), and nothing unless a word other
//! than a street type is shared. Words are weighed by their
//! rarity, `ln(1 + records / records with the word)`, when the addresses' word counts are known
//! ([`AddressWordCounts`], counted from the files), and otherwise street-type words (ROAD,
//! STREET ...) weigh a quarter of other words. The levels: **agree** — the same house and flat
//! numbers and words at least 0.8 similar; **same street** — words at least 0.8 similar, numbers
//! different or missing on one side; **disagree**. People move, so disagreeing costs little.

use std::collections::HashMap;

use super::jaro_winkler::jaro_winkler;
use super::normalise::fold_letter;

/// Words at least this similar (weighted Dice) are the same street.
pub const SAME_STREET_SIMILARITY: f64 = 0.8;

/// Two address words at least this similar (Jaro–Winkler, four letters or more) count as one
/// word spelt differently.
pub const ADDRESS_WORD_SIMILARITY: f64 = 0.92;

/// Abbreviations written out.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("RD", "ROAD"),
    ("ST", "STREET"),
    ("STR", "STREET"),
    ("AVE", "AVENUE"),
    ("AV", "AVENUE"),
    ("AVEN", "AVENUE"),
    ("LN", "LANE"),
    ("DR", "DRIVE"),
    ("DRV", "DRIVE"),
    ("CL", "CLOSE"),
    ("CRES", "CRESCENT"),
    ("CRESC", "CRESCENT"),
    ("CRS", "CRESCENT"),
    ("GDNS", "GARDENS"),
    ("GDN", "GARDEN"),
    ("GRN", "GREEN"),
    ("GR", "GROVE"),
    ("GRO", "GROVE"),
    ("GRV", "GROVE"),
    ("PL", "PLACE"),
    ("SQ", "SQUARE"),
    ("TER", "TERRACE"),
    ("TERR", "TERRACE"),
    ("TCE", "TERRACE"),
    ("CT", "COURT"),
    ("CRT", "COURT"),
    ("PK", "PARK"),
    ("WY", "WAY"),
    ("HSE", "HOUSE"),
    ("HO", "HOUSE"),
    ("CTGS", "COTTAGES"),
    ("COTT", "COTTAGE"),
    ("MT", "MOUNT"),
    ("MWS", "MEWS"),
    ("WLK", "WALK"),
    ("BLDGS", "BUILDINGS"),
    ("EST", "ESTATE"),
    ("NTH", "NORTH"),
    ("STH", "SOUTH"),
    ("UPR", "UPPER"),
    ("LWR", "LOWER"),
];

/// Words naming the kind of street: common everywhere, so they say little.
const STREET_TYPES: &[&str] = &[
    "ROAD",
    "STREET",
    "AVENUE",
    "LANE",
    "DRIVE",
    "CLOSE",
    "CRESCENT",
    "GARDENS",
    "GARDEN",
    "GREEN",
    "GROVE",
    "PLACE",
    "SQUARE",
    "TERRACE",
    "COURT",
    "PARK",
    "WAY",
    "HOUSE",
    "COTTAGES",
    "COTTAGE",
    "MOUNT",
    "MEWS",
    "WALK",
    "ROW",
    "HILL",
    "VIEW",
    "RISE",
    "BUILDINGS",
    "ESTATE",
    "NORTH",
    "SOUTH",
    "EAST",
    "WEST",
    "UPPER",
    "LOWER",
];

/// Words that say nothing.
const DROPPED: &[&str] = &["THE", "OF", "AND"];

/// Words that introduce a flat number.
const FLAT_WORDS: &[&str] = &["FLAT", "FLT", "APARTMENT", "APT", "UNIT", "ROOM"];

/// A normalised address: house and flat numbers, and words with their weights.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressTokens {
    /// House and flat numbers (`12`, `12A`, `F3`), sorted, without repeats.
    numbers: Vec<String>,
    /// Words, in order, without repeats.
    words: Vec<String>,
    /// The weight of each word (see the module documentation).
    weights: Vec<f64>,
}

impl Eq for AddressTokens {}

fn is_number(token: &str) -> bool {
    token.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

fn static_weight(word: &str) -> f64 {
    if STREET_TYPES.contains(&word) {
        0.25
    } else {
        1.0
    }
}

/// Raw tokens of an address: (text, followed by a slash).
fn raw_tokens(raw: &str) -> Vec<(String, bool)> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let finish = |current: &mut String, slash: bool, tokens: &mut Vec<(String, bool)>| {
        if !current.is_empty() {
            tokens.push((std::mem::take(current), slash));
        }
    };
    for c in raw.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if fold_letter(c, &mut current) || matches!(c, '.' | '\'' | '\u{2019}') {
            continue;
        } else if c == '/' {
            finish(&mut current, true, &mut tokens);
        } else {
            finish(&mut current, false, &mut tokens);
        }
    }
    finish(&mut current, false, &mut tokens);
    tokens
}

impl AddressTokens {
    /// Normalise an address; `None` when nothing usable is left.
    pub fn parse(raw: &str) -> Option<Self> {
        let tokens = raw_tokens(raw);
        let mut numbers: Vec<String> = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut flat_next = false;
        for (token, slash) in tokens {
            if is_number(&token) {
                // "12A" stays one number; "3/12": the 3 is a flat.
                if flat_next || slash {
                    numbers.push(format!("F{token}"));
                } else {
                    numbers.push(token);
                }
                flat_next = false;
                continue;
            }
            if FLAT_WORDS.contains(&token.as_str()) {
                flat_next = true;
                continue;
            }
            flat_next = false;
            // A lone letter after a number ("12 A") belongs to it.
            if token.len() == 1 {
                if let Some(last) = numbers.last_mut() {
                    if last.bytes().all(|b| b.is_ascii_digit() || b == b'F') {
                        last.push_str(&token);
                        continue;
                    }
                }
            }
            let word = ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == token)
                .map_or(token.as_str(), |(_, long)| long)
                .to_string();
            if DROPPED.contains(&word.as_str()) || words.contains(&word) {
                continue;
            }
            words.push(word);
        }
        numbers.sort();
        numbers.dedup();
        if numbers.is_empty() && words.is_empty() {
            return None;
        }
        let weights = words.iter().map(|w| static_weight(w)).collect();
        Some(AddressTokens {
            numbers,
            words,
            weights,
        })
    }

    /// House and flat numbers.
    pub fn numbers(&self) -> &[String] {
        &self.numbers
    }

    /// Words (abbreviations written out).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Each word's weight.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Weigh the words by their rarity in `counts`.
    pub fn weigh(&mut self, counts: &AddressWordCounts) {
        for (word, weight) in self.words.iter().zip(self.weights.iter_mut()) {
            *weight = counts.weight(word);
        }
    }

    /// The word most worth blocking on: the heaviest (ties: the longest, then the first).
    pub fn main_word(&self) -> Option<&str> {
        let mut best: Option<(usize, f64)> = None;
        for (i, (word, weight)) in self.words.iter().zip(&self.weights).enumerate() {
            let better = match best {
                None => true,
                Some((j, w)) => *weight > w || (*weight == w && word.len() > self.words[j].len()),
            };
            if better {
                best = Some((i, *weight));
            }
        }
        best.map(|(i, _)| self.words[i].as_str())
    }
}

/// How many addresses hold each word, for weighing words by their rarity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressWordCounts {
    words: HashMap<String, u64>,
    addresses: u64,
}

impl AddressWordCounts {
    /// Count the words of these addresses.
    pub fn from_addresses<'a>(addresses: impl IntoIterator<Item = &'a AddressTokens>) -> Self {
        let mut counts = AddressWordCounts::default();
        for address in addresses {
            counts.addresses += 1;
            for word in &address.words {
                *counts.words.entry(word.clone()).or_default() += 1;
            }
        }
        counts
    }

    /// Addresses counted.
    pub fn addresses(&self) -> u64 {
        self.addresses
    }

    /// `ln(1 + addresses / addresses with the word)`: a word in every address weighs ln 2, a
    /// word in one of a thousand about 6.9. A word not counted weighs as one seen once.
    pub fn weight(&self, word: &str) -> f64 {
        let with = self.words.get(word).copied().unwrap_or(1).max(1);
        (1.0 + self.addresses.max(1) as f64 / with as f64).ln()
    }
}

/// How two addresses compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressComparison {
    /// The same house (and flat) on the same street.
    Agree,
    /// The same street, a different (or unrecorded) house number.
    SameStreet,
    Disagree,
}

fn words_alike(x: &str, y: &str) -> bool {
    if x == y {
        return true;
    }
    if x.len() < 4 || y.len() < 4 || is_number(x) || is_number(y) {
        return false;
    }
    let (a, b) = if (x.len(), x) <= (y.len(), y) {
        (x, y)
    } else {
        (y, x)
    };
    jaro_winkler(a, b) >= ADDRESS_WORD_SIMILARITY
}

/// How much of the shorter address's words the other shares, by weight (0 to 1): the
/// weight of the shared words over the weight of all words, on the side where that is higher,
/// so a town written on one side only does not count against. 0 when either has no words, or
/// when the only words shared are street types (ROAD, STREET ...).
pub fn word_similarity(a: &AddressTokens, b: &AddressTokens) -> f64 {
    if a.words.is_empty() || b.words.is_empty() {
        return 0.0;
    }
    let side = |x: &AddressTokens, y: &AddressTokens| -> (f64, bool) {
        let mut shared = 0.0;
        let mut named = false;
        for (word, weight) in x.words.iter().zip(&x.weights) {
            if y.words.iter().any(|v| words_alike(word, v)) {
                shared += weight;
                named |= !STREET_TYPES.contains(&word.as_str());
            }
        }
        let total: f64 = x.weights.iter().sum();
        (if total > 0.0 { shared / total } else { 0.0 }, named)
    };
    let (from_a, named) = side(a, b);
    let (from_b, _) = side(b, a);
    if named {
        from_a.max(from_b)
    } else {
        0.0
    }
}

/// Compare two addresses (see the module documentation).
pub fn compare_addresses(a: &AddressTokens, b: &AddressTokens) -> AddressComparison {
    let similarity = word_similarity(a, b);
    let same_street = similarity >= SAME_STREET_SIMILARITY
        || (a.words.is_empty() && b.words.is_empty() && !a.numbers.is_empty());
    if !same_street {
        return AddressComparison::Disagree;
    }
    if a.numbers == b.numbers && !a.numbers.is_empty() {
        AddressComparison::Agree
    } else {
        AddressComparison::SameStreet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> AddressTokens {
        AddressTokens::parse(raw).unwrap_or_else(|| panic!("{raw} parses"))
    }

    #[test]
    fn normalises_abbreviations_and_numbers() {
        let a = parse("Flat 3, 12 High St., Ashbridge");
        assert_eq!(a.numbers(), ["12", "F3"]);
        assert_eq!(a.words(), ["HIGH", "STREET", "ASHBRIDGE"]);
        let b = parse("3/12 HIGH STREET ASHBRIDGE");
        assert_eq!(b.numbers(), a.numbers());
        assert_eq!(b.words(), a.words());
        assert_eq!(parse("12 a Mill Rd").numbers(), ["12A"]);
        assert_eq!(parse("12A Mill Road").numbers(), ["12A"]);
        assert_eq!(parse("Apt 4 The Maltings").numbers(), ["F4"]);
        assert_eq!(parse("Apt 4 The Maltings").words(), ["MALTINGS"]);
        assert_eq!(
            parse("Zoë's Cottage, Łódź Lane").words(),
            ["ZOES", "COTTAGE", "LODZ", "LANE"]
        );
        assert!(AddressTokens::parse(" , - ").is_none());
    }

    #[test]
    fn levels() {
        use AddressComparison::*;
        let cases = [
            ("12 High St, Ashbridge", "12 High Street", Agree),
            ("Flat 3, 12 High St", "3/12 High Street", Agree),
            ("12 High Street", "14 High Street", SameStreet),
            ("Flat 3, 12 High St", "Flat 4, 12 High St", SameStreet),
            ("High Street", "14 High Street", SameStreet),
            ("12 Hihg Street", "12 High Street", Agree),
            ("12 High Street", "12 Mill Road", Disagree),
            ("12 High Street", "12 Church Street", Disagree),
        ];
        for (x, y, expected) in cases {
            assert_eq!(
                compare_addresses(&parse(x), &parse(y)),
                expected,
                "{x} / {y}"
            );
            assert_eq!(
                compare_addresses(&parse(y), &parse(x)),
                expected,
                "{y} / {x}"
            );
        }
    }

    #[test]
    fn rare_words_weigh_more_than_common_ones() {
        let addresses: Vec<AddressTokens> = [
            "1 Church Road",
            "2 Church Road",
            "3 Mill Road",
            "4 Station Road",
            "5 Acacia Avenue",
        ]
        .iter()
        .map(|a| parse(a))
        .collect();
        let counts = AddressWordCounts::from_addresses(&addresses);
        assert!(counts.weight("ACACIA") > counts.weight("CHURCH"));
        assert!(counts.weight("CHURCH") > counts.weight("ROAD"));
        let mut a = parse("7 Church Road");
        let mut b = parse("7 Church Avenue");
        let unweighted = word_similarity(&a, &b);
        a.weigh(&counts);
        b.weigh(&counts);
        // ROAD and AVENUE are common here; CHURCH is what both share.
        assert!(word_similarity(&a, &b) > 0.0);
        assert!(unweighted > 0.0);
        assert_eq!(a.main_word(), Some("CHURCH"));
    }
}
