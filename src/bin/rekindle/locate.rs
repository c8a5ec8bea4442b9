//! Line and column of JSON paths such as `rules[3].when.all[1]` in a file's
//! text, so editors and CI can jump to a finding.
//!
//! The library reports JSON paths, not positions (its parser keeps none), so
//! the command line finds them again here: one pass over the text, with an
//! explicit stack (no recursion, whatever the nesting). A path that is not in
//! the text falls back to its longest prefix that is, so a missing key points
//! at the object that lacks it.

use std::collections::HashMap;

/// 1-based line and column (in characters).
pub(crate) type Position = (u64, u64);

/// The positions of the values at the given paths, and of their prefixes.
pub(crate) struct Locations {
    found: HashMap<String, Position>,
}

impl Locations {
    /// Scans `text` once for every path in `paths`. Malformed JSON is scanned
    /// as far as it goes.
    pub(crate) fn find<'a>(text: &str, paths: impl IntoIterator<Item = &'a str>) -> Self {
        let mut wanted: HashMap<&str, Option<usize>> = HashMap::new();
        for path in paths {
            for prefix in prefixes(path) {
                wanted.insert(prefix, None);
            }
        }
        if !wanted.is_empty() {
            let longest = wanted.keys().map(|p| p.len()).max().unwrap_or(0);
            scan(text.as_bytes(), &mut wanted, longest);
        }
        let mut offsets: Vec<(usize, &str)> = wanted
            .into_iter()
            .filter_map(|(path, offset)| offset.map(|o| (o, path)))
            .collect();
        offsets.sort_unstable();
        // One sweep over the text turns the sorted offsets into lines and columns.
        let mut found = HashMap::with_capacity(offsets.len());
        let (mut line, mut column) = (1u64, 1u64);
        let mut chars = text.char_indices().peekable();
        for (offset, path) in offsets {
            while let Some(&(i, c)) = chars.peek() {
                if i >= offset {
                    break;
                }
                if c == '\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
                chars.next();
            }
            found.insert(path.to_owned(), (line, column));
        }
        Locations { found }
    }

    /// The position of `path`, or of its longest prefix found in the text.
    pub(crate) fn position(&self, path: &str) -> Option<Position> {
        prefixes(path).find_map(|prefix| self.found.get(prefix).copied())
    }
}

/// `a.b[2].c`, then `a.b[2]`, `a.b`, `a`: the path and its ancestors, longest first.
fn prefixes(path: &str) -> impl Iterator<Item = &str> {
    let cuts = path
        .char_indices()
        .filter(|&(i, c)| i > 0 && (c == '.' || c == '['))
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    std::iter::once(path)
        .chain(cuts.into_iter().rev().map(move |i| &path[..i]))
        .filter(|p| !p.is_empty())
}

/// A container being scanned: the path length to return to, and for an
/// array the index of the current element.
struct Frame {
    path_len: usize,
    index: Option<usize>,
}

enum State {
    /// A value starts here.
    Value,
    /// After `{` or `,` in an object: a key, or `}` when `first`.
    Member { first: bool },
    /// After `[`: a value or `]`.
    FirstElement,
    /// After a value: `,` or the end of the container.
    After,
}

