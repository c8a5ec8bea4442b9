//! Fixtures: scenarios with expected outcomes, run against an [`Engine`].
//!
//! A fixture file (format 1) is JSON:
//!
//! ```json
//! {"format": 1, "fixtures": [
//!   {"name": "distant but calm", "description": "why it matters",
//!    "answers": {"q_distance": "often"}, "context": {"married": true},
//!    "expect": {"focus_top": ["active_listening"], "therapy": "none", "safety": false}}
//! ]}
//! ```
//!
//! Every expectation is optional and checked only when present; an unknown
//! expectation key is an error, so a typo cannot pass silently:
//!
//! | key | checks |
//! |---|---|
//! | `focus_top` | the first focus areas, in this order |
//! | `focus_includes` / `focus_excludes` | focus areas present / absent anywhere |
//! | `challenge`, `phase` | the chosen challenge and phase ids (`null`: none) |
//! | `therapy` | the therapy level id |
//! | `online_therapy` | whether online therapy fits |
//! | `safety` | whether the safety notice is present |
//! | `fired` / `not_fired` | rule ids that must / must not fire |
//! | `bands` | dimension id to band id (`null`: score absent) |
//! | `scores` | dimension id to score, within 0.01 (`null`: absent) |
//! | `error` | the answers must be rejected with a problem of this kind |
//!
//! Ids named in expectations must exist in the pack; a fixture that names an
//! unknown rule, area, challenge, phase, level or dimension fails.
//!
//! A **couple fixture** gives `a` and `b` (each partner's answers) instead of
//! `answers`, and is assessed with [`Engine::assess_couple`]. Its `expect`
//! checks the shared view (`bands` and `scores` there are the shared couple
//! scores; `fired` and `not_fired` look at every rule that held, for either
//! partner or for the couple), and `expect_a` / `expect_b` check each
//! partner's own view: `safety`, the focus keys, `therapy` (the baseline
//! level when the view suggests none), `bands`, `scores`, and `fired` /
//! `not_fired` over the rules that held for that partner. A key that a view
//! does not have (a challenge in a partner's view) fails.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::compile::Program;
use crate::couple::{fired_ids, CouplePlan, CoupleTrace, PartnerView, SharedView};
use crate::error::{json_position_without_values, key_path, truncate_text};
use crate::eval::State;
use crate::input::{CoupleResponses, Responses, Value};
use crate::progress::{Progress, Snapshot};
use crate::recommend::{
    decide, scores, state_progress, DimensionScore, Recommendation, Shown, Tally, Trace, TraceDetail,
};
use crate::scan::{position, scan, Bounds, Breach};
use crate::{AnswersError, Engine};

/// Most failed fixtures whose fired rules and trace a report keeps; later
/// failures keep only their failed expectations, so a report's size does
/// not grow with fixtures times fired rules.
pub const MAX_DETAILED_FAILURES: usize = 20;

/// Longest explanation (trace or error text) of one failed fixture, in bytes.
pub const MAX_EXPLANATION_BYTES: usize = 16 * 1024;

/// Most ids a report lists in one place (fired rules, focus areas); the
/// list then says how many more there are.
pub const MAX_LISTED_IDS: usize = 50;

/// Deepest nesting of a fixture file, checked before parsing.
const FIXTURE_DEPTH: usize = 8;

/// The fixture format this build reads.
pub const FIXTURE_FORMAT_VERSION: u32 = 1;

/// A file of fixtures.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureFile {
    /// Editors use this to find the JSON Schema; the runner ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The fixture format version; only [`FIXTURE_FORMAT_VERSION`] is read.
    pub format: u32,
    /// The scenarios.
    pub fixtures: Vec<Fixture>,
}

