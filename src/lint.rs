//! Lint: what a valid pack may still get wrong, for rule authors to review.
//!
//! A pack that compiles can still hold rules that never fire, rules that
//! repeat each other, bands no answers reach, outcomes no rule leads to,
//! cut-offs that rounding moves, and shared reasons that are never shown
//! (of rules that read private answers). Each finding has a
//! stable kind and a JSON path, like a compile problem; `rekindle lint`
//! prints them and `--deny` makes them fail.
//!
//! The analysis is conservative: a rule is reported as never firing only
//! when its leaves provably contradict each other (within one `all`, or an
//! `any` or `at_least` with too few satisfiable members), never by guessing.

use std::collections::{BTreeSet, HashMap};

use crate::compile::{Cmp, Cond, FactModel, Program, QuestionKind, Test};
use crate::error::{Problem, ProblemKind};
use crate::pack::ScoreMethod;

/// Most distinct totals kept while finding which scores a dimension can take.
const MAX_TOTALS: usize = 20_000;

/// Every finding, in pack order.
pub(crate) fn lint(program: &Program) -> Vec<Problem> {
    let mut findings = Vec::new();
    never_fires(program, &mut findings);
    duplicates(program, &mut findings);
    unreachable_bands(program, &mut findings);
    unreachable_outcomes(program, &mut findings);
    rounded_cutoffs(program, &mut findings);
    shared_reasons(program, &mut findings);
    own_view_suppressions(program, &mut findings);
    findings
}

fn never_fires(program: &Program, findings: &mut Vec<Problem>) {
    for (i, rule) in program.rules.iter().enumerate() {
        if !satisfiable(&rule.when, program) {
            findings.push(Problem::new(
                ProblemKind::NeverFires,
                format!("rules[{i}].when"),
                "no answers can make this condition true: some of its tests contradict each other",
            ));
        }
    }
}

/// False only when the condition provably never holds.
fn satisfiable(cond: &Cond, program: &Program) -> bool {
    match cond {
        Cond::Any(list) => list.iter().any(|c| satisfiable(c, program)),
        Cond::AtLeast(n, list) => list.iter().filter(|c| satisfiable(c, program)).count() >= *n,
        Cond::All(list) => {
            list.iter().all(|c| satisfiable(c, program)) && {
                let leaves: Vec<Test> = list
                    .iter()
                    .filter_map(|c| match c {
                        Cond::Leaf(test, _) => Some(*test),
                        _ => None,
                    })
                    .collect();
                consistent(&leaves, program)
            }
        }
        Cond::Not(_) | Cond::Leaf(..) | Cond::Couple(..) => true,
    }
}

/// What one subject may still be, after the tests of one `all`.
#[derive(Clone)]
enum Allowed {
    /// Option indexes (options questions, choice facts, bands).
    Set(u64),
    /// A closed or open interval of numbers.
    Range(Interval),
    /// Must be absent (`unanswered`).
    Absent,
}

#[derive(Clone, Copy)]
struct Interval {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
}

impl Interval {
    fn narrow(mut self, cmp: Cmp, value: f64) -> Option<Interval> {
        match cmp {
            Cmp::Gt | Cmp::Gte if value > self.lo || (value == self.lo && cmp == Cmp::Gt) => {
                self.lo = value;
                self.lo_open = cmp == Cmp::Gt;
            }
            Cmp::Lt | Cmp::Lte if value < self.hi || (value == self.hi && cmp == Cmp::Lt) => {
                self.hi = value;
                self.hi_open = cmp == Cmp::Lt;
            }
            Cmp::Eq => {
                if !self.contains(value) {
                    return None;
                }
                return Some(Interval {
                    lo: value,
                    lo_open: false,
                    hi: value,
                    hi_open: false,
                });
            }
            _ => {}
        }
        let empty = self.lo > self.hi || (self.lo == self.hi && (self.lo_open || self.hi_open));
        (!empty).then_some(self)
    }

    fn contains(self, value: f64) -> bool {
        (value > self.lo || (value == self.lo && !self.lo_open))
            && (value < self.hi || (value == self.hi && !self.hi_open))
    }
}

/// The subjects leaves read, so that tests on one subject are combined.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Subject {
    Answer(usize),
    Fact(usize),
    Score(usize),
}

