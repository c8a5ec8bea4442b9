//! Validate a [`Pack`] and compile it into a [`Program`]: every id resolved
//! to an index, every condition checked and turned into a tree of typed
//! tests, every problem collected with its JSON path.
//!
//! Compilation never stops at the first problem: authors fix a pack in one
//! round trip, not one error at a time.

use std::borrow::Borrow;
use std::collections::hash_map::{Entry, RandomState};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hash};

use crate::id_hash::{IdHasher, IdTable};
use crate::text::{PackText, Texts};

use crate::error::{
    cap_problems, closest, key_path, name_list, truncate_text, Problem, ProblemKind, MAX_PROBLEM_TEXT_BYTES,
};
use crate::pack::{
    AnswerSpec, BandScale, Better, Condition, Effects, FactKind, Pack, Rule, ScoreMethod, Whose,
};
pub(crate) use crate::privacy::{personal_rule, Access, CoupleModel};

mod limits;
mod rules;
mod sections;

pub use limits::Limits;

/// Largest magnitude allowed for effect weights.
pub(crate) const MAX_EFFECT_WEIGHT: f64 = 100.0;
/// Largest magnitude allowed for option weights, ranges and item weights.
pub(crate) const MAX_MAGNITUDE: f64 = 1e9;

/// The meaningful change of a dimension that declares none, in score points.
pub(crate) const DEFAULT_MEANINGFUL_CHANGE: f64 = 10.0;

/// The longest challenge, in days.
const MAX_DAYS: u32 = crate::pack::MAX_CHALLENGE_DAYS;

/// A set of tags, one bit per distinct tag (at most 64, see [`Limits`]).
pub(crate) type TagMask = u64;

/// A question, compiled.
#[derive(Debug)]
pub(crate) struct QuestionModel {
    pub(crate) kind: QuestionKind,
    pub(crate) reverse: bool,
    /// Lowest and highest item score (option weight, number, or 0/1).
    pub(crate) lo: f64,
    pub(crate) hi: f64,
}

#[derive(Debug)]
pub(crate) enum QuestionKind {
    Options {
        values: Vec<String>,
        weights: Vec<f64>,
        /// Each option as a trace shows it, such as `often (weight 3)`,
        /// written once here rather than on every assessment, and shared
        /// with the texts of results.
        shown: Vec<PackText>,
    },
    Range {
        min: f64,
        max: f64,
        step: Option<f64>,
    },
    YesNo,
}

/// A context fact, compiled.
#[derive(Debug)]
pub(crate) enum FactModel {
    Bool,
    Number { min: f64, max: f64 },
    Choice { choices: Vec<String> },
}

/// A dimension, compiled.
#[derive(Debug)]
pub(crate) struct DimensionModel {
    pub(crate) items: Vec<(usize, f64)>,
    pub(crate) method: ScoreMethod,
    pub(crate) min_answered: usize,
    pub(crate) band_scale: BandScale,
    /// Band lower bounds, ascending; the upper bound of the last is `band_top`.
    pub(crate) band_mins: Vec<f64>,
    pub(crate) band_top: f64,
    /// The smallest change that counts as better or worse.
    pub(crate) meaningful_change: f64,
    /// A lower score is better.
    pub(crate) lower_is_better: bool,
}

/// A numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Cmp {
    pub(crate) fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Cmp::Eq => left == right,
            Cmp::Ne => left != right,
            Cmp::Lt => left < right,
            Cmp::Lte => left <= right,
            Cmp::Gt => left > right,
            Cmp::Gte => left >= right,
        }
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Lte => "<=",
            Cmp::Gt => ">",
            Cmp::Gte => ">=",
        }
    }
}

