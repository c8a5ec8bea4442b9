//! Runs every fixture file under `rules/fixtures/` against the embedded pack.
//!
//! `REKINDLE_FIXTURE=rules/fixtures/safety.json cargo test --test fixtures`
//! runs one file (and skips the coverage check, which needs them all).

use std::path::{Path, PathBuf};

use rekindle::fixtures::{parse_fixture_file, run_fixtures, FixtureFile};
use rekindle::Engine;

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Ok(one) = std::env::var("REKINDLE_FIXTURE") {
        return vec![root.join(one)];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("rules/fixtures"))
        .expect("rules/fixtures exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn load() -> Vec<(String, FixtureFile)> {
    fixture_files()
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap_or(&path)
                .display()
                .to_string();
            let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let file = parse_fixture_file(&name, &json).unwrap_or_else(|e| panic!("{e}"));
            (name, file)
        })
        .collect()
}

#[test]
fn every_fixture_passes() {
    let files = load();
    assert!(!files.is_empty(), "no fixture files found");
    let report = run_fixtures(
        &Engine::embedded(),
        files
            .iter()
            .map(|(name, file)| (name.as_str(), file.fixtures.as_slice())),
    );
    println!("{report}");
    assert!(report.all_passed(), "\n{report}");
    assert!(report.passed > 0, "no fixtures ran");
}

#[test]
fn every_rule_is_fired_by_some_fixture() {
    if std::env::var("REKINDLE_FIXTURE").is_ok() {
        return;
    }
    let files = load();
    let report = run_fixtures(
        &Engine::embedded(),
        files
            .iter()
            .map(|(name, file)| (name.as_str(), file.fixtures.as_slice())),
    );
    assert!(
        report.unfired_rules.is_empty(),
        "rules no fixture fires: {}",
        report.unfired_rules.join(", ")
    );
}

