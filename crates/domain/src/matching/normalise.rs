//! Normalisation: one canonical form for names, postcodes and identifiers before comparison.
//!
//! Names become upper-case ASCII tokens: accents are folded (`Zoë` → `ZOE`, `Łukasz` →
//! `LUKASZ`, `Şükrü` → `SUKRU`), common Cyrillic letters are transliterated, apostrophes and
//! full stops join (`O'Brien` → `OBRIEN`, `St.John` → `STJOHN`), and every other character —
//! spaces, hyphens, commas, digits — separates tokens, so `Smith-Jones`, `Smith Jones` and
//! `SMITH  JONES` all give the tokens `SMITH`, `JONES`. Letters that cannot be folded to ASCII
//! (Arabic, Chinese, Greek script...) are dropped: records here are kept in Latin script, and a
//! name that normalises to nothing counts as blank.

/// Append the ASCII upper-case form of one letter to `out`. Returns false when `c` is not a
/// letter this module can fold (it is then a separator or dropped, as the caller decides).
pub(crate) fn fold_letter(c: char, out: &mut String) -> bool {
    if c.is_ascii_alphabetic() {
        out.push(c.to_ascii_uppercase());
        return true;
    }
    let folded: &str = match c {
        'À'..='Å' | 'à'..='å' | '\u{0100}'..='\u{0105}' => "A",
        'Æ' | 'æ' => "AE",
        'Ç' | 'ç' | '\u{0106}'..='\u{010D}' => "C",
        'Ð' | 'ð' | '\u{010E}'..='\u{0111}' => "D",
        'È'..='Ë' | 'è'..='ë' | '\u{0112}'..='\u{011B}' => "E",
        '\u{011C}'..='\u{0123}' => "G",
        '\u{0124}'..='\u{0127}' => "H",
        'Ì'..='Ï' | 'ì'..='ï' | '\u{0128}'..='\u{0131}' => "I",
        '\u{0132}' | '\u{0133}' => "IJ",
        '\u{0134}' | '\u{0135}' => "J",
        '\u{0136}'..='\u{0138}' => "K",
        '\u{0139}'..='\u{0142}' => "L",
        'Ñ' | 'ñ' | '\u{0143}'..='\u{014B}' => "N",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | '\u{014C}'..='\u{0151}' | '\u{01A0}' | '\u{01A1}' => {
            "O"
        }
        '\u{0152}' | '\u{0153}' => "OE",
        '\u{0154}'..='\u{0159}' => "R",
        'ß' => "SS",
        '\u{015A}'..='\u{0161}' | '\u{017F}' | '\u{0218}' | '\u{0219}' => "S",
        '\u{0162}'..='\u{0167}' | '\u{021A}' | '\u{021B}' => "T",
        'Þ' | 'þ' => "TH",
        'Ù'..='Ü' | 'ù'..='ü' | '\u{0168}'..='\u{0173}' | '\u{01AF}' | '\u{01B0}' => "U",
        '\u{0174}' | '\u{0175}' => "W",
        'Ý' | 'ý' | 'ÿ' | '\u{0176}'..='\u{0178}' => "Y",
        '\u{0179}'..='\u{017E}' => "Z",
        // Vietnamese letters with two diacritics (Latin Extended Additional).
        '\u{1EA0}'..='\u{1EB7}' => "A",
        '\u{1EB8}'..='\u{1EC7}' => "E",
        '\u{1EC8}'..='\u{1ECB}' => "I",
        '\u{1ECC}'..='\u{1EE3}' => "O",
        '\u{1EE4}'..='\u{1EF1}' => "U",
        '\u{1EF2}'..='\u{1EF9}' => "Y",
        _ => match transliterate_cyrillic(c) {
            Some(s) => s,
            None => return false,
        },
    };
    out.push_str(folded);
    true
}

