//! Compact JSON, byte for byte as serde_json writes it, into a buffer or
//! through it into SHA-256: the pack's canonical form for its content hash
//! (`src/hash.rs`), and results handed out as JSON text.
//!
//! Most of what is written is text, and serde_json examines each byte of a
//! string against a table; here strings are scanned for characters to
//! escape eight bytes at a time, and whole numbers are written without the
//! float formatter. Tests compare every kind of value with serde_json's
//! own output.

use std::fmt;

use serde::ser::{self, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};
use sha2::{Digest, Sha256};

/// `value` as compact JSON text, exactly as `serde_json::to_string` writes
/// it; `None` where serde_json would fail too (a map key that is not a
/// string).
pub(crate) fn to_json<T: ?Sized + Serialize>(value: &T, capacity: usize) -> Option<String> {
    let mut out = Vec::with_capacity(capacity);
    append_json(value, &mut out).then(|| String::from_utf8(out).ok())?
}

/// Appends `value` to `out` as compact JSON, as [`to_json`] writes it;
/// where that fails, appends nothing and returns false. What it appends
/// is UTF-8: the bytes of `str`s and ASCII.
pub(crate) fn append_json<T: ?Sized + Serialize>(value: &T, out: &mut Vec<u8>) -> bool {
    let start = out.len();
    let mut writer = JsonWriter::text(std::mem::take(out));
    let written = value.serialize(&mut writer).is_ok();
    *out = writer.pending;
    if !written {
        out.truncate(start);
    }
    written
}

/// Bytes gathered before they are hashed: the hasher's cost per call would
/// dominate if it were fed each of serde's tiny pieces.
const CHUNK: usize = 8 * 1024;

/// A serde serializer that writes compact JSON exactly as serde_json does,
/// into a buffer, or through it into a SHA-256 hasher.
pub(crate) struct JsonWriter {
    hasher: Option<Sha256>,
    pub(crate) pending: Vec<u8>,
    /// How much is gathered before it is hashed ([`CHUNK`]).
    pub(crate) chunk: usize,
    /// How many more strings may need escaping, if known (see
    /// `hash::Escapes::AtMost`); the names of fields never do.
    pub(crate) escapes_left: Option<usize>,
}

impl JsonWriter {
    /// A writer that hashes what it writes, as it goes.
    pub(crate) fn hashing() -> JsonWriter {
        JsonWriter {
            hasher: Some(Sha256::new()),
            pending: Vec::with_capacity(CHUNK + 256),
            chunk: CHUNK,
            escapes_left: None,
        }
    }

    /// A writer that keeps what it writes, after what `out` holds.
    pub(crate) fn text(out: Vec<u8>) -> JsonWriter {
        JsonWriter {
            hasher: None,
            pending: out,
            chunk: usize::MAX,
            escapes_left: None,
        }
    }

    /// Hashes what is pending once there is a chunk of it; called after
    /// each element, entry and field (never inside a map key, which is
    /// checked once written).
    fn flush_full(&mut self) {
        if self.pending.len() >= self.chunk {
            if let Some(hasher) = self.hasher.as_mut() {
                hasher.update(&self.pending);
                self.pending.clear();
            }
        }
    }

    /// The SHA-256 of everything written (of nothing for a text writer).
    pub(crate) fn finish(self) -> [u8; 32] {
        let mut hasher = self.hasher.unwrap_or_default();
        hasher.update(&self.pending);
        hasher.finalize().into()
    }

    /// A JSON string, escaped as serde_json escapes it: `"` and `\` with a
    /// backslash, the control characters below 0x20 with their short
    /// escape or `\u00XX`, everything else (non-ASCII included) as is.
    fn string(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.pending.reserve(bytes.len() + 2);
        self.pending.push(b'"');
        if self.escapes_left == Some(0) {
            debug_assert_eq!(next_to_escape(bytes, 0), None, "{text:?}");
            self.pending.extend_from_slice(bytes);
            self.pending.push(b'"');
            return;
        }
        let mut start = 0;
        while let Some(at) = next_to_escape(bytes, start) {
            if start == 0 {
                if let Some(left) = self.escapes_left.as_mut() {
                    *left = left.saturating_sub(1);
                }
            }
            self.pending.extend_from_slice(&bytes[start..at]);
            let byte = bytes[at];
            let short = match byte {
                b'"' => Some(b'"'),
                b'\\' => Some(b'\\'),
                0x08 => Some(b'b'),
                0x09 => Some(b't'),
                0x0a => Some(b'n'),
                0x0c => Some(b'f'),
                0x0d => Some(b'r'),
                _ => None,
            };
            match short {
                Some(letter) => self.pending.extend_from_slice(&[b'\\', letter]),
                None => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.pending.extend_from_slice(&[
                        b'\\',
                        b'u',
                        b'0',
                        b'0',
                        HEX[usize::from(byte >> 4)],
                        HEX[usize::from(byte & 15)],
                    ]);
                }
            }
            start = at + 1;
        }
        self.pending.extend_from_slice(&bytes[start..]);
        self.pending.push(b'"');
    }

    /// Writes with serde_json's own number formatting.
    fn number(&mut self, write: impl FnOnce(&mut CompactFormatter, &mut Vec<u8>) -> std::io::Result<()>) {
        // Writing to a Vec cannot fail.
        let _ = write(&mut CompactFormatter, &mut self.pending);
    }
}

