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
use crate::compile::{EffectModel, Pair, Test};
use crate::eval::{actual_value, explain, holds, Person, State, Subject};
use crate::progress::{progress, Progress};
use crate::reuse::Reused;
use crate::rule_ids::RuleIds;
use crate::text::PackText;

/// A reason a fired rule gives, held once per result. Focus areas, the
/// challenge, the therapy suggestion and the safety notice refer to it by
/// its rule id.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct Reason {
    /// The id of the rule that fired.
    pub rule: PackText,
    /// The rule's reason text (in a couple's shared view, its
    /// `shared_reason` when it has one).
    pub text: PackText,
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
    pub id: PackText,
    /// Display name.
    pub title: PackText,
    /// One line on what it is about.
    pub summary: PackText,
    /// Summed weight from the rules that fired.
    pub weight: f64,
    /// The ids of the rules that weighted it, in pack order; their texts
    /// are in the result's `reasons`.
    pub reasons: RuleIds,
}

/// The phase of a challenge to emphasise.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct PhaseResult {
    /// The phase id.
    pub id: PackText,
    /// First day, inclusive.
    pub first_day: u32,
    /// Last day, inclusive.
    pub last_day: u32,
    /// What the phase is about.
    pub theme: PackText,
    /// Summed weight from the rules that fired.
    pub weight: f64,
}

/// The 30-day challenge to follow.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ChallengeResult {
    /// The challenge id.
    pub id: PackText,
    /// Display name.
    pub title: PackText,
    /// Who the challenge suits.
    pub summary: PackText,
    /// Summed weight of the challenge and its phases.
    pub weight: f64,
    /// The phase to emphasise.
    pub phase: PhaseResult,
    /// The ids of the rules that weighted this challenge or phase, in pack
    /// order; their texts are in the result's `reasons`.
    pub rationale: RuleIds,
}

/// Whether and how to suggest therapy.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct TherapyResult {
    /// The level id (the pack's first level means no suggestion).
    pub level: PackText,
    /// Position of the level in the pack, 0 for the baseline.
    pub rank: u32,
    /// Display name.
    pub title: PackText,
    /// Supportive text.
    pub message: PackText,
    /// Online therapy fits this couple.
    pub online: bool,
    /// The ids of the rules that asked for this level or for online
    /// therapy; their texts are in the result's `reasons`.
    pub reasons: RuleIds,
}

/// A place to find help.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ResourceResult {
    /// The resource id.
    pub id: PackText,
    /// Display name.
    pub name: PackText,
    /// What it offers.
    pub description: PackText,
    /// How to reach it, if given.
    pub contact: PackText,
}

/// The safety notice. When present, it comes before everything else.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct SafetyNotice {
    /// Heading.
    pub title: PackText,
    /// Text.
    pub message: PackText,
    /// Where to find help.
    pub resources: Vec<ResourceResult>,
    /// The ids of the safety rules that fired; their texts are in the
    /// result's `reasons`.
    pub reasons: RuleIds,
    /// The tags suppressed because of it.
    pub suppressed_tags: Vec<PackText>,
}

/// A dimension's score.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct DimensionScore {
    /// The dimension id.
    pub id: PackText,
    /// Display name.
    pub title: PackText,
    /// 0-100, absent when too few items were answered.
    pub score: Option<f64>,
    /// Weighted sum or mean of item scores, absent with the score.
    pub raw: Option<f64>,
    /// The band id, when the dimension has bands and a score.
    pub band: Option<PackText>,
    /// The band's label.
    pub band_label: Option<PackText>,
    /// How many of its items were answered.
    pub answered: u32,
    /// How many items it has.
    pub items: u32,
}

/// A condition leaf that decided a fired rule.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct LeafTrace {
    /// JSON path of the leaf in the pack, such as `rules[3].when.all[1]`.
    pub path: PackText,
    /// The test, in words, such as `score conflict >= 67`.
    pub test: PackText,
    /// The value the test looked at.
    pub actual: PackText,
    /// Whether the test held; the leaves that decided a `not` are usually
    /// false.
    pub held: bool,
}