/// A leaf test with every id resolved to an index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Test {
    Score {
        dimension: usize,
        cmp: Cmp,
        value: f64,
    },
    /// True when the dimension's band is in the set (one bit per band).
    Band {
        dimension: usize,
        bands: u64,
    },
    AnswerNumber {
        question: usize,
        cmp: Cmp,
        value: f64,
    },
    /// True when the chosen option is in the set (one bit per option).
    AnswerOption {
        question: usize,
        options: u64,
    },
    AnswerBool {
        question: usize,
        value: bool,
    },
    FactNumber {
        fact: usize,
        cmp: Cmp,
        value: f64,
    },
    FactChoice {
        fact: usize,
        choices: u64,
    },
    FactBool {
        fact: usize,
        value: bool,
    },
    Answered {
        question: usize,
    },
    Unanswered {
        question: usize,
    },
    /// The dimension's raw value (sum or mean of item scores).
    Raw {
        dimension: usize,
        cmp: Cmp,
        value: f64,
    },
    /// Over time: the score now minus the score in the previous snapshot.
    Change {
        dimension: usize,
        cmp: Cmp,
        value: f64,
    },
    /// Over time: the direction since the previous snapshot is in the set
    /// (see [`TREND_BETTER`]).
    Trend {
        dimension: usize,
        directions: u8,
    },
    /// Over time: the band in the previous snapshot is in the set.
    PreviousBand {
        dimension: usize,
        bands: u64,
    },
    /// Over time: the challenge of the previous snapshot.
    PreviousChallenge {
        challenge: usize,
    },
    /// Over time: the phase (challenge index, phase index) of the previous snapshot.
    PreviousPhase {
        challenge: usize,
        phase: usize,
    },
    /// Over time: the challenge day the previous snapshot says was reached.
    PreviousDay {
        cmp: Cmp,
        value: f64,
    },
    /// Over time: days between the previous snapshot and this assessment.
    DaysSince {
        cmp: Cmp,
        value: f64,
    },
    /// Couple mode: the absolute difference of the partners' scores.
    ScoreGap {
        dimension: usize,
        cmp: Cmp,
        value: f64,
    },
    /// Couple mode: the absolute difference of the partners' item values.
    AnswerGap {
        question: usize,
        cmp: Cmp,
        value: f64,
    },
}

/// Directions of a `trend` leaf, as bits.
pub(crate) const TREND_BETTER: u8 = 1;
pub(crate) const TREND_WORSE: u8 = 2;
pub(crate) const TREND_STEADY: u8 = 4;

/// How a couple-mode leaf reads the two partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pair {
    /// The test holds for at least one partner.
    Either,
    /// The test holds for both partners.
    Both,
    /// The test compares the partners (`ScoreGap`, `AnswerGap`).
    Gap,
}

/// A condition tree. Leaves carry an index into [`Program::leaves`] so a
/// trace can name their path and wording.
#[derive(Debug)]
pub(crate) enum Cond {
    All(Box<[Cond]>),
    Any(Box<[Cond]>),
    Not(Box<Cond>),
    AtLeast(usize, Box<[Cond]>),
    Leaf(Test, u32),
    /// A couple-mode leaf; false in single mode, where couple rules are
    /// skipped anyway.
    Couple(Pair, Test, u32),
}

/// What a trace says about a leaf.
#[derive(Debug)]
pub(crate) struct LeafInfo {
    /// Its JSON path, for problems and lints and shared with traces.
    pub(crate) path: PackText,
    /// Its wording, shared with the texts of results.
    pub(crate) text: PackText,
}

/// A rule's effects, compiled.
#[derive(Debug, Default)]
pub(crate) struct EffectModel {
    pub(crate) focus: Vec<(usize, f64)>,
    pub(crate) challenges: Vec<(usize, f64)>,
    /// Phase weights by (challenge index, phase index within it).
    pub(crate) phases: Vec<(usize, usize, f64)>,
    pub(crate) therapy: Option<usize>,
    pub(crate) online_therapy: bool,
    pub(crate) safety: bool,
    pub(crate) suppress: TagMask,
    pub(crate) neutral_plan: bool,
}

/// A rule, compiled.
#[derive(Debug)]
pub(crate) struct RuleModel {
    pub(crate) when: Cond,
    pub(crate) then: EffectModel,
    /// Who the rule is about and what it reads, for couple mode.
    pub(crate) access: Access,
}

