//! The [`Engine`]: a compiled pack, immutable and cheap to share.

use std::sync::{Arc, OnceLock};

use crate::compile::{compile, Limits, Program};
use crate::couple::{couple_plan, couple_trace, CouplePlan, CoupleTrace, Partners};
use crate::error::{json_position, json_position_without_values, AnswersError, PackError};
use crate::error::{Problem, ProblemKind};
use crate::eval::State;
use crate::hash::{content_hash, Escapes};
use crate::input::{check_responses_json, CoupleResponses, Responses, DUPLICATE_KEY};
use crate::pack::{Challenge, Condition, FocusArea, Pack, Phase, FORMAT_VERSION};
use crate::recommend::{count_rules, pack_info, recommend, PackInfo, Recommendation, TraceDetail};
use crate::scan::{path_at, position, scan, Bounds, Breach, Scanned};

/// How much of a JSON path an answers error names: the list and the key
/// (`answers.q_listen`, `previous[0]`). Keys below an answer's key belong
/// to the answer, which no error repeats.
pub(crate) const ANSWER_PATH_SEGMENTS: usize = 2;

/// The default pack's JSON, compiled into the library.
pub const DEFAULT_PACK_JSON: &str = include_str!("../rules/default.json");

/// A validated, compiled rule pack that assesses answers.
///
/// An `Engine` is immutable, `Send + Sync`, and cloning it only bumps a
/// reference count, so one engine can serve every thread of an app.
#[derive(Debug, Clone)]
pub struct Engine {
    program: Arc<Program>,
}

