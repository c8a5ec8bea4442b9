//! Invalid packs: each case in `tests/data/invalid-packs.json` edits a valid
//! minimal pack and lists exactly the problems (kind and JSON path) that
//! compilation must report. Messages users read are pinned in a table below.

use rekindle::{Engine, Limits, PackError, ProblemKind};
use serde_json::Value;

const MINIMAL: &str = include_str!("data/minimal-pack.json");
const CASES: &str = include_str!("data/invalid-packs.json");

/// Splits `rules[1].when.of[0]` into keys and indexes.
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                out.push(Step::Key(rest[..open].to_owned()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').expect("closing bracket");
                out.push(Step::Index(stripped[..close].parse().expect("index")));
                rest = &stripped[close + 1..];
            }
        } else {
            out.push(Step::Key(rest.to_owned()));
        }
    }
    out
}

/// Sets the value at `path`, creating the last object key if needed.
fn set(root: &mut Value, path: &str, value: Value) {
    let steps = steps(path);
    let (last, parents) = steps.split_last().expect("non-empty path");
    let mut node = root;
    for step in parents {
        node = match step {
            Step::Key(key) => node
                .get_mut(key.as_str())
                .unwrap_or_else(|| panic!("{path}: no key {key}")),
            Step::Index(i) => node.get_mut(*i).unwrap_or_else(|| panic!("{path}: no index {i}")),
        };
    }
    match last {
        Step::Key(key) => {
            node.as_object_mut().expect("object").insert(key.clone(), value);
        }
        Step::Index(i) => node[*i] = value,
    }
}

fn limits(overrides: Option<&Value>) -> Limits {
    let mut limits = Limits::default();
    for (key, value) in overrides.and_then(Value::as_object).into_iter().flatten() {
        let n = value.as_u64().expect("numeric limit") as usize;
        match key.as_str() {
            "max_rules" => limits.max_rules = n,
            "max_text_bytes" => limits.max_text_bytes = n,
            "max_questions" => limits.max_questions = n,
            "max_condition_depth" => limits.max_condition_depth = n,
            other => panic!("unknown limit {other}"),
        }
    }
    limits
}

