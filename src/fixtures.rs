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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::json_position_private;
use crate::input::{Responses, Value};
use crate::recommend::{Recommendation, Trace};
use crate::{AnswersError, Engine};

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
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::pack::schema::value_map"))]
    pub answers: HashMap<String, Value>,
    /// Context facts.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::pack::schema::value_map"))]
    pub context: HashMap<String, Value>,
    /// The partner's answers, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::pack::schema::optional_value_map")
    )]
    pub partner_answers: Option<HashMap<String, Value>>,
    /// What must hold of the result.
    #[serde(default)]
    pub expect: Expect,
}

impl Fixture {
    /// The responses this fixture assesses.
    pub fn responses(&self) -> Responses {
        Responses {
            answers: self.answers.clone(),
            context: self.context.clone(),
            partner_answers: self.partner_answers.clone(),
        }
    }
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
pub fn parse_fixture_file(file: &str, json: &str) -> Result<FixtureFile, FixtureError> {
    let parsed: FixtureFile = serde_json::from_str(json).map_err(|error| {
        // A fixture holds answers, and no error repeats an answer.
        let (line, column, message) = json_position_private(
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
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ExpectationFailure {
    /// The expectation key, such as `focus_top` or `fired`.
    pub expectation: String,
    /// What the fixture expected.
    pub expected: String,
    /// What the engine produced.
    pub actual: String,
}

/// The outcome of one fixture.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct FixtureOutcome {
    /// The file the fixture came from.
    pub file: String,
    /// The fixture's name.
    pub name: String,
    /// Every expectation that failed; empty when the fixture passed.
    pub failures: Vec<ExpectationFailure>,
    /// The rules that fired, in pack order.
    pub fired: Vec<String>,
    /// On failure, the trace that explains the actual outcome.
    pub explanation: String,
}

impl FixtureOutcome {
    /// True when every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The outcome of a fixture run.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
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
            writeln!(f, "FAIL {}: {}", outcome.file, outcome.name)?;
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
    let mut fired_any: HashSet<String> = HashSet::new();
    for (file, fixtures) in files {
        for fixture in fixtures {
            let outcome = run_one(engine, file, fixture);
            fired_any.extend(outcome.fired.iter().cloned());
            outcomes.push(outcome);
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count() as u32;
    let failed = outcomes.len() as u32 - passed;
    let unfired_rules = engine
        .rule_ids()
        .filter(|id| !fired_any.contains(*id))
        .map(str::to_owned)
        .collect();
    FixtureReport {
        outcomes,
        passed,
        failed,
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

fn run_one(engine: &Engine, file: &str, fixture: &Fixture) -> FixtureOutcome {
    let mut check = Checker { failures: Vec::new() };
    check.references(engine, &fixture.expect);
    let result = engine.assess(&fixture.responses());
    let mut fired = Vec::new();
    let mut explanation = String::new();
    match (&result, &fixture.expect.error) {
        (Ok(rec), None) => {
            fired = rec.fired_rules().map(str::to_owned).collect();
            check.result(&fixture.expect, rec);
            if !check.failures.is_empty() {
                explanation = explain(rec);
            }
        }
        (Ok(rec), Some(kind)) => {
            fired = rec.fired_rules().map(str::to_owned).collect();
            check.fail("error", kind, "no error: the answers were accepted");
        }
        (Err(error), Some(kind)) => {
            let kinds = error_kinds(error);
            if !kinds.iter().any(|k| k == kind) {
                check.fail("error", kind, kinds.join(", "));
                explanation = error.to_string();
            }
        }
        (Err(error), None) => {
            check.fail("answers", "accepted", error_kinds(error).join(", "));
            explanation = error.to_string();
        }
    }
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
        AnswersError::Invalid { problems } => problems.iter().map(|p| p.kind.tag().to_owned()).collect(),
    }
}

struct Checker {
    failures: Vec<ExpectationFailure>,
}

fn ids(v: &Option<Vec<String>>) -> Vec<&str> {
    v.iter().flatten().map(String::as_str).collect()
}

fn list(items: &[impl AsRef<str>]) -> String {
    let inner: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", inner.join(", "))
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
    fn references(&mut self, engine: &Engine, expect: &Expect) {
        let pack = engine.pack();
        let rules: HashSet<&str> = engine.rule_ids().collect();
        let areas: HashSet<&str> = pack.focus_areas.iter().map(|f| f.id.as_str()).collect();
        let challenges: HashSet<&str> = pack.challenges.iter().map(|c| c.id.as_str()).collect();
        let phases: HashSet<&str> = pack
            .challenges
            .iter()
            .flat_map(|c| c.phases.iter().map(|p| p.id.as_str()))
            .collect();
        let levels: HashSet<&str> = pack.therapy_levels.iter().map(|t| t.id.as_str()).collect();
        let dims: HashSet<&str> = pack.dimensions.iter().map(|d| d.id.as_str()).collect();
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
        unknown("fired", &rules, ids(&expect.fired), "rule");
        unknown("not_fired", &rules, ids(&expect.not_fired), "rule");
        unknown("focus_top", &areas, ids(&expect.focus_top), "focus area");
        unknown(
            "focus_includes",
            &areas,
            ids(&expect.focus_includes),
            "focus area",
        );
        unknown(
            "focus_excludes",
            &areas,
            ids(&expect.focus_excludes),
            "focus area",
        );
        unknown(
            "challenge",
            &challenges,
            expect.challenge.iter().flatten().map(String::as_str).collect(),
            "challenge",
        );
        unknown(
            "phase",
            &phases,
            expect.phase.iter().flatten().map(String::as_str).collect(),
            "phase",
        );
        unknown(
            "therapy",
            &levels,
            expect.therapy.iter().map(String::as_str).collect(),
            "therapy level",
        );
        unknown(
            "bands",
            &dims,
            expect
                .bands
                .iter()
                .flat_map(|b| b.keys().map(String::as_str))
                .collect(),
            "dimension",
        );
        unknown(
            "scores",
            &dims,
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

    fn result(&mut self, expect: &Expect, rec: &Recommendation) {
        let areas: Vec<&str> = rec.focus_areas.iter().map(|f| f.id.as_str()).collect();
        if let Some(top) = &expect.focus_top {
            let actual = &areas[..top.len().min(areas.len())];
            if actual != top.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                self.fail("focus_top", list(top), list(actual));
            }
        }
        for id in expect.focus_includes.iter().flatten() {
            if !areas.contains(&id.as_str()) {
                self.fail("focus_includes", format!("{id} listed"), list(&areas));
            }
        }
        for id in expect.focus_excludes.iter().flatten() {
            if areas.contains(&id.as_str()) {
                self.fail("focus_excludes", format!("{id} not listed"), list(&areas));
            }
        }
        let challenge = rec.challenge.as_ref();
        if let Some(want) = &expect.challenge {
            let got = challenge.map(|c| c.id.as_str());
            if want.as_deref() != got {
                self.fail("challenge", or_none(want.as_deref()), or_none(got));
            }
        }
        if let Some(want) = &expect.phase {
            let got = challenge.map(|c| c.phase.id.as_str());
            if want.as_deref() != got {
                self.fail("phase", or_none(want.as_deref()), or_none(got));
            }
        }
        if let Some(want) = &expect.therapy {
            if *want != rec.therapy.level {
                self.fail("therapy", want, &rec.therapy.level);
            }
        }
        if let Some(want) = expect.online_therapy {
            if want != rec.therapy.online {
                self.fail("online_therapy", want.to_string(), rec.therapy.online.to_string());
            }
        }
        if let Some(want) = expect.safety {
            if want != rec.safety.is_some() {
                self.fail("safety", want.to_string(), rec.safety.is_some().to_string());
            }
        }
        let fired: Vec<&str> = rec.fired_rules().collect();
        for id in expect.fired.iter().flatten() {
            if !fired.contains(&id.as_str()) {
                self.fail("fired", format!("{id} fired"), list(&fired));
            }
        }
        for id in expect.not_fired.iter().flatten() {
            if fired.contains(&id.as_str()) {
                self.fail("not_fired", format!("{id} not fired"), list(&fired));
            }
        }
        for (dim, want) in expect.bands.iter().flatten() {
            if let Some(score) = rec.scores.iter().find(|s| &s.id == dim) {
                if *want != score.band {
                    let got = match score.score {
                        Some(s) => format!("{} (score {s})", or_none(score.band.as_deref())),
                        None => "none (score absent)".to_owned(),
                    };
                    self.fail(&format!("bands.{dim}"), or_none(want.as_deref()), got);
                }
            }
        }
        for (dim, want) in expect.scores.iter().flatten() {
            if let Some(score) = rec.scores.iter().find(|s| &s.id == dim) {
                let matches = match (want, score.score) {
                    (Some(w), Some(s)) => (w - s).abs() <= 0.01,
                    (None, None) => true,
                    _ => false,
                };
                if !matches {
                    let show = |v: Option<f64>| v.map_or("absent".to_owned(), |v| v.to_string());
                    self.fail(&format!("scores.{dim}"), show(*want), show(score.score));
                }
            }
        }
    }
}

/// The fired rules and their evidence, one per line.
pub(crate) fn explain(rec: &Recommendation) -> String {
    explain_trace(&rec.trace)
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