/// A common romanisation of Russian and Ukrainian letters (close to the UK passport scheme).
fn transliterate_cyrillic(c: char) -> Option<&'static str> {
    let lower = match c {
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20)?,
        '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50)?,
        '\u{0490}' => '\u{0491}',
        other => other,
    };
    Some(match lower {
        'а' => "A",
        'б' => "B",
        'в' => "V",
        'г' => "G",
        'ґ' => "G",
        'д' => "D",
        'е' | 'ё' | 'э' => "E",
        'є' => "YE",
        'ж' => "ZH",
        'з' => "Z",
        'и' | 'і' => "I",
        'ї' => "YI",
        'й' | 'ы' => "Y",
        'к' => "K",
        'л' => "L",
        'м' => "M",
        'н' => "N",
        'о' => "O",
        'п' => "P",
        'р' => "R",
        'с' => "S",
        'т' => "T",
        'у' => "U",
        'ф' => "F",
        'х' => "KH",
        'ц' => "TS",
        'ч' => "CH",
        'ш' => "SH",
        'щ' => "SHCH",
        'ъ' | 'ь' => "",
        'ю' => "YU",
        'я' => "YA",
        _ => return None,
    })
}

/// Characters that join the letters either side of them rather than separating words.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' | '.' | '\u{02BC}'
    ) || ('\u{0300}'..='\u{036F}').contains(&c) // combining accents of decomposed text
}

/// Split a name into upper-case ASCII tokens (see the module documentation).
pub fn name_tokens(raw: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in raw.chars() {
        if fold_letter(c, &mut current) || is_joiner(c) {
            continue;
        }
        if c.is_alphabetic() {
            // A letter we cannot fold: dropped, without splitting the word.
            continue;
        }
        if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// Words recorded in place of a given name when it is not known: an unborn or newborn baby
/// ("Baby", "Unborn", "Baby of ..."), or "Not known". They carry no evidence and are dropped.
const GIVEN_NAME_PLACEHOLDERS: &[&str] = &[
    "ANON",
    "ANONYMOUS",
    "BABY",
    "BOY",
    "CHILD",
    "GIRL",
    "INFANT",
    "KNOWN",
    "NEWBORN",
    "NK",
    "NONE",
    "NOT",
    "NOTKNOWN",
    "OF",
    "TBA",
    "TBC",
    "TWIN",
    "UNBORN",
    "UNKNOWN",
    "UNNAMED",
];

/// Words recorded in place of a family name when it is not known.
const FAMILY_NAME_PLACEHOLDERS: &[&str] = &[
    "ANON",
    "ANONYMOUS",
    "KNOWN",
    "NK",
    "NONE",
    "NOT",
    "NOTKNOWN",
    "TBA",
    "TBC",
    "UNKNOWN",
];

/// The tokens of a given name, without placeholder words.
pub fn given_name_tokens(raw: &str) -> Vec<String> {
    let mut tokens = name_tokens(raw);
    tokens.retain(|t| !GIVEN_NAME_PLACEHOLDERS.contains(&t.as_str()));
    tokens
}

/// The tokens of a family name; empty when every word is a placeholder ("Not known").
pub fn family_name_tokens(raw: &str) -> Vec<String> {
    let tokens = name_tokens(raw);
    if tokens
        .iter()
        .all(|t| FAMILY_NAME_PLACEHOLDERS.contains(&t.as_str()))
    {
        return Vec::new();
    }
    tokens
}

/// Particles that begin family names of many origins. They are kept in the full name but are
/// not treated as a "part" of a double-barrelled name on their own.
pub const FAMILY_NAME_PARTICLES: &[&str] = &[
    "A", "AB", "ABU", "AL", "AP", "BEN", "BIN", "BINT", "BINTI", "D", "DA", "DE", "DEL", "DELLA",
    "DER", "DES", "DI", "DOS", "DU", "E", "EL", "LA", "LE", "MAC", "MC", "O", "ST", "TER", "UL",
    "VAN", "VON", "Y",
];

/// A postcode split into its parts, e.g. `SW1A 1AA` → outward `SW1A`, inward `1AA`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostcodeParts {
    /// The outward code (postcode district), e.g. `SW1A`.
    pub outward: String,
    /// The inward code (`1AA`), or `None` when only the district was recorded.
    pub inward: Option<String>,
}

impl PostcodeParts {
    /// Parse a UK postcode, tolerating case, spaces and punctuation. Returns `None` for blanks,
    /// "NFA" (no fixed abode) and anything that is not shaped like a postcode or a district.
    pub fn parse(raw: &str) -> Option<Self> {
        let compact: String = raw
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = compact.as_bytes();
        let is_outward = |s: &[u8]| {
            (2..=4).contains(&s.len())
                && s[0].is_ascii_alphabetic()
                && s.iter().any(|b| b.is_ascii_digit())
        };
        if bytes.len() >= 5 {
            let (outward, inward) = bytes.split_at(bytes.len() - 3);
            if is_outward(outward)
                && inward[0].is_ascii_digit()
                && inward[1].is_ascii_alphabetic()
                && inward[2].is_ascii_alphabetic()
            {
                return Some(PostcodeParts {
                    outward: compact[..compact.len() - 3].to_string(),
                    inward: Some(compact[compact.len() - 3..].to_string()),
                });
            }
            return None;
        }
        if is_outward(bytes) {
            return Some(PostcodeParts {
                outward: compact,
                inward: None,
            });
        }
        None
    }

    /// The postcode sector (outward code and the inward code's digit), e.g. `SW1A 1`.
    pub fn sector(&self) -> Option<(&str, u8)> {
        let inward = self.inward.as_deref()?;
        Some((&self.outward, *inward.as_bytes().first()?))
    }

    /// The full postcode without a space (`SW1A1AA`), or the district alone.
    pub fn compact(&self) -> String {
        match &self.inward {
            Some(inward) => format!("{}{}", self.outward, inward),
            None => self.outward.clone(),
        }
    }
}

/// An NHS number reduced to its ten digits, with whether its check digit is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NhsDigits {
    /// The ten digits, as numbers 0–9.
    pub digits: [u8; 10],
    /// True when the modulus 11 check digit is right.
    pub valid: bool,
}

