//! The pack's content hash: SHA-256 (from `sha2`) of its canonical form.
//!
//! The canonical form is the pack re-serialised from the model as compact
//! JSON: fields in the model's declaration order, every map sorted by key,
//! numbers as serde_json writes them, and `$schema` left out (it tells an
//! editor where the schema lives and says nothing about the content). So
//! whitespace, key order, number spelling such as `1.0` for `1`, and the
//! schema reference do not change the hash; any change of content does.
//!
//! The canonical form is byte for byte what `serde_json::to_vec` writes for
//! the model (the tests compare the two). It is written by the crate's JSON
//! writer (`src/json_write.rs`), which feeds the hasher as it goes, so the
//! text is never kept whole. Strings, most of a pack, are scanned for
//! characters to escape eight bytes at a time, and only until as many have
//! been escaped as the pack's JSON had strings with escape sequences (see
//! [`Escapes`]).

use serde::Serialize;

use crate::json_write::JsonWriter;
use crate::pack::Pack;

/// How many of a pack's strings may hold a character that the canonical
/// form escapes (`"`, `\` or a control character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escapes {
    /// At most this many: the pack was parsed from JSON with this many
    /// strings holding an escape sequence, and JSON cannot hold those
    /// characters otherwise (serde_json refuses a raw control character).
    /// Once that many are found, the rest are written unexamined.
    AtMost(usize),
    /// Any number: every string is examined.
    Unknown,
}

/// The SHA-256 of the pack's canonical form, as 64 lowercase hex digits.
///
/// The pack's nesting must already be checked: serialising recurses once
/// per level.
pub(crate) fn content_hash(pack: &mut Pack, escapes: Escapes) -> String {
    let schema = pack.schema.take();
    let mut canonical = JsonWriter::hashing();
    canonical.escapes_left = match escapes {
        Escapes::AtMost(count) => Some(count),
        Escapes::Unknown => None,
    };
    // The model has no map with non-string keys, the one thing the
    // canonical form refuses, so serialising cannot fail.
    let _ = pack.serialize(&mut canonical);
    pack.schema = schema;
    hex(&canonical.finish())
}

/// Lowercase hex digits of a digest.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    fn sha256_hex(data: &[u8]) -> String {
        hex(&Sha256::digest(data))
    }

    #[test]
    fn digests_match_published_test_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_hash_is_of_the_canonical_form_without_schema() {
        let mut pack: Pack = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("the default pack parses");
        let with_schema = content_hash(&mut pack, Escapes::Unknown);
        assert!(pack.schema.is_some(), "the schema reference is kept in the model");
        let mut canonical_pack = pack.clone();
        canonical_pack.schema = None;
        let canonical = serde_json::to_vec(&canonical_pack).expect("serialises");
        assert_eq!(with_schema, sha256_hex(&canonical));
        pack.schema = Some("elsewhere.json".to_owned());
        assert_eq!(content_hash(&mut pack, Escapes::Unknown), with_schema);
    }

    #[test]
    fn hashing_in_chunks_of_any_size_hashes_the_whole_form() {
        let mut pack: Pack = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("the default pack parses");
        pack.schema = None;
        let whole = Sha256::digest(serde_json::to_vec(&pack).expect("serialises"));
        for chunk in [0, 1, 7, 100, 4096, 8 * 1024] {
            let mut canonical = JsonWriter::hashing();
            canonical.chunk = chunk;
            pack.serialize(&mut canonical).expect("serialises");
            assert_eq!(canonical.finish()[..], whole[..], "chunk of {chunk}");
        }
    }

    /// The canonical form written knowing at most `count` strings need
    /// escaping, and how many more could have (see [`Escapes::AtMost`]).
    fn canonical_with_escapes<T: Serialize>(value: &T, count: usize) -> (Vec<u8>, Option<usize>) {
        let mut canonical = JsonWriter::text(Vec::new());
        canonical.escapes_left = Some(count);
        value.serialize(&mut canonical).expect("serialises");
        (canonical.pending, canonical.escapes_left)
    }

    /// How many strings of `json` hold an escape sequence.
    fn escaped_strings(json: &str) -> usize {
        let wide = crate::scan::Bounds {
            depth: 100,
            object_depth: 100,
            containers: usize::MAX,
            entries: usize::MAX,
        };
        crate::scan::scan(json.as_bytes(), wide)
            .expect("within bounds")
            .escaped_strings
    }

    #[test]
    fn strings_past_the_last_escaped_one_are_written_as_they_are() {
        let json = crate::DEFAULT_PACK_JSON;
        let mut pack: Pack = serde_json::from_str(json).expect("parses");
        pack.schema = None;
        let count = escaped_strings(json);
        assert!(count > 0, "the default pack has escaped quotes");
        // Each string with an escape sequence is one the canonical form
        // escapes: once all are written, the rest go unexamined.
        let (bytes, left) = canonical_with_escapes(&pack, count);
        assert!(bytes == serde_json::to_vec(&pack).expect("serialises"));
        assert_eq!(left, Some(0));
        // An escape sequence the canonical form writes as a plain character
        // leaves a string counted that needs nothing: all are examined.
        let json = json.replacen("\"Rekindle:", "\"\\u00e9 Rekindle:", 1);
        let mut pack: Pack = serde_json::from_str(&json).expect("parses");
        pack.schema = None;
        let (bytes, left) = canonical_with_escapes(&pack, escaped_strings(&json));
        assert!(bytes == serde_json::to_vec(&pack).expect("serialises"));
        assert_eq!(left, Some(1));
    }

    #[test]
    fn the_hash_knowing_the_escapes_is_the_hash() {
        let mut pack: Pack = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("parses");
        let count = escaped_strings(crate::DEFAULT_PACK_JSON);
        assert_eq!(
            content_hash(&mut pack, Escapes::AtMost(count)),
            content_hash(&mut pack, Escapes::Unknown)
        );
    }

    #[test]
    fn the_default_packs_hash_is_pinned() {
        // Apps store this hash with progress snapshots: it must not change
        // unless the pack does.
        let engine = crate::Engine::from_json(crate::DEFAULT_PACK_JSON).expect("loads");
        assert_eq!(
            engine.info().hash,
            "1364d59b067889a092a5edb733b7a7a5a9ee1e0f7c9e9cdb3161d741c47b2e7b"
        );
    }
}
