//! `rekindle check`: validate a pack.

use std::fmt::Write as _;

use rekindle::{Engine, PackError};

use crate::args::{expect_positional, format_option, parse, Format};
use crate::findings::{pack_findings, short_lines};
use crate::io::{pack_error_line, pack_source};
use crate::text::plural;
use crate::{Outcome, Run};

pub(crate) const HELP_CHECK: &str = "\
Usage: rekindle check [--format FORMAT | --json] PACK

Validates a rule pack: its JSON, its shape and every rule of the format.
Prints `PACK: ok` with a summary when the pack is valid, otherwise every
problem with its JSON path, such as `rules[3].when.all[1].answer`, and the
problem kind in brackets. What is found goes to standard output; standard
error is for a pack that cannot be read and for usage errors.

PACK is a pack file, `default` for the built-in pack, or `-` for standard input.

Options:
  --format FORMAT  text (the default); short, one line per problem as
                   `PACK:LINE:COL: KIND: PATH: MESSAGE` for editors and CI
                   (`PACK:PATH: KIND: MESSAGE` when the place has no line),
                   nothing when the pack is valid; or json
  --json           Same as --format=json: {\"file\", \"ok\", \"pack\", \"findings\"},
                   each finding with file, line, column, path, kind, message

Exit status: 0 valid; 1 invalid; 2 usage error or unreadable file.
";

/// What `check --json` (and `lint --json`) prints.
#[derive(serde::Serialize)]
pub(crate) struct Report<'a> {
    pub(crate) file: &'a str,
    pub(crate) ok: bool,
    /// Id, version, hash and counts of a valid pack.
    pub(crate) pack: Option<serde_json::Value>,
    pub(crate) findings: Vec<crate::findings::Finding>,
}

pub(crate) fn check(args: &[String]) -> Run {
    let args = parse("check", args, &["--json"], &["--format"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_CHECK.to_owned()));
    }
    expect_positional("check", &args, "a PACK file", 1, 1)?;
    let format = format_option("check", &args)?;
    let path = args.positional[0].as_str();
    let (name, bytes) = pack_source(path)?;
    let result = Engine::from_slice(&bytes);
    let code = u8::from(result.is_err());
    match format {
        Format::Text => Ok(Outcome {
            stdout: text_report(name, path, &result),
            code,
        }),
        Format::Short => {
            let findings = match &result {
                Ok(_) => Vec::new(),
                Err(error) => pack_findings(name, std::str::from_utf8(&bytes).ok(), error),
            };
            Ok(Outcome {
                stdout: short_lines(&findings),
                code,
            })
        }
        Format::Json => {
            let report = match &result {
                Ok(engine) => Report {
                    file: name,
                    ok: true,
                    pack: Some(summary(engine)),
                    findings: Vec::new(),
                },
                Err(error) => Report {
                    file: name,
                    ok: false,
                    pack: None,
                    findings: pack_findings(name, std::str::from_utf8(&bytes).ok(), error),
                },
            };
            Outcome::json(&report, code)
        }
    }
}

pub(crate) fn summary(engine: &Engine) -> serde_json::Value {
    let pack = engine.pack();
    let info = engine.info();
    serde_json::json!({
        "id": info.id,
        "version": info.version,
        "hash": info.hash,
        "questions": pack.questions.len(),
        "dimensions": pack.dimensions.len(),
        "focus_areas": pack.focus_areas.len(),
        "challenges": pack.challenges.len(),
        "therapy_levels": pack.therapy_levels.len(),
        "rules": pack.rules.len(),
    })
}

pub(crate) fn text_report(name: &str, path: &str, result: &Result<Engine, PackError>) -> String {
    let mut out = String::new();
    match result {
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
        }
        Err(PackError::Invalid { problems }) => {
            let _ = writeln!(out, "{name}: {}", plural(problems.len(), "problem", "problems"));
            for problem in problems {
                let _ = writeln!(out, "  {problem}");
            }
        }
        Err(error @ PackError::Syntax { .. }) => {
            // `name: PATH: line L, column C: message`.
            let _ = writeln!(out, "{}", pack_error_line(name, path, error));
        }
        Err(error) => {
            let _ = writeln!(out, "{}", pack_error_line(name, path, error));
        }
    }
    out
}
