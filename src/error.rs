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
    /// The pack exceeds one of the documented [`crate::Limits`].
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
    /// A rule reads a private item and reaches the shared plan without a
    /// `shared_reason` that is safe to share.
    PrivateReason => "private_reason",
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
    /// Lint: a shared reason of a rule that reads private items, for a
    /// person to check that it says nothing of who answered what.
    ReviewSharedReason => "review_shared_reason",
    /// A previous snapshot comes from another pack.
    SnapshotOtherPack => "snapshot_other_pack",
    /// A previous snapshot is malformed or does not fit its pack.
    InvalidSnapshot => "invalid_snapshot",
}

impl ProblemKind {
    /// The kind with this tag, if any.
    pub fn from_tag(tag: &str) -> Option<Self> {
        ALL_KINDS.iter().copied().find(|kind| kind.tag() == tag)
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
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
        write!(f, "{}: {} [{}]", self.path, self.message, self.kind)
    }
}

/// Writes a numbered list of problems, one per line.
fn write_problems(f: &mut fmt::Formatter<'_>, what: &str, problems: &[Problem]) -> fmt::Result {
    let noun = if problems.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    write!(f, "{} {noun} in {what}", problems.len())?;
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
    #[error("pack JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the problem.
        line: u64,
        /// 1-based column of the problem.
        column: u64,
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
    #[error("answers JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the problem.
        line: u64,
        /// 1-based column of the problem.
        column: u64,
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

/// The line, column and message of a serde_json error, without serde's
/// own " at line L column C" suffix (we print the position ourselves).
pub(crate) fn json_position(error: &serde_json::Error) -> (u64, u64, String) {
    let mut message = error.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    (error.line() as u64, error.column() as u64, message)
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