/// The safety gate, compiled.
#[derive(Debug)]
pub(crate) struct SafetyModel {
    pub(crate) suppress: TagMask,
    pub(crate) focus_area: usize,
    pub(crate) therapy_level: usize,
}

/// A compiled pack: everything evaluation needs, by index.
#[derive(Debug)]
pub(crate) struct Program {
    pub(crate) pack: Pack,
    pub(crate) hash: String,
    pub(crate) limits: Limits,
    pub(crate) question_index: IdTable<usize>,
    pub(crate) questions: Vec<QuestionModel>,
    pub(crate) fact_index: IdTable<usize>,
    pub(crate) facts: Vec<FactModel>,
    pub(crate) dimensions: Vec<DimensionModel>,
    pub(crate) focus_tags: Vec<TagMask>,
    pub(crate) challenge_tags: Vec<TagMask>,
    pub(crate) therapy_tags: Vec<TagMask>,
    pub(crate) safety: SafetyModel,
    pub(crate) rules: Vec<RuleModel>,
    pub(crate) leaves: Vec<LeafInfo>,
    /// Tag names by bit.
    pub(crate) tag_names: Vec<String>,
    pub(crate) couple: CoupleModel,
    /// Every text a result can show, shared rather than copied.
    pub(crate) texts: Texts,
    /// Where each challenge's phase weights start in a tally, and how many.
    pub(crate) phase_slots: Vec<(usize, usize)>,
}

impl Program {
    /// How many weights a tally keeps: one per focus area, per challenge
    /// and per phase.
    pub(crate) fn weight_slots(&self) -> usize {
        self.phase_slots.last().map_or(
            self.pack.focus_areas.len() + self.pack.challenges.len(),
            |&(first, count)| first + count,
        )
    }
}

/// Tally positions of every challenge's phases: after the focus areas and
/// the challenges, challenge by challenge.
fn phase_slots(pack: &Pack) -> Vec<(usize, usize)> {
    let mut next = pack.focus_areas.len() + pack.challenges.len();
    pack.challenges
        .iter()
        .map(|c| {
            let slot = (next, c.phases.len());
            next += c.phases.len();
            slot
        })
        .collect()
}

