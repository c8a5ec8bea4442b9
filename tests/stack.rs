//! Every public function works on a 128 KiB thread stack (musl's default
//! for new threads, and less than iOS and Android give), with ordinary and
//! with hostile input, in debug and in optimised builds:
//! `cargo test --test stack` and `cargo test --release --test stack`.
//!
//! A stack overflow aborts the whole test process, so a regression cannot
//! pass quietly.

use rekindle::fixtures::{parse_fixture_file, run_fixture_json};
use rekindle::pack::Condition;
use rekindle::{Engine, Pack, PackError, ProblemKind, Responses, TraceDetail, DEFAULT_PACK_JSON};
use serde_json::{json, Value as Json};

const STACK: usize = 128 * 1024;

/// Runs `f` on a thread with a 128 KiB stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("thread spawns")
        .join()
        .expect("no panic")
}

fn with_condition(condition: &str) -> String {
    let mut pack: Json = serde_json::from_str(DEFAULT_PACK_JSON).expect("JSON");
    pack["rules"][0]["when"] = json!("@@");
    serde_json::to_string(&pack)
        .expect("serialises")
        .replacen("\"@@\"", condition, 1)
}

/// `levels` conditions, each the only entry of an `all` or `at_least` (or
/// the inner of a `not`) around the next, ending in a leaf that holds for
/// `ANSWERS` (an even count of `not`s keeps it true).
fn nested(levels: usize, combinator: &str) -> String {
    let (open, close) = match combinator {
        "all" => ("{\"all\":[", "]}"),
        "not" => ("{\"not\":", "}"),
        _ => ("{\"at_least\":1,\"of\":[", "]}"),
    };
    let leaf = "{\"answer\":\"q_misunderstandings\",\"in\":[\"often\",\"always\"]}";
    format!("{}{leaf}{}", open.repeat(levels - 1), close.repeat(levels - 1))
}

const ANSWERS: &str = r#"{"answers": {"q_misunderstandings": "often", "q_overall_closeness": 3}, "context": {"married": true}}"#;

#[test]
fn ordinary_use_of_every_public_function() {
    on_small_stack(|| {
        let engine = Engine::from_json(DEFAULT_PACK_JSON).expect("loads");
        let _ = Engine::from_slice(DEFAULT_PACK_JSON.as_bytes()).expect("loads");
        let pack: Pack = serde_json::from_str(DEFAULT_PACK_JSON).expect("parses");
        let _ = Engine::from_pack(pack).expect("loads");
        let embedded = Engine::embedded();
        let _ = embedded.info();
        let _ = embedded.focus_area("active_listening");
        let _ = embedded.activity("intimacy_trust", 1);
        let plan = engine.assess_json(ANSWERS).expect("assessed");
        assert!(!plan.trace.fired.is_empty());
        let responses: Responses = serde_json::from_str(ANSWERS).expect("parses");
        let _ = engine
            .assess_with(&responses, TraceDetail::RulesOnly)
            .expect("assessed");
        let _ = serde_json::to_string(&plan).expect("serialises");
        let fixtures = include_str!("../rules/fixtures/personas.json");
        let report = run_fixture_json(&engine, [("personas.json", fixtures)]).expect("runs");
        assert!(report.all_passed(), "{report}");
        let _ = parse_fixture_file("personas.json", fixtures).expect("parses");
        // Couple mode, progress over time and lint.
        let couple = include_str!("../rules/fixtures/couple.json");
        let report = run_fixture_json(&engine, [("couple.json", couple)]).expect("runs");
        assert!(report.all_passed(), "{report}");
        let progress = include_str!("../rules/fixtures/progress.json");
        let report = run_fixture_json(&engine, [("progress.json", progress)]).expect("runs");
        assert!(report.all_passed(), "{report}");
        let json =
            r#"{"a": {"q_unresolved": "often", "q_safety_fear": true}, "b": {"q_unresolved": "always"}}"#;
        let plan = engine.assess_couple_json(json).expect("assessed");
        let couple: rekindle::CoupleResponses = serde_json::from_str(json).expect("parses");
        let _ = engine.trace_couple(&couple).expect("traced");
        let snapshots = plan.snapshots("2026-11-01", Some(3)).expect("a date");
        let single = engine.assess(&responses).expect("assessed");
        let snapshot = single.snapshot("2026-11-01", None).expect("a date");
        let _ = engine.compare_snapshots(&snapshot, &snapshot).expect("compared");
        let later = Responses {
            date: Some("2026-11-27".into()),
            previous: vec![snapshot],
            ..responses
        };
        assert!(engine.assess(&later).expect("assessed").progress.is_some());
        let again = rekindle::CoupleResponses {
            previous_shared: vec![snapshots.shared],
            previous_a: vec![snapshots.a],
            ..couple
        };
        let _ = engine.assess_couple(&again).expect("assessed");
        let _ = engine.lint();
    });
}

