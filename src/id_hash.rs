//! A fast hasher for the engine's own id tables.
//!
//! Every assessment looks each answer's question id up in the pack's table
//! (forty lookups for the default pack), and SipHash, std's default, was
//! most of the cost of checking answers. The tables hold the pack's ids
//! only and are never grown from input, so an answer key can cost at most
//! one failed lookup, whatever it hashes to: the protection SipHash gives
//! against crafted keys is not needed here. Maps built from input (such as
//! the answers themselves) keep std's hasher.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A table from the pack's ids to their positions.
pub(crate) type IdTable<V> = HashMap<String, V, BuildHasherDefault<IdHasher>>;

/// Multiply-rotate hashing, eight bytes at a time (the scheme of rustc's
/// FxHasher).
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::IdTable;

    #[test]
    fn finds_what_it_holds_and_nothing_else() {
        let ids = [
            "q_rely",
            "q_honest",
            "q_trust_doubts",
            "a",
            "ab",
            "abcdefgh",
            "abcdefghi",
        ];
        let table: IdTable<usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| ((*id).to_owned(), i))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.get(*id), Some(&i));
        }
        assert_eq!(table.get("q_rel"), None);
        assert_eq!(table.get("abcdefgh\0"), None);
    }
}