/// Records in `wanted` the offset of each wanted path's value.
/// Paths longer than `longest` are not looked up, so deep nesting stays linear.
fn scan(b: &[u8], wanted: &mut HashMap<&str, Option<usize>>, longest: usize) {
    let mut stack: Vec<Frame> = Vec::new();
    let mut path = String::new();
    let mut state = State::Value;
    let mut i = 0;
    loop {
        i = skip_space(b, i);
        match state {
            State::Value => {
                if i < b.len() && path.len() <= longest {
                    if let Some(slot) = wanted.get_mut(path.as_str()) {
                        slot.get_or_insert(i);
                    }
                }
                match b.get(i) {
                    Some(b'{') => {
                        stack.push(Frame {
                            path_len: path.len(),
                            index: None,
                        });
                        state = State::Member { first: true };
                        i += 1;
                    }
                    Some(b'[') => {
                        stack.push(Frame {
                            path_len: path.len(),
                            index: Some(0),
                        });
                        state = State::FirstElement;
                        i += 1;
                    }
                    Some(b'"') => match skip_string(b, i) {
                        Some(end) => {
                            i = end;
                            state = State::After;
                        }
                        None => return,
                    },
                    Some(_) => {
                        while b.get(i).is_some_and(|c| !b",]} \t\r\n".contains(c)) {
                            i += 1;
                        }
                        state = State::After;
                    }
                    None => return,
                }
            }
            State::Member { first } => {
                if first && b.get(i) == Some(&b'}') {
                    i += 1;
                    close(&mut stack, &mut path);
                    state = State::After;
                    continue;
                }
                let Some(end) = skip_string(b, i) else { return };
                // The key as written; keys with escapes simply do not match.
                let key = String::from_utf8_lossy(&b[i + 1..end - 1]);
                i = skip_space(b, end);
                if b.get(i) != Some(&b':') {
                    return;
                }
                i += 1;
                let Some(frame) = stack.last() else { return };
                path.truncate(frame.path_len);
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
                state = State::Value;
            }
            State::FirstElement => {
                if b.get(i) == Some(&b']') {
                    i += 1;
                    close(&mut stack, &mut path);
                    state = State::After;
                } else {
                    path.push_str("[0]");
                    state = State::Value;
                }
            }
            State::After => {
                let Some(frame) = stack.last_mut() else { return };
                match (b.get(i), frame.index) {
                    (Some(b','), None) => state = State::Member { first: false },
                    (Some(b','), Some(n)) => {
                        frame.index = Some(n + 1);
                        path.truncate(frame.path_len);
                        path.push_str(&format!("[{}]", n + 1));
                        state = State::Value;
                    }
                    (Some(b'}'), None) | (Some(b']'), Some(_)) => close(&mut stack, &mut path),
                    _ => return,
                }
                i += 1;
            }
        }
    }
}

fn close(stack: &mut Vec<Frame>, path: &mut String) {
    if let Some(frame) = stack.pop() {
        path.truncate(frame.path_len);
    }
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The offset just past the string that starts at `i`, if it ends.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    loop {
        match b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"id\": \"x\",\n  \"rules\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"when\": {\"all\": [1, {\"score\": \"trust\"}]}}\n  ],\n  \"é\": [], \"s\": \"a,\\\"]\"\n}\n";

    fn at(path: &str) -> Option<Position> {
        Locations::find(TEXT, [path]).position(path)
    }

    #[test]
    fn paths_find_their_values() {
        assert_eq!(at("id"), Some((2, 9)));
        assert_eq!(at("rules"), Some((3, 12)));
        assert_eq!(at("rules[0]"), Some((4, 5)));
        assert_eq!(at("rules[1].id"), Some((5, 12)));
        assert_eq!(at("rules[1].when.all[1].score"), Some((5, 47)));
        assert_eq!(at("s"), Some((7, 17)));
    }

    #[test]
    fn a_missing_key_points_at_its_parent() {
        assert_eq!(at("rules[1].when.all[1].is"), at("rules[1].when.all[1]"));
        assert_eq!(at("rules[7]"), at("rules"));
        assert_eq!(at("nothing.here"), None);
    }

    #[test]
    fn malformed_text_is_scanned_as_far_as_it_goes() {
        let cut = &TEXT[..40];
        assert_eq!(
            Locations::find(cut, ["rules[0].id"]).position("rules[0].id"),
            Some((4, 12))
        );
        assert_eq!(
            Locations::find("{\"a\": [", ["a[0]"]).position("a[0]"),
            Some((1, 7))
        );
        assert_eq!(Locations::find("", ["a"]).position("a"), None);
        // Deep nesting needs no recursion.
        let deep = "[".repeat(100_000);
        assert_eq!(Locations::find(&deep, ["x"]).position("x"), None);
    }
}