/// A rule that fired and why.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct FiredRule {
    /// The rule id.
    pub rule: PackText,
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
    pub suppressed_tags: Vec<PackText>,
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
    pub id: PackText,
    /// The pack version.
    pub version: PackText,
    /// The pack title.
    pub title: PackText,
    /// SHA-256 of the pack's canonical JSON, in lowercase hex.
    pub hash: PackText,
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
    /// The reasons of the rules that explain something above, each once,
    /// in pack order.
    pub reasons: Vec<Reason>,
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

    /// The reason of a rule, by its id.
    pub fn reason(&self, rule: &str) -> Option<&Reason> {
        find_reason(&self.reasons, rule)
    }

    /// The reasons a list of rule ids refers to (a focus area's `reasons`,
    /// the challenge's `rationale`), in the list's order.
    pub fn reasons_for<'r>(&'r self, rules: &'r [PackText]) -> impl Iterator<Item = &'r Reason> {
        rules.iter().filter_map(|rule| self.reason(rule))
    }
}

/// The reason of `rule` in a result's list of reasons (in pack order, so a
/// search by rule would need the pack; lists are short).
pub(crate) fn find_reason<'r>(reasons: &'r [Reason], rule: &str) -> Option<&'r Reason> {
    reasons.iter().find(|r| r.rule == rule)
}

/// Weights accumulated over the rules that count for one view.
pub(crate) struct Tally {
    /// The rules that count, in pack order, each once.
    pub(crate) fired: Reused<usize>,
    /// Focus area weights, then challenge weights, then every phase's.
    weights: Reused<f64>,
    pub(crate) therapy: Option<usize>,
    online: bool,
    pub(crate) safety: bool,
    suppressed: u64,
    /// Reasons are worded for the couple's shared view (`shared_reason`).
    shared: bool,
}

impl Tally {
    pub(crate) fn new(program: &Program, shared: bool) -> Tally {
        Tally {
            fired: Reused::new(),
            weights: Reused::filled(0.0, program.weight_slots()),
            therapy: None,
            online: false,
            safety: false,
            suppressed: 0,
            shared,
        }
    }

    fn focus(&self, f: usize) -> f64 {
        self.weights[f]
    }

    fn challenge(&self, program: &Program, c: usize) -> f64 {
        self.weights[program.pack.focus_areas.len() + c]
    }

