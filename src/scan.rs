//! A pass over JSON bytes before parsing, without recursion and without
//! allocating: it bounds nesting, the count of objects and arrays, and the
//! entries of any one object, so the parser (which recurses once per level
//! and builds every entry) only sees input whose cost is known.
//!
//! It does not validate JSON; the parser still does. It only has to agree
//! with the parser on where strings start and end.

use crate::compile::Limits;

/// The first limit the input breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Breach {
    /// Nested deeper than allowed; the byte offset of the bracket too many.
    Depth { offset: usize },
    /// More objects and arrays than allowed; the offset of the one too many.
    Containers { offset: usize },
    /// An object with more entries than allowed; the byte range of its key
    /// in the object above it (empty at the top level).
    Entries { key: (usize, usize) },
}

/// What the scan learnt of the input, when it is within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scanned {
    /// How many strings hold an escape sequence (a backslash). No other
    /// string holds a `"`, a `\\` or a control character: JSON cannot hold
    /// them raw, and the parser refuses them.
    pub(crate) escaped_strings: usize,
}

/// What the scan allows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    /// Nesting of objects and arrays together.
    pub(crate) depth: usize,
    /// Nesting of objects alone (a condition is an object; the lists
    /// between conditions are arrays).
    pub(crate) object_depth: usize,
    pub(crate) containers: usize,
    pub(crate) entries: usize,
}

impl Bounds {
    /// The bounds of a pack's JSON under `limits` (entries are bounded by
    /// the limits on each list instead).
    pub(crate) fn of_pack(limits: &Limits) -> Bounds {
        Bounds {
            depth: limits.max_json_depth(),
            object_depth: limits.max_json_object_depth(),
            containers: limits.max_json_containers,
            entries: usize::MAX,
        }
    }
}

/// Deepest nesting whose objects [`scan`] bounds the entries of; deeper
/// ones are only counted as containers (packs nest deeper, and bound
/// their entries by other limits).
const KEYED_LEVELS: usize = 8;

