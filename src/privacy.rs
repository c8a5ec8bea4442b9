//! Couple mode's privacy model: which rules compare the partners, which read
//! private answers, and the checks, made when a pack is compiled, that keep
//! private answers out of what the other partner reads.
//!
//! | in the view | shared | own view | the other partner's view |
//! |---|---|---|---|
//! | answers and scores | couple scores of `shared_dimensions` only | all of one's own | nothing of the other's |
//! | private questions and dimensions | never, not even as a gap | one's own | never |
//! | effects and reasons of rules that read private items | never | yes, for one's own answers | never |
//! | the safety notice, resources, safety rule ids | never | only if one's own answers raised it | never |
//! | couples content when the gate or a `neutral_plan` rule is up | replaced by the neutral plan | as in shared | as in shared |
//!
//! What compiling enforces:
//!
//! - a dimension with a private item is private, and `shared_dimensions`
//!   lists none;
//! - the questions that safety and `neutral_plan` rules read are private, so
//!   no score or gap can reflect them;
//! - no couple leaf (`gap`, `answer_gap`, `whose: either` or `both`) reads
//!   a private item or dimension: with two people, each knows their own
//!   answers, so each would tell one partner what the other answered;
//! - rules about one person (safety, `neutral_plan`, `view: own`) have no
//!   couple leaves, and a couple rule says whose answers each leaf reads.
//!
//! What assessing enforces: a rule that reads a private item counts only in
//! the own view of the partner it held for, whatever its `view` (see
//! [`own_view_only`]). The one shared trace of a private answer is the
//! neutral plan, which an ordinary answer reaches too.

use std::collections::HashMap;

use crate::compile::{Cond, LeafInfo, Limits, Pair, Refs, RuleModel, TagMask, Test};
use crate::error::{Problem, ProblemKind};
use crate::pack::{Effects, Pack, View};

/// The rule id the neutral plan's reason names in a shared view.
pub(crate) const NEUTRAL_PLAN_ID: &str = "couple.neutral_plan";

/// True for rules that are always about one person: they raise the safety
/// flag, ask for the neutral plan, or write to a partner's own view.
pub(crate) fn personal_rule(then: &Effects) -> bool {
    then.safety || then.neutral_plan || then.view == View::Own
}

/// True for rules whose effects count only in the own view of the partner
/// they held for: rules about one person, and rules that read a private
/// question or dimension. Each partner knows their own answers, so anything
/// such a rule put in the shared plan would tell them what the other
/// answered: whatever they did not cause, the other did.
pub(crate) fn own_view_only(model: &RuleModel, then: &Effects) -> bool {
    personal_rule(then) || model.access.private
}

/// What a rule's condition reads, for couple mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Access {
    /// It compares or combines the partners: evaluated once per couple, and
    /// skipped in single mode.
    pub(crate) couple: bool,
    /// It reads a private question or dimension.
    pub(crate) private: bool,
}

impl Access {
    pub(crate) fn of(cond: &Cond, pack: &Pack) -> Access {
        let mut access = Access::default();
        for_each_leaf(cond, &mut |pair, test, _| {
            access.couple |= pair.is_some();
            access.private |= reads_private(test, pack);
        });
        access
    }
}

/// Couple-mode settings, resolved.
#[derive(Debug, Default)]
pub(crate) struct CoupleModel {
    /// Dimensions whose couple score the shared view shows, in pack order.
    pub(crate) shared_dimensions: Vec<usize>,
    /// Focus areas of the neutral plan, in the order the pack lists them.
    pub(crate) neutral_focus: Vec<usize>,
    /// The neutral plan's therapy level (the baseline when none is given).
    pub(crate) neutral_therapy: usize,
}

/// What [`check`] looks at.
pub(crate) struct Checked<'a> {
    pub(crate) rules: &'a [RuleModel],
    pub(crate) leaves: &'a [LeafInfo],
    pub(crate) refs: &'a Refs<'a>,
    /// Tags the safety gate suppresses.
    pub(crate) suppress: TagMask,
    pub(crate) focus_tags: &'a [TagMask],
    pub(crate) therapy_tags: &'a [TagMask],
    pub(crate) limits: &'a Limits,
}

