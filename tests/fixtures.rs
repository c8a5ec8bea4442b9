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
