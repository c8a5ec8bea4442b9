//! The `rekindle` command line: the rule author's toolkit.
//!
//! `check` validates a pack, `test` runs fixtures, `assess` shows the plan
//! for a set of answers, `questions` prints the questionnaire, `quiz` asks
//! it in the terminal and `schema` prints the JSON Schemas.
//!
//! Exit status: 0 on success; 1 when the pack, the fixtures or the answers
//! were read and found wrong; 2 for usage errors and unreadable files.
//! Errors go to standard error as one line naming the file and the problem.

use std::fmt::Write as _;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rekindle::fixtures::{parse_fixture_file, run_fixtures, FixtureFile, FixtureReport};
use rekindle::pack::{AnswerSpec, ContextFact, FactKind, Question};
use rekindle::{AnswersError, DimensionScore, Engine, PackError, Reason, Recommendation, Responses, Value};

// ---------------------------------------------------------------------------
// Help texts

const HELP: &str = "\
rekindle: check rule packs, run their fixtures and assess answers

Usage: rekindle COMMAND [OPTIONS] [ARGS]

Commands:
  check PACK                      Validate a rule pack; list every problem with its JSON path
  test PACK FIXTURES...           Run fixture files (or directories of them) against a pack
  assess [--pack PACK] ANSWERS    Show the plan for a set of answers
  questions [--pack PACK]         Print the questionnaire
  quiz [--pack PACK]              Answer the questionnaire in the terminal, then show the plan
  schema [pack|fixtures]          Print the JSON Schema for packs or fixture files
  help [COMMAND]                  Show help for a command

Options:
  -h, --help       Show help (also after any command: `rekindle assess --help`)
  -V, --version    Show the version

PACK is a pack file, `default` for the built-in pack, or `-` for standard input.
Without --pack, commands use the built-in default pack.

Exit status: 0 success; 1 the pack, fixtures or answers were found wrong;
2 usage error or a file that cannot be read.
";

const HELP_CHECK: &str = "\
Usage: rekindle check PACK

Validates a rule pack: its JSON, its shape and every rule of the format.
Prints `PACK: ok` with a summary when the pack is valid, otherwise every
problem with its JSON path, such as `rules[3].when.all[1].answer`, and the
problem kind in brackets.

PACK is a pack file, `default` for the built-in pack, or `-` for standard input.

Exit status: 0 valid; 1 invalid; 2 usage error or unreadable file.
";

const HELP_TEST: &str = "\
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

const HELP_ASSESS: &str = "\
Usage: rekindle assess [--pack PACK] [--day N] [--json] ANSWERS

Assesses one set of answers and prints the plan: the safety notice first
when there is one, then the focus areas with their reasons and practices,
the 30-day challenge and the phase to emphasise with the day's activity,
the therapy suggestion and the scores with their bands.

