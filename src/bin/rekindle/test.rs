//! `rekindle test`: run fixture files against a pack.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use rekindle::fixtures::{parse_fixture_file, run_fixtures, FixtureFile, FixtureReport};

use rekindle::Engine;

use crate::args::{expect_positional, format_option, parse, Format};
use crate::findings::{short_lines, Finding};
use crate::io::{display_name, io_reason, load_pack, read_text};
use crate::locate::Locations;
use crate::text::plural;
use crate::{Failure, Outcome, Run};

pub(crate) const HELP_TEST: &str = "\
Usage: rekindle test [--coverage] [--verbose] [--format FORMAT | --json] PACK FIXTURES...

Runs fixture files against a pack. FIXTURES are fixture files, directories
(every *.json file under them, in name order) or `-` for standard input.
Each failure shows the fixture, the expectation, what was expected and what
the pack produced, and the trace of the rules that fired. The last line is
`N passed, N failed`. Results go to standard output; standard error is for
a pack or fixture file that cannot be read and for usage errors.

PACK is a pack file, `default` for the built-in pack, or `-` for standard input.

Options:
  --coverage       Also list the rules that no fixture fired, and fail when
                   there are any (every rule should have a fixture that fires it)
  --verbose        Also list the fixtures that passed
  --format FORMAT  text (the default); short, one line per failed
                   expectation as `FILE:LINE:COL: fail: PATH: MESSAGE` (and,
                   with --coverage, `PACK:LINE:COL: unfired: ...` per rule)
                   for editors and CI, then the count; or json
  --json           Same as --format=json: {\"ok\", \"passed\", \"failed\",
                   \"outcomes\", \"unfired_rules\", \"findings\"}

Exit status: 0 all passed (and, with --coverage, every rule fired);
1 a fixture failed, a fixture file is invalid or, with --coverage, a rule
never fired; 2 usage error or unreadable file.
";

/// A fixture file as read: its name, text and fixtures.
struct Loaded {
    name: String,
    text: String,
    file: FixtureFile,
}

/// What `test --json` prints.
#[derive(serde::Serialize)]
struct Report<'a> {
    ok: bool,
    #[serde(flatten)]
    report: &'a FixtureReport,
    findings: Vec<Finding>,
}

pub(crate) fn test(args: &[String]) -> Run {
    let args = parse(
        "test",
        args,
        &["--coverage", "--verbose", "--json"],
        &["--format"],
    )?;
    if args.help {
        return Ok(Outcome::ok(HELP_TEST.to_owned()));
    }
    expect_positional("test", &args, "a PACK and one or more FIXTURES", 2, usize::MAX)?;
    let format = format_option("test", &args)?;
    let mut files = Vec::new();
    for spec in &args.positional[1..] {
        collect_fixture_files(spec, &mut files)?;
    }
    let (pack_name, engine, pack_text) = load_pack(Some(args.positional[0].as_str()))?;
    let mut loaded: Vec<Loaded> = Vec::new();
    for path in &files {
        let name = display_name(path).to_owned();
        let text = read_text(path)?;
        let file = parse_fixture_file(&name, &text).map_err(|e| Failure::rejected(e.to_string()))?;
        loaded.push(Loaded { name, text, file });
    }
    let report = run_fixtures(
        &engine,
        loaded
            .iter()
            .map(|l| (l.name.as_str(), l.file.fixtures.as_slice())),
    );
    let coverage = args.flag("--coverage");
    let uncovered = coverage && !report.unfired_rules.is_empty();
    let ran = report.passed + report.failed;
    let code = u8::from(!report.all_passed() || uncovered || ran == 0);
    let findings = || {
        let mut findings = failure_findings(&loaded, &report);
        if coverage {
            findings.extend(unfired_findings(&pack_name, &pack_text, &engine, &report));
        }
        findings
    };
    match format {
        Format::Text => Ok(Outcome {
            stdout: render_test_report(&report, args.flag("--verbose"), coverage),
            code,
        }),
        Format::Short => {
            let mut out = short_lines(&findings());
            let _ = writeln!(out, "{} passed, {} failed", report.passed, report.failed);
            Ok(Outcome { stdout: out, code })
        }
        Format::Json => Outcome::json(
            &Report {
                ok: code == 0,
                report: &report,
                findings: findings(),
            },
            code,
        ),
    }
}