/// One scenario: responses and what the result must look like.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// A short, unique name.
    pub name: String,
    /// Why the scenario matters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The respondent's answers.
    #[serde(default, deserialize_with = "crate::input::unique_answers")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::pack::schema::value_map"))]
    pub answers: HashMap<String, Value>,
    /// Context facts.
    #[serde(default, deserialize_with = "crate::input::unique_context")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::pack::schema::value_map"))]
    pub context: HashMap<String, Value>,
    /// Couple fixtures: partner A's answers.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::input::unique_optional_a"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::pack::schema::optional_value_map")
    )]
    pub a: Option<HashMap<String, Value>>,
    /// Couple fixtures: partner B's answers.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::input::unique_optional_b"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::pack::schema::optional_value_map")
    )]
    pub b: Option<HashMap<String, Value>>,
    /// What must hold of the result (of the shared view, for a couple).
    #[serde(default)]
    pub expect: Expect,
    /// The assessment's date, for progress over time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// An earlier snapshot (single-respondent fixtures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<FixtureSnapshot>,
    /// Couple fixtures: an earlier snapshot of the shared plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_shared: Option<FixtureSnapshot>,
    /// Couple fixtures: an earlier snapshot of partner A's own view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_a: Option<FixtureSnapshot>,
    /// Couple fixtures: an earlier snapshot of partner B's own view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_b: Option<FixtureSnapshot>,
    /// Couple fixtures: what must hold of partner A's own view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_a: Option<Expect>,
    /// Couple fixtures: what must hold of partner B's own view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_b: Option<Expect>,
}

impl Fixture {
    /// The responses this fixture assesses (single-respondent fixtures).
    pub fn responses(&self) -> Responses {
        Responses {
            answers: self.answers.clone(),
            context: self.context.clone(),
            ..Responses::default()
        }
    }

    /// The responses with the fixture's date and previous snapshot, which
    /// take the engine's pack.
    pub fn responses_for(&self, engine: &Engine) -> Responses {
        Responses {
            date: self.date.clone(),
            previous: snapshots(engine, &self.previous),
            ..self.responses()
        }
    }

    /// The couple's responses, for a couple fixture (one with `a` or `b`).
    pub fn couple(&self) -> Option<CoupleResponses> {
        if self.a.is_none() && self.b.is_none() {
            return None;
        }
        Some(CoupleResponses {
            a: self.a.clone().unwrap_or_default(),
            b: self.b.clone().unwrap_or_default(),
            context: self.context.clone(),
            date: self.date.clone(),
            ..CoupleResponses::default()
        })
    }

    /// Like [`Fixture::couple`], with the fixture's previous snapshots.
    pub fn couple_for(&self, engine: &Engine) -> Option<CoupleResponses> {
        Some(CoupleResponses {
            previous_shared: snapshots(engine, &self.previous_shared),
            previous_a: snapshots(engine, &self.previous_a),
            previous_b: snapshots(engine, &self.previous_b),
            ..self.couple()?
        })
    }
}

/// An earlier assessment as a fixture writes it: the runner fills in the
/// pack's id, version and hash and each score's band.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureSnapshot {
    /// The snapshot's date, `YYYY-MM-DD`.
    pub date: String,
    /// Dimension id to its 0-100 score then (`null`: absent).
    #[serde(default)]
    pub scores: BTreeMap<String, Option<f64>>,
    /// The challenge then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// The phase then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// The challenge day reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u32>,
    /// Another version of the pack wrote it: only dimensions both have are
    /// compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_version: Option<String>,
    /// Another pack wrote it (an error to compare with).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_id: Option<String>,
}

fn snapshots(engine: &Engine, given: &Option<FixtureSnapshot>) -> Vec<Snapshot> {
    given.iter().map(|s| engine.fixture_snapshot(s)).collect()
}

