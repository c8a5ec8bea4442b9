//! The foreign-language surface: what Kotlin, Swift and Python see through
//! UniFFI.
//!
//! This layer is thin on purpose. It wraps [`crate::Engine`] in an object
//! that foreign code holds by reference ([`Engine`], the same name in
//! Kotlin, Swift and Python), turns the pack's questionnaire into plain
//! records an app can render, and folds the three error types of the core
//! into one typed error, [`RekindleError`]. Results are the core's own
//! records ([`crate::Recommendation`], [`crate::CouplePlan`], ...).
//!
//! Builds with the `fixtures` feature add the fixture runner for rule
//! authors (`Engine.run_fixtures`, `fixture_summary`, `FixtureSource` and
//! the `FixtureReport` records); the mobile libraries leave it out.
//!
//! In the foreign languages:
//!
//! | Rust | Kotlin (`org.rekindle`) | Swift (`Rekindle`) | Python (`rekindle`) |
//! |---|---|---|---|
//! | [`Engine`] | `Engine` | `Engine` | `Engine` |
//! | [`RekindleError`] | sealed `RekindleException` | `enum RekindleError: Error` | `RekindleError` exceptions |
//!
//! No panic crosses the boundary: UniFFI catches any unwinding panic and
//! reports it as its internal error type, and nothing here panics on input.

use std::sync::Arc;

use serde::Serialize;

use crate::couple::{CouplePlan, CoupleTrace};
use crate::error::{AnswersError, PackError, Problem};
use crate::input::{CoupleResponses, Responses};
use crate::json_write::{append_json, to_json};
use crate::pack;
use crate::progress::{CoupleSnapshots, Snapshot};
use crate::recommend::{PackInfo, Recommendation, TraceDetail};

/// Room for a result's JSON text from the start (the default pack's, with
/// its full trace, is about 10 KB), so that writing it rarely grows it.
const RESULT_JSON_BYTES: usize = 12 * 1024;

// The fixture runner for rule authors' tools: apps leave it out (see the
// `fixtures` feature in Cargo.toml).
#[cfg(feature = "fixtures")]
mod fixtures;
#[cfg(feature = "fixtures")]
pub use fixtures::{fixture_summary, FixtureSource};

/// Every error the foreign-language API raises.
///
/// `tag` is the core error's stable tag (`"syntax"`, `"invalid"`,
/// `"too_large"`, ...); `detail` is the full, readable message; `problems`
/// lists every problem with its kind and JSON path when there are several.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum RekindleError {
    /// The rule pack could not become an engine; an app keeps its bundled pack.
    #[error("{detail}")]
    InvalidPack {
        /// The stable tag of the pack error, such as `"syntax"` or `"invalid"`.
        tag: String,
        /// The whole message, with every problem on its own line.
        detail: String,
        /// Every problem, with its kind and JSON path (empty unless `tag` is `"invalid"`).
        problems: Vec<Problem>,
    },
    /// The answers or context do not fit the pack.
    #[error("{detail}")]
    InvalidAnswers {
        /// The stable tag of the answers error: `"syntax"` or `"invalid"`.
        tag: String,
        /// The whole message, naming questions but never repeating answers.
        detail: String,
        /// Every problem, with its kind and JSON path (empty unless `tag` is `"invalid"`).
        problems: Vec<Problem>,
    },
    /// A fixture file could not be read (only `run_fixtures` raises it, in
    /// builds with the `fixtures` feature).
    #[error("{detail}")]
    InvalidFixtures {
        /// The stable tag: `"syntax"` or `"unsupported_format"`.
        tag: String,
        /// The whole message, naming the file, line and column.
        detail: String,
        /// The name the file was given under.
        file: String,
    },
}

impl From<PackError> for RekindleError {
    fn from(error: PackError) -> Self {
        RekindleError::InvalidPack {
            tag: error.tag().to_owned(),
            detail: error.to_string(),
            problems: error.problems().to_vec(),
        }
    }
}

impl From<AnswersError> for RekindleError {
    fn from(error: AnswersError) -> Self {
        RekindleError::InvalidAnswers {
            tag: error.tag().to_owned(),
            detail: error.to_string(),
            problems: error.problems().to_vec(),
        }
    }
}

/// A compiled rule pack that assesses answers: [`crate::Engine`] as
/// foreign code holds it.
///
/// Immutable and safe to share between threads: one engine can serve a
/// whole app.
#[derive(Debug, Clone, uniffi::Object)]
pub struct Engine {
    engine: crate::Engine,
}