ANSWERS is a JSON file, or `-` for standard input, shaped like
  {\"answers\": {\"q_misunderstandings\": \"often\", \"q_overall_closeness\": 6},
   \"context\": {\"married\": true},
   \"partner_answers\": {...}}
Only `answers` is required; unanswered questions are left out.

Options:
  --pack PACK   The pack to use (default: the built-in pack)
  --day N       Which day of the emphasised phase to show the activity for:
                1 (the default) is the phase's first day, so for a phase of
                days 11-20, --day 3 shows day 13 of the challenge
  --json        Print the whole result as JSON instead (keys: focus_areas,
                challenge, therapy, safety, scores, partner_scores, trace, pack)

Exit status: 0 assessed; 1 the answers or the pack were rejected;
2 usage error or unreadable file.
";

const HELP_QUESTIONS: &str = "\
Usage: rekindle questions [--pack PACK]

Prints the questionnaire: sections, each question's id and prompt, its
answer options with the value to send and the weight it counts for, and the
context facts an app may pass with the answers.

Options:
  --pack PACK   The pack to use (default: the built-in pack)
";

const HELP_QUIZ: &str = "\
Usage: rekindle quiz [--pack PACK] [--day N] [--json]

Asks the questionnaire in the terminal, one question at a time, then the
context facts, and shows the same plan as `rekindle assess`.

Answer an options question with the option's number, value or label; a
number question with a number; a yes/no question with y or n. Press Enter
on an empty line to skip a question. Invalid input is explained and the
question asked again. At the end of input (Ctrl-D) the remaining questions
are skipped and the plan is shown.

Questions go to standard error and the plan to standard output, so
`rekindle quiz --json > plan.json` keeps only the plan. Answers can be
piped in, one line per question: `printf 'often\\n\\n7\\n' | rekindle quiz`.

Options:
  --pack PACK   The pack to use (default: the built-in pack)
  --day N       As for `rekindle assess`
  --json        Print the result as JSON
";

const HELP_SCHEMA: &str = "\
Usage: rekindle schema [pack|fixtures]

Prints the JSON Schema (draft 2020-12) of rule packs (the default) or of
fixture files, as committed under rules/schema/. Point an editor at it with
a `$schema` key, as rules/default.json does.
";

// ---------------------------------------------------------------------------
// Outcomes and failures

/// What a command printed and how it ended.
struct Outcome {
    stdout: String,
    code: u8,
}

impl Outcome {
    fn ok(stdout: String) -> Self {
        Outcome { stdout, code: 0 }
    }
}

/// A command that could not do its job: one message for standard error.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Bad arguments or an unreadable file.
    fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// The input was read and found wrong.
    fn rejected(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

type Run = Result<Outcome, Failure>;

fn main() -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(_) => {
                eprint_line("rekindle: arguments must be valid UTF-8");
                return ExitCode::from(2);
            }
        }
    }
    match run(&args) {
        Ok(outcome) => {
            let mut stdout = io::stdout().lock();
            let written = stdout
                .write_all(outcome.stdout.as_bytes())
                .and_then(|()| stdout.flush());
            match written {
                // A closed pipe (`rekindle questions | head`) is not an error.
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    eprint_line(&format!("rekindle: cannot write the output: {e}"));
                    ExitCode::from(2)
                }
                _ => ExitCode::from(outcome.code),
            }
        }
        Err(failure) => {
            eprint_line(&format!("rekindle: {}", failure.message));
            ExitCode::from(failure.code)
        }
    }
}

