//! Combining the effects of fired rules into a [`Recommendation`].
//!
//! Every rule is evaluated on its own; declaration order only breaks ties.
//! The combination is defined here, once:
//!
//! 1. **Suppression.** The tags named by `suppress` in fired rules are
//!    suppressed; when any fired rule raises the safety flag, the tags in the
//!    pack's `safety.suppress` are too. A suppressed focus area, challenge or
//!    therapy level (one carrying a suppressed tag) is left out, whatever its
//!    weight. Nothing un-suppresses.
//! 2. **Focus areas.** Each area's weight is the sum of the weights fired
//!    rules give it. Areas with a weight above 0 are listed, highest first,
//!    ties in the order the pack declares them. With the safety flag, the
//!    pack's `safety.focus_area` comes first whatever its weight.
//! 3. **Challenge and phase.** A challenge's weight is the sum of the weights
//!    fired rules give it and its phases. The heaviest challenge above 0
//!    wins (ties: declared order); with none above 0 there is no challenge.
//!    Its heaviest phase is emphasised (ties, and all phases at 0: the
//!    earliest). The rationale lists the rules that weighted the chosen
//!    challenge or phase.
//! 4. **Therapy.** The strongest (last declared) level named by a fired rule
//!    and not suppressed; the first level when there is none. With the safety
//!    flag, at least `safety.therapy_level`. Online therapy fits when a fired
//!    rule says `online_therapy` and the level is above the first, and, with
//!    the safety flag, only if the pack's `safety.allow_online_therapy` says so.
//! 5. **Safety.** Any fired rule with `safety: true` adds the notice and the
//!    pack's resources; it cannot be cancelled by any score or other rule.
//!    A fired rule with `neutral_plan: true` suppresses the same tags as the
//!    safety gate, without the notice.
//! 6. **Couple rules** (those with `whose`, `gap` or `answer_gap` leaves)
//!    need two people and are skipped in single mode.
//!
//! Couple mode (`crate::Engine::assess_couple`) combines the same way for
//! each view; what goes into which view is defined in `crate::couple`.

use serde::Serialize;

use crate::compile::Program;
use crate::compile::{Pair, Test};
use crate::eval::{actual_value, explain, holds, Person, State, Subject};
use crate::progress::{progress, Progress};

/// Why something is in the result: the rule and the text it gives.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct Reason {
    /// The id of the rule that fired.
    pub rule: String,
    /// The rule's reason text.
    pub text: String,
}

/// A focus area recommended to the couple.
///
/// Results carry decisions and explanations; the pack's content lists
/// (practices here, daily activities for phases) stay in the pack and are
/// looked up with [`crate::Engine::focus_area`] and [`crate::Engine::phase`],
/// so an assessment, which apps may run on every answer change, copies none
/// of them.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct FocusAreaResult {
    /// The focus area's id.
    pub id: String,
    /// Display name.
    pub title: String,
    /// One line on what it is about.
    pub summary: String,
    /// Summed weight from the rules that fired.
    pub weight: f64,
    /// The rules that weighted it, in pack order.
    pub reasons: Vec<Reason>,
}

/// The phase of a challenge to emphasise.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct PhaseResult {
    /// The phase id.
    pub id: String,
    /// First day, inclusive.
    pub first_day: u32,
    /// Last day, inclusive.
    pub last_day: u32,
    /// What the phase is about.
    pub theme: String,
    /// Summed weight from the rules that fired.
    pub weight: f64,
}

/// The 30-day challenge to follow.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ChallengeResult {
    /// The challenge id.
    pub id: String,
    /// Display name.
    pub title: String,
    /// Who the challenge suits.
    pub summary: String,
    /// Summed weight of the challenge and its phases.
    pub weight: f64,
    /// The phase to emphasise.
    pub phase: PhaseResult,
    /// The rules that weighted this challenge or phase, in pack order.
    pub rationale: Vec<Reason>,
}

/// Whether and how to suggest therapy.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct TherapyResult {
    /// The level id (the pack's first level means no suggestion).
    pub level: String,
    /// Position of the level in the pack, 0 for the baseline.
    pub rank: u32,
    /// Display name.
    pub title: String,
    /// Supportive text.
    pub message: String,
    /// Online therapy fits this couple.
    pub online: bool,
    /// The rules that asked for this level or for online therapy.
    pub reasons: Vec<Reason>,
}

/// A place to find help.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ResourceResult {
    /// The resource id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it offers.
    pub description: String,
    /// How to reach it, if given.
    pub contact: String,
}

