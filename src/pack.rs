//! The rule pack as rule authors write it: plain serde types, format v1.
//!
//! Nothing here is checked beyond JSON shape: ids are still strings and
//! numbers may be anything. [`Engine::from_pack`](crate::Engine::from_pack)
//! turns a [`Pack`] into an [`Engine`](crate::Engine) and reports every
//! problem with a JSON path.
//!
//! Unknown fields are rejected everywhere, so a typo such as `"revers": true`
//! is an error instead of a silently ignored setting.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// The pack format this build understands.
pub const FORMAT_VERSION: u32 = 1;

/// The longest challenge a pack may hold, in days: no phase ends later.
pub const MAX_CHALLENGE_DAYS: u32 = 366;

/// A whole rule pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// Editors use this to find the JSON Schema; the engine ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The pack format version; only [`FORMAT_VERSION`] is accepted.
    #[serde(deserialize_with = "format_number")]
    pub format: u32,
    /// A stable identifier, such as `rekindle.default`.
    pub id: String,
    /// The author's version of the content, such as `1.2.0`.
    pub version: String,
    /// A human-readable title.
    #[serde(default)]
    pub title: String,
    /// Optional sections that group questions for display.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// The questionnaire, in display order.
    pub questions: Vec<Question>,
    /// Facts about the couple that the app may pass along with answers.
    #[serde(default)]
    pub context: Vec<ContextFact>,
    /// How answers combine into 0-100 scores.
    #[serde(default)]
    pub dimensions: Vec<Dimension>,
    /// What the couple could work on, in tie-break order.
    #[serde(default)]
    pub focus_areas: Vec<FocusArea>,
    /// The 30-day challenges and their phases, in tie-break order.
    #[serde(default)]
    pub challenges: Vec<Challenge>,
    /// Therapy suggestions from the weakest (first) to the strongest (last).
    pub therapy_levels: Vec<TherapyLevel>,
    /// What the safety gate shows and suppresses.
    pub safety: Safety,
    /// The rules, evaluated independently; their order breaks ties.
    pub rules: Vec<Rule>,
    /// What couple mode shares and offers when couples content is set aside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub couple: Option<CoupleSettings>,
}

/// A group of questions shown together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable id that questions refer to.
    pub id: String,
    /// Heading shown above the questions.
    pub title: String,
    /// Optional introduction shown under the heading.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro: String,
}

/// One question of the self-assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id used by answers, dimensions and rules.
    pub id: String,
    /// The section this question belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The text shown to the person answering.
    pub prompt: String,
    /// Optional help text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub help: String,
    /// What kind of answer the question takes.
    #[serde(deserialize_with = "crate::answer_de::answer_spec")]
    pub answer: AnswerSpec,
    /// Reverse keying: a high answer counts low in every dimension.
    #[serde(default)]
    pub reverse: bool,
    /// In couple mode, only the person who gave this answer ever sees
    /// anything derived from it (see `rules/README.md`, "Who sees what").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
}

/// The kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AnswerSpec {
    /// Ordered options; each carries its own weight.
    Options {
        /// The options in display order.
        options: Vec<AnswerOption>,
    },
    /// A number between `min` and `max` inclusive, in steps of `step`.
    Range {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// Allowed increments from `min`; absent means any number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<f64>,
        /// Label for the low end, such as "not at all".
        #[serde(default, skip_serializing_if = "String::is_empty")]
        min_label: String,
        /// Label for the high end, such as "completely".
        #[serde(default, skip_serializing_if = "String::is_empty")]
        max_label: String,
    },
    /// Yes counts as 1 and no as 0 (before reverse keying).
    YesNo,
}

/// One option of an options question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// Stable value sent as the answer, such as `"often"`.
    pub value: String,
    /// The text shown for the option.
    pub label: String,
    /// What the option counts for in dimensions and numeric comparisons.
    pub weight: f64,
}

