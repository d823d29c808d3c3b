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
}

mod consonants;

#[cfg(test)]
mod tests;
