//! The pack's content hash: SHA-256 (from `sha2`) of its canonical form.
//!
//! The canonical form is the pack re-serialised from the model as compact
//! JSON: fields in the model's declaration order, every map sorted by key,
//! numbers as serde_json writes them, and `$schema` left out (it tells an
//! editor where the schema lives and says nothing about the content). So
//! whitespace, key order, number spelling such as `1.0` for `1`, and the
//! schema reference do not change the hash; any change of content does.

use sha2::{Digest, Sha256};

use crate::pack::Pack;

/// The SHA-256 of the pack's canonical form, as 64 lowercase hex digits.
///
/// `size_hint` is the length of the pack's JSON, if known: the canonical
/// form is about as long, so one buffer of that size is enough. The pack's
/// nesting must already be checked: serialising recurses once per level.
pub(crate) fn content_hash(pack: &mut Pack, size_hint: usize) -> String {
    let schema = pack.schema.take();
    // One buffer hashed at once: serde writes many tiny pieces, and the
    // hasher's per-call cost would dominate if fed each of them.
    let mut canonical = Vec::with_capacity(size_hint);
    // The model has no map with non-string keys, and a Vec cannot fail to
    // take bytes, so serialising cannot fail.
    let _ = serde_json::to_writer(&mut canonical, &*pack);
    pack.schema = schema;
    hex(&Sha256::digest(&canonical))
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
        let with_schema = content_hash(&mut pack, 0);
        assert!(pack.schema.is_some(), "the schema reference is kept in the model");
        let mut canonical_pack = pack.clone();
        canonical_pack.schema = None;
        let canonical = serde_json::to_vec(&canonical_pack).expect("serialises");
        assert_eq!(with_schema, sha256_hex(&canonical));
        pack.schema = Some("elsewhere.json".to_owned());
        assert_eq!(content_hash(&mut pack, 0), with_schema);
    }
}