#[uniffi::export]
impl Engine {
    /// The engine for the default pack compiled into the library.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Engine {
            engine: crate::Engine::embedded(),
        })
    }

    /// Parses, validates and compiles a rule pack from its JSON text.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, RekindleError> {
        let engine = crate::Engine::from_json(&json)?;
        Ok(Arc::new(Engine { engine }))
    }

    /// The pack's id, version, title and content hash.
    pub fn info(&self) -> PackInfo {
        self.engine.info()
    }

    /// The questionnaire to render: sections, questions and context facts,
    /// in the pack's order.
    pub fn questionnaire(&self) -> Questionnaire {
        Questionnaire::from_pack(self.engine.pack())
    }

    /// The ids of every rule, in pack order.
    pub fn rule_ids(&self) -> Vec<String> {
        self.engine.rule_ids().map(str::to_owned).collect()
    }

    /// Assesses one set of responses.
    pub fn assess(&self, responses: Responses) -> Result<Recommendation, RekindleError> {
        Ok(self.engine.assess(&responses)?)
    }

    /// Like `assess`, choosing how much evidence the trace keeps:
    /// `RulesOnly` gives the same decisions for less work and a smaller
    /// result, for apps that re-assess on every answer change.
    pub fn assess_with(
        &self,
        responses: Responses,
        detail: TraceDetail,
    ) -> Result<Recommendation, RekindleError> {
        Ok(self.engine.assess_with(&responses, detail)?)
    }

    /// A focus area of the pack with its practices, by id (as results
    /// name it).
    pub fn focus_area(&self, id: String) -> Option<FocusAreaDetails> {
        self.engine.focus_area(&id).map(|area| FocusAreaDetails {
            id: area.id.clone(),
            title: area.title.clone(),
            summary: area.summary.clone(),
            practices: area.practices.clone(),
        })
    }

    /// A challenge of the pack with its phases and daily activities, by id.
    pub fn challenge(&self, id: String) -> Option<ChallengeDetails> {
        self.engine.challenge(&id).map(|challenge| ChallengeDetails {
            id: challenge.id.clone(),
            title: challenge.title.clone(),
            summary: challenge.summary.clone(),
            phases: challenge
                .phases
                .iter()
                .map(|phase| PhaseDetails {
                    id: phase.id.clone(),
                    first_day: phase.first_day,
                    last_day: phase.last_day,
                    theme: phase.theme.clone(),
                    activities: phase.activities.clone(),
                })
                .collect(),
        })
    }

    /// The activity for a day of a phase (1 for the phase's first day), if
    /// the pack gives one.
    pub fn activity(&self, phase: String, day: u32) -> Option<String> {
        self.engine.activity(&phase, day).map(str::to_owned)
    }

    /// Assesses responses given as JSON: `{"answers": {...}, "context": {...}}`.
    pub fn assess_json(&self, json: String) -> Result<Recommendation, RekindleError> {
        Ok(self.engine.assess_json(&json)?)
    }

    /// Like `assess_json`, with the recommendation as JSON text too (the
    /// shape `rekindle assess --json` prints). For callers that store or forward JSON, such
    /// as bulk scoring from Python: building foreign objects for the result
    /// is most of the cost of a call there, and this skips it.
    pub fn assess_json_to_json(&self, json: String) -> Result<String, RekindleError> {
        let recommendation = self.engine.assess_json(&json)?;
        // Cannot fail: every field is a string, number, boolean, list or record.
        Ok(to_json(&recommendation, RESULT_JSON_BYTES).unwrap_or_default())
    }

    /// Assesses many answer sets in one call, for bulk scoring.
    ///
    /// `lines` is JSON Lines: one responses object per line, as
    /// `assess_json` takes. The result is JSON Lines too, one line per
    /// input line, in order: the recommendation (as `assess_json_to_json`
    /// gives it), or `{"error": {"tag": ..., "detail": ..., "problems":
    /// [...]}}` for a line that cannot be assessed, so one bad line does not
    /// stop the rest. Passing a few hundred lines per call keeps the
    /// crossing cost per answer set small while results still arrive as
    /// they go.
    pub fn assess_json_lines(&self, lines: String, detail: TraceDetail) -> String {
        let mut out = Vec::with_capacity(lines.len() * 8);
        for (i, line) in lines.lines().enumerate() {
            if i > 0 {
                out.push(b'\n');
            }
            // Cannot fail: every field is a string, number, boolean, list or record.
            let written = match self.engine.assess_json_with(line, detail) {
                Ok(recommendation) => append_json(&recommendation, &mut out),
                Err(error) => append_json(
                    &LineError {
                        error: LineErrorBody {
                            tag: error.tag(),
                            detail: error.to_string(),
                            problems: error.problems(),
                        },
                    },
                    &mut out,
                ),
            };
            if !written {
                out.extend_from_slice(b"null");
            }
        }
        // Only JSON text was written: the bytes of strings, and ASCII.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Assesses a couple: a shared plan for both partners, and one private
    /// view per partner. Show `shared` to both, `a` only to partner A and
    /// `b` only to partner B; the engine has already kept each partner's
    /// private answers and safety notice out of what the other reads.
    pub fn assess_couple(&self, responses: CoupleResponses) -> Result<CouplePlan, RekindleError> {
        Ok(self.engine.assess_couple(&responses)?)
    }

    /// Like `assess_couple`, from JSON: `{"a": {...}, "b": {...}, "context": {...}}`.
    pub fn assess_couple_json(&self, json: String) -> Result<CouplePlan, RekindleError> {
        Ok(self.engine.assess_couple_json(&json)?)
    }

    /// Like `assess_couple_json`, with the plan as JSON text too (the shape
    /// `rekindle assess --couple --json` prints).
    pub fn assess_couple_json_to_json(&self, json: String) -> Result<String, RekindleError> {
        let plan = self.engine.assess_couple_json(&json)?;
        // Cannot fail: every field is a string, number, boolean, list or record.
        Ok(to_json(&plan, 3 * RESULT_JSON_BYTES).unwrap_or_default())
    }

    /// Every rule's evidence in a couple assessment, for rule authors. It
    /// names safety rules and reads private answers: never show it to a
    /// partner.
    pub fn trace_couple(&self, responses: CoupleResponses) -> Result<CoupleTrace, RekindleError> {
        Ok(self.engine.trace_couple(&responses)?)
    }
}