/// The safety notice. When present, it comes before everything else.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct SafetyNotice {
    /// Heading.
    pub title: String,
    /// Text.
    pub message: String,
    /// Where to find help.
    pub resources: Vec<ResourceResult>,
    /// The safety rules that fired.
    pub reasons: Vec<Reason>,
    /// The tags suppressed because of it.
    pub suppressed_tags: Vec<String>,
}

/// A dimension's score.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct DimensionScore {
    /// The dimension id.
    pub id: String,
    /// Display name.
    pub title: String,
    /// 0-100, absent when too few items were answered.
    pub score: Option<f64>,
    /// Weighted sum or mean of item scores, absent with the score.
    pub raw: Option<f64>,
    /// The band id, when the dimension has bands and a score.
    pub band: Option<String>,
    /// The band's label.
    pub band_label: Option<String>,
    /// How many of its items were answered.
    pub answered: u32,
    /// How many items it has.
    pub items: u32,
}

/// A condition leaf that decided a fired rule.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct LeafTrace {
    /// JSON path of the leaf in the pack, such as `rules[3].when.all[1]`.
    pub path: String,
    /// The test, in words, such as `score conflict >= 67`.
    pub test: String,
    /// The value the test looked at.
    pub actual: String,
    /// Whether the test held; the leaves that decided a `not` are usually
    /// false.
    pub held: bool,
}

/// A rule that fired and why.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct FiredRule {
    /// The rule id.
    pub rule: String,
    /// Its position in the pack's `rules`.
    pub index: u32,
    /// The leaves that decided it.
    pub leaves: Vec<LeafTrace>,
}

/// Which rules fired, and on what evidence.
#[derive(Debug, Clone, PartialEq, Default, Serialize, uniffi::Record)]
pub struct Trace {
    /// Fired rules in pack order.
    pub fired: Vec<FiredRule>,
    /// Every suppressed tag, sorted.
    pub suppressed_tags: Vec<String>,
}

/// How much of the evidence a [`Trace`] carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum TraceDetail {
    /// Every fired rule with the condition leaves that decided it and the
    /// values they saw. What [`crate::Engine::assess`] gives.
    #[default]
    Full,
    /// Fired rules only, without their leaves: the same decisions for less
    /// work, for apps that re-assess on every answer change.
    RulesOnly,
}

/// Which pack produced a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PackInfo {
    /// The pack id.
    pub id: String,
    /// The pack version.
    pub version: String,
    /// The pack title.
    pub title: String,
    /// SHA-256 of the pack's canonical JSON, in lowercase hex.
    pub hash: String,
}

/// The plan for a couple: what to work on, how, and whether to seek help.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct Recommendation {
    /// Focus areas, most important first.
    pub focus_areas: Vec<FocusAreaResult>,
    /// The challenge and phase to emphasise, if any rule pointed to one.
    pub challenge: Option<ChallengeResult>,
    /// The therapy suggestion.
    pub therapy: TherapyResult,
    /// The safety notice; when present it always wins.
    pub safety: Option<SafetyNotice>,
    /// Every dimension's score, in pack order.
    pub scores: Vec<DimensionScore>,
    /// What changed since the most recent earlier snapshot, when the
    /// responses gave any.
    pub progress: Option<Progress>,
    /// The fired rules and their evidence.
    pub trace: Trace,
    /// The pack that produced this.
    pub pack: PackInfo,
}

impl Recommendation {
    /// True when no rule fired.
    pub fn is_quiet(&self) -> bool {
        self.trace.fired.is_empty()
    }

    /// The ids of the fired rules, in pack order.
    pub fn fired_rules(&self) -> impl Iterator<Item = &str> {
        self.trace.fired.iter().map(|f| f.rule.as_str())
    }
}

/// Weights accumulated over the rules that count for one view.
pub(crate) struct Tally {
    /// The rules that count, in pack order, each once.
    pub(crate) fired: Vec<usize>,
    focus: Vec<f64>,
    challenges: Vec<f64>,
    phases: Vec<Vec<f64>>,
    pub(crate) therapy: Option<usize>,
    online: bool,
    pub(crate) safety: bool,
    suppressed: u64,
    /// Reasons are worded for the couple's shared view (`shared_reason`).
    shared: bool,
}

impl Tally {
    pub(crate) fn new(program: &Program, shared: bool) -> Tally {
        let pack = &program.pack;
        Tally {
            fired: Vec::new(),
            focus: vec![0.0; pack.focus_areas.len()],
            challenges: vec![0.0; pack.challenges.len()],
            phases: pack
                .challenges
                .iter()
                .map(|c| vec![0.0; c.phases.len()])
                .collect(),
            therapy: None,
            online: false,
            safety: false,
            suppressed: 0,
            shared,
        }
    }

