//! Validate a [`Pack`] and compile it into a [`Program`]: every id resolved
//! to an index, every condition checked and turned into a tree of typed
//! tests, every problem collected with its JSON path.
//!
//! Compilation never stops at the first problem: authors fix a pack in one
//! round trip, not one error at a time.

use std::collections::HashMap;
use std::fmt;

use crate::error::{
    cap_problems, key_path, name_list, truncate_text, Problem, ProblemKind, MAX_PROBLEM_TEXT_BYTES,
};
use crate::pack::{
    AnswerSpec, BandScale, Better, Condition, Effects, FactKind, Pack, Rule, ScoreMethod, Whose,
};
pub(crate) use crate::privacy::{personal_rule, Access, CoupleModel};

/// Size limits that keep a pack from a server from exhausting memory or time.
///
/// Pack limits are checked while compiling and reported as
/// [`ProblemKind::TooLarge`], except three checked before parsing: the byte
/// size ([`crate::PackError::TooLarge`]), the count of JSON objects and
/// arrays ([`crate::PackError::TooComplex`]), and JSON nesting deeper than
/// [`Limits::max_json_depth`] or [`Limits::max_json_object_depth`] (a
/// [`crate::PackError::Syntax`] error with its line and column). Condition nesting deeper than `max_condition_depth` is
/// [`ProblemKind::TooDeep`]. A pack built in code is checked for nesting
/// before anything walks it, without recursion. So no input can overflow
/// the stack: loading and assessing work on a 128 KiB thread stack.
/// `max_answers` and `max_answers_bytes` are checked by `assess`
/// ([`ProblemKind::TooManyAnswers`], [`ProblemKind::TooLarge`]).
///
/// Error text is bounded too: at most `max_problems` problems are listed
/// (then one [`ProblemKind::TooManyProblems`] entry counts the rest), each
/// path and message is cut at 512 bytes, and a message lists at most eight
/// names (such as a question's options), each cut at 40 bytes.
///
/// Fixed bounds that are not fields: an answers JSON nests at most 4
/// levels and holds at most 32 objects and arrays (a `syntax` error past
/// them); a range question's `step` divides its range into at most
/// 1,000,000 steps; a fixture report keeps the fired rules (at most 50) and
/// the trace (at most 16 KiB) of its first 20 failures only (see
/// [`crate::fixtures::MAX_DETAILED_FAILURES`]), and a fixture file nests at
/// most 8 levels.
///
/// The defaults admit packs far larger than a questionnaire needs (the
/// default pack is 61 KB with 43 rules, and its engine keeps about 210 KiB):
/// at the limits, an engine can reach about a hundred megabytes. An app that
/// downloads packs can tighten them with [`crate::Engine::from_json_with_limits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest pack, in bytes of JSON.
    pub max_pack_bytes: usize,
    /// Most JSON objects and arrays in a pack, counted before parsing: it
    /// bounds the memory parsing can take (a condition object is a few
    /// hundred bytes once parsed, however short its JSON).
    pub max_json_containers: usize,
    /// Most questions.
    pub max_questions: usize,
    /// Most options in one question, choices in one fact, or bands in one
    /// dimension; at most 64 (a larger value counts as 64), since they are
    /// matched as 64-bit sets.
    pub max_options: usize,
    /// Most context facts.
    pub max_facts: usize,
    /// Most dimensions.
    pub max_dimensions: usize,
    /// Most sections, focus areas, challenges, phases, therapy levels,
    /// resources, practices in an area, or entries in one effect's
    /// `focus`, `challenges` or `phases` (each counted separately).
    pub max_items: usize,
    /// Most rules.
    pub max_rules: usize,
    /// Deepest condition nesting; a bare leaf has depth 1.
    pub max_condition_depth: usize,
    /// Most condition nodes in one rule.
    pub max_condition_nodes: usize,
    /// Most distinct tags in the pack.
    pub max_tags: usize,
    /// Longest id, in bytes.
    pub max_id_bytes: usize,
    /// Longest text (prompt, label, message, reason, activity), in bytes.
    pub max_text_bytes: usize,
    /// Most answers (or context values) in one assessment, and most
    /// entries in any one object of an answers JSON, counted before parsing.
    pub max_answers: usize,
    /// Largest answers JSON (`assess_json`, fixtures' answers are bounded
    /// by their file), in bytes, checked before parsing.
    pub max_answers_bytes: usize,
    /// Most problems listed in one error; the rest are counted, not built.
    pub max_problems: usize,
    /// Largest worst-case result, in bytes of reason text: if every rule
    /// fired, each reason counted once per place a result would copy it
    /// (each focus area it weights, the challenge rationale, the therapy
    /// and safety reasons), with its rule id. A pack over it is refused
    /// with [`ProblemKind::TooLarge`] at the costliest rule's reason.
    pub max_result_bytes: usize,
}

impl Limits {
    /// Deepest JSON nesting in a pack, checked before parsing: a condition
    /// at the deepest allowed level, inside `all` lists all the way down,
    /// with an `in` list, and no deeper (`max_condition_depth` counts as at
    /// most 32 here).
    pub fn max_json_depth(&self) -> usize {
        2 * self.max_condition_depth.min(32) + 4
    }

    /// Deepest nesting of JSON objects alone in a pack, checked before
    /// parsing: the pack, a rule, and a few conditions past the deepest
    /// allowed (so that `too_deep` still names the path of a condition a
    /// little too deep). A chain of `not`s nests objects only, and this
    /// keeps its parse within a small stack.
    pub fn max_json_object_depth(&self) -> usize {
        self.max_condition_depth.min(32) + 8
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pack_bytes: 8 * 1024 * 1024,
            max_json_containers: 200_000,
            max_questions: 1_000,
            max_options: 64,
            max_facts: 256,
            max_dimensions: 256,
            max_items: 1_000,
            max_rules: 20_000,
            max_condition_depth: 16,
            max_condition_nodes: 1_000,
            max_tags: 64,
            max_id_bytes: 128,
            max_text_bytes: 8 * 1024,
            max_answers: 2_000,
            max_answers_bytes: 4 * 1024 * 1024,
            max_problems: 100,
            max_result_bytes: 8 * 1024 * 1024,
        }
    }
}

/// Largest magnitude allowed for effect weights.
pub(crate) const MAX_EFFECT_WEIGHT: f64 = 100.0;
/// Largest magnitude allowed for option weights, ranges and item weights.
pub(crate) const MAX_MAGNITUDE: f64 = 1e9;

/// The meaningful change of a dimension that declares none, in score points.
pub(crate) const DEFAULT_MEANINGFUL_CHANGE: f64 = 10.0;

/// The longest challenge, in days.
const MAX_DAYS: u32 = 366;

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
        /// written once here rather than on every assessment.
        shown: Vec<String>,
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
    pub(crate) path: String,
    pub(crate) text: String,
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
    pub(crate) question_index: HashMap<String, usize>,
    pub(crate) questions: Vec<QuestionModel>,
    pub(crate) fact_index: HashMap<String, usize>,
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
}