/// An entry of `assess_json_lines` for a line that could not be assessed.
#[derive(Serialize)]
struct LineError<'a> {
    error: LineErrorBody<'a>,
}

#[derive(Serialize)]
struct LineErrorBody<'a> {
    tag: &'static str,
    detail: String,
    problems: &'a [Problem],
}

/// A focus area and what to try, for the detail screen of a result.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FocusAreaDetails {
    /// The id results name it by.
    pub id: String,
    /// Display name.
    pub title: String,
    /// One line on what it is about.
    pub summary: String,
    /// Concrete things to try.
    pub practices: Vec<String>,
}

/// A 30-day challenge with every phase and daily activity.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChallengeDetails {
    /// The id results name it by.
    pub id: String,
    /// Display name.
    pub title: String,
    /// Who the challenge suits.
    pub summary: String,
    /// Its phases from day 1.
    pub phases: Vec<PhaseDetails>,
}

/// One phase of a challenge.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PhaseDetails {
    /// The id results name it by.
    pub id: String,
    /// First day, inclusive.
    pub first_day: u32,
    /// Last day, inclusive.
    pub last_day: u32,
    /// What the phase is about.
    pub theme: String,
    /// One activity per day of the phase (empty if the pack gives none).
    pub activities: Vec<String>,
}

/// The JSON text of the default pack compiled into the library.
#[uniffi::export]
pub fn default_pack_json() -> String {
    // Without whitespace between tokens: the library embeds it compressed
    // (see src/embedded.rs).
    crate::embedded::default_pack_compact()
}

/// A snapshot of a result to store for next time: the pack, `date`
/// (`YYYY-MM-DD`), every score and band, the challenge and phase, and `day`,
/// the challenge day reached when the app knows it. No answers, no safety
/// state. Pass it back in `Responses.previous`.
#[uniffi::export]
pub fn snapshot(result: Recommendation, date: String, day: Option<u32>) -> Result<Snapshot, RekindleError> {
    Ok(result.snapshot(&date, day)?)
}

/// Snapshots of a couple plan, one per view: store `shared` for both, `a`
/// where only partner A can read it, `b` where only B can. Pass them back
/// in `CoupleResponses.previous_shared`, `previous_a` and `previous_b`.
#[uniffi::export]
pub fn couple_snapshots(
    plan: CouplePlan,
    date: String,
    day: Option<u32>,
) -> Result<CoupleSnapshots, RekindleError> {
    Ok(plan.snapshots(&date, day)?)
}