/// Deserializes a field that may be `null`, telling `null` from absent.
fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Partial expectations; absent keys are not checked.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The first focus areas, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_top: Option<Vec<String>>,
    /// Focus areas that must be listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_includes: Option<Vec<String>>,
    /// Focus areas that must not be listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_excludes: Option<Vec<String>>,
    /// The challenge id, or `null` for none.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub challenge: Option<Option<String>>,
    /// The phase id, or `null` for none.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub phase: Option<Option<String>>,
    /// The therapy level id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub therapy: Option<String>,
    /// Whether online therapy fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_therapy: Option<bool>,
    /// Whether the safety notice is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety: Option<bool>,
    /// Rules that must fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fired: Option<Vec<String>>,
    /// Rules that must not fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_fired: Option<Vec<String>>,
    /// Dimension id to band id, `null` for an absent score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<BTreeMap<String, Option<String>>>,
    /// Dimension id to score (within 0.01), `null` for an absent score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<BTreeMap<String, Option<f64>>>,
    /// Dimension id to its raw value (the weighted sum or mean of item
    /// scores), compared exactly, `null` for an absent score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<BTreeMap<String, Option<f64>>>,
    /// Dimension id to its direction since the previous snapshot:
    /// `better`, `worse`, `steady`, `unknown` (a score missing) or
    /// `not_comparable` (the snapshot lacks the dimension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<BTreeMap<String, String>>,
    /// The answers must be rejected with a problem of this kind (its tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Why a fixture file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FixtureError {
    /// Not JSON, or not the shape of a fixture file.
    #[error("{file}: line {line}, column {column}: {message}")]
    Syntax {
        /// The name the file was given to the runner under.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// A fixture format this build does not read.
    #[error("{file}: fixture format {found} is not supported; this build reads format {supported}")]
    UnsupportedFormat {
        /// The name the file was given to the runner under.
        file: String,
        /// The declared format.
        found: u32,
        /// The supported format.
        supported: u32,
    },
}

/// Parses a fixture file.
///
/// Errors never quote a value from the file: answers and context hold what
/// a person might answer.
pub fn parse_fixture_file(file: &str, json: &str) -> Result<FixtureFile, FixtureError> {
    let bounds = Bounds {
        depth: FIXTURE_DEPTH,
        object_depth: FIXTURE_DEPTH,
        containers: usize::MAX,
        entries: usize::MAX,
    };
    if let Err(Breach::Depth { offset } | Breach::Containers { offset }) = scan(json.as_bytes(), bounds) {
        let (line, column) = position(json.as_bytes(), offset);
        return Err(FixtureError::Syntax {
            file: file.to_owned(),
            line,
            column,
            message: format!("nested deeper than {FIXTURE_DEPTH} levels"),
        });
    }
    let parsed: FixtureFile = serde_json::from_str(json).map_err(|error| {
        // A fixture holds answers, and no error repeats an answer.
        let (line, column, message) = json_position_without_values(
            &error,
            "does not have the shape of a fixture file (`rekindle schema fixtures` prints it)",
        );
        FixtureError::Syntax {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    })?;
    if parsed.format != FIXTURE_FORMAT_VERSION {
        return Err(FixtureError::UnsupportedFormat {
            file: file.to_owned(),
            found: parsed.format,
            supported: FIXTURE_FORMAT_VERSION,
        });
    }
    Ok(parsed)
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "fixtures", derive(uniffi::Record))]
pub struct ExpectationFailure {
    /// The expectation key, such as `focus_top` or `fired`.
    pub expectation: String,
    /// What the fixture expected.
    pub expected: String,
    /// What the engine produced.
    pub actual: String,
}

/// The outcome of one fixture.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "fixtures", derive(uniffi::Record))]
pub struct FixtureOutcome {
    /// The file the fixture came from.
    pub file: String,
    /// The fixture's name.
    pub name: String,
    /// Every expectation that failed; empty when the fixture passed.
    pub failures: Vec<ExpectationFailure>,
    /// On failure, the rules that fired, in pack order (at most
    /// [`MAX_LISTED_IDS`]); empty for a fixture that passed and for failures
    /// past the first [`MAX_DETAILED_FAILURES`].
    pub fired: Vec<String>,
    /// On failure, the trace that explains the actual outcome, cut at
    /// [`MAX_EXPLANATION_BYTES`]; empty past the first
    /// [`MAX_DETAILED_FAILURES`] failures.
    pub explanation: String,
}

impl FixtureOutcome {
    /// True when every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The outcome of a fixture run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "fixtures", derive(uniffi::Record))]
pub struct FixtureReport {
    /// Every fixture, in the order run.
    pub outcomes: Vec<FixtureOutcome>,
    /// How many passed.
    pub passed: u32,
    /// How many failed.
    pub failed: u32,
    /// Rules that no fixture fired, in pack order.
    pub unfired_rules: Vec<String>,
}

impl FixtureReport {
    /// True when every fixture passed.
    pub fn all_passed(&self) -> bool {
        self.failed == 0
    }