#[test]
fn the_minimal_pack_is_valid() {
    Engine::from_json(MINIMAL).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_invalid_pack_reports_exactly_its_problems() {
    let cases: Value = serde_json::from_str(CASES).expect("cases parse");
    let cases = cases["cases"].as_array().expect("cases list");
    assert!(cases.len() >= 25, "the corpus should keep at least 25 cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let mut pack: Value = serde_json::from_str(MINIMAL).expect("minimal pack parses");
        for (path, value) in case["set"].as_object().into_iter().flatten() {
            set(&mut pack, path, value.clone());
        }
        let mut expected: Vec<(String, String)> = case["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|pair| {
                let kind = pair[0].as_str().expect("kind");
                assert!(
                    ProblemKind::from_tag(kind).is_some(),
                    "{name}: unknown kind {kind}"
                );
                (kind.to_owned(), pair[1].as_str().expect("path").to_owned())
            })
            .collect();
        expected.sort();
        let json = serde_json::to_string(&pack).expect("serialises");
        let mut actual: Vec<(String, String)> =
            match Engine::from_json_with_limits(&json, &limits(case.get("limits"))) {
                Ok(_) => Vec::new(),
                Err(PackError::Invalid { problems }) => problems
                    .iter()
                    .map(|p| (p.kind.tag().to_owned(), p.path.clone()))
                    .collect(),
                Err(other) => vec![(other.tag().to_owned(), other.to_string())],
            };
        actual.sort();
        if actual != expected {
            failures.push(format!("{name}:\n  expected {expected:?}\n  actual   {actual:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn conditions_nested_past_the_limit_are_too_deep() {
    let mut pack: Value = serde_json::from_str(MINIMAL).unwrap();
    let mut cond = serde_json::json!({"context": "married", "is": true});
    for _ in 0..20 {
        cond = serde_json::json!({ "not": cond });
    }
    pack["rules"][0]["when"] = cond;
    let err = Engine::from_json(&pack.to_string()).unwrap_err();
    let problems = err.problems();
    assert_eq!(problems.len(), 1, "{err}");
    assert_eq!(problems[0].kind, ProblemKind::TooDeep);
    assert_eq!(problems[0].path, format!("rules[0].when{}", ".not".repeat(16)));
}

#[test]
fn the_pack_format_is_checked_before_the_shape() {
    let err = Engine::from_json(r#"{"format": 2, "questions": "a different shape"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "pack format 2 is not supported; this build reads format 1"
    );
}

/// The messages rule authors read, exactly.
#[test]
fn messages_point_at_the_problem() {
    let edit = |path: &str, value: Value| {
        let mut pack: Value = serde_json::from_str(MINIMAL).unwrap();
        set(&mut pack, path, value);
        Engine::from_json(&pack.to_string()).unwrap_err().to_string()
    };
    let table = [
        (
            edit("rules[1].id", "listen_more".into()),
            "1 problem in pack\n  rules[1].id: duplicate id \"listen_more\", first defined at rules[0].id [duplicate_id]",
        ),
        (
            edit("rules[1].when.of[0].answer", "q_99".into()),
            "1 problem in pack\n  rules[1].when.of[0].answer: unknown question \"q_99\" [unknown_reference]",
        ),
        (
            edit("dimensions[0].bands[1].min", 60.into()),
            "1 problem in pack\n  dimensions[0].bands[1].min: band starts at 60 leaving a gap after \
             dimensions[0].bands[0], which ends at 50 [band_gap]",
        ),
        (
            edit("rules[1].when.at_least", 3.into()),
            "1 problem in pack\n  rules[1].when.at_least: at_least is 3 but \"of\" lists only 2 conditions \
             [at_least_too_large]",
        ),
    ];
    for (actual, expected) in table {
        assert_eq!(actual, expected);
    }
    let shape = Engine::from_json(&MINIMAL.replacen("\"reverse\": true", "\"revers\": true", 1)).unwrap_err();
    assert_eq!(
        shape.to_string(),
        "pack JSON at line 26, column 14: questions[1].revers: unknown field `revers`, expected one of \
         `id`, `section`, `prompt`, `help`, `answer`, `reverse`, `private`"
    );
    // The path of a missing field is the object that lacks it.
    let mut pack: serde_json::Value = serde_json::from_str(MINIMAL).expect("minimal pack");
    pack["rules"][1]["then"]
        .as_object_mut()
        .expect("effects")
        .remove("reason");
    match Engine::from_json(&serde_json::to_string_pretty(&pack).expect("JSON")).unwrap_err() {
        rekindle::PackError::Syntax { path, message, .. } => {
            assert_eq!(
                (path.as_str(), message.as_str()),
                ("rules[1].then", "missing field `reason`")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut pack: Value = serde_json::from_str(MINIMAL).unwrap();
    set(&mut pack, "rules[1].id", "listen_more".into());
    set(&mut pack, "rules[0].then.focus.listening", 1000.into());
    set(&mut pack, "dimensions[0].bands[1].min", 40.into());
    let err = Engine::from_json(&pack.to_string()).unwrap_err();
    let kinds: Vec<ProblemKind> = err.problems().iter().map(|p| p.kind).collect();
    assert_eq!(kinds.len(), 3, "{err}");
    assert!(kinds.contains(&ProblemKind::DuplicateId));
    assert!(kinds.contains(&ProblemKind::InvalidNumber));
    assert!(kinds.contains(&ProblemKind::BandOverlap));
}

#[test]
fn duplicate_keys_in_effect_weights_are_refused() {
    let json = MINIMAL.replacen(
        "\"focus\": {\"listening\": 2}",
        "\"focus\": {\"listening\": 2, \"listening\": -2}",
        1,
    );
    let err = Engine::from_json(&json).unwrap_err();
    assert_eq!(err.tag(), "syntax");
    assert!(err.to_string().contains("duplicate key `listening`"), "{err}");
}

#[test]
fn no_limit_raises_options_past_64() {
    let mut pack: Value = serde_json::from_str(MINIMAL).unwrap();
    let options: Vec<Value> = (0..100)
        .map(|i| serde_json::json!({"value": format!("o{i}"), "label": "o", "weight": i}))
        .collect();
    pack["questions"][0]["answer"]["options"] = Value::Array(options);
    pack["rules"][1]["when"]["of"][0]["is"] = "o99".into();
    let limits = Limits {
        max_options: 1_000,
        ..Limits::default()
    };
    let err = Engine::from_json_with_limits(&pack.to_string(), &limits).unwrap_err();
    let found: Vec<(&str, &str)> = err
        .problems()
        .iter()
        .map(|p| (p.kind.tag(), p.path.as_str()))
        .collect();
    assert!(
        found.contains(&("too_large", "questions[0].answer.options")),
        "{err}"
    );
}