#[test]
fn the_ffi_surface() {
    on_small_stack(|| {
        let engine = rekindle::ffi::Engine::from_json(rekindle::ffi::default_pack_json()).expect("loads");
        let _ = engine.questionnaire();
        let _ = engine.info();
        let _ = engine.rule_ids();
        let _ = engine.assess_json_to_json(ANSWERS.to_owned()).expect("assessed");
        assert!(engine.assess_json("{\"answers\": 1}".to_owned()).is_err());
        assert!(rekindle::ffi::Engine::from_json("[".repeat(100_000)).is_err());
        let json = r#"{"a": {"q_blame": "often"}, "b": {"q_blame": "never"}}"#.to_owned();
        let plan = engine.assess_couple_json(json.clone()).expect("assessed");
        let _ = engine.assess_couple_json_to_json(json).expect("assessed");
        let _ = rekindle::ffi::couple_snapshots(plan, "2026-11-01".into(), None).expect("a date");
    });
}

/// The deepest conditions allowed, in `all` lists, `not`s and `at_least`
/// lists: 16 levels, whose parse (in a debug build especially) is the
/// deepest recursion of the library.
#[test]
fn the_deepest_conditions_allowed_load_and_fire() {
    deep_conditions_load_and_fire(16);
}

fn deep_conditions_load_and_fire(depth: usize) {
    // An even count of `not`s around the leaf keeps the rule firing.
    let nots = if depth % 2 == 1 { depth } else { depth - 1 };
    for (combinator, levels) in [("all", depth), ("not", nots), ("at_least", depth)] {
        let json = with_condition(&nested(levels, combinator));
        let fired = on_small_stack(move || {
            let engine = Engine::from_json(&json).expect("16 levels load");
            let plan = engine.assess_json(ANSWERS).expect("assessed");
            let rule = engine.rule_ids().next().expect("a rule").to_owned();
            let _ = serde_json::to_string(&plan).expect("serialises");
            plan.trace.fired.iter().any(|f| f.rule == rule)
        });
        assert!(fired, "{combinator}: the deep rule fires");
    }
}

#[test]
fn hostile_nesting_is_refused_without_overflow() {
    on_small_stack(|| {
        // Up to the JSON nesting allowed (36 levels, 24 of objects: 17
        // levels of `all`, 22 of `not`), parsed and then refused; past it,
        // refused before parsing.
        for depth in [17, 22, 23, 32, 40, 1_000, 100_000] {
            for combinator in ["all", "not"] {
                let result = Engine::from_json(&with_condition(&nested(depth, combinator)));
                let err = result.expect_err("refused");
                assert!(matches!(err.tag(), "syntax" | "invalid"), "{depth}: {err:?}");
            }
        }
        // A compared value nested to the JSON depth allowed.
        let deep = format!("{}1{}", "[".repeat(31), "]".repeat(31));
        let json = with_condition(&format!("{{\"answer\":\"q_misunderstandings\",\"is\":{deep}}}"));
        assert_eq!(Engine::from_json(&json).expect_err("refused").tag(), "invalid");
        let engine = Engine::embedded();
        for depth in [5, 1_000, 100_000] {
            let answers = format!("{{\"answers\":{{\"q_misunderstandings\":{}", "[".repeat(depth));
            assert_eq!(engine.assess_json(&answers).expect_err("refused").tag(), "syntax");
            let fixture = format!(
                "{{\"format\":1,\"fixtures\":[{{\"name\":\"x\",\"answers\":{}}}]}}",
                "{\"a\":".repeat(depth)
            );
            assert!(parse_fixture_file("deep.json", &fixture).is_err());
        }
    });
}

/// A condition `depth` levels of `not` deep, built without recursion.
fn deep_not(depth: usize) -> Condition {
    let mut cond = Condition {
        answered: Some("q_misunderstandings".into()),
        ..Condition::default()
    };
    for _ in 0..depth {
        cond = Condition {
            not: Some(Box::new(cond)),
            ..Condition::default()
        };
    }
    cond
}

/// A condition whose `is` value is `depth` arrays deep.
fn deep_value(depth: usize) -> Condition {
    let mut value = Json::from(1);
    for _ in 0..depth {
        value = Json::Array(vec![value]);
    }
    Condition {
        answer: Some("q_misunderstandings".into()),
        is: Some(value),
        ..Condition::default()
    }
}

#[test]
fn packs_built_in_code_are_measured_before_hashing_or_dropping() {
    for (name, when) in [
        ("not", deep_not(40_000)),
        ("value", deep_value(40_000)),
        ("18 nots", deep_not(18)),
        ("22 nots", deep_not(22)),
        ("23 nots", deep_not(23)),
        ("32 nots", deep_not(32)),
    ] {
        let mut pack: Pack = serde_json::from_str(DEFAULT_PACK_JSON).expect("parses");
        pack.rules[0].when = when;
        let err = on_small_stack(move || Engine::from_pack(pack).map(|_| ()).expect_err("refused"));
        match err {
            PackError::Invalid { problems } => {
                assert_eq!(problems[0].kind, ProblemKind::TooDeep, "{name}");
                assert!(problems[0].path.starts_with("rules[0].when"), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}
