//! Double Metaphone phonetic keys (Lawrence Philips, 2000).
//!
//! Why Double Metaphone rather than Soundex or NYSIIS: the people known to a front door have
//! names of many origins. Soundex keeps the first letter (so `Catherine`/`Katherine` and
//! `Philip`/`Filip` never agree) and ignores everything after four consonant groups; NYSIIS is
//! tuned to American English surnames. Double Metaphone encodes pronunciation rules for
//! English, Germanic, Slavic, Romance, Greek and some Chinese spellings and gives a second
//! ("alternate") key where a spelling has two plausible pronunciations (`Schmidt` → `XMT` or
//! `SMT`, matching `Smith` → `SM0` or `XMT`). Two names are treated as sounding alike when
//! any of their keys are equal.
//!
//! The encoder works on the normalised form of a name (upper-case ASCII letters, as produced
//! by [`super::normalise`]); other bytes are skipped. Keys are at most four characters long,
//! as in the published algorithm, and are stored inline so that comparing them allocates
//! nothing.

use std::fmt;

/// The longest key the encoder produces (the published algorithm's length).
pub const PHONETIC_CODE_LENGTH: usize = 4;

/// One phonetic code: up to four characters from `0AFHJKLMNPRSTX` (`0` is the `th` sound,
/// `X` the `sh` sound).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct PhoneticCode {
    bytes: [u8; PHONETIC_CODE_LENGTH],
    len: u8,
}

impl PhoneticCode {
    /// The code as text (empty when the name had no letters to encode).
    pub fn as_str(&self) -> &str {
        // The encoder only ever pushes ASCII bytes.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }

    /// True when the code has no characters.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn is_full(&self) -> bool {
        self.len as usize >= PHONETIC_CODE_LENGTH
    }

    fn push(&mut self, byte: u8) {
        if !self.is_full() {
            self.bytes[self.len as usize] = byte;
            self.len += 1;
        }
    }

    fn push_all(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.push(b);
        }
    }
}

impl fmt::Debug for PhoneticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl fmt::Display for PhoneticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The primary and alternate Double Metaphone codes of one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PhoneticKey {
    primary: PhoneticCode,
    alternate: PhoneticCode,
}

impl PhoneticKey {
    /// Encode a name. Accepts any text; letters other than ASCII `A`–`Z` (either case) are
    /// skipped, so pass the normalised form of the name.
    pub fn of(name: &str) -> Self {
        double_metaphone(name)
    }

    /// The primary (most likely) pronunciation's code.
    pub fn primary(&self) -> PhoneticCode {
        self.primary
    }

    /// The alternate pronunciation's code (equal to the primary when there is only one).
    pub fn alternate(&self) -> PhoneticCode {
        self.alternate
    }

    /// True when the name had nothing to encode.
    pub fn is_empty(&self) -> bool {
        self.primary.is_empty() && self.alternate.is_empty()
    }

    /// True when any code of one name equals any code of the other (empty codes never match).
    pub fn sounds_like(&self, other: &PhoneticKey) -> bool {
        let mine = [self.primary, self.alternate];
        let theirs = [other.primary, other.alternate];
        mine.iter()
            .any(|a| !a.is_empty() && theirs.iter().any(|b| a == b))
    }
}

/// Encode `name` with Double Metaphone, returning its primary and alternate codes.
pub fn double_metaphone(name: &str) -> PhoneticKey {
    // Upper-case ASCII letters only; a fixed buffer covers any real name, longer input is cut
    // (the key is complete long before 64 letters in practice).
    let mut buffer = [0u8; 64];
    let mut len = 0;
    for b in name.bytes() {
        if b.is_ascii_alphabetic() && len < buffer.len() {
            buffer[len] = b.to_ascii_uppercase();
            len += 1;
        }
    }
    let mut encoder = Encoder {
        word: &buffer[..len],
        key: PhoneticKey::default(),
    };
    encoder.encode();
    encoder.key
}

struct Encoder<'a> {
    word: &'a [u8],
    key: PhoneticKey,
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
}