/// Writes a line to standard error, ignoring a closed stream.
fn eprint_line(line: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

fn run(args: &[String]) -> Run {
    let Some((command, rest)) = args.split_first() else {
        return Ok(Outcome::ok(HELP.to_owned()));
    };
    match command.as_str() {
        "-h" | "--help" => Ok(Outcome::ok(HELP.to_owned())),
        "-V" | "--version" => Ok(Outcome::ok(format!(
            "rekindle {} (pack format {})\n",
            env!("CARGO_PKG_VERSION"),
            rekindle::FORMAT_VERSION
        ))),
        "help" => match rest {
            [] => Ok(Outcome::ok(HELP.to_owned())),
            [topic] => match help_for(topic) {
                Some(text) => Ok(Outcome::ok(text.to_owned())),
                None => Err(Failure::usage(format!(
                    "no command `{topic}` (see `rekindle --help`)"
                ))),
            },
            _ => Err(Failure::usage("`help` takes at most one command name")),
        },
        "check" => check(rest),
        "test" => test(rest),
        "assess" => assess(rest),
        "questions" => questions(rest),
        "quiz" => quiz(rest),
        "schema" => schema(rest),
        other if other.starts_with('-') => Err(Failure::usage(format!(
            "unknown option {other} (see `rekindle --help`)"
        ))),
        other => Err(Failure::usage(format!(
            "unknown command `{other}` (see `rekindle --help`)"
        ))),
    }
}

fn help_for(command: &str) -> Option<&'static str> {
    Some(match command {
        "check" => HELP_CHECK,
        "test" => HELP_TEST,
        "assess" => HELP_ASSESS,
        "questions" => HELP_QUESTIONS,
        "quiz" => HELP_QUIZ,
        "schema" => HELP_SCHEMA,
        "help" => HELP,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Argument parsing

/// A command's parsed arguments.
#[derive(Default)]
struct Args {
    positional: Vec<String>,
    flags: Vec<&'static str>,
    options: Vec<(&'static str, String)>,
    help: bool,
}

impl Args {
    fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `args` for `command`, which takes the given flags (no value)
/// and options (one value, as `--name VALUE` or `--name=VALUE`).
fn parse(
    command: &str,
    args: &[String],
    flags: &[&'static str],
    options: &[&'static str],
) -> Result<Args, Failure> {
    let mut parsed = Args::default();
    let mut iter = args.iter();
    let see = format!("see `rekindle {command} --help`");
    while let Some(arg) = iter.next() {
        if arg == "--" {
            parsed.positional.extend(iter.by_ref().cloned());
            break;
        }
        if arg == "-h" || arg == "--help" {
            parsed.help = true;
            continue;
        }
        if arg == "-" || !arg.starts_with('-') {
            parsed.positional.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), None),
        };
        if let Some(&flag) = flags.iter().find(|f| **f == name) {
            if inline.is_some() {
                return Err(Failure::usage(format!("{flag} takes no value ({see})")));
            }
            if !parsed.flags.contains(&flag) {
                parsed.flags.push(flag);
            }
        } else if let Some(&option) = options.iter().find(|o| **o == name) {
            let value = match inline {
                Some(value) => value.to_owned(),
                None => match iter.next() {
                    Some(value) => value.clone(),
                    None => return Err(Failure::usage(format!("{option} needs a value ({see})"))),
                },
            };
            if parsed.option(option).is_some() {
                return Err(Failure::usage(format!("{option} is given twice ({see})")));
            }
            parsed.options.push((option, value));
        } else {
            return Err(Failure::usage(format!(
                "unknown option {name} for `{command}` ({see})"
            )));
        }
    }
    Ok(parsed)
}

/// Checks the number of positional arguments.
fn expect_positional(command: &str, args: &Args, names: &str, min: usize, max: usize) -> Result<(), Failure> {
    let n = args.positional.len();
    if n < min {
        return Err(Failure::usage(format!(
            "`{command}` needs {names} (see `rekindle {command} --help`)"
        )));
    }
    if n > max {
        let extra = &args.positional[max];
        return Err(Failure::usage(format!(
            "unexpected argument `{extra}` for `{command}` (see `rekindle {command} --help`)"
        )));
    }
    Ok(())
}

/// The `--day` option: a day of the emphasised phase, from 1.
fn day_option(args: &Args) -> Result<u32, Failure> {
    match args.option("--day") {
        None => Ok(1),
        Some(text) => match text.parse::<u32>() {
            Ok(day) if day >= 1 => Ok(day),
            _ => Err(Failure::usage(format!(
                "--day takes a whole number from 1, not `{text}`"
            ))),
        },
    }
}

// ---------------------------------------------------------------------------
// Reading files

/// What `default` and `-` mean where a pack is expected.
const DEFAULT_PACK_NAME: &str = "default";
const DEFAULT_PACK_LABEL: &str = "built-in default pack";

/// Reads a file, or standard input for `-`.
fn read_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    let result = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes)
    } else if Path::new(path).is_dir() {
        return Err(Failure::usage(format!("cannot read {path}: it is a directory")));
    } else {
        std::fs::read(path)
    };
    result.map_err(|e| Failure::usage(format!("cannot read {}: {}", display_name(path), io_reason(&e))))
}

/// Reads a UTF-8 text file, or standard input for `-`.
fn read_text(path: &str) -> Result<String, Failure> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        Failure::rejected(format!(
            "{}: not valid UTF-8 (first bad byte at offset {})",
            display_name(path),
            e.utf8_error().valid_up_to()
        ))
    })
}

fn display_name(path: &str) -> &str {
    if path == "-" {
        "standard input"
    } else {
        path
    }
}

/// An I/O error in plain words, without the OS error number.
fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    }
}

/// Loads the pack named by `spec` (`None` or `default`: the built-in one).
fn load_engine(spec: Option<&str>) -> Result<(String, Engine), Failure> {
    match spec {
        None | Some(DEFAULT_PACK_NAME) => Ok((DEFAULT_PACK_LABEL.to_owned(), Engine::embedded())),
        Some(path) => {
            let bytes = read_bytes(path)?;
            let name = display_name(path).to_owned();
            match Engine::from_slice(&bytes) {
                Ok(engine) => Ok((name, engine)),
                Err(error) => Err(Failure::rejected(pack_error_line(&name, path, &error))),
            }
        }
    }
}