    /// A readable report of the failures, ending with `N passed, N failed`.
    pub fn summary(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for FixtureReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for outcome in self.outcomes.iter().filter(|o| !o.passed()) {
            // Escaped, so that a name cannot start a line of its own.
            writeln!(
                f,
                "FAIL {}: {}",
                outcome.file.escape_debug(),
                outcome.name.escape_debug()
            )?;
            for failure in &outcome.failures {
                writeln!(
                    f,
                    "  {}: expected {}, got {}",
                    failure.expectation, failure.expected, failure.actual
                )?;
            }
            for line in outcome.explanation.lines() {
                writeln!(f, "    {line}")?;
            }
        }
        write!(f, "{} passed, {} failed", self.passed, self.failed)
    }
}

/// Runs fixtures against an engine.
///
/// `files` pairs a file name (used in reports) with its fixtures.
pub fn run_fixtures<'a>(
    engine: &Engine,
    files: impl IntoIterator<Item = (&'a str, &'a [Fixture])>,
) -> FixtureReport {
    let mut outcomes = Vec::new();
    // Coverage by rule index: one flag per rule, however many fixtures.
    let mut fired_any = vec![false; engine.rule_ids().count()];
    let mut failed = 0usize;
    let known = Known::of(engine);
    for (file, fixtures) in files {
        for fixture in fixtures {
            let detailed = failed < MAX_DETAILED_FAILURES;
            let outcome = run_one(engine, &known, (file, fixture), &mut fired_any, detailed);
            failed += usize::from(!outcome.passed());
            outcomes.push(outcome);
        }
    }
    let passed = (outcomes.len() - failed) as u32;
    let unfired_rules = engine
        .rule_ids()
        .zip(&fired_any)
        .filter(|(_, fired)| !**fired)
        .map(|(id, _)| id.to_owned())
        .collect();
    FixtureReport {
        outcomes,
        passed,
        failed: failed as u32,
        unfired_rules,
    }
}

/// Parses fixture files given as `(name, json)` and runs them all.
pub fn run_fixture_json<'a>(
    engine: &Engine,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<FixtureReport, FixtureError> {
    let parsed: Vec<(&str, FixtureFile)> = files
        .into_iter()
        .map(|(name, json)| parse_fixture_file(name, json).map(|file| (name, file)))
        .collect::<Result<_, _>>()?;
    Ok(run_fixtures(
        engine,
        parsed
            .iter()
            .map(|(name, file)| (*name, file.fixtures.as_slice())),
    ))
}