/// A fact about the couple that the app passes with the answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ContextFact {
    /// Stable id used in rules.
    pub id: String,
    /// What the fact means, for authors and for apps that ask for it.
    pub label: String,
    /// The type of the fact.
    pub kind: FactKind,
    /// Smallest allowed value (`number` facts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed value (`number` facts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The allowed values (`choice` facts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
}

/// The type of a context fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// True or false.
    Bool,
    /// A number from `min` to `max` inclusive.
    Number,
    /// One of `choices`.
    Choice,
}

/// How some questions combine into a 0-100 score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Stable id used in rules.
    pub id: String,
    /// Display name.
    pub title: String,
    /// What a high score means, in plain words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The questions that feed the score and their weights.
    pub items: Vec<DimensionItem>,
    /// Sum or mean of the weighted item scores.
    #[serde(default)]
    pub method: ScoreMethod,
    /// Fewer answered items than this and the score is absent.
    /// Absent means every item must be answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_answered: Option<u32>,
    /// Whether band bounds are on the 0-100 score or the raw total.
    #[serde(default)]
    pub band_scale: BandScale,
    /// Named, contiguous ranges of the score, lowest first.
    #[serde(default)]
    pub bands: Vec<Band>,
    /// In couple mode, the score, band and gap stay in the owner's own
    /// view. A dimension with a private item must be private.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    /// Over time: the smallest change of the 0-100 score that counts as
    /// better or worse; smaller changes are steady. 10 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaningful_change: Option<f64>,
    /// Over time: whether a lower or a higher score is better. Lower when
    /// absent, as dimensions that measure a difficulty are.
    #[serde(default, skip_serializing_if = "is_default")]
    pub better: Better,
}

/// Which way a dimension's score improves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// A lower score is better (the dimension measures a difficulty).
    #[default]
    Lower,
    /// A higher score is better.
    Higher,
}

/// One question's contribution to a dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DimensionItem {
    /// The question id.
    pub question: String,
    /// How much the item counts; 1 when absent.
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

/// How item scores combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// Weighted sum over all items; a missing item counts as its minimum.
    #[default]
    Sum,
    /// Weighted mean over answered items (prorated).
    Mean,
}

/// The scale band bounds are written on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BandScale {
    /// The normalised 0-100 score.
    #[default]
    Score,
    /// The raw weighted total (for `sum`) or weighted mean (for `mean`),
    /// as published questionnaires state their cut-offs.
    Raw,
}

/// A named range of a dimension: `[min, max)` with the last band including
/// `max`, or a published integer range `from`-`to`, both inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Stable id used in rules.
    pub id: String,
    /// Display name.
    pub label: String,
    /// Inclusive lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Exclusive upper bound (inclusive for the last band).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Instead of `min` and `max`: the first whole number of a published
    /// range, such as 5 in "5-9".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    /// Instead of `min` and `max`: the last whole number of a published
    /// range, inclusive, such as 9 in "5-9".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
}

/// Something the couple could work on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FocusArea {
    /// Stable id used in rules.
    pub id: String,
    /// Display name.
    pub title: String,
    /// One line on what the area is about.
    pub summary: String,
    /// Concrete things to try.
    #[serde(default)]
    pub practices: Vec<String>,
    /// Labels that suppression effects target, such as `couples`.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A 30-day challenge split into phases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// Stable id used in rules.
    pub id: String,
    /// Display name.
    pub title: String,
    /// Who the challenge suits.
    pub summary: String,
    /// Contiguous phases starting at day 1.
    pub phases: Vec<Phase>,
    /// Labels that suppression effects target.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A run of days in a challenge with one theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Stable id, unique across the whole pack, used in rules.
    pub id: String,
    /// First day, inclusive.
    pub first_day: u32,
    /// Last day, inclusive.
    pub last_day: u32,
    /// What the phase is about.
    pub theme: String,
    /// One activity per day, in order; empty or exactly one per day.
    #[serde(default)]
    pub activities: Vec<String>,
}

