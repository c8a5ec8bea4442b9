//! No error names an answer or context value: a sentinel is put into every
//! position of the input that holds one (answers, context, partner answers,
//! their shapes, fixture files, the values a pack compares answers with),
//! through every entry point (the library, the FFI surface, the command
//! line), and must appear in no message.

use std::path::PathBuf;
use std::process::Command;

use rekindle::fixtures::{parse_fixture_file, run_fixture_json};
use rekindle::{Engine, Responses, Value, DEFAULT_PACK_JSON};
use serde_json::{json, Value as Json};

const SENTINEL: &str = "SENTINEL-7f3a";
/// A number sentinel for numeric answers.
const NUMBER: f64 = 987_654.125;

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SENTINEL), "{what} repeats a value: {text}");
    assert!(!text.contains("987654"), "{what} repeats a number: {text}");
}

/// Responses JSON texts with the sentinel in each position an answer or a
/// context value can take, well formed or not.
fn hostile_responses() -> Vec<String> {
    let s = SENTINEL;
    let mut cases = Vec::new();
    for list in ["answers", "context"] {
        for (key, value) in [
            ("q_misunderstandings", json!(s)),
            ("q_safety_fear", json!(s)),
            ("q_overall_closeness", json!(s)),
            ("q_overall_closeness", json!(NUMBER)),
            ("married", json!(s)),
            ("married", json!(NUMBER)),
            ("no_such_key", json!(s)),
            ("q_misunderstandings", json!([s])),
            ("q_misunderstandings", json!({"k": s})),
        ] {
            let mut responses = json!({"answers": {}});
            responses[list] = json!({ key: value });
            cases.push(responses.to_string());
        }
        // The whole object replaced by a value.
        for value in [json!(s), json!([s]), json!(NUMBER)] {
            let mut responses = json!({"answers": {}});
            responses[list] = value;
            cases.push(responses.to_string());
        }
        // Malformed strings and numbers around the sentinel.
        for raw in [
            format!("\"{s}"),
            format!("\"{s}\\q\""),
            format!("\"{s}\u{1}\""),
            s.to_owned(),
            format!("{NUMBER}e999"),
            format!("\"{s}\" \"{s}\""),
        ] {
            cases.push(format!(
                "{{\"answers\":{{}},\"{list}\":{{\"q_misunderstandings\":{raw}}}}}"
            ));
        }
    }
    cases.push(format!("{{\"answers\":{{}},\"{SENTINEL}\":1}}").replace(SENTINEL, "unknown_top"));
    cases.push(format!("\"{SENTINEL}\""));
    cases
}

#[test]
fn answers_errors_never_repeat_a_value() {
    let engine = Engine::embedded();
    let ffi = rekindle::ffi::Engine::new();
    let mut refused = 0;
    for case in hostile_responses() {
        if let Err(err) = engine.assess_json(&case) {
            refused += 1;
            assert_clean(&case, &err.to_string());
            assert_clean(&case, &format!("{err:?}"));
        }
        if let Err(err) = ffi.assess_json(case.clone()) {
            assert_clean(&case, &format!("{err} {err:?}"));
        }
    }
    assert!(refused > 30, "{refused}");
    // Built in code rather than parsed.
    let responses = Responses::new([("q_misunderstandings", SENTINEL), ("q_safety_fear", SENTINEL)])
        .with_context("married", SENTINEL)
        .with_context("no_such_fact", Value::number(NUMBER));
    let err = engine.assess(&responses).expect_err("refused");
    assert_clean("responses", &format!("{err} {err:?}"));
}

/// The same hostile values in each position of couple answers JSON, and in
/// each field of an earlier snapshot.
fn hostile_couples() -> Vec<String> {
    let mut cases = Vec::new();
    for single in hostile_responses() {
        let Ok(Json::Object(fields)) = serde_json::from_str::<Json>(&single) else {
            continue;
        };
        for (from, to) in [("answers", "a"), ("answers", "b"), ("context", "context")] {
            if let Some(value) = fields.get(from) {
                let mut couple = json!({"a": {}, "b": {}});
                couple[to] = value.clone();
                cases.push(couple.to_string());
            }
        }
    }
    let snapshot = json!({"format": 1, "pack_id": "rekindle.default", "pack_version": "1", "pack_hash": "",
        "date": "2026-01-01", "scores": [{"dimension": "conflict", "score": 50.0, "band": "moderate"}]});
    for (field, value) in [
        ("pack_id", json!(SENTINEL)),
        ("pack_version", json!(SENTINEL)),
        ("date", json!(SENTINEL)),
        ("phase", json!(SENTINEL)),
        ("challenge", json!(SENTINEL)),
        ("day", json!(NUMBER)),
        ("format", json!(SENTINEL)),
        (
            "scores",
            json!([{"dimension": SENTINEL, "score": NUMBER, "band": SENTINEL}]),
        ),
    ] {
        let mut bad = snapshot.clone();
        bad[field] = value;
        cases.push(json!({"a": {}, "b": {}, "previous_a": [bad.clone()]}).to_string());
        cases.push(json!({"answers": {}, "previous": [bad]}).to_string());
    }
    cases
}

