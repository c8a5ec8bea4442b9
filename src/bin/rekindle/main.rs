//! The `rekindle` command line: the rule author's toolkit.
//!
//! `check` validates a pack, `lint` reviews a valid one, `test` runs
//! fixtures, `diff` compares two packs over a corpus of answers, `assess`
//! shows the plan for a set of answers, `progress` compares two snapshots,
//! `questions` prints the questionnaire, `quiz` asks it in the terminal and
//! `schema` prints the JSON Schemas. Each command
//! lives in its own module with its help text; `args` parses arguments and
//! `io` reads files.
//!
//! Exit status: 0 on success; 1 when the pack, the fixtures or the answers
//! were read and found wrong; 2 for usage errors and unreadable files.
//! Errors go to standard error as a line naming the file and the problem
//! (rejected answers, and a pack `lint` cannot load, list theirs below it).

mod args;
mod assess;
mod check;
mod couple;
mod diff;
mod findings;
mod io;
mod lint;
mod locate;
mod progress;
mod questions;
mod quiz;
mod schema;
mod test;
mod text;

use std::io::Write;
use std::process::ExitCode;

use crate::args::did_you_mean;
use crate::assess::{assess, HELP_ASSESS};
use crate::check::{check, HELP_CHECK};
use crate::questions::{questions, HELP_QUESTIONS};
use crate::quiz::{quiz, HELP_QUIZ};
use crate::schema::{schema, HELP_SCHEMA};
use crate::test::{test, HELP_TEST};

const HELP: &str = "\
rekindle: check rule packs, run their fixtures and assess answers

Usage: rekindle COMMAND [OPTIONS] [ARGS]

Commands:
  check PACK                      Validate a rule pack; list every problem with its JSON path
  lint PACK                       Review a valid pack: rules that never fire, unreachable bands and outcomes, ...
  test PACK FIXTURES...           Run fixture files (or directories of them) against a pack
  diff OLD NEW                    What a pack change does to a corpus of answer sets
  assess [--pack PACK] ANSWERS    Show the plan for a set of answers (--couple A B for a couple)
  progress OLD NEW                Compare two saved snapshots, dimension by dimension
  questions [--pack PACK]         Print the questionnaire
  quiz [--pack PACK]              Answer the questionnaire in the terminal, then show the plan
  schema [pack|fixtures]          Print the JSON Schema for packs or fixture files
  help [COMMAND]                  Show help for a command

Options:
  -h, --help       Show help (also after any command: `rekindle assess --help`)
  -V, --version    Show the version

PACK is a pack file, `default` for the built-in pack, or `-` for standard input
(which can be read once, so `-` may stand for one argument only). Without
--pack, commands use the built-in default pack.

`check`, `lint`, `test`, `diff`, `assess`, `progress`, `questions` and
`quiz` print JSON with --json. `check`, `lint` and `test` print one
`file:line:col: kind: message` line per finding with --format=short.

Results and findings (the problems `check` finds, the failures `test`
finds) go to standard output; an error that stops a command (a usage
error, a file that cannot be read, a pack or answers it cannot use) goes to
standard error as a line starting with `rekindle:`, with the problems of
rejected answers or of a pack `lint` cannot load on the lines below it.

Exit status: 0 success; 1 the pack, fixtures or answers were found wrong;
2 usage error or a file that cannot be read.
";

/// What a command printed and how it ended.
pub(crate) struct Outcome {
    pub(crate) stdout: String,
    pub(crate) code: u8,
}

impl Outcome {
    fn ok(stdout: String) -> Self {
        Outcome { stdout, code: 0 }
    }

    /// `value` as pretty JSON on standard output.
    fn json(value: &impl serde::Serialize, code: u8) -> Run {
        let mut json = serde_json::to_string_pretty(value)
            .map_err(|e| Failure::rejected(format!("cannot write the result as JSON: {e}")))?;
        json.push('\n');
        Ok(Outcome { stdout: json, code })
    }
}

