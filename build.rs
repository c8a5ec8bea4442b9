//! Writes the default pack without the whitespace between its tokens
//! ($OUT_DIR/default.compact.json), for what the library embeds: the
//! pretty-printed file is a quarter whitespace, and every app ships it.

use std::{env, fs, path::Path};

fn main() {
    let source = "rules/default.json";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=build.rs");
    let pretty = fs::read(source).unwrap_or_else(|e| panic!("reading {source}: {e}"));
    let out_dir = env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let target = Path::new(&out_dir).join("default.compact.json");
    fs::write(&target, compact(&pretty)).unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
}

/// Drops the whitespace outside strings and keeps every other byte as it
/// is (escapes, numbers, key order), so the content and its hash are the
/// pack's own. src/engine.rs tests that both texts parse to the same value.
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
