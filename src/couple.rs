//! Couple mode: both partners' answers become one shared plan and two
//! private views, and the engine decides what each reader may see.
//!
//! Each partner's answers are checked and scored on their own. Then:
//!
//! - **Rules about one person** (every rule without a couple leaf) are
//!   evaluated for each partner. Those that raise the safety flag, ask for
//!   the neutral plan, say `view: own` or read a private question or
//!   dimension count only in the own view of the partner they held for
//!   (anything they put in the shared plan would tell the other partner
//!   what was answered). The others count in the shared plan, once for
//!   each partner they held for, with their `shared_reason` when they have
//!   one.
//! - **Couple rules** (a `whose`, `gap` or `answer_gap` leaf) are evaluated
//!   once over both partners and count in the shared plan.
//! - **The shared plan** combines what counts in it as single mode does
//!   (see `crate::recommend`), unless either partner's answers raised the
//!   safety flag or fired a `neutral_plan` rule. Then it is the pack's
//!   neutral plan, the same whichever partner or reason asked for it: no
//!   challenge, the neutral plan's focus areas and therapy level, its
//!   reason, and the shared scores. Nothing in it tells a disclosure from
//!   an ordinary answer.
//! - **A partner's own view** holds that partner's scores, the reasons of
//!   every rule that held for their answers, what the rules about them put
//!   in their own view, and the safety notice only when their own answers
//!   raised it. It depends on nothing the other partner answered.
//! - **The shared scores** are the mean of both partners' scores on the
//!   dimensions the pack lists in `couple.shared_dimensions`, never a
//!   private one.
//!
//! Views carry no trace. [`crate::Engine::trace_couple`] gives authors the
//! evidence for every rule, on a separate call that apps do not show.

use serde::Serialize;

use crate::compile::Program;
use crate::eval::{
    actual_value, check_date, couple_value, holds, resolve_answers, resolve_facts, sorted, Couple, Person,
    State,
};
use crate::input::CoupleResponses;
use crate::privacy::own_view_only;
use crate::progress::{history, progress, History, Progress};
use crate::recommend::{
    challenge, focus_areas, pack_info, reasons, safety, scores, therapy, trace, ChallengeResult,
    DimensionScore, FocusAreaResult, PackInfo, Reason, SafetyNotice, Shown, Tally, TherapyResult, Trace,
    TraceDetail,
};
use crate::rule_ids::RuleIds;
use crate::score::{couple_score, Scored};
use crate::text::PackText;

/// The plan both partners read together.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct SharedView {
    /// Focus areas, most important first.
    pub focus_areas: Vec<FocusAreaResult>,
    /// The challenge and phase to emphasise, if any.
    pub challenge: Option<ChallengeResult>,
    /// The first day's activity of the emphasised phase: where to start.
    pub activity: Option<PackText>,
    /// The therapy suggestion.
    pub therapy: TherapyResult,
    /// The reasons of the rules that explain something above, each once,
    /// in pack order, worded for both partners (`shared_reason`).
    pub reasons: Vec<Reason>,
    /// The couple's scores on the dimensions the pack shares, in pack order.
    pub scores: Vec<DimensionScore>,
    /// What changed since the shared plan's most recent snapshot.
    pub progress: Option<Progress>,
}

/// What one partner alone reads, besides the shared plan.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct PartnerView {
    /// The safety notice, only when this partner's own answers raised it.
    pub safety: Option<SafetyNotice>,
    /// Focus areas for this partner alone (from rules about them that write
    /// to their own view or read their private answers), most important
    /// first.
    pub focus_areas: Vec<FocusAreaResult>,
    /// A therapy suggestion for this partner alone, when such a rule gives
    /// one.
    pub therapy: Option<TherapyResult>,
    /// This partner's own scores on every dimension, in pack order.
    pub scores: Vec<DimensionScore>,
    /// Every rule that held for this partner's answers, in pack order,
    /// with the reason worded for them; the focus areas, therapy and
    /// safety notice above refer to these by rule id.
    pub reasons: Vec<Reason>,
    /// What changed in this partner's own scores since their most recent
    /// snapshot.
    pub progress: Option<Progress>,
}

