//! The foreign-language surface, exercised from Rust: the same scenario the
//! Kotlin, Swift and Python tests assess, typed errors, the questionnaire
//! records and the fixture runner.

use std::sync::Arc;

#[cfg(feature = "fixtures")]
use rekindle::ffi::FixtureSource;
use rekindle::ffi::{AnswerKind, Engine, FactKind};
use rekindle::{ProblemKind, RekindleError, Responses, TraceDetail, Value};

/// The persona every binding's test assesses.
const SCENARIO: &str = "a couple in constant conflict";

/// What every binding must get for [`SCENARIO`] (the Swift tests repeat these
/// values; Python and Kotlin read them from the fixture's expectations).
const FOCUS: [&str; 6] = [
    "compromise",
    "active_listening",
    "i_statements",
    "respect_kindness",
    "non_sexual_intimacy",
    "honesty_vulnerability",
];
const CHALLENGE: &str = "intimacy";
const PHASE: &str = "intimacy_conflict";
const THERAPY: &str = "recommend";

#[test]
fn the_shared_expectations_are_the_fixtures_own() {
    let file = rekindle::fixtures::parse_fixture_file("personas.json", &personas_json())
        .unwrap_or_else(|e| panic!("{e}"));
    let expect = file
        .fixtures
        .into_iter()
        .find(|f| f.name == SCENARIO)
        .map(|f| f.expect)
        .unwrap_or_else(|| panic!("no fixture named {SCENARIO:?}"));
    assert_eq!(expect.focus_top.as_deref(), Some(&FOCUS.map(str::to_owned)[..]));
    assert_eq!(expect.challenge, Some(Some(CHALLENGE.to_owned())));
    assert_eq!(expect.phase, Some(Some(PHASE.to_owned())));
    assert_eq!(expect.therapy.as_deref(), Some(THERAPY));
}

fn personas_json() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/fixtures/personas.json");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The scenario's responses, read from the fixture file.
fn scenario() -> Responses {
    let file = rekindle::fixtures::parse_fixture_file("personas.json", &personas_json())
        .unwrap_or_else(|e| panic!("{e}"));
    file.fixtures
        .into_iter()
        .find(|f| f.name == SCENARIO)
        .map(|f| f.responses())
        .unwrap_or_else(|| panic!("no fixture named {SCENARIO:?}"))
}

#[test]
fn the_scenario_gives_the_same_plan_through_the_ffi_and_the_core() {
    let ffi = Engine::new();
    let through_ffi = ffi.assess(scenario()).unwrap_or_else(|e| panic!("{e}"));
    let core = rekindle::Engine::embedded()
        .assess(&scenario())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(through_ffi, core);

    let focus: Vec<&str> = through_ffi.focus_areas.iter().map(|a| a.id.as_str()).collect();
    println!("focus areas: {focus:?}");
    assert_eq!(focus, FOCUS);
    let challenge = through_ffi.challenge.as_ref().expect("a challenge");
    assert_eq!(challenge.id, CHALLENGE);
    assert_eq!(challenge.phase.id, PHASE);
    assert_eq!(through_ffi.therapy.level, THERAPY);
    assert!(through_ffi.safety.is_none());
}

#[test]
fn assess_json_matches_assess() {
    let engine = Engine::new();
    let json = serde_json::to_string(&scenario()).unwrap_or_else(|e| panic!("{e}"));
    let from_json = engine.assess_json(json).unwrap_or_else(|e| panic!("{e}"));
    let typed = engine.assess(scenario()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_json, typed);
}