impl NhsDigits {
    /// Ten digits, ignoring spaces and hyphens. `None` for blanks, other lengths, any other
    /// character, and placeholders made of one repeated digit (`0000000000`, `9999999999`).
    pub fn parse(raw: &str) -> Option<Self> {
        let mut digits = [0u8; 10];
        let mut n = 0;
        for c in raw.chars() {
            match c {
                '0'..='9' => {
                    if n == 10 {
                        return None;
                    }
                    digits[n] = c as u8 - b'0';
                    n += 1;
                }
                ' ' | '-' | '\t' => {}
                _ => return None,
            }
        }
        if n != 10 || digits.iter().all(|&d| d == digits[0]) {
            return None;
        }
        Some(NhsDigits {
            digits,
            valid: nhs_check_digit_is_valid(&digits),
        })
    }

    /// The number as ten ASCII digits.
    pub fn as_string(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

/// The NHS number check: weights 10 down to 2 on the first nine digits; 11 minus the sum
/// modulo 11 is the check digit (11 counts as 0; 10 means the number cannot be valid).
/// Every single wrong digit and every swap of two adjacent digits breaks the check.
pub fn nhs_check_digit_is_valid(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(digits[9])
}

/// An identifier from another system (LA person id, UPN): upper case, without spaces or
/// punctuation. `None` when nothing is left.
pub fn identifier(raw: &str) -> Option<String> {
    let id: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_to_ascii_tokens() {
        assert_eq!(name_tokens("  Zoë  "), vec!["ZOE"]);
        assert_eq!(name_tokens("Łukasz"), vec!["LUKASZ"]);
        assert_eq!(name_tokens("Şükrü"), vec!["SUKRU"]);
        assert_eq!(name_tokens("Nguyễn"), vec!["NGUYEN"]);
        assert_eq!(name_tokens("O'Brien"), vec!["OBRIEN"]);
        assert_eq!(name_tokens("O’Brien"), vec!["OBRIEN"]);
        assert_eq!(name_tokens("Smith-Jones"), vec!["SMITH", "JONES"]);
        assert_eq!(name_tokens("smith   jones"), vec!["SMITH", "JONES"]);
        assert_eq!(name_tokens("Strauß"), vec!["STRAUSS"]);
        assert_eq!(name_tokens("Ștefan"), vec!["STEFAN"]);
        assert_eq!(name_tokens("José"), vec!["JOSE"]);
        // Decomposed accents (e + combining acute) fold the same way.
        assert_eq!(name_tokens("Jose\u{0301}"), vec!["JOSE"]);
        assert_eq!(name_tokens("Наталья"), vec!["NATALYA"]);
        assert_eq!(name_tokens("Олександр"), vec!["OLEKSANDR"]);
        assert!(name_tokens(" - ,. ").is_empty());
    }

    #[test]
    fn placeholders_are_blank() {
        assert!(given_name_tokens("Baby").is_empty());
        assert!(given_name_tokens("Unborn").is_empty());
        assert!(given_name_tokens("Not Known").is_empty());
        assert_eq!(given_name_tokens("Baby Amira"), vec!["AMIRA"]);
        assert!(family_name_tokens("NK").is_empty());
        assert!(family_name_tokens("not known").is_empty());
        assert_eq!(family_name_tokens("Knowles"), vec!["KNOWLES"]);
    }

    #[test]
    fn postcodes_parse_into_parts() {
        let p = PostcodeParts::parse("sw1a 1aa").expect("valid postcode");
        assert_eq!(p.outward, "SW1A");
        assert_eq!(p.inward.as_deref(), Some("1AA"));
        assert_eq!(p.sector(), Some(("SW1A", b'1')));
        assert_eq!(p.compact(), "SW1A1AA");
        assert_eq!(
            PostcodeParts::parse("M1 1AE").map(|p| p.outward),
            Some("M1".to_string())
        );
        assert_eq!(
            PostcodeParts::parse("LS6").map(|p| p.inward),
            Some(None),
            "a district alone is kept"
        );
        assert_eq!(PostcodeParts::parse("NFA"), None);
        assert_eq!(PostcodeParts::parse(""), None);
        assert_eq!(PostcodeParts::parse("12345"), None);
    }

    #[test]
    fn nhs_numbers_parse_and_check() {
        let n = NhsDigits::parse("943 476 5919").expect("ten digits");
        assert!(n.valid);
        assert_eq!(n.as_string(), "9434765919");
        assert!(!NhsDigits::parse("9434765918").expect("ten digits").valid);
        assert_eq!(NhsDigits::parse("943476591"), None);
        assert_eq!(NhsDigits::parse("94347659190"), None);
        assert_eq!(NhsDigits::parse("0000000000"), None);
        assert_eq!(NhsDigits::parse("94347A5919"), None);
    }

    #[test]
    fn nhs_check_catches_every_single_digit_error_and_adjacent_swap() {
        let good = NhsDigits::parse("9434765919").expect("ten digits").digits;
        for pos in 0..10 {
            for d in 0..10u8 {
                if d != good[pos] {
                    let mut bad = good;
                    bad[pos] = d;
                    assert!(!nhs_check_digit_is_valid(&bad), "{bad:?}");
                }
            }
        }
        for pos in 0..9 {
            if good[pos] != good[pos + 1] {
                let mut swapped = good;
                swapped.swap(pos, pos + 1);
                assert!(!nhs_check_digit_is_valid(&swapped), "{swapped:?}");
            }
        }
    }

    #[test]
    fn identifiers_are_compacted() {
        assert_eq!(identifier(" a123 456-b "), Some("A123456B".to_string()));
        assert_eq!(identifier(" - "), None);
    }
}