/// A couple's assessment: one shared plan and one private view per partner.
///
/// Show `shared` to both, `a` only to partner A and `b` only to partner B.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct CouplePlan {
    /// What both partners see together.
    pub shared: SharedView,
    /// What only partner A sees.
    pub a: PartnerView,
    /// What only partner B sees.
    pub b: PartnerView,
    /// The pack that produced this.
    pub pack: PackInfo,
}

/// Every rule's evidence in a couple assessment, for rule authors. It names
/// safety rules and private answers: never show it to a partner.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct CoupleTrace {
    /// Rules about one person that held for partner A.
    pub a: Trace,
    /// Rules about one person that held for partner B.
    pub b: Trace,
    /// Couple rules that held; their values read `a: ...; b: ...` or a gap.
    pub couple: Trace,
    /// True when the shared plan is the neutral plan.
    pub neutral_plan: bool,
}

/// Both partners, checked and scored.
pub(crate) struct Partners {
    a: State,
    b: State,
    /// The shared plan's history, and whether each partner gave their own.
    shared: Option<History>,
    own: [bool; 2],
}

impl Partners {
    /// Checks both partners' answers and the context; every problem is
    /// reported, under `a.`, `b.` or `context.`.
    pub(crate) fn build(
        program: &Program,
        responses: &CoupleResponses,
    ) -> Result<Partners, Vec<crate::Problem>> {
        let mut problems = Vec::new();
        let a = resolve_answers(program, &responses.a, "a", &mut problems);
        let b = resolve_answers(program, &responses.b, "b", &mut problems);
        let facts = resolve_facts(program, &responses.context, &mut problems);
        let date = responses.date.as_deref();
        check_date(date, "date", &mut problems);
        let shared = history(
            program,
            &responses.previous_shared,
            date,
            "previous_shared",
            &mut problems,
        );
        let history_a = history(program, &responses.previous_a, date, "previous_a", &mut problems);
        let history_b = history(program, &responses.previous_b, date, "previous_b", &mut problems);
        sorted(problems, program)?;
        let own = [history_a.is_some(), history_b.is_some()];
        // A partner's scores come from their own snapshot, the journey
        // (challenge, phase, day) from the shared one.
        let person = |own: Option<History>| match (own, &shared) {
            (Some(own), Some(shared)) => Some(own.with_journey(shared)),
            (Some(own), None) => Some(own),
            (None, Some(shared)) => Some(History::journey_only(program, shared)),
            (None, None) => None,
        };
        let mut a = State::scored(program, a, facts.clone());
        a.history = person(history_a);
        let mut b = State::scored(program, b, facts);
        b.history = person(history_b);
        Ok(Partners { a, b, shared, own })
    }
}

/// Which rules held, for whom.
struct Fired {
    /// Rules about one person that held for A, in pack order.
    a: Vec<usize>,
    /// The same for B.
    b: Vec<usize>,
    /// Couple rules that held.
    couple: Vec<usize>,
}

impl Fired {
    fn of(program: &Program, partners: &Partners) -> Fired {
        let (person_a, person_b) = (
            Person {
                program,
                state: &partners.a,
            },
            Person {
                program,
                state: &partners.b,
            },
        );
        let pair = Couple {
            program,
            a: &partners.a,
            b: &partners.b,
        };
        let mut fired = Fired {
            a: Vec::new(),
            b: Vec::new(),
            couple: Vec::new(),
        };
        for (i, rule) in program.rules.iter().enumerate() {
            if rule.access.couple {
                if holds(&rule.when, &pair) {
                    fired.couple.push(i);
                }
                continue;
            }
            if holds(&rule.when, &person_a) {
                fired.a.push(i);
            }
            if holds(&rule.when, &person_b) {
                fired.b.push(i);
            }
        }
        fired
    }

