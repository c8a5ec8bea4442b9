//! rekindle turns a couple's answers to a relationship self-assessment into
//! a plan: which focus areas to work on, which phase of a 30-day challenge to
//! emphasise, and whether to suggest therapy, with a safety gate that always
//! wins. The decisions come from declarative JSON rule packs.
//!
//! # The pipeline
//!
//! | stage | module | produces |
//! |---|---|---|
//! | parse | `pack` | [`Pack`], the serde model of the JSON authors write |
//! | validate and compile | `compile` | an [`Engine`], or [`PackError`] listing every [`Problem`] with its JSON path |
//! | check answers and score | `eval`, `score` | 0-100 dimension scores and bands, or [`AnswersError`] |
//! | evaluate and combine | `eval`, [`recommend`] | a [`Recommendation`] with its [`Trace`] |
//! | couple mode | `privacy`, `couple` | a [`CouplePlan`]: a [`SharedView`] and one [`PartnerView`] per partner |
//!
//! How the effects of fired rules combine (sums and ranking, the strongest
//! therapy level, suppression, tie-breaks) is defined once, in the docs of
//! the [`recommend`] module, and summarised here:
//! focus areas and challenges rank by summed weight with ties in pack
//! order; the strongest therapy level wins; a safety flag suppresses the
//! tagged couples outcomes and nothing can undo it.
//!
//! # Example
//!
//! ```
//! use rekindle::{Engine, Responses};
//!
//! let engine = Engine::embedded();
//! let responses = Responses::new([("q_misunderstandings", "often")])
//!     .with_context("married", true);
//! let plan = engine.assess(&responses)?;
//! for area in &plan.focus_areas {
//!     println!("{} ({})", area.title, area.weight);
//! }
//! # Ok::<(), rekindle::AnswersError>(())
//! ```
//!
//! # Privacy
//!
//! The library does no I/O, opens no network connection and logs nothing.
//! Error messages name questions but never repeat answers.
//!
//! # Limits
//!
//! Packs may come from a server, so every size is bounded: see [`Limits`]
//! for the figures. Condition nesting is limited to 16 levels.

#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![forbid(unsafe_code)]

mod answer_de;
mod compile;
mod condition_de;
mod couple;
mod embedded;
mod engine;
mod error;
mod eval;
pub mod ffi;
pub mod fixtures;
mod hash;
mod id_hash;
mod input;
mod json_write;
mod lint;
pub mod pack;
mod privacy;
mod progress;
pub mod recommend;
mod reuse;
mod rule_ids;
mod scan;
#[cfg(feature = "schema")]
pub mod schema;
mod score;
mod text;

pub use compile::Limits;
pub use couple::{CouplePlan, CoupleTrace, PartnerView, SharedView};
pub use engine::{Engine, DEFAULT_PACK_JSON};
pub use error::{AnswersError, PackError, Problem, ProblemKind};
pub use ffi::RekindleError;
pub use fixtures::{FixtureError, FixtureReport};
pub use input::{CoupleResponses, Responses, Value};
pub use pack::{Pack, FORMAT_VERSION, MAX_CHALLENGE_DAYS};
pub use progress::{
    CoupleSnapshots, DimensionProgress, Direction, Progress, Snapshot, SnapshotScore, SNAPSHOT_FORMAT,
};
pub use recommend::{
    ChallengeResult, DimensionScore, FiredRule, FocusAreaResult, LeafTrace, PackInfo, PhaseResult, Reason,
    Recommendation, ResourceResult, SafetyNotice, TherapyResult, Trace, TraceDetail,
};
pub use rule_ids::RuleIds;
pub use text::PackText;

uniffi::setup_scaffolding!();

/// The README's Rust snippets, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