/// Checks the privacy model and resolves the couple settings.
pub(crate) fn check(c: &Checked<'_>, problems: &mut Vec<Problem>) -> CoupleModel {
    let pack = c.refs.pack;
    let mut problem = |kind, path: String, message: String| problems.push(Problem::new(kind, path, message));

    for (i, dim) in pack.dimensions.iter().enumerate() {
        if dim.private {
            continue;
        }
        for (j, item) in dim.items.iter().enumerate() {
            let private = c
                .refs
                .questions
                .get(&item.question)
                .is_some_and(|&q| pack.questions[q].private);
            if private {
                problem(
                    ProblemKind::PrivateExposed,
                    format!("dimensions[{i}].items[{j}].question"),
                    format!(
                        "question {:?} is private but dimension {:?} is not, so its score would reach the other partner: mark the dimension private",
                        item.question, dim.id
                    ),
                );
            }
        }
    }

    for (i, (rule, model)) in pack.rules.iter().zip(c.rules).enumerate() {
        let then = &rule.then;
        let one_person = then.safety || then.neutral_plan;
        let mut ambiguous = None;
        for_each_leaf(&model.when, &mut |pair, test, leaf| {
            let path = || {
                c.leaves
                    .get(leaf as usize)
                    .map_or_else(String::new, |l| l.path.to_string())
            };
            let private = reads_private(test, pack);
            if one_person && !private && reads_person(test) {
                let what = if then.safety { "safety" } else { "neutral_plan" };
                problem(
                    ProblemKind::PrivateExposed,
                    path(),
                    format!("a {what} rule may only read private questions, so that nothing the other partner reads can reflect the answer"),
                );
            }
            match pair {
                Some(_) if private => problem(
                    ProblemKind::PrivateExposed,
                    format!("{}.{}", path(), pair_subject(pair, test)),
                    "a couple leaf (a gap, or \"whose\") on a private question or dimension tells one partner what the other answered, as each knows their own answers: read it in a rule about one person, whose effects reach only that partner's own view".to_owned(),
                ),
                None if model.access.couple && reads_person(test) && ambiguous.is_none() => {
                    ambiguous = Some(path());
                }
                _ => {}
            }
        });
        if let Some(path) = ambiguous {
            problem(
                ProblemKind::InvalidCondition,
                path,
                "this rule compares the partners, so each leaf that reads answers or scores must say \"whose\": \"either\" or \"both\"".to_owned(),
            );
        }
        if rule.id == NEUTRAL_PLAN_ID {
            problem(
                ProblemKind::DuplicateId,
                format!("rules[{i}].id"),
                format!("{NEUTRAL_PLAN_ID:?} names the neutral plan's reason in couple results"),
            );
        }
    }

    let mut model = CoupleModel::default();
    let Some(settings) = &pack.couple else {
        return model;
    };
    let mut seen = HashMap::new();
    for (i, id) in settings.shared_dimensions.iter().enumerate() {
        let path = format!("couple.shared_dimensions[{i}]");
        match c.refs.dimensions.get(id.as_str()) {
            None => problem(
                ProblemKind::UnknownReference,
                path,
                format!("unknown dimension {id:?}"),
            ),
            Some(&d) if pack.dimensions[d].private => problem(
                ProblemKind::PrivateExposed,
                path,
                format!("dimension {id:?} is private, so its couple score cannot be shared"),
            ),
            Some(&d) => {
                if seen.insert(d, i).is_some() {
                    problem(
                        ProblemKind::DuplicateId,
                        path,
                        format!("dimension {id:?} is listed twice"),
                    );
                } else {
                    model.shared_dimensions.push(d);
                }
            }
        }
    }
    model.shared_dimensions.sort_unstable();
    if let Some(plan) = &settings.neutral_plan {
        for (i, id) in plan.focus_areas.iter().enumerate() {
            let path = format!("couple.neutral_plan.focus_areas[{i}]");
            match c.refs.focus.get(id.as_str()) {
                None => problem(
                    ProblemKind::UnknownReference,
                    path,
                    format!("unknown focus area {id:?}"),
                ),
                Some(&f) if c.focus_tags[f] & c.suppress != 0 => problem(
                    ProblemKind::InvalidSuppression,
                    path,
                    format!("focus area {id:?} carries a tag the safety gate suppresses"),
                ),
                Some(&f) if model.neutral_focus.contains(&f) => problem(
                    ProblemKind::DuplicateId,
                    path,
                    format!("focus area {id:?} is listed twice"),
                ),
                Some(&f) => model.neutral_focus.push(f),
            }
        }
        let path = "couple.neutral_plan.therapy_level".to_owned();
        match c.refs.therapy.get(plan.therapy_level.as_str()) {
            None => problem(
                ProblemKind::UnknownReference,
                path,
                format!("unknown therapy level {:?}", plan.therapy_level),
            ),
            Some(&t) if c.therapy_tags[t] & c.suppress != 0 => problem(
                ProblemKind::InvalidSuppression,
                path,
                format!(
                    "therapy level {:?} carries a tag the safety gate suppresses",
                    plan.therapy_level
                ),
            ),
            Some(&t) => model.neutral_therapy = t,
        }
        let path = "couple.neutral_plan.reason".to_owned();
        if plan.reason.trim().is_empty() {
            problem(ProblemKind::Empty, path, "text is empty".to_owned());
        } else if plan.reason.len() > c.limits.max_text_bytes {
            problem(
                ProblemKind::TooLarge,
                path,
                format!(
                    "text is {} bytes, over the limit of {}",
                    plan.reason.len(),
                    c.limits.max_text_bytes
                ),
            );
        }
    }
    model
}

