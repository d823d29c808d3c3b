//! Precision, recall and F1 of candidate pairs scored against the truth.

use frontdoor_app::LinkedPair;
use frontdoor_synthetic::Truth;

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    true_positives: u64,
    false_positives: u64,
    true_pairs: u64,
}

impl Counts {
    fn precision(&self) -> f64 {
        let found = self.true_positives + self.false_positives;
        if found == 0 {
            1.0
        } else {
            self.true_positives as f64 / found as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.true_positives as f64 / self.true_pairs as f64
        }
    }
    pub(super) fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub(super) fn describe(&self) -> String {
        format!(
            "precision {:.4}, recall {:.4}, F1 {:.4} ({} true pairs found, {} false, {} missed of {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_positives,
            self.false_positives,
            self.true_pairs - self.true_positives,
            self.true_pairs
        )
    }
}

/// Candidate pairs scored, each marked true or false.
pub(super) struct Scored {
    pairs: Vec<(f64, bool)>,
    true_pairs: u64,
}

impl Scored {
    pub(super) fn new(pairs: &[LinkedPair], truth: &Truth) -> Self {
        let mut scored: Vec<(f64, bool)> = pairs
            .iter()
            .map(|p| (p.score, truth.same_person(&p.left_id, &p.right_id)))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Scored {
            pairs: scored,
            true_pairs: truth.pair_count(),
        }
    }

    pub(super) fn at(&self, threshold: f64) -> Counts {
        let mut counts = Counts {
            true_pairs: self.true_pairs,
            ..Counts::default()
        };
        for (score, same) in &self.pairs {
            if *score < threshold {
                break;
            }
            if *same {
                counts.true_positives += 1;
            } else {
                counts.false_positives += 1;
            }
        }
        counts
    }

    /// Share of true pairs that shared a blocking key (were scored at all).
    pub(super) fn blocking_recall(&self) -> f64 {
        let candidates = self.pairs.iter().filter(|(_, same)| *same).count();
        candidates as f64 / self.true_pairs.max(1) as f64
    }

    /// The threshold with the best F1: halfway between the last pair kept and the next.
    pub(super) fn best_threshold(&self) -> (f64, Counts) {
        let mut best = (f64::INFINITY, self.at(f64::INFINITY));
        let mut counts = Counts {
            true_pairs: self.true_pairs,
            ..Counts::default()
        };
        for (i, (score, same)) in self.pairs.iter().enumerate() {
            if *same {
                counts.true_positives += 1;
            } else {
                counts.false_positives += 1;
            }
            let next = self.pairs.get(i + 1).map(|p| p.0);
            if next == Some(*score) {
                continue;
            }
            if counts.f1() > best.1.f1() {
                let threshold = match next {
                    Some(n) => (score + n) / 2.0,
                    None => *score,
                };
                best = (threshold, counts);
            }
        }
        best
    }
}