/// False when the leaves of one `all` cannot hold together.
fn consistent(leaves: &[Test], program: &Program) -> bool {
    let mut allowed: HashMap<Subject, Allowed> = HashMap::new();
    for &test in leaves {
        let (subject, narrowed) = match test {
            Test::AnswerOption { question, options } => (Subject::Answer(question), Narrow::Set(options)),
            Test::AnswerNumber { question, cmp, value } => match &program.questions[question].kind {
                QuestionKind::Options { weights, .. } => {
                    let set = weights
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| cmp.holds(**w, value))
                        .fold(0u64, |set, (i, _)| set | (1 << i));
                    (Subject::Answer(question), Narrow::Set(set))
                }
                _ => (Subject::Answer(question), Narrow::Cmp(cmp, value)),
            },
            Test::AnswerBool { question, value } => {
                (Subject::Answer(question), Narrow::Set(1 << u8::from(value)))
            }
            Test::Answered { question } => (Subject::Answer(question), Narrow::Present),
            Test::Unanswered { question } => (Subject::Answer(question), Narrow::Absent),
            Test::FactChoice { fact, choices } => (Subject::Fact(fact), Narrow::Set(choices)),
            Test::FactBool { fact, value } => (Subject::Fact(fact), Narrow::Set(1 << u8::from(value))),
            Test::FactNumber { fact, cmp, value } => (Subject::Fact(fact), Narrow::Cmp(cmp, value)),
            Test::Score {
                dimension,
                cmp,
                value,
            } => (Subject::Score(dimension), Narrow::Cmp(cmp, value)),
            // Bands are ranges of the score; the band sets are compared on
            // their own subject below.
            Test::Band { dimension, bands } => {
                let Some(range) = band_range(program, dimension, bands) else {
                    continue;
                };
                (Subject::Score(dimension), Narrow::Within(range))
            }
            _ => continue,
        };
        let current = allowed.remove(&subject);
        let fresh = current.is_none();
        let current = current.unwrap_or_else(|| initial(subject, program));
        let result = match narrowed {
            // `unanswered` holds only while nothing else asks for a value.
            Narrow::Absent if fresh => Some(Allowed::Absent),
            narrowed => narrow(current, narrowed),
        };
        match result {
            Some(next) => {
                allowed.insert(subject, next);
            }
            None => return false,
        }
    }
    true
}

enum Narrow {
    Set(u64),
    Cmp(Cmp, f64),
    Within(Interval),
    Present,
    Absent,
}

fn initial(subject: Subject, program: &Program) -> Allowed {
    match subject {
        Subject::Answer(q) => match &program.questions[q].kind {
            QuestionKind::Options { values, .. } => Allowed::Set(full(values.len())),
            QuestionKind::YesNo => Allowed::Set(0b11),
            QuestionKind::Range { min, max, .. } => Allowed::Range(Interval {
                lo: *min,
                lo_open: false,
                hi: *max,
                hi_open: false,
            }),
        },
        Subject::Fact(f) => match &program.facts[f] {
            FactModel::Bool => Allowed::Set(0b11),
            FactModel::Choice { choices } => Allowed::Set(full(choices.len())),
            FactModel::Number { min, max } => Allowed::Range(Interval {
                lo: *min,
                lo_open: false,
                hi: *max,
                hi_open: false,
            }),
        },
        Subject::Score(_) => Allowed::Range(Interval {
            lo: 0.0,
            lo_open: false,
            hi: 100.0,
            hi_open: false,
        }),
    }
}

fn full(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

fn narrow(current: Allowed, by: Narrow) -> Option<Allowed> {
    match (current, by) {
        (Allowed::Absent, Narrow::Absent) => Some(Allowed::Absent),
        // A value asked for besides `unanswered`, either way round.
        (Allowed::Absent, _) | (_, Narrow::Absent) => None,
        (current, Narrow::Present) => Some(current),
        (Allowed::Set(set), Narrow::Set(by)) => (set & by != 0).then_some(Allowed::Set(set & by)),
        (Allowed::Range(range), Narrow::Cmp(cmp, value)) => {
            if cmp == Cmp::Ne {
                return Some(Allowed::Range(range));
            }
            range.narrow(cmp, value).map(Allowed::Range)
        }
        (Allowed::Range(range), Narrow::Within(within)) => {
            let narrowed = range
                .narrow(if within.lo_open { Cmp::Gt } else { Cmp::Gte }, within.lo)
                .and_then(|r| r.narrow(if within.hi_open { Cmp::Lt } else { Cmp::Lte }, within.hi));
            narrowed.map(Allowed::Range)
        }
        // Mixed kinds (a number test on an options question is turned into
        // a set above): nothing is proven.
        (current, _) => Some(current),
    }
}

/// The score range the bands in `set` cover, when they are on the score
/// scale and next to each other.
fn band_range(program: &Program, d: usize, set: u64) -> Option<Interval> {
    let dim = &program.dimensions[d];
    if dim.band_scale != crate::pack::BandScale::Score {
        return None;
    }
    let picked: Vec<usize> = (0..dim.band_mins.len()).filter(|b| set & (1 << b) != 0).collect();
    let (&first, &last) = (picked.first()?, picked.last()?);
    if last - first + 1 != picked.len() {
        return None;
    }
    let top = last + 1 == dim.band_mins.len();
    Some(Interval {
        lo: dim.band_mins[first],
        lo_open: false,
        hi: if top {
            dim.band_top
        } else {
            dim.band_mins[last + 1]
        },
        hi_open: !top,
    })
}

fn duplicates(program: &Program, findings: &mut Vec<Problem>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, rule) in program.pack.rules.iter().enumerate() {
        let key = serde_json::to_string(&rule.when).unwrap_or_default();
        if let Some(&first) = seen.get(&key) {
            findings.push(Problem::new(
                ProblemKind::DuplicateRule,
                format!("rules[{i}].when"),
                format!(
                    "the same condition as rules[{first}] ({:?}): merge their effects into one rule",
                    program.pack.rules[first].id
                ),
            ));
        } else {
            seen.insert(key, i);
        }
    }
}

