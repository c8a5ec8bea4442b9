//! The `rekindle` command line: the rule author's toolkit.
//!
//! `check` validates a pack, `test` runs fixtures, `assess` shows the plan
//! for a set of answers, `questions` prints the questionnaire, `quiz` asks
//! it in the terminal and `schema` prints the JSON Schemas. Each command
//! lives in its own module with its help text; `args` parses arguments and
//! `io` reads files.
//!
//! Exit status: 0 on success; 1 when the pack, the fixtures or the answers
//! were read and found wrong; 2 for usage errors and unreadable files.
//! Errors go to standard error as one line naming the file and the problem.

mod args;
mod assess;
mod check;
mod io;
mod questions;
mod quiz;
mod schema;
mod test;
mod text;

use std::io::Write;
use std::process::ExitCode;

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

/// What a command printed and how it ended.
pub(crate) struct Outcome {
    pub(crate) stdout: String,
    pub(crate) code: u8,
}

impl Outcome {
    fn ok(stdout: String) -> Self {
        Outcome { stdout, code: 0 }
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

pub(crate) fn run(args: &[String]) -> Run {
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

pub(crate) fn help_for(command: &str) -> Option<&'static str> {
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