/// A command that could not do its job: one message for standard error.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
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

pub(crate) type Run = Result<Outcome, Failure>;

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
            let mut stdout = std::io::stdout().lock();
            let written = stdout
                .write_all(outcome.stdout.as_bytes())
                .and_then(|()| stdout.flush());
            match written {
                // A closed pipe (`rekindle questions | head`) is not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
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
pub(crate) fn eprint_line(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// The commands, for suggestions.
const COMMANDS: &[&str] = &[
    "check",
    "lint",
    "test",
    "diff",
    "assess",
    "progress",
    "questions",
    "quiz",
    "schema",
    "help",
];

pub(crate) fn run(args: &[String]) -> Run {
    let mut parser = lexopt::Parser::from_args(args);
    let first = match parser.next() {
        Ok(None) => return Ok(Outcome::ok(HELP.to_owned())),
        Ok(Some(first)) => first,
        Err(error) => return Err(Failure::usage(format!("{error} (see `rekindle --help`)"))),
    };
    let command = match first {
        lexopt::Arg::Short('h') | lexopt::Arg::Long("help") => return Ok(Outcome::ok(HELP.to_owned())),
        lexopt::Arg::Short('V') | lexopt::Arg::Long("version") => {
            return Ok(Outcome::ok(format!(
                "rekindle {} (pack format {})\n",
                env!("CARGO_PKG_VERSION"),
                rekindle::FORMAT_VERSION
            )))
        }
        lexopt::Arg::Short(c) => return Err(unknown_option(&format!("-{c}"))),
        lexopt::Arg::Long(name) => return Err(unknown_option(&format!("--{name}"))),
        lexopt::Arg::Value(command) => command.to_string_lossy().into_owned(),
    };
    // Everything after the command belongs to it, `--` and all.
    let rest: Vec<String> = match parser.raw_args() {
        Ok(raw) => raw.map(|arg| arg.to_string_lossy().into_owned()).collect(),
        Err(error) => return Err(Failure::usage(format!("{error} (see `rekindle --help`)"))),
    };
    match command.as_str() {
        "help" => match rest.as_slice() {
            [] => Ok(Outcome::ok(HELP.to_owned())),
            [topic] => match help_for(topic) {
                Some(text) => Ok(Outcome::ok(text.to_owned())),
                None => Err(Failure::usage(format!(
                    "no command `{topic}`{} (see `rekindle --help`)",
                    did_you_mean(topic, COMMANDS.iter().copied())
                ))),
            },
            _ => Err(Failure::usage("`help` takes at most one command name")),
        },
        "check" => check(&rest),
        "lint" => lint::lint(&rest),
        "diff" => diff::diff(&rest),
        "test" => test(&rest),
        "assess" => assess(&rest),
        "progress" => progress::progress(&rest),
        "questions" => questions(&rest),
        "quiz" => quiz(&rest),
        "schema" => schema(&rest),
        other => Err(Failure::usage(format!(
            "unknown command `{other}`{} (see `rekindle --help`)",
            did_you_mean(other, COMMANDS.iter().copied())
        ))),
    }
}

fn unknown_option(name: &str) -> Failure {
    Failure::usage(format!(
        "unknown option {name}{} (see `rekindle --help`)",
        did_you_mean(name, ["--help", "--version"])
    ))
}

pub(crate) fn help_for(command: &str) -> Option<&'static str> {
    Some(match command {
        "check" => HELP_CHECK,
        "lint" => lint::HELP_LINT,
        "diff" => diff::HELP_DIFF,
        "test" => HELP_TEST,
        "assess" => HELP_ASSESS,
        "progress" => progress::HELP_PROGRESS,
        "questions" => HELP_QUESTIONS,
        "quiz" => HELP_QUIZ,
        "schema" => HELP_SCHEMA,
        "help" => HELP,
        _ => return None,
    })
}
