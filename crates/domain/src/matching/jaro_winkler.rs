//! Jaro and Jaro–Winkler string similarity (Jaro 1989; Winkler 1990).
//!
//! Both work on bytes: pass normalised names (upper-case ASCII), for which a byte is a letter.
//! Nothing is allocated for strings of up to 64 bytes.

/// Strings up to this many bytes are compared without allocating.
const INLINE: usize = 64;

/// Winkler's prefix scale: how much a common prefix lifts the Jaro similarity.
pub const WINKLER_PREFIX_SCALE: f64 = 0.1;

/// Winkler's boost threshold: the prefix bonus applies only above this Jaro similarity.
pub const WINKLER_BOOST_THRESHOLD: f64 = 0.7;

/// The Jaro similarity of two strings, from 0.0 (nothing in common) to 1.0 (identical).
///
/// Two empty strings are identical (1.0); an empty and a non-empty string share nothing (0.0).
pub fn jaro(a: &str, b: &str) -> f64 {
    let a = a.as_bytes();
    let b = b.as_bytes();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }

    let mut a_inline = [false; INLINE];
    let mut b_inline = [false; INLINE];
    let mut a_heap;
    let mut b_heap;
    let a_matched: &mut [bool] = if a.len() <= INLINE {
        &mut a_inline[..a.len()]
    } else {
        a_heap = vec![false; a.len()];
        &mut a_heap
    };
    let b_matched: &mut [bool] = if b.len() <= INLINE {
        &mut b_inline[..b.len()]
    } else {
        b_heap = vec![false; b.len()];
        &mut b_heap
    };

    // Characters match when equal and no further apart than half the longer length, less one.
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let start = i.saturating_sub(window);
        let end = (i + window + 1).min(b.len());
        for j in start..end {
            if !b_matched[j] && b[j] == ca {
                a_matched[i] = true;
                b_matched[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }

    // Half the number of matched characters that appear in a different order.
    let mut out_of_order = 0usize;
    let mut j = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if !a_matched[i] {
            continue;
        }
        while !b_matched[j] {
            j += 1;
        }
        if ca != b[j] {
            out_of_order += 1;
        }
        j += 1;
    }
    let transpositions = (out_of_order / 2) as f64;
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions) / m) / 3.0
}

/// The Jaro–Winkler similarity: Jaro, raised for a common prefix of up to four characters
/// when the Jaro similarity exceeds [`WINKLER_BOOST_THRESHOLD`].
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let j = jaro(a, b);
    if j <= WINKLER_BOOST_THRESHOLD {
        return j;
    }
    let prefix = a
        .bytes()
        .zip(b.bytes())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count() as f64;
    j + prefix * WINKLER_PREFIX_SCALE * (1.0 - j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 0.001
    }

    /// Reference values from Winkler (1990) and the usual textbook examples.
    #[test]
    fn reference_values() {
        let cases = [
            ("MARTHA", "MARHTA", 0.944, 0.961),
            ("DWAYNE", "DUANE", 0.822, 0.840),
            ("DIXON", "DICKSONX", 0.767, 0.813),
            ("JELLYFISH", "SMELLYFISH", 0.896, 0.896),
            ("SHACKLEFORD", "SHACKELFORD", 0.970, 0.982),
            ("JONES", "JOHNSON", 0.790, 0.832),
        ];
        for (a, b, j, jw) in cases {
            assert!(close(jaro(a, b), j), "jaro {a} {b} = {}", jaro(a, b));
            assert!(
                close(jaro_winkler(a, b), jw),
                "jaro-winkler {a} {b} = {}",
                jaro_winkler(a, b)
            );
        }
    }

    #[test]
    fn edge_cases() {
        assert_eq!(jaro_winkler("", ""), 1.0);
        assert_eq!(jaro_winkler("A", ""), 0.0);
        assert_eq!(jaro_winkler("ABC", "XYZ"), 0.0);
        assert_eq!(jaro_winkler("SMITH", "SMITH"), 1.0);
        // Symmetric.
        assert!(close(
            jaro_winkler("CATHERINE", "KATHRYN"),
            jaro_winkler("KATHRYN", "CATHERINE")
        ));
        // Long strings take the allocating path and still work.
        let long_a = "A".repeat(100) + "B";
        let long_b = "A".repeat(100) + "C";
        assert!(jaro_winkler(&long_a, &long_b) > 0.98);
    }
}
