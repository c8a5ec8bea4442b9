//! Errors: one type per concern, each problem with a stable kind and a JSON path.
//!
//! Messages never contain answer values: an error about an answer says which
//! question and what was wrong with it, not what the person answered.

use std::fmt;

use serde::Serialize;

/// Declares [`ProblemKind`] with each variant's stable tag written once,
/// next to the variant, and derives `tag` and `ALL_KINDS` from that list.
macro_rules! problem_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident => $tag:literal,)*) => {
        /// A stable, machine-readable kind of problem.
        ///
        /// The tag returned by [`ProblemKind::tag`] is part of the public contract:
        /// apps and fixtures switch on it, so it does not change between releases.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, uniffi::Enum)]
        #[serde(rename_all = "snake_case")]
        pub enum ProblemKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ProblemKind {
            /// The stable snake_case tag, such as `"duplicate_id"`.
            pub fn tag(self) -> &'static str {
                match self {
                    $(ProblemKind::$variant => $tag,)*
                }
            }
        }

        /// Every problem kind, for lookups by tag.
        pub(crate) const ALL_KINDS: &[ProblemKind] = &[$(ProblemKind::$variant,)*];
    };
}

problem_kinds! {
    /// Two items of the same kind share an id.
    DuplicateId => "duplicate_id",
    /// An id refers to something the pack does not declare.
    UnknownReference => "unknown_reference",
    /// A required id, text or list is empty.
    Empty => "empty",
    /// An id has characters other than ASCII letters, digits, `_`, `-` and `.`,
    /// or is too long.
    InvalidId => "invalid_id",
    /// A number is NaN, infinite or outside its allowed range.
    InvalidNumber => "invalid_number",
    /// A value that the referenced question, fact or dimension cannot take.
    ImpossibleValue => "impossible_value",
    /// Bands leave a gap between two neighbours or at an end of the scale.
    BandGap => "band_gap",
    /// Bands overlap or are not in ascending order.
    BandOverlap => "band_overlap",
    /// Challenge phases are not contiguous from day 1, or their activities
    /// do not match their days.
    PhaseDays => "phase_days",
    /// A condition object has no subject, several subjects, or an operator
    /// that does not fit its subject.
    InvalidCondition => "invalid_condition",
    /// `at_least` asks for more conditions than it lists.
    AtLeastTooLarge => "at_least_too_large",
    /// A condition is nested deeper than [`crate::Limits::max_condition_depth`].
    TooDeep => "too_deep",
    /// The pack, or the answers JSON, exceeds one of the documented
    /// [`crate::Limits`].
    TooLarge => "too_large",
    /// A safety rule depends on something other than single answers.
    UnsafeSafetyRule => "unsafe_safety_rule",
    /// The safety gate would suppress its own focus area or therapy level,
    /// or the baseline therapy level carries a tag.
    InvalidSuppression => "invalid_suppression",
    /// An answer names a question the pack does not have.
    UnknownQuestion => "unknown_question",
    /// A context value names a fact the pack does not declare.
    UnknownContext => "unknown_context",
    /// An answer or fact has the wrong JSON type for its question or fact.
    WrongType => "wrong_type",
    /// An options answer is not one of the question's option values.
    UnknownOption => "unknown_option",
    /// A number is outside the question's or fact's range, off its step,
    /// or not finite.
    OutOfRange => "out_of_range",
    /// Too many answers or context values were given.
    TooManyAnswers => "too_many_answers",
    /// A couple-mode leaf (`whose`, `gap`, `answer_gap`) where it can never
    /// apply: in a rule about one person (safety, `neutral_plan`, `view: own`).
    CoupleOnly => "couple_only",
    /// Something could tell one partner what the other answered privately:
    /// a private item in a shared dimension, a gap or `whose: both` on a
    /// private item, a shared private dimension, or a safety or neutral-plan
    /// rule reading a question that is not private.
    PrivateExposed => "private_exposed",
    /// Lint: no answers can make the rule's condition true.
    NeverFires => "never_fires",
    /// Lint: a rule has the same condition as an earlier one.
    DuplicateRule => "duplicate_rule",
    /// Lint: no combination of answers gives a score in the band.
    UnreachableBand => "unreachable_band",
    /// Lint: no rule leads to a focus area, challenge, phase or therapy level.
    UnreachableOutcome => "unreachable_outcome",
    /// Lint: a score cut-off finer than the six decimals scores are rounded to.
    RoundedCutoff => "rounded_cutoff",
    /// Lint: a `shared_reason` that is never shown: the rule reads a private
    /// item, so it counts only in a partner's own view.
    UnusedSharedReason => "unused_shared_reason",
    /// Lint: a rule that reads a private item suppresses tags, which in
    /// couple mode holds content back only in that partner's own view.
    OwnViewSuppression => "own_view_suppression",
    /// A previous snapshot comes from another pack.
    SnapshotOtherPack => "snapshot_other_pack",
    /// A previous snapshot is malformed or does not fit its pack.
    InvalidSnapshot => "invalid_snapshot",
    /// The date of an assessment is not a date of the form `YYYY-MM-DD`.
    InvalidDate => "invalid_date",
    /// The same question or fact is given twice in one object of answers
    /// or context.
    DuplicateKey => "duplicate_key",
    /// More problems were found than [`crate::Limits::max_problems`]; this
    /// last entry counts the ones not listed.
    TooManyProblems => "too_many_problems",
}

