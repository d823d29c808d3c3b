//! Tamper evidence for the event log and the access log.
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical bytes.
//! Altering, removing or reordering any entry changes every hash after it, so verification
//! names the first entry that no longer fits.

use sha2::{Digest, Sha256};

/// The hash of the (empty) chain before its first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of a log entry that the hash covers, in a fixed order.
pub struct ChainEntry<'a> {
    pub sequence: i64,
    pub authority: &'a str,
    pub recorded_at: &'a str,
    pub actor: &'a str,
    pub kind: &'a str,
    pub subject: &'a str,
    pub payload: &'a str,
}

impl ChainEntry<'_> {
    /// The hash of this entry chained onto `previous_hash` (lower-case hex).
    pub fn hash(&self, previous_hash: &str) -> String {
        let mut hasher = Sha256::new();
        // Length-prefix every field so that no two different entries share canonical bytes.
        for field in [
            previous_hash,
            &self.sequence.to_string(),
            self.authority,
            self.recorded_at,
            self.actor,
            self.kind,
            self.subject,
            self.payload,
        ] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// The first entry of a chain that does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The stored hash does not match the entry's contents: the entry was altered.
    Altered { sequence: i64 },
    /// A sequence number is missing: an entry was removed.
    Missing {
        expected_sequence: i64,
        found_sequence: i64,
    },
    /// The entry's stored previous hash is not its predecessor's hash.
    Relinked { sequence: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Altered { sequence } => {
                write!(
                    f,
                    "entry {sequence} was altered: its contents no longer match its hash"
                )
            }
            ChainBreak::Missing {
                expected_sequence,
                found_sequence,
            } => write!(
                f,
                "entry {expected_sequence} is missing (the next entry found is {found_sequence})"
            ),
            ChainBreak::Relinked { sequence } => {
                write!(f, "entry {sequence} does not follow the entry before it")
            }
        }
    }
}

/// Verifies a chain entry by entry, in sequence order. Feed it every stored row.
pub struct ChainVerifier {
    expected_sequence: i64,
    previous_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_sequence: 1,
            previous_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next stored entry against its stored `previous_hash` and `hash`.
    pub fn check(
        &mut self,
        entry: &ChainEntry<'_>,
        stored_previous_hash: &str,
        stored_hash: &str,
    ) -> Result<(), ChainBreak> {
        if entry.sequence != self.expected_sequence {
            return Err(ChainBreak::Missing {
                expected_sequence: self.expected_sequence,
                found_sequence: entry.sequence,
            });
        }
        if stored_previous_hash != self.previous_hash {
            return Err(ChainBreak::Relinked {
                sequence: entry.sequence,
            });
        }
        if entry.hash(stored_previous_hash) != stored_hash {
            return Err(ChainBreak::Altered {
                sequence: entry.sequence,
            });
        }
        self.expected_sequence += 1;
        self.previous_hash = stored_hash.to_string();
        Ok(())
    }

    /// How many entries verified so far.
    pub fn verified(&self) -> i64 {
        self.expected_sequence - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(sequence: i64, payload: &str) -> ChainEntry<'_> {
        ChainEntry {
            sequence,
            authority: "a",
            recorded_at: "2026-01-01T00:00:00.000000Z",
            actor: "w",
            kind: "contact_recorded",
            subject: "c",
            payload,
        }
    }

    #[test]
    fn a_chain_verifies_and_tampering_is_named() {
        let h1 = entry(1, "{}").hash(GENESIS_HASH);
        let h2 = entry(2, "{\"x\":1}").hash(&h1);
        let mut verifier = ChainVerifier::default();
        assert_eq!(verifier.check(&entry(1, "{}"), GENESIS_HASH, &h1), Ok(()));
        assert_eq!(verifier.check(&entry(2, "{\"x\":1}"), &h1, &h2), Ok(()));
        assert_eq!(verifier.verified(), 2);

        let mut verifier = ChainVerifier::default();
        assert_eq!(
            verifier.check(&entry(1, "{\"edited\":1}"), GENESIS_HASH, &h1),
            Err(ChainBreak::Altered { sequence: 1 })
        );

        let mut verifier = ChainVerifier::default();
        assert_eq!(
            verifier.check(&entry(2, "{\"x\":1}"), &h1, &h2),
            Err(ChainBreak::Missing {
                expected_sequence: 1,
                found_sequence: 2
            })
        );
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        let a = ChainEntry {
            kind: "ab",
            subject: "c",
            ..entry(1, "")
        }
        .hash(GENESIS_HASH);
        let b = ChainEntry {
            kind: "a",
            subject: "bc",
            ..entry(1, "")
        }
        .hash(GENESIS_HASH);
        assert_ne!(a, b);
    }
}
