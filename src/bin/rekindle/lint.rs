//! `rekindle lint`: what a valid pack may still get wrong.

use std::fmt::Write as _;

use rekindle::{Engine, Problem};

use crate::args::{expect_positional, format_option, parse, Format};
use crate::findings::{pack_findings, short_lines, Finding};
use crate::io::pack_source;
use crate::locate::Locations;
use crate::text::plural;
use crate::{Outcome, Run};

pub(crate) const HELP_LINT: &str = "\
Usage: rekindle lint [--deny] [--format FORMAT | --json] PACK

Reviews a valid pack for what the format allows but an author rarely means,
each finding with its JSON path and a stable kind:

  never_fires           a rule whose tests contradict each other
  duplicate_rule        a rule with the same condition as an earlier one
  unreachable_band      a band no combination of answers reaches
  unreachable_outcome   a focus area, challenge, phase or therapy level no
                        rule leads to
  rounded_cutoff        a score cut-off finer than the six decimals scores
                        are rounded to, so it acts as its rounded value
  unused_shared_reason  the shared reason of a rule that reads private
                        items: never shown, as such a rule counts only in
                        a partner's own view

A pack that does not load gets its problems, as with `rekindle check`.

Options:
  --deny           Exit 1 when there is any finding (findings are warnings
                   otherwise)
  --format FORMAT  text (the default), short (`PACK:LINE:COL: KIND: PATH:
                   MESSAGE` per finding) or json
  --json           Same as --format=json

Exit status: 0 no finding, or findings without --deny; 1 findings with
--deny, or a pack that does not load; 2 usage error or unreadable file.
";

pub(crate) fn lint(args: &[String]) -> Run {
    let args = parse("lint", args, &["--json", "--deny"], &["--format"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_LINT.to_owned()));
    }
    expect_positional("lint", &args, "a PACK file", 1, 1)?;
    let format = format_option("lint", &args)?;
    let path = args.positional[0].as_str();
    let (name, bytes) = pack_source(path)?;
    let text = std::str::from_utf8(&bytes).ok();
    let (findings, code) = match Engine::from_slice(&bytes) {
        Err(error) => (pack_findings(name, text, &error), 1),
        Ok(engine) => {
            let problems = engine.lint();
            let code = u8::from(args.flag("--deny") && !problems.is_empty());
            (located(name, text, &problems), code)
        }
    };
    match format {
        Format::Short => Ok(Outcome {
            stdout: short_lines(&findings),
            code,
        }),
        Format::Json => Outcome::json(&findings, code),
        Format::Text => {
            let mut out = String::new();
            if findings.is_empty() {
                let _ = writeln!(out, "{name}: no findings");
            } else {
                let _ = writeln!(out, "{name}: {}", plural(findings.len(), "finding", "findings"));
                for finding in &findings {
                    let _ = writeln!(out, "  {}: {} [{}]", finding.path, finding.message, finding.kind);
                }
            }
            Ok(Outcome { stdout: out, code })
        }
    }
}

fn located(file: &str, text: Option<&str>, problems: &[Problem]) -> Vec<Finding> {
    let locations = Locations::find(text.unwrap_or_default(), problems.iter().map(|p| p.path.as_str()));
    problems
        .iter()
        .map(|p| Finding::at(file, &locations, &p.path, p.kind.tag(), p.message.as_str()))
        .collect()
}