/// One finding per failed expectation, at the fixture's expectation.
fn failure_findings(loaded: &[Loaded], report: &FixtureReport) -> Vec<Finding> {
    let mut findings = Vec::new();
    // `run_fixtures` reports the fixtures in the order given: file by file.
    let mut outcomes = report.outcomes.iter();
    for file in loaded {
        let mut paths = Vec::new();
        for outcome in outcomes.by_ref().take(file.file.fixtures.len()) {
            for failure in &outcome.failures {
                // The runner gives each failure's JSON path in the file.
                let path = failure.expectation.clone();
                let message = format!(
                    "fixture \"{}\": expected {}, got {}",
                    outcome.name, failure.expected, failure.actual
                );
                paths.push((path, message));
            }
        }
        let locations = Locations::find(&file.text, paths.iter().map(|(p, _)| p.as_str()));
        for (path, message) in paths {
            findings.push(Finding::at(&file.name, &locations, &path, "fail", message));
        }
    }
    findings
}

/// One finding per rule that no fixture fired, at the rule in the pack.
fn unfired_findings(
    pack_name: &str,
    pack_text: &str,
    engine: &Engine,
    report: &FixtureReport,
) -> Vec<Finding> {
    // A map, not a search per rule: a pack may have thousands of rules.
    let index: HashMap<&str, usize> = engine
        .pack()
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.id.as_str(), i))
        .collect();
    let paths: Vec<(String, &str)> = report
        .unfired_rules
        .iter()
        .map(|id| match index.get(id.as_str()) {
            Some(i) => (format!("rules[{i}]"), id.as_str()),
            None => (String::new(), id.as_str()),
        })
        .collect();
    let locations = Locations::find(pack_text, paths.iter().map(|(p, _)| p.as_str()));
    paths
        .iter()
        .map(|(path, id)| {
            let message = format!("rule {id} is fired by no fixture");
            Finding::at(pack_name, &locations, path, "unfired", message)
        })
        .collect()
}

/// Adds `spec` to `files`: a file, `-`, or every *.json file under a directory.
pub(crate) fn collect_fixture_files(spec: &str, files: &mut Vec<String>) -> Result<(), Failure> {
    let path = Path::new(spec);
    if spec == "-" || !path.is_dir() {
        files.push(spec.to_owned());
        return Ok(());
    }
    let before = files.len();
    walk_json(path, 0, files)?;
    if files.len() == before {
        return Err(Failure::usage(format!(
            "{spec}: no .json fixture files in this directory"
        )));
    }
    Ok(())
}

pub(crate) fn walk_json(dir: &Path, depth: usize, files: &mut Vec<String>) -> Result<(), Failure> {
    let unreadable =
        |e: io::Error| Failure::usage(format!("cannot read {}: {}", dir.display(), io_reason(&e)));
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            // Deep enough for any sensible layout, and safe from link loops.
            if depth < 8 {
                walk_json(&entry, depth + 1, files)?;
            }
        } else if entry.extension().is_some_and(|ext| ext == "json") {
            files.push(entry.display().to_string());
        }
    }
    Ok(())
}

pub(crate) fn render_test_report(report: &FixtureReport, verbose: bool, coverage: bool) -> String {
    let mut out = String::new();
    for outcome in &report.outcomes {
        if outcome.passed() {
            if verbose {
                let _ = writeln!(out, "ok   {}: {}", outcome.file, outcome.name);
            }
            continue;
        }
        let _ = writeln!(out, "FAIL {}: {}", outcome.file, outcome.name);
        for failure in &outcome.failures {
            let _ = writeln!(out, "  {}", failure.expectation);
            let _ = writeln!(out, "    expected: {}", failure.expected);
            let _ = writeln!(out, "    actual:   {}", failure.actual);
        }
        if !outcome.explanation.trim().is_empty() {
            let _ = writeln!(out, "  trace:");
            for line in outcome.explanation.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        out.push('\n');
    }
    if coverage {
        let total = report.unfired_rules.len();
        if total == 0 {
            let _ = writeln!(out, "coverage: every rule fired in some fixture");
        } else {
            let _ = writeln!(
                out,
                "coverage: {} that no fixture fired:",
                plural(total, "rule", "rules")
            );
            for rule in &report.unfired_rules {
                let _ = writeln!(out, "  {rule}");
            }
        }
    }
    if report.passed + report.failed == 0 {
        let _ = writeln!(out, "no fixtures ran");
    }
    let _ = writeln!(out, "{} passed, {} failed", report.passed, report.failed);
    out
}
