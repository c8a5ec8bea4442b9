//! The default pack as the library embeds it.
//!
//! Where only the pack's content matters (`Engine::embedded`, the foreign
//! `default_pack_json`), the library carries it without whitespace between
//! tokens and compressed by build.rs (whose header describes the format),
//! 17 KB where [`DEFAULT_PACK_JSON`](crate::DEFAULT_PACK_JSON) is 81 KB.
//! The apps' libraries never name `DEFAULT_PACK_JSON`, so they carry only
//! this.

/// The packed bytes build.rs wrote.
const DEFAULT_PACK_PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.pack.lz"));

/// The default pack's JSON without whitespace between tokens.
pub(crate) fn default_pack_compact() -> String {
    unpack(DEFAULT_PACK_PACKED)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .expect("build.rs packs the default pack")
}

/// Reverses build.rs's compression (its format is described there);
/// `None` for bytes it did not write.
fn unpack(packed: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(packed.len() * 4);
    let mut at = 0;
    while let Some(&token) = packed.get(at) {
        if token & 0x80 == 0 {
            let run = packed.get(at + 1..at + 2 + usize::from(token))?;
            out.extend_from_slice(run);
            at += 1 + run.len();
        } else {
            let offset = usize::from(u16::from_le_bytes([*packed.get(at + 1)?, *packed.get(at + 2)?]));
            let start = out.len().checked_sub(offset).filter(|_| offset > 0)?;
            let len = usize::from(token & 0x7f) + 4;
            if len <= offset {
                out.extend_from_within(start..start + len);
            } else {
                // Byte by byte: the match overlaps the bytes it produces.
                for i in start..start + len {
                    let byte = *out.get(i)?;
                    out.push(byte);
                }
            }
            at += 3;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_PACK_JSON;

    #[test]
    fn the_embedded_default_pack_is_the_default_pack() {
        let compact = default_pack_compact();
        let pretty_value: serde_json::Value = serde_json::from_str(DEFAULT_PACK_JSON).unwrap();
        let compact_value: serde_json::Value = serde_json::from_str(&compact).unwrap();
        assert_eq!(pretty_value, compact_value);
        // Only whitespace between tokens went: the strings inside are whole.
        let kept = |c: &char| !matches!(c, ' ' | '\t' | '\n' | '\r');
        assert_eq!(
            DEFAULT_PACK_JSON.chars().filter(kept).collect::<String>(),
            compact.chars().filter(kept).collect::<String>()
        );
        assert!(compact.len() < DEFAULT_PACK_JSON.len() * 4 / 5);
        assert!(!compact.contains('\n'));
        assert!(DEFAULT_PACK_PACKED.len() < compact.len() / 3);
        assert_eq!(
            crate::Engine::embedded().info(),
            crate::Engine::from_json(DEFAULT_PACK_JSON).unwrap().info()
        );
    }

    #[test]
    fn unpacking_reads_literals_and_matches() {
        // "ab", then 6 bytes from 2 back (overlapping what they produce), then "c".
        assert_eq!(
            unpack(&[1, b'a', b'b', 0x82, 2, 0, 0, b'c']).unwrap(),
            b"ababababc"
        );
        // "abcde", then 4 bytes from 5 back.
        assert_eq!(
            unpack(&[4, b'a', b'b', b'c', b'd', b'e', 0x80, 5, 0]).unwrap(),
            b"abcdeabcd"
        );
    }

    #[test]
    fn unpacking_refuses_what_build_rs_never_writes() {
        for bad in [
            &[5, b'a'][..],             // a literal run past the end
            &[0x80, 0, 0][..],          // offset 0
            &[0, b'a', 0x80, 2, 0][..], // further back than the output
            &[0, b'a', 0x80, 1][..],    // a cut offset
        ] {
            assert_eq!(unpack(bad), None, "{bad:?}");
        }
        assert_eq!(unpack(&[]).unwrap(), b"");
    }
}