/// The index of the first byte at or after `from` that a JSON string must
/// escape (`"`, `\` or below 0x20), if any. Eight bytes at a time: a byte
/// below a bound sets its high bit in `(word - bound) & !word`, and the
/// lowest such bit is exact (bits above it may be borrows).
fn next_to_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    let hit = |at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        let word = u64::from_le_bytes(word);
        let (q, b) = (word ^ QUOTES, word ^ BACKSLASHES);
        let hits = ((q.wrapping_sub(ONES) & !q)
            | (b.wrapping_sub(ONES) & !b)
            | (word.wrapping_sub(ONES * 0x20) & !word))
            & HIGHS;
        (hits != 0).then(|| at + (hits.trailing_zeros() / 8) as usize)
    };
    let mut i = from;
    while i + 8 <= bytes.len() {
        if let Some(at) = hit(i) {
            return Some(at);
        }
        i += 8;
    }
    if i < bytes.len() && bytes.len() >= from + 8 {
        // The last eight bytes, overlapping some already found clean:
        // clean bytes below cannot make a false hit.
        return hit(bytes.len() - 8);
    }
    bytes[i..]
        .iter()
        .position(|&byte| ESCAPED[usize::from(byte)])
        .map(|at| i + at)
}

/// The bytes a JSON string escapes, by value.
static ESCAPED: [bool; 256] = {
    let mut escaped = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        escaped[byte] = true;
        byte += 1;
    }
    escaped[b'"' as usize] = true;
    escaped[b'\\' as usize] = true;
    escaped
};

/// A whole number that serde_json writes as its digits and `.0` (not in
/// exponent form, which it uses from 1e16, and not `-0.0`).
fn whole(value: f64) -> bool {
    value.fract() == 0.0 && value.abs() < 1e15 && !(value == 0.0 && value.is_sign_negative())
}

/// The canonical form could not be written: only a map key that is not a
/// string does that. Nothing is kept of the reason, so that each level of
/// a pack's nesting costs the stack as little as in serde_json's own
/// serializer (a result is passed back through every level).
#[derive(Debug)]
pub(crate) struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the canonical form has no such value")
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        Refused
    }
}

/// An object or array being written; `first` until its first entry.
pub(crate) struct Compound<'a> {
    out: &'a mut JsonWriter,
    first: bool,
}

impl Compound<'_> {
    fn separator(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.out.pending.push(b',');
        }
    }
}

impl<'a> ser::Serializer for &'a mut JsonWriter {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Refused> {
        self.pending
            .extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), Refused> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i16(self, value: i16) -> Result<(), Refused> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i32(self, value: i32) -> Result<(), Refused> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i64(self, value: i64) -> Result<(), Refused> {
        self.number(|f, out| f.write_i64(out, value));
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), Refused> {
        self.number(|f, out| f.write_i128(out, value));
        Ok(())
    }

    fn serialize_u8(self, value: u8) -> Result<(), Refused> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u16(self, value: u16) -> Result<(), Refused> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u32(self, value: u32) -> Result<(), Refused> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u64(self, value: u64) -> Result<(), Refused> {
        self.number(|f, out| f.write_u64(out, value));
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), Refused> {
        self.number(|f, out| f.write_u128(out, value));
        Ok(())
    }