/// Compiles a parsed pack, or returns every problem found.
pub(crate) fn compile(pack: Pack, hash: String, limits: &Limits) -> Result<Program, Vec<Problem>> {
    let mut c = Compiler {
        limits,
        problems: Vec::new(),
        omitted: 0,
        tags: Vec::new(),
        leaves: Vec::new(),
        text: String::new(),
    };
    if !c.check_header(&pack) {
        // Over a count limit: refused by the limits, not built.
        return Err(c.finish());
    }
    let sections = c.index_ids(
        Path::Root("sections"),
        pack.sections.iter().map(|s| s.id.as_str()),
    );
    let (questions, question_index) = c.questions(&pack, &sections);
    let (facts, fact_index) = c.facts(&pack);
    let dimension_index = c.index_ids(
        Path::Root("dimensions"),
        pack.dimensions.iter().map(|d| d.id.as_str()),
    );
    let dimensions = c.dimensions(&pack, &question_index, &questions);
    let focus_index = c.index_ids(
        Path::Root("focus_areas"),
        pack.focus_areas.iter().map(|f| f.id.as_str()),
    );
    let challenge_index = c.index_ids(
        Path::Root("challenges"),
        pack.challenges.iter().map(|ch| ch.id.as_str()),
    );
    let phase_index = c.phases(&pack);
    let therapy_index = c.index_ids(
        Path::Root("therapy_levels"),
        pack.therapy_levels.iter().map(|t| t.id.as_str()),
    );
    c.catalog_texts(&pack);
    let focus_tags = c.tag_masks("focus_areas", pack.focus_areas.iter().map(|f| &f.tags[..]));
    let challenge_tags = c.tag_masks("challenges", pack.challenges.iter().map(|ch| &ch.tags[..]));
    let therapy_tags = c.tag_masks("therapy_levels", pack.therapy_levels.iter().map(|t| &t.tags[..]));
    let refs = Refs {
        questions: &question_index,
        question_models: &questions,
        facts: &fact_index,
        fact_models: &facts,
        dimensions: &dimension_index,
        pack: &pack,
        focus: &focus_index,
        challenges: &challenge_index,
        phases: &phase_index,
        therapy: &therapy_index,
    };
    let safety = c.safety(&pack, &refs, &focus_tags, &therapy_tags);
    if therapy_tags.first().is_some_and(|&mask| mask != 0) {
        c.problem(
            ProblemKind::InvalidSuppression,
            "therapy_levels[0].tags",
            "the first therapy level is the baseline and cannot carry tags, so it can never be suppressed",
        );
    }
    // A rule may not suppress what the safety gate relies on.
    let protected = focus_tags.get(safety.focus_area).copied().unwrap_or(0)
        | therapy_tags.get(safety.therapy_level).copied().unwrap_or(0);
    let rules = c.rules(&pack.rules, &refs, protected);
    let couple = crate::privacy::check(
        &crate::privacy::Checked {
            rules: &rules,
            leaves: &c.leaves,
            refs: &refs,
            suppress: safety.suppress,
            focus_tags: &focus_tags,
            therapy_tags: &therapy_tags,
            limits,
        },
        &mut c.problems,
    );
    c.result_size(&pack, &rules);

    if !c.problems.is_empty() || c.omitted > 0 {
        return Err(c.finish());
    }
    let mut program = Program {
        texts: Texts::default(),
        phase_slots: phase_slots(&pack),
        hash,
        limits: limits.clone(),
        question_index,
        questions,
        fact_index,
        facts,
        dimensions,
        focus_tags,
        challenge_tags,
        therapy_tags,
        safety,
        rules,
        leaves: c.leaves,
        tag_names: c.tags,
        couple,
        pack,
    };
    program.texts = Texts::of(&program);
    Ok(program)
}

/// Id lookups shared by the rule and safety compilers.
pub(crate) struct Refs<'a> {
    pub(crate) questions: &'a IdTable<usize>,
    pub(crate) question_models: &'a [QuestionModel],
    pub(crate) facts: &'a IdTable<usize>,
    pub(crate) fact_models: &'a [FactModel],
    pub(crate) dimensions: &'a Index<'a, usize>,
    pub(crate) pack: &'a Pack,
    pub(crate) focus: &'a Index<'a, usize>,
    pub(crate) challenges: &'a Index<'a, usize>,
    /// Phases of every challenge, which may be many: std's hasher.
    pub(crate) phases: &'a HashMap<&'a str, (usize, usize)>,
    pub(crate) therapy: &'a Index<'a, usize>,
}

struct Compiler<'l> {
    limits: &'l Limits,
    problems: Vec<Problem>,
    /// Problems found past `max_problems`: counted, never built.
    omitted: usize,
    tags: Vec<String>,
    leaves: Vec<LeafInfo>,
    /// Scratch space for the wording of a leaf.
    text: String,
}

/// Where a condition sits, for the rules that only some conditions obey.
#[derive(Clone, Copy)]
struct CondScope {
    depth: usize,
    /// Inside a rule that raises the safety flag.
    safety: bool,
    /// Inside a rule that is always about one person (see [`personal_rule`]).
    personal: bool,
}

