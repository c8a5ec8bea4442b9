//! `rekindle quiz`: ask the questionnaire in the terminal, then show the plan.

use std::fmt::Write as _;
use std::io::{self, BufRead, IsTerminal, Write};

use rekindle::pack::{AnswerSpec, ContextFact, FactKind, Question};
use std::collections::HashMap;

use rekindle::{AnswersError, Engine, Responses, Value};

use crate::args::{day_option, expect_positional, parse};
use crate::assess::{answers_failure, render_report};
use crate::io::load_engine;
use crate::questions::{fact_kind_text, range_text, section_heading};
use crate::{Failure, Outcome, Run};

pub(crate) const HELP_QUIZ: &str = "\
Usage: rekindle quiz [--pack PACK] [--day N] [--json] [--couple]

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

With --couple, partner A answers first, then hands the device to partner
B (the quiz pauses and clears the screen in between), then the couple's
facts are asked. The shared plan is shown to both; then each private view
is shown to its owner alone, with a pause to hand the device over and the
screen cleared afterwards.

Options:
  --couple      Ask both partners in turn and show the couple's plan
  --pack PACK   The pack to use (default: the built-in pack); not `-`, since
                standard input carries the answers
  --day N       As for `rekindle assess`
  --json        Print the result as JSON
";

/// The quiz's conversation: lines in from standard input, prompts out to
/// standard error.
pub(crate) struct Conversation<R> {
    input: R,
    pub(crate) ended: bool,
    /// Input is piped rather than typed, so echo it to keep the transcript readable.
    echo: bool,
}

impl<R: BufRead> Conversation<R> {
    pub(crate) fn say(&self, text: &str) {
        let mut stderr = io::stderr().lock();
        let _ = write!(stderr, "{text}");
        let _ = stderr.flush();
    }

    /// The next line, trimmed; `None` at the end of input.
    pub(crate) fn read_line(&mut self) -> Option<String> {
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

pub(crate) fn quiz(args: &[String]) -> Run {
    let args = parse("quiz", args, &["--json", "--couple"], &["--pack", "--day"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_QUIZ.to_owned()));
    }
    expect_positional("quiz", &args, "", 0, 0)?;
    if args.option("--pack") == Some("-") {
        return Err(Failure::usage(
            "`--pack -` cannot be used with `quiz`: its answers come from standard input (see `rekindle quiz --help`)",
        ));
    }
    let day = day_option(&args)?;
    let (_, engine) = load_engine(args.option("--pack"))?;
    let stdin = io::stdin();
    let mut talk = Conversation {
        echo: !stdin.is_terminal(),
        input: stdin.lock(),
        ended: false,
    };
    if args.flag("--couple") {
        return crate::couple::quiz_couple(&mut talk, &engine, args.flag("--json"), day);
    }
    let mut responses = Responses {
        answers: ask_questions(&mut talk, &engine),
        ..Responses::default()
    };
    responses.context = ask_context(&mut talk, &engine);
    let total = engine.pack().questions.len();
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
        return Outcome::json(&rec, 0);
    }
    Ok(Outcome::ok(render_report(&engine, &rec, day)?))
}

/// Asks every question in turn; returns the answers given.
pub(crate) fn ask_questions<R: BufRead>(
    talk: &mut Conversation<R>,
    engine: &Engine,
) -> HashMap<String, Value> {
    let pack = engine.pack();
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
            section_heading(&mut heading, engine, section);
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
    responses.answers
}

/// Asks the context facts in turn; returns the facts given.
pub(crate) fn ask_context<R: BufRead>(talk: &mut Conversation<R>, engine: &Engine) -> HashMap<String, Value> {
    let pack = engine.pack();
    let mut responses = Responses::default();
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
    responses.context
}

pub(crate) fn first_problem(error: &AnswersError) -> String {
    match error.problems().first() {
        Some(problem) => format!("That answer does not fit: {}. Please try again.", problem.message),
        None => format!("That answer does not fit: {error}. Please try again."),
    }
}

pub(crate) fn yes_no(line: &str) -> Option<bool> {
    match line.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" => Some(true),
        "n" | "no" | "false" => Some(false),
        _ => None,
    }
}

pub(crate) fn interpret_answer(question: &Question, line: &str) -> Result<Value, String> {
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

pub(crate) fn interpret_fact(fact: &ContextFact, line: &str) -> Result<Value, String> {
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
