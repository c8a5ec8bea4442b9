//! Packs the default pack for what the library embeds
//! ($OUT_DIR/default.pack.lz): the whitespace between tokens dropped, then
//! a small LZ77 compression, 81 KB of pretty-printed JSON down to 17 KB in
//! every app's library. `src/embedded.rs` (`unpack`) reverses it; its tests
//! check that the result is the pack.
//!
//! The format is a sequence of tokens, each led by one byte:
//! - `0xxxxxxx`: a run of x + 1 literal bytes follows;
//! - `1xxxxxxx`: repeat x + 4 bytes from `offset` bytes back in the output,
//!   `offset` (1 to 65,535) in the two bytes that follow, little-endian.
//!
//! No compression crate: the library's dependencies stay as they are, and
//! the decoder is a dozen lines.

use std::collections::HashMap;
use std::{env, fs, path::Path};

/// The shortest match worth a token (three bytes).
const MIN_MATCH: usize = 4;
/// The longest match a token can say.
const MAX_MATCH: usize = 0x7f + MIN_MATCH;
/// The longest literal run a token can say.
const MAX_RUN: usize = 0x80;
/// How far back a match can start.
const WINDOW: usize = u16::MAX as usize;
/// How many earlier places with the same first bytes are tried.
const CANDIDATES: usize = 64;

fn main() {
    let source = "rules/default.json";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=build.rs");
    let pretty = fs::read(source).unwrap_or_else(|e| panic!("reading {source}: {e}"));
    let out_dir = env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let target = Path::new(&out_dir).join("default.pack.lz");
    fs::write(&target, compress(&compact(&pretty)))
        .unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
}

/// Drops the whitespace outside strings and keeps every other byte as it
/// is (escapes, numbers, key order), so the content and its hash are the
/// pack's own.
fn compact(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            continue;
        } else if byte == b'"' {
            in_string = true;
        }
        out.push(byte);
    }
    out
}

/// Greedy LZ77 with one step of lookahead, in the format described at the
/// top.
fn compress(data: &[u8]) -> Vec<u8> {
    let mut seen: HashMap<&[u8], Vec<usize>> = HashMap::new();
    let longest = |seen: &HashMap<&[u8], Vec<usize>>, at: usize| -> (usize, usize) {
        let Some(key) = data.get(at..at + MIN_MATCH) else {
            return (0, 0);
        };
        let mut best = (0, 0);
        for &from in seen.get(key).into_iter().flatten().rev().take(CANDIDATES) {
            if at - from > WINDOW {
                break;
            }
            let len = data[from..]
                .iter()
                .zip(&data[at..])
                .take(MAX_MATCH)
                .take_while(|(a, b)| a == b)
                .count();
            if len > best.0 {
                best = (len, at - from);
            }
        }
        best
    };
    let mut out = Vec::new();
    let mut literals: Vec<u8> = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let (len, offset) = longest(&seen, at);
        // A longer match one byte on is worth a literal byte.
        if len >= MIN_MATCH && longest(&seen, at + 1).0 <= len + 1 {
            flush(&mut out, &mut literals);
            out.push(0x80 | (len - MIN_MATCH) as u8);
            out.extend_from_slice(&(offset as u16).to_le_bytes());
            for i in at..at + len {
                remember(&mut seen, data, i);
            }
            at += len;
        } else {
            literals.push(data[at]);
            remember(&mut seen, data, at);
            at += 1;
        }
    }
    flush(&mut out, &mut literals);
    out
}

fn remember<'a>(seen: &mut HashMap<&'a [u8], Vec<usize>>, data: &'a [u8], at: usize) {
    if let Some(key) = data.get(at..at + MIN_MATCH) {
        seen.entry(key).or_default().push(at);
    }
}

fn flush(out: &mut Vec<u8>, literals: &mut Vec<u8>) {
    for run in literals.chunks(MAX_RUN) {
        out.push((run.len() - 1) as u8);
        out.extend_from_slice(run);
    }
    literals.clear();
}