impl Encoder<'_> {
    fn len(&self) -> isize {
        self.word.len() as isize
    }

    /// The letter at `i`, or 0 outside the word.
    fn at(&self, i: isize) -> u8 {
        if i < 0 || i >= self.len() {
            0
        } else {
            self.word[i as usize]
        }
    }

    /// True when the `n` letters from `start` equal one of `options`.
    fn is_any(&self, start: isize, n: usize, options: &[&[u8]]) -> bool {
        if start < 0 || start as usize + n > self.word.len() {
            return false;
        }
        let slice = &self.word[start as usize..start as usize + n];
        options.contains(&slice)
    }

    fn add(&mut self, both: &[u8]) {
        self.key.primary.push_all(both);
        self.key.alternate.push_all(both);
    }

    fn add2(&mut self, primary: &[u8], alternate: &[u8]) {
        self.key.primary.push_all(primary);
        self.key.alternate.push_all(alternate);
    }

    fn slavo_germanic(&self) -> bool {
        self.word.contains(&b'W')
            || self.word.contains(&b'K')
            || self.word.windows(2).any(|w| w == b"CZ")
    }

    fn encode(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let slavo = self.slavo_germanic();
        let mut i: isize = if self.is_any(0, 2, &[b"GN", b"KN", b"PN", b"WR", b"PS"]) {
            1
        } else {
            0
        };
        while !(self.key.primary.is_full() && self.key.alternate.is_full()) && i < self.len() {
            i = match self.at(i) {
                b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => {
                    if i == 0 {
                        self.add(b"A");
                    }
                    i + 1
                }
                b'B' => {
                    self.add(b"P");
                    if self.at(i + 1) == b'B' {
                        i + 2
                    } else {
                        i + 1
                    }
                }
                b'C' => self.c(i),
                b'D' => self.d(i),
                b'F' => {
                    self.add(b"F");
                    if self.at(i + 1) == b'F' {
                        i + 2
                    } else {
                        i + 1
                    }
                }
                b'G' => self.g(i, slavo),
                b'H' => self.h(i),
                b'J' => self.j(i, slavo),
                b'K' => {
                    self.add(b"K");
                    if self.at(i + 1) == b'K' {
                        i + 2
                    } else {
                        i + 1
                    }
                }
                b'L' => self.l(i),
                b'M' => {
                    self.add(b"M");
                    let skip_next = self.at(i + 1) == b'M'
                        || (self.is_any(i - 1, 3, &[b"UMB"])
                            && (i + 1 == self.len() - 1 || self.is_any(i + 2, 2, &[b"ER"])));
                    if skip_next {
                        i + 2
                    } else {
                        i + 1
                    }
                }
                b'N' => {
                    self.add(b"N");
                    if self.at(i + 1) == b'N' {
                        i + 2
                    } else {
                        i + 1
                    }
                }
                b'P' => {
                    if self.at(i + 1) == b'H' {
                        self.add(b"F");
                        i + 2
                    } else {
                        self.add(b"P");
                        if self.is_any(i + 1, 1, &[b"P", b"B"]) {
                            i + 2
                        } else {
                            i + 1
                        }
                    }
                }
                b'Q' => {
                    self.add(b"K");
                    if self.at(i + 1) == b'Q' {
                        i + 2
                    } else {
                        i + 1
                    }
                }
                b'R' => self.r(i, slavo),
                b'S' => self.s(i, slavo),
                b'T' => self.t(i),
                b'V' => {
                    self.add(b"F");
                    if self.at(i + 1) == b'V' {
                        i + 2
                    } else {
                        i + 1
                    }
                }
                b'W' => self.w(i),
                b'X' => self.x(i),
                b'Z' => self.z(i, slavo),
                _ => i + 1,
            };
        }
    }

    fn c(&mut self, i: isize) -> isize {
        // Various Germanic "ach" spellings.
        if self.c_germanic(i) {
            self.add(b"K");
            return i + 2;
        }
        if i == 0 && self.is_any(i, 6, &[b"CAESAR"]) {
            self.add(b"S");
            return i + 2;
        }
        if self.is_any(i, 2, &[b"CH"]) {
            return self.ch(i);
        }
        if self.is_any(i, 2, &[b"CZ"]) && !self.is_any(i - 2, 4, &[b"WICZ"]) {
            self.add2(b"S", b"X");
            return i + 2;
        }
        if self.is_any(i + 1, 3, &[b"CIA"]) {
            self.add(b"X");
            return i + 3;
        }
        if self.is_any(i, 2, &[b"CC"]) && !(i == 1 && self.at(0) == b'M') {
            return self.cc(i);
        }
        if self.is_any(i, 2, &[b"CK", b"CG", b"CQ"]) {
            self.add(b"K");
            return i + 2;
        }
        if self.is_any(i, 2, &[b"CI", b"CE", b"CY"]) {
            if self.is_any(i, 3, &[b"CIO", b"CIE", b"CIA"]) {
                self.add2(b"S", b"X");
            } else {
                self.add(b"S");
            }
            return i + 2;
        }
        self.add(b"K");
        if self.is_any(i + 1, 2, &[b" C", b" Q", b" G"]) {
            i + 3
        } else if self.is_any(i + 1, 1, &[b"C", b"K", b"Q"])
            && !self.is_any(i + 1, 2, &[b"CE", b"CI"])
        {
            i + 2
        } else {
            i + 1
        }
    }

    fn c_germanic(&self, i: isize) -> bool {
        if self.is_any(i, 4, &[b"CHIA"]) {
            return true;
        }
        if i <= 1 || is_vowel(self.at(i - 2)) || !self.is_any(i - 1, 3, &[b"ACH"]) {
            return false;
        }
        let next = self.at(i + 2);
        (next != b'I' && next != b'E') || self.is_any(i - 2, 6, &[b"BACHER", b"MACHER"])
    }

    fn cc(&mut self, i: isize) -> isize {
        if self.is_any(i + 2, 1, &[b"I", b"E", b"H"]) && !self.is_any(i + 2, 2, &[b"HU"]) {
            if (i == 1 && self.at(i - 1) == b'A') || self.is_any(i - 1, 5, &[b"UCCEE", b"UCCES"]) {
                self.add(b"KS");
            } else {
                self.add(b"X");
            }
            i + 3
        } else {
            self.add(b"K");
            i + 2
        }
    }

    fn ch(&mut self, i: isize) -> isize {
        if i > 0 && self.is_any(i, 4, &[b"CHAE"]) {
            self.add2(b"K", b"X");
            return i + 2;
        }
        // Greek roots ("chorus", "character").
        let greek = i == 0
            && (self.is_any(i + 1, 5, &[b"HARAC", b"HARIS"])
                || self.is_any(i + 1, 3, &[b"HOR", b"HYM", b"HIA", b"HEM"]))
            && !self.is_any(0, 5, &[b"CHORE"]);
        if greek {
            self.add(b"K");
            return i + 2;
        }
        let germanic = self.is_any(0, 4, &[b"VAN ", b"VON "])
            || self.is_any(0, 3, &[b"SCH"])
            || self.is_any(i - 2, 6, &[b"ORCHES", b"ARCHIT", b"ORCHID"])
            || self.is_any(i + 2, 1, &[b"T", b"S"])
            || ((self.is_any(i - 1, 1, &[b"A", b"O", b"U", b"E"]) || i == 0)
                && (self.is_any(
                    i + 2,
                    1,
                    &[b"L", b"R", b"N", b"M", b"B", b"H", b"F", b"V", b"W", b" "],
                ) || i + 1 == self.len() - 1));
        if germanic {
            self.add(b"K");
            return i + 2;
        }
        if i > 0 {
            if self.is_any(0, 2, &[b"MC"]) {
                self.add(b"K");
            } else {
                self.add2(b"X", b"K");
            }
        } else {
            self.add(b"X");
        }
        i + 2
    }

    fn d(&mut self, i: isize) -> isize {
        if self.is_any(i, 2, &[b"DG"]) {
            if self.is_any(i + 2, 1, &[b"I", b"E", b"Y"]) {
                self.add(b"J");
                i + 3
            } else {
                self.add(b"TK");
                i + 2
            }
        } else if self.is_any(i, 2, &[b"DT", b"DD"]) {
            self.add(b"T");
            i + 2
        } else {
            self.add(b"T");
            i + 1
        }
    }

    fn g(&mut self, i: isize, slavo: bool) -> isize {
        if self.at(i + 1) == b'H' {
            return self.gh(i);
        }
        if self.at(i + 1) == b'N' {
            if i == 1 && is_vowel(self.at(0)) && !slavo {
                self.add2(b"KN", b"N");
            } else if !self.is_any(i + 2, 2, &[b"EY"]) && self.at(i + 1) != b'Y' && !slavo {
                self.add2(b"N", b"KN");
            } else {
                self.add(b"KN");
            }
            return i + 2;
        }
        if self.is_any(i + 1, 2, &[b"LI"]) && !slavo {
            self.add2(b"KL", b"L");
            return i + 2;
        }
        if i == 0
            && (self.at(i + 1) == b'Y'
                || self.is_any(
                    i + 1,
                    2,
                    &[
                        b"ES", b"EP", b"EB", b"EL", b"EY", b"IB", b"IL", b"IN", b"IE", b"EI", b"ER",
                    ],
                ))
        {
            self.add2(b"K", b"J");
            return i + 2;
        }
        if (self.is_any(i + 1, 2, &[b"ER"]) || self.at(i + 1) == b'Y')
            && !self.is_any(0, 6, &[b"DANGER", b"RANGER", b"MANGER"])
            && !self.is_any(i - 1, 1, &[b"E", b"I"])
            && !self.is_any(i - 1, 3, &[b"RGY", b"OGY"])
        {
            self.add2(b"K", b"J");
            return i + 2;
        }
        if self.is_any(i + 1, 1, &[b"E", b"I", b"Y"]) || self.is_any(i - 1, 4, &[b"AGGI", b"OGGI"])
        {
            if self.is_any(0, 4, &[b"VAN ", b"VON "])
                || self.is_any(0, 3, &[b"SCH"])
                || self.is_any(i + 1, 2, &[b"ET"])
            {
                self.add(b"K");
            } else if self.is_any(i + 1, 3, &[b"IER"]) {
                self.add(b"J");
            } else {
                self.add2(b"J", b"K");
            }
            return i + 2;
        }
        self.add(b"K");
        if self.at(i + 1) == b'G' {
            i + 2
        } else {
            i + 1
        }
    }

    fn gh(&mut self, i: isize) -> isize {
        if i > 0 && !is_vowel(self.at(i - 1)) {
            self.add(b"K");
            return i + 2;
        }
        if i == 0 {
            if self.at(i + 2) == b'I' {
                self.add(b"J");
            } else {
                self.add(b"K");
            }
            return i + 2;
        }
        // Parker's rule: "hugh", "bough".
        if (i > 1 && self.is_any(i - 2, 1, &[b"B", b"H", b"D"]))
            || (i > 2 && self.is_any(i - 3, 1, &[b"B", b"H", b"D"]))
            || (i > 3 && self.is_any(i - 4, 1, &[b"B", b"H"]))
        {
            return i + 2;
        }
        if i > 2 && self.at(i - 1) == b'U' && self.is_any(i - 3, 1, &[b"C", b"G", b"L", b"R", b"T"])
        {
            // "laugh", "McLaughlin", "cough", "rough".
            self.add(b"F");
        } else if i > 0 && self.at(i - 1) != b'I' {
            self.add(b"K");
        }
        i + 2
    }

    fn h(&mut self, i: isize) -> isize {
        // Kept only at the start before a vowel, or between two vowels.
        if (i == 0 || is_vowel(self.at(i - 1))) && is_vowel(self.at(i + 1)) {
            self.add(b"H");
            i + 2
        } else {
            i + 1
        }
    }

    fn j(&mut self, i: isize, slavo: bool) -> isize {
        if self.is_any(i, 4, &[b"JOSE"]) || self.is_any(0, 4, &[b"SAN "]) {
            if (i == 0 && self.at(i + 4) == b' ')
                || self.len() == 4
                || self.is_any(0, 4, &[b"SAN "])
            {
                self.add(b"H");
            } else {
                self.add2(b"J", b"H");
            }
            return i + 1;
        }
        if i == 0 {
            self.add2(b"J", b"A");
        } else if is_vowel(self.at(i - 1))
            && !slavo
            && (self.at(i + 1) == b'A' || self.at(i + 1) == b'O')
        {
            self.add2(b"J", b"H");
        } else if i == self.len() - 1 {
            self.add2(b"J", b"");
        } else if !self.is_any(i + 1, 1, &[b"L", b"T", b"K", b"S", b"N", b"M", b"B", b"Z"])
            && !self.is_any(i - 1, 1, &[b"S", b"K", b"L"])
        {
            self.add(b"J");
        }
        if self.at(i + 1) == b'J' {
            i + 2
        } else {
            i + 1
        }
    }

    fn l(&mut self, i: isize) -> isize {
        if self.at(i + 1) == b'L' {
            // Spanish "-illo", "-illa", "-alle": silent in the alternate.
            let spanish = (i == self.len() - 3
                && self.is_any(i - 1, 4, &[b"ILLO", b"ILLA", b"ALLE"]))
                || ((self.is_any(self.len() - 2, 2, &[b"AS", b"OS"])
                    || self.is_any(self.len() - 1, 1, &[b"A", b"O"]))
                    && self.is_any(i - 1, 4, &[b"ALLE"]));
            if spanish {
                self.add2(b"L", b"");
            } else {
                self.add(b"L");
            }
            i + 2
        } else {
            self.add(b"L");
            i + 1
        }
    }

    fn r(&mut self, i: isize, slavo: bool) -> isize {
        // French final "-ier": silent in the primary.
        if i == self.len() - 1
            && !slavo
            && self.is_any(i - 2, 2, &[b"IE"])
            && !self.is_any(i - 4, 2, &[b"ME", b"MA"])
        {
            self.add2(b"", b"R");
        } else {
            self.add(b"R");
        }
        if self.at(i + 1) == b'R' {
            i + 2
        } else {
            i + 1
        }
    }

    fn s(&mut self, i: isize, slavo: bool) -> isize {
        if self.is_any(i - 1, 3, &[b"ISL", b"YSL"]) {
            // "island", "carlisle".
            return i + 1;
        }
        if i == 0 && self.is_any(i, 5, &[b"SUGAR"]) {
            self.add2(b"X", b"S");
            return i + 1;
        }
        if self.is_any(i, 2, &[b"SH"]) {
            if self.is_any(i + 1, 4, &[b"HEIM", b"HOEK", b"HOLM", b"HOLZ"]) {
                self.add(b"S");
            } else {
                self.add(b"X");
            }
            return i + 2;
        }
        if self.is_any(i, 3, &[b"SIO", b"SIA"]) || self.is_any(i, 4, &[b"SIAN"]) {
            if slavo {
                self.add(b"S");
            } else {
                self.add2(b"S", b"X");
            }
            return i + 3;
        }
        if (i == 0 && self.is_any(i + 1, 1, &[b"M", b"N", b"L", b"W"]))
            || self.is_any(i + 1, 1, &[b"Z"])
        {
            // "Smith" matches "Schmidt", "Snider" matches "Schneider".
            self.add2(b"S", b"X");
            return if self.is_any(i + 1, 1, &[b"Z"]) {
                i + 2
            } else {
                i + 1
            };
        }
        if self.is_any(i, 2, &[b"SC"]) {
            return self.sc(i);
        }
        if i == self.len() - 1 && self.is_any(i - 2, 2, &[b"AI", b"OI"]) {
            // French "Resnais", "Artois".
            self.add2(b"", b"S");
        } else {
            self.add(b"S");
        }
        if self.is_any(i + 1, 1, &[b"S", b"Z"]) {
            i + 2
        } else {
            i + 1
        }
    }

    fn sc(&mut self, i: isize) -> isize {
        if self.at(i + 2) == b'H' {
            if self.is_any(i + 3, 2, &[b"OO", b"ER", b"EN", b"UY", b"ED", b"EM"]) {
                if self.is_any(i + 3, 2, &[b"ER", b"EN"]) {
                    self.add2(b"X", b"SK");
                } else {
                    self.add(b"SK");
                }
            } else if i == 0 && !is_vowel(self.at(3)) && self.at(3) != b'W' {
                self.add2(b"X", b"S");
            } else {
                self.add(b"X");
            }
        } else if self.is_any(i + 2, 1, &[b"I", b"E", b"Y"]) {
            self.add(b"S");
        } else {
            self.add(b"SK");
        }
        i + 3
    }

    fn t(&mut self, i: isize) -> isize {
        if self.is_any(i, 4, &[b"TION"]) || self.is_any(i, 3, &[b"TIA", b"TCH"]) {
            self.add(b"X");
            return i + 3;
        }
        if self.is_any(i, 2, &[b"TH"]) || self.is_any(i, 3, &[b"TTH"]) {
            if self.is_any(i + 2, 2, &[b"OM", b"AM"])
                || self.is_any(0, 4, &[b"VAN ", b"VON "])
                || self.is_any(0, 3, &[b"SCH"])
            {
                self.add(b"T");
            } else {
                self.add2(b"0", b"T");
            }
            return i + 2;
        }
        self.add(b"T");
        if self.is_any(i + 1, 1, &[b"T", b"D"]) {
            i + 2
        } else {
            i + 1
        }
    }

    fn w(&mut self, i: isize) -> isize {
        if self.is_any(i, 2, &[b"WR"]) {
            self.add(b"R");
            return i + 2;
        }
        if i == 0 && (is_vowel(self.at(i + 1)) || self.is_any(i, 2, &[b"WH"])) {
            if is_vowel(self.at(i + 1)) {
                // "Wasserman" matches "Vasserman".
                self.add2(b"A", b"F");
            } else {
                self.add(b"A");
            }
            return i + 1;
        }
        if (i == self.len() - 1 && is_vowel(self.at(i - 1)))
            || self.is_any(i - 1, 5, &[b"EWSKI", b"EWSKY", b"OWSKI", b"OWSKY"])
            || self.is_any(0, 3, &[b"SCH"])
        {
            // "Arnow" matches "Arnoff".
            self.add2(b"", b"F");
            return i + 1;
        }
        if self.is_any(i, 4, &[b"WICZ", b"WITZ"]) {
            self.add2(b"TS", b"FX");
            return i + 4;
        }
        i + 1
    }

    fn x(&mut self, i: isize) -> isize {
        if i == 0 {
            self.add(b"S");
            return i + 1;
        }
        let french_final = i == self.len() - 1
            && (self.is_any(i - 3, 3, &[b"IAU", b"EAU"]) || self.is_any(i - 2, 2, &[b"AU", b"OU"]));
        if !french_final {
            self.add(b"KS");
        }
        if self.is_any(i + 1, 1, &[b"C", b"X"]) {
            i + 2
        } else {
            i + 1
        }
    }

    fn z(&mut self, i: isize, slavo: bool) -> isize {
        if self.at(i + 1) == b'H' {
            // Pinyin "Zhao", "Zhang".
            self.add(b"J");
            return i + 2;
        }
        if self.is_any(i + 1, 2, &[b"ZO", b"ZI", b"ZA"])
            || (slavo && i > 0 && self.at(i - 1) != b'T')
        {
            self.add2(b"S", b"TS");
        } else {
            self.add(b"S");
        }
        if self.at(i + 1) == b'Z' {
            i + 2
        } else {
            i + 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(name: &str) -> (String, String) {
        let key = double_metaphone(name);
        (
            key.primary().as_str().to_string(),
            key.alternate().as_str().to_string(),
        )
    }

    /// Reference values: the published algorithm's outputs for common test surnames.
    #[test]
    fn reference_codes() {
        let cases: &[(&str, &str, &str)] = &[
            ("Smith", "SM0", "XMT"),
            ("Schmidt", "XMT", "SMT"),
            ("Thompson", "TMPS", "TMPS"),
            ("Thomson", "TMSN", "TMSN"),
            ("Jose", "HS", "HS"),
            ("Adams", "ATMS", "ATMS"),
            ("Aggar", "AKR", "AKR"),
            ("Angier", "ANJ", "ANJR"),
            ("Ashby", "AXP", "AXP"),
            ("Bachelor", "PXLR", "PKLR"),
            ("Barlow", "PRL", "PRLF"),
            ("Beauchamp", "PXMP", "PKMP"),
            ("benign", "PNN", "PNKN"),
            ("Bergen", "PRJN", "PRKN"),
            ("Bigelow", "PJL", "PKLF"),
            ("Bosworth", "PSR0", "PSRT"),
            ("Bouchier", "PX", "PKR"),
            ("Brzozowski", "PRSS", "PRTS"),
            ("Burge", "PRJ", "PRK"),
            ("Chambers", "XMPR", "XMPR"),
            ("Chevalier", "XFL", "XFLR"),
            ("Christie", "KRST", "KRST"),
            ("Church", "XRX", "XRK"),
            ("Clothilde", "KL0L", "KLTL"),
            ("Collier", "KL", "KLR"),
            ("Cunningham", "KNNK", "KNNK"),
            ("Cutha", "K0", "KT"),
            ("Dow", "T", "TF"),
            ("Eglinton", "AKLN", "ALNT"),
            ("Elizabeth", "ALSP", "ALSP"),
            ("Fischer", "FXR", "FSKR"),
            ("Folger", "FLKR", "FLJR"),
            ("French", "FRNX", "FRNK"),
            ("Frier", "FR", "FRR"),
            ("Frothingham", "FR0N", "FRTN"),
            ("Gage", "KJ", "KK"),
            ("George", "JRJ", "KRK"),
            ("Gerken", "KRKN", "JRKN"),
            ("Giffard", "JFRT", "KFRT"),
            ("Gill", "KL", "JL"),
            ("Hathaway", "H0", "HT"),
            ("Hemenway", "HMN", "HMN"),
            ("Knight", "NT", "NT"),
        ];
        for (name, primary, alternate) in cases {
            assert_eq!(
                codes(name),
                (primary.to_string(), alternate.to_string()),
                "{name}"
            );
        }
    }

    #[test]
    fn name_variants_sound_alike() {
        let alike = [
            ("CATHERINE", "KATHRYN"),
            ("MOHAMMED", "MUHAMMAD"),
            ("MOHAMED", "MOHAMMAD"),
            ("SMITH", "SCHMIDT"),
            ("PHILIP", "FILIP"),
            ("STEPHEN", "STEVEN"),
            ("SMITH", "SMYTH"),
            ("AISHA", "AYESHA"),
            ("NGUYEN", "NGUIEN"),
        ];
        for (a, b) in alike {
            assert!(
                double_metaphone(a).sounds_like(&double_metaphone(b)),
                "{a} {b}: {:?} {:?}",
                double_metaphone(a),
                double_metaphone(b)
            );
        }
        assert!(!double_metaphone("SMITH").sounds_like(&double_metaphone("JONES")));
    }

    #[test]
    fn empty_and_non_letters_give_empty_key() {
        assert!(double_metaphone("").is_empty());
        assert!(double_metaphone("123 -'").is_empty());
        assert!(!double_metaphone("").sounds_like(&double_metaphone("")));
    }
}
