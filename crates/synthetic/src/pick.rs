//! Small helpers for random choices that never panic on empty input.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A uniformly chosen item; the empty string for an empty list.
pub(crate) fn choose<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    if items.is_empty() {
        return "";
    }
    items[rng.gen_range(0..items.len())]
}

/// The index of an item chosen in proportion to its weight (0 when all weights are zero).
pub(crate) fn weighted_index(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if total <= 0.0 {
        return 0;
    }
    let mut target = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if *w <= 0.0 {
            continue;
        }
        if target < *w {
            return i;
        }
        target -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

/// A value chosen in proportion to its weight from `(value, weight)` pairs.
pub(crate) fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)], fallback: T) -> T {
    let total: f64 = items.iter().map(|(_, w)| *w).filter(|w| *w > 0.0).sum();
    if total <= 0.0 {
        return fallback;
    }
    let mut target = rng.gen::<f64>() * total;
    let mut last = fallback;
    for (value, w) in items {
        if *w <= 0.0 {
            continue;
        }
        if target < *w {
            return *value;
        }
        target -= w;
        last = *value;
    }
    last
}