impl Compiler<'_> {
    /// Records a problem; the path is written out only here, for a
    /// problem that is kept.
    fn problem(&mut self, kind: ProblemKind, path: impl fmt::Display, message: impl Into<String>) {
        if self.full() {
            self.omitted += 1;
            return;
        }
        let mut problem = Problem::new(kind, path.to_string(), message);
        // Cut at once, so the problems kept hold little whatever they quote.
        truncate_text(&mut problem.path, MAX_PROBLEM_TEXT_BYTES);
        truncate_text(&mut problem.message, MAX_PROBLEM_TEXT_BYTES);
        self.problems.push(problem);
    }

    /// True when no more problems are kept; callers with costly messages
    /// check it first.
    fn full(&self) -> bool {
        self.problems.len() >= self.limits.max_problems.max(1)
    }

    /// The problems kept, and one entry counting the rest.
    fn finish(mut self) -> Vec<Problem> {
        let max = self.limits.max_problems.max(1);
        cap_problems(&mut self.problems, max, self.omitted);
        self.problems
    }

    /// Refuses a pack whose result could outgrow [`Limits::max_result_bytes`]
    /// if every rule fired. The largest result is a couple plan: each
    /// reason is held once in each of its three views (the shared one in
    /// its shared wording), and each place it explains refers to it by
    /// rule id, in each view.
    fn result_size(&mut self, pack: &Pack, rules: &[RuleModel]) {
        const VIEWS: u64 = 3;
        let mut total: u64 = 0;
        let mut costliest = (0u64, 0usize);
        for (i, (rule, model)) in pack.rules.iter().zip(rules).enumerate() {
            let e = &model.then;
            let places = e.focus.len()
                + usize::from(!e.challenges.is_empty() || !e.phases.is_empty())
                + usize::from(e.therapy.is_some() || e.online_therapy)
                + usize::from(e.safety);
            let id = rule.id.len() as u64;
            let wording = rule
                .then
                .reason
                .len()
                .max(rule.then.shared_reason.as_ref().map_or(0, String::len));
            // The reason with its id and record, and each reference with
            // its place in a list.
            let once = wording as u64 + id + 32;
            let references = (places as u64).saturating_mul(id + 8);
            let cost = VIEWS.saturating_mul(once.saturating_add(references));
            total = total.saturating_add(cost);
            if cost > costliest.0 {
                costliest = (cost, i);
            }
        }
        let limit = self.limits.max_result_bytes as u64;
        if total > limit {
            self.problem(
                ProblemKind::TooLarge,
                Path::Root("rules").index(costliest.1).field("then"),
                format!(
                    "if every rule fired, a result would hold {total} bytes of reasons and references to \
                     them, over the limit of {limit}; this rule costs the most ({} bytes): shorten \
                     reasons or weight fewer focus areas per rule",
                    costliest.0
                ),
            );
        }
    }

    /// Options, choices and bands are matched through 64-bit sets, so no
    /// limit can raise their count above 64.
    fn max_options(&self) -> usize {
        self.limits.max_options.min(64)
    }

    fn check_id(&mut self, id: &str, path: impl fmt::Display) {
        if id.is_empty() {
            self.problem(ProblemKind::Empty, path, "id is empty");
        } else if id.len() > self.limits.max_id_bytes {
            self.problem(
                ProblemKind::InvalidId,
                path,
                format!(
                    "id is {} bytes, over the limit of {}",
                    id.len(),
                    self.limits.max_id_bytes
                ),
            );
        } else if !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        {
            self.problem(
                ProblemKind::InvalidId,
                path,
                format!("id {id:?} may only use ASCII letters, digits, '_', '-' and '.'"),
            );
        }
    }

    fn check_text(&mut self, text: &str, path: impl fmt::Display, required: bool) {
        // As `text.trim().is_empty()`, stopping at the first character
        // that is not whitespace.
        if required && text.chars().all(char::is_whitespace) {
            self.problem(ProblemKind::Empty, path, "text is empty");
        } else if text.len() > self.limits.max_text_bytes {
            self.problem(
                ProblemKind::TooLarge,
                path,
                format!(
                    "text is {} bytes, over the limit of {}",
                    text.len(),
                    self.limits.max_text_bytes
                ),
            );
        }
    }

    fn check_count(&mut self, count: usize, limit: usize, path: impl fmt::Display, what: &str) -> bool {
        if count > limit {
            self.problem(
                ProblemKind::TooLarge,
                path,
                format!("{count} {what}, over the limit of {limit}"),
            );
            return false;
        }
        true
    }

    fn check_number(&mut self, value: f64, path: impl fmt::Display, bound: f64) -> bool {
        if !value.is_finite() || value.abs() > bound {
            self.problem(
                ProblemKind::InvalidNumber,
                path,
                format!("number must be finite and between -{bound} and {bound}"),
            );
            return false;
        }
        true
    }

    /// Checks and indexes a list of ids; a duplicate points at the first one.
    fn index_ids<'p, S: BuildHasher + Default>(
        &mut self,
        list: Path<'_>,
        ids: impl ExactSizeIterator<Item = &'p str>,
    ) -> HashMap<&'p str, usize, S> {
        let mut index = HashMap::with_capacity_and_hasher(ids.len(), S::default());
        for (i, id) in ids.enumerate() {
            self.check_id(id, list.index(i).field("id"));
            match index.entry(id) {
                Entry::Occupied(first) => {
                    let first = *first.get();
                    self.problem(
                        ProblemKind::DuplicateId,
                        list.index(i).field("id"),
                        format!(
                            "duplicate id {id:?}, first defined at {}",
                            list.index(first).field("id")
                        ),
                    );
                }
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
        index
    }

    /// Checks a list of ids and reports duplicates, like
    /// [`Self::index_ids`] without keeping the index.
    fn unique_ids<'p>(&mut self, list: Path<'_>, ids: impl ExactSizeIterator<Item = &'p str> + Clone) {
        // A short list is scanned: no map to build. A long one, such as
        // the rules, may be long indeed: std's hasher.
        if ids.len() > 16 {
            self.index_ids::<RandomState>(list, ids);
            return;
        }
        for (i, id) in ids.clone().enumerate() {
            self.check_id(id, list.index(i).field("id"));
            if let Some(first) = ids.clone().take(i).position(|other| other == id) {
                self.problem(
                    ProblemKind::DuplicateId,
                    list.index(i).field("id"),
                    format!(
                        "duplicate id {id:?}, first defined at {}",
                        list.index(first).field("id")
                    ),
                );
            }
        }
    }

    /// Checks the header and the top-level counts; false when a count is
    /// over its limit, so that nothing more is built.
    fn check_header(&mut self, pack: &Pack) -> bool {
        self.check_id(&pack.id, "id");
        self.check_text(&pack.version, "version", true);
        self.check_text(&pack.title, "title", false);
        let l = self.limits;
        let mut within = true;
        within &= self.check_count(pack.questions.len(), l.max_questions, "questions", "questions");
        within &= self.check_count(pack.context.len(), l.max_facts, "context", "context facts");
        within &= self.check_count(
            pack.dimensions.len(),
            l.max_dimensions,
            "dimensions",
            "dimensions",
        );
        within &= self.check_count(pack.rules.len(), l.max_rules, "rules", "rules");
        within &= self.check_count(pack.sections.len(), l.max_items, "sections", "sections");
        within &= self.check_count(pack.focus_areas.len(), l.max_items, "focus_areas", "focus areas");
        within &= self.check_count(pack.challenges.len(), l.max_items, "challenges", "challenges");
        within &= self.check_count(
            pack.therapy_levels.len(),
            l.max_items,
            "therapy_levels",
            "therapy levels",
        );
        within &= self.check_count(
            pack.safety.resources.len(),
            l.max_items,
            "safety.resources",
            "resources",
        );
        if pack.questions.is_empty() {
            self.problem(
                ProblemKind::Empty,
                "questions",
                "a pack needs at least one question",
            );
        }
        if pack.therapy_levels.is_empty() {
            self.problem(
                ProblemKind::Empty,
                "therapy_levels",
                "a pack needs at least one therapy level (the baseline)",
            );
        }
        within
    }
}