impl Engine {
    /// Parses, validates and compiles a pack from JSON text.
    ///
    /// ```
    /// let json = rekindle::DEFAULT_PACK_JSON;
    /// let engine = rekindle::Engine::from_json(json)?;
    /// assert_eq!(engine.info().id, "rekindle.default");
    /// # Ok::<(), rekindle::PackError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Engine, PackError> {
        Engine::from_json_with_limits(json, &Limits::default())
    }

    /// Like [`Engine::from_json`], for bytes that may not be UTF-8.
    pub fn from_slice(bytes: &[u8]) -> Result<Engine, PackError> {
        let limits = Limits::default();
        check_size(bytes.len(), &limits)?;
        let json = std::str::from_utf8(bytes).map_err(|e| PackError::NotUtf8 {
            offset: e.valid_up_to() as u64,
        })?;
        Engine::from_json_with_limits(json, &limits)
    }

    /// Like [`Engine::from_json`], with custom [`Limits`].
    pub fn from_json_with_limits(json: &str, limits: &Limits) -> Result<Engine, PackError> {
        check_size(json.len(), limits)?;
        let escapes = check_shape(json.as_bytes(), limits)?;
        // Most packs parse in one pass with their answers read directly;
        // any other is parsed again, and only that parse reports errors.
        let parsed = crate::answer_de::parse_pack(json)
            .ok_or(())
            .or_else(|()| serde_json::from_str(json));
        let pack: Pack = match parsed {
            Ok(pack) => pack,
            Err(error) => {
                // A pack of another format may have another shape: say so
                // rather than report a confusing shape error.
                if let Some(found) = declared_format(json) {
                    return Err(PackError::UnsupportedFormat {
                        found,
                        supported: FORMAT_VERSION,
                    });
                }
                let (line, column, message) = json_position(&error);
                let path = path_at(json.as_bytes(), line, column, usize::MAX);
                return Err(PackError::Syntax {
                    message: pack_shape_message(json, &path, message),
                    line,
                    column,
                    path,
                });
            }
        };
        Engine::from_pack_with_limits(pack, limits, escapes)
    }

    /// Validates and compiles a pack already in memory.
    pub fn from_pack(pack: Pack) -> Result<Engine, PackError> {
        Engine::from_pack_with_limits(pack, &Limits::default(), Escapes::Unknown)
    }

    /// `escapes` bounds how many of the pack's strings need escaping in its
    /// canonical form (for hashing).
    fn from_pack_with_limits(mut pack: Pack, limits: &Limits, escapes: Escapes) -> Result<Engine, PackError> {
        if pack.format != FORMAT_VERSION {
            let found = pack.format.to_string();
            dismantle(pack);
            return Err(PackError::UnsupportedFormat {
                found,
                supported: FORMAT_VERSION,
            });
        }
        // Hashing, compiling and even dropping a pack recurse once per
        // level of nesting: a pack built in code is measured first, without
        // recursion, and one nested past what JSON input may be is refused.
        let max_conditions = limits.max_json_object_depth() - 2;
        if let Some(rule) = too_deep_rule(&pack, max_conditions, limits.max_json_depth()) {
            dismantle(pack);
            return Err(PackError::Invalid {
                problems: vec![Problem::new(
                    ProblemKind::TooDeep,
                    format!("rules[{rule}].when"),
                    format!("condition nested deeper than {max_conditions} levels"),
                )],
            });
        }
        pack.shrink_to_fit();
        let hash = content_hash(&mut pack, escapes);
        let program = compile(pack, hash, limits).map_err(|problems| PackError::Invalid { problems })?;
        Ok(Engine {
            program: Arc::new(program),
        })
    }

    /// The compiled pack, for the crate's own stages.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// The engine for the default pack compiled into the library.
    ///
    /// The default pack is checked by this crate's tests, so this cannot
    /// fail in a released build; it is compiled once per process.
    pub fn embedded() -> Engine {
        static EMBEDDED: OnceLock<Engine> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                Engine::from_json(&crate::embedded::default_pack_compact())
                    .expect("the embedded default pack is valid")
            })
            .clone()
    }

    /// The pack as written, for rendering the questionnaire and catalog.
    pub fn pack(&self) -> &Pack {
        &self.program.pack
    }

    /// The pack's id, version, title and content hash.
    pub fn info(&self) -> PackInfo {
        pack_info(&self.program)
    }

    /// The limits this engine was built with (and checks answers against).
    pub fn limits(&self) -> &Limits {
        &self.program.limits
    }

    /// A focus area of the pack, with its practices.
    pub fn focus_area(&self, id: &str) -> Option<&FocusArea> {
        self.program.pack.focus_areas.iter().find(|f| f.id == id)
    }

    /// A challenge of the pack, with its phases.
    pub fn challenge(&self, id: &str) -> Option<&Challenge> {
        self.program.pack.challenges.iter().find(|c| c.id == id)
    }

    /// A phase of any challenge, with its daily activities.
    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.program
            .pack
            .challenges
            .iter()
            .flat_map(|c| &c.phases)
            .find(|p| p.id == id)
    }

    /// The activity for a day of a phase (1 for its first day), if the pack
    /// gives one.
    pub fn activity(&self, phase: &str, day: u32) -> Option<&str> {
        let index = usize::try_from(day.checked_sub(1)?).ok()?;
        self.phase(phase)?.activities.get(index).map(String::as_str)
    }

    /// The ids of every rule, in pack order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.program.pack.rules.iter().map(|r| r.id.as_str())
    }

    /// Assesses one set of responses.
    ///
    /// Every problem with the responses is reported at once; on success the
    /// result is fully determined by the pack and the responses.
    ///
    /// ```
    /// use rekindle::{Engine, Responses};
    ///
    /// let engine = Engine::embedded();
    /// let result = engine.assess(&Responses::default())?;
    /// assert!(result.safety.is_none());
    /// # Ok::<(), rekindle::AnswersError>(())
    /// ```
    pub fn assess(&self, responses: &Responses) -> Result<Recommendation, AnswersError> {
        self.assess_with(responses, TraceDetail::Full)
    }

    /// Like [`Engine::assess`], choosing how much evidence the trace keeps.
    /// Every decision is the same whatever the detail.
    pub fn assess_with(
        &self,
        responses: &Responses,
        detail: TraceDetail,
    ) -> Result<Recommendation, AnswersError> {
        let state =
            State::build(&self.program, responses).map_err(|problems| AnswersError::Invalid { problems })?;
        Ok(recommend(&self.program, &state, detail))
    }

    /// The ids of the rules that fire for these responses, in pack order,
    /// without building a result: the rules [`Engine::assess`] lists in
    /// `trace.fired`, for tools that only count rules (over many answer
    /// sets, or to compare packs). Couple rules need two people and never
    /// fire here.
    ///
    /// ```
    /// use rekindle::{Engine, Responses};
    ///
    /// let engine = Engine::embedded();
    /// let fired = engine.fired_rules(&Responses::default())?;
    /// let result = engine.assess(&Responses::default())?;
    /// assert!(fired.into_iter().eq(result.fired_rules()));
    /// # Ok::<(), rekindle::AnswersError>(())
    /// ```
    pub fn fired_rules(&self, responses: &Responses) -> Result<Vec<&str>, AnswersError> {
        let state =
            State::build(&self.program, responses).map_err(|problems| AnswersError::Invalid { problems })?;
        let tally = count_rules(&self.program, &state);
        let ids = &self.program.texts.rules;
        Ok(tally.fired.iter().map(|&i| ids[i].id.as_str()).collect())
    }

    /// Assesses responses given as JSON: `{"answers": {...}, "context": {...}}`.
    pub fn assess_json(&self, json: &str) -> Result<Recommendation, AnswersError> {
        self.assess_json_with(json, TraceDetail::Full)
    }

    /// Like [`Engine::assess_json`], choosing how much evidence the trace
    /// keeps.
    pub fn assess_json_with(&self, json: &str, detail: TraceDetail) -> Result<Recommendation, AnswersError> {
        let responses = responses_from_json(json, &self.program.limits)?;
        self.assess_with(&responses, detail)
    }

    /// What a valid pack may still get wrong, for its authors to review:
    /// rules that never fire, duplicate rules, unreachable bands and
    /// outcomes, cut-offs that rounding moves, and shared reasons of rules
    /// that read private items. Each finding has a stable kind and a JSON
    /// path.
    pub fn lint(&self) -> Vec<crate::Problem> {
        crate::lint::lint(&self.program)
    }

    /// What changed from one snapshot to a later one, as an assessment
    /// with `old` as its previous snapshot would report it.
    pub fn compare_snapshots(
        &self,
        old: &crate::Snapshot,
        new: &crate::Snapshot,
    ) -> Result<crate::Progress, AnswersError> {
        crate::progress::compare(&self.program, old, new)
            .map_err(|problems| AnswersError::Invalid { problems })
    }

    /// A snapshot as a fixture writes it, under this pack.
    pub(crate) fn fixture_snapshot(&self, given: &crate::fixtures::FixtureSnapshot) -> crate::Snapshot {
        crate::progress::fixture_snapshot(&self.program, given)
    }

    /// Assesses a couple: one shared plan and one private view per partner.
    ///
    /// The engine decides what each view may hold (see `rules/README.md`,
    /// "Who sees what"): a partner's private answers, private scores and
    /// safety notice never reach the shared view or the other partner's.
    ///
    /// ```
    /// use rekindle::{CoupleResponses, Engine};
    ///
    /// let engine = Engine::embedded();
    /// let couple = CoupleResponses::new(
    ///     [("q_feel_distant", "often")],
    ///     [("q_feel_distant", "sometimes")],
    /// )
    /// .with_context("married", true);
    /// let plan = engine.assess_couple(&couple)?;
    /// assert!(plan.a.safety.is_none() && plan.b.safety.is_none());
    /// # Ok::<(), rekindle::AnswersError>(())
    /// ```
    pub fn assess_couple(&self, responses: &CoupleResponses) -> Result<CouplePlan, AnswersError> {
        let partners = Partners::build(&self.program, responses)
            .map_err(|problems| AnswersError::Invalid { problems })?;
        Ok(couple_plan(&self.program, &partners))
    }

    /// Like [`Engine::assess_couple`], from JSON: `{"a": {...}, "b": {...}, "context": {...}}`.
    pub fn assess_couple_json(&self, json: &str) -> Result<CouplePlan, AnswersError> {
        let responses: CoupleResponses = answers_from_json(
            json,
            &self.program.limits,
            "does not have the expected shape: \"a\", \"b\" and \"context\" are objects of strings, \
             numbers or booleans, \"previous_shared\", \"previous_a\" and \"previous_b\" lists of snapshots",
        )?;
        self.assess_couple(&responses)
    }

    /// Every rule's evidence in a couple assessment, for rule authors and
    /// fixtures. It names safety rules and reads private answers: an app
    /// never shows it to a partner.
    pub fn trace_couple(&self, responses: &CoupleResponses) -> Result<CoupleTrace, AnswersError> {
        let partners = Partners::build(&self.program, responses)
            .map_err(|problems| AnswersError::Invalid { problems })?;
        Ok(couple_trace(&self.program, &partners))
    }
}