fn run_one(
    engine: &Engine,
    known: &Known<'_>,
    (file, fixture): (&str, &Fixture),
    fired_any: &mut [bool],
    detailed: bool,
) -> FixtureOutcome {
    let mut check = Checker { failures: Vec::new() };
    check.references(known, &fixture.expect);
    let mut mark = |index: u32| {
        if let Some(flag) = fired_any.get_mut(index as usize) {
            *flag = true;
        }
    };
    let mut fired = Vec::new();
    let mut explanation = String::new();
    if let Some(couple) = fixture.couple_for(engine) {
        for expect in [&fixture.expect_a, &fixture.expect_b].into_iter().flatten() {
            check.references(known, expect);
        }
        if !fixture.answers.is_empty() {
            check.fail(
                "answers",
                "none in a couple fixture (use a and b)",
                "answers given",
            );
        }
        let result = engine
            .assess_couple(&couple)
            .and_then(|plan| Ok((plan, engine.trace_couple(&couple)?)));
        match check.outcome(&fixture.expect, result) {
            Ok((plan, trace)) => {
                for part in [&trace.a, &trace.b, &trace.couple] {
                    part.fired.iter().for_each(|rule| mark(rule.index));
                }
                let ids: Vec<String> = fired_ids(&trace).into_iter().map(str::to_owned).collect();
                check.couple(engine, fixture, &plan, &ids);
                if !check.failures.is_empty() && detailed {
                    explanation = explain_couple(&trace);
                    fired = ids.into_iter().take(MAX_LISTED_IDS).collect();
                }
            }
            Err(text) => explanation = text,
        }
    } else {
        for (key, given) in [("a", fixture.a.is_some()), ("b", fixture.b.is_some())] {
            if given {
                check.fail(key, "both a and b in a couple fixture", "only one partner");
            }
        }
        if fixture.expect_a.is_some() || fixture.expect_b.is_some() {
            check.fail(
                "expect_a",
                "a couple fixture (with a and b)",
                "a single-respondent fixture",
            );
        }
        // Fixtures check decisions: the result is built (with its trace)
        // only to explain a failure.
        let responses = fixture.responses_for(engine);
        let program = engine.program();
        let state = State::build(program, &responses).map_err(|problems| AnswersError::Invalid { problems });
        match check.outcome(&fixture.expect, state) {
            Ok(state) => {
                let (tally, shown) = decide(program, &state);
                tally.fired.iter().for_each(|&i| mark(i as u32));
                let scores = scores(program, &state.scores);
                let progress = state_progress(program, &state);
                let observed = Observed::of_decision(program, &tally, &shown, &scores, progress.as_ref());
                check.result(&fixture.expect, &observed);
                if !check.failures.is_empty() && detailed {
                    fired = observed
                        .fired
                        .iter()
                        .take(MAX_LISTED_IDS)
                        .map(|&id| id.to_owned())
                        .collect();
                    if let Ok(full) = engine.assess_with(&responses, TraceDetail::Full) {
                        explanation = explain(&full);
                    }
                }
            }
            Err(text) => explanation = text,
        }
    }
    if check.failures.is_empty() || !detailed {
        explanation.clear();
    }
    truncate_text(&mut explanation, MAX_EXPLANATION_BYTES);
    FixtureOutcome {
        file: file.to_owned(),
        name: fixture.name.clone(),
        failures: check.failures,
        fired,
        explanation,
    }
}

fn error_kinds(error: &AnswersError) -> Vec<String> {
    match error {
        AnswersError::Syntax { .. } => vec!["syntax".to_owned()],
        AnswersError::Invalid { problems } => {
            let mut kinds: Vec<String> = Vec::new();
            for problem in problems {
                let tag = problem.kind.tag();
                if !kinds.iter().any(|k| k == tag) {
                    kinds.push(tag.to_owned());
                }
            }
            kinds
        }
    }
}

struct Checker {
    failures: Vec<ExpectationFailure>,
}

/// The ids of a pack that expectations may name, collected once per run.
struct Known<'e> {
    rules: HashSet<&'e str>,
    areas: HashSet<&'e str>,
    challenges: HashSet<&'e str>,
    phases: HashSet<&'e str>,
    levels: HashSet<&'e str>,
    dims: HashSet<&'e str>,
}

impl<'e> Known<'e> {
    fn of(engine: &'e Engine) -> Self {
        let pack = engine.pack();
        Known {
            rules: engine.rule_ids().collect(),
            areas: pack.focus_areas.iter().map(|f| f.id.as_str()).collect(),
            challenges: pack.challenges.iter().map(|c| c.id.as_str()).collect(),
            phases: pack
                .challenges
                .iter()
                .flat_map(|c| c.phases.iter().map(|p| p.id.as_str()))
                .collect(),
            levels: pack.therapy_levels.iter().map(|t| t.id.as_str()).collect(),
            dims: pack.dimensions.iter().map(|d| d.id.as_str()).collect(),
        }
    }
}

fn ids(v: &Option<Vec<String>>) -> Vec<&str> {
    v.iter().flatten().map(String::as_str).collect()
}

/// Ids in brackets, at most [`MAX_LISTED_IDS`] of them, then how many more.
fn list(items: &[impl AsRef<str>]) -> String {
    let inner: Vec<&str> = items.iter().take(MAX_LISTED_IDS).map(AsRef::as_ref).collect();
    let more = items.len().saturating_sub(MAX_LISTED_IDS);
    if more > 0 {
        format!("[{}, and {more} more]", inner.join(", "))
    } else {
        format!("[{}]", inner.join(", "))
    }
}