    fn serialize_f32(self, value: f32) -> Result<(), Refused> {
        // As serde_json: a number that JSON cannot write is null.
        if value.is_finite() {
            self.number(|f, out| f.write_f32(out, value));
        } else {
            self.pending.extend_from_slice(b"null");
        }
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Refused> {
        if whole(value) {
            // Most numbers of a pack are whole; serde_json writes them as
            // the integer and `.0`, which is cheaper to write directly.
            self.number(|f, out| f.write_i64(out, value as i64));
            self.pending.extend_from_slice(b".0");
        } else if value.is_finite() {
            self.number(|f, out| f.write_f64(out, value));
        } else {
            self.pending.extend_from_slice(b"null");
        }
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Refused> {
        self.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Refused> {
        self.string(value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Refused> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Refused> {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Refused> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Refused> {
        self.pending.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Refused> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Refused> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        self.pending.push(b'{');
        self.string(variant);
        self.pending.push(b':');
        value.serialize(&mut *self)?;
        self.pending.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Refused> {
        self.pending.push(b'[');
        Ok(Compound {
            out: self,
            first: true,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Refused> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Refused> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Refused> {
        self.pending.push(b'{');
        self.string(variant);
        self.pending.push(b':');
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Refused> {
        self.pending.push(b'{');
        Ok(Compound {
            out: self,
            first: true,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Refused> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Refused> {
        self.pending.push(b'{');
        self.string(variant);
        self.pending.push(b':');
        self.serialize_map(Some(len))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Refused> {
        self.separator();
        value.serialize(&mut *self.out)?;
        self.out.flush_full();
        Ok(())
    }

    fn end(self) -> Result<(), Refused> {
        self.out.pending.push(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Refused> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Refused> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Refused> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Refused> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Refused> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Refused> {
        self.out.pending.extend_from_slice(b"]}");
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Refused> {
        self.separator();
        let at = self.out.pending.len();
        key.serialize(&mut *self.out)?;
        // serde_json writes some other keys (numbers, booleans) as strings;
        // the model has none, so any key that is not a string is refused.
        if self.out.pending.get(at) != Some(&b'"') {
            return Err(Refused);
        }
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Refused> {
        self.out.pending.push(b':');
        value.serialize(&mut *self.out)?;
        self.out.flush_full();
        Ok(())
    }

    fn end(self) -> Result<(), Refused> {
        self.out.pending.push(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        self.separator();
        // The model's field names need no escaping: written as they are.
        debug_assert_eq!(next_to_escape(key.as_bytes(), 0), None, "{key:?}");
        let pending = &mut self.out.pending;
        pending.push(b'"');
        pending.extend_from_slice(key.as_bytes());
        pending.extend_from_slice(b"\":");
        value.serialize(&mut *self.out)?;
        self.out.flush_full();
        Ok(())
    }

    fn end(self) -> Result<(), Refused> {
        ser::SerializeMap::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }

    fn end(self) -> Result<(), Refused> {
        self.out.pending.extend_from_slice(b"}}");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::pack::Pack;

    /// What the writer writes for any value.
    fn canonical_bytes<T: Serialize>(value: &T) -> Vec<u8> {
        to_json(value, 0).expect("serialises").into_bytes()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u8..=0x7f).map(|b| char::from(b).to_string()).collect();
        for n in 0..20 {
            let body = "ab\u{e9}\u{1f600}".repeat(n);
            texts.push(format!("{body}\"{body}\\{body}\n\u{1}\u{1f}\u{7f}{body}"));
            texts.push(format!("{body}\u{0}"));
            texts.push(body);
        }
        for text in &texts {
            assert_eq!(
                canonical_bytes(text),
                serde_json::to_vec(text).expect("serialises"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_kind_of_value_is_written_as_serde_json_writes_it() {
        let value = json!({
            "b": [1, -2, 3.5, -0.0, 1e300, 2.5e-300, u64::MAX, i64::MIN, 0.1],
            "a": {"z": null, "y": true, "x": false, "": "", "w": [[], {}, [{}]]},
            "c": "\u{0}\"\\/\u{2028}"
        });
        assert_eq!(
            canonical_bytes(&value),
            serde_json::to_vec(&value).expect("serialises")
        );
        for number in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            1e21,
            1.0,
            123456789.125,
        ] {
            assert_eq!(
                canonical_bytes(&number),
                serde_json::to_vec(&number).expect("serialises")
            );
        }
        // Whole numbers, written without the float formatter, at every
        // size up to and past where serde_json turns to exponents.
        let mut whole_numbers: Vec<f64> = (-1000..=1000).map(f64::from).collect();
        for exponent in 0..=17 {
            let power = 10f64.powi(exponent);
            for number in [power - 1.0, power, power + 1.0, 7.0 * power, 9.999 * power] {
                whole_numbers.extend([number.trunc(), -number.trunc()]);
            }
        }
        whole_numbers.extend([
            2f64.powi(53),
            2f64.powi(53) - 1.0,
            999_999_999_999_999.0,
            1e15 - 0.5,
        ]);
        for number in whole_numbers {
            assert_eq!(
                canonical_bytes(&number),
                serde_json::to_vec(&number).expect("serialises"),
                "{number}"
            );
        }
        let mut condition = crate::pack::Condition {
            is: Some(json!({"k": [1, "2"]})),
            in_: Some(vec![json!(1), json!("x"), json!(null)]),
            eq: Some(f64::NAN),
            whose: Some(crate::pack::Whose::Both),
            at_least: Some(3),
            ..Default::default()
        };
        condition.not = Some(Box::new(condition.clone()));
        assert_eq!(
            canonical_bytes(&condition),
            serde_json::to_vec(&condition).expect("serialises")
        );
    }

    #[test]
    fn packs_of_every_shape_are_written_as_serde_json_writes_them() {
        let mut pack: Pack = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("the default pack parses");
        assert_eq!(
            canonical_bytes(&pack),
            serde_json::to_vec(&pack).expect("serialises")
        );
        // Every answer kind, and text that needs escaping.
        pack.questions[0].answer = crate::pack::AnswerSpec::YesNo;
        pack.questions[1].answer = crate::pack::AnswerSpec::Range {
            min: -1.5,
            max: 7.0,
            step: Some(0.5),
            min_label: "low \"end\"\n".to_owned(),
            max_label: String::new(),
        };
        pack.questions[2].help = "tab\there \u{7}".to_owned();
        pack.title = "\u{1f600} \\ title".to_owned();
        assert_eq!(
            canonical_bytes(&pack),
            serde_json::to_vec(&pack).expect("serialises")
        );
    }
}