/// Reads responses JSON: bounded before parsing, duplicate keys refused
/// as [`ProblemKind::DuplicateKey`], and no answer value in any error.
pub(crate) fn responses_from_json(json: &str, limits: &Limits) -> Result<Responses, AnswersError> {
    answers_from_json(
        json,
        limits,
        "does not have the expected shape: \"answers\" and \"context\" are objects of strings, numbers \
         or booleans, \"previous\" a list of snapshots",
    )
}

/// Answers JSON of any shape, bounded before parsing; serde's words may
/// quote the value it did not expect, which could be an answer, so such
/// messages become `shape`.
fn answers_from_json<T: serde::de::DeserializeOwned>(
    json: &str,
    limits: &Limits,
    shape: &str,
) -> Result<T, AnswersError> {
    check_responses_json(json, limits)?;
    serde_json::from_str(json).map_err(|error| {
        let (line, column, message) = json_position_without_values(&error, shape);
        if let Some(path) = message.strip_prefix(DUPLICATE_KEY) {
            return AnswersError::Invalid {
                problems: vec![Problem::new(
                    ProblemKind::DuplicateKey,
                    path,
                    "given more than once; each question or fact takes one value",
                )],
            };
        }
        AnswersError::Syntax {
            line,
            column,
            path: path_at(json.as_bytes(), line, column, ANSWER_PATH_SEGMENTS),
            message,
        }
    })
}