fn or_none(value: Option<&str>) -> String {
    value.unwrap_or("none").to_owned()
}

impl Checker {
    fn fail(&mut self, expectation: &str, expected: impl Into<String>, actual: impl Into<String>) {
        self.failures.push(ExpectationFailure {
            expectation: expectation.to_owned(),
            expected: expected.into(),
            actual: actual.into(),
        });
    }

    /// Every id an expectation names must exist in the pack.
    fn references(&mut self, known: &Known<'_>, expect: &Expect) {
        let Known {
            rules,
            areas,
            challenges,
            phases,
            levels,
            dims,
        } = known;
        let mut unknown = |key: &str, known: &HashSet<&str>, ids: Vec<&str>, what: &str| {
            for id in ids {
                if !known.contains(id) {
                    self.fail(
                        key,
                        format!("a {what} of the pack"),
                        format!("unknown {what} {id:?}"),
                    );
                }
            }
        };
        unknown("fired", rules, ids(&expect.fired), "rule");
        unknown("not_fired", rules, ids(&expect.not_fired), "rule");
        unknown("focus_top", areas, ids(&expect.focus_top), "focus area");
        unknown("focus_includes", areas, ids(&expect.focus_includes), "focus area");
        unknown("focus_excludes", areas, ids(&expect.focus_excludes), "focus area");
        unknown(
            "challenge",
            challenges,
            expect.challenge.iter().flatten().map(String::as_str).collect(),
            "challenge",
        );
        unknown(
            "phase",
            phases,
            expect.phase.iter().flatten().map(String::as_str).collect(),
            "phase",
        );
        unknown(
            "therapy",
            levels,
            expect.therapy.iter().map(String::as_str).collect(),
            "therapy level",
        );
        unknown(
            "bands",
            dims,
            expect
                .bands
                .iter()
                .flat_map(|b| b.keys().map(String::as_str))
                .collect(),
            "dimension",
        );
        unknown(
            "scores",
            dims,
            expect
                .scores
                .iter()
                .flat_map(|s| s.keys().map(String::as_str))
                .collect(),
            "dimension",
        );
        if let Some(kind) = &expect.error {
            if crate::ProblemKind::from_tag(kind).is_none() {
                self.fail(
                    "error",
                    "a problem kind tag",
                    format!("unknown problem kind {kind:?}"),
                );
            }
        }
    }

    /// Checks the `error` expectation. Returns the result to check further,
    /// or the text that explains a failure (empty when the expected error
    /// came).
    fn outcome<T>(&mut self, expect: &Expect, result: Result<T, AnswersError>) -> Result<T, String> {
        match (result, &expect.error) {
            (Ok(value), None) => Ok(value),
            (Ok(_), Some(kind)) => {
                self.fail("error", kind, "no error: the answers were accepted");
                Err(String::new())
            }
            (Err(error), Some(kind)) => {
                let kinds = error_kinds(&error);
                if kinds.iter().any(|k| k == kind) {
                    return Err(String::new());
                }
                self.fail("error", kind, kinds.join(", "));
                Err(error.to_string())
            }
            (Err(error), None) => {
                self.fail("answers", "accepted", error_kinds(&error).join(", "));
                Err(error.to_string())
            }
        }
    }

    /// Checks every view of a couple plan; `fired` is every rule that held.
    fn couple(&mut self, engine: &Engine, fixture: &Fixture, plan: &CouplePlan, fired: &[String]) {
        let fired: Vec<&str> = fired.iter().map(String::as_str).collect();
        self.result(&fixture.expect, &Observed::of_shared(&plan.shared, fired));
        let baseline = engine.pack().therapy_levels.first().map_or("", |t| t.id.as_str());
        for (key, expect, view) in [
            ("a", &fixture.expect_a, &plan.a),
            ("b", &fixture.expect_b, &plan.b),
        ] {
            if let Some(expect) = expect {
                let before = self.failures.len();
                self.result(expect, &Observed::of_partner(view, baseline));
                for failure in &mut self.failures[before..] {
                    failure.expectation = format!("expect_{key}.{}", failure.expectation);
                }
            }
        }
    }

