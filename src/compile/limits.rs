//! The size limits a pack from a server is held to.

/// Size limits that keep a pack from a server from exhausting memory or time.
///
/// Pack limits are checked while compiling and reported as
/// [`ProblemKind::TooLarge`](crate::ProblemKind::TooLarge), except three checked before parsing: the byte
/// size ([`crate::PackError::TooLarge`]), the count of JSON objects and
/// arrays ([`crate::PackError::TooComplex`]), and JSON nesting deeper than
/// [`Limits::max_json_depth`] or [`Limits::max_json_object_depth`] (a
/// [`crate::PackError::Syntax`] error with its line and column). Condition nesting deeper than `max_condition_depth` is
/// [`ProblemKind::TooDeep`](crate::ProblemKind::TooDeep). A pack built in code is checked for nesting
/// before anything walks it, without recursion. So no input can overflow
/// the stack: loading and assessing work on a 128 KiB thread stack.
/// `max_answers` and `max_answers_bytes` are checked by `assess`
/// ([`ProblemKind::TooManyAnswers`](crate::ProblemKind::TooManyAnswers), [`ProblemKind::TooLarge`](crate::ProblemKind::TooLarge)).
///
/// Error text is bounded too: at most `max_problems` problems are listed
/// (then one [`ProblemKind::TooManyProblems`](crate::ProblemKind::TooManyProblems) entry counts the rest), each
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
    /// Largest worst-case result, in bytes of reasons: if every rule
    /// fired, each reason's text and rule id counted once in each of a
    /// couple plan's three views, and each place that refers to it (each
    /// focus area it weights, the challenge, the therapy suggestion, the
    /// safety notice) counted as its rule id, in each view. A pack over it
    /// is refused with [`ProblemKind::TooLarge`](crate::ProblemKind::TooLarge)
    /// at the costliest rule.
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