/// Calls `f` with every leaf of a condition: its pair (for couple leaves),
/// its test and its index in the program's leaves.
pub(crate) fn for_each_leaf(cond: &Cond, f: &mut impl FnMut(Option<Pair>, Test, u32)) {
    match cond {
        Cond::All(list) | Cond::Any(list) | Cond::AtLeast(_, list) => {
            list.iter().for_each(|c| for_each_leaf(c, f));
        }
        Cond::Not(inner) => for_each_leaf(inner, f),
        Cond::Leaf(test, leaf) => f(None, *test, *leaf),
        Cond::Couple(pair, test, leaf) => f(Some(*pair), *test, *leaf),
    }
}

/// True when the test reads a private question or dimension.
fn reads_private(test: Test, pack: &Pack) -> bool {
    let question = |q: usize| pack.questions.get(q).is_some_and(|q| q.private);
    let dimension = |d: usize| pack.dimensions.get(d).is_some_and(|d| d.private);
    match test {
        Test::Score { dimension: d, .. }
        | Test::Raw { dimension: d, .. }
        | Test::Band { dimension: d, .. }
        | Test::ScoreGap { dimension: d, .. }
        | Test::Change { dimension: d, .. }
        | Test::Trend { dimension: d, .. }
        | Test::PreviousBand { dimension: d, .. } => dimension(d),
        Test::AnswerNumber { question: q, .. }
        | Test::AnswerOption { question: q, .. }
        | Test::AnswerBool { question: q, .. }
        | Test::Answered { question: q }
        | Test::Unanswered { question: q }
        | Test::AnswerGap { question: q, .. } => question(q),
        Test::FactNumber { .. }
        | Test::FactChoice { .. }
        | Test::FactBool { .. }
        | Test::PreviousChallenge { .. }
        | Test::PreviousPhase { .. }
        | Test::PreviousDay { .. }
        | Test::DaysSince { .. } => false,
    }
}

/// True when the test reads one person's answers or scores (not a context
/// fact or the journey so far, which belong to the couple).
fn reads_person(test: Test) -> bool {
    !matches!(
        test,
        Test::FactNumber { .. }
            | Test::FactChoice { .. }
            | Test::FactBool { .. }
            | Test::PreviousChallenge { .. }
            | Test::PreviousPhase { .. }
            | Test::PreviousDay { .. }
            | Test::DaysSince { .. }
    )
}

/// The key of a couple leaf that makes it compare or combine the partners.
fn pair_subject(pair: Option<Pair>, test: Test) -> &'static str {
    match (pair, test) {
        (Some(Pair::Gap), Test::AnswerGap { .. }) => "answer_gap",
        (Some(Pair::Gap), _) => "gap",
        _ => "whose",
    }
}