impl ProblemKind {
    /// The kind with this tag, if any.
    pub fn from_tag(tag: &str) -> Option<Self> {
        ALL_KINDS.iter().copied().find(|kind| kind.tag() == tag)
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.tag())
    }
}

/// One problem found in a pack or in answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Problem {
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// Where it is, as a JSON path such as `rules[3].when.all[1].answer`.
    pub path: String,
    /// What is wrong, in words, without any answer values.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(kind: ProblemKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            kind,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} [{}]", self.message, self.kind)
        } else {
            write!(f, "{}: {} [{}]", self.path, self.message, self.kind)
        }
    }
}

/// Longest path or message of one problem, in bytes; longer ones are cut
/// at a character boundary and end in `...`. With
/// [`crate::Limits::max_problems`] this bounds the text of any error.
pub(crate) const MAX_PROBLEM_TEXT_BYTES: usize = 512;

/// Most names a message lists (such as a question's options) before it
/// says how many more there are.
const MAX_LISTED_NAMES: usize = 8;

/// Longest name in such a list, in bytes.
const MAX_LISTED_NAME_BYTES: usize = 40;

/// Cuts `text` to at most `max` bytes, at a character boundary, marking the cut.
pub(crate) fn truncate_text(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut end = max.saturating_sub(3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str("...");
}

/// Most ids searched for the one nearest a mistyped id; a larger list is
/// not searched (its problems stay cheap).
const MAX_SUGGESTION_CANDIDATES: usize = 5_000;

/// The id among `candidates` a mistyped `word` most likely meant: the
/// nearest by edit distance, within a third of the word's length (at least
/// one edit), ties broken by the smaller id so the answer never depends on
/// a map's order. Ids longer than 64 bytes are not compared.
pub(crate) fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    const LONGEST: usize = 64;
    if word.len() > LONGEST || candidates.clone().nth(MAX_SUGGESTION_CANDIDATES).is_some() {
        return None;
    }
    let most = (word.chars().count() / 3).max(1);
    let length = word.chars().count();
    candidates
        // Ids whose length alone is too far need no table.
        .filter(|c| c.len() <= LONGEST && *c != word && c.chars().count().abs_diff(length) <= most)
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, _)| d <= most)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters, with two rows.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Names for a message, comma-separated: at most a few, each cut short,
/// then how many more there are. A message about a 64-option question
/// stays short however long the option values are.
pub(crate) fn name_list<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    let total = names.len();
    let mut out = String::new();
    for (i, name) in names.take(MAX_LISTED_NAMES).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let mut name = name.to_owned();
        truncate_text(&mut name, MAX_LISTED_NAME_BYTES);
        out.push_str(&name);
    }
    if total > MAX_LISTED_NAMES {
        out.push_str(&format!(" and {} more", total - MAX_LISTED_NAMES));
    }
    out
}