    fn phases<'t>(&'t self, program: &Program, c: usize) -> &'t [f64] {
        let (first, count) = program.phase_slots[c];
        &self.weights[first..first + count]
    }

    /// Counts rule `i`'s effects `times` times (in couple mode a rule about
    /// one person may hold for both partners). Rules come in pack order.
    pub(crate) fn add(&mut self, program: &Program, i: usize, times: f64) {
        self.fired.push(i);
        let then = &program.rules[i].then;
        let areas = program.pack.focus_areas.len();
        for &(f, w) in &then.focus {
            self.weights[f] += w * times;
        }
        for &(c, w) in &then.challenges {
            self.weights[areas + c] += w * times;
        }
        for &(c, p, w) in &then.phases {
            self.weights[program.phase_slots[c].0 + p] += w * times;
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

/// What a result shows, decided from a settled [`Tally`]: which rules
/// explain which part of it follows from this.
pub(crate) struct Shown {
    /// Focus areas in the order shown.
    pub(crate) areas: Reused<usize>,
    /// The same as a set of bits, in one word when the pack has at most 64
    /// focus areas.
    area_set: u64,
    area_bits: Vec<u64>,
    /// The challenge and its emphasised phase.
    pub(crate) challenge: Option<(usize, usize)>,
    /// The therapy level shown, and whether online therapy fits.
    pub(crate) therapy: (usize, bool),
    /// The safety notice is shown.
    pub(crate) safety: bool,
}

impl Shown {
    pub(crate) fn of(program: &Program, tally: &Tally) -> Shown {
        let t = tally.therapy.unwrap_or(0);
        let areas = area_order(program, tally);
        let count = program.pack.focus_areas.len();
        let (mut area_set, mut area_bits) = (0u64, Vec::new());
        if count <= 64 {
            area_set = areas.iter().fold(0, |set, &f| set | 1 << f);
        } else {
            area_bits = vec![0u64; count.div_ceil(64)];
            for &f in areas.iter() {
                area_bits[f / 64] |= 1 << (f % 64);
            }
        }
        Shown {
            areas,
            area_set,
            area_bits,
            challenge: chosen_challenge(program, tally),
            therapy: (
                t,
                tally.online && t > 0 && (!tally.safety || program.pack.safety.allow_online_therapy),
            ),
            safety: tally.safety,
        }
    }

    fn explains_challenge(&self, e: &EffectModel) -> bool {
        self.challenge.is_some_and(|(c, p)| {
            e.challenges.iter().any(|&(g, _)| g == c) || e.phases.iter().any(|&(g, q, _)| g == c && q == p)
        })
    }

    fn explains_therapy(&self, program: &Program, e: &EffectModel) -> bool {
        let (t, online) = self.therapy;
        (t > 0 && e.therapy == Some(t))
            || (online && e.online_therapy)
            || (self.safety && e.safety && t == program.safety.therapy_level)
    }

    /// True when rule effect `e` explains anything shown.
    pub(crate) fn explains(&self, program: &Program, e: &EffectModel) -> bool {
        (self.safety && e.safety)
            || self.explains_challenge(e)
            || self.explains_therapy(program, e)
            || e.focus.iter().any(|&(f, _)| self.shows_area(f))
    }

    fn shows_area(&self, f: usize) -> bool {
        if self.area_bits.is_empty() {
            self.area_set & (1 << f) != 0
        } else {
            self.area_bits[f / 64] & (1 << (f % 64)) != 0
        }
    }
}

/// Runs every rule and combines the effects of those that fire, deciding
/// what a result shows without building it. Couple rules are skipped: they
/// need two people.
pub(crate) fn decide(program: &Program, state: &State) -> (Tally, Shown) {
    let tally = count_rules(program, state);
    let shown = Shown::of(program, &tally);
    (tally, shown)
}

/// Runs every rule and combines the effects of those that fire.
pub(crate) fn count_rules(program: &Program, state: &State) -> Tally {
    let person = Person { program, state };
    let mut tally = Tally::new(program, false);
    for (i, rule) in program.rules.iter().enumerate() {
        if !rule.access.couple && holds(&rule.when, &person) {
            tally.add(program, i, 1.0);
        }
    }
    tally.settle(program);
    tally
}

/// The result of [`decide`], built.
pub(crate) fn recommend(program: &Program, state: &State, detail: TraceDetail) -> Recommendation {
    let person = Person { program, state };
    let (tally, shown) = decide(program, state);
    Recommendation {
        focus_areas: focus_areas(program, &tally, &shown),
        challenge: challenge(program, &tally, &shown),
        therapy: therapy(program, &tally, &shown),
        safety: safety(program, &tally),
        reasons: reasons(program, &tally, |e| shown.explains(program, e)),
        scores: scores(program, &state.scores),
        progress: state_progress(program, state),
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

/// What changed since the state's earlier snapshots, when it has any.
pub(crate) fn state_progress(program: &Program, state: &State) -> Option<Progress> {
    state.history.as_ref().map(|h| {
        let now: Vec<_> = state.scores.iter().copied().enumerate().collect();
        progress(program, h, &now)
    })
}

pub(crate) fn pack_info(program: &Program) -> PackInfo {
    let t = &program.texts;
    PackInfo {
        id: t.pack_id.clone(),
        version: t.pack_version.clone(),
        title: t.pack_title.clone(),
        hash: t.hash.clone(),
    }
}

/// The counted rules whose effects pass `wanted`, in pack order, each made
/// into an item; the list is sized before it is filled, so it is one
/// allocation whatever its length.
fn counted<T>(
    program: &Program,
    tally: &Tally,
    wanted: impl Fn(&EffectModel) -> bool,
    item: impl Fn(usize) -> T,
) -> Vec<T> {
    let rules = || {
        tally
            .fired
            .iter()
            .copied()
            .filter(|&i| wanted(&program.rules[i].then))
    };
    let mut list = Vec::with_capacity(rules().count());
    list.extend(rules().map(item));
    list
}

/// The ids of the counted rules whose effects pass `wanted`, in pack order.
fn rule_ids(program: &Program, tally: &Tally, wanted: impl Fn(&EffectModel) -> bool) -> RuleIds {
    let mut rules = Reused::new();
    rules.extend(
        tally
            .fired
            .iter()
            .copied()
            .filter(|&i| wanted(&program.rules[i].then)),
    );
    rules.iter().map(|&i| program.texts.rules[i].id.clone()).collect()
}

/// The reasons of the counted rules whose effects pass `wanted`, worded
/// for the tally's view, in pack order.
pub(crate) fn reasons(
    program: &Program,
    tally: &Tally,
    wanted: impl Fn(&EffectModel) -> bool,
) -> Vec<Reason> {
    counted(program, tally, wanted, |i| {
        let rule = &program.texts.rules[i];
        let shared = tally.shared.then_some(rule.shared_reason.as_ref()).flatten();
        Reason {
            rule: rule.id.clone(),
            text: shared.unwrap_or(&rule.reason).clone(),
        }
    })
}

/// Focus areas above 0 and not suppressed: by weight, ties in pack order,
/// the safety area first when the gate is up.
fn area_order(program: &Program, tally: &Tally) -> Reused<usize> {
    let areas = program.pack.focus_areas.len();
    let mut order = Reused::new();
    order.extend(
        (0..areas).filter(|&f| tally.focus(f) > 0.0 && program.focus_tags[f] & tally.suppressed == 0),
    );
    let by_weight = |a: &usize, b: &usize| tally.focus(*b).total_cmp(&tally.focus(*a)).then(a.cmp(b));
    if tally.safety {
        let first = program.safety.focus_area;
        order.retain(|&f| f != first);
        order.insert(0, first);
        // The safety area leads; the rest follow by weight.
        order[1..].sort_by(by_weight);
    } else {
        order.sort_by(by_weight);
    }
    order
}

pub(crate) fn focus_areas(program: &Program, tally: &Tally, shown: &Shown) -> Vec<FocusAreaResult> {
    // One pass over the fired rules' weights, rather than one per area:
    // count each area's rules, lay their lists end to end in one block,
    // then fill it. A few areas are found by a scan and counted on the
    // stack; many through a table, so that a pack of a thousand areas
    // stays linear.
    const FEW: usize = 32;
    let shown_areas = shown.areas.len();
    let table: Option<Reused<usize>> = (shown_areas > FEW).then(|| {
        let mut slot = Reused::filled(usize::MAX, program.pack.focus_areas.len());
        for (k, &f) in shown.areas.iter().enumerate() {
            slot[f] = k;
        }
        slot
    });
    let find = |f: usize| match &table {
        Some(slot) => Some(slot[f]).filter(|&k| k != usize::MAX),
        None => shown.areas.iter().position(|&g| g == f),
    };
    let safety_area = shown.safety.then_some(program.safety.focus_area);
    let explained = |i: usize| {
        let e = &program.rules[i].then;
        let safety = safety_area.filter(|_| e.safety);
        e.focus
            .iter()
            .map(|&(f, _)| f)
            .filter(move |&f| Some(f) != safety)
            .chain(safety)
            .filter_map(find)
    };
    // `ends[k]` is first where area k's list ends, then where it starts
    // once filled from the back.
    let mut few = [0usize; FEW + 1];
    let mut many = Reused::new();
    let ends: &mut [usize] = if shown_areas <= FEW {
        &mut few[..shown_areas + 1]
    } else {
        many.resize(shown_areas + 1, 0);
        &mut many
    };
    for &i in tally.fired.iter() {
        explained(i).for_each(|k| ends[k + 1] += 1);
    }
    for k in 1..ends.len() {
        ends[k] += ends[k - 1];
    }
    let mut block = Reused::filled(0, ends[shown_areas]);
    for &i in tally.fired.iter().rev() {
        for k in explained(i) {
            ends[k + 1] -= 1;
            block[ends[k + 1]] = i;
        }
    }
    // Each area's list is now block[ends[k + 1]..ends[k + 2]], in pack order.
    let ids: RuleIds = block.iter().map(|&i| program.texts.rules[i].id.clone()).collect();
    let total = block.len();
    let bounds = (0..shown_areas).map(|k| ends[k + 1]..ends.get(k + 2).copied().unwrap_or(total));
    shown
        .areas
        .iter()
        .zip(ids.windows(bounds))
        .map(|(&f, reasons)| {
            let area = &program.texts.focus_areas[f];
            FocusAreaResult {
                id: area.id.clone(),
                title: area.title.clone(),
                summary: area.summary.clone(),
                weight: tally.focus(f),
                reasons,
            }
        })
        .collect()
}

/// The heaviest challenge above 0 that is not suppressed, and its
/// heaviest phase.
fn chosen_challenge(program: &Program, tally: &Tally) -> Option<(usize, usize)> {
    let total = |c: usize| tally.challenge(program, c) + tally.phases(program, c).iter().sum::<f64>();
    let mut best: Option<(usize, f64)> = None;
    for c in 0..program.pack.challenges.len() {
        let weight = total(c);
        let allowed = program.challenge_tags[c] & tally.suppressed == 0;
        if allowed && weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
            best = Some((c, weight));
        }
    }
    let (c, _) = best?;
    let phases = tally.phases(program, c);
    let mut p = 0;
    for (i, &w) in phases.iter().enumerate() {
        if w > phases[p] {
            p = i;
        }
    }
    (p < phases.len()).then_some((c, p))
}

pub(crate) fn challenge(program: &Program, tally: &Tally, shown: &Shown) -> Option<ChallengeResult> {
    let (c, p) = shown.challenge?;
    let texts = &program.texts.challenges[c];
    let phase = &program.pack.challenges[c].phases[p];
    let phases = tally.phases(program, c);
    Some(ChallengeResult {
        id: texts.about.id.clone(),
        title: texts.about.title.clone(),
        summary: texts.about.summary.clone(),
        weight: tally.challenge(program, c) + phases.iter().sum::<f64>(),
        phase: PhaseResult {
            id: texts.phases[p].id.clone(),
            first_day: phase.first_day,
            last_day: phase.last_day,
            theme: texts.phases[p].theme.clone(),
            weight: phases[p],
        },
        rationale: rule_ids(program, tally, |e| shown.explains_challenge(e)),
    })
}

pub(crate) fn therapy(program: &Program, tally: &Tally, shown: &Shown) -> TherapyResult {
    let (t, online) = shown.therapy;
    let level = &program.texts.therapy[t];
    TherapyResult {
        level: level.id.clone(),
        rank: t as u32,
        title: level.title.clone(),
        message: level.summary.clone(),
        online,
        reasons: rule_ids(program, tally, |e| shown.explains_therapy(program, e)),
    }
}

pub(crate) fn safety(program: &Program, tally: &Tally) -> Option<SafetyNotice> {
    if !tally.safety {
        return None;
    }
    let texts = &program.texts;
    Some(SafetyNotice {
        title: texts.safety_title.clone(),
        message: texts.safety_message.clone(),
        resources: texts.resources.clone(),
        reasons: rule_ids(program, tally, |e| e.safety),
        suppressed_tags: tag_names(program, program.safety.suppress),
    })
}

/// Names of the tags in a mask, sorted.
fn tag_names(program: &Program, mask: u64) -> Vec<PackText> {
    let mut names: Vec<PackText> = program
        .texts
        .tags
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
        .texts
        .dimensions
        .iter()
        .zip(&program.pack.dimensions)
        .zip(scored)
        .map(|((dim, model), s)| {
            let band = s.band.and_then(|b| dim.bands.get(b));
            DimensionScore {
                id: dim.id.clone(),
                title: dim.title.clone(),
                score: s.score,
                raw: s.raw,
                band: band.map(|b| b.0.clone()),
                band_label: band.map(|b| b.1.clone()),
                answered: s.answered as u32,
                items: model.items.len() as u32,
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
    value: impl Fn(Test, Option<Pair>) -> PackText,
) -> Trace {
    // One scratch list for every rule; values are put in words only for
    // the leaves that end up in the trace.
    let mut hits = match detail {
        TraceDetail::Full => Vec::with_capacity(16),
        TraceDetail::RulesOnly => Vec::new(),
    };
    let fired = fired
        .iter()
        .map(|&i| {
            hits.clear();
            if detail == TraceDetail::Full {
                explain(&program.rules[i].when, subject, &mut hits);
            }
            FiredRule {
                rule: program.texts.rules[i].id.clone(),
                index: i as u32,
                leaves: hits
                    .iter()
                    .map(|hit| {
                        let info = &program.texts.leaves[hit.leaf as usize];
                        LeafTrace {
                            path: info.path.clone(),
                            test: info.test.clone(),
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