/// The version of the rekindle library.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The pack `format` this library reads, so an app can ask its server for a
/// pack it can load (see `rules/FORMAT.md`).
#[uniffi::export]
pub fn supported_pack_format() -> u32 {
    crate::FORMAT_VERSION
}

/// What an app needs to render the self-assessment, in display order.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Questionnaire {
    /// Sections that group questions for display; may be empty.
    pub sections: Vec<Section>,
    /// Every question, in display order.
    pub questions: Vec<Question>,
    /// Facts about the couple the app may pass as context.
    pub context: Vec<ContextFact>,
}

impl Questionnaire {
    fn from_pack(pack: &pack::Pack) -> Self {
        Questionnaire {
            sections: pack
                .sections
                .iter()
                .map(|s| Section {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    intro: s.intro.clone(),
                })
                .collect(),
            questions: pack.questions.iter().map(Question::from_pack).collect(),
            context: pack.context.iter().map(ContextFact::from_pack).collect(),
        }
    }
}

/// A group of questions shown together.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Section {
    /// The id questions refer to.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Introduction shown under the heading (may be empty).
    pub intro: String,
}

/// One question of the self-assessment.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Question {
    /// The id answers use.
    pub id: String,
    /// The section it belongs to, if any.
    pub section: Option<String>,
    /// The text shown to the person answering.
    pub prompt: String,
    /// Help text (may be empty).
    pub help: String,
    /// What kind of answer it takes.
    pub answer: AnswerKind,
}

impl Question {
    fn from_pack(question: &pack::Question) -> Self {
        let answer = match &question.answer {
            pack::AnswerSpec::Options { options } => AnswerKind::Options {
                options: options
                    .iter()
                    .map(|o| AnswerOption {
                        value: o.value.clone(),
                        label: o.label.clone(),
                    })
                    .collect(),
            },
            pack::AnswerSpec::Range {
                min,
                max,
                step,
                min_label,
                max_label,
            } => AnswerKind::Range {
                min: *min,
                max: *max,
                step: *step,
                min_label: min_label.clone(),
                max_label: max_label.clone(),
            },
            pack::AnswerSpec::YesNo => AnswerKind::YesNo,
        };
        Question {
            id: question.id.clone(),
            section: question.section.clone(),
            prompt: question.prompt.clone(),
            help: question.help.clone(),
            answer,
        }
    }
}

/// The kind of answer a question takes, and how to answer it.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum AnswerKind {
    /// Pick one option; answer with its `value` as `Value.Text`.
    Options {
        /// The options in display order.
        options: Vec<AnswerOption>,
    },
    /// A number from `min` to `max` inclusive, in steps of `step` when
    /// given; answer with `Value.Number`.
    Range {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// Allowed increments from `min`; absent means any number.
        step: Option<f64>,
        /// Label for the low end (may be empty).
        min_label: String,
        /// Label for the high end (may be empty).
        max_label: String,
    },
    /// Yes or no; answer with `Value.Bool`.
    YesNo,
}

/// One option of an options question.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AnswerOption {
    /// The value to send as the answer.
    pub value: String,
    /// The text shown for the option.
    pub label: String,
}

/// A fact about the couple that the app may pass as context.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ContextFact {
    /// The id to use as the context key.
    pub id: String,
    /// What the fact means.
    pub label: String,
    /// Its type, and so which `Value` to send.
    pub kind: FactKind,
    /// Smallest allowed value (number facts only).
    pub min: Option<f64>,
    /// Largest allowed value (number facts only).
    pub max: Option<f64>,
    /// The allowed values (choice facts only; empty otherwise).
    pub choices: Vec<String>,
}

impl ContextFact {
    fn from_pack(fact: &pack::ContextFact) -> Self {
        ContextFact {
            id: fact.id.clone(),
            label: fact.label.clone(),
            kind: match fact.kind {
                pack::FactKind::Bool => FactKind::Bool,
                pack::FactKind::Number => FactKind::Number,
                pack::FactKind::Choice => FactKind::Choice,
            },
            min: fact.min,
            max: fact.max,
            choices: fact.choices.clone().unwrap_or_default(),
        }
    }
}

/// The type of a context fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FactKind {
    /// True or false: send `Value.Bool`.
    Bool,
    /// A number: send `Value.Number`.
    Number,
    /// One of the fact's choices: send `Value.Text`.
    Choice,
}