#[test]
fn fixture_names_are_unique() {
    let files = load();
    let mut seen = std::collections::HashMap::new();
    for (file, fixtures) in &files {
        for fixture in &fixtures.fixtures {
            if let Some(first) = seen.insert(fixture.name.clone(), file.clone()) {
                panic!("fixture {:?} in {file} repeats a name from {first}", fixture.name);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Problems with the fixtures themselves, each at its JSON path.

fn run(json: &serde_json::Value) -> rekindle::FixtureReport {
    rekindle::fixtures::run_fixture_json(&Engine::embedded(), [("mine.json", json.to_string().as_str())])
        .expect("a fixture file")
}

/// Every failure's path and its actual text, fixture by fixture.
fn failures(report: &rekindle::FixtureReport) -> Vec<Vec<(String, String)>> {
    report
        .outcomes
        .iter()
        .map(|o| {
            o.failures
                .iter()
                .map(|f| (f.expectation.clone(), f.actual.clone()))
                .collect()
        })
        .collect()
}

fn paths(failures: &[(String, String)]) -> Vec<&str> {
    let mut paths: Vec<&str> = failures.iter().map(|(p, _)| p.as_str()).collect();
    paths.sort_unstable();
    paths
}

#[test]
fn every_id_an_expectation_names_is_checked_against_the_pack() {
    let answers = serde_json::json!({"q_misunderstandings": "always"});
    let report = run(&serde_json::json!({"format": 1, "fixtures": [
        {"name": "single", "answers": answers, "expect": {
            "fired": ["baseline_plan", "no_such_rule"],
            "not_fired": ["no_such_rule"],
            "focus_top": ["no_such_area"],
            "focus_includes": ["no_such_area"],
            "focus_excludes": ["no_such_area"],
            "challenge": "no_such_challenge",
            "phase": "no_such_phase",
            "therapy": "no_such_level",
            "bands": {"communication": "very_high", "no_such_dim": "low"},
            "scores": {"no_such_dim": 1},
            "raw": {"no_such_dim": 1},
            "progress": {"no_such_dim": "better", "communication": "improved"}}},
        {"name": "phase of another challenge", "answers": answers,
         "expect": {"challenge": "intimacy", "phase": "sex_talk"}},
        {"name": "error kind", "answers": answers, "expect": {"error": "no_such_kind"}},
        {"name": "couple", "a": answers, "b": answers,
         "expect": {"fired": ["no_such_rule"], "bands": {"conflict": "very_low"}},
         "expect_a": {"bands": {"communication": "very_high"}, "challenge": "intimacy",
                      "phase": "intimacy_trust", "error": "unknown_option"},
         "expect_b": {"focus_includes": ["no_such_area"], "therapy": "no_such_level"}},
    ]}));
    let all = failures(&report);
    assert_eq!(
        paths(&all[0]),
        [
            "fixtures[0].expect.bands.communication",
            "fixtures[0].expect.bands.no_such_dim",
            "fixtures[0].expect.challenge",
            "fixtures[0].expect.fired[1]",
            "fixtures[0].expect.focus_excludes[0]",
            "fixtures[0].expect.focus_includes[0]",
            "fixtures[0].expect.focus_top[0]",
            "fixtures[0].expect.not_fired[0]",
            "fixtures[0].expect.phase",
            "fixtures[0].expect.progress.communication",
            "fixtures[0].expect.progress.no_such_dim",
            "fixtures[0].expect.raw.no_such_dim",
            "fixtures[0].expect.scores.no_such_dim",
            "fixtures[0].expect.therapy",
        ],
        "{report}"
    );
    // Reported once, as not being the pack's, and not checked again.
    for (path, actual) in &all[0] {
        assert!(actual.starts_with("unknown "), "{path}: {actual}");
    }
    let band = report.outcomes[0]
        .failures
        .iter()
        .find(|f| f.expectation == "fixtures[0].expect.bands.communication")
        .expect("the unknown band");
    assert_eq!(
        band.expected,
        "a band of communication: [low, moderate, high] (null: score absent)"
    );
    assert_eq!(band.actual, "unknown band \"very_high\"");

    assert_eq!(paths(&all[1]), ["fixtures[1].expect.phase"], "{report}");
    assert!(all[1][0].1.contains("sex"), "{report}");
    assert_eq!(
        all[2],
        [(
            "fixtures[2].expect.error".to_owned(),
            "unknown problem kind \"no_such_kind\"".to_owned()
        )]
    );
    assert_eq!(
        paths(&all[3]),
        [
            "fixtures[3].expect.bands.conflict",
            "fixtures[3].expect.fired[0]",
            "fixtures[3].expect_a.bands.communication",
            "fixtures[3].expect_a.challenge",
            "fixtures[3].expect_a.error",
            "fixtures[3].expect_a.phase",
            "fixtures[3].expect_b.focus_includes[0]",
            "fixtures[3].expect_b.therapy",
        ],
        "{report}"
    );
    // The summary names each path.
    assert!(report
        .summary()
        .contains("  fixtures[0].expect.bands.communication: expected a band of communication"));
}

#[test]
fn a_repeated_name_is_a_problem_at_the_second_fixture() {
    let fixture = serde_json::json!({"name": "same", "expect": {"safety": false}});
    let other = serde_json::json!({"name": "other", "expect": {"safety": false}});
    let report = run(&serde_json::json!({"format": 1, "fixtures": [fixture, other, fixture]}));
    let all = failures(&report);
    assert!(all[0].is_empty() && all[1].is_empty(), "{report}");
    assert_eq!(
        all[2],
        [(
            "fixtures[2].name".to_owned(),
            "the name of fixtures[0]".to_owned()
        )]
    );
    // Names are unique within a file; another file may reuse one.
    let file = serde_json::json!({"format": 1, "fixtures": [fixture]}).to_string();
    let report = rekindle::fixtures::run_fixture_json(
        &Engine::embedded(),
        [("one.json", file.as_str()), ("two.json", file.as_str())],
    )
    .expect("runs");
    assert!(report.all_passed(), "{report}");
    // An empty or blank name names nothing.
    for name in ["", "  "] {
        let blank = serde_json::json!({"name": name, "expect": {"safety": false}});
        let report = run(&serde_json::json!({"format": 1, "fixtures": [blank]}));
        assert_eq!(
            failures(&report)[0],
            [("fixtures[0].name".to_owned(), "an empty name".to_owned())]
        );
    }
}

#[test]
fn a_fixture_that_expects_nothing_is_a_problem() {
    let answers = serde_json::json!({"q_misunderstandings": "always"});
    let report = run(&serde_json::json!({"format": 1, "fixtures": [
        {"name": "empty", "answers": answers, "expect": {}},
        {"name": "absent", "answers": answers},
        {"name": "empty lists", "answers": answers, "expect": {"fired": [], "bands": {}}},
        {"name": "couple, nothing", "a": answers, "b": answers, "expect_a": {}},
        {"name": "couple, one view", "a": answers, "b": answers, "expect_b": {"safety": false}},
        {"name": "rejected", "answers": {"q_misunderstandings": 3}, "expect": {"error": "wrong_type"}},
    ]}));
    let all = failures(&report);
    for (i, failures) in all.iter().enumerate().take(4) {
        assert_eq!(paths(failures), [format!("fixtures[{i}].expect")], "{report}");
    }
    assert!(report.outcomes[0].failures[0]
        .expected
        .contains("at least one expectation"));
    assert!(all[4].is_empty() && all[5].is_empty(), "{report}");
}

#[test]
fn a_rejected_answer_is_reported_at_its_key_without_its_value() {
    let report = run(&serde_json::json!({"format": 1, "fixtures": [
        {"name": "single", "answers": {"q_misunderstandings": "oftn", "q_no_such": "secret"},
         "context": {"no_such_fact": true}, "expect": {"safety": false}},
        {"name": "couple", "a": {"q_misunderstandings": "oftn"}, "b": {"q_blame": 99},
         "expect": {"safety": false}},
        {"name": "snapshot", "date": "2026-02-01",
         "previous": {"date": "2026-01-01", "scores": {"no_such_dim": 50}},
         "expect": {"safety": false}},
    ]}));
    let all = failures(&report);
    assert_eq!(
        paths(&all[0]),
        [
            "fixtures[0].answers.q_misunderstandings",
            "fixtures[0].answers.q_no_such",
            "fixtures[0].context.no_such_fact",
        ],
        "{report}"
    );
    assert_eq!(
        paths(&all[1]),
        ["fixtures[1].a.q_misunderstandings", "fixtures[1].b.q_blame"],
        "{report}"
    );
    assert_eq!(
        paths(&all[2]),
        ["fixtures[2].previous.scores.no_such_dim"],
        "{report}"
    );
    let summary = report.summary();
    assert!(
        summary.contains("expected accepted, got unknown_option"),
        "{summary}"
    );
    for value in ["oftn", "secret", "99"] {
        assert!(!summary.contains(value), "{value} in {summary}");
    }
}
