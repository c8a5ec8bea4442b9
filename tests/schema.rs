//! The committed JSON Schemas under `rules/schema/` are the ones generated
//! from the pack and fixture models, and every pack and fixture file in the
//! repository validates against them.
//!
//! After changing the pack or fixture model, regenerate them with
//!
//! ```text
//! cargo run --features schema -- schema pack > rules/schema/pack.schema.json
//! cargo run --features schema -- schema fixtures > rules/schema/fixture.schema.json
//! ```
#![cfg(feature = "schema")]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

const REGENERATE: &str = "regenerate the committed schemas with\n  \
    cargo run --features schema -- schema pack > rules/schema/pack.schema.json\n  \
    cargo run --features schema -- schema fixtures > rules/schema/fixture.schema.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn committed(name: &str) -> Value {
    read_json(&root().join("rules/schema").join(name))
}

fn generated_pack() -> Value {
    rekindle::schema::pack()
}

fn generated_fixtures() -> Value {
    rekindle::schema::fixtures()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("the schema itself is invalid: {e}"))
}

/// Every validation error, one per line with its JSON pointer.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("at {}: {e}", e.instance_path))
        .collect()
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn committed_pack_schema_is_generated_from_the_model() {
    assert!(
        committed("pack.schema.json") == generated_pack(),
        "rules/schema/pack.schema.json is out of date; {REGENERATE}"
    );
}

#[test]
fn committed_fixture_schema_is_generated_from_the_model() {
    assert!(
        committed("fixture.schema.json") == generated_fixtures(),
        "rules/schema/fixture.schema.json is out of date; {REGENERATE}"
    );
}

#[test]
fn the_schemas_are_valid_json_schemas() {
    for name in ["pack.schema.json", "fixture.schema.json"] {
        let schema = committed(name);
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("{name} is not a valid JSON Schema: {e}");
        }
    }
}

#[test]
fn every_pack_in_the_repository_validates() {
    let validator = validator(&committed("pack.schema.json"));
    let packs = json_files(&root().join("rules"));
    assert!(!packs.is_empty(), "no packs found under rules/");
    for path in packs {
        let pack = read_json(&path);
        let problems = errors(&validator, &pack);
        assert!(
            problems.is_empty(),
            "{} does not match the pack schema:\n{}",
            path.display(),
            problems.join("\n")
        );
    }
    let default = read_json(&root().join("rules/default.json"));
    assert_eq!(
        default.get("$schema").and_then(Value::as_str),
        Some("schema/pack.schema.json"),
        "rules/default.json should point editors at the schema"
    );
}

#[test]
fn every_fixture_file_in_the_repository_validates() {
    let validator = validator(&committed("fixture.schema.json"));
    let files = json_files(&root().join("rules/fixtures"));
    assert!(!files.is_empty(), "no fixture files found under rules/fixtures/");
    for path in files {
        let file = read_json(&path);
        let problems = errors(&validator, &file);
        assert!(
            problems.is_empty(),
            "{} does not match the fixture schema:\n{}",
            path.display(),
            problems.join("\n")
        );
    }
}

/// The default pack with its first rule's condition replaced.
fn pack_with_condition(condition: Value) -> Value {
    let mut pack: Value =
        serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("the default pack is JSON");
    pack["rules"][0]["when"] = condition;
    pack
}

#[test]
fn every_condition_form_is_accepted() {
    let validator = validator(&committed("pack.schema.json"));
    let forms = [
        json!({"all": []}),
        json!({"any": [{"answered": "q_blame"}]}),
        json!({"not": {"unanswered": "q_blame"}}),
        json!({"at_least": 2, "of": [{"answer": "q_blame", "is": "often"}, {"score": "conflict", "gte": 50}]}),
        json!({"score": "conflict", "lt": 25}),
        json!({"band": "conflict", "in": ["moderate", "high"]}),
        json!({"answer": "q_safety_fear", "is": true}),
        json!({"answer": "q_blame", "gte": 3}),
        json!({"context": "married", "is": false}),
        json!({"all": [{"any": [{"not": {"band": "trust", "is": "high"}}]}]}),
    ];
    for form in forms {
        let problems = errors(&validator, &pack_with_condition(form.clone()));
        assert!(
            problems.is_empty(),
            "{form} was rejected:\n{}",
            problems.join("\n")
        );
    }
}

#[test]
fn malformed_conditions_are_rejected_where_they_are() {
    let validator = validator(&committed("pack.schema.json"));
    let bad = [
        // Two subjects.
        json!({"score": "conflict", "band": "conflict", "is": "high"}),
        // Two operators.
        json!({"score": "conflict", "gt": 1, "lt": 5}),
        // No operator.
        json!({"score": "conflict"}),
        // An operator that does not fit the subject.
        json!({"score": "conflict", "is": "high"}),
        // at_least without of, and of without at_least.
        json!({"at_least": 1}),
        json!({"of": []}),
        // An unknown key.
        json!({"answer": "q_blame", "equals": "often"}),
        // answered takes nothing else.
        json!({"answered": "q_blame", "is": true}),
        // A nested mistake.
        json!({"all": [{"any": [{"band": "trust", "in": []}]}]}),
    ];
    for form in bad {
        let problems = errors(&validator, &pack_with_condition(form.clone()));
        assert!(!problems.is_empty(), "{form} was accepted");
        assert!(
            problems.iter().any(|p| p.contains("/rules/0/when")),
            "{form}: errors should point into the condition:\n{}",
            problems.join("\n")
        );
    }
}

#[test]
fn answers_in_fixtures_are_strings_numbers_or_booleans() {
    let validator = validator(&committed("fixture.schema.json"));
    let good = json!({"format": 1, "fixtures": [{
        "name": "n", "answers": {"q_blame": "often", "q_overall_closeness": 7, "q_safety_fear": false},
        "context": {"married": true},
        "expect": {"challenge": null, "bands": {"trust": null}, "scores": {"conflict": 50}}
    }, {
        "name": "couple", "a": {"q_blame": "often"}, "b": {"q_blame": "never"},
        "context": {"married": true},
        "expect": {"therapy": "none"}, "expect_a": {"safety": false}, "expect_b": {"bands": {"conflict": null}}
    }]});
    let problems = errors(&validator, &good);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for bad in [
        json!({"format": 1, "fixtures": [{"name": "n", "answers": {"q_blame": ["often"]}}]}),
        json!({"format": 1, "fixtures": [{"name": "n", "context": {"married": null}}]}),
        json!({"format": 1, "fixtures": [{"name": "n", "expect": {"focus_first": ["x"]}}]}),
        json!({"format": 1, "fixtures": [{"answers": {}}]}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad} was accepted");
    }
}