/// Bands that no combination of answers reaches, where the scores a
/// dimension can take are few enough to list.
fn unreachable_bands(program: &Program, findings: &mut Vec<Problem>) {
    for (d, dim) in program.dimensions.iter().enumerate() {
        if dim.band_mins.is_empty() || (dim.method == ScoreMethod::Mean && dim.min_answered < dim.items.len())
        {
            continue;
        }
        let Some(values) = reachable_values(program, d) else {
            continue;
        };
        for b in 0..dim.band_mins.len() {
            let lo = dim.band_mins[b];
            let top = b + 1 == dim.band_mins.len();
            let hi = if top { dim.band_top } else { dim.band_mins[b + 1] };
            let reached = values.iter().any(|&v| v >= lo && (v < hi || (top && v <= hi)));
            if !reached {
                findings.push(Problem::new(
                    ProblemKind::UnreachableBand,
                    format!("dimensions[{d}].bands[{b}]"),
                    "no combination of answers gives a score in this band",
                ));
            }
        }
    }
}

/// Every value (on the dimension's band scale) the dimension can take when
/// every item is answered, or `None` when there are too many to list.
fn reachable_values(program: &Program, d: usize) -> Option<Vec<f64>> {
    let dim = &program.dimensions[d];
    let key = |v: f64| (v * 1e6).round() as i64;
    let mut totals: BTreeSet<i64> = BTreeSet::from([0]);
    let (mut lo_total, mut hi_total, mut weight_total) = (0.0, 0.0, 0.0);
    for &(q, w) in &dim.items {
        let question = &program.questions[q];
        let values: Vec<f64> = match &question.kind {
            QuestionKind::Options { weights, .. } => weights.clone(),
            QuestionKind::YesNo => vec![0.0, 1.0],
            QuestionKind::Range {
                min,
                max,
                step: Some(step),
            } if (max - min) / step <= 1_000.0 => {
                let count = ((max - min) / step).round() as usize;
                (0..=count).map(|i| min + step * i as f64).collect()
            }
            QuestionKind::Range { .. } => return None,
        };
        let keyed: Vec<f64> = values
            .iter()
            .map(|&v| {
                if question.reverse {
                    question.lo + question.hi - v
                } else {
                    v
                }
            })
            .collect();
        let mut next = BTreeSet::new();
        for &total in &totals {
            for &v in &keyed {
                next.insert(total + key(w * v));
                if next.len() > MAX_TOTALS {
                    return None;
                }
            }
        }
        totals = next;
        lo_total += w * question.lo;
        hi_total += w * question.hi;
        weight_total += w;
    }
    if hi_total <= lo_total {
        return None;
    }
    Some(
        totals
            .into_iter()
            .map(|t| {
                let total = t as f64 / 1e6;
                match dim.band_scale {
                    crate::pack::BandScale::Score => {
                        ((total - lo_total) / (hi_total - lo_total) * 1e8).round() / 1e6
                    }
                    crate::pack::BandScale::Raw => match dim.method {
                        ScoreMethod::Sum => total,
                        ScoreMethod::Mean => total / weight_total,
                    },
                }
            })
            .collect(),
    )
}