    fn result(&mut self, expect: &Expect, rec: &Observed<'_>) {
        if expect.error.is_some() {
            return;
        }
        let areas = &rec.focus;
        if let Some(top) = &expect.focus_top {
            let actual = &areas[..top.len().min(areas.len())];
            if actual != top.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                self.fail("focus_top", list(top), list(actual));
            }
        }
        for id in expect.focus_includes.iter().flatten() {
            if !areas.contains(&id.as_str()) {
                self.fail("focus_includes", format!("{id} listed"), list(areas));
            }
        }
        for id in expect.focus_excludes.iter().flatten() {
            if areas.contains(&id.as_str()) {
                self.fail("focus_excludes", format!("{id} not listed"), list(areas));
            }
        }
        for (key, wanted) in [("challenge", &expect.challenge), ("phase", &expect.phase)] {
            let Some(want) = wanted else { continue };
            match rec.challenge {
                None => self.fail(key, or_none(want.as_deref()), "not part of this view"),
                Some(challenge) => {
                    let got = challenge.map(|(c, p)| if key == "challenge" { c } else { p });
                    if want.as_deref() != got {
                        self.fail(key, or_none(want.as_deref()), or_none(got));
                    }
                }
            }
        }
        let (level, online) = rec.therapy;
        if let Some(want) = &expect.therapy {
            if want != level {
                self.fail("therapy", want, level);
            }
        }
        if let Some(want) = expect.online_therapy {
            if want != online {
                self.fail("online_therapy", want.to_string(), online.to_string());
            }
        }
        if let Some(want) = expect.safety {
            if want != rec.safety {
                self.fail("safety", want.to_string(), rec.safety.to_string());
            }
        }
        let fired = &rec.fired;
        for id in expect.fired.iter().flatten() {
            if !fired.contains(&id.as_str()) {
                self.fail("fired", format!("{id} fired"), list(fired));
            }
        }
        for id in expect.not_fired.iter().flatten() {
            if fired.contains(&id.as_str()) {
                self.fail("not_fired", format!("{id} not fired"), list(fired));
            }
        }
        for (dim, want) in expect.bands.iter().flatten() {
            let Some(score) = rec.scores.iter().find(|s| &s.id == dim) else {
                self.fail(
                    &key_path("bands", dim),
                    or_none(want.as_deref()),
                    "not part of this view",
                );
                continue;
            };
            {
                if want.as_deref() != score.band.as_deref() {
                    let got = match score.score {
                        Some(s) => format!("{} (score {s})", or_none(score.band.as_deref())),
                        None => "none (score absent)".to_owned(),
                    };
                    self.fail(&key_path("bands", dim), or_none(want.as_deref()), got);
                }
            }
        }
        for (dim, want) in expect.raw.iter().flatten() {
            let Some(score) = rec.scores.iter().find(|s| &s.id == dim) else {
                self.fail(
                    &key_path("raw", dim),
                    format!("{want:?}"),
                    "not part of this view",
                );
                continue;
            };
            let matches = match (want, score.raw) {
                (Some(w), Some(r)) => (w - r).abs() < 1e-9,
                (None, None) => true,
                _ => false,
            };
            if !matches {
                let show = |v: Option<f64>| v.map_or("absent".to_owned(), |v| v.to_string());
                self.fail(&key_path("raw", dim), show(*want), show(score.raw));
            }
        }
        for (dim, want) in expect.progress.iter().flatten() {
            let got = match rec.progress {
                None => "no progress (no earlier snapshot)",
                Some(progress) => match progress.dimensions.iter().find(|d| &d.id == dim) {
                    Some(d) => d.direction.name(),
                    None if progress.not_comparable.contains(dim) => "not_comparable",
                    None => "not part of this view",
                },
            };
            if want != got {
                self.fail(&key_path("progress", dim), want, got);
            }
        }
        for (dim, want) in expect.scores.iter().flatten() {
            let Some(score) = rec.scores.iter().find(|s| &s.id == dim) else {
                self.fail(
                    &key_path("scores", dim),
                    format!("{want:?}"),
                    "not part of this view",
                );
                continue;
            };
            {
                let matches = match (want, score.score) {
                    (Some(w), Some(s)) => (w - s).abs() <= 0.01,
                    (None, None) => true,
                    _ => false,
                };
                if !matches {
                    let show = |v: Option<f64>| v.map_or("absent".to_owned(), |v| v.to_string());
                    self.fail(&key_path("scores", dim), show(*want), show(score.score));
                }
            }
        }
    }
}