#[test]
fn assess_json_to_json_gives_the_recommendation_as_json() {
    let engine = Engine::new();
    let json = serde_json::to_string(&scenario()).unwrap_or_else(|e| panic!("{e}"));
    let text = engine.assess_json_to_json(json).unwrap_or_else(|e| panic!("{e}"));
    let typed = engine.assess(scenario()).unwrap_or_else(|e| panic!("{e}"));
    let expected = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{e}"));
    let actual: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(actual, expected);
    assert_eq!(actual["therapy"]["level"], THERAPY);
    match engine.assess_json_to_json("{\"answers\": {\"q_blame\": 3}}".into()) {
        Err(RekindleError::InvalidAnswers { problems, .. }) => {
            assert_eq!(problems[0].kind, ProblemKind::WrongType);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn assess_json_lines_answers_each_line_in_order() {
    let engine = Engine::new();
    let good = serde_json::to_string(&scenario()).unwrap_or_else(|e| panic!("{e}"));
    let lines = format!("{good}\n{{\"answers\": {{\"q_blame\": 3}}}}\n{{\"answers\": [\n{good}\n");
    let text = engine.assess_json_lines(lines, TraceDetail::RulesOnly);
    let entries: Vec<serde_json::Value> = text
        .split('\n')
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(entries.len(), 4);
    let typed = engine
        .assess_with(scenario(), TraceDetail::RulesOnly)
        .unwrap_or_else(|e| panic!("{e}"));
    let expected = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entries[0], expected);
    assert_eq!(entries[3], expected);
    assert_eq!(entries[1]["error"]["tag"], "invalid");
    assert_eq!(entries[1]["error"]["problems"][0]["kind"], "wrong_type");
    assert_eq!(entries[1]["error"]["problems"][0]["path"], "answers.q_blame");
    assert_eq!(entries[2]["error"]["tag"], "syntax");
    assert_eq!(entries[2]["error"]["problems"], serde_json::json!([]));
    assert_eq!(engine.assess_json_lines(String::new(), TraceDetail::Full), "");
}

#[test]
fn the_default_engine_describes_its_pack() {
    let engine = Engine::new();
    let info = engine.info();
    assert_eq!(info.id, "rekindle.default");
    assert_eq!(info.hash.len(), 64);
    let from_json = Engine::from_json(rekindle::ffi::default_pack_json()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_json.info(), info);
    assert!(!engine.rule_ids().is_empty());
}

#[test]
fn the_questionnaire_mirrors_the_pack() {
    let engine = Engine::new();
    let questionnaire = engine.questionnaire();
    let pack = rekindle::Engine::embedded().pack().clone();
    assert_eq!(questionnaire.sections.len(), pack.sections.len());
    assert_eq!(questionnaire.questions.len(), pack.questions.len());
    assert_eq!(questionnaire.context.len(), pack.context.len());
    for (view, question) in questionnaire.questions.iter().zip(&pack.questions) {
        assert_eq!(view.id, question.id);
        assert_eq!(view.section, question.section);
    }
    let first = &questionnaire.questions[0];
    match &first.answer {
        AnswerKind::Options { options } => assert!(options.iter().any(|o| o.value == "often")),
        other => panic!("unexpected {other:?}"),
    }
    assert!(questionnaire
        .questions
        .iter()
        .any(|q| matches!(q.answer, AnswerKind::Range { .. })));
    assert!(questionnaire
        .questions
        .iter()
        .any(|q| matches!(q.answer, AnswerKind::YesNo)));
    let married = questionnaire
        .context
        .iter()
        .find(|f| f.id == "married")
        .expect("married");
    assert_eq!(married.kind, FactKind::Bool);
}

#[test]
fn a_bad_pack_is_a_typed_error() {
    match Engine::from_json("{ not json".into()) {
        Err(RekindleError::InvalidPack {
            tag,
            detail,
            problems,
        }) => {
            assert_eq!(tag, "syntax");
            assert!(detail.contains("line 1"), "{detail}");
            assert!(problems.is_empty());
        }
        other => panic!("unexpected {other:?}"),
    }
    let mut pack: serde_json::Value =
        serde_json::from_str(rekindle::DEFAULT_PACK_JSON).unwrap_or_else(|e| panic!("{e}"));
    pack["rules"][0]["then"]["focus"] = serde_json::json!({"no_such_area": 1});
    match Engine::from_json(pack.to_string()) {
        Err(RekindleError::InvalidPack { tag, problems, .. }) => {
            assert_eq!(tag, "invalid");
            assert!(problems.iter().any(|p| p.kind == ProblemKind::UnknownReference));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn bad_answers_are_a_typed_error() {
    let engine = Engine::new();
    let responses = Responses::new([("q_misunderstandings", "sometimes-ish")]);
    match engine.assess(responses) {
        Err(RekindleError::InvalidAnswers {
            tag,
            detail,
            problems,
        }) => {
            assert_eq!(tag, "invalid");
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].kind, ProblemKind::UnknownOption);
            assert_eq!(problems[0].path, "answers.q_misunderstandings");
            assert!(!detail.contains("sometimes-ish"), "errors never repeat answers");
        }
        other => panic!("unexpected {other:?}"),
    }
    let responses = Responses::new([("q_no_such_question", Value::bool(true))]);
    match engine.assess(responses) {
        Err(RekindleError::InvalidAnswers { problems, .. }) => {
            assert_eq!(problems[0].kind, ProblemKind::UnknownQuestion);
        }
        other => panic!("unexpected {other:?}"),
    }
    match engine.assess_json("{\"answers\": [".into()) {
        Err(RekindleError::InvalidAnswers { tag, .. }) => assert_eq!(tag, "syntax"),
        other => panic!("unexpected {other:?}"),
    }
}

// The fixture runner is in the FFI only with the `fixtures` feature.
#[cfg(feature = "fixtures")]
#[test]
fn the_fixture_runner_reports_typed_outcomes() {
    let engine = Engine::new();
    let report = engine
        .run_fixtures(vec![FixtureSource {
            name: "personas.json".into(),
            json: personas_json(),
        }])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.passed > 0);
    assert_eq!(
        report.failed,
        0,
        "{}",
        rekindle::ffi::fixture_summary(report.clone())
    );
    assert!(rekindle::ffi::fixture_summary(report).ends_with(" failed"));

    match engine.run_fixtures(vec![FixtureSource {
        name: "broken.json".into(),
        json: "{\"format\": 1, \"fixtures\": [".into(),
    }]) {
        Err(RekindleError::InvalidFixtures { tag, file, .. }) => {
            assert_eq!(tag, "syntax");
            assert_eq!(file, "broken.json");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn one_engine_serves_many_threads() {
    let engine: Arc<Engine> = Engine::new();
    let expected = engine.assess(scenario()).unwrap_or_else(|e| panic!("{e}"));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| engine.assess(scenario()).map_err(|e| e.to_string()))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for handle in handles {
        for result in handle.join().unwrap_or_else(|_| panic!("thread panicked")) {
            assert_eq!(result.as_ref(), Ok(&expected));
        }
    }
}

#[test]
fn rules_only_detail_keeps_every_decision_and_drops_the_leaves() {
    let engine = Engine::new();
    let full = engine.assess(scenario()).unwrap_or_else(|e| panic!("{e}"));
    let lean = engine
        .assess_with(scenario(), rekindle::TraceDetail::RulesOnly)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lean.focus_areas, full.focus_areas);
    assert_eq!(lean.challenge, full.challenge);
    assert_eq!(lean.therapy, full.therapy);
    let rules = |r: &rekindle::Recommendation| r.fired_rules().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(rules(&lean), rules(&full));
    assert!(lean.trace.fired.iter().all(|f| f.leaves.is_empty()));
    assert!(full.trace.fired.iter().any(|f| !f.leaves.is_empty()));
}

#[test]
fn the_catalog_gives_practices_and_daily_activities() {
    let engine = Engine::new();
    let plan = engine.assess(scenario()).unwrap_or_else(|e| panic!("{e}"));
    let area = engine
        .focus_area(FOCUS[0].to_owned())
        .expect("the top focus area");
    assert_eq!(area.title, plan.focus_areas[0].title);
    assert!(area.practices.len() >= 3);
    let challenge = engine.challenge(CHALLENGE.to_owned()).expect("the challenge");
    let phase = challenge
        .phases
        .iter()
        .find(|p| p.id == PHASE)
        .expect("the phase");
    assert_eq!(
        phase.activities.len() as u32,
        phase.last_day - phase.first_day + 1
    );
    assert_eq!(
        engine.activity(PHASE.to_owned(), 1),
        phase.activities.first().cloned()
    );
    assert_eq!(engine.activity(PHASE.to_owned(), 0), None);
    assert_eq!(engine.activity(PHASE.to_owned(), 11), None);
    assert!(engine.focus_area("no_such_area".to_owned()).is_none());
}