/// A therapy suggestion; levels are ordered weakest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TherapyLevel {
    /// Stable id used in rules.
    pub id: String,
    /// Display name.
    pub title: String,
    /// Supportive text shown with the suggestion.
    pub message: String,
    /// Labels that suppression effects target, such as `couples`.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// What happens when any rule raises the safety flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Safety {
    /// Heading of the safety notice.
    pub title: String,
    /// Text of the safety notice.
    pub message: String,
    /// Tags suppressed whenever the flag is raised; nothing can undo this.
    pub suppress: Vec<String>,
    /// Focus area placed first whenever the flag is raised.
    pub focus_area: String,
    /// Therapy level given whenever the flag is raised.
    pub therapy_level: String,
    /// Where to find help.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Whether online therapy may still be suggested while the flag is up.
    /// Off unless the pack says so: sessions from home may not be private
    /// for someone who does not feel safe there.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_online_therapy: bool,
}

/// A place to find help.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the resource offers.
    pub description: String,
    /// How to reach it (phone number, address, web address), if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
}

/// A rule: when its condition holds, its effects apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, named in traces and fixtures.
    pub id: String,
    /// When the rule fires.
    pub when: Condition,
    /// What it does when it fires.
    pub then: Effects,
}

/// A condition, written as an object with exactly one subject key.
///
/// Combinators: `all`, `any`, `not`, and `at_least` with `of`.
/// Leaves: `score`, `band`, `answer` or `context` with one operator
/// (`eq`, `ne`, `lt`, `lte`, `gt`, `gte`, `is`, `in`), and `answered` or
/// `unanswered` alone. Couple mode adds `whose` (`either`, `both`) on leaves
/// that read one person, and the `gap` and `answer_gap` leaves. The shape is
/// checked when the pack is compiled so that
/// errors carry a JSON path rather than serde's "did not match any variant".
/// It is read by hand (`condition_de.rs`), so that deep nesting fits a
/// small stack; a field added here must be added there too.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        schema_with = "schema::condition",
        description = "A condition: an object with exactly one subject key. Combinators: all, any, not, and at_least with of. Leaves: score, band, answer or context with one operator (eq, ne, lt, lte, gt, gte, is, in), or answered / unanswered alone. Couple mode: whose (either, both) on score, band, answer, answered and unanswered leaves; gap (a dimension) and answer_gap (a question) with a numeric operator."
    )
)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// True when every listed condition is true (and when the list is empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    /// True when one or more listed conditions are true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    /// True when the inner condition is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
    /// True when at least this many conditions in `of` are true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u32>,
    /// The conditions counted by `at_least`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<Vec<Condition>>,
    /// A dimension id; compares its 0-100 score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    /// A dimension id; compares its band with `is` or `in`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// A dimension id; compares its raw value (the weighted sum or mean of
    /// item scores, as published instruments state cut-offs) exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// A question id; compares its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// A context fact id; compares its value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// A question id; true when it was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<String>,
    /// A question id; true when it was not answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unanswered: Option<String>,
    /// Couple mode: a dimension id; compares the absolute difference
    /// between the partners' 0-100 scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<String>,
    /// Couple mode: a question id; compares the absolute difference between
    /// the partners' answers (option weights, numbers, or 1 for yes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_gap: Option<String>,
    /// Over time: a dimension id; compares the change of its 0-100 score
    /// since the previous snapshot (now minus before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// Over time: a dimension id; compares its direction since the previous
    /// snapshot (`better`, `worse` or `steady`) with `is` or `in`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<String>,
    /// Over time: a dimension id; compares its band in the previous
    /// snapshot with `is` or `in`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_band: Option<String>,
    /// Over time: what the previous snapshot recorded: `challenge` or
    /// `phase` (with `is`), `day` (the challenge day reached) or
    /// `days_since` (days between the snapshot and this assessment), with a
    /// numeric operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// Couple mode: whose answers a `score`, `band`, `answer`, `answered`
    /// or `unanswered` leaf reads. A rule with such a leaf is a couple rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whose: Option<Whose>,
    /// Equal to this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<f64>,
    /// Not equal to this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ne: Option<f64>,
    /// Less than this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
    /// Less than or equal to this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
    /// Greater than this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    /// Greater than or equal to this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    /// Equal to this option value, band id, choice or boolean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<serde_json::Value>,
    /// Equal to one of these option values, band ids or choices.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "in")]
    pub in_: Option<Vec<serde_json::Value>>,
}