/// A pack error on one line.
fn pack_error_line(name: &str, path: &str, error: &PackError) -> String {
    match error {
        PackError::Syntax {
            line,
            column,
            message,
        } => format!("{name}: line {line}, column {column}: {message}"),
        PackError::Invalid { problems } => {
            let count = plural(problems.len(), "problem", "problems");
            match problems.first() {
                Some(first) => format!(
                    "{name}: invalid pack, {count}; the first: {first} (`rekindle check {path}` lists them all)"
                ),
                None => format!("{name}: invalid pack"),
            }
        }
        other => format!("{name}: {other}"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Formats a number without a needless `.0`, and at most two decimals.
fn num(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

// ---------------------------------------------------------------------------
// check

fn check(args: &[String]) -> Run {
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

// ---------------------------------------------------------------------------
// test

fn test(args: &[String]) -> Run {
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
fn collect_fixture_files(spec: &str, files: &mut Vec<String>) -> Result<(), Failure> {
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

fn walk_json(dir: &Path, depth: usize, files: &mut Vec<String>) -> Result<(), Failure> {
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

fn render_test_report(report: &FixtureReport, verbose: bool, coverage: bool) -> String {
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

// ---------------------------------------------------------------------------
// assess

fn assess(args: &[String]) -> Run {
    let args = parse("assess", args, &["--json"], &["--pack", "--day"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_ASSESS.to_owned()));
    }
    expect_positional("assess", &args, "an ANSWERS file", 1, 1)?;
    let day = day_option(&args)?;
    let path = args.positional[0].as_str();
    let text = read_text(path)?;
    let (_, engine) = load_engine(args.option("--pack"))?;
    let name = display_name(path);
    let rec = engine.assess_json(&text).map_err(|e| answers_failure(name, &e))?;
    if args.flag("--json") {
        return json_outcome(&rec);
    }
    Ok(Outcome::ok(render_report(&engine, &rec, day)?))
}

fn answers_failure(name: &str, error: &AnswersError) -> Failure {
    match error {
        AnswersError::Syntax {
            line,
            column,
            message,
        } => Failure::rejected(format!("{name}: line {line}, column {column}: {message}")),
        AnswersError::Invalid { problems } => {
            let mut message = format!(
                "{name}: the pack rejects these answers, {}:",
                plural(problems.len(), "problem", "problems")
            );
            for problem in problems {
                let _ = write!(message, "\n  {problem}");
            }
            Failure::rejected(message)
        }
    }
}

fn json_outcome(rec: &Recommendation) -> Run {
    let mut json = serde_json::to_string_pretty(rec)
        .map_err(|e| Failure::rejected(format!("cannot write the result as JSON: {e}")))?;
    json.push('\n');
    Ok(Outcome::ok(json))
}

fn reasons_block(out: &mut String, indent: &str, heading: &str, reasons: &[Reason]) {
    if reasons.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}{heading}");
    for reason in reasons {
        let _ = writeln!(out, "{indent}  - {} (rule {})", reason.text, reason.rule);
    }
}

/// The plan in words, safety notice first.
fn render_report(engine: &Engine, rec: &Recommendation, day: u32) -> Result<String, Failure> {
    let mut out = String::new();
    let pack = &rec.pack;
    let title = if pack.title.is_empty() {
        pack.id.as_str()
    } else {
        pack.title.as_str()
    };
    let _ = writeln!(out, "{title} ({} {})", pack.id, pack.version);

    if let Some(safety) = &rec.safety {
        let _ = writeln!(out);
        let _ = writeln!(out, "!! {}", safety.title.to_uppercase());
        let _ = writeln!(out, "   {}", safety.message);
        if !safety.resources.is_empty() {
            let _ = writeln!(out, "   Where to find help:");
            for resource in &safety.resources {
                let _ = write!(out, "   - {}: {}", resource.name, resource.description);
                if !resource.contact.is_empty() {
                    let _ = write!(out, " Contact: {}.", resource.contact);
                }
                out.push('\n');
            }
        }
        reasons_block(&mut out, "   ", "Why:", &safety.reasons);
        if !safety.suppressed_tags.is_empty() {
            let _ = writeln!(
                out,
                "   Set aside for now: everything tagged {}.",
                safety.suppressed_tags.join(", ")
            );
        }
    }

    let _ = writeln!(out);
    if rec.focus_areas.is_empty() {
        let _ = writeln!(out, "FOCUS AREAS: none stood out");
    } else {
        let _ = writeln!(out, "FOCUS AREAS");
    }
    for (i, area) in rec.focus_areas.iter().enumerate() {
        let _ = writeln!(out, "{}. {} (weight {})", i + 1, area.title, num(area.weight));
        let _ = writeln!(out, "   {}", area.summary);
        reasons_block(&mut out, "   ", "Why:", &area.reasons);
        let practices = engine
            .focus_area(&area.id)
            .map_or(&[][..], |f| f.practices.as_slice());
        if !practices.is_empty() {
            let _ = writeln!(out, "   Try:");
            for practice in practices {
                let _ = writeln!(out, "     - {practice}");
            }
        }
    }

    let _ = writeln!(out);
    match &rec.challenge {
        None => {
            let why = if rec.safety.is_some() {
                "set aside while your safety comes first"
            } else {
                "none suggested right now"
            };
            let _ = writeln!(out, "30-DAY CHALLENGE: {why}");
        }
        Some(challenge) => {
            let phase = &challenge.phase;
            let _ = writeln!(out, "30-DAY CHALLENGE: {}", challenge.title);
            let _ = writeln!(out, "   {}", challenge.summary);
            let _ = writeln!(
                out,
                "   Phase to emphasise: days {}-{}: {}",
                phase.first_day, phase.last_day, phase.theme
            );
            let length = phase.last_day.saturating_sub(phase.first_day).saturating_add(1);
            if day > length {
                return Err(Failure::usage(format!(
                    "--day {day} is past the end of the emphasised phase, which has {length} days"
                )));
            }
            let challenge_day = phase.first_day + day - 1;
            match engine.activity(&phase.id, day) {
                Some(activity) => {
                    let _ = writeln!(
                        out,
                        "   Today, day {day} of this phase (day {challenge_day} of the challenge): {activity}"
                    );
                }
                None => {
                    let _ = writeln!(out, "   The pack gives no daily activities for this phase.");
                }
            }
            reasons_block(&mut out, "   ", "Why:", &challenge.rationale);
        }
    }

    let therapy = &rec.therapy;
    let _ = writeln!(out);
    let _ = writeln!(out, "THERAPY: {}", therapy.title);
    let _ = writeln!(out, "   {}", therapy.message);
    if therapy.rank > 0 {
        let online = if therapy.online {
            "online therapy is a good fit"
        } else {
            "in person or online, whichever suits you"
        };
        let _ = writeln!(out, "   Level: {} ({online})", therapy.level);
    }
    reasons_block(&mut out, "   ", "Why:", &therapy.reasons);

    let _ = writeln!(out);
    let _ = writeln!(out, "SCORES (0-100)");
    render_scores(&mut out, &rec.scores);
    if let Some(partner) = &rec.partner_scores {
        let _ = writeln!(out);
        let _ = writeln!(out, "PARTNER'S SCORES (0-100)");
        render_scores(&mut out, partner);
    }

    let _ = writeln!(out);
    let fired: Vec<&str> = rec.fired_rules().collect();
    let _ = writeln!(
        out,
        "{} fired: {}. Use --json for the full trace.",
        plural(fired.len(), "rule", "rules"),
        fired.join(", ")
    );
    Ok(out)
}

fn render_scores(out: &mut String, scores: &[DimensionScore]) {
    const NO_SCORE: &str = "not enough answers";
    let width = scores.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
    // Band labels are the pack's, of any length, so the column fits the longest.
    let band_width = scores
        .iter()
        .map(|s| band_of(s).chars().count())
        .fold(NO_SCORE.len(), usize::max);
    for score in scores {
        let answered = format!("{} of {} answered", score.answered, score.items);
        let (value, band) = match score.score {
            Some(value) => (num(value), band_of(score)),
            None => ("-".to_owned(), NO_SCORE),
        };
        let _ = writeln!(
            out,
            "   {:width$}  {value:>5}  {band:band_width$}  {answered}",
            score.title
        );
    }
}

/// The band's label, or its id when the pack gives no label.
fn band_of(score: &DimensionScore) -> &str {
    score
        .band_label
        .as_deref()
        .or(score.band.as_deref())
        .unwrap_or("")
}

// ---------------------------------------------------------------------------
// questions

fn questions(args: &[String]) -> Run {
    let args = parse("questions", args, &[], &["--pack"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_QUESTIONS.to_owned()));
    }
    expect_positional("questions", &args, "", 0, 0)?;
    let (_, engine) = load_engine(args.option("--pack"))?;
    let pack = engine.pack();
    let mut out = String::new();
    let title = if pack.title.is_empty() {
        pack.id.as_str()
    } else {
        pack.title.as_str()
    };
    let _ = writeln!(
        out,
        "{title} ({} {}): {}",
        pack.id,
        pack.version,
        plural(pack.questions.len(), "question", "questions")
    );
    let mut section: Option<&str> = None;
    for (i, question) in pack.questions.iter().enumerate() {
        if i == 0 || question.section.as_deref() != section {
            section = question.section.as_deref();
            section_heading(&mut out, &engine, section);
        }
        let _ = writeln!(out, "{}. [{}] {}", i + 1, question.id, question.prompt);
        if !question.help.is_empty() {
            let _ = writeln!(out, "   {}", question.help);
        }
        match &question.answer {
            AnswerSpec::Options { options } => {
                for option in options {
                    let _ = writeln!(
                        out,
                        "   - {:12} {} (weight {})",
                        option.value,
                        option.label,
                        num(option.weight)
                    );
                }
            }
            AnswerSpec::Range { .. } => {
                let _ = writeln!(out, "   - {}", range_text(question));
            }
            AnswerSpec::YesNo => {
                let _ = writeln!(out, "   - true or false (yes or no)");
            }
        }
        if question.reverse {
            let _ = writeln!(out, "   (reverse keyed: a high answer counts low)");
        }
    }
    if !pack.context.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "== Context facts (passed by the app in \"context\") ==");
        for fact in &pack.context {
            let _ = writeln!(out, "[{}] {}", fact.id, fact.label);
            let _ = writeln!(out, "   - {}", fact_kind_text(fact));
        }
    }
    Ok(Outcome::ok(out))
}

fn section_heading(out: &mut String, engine: &Engine, section: Option<&str>) {
    let found = section.and_then(|id| engine.pack().sections.iter().find(|s| s.id == id));
    let _ = writeln!(out);
    match found {
        Some(s) => {
            let _ = writeln!(out, "== {} ==", s.title);
            if !s.intro.is_empty() {
                let _ = writeln!(out, "{}", s.intro);
            }
        }
        None => {
            let _ = writeln!(out, "== Other questions ==");
        }
    }
}

fn range_text(question: &Question) -> String {
    let AnswerSpec::Range {
        min,
        max,
        step,
        min_label,
        max_label,
    } = &question.answer
    else {
        return String::new();
    };
    let mut text = format!("a number from {}", num(*min));
    if !min_label.is_empty() {
        let _ = write!(text, " ({min_label})");
    }
    let _ = write!(text, " to {}", num(*max));
    if !max_label.is_empty() {
        let _ = write!(text, " ({max_label})");
    }
    if let Some(step) = step {
        let _ = write!(text, ", in steps of {}", num(*step));
    }
    text
}

fn fact_kind_text(fact: &ContextFact) -> String {
    match fact.kind {
        FactKind::Bool => "true or false".to_owned(),
        FactKind::Number => {
            let mut text = "a number".to_owned();
            if let Some(min) = fact.min {
                let _ = write!(text, " from {}", num(min));
            }
            if let Some(max) = fact.max {
                let _ = write!(text, " to {}", num(max));
            }
            text
        }
        FactKind::Choice => format!(
            "one of: {}",
            fact.choices.as_deref().unwrap_or_default().join(", ")
        ),
    }
}

// ---------------------------------------------------------------------------
// quiz

/// The quiz's conversation: lines in from standard input, prompts out to
/// standard error.
struct Conversation<R> {
    input: R,
    ended: bool,
    /// Input is piped rather than typed, so echo it to keep the transcript readable.
    echo: bool,
}

impl<R: BufRead> Conversation<R> {
    fn say(&self, text: &str) {
        let mut stderr = io::stderr().lock();
        let _ = write!(stderr, "{text}");
        let _ = stderr.flush();
    }

    /// The next line, trimmed; `None` at the end of input.
    fn read_line(&mut self) -> Option<String> {
        if self.ended {
            return None;
        }
        let mut bytes = Vec::new();
        match self.input.read_until(b'\n', &mut bytes) {
            Ok(0) | Err(_) => {
                self.ended = true;
                None
            }
            Ok(_) => {
                let line = String::from_utf8_lossy(&bytes).trim().to_owned();
                if self.echo {
                    self.say(&format!("{line}\n"));
                }
                Some(line)
            }
        }
    }

    /// Asks until the answer parses; `None` when skipped or at the end of input.
    fn ask<T>(&mut self, prompt: &str, mut interpret: impl FnMut(&str) -> Result<T, String>) -> Option<T> {
        loop {
            self.say(prompt);
            let line = self.read_line()?;
            if line.is_empty() {
                return None;
            }
            match interpret(&line) {
                Ok(value) => return Some(value),
                Err(message) => self.say(&format!("   {message}\n")),
            }
        }
    }
}

fn quiz(args: &[String]) -> Run {
    let args = parse("quiz", args, &["--json"], &["--pack", "--day"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_QUIZ.to_owned()));
    }
    expect_positional("quiz", &args, "", 0, 0)?;
    let day = day_option(&args)?;
    let (_, engine) = load_engine(args.option("--pack"))?;
    let pack = engine.pack();
    let stdin = io::stdin();
    let mut talk = Conversation {
        echo: !stdin.is_terminal(),
        input: stdin.lock(),
        ended: false,
    };
    let title = if pack.title.is_empty() {
        pack.id.as_str()
    } else {
        pack.title.as_str()
    };
    talk.say(&format!(
        "{title}\n{} questions. Press Enter to skip a question; Ctrl-D ends the questionnaire.\n",
        pack.questions.len()
    ));
    let mut responses = Responses::default();
    let total = pack.questions.len();
    let mut section: Option<&str> = None;
    for (i, question) in pack.questions.iter().enumerate() {
        if talk.ended {
            break;
        }
        if i == 0 || question.section.as_deref() != section {
            section = question.section.as_deref();
            let mut heading = String::new();
            section_heading(&mut heading, &engine, section);
            talk.say(&heading);
        }
        let mut prompt = format!("\n[{}/{total}] {}\n", i + 1, question.prompt);
        if !question.help.is_empty() {
            let _ = writeln!(prompt, "   {}", question.help);
        }
        match &question.answer {
            AnswerSpec::Options { options } => {
                let choices: Vec<String> = options
                    .iter()
                    .enumerate()
                    .map(|(n, o)| format!("{}) {}", n + 1, o.label))
                    .collect();
                let _ = writeln!(prompt, "   {}", choices.join("   "));
            }
            AnswerSpec::Range { .. } => {
                let _ = writeln!(prompt, "   Enter {}", range_text(question));
            }
            AnswerSpec::YesNo => {
                let _ = writeln!(prompt, "   y = yes, n = no");
            }
        }
        prompt.push_str("> ");
        let answer = talk.ask(&prompt, |line| {
            let value = interpret_answer(question, line)?;
            // The engine's own checks (range, step) decide what is valid.
            let mut probe = Responses::default();
            probe.answers.insert(question.id.clone(), value.clone());
            match engine.assess(&probe) {
                Ok(_) => Ok(value),
                Err(error) => Err(first_problem(&error)),
            }
        });
        if let Some(value) = answer {
            responses.answers.insert(question.id.clone(), value);
        }
    }
    if !pack.context.is_empty() && !talk.ended {
        talk.say("\n== A few facts about the two of you (Enter to skip) ==\n");
        for fact in &pack.context {
            if talk.ended {
                break;
            }
            let hint = match fact.kind {
                FactKind::Bool => "y = yes, n = no".to_owned(),
                _ => format!("Enter {}", fact_kind_text(fact)),
            };
            let prompt = format!("\n{}\n   {hint}\n> ", fact.label);
            let answer = talk.ask(&prompt, |line| {
                let value = interpret_fact(fact, line)?;
                let probe = Responses::default().with_context(fact.id.clone(), value.clone());
                match engine.assess(&probe) {
                    Ok(_) => Ok(value),
                    Err(error) => Err(first_problem(&error)),
                }
            });
            if let Some(value) = answer {
                responses.context.insert(fact.id.clone(), value);
            }
        }
    }
    if talk.ended {
        talk.say("\n(End of input: the remaining questions are skipped.)\n");
    }
    talk.say(&format!(
        "\nYou answered {} of {total} questions.\n\n",
        responses.answers.len()
    ));
    let rec = engine
        .assess(&responses)
        .map_err(|e| answers_failure("quiz answers", &e))?;
    if args.flag("--json") {
        return json_outcome(&rec);
    }
    Ok(Outcome::ok(render_report(&engine, &rec, day)?))
}

fn first_problem(error: &AnswersError) -> String {
    match error.problems().first() {
        Some(problem) => format!("That answer does not fit: {}. Please try again.", problem.message),
        None => format!("That answer does not fit: {error}. Please try again."),
    }
}

fn yes_no(line: &str) -> Option<bool> {
    match line.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" => Some(true),
        "n" | "no" | "false" => Some(false),
        _ => None,
    }
}

fn interpret_answer(question: &Question, line: &str) -> Result<Value, String> {
    match &question.answer {
        AnswerSpec::Options { options } => {
            if let Ok(n) = line.parse::<usize>() {
                return match options.get(n.wrapping_sub(1)) {
                    Some(option) => Ok(Value::text(option.value.clone())),
                    None => Err(format!(
                        "Please enter a number from 1 to {}, or press Enter to skip.",
                        options.len()
                    )),
                };
            }
            options
                .iter()
                .find(|o| o.value.eq_ignore_ascii_case(line) || o.label.eq_ignore_ascii_case(line))
                .map(|o| Value::text(o.value.clone()))
                .ok_or_else(|| {
                    format!(
                        "Please enter a number from 1 to {} (or the option's name), or press Enter to skip.",
                        options.len()
                    )
                })
        }
        AnswerSpec::Range { .. } => match line.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::number(n)),
            _ => Err(format!(
                "Please enter {}, or press Enter to skip.",
                range_text(question)
            )),
        },
        AnswerSpec::YesNo => yes_no(line)
            .map(Value::bool)
            .ok_or_else(|| "Please enter y or n, or press Enter to skip.".to_owned()),
    }
}