    /// True when a safety or neutral-plan rule held for either partner.
    fn neutral(&self, program: &Program) -> bool {
        self.a.iter().chain(&self.b).any(|&i| {
            let then = &program.rules[i].then;
            then.safety || then.neutral_plan
        })
    }
}

/// The couple plan for checked answers.
pub(crate) fn couple_plan(program: &Program, partners: &Partners) -> CouplePlan {
    let fired = Fired::of(program, partners);
    CouplePlan {
        shared: shared_view(program, partners, &fired),
        a: partner_view(program, &partners.a, &fired.a, partners.own[0]),
        b: partner_view(program, &partners.b, &fired.b, partners.own[1]),
        pack: pack_info(program),
    }
}

/// The author's trace for checked answers.
pub(crate) fn couple_trace(program: &Program, partners: &Partners) -> CoupleTrace {
    let fired = Fired::of(program, partners);
    let person = |state: &State, rules: &[usize]| {
        trace(
            program,
            rules,
            &Person { program, state },
            TraceDetail::Full,
            0,
            |test, _| actual_value(test, program, state),
        )
    };
    let (a, b) = (&partners.a, &partners.b);
    CoupleTrace {
        a: person(a, &fired.a),
        b: person(b, &fired.b),
        couple: trace(
            program,
            &fired.couple,
            &Couple { program, a, b },
            TraceDetail::Full,
            0,
            |test, pair| match pair {
                Some(pair) => couple_value(test, pair, program, a, b),
                None => actual_value(test, program, a),
            },
        ),
        neutral_plan: fired.neutral(program),
    }
}

fn shared_view(program: &Program, partners: &Partners, fired: &Fired) -> SharedView {
    let couple_scores = couple_scores(program, partners);
    let scores = scores_of(program, &couple_scores);
    let progress = partners
        .shared
        .as_ref()
        .map(|h| progress(program, h, &couple_scores));
    if fired.neutral(program) {
        return neutral_plan(program, scores, progress);
    }
    let mut tally = Tally::new(program, true);
    // Pack order, each rule once, weighted by how many partners it held for.
    let (mut a, mut b, mut c) = (
        fired.a.iter().peekable(),
        fired.b.iter().peekable(),
        fired.couple.iter().peekable(),
    );
    for i in 0..program.rules.len() {
        let mut times = 0.0;
        for list in [&mut a, &mut b, &mut c] {
            if list.next_if_eq(&&i).is_some() {
                times += 1.0;
            }
        }
        if times > 0.0 && !own_view_only_at(program, i) {
            tally.add(program, i, times);
        }
    }
    tally.settle(program);
    let shown = Shown::of(program, &tally);
    SharedView {
        focus_areas: focus_areas(program, &tally, &shown),
        challenge: challenge(program, &tally, &shown),
        activity: shown
            .challenge
            .and_then(|(c, p)| program.texts.challenges[c].phases[p].first_activity.clone()),
        therapy: therapy(program, &tally, &shown),
        reasons: reasons(program, &tally, |e| shown.explains(program, e)),
        scores,
        progress,
    }
}

fn own_view_only_at(program: &Program, i: usize) -> bool {
    own_view_only(&program.rules[i], &program.pack.rules[i].then)
}