impl Default for Engine {
    /// The same as [`Engine::embedded`].
    fn default() -> Self {
        Engine::embedded()
    }
}

fn check_size(size: usize, limits: &Limits) -> Result<(), PackError> {
    if size > limits.max_pack_bytes {
        return Err(PackError::TooLarge {
            size: size as u64,
            limit: limits.max_pack_bytes as u64,
        });
    }
    Ok(())
}

/// Bounds nesting and the count of JSON objects and arrays before parsing:
/// the parser recurses once per level, and turns each object into a
/// struct of a few hundred bytes.
fn check_shape(json: &[u8], limits: &Limits) -> Result<Escapes, PackError> {
    let bounds = Bounds::of_pack(limits);
    match scan(json, bounds) {
        Ok(Scanned { escaped_strings }) => Ok(Escapes::AtMost(escaped_strings)),
        Err(Breach::Containers { .. }) => Err(PackError::TooComplex {
            limit: limits.max_json_containers as u64,
        }),
        Err(Breach::Depth { offset }) => {
            let (line, column) = position(json, offset);
            Err(PackError::Syntax {
                line,
                column,
                path: path_at(json, line, column, usize::MAX),
                message: format!(
                    "nested deeper than {} levels, or {} levels of objects (conditions nest at most {} deep)",
                    bounds.depth, bounds.object_depth, limits.max_condition_depth
                ),
            })
        }
        // Not bounded for packs.
        Err(Breach::Entries { .. }) => Ok(Escapes::Unknown),
    }
}

/// The first rule whose condition nests deeper than `max` levels, or deeper
/// than `max_values` counting the JSON values inside it (as JSON input is
/// bounded); found without recursion.
fn too_deep_rule(pack: &Pack, max: usize, max_values: usize) -> Option<usize> {
    let mut conditions: Vec<(&Condition, usize)> = Vec::new();
    let mut values: Vec<(&serde_json::Value, usize)> = Vec::new();
    for (i, rule) in pack.rules.iter().enumerate() {
        conditions.push((&rule.when, 1));
        while let Some((cond, depth)) = conditions.pop() {
            if depth > max {
                return Some(i);
            }
            for list in [&cond.all, &cond.any, &cond.of].into_iter().flatten() {
                conditions.extend(list.iter().map(|c| (c, depth + 1)));
            }
            conditions.extend(cond.not.as_deref().map(|c| (c, depth + 1)));
            values.extend(cond.is.iter().map(|v| (v, depth + 1)));
            values.extend(cond.in_.iter().flatten().map(|v| (v, depth + 2)));
            while let Some((value, depth)) = values.pop() {
                if depth > max_values {
                    return Some(i);
                }
                match value {
                    serde_json::Value::Array(list) => values.extend(list.iter().map(|v| (v, depth + 1))),
                    serde_json::Value::Object(map) => values.extend(map.values().map(|v| (v, depth + 1))),
                    _ => {}
                }
            }
        }
    }
    None
}