/// The path of an entry of a map, such as `answers.q_blame`. A key that is
/// not a plain id is written as a JSON string in brackets, so a newline or
/// an escape sequence in it cannot forge a line of output, and a long key
/// is cut short.
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    let mut key = key.to_owned();
    truncate_text(&mut key, MAX_LISTED_NAME_BYTES * 3);
    if plain {
        format!("{parent}.{key}")
    } else {
        // Serialising a string cannot fail.
        let quoted = serde_json::to_string(&key).unwrap_or_default();
        format!("{parent}[{quoted}]")
    }
}

/// Keeps the first `max` problems, each with its texts cut to
/// [`MAX_PROBLEM_TEXT_BYTES`], and adds one that counts the rest (the
/// `omitted` ones never built, and any past `max`).
pub(crate) fn cap_problems(problems: &mut Vec<Problem>, max: usize, omitted: usize) {
    let over = problems.len().saturating_sub(max) + omitted;
    problems.truncate(max);
    for problem in problems.iter_mut() {
        truncate_text(&mut problem.path, MAX_PROBLEM_TEXT_BYTES);
        truncate_text(&mut problem.message, MAX_PROBLEM_TEXT_BYTES);
    }
    if over > 0 {
        problems.push(Problem::new(
            ProblemKind::TooManyProblems,
            "",
            format!("and {over} more problems, not listed (at most {max} are)"),
        ));
    }
}

/// Writes a numbered list of problems, one per line.
fn write_problems(f: &mut fmt::Formatter<'_>, what: &str, problems: &[Problem]) -> fmt::Result {
    // The entry counting the problems not listed is not one of them.
    let listed = problems
        .iter()
        .filter(|p| p.kind != ProblemKind::TooManyProblems)
        .count();
    let noun = if listed == 1 { "problem" } else { "problems" };
    write!(f, "{listed} {noun} in {what}")?;
    for problem in problems {
        write!(f, "\n  {problem}")?;
    }
    Ok(())
}

/// Why a rule pack could not become an [`crate::Engine`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PackError {
    /// The pack is bigger than [`crate::Limits::max_pack_bytes`].
    #[error("pack is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The pack's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The pack has more JSON objects and arrays than
    /// [`crate::Limits::max_json_containers`].
    #[error("pack has more than {limit} JSON objects and arrays")]
    TooComplex {
        /// The limit.
        limit: u64,
    },
    /// The pack bytes are not UTF-8.
    #[error("pack is not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        offset: u64,
    },
    /// The pack is not JSON, or its JSON does not have the shape of a pack.
    #[error("pack JSON at line {line}, column {column}: {}{message}", at_path(path))]
    Syntax {
        /// 1-based line of the problem.
        line: u64,
        /// 1-based column of the problem.
        column: u64,
        /// The JSON path of the value it is in, such as `rules[3].then`
        /// (empty at the top level).
        path: String,
        /// What serde_json reported.
        message: String,
    },
    /// The pack declares a format this build does not read.
    #[error("pack format {found} is not supported; this build reads format {supported}")]
    UnsupportedFormat {
        /// The `format` the pack declares, as written.
        found: String,
        /// The format this build reads.
        supported: u32,
    },
    /// The pack parsed but breaks one or more rules of the format.
    #[error("{}", ProblemList("pack", problems))]
    Invalid {
        /// Every problem found, in document order.
        problems: Vec<Problem>,
    },
}