/// What a rule does when it fires.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Effects {
    /// Weight added to focus areas, by id.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub focus: BTreeMap<String, f64>,
    /// Weight added to challenges, by id.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub challenges: BTreeMap<String, f64>,
    /// Weight added to phases, by phase id (which also counts for its challenge).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub phases: BTreeMap<String, f64>,
    /// A therapy level id; the strongest level among fired rules wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub therapy: Option<String>,
    /// Online therapy fits (for example: partner reluctant, cost a concern).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub online_therapy: bool,
    /// Raise the safety flag (see [`Safety`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub safety: bool,
    /// Tags to suppress: matching focus areas, challenges and therapy levels
    /// are left out of the result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppress: Vec<String>,
    /// Why the rule fired, in supportive words; shown to the user.
    pub reason: String,
    /// In couple mode, the reason the shared view shows instead of `reason`;
    /// it must not say who answered what. A rule that reads a private item
    /// or dimension never reaches the shared view, so its shared reason is
    /// never shown (`rekindle lint` says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_reason: Option<String>,
    /// In couple mode, where the effects go: the couple's shared plan (the
    /// default) or the own view of the partner whose answers fired the rule.
    #[serde(default, skip_serializing_if = "is_default")]
    pub view: View,
    /// Set couples content aside, as the safety gate does, but for an
    /// ordinary reason (such as wanting to work on oneself first). In couple
    /// mode the shared plan becomes the pack's neutral plan, which is the
    /// same whichever partner or reason asked for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub neutral_plan: bool,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Where a rule's effects go in couple mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The plan both partners read together.
    #[default]
    Shared,
    /// Only the own view of the partner whose answers fired the rule.
    Own,
}

/// Whose answers a couple-mode leaf reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Whose {
    /// True when the test holds for at least one partner.
    Either,
    /// True when the test holds for both partners.
    Both,
}

/// Couple-mode settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CoupleSettings {
    /// Non-private dimensions whose couple score (the mean of both
    /// partners' scores) the shared view shows. Each partner can work out
    /// the other's score from it, so list only what a couple compares openly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_dimensions: Vec<String>,
    /// The shared plan when couples content is set aside, whether by the
    /// safety gate or by a `neutral_plan` rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neutral_plan: Option<NeutralPlan>,
}

/// A plan each partner can follow on their own, shared when couples content
/// is set aside. Its words must fit any reason for setting it aside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NeutralPlan {
    /// Focus areas to list, in order; none may carry a suppressed tag.
    #[serde(default)]
    pub focus_areas: Vec<String>,
    /// The therapy level to suggest; it may carry no suppressed tag.
    pub therapy_level: String,
    /// Why, in words that fit every reason for the neutral plan.
    pub reason: String,
}