/// The shared plan while couples content is set aside: the same whichever
/// partner, and whichever reason, asked for it.
fn neutral_plan(program: &Program, scores: Vec<DimensionScore>, progress: Option<Progress>) -> SharedView {
    let texts = &program.texts;
    let reasons: Vec<Reason> = texts
        .neutral_reason
        .iter()
        .map(|text| Reason {
            rule: texts.neutral_plan_id.clone(),
            text: text.clone(),
        })
        .collect();
    // One list of ids, shared by every part that refers to it.
    let referred: RuleIds = reasons.iter().map(|r| r.rule.clone()).collect();
    let t = program.couple.neutral_therapy;
    let level = &texts.therapy[t];
    SharedView {
        focus_areas: program
            .couple
            .neutral_focus
            .iter()
            .map(|&f| {
                let area = &texts.focus_areas[f];
                FocusAreaResult {
                    id: area.id.clone(),
                    title: area.title.clone(),
                    summary: area.summary.clone(),
                    weight: 0.0,
                    reasons: referred.clone(),
                }
            })
            .collect(),
        challenge: None,
        activity: None,
        therapy: TherapyResult {
            level: level.id.clone(),
            rank: t as u32,
            title: level.title.clone(),
            message: level.summary.clone(),
            online: false,
            reasons: if t > 0 { referred } else { RuleIds::default() },
        },
        reasons,
        scores,
        progress,
    }
}

/// The couple scores of the shared dimensions, by dimension index.
fn couple_scores(program: &Program, partners: &Partners) -> Vec<(usize, Scored)> {
    program
        .couple
        .shared_dimensions
        .iter()
        .map(|&d| {
            let scored = couple_score(
                &program.dimensions[d],
                &partners.a.scores[d],
                &partners.b.scores[d],
            );
            (d, scored)
        })
        .collect()
}

/// Scores of some dimensions, as results show them.
fn scores_of(program: &Program, scored: &[(usize, Scored)]) -> Vec<DimensionScore> {
    let mut all = vec![Scored::default(); program.dimensions.len()];
    for &(d, s) in scored {
        all[d] = s;
    }
    let shown = scores(program, &all);
    scored.iter().map(|&(d, _)| shown[d].clone()).collect()
}

fn partner_view(program: &Program, state: &State, fired: &[usize], own_history: bool) -> PartnerView {
    let mut own = Tally::new(program, false);
    for &i in fired {
        if own_view_only_at(program, i) {
            own.add(program, i, 1.0);
        }
    }
    own.settle(program);
    let shown = Shown::of(program, &own);
    let mut all = Tally::new(program, false);
    all.fired.extend_from_slice(fired);
    PartnerView {
        safety: safety(program, &own),
        focus_areas: focus_areas(program, &own, &shown),
        therapy: own.therapy.is_some().then(|| therapy(program, &own, &shown)),
        scores: scores(program, &state.scores),
        reasons: reasons(program, &all, |_| true),
        progress: state.history.as_ref().filter(|_| own_history).map(|h| {
            let now: Vec<_> = state.scores.iter().copied().enumerate().collect();
            progress(program, h, &now)
        }),
    }
}

/// The combined trace of every evaluation, for fixtures and coverage.
pub(crate) fn fired_ids(trace: &CoupleTrace) -> Vec<&str> {
    let mut ids: Vec<(u32, &str)> = [&trace.a, &trace.b, &trace.couple]
        .iter()
        .flat_map(|t| t.fired.iter().map(|f| (f.index, f.rule.as_str())))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().map(|(_, id)| id).collect()
}

impl PartnerView {
    /// The ids of the rules that held for this partner, in pack order.
    pub fn fired_rules(&self) -> impl Iterator<Item = &str> {
        self.reasons.iter().map(|r| r.rule.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_scores_skip_what_the_pack_does_not_share() {
        let engine = crate::Engine::embedded();
        let plan = engine
            .assess_couple(&CoupleResponses::new(
                [("q_misunderstandings", "often")],
                [("q_misunderstandings", "never")],
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        let shared: Vec<&str> = plan.shared.scores.iter().map(|s| s.id.as_str()).collect();
        let allowed: Vec<&str> = engine
            .pack()
            .couple
            .iter()
            .flat_map(|c| c.shared_dimensions.iter().map(String::as_str))
            .collect();
        assert!(shared.iter().all(|id| allowed.contains(id)), "{shared:?}");
    }
}