/// What expectations are checked against: a result, or one couple view.
struct Observed<'a> {
    focus: Vec<&'a str>,
    /// The challenge and phase ids; `None` in a view without a challenge.
    challenge: Option<Option<(&'a str, &'a str)>>,
    /// The therapy level id and whether online therapy fits.
    therapy: (&'a str, bool),
    safety: bool,
    fired: Vec<&'a str>,
    scores: &'a [DimensionScore],
    progress: Option<&'a Progress>,
}

impl<'a> Observed<'a> {
    /// What a single-respondent result would show, from its decisions.
    fn of_decision(
        program: &'a Program,
        tally: &Tally,
        shown: &Shown,
        scores: &'a [DimensionScore],
        progress: Option<&'a Progress>,
    ) -> Self {
        let texts = &program.texts;
        Observed {
            focus: shown
                .areas
                .iter()
                .map(|&f| texts.focus_areas[f].id.as_str())
                .collect(),
            challenge: Some(shown.challenge.map(|(c, p)| {
                (
                    texts.challenges[c].about.id.as_str(),
                    texts.challenges[c].phases[p].id.as_str(),
                )
            })),
            therapy: (texts.therapy[shown.therapy.0].id.as_str(), shown.therapy.1),
            safety: shown.safety,
            fired: tally.fired.iter().map(|&i| texts.rules[i].id.as_str()).collect(),
            scores,
            progress,
        }
    }

    fn of_shared(view: &'a SharedView, fired: Vec<&'a str>) -> Self {
        Observed {
            focus: view.focus_areas.iter().map(|f| f.id.as_str()).collect(),
            challenge: Some(
                view.challenge
                    .as_ref()
                    .map(|c| (c.id.as_str(), c.phase.id.as_str())),
            ),
            therapy: (&view.therapy.level, view.therapy.online),
            safety: false,
            fired,
            scores: &view.scores,
            progress: view.progress.as_ref(),
        }
    }

    fn of_partner(view: &'a PartnerView, baseline: &'a str) -> Self {
        Observed {
            focus: view.focus_areas.iter().map(|f| f.id.as_str()).collect(),
            challenge: None,
            therapy: view
                .therapy
                .as_ref()
                .map_or((baseline, false), |t| (t.level.as_str(), t.online)),
            safety: view.safety.is_some(),
            fired: view.fired_rules().collect(),
            scores: &view.scores,
            progress: view.progress.as_ref(),
        }
    }
}

/// The fired rules and their evidence, one per line.
pub(crate) fn explain(rec: &Recommendation) -> String {
    explain_trace(&rec.trace)
}

/// Every evaluation of a couple assessment, one section each.
fn explain_couple(trace: &CoupleTrace) -> String {
    let mut out = String::new();
    for (heading, part) in [
        ("partner a", &trace.a),
        ("partner b", &trace.b),
        ("couple rules", &trace.couple),
    ] {
        out.push_str(heading);
        out.push_str(":\n");
        for line in explain_trace(part).lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if trace.neutral_plan {
        out.push_str("the shared plan is the neutral plan\n");
    }
    out
}

fn explain_trace(trace: &Trace) -> String {
    use fmt::Write;
    let mut out = String::new();
    if trace.fired.is_empty() {
        out.push_str("no rule fired\n");
    }
    for rule in &trace.fired {
        let _ = writeln!(out, "fired {}", rule.rule);
        for leaf in &rule.leaves {
            let verdict = if leaf.held { "held" } else { "failed" };
            let _ = writeln!(
                out,
                "  {} ({verdict}: {}) at {}",
                leaf.test, leaf.actual, leaf.path
            );
        }
    }
    if !trace.suppressed_tags.is_empty() {
        let _ = writeln!(out, "suppressed tags: {}", trace.suppressed_tags.join(", "));
    }
    out
}