fn interpret_fact(fact: &ContextFact, line: &str) -> Result<Value, String> {
    match fact.kind {
        FactKind::Bool => yes_no(line)
            .map(Value::bool)
            .ok_or_else(|| "Please enter y or n, or press Enter to skip.".to_owned()),
        FactKind::Number => match line.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::number(n)),
            _ => Err(format!(
                "Please enter {}, or press Enter to skip.",
                fact_kind_text(fact)
            )),
        },
        FactKind::Choice => {
            let choices = fact.choices.as_deref().unwrap_or_default();
            let chosen = match line.parse::<usize>() {
                Ok(n) => choices.get(n.wrapping_sub(1)),
                Err(_) => choices.iter().find(|c| c.eq_ignore_ascii_case(line)),
            };
            chosen
                .map(|c| Value::text(c.clone()))
                .ok_or_else(|| format!("Please enter {}, or press Enter to skip.", fact_kind_text(fact)))
        }
    }
}

// ---------------------------------------------------------------------------
// schema

/// The committed JSON Schemas, which `tests/schema.rs` proves equal to the
/// ones generated from the code.
#[cfg(not(feature = "schema"))]
fn schema_text(which: Which) -> Result<String, Failure> {
    Ok(match which {
        Which::Pack => include_str!("../../rules/schema/pack.schema.json").to_owned(),
        Which::Fixtures => include_str!("../../rules/schema/fixture.schema.json").to_owned(),
    })
}

