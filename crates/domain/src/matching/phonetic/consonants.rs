//! The encoder's rules for the consonants whose sound depends on their neighbours (C, D, G, H,
//! J, L, R, S, T, W, X, Z), one method each, as in the published algorithm.

use super::{is_vowel, Encoder};

impl Encoder<'_> {
    pub(super) fn c(&mut self, i: isize) -> isize {
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

    pub(super) fn c_germanic(&self, i: isize) -> bool {
        if self.is_any(i, 4, &[b"CHIA"]) {
            return true;
        }
        if i <= 1 || is_vowel(self.at(i - 2)) || !self.is_any(i - 1, 3, &[b"ACH"]) {
            return false;
        }
        let next = self.at(i + 2);
        (next != b'I' && next != b'E') || self.is_any(i - 2, 6, &[b"BACHER", b"MACHER"])
    }

    pub(super) fn cc(&mut self, i: isize) -> isize {
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

    pub(super) fn ch(&mut self, i: isize) -> isize {
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

    pub(super) fn d(&mut self, i: isize) -> isize {
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

    pub(super) fn g(&mut self, i: isize, slavo: bool) -> isize {
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

    pub(super) fn gh(&mut self, i: isize) -> isize {
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

    pub(super) fn h(&mut self, i: isize) -> isize {
        // Kept only at the start before a vowel, or between two vowels.
        if (i == 0 || is_vowel(self.at(i - 1))) && is_vowel(self.at(i + 1)) {
            self.add(b"H");
            i + 2
        } else {
            i + 1
        }
    }

    pub(super) fn j(&mut self, i: isize, slavo: bool) -> isize {
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

    pub(super) fn l(&mut self, i: isize) -> isize {
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

    pub(super) fn r(&mut self, i: isize, slavo: bool) -> isize {
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

    pub(super) fn s(&mut self, i: isize, slavo: bool) -> isize {
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

    pub(super) fn sc(&mut self, i: isize) -> isize {
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

    pub(super) fn t(&mut self, i: isize) -> isize {
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

    pub(super) fn w(&mut self, i: isize) -> isize {
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

    pub(super) fn x(&mut self, i: isize) -> isize {
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

    pub(super) fn z(&mut self, i: isize, slavo: bool) -> isize {
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
