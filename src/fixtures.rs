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
//! unknown rule, area, challenge, phase (or a phase of another challenge
//! than the expected one), level, dimension, band (of that dimension),
//! progress direction or problem kind fails, at the id's JSON path, and that
//! expectation is not checked further. A fixture also fails when its name
//! repeats an earlier one in the file, when it expects nothing (no `expect`,
//! `expect_a` or `expect_b` key with something in it), and when its answers
//! are rejected without an `error` expectation: once per problem, at the
//! problem's key (`answers.q_distance`), never with the answer's value.
//!
//! A **couple fixture** gives `a` and `b` (each partner's answers) instead of
//! `answers`, and is assessed with [`Engine::assess_couple`]. Its `expect`
//! checks the shared view (`bands` and `scores` there are the shared couple
//! scores; `fired` and `not_fired` look at every rule that held, for either
//! partner or for the couple), and `expect_a` / `expect_b` check each
//! partner's own view: `safety`, the focus keys, `therapy` (the baseline
//! level when the view suggests none), `bands`, `scores`, and `fired` /
//! `not_fired` over the rules that held for that partner. A key that a view
//! does not have (a challenge, a phase or an error in a partner's view)
//! fails, and so do a couple fixture without both `a` and `b`, `previous` in
//! a couple fixture and the couple keys in a single-respondent one.

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
    #[error(
        "{file}: {}line {line}, column {column}: {message}",
        crate::error::at_path(path)
    )]
    Syntax {
        /// The name the file was given to the runner under.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// The JSON path of the value it is in, such as `fixtures[2].expect`
        /// (empty at the top level); never an answer.
        path: String,
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
            path: crate::scan::path_at(json.as_bytes(), line, column, usize::MAX),
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
            path: crate::scan::path_at(json.as_bytes(), line, column, usize::MAX),
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
    /// Where the failure is, as a JSON path in the fixture file:
    /// `fixtures[2].expect.focus_top`, `fixtures[0].expect.fired[1]`,
    /// `fixtures[3].answers.q_distance` (a rejected answer),
    /// `fixtures[4].name` (a repeated name).
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
/// `files` pairs a file name (used in reports) with its fixtures, in the
/// file's order: a failure's path (`fixtures[3].expect.fired[0]`) counts
/// from the slice's start.
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
        // Names are unique within a file: a report names a fixture by it.
        let mut first_named: HashMap<&str, usize> = HashMap::new();
        for (index, fixture) in fixtures.iter().enumerate() {
            let first = *first_named.entry(fixture.name.as_str()).or_insert(index);
            let fixture_at = FixtureAt {
                file,
                index,
                fixture,
                same_name_as: (first != index).then_some(first),
            };
            let detailed = failed < MAX_DETAILED_FAILURES;
            let outcome = run_one(engine, &known, &fixture_at, &mut fired_any, detailed);
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

/// One fixture and where it sits.
struct FixtureAt<'a> {
    file: &'a str,
    index: usize,
    fixture: &'a Fixture,
    /// The index of an earlier fixture in the file with the same name.
    same_name_as: Option<usize>,
}

/// What the fixture's keys say, before anything is assessed.
fn check_fixture(check: &mut Checker, known: &Known<'_>, at: &FixtureAt<'_>) {
    let fixture = at.fixture;
    if fixture.name.trim().is_empty() {
        check.fail("name", "a name that says what the fixture shows", "an empty name");
    } else if let Some(first) = at.same_name_as {
        check.fail(
            "name",
            "a name no other fixture in this file has",
            format!("the name of fixtures[{first}]"),
        );
    }
    let couple = fixture.a.is_some() || fixture.b.is_some();
    let views = [
        ("expect", Some(&fixture.expect)),
        ("expect_a", fixture.expect_a.as_ref()),
        ("expect_b", fixture.expect_b.as_ref()),
    ];
    if views.iter().flat_map(|(_, e)| e).all(|e| e.is_empty()) {
        check.fail(
            "expect",
            "at least one expectation, such as fired, focus_top, bands or therapy \
             (error for answers that must be rejected)",
            "none, so the fixture checks nothing",
        );
    }
    let view = |key: &str| match (couple, key) {
        (false, _) => View::Single,
        (true, "expect") => View::Shared,
        (true, _) => View::Partner,
    };
    for (key, expect) in views {
        if let Some(expect) = expect {
            check.references(known, key, view(key), expect);
        }
    }
    if couple {
        if !fixture.answers.is_empty() {
            check.fail(
                "answers",
                "none in a couple fixture (use a and b)",
                "answers given",
            );
        }
        for (key, given) in [("previous", fixture.previous.is_some())] {
            if given {
                check.fail(
                    key,
                    "previous_shared, previous_a or previous_b in a couple fixture",
                    "previous given",
                );
            }
        }
    } else {
        let only_couples = [
            ("expect_a", fixture.expect_a.is_some()),
            ("expect_b", fixture.expect_b.is_some()),
            ("previous_shared", fixture.previous_shared.is_some()),
            ("previous_a", fixture.previous_a.is_some()),
            ("previous_b", fixture.previous_b.is_some()),
        ];
        for (key, given) in only_couples {
            if given {
                check.fail(
                    key,
                    "a couple fixture (with a and b)",
                    "a single-respondent fixture",
                );
            }
        }
    }
}

fn run_one(
    engine: &Engine,
    known: &Known<'_>,
    at: &FixtureAt<'_>,
    fired_any: &mut [bool],
    detailed: bool,
) -> FixtureOutcome {
    let fixture = at.fixture;
    let mut check = Checker {
        at: format!("fixtures[{}]", at.index),
        failures: Vec::new(),
    };
    check_fixture(&mut check, known, at);
    let mut mark = |index: u32| {
        if let Some(flag) = fired_any.get_mut(index as usize) {
            *flag = true;
        }
    };
    let mut fired = Vec::new();
    let mut explanation = String::new();
    if let Some(couple) = fixture.couple_for(engine) {
        for (key, given) in [("a", fixture.a.is_some()), ("b", fixture.b.is_some())] {
            if !given {
                check.fail(key, "both a and b in a couple fixture", "only one partner");
            }
        }
        let result = engine
            .assess_couple(&couple)
            .and_then(|plan| Ok((plan, engine.trace_couple(&couple)?)));
        match check.outcome(fixture, result) {
            Ok((plan, trace)) => {
                for part in [&trace.a, &trace.b, &trace.couple] {
                    part.fired.iter().for_each(|rule| mark(rule.index));
                }
                let ids: Vec<String> = fired_ids(&trace).into_iter().map(str::to_owned).collect();
                check.couple(known, engine, fixture, &plan, &ids);
                if !check.failures.is_empty() && detailed {
                    explanation = explain_couple(&trace);
                    fired = ids.into_iter().take(MAX_LISTED_IDS).collect();
                }
            }
            Err(text) => explanation = text,
        }
    } else {
        // Fixtures check decisions: the result is built (with its trace)
        // only to explain a failure.
        let responses = fixture.responses_for(engine);
        let program = engine.program();
        let state = State::build(program, &responses).map_err(|problems| AnswersError::Invalid { problems });
        match check.outcome(fixture, state) {
            Ok(state) => {
                let (tally, shown) = decide(program, &state);
                tally.fired.iter().for_each(|&i| mark(i as u32));
                let scores = scores(program, &state.scores);
                let progress = state_progress(program, &state);
                let observed = Observed::of_decision(program, &tally, &shown, &scores, progress.as_ref());
                check.result(known, "expect", &fixture.expect, &observed);
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
        file: at.file.to_owned(),
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

/// Where in a fixture a problem with its responses is. The engine reads
/// each earlier snapshot as the first of a list, its scores as a list in
/// key order (`previous[0].scores[1].dimension`); a fixture writes the
/// snapshot alone and its scores as a map (`previous.scores.trust`).
fn fixture_path(fixture: &Fixture, engine_path: &str) -> String {
    let snapshots = [
        ("previous_shared", &fixture.previous_shared),
        ("previous_a", &fixture.previous_a),
        ("previous_b", &fixture.previous_b),
        ("previous", &fixture.previous),
    ];
    for (key, snapshot) in snapshots {
        let Some(rest) = engine_path
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix("[0]"))
        else {
            continue;
        };
        let score = rest
            .strip_prefix(".scores[")
            .and_then(|tail| tail.split_once(']'))
            .and_then(|(index, _)| index.parse::<usize>().ok())
            .and_then(|index| snapshot.as_ref()?.scores.keys().nth(index));
        return match score {
            Some(dim) => key_path(&format!("{key}.scores"), dim),
            None => format!("{key}{rest}"),
        };
    }
    if engine_path.is_empty() {
        "answers".to_owned()
    } else {
        engine_path.to_owned()
    }
}

struct Checker {
    /// The fixture's JSON path in its file, `fixtures[3]`.
    at: String,
    failures: Vec<ExpectationFailure>,
}

/// Which result an `expect` object checks.
#[derive(Clone, Copy, PartialEq)]
enum View {
    /// A single respondent's result.
    Single,
    /// A couple's shared view.
    Shared,
    /// One partner's own view.
    Partner,
}

/// The directions `expect.progress` may name.
const DIRECTIONS: [&str; 5] = ["better", "worse", "steady", "unknown", "not_comparable"];

/// The ids of a pack that expectations may name, collected once per run.
struct Known<'e> {
    rules: HashSet<&'e str>,
    areas: HashSet<&'e str>,
    challenges: HashSet<&'e str>,
    /// Phase id to the challenges that have it.
    phases: HashMap<&'e str, Vec<&'e str>>,
    levels: HashSet<&'e str>,
    /// Dimension id to its band ids.
    dims: HashMap<&'e str, Vec<&'e str>>,
}

impl<'e> Known<'e> {
    fn of(engine: &'e Engine) -> Self {
        let pack = engine.pack();
        let mut phases: HashMap<&str, Vec<&str>> = HashMap::new();
        for challenge in &pack.challenges {
            for phase in &challenge.phases {
                phases
                    .entry(phase.id.as_str())
                    .or_default()
                    .push(challenge.id.as_str());
            }
        }
        Known {
            rules: engine.rule_ids().collect(),
            areas: pack.focus_areas.iter().map(|f| f.id.as_str()).collect(),
            challenges: pack.challenges.iter().map(|c| c.id.as_str()).collect(),
            phases,
            levels: pack.therapy_levels.iter().map(|t| t.id.as_str()).collect(),
            dims: pack
                .dimensions
                .iter()
                .map(|d| (d.id.as_str(), d.bands.iter().map(|b| b.id.as_str()).collect()))
                .collect(),
        }
    }

    fn dim(&self, id: &str) -> bool {
        self.dims.contains_key(id)
    }

    /// A band id of a known dimension.
    fn band(&self, dim: &str, band: &str) -> bool {
        self.dims.get(dim).is_some_and(|bands| bands.contains(&band))
    }

    /// A phase that can be the expected one: known, and of the expected
    /// challenge when one is named.
    fn phase(&self, expect: &Expect, phase: &str) -> bool {
        match (self.phases.get(phase), &expect.challenge) {
            (None, _) => false,
            (Some(of), Some(Some(challenge))) => of.contains(&challenge.as_str()),
            (Some(_), _) => true,
        }
    }
}

impl Expect {
    /// True when nothing is expected: no key, or only empty lists and maps.
    pub fn is_empty(&self) -> bool {
        let lists = [
            &self.focus_top,
            &self.focus_includes,
            &self.focus_excludes,
            &self.fired,
            &self.not_fired,
        ];
        lists.iter().all(|l| l.as_ref().is_none_or(Vec::is_empty))
            && self.challenge.is_none()
            && self.phase.is_none()
            && self.therapy.is_none()
            && self.online_therapy.is_none()
            && self.safety.is_none()
            && self.bands.as_ref().is_none_or(BTreeMap::is_empty)
            && self.scores.as_ref().is_none_or(BTreeMap::is_empty)
            && self.raw.as_ref().is_none_or(BTreeMap::is_empty)
            && self.progress.as_ref().is_none_or(BTreeMap::is_empty)
            && self.error.is_none()
    }
}

/// `parent[index]`, the path of a list entry.
fn item_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
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
    /// Records a failure at `path`, a JSON path from the fixture.
    fn fail(&mut self, path: &str, expected: impl Into<String>, actual: impl Into<String>) {
        self.failures.push(ExpectationFailure {
            expectation: format!("{}.{path}", self.at),
            expected: expected.into(),
            actual: actual.into(),
        });
    }

    /// Every id an expectation (`at`: `expect`, `expect_a` or `expect_b`)
    /// names must exist in the pack, and every key must be one its view has.
    fn references(&mut self, known: &Known<'_>, at: &str, view: View, expect: &Expect) {
        let id_lists = [
            ("fired", &expect.fired, &known.rules, "rule"),
            ("not_fired", &expect.not_fired, &known.rules, "rule"),
            ("focus_top", &expect.focus_top, &known.areas, "focus area"),
            (
                "focus_includes",
                &expect.focus_includes,
                &known.areas,
                "focus area",
            ),
            (
                "focus_excludes",
                &expect.focus_excludes,
                &known.areas,
                "focus area",
            ),
        ];
        for (key, ids, set, what) in id_lists {
            for (i, id) in ids.iter().flatten().enumerate() {
                if !set.contains(id.as_str()) {
                    self.unknown(&item_path(&format!("{at}.{key}"), i), what, id);
                }
            }
        }
        if view == View::Partner {
            // A partner's view has no challenge, and the couple's answers
            // are accepted or rejected together.
            for (key, given) in [
                ("challenge", expect.challenge.is_some()),
                ("phase", expect.phase.is_some()),
                ("error", expect.error.is_some()),
            ] {
                if given {
                    self.fail(
                        &format!("{at}.{key}"),
                        "a key of a partner's view",
                        format!("{key}, which only expect (the shared view) has"),
                    );
                }
            }
        } else {
            if let Some(Some(id)) = &expect.challenge {
                if !known.challenges.contains(id.as_str()) {
                    self.unknown(&format!("{at}.challenge"), "challenge", id);
                }
            }
            if let Some(Some(id)) = &expect.phase {
                match (known.phases.get(id.as_str()), &expect.challenge) {
                    (None, _) => self.unknown(&format!("{at}.phase"), "phase", id),
                    (Some(_), _) if known.phase(expect, id) => {}
                    (Some(of), challenge) => self.fail(
                        &format!("{at}.phase"),
                        format!(
                            "a phase of challenge {}",
                            or_none(challenge.as_ref().and_then(|c| c.as_deref()))
                        ),
                        format!("phase {id:?} of {}", list(of)),
                    ),
                }
            }
            if let Some(kind) = &expect.error {
                if crate::ProblemKind::from_tag(kind).is_none() {
                    self.fail(
                        &format!("{at}.error"),
                        "a problem kind tag",
                        format!("unknown problem kind {kind:?}"),
                    );
                }
            }
        }
        if let Some(id) = &expect.therapy {
            if !known.levels.contains(id.as_str()) {
                self.unknown(&format!("{at}.therapy"), "therapy level", id);
            }
        }
        let dims = [
            (
                "scores",
                expect.scores.as_ref().map(|m| m.keys().collect::<Vec<_>>()),
            ),
            ("raw", expect.raw.as_ref().map(|m| m.keys().collect())),
            // A dimension only an earlier version had is `not_comparable`.
            (
                "progress",
                expect.progress.as_ref().map(|m| {
                    m.iter()
                        .filter(|(_, direction)| *direction != "not_comparable")
                        .map(|(dim, _)| dim)
                        .collect()
                }),
            ),
            ("bands", expect.bands.as_ref().map(|m| m.keys().collect())),
        ];
        for (key, dims) in dims {
            for dim in dims.iter().flatten() {
                if !known.dim(dim) {
                    self.unknown(&key_path(&format!("{at}.{key}"), dim), "dimension", dim);
                }
            }
        }
        for (dim, band) in expect.bands.iter().flatten() {
            if let (Some(bands), Some(band)) = (known.dims.get(dim.as_str()), band) {
                if !bands.contains(&band.as_str()) {
                    self.fail(
                        &key_path(&format!("{at}.bands"), dim),
                        format!("a band of {dim}: {} (null: score absent)", list(bands)),
                        format!("unknown band {band:?}"),
                    );
                }
            }
        }
        for (dim, direction) in expect.progress.iter().flatten() {
            if known.dim(dim) && !DIRECTIONS.contains(&direction.as_str()) {
                self.fail(
                    &key_path(&format!("{at}.progress"), dim),
                    format!("a direction: {}", list(&DIRECTIONS)),
                    format!("unknown direction {direction:?}"),
                );
            }
        }
    }

    fn unknown(&mut self, path: &str, what: &str, id: &str) {
        self.fail(
            path,
            format!("a {what} of the pack"),
            format!("unknown {what} {id:?}"),
        );
    }

    /// Checks the `error` expectation. Returns the result to check further,
    /// or the text that explains a failure (empty when the expected error
    /// came).
    fn outcome<T>(&mut self, fixture: &Fixture, result: Result<T, AnswersError>) -> Result<T, String> {
        // An unknown kind was reported by `references`.
        let known = |kind: &str| crate::ProblemKind::from_tag(kind).is_some();
        match (result, &fixture.expect.error) {
            (Ok(value), None) => Ok(value),
            (Ok(_), Some(kind)) => {
                if known(kind) {
                    self.fail("expect.error", kind, "no error: the answers were accepted");
                }
                Err(String::new())
            }
            (Err(error), Some(kind)) => {
                let kinds = error_kinds(&error);
                if kinds.iter().any(|k| k == kind) {
                    return Err(String::new());
                }
                if known(kind) {
                    self.fail("expect.error", kind, kinds.join(", "));
                }
                Err(error.to_string())
            }
            (Err(error), None) => {
                // Each rejected answer at its key; a message never repeats
                // an answer's value.
                match &error {
                    AnswersError::Invalid { problems } => {
                        for problem in problems {
                            self.fail(
                                &fixture_path(fixture, &problem.path),
                                "accepted",
                                format!("{}: {}", problem.kind.tag(), problem.message),
                            );
                        }
                    }
                    AnswersError::Syntax { .. } => self.fail("answers", "accepted", "syntax"),
                }
                Err(error.to_string())
            }
        }
    }

    /// Checks every view of a couple plan; `fired` is every rule that held.
    fn couple(
        &mut self,
        known: &Known<'_>,
        engine: &Engine,
        fixture: &Fixture,
        plan: &CouplePlan,
        fired: &[String],
    ) {
        let fired: Vec<&str> = fired.iter().map(String::as_str).collect();
        self.result(
            known,
            "expect",
            &fixture.expect,
            &Observed::of_shared(&plan.shared, fired),
        );
        let baseline = engine.pack().therapy_levels.first().map_or("", |t| t.id.as_str());
        for (key, expect, view) in [
            ("expect_a", &fixture.expect_a, &plan.a),
            ("expect_b", &fixture.expect_b, &plan.b),
        ] {
            if let Some(expect) = expect {
                self.result(known, key, expect, &Observed::of_partner(view, baseline));
            }
        }
    }

    /// Checks `expect` (at `at` in the fixture) against a result. Ids the
    /// pack does not have were reported by [`Checker::references`] and are
    /// not checked again.
    fn result(&mut self, known: &Known<'_>, at: &str, expect: &Expect, rec: &Observed<'_>) {
        if expect.error.is_some() {
            return;
        }
        let path = |key: &str| format!("{at}.{key}");
        let areas = &rec.focus;
        if let Some(top) = &expect.focus_top {
            let actual = &areas[..top.len().min(areas.len())];
            let known_ids = top.iter().all(|id| known.areas.contains(id.as_str()));
            if known_ids && actual != top.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                self.fail(&path("focus_top"), list(top), list(actual));
            }
        }
        for (i, id) in expect.focus_includes.iter().flatten().enumerate() {
            if known.areas.contains(id.as_str()) && !areas.contains(&id.as_str()) {
                self.fail(
                    &item_path(&path("focus_includes"), i),
                    format!("{id} listed"),
                    list(areas),
                );
            }
        }
        for (i, id) in expect.focus_excludes.iter().flatten().enumerate() {
            if areas.contains(&id.as_str()) {
                self.fail(
                    &item_path(&path("focus_excludes"), i),
                    format!("{id} not listed"),
                    list(areas),
                );
            }
        }
        if let (Some(challenge), Some(want)) = (rec.challenge, &expect.challenge) {
            let got = challenge.map(|(c, _)| c);
            let named = want.as_deref().is_none_or(|id| known.challenges.contains(id));
            if named && want.as_deref() != got {
                self.fail(&path("challenge"), or_none(want.as_deref()), or_none(got));
            }
        }
        if let (Some(challenge), Some(want)) = (rec.challenge, &expect.phase) {
            let got = challenge.map(|(_, p)| p);
            let named = want.as_deref().is_none_or(|id| known.phase(expect, id));
            if named && want.as_deref() != got {
                self.fail(&path("phase"), or_none(want.as_deref()), or_none(got));
            }
        }
        let (level, online) = rec.therapy;
        if let Some(want) = &expect.therapy {
            if known.levels.contains(want.as_str()) && want != level {
                self.fail(&path("therapy"), want, level);
            }
        }
        if let Some(want) = expect.online_therapy {
            if want != online {
                self.fail(&path("online_therapy"), want.to_string(), online.to_string());
            }
        }
        if let Some(want) = expect.safety {
            if want != rec.safety {
                self.fail(&path("safety"), want.to_string(), rec.safety.to_string());
            }
        }
        let fired = &rec.fired;
        for (i, id) in expect.fired.iter().flatten().enumerate() {
            if known.rules.contains(id.as_str()) && !fired.contains(&id.as_str()) {
                self.fail(&item_path(&path("fired"), i), format!("{id} fired"), list(fired));
            }
        }
        for (i, id) in expect.not_fired.iter().flatten().enumerate() {
            if fired.contains(&id.as_str()) {
                self.fail(
                    &item_path(&path("not_fired"), i),
                    format!("{id} not fired"),
                    list(fired),
                );
            }
        }
        // Each dimension's score, or why a view has none.
        let score_of = |key: &str, dim: &str| -> Result<&DimensionScore, (String, &str)> {
            rec.scores
                .iter()
                .find(|s| s.id == dim)
                .ok_or((key_path(&path(key), dim), "not part of this view"))
        };
        for (dim, want) in expect.bands.iter().flatten() {
            let named = want.as_deref().is_none_or(|band| known.band(dim, band));
            if !known.dim(dim) || !named {
                continue;
            }
            match score_of("bands", dim) {
                Err((at, why)) => self.fail(&at, or_none(want.as_deref()), why),
                Ok(score) if want.as_deref() != score.band.as_deref() => {
                    let got = match score.score {
                        Some(s) => format!("{} (score {s})", or_none(score.band.as_deref())),
                        None => "none (score absent)".to_owned(),
                    };
                    self.fail(&key_path(&path("bands"), dim), or_none(want.as_deref()), got);
                }
                Ok(_) => {}
            }
        }
        let show = |v: Option<f64>| v.map_or("absent".to_owned(), crate::compile::number_text);
        for (dim, want) in expect.raw.iter().flatten() {
            if !known.dim(dim) {
                continue;
            }
            match score_of("raw", dim) {
                Err((at, why)) => self.fail(&at, show(*want), why),
                Ok(score) => {
                    let matches = match (want, score.raw) {
                        (Some(w), Some(r)) => (w - r).abs() < 1e-9,
                        (None, None) => true,
                        _ => false,
                    };
                    if !matches {
                        self.fail(&key_path(&path("raw"), dim), show(*want), show(score.raw));
                    }
                }
            }
        }
        for (dim, want) in expect.progress.iter().flatten() {
            let named = known.dim(dim) || want == "not_comparable";
            if !named || !DIRECTIONS.contains(&want.as_str()) {
                continue;
            }
            let got = match rec.progress {
                None => "no progress (no earlier snapshot)",
                Some(progress) => match progress.dimensions.iter().find(|d| &d.id == dim) {
                    Some(d) => d.direction.name(),
                    None if progress.not_comparable.contains(dim) => "not_comparable",
                    None => "not part of this view",
                },
            };
            if want != got {
                self.fail(&key_path(&path("progress"), dim), want, got);
            }
        }
        for (dim, want) in expect.scores.iter().flatten() {
            if !known.dim(dim) {
                continue;
            }
            match score_of("scores", dim) {
                Err((at, why)) => self.fail(&at, show(*want), why),
                Ok(score) => {
                    let matches = match (want, score.score) {
                        (Some(w), Some(s)) => (w - s).abs() <= 0.01,
                        (None, None) => true,
                        _ => false,
                    };
                    if !matches {
                        self.fail(&key_path(&path("scores"), dim), show(*want), show(score.score));
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_problem_points_into_the_fixture_as_written() {
        let fixture: Fixture = serde_json::from_str(
            r#"{"name": "x", "previous": {"date": "2026-01-01", "scores": {"b": 1, "a": 2}},
                "previous_b": {"date": "2026-01-01", "scores": {"c d": 3}}}"#,
        )
        .expect("a fixture");
        let cases = [
            ("answers.q_x", "answers.q_x"),
            ("a.q_x", "a.q_x"),
            ("context.married", "context.married"),
            ("", "answers"),
            ("previous[0].date", "previous.date"),
            // Scores are a list in key order to the engine, a map here.
            ("previous[0].scores[1].dimension", "previous.scores.b"),
            ("previous[0].scores[0].score", "previous.scores.a"),
            ("previous_b[0].scores[0].band", "previous_b.scores[\"c d\"]"),
            ("previous[0].scores[7].score", "previous.scores[7].score"),
            ("previous_shared[0].challenge", "previous_shared.challenge"),
        ];
        for (engine, expected) in cases {
            assert_eq!(fixture_path(&fixture, engine), expected, "{engine}");
        }
    }

    #[test]
    fn empty_lists_and_maps_expect_nothing() {
        let empty: Expect =
            serde_json::from_str(r#"{"fired": [], "bands": {}, "focus_top": []}"#).expect("an expect");
        assert!(empty.is_empty() && Expect::default().is_empty());
        for some in [
            r#"{"fired": ["r"]}"#,
            r#"{"challenge": null}"#,
            r#"{"error": "syntax"}"#,
        ] {
            let expect: Expect = serde_json::from_str(some).expect("an expect");
            assert!(!expect.is_empty(), "{some}");
        }
    }
}