    /// Counts rule `i`'s effects `times` times (in couple mode a rule about
    /// one person may hold for both partners). Rules come in pack order.
    pub(crate) fn add(&mut self, program: &Program, i: usize, times: f64) {
        self.fired.push(i);
        let then = &program.rules[i].then;
        for &(f, w) in &then.focus {
            self.focus[f] += w * times;
        }
        for &(c, w) in &then.challenges {
            self.challenges[c] += w * times;
        }
        for &(c, p, w) in &then.phases {
            self.phases[c][p] += w * times;
        }
        self.online |= then.online_therapy;
        self.safety |= then.safety;
        self.suppressed |= then.suppress;
        if then.neutral_plan {
            self.suppressed |= program.safety.suppress;
        }
    }

    /// Applies the safety gate and picks the therapy level, once every
    /// rule is counted.
    pub(crate) fn settle(&mut self, program: &Program) {
        if self.safety {
            self.suppressed |= program.safety.suppress;
        }
        let suppressed = self.suppressed;
        self.therapy = self
            .fired
            .iter()
            .filter_map(|&i| program.rules[i].then.therapy)
            .filter(|&t| program.therapy_tags[t] & suppressed == 0)
            .max();
        if self.safety {
            self.therapy = self.therapy.max(Some(program.safety.therapy_level));
        }
    }
}

/// Runs every rule and combines the effects of those that fire.
/// Couple rules are skipped: they need two people.
pub(crate) fn recommend(program: &Program, state: &State, detail: TraceDetail) -> Recommendation {
    let person = Person { program, state };
    let mut tally = Tally::new(program, false);
    for (i, rule) in program.rules.iter().enumerate() {
        if !rule.access.couple && holds(&rule.when, &person) {
            tally.add(program, i, 1.0);
        }
    }
    tally.settle(program);
    Recommendation {
        focus_areas: focus_areas(program, &tally),
        challenge: challenge(program, &tally),
        therapy: therapy(program, &tally),
        safety: safety(program, &tally),
        scores: scores(program, &state.scores),
        progress: state.history.as_ref().map(|h| {
            let now: Vec<_> = state.scores.iter().copied().enumerate().collect();
            progress(program, h, &now)
        }),
        trace: trace(
            program,
            &tally.fired,
            &person,
            detail,
            tally.suppressed,
            |test, _| actual_value(test, program, state),
        ),
        pack: pack_info(program),
    }
}

pub(crate) fn pack_info(program: &Program) -> PackInfo {
    PackInfo {
        id: program.pack.id.clone(),
        version: program.pack.version.clone(),
        title: program.pack.title.clone(),
        hash: program.hash.clone(),
    }
}

pub(crate) fn reasons(
    program: &Program,
    tally: &Tally,
    mut wanted: impl FnMut(&crate::compile::EffectModel) -> bool,
) -> Vec<Reason> {
    tally
        .fired
        .iter()
        .filter(|&&i| wanted(&program.rules[i].then))
        .map(|&i| {
            let rule = &program.pack.rules[i];
            let shared = tally.shared.then_some(rule.then.shared_reason.as_ref()).flatten();
            Reason {
                rule: rule.id.clone(),
                text: shared.unwrap_or(&rule.then.reason).clone(),
            }
        })
        .collect()
}

pub(crate) fn focus_areas(program: &Program, tally: &Tally) -> Vec<FocusAreaResult> {
    let mut order: Vec<usize> = (0..tally.focus.len())
        .filter(|&f| tally.focus[f] > 0.0 && program.focus_tags[f] & tally.suppressed == 0)
        .collect();
    if tally.safety {
        let first = program.safety.focus_area;
        order.retain(|&f| f != first);
        order.insert(0, first);
        // The safety area leads; the rest follow by weight.
        order[1..].sort_by(|&a, &b| tally.focus[b].total_cmp(&tally.focus[a]).then(a.cmp(&b)));
    } else {
        order.sort_by(|&a, &b| tally.focus[b].total_cmp(&tally.focus[a]).then(a.cmp(&b)));
    }
    order
        .into_iter()
        .map(|f| {
            let area = &program.pack.focus_areas[f];
            let is_safety_area = tally.safety && f == program.safety.focus_area;
            FocusAreaResult {
                id: area.id.clone(),
                title: area.title.clone(),
                summary: area.summary.clone(),
                weight: tally.focus[f],
                reasons: reasons(program, tally, |e| {
                    e.focus.iter().any(|&(g, _)| g == f) || (is_safety_area && e.safety)
                }),
            }
        })
        .collect()
}

