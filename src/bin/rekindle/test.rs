//! `rekindle test`: run fixture files against a pack.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use rekindle::fixtures::{parse_fixture_file, run_fixtures, FixtureFile, FixtureReport};

use crate::args::{expect_positional, parse};
use crate::io::{display_name, io_reason, load_engine, read_text};
use crate::text::plural;
use crate::{Failure, Outcome, Run};

pub(crate) const HELP_TEST: &str = "\
Usage: rekindle test [--coverage] [--verbose] PACK FIXTURES...

Runs fixture files against a pack. FIXTURES are fixture files, directories
(every *.json file under them, in name order) or `-` for standard input.
Each failure shows the fixture, the expectation, what was expected and what
the pack produced, and the trace of the rules that fired. The last line is
`N passed, N failed`.

PACK is a pack file, `default` for the built-in pack, or `-` for standard input.

Options:
  --coverage   Also list the rules that no fixture fired, and fail when
               there are any (every rule should have a fixture that fires it)
  --verbose    Also list the fixtures that passed

Exit status: 0 all passed (and, with --coverage, every rule fired);
1 a fixture failed, a fixture file is invalid or, with --coverage, a rule
never fired; 2 usage error or unreadable file.
";

pub(crate) fn test(args: &[String]) -> Run {
    let args = parse("test", args, &["--coverage", "--verbose"], &[])?;
    if args.help {
        return Ok(Outcome::ok(HELP_TEST.to_owned()));
    }
    expect_positional("test", &args, "a PACK and one or more FIXTURES", 2, usize::MAX)?;
    let mut files = Vec::new();
    for spec in &args.positional[1..] {
        collect_fixture_files(spec, &mut files)?;
    }
    let (_, engine) = load_engine(Some(args.positional[0].as_str()))?;
    let mut loaded: Vec<(String, FixtureFile)> = Vec::new();
    for path in &files {
        let name = display_name(path).to_owned();
        let text = read_text(path)?;
        let file = parse_fixture_file(&name, &text).map_err(|e| Failure::rejected(e.to_string()))?;
        loaded.push((name, file));
    }
    let report = run_fixtures(
        &engine,
        loaded
            .iter()
            .map(|(name, file)| (name.as_str(), file.fixtures.as_slice())),
    );
    let coverage = args.flag("--coverage");
    let out = render_test_report(&report, args.flag("--verbose"), coverage);
    let uncovered = coverage && !report.unfired_rules.is_empty();
    let ran = report.passed + report.failed;
    let code = u8::from(!report.all_passed() || uncovered || ran == 0);
    Ok(Outcome { stdout: out, code })
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
