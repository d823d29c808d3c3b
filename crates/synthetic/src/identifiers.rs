//! Identifiers that look real and validate: NHS numbers in the test range (999 000 0000 to
//! 999 999 9999, never issued to a patient) with correct check digits, and unique pupil
//! numbers with correct check letters. Each allocator hands out every value at most once.

use frontdoor_domain::person::{nhs_check_digit, NhsNumber, Upn};

/// Multiplier of the permutation of 0..1,000,000 (coprime to 10^6, so every value is hit once).
const NHS_PERMUTATION: u64 = 387_631;
const NHS_SPACE: u64 = 1_000_000;

/// Hands out NHS numbers 999xxxxxxC with a valid modulus-11 check digit, in a scrambled order.
/// About 909,000 exist; after that it returns `None`.
#[derive(Debug, Clone)]
pub struct NhsNumberAllocator {
    next: u64,
    offset: u64,
}

impl NhsNumberAllocator {
    pub fn new(seed: u64) -> Self {
        Self {
            next: 0,
            offset: seed % NHS_SPACE,
        }
    }

    pub fn allocate(&mut self) -> Option<NhsNumber> {
        while self.next < NHS_SPACE {
            let i = self.next;
            self.next += 1;
            let middle = (i * NHS_PERMUTATION + self.offset) % NHS_SPACE;
            let first_nine = format!("999{middle:06}");
            if let Some(check) = nhs_check_digit(&first_nine) {
                if let Ok(number) = NhsNumber::parse(&format!("{first_nine}{check}")) {
                    return Some(number);
                }
            }
        }
        None
    }
}

/// The check letters of a unique pupil number, indexed by the weighted sum modulo 23.
const UPN_CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// Hands out unique pupil numbers under LA number 001, one of the DfE's pseudo LA numbers (no
/// real authority's, yet one the census accepts).
#[derive(Debug, Clone, Default)]
pub struct UpnAllocator {
    next: u64,
}

impl UpnAllocator {
    /// A UPN for a child who started school in `entry_year`.
    pub fn allocate(&mut self, entry_year: i32) -> Option<Upn> {
        let n = self.next;
        self.next += 1;
        let school = 2000 + (n / 1000) % 6000;
        let serial = n % 1000;
        let year = entry_year.rem_euclid(100);
        let tail = format!("001{school:04}{year:02}{serial:03}");
        Upn::parse(&with_check_letter(&tail)).ok()
    }
}

/// Prefixes the 12 trailing characters of a UPN with its check letter.
pub(crate) fn with_check_letter(tail: &str) -> String {
    let sum: usize = tail
        .bytes()
        .enumerate()
        .map(|(i, c)| {
            let value = if c.is_ascii_digit() {
                usize::from(c - b'0')
            } else {
                UPN_CHECK_LETTERS.iter().position(|l| *l == c).unwrap_or(0)
            };
            value * (i + 2)
        })
        .sum();
    format!("{}{tail}", UPN_CHECK_LETTERS[sum % 23] as char)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nhs_numbers_are_valid_unique_and_in_the_test_range() {
        let mut allocator = NhsNumberAllocator::new(42);
        let mut seen = HashSet::new();
        for _ in 0..20_000 {
            let number = allocator.allocate().expect("the range is far from used up");
            assert!(number.as_str().starts_with("999"));
            assert!(NhsNumber::parse(number.as_str()).is_ok());
            assert!(
                seen.insert(number.as_str().to_string()),
                "duplicate {number}"
            );
        }
    }

    #[test]
    fn the_test_range_runs_out_without_repeating() {
        let mut allocator = NhsNumberAllocator::new(7);
        let mut count = 0;
        while allocator.allocate().is_some() {
            count += 1;
        }
        assert!((900_000..=910_000).contains(&count), "{count}");
    }

    #[test]
    fn upns_are_valid_and_unique() {
        let mut allocator = UpnAllocator::default();
        let mut seen = HashSet::new();
        for i in 0..5_000 {
            let upn = allocator.allocate(2015 + (i % 10)).expect("valid UPN");
            assert!(seen.insert(upn.as_str().to_string()));
        }
    }
}
