//! Evaluation: check answers against the pack, then decide which rules fire.
//!
//! A condition on something unknown (a missing answer, an absent score, a
//! context fact not given) is false. `not` of such a condition is therefore
//! true; use `answered` when that matters.
//!
//! Conditions read a [`Subject`]: one [`Person`] (single mode, and every
//! rule about one person in couple mode) or a [`Couple`] (couple rules).

use std::collections::HashMap;

use crate::compile::{
    number_text, Cond, FactModel, Pair, Program, QuestionKind, Test, TREND_BETTER, TREND_STEADY, TREND_WORSE,
};
use crate::error::{cap_problems, key_path, name_list, Problem, ProblemKind};
use crate::input::{Responses, Value};
use crate::progress::{day_number, history, Direction, History};
use crate::reuse::Reused;
use crate::score::{score_all, Given, Scored};
use crate::text::{PackText, Texts};

/// Everything conditions can look at, by index.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) answers: Reused<Option<Given>>,
    pub(crate) facts: Reused<Option<Given>>,
    pub(crate) scores: Reused<Scored>,
    /// What earlier snapshots say, when the app gave any.
    pub(crate) history: Option<History>,
}

impl State {
    /// Validates responses and scores them; every problem is reported.
    pub(crate) fn build(program: &Program, responses: &Responses) -> Result<State, Vec<Problem>> {
        let mut problems = Vec::new();
        let answers = resolve_answers(program, &responses.answers, "answers", &mut problems);
        let facts = resolve_facts(program, &responses.context, &mut problems);
        check_date(responses.date.as_deref(), "date", &mut problems);
        let history = history(
            program,
            &responses.previous,
            responses.date.as_deref(),
            "previous",
            &mut problems,
        );
        sorted(problems, program)?;
        let mut state = State::scored(program, answers, facts);
        state.history = history;
        Ok(state)
    }

    /// The state of validated answers and facts, with their scores.
    pub(crate) fn scored(
        program: &Program,
        answers: Reused<Option<Given>>,
        facts: Reused<Option<Given>>,
    ) -> State {
        let mut scores = Reused::new();
        score_all(program, &answers, &mut scores);
        State {
            answers,
            facts,
            scores,
            history: None,
        }
    }
}

/// The assessment's own date, when given, must be a date.
pub(crate) fn check_date(date: Option<&str>, path: &str, problems: &mut Vec<Problem>) {
    if date.is_some_and(|d| day_number(d).is_none()) {
        problems.push(Problem::new(
            ProblemKind::InvalidDate,
            path,
            "not a date of the form YYYY-MM-DD",
        ));
    }
}