impl Pack {
    /// Gives back the spare capacity of every list. A parsed list grows by
    /// doubling, and the engine keeps the pack for as long as it lives:
    /// for the default pack the slack was a third of the model's heap
    /// (rules and conditions are a few hundred bytes each). Conditions are
    /// walked without recursion, as everywhere else.
    pub(crate) fn shrink_to_fit(&mut self) {
        fn strings(lists: &mut [&mut Vec<String>]) {
            for list in lists {
                list.shrink_to_fit();
            }
        }
        self.sections.shrink_to_fit();
        self.questions.shrink_to_fit();
        for question in &mut self.questions {
            if let AnswerSpec::Options { options } = &mut question.answer {
                options.shrink_to_fit();
            }
        }
        self.context.shrink_to_fit();
        for fact in &mut self.context {
            if let Some(choices) = &mut fact.choices {
                choices.shrink_to_fit();
            }
        }
        self.dimensions.shrink_to_fit();
        for dimension in &mut self.dimensions {
            dimension.items.shrink_to_fit();
            dimension.bands.shrink_to_fit();
        }
        self.focus_areas.shrink_to_fit();
        for area in &mut self.focus_areas {
            strings(&mut [&mut area.practices, &mut area.tags]);
        }
        self.challenges.shrink_to_fit();
        for challenge in &mut self.challenges {
            challenge.phases.shrink_to_fit();
            challenge.tags.shrink_to_fit();
            for phase in &mut challenge.phases {
                phase.activities.shrink_to_fit();
            }
        }
        self.therapy_levels.shrink_to_fit();
        for level in &mut self.therapy_levels {
            level.tags.shrink_to_fit();
        }
        self.safety.suppress.shrink_to_fit();
        self.safety.resources.shrink_to_fit();
        if let Some(couple) = &mut self.couple {
            couple.shared_dimensions.shrink_to_fit();
            if let Some(plan) = &mut couple.neutral_plan {
                plan.focus_areas.shrink_to_fit();
            }
        }
        self.rules.shrink_to_fit();
        let mut conditions = Vec::with_capacity(self.rules.len());
        for rule in &mut self.rules {
            rule.then.suppress.shrink_to_fit();
            conditions.push(&mut rule.when);
        }
        while let Some(condition) = conditions.pop() {
            let Condition {
                all,
                any,
                of,
                not,
                in_,
                ..
            } = condition;
            for list in [all, any, of].into_iter().flatten() {
                list.shrink_to_fit();
                conditions.extend(list.iter_mut());
            }
            conditions.extend(not.as_deref_mut());
            if let Some(values) = in_ {
                values.shrink_to_fit();
            }
        }
    }
}

/// Reads `format`, saying what it takes in words rather than serde's type
/// names (`u32`).
fn format_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    struct Format;

    impl Visitor<'_> for Format {
        type Value = u32;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "the format number, such as {FORMAT_VERSION} (a number, not a string)"
            )
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<u32, E> {
            u32::try_from(value).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
        }
    }

    deserializer.deserialize_u32(Format)
}

/// Reads a map of weights, rejecting a repeated key: JSON parsers differ on
/// which duplicate wins, so a pack must not depend on it.
fn unique_keys<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<String, f64>, D::Error> {
    struct UniqueKeys;

    impl<'de> Visitor<'de> for UniqueKeys {
        type Value = BTreeMap<String, f64>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of weights by id")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut weights = BTreeMap::new();
            while let Some((key, weight)) = map.next_entry::<String, f64>()? {
                match weights.entry(key) {
                    Entry::Occupied(first) => {
                        let key = first.key();
                        return Err(serde::de::Error::custom(format_args!("duplicate key `{key}`")));
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(weight);
                    }
                }
            }
            Ok(weights)
        }
    }

    deserializer.deserialize_map(UniqueKeys)
}

/// Hand-written JSON Schemas for the types whose serde shape says too little:
/// a [`Condition`] is one of several forms, and answers are bare values.
#[cfg(feature = "schema")]
pub(crate) mod schema {
    use schemars::{json_schema, Schema, SchemaGenerator};
    use serde_json::{json, Map, Value};

    use super::Condition;

    /// A stable id: what every `score`, `band`, `answer`, ... subject names.
    fn id(description: &str) -> Value {
        json!({"type": "string", "minLength": 1, "description": description})
    }

    fn numeric_ops() -> Vec<(&'static str, Value)> {
        [
            ("eq", "Equal to this number."),
            ("ne", "Not equal to this number."),
            ("lt", "Less than this number."),
            ("lte", "Less than or equal to this number."),
            ("gt", "Greater than this number."),
            ("gte", "Greater than or equal to this number."),
        ]
        .into_iter()
        .map(|(name, description)| (name, json!({"type": "number", "description": description})))
        .collect()
    }

    fn is_op(types: &[&str], description: &str) -> (&'static str, Value) {
        ("is", json!({"type": types, "description": description}))
    }