/// Ids of a pack section mapped to their positions, borrowed from the
/// pack while it is compiled.
///
/// The lists indexed so hold at most a thousand items (see [`Limits`]) and
/// only the pack's ids, so they use the fast hasher of the engine's id
/// tables (see `id_hash`); the rules, which may be many more, are checked
/// for duplicates with std's.
pub(crate) type Index<'p, T> = HashMap<&'p str, T, BuildHasherDefault<IdHasher>>;

/// A JSON path such as `questions[3].answer.options[1].value`, written out
/// only when a problem shows it: an item without problems costs no string.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// A top-level key, or a path already written out.
    Root(&'a str),
    /// A field of an object.
    Field(&'a Path<'a>, &'a str),
    /// An element of a list.
    Item(&'a Path<'a>, usize),
    /// An entry of a map such as `rules[3].then.focus.listening`, its key
    /// quoted when it is not a plain id (see [`key_path`]).
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    pub(crate) fn field<'b>(&'b self, name: &'b str) -> Path<'b> {
        Path::Field(self, name)
    }

    pub(crate) fn index(&self, i: usize) -> Path<'_> {
        Path::Item(self, i)
    }

    pub(crate) fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Path::Root(path) => f.write_str(path),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Item(parent, i) => write!(f, "{parent}[{i}]"),
            Path::Key(parent, key) => f.write_str(&key_path(&parent.to_string(), key)),
        }
    }
}

