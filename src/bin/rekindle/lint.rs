//! `rekindle lint`: what a valid pack may still get wrong.

use std::fmt::Write as _;

use rekindle::{Engine, Problem};

use crate::args::{expect_positional, format_option, parse, Format};
use crate::check::{summary, text_report, Report};
use crate::findings::{pack_findings, short_lines, Finding};
use crate::io::pack_source;
use crate::locate::Locations;
use crate::text::plural;
use crate::{Failure, Outcome, Run};

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
  own_view_suppression  a rule that reads private items and suppresses
                        tags: in couple mode only in that partner's own
                        view (use neutral_plan to set content aside for
                        both)

A pack that does not load cannot be reviewed: its problems are printed
once, as `rekindle check` lists them, on standard error (exit 1); with
--json, in the report on standard output; with --format=short, one line
each on standard output.

Options:
  --deny           Exit 1 when there is any finding (findings are warnings
                   otherwise)
  --format FORMAT  text (the default), short (`PACK:LINE:COL: KIND: PATH:
                   MESSAGE` per finding) or json
  --json           Same as --format=json: {\"file\", \"ok\", \"pack\", \"findings\"}
                   as with `rekindle check --json`; `ok` is false when the
                   pack does not load or --deny fails on findings

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
    let engine = match Engine::from_slice(&bytes) {
        Ok(engine) => engine,
        // Nothing to review: the pack's problems, once, where each format
        // puts them (`check` lists them the same way).
        Err(error) => {
            let findings = pack_findings(name, text, &error);
            return match format {
                Format::Short => Ok(Outcome {
                    stdout: short_lines(&findings),
                    code: 1,
                }),
                Format::Json => Outcome::json(
                    &Report {
                        file: name,
                        ok: false,
                        pack: None,
                        findings,
                    },
                    1,
                ),
                Format::Text => {
                    let report = text_report(name, path, &Err(error));
                    Err(Failure::rejected(format!(
                        "{name}: the pack does not load, so it cannot be reviewed: {}",
                        report
                            .trim_end()
                            .strip_prefix(&format!("{name}: "))
                            .unwrap_or(report.trim_end())
                    )))
                }
            };
        }
    };
    let problems = engine.lint();
    let code = u8::from(args.flag("--deny") && !problems.is_empty());
    let findings = located(name, text, &problems);
    match format {
        Format::Short => Ok(Outcome {
            stdout: short_lines(&findings),
            code,
        }),
        Format::Json => Outcome::json(
            &Report {
                file: name,
                ok: code == 0,
                pack: Some(summary(&engine)),
                findings,
            },
            code,
        ),
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