fn unreachable_outcomes(program: &Program, findings: &mut Vec<Problem>) {
    let pack = &program.pack;
    let mut areas = vec![false; pack.focus_areas.len()];
    let mut challenges = vec![false; pack.challenges.len()];
    let mut phases: Vec<Vec<bool>> = pack
        .challenges
        .iter()
        .map(|c| vec![false; c.phases.len()])
        .collect();
    let mut levels = vec![false; pack.therapy_levels.len()];
    if let Some(first) = levels.first_mut() {
        *first = true;
    }
    for rule in &program.rules {
        let then = &rule.then;
        then.focus.iter().for_each(|&(f, _)| areas[f] = true);
        then.challenges.iter().for_each(|&(c, _)| challenges[c] = true);
        for &(c, p, _) in &then.phases {
            challenges[c] = true;
            phases[c][p] = true;
        }
        if let Some(t) = then.therapy {
            levels[t] = true;
        }
    }
    if program.rules.iter().any(|r| r.then.safety) {
        areas[program.safety.focus_area] = true;
        levels[program.safety.therapy_level] = true;
    }
    program.couple.neutral_focus.iter().for_each(|&f| areas[f] = true);
    levels[program.couple.neutral_therapy] = true;
    let mut report = |path: String, what: &str| {
        findings.push(Problem::new(
            ProblemKind::UnreachableOutcome,
            path,
            format!("no rule leads to this {what}"),
        ));
    };
    for (f, reached) in areas.iter().enumerate() {
        if !reached {
            report(format!("focus_areas[{f}]"), "focus area");
        }
    }
    for (c, reached) in challenges.iter().enumerate() {
        if !reached {
            report(format!("challenges[{c}]"), "challenge");
            continue;
        }
        // The first phase is emphasised when no rule weighs any phase.
        for (p, reached) in phases[c].iter().enumerate().skip(1) {
            if !reached {
                report(format!("challenges[{c}].phases[{p}]"), "phase");
            }
        }
    }
    for (t, reached) in levels.iter().enumerate() {
        if !reached {
            report(format!("therapy_levels[{t}]"), "therapy level");
        }
    }
}

/// Score cut-offs finer than the six decimals scores are rounded to: a
/// published cut-off of 1000/27 would silently act as 37.037037.
fn rounded_cutoffs(program: &Program, findings: &mut Vec<Problem>) {
    for rule in &program.rules {
        crate::privacy::for_each_leaf(&rule.when, &mut |_, test, leaf| {
            let value = match test {
                Test::Score { value, .. } | Test::Change { value, .. } | Test::ScoreGap { value, .. } => {
                    value
                }
                _ => return,
            };
            if (value * 1e6).round() / 1e6 != value {
                let path = program
                    .leaves
                    .get(leaf as usize)
                    .map_or_else(String::new, |l| l.path.to_string());
                findings.push(Problem::new(
                    ProblemKind::RoundedCutoff,
                    path,
                    "scores are rounded to six decimals, so this cut-off acts as its rounded value; write it with at most six decimals",
                ));
            }
        });
    }
}

/// Suppressions by rules that read private items. In couple mode such a
/// rule counts only in its partner's own view, so what it holds back is
/// held back there and not in the shared plan: nothing a partner answered
/// privately may change what both read, except the neutral plan, which an
/// ordinary answer reaches too.
fn own_view_suppressions(program: &Program, findings: &mut Vec<Problem>) {
    for (i, (rule, model)) in program.pack.rules.iter().zip(&program.rules).enumerate() {
        let personal = rule.then.safety || rule.then.neutral_plan;
        if model.access.private && !personal && !rule.then.suppress.is_empty() {
            findings.push(Problem::new(
                ProblemKind::OwnViewSuppression,
                format!("rules[{i}].then.suppress"),
                "the rule reads a private item, so in couple mode this holds content back only in the own view of the partner it held for, not in the shared plan; to set couples content aside for both, use \"neutral_plan\"",
            ));
        }
    }
}

/// Shared reasons that are never shown: a rule that reads a private item
/// counts only in the own view of the partner it held for, where its
/// `reason` is shown (see `crate::privacy::own_view_only`).
fn shared_reasons(program: &Program, findings: &mut Vec<Problem>) {
    for (i, (rule, model)) in program.pack.rules.iter().zip(&program.rules).enumerate() {
        if model.access.private && rule.then.shared_reason.is_some() {
            findings.push(Problem::new(
                ProblemKind::UnusedSharedReason,
                format!("rules[{i}].then.shared_reason"),
                "never shown: the rule reads a private item, so in couple mode it counts only in the own view of the partner it held for, with its \"reason\"; remove this shared reason",
            ));
        }
    }
}