/// The index a program keeps, with ids of its own.
fn owned_index(index: &Index<'_, usize>) -> IdTable<usize> {
    let mut owned = IdTable::with_capacity_and_hasher(index.len(), BuildHasherDefault::default());
    owned.extend(index.iter().map(|(&id, &i)| (id.to_owned(), i)));
    owned
}

/// A number as traces and messages show it; whole numbers skip the float
/// formatter, which is slow, and `-0` shows as `0`.
pub(crate) fn number_text(value: f64) -> String {
    let mut text = String::new();
    push_number(&mut text, value);
    text
}

/// Appends a number as [`number_text`] writes it.
pub(crate) fn push_number(out: &mut String, value: f64) {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        // Not `-0`: a whole number as an integer, and zero without a sign.
        if value < 0.0 {
            out.push('-');
        }
        push_digits(out, value.abs() as u64);
    } else if value.abs() >= 1e21 || (value != 0.0 && value.abs() < 1e-7) {
        use fmt::Write;
        // Very large or small, as JavaScript switches: `1e308`, not three
        // hundred digits.
        let _ = write!(out, "{value:e}");
    } else {
        use fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(out, "{value}");
    }
}

/// Appends the decimal digits of `n`, without the formatting machinery.
pub(crate) fn push_digits(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// Most steps a range question may have: past this, a step is so small
/// that every answer passes the step check within its rounding.
const MAX_RANGE_STEPS: f64 = 1_000_000.0;

/// A step that makes the step check mean something: positive, no wider
/// than the range, and not finer than [`MAX_RANGE_STEPS`] steps.
fn sane_step(step: f64, min: f64, max: f64) -> bool {
    let span = max - min;
    step > 0.0 && step <= span && span / step <= MAX_RANGE_STEPS
}

/// A condition's value as a message shows it: only its type. It is what an
/// answer would be compared with, and no error repeats such a value; the
/// path points at it.
fn shown_value(value: &serde_json::Value) -> &'static str {
    use serde_json::Value as J;
    match value {
        J::String(_) => "this string",
        J::Number(_) => "this number",
        J::Bool(_) => "this boolean",
        J::Null => "null",
        J::Array(_) => "a list",
        J::Object(_) => "an object",
    }
}

/// Equal up to rounding in the sixth decimal, as scores are reported.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The range the raw value of a dimension can take.
pub(crate) fn raw_scale(
    method: ScoreMethod,
    items: &[(usize, f64)],
    questions: &[QuestionModel],
) -> (f64, f64) {
    match method {
        ScoreMethod::Sum => items.iter().fold((0.0, 0.0), |(lo, hi), &(q, w)| {
            (lo + w * questions[q].lo, hi + w * questions[q].hi)
        }),
        ScoreMethod::Mean => items
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(q, _)| {
                (lo.min(questions[q].lo), hi.max(questions[q].hi))
            }),
    }
}