/// Drops a pack without recursion: its conditions and their values are
/// taken apart one level at a time, so no nesting can overflow the stack.
fn dismantle(pack: Pack) {
    let mut conditions: Vec<Condition> = pack.rules.into_iter().map(|rule| rule.when).collect();
    let mut values: Vec<serde_json::Value> = Vec::new();
    while let Some(mut cond) = conditions.pop() {
        for list in [cond.all.take(), cond.any.take(), cond.of.take()]
            .into_iter()
            .flatten()
        {
            conditions.extend(list);
        }
        conditions.extend(cond.not.take().map(|c| *c));
        values.extend(cond.is.take());
        values.extend(cond.in_.take().into_iter().flatten());
        while let Some(value) = values.pop() {
            match value {
                serde_json::Value::Array(list) => values.extend(list),
                serde_json::Value::Object(map) => values.extend(map.into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }
}

/// The pack's `format` field, when it is present and not the supported one.
/// serde's message for a pack of the wrong shape, in the format's words
/// where serde's would be its own (`expected struct Pack with 15
/// elements`), and with a word on what the file looks like instead.
fn pack_shape_message(json: &str, path: &str, message: String) -> String {
    let kind = match json.trim_start().bytes().next() {
        Some(b'{') | None => None,
        Some(b'[') => Some("a list"),
        Some(b'"') => Some("a string"),
        Some(_) => Some("a single value"),
    };
    if let Some(kind) = kind.filter(|_| message.contains("struct Pack")) {
        return format!("a pack is a JSON object ({{\"format\": 1, \"id\": ...}}), not {kind}");
    }
    if path == "fixtures" && message.starts_with("unknown field `fixtures`") {
        return format!("{message} (this is a fixture file, not a pack)");
    }
    message
}

fn declared_format(json: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_str(json).ok()?;
    // A format that is not a number is a shape error, said as one.
    let format = probe.format.filter(serde_json::Value::is_number)?;
    (format != FORMAT_VERSION).then(|| format.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn a_mistyped_question_or_fact_names_the_nearest_one() {
        let engine = Engine::embedded();
        let error = engine
            .assess_json(r#"{"answers": {"q_misunderstanding": "often"}, "context": {"maried": true}}"#)
            .unwrap_err();
        let messages: Vec<(&str, &str)> = error
            .problems()
            .iter()
            .map(|p| (p.path.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "answers.q_misunderstanding",
                    "the pack has no question with this id; did you mean \"q_misunderstandings\"?"
                ),
                (
                    "context.maried",
                    "the pack declares no context fact with this id; did you mean \"married\"?"
                ),
            ]
        );
    }

    #[test]
    fn answer_shape_errors_name_the_path_and_never_the_value() {
        let engine = Engine::embedded();
        for (json, path) in [
            (
                r#"{"answers": {"q_misunderstandings": "often"}, "date": 20261127}"#,
                "date",
            ),
            (
                r#"{"answers": {"q_misunderstandings": ["secret"]}}"#,
                "answers.q_misunderstandings",
            ),
            (
                r#"{"answers": {}, "context": {"married": {"secret": 1}}}"#,
                "context.married",
            ),
            (
                r#"{"answers": {"q_misunderstandings": [1, 2, {"secret": "x"}]}}"#,
                "answers.q_misunderstandings",
            ),
        ] {
            match engine.assess_json(json) {
                Err(AnswersError::Syntax {
                    path: found, message, ..
                }) => {
                    assert_eq!(found, path, "{json}");
                    assert!(
                        !message.contains("secret") && !message.contains("20261127"),
                        "{message}"
                    );
                }
                other => panic!("{json}: {other:?}"),
            }
        }
    }

    #[test]
    fn engine_is_send_and_sync() {
        assert_send_sync::<Engine>();
    }

    #[test]
    fn embedded_pack_compiles() {
        let engine = Engine::from_json(DEFAULT_PACK_JSON).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(engine.info().hash.len(), 64);
    }

    #[test]
    fn hash_ignores_whitespace_but_not_content() {
        let compact: serde_json::Value = serde_json::from_str(DEFAULT_PACK_JSON).unwrap();
        let reformatted = serde_json::to_string(&compact).unwrap();
        let a = Engine::from_json(DEFAULT_PACK_JSON).unwrap().info().hash;
        let b = Engine::from_json(&reformatted).unwrap().info().hash;
        assert_eq!(a, b);
        let changed = reformatted.replacen("\"version\":\"", "\"version\":\"x", 1);
        let c = Engine::from_json(&changed).unwrap().info().hash;
        assert_ne!(a, c);
    }

    #[test]
    fn packs_of_another_shape_are_named_in_the_formats_words() {
        for (json, expected) in [
            (
                "[]",
                "a pack is a JSON object ({\"format\": 1, \"id\": ...}), not a list",
            ),
            (
                "\"pack\"",
                "a pack is a JSON object ({\"format\": 1, \"id\": ...}), not a string",
            ),
            (
                "17",
                "a pack is a JSON object ({\"format\": 1, \"id\": ...}), not a single value",
            ),
        ] {
            match Engine::from_json(json).unwrap_err() {
                PackError::Syntax { message, .. } => assert_eq!(message, expected, "{json}"),
                other => panic!("{json}: {other:?}"),
            }
        }
        let fixtures = r#"{"format": 1, "fixtures": []}"#;
        match Engine::from_json(fixtures).unwrap_err() {
            PackError::Syntax { path, message, .. } => {
                assert_eq!(path, "fixtures");
                assert!(
                    message.ends_with("(this is a fixture file, not a pack)"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_formats_are_reported_as_such() {
        let err = Engine::from_json(r#"{"format": 2, "whatever": true}"#).unwrap_err();
        assert_eq!(
            err,
            PackError::UnsupportedFormat {
                found: "2".into(),
                supported: 1
            }
        );
        // A format that is not a number is a shape error, said in words.
        let err = Engine::from_json(r#"{"format": "1"}"#).unwrap_err();
        assert_eq!(err.tag(), "syntax");
        assert!(
            err.to_string()
                .ends_with(": format: invalid type: string \"1\", expected the format number, such as 1 (a number, not a string)"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_is_a_typed_error() {
        let err = Engine::from_slice(b"{\"format\": 1, \"id\": \"\xff\"}").unwrap_err();
        assert_eq!(err, PackError::NotUtf8 { offset: 21 });
    }

    #[test]
    fn oversized_packs_are_refused_before_parsing() {
        let limits = Limits {
            max_pack_bytes: 10,
            ..Limits::default()
        };
        let err = Engine::from_json_with_limits("{\"format\": 1      }", &limits).unwrap_err();
        assert_eq!(err.tag(), "too_large");
    }

    #[test]
    fn packs_of_many_tiny_objects_are_refused_before_parsing() {
        let limits = Limits {
            max_json_containers: 3,
            ..Limits::default()
        };
        // Brackets inside strings, escaped quotes included, do not count.
        let ok = r#"{"format": 1, "id": "[{\"[", "x": [{}]}"#;
        assert_ne!(
            Engine::from_json_with_limits(ok, &limits).unwrap_err().tag(),
            "too_complex"
        );
        let err = Engine::from_json_with_limits(r#"{"a": [{}, {}]}"#, &limits).unwrap_err();
        assert_eq!(err, PackError::TooComplex { limit: 3 });
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let err = Engine::from_json("{\n  \"format\": 1,\n  \"id\": ,\n}").unwrap_err();
        match err {
            PackError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 9)),
            other => panic!("unexpected {other:?}"),
        }
    }
}
