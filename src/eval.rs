//! Evaluation: check answers against the pack, then decide which rules fire.
//!
//! A condition on something unknown (a missing answer, an absent score, a
//! context fact not given) is false. `not` of such a condition is therefore
//! true; use `answered` when that matters.

use std::collections::HashMap;

use crate::compile::{number_text, Cond, FactModel, Program, QuestionKind, Test};
use crate::error::{cap_problems, key_path, name_list, Problem, ProblemKind};
use crate::input::{Responses, Value};
use crate::score::{score_all, Given, Scored};

/// Everything conditions can look at, by index.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) answers: Vec<Option<Given>>,
    pub(crate) facts: Vec<Option<Given>>,
    pub(crate) scores: Vec<Scored>,
    pub(crate) partner_answers: Option<Vec<Option<Given>>>,
}

impl State {
    /// Validates responses and scores them; every problem is reported.
    pub(crate) fn build(program: &Program, responses: &Responses) -> Result<State, Vec<Problem>> {
        let mut problems = Vec::new();
        let answers = resolve_answers(program, &responses.answers, "answers", &mut problems);
        let facts = resolve_facts(program, &responses.context, &mut problems);
        let partner_answers = responses
            .partner_answers
            .as_ref()
            .map(|p| resolve_answers(program, p, "partner_answers", &mut problems));
        if !problems.is_empty() {
            problems.sort_by(|a, b| a.path.cmp(&b.path));
            cap_problems(&mut problems, program.limits.max_problems.max(1), 0);
            return Err(problems);
        }
        let mut scores = Vec::with_capacity(program.dimensions.len());
        score_all(program, &answers, &mut scores);
        Ok(State {
            answers,
            facts,
            scores,
            partner_answers,
        })
    }
}

fn too_many(count: usize, limit: usize, path: &str, problems: &mut Vec<Problem>) -> bool {
    if count > limit {
        problems.push(Problem::new(
            ProblemKind::TooManyAnswers,
            path,
            format!("{count} entries, over the limit of {limit}"),
        ));
        return true;
    }
    false
}

fn wrong_type(path: String, expected: &str, got: &Value) -> Problem {
    Problem::new(
        ProblemKind::WrongType,
        path,
        format!("expected {expected}, got {}", got.type_name()),
    )
}

