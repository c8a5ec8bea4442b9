//! `rekindle check`: validate a pack.

use std::fmt::Write as _;

use rekindle::{Engine, PackError};

use crate::args::{expect_positional, parse};
use crate::io::{display_name, pack_error_line, read_bytes, DEFAULT_PACK_LABEL, DEFAULT_PACK_NAME};
use crate::text::plural;
use crate::{Outcome, Run};

pub(crate) const HELP_CHECK: &str = "\
Usage: rekindle check PACK

Validates a rule pack: its JSON, its shape and every rule of the format.
Prints `PACK: ok` with a summary when the pack is valid, otherwise every
problem with its JSON path, such as `rules[3].when.all[1].answer`, and the
problem kind in brackets.

PACK is a pack file, `default` for the built-in pack, or `-` for standard input.

Exit status: 0 valid; 1 invalid; 2 usage error or unreadable file.
";

pub(crate) fn check(args: &[String]) -> Run {
    let args = parse("check", args, &[], &[])?;
    if args.help {
        return Ok(Outcome::ok(HELP_CHECK.to_owned()));
    }
    expect_positional("check", &args, "a PACK file", 1, 1)?;
    let path = args.positional[0].as_str();
    let (name, bytes) = if path == DEFAULT_PACK_NAME {
        (
            DEFAULT_PACK_LABEL,
            rekindle::DEFAULT_PACK_JSON.as_bytes().to_vec(),
        )
    } else {
        (display_name(path), read_bytes(path)?)
    };
    let mut out = String::new();
    match Engine::from_slice(&bytes) {
        Ok(engine) => {
            let pack = engine.pack();
            let info = engine.info();
            let _ = writeln!(
                out,
                "{name}: ok: {} {} with {}, {}, {}, {}, {} and {} (hash {})",
                info.id,
                info.version,
                plural(pack.questions.len(), "question", "questions"),
                plural(pack.dimensions.len(), "dimension", "dimensions"),
                plural(pack.focus_areas.len(), "focus area", "focus areas"),
                plural(pack.challenges.len(), "challenge", "challenges"),
                plural(pack.therapy_levels.len(), "therapy level", "therapy levels"),
                plural(pack.rules.len(), "rule", "rules"),
                &info.hash[..info.hash.len().min(12)],
            );
            Ok(Outcome::ok(out))
        }
        Err(PackError::Invalid { problems }) => {
            let _ = writeln!(out, "{name}: {}", plural(problems.len(), "problem", "problems"));
            for problem in &problems {
                let _ = writeln!(out, "  {problem}");
            }
            Ok(Outcome { stdout: out, code: 1 })
        }
        Err(error) => {
            let _ = writeln!(out, "{}", pack_error_line(name, path, &error));
            Ok(Outcome { stdout: out, code: 1 })
        }
    }
}