/// The JSON Schemas generated from the pack and fixture models, used to
/// regenerate the committed files:
/// `cargo run --features schema -- schema pack > rules/schema/pack.schema.json`.
#[cfg(feature = "schema")]
fn schema_text(which: Which) -> Result<String, Failure> {
    let schema = match which {
        Which::Pack => schemars::schema_for!(rekindle::Pack),
        Which::Fixtures => schemars::schema_for!(FixtureFile),
    };
    let mut text = serde_json::to_string_pretty(&schema)
        .map_err(|e| Failure::rejected(format!("cannot write the schema: {e}")))?;
    text.push('\n');
    Ok(text)
}

enum Which {
    Pack,
    Fixtures,
}

fn schema(args: &[String]) -> Run {
    let args = parse("schema", args, &[], &[])?;
    if args.help {
        return Ok(Outcome::ok(HELP_SCHEMA.to_owned()));
    }
    expect_positional("schema", &args, "", 0, 1)?;
    let which = match args.positional.first().map(String::as_str) {
        None | Some("pack") => Which::Pack,
        Some("fixtures" | "fixture") => Which::Fixtures,
        Some(other) => {
            return Err(Failure::usage(format!(
                "no schema `{other}`: use `pack` or `fixtures` (see `rekindle schema --help`)"
            )))
        }
    };
    Ok(Outcome::ok(schema_text(which)?))
}