#[test]
fn couple_and_snapshot_errors_never_repeat_a_value() {
    let engine = Engine::embedded();
    let ffi = rekindle::ffi::Engine::new();
    let mut refused = 0;
    for case in hostile_couples() {
        let result = if case.contains("\"answers\"") {
            engine.assess_json(&case).map(|_| ())
        } else {
            engine.assess_couple_json(&case).map(|_| ())
        };
        if let Err(err) = result {
            refused += 1;
            assert_clean(&case, &format!("{err} {err:?}"));
        }
        if let Err(err) = ffi.assess_couple_json(case.clone()) {
            assert_clean(&case, &format!("{err} {err:?}"));
        }
    }
    assert!(refused > 40, "{refused}");
}

fn fixture_files() -> Vec<String> {
    let mut files = Vec::new();
    for case in hostile_responses() {
        // As a fixture: the responses' fields inside one fixture.
        let Ok(Json::Object(mut fields)) = serde_json::from_str::<Json>(&case) else {
            continue;
        };
        fields.insert("name".into(), json!("a fixture"));
        files.push(json!({"format": 1, "fixtures": [Json::Object(fields.clone())]}).to_string());
        fields.insert("expect".into(), json!({"error": "wrong_type"}));
        files.push(json!({"format": 1, "fixtures": [Json::Object(fields)]}).to_string());
    }
    // Malformed fixture files, raw.
    for case in hostile_responses() {
        files.push(format!(
            "{{\"format\":1,\"fixtures\":[{{\"name\":\"raw\",{}}}]}}",
            &case[1..case.len() - 1]
        ));
    }
    files
}

#[test]
fn fixture_errors_and_reports_never_repeat_a_value() {
    let engine = Engine::embedded();
    #[cfg(feature = "fixtures")]
    let ffi = rekindle::ffi::Engine::new();
    for file in fixture_files() {
        if let Err(err) = parse_fixture_file("f.json", &file) {
            assert_clean(&file, &format!("{err} {err:?}"));
        }
        match run_fixture_json(&engine, [("f.json", file.as_str())]) {
            Ok(report) => assert_clean(&file, &format!("{} {report:?}", report.summary())),
            Err(err) => assert_clean(&file, &format!("{err} {err:?}")),
        }
        // The FFI has the fixture runner only with the `fixtures` feature.
        #[cfg(feature = "fixtures")]
        {
            let source = rekindle::ffi::FixtureSource {
                name: "f.json".into(),
                json: file.clone(),
            };
            match ffi.run_fixtures(vec![source]) {
                Ok(report) => assert_clean(&file, &rekindle::ffi::fixture_summary(report)),
                Err(err) => assert_clean(&file, &format!("{err} {err:?}")),
            }
        }
    }
}

/// Packs whose conditions compare answers and facts with the sentinel.
fn hostile_packs() -> Vec<String> {
    let s = SENTINEL;
    let mut packs = Vec::new();
    for when in [
        json!({"answer": "q_misunderstandings", "is": s}),
        json!({"answer": "q_misunderstandings", "in": ["often", s]}),
        json!({"answer": "q_safety_fear", "is": s}),
        json!({"answer": "q_overall_closeness", "is": s}),
        json!({"answer": "q_overall_closeness", "gt": NUMBER}),
        json!({"context": "married", "is": s}),
        json!({"context": "married", "in": [s]}),
        json!({"answer": "q_misunderstandings", "is": [s]}),
        json!({"answer": "q_misunderstandings", "is": {"k": s}}),
    ] {
        let mut pack: Json = serde_json::from_str(DEFAULT_PACK_JSON).expect("JSON");
        pack["rules"][1]["when"] = when;
        packs.push(pack.to_string());
    }
    packs
}

#[test]
fn pack_errors_never_repeat_a_compared_value() {
    for pack in hostile_packs() {
        let err = Engine::from_json(&pack).expect_err("refused");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(SENTINEL), "pack error repeats a value: {text}");
        if let Err(err) = rekindle::ffi::Engine::from_json(pack.clone()) {
            assert!(!format!("{err}").contains(SENTINEL));
        }
    }
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rekindle-sentinel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

fn cli(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_rekindle"))
        .args(args)
        .output()
        .expect("the rekindle binary runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_command_line_never_prints_a_value() {
    for (i, case) in hostile_responses().iter().enumerate() {
        let path = temp_file(&format!("answers{i}.json"), case);
        let out = cli(&["assess", path.to_str().expect("a UTF-8 path")]);
        assert_clean(case, &out);
    }
    for (i, file) in fixture_files().iter().enumerate().step_by(3) {
        let path = temp_file(&format!("fixtures{i}.json"), file);
        let out = cli(&["test", "default", path.to_str().expect("a UTF-8 path")]);
        assert_clean(file, &out);
    }
    for (i, pack) in hostile_packs().iter().enumerate() {
        let path = temp_file(&format!("pack{i}.json"), pack);
        let out = cli(&["check", path.to_str().expect("a UTF-8 path")]);
        assert!(!out.contains(SENTINEL), "check printed a value: {out}");
    }
}