    fn in_op(description: &str) -> (&'static str, Value) {
        (
            "in",
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1, "description": description}),
        )
    }

    /// Whose answers a leaf reads in couple mode.
    fn whose() -> Value {
        json!({
            "enum": ["either", "both"],
            "description": "Couple mode: true when the test holds for either partner or for both. A rule with such a leaf is a couple rule, skipped in single mode."
        })
    }

    /// A leaf: the subject key and exactly one operator, and `whose` where
    /// the leaf reads one person.
    fn leaf(
        subject: &str,
        title: &str,
        subject_schema: Value,
        ops: Vec<(&'static str, Value)>,
        personal: bool,
    ) -> Value {
        let mut properties = Map::new();
        properties.insert(subject.to_owned(), subject_schema);
        let with_op = 1 + usize::from(!ops.is_empty());
        for (name, schema) in ops {
            properties.insert(name.to_owned(), schema);
        }
        if !personal {
            return json!({
                "title": title,
                "type": "object",
                "properties": properties,
                "required": [subject],
                "additionalProperties": false,
                "minProperties": with_op,
                "maxProperties": with_op
            });
        }
        properties.insert("whose".to_owned(), whose());
        // Exactly one operator, with or without `whose`.
        json!({
            "title": title,
            "type": "object",
            "properties": properties,
            "required": [subject],
            "additionalProperties": false,
            "minProperties": with_op,
            "if": {"properties": {"whose": true}, "required": ["whose"]},
            "then": {"maxProperties": with_op + 1},
            "else": {"maxProperties": with_op}
        })
    }

    /// The schema of [`Condition`]: exactly one of its forms.
    pub(crate) fn condition(generator: &mut SchemaGenerator) -> Schema {
        let cond = generator.subschema_for::<Condition>().to_value();
        let list = json!({"type": "array", "items": cond});
        let mut answer_ops = numeric_ops();
        answer_ops.push(is_op(
            &["string", "boolean"],
            "An option value (options questions) or true/false (yes/no questions).",
        ));
        answer_ops.push(in_op("One of these option values."));
        let mut context_ops = numeric_ops();
        context_ops.push(is_op(
            &["string", "boolean"],
            "A choice (choice facts) or true/false (bool facts).",
        ));
        context_ops.push(in_op("One of these choices."));
        json_schema!({
            "oneOf": [
                {
                    "title": "all",
                    "type": "object",
                    "properties": {"all": {"description": "True when every listed condition is true (and when the list is empty).", "type": "array", "items": cond}},
                    "required": ["all"],
                    "additionalProperties": false
                },
                {
                    "title": "any",
                    "type": "object",
                    "properties": {"any": {"description": "True when one or more listed conditions are true.", "type": "array", "items": cond}},
                    "required": ["any"],
                    "additionalProperties": false
                },
                {
                    "title": "not",
                    "type": "object",
                    "properties": {"not": {"description": "True when the inner condition is false.", "allOf": [cond]}},
                    "required": ["not"],
                    "additionalProperties": false
                },
                {
                    "title": "at_least",
                    "type": "object",
                    "properties": {
                        "at_least": {"description": "True when at least this many conditions in `of` are true.", "type": "integer", "minimum": 1},
                        "of": list
                    },
                    "required": ["at_least", "of"],
                    "additionalProperties": false
                },
                leaf("score", "score", id("A dimension id; compares its 0-100 score with one of eq, ne, lt, lte, gt, gte."), numeric_ops(), true),
                leaf("band", "band", id("A dimension id; compares its band with is (a band id) or in (band ids)."), vec![
                    is_op(&["string"], "A band id of the dimension."),
                    in_op("One of these band ids."),
                ], true),
                leaf("answer", "answer", id("A question id; compares its answer: an option value (is, in) or the option weight, a number (eq, ne, lt, lte, gt, gte), or true/false (is)."), answer_ops, true),
                leaf("context", "context", id("A context fact id; compares its value: true/false (is), a choice (is, in) or a number (eq, ne, lt, lte, gt, gte)."), context_ops, false),
                leaf("answered", "answered", id("A question id; true when it was answered."), vec![], true),
                leaf("unanswered", "unanswered", id("A question id; true when it was not answered."), vec![], true),
                leaf("raw", "raw", id("A dimension id; compares its raw value (weighted sum or mean of item scores) with one of eq, ne, lt, lte, gt, gte."), numeric_ops(), true),
                leaf("change", "change", id("Over time: a dimension id; compares its score now minus its score in the previous snapshot with one of eq, ne, lt, lte, gt, gte."), numeric_ops(), true),
                leaf("trend", "trend", id("Over time: a dimension id; compares its direction since the previous snapshot with is or in: better, worse, steady."), vec![
                    ("is", json!({"enum": ["better", "worse", "steady"], "description": "The direction."})),
                    ("in", json!({"type": "array", "items": {"enum": ["better", "worse", "steady"]}, "minItems": 1, "description": "One of these directions."})),
                ], true),
                leaf("previous_band", "previous_band", id("Over time: a dimension id; compares its band in the previous snapshot with is (a band id) or in (band ids)."), vec![
                    is_op(&["string"], "A band id of the dimension."),
                    in_op("One of these band ids."),
                ], true),
                leaf("previous", "previous", json!({"enum": ["challenge", "phase", "day", "days_since"], "description": "Over time: what the previous snapshot recorded: challenge or phase (with is), day reached or days since (with a numeric operator)."}), {
                    let mut ops = numeric_ops();
                    ops.push(is_op(&["string"], "A challenge or phase id."));
                    ops
                }, false),
                leaf("gap", "gap", id("Couple mode: a dimension id; compares the absolute difference between the partners' scores with one of eq, ne, lt, lte, gt, gte."), numeric_ops(), false),
                leaf("answer_gap", "answer_gap", id("Couple mode: a question id; compares the absolute difference between the partners' answers (option weights, numbers, 1 for yes) with one of eq, ne, lt, lte, gt, gte."), numeric_ops(), false)
            ]
        })
    }

    /// Answers or context values by id: each a string, a number or a boolean.
    pub(crate) fn value_map(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]}
        })
    }

    /// Like [`value_map`], or `null`.
    pub(crate) fn optional_value_map(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["object", "null"],
            "additionalProperties": {"type": ["string", "number", "boolean"]}
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every list of conditions in the pack, without recursion.
    fn condition_lists(pack: &Pack) -> Vec<&Vec<Condition>> {
        let mut lists = Vec::new();
        let mut conditions: Vec<&Condition> = pack.rules.iter().map(|rule| &rule.when).collect();
        while let Some(condition) = conditions.pop() {
            for list in [&condition.all, &condition.any, &condition.of]
                .into_iter()
                .flatten()
            {
                lists.push(list);
                conditions.extend(list);
            }
            conditions.extend(condition.not.as_deref());
        }
        lists
    }

    #[test]
    fn shrinking_keeps_the_content_and_leaves_no_spare_capacity() {
        let parsed: Pack = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("the default pack parses");
        let lists = condition_lists(&parsed);
        assert!(
            parsed.rules.capacity() > parsed.rules.len() || lists.iter().any(|l| l.capacity() > l.len()),
            "a parsed pack has spare capacity to give back"
        );
        // A clone has no spare capacity: shrink the parsed pack itself.
        let expected = parsed.clone();
        let mut pack = parsed;
        pack.shrink_to_fit();
        assert_eq!(pack, expected);
        assert_eq!(pack.rules.capacity(), pack.rules.len());
        assert_eq!(pack.questions.capacity(), pack.questions.len());
        let lists = condition_lists(&pack);
        assert!(lists.len() > 50, "the default pack nests conditions");
        for list in lists {
            assert_eq!(list.capacity(), list.len());
        }
        for question in &pack.questions {
            if let AnswerSpec::Options { options } = &question.answer {
                assert_eq!(options.capacity(), options.len(), "{}", question.id);
            }
        }
    }
}