/// Compiles a parsed pack, or returns every problem found.
pub(crate) fn compile(pack: Pack, hash: String, limits: &Limits) -> Result<Program, Vec<Problem>> {
    let mut c = Compiler {
        limits,
        problems: Vec::new(),
        omitted: 0,
        tags: Vec::new(),
        leaves: Vec::new(),
    };
    if !c.check_header(&pack) {
        // Over a count limit: refused by the limits, not built.
        return Err(c.finish());
    }
    let sections = c.index_ids("sections", pack.sections.iter().map(|s| s.id.as_str()));
    let (questions, question_index) = c.questions(&pack, &sections);
    let (facts, fact_index) = c.facts(&pack);
    let dimension_index = c.index_ids("dimensions", pack.dimensions.iter().map(|d| d.id.as_str()));
    let dimensions = c.dimensions(&pack, &question_index, &questions);
    let focus_index = c.index_ids("focus_areas", pack.focus_areas.iter().map(|f| f.id.as_str()));
    let challenge_index = c.index_ids("challenges", pack.challenges.iter().map(|ch| ch.id.as_str()));
    let phase_index = c.phases(&pack);
    let therapy_index = c.index_ids(
        "therapy_levels",
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
    Ok(Program {
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
    })
}

/// Id lookups shared by the rule and safety compilers.
pub(crate) struct Refs<'a> {
    pub(crate) questions: &'a HashMap<String, usize>,
    pub(crate) question_models: &'a [QuestionModel],
    pub(crate) facts: &'a HashMap<String, usize>,
    pub(crate) fact_models: &'a [FactModel],
    pub(crate) dimensions: &'a HashMap<String, usize>,
    pub(crate) pack: &'a Pack,
    pub(crate) focus: &'a HashMap<String, usize>,
    pub(crate) challenges: &'a HashMap<String, usize>,
    pub(crate) phases: &'a HashMap<String, (usize, usize)>,
    pub(crate) therapy: &'a HashMap<String, usize>,
}

