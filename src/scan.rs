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

/// The byte offset just past a 1-based line and column as serde_json
/// reports an error: the bytes it had read, columns counted in bytes.
fn offset_of(json: &[u8], line: u64, column: u64) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match json[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => return json.len(),
        }
    }
    start
        .saturating_add(usize::try_from(column).unwrap_or(usize::MAX))
        .min(json.len())
}

/// The JSON path (`rules[3].then`) of the innermost value open at a
/// 1-based line and column, where serde_json reported an error: the value
/// whose key or item it was reading, or the object that lacked a field.
/// Empty at the top level. One pass without recursion; the input's nesting
/// is already bounded when it is called. At most `segments` keys and
/// indexes are kept: below an answer's key, keys are part of the answer.
pub(crate) fn path_at(json: &[u8], line: u64, column: u64, segments: usize) -> String {
    enum Frame {
        /// The key being read or whose value is, and whether a key is due.
        Object {
            key: Option<(usize, usize)>,
            key_due: bool,
        },
        /// The item's index, and whether the item has started.
        Array { index: usize, started: bool },
    }
    fn start_value(frames: &mut [Frame]) {
        if let Some(Frame::Array { started, .. }) = frames.last_mut() {
            *started = true;
        }
    }
    let end = offset_of(json, line, column);
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match json[i] {
            b'"' => {
                let start = i + 1;
                let mut stop = string_stop(json, start);
                while stop < json.len() && json[stop] == b'\\' {
                    stop = string_stop(json, stop + 2);
                }
                match frames.last_mut() {
                    Some(Frame::Object { key, key_due }) if *key_due => {
                        *key = Some((start, stop.min(json.len())));
                        *key_due = false;
                    }
                    _ => start_value(&mut frames),
                }
                i = stop + 1;
                continue;
            }
            open @ (b'{' | b'[') => {
                start_value(&mut frames);
                frames.push(if open == b'{' {
                    Frame::Object {
                        key: None,
                        key_due: true,
                    }
                } else {
                    Frame::Array {
                        index: 0,
                        started: false,
                    }
                });
            }
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { key, key_due }) => {
                    *key = None;
                    *key_due = true;
                }
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b':' => {}
            byte if byte > b' ' => start_value(&mut frames),
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    let named = |frame: &&Frame| {
        matches!(
            frame,
            Frame::Object { key: Some(_), .. } | Frame::Array { started: true, .. }
        )
    };
    for frame in frames.iter().filter(named).take(segments) {
        match *frame {
            Frame::Object {
                key: Some((start, stop)),
                ..
            } => {
                let key = std::str::from_utf8(&json[start..stop]).unwrap_or("");
                path = if path.is_empty() {
                    crate::error::key_path("", key).trim_start_matches('.').to_owned()
                } else {
                    crate::error::key_path(&path, key)
                };
            }
            Frame::Array { index, started: true } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    crate::error::truncate_text(&mut path, crate::error::MAX_PROBLEM_TEXT_BYTES);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path serde_json's error points at, for a shape `T` cannot take.
    fn error_path<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let error = serde_json::from_str::<T>(json).expect_err("does not fit");
        path_at(
            json.as_bytes(),
            error.line() as u64,
            error.column() as u64,
            usize::MAX,
        )
    }

    #[test]
    fn errors_are_placed_at_the_path_of_their_value() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            #[serde(default)]
            weight: f64,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Doc {
            items: Vec<Item>,
            #[serde(default)]
            names: Vec<String>,
        }
        let cases = [
            (
                r#"{"items": [{"id": "a"}, {"id": "b", "wieght": 2}]}"#,
                "items[1].wieght",
            ),
            (r#"{"items": [{"id": "a"}, {"weight": 2}]}"#, "items[1]"),
            (
                "{\n  \"items\": [\n    {\"id\": \"a\", \"weight\": \"heavy\"}\n  ]\n}",
                "items[0].weight",
            ),
            (r#"{"items": [], "names": ["x", 3]}"#, "names[1]"),
            (r#"{"items": [{"id": "a\"]}"}, {"id": 5}]}"#, "items[1].id"),
            (r#"{"items": [], "odd key": 1}"#, r#"["odd key"]"#),
            (r#""text""#, ""),
        ];
        for (json, path) in cases {
            assert_eq!(error_path::<Doc>(json), path, "{json}");
        }
        assert_eq!(path_at(b"{}", 9, 9, usize::MAX), "");
        // Cut to the first segments: `items[1]`, not `items[1].wieght`.
        let json = br#"{"items": [{"id": "a"}, {"id": "b", "wieght": 2}]}"#;
        assert_eq!(path_at(json, 1, 46, 2), "items[1]");
    }

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