/// Checks `json` against `bounds`, stopping at the first breach.
pub(crate) fn scan(json: &[u8], bounds: Bounds) -> Result<Scanned, Breach> {
    let mut escaped_strings = 0;
    let mut depth = 0usize;
    let mut object_depth = 0usize;
    let mut containers = 0usize;
    // Entries of the open objects, and the key each was opened under, for
    // the first few levels (fixed arrays: the scan never allocates).
    let mut entries = [0usize; KEYED_LEVELS];
    let mut keys = [(0usize, 0usize); KEYED_LEVELS];
    let mut last_string = (0usize, 0usize);
    let mut i = 0;
    while i < json.len() {
        // Most bytes outside strings are whitespace (runs of indentation),
        // commas and numbers: whitespace is skipped eight bytes at a time,
        // the rest by a table, without going through the match.
        let byte = json[i];
        if byte <= b' ' {
            i = blank_stop(json, i + 1);
            continue;
        }
        if !STRUCTURAL[usize::from(byte)] {
            i += 1;
            continue;
        }
        match json[i] {
            b'"' => {
                let start = i + 1;
                i = string_stop(json, i + 1);
                if i < json.len() && json[i] == b'\\' {
                    escaped_strings += 1;
                }
                while i < json.len() && json[i] == b'\\' {
                    // A backslash escapes the next byte, a quote included.
                    i = string_stop(json, i + 2);
                }
                last_string = (start, i.min(json.len()));
            }
            open @ (b'{' | b'[') => {
                depth += 1;
                containers += 1;
                if depth > bounds.depth {
                    return Err(Breach::Depth { offset: i });
                }
                if containers > bounds.containers {
                    return Err(Breach::Containers { offset: i });
                }
                if open == b'{' {
                    object_depth += 1;
                    if object_depth > bounds.object_depth {
                        return Err(Breach::Depth { offset: i });
                    }
                    if let Some(slot) = entries.get_mut(depth - 1) {
                        *slot = 0;
                        keys[depth - 1] = if depth > 1 { last_string } else { (0, 0) };
                    }
                }
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                object_depth = object_depth.saturating_sub(1);
            }
            b']' => depth = depth.saturating_sub(1),
            b':' => {
                let level = depth.saturating_sub(1);
                if let Some(slot) = entries.get_mut(level) {
                    *slot += 1;
                    if *slot > bounds.entries {
                        return Err(Breach::Entries { key: keys[level] });
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(Scanned { escaped_strings })
}

/// The bytes [`scan`] acts on.
static STRUCTURAL: [bool; 256] = {
    let mut structural = [false; 256];
    structural[b'"' as usize] = true;
    structural[b'{' as usize] = true;
    structural[b'[' as usize] = true;
    structural[b'}' as usize] = true;
    structural[b']' as usize] = true;
    structural[b':' as usize] = true;
    structural
};

/// The index of the first `"` or `\\` at or after `i`, or the length of
/// `json`. Strings are most of a pack, so they are skipped eight bytes at
/// a time: a byte equal to the one sought becomes zero after an XOR, and
/// the lowest zero byte of a word is found without a branch per byte.
fn string_stop(json: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    while let Some(chunk) = json.get(i..i + 8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        let (q, b) = (word ^ QUOTES, word ^ BACKSLASHES);
        let hits = ((q.wrapping_sub(ONES) & !q) | (b.wrapping_sub(ONES) & !b)) & HIGHS;
        if hits != 0 {
            // Bits above the lowest hit may be false; the lowest is exact.
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < json.len() && json[i] != b'"' && json[i] != b'\\' {
        i += 1;
    }
    i.min(json.len())
}

/// The index of the first byte at or after `i` above `b' '` (anything but
/// whitespace and control characters), or the length of `json`. Eight
/// bytes at a time: with each byte's high bit set first, subtracting 0x21
/// from every byte borrows across none, and leaves the high bit of exactly
/// the bytes from 0x21 up (bytes from 0x80 up keep theirs).
fn blank_stop(json: &[u8], mut i: usize) -> usize {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const ABOVE_SPACE: u64 = 0x0101_0101_0101_0101 * 0x21;
    while let Some(chunk) = json.get(i..i + 8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        let hits = (((word | HIGHS) - ABOVE_SPACE) | word) & HIGHS;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < json.len() && json[i] <= b' ' {
        i += 1;
    }
    i
}

/// The 1-based line and column of a byte offset, as serde_json counts them
/// (columns in bytes).
pub(crate) fn position(json: &[u8], offset: usize) -> (u64, u64) {
    let before = &json[..offset.min(json.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    (line as u64, (offset - line_start + 1) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Scanned = Scanned { escaped_strings: 0 };
    const ESCAPED: Scanned = Scanned { escaped_strings: 1 };

    const WIDE: Bounds = Bounds {
        depth: 100,
        object_depth: 100,
        containers: 100,
        entries: 100,
    };

    #[test]
    fn nesting_is_bounded_and_located() {
        let bounds = Bounds { depth: 2, ..WIDE };
        assert_eq!(
            scan(br#"{"a": [1, {"b": 2}]}"#, Bounds { depth: 3, ..WIDE }),
            Ok(PLAIN)
        );
        assert_eq!(
            scan(br#"{"a": [1, {"b": 2}]}"#, bounds),
            Err(Breach::Depth { offset: 10 })
        );
        // Brackets inside strings, escaped quotes included, do not count.
        assert_eq!(
            scan(br#"{"a": "[[{\"[{"}"#, Bounds { depth: 1, ..WIDE }),
            Ok(ESCAPED)
        );
        assert_eq!(position(b"{\n  [", 4), (2, 3));
        let objects = Bounds {
            object_depth: 2,
            ..WIDE
        };
        assert_eq!(scan(br#"[[{"a": [{"b": [[1]]}]}]]"#, objects), Ok(PLAIN));
        assert_eq!(
            scan(br#"[{"a": {"b": {}}}]"#, objects),
            Err(Breach::Depth { offset: 13 })
        );
    }

    #[test]
    fn entries_of_each_object_are_bounded_and_named() {
        let bounds = Bounds { entries: 2, ..WIDE };
        assert_eq!(scan(br#"{"a": {"x": 1, "y": 2}, "b": {}}"#, bounds), Ok(PLAIN));
        let json = br#"{"answers": {"x": 1, "y": 2, "z": 3}}"#;
        match scan(json, bounds) {
            Err(Breach::Entries { key: (start, end) }) => assert_eq!(&json[start..end], b"answers"),
            other => panic!("{other:?}"),
        }
        // Colons inside strings are not entries.
        assert_eq!(
            scan(br#"{"a:b:c": "d:e"}"#, Bounds { entries: 1, ..WIDE }),
            Ok(PLAIN)
        );
    }

    #[test]
    fn strings_are_skipped_whatever_their_length_and_escapes() {
        for n in 0..20 {
            let body = "x".repeat(n);
            for (text, scanned) in [
                (format!("[\"{body}\", [[]]]"), PLAIN),
                (format!("[\"{body}\\\"[[\\\\\", [[]]]"), ESCAPED),
                (format!("[\"\\\\{body}\\\\\", [[]]]"), ESCAPED),
            ] {
                assert_eq!(
                    scan(text.as_bytes(), Bounds { depth: 3, ..WIDE }),
                    Ok(scanned),
                    "{text}"
                );
                assert!(
                    scan(text.as_bytes(), Bounds { depth: 2, ..WIDE }).is_err(),
                    "{text}"
                );
            }
        }
        // An unterminated string ends the input.
        assert_eq!(scan(b"[\"abc\\", Bounds { depth: 1, ..WIDE }), Ok(ESCAPED));
    }

    #[test]
    fn blanks_are_skipped_to_the_next_byte_above_a_space() {
        for n in 0..20 {
            for stop in [b'"', b'!', b',', b'{', 0x7f, 0x80, 0xff] {
                let mut json = vec![b' '; n];
                json.extend([b'\n', b'\t', b'\r', 0, 0x1f, b' ']);
                let at = json.len();
                json.push(stop);
                json.extend([b' '; 9]);
                assert_eq!(blank_stop(&json, 0), at, "{n} {stop}");
                assert_eq!(blank_stop(&json, at + 1), json.len(), "{n} {stop}");
            }
        }
        assert_eq!(blank_stop(b"", 0), 0);
    }

    #[test]
    fn containers_are_counted() {
        let bounds = Bounds {
            containers: 3,
            ..WIDE
        };
        assert_eq!(scan(b"[[], []]", bounds), Ok(PLAIN));
        assert_eq!(
            scan(b"[[], [], {}]", bounds),
            Err(Breach::Containers { offset: 9 })
        );
    }
}