impl PackError {
    /// A stable tag for the error as a whole, such as `"syntax"` or `"invalid"`.
    pub fn tag(&self) -> &'static str {
        match self {
            PackError::TooLarge { .. } => "too_large",
            PackError::TooComplex { .. } => "too_complex",
            PackError::NotUtf8 { .. } => "not_utf8",
            PackError::Syntax { .. } => "syntax",
            PackError::UnsupportedFormat { .. } => "unsupported_format",
            PackError::Invalid { .. } => "invalid",
        }
    }

    /// The individual problems (empty unless the error is `Invalid`).
    pub fn problems(&self) -> &[Problem] {
        match self {
            PackError::Invalid { problems } => problems,
            _ => &[],
        }
    }
}

/// Why a set of answers could not be assessed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswersError {
    /// The answers JSON is malformed or does not have the expected shape.
    #[error("answers JSON at line {line}, column {column}: {}{message}", at_path(path))]
    Syntax {
        /// 1-based line of the problem.
        line: u64,
        /// 1-based column of the problem.
        column: u64,
        /// The JSON path of the value it is in, such as `answers.q_listen`
        /// (empty at the top level); never an answer.
        path: String,
        /// What serde_json reported.
        message: String,
    },
    /// One or more answers or context values do not fit the pack.
    #[error("{}", ProblemList("answers", problems))]
    Invalid {
        /// Every problem found, sorted by path.
        problems: Vec<Problem>,
    },
}

impl AnswersError {
    /// A stable tag for the error as a whole, such as `"syntax"` or `"invalid"`.
    pub fn tag(&self) -> &'static str {
        match self {
            AnswersError::Syntax { .. } => "syntax",
            AnswersError::Invalid { .. } => "invalid",
        }
    }

    /// The individual problems (empty unless the error is `Invalid`).
    pub fn problems(&self) -> &[Problem] {
        match self {
            AnswersError::Invalid { problems } => problems,
            AnswersError::Syntax { .. } => &[],
        }
    }
}

/// Displays a list of problems under a heading.
struct ProblemList<'a>(&'a str, &'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_problems(f, self.0, self.1)
    }
}

/// `path: ` before a message, or nothing for the top level.
pub(crate) fn at_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

/// The line, column and message of a serde_json error about input that
/// may hold answers or context values, with no value in the message.
///
/// serde's words quote the value they did not expect (`invalid type:
/// string "...", expected a map`): such a message keeps only the kind of
/// value. Messages that name a field or a key (unknown, missing, duplicate)
/// keep their words, since names are not answers; any other message about
/// the data is replaced by `shape`, which says what was expected.
pub(crate) fn json_position_without_values(error: &serde_json::Error, shape: &str) -> (u64, u64, String) {
    let (line, column, message) = json_position(error);
    if error.classify() != serde_json::error::Category::Data {
        // Syntax, EOF and I/O messages describe the text, not a value.
        return (line, column, message);
    }
    let names_a_field = [
        "unknown field",
        "missing field",
        "duplicate field",
        crate::input::DUPLICATE_KEY,
    ]
    .iter()
    .any(|start| message.starts_with(start));
    if names_a_field {
        return (line, column, message);
    }
    for start in ["invalid type: ", "invalid value: "] {
        if let (Some(rest), Some(expected)) = (message.strip_prefix(start), message.rfind(", expected ")) {
            // The first word names the kind of value ("string", "integer",
            // "map"); the rest of it, up to ", expected", is the value.
            let kind = rest.split([' ', ',']).next().unwrap_or("value");
            return (line, column, format!("{start}{kind}{}", &message[expected..]));
        }
    }
    (line, column, shape.to_owned())
}

/// The line, column and message of a serde_json error, without serde's
/// own " at line L column C" suffix (we print the position ourselves).
///
/// A message that quotes a key of the input (an unknown or duplicate
/// field) quotes at most [`MAX_QUOTED_NAME_BYTES`] of it, and the message
/// is cut at [`MAX_PROBLEM_TEXT_BYTES`], as every problem's is: the input
/// is the caller's and may be any size.
pub(crate) fn json_position(error: &serde_json::Error) -> (u64, u64, String) {
    let mut message = error.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    shorten_quoted_name(&mut message);
    truncate_text(&mut message, MAX_PROBLEM_TEXT_BYTES);
    (error.line() as u64, error.column() as u64, message)
}