fn resolve_answers(
    program: &Program,
    given: &HashMap<String, Value>,
    list: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Option<Given>> {
    let mut answers = vec![None; program.questions.len()];
    if too_many(given.len(), program.limits.max_answers, list, problems) {
        return answers;
    }
    for (id, value) in given {
        // Only a problem needs the path: valid answers allocate nothing here.
        let path = || key_path(list, id);
        let Some(&q) = program.question_index.get(id) else {
            problems.push(Problem::new(
                ProblemKind::UnknownQuestion,
                path(),
                "the pack has no question with this id",
            ));
            continue;
        };
        let resolved = match (&program.questions[q].kind, value) {
            (QuestionKind::Options { values, .. }, Value::Text { value }) => {
                match values.iter().position(|v| v == value) {
                    Some(i) => Ok(Given::Option(i)),
                    None => Err(Problem::new(
                        ProblemKind::UnknownOption,
                        path(),
                        format!(
                            "not one of the question's options ({})",
                            name_list(values.iter().map(String::as_str))
                        ),
                    )),
                }
            }
            (QuestionKind::Options { .. }, other) => {
                Err(wrong_type(path(), "an option value (a string)", other))
            }
            (QuestionKind::Range { min, max, step }, Value::Number { value }) => {
                check_number(*value, *min, *max, *step, path).map(Given::Number)
            }
            (QuestionKind::Range { .. }, other) => Err(wrong_type(path(), "a number", other)),
            (QuestionKind::YesNo, Value::Bool { value }) => Ok(Given::Bool(*value)),
            (QuestionKind::YesNo, other) => Err(wrong_type(path(), "true or false", other)),
        };
        match resolved {
            Ok(given) => answers[q] = Some(given),
            Err(problem) => problems.push(problem),
        }
    }
    answers
}

fn resolve_facts(
    program: &Program,
    given: &HashMap<String, Value>,
    problems: &mut Vec<Problem>,
) -> Vec<Option<Given>> {
    let mut facts = vec![None; program.facts.len()];
    if too_many(given.len(), program.limits.max_answers, "context", problems) {
        return facts;
    }
    for (id, value) in given {
        let path = || key_path("context", id);
        let Some(&f) = program.fact_index.get(id) else {
            problems.push(Problem::new(
                ProblemKind::UnknownContext,
                path(),
                "the pack declares no context fact with this id",
            ));
            continue;
        };
        let resolved = match (&program.facts[f], value) {
            (FactModel::Bool, Value::Bool { value }) => Ok(Given::Bool(*value)),
            (FactModel::Bool, other) => Err(wrong_type(path(), "true or false", other)),
            (FactModel::Number { min, max }, Value::Number { value }) => {
                check_number(*value, *min, *max, None, path).map(Given::Number)
            }
            (FactModel::Number { .. }, other) => Err(wrong_type(path(), "a number", other)),
            (FactModel::Choice { choices }, Value::Text { value }) => {
                match choices.iter().position(|c| c == value) {
                    Some(i) => Ok(Given::Option(i)),
                    None => Err(Problem::new(
                        ProblemKind::UnknownOption,
                        path(),
                        format!(
                            "not one of the fact's choices ({})",
                            name_list(choices.iter().map(String::as_str))
                        ),
                    )),
                }
            }
            (FactModel::Choice { .. }, other) => {
                Err(wrong_type(path(), "one of the choices (a string)", other))
            }
        };
        match resolved {
            Ok(given) => facts[f] = Some(given),
            Err(problem) => problems.push(problem),
        }
    }
    facts
}

fn check_number(
    value: f64,
    min: f64,
    max: f64,
    step: Option<f64>,
    path: impl FnOnce() -> String,
) -> Result<f64, Problem> {
    if !value.is_finite() || value < min || value > max {
        return Err(Problem::new(
            ProblemKind::OutOfRange,
            path(),
            format!("must be a number from {min} to {max}"),
        ));
    }
    if let Some(step) = step {
        let steps = (value - min) / step;
        if (steps - steps.round()).abs() > 1e-9 {
            return Err(Problem::new(
                ProblemKind::OutOfRange,
                path(),
                format!("must be {min} plus a multiple of {step}"),
            ));
        }
    }
    // -0 is 0: the same answer gives the same result, trace included.
    Ok(if value == 0.0 { 0.0 } else { value })
}

/// True when the condition holds. No allocation, no trace.
pub(crate) fn holds(cond: &Cond, program: &Program, state: &State) -> bool {
    match cond {
        Cond::All(list) => list.iter().all(|c| holds(c, program, state)),
        Cond::Any(list) => list.iter().any(|c| holds(c, program, state)),
        Cond::Not(inner) => !holds(inner, program, state),
        Cond::AtLeast(n, list) => {
            let mut count = 0;
            for c in list.iter() {
                if holds(c, program, state) {
                    count += 1;
                    if count >= *n {
                        return true;
                    }
                }
            }
            false
        }
        Cond::Leaf(test, _) => test_holds(*test, program, state),
    }
}

fn test_holds(test: Test, program: &Program, state: &State) -> bool {
    match test {
        Test::Score {
            dimension,
            cmp,
            value,
        } => state.scores[dimension].score.is_some_and(|s| cmp.holds(s, value)),
        Test::Band { dimension, bands } => state.scores[dimension]
            .band
            .is_some_and(|b| bands & (1 << b) != 0),
        Test::AnswerNumber { question, cmp, value } => state.answers[question]
            .is_some_and(|given| cmp.holds(given.value(&program.questions[question]), value)),
        Test::AnswerOption { question, options } => {
            matches!(state.answers[question], Some(Given::Option(i)) if options & (1 << i) != 0)
        }
        Test::AnswerBool { question, value } => state.answers[question] == Some(Given::Bool(value)),
        Test::FactNumber { fact, cmp, value } => {
            matches!(state.facts[fact], Some(Given::Number(n)) if cmp.holds(n, value))
        }
        Test::FactChoice { fact, choices } => {
            matches!(state.facts[fact], Some(Given::Option(i)) if choices & (1 << i) != 0)
        }
        Test::FactBool { fact, value } => state.facts[fact] == Some(Given::Bool(value)),
        Test::Answered { question } => state.answers[question].is_some(),
        Test::Unanswered { question } => state.answers[question].is_none(),
    }
}

/// A leaf that decided a fired rule, with the value it saw.
#[derive(Debug, Clone)]
pub(crate) struct LeafHit {
    pub(crate) leaf: u32,
    pub(crate) held: bool,
    /// The test, to put the value it saw into words later.
    pub(crate) test: Test,
}

/// Evaluates like [`holds`] and records the leaves that decided the result:
/// the children that held, or, under a `not`, the children that failed
/// (their leaves are recorded with `held: false`).
pub(crate) fn explain(cond: &Cond, program: &Program, state: &State, out: &mut Vec<LeafHit>) -> bool {
    explain_as(cond, program, state, false, out)
}

/// `negated` is true under an odd number of `not`s, where a child that
/// failed is what made the whole condition hold.
fn explain_as(cond: &Cond, program: &Program, state: &State, negated: bool, out: &mut Vec<LeafHit>) -> bool {
    let child = |c: &Cond, out: &mut Vec<LeafHit>| {
        let mark = out.len();
        let held = explain_as(c, program, state, negated, out);
        if held == negated {
            out.truncate(mark);
        }
        held
    };
    match cond {
        Cond::All(list) => {
            let mut ok = true;
            for c in list.iter() {
                ok &= child(c, out);
            }
            ok
        }
        Cond::Any(list) => {
            let mut any = false;
            for c in list.iter() {
                any |= child(c, out);
            }
            any
        }
        Cond::AtLeast(n, list) => {
            let mut count = 0;
            for c in list.iter() {
                count += usize::from(child(c, out));
            }
            count >= *n
        }
        Cond::Not(inner) => !explain_as(inner, program, state, !negated, out),
        Cond::Leaf(test, leaf) => {
            let held = test_holds(*test, program, state);
            out.push(LeafHit {
                leaf: *leaf,
                held,
                test: *test,
            });
            held
        }
    }
}

/// The value a leaf looked at, in words, for the trace.
pub(crate) fn actual_value(test: Test, program: &Program, state: &State) -> String {
    let answer = |q: usize| match state.answers[q] {
        None => "unanswered".to_owned(),
        Some(Given::Option(i)) => match &program.questions[q].kind {
            QuestionKind::Options { shown, .. } => shown[i].clone(),
            _ => "unanswered".to_owned(),
        },
        Some(Given::Number(n)) => number_text(n),
        Some(Given::Bool(b)) => b.to_string(),
    };
    let fact = |f: usize| match (state.facts[f], &program.facts[f]) {
        (None, _) => "not given".to_owned(),
        (Some(Given::Option(i)), FactModel::Choice { choices }) => choices[i].clone(),
        (Some(Given::Number(n)), _) => number_text(n),
        (Some(Given::Bool(b)), _) => b.to_string(),
        (Some(Given::Option(_)), _) => "not given".to_owned(),
    };
    match test {
        Test::Score { dimension, .. } => match state.scores[dimension].score {
            Some(score) => number_text(score),
            None => "absent (too few answers)".to_owned(),
        },
        Test::Band { dimension, .. } => match state.scores[dimension].band {
            Some(b) => program.pack.dimensions[dimension].bands[b].id.clone(),
            None => "absent (too few answers)".to_owned(),
        },
        Test::AnswerNumber { question, .. }
        | Test::AnswerOption { question, .. }
        | Test::AnswerBool { question, .. }
        | Test::Answered { question }
        | Test::Unanswered { question } => answer(question),
        Test::FactNumber { fact: f, .. }
        | Test::FactChoice { fact: f, .. }
        | Test::FactBool { fact: f, .. } => fact(f),
    }
}