pub(crate) fn challenge(program: &Program, tally: &Tally) -> Option<ChallengeResult> {
    let totals: Vec<f64> = (0..tally.challenges.len())
        .map(|c| tally.challenges[c] + tally.phases[c].iter().sum::<f64>())
        .collect();
    let mut best: Option<usize> = None;
    for (c, &total) in totals.iter().enumerate() {
        let allowed = program.challenge_tags[c] & tally.suppressed == 0;
        if allowed && total > 0.0 && best.is_none_or(|b| total > totals[b]) {
            best = Some(c);
        }
    }
    let c = best?;
    let phases = &tally.phases[c];
    let mut p = 0;
    for (i, &w) in phases.iter().enumerate() {
        if w > phases[p] {
            p = i;
        }
    }
    let challenge = &program.pack.challenges[c];
    let phase = challenge.phases.get(p)?;
    Some(ChallengeResult {
        id: challenge.id.clone(),
        title: challenge.title.clone(),
        summary: challenge.summary.clone(),
        weight: totals[c],
        phase: PhaseResult {
            id: phase.id.clone(),
            first_day: phase.first_day,
            last_day: phase.last_day,
            theme: phase.theme.clone(),
            weight: phases[p],
        },
        rationale: reasons(program, tally, |e| {
            e.challenges.iter().any(|&(g, _)| g == c) || e.phases.iter().any(|&(g, q, _)| g == c && q == p)
        }),
    })
}

pub(crate) fn therapy(program: &Program, tally: &Tally) -> TherapyResult {
    let t = tally.therapy.unwrap_or(0);
    let level = &program.pack.therapy_levels[t];
    let online = tally.online && t > 0 && (!tally.safety || program.pack.safety.allow_online_therapy);
    TherapyResult {
        level: level.id.clone(),
        rank: t as u32,
        title: level.title.clone(),
        message: level.message.clone(),
        online,
        reasons: reasons(program, tally, |e| {
            (t > 0 && e.therapy == Some(t))
                || (online && e.online_therapy)
                || (tally.safety && e.safety && t == program.safety.therapy_level)
        }),
    }
}

pub(crate) fn safety(program: &Program, tally: &Tally) -> Option<SafetyNotice> {
    if !tally.safety {
        return None;
    }
    let s = &program.pack.safety;
    Some(SafetyNotice {
        title: s.title.clone(),
        message: s.message.clone(),
        resources: s
            .resources
            .iter()
            .map(|r| ResourceResult {
                id: r.id.clone(),
                name: r.name.clone(),
                description: r.description.clone(),
                contact: r.contact.clone(),
            })
            .collect(),
        reasons: reasons(program, tally, |e| e.safety),
        suppressed_tags: tag_names(program, program.safety.suppress),
    })
}

/// Names of the tags in a mask, sorted.
fn tag_names(program: &Program, mask: u64) -> Vec<String> {
    let mut names: Vec<String> = program
        .tag_names
        .iter()
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, name)| name.clone())
        .collect();
    names.sort();
    names
}

pub(crate) fn scores(program: &Program, scored: &[crate::score::Scored]) -> Vec<DimensionScore> {
    program
        .pack
        .dimensions
        .iter()
        .zip(scored)
        .map(|(dim, s)| {
            let band = s.band.and_then(|b| dim.bands.get(b));
            DimensionScore {
                id: dim.id.clone(),
                title: dim.title.clone(),
                score: s.score,
                raw: s.raw,
                band: band.map(|b| b.id.clone()),
                band_label: band.map(|b| b.label.clone()),
                answered: s.answered as u32,
                items: dim.items.len() as u32,
            }
        })
        .collect()
}

/// The fired rules with the leaves that decided them; `value` puts what a
/// leaf looked at into words.
pub(crate) fn trace(
    program: &Program,
    fired: &[usize],
    subject: &impl Subject,
    detail: TraceDetail,
    suppressed: u64,
    value: impl Fn(Test, Option<Pair>) -> String,
) -> Trace {
    // One scratch list for every rule; values are put in words only for
    // the leaves that end up in the trace.
    let mut hits = Vec::new();
    let fired = fired
        .iter()
        .map(|&i| {
            hits.clear();
            if detail == TraceDetail::Full {
                explain(&program.rules[i].when, subject, &mut hits);
            }
            FiredRule {
                rule: program.pack.rules[i].id.clone(),
                index: i as u32,
                leaves: hits
                    .iter()
                    .map(|hit| {
                        let info = &program.leaves[hit.leaf as usize];
                        LeafTrace {
                            path: info.path.clone(),
                            test: info.text.clone(),
                            actual: value(hit.test, hit.pair),
                            held: hit.held,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Trace {
        fired,
        suppressed_tags: tag_names(program, suppressed),
    }
}
