//! A pass over JSON bytes before parsing, without recursion and without
//! allocating: it bounds nesting, the count of objects and arrays, and the
//! entries of any one object, so the parser (which recurses once per level
//! and builds every entry) only sees input whose cost is known.
//!
//! It does not validate JSON; the parser still does. It only has to agree
//! with the parser on where strings start and end.

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

/// What the scan allows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub(crate) depth: usize,
    pub(crate) containers: usize,
    pub(crate) entries: usize,
}

/// Deepest nesting whose objects [`scan`] bounds the entries of; deeper
/// ones are only counted as containers (packs nest deeper, and bound
/// their entries by other limits).
const KEYED_LEVELS: usize = 8;

/// Checks `json` against `bounds`, stopping at the first breach.
pub(crate) fn scan(json: &[u8], bounds: Bounds) -> Result<(), Breach> {
    let mut depth = 0usize;
    let mut containers = 0usize;
    // Entries of the open objects, and the key each was opened under, for
    // the first few levels (fixed arrays: the scan never allocates).
    let mut entries = [0usize; KEYED_LEVELS];
    let mut keys = [(0usize, 0usize); KEYED_LEVELS];
    let mut last_string = (0usize, 0usize);
    let mut i = 0;
    while i < json.len() {
        match json[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < json.len() && json[i] != b'"' {
                    // A backslash escapes the next byte, a quote included.
                    i += if json[i] == b'\\' { 2 } else { 1 };
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
                    if let Some(slot) = entries.get_mut(depth - 1) {
                        *slot = 0;
                        keys[depth - 1] = if depth > 1 { last_string } else { (0, 0) };
                    }
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
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
    Ok(())
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

    const WIDE: Bounds = Bounds {
        depth: 100,
        containers: 100,
        entries: 100,
    };

    #[test]
    fn nesting_is_bounded_and_located() {
        let bounds = Bounds { depth: 2, ..WIDE };
        assert_eq!(
            scan(br#"{"a": [1, {"b": 2}]}"#, Bounds { depth: 3, ..WIDE }),
            Ok(())
        );
        assert_eq!(
            scan(br#"{"a": [1, {"b": 2}]}"#, bounds),
            Err(Breach::Depth { offset: 10 })
        );
        // Brackets inside strings, escaped quotes included, do not count.
        assert_eq!(scan(br#"{"a": "[[{\"[{"}"#, Bounds { depth: 1, ..WIDE }), Ok(()));
        assert_eq!(position(b"{\n  [", 4), (2, 3));
    }

    #[test]
    fn entries_of_each_object_are_bounded_and_named() {
        let bounds = Bounds { entries: 2, ..WIDE };
        assert_eq!(scan(br#"{"a": {"x": 1, "y": 2}, "b": {}}"#, bounds), Ok(()));
        let json = br#"{"answers": {"x": 1, "y": 2, "z": 3}}"#;
        match scan(json, bounds) {
            Err(Breach::Entries { key: (start, end) }) => assert_eq!(&json[start..end], b"answers"),
            other => panic!("{other:?}"),
        }
        // Colons inside strings are not entries.
        assert_eq!(
            scan(br#"{"a:b:c": "d:e"}"#, Bounds { entries: 1, ..WIDE }),
            Ok(())
        );
    }

    #[test]
    fn containers_are_counted() {
        let bounds = Bounds {
            containers: 3,
            ..WIDE
        };
        assert_eq!(scan(b"[[], []]", bounds), Ok(()));
        assert_eq!(
            scan(b"[[], [], {}]", bounds),
            Err(Breach::Containers { offset: 9 })
        );
    }
}