/// Every problem, sorted by path and capped at the engine's limit, or nothing.
pub(crate) fn sorted(mut problems: Vec<Problem>, program: &Program) -> Result<(), Vec<Problem>> {
    if problems.is_empty() {
        return Ok(());
    }
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    cap_problems(&mut problems, program.limits.max_problems.max(1), 0);
    Err(problems)
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

/// Whether two short texts are equal, compared in place: an answer is
/// matched against each of its question's options, and a call to `memcmp`
/// per option cost more than the comparison itself.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |bytes: &[u8], at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    match n {
        0..8 => a.iter().zip(b).all(|(x, y)| x == y),
        // Two words that overlap in the middle cover the whole text.
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

pub(crate) fn resolve_answers(
    program: &Program,
    given: &HashMap<String, Value>,
    list: &str,
    problems: &mut Vec<Problem>,
) -> Reused<Option<Given>> {
    let mut answers = Reused::filled(None, program.questions.len());
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
                unknown_id(
                    "the pack has no question with this id",
                    id,
                    program.question_index.keys(),
                    problems.len(),
                ),
            ));
            continue;
        };
        let resolved = match (&program.questions[q].kind, value) {
            (QuestionKind::Options { values, .. }, Value::Text { value }) => {
                match values.iter().position(|v| same_text(v, value)) {
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

/// `message`, with the id the caller most likely meant when `id` looks
/// like a typo of one (ids only: the key is the caller's, never an answer).
/// Only the first few problems are searched, so thousands of unknown keys
/// cost no more than a few.
fn unknown_id<'a>(
    message: &str,
    id: &str,
    ids: impl Iterator<Item = &'a String> + Clone,
    earlier: usize,
) -> String {
    const SUGGESTED: usize = 8;
    let near = (earlier < SUGGESTED)
        .then(|| crate::error::closest(id, ids.map(String::as_str)))
        .flatten();
    match near {
        Some(near) => format!("{message}; did you mean {near:?}?"),
        None => message.to_owned(),
    }
}

pub(crate) fn resolve_facts(
    program: &Program,
    given: &HashMap<String, Value>,
    problems: &mut Vec<Problem>,
) -> Reused<Option<Given>> {
    let mut facts = Reused::filled(None, program.facts.len());
    if too_many(given.len(), program.limits.max_answers, "context", problems) {
        return facts;
    }
    for (id, value) in given {
        let path = || key_path("context", id);
        let Some(&f) = program.fact_index.get(id) else {
            problems.push(Problem::new(
                ProblemKind::UnknownContext,
                path(),
                unknown_id(
                    "the pack declares no context fact with this id",
                    id,
                    program.fact_index.keys(),
                    problems.len(),
                ),
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
                match choices.iter().position(|c| same_text(c, value)) {
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

/// What conditions read: one person, or a couple.
pub(crate) trait Subject {
    /// A leaf about one person, or about the couple's context.
    fn leaf(&self, test: Test) -> bool;
    /// A couple leaf: the test for either or both partners, or a gap.
    fn pair(&self, pair: Pair, test: Test) -> bool;
}

/// One person's answers and scores, with the couple's context.
pub(crate) struct Person<'a> {
    pub(crate) program: &'a Program,
    pub(crate) state: &'a State,
}

impl Subject for Person<'_> {
    fn leaf(&self, test: Test) -> bool {
        test_holds(test, self.program, self.state)
    }

    /// Couple rules are skipped in single mode; were one evaluated, its
    /// couple leaves would be unknown, and unknown is false.
    fn pair(&self, _: Pair, _: Test) -> bool {
        false
    }
}

/// Both partners. The context is the couple's, the same in both states.
pub(crate) struct Couple<'a> {
    pub(crate) program: &'a Program,
    pub(crate) a: &'a State,
    pub(crate) b: &'a State,
}

impl Subject for Couple<'_> {
    fn leaf(&self, test: Test) -> bool {
        // Compiling makes every leaf of a couple rule that reads a person
        // say whose; what is left reads the context.
        test_holds(test, self.program, self.a)
    }

    fn pair(&self, pair: Pair, test: Test) -> bool {
        match pair {
            Pair::Either => test_holds(test, self.program, self.a) || test_holds(test, self.program, self.b),
            Pair::Both => test_holds(test, self.program, self.a) && test_holds(test, self.program, self.b),
            Pair::Gap => {
                gap(test, self.program, self.a, self.b).is_some_and(|(cmp, gap, value)| cmp.holds(gap, value))
            }
        }
    }
}

/// The comparison, the gap between the partners and the value it is
/// compared with; `None` when either partner's value is unknown.
fn gap(test: Test, program: &Program, a: &State, b: &State) -> Option<(crate::compile::Cmp, f64, f64)> {
    match test {
        Test::ScoreGap {
            dimension,
            cmp,
            value,
        } => {
            let (x, y) = (a.scores[dimension].score?, b.scores[dimension].score?);
            Some((cmp, round_gap(x - y), value))
        }
        Test::AnswerGap { question, cmp, value } => {
            let model = &program.questions[question];
            let (x, y) = (
                a.answers[question]?.value(model),
                b.answers[question]?.value(model),
            );
            Some((cmp, round_gap(x - y), value))
        }
        _ => None,
    }
}

/// Gaps are compared at the precision scores are reported with.
fn round_gap(difference: f64) -> f64 {
    (difference.abs() * 1e6).round() / 1e6
}

/// True when the condition holds. No allocation, no trace.
pub(crate) fn holds(cond: &Cond, subject: &impl Subject) -> bool {
    match cond {
        Cond::All(list) => list.iter().all(|c| holds(c, subject)),
        Cond::Any(list) => list.iter().any(|c| holds(c, subject)),
        Cond::Not(inner) => !holds(inner, subject),
        Cond::AtLeast(n, list) => {
            let mut count = 0;
            for c in list.iter() {
                if holds(c, subject) {
                    count += 1;
                    if count >= *n {
                        return true;
                    }
                }
            }
            false
        }
        Cond::Leaf(test, _) => subject.leaf(*test),
        Cond::Couple(pair, test, _) => subject.pair(*pair, *test),
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
        Test::Raw {
            dimension,
            cmp,
            value,
        } => state.scores[dimension].raw.is_some_and(|r| cmp.holds(r, value)),
        Test::Change {
            dimension,
            cmp,
            value,
        } => {
            let before = state.history.as_ref().and_then(|h| h.scores[dimension]);
            match (state.scores[dimension].score, before) {
                (Some(now), Some(before)) => cmp.holds(((now - before) * 1e6).round() / 1e6, value),
                _ => false,
            }
        }
        Test::Trend {
            dimension,
            directions,
        } => state.history.as_ref().is_some_and(|h| {
            let bit = match h.direction(program, dimension, state.scores[dimension].score) {
                Direction::Better => TREND_BETTER,
                Direction::Worse => TREND_WORSE,
                Direction::Steady => TREND_STEADY,
                Direction::Unknown => 0,
            };
            directions & bit != 0
        }),
        Test::PreviousBand { dimension, bands } => state
            .history
            .as_ref()
            .and_then(|h| h.bands[dimension])
            .is_some_and(|b| bands & (1 << b) != 0),
        Test::PreviousChallenge { challenge } => {
            state.history.as_ref().and_then(|h| h.challenge) == Some(challenge)
        }
        Test::PreviousPhase { challenge, phase } => {
            state.history.as_ref().and_then(|h| h.phase) == Some((challenge, phase))
        }
        Test::PreviousDay { cmp, value } => state
            .history
            .as_ref()
            .and_then(|h| h.day)
            .is_some_and(|day| cmp.holds(f64::from(day), value)),
        Test::DaysSince { cmp, value } => state
            .history
            .as_ref()
            .and_then(|h| h.days_since)
            .is_some_and(|days| cmp.holds(f64::from(days), value)),
        // Gaps need two people; see `Couple`.
        Test::ScoreGap { .. } | Test::AnswerGap { .. } => false,
    }
}

/// A leaf that decided a fired rule, with the value it saw.
#[derive(Debug, Clone)]
pub(crate) struct LeafHit {
    pub(crate) leaf: u32,
    pub(crate) held: bool,
    /// The test, to put the value it saw into words later.
    pub(crate) test: Test,
    /// For a couple leaf, how it read the partners.
    pub(crate) pair: Option<Pair>,
}

/// Evaluates like [`holds`] and records the leaves that decided the result:
/// the children that held, or, under a `not`, the children that failed
/// (their leaves are recorded with `held: false`).
pub(crate) fn explain(cond: &Cond, subject: &impl Subject, out: &mut Vec<LeafHit>) -> bool {
    explain_as(cond, subject, false, out)
}

/// `negated` is true under an odd number of `not`s, where a child that
/// failed is what made the whole condition hold.
fn explain_as(cond: &Cond, subject: &impl Subject, negated: bool, out: &mut Vec<LeafHit>) -> bool {
    let child = |c: &Cond, out: &mut Vec<LeafHit>| {
        let mark = out.len();
        let held = explain_as(c, subject, negated, out);
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
        Cond::Not(inner) => !explain_as(inner, subject, !negated, out),
        Cond::Leaf(test, leaf) => {
            let held = subject.leaf(*test);
            out.push(LeafHit {
                leaf: *leaf,
                held,
                test: *test,
                pair: None,
            });
            held
        }
        Cond::Couple(pair, test, leaf) => {
            let held = subject.pair(*pair, *test);
            out.push(LeafHit {
                leaf: *leaf,
                held,
                test: *test,
                pair: Some(*pair),
            });
            held
        }
    }
}

/// The value a leaf looked at, in words, for the trace.
pub(crate) fn actual_value(test: Test, program: &Program, state: &State) -> PackText {
    let values = &program.texts.values;
    // Options, choices and fixed words are the engine's own texts; only
    // numbers and progress are written out here.
    let answer = |q: usize| match state.answers[q] {
        None => values.unanswered.clone(),
        Some(Given::Option(i)) => values.options[q].get(i).unwrap_or(&values.unanswered).clone(),
        Some(Given::Number(n)) => Texts::number(n),
        Some(Given::Bool(b)) => values.bool(b),
    };
    let fact = |f: usize| match state.facts[f] {
        None => values.not_given.clone(),
        Some(Given::Option(i)) => values.choices[f].get(i).unwrap_or(&values.not_given).clone(),
        Some(Given::Number(n)) => Texts::number(n),
        Some(Given::Bool(b)) => values.bool(b),
    };
    match test {
        Test::Score { dimension, .. } => match state.scores[dimension].score {
            Some(score) => Texts::number(score),
            None => values.absent.clone(),
        },
        Test::Raw { dimension, .. } => match state.scores[dimension].raw {
            Some(raw) => Texts::number(raw),
            None => values.absent.clone(),
        },
        Test::Band { dimension, .. } => match state.scores[dimension].band {
            Some(b) => program.texts.dimensions[dimension].bands[b].0.clone(),
            None => values.absent.clone(),
        },
        Test::AnswerNumber { question, .. }
        | Test::AnswerOption { question, .. }
        | Test::AnswerBool { question, .. }
        | Test::Answered { question }
        | Test::Unanswered { question } => answer(question),
        Test::FactNumber { fact: f, .. }
        | Test::FactChoice { fact: f, .. }
        | Test::FactBool { fact: f, .. } => fact(f),
        Test::ScoreGap { .. } | Test::AnswerGap { .. } => PackText::from("unknown (one person)"),
        Test::Change { dimension, .. }
        | Test::Trend { dimension, .. }
        | Test::PreviousBand { dimension, .. } => match &state.history {
            None => PackText::from("no earlier snapshot"),
            Some(h) => {
                let band = h.bands[dimension]
                    .and_then(|b| program.pack.dimensions[dimension].bands.get(b))
                    .map_or("none", |b| b.id.as_str());
                let show = |v: Option<f64>| v.map_or("absent".to_owned(), number_text);
                PackText::from(format!(
                    "before {} (band {band}), now {}, {}",
                    show(h.scores[dimension]),
                    show(state.scores[dimension].score),
                    h.direction(program, dimension, state.scores[dimension].score)
                        .name()
                ))
            }
        },
        Test::PreviousChallenge { .. }
        | Test::PreviousPhase { .. }
        | Test::PreviousDay { .. }
        | Test::DaysSince { .. } => match &state.history {
            None => PackText::from("no earlier snapshot"),
            Some(h) => {
                let phase = h
                    .phase
                    .map_or("none", |(c, p)| program.pack.challenges[c].phases[p].id.as_str());
                let day = h.day.map_or("not given".to_owned(), |d| d.to_string());
                let since = h.days_since.map_or("unknown".to_owned(), |d| d.to_string());
                PackText::from(format!("phase {phase}, day {day}, {since} days since"))
            }
        },
    }
}

/// The values a couple leaf looked at, in words, for an author's trace.
pub(crate) fn couple_value(test: Test, pair: Pair, program: &Program, a: &State, b: &State) -> PackText {
    PackText::from(match pair {
        Pair::Gap => match gap(test, program, a, b) {
            Some((_, gap, _)) => format!("gap {}", number_text(gap)),
            None => "unknown (a partner's value is missing)".to_owned(),
        },
        Pair::Either | Pair::Both => format!(
            "a: {}; b: {}",
            actual_value(test, program, a),
            actual_value(test, program, b)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::same_text;

    #[test]
    fn same_text_agrees_with_equality_at_every_length() {
        let texts = [
            "",
            "a",
            "b",
            "often",
            "oftem",
            "sometime",
            "sometimf",
            "sometimes",
            "tometimes",
            "almost_always",
            "almost_alwayz",
            "a_sixteen_chars_",
            "a_sixteen_chars!",
            "seventeen_chars_x",
            "seventeen_chars_y",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} vs {b:?}");
            }
        }
    }
}
