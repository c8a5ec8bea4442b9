//! `rekindle questions`: print the questionnaire.

use std::fmt::Write as _;

use rekindle::pack::{AnswerSpec, ContextFact, FactKind, Question, Section};
use rekindle::Engine;

use crate::args::{expect_positional, parse};
use crate::io::load_engine;
use crate::text::{num, plural};
use crate::{Outcome, Run};

pub(crate) const HELP_QUESTIONS: &str = "\
Usage: rekindle questions [--pack PACK] [--json]

Prints the questionnaire: sections, each question's id and prompt, its
answer options with the value to send and the weight it counts for, and the
context facts an app may pass with the answers.

Options:
  --pack PACK   The pack to use (default: the built-in pack)
  --json        Print them as JSON instead, as the pack writes them: keys
                pack (id, version, title, hash), sections, questions, context
";

/// What `questions --json` prints, keys in reading order.
#[derive(serde::Serialize)]
struct Questionnaire<'a> {
    pack: PackHeader<'a>,
    sections: &'a [Section],
    questions: &'a [Question],
    context: &'a [ContextFact],
}

#[derive(serde::Serialize)]
struct PackHeader<'a> {
    id: &'a str,
    version: &'a str,
    title: &'a str,
    hash: &'a str,
}

pub(crate) fn questions(args: &[String]) -> Run {
    let args = parse("questions", args, &["--json"], &["--pack"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_QUESTIONS.to_owned()));
    }
    expect_positional("questions", &args, "", 0, 0)?;
    let (_, engine) = load_engine(args.option("--pack"))?;
    let pack = engine.pack();
    if args.flag("--json") {
        let info = engine.info();
        let questionnaire = Questionnaire {
            pack: PackHeader {
                id: &info.id,
                version: &info.version,
                title: &pack.title,
                hash: &info.hash,
            },
            sections: &pack.sections,
            questions: &pack.questions,
            context: &pack.context,
        };
        return Outcome::json(&questionnaire, 0);
    }
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

pub(crate) fn section_heading(out: &mut String, engine: &Engine, section: Option<&str>) {
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

pub(crate) fn range_text(question: &Question) -> String {
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

pub(crate) fn fact_kind_text(fact: &ContextFact) -> String {
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