struct Compiler<'l> {
    limits: &'l Limits,
    problems: Vec<Problem>,
    /// Problems found past `max_problems`: counted, never built.
    omitted: usize,
    tags: Vec<String>,
    leaves: Vec<LeafInfo>,
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
    fn problem(&mut self, kind: ProblemKind, path: impl Into<String>, message: impl Into<String>) {
        if self.full() {
            self.omitted += 1;
            return;
        }
        let mut problem = Problem::new(kind, path, message);
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
    /// if every rule fired: reasons are copied into each place they explain.
    fn result_size(&mut self, pack: &Pack, rules: &[RuleModel]) {
        let mut total: u64 = 0;
        let mut costliest = (0u64, 0usize);
        for (i, (rule, model)) in pack.rules.iter().zip(rules).enumerate() {
            let e = &model.then;
            let places = e.focus.len()
                + usize::from(!e.challenges.is_empty() || !e.phases.is_empty())
                + usize::from(e.therapy.is_some() || e.online_therapy)
                + usize::from(e.safety);
            // Each copy is the text, the rule id and the record around them.
            let each = (rule.then.reason.len() + rule.id.len() + 48) as u64;
            let cost = each.saturating_mul(places as u64);
            total = total.saturating_add(cost);
            if cost > costliest.0 {
                costliest = (cost, i);
            }
        }
        let limit = self.limits.max_result_bytes as u64;
        if total > limit {
            self.problem(
                ProblemKind::TooLarge,
                format!("rules[{}].then.reason", costliest.1),
                format!(
                    "if every rule fired, the result would copy {total} bytes of reasons, over the limit of \
                     {limit}; this rule's reason is copied into the most places ({} bytes): shorten reasons \
                     or weight fewer focus areas per rule",
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
            self.problem(ProblemKind::Empty, path.to_string(), "id is empty");
        } else if id.len() > self.limits.max_id_bytes {
            self.problem(
                ProblemKind::InvalidId,
                path.to_string(),
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
                path.to_string(),
                format!("id {id:?} may only use ASCII letters, digits, '_', '-' and '.'"),
            );
        }
    }

    fn check_text(&mut self, text: &str, path: impl fmt::Display, required: bool) {
        if required && text.trim().is_empty() {
            self.problem(ProblemKind::Empty, path.to_string(), "text is empty");
        } else if text.len() > self.limits.max_text_bytes {
            self.problem(
                ProblemKind::TooLarge,
                path.to_string(),
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
                path.to_string(),
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
                path.to_string(),
                format!("number must be finite and between -{bound} and {bound}"),
            );
            return false;
        }
        true
    }

    /// Checks and indexes a list of ids; a duplicate points at the first one.
    fn index_ids<'p>(&mut self, list: &str, ids: impl Iterator<Item = &'p str>) -> HashMap<String, usize> {
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            self.check_id(id, format_args!("{list}[{i}].id"));
            if let Some(&first) = index.get(id) {
                self.problem(
                    ProblemKind::DuplicateId,
                    format!("{list}[{i}].id"),
                    format!("duplicate id {id:?}, first defined at {list}[{first}].id"),
                );
            } else {
                index.insert(id.to_owned(), i);
            }
        }
        index
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

    fn questions(
        &mut self,
        pack: &Pack,
        sections: &HashMap<String, usize>,
    ) -> (Vec<QuestionModel>, HashMap<String, usize>) {
        let index = self.index_ids("questions", pack.questions.iter().map(|q| q.id.as_str()));
        let mut models = Vec::with_capacity(pack.questions.len());
        for (i, q) in pack.questions.iter().enumerate() {
            let path = format!("questions[{i}]");
            if let Some(section) = &q.section {
                if !sections.contains_key(section) {
                    self.problem(
                        ProblemKind::UnknownReference,
                        format!("{path}.section"),
                        format!("unknown section {section:?}"),
                    );
                }
            }
            self.check_text(&q.prompt, format_args!("{path}.prompt"), true);
            self.check_text(&q.help, format_args!("{path}.help"), false);
            let (kind, lo, hi) = match &q.answer {
                AnswerSpec::Options { options } => {
                    let opath = format!("{path}.answer.options");
                    if options.len() < 2 {
                        self.problem(
                            ProblemKind::Empty,
                            &opath,
                            "an options question needs at least two options",
                        );
                    }
                    if !self.check_count(options.len(), self.max_options(), &opath, "options") {
                        models.push(QuestionModel {
                            kind: QuestionKind::Options {
                                values: Vec::new(),
                                weights: Vec::new(),
                                shown: Vec::new(),
                            },
                            reverse: q.reverse,
                            lo: 0.0,
                            hi: 0.0,
                        });
                        continue;
                    }
                    let mut seen: HashMap<&str, usize> = HashMap::new();
                    let mut weights = Vec::with_capacity(options.len());
                    for (j, option) in options.iter().enumerate() {
                        self.check_id(&option.value, format_args!("{opath}[{j}].value"));
                        if let Some(first) = seen.insert(&option.value, j) {
                            self.problem(
                                ProblemKind::DuplicateId,
                                format!("{opath}[{j}].value"),
                                format!(
                                    "duplicate option value {:?}, first defined at {opath}[{first}].value",
                                    option.value
                                ),
                            );
                        }
                        self.check_text(&option.label, format_args!("{opath}[{j}].label"), true);
                        let ok = self.check_number(
                            option.weight,
                            format_args!("{opath}[{j}].weight"),
                            MAX_MAGNITUDE,
                        );
                        weights.push(if ok { option.weight } else { 0.0 });
                    }
                    let lo = weights.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let values: Vec<String> = options.iter().map(|o| o.value.clone()).collect();
                    let shown = values
                        .iter()
                        .zip(&weights)
                        .map(|(value, weight)| format!("{value} (weight {})", number_text(*weight)))
                        .collect();
                    (
                        QuestionKind::Options {
                            values,
                            weights,
                            shown,
                        },
                        lo,
                        hi,
                    )
                }
                AnswerSpec::Range {
                    min,
                    max,
                    step,
                    min_label,
                    max_label,
                } => {
                    let apath = format!("{path}.answer");
                    let ok_min = self.check_number(*min, format_args!("{apath}.min"), MAX_MAGNITUDE);
                    let ok_max = self.check_number(*max, format_args!("{apath}.max"), MAX_MAGNITUDE);
                    if ok_min && ok_max && min >= max {
                        self.problem(
                            ProblemKind::InvalidNumber,
                            format!("{apath}.max"),
                            "max must be greater than min",
                        );
                    }
                    if let Some(step) = step {
                        let ok_step = self.check_number(*step, format_args!("{apath}.step"), MAX_MAGNITUDE);
                        // With max not above min, the range is already a problem.
                        if ok_step && ok_min && ok_max && min < max && !sane_step(*step, *min, *max) {
                            self.problem(
                                ProblemKind::InvalidNumber,
                                format!("{apath}.step"),
                                format!(
                                    "step must be greater than 0, at most max - min, and divide the range \
                                     into at most {MAX_RANGE_STEPS} steps"
                                ),
                            );
                        }
                    }
                    self.check_text(min_label, format_args!("{apath}.min_label"), false);
                    self.check_text(max_label, format_args!("{apath}.max_label"), false);
                    (
                        QuestionKind::Range {
                            min: *min,
                            max: *max,
                            step: *step,
                        },
                        *min,
                        *max,
                    )
                }
                AnswerSpec::YesNo => (QuestionKind::YesNo, 0.0, 1.0),
            };
            models.push(QuestionModel {
                kind,
                reverse: q.reverse,
                lo,
                hi,
            });
        }
        (models, index)
    }

    fn facts(&mut self, pack: &Pack) -> (Vec<FactModel>, HashMap<String, usize>) {
        let index = self.index_ids("context", pack.context.iter().map(|f| f.id.as_str()));
        let mut models = Vec::with_capacity(pack.context.len());
        for (i, fact) in pack.context.iter().enumerate() {
            let path = format!("context[{i}]");
            self.check_text(&fact.label, format_args!("{path}.label"), true);
            let misplaced = |name: &str| {
                format!(
                    "{name:?} only belongs to a {} fact",
                    if name == "choices" { "choice" } else { "number" }
                )
            };
            if fact.kind != FactKind::Number {
                for (name, present) in [("min", fact.min.is_some()), ("max", fact.max.is_some())] {
                    if present {
                        self.problem(
                            ProblemKind::InvalidCondition,
                            format!("{path}.{name}"),
                            misplaced(name),
                        );
                    }
                }
            }
            if fact.kind != FactKind::Choice && fact.choices.is_some() {
                self.problem(
                    ProblemKind::InvalidCondition,
                    format!("{path}.choices"),
                    misplaced("choices"),
                );
            }
            models.push(match fact.kind {
                FactKind::Bool => FactModel::Bool,
                FactKind::Number => {
                    let (Some(min), Some(max)) = (fact.min, fact.max) else {
                        self.problem(
                            ProblemKind::Empty,
                            &path,
                            "a number fact needs \"min\" and \"max\"",
                        );
                        models.push(FactModel::Number { min: 0.0, max: 0.0 });
                        continue;
                    };
                    let ok_min = self.check_number(min, format_args!("{path}.min"), MAX_MAGNITUDE);
                    let ok_max = self.check_number(max, format_args!("{path}.max"), MAX_MAGNITUDE);
                    if ok_min && ok_max && min > max {
                        self.problem(
                            ProblemKind::InvalidNumber,
                            format!("{path}.max"),
                            "max must not be less than min",
                        );
                    }
                    FactModel::Number { min, max }
                }
                FactKind::Choice => {
                    let cpath = format!("{path}.choices");
                    let choices = fact.choices.clone().unwrap_or_default();
                    if choices.is_empty() {
                        self.problem(
                            ProblemKind::Empty,
                            &cpath,
                            "a choice fact needs at least one choice",
                        );
                    }
                    if self.check_count(choices.len(), self.max_options(), &cpath, "choices") {
                        self.index_ids_plain(&cpath, &choices);
                    }
                    FactModel::Choice { choices }
                }
            });
        }
        (models, index)
    }

    /// Like [`Self::index_ids`] for a list of bare strings.
    fn index_ids_plain(&mut self, list: &str, ids: &[String]) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            let path = format!("{list}[{i}]");
            self.check_id(id, &path);
            if let Some(first) = seen.insert(id, i) {
                self.problem(
                    ProblemKind::DuplicateId,
                    path,
                    format!("duplicate value {id:?}, first defined at {list}[{first}]"),
                );
            }
        }
    }

    fn dimensions(
        &mut self,
        pack: &Pack,
        question_index: &HashMap<String, usize>,
        questions: &[QuestionModel],
    ) -> Vec<DimensionModel> {
        let mut models = Vec::with_capacity(pack.dimensions.len());
        for (i, dim) in pack.dimensions.iter().enumerate() {
            let path = format!("dimensions[{i}]");
            self.check_text(&dim.title, format_args!("{path}.title"), true);
            self.check_text(&dim.description, format_args!("{path}.description"), false);
            if dim.items.is_empty() {
                self.problem(
                    ProblemKind::Empty,
                    format!("{path}.items"),
                    "a dimension needs at least one item",
                );
            }
            let within = self.check_count(
                dim.items.len(),
                self.limits.max_questions,
                format_args!("{path}.items"),
                "items",
            );
            // Over the limit, the items are not examined one by one.
            let listed = if within { &dim.items[..] } else { &[] };
            let mut items = Vec::with_capacity(listed.len());
            let mut seen: HashMap<usize, usize> = HashMap::new();
            for (j, item) in listed.iter().enumerate() {
                let ipath = format!("{path}.items[{j}]");
                let weight_ok = self.check_number(item.weight, format_args!("{ipath}.weight"), MAX_MAGNITUDE);
                if weight_ok && item.weight <= 0.0 {
                    self.problem(
                        ProblemKind::InvalidNumber,
                        format!("{ipath}.weight"),
                        "item weight must be greater than 0",
                    );
                }
                match question_index.get(&item.question) {
                    None => self.problem(
                        ProblemKind::UnknownReference,
                        format!("{ipath}.question"),
                        format!("unknown question {:?}", item.question),
                    ),
                    Some(&q) => {
                        if let Some(first) = seen.insert(q, j) {
                            self.problem(
                                ProblemKind::DuplicateId,
                                format!("{ipath}.question"),
                                format!(
                                    "question {:?} is already an item at {path}.items[{first}]",
                                    item.question
                                ),
                            );
                        } else if questions[q].hi <= questions[q].lo {
                            self.problem(
                                ProblemKind::ImpossibleValue,
                                format!("{ipath}.question"),
                                format!(
                                    "question {:?} cannot be scored: its answers all weigh the same",
                                    item.question
                                ),
                            );
                        } else if weight_ok && item.weight > 0.0 {
                            items.push((q, item.weight));
                        }
                    }
                }
            }
            let min_answered = match dim.min_answered {
                None => dim.items.len(),
                Some(n) => {
                    if n == 0 || n as usize > dim.items.len() {
                        self.problem(
                            ProblemKind::ImpossibleValue,
                            format!("{path}.min_answered"),
                            format!(
                                "min_answered must be between 1 and the number of items ({})",
                                dim.items.len()
                            ),
                        );
                    }
                    n as usize
                }
            };
            // The scale the bands must cover exactly.
            let (scale_lo, scale_hi) = match dim.band_scale {
                BandScale::Score => (0.0, 100.0),
                BandScale::Raw => raw_scale(dim.method, &items, questions),
            };
            let (band_mins, band_top) = self.bands(dim, &path, scale_lo, scale_hi);
            let meaningful_change = match dim.meaningful_change {
                None => DEFAULT_MEANINGFUL_CHANGE,
                Some(change) => {
                    let cpath = format!("{path}.meaningful_change");
                    if self.check_number(change, &cpath, MAX_MAGNITUDE) && !(change > 0.0 && change <= 100.0)
                    {
                        self.problem(
                            ProblemKind::InvalidNumber,
                            cpath,
                            "a meaningful change is more than 0 and at most 100 points of the score",
                        );
                    }
                    change
                }
            };
            models.push(DimensionModel {
                items,
                method: dim.method,
                min_answered,
                band_scale: dim.band_scale,
                band_mins,
                band_top,
                meaningful_change,
                lower_is_better: dim.better == Better::Lower,
            });
        }
        models
    }

    fn bands(&mut self, dim: &crate::pack::Dimension, path: &str, lo: f64, hi: f64) -> (Vec<f64>, f64) {
        let bpath = format!("{path}.bands");
        let bands = &dim.bands;
        if !self.check_count(bands.len(), self.max_options(), &bpath, "bands") {
            return (Vec::new(), hi);
        }
        self.index_ids(&bpath, bands.iter().map(|b| b.id.as_str()));
        // Each band as [min, max): a published range "5-9" is [5, 10), and
        // the last band is closed, so "15-21" ends at 21.
        let last = bands.len().saturating_sub(1);
        let mut spans = Vec::with_capacity(bands.len());
        let mut ok = true;
        for (k, band) in bands.iter().enumerate() {
            self.check_text(&band.label, format_args!("{bpath}[{k}].label"), true);
            let span = match (band.min, band.max, band.from, band.to) {
                (Some(min), Some(max), None, None) => {
                    ok &= self.check_number(min, format_args!("{bpath}[{k}].min"), MAX_MAGNITUDE);
                    ok &= self.check_number(max, format_args!("{bpath}[{k}].max"), MAX_MAGNITUDE);
                    (min, max)
                }
                (None, None, Some(from), Some(to)) => {
                    for (key, value) in [("from", from), ("to", to)] {
                        let vpath = format!("{bpath}[{k}].{key}");
                        if !self.check_number(value, &vpath, MAX_MAGNITUDE) {
                            ok = false;
                        } else if value.fract() != 0.0 {
                            ok = false;
                            self.problem(
                                ProblemKind::InvalidNumber,
                                vpath,
                                "a published range takes whole numbers",
                            );
                        }
                    }
                    (from, if k == last { to } else { to + 1.0 })
                }
                _ => {
                    ok = false;
                    self.problem(
                        ProblemKind::Empty,
                        format!("{bpath}[{k}]"),
                        "a band takes min and max, or from and to (a published range of whole numbers)",
                    );
                    (0.0, 0.0)
                }
            };
            spans.push(span);
        }
        let mins: Vec<f64> = spans.iter().map(|s| s.0).collect();
        if bands.is_empty() || !ok {
            return (mins, hi);
        }
        // Where a band's bounds are written, for messages.
        let lower = |k: usize| if bands[k].from.is_some() { "from" } else { "min" };
        let upper = |k: usize| if bands[k].to.is_some() { "to" } else { "max" };
        let scale = match dim.band_scale {
            BandScale::Score => "score scale",
            BandScale::Raw => "raw scale",
        };
        if close(spans[0].0, lo) {
            // Exact as written.
        } else if spans[0].0 > lo {
            self.problem(
                ProblemKind::BandGap,
                format!("{bpath}[0].{}", lower(0)),
                format!(
                    "first band starts at {} but the {scale} starts at {lo}",
                    spans[0].0
                ),
            );
        } else {
            self.problem(
                ProblemKind::BandOverlap,
                format!("{bpath}[0].{}", lower(0)),
                format!(
                    "first band starts at {}, below the {scale}'s start of {lo}",
                    spans[0].0
                ),
            );
        }
        for (k, &(min, max)) in spans.iter().enumerate() {
            let empty = if k == last { max < min } else { max <= min };
            if empty {
                self.problem(
                    ProblemKind::BandOverlap,
                    format!("{bpath}[{k}].{}", upper(k)),
                    "band max must be greater than its min",
                );
            }
            if k > 0 {
                let prev_max = spans[k - 1].1;
                if close(min, prev_max) {
                    continue;
                }
                let (kind, how) = if min > prev_max {
                    (ProblemKind::BandGap, "leaving a gap after")
                } else {
                    (ProblemKind::BandOverlap, "overlapping")
                };
                self.problem(
                    kind,
                    format!("{bpath}[{k}].{}", lower(k)),
                    format!(
                        "band starts at {min} {how} {bpath}[{}], which ends at {prev_max}",
                        k - 1
                    ),
                );
            }
        }
        let top = spans[last].1;
        if !close(top, hi) {
            let kind = if top < hi {
                ProblemKind::BandGap
            } else {
                ProblemKind::BandOverlap
            };
            self.problem(
                kind,
                format!("{bpath}[{last}].{}", upper(last)),
                format!("last band ends at {top} but the {scale} ends at {hi}"),
            );
        }
        (mins, hi)
    }

    /// Builds the map from phase id to (challenge, phase) and checks days.
    fn phases(&mut self, pack: &Pack) -> HashMap<String, (usize, usize)> {
        let mut index: HashMap<String, (usize, usize)> = HashMap::new();
        let mut first_path: HashMap<String, String> = HashMap::new();
        for (c, challenge) in pack.challenges.iter().enumerate() {
            let cpath = format!("challenges[{c}]");
            if challenge.phases.is_empty() {
                self.problem(
                    ProblemKind::Empty,
                    format!("{cpath}.phases"),
                    "a challenge needs at least one phase",
                );
            }
            if !self.check_count(
                challenge.phases.len(),
                self.limits.max_items,
                format_args!("{cpath}.phases"),
                "phases",
            ) {
                continue;
            }
            let mut next_day = 1u32;
            for (p, phase) in challenge.phases.iter().enumerate() {
                let ppath = format!("{cpath}.phases[{p}]");
                let id_path = format!("{ppath}.id");
                self.check_id(&phase.id, &id_path);
                if let Some(first) = first_path.get(&phase.id) {
                    self.problem(
                        ProblemKind::DuplicateId,
                        &id_path,
                        format!("duplicate phase id {:?}, first defined at {first} (phase ids are unique across the pack)", phase.id),
                    );
                } else {
                    first_path.insert(phase.id.clone(), id_path);
                    index.insert(phase.id.clone(), (c, p));
                }
                self.check_text(&phase.theme, format_args!("{ppath}.theme"), true);
                if phase.first_day != next_day {
                    self.problem(
                        ProblemKind::PhaseDays,
                        format!("{ppath}.first_day"),
                        format!("phase starts on day {} but must start on day {next_day}, right after the previous phase", phase.first_day),
                    );
                }
                if phase.last_day < phase.first_day {
                    self.problem(
                        ProblemKind::PhaseDays,
                        format!("{ppath}.last_day"),
                        "last_day is before first_day",
                    );
                    next_day = phase.first_day.saturating_add(1);
                } else {
                    next_day = phase.last_day.saturating_add(1);
                    // u64: a day count near u32::MAX must not overflow a 32-bit usize.
                    let days = u64::from(phase.last_day - phase.first_day) + 1;
                    if !phase.activities.is_empty() && phase.activities.len() as u64 != days {
                        self.problem(
                            ProblemKind::PhaseDays,
                            format!("{ppath}.activities"),
                            format!(
                                "{} activities for {days} days; give one activity per day or none",
                                phase.activities.len()
                            ),
                        );
                    }
                }
                if phase.last_day > MAX_DAYS {
                    self.problem(
                        ProblemKind::PhaseDays,
                        format!("{ppath}.last_day"),
                        "a challenge lasts at most 366 days",
                    );
                }
                // At most one activity per day of the longest challenge: more
                // is already a problem, and their texts are not examined.
                if phase.activities.len() <= MAX_DAYS as usize {
                    for (a, activity) in phase.activities.iter().enumerate() {
                        self.check_text(activity, format_args!("{ppath}.activities[{a}]"), true);
                    }
                }
            }
        }
        index
    }

    /// Checks display texts that evaluation never reads.
    fn catalog_texts(&mut self, pack: &Pack) {
        for (i, s) in pack.sections.iter().enumerate() {
            self.check_text(&s.title, format_args!("sections[{i}].title"), true);
            self.check_text(&s.intro, format_args!("sections[{i}].intro"), false);
        }
        for (i, f) in pack.focus_areas.iter().enumerate() {
            self.check_text(&f.title, format_args!("focus_areas[{i}].title"), true);
            self.check_text(&f.summary, format_args!("focus_areas[{i}].summary"), true);
            let within = self.check_count(
                f.practices.len(),
                self.limits.max_items,
                format_args!("focus_areas[{i}].practices"),
                "practices",
            );
            let listed = if within { &f.practices[..] } else { &[] };
            for (j, p) in listed.iter().enumerate() {
                self.check_text(p, format_args!("focus_areas[{i}].practices[{j}]"), true);
            }
        }
        for (i, ch) in pack.challenges.iter().enumerate() {
            self.check_text(&ch.title, format_args!("challenges[{i}].title"), true);
            self.check_text(&ch.summary, format_args!("challenges[{i}].summary"), true);
        }
        for (i, t) in pack.therapy_levels.iter().enumerate() {
            self.check_text(&t.title, format_args!("therapy_levels[{i}].title"), true);
            self.check_text(&t.message, format_args!("therapy_levels[{i}].message"), true);
        }
        let s = &pack.safety;
        self.check_text(&s.title, "safety.title", true);
        self.check_text(&s.message, "safety.message", true);
        self.index_ids("safety.resources", s.resources.iter().map(|r| r.id.as_str()));
        for (i, r) in s.resources.iter().enumerate() {
            self.check_text(&r.name, format_args!("safety.resources[{i}].name"), true);
            self.check_text(
                &r.description,
                format_args!("safety.resources[{i}].description"),
                true,
            );
            self.check_text(&r.contact, format_args!("safety.resources[{i}].contact"), false);
        }
    }

    /// The tag masks of every item of a list, such as `focus_areas`.
    fn tag_masks<'p>(&mut self, list: &str, tags: impl Iterator<Item = &'p [String]>) -> Vec<TagMask> {
        tags.enumerate()
            .map(|(i, tags)| self.tag_mask(tags, &format!("{list}[{i}].tags")))
            .collect()
    }

    /// Interns tags into a bit mask.
    fn tag_mask(&mut self, tags: &[String], path: &str) -> TagMask {
        let mut mask = 0;
        if !self.check_count(tags.len(), self.limits.max_tags, path, "tags") {
            return mask;
        }
        for (i, tag) in tags.iter().enumerate() {
            let tpath = format!("{path}[{i}]");
            self.check_id(tag, &tpath);
            let bit = match self.tags.iter().position(|t| t == tag) {
                Some(bit) => bit,
                None => {
                    if self.tags.len() >= self.limits.max_tags.min(64) {
                        self.problem(
                            ProblemKind::TooLarge,
                            tpath,
                            format!("more than {} distinct tags", self.limits.max_tags.min(64)),
                        );
                        continue;
                    }
                    self.tags.push(tag.clone());
                    self.tags.len() - 1
                }
            };
            mask |= 1 << bit;
        }
        mask
    }

    /// Resolves suppression tags, which must be declared on some item.
    fn suppress_mask(&mut self, tags: &[String], path: &str) -> TagMask {
        let mut mask = 0;
        if !self.check_count(tags.len(), self.limits.max_tags, path, "tags") {
            return mask;
        }
        for (i, tag) in tags.iter().enumerate() {
            match self.tags.iter().position(|t| t == tag) {
                Some(bit) => mask |= 1 << bit,
                None => self.problem(
                    ProblemKind::UnknownReference,
                    format!("{path}[{i}]"),
                    format!("unknown tag {tag:?}: no focus area, challenge or therapy level carries it"),
                ),
            }
        }
        mask
    }

    fn safety(
        &mut self,
        pack: &Pack,
        refs: &Refs<'_>,
        focus_tags: &[TagMask],
        therapy_tags: &[TagMask],
    ) -> SafetyModel {
        let s = &pack.safety;
        // A pack without couples content (nothing carries a tag) has
        // nothing to set aside; any other must set something aside.
        let tagged = focus_tags.iter().chain(therapy_tags).any(|&mask| mask != 0)
            || pack.challenges.iter().any(|c| !c.tags.is_empty());
        if s.suppress.is_empty() && tagged {
            self.problem(
                ProblemKind::Empty,
                "safety.suppress",
                "the safety gate must suppress at least one tag (such as the couples exercises)",
            );
        }
        let suppress = self.suppress_mask(&s.suppress, "safety.suppress");
        let focus_area = self.resolve(refs.focus, &s.focus_area, "safety.focus_area", "focus area");
        let therapy_level = self.resolve(
            refs.therapy,
            &s.therapy_level,
            "safety.therapy_level",
            "therapy level",
        );
        if let Some(f) = focus_area {
            if focus_tags[f] & suppress != 0 {
                self.problem(
                    ProblemKind::InvalidSuppression,
                    "safety.focus_area",
                    format!(
                        "focus area {:?} carries a tag the safety gate suppresses",
                        s.focus_area
                    ),
                );
            }
        }
        if let Some(t) = therapy_level {
            if therapy_tags[t] & suppress != 0 {
                self.problem(
                    ProblemKind::InvalidSuppression,
                    "safety.therapy_level",
                    format!(
                        "therapy level {:?} carries a tag the safety gate suppresses",
                        s.therapy_level
                    ),
                );
            }
        }
        SafetyModel {
            suppress,
            focus_area: focus_area.unwrap_or(0),
            therapy_level: therapy_level.unwrap_or(0),
        }
    }

    fn resolve(&mut self, index: &HashMap<String, usize>, id: &str, path: &str, what: &str) -> Option<usize> {
        let found = index.get(id).copied();
        if found.is_none() {
            self.problem(
                ProblemKind::UnknownReference,
                path,
                format!("unknown {what} {id:?}"),
            );
        }
        found
    }

    fn rules(&mut self, rules: &[Rule], refs: &Refs<'_>, protected: TagMask) -> Vec<RuleModel> {
        self.index_ids("rules", rules.iter().map(|r| r.id.as_str()));
        let mut models = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            let then = self.effects(&rule.then, &format!("{path}.then"), refs, protected);
            let scope = CondScope {
                depth: 1,
                safety: rule.then.safety,
                personal: personal_rule(&rule.then),
            };
            let mut nodes = 0;
            let when = self.condition(&rule.when, &format!("{path}.when"), scope, &mut nodes, refs);
            let access = Access::of(&when, refs.pack);
            if nodes > self.limits.max_condition_nodes {
                self.problem(
                    ProblemKind::TooLarge,
                    format!("{path}.when"),
                    format!(
                        "condition has {nodes} nodes, over the limit of {}",
                        self.limits.max_condition_nodes
                    ),
                );
            }
            models.push(RuleModel { when, then, access });
        }
        models
    }

    fn effects(&mut self, effects: &Effects, path: &str, refs: &Refs<'_>, protected: TagMask) -> EffectModel {
        let mut model = EffectModel {
            online_therapy: effects.online_therapy,
            safety: effects.safety,
            neutral_plan: effects.neutral_plan,
            ..EffectModel::default()
        };
        self.check_text(&effects.reason, format_args!("{path}.reason"), true);
        if let Some(text) = &effects.shared_reason {
            self.check_text(text, format_args!("{path}.shared_reason"), true);
        }
        // Each map names at most every item once; a longer one is refused
        // as a whole rather than reported entry by entry.
        let max = self.limits.max_items;
        let within_focus = self.check_count(
            effects.focus.len(),
            max,
            format_args!("{path}.focus"),
            "focus weights",
        );
        let within_challenges = self.check_count(
            effects.challenges.len(),
            max,
            format_args!("{path}.challenges"),
            "challenge weights",
        );
        let within_phases = self.check_count(
            effects.phases.len(),
            max,
            format_args!("{path}.phases"),
            "phase weights",
        );
        if within_focus {
            model.focus = self.weights(&effects.focus, refs.focus, path, "focus", "focus area");
        }
        if within_challenges {
            model.challenges = self.weights(
                &effects.challenges,
                refs.challenges,
                path,
                "challenges",
                "challenge",
            );
        }
        if within_phases {
            let phases = self.weights(&effects.phases, refs.phases, path, "phases", "phase");
            model.phases = phases
                .into_iter()
                .map(|((c, p), weight)| (c, p, weight))
                .collect();
        }
        if let Some(level) = &effects.therapy {
            model.therapy = self.resolve(refs.therapy, level, &format!("{path}.therapy"), "therapy level");
        }
        model.suppress = self.suppress_mask(&effects.suppress, &format!("{path}.suppress"));
        if model.suppress & protected != 0 {
            self.problem(
                ProblemKind::InvalidSuppression,
                format!("{path}.suppress"),
                "suppresses a tag of the safety gate's focus area or therapy level, which must stay available",
            );
        }
        let has_effect = !effects.focus.is_empty()
            || !effects.challenges.is_empty()
            || !effects.phases.is_empty()
            || effects.therapy.is_some()
            || effects.online_therapy
            || effects.safety
            || effects.neutral_plan
            || !effects.suppress.is_empty();
        if !has_effect {
            self.problem(
                ProblemKind::Empty,
                path,
                "a rule needs at least one effect besides its reason",
            );
        }
        model
    }

    /// Resolves and checks one effect map, such as `focus`; a path is
    /// built only for an entry with a problem.
    fn weights<T: Copy>(
        &mut self,
        map: &std::collections::BTreeMap<String, f64>,
        index: &HashMap<String, T>,
        path: &str,
        name: &str,
        what: &str,
    ) -> Vec<(T, f64)> {
        let mut resolved = Vec::with_capacity(map.len());
        for (id, &weight) in map {
            let wpath = EntryPath(path, name, id);
            let ok = self.check_number(weight, &wpath, MAX_EFFECT_WEIGHT);
            match index.get(id) {
                Some(&i) if ok => resolved.push((i, weight)),
                Some(_) => {}
                None => self.problem(
                    ProblemKind::UnknownReference,
                    wpath.to_string(),
                    format!("unknown {what} {id:?}"),
                ),
            }
        }
        resolved
    }

    /// Compiles one condition object. On a problem, records it and returns
    /// an always-false leaf so that checking can go on.
    fn condition(
        &mut self,
        cond: &Condition,
        path: &str,
        scope: CondScope,
        nodes: &mut usize,
        refs: &Refs<'_>,
    ) -> Cond {
        *nodes += 1;
        let never = || Cond::Any(Box::new([]));
        // The checks and the leaves each run in a frame of their own, so
        // that each level of nesting costs the stack as little as possible.
        let Some(subject) = self.subject(cond, path, scope) else {
            return never();
        };
        let ops = Operators::of(cond);
        let inner = CondScope {
            depth: scope.depth + 1,
            ..scope
        };
        match subject {
            "all" | "any" => {
                if ops.count() > 0 || cond.of.is_some() {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        format!("{subject:?} takes a list and nothing else"),
                    );
                }
                let list = cond
                    .all
                    .as_ref()
                    .or(cond.any.as_ref())
                    .map_or(&[][..], Vec::as_slice);
                let children = self.condition_list(list, &format!("{path}.{subject}"), inner, nodes, refs);
                if subject == "all" {
                    Cond::All(children)
                } else {
                    Cond::Any(children)
                }
            }
            "not" => {
                if ops.count() > 0 || cond.of.is_some() {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        "\"not\" takes one condition and nothing else",
                    );
                }
                let child = cond
                    .not
                    .as_deref()
                    .map(|c| self.condition(c, &format!("{path}.not"), inner, nodes, refs));
                Cond::Not(Box::new(child.unwrap_or_else(never)))
            }
            "at_least" => {
                let n = cond.at_least.unwrap_or(0) as usize;
                if ops.count() > 0 {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        "\"at_least\" takes \"of\" and nothing else",
                    );
                }
                let Some(list) = &cond.of else {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        "\"at_least\" needs a list of conditions in \"of\"",
                    );
                    return never();
                };
                if n == 0 {
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        format!("{path}.at_least"),
                        "at_least must be 1 or more",
                    );
                } else if n > list.len() {
                    self.problem(
                        ProblemKind::AtLeastTooLarge,
                        format!("{path}.at_least"),
                        format!("at_least is {n} but \"of\" lists only {} conditions", list.len()),
                    );
                }
                let children = self.condition_list(list, &format!("{path}.of"), inner, nodes, refs);
                Cond::AtLeast(n, children)
            }
            _ => self.leaf_condition(cond, subject, path, refs),
        }
    }

    /// The condition's one subject, once every rule about where it may
    /// stand is checked; `None` after reporting a problem.
    #[inline(never)]
    fn subject(&mut self, cond: &Condition, path: &str, scope: CondScope) -> Option<&'static str> {
        let never = || None;
        if scope.depth > self.limits.max_condition_depth {
            self.problem(
                ProblemKind::TooDeep,
                path,
                format!(
                    "condition nested deeper than {} levels",
                    self.limits.max_condition_depth
                ),
            );
            return never();
        }
        let subjects: Vec<&str> = [
            ("all", cond.all.is_some()),
            ("any", cond.any.is_some()),
            ("not", cond.not.is_some()),
            ("at_least", cond.at_least.is_some()),
            ("score", cond.score.is_some()),
            ("band", cond.band.is_some()),
            ("raw", cond.raw.is_some()),
            ("answer", cond.answer.is_some()),
            ("context", cond.context.is_some()),
            ("answered", cond.answered.is_some()),
            ("unanswered", cond.unanswered.is_some()),
            ("gap", cond.gap.is_some()),
            ("answer_gap", cond.answer_gap.is_some()),
            ("change", cond.change.is_some()),
            ("trend", cond.trend.is_some()),
            ("previous_band", cond.previous_band.is_some()),
            ("previous", cond.previous.is_some()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(name, _)| *name)
        .collect();
        let subject = match subjects.as_slice() {
            [one] => *one,
            [] => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    "condition has no subject; use one of all, any, not, at_least, score, band, raw, answer, context, answered, unanswered, gap, answer_gap, change, trend, previous_band, previous",
                );
                return never();
            }
            many => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    format!(
                        "condition has several subjects ({}); wrap them in \"all\" or \"any\"",
                        many.join(", ")
                    ),
                );
                return never();
            }
        };
        if scope.safety
            && matches!(
                subject,
                "not"
                    | "score"
                    | "band"
                    | "raw"
                    | "context"
                    | "unanswered"
                    | "change"
                    | "trend"
                    | "previous_band"
                    | "previous"
            )
        {
            self.problem(
                ProblemKind::UnsafeSafetyRule,
                format!("{path}.{subject}"),
                format!("a rule that raises the safety flag may only test answers (with all, any, at_least), not {subject:?}: no score or missing answer may cancel a safety flag"),
            );
            return never();
        }
        let couple_leaf = cond.whose.is_some() || matches!(subject, "gap" | "answer_gap");
        if couple_leaf && scope.personal {
            self.problem(
                ProblemKind::CoupleOnly,
                format!("{path}.{}", if cond.whose.is_some() { "whose" } else { subject }),
                "a rule that raises the safety flag, asks for the neutral plan or writes to a partner's own view is about one person, so it cannot compare partners",
            );
            return never();
        }
        if cond.whose.is_some()
            && matches!(
                subject,
                "all" | "any" | "not" | "at_least" | "context" | "gap" | "answer_gap" | "previous"
            )
        {
            self.problem(
                ProblemKind::InvalidCondition,
                format!("{path}.whose"),
                format!("\"whose\" belongs on a score, band, answer, answered, unanswered, change, trend or previous_band leaf, not on {subject:?}"),
            );
            return never();
        }
        Some(subject)
    }

    /// A leaf condition, compiled, with its wording for traces.
    #[inline(never)]
    fn leaf_condition(&mut self, cond: &Condition, subject: &str, path: &str, refs: &Refs<'_>) -> Cond {
        let never = || Cond::Any(Box::new([]));
        let ops = Operators::of(cond);
        if cond.of.is_some() {
            self.problem(
                ProblemKind::InvalidCondition,
                format!("{path}.of"),
                "\"of\" belongs to \"at_least\"",
            );
        }
        match self.leaf(cond, subject, &ops, path, refs) {
            Some((test, text)) => {
                let id = self.leaves.len() as u32;
                let pair = match (cond.whose, subject) {
                    (_, "gap" | "answer_gap") => Some(Pair::Gap),
                    (Some(Whose::Either), _) => Some(Pair::Either),
                    (Some(Whose::Both), _) => Some(Pair::Both),
                    (None, _) => None,
                };
                let text = match cond.whose {
                    Some(Whose::Either) => format!("either partner's {text}"),
                    Some(Whose::Both) => format!("both partners' {text}"),
                    None => text,
                };
                self.leaves.push(LeafInfo {
                    path: path.to_owned(),
                    text,
                });
                match pair {
                    Some(pair) => Cond::Couple(pair, test, id),
                    None => Cond::Leaf(test, id),
                }
            }
            None => never(),
        }
    }

    fn condition_list(
        &mut self,
        list: &[Condition],
        path: &str,
        scope: CondScope,
        nodes: &mut usize,
        refs: &Refs<'_>,
    ) -> Box<[Cond]> {
        if *nodes + list.len() > self.limits.max_condition_nodes {
            // Counted, reported by the caller, and not compiled further.
            *nodes += list.len();
            return Box::new([]);
        }
        list.iter()
            .enumerate()
            .map(|(i, c)| self.condition(c, &format!("{path}[{i}]"), scope, nodes, refs))
            .collect()
    }

    /// Compiles a leaf and its wording for traces.
    fn leaf(
        &mut self,
        cond: &Condition,
        subject: &str,
        ops: &Operators<'_>,
        path: &str,
        refs: &Refs<'_>,
    ) -> Option<(Test, String)> {
        let spath = format!("{path}.{subject}");
        match subject {
            "answered" | "unanswered" => {
                if ops.count() > 0 {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        format!("{subject:?} takes a question id and no operator"),
                    );
                    return None;
                }
                let id = cond.answered.as_ref().or(cond.unanswered.as_ref())?;
                let question = self.resolve(refs.questions, id, &spath, "question")?;
                let test = if subject == "answered" {
                    Test::Answered { question }
                } else {
                    Test::Unanswered { question }
                };
                Some((test, format!("{subject} {id}")))
            }
            "score" => {
                let id = cond.score.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(value, 0.0, 100.0, &opath, "a score runs from 0 to 100");
                Some((
                    Test::Score {
                        dimension: dimension?,
                        cmp,
                        value,
                    },
                    format!("score {id} {} {value}", cmp.symbol()),
                ))
            }
            "band" => {
                let id = cond.band.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension")?;
                let bands = &refs.pack.dimensions[dimension].bands;
                if bands.is_empty() {
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        spath,
                        format!("dimension {id:?} has no bands"),
                    );
                    return None;
                }
                let names: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
                let (set, text) = self.choice_op(ops, path, subject, &names, "a band")?;
                Some((
                    Test::Band {
                        dimension,
                        bands: set,
                    },
                    format!("band {id} {text}"),
                ))
            }
            "answer" => {
                let id = cond.answer.as_ref()?;
                let question = self.resolve(refs.questions, id, &spath, "question")?;
                let model = &refs.question_models[question];
                match &model.kind {
                    QuestionKind::Options { values, .. } => {
                        if ops.is.is_some() || ops.in_.is_some() {
                            let names: Vec<&str> = values.iter().map(String::as_str).collect();
                            let (set, text) = self.choice_op(ops, path, subject, &names, "an option")?;
                            Some((
                                Test::AnswerOption {
                                    question,
                                    options: set,
                                },
                                format!("answer {id} {text}"),
                            ))
                        } else {
                            let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                            self.check_bounds(
                                value,
                                model.lo,
                                model.hi,
                                &opath,
                                "option weights of this question",
                            );
                            Some((
                                Test::AnswerNumber { question, cmp, value },
                                format!("answer {id} weight {} {value}", cmp.symbol()),
                            ))
                        }
                    }
                    QuestionKind::Range { .. } => {
                        let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                        self.check_bounds(value, model.lo, model.hi, &opath, "this question's range");
                        Some((
                            Test::AnswerNumber { question, cmp, value },
                            format!("answer {id} {} {value}", cmp.symbol()),
                        ))
                    }
                    QuestionKind::YesNo => {
                        let value = self.bool_op(ops, path, subject)?;
                        Some((
                            Test::AnswerBool { question, value },
                            format!("answer {id} is {value}"),
                        ))
                    }
                }
            }
            "context" => {
                let id = cond.context.as_ref()?;
                let fact = self.resolve(refs.facts, id, &spath, "context fact")?;
                match &refs.fact_models[fact] {
                    FactModel::Bool => {
                        let value = self.bool_op(ops, path, subject)?;
                        Some((Test::FactBool { fact, value }, format!("context {id} is {value}")))
                    }
                    FactModel::Number { min, max } => {
                        let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                        self.check_bounds(value, *min, *max, &opath, "this fact's range");
                        Some((
                            Test::FactNumber { fact, cmp, value },
                            format!("context {id} {} {value}", cmp.symbol()),
                        ))
                    }
                    FactModel::Choice { choices } => {
                        let names: Vec<&str> = choices.iter().map(String::as_str).collect();
                        let (set, text) = self.choice_op(ops, path, subject, &names, "a choice")?;
                        Some((
                            Test::FactChoice { fact, choices: set },
                            format!("context {id} {text}"),
                        ))
                    }
                }
            }
            "gap" => {
                let id = cond.gap.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    value,
                    0.0,
                    100.0,
                    &opath,
                    "a gap between scores runs from 0 to 100",
                );
                Some((
                    Test::ScoreGap {
                        dimension: dimension?,
                        cmp,
                        value,
                    },
                    format!("gap {id} {} {value}", cmp.symbol()),
                ))
            }
            "raw" => {
                let id = cond.raw.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension")?;
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                let dim = &refs.pack.dimensions[dimension];
                let items: Vec<(usize, f64)> = dim
                    .items
                    .iter()
                    .filter_map(|item| Some((*refs.questions.get(&item.question)?, item.weight)))
                    .collect();
                let (lo, hi) = raw_scale(dim.method, &items, refs.question_models);
                self.check_bounds(value, lo, hi, &opath, "this dimension's raw scale");
                Some((
                    Test::Raw {
                        dimension,
                        cmp,
                        value,
                    },
                    format!("raw {id} {} {value}", cmp.symbol()),
                ))
            }
            "change" => {
                let id = cond.change.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    value,
                    -100.0,
                    100.0,
                    &opath,
                    "a change of a score runs from -100 to 100",
                );
                Some((
                    Test::Change {
                        dimension: dimension?,
                        cmp,
                        value,
                    },
                    format!("change {id} {} {value}", cmp.symbol()),
                ))
            }
            "trend" => {
                let id = cond.trend.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let names = ["better", "worse", "steady"];
                let (set, text) =
                    self.choice_op(ops, path, subject, &names, "a direction (better, worse, steady)")?;
                Some((
                    Test::Trend {
                        dimension: dimension?,
                        directions: set as u8,
                    },
                    format!("trend {id} {text}"),
                ))
            }
            "previous_band" => {
                let id = cond.previous_band.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension")?;
                let bands = &refs.pack.dimensions[dimension].bands;
                let names: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
                let (set, text) = self.choice_op(ops, path, subject, &names, "a band")?;
                Some((
                    Test::PreviousBand {
                        dimension,
                        bands: set,
                    },
                    format!("previous band {id} {text}"),
                ))
            }
            "previous" => {
                let what = cond.previous.as_deref()?;
                match what {
                    "challenge" | "phase" => {
                        let Some(serde_json::Value::String(id)) = ops.is.filter(|_| ops.count() == 1) else {
                            self.problem(
                                ProblemKind::InvalidCondition,
                                path,
                                format!("\"previous\": {what:?} needs \"is\" with a {what} id (use \"any\" for several)"),
                            );
                            return None;
                        };
                        let ipath = format!("{path}.is");
                        let test = if what == "challenge" {
                            let challenge = self.resolve(refs.challenges, id, &ipath, "challenge")?;
                            Test::PreviousChallenge { challenge }
                        } else {
                            let Some(&(challenge, phase)) = refs.phases.get(id.as_str()) else {
                                self.problem(
                                    ProblemKind::UnknownReference,
                                    ipath,
                                    format!("unknown phase {id:?}"),
                                );
                                return None;
                            };
                            Test::PreviousPhase { challenge, phase }
                        };
                        Some((test, format!("previous {what} is {id}")))
                    }
                    "day" | "days_since" => {
                        let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                        let top = if what == "day" {
                            f64::from(MAX_DAYS)
                        } else {
                            100_000.0
                        };
                        self.check_bounds(value, 0.0, top, &opath, "days");
                        let test = if what == "day" {
                            Test::PreviousDay { cmp, value }
                        } else {
                            Test::DaysSince { cmp, value }
                        };
                        Some((test, format!("previous {what} {} {value}", cmp.symbol())))
                    }
                    other => {
                        self.problem(
                            ProblemKind::InvalidCondition,
                            spath,
                            format!("\"previous\" reads challenge, phase, day or days_since, not {other:?}"),
                        );
                        None
                    }
                }
            }
            "answer_gap" => {
                let id = cond.answer_gap.as_ref()?;
                let question = self.resolve(refs.questions, id, &spath, "question")?;
                let model = &refs.question_models[question];
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    value,
                    0.0,
                    model.hi - model.lo,
                    &opath,
                    "a gap between this question's answers",
                );
                Some((
                    Test::AnswerGap { question, cmp, value },
                    format!("answer gap {id} {} {value}", cmp.symbol()),
                ))
            }
            _ => None,
        }
    }

    fn check_bounds(&mut self, value: f64, lo: f64, hi: f64, path: &str, what: &str) {
        if value < lo || value > hi {
            self.problem(
                ProblemKind::ImpossibleValue,
                path,
                format!("{value} is outside {lo}..={hi} ({what}), so the comparison never changes"),
            );
        }
    }

    /// Exactly one numeric operator.
    fn numeric_op(&mut self, ops: &Operators<'_>, path: &str, subject: &str) -> Option<(Cmp, f64, String)> {
        let numeric = ops.numeric();
        if numeric.len() != 1 || ops.is.is_some() || ops.in_.is_some() {
            self.problem(
                ProblemKind::InvalidCondition,
                path,
                format!("{subject:?} here needs exactly one of eq, ne, lt, lte, gt, gte"),
            );
            return None;
        }
        let (name, cmp, value) = numeric[0];
        let opath = format!("{path}.{name}");
        if !self.check_number(value, &opath, MAX_MAGNITUDE) {
            return None;
        }
        Some((cmp, value, opath))
    }

    /// `is` with a boolean.
    fn bool_op(&mut self, ops: &Operators<'_>, path: &str, subject: &str) -> Option<bool> {
        match (ops.is, ops.count()) {
            (Some(serde_json::Value::Bool(b)), 1) => Some(*b),
            (Some(_), 1) => {
                self.problem(
                    ProblemKind::ImpossibleValue,
                    format!("{path}.is"),
                    "this yes/no value takes true or false",
                );
                None
            }
            _ => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    format!("{subject:?} here needs \"is\": true or false"),
                );
                None
            }
        }
    }

    /// `is` with one name or `in` with a list of names; returns a bit set.
    fn choice_op(
        &mut self,
        ops: &Operators<'_>,
        path: &str,
        subject: &str,
        names: &[&str],
        what: &str,
    ) -> Option<(u64, String)> {
        let (values, key): (Vec<&serde_json::Value>, &str) = match (ops.is, ops.in_, ops.count()) {
            (Some(v), None, 1) => (vec![v], "is"),
            (None, Some(list), 1) => {
                if !self.check_count(
                    list.len(),
                    self.limits.max_options,
                    format_args!("{path}.in"),
                    "values",
                ) {
                    return None;
                }
                if list.is_empty() {
                    self.problem(
                        ProblemKind::Empty,
                        format!("{path}.in"),
                        "\"in\" needs at least one value",
                    );
                    return None;
                }
                (list.iter().collect(), "in")
            }
            _ => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    format!("{subject:?} here needs exactly one of \"is\" ({what}) or \"in\" (a list)"),
                );
                return None;
            }
        };
        let mut set = 0u64;
        let mut ok = true;
        let mut shown = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let vpath = || {
                if key == "is" {
                    format!("{path}.is")
                } else {
                    format!("{path}.in[{i}]")
                }
            };
            let found = value.as_str().and_then(|s| names.iter().position(|n| *n == s));
            match found {
                Some(bit) if bit < 64 => {
                    set |= 1 << bit;
                    shown.push(names[bit]);
                }
                _ => {
                    ok = false;
                    if self.full() {
                        // Counted without building its message.
                        self.omitted += 1;
                        continue;
                    }
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        vpath(),
                        format!(
                            "{} is not {what} here; expected one of {}",
                            shown_value(value),
                            name_list(names.iter().copied())
                        ),
                    );
                }
            }
        }
        if !ok {
            return None;
        }
        let text = if key == "is" {
            format!("is {}", shown[0])
        } else {
            format!("in [{}]", shown.join(", "))
        };
        Some((set, text))
    }
}