/// The most of a quoted key a message repeats.
const MAX_QUOTED_NAME_BYTES: usize = 64;

/// Cuts the first `` `name` `` of a message to [`MAX_QUOTED_NAME_BYTES`]
/// (serde quotes field names so; the list of expected fields after it is
/// short and kept).
fn shorten_quoted_name(message: &mut String) {
    let Some(open) = message.find('`') else { return };
    let start = open + 1;
    let Some(len) = message[start..].find('`') else {
        return;
    };
    if len <= MAX_QUOTED_NAME_BYTES {
        return;
    }
    let mut cut = start + MAX_QUOTED_NAME_BYTES;
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    message.replace_range(cut..start + len, "...");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_unique_snake_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &kind in ALL_KINDS {
            let tag = kind.tag();
            assert!(seen.insert(tag), "{tag} repeats");
            assert!(tag.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{tag}");
            assert_eq!(ProblemKind::from_tag(tag), Some(kind));
            // The serde name is the tag, so JSON reports match `tag()`.
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::from(tag))
            );
        }
        assert_eq!(ProblemKind::from_tag("no_such_kind"), None);
    }

    #[test]
    fn a_mistyped_id_is_matched_to_the_nearest_one() {
        let ids = [
            "q_misunderstandings",
            "q_blame",
            "married",
            "recommend",
            "consider",
        ];
        let near = |word| closest(word, ids.iter().copied());
        assert_eq!(near("q_misunderstanding"), Some("q_misunderstandings"));
        assert_eq!(near("maried"), Some("married"));
        assert_eq!(near("recomend"), Some("recommend"));
        assert_eq!(near("q_blam"), Some("q_blame"));
        // Too far from everything, or an exact id: nothing.
        assert_eq!(near("communication"), None);
        assert_eq!(near("married"), None);
        // Ties go to the smaller id, whatever the order.
        assert_eq!(closest("ab", ["ac", "aa"].into_iter()), Some("aa"));
        assert_eq!(closest("ab", ["aa", "ac"].into_iter()), Some("aa"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn json_messages_quote_a_bounded_part_of_any_key() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Shape {
            answers: u32,
        }
        let key = "K".repeat(1_000_000);
        let json = format!("{{\"{key}\": 1}}");
        let error = serde_json::from_str::<Shape>(&json).expect_err("unknown field");
        let (line, column, message) = json_position(&error);
        assert_eq!(line, 1);
        assert!(column > 1_000_000);
        assert!(message.len() <= MAX_PROBLEM_TEXT_BYTES, "{}", message.len());
        let quoted = format!("unknown field `{}...`", "K".repeat(MAX_QUOTED_NAME_BYTES));
        assert!(message.starts_with(&quoted), "{message}");
        assert!(message.ends_with("expected `answers`"), "{message}");
        // Short names are quoted whole.
        let error = serde_json::from_str::<Shape>("{\"answer\": 1}").expect_err("unknown field");
        assert_eq!(
            json_position(&error).2,
            "unknown field `answer`, expected `answers`"
        );
    }

    #[test]
    fn messages_list_every_problem_under_a_count() {
        let error = AnswersError::Invalid {
            problems: vec![
                Problem::new(
                    ProblemKind::UnknownQuestion,
                    "answers.q_x",
                    "the pack has no question with this id",
                ),
                Problem::new(
                    ProblemKind::WrongType,
                    "answers.q_y",
                    "expected a number, got a string",
                ),
            ],
        };
        assert_eq!(
            error.to_string(),
            "2 problems in answers\n  answers.q_x: the pack has no question with this id [unknown_question]\n  \
             answers.q_y: expected a number, got a string [wrong_type]"
        );
    }
}