/// The path of an entry of a map inside `parent`, such as
/// `rules[3].then.focus.listening`, written only when displayed.
struct EntryPath<'a>(&'a str, &'a str, &'a str);

impl fmt::Display for EntryPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&key_path(&format!("{}.{}", self.0, self.1), self.2))
    }
}

/// The operator fields of a condition.
struct Operators<'a> {
    numeric: [(&'static str, Cmp, Option<f64>); 6],
    is: Option<&'a serde_json::Value>,
    in_: Option<&'a Vec<serde_json::Value>>,
}

impl<'a> Operators<'a> {
    fn of(cond: &'a Condition) -> Self {
        Operators {
            numeric: [
                ("eq", Cmp::Eq, cond.eq),
                ("ne", Cmp::Ne, cond.ne),
                ("lt", Cmp::Lt, cond.lt),
                ("lte", Cmp::Lte, cond.lte),
                ("gt", Cmp::Gt, cond.gt),
                ("gte", Cmp::Gte, cond.gte),
            ],
            is: cond.is.as_ref(),
            in_: cond.in_.as_ref(),
        }
    }

    fn numeric(&self) -> Vec<(&'static str, Cmp, f64)> {
        self.numeric
            .iter()
            .filter_map(|&(name, cmp, value)| value.map(|v| (name, cmp, v)))
            .collect()
    }

    fn count(&self) -> usize {
        self.numeric.iter().filter(|(_, _, v)| v.is_some()).count()
            + usize::from(self.is.is_some())
            + usize::from(self.in_.is_some())
    }
}

/// A number as traces and messages show it; whole numbers skip the float
/// formatter, which is slow, and `-0` shows as `0`.
pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        (value as i64).to_string()
    } else {
        value.to_string()
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
