//! Hostile inputs: packs, answers and fixtures built to break the engine.
//!
//! Every case must end in a typed error (or a documented acceptance) within
//! bounded time and memory, and none may overflow the stack. Test threads
//! have 2 MiB stacks by default, which makes deep nesting a real stress.
//!
//! Each case is measured: a counting global allocator (per thread, so tests
//! running in parallel do not disturb each other) records the peak heap
//! growth, which must stay under 256 MiB, and the wall time is printed
//! (never asserted: `scripts/hostile-times.sh` runs the optimised suite
//! and checks that every case takes under a second).
//!
//! `cargo test --test hostile -- --nocapture` prints the figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Instant;

use rekindle::fixtures::run_fixture_json;
use rekindle::{
    AnswersError, Engine, Limits, Pack, PackError, ProblemKind, Responses, Value, DEFAULT_PACK_JSON,
};
use serde_json::{json, Value as Json};

// ---------------------------------------------------------------------------
// Measuring: a per-thread counting allocator.

struct Counting;

thread_local! {
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    // `try_with`: the thread-locals may already be gone while a thread exits.
    let _ = CURRENT.try_with(|current| {
        let now = current.get() + delta;
        current.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping touches only `const`-initialised thread-locals, which never
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize));
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as isize - layout.size() as isize);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Ceiling on peak heap growth while handling one hostile case.
const HEAP_CEILING: usize = 256 * 1024 * 1024;

/// Runs `f`, prints its cost and checks its heap against the ceiling.
fn bounded<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start_heap = CURRENT.with(Cell::get);
    PEAK.with(|peak| peak.set(start_heap));
    let start = Instant::now();
    let out = f();
    let elapsed = start.elapsed();
    let peak = (PEAK.with(Cell::get) - start_heap).max(0) as usize;
    println!(
        "case {what}: {:.1} ms, peak heap {:.1} MiB",
        elapsed.as_secs_f64() * 1e3,
        peak as f64 / (1024.0 * 1024.0)
    );
    assert!(
        peak < HEAP_CEILING,
        "{what} used {peak} bytes of heap at its peak"
    );
    out
}

// ---------------------------------------------------------------------------
// Building hostile packs.

fn default_pack() -> Json {
    serde_json::from_str(DEFAULT_PACK_JSON).expect("the default pack is JSON")
}

fn to_json(pack: &Json) -> String {
    serde_json::to_string(pack).expect("a JSON value serialises")
}

/// A pack that is the default one with its first rule's condition replaced.
fn with_condition(condition: &str) -> String {
    let mut pack = default_pack();
    pack["rules"][0]["when"] = json!("@@CONDITION@@");
    to_json(&pack).replacen("\"@@CONDITION@@\"", condition, 1)
}

/// `depth` nested `not`s around an `answered` leaf.
fn nested_nots(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 9 + 40);
    for _ in 0..depth {
        s.push_str("{\"not\":");
    }
    s.push_str("{\"answered\":\"q_misunderstandings\"}");
    for _ in 0..depth {
        s.push('}');
    }
    s
}

fn load(json: &str) -> Result<Engine, PackError> {
    Engine::from_slice(json.as_bytes())
}

fn problems_of(result: Result<Engine, PackError>) -> Vec<rekindle::Problem> {
    match result {
        Err(PackError::Invalid { problems }) => problems,
        Err(other) => panic!("expected an invalid pack, got {other:?}"),
        Ok(_) => panic!("expected an invalid pack, but it loaded"),
    }
}

fn has_problem(problems: &[rekindle::Problem], kind: ProblemKind, path: &str) -> bool {
    problems.iter().any(|p| p.kind == kind && p.path == path)
}

fn assert_syntax(result: Result<Engine, PackError>, needle: &str) {
    match result {
        Err(PackError::Syntax { message, .. }) => {
            assert!(
                message.contains(needle),
                "syntax message {message:?} lacks {needle:?}"
            );
        }
        Err(other) => panic!("expected a syntax error mentioning {needle:?}, got {other:?}"),
        Ok(_) => panic!("expected a syntax error mentioning {needle:?}, but the pack loaded"),
    }
}

// ---------------------------------------------------------------------------
// Deep nesting.

#[test]
fn condition_depth_just_within_the_limit_loads() {
    // The rule's `when` is depth 1; 15 `not`s and the leaf make 16.
    let engine = bounded("depth 16", || load(&with_condition(&nested_nots(15))));
    assert!(engine.is_ok(), "{:?}", engine.err());
}

#[test]
fn condition_depth_past_the_limit_is_too_deep_with_its_path() {
    let depth = Limits::default().max_condition_depth;
    let problems = problems_of(bounded("depth 17", || load(&with_condition(&nested_nots(depth)))));
    let path = format!("rules[0].when{}", ".not".repeat(depth));
    assert!(
        has_problem(&problems, ProblemKind::TooDeep, &path),
        "no too_deep at {path}: {problems:?}"
    );
}

#[test]
fn condition_depth_30_is_refused_before_parsing() {
    // Objects nest at most 16 + 8 levels: the pack, a rule, the deepest
    // condition allowed and a few more, so a `not` chain stays shallow.
    assert_eq!(Limits::default().max_json_object_depth(), 24);
    assert_syntax(
        bounded("depth 30", || load(&with_condition(&nested_nots(30)))),
        "24 levels of objects",
    );
}

#[test]
fn nesting_past_the_json_depth_is_a_syntax_error_before_parsing() {
    // The JSON depth allowed is 2 x 16 + 4: a 16-level condition inside
    // `all` lists with an `in` list fits, and nothing deeper is parsed.
    assert_eq!(Limits::default().max_json_depth(), 36);
    for depth in [33, 130, 1_000, 100_000] {
        let json = with_condition(&nested_nots(depth));
        assert_syntax(
            bounded(&format!("depth {depth}"), || load(&json)),
            "nested deeper than 36 levels",
        );
    }
}

#[test]
fn deeply_nested_arrays_anywhere_are_a_syntax_error() {
    // Nesting in places that take any JSON value or a list: deep enough to
    // pass the parser's limit, few enough to pass the container count.
    let open = "[".repeat(150_000);
    for json in [
        open.clone(),
        format!("{{\"format\":1,\"id\":{open}"),
        with_condition(&format!("{{\"answer\":\"q_misunderstandings\",\"in\":{open}")),
        with_condition(&format!("{{\"answer\":\"q_misunderstandings\",\"is\":{open}")),
    ] {
        let result = bounded("150k open brackets", || load(&json));
        assert_eq!(result.expect_err("refused").tag(), "syntax");
    }
    // Past the container count, the scan refuses them before parsing.
    let wide = format!("[{}[]]", "[],".repeat(300_000));
    let result = bounded("300k empty arrays", || load(&wide));
    assert_eq!(result.expect_err("refused").tag(), "too_complex");
}

#[test]
fn nested_values_in_is_within_the_json_depth_are_impossible_values() {
    // `is` takes any JSON value; a nested one parses and is then refused.
    let deep = format!("{}1{}", "[".repeat(20), "]".repeat(20));
    let json = with_condition(&format!("{{\"answer\":\"q_misunderstandings\",\"is\":{deep}}}"));
    let problems = problems_of(bounded("100-deep is", || load(&json)));
    assert!(
        has_problem(&problems, ProblemKind::ImpossibleValue, "rules[0].when.is"),
        "{problems:?}"
    );
}

#[test]
fn deeply_nested_answers_and_fixtures_are_syntax_errors() {
    let engine = Engine::embedded();
    for depth in [130, 100_000] {
        let answers = format!("{{\"answers\":{{\"q_misunderstandings\":{}", "[".repeat(depth));
        let err = bounded("deep answers", || engine.assess_json(&answers)).expect_err("refused");
        assert_eq!(err.tag(), "syntax");
        let fixture = format!(
            "{{\"format\":1,\"fixtures\":[{{\"name\":\"x\",\"answers\":{}}}]}}",
            "{\"a\":".repeat(depth)
        );
        let err = bounded("deep fixture", || {
            run_fixture_json(&engine, [("deep.json", fixture.as_str())])
        })
        .expect_err("refused");
        assert!(matches!(err, rekindle::FixtureError::Syntax { .. }), "{err:?}");
    }
}

// ---------------------------------------------------------------------------
// Size: bytes, arrays, strings, rule counts.

#[test]
fn a_pack_over_the_byte_limit_is_refused_before_parsing() {
    let limit = Limits::default().max_pack_bytes;
    // Not even JSON: refusal must not depend on parsing.
    let bytes = vec![b'['; limit + 1];
    let err = bounded("9 MiB of brackets", || Engine::from_slice(&bytes)).expect_err("refused");
    assert_eq!(
        err,
        PackError::TooLarge {
            size: (limit + 1) as u64,
            limit: limit as u64
        }
    );
    // The same through the `&str` entry point.
    let text = " ".repeat(limit + 1);
    let err = bounded("9 MiB of spaces", || Engine::from_json(&text)).expect_err("refused");
    assert_eq!(err.tag(), "too_large");
}

/// A small valid rule numbered `i`.
fn tiny_rule(i: usize) -> Json {
    json!({
        "id": format!("r{i}"),
        "when": {"answer": "q_misunderstandings", "is": "often"},
        "then": {"focus": {"active_listening": 1}, "reason": "r"}
    })
}

#[test]
fn millions_of_rules_are_refused_by_size() {
    // A million tiny rules take more than the byte limit, so they are
    // refused before a single rule is parsed.
    let mut json = with_condition("{\"all\":[]}");
    let rule = to_json(&tiny_rule(0));
    let extra = format!(",{rule}").repeat(1_000_000);
    let at = json.find("\"rules\":[").expect("rules") + "\"rules\":[".len();
    let first_end = at + json[at..].find("}},").expect("end of first rule") + 2;
    json.insert_str(first_end, &extra);
    let result = bounded("1M rules", || load(&json));
    assert_eq!(result.expect_err("refused").tag(), "too_large");
}

#[test]
fn rules_over_the_count_limit_are_too_large() {
    // As many rules as fit under the byte limit: more than max_rules.
    let limits = Limits::default();
    let mut pack = default_pack();
    let rules: Vec<Json> = (0..limits.max_rules + 1).map(tiny_rule).collect();
    pack["rules"] = Json::Array(rules);
    let json = to_json(&pack);
    assert!(json.len() < limits.max_pack_bytes);
    let problems = problems_of(bounded("20,001 rules", || load(&json)));
    assert!(
        has_problem(&problems, ProblemKind::TooLarge, "rules"),
        "{problems:?}"
    );
}

#[test]
fn the_most_rules_allowed_load() {
    let limits = Limits::default();
    let mut pack = default_pack();
    pack["rules"] = Json::Array((0..limits.max_rules).map(tiny_rule).collect());
    let json = to_json(&pack);
    let engine = bounded("20,000 rules", || load(&json)).expect("at the limit is allowed");
    assert_eq!(engine.rule_ids().count(), limits.max_rules);
}

/// A change made to the default pack.
type Mutation = Box<dyn Fn(&mut Json)>;

#[test]
fn huge_arrays_are_too_large_with_their_path() {
    let limits = Limits::default();
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "questions",
            Box::new(move |p: &mut Json| {
                let q = p["questions"][0].clone();
                p["questions"] = Json::Array(
                    (0..limits.max_questions + 1)
                        .map(|i| {
                            let mut q = q.clone();
                            q["id"] = json!(format!("q{i}"));
                            q
                        })
                        .collect(),
                );
            }),
        ),
        (
            "questions[0].answer.options",
            Box::new(|p: &mut Json| {
                p["questions"][0]["answer"]["options"] = Json::Array(
                    (0..1_000)
                        .map(|i| json!({"value": format!("o{i}"), "label": "o", "weight": i}))
                        .collect(),
                );
            }),
        ),
        (
            "focus_areas[0].practices",
            Box::new(|p: &mut Json| {
                p["focus_areas"][0]["practices"] = Json::Array(vec![json!("x"); 1_000_000]);
            }),
        ),
        (
            "context",
            Box::new(|p: &mut Json| {
                p["context"] = Json::Array(
                    (0..10_000)
                        .map(|i| json!({"id": format!("f{i}"), "label": "f", "kind": "bool"}))
                        .collect(),
                );
            }),
        ),
        (
            "rules[0].when",
            Box::new(|p: &mut Json| {
                // More condition nodes in one rule than allowed.
                p["rules"][0]["when"] = json!({"any": vec![json!({"answered": "q_blame"}); 100_000]});
            }),
        ),
    ];
    for (path, mutate) in cases {
        let mut pack = default_pack();
        mutate(&mut pack);
        let json = to_json(&pack);
        let problems = problems_of(bounded(&format!("huge {path}"), || load(&json)));
        assert!(
            has_problem(&problems, ProblemKind::TooLarge, path),
            "no too_large at {path}: {:?}",
            &problems[..problems.len().min(5)]
        );
    }
}

/// Heap bytes per byte of JSON while loading the densest pack the container
/// limit lets through: one list of empty condition objects. Each `{}` is
/// three bytes of JSON but a whole `Condition` struct once parsed.
const CONDITION_AMPLIFICATION_CEILING: usize = 256;

fn tiny_conditions(count: usize) -> String {
    let base = with_condition("{\"any\":[@@]}");
    base.replacen("@@", &vec!["{}"; count].join(","), 1)
}

/// Peak heap while loading, in bytes, and the result.
fn peak_while<T>(what: &str, f: impl FnOnce() -> T) -> (usize, T) {
    let start_heap = CURRENT.with(Cell::get);
    PEAK.with(|peak| peak.set(start_heap));
    let result = bounded(what, f);
    ((PEAK.with(Cell::get) - start_heap).max(0) as usize, result)
}

#[test]
fn many_tiny_conditions_are_refused_before_parsing() {
    // 1 MiB of `{}`: far more objects than `max_json_containers`, refused
    // by a scan that allocates nothing.
    let json = tiny_conditions(1024 * 1024 / 3);
    let (peak, result) = peak_while("1 MiB of {} conditions", || load(&json));
    assert_eq!(result.expect_err("refused").tag(), "too_complex");
    assert!(peak < 64 * 1024, "the scan took {peak} bytes of heap");
}

#[test]
fn the_densest_pack_within_the_container_limit_stays_within_memory() {
    let limit = Limits::default().max_json_containers;
    // The pack's own objects and arrays count too; leave room for them.
    let json = tiny_conditions(limit - 5_000);
    let (peak, result) = peak_while("densest allowed pack", || load(&json));
    let problems = problems_of(result);
    let per_byte = peak / json.len();
    println!(
        "  {per_byte} heap bytes per JSON byte, {} MiB peak; a condition is {} bytes",
        peak / (1024 * 1024),
        std::mem::size_of::<rekindle::pack::Condition>()
    );
    assert!(
        has_problem(&problems, ProblemKind::TooLarge, "rules[0].when"),
        "{:?}",
        &problems[..1]
    );
    assert!(
        per_byte <= CONDITION_AMPLIFICATION_CEILING,
        "{per_byte} bytes of heap per byte of JSON"
    );
}

#[test]
fn many_invalid_items_stay_within_memory() {
    // About 8 MiB of empty practices: every one is a problem to report.
    let limit = Limits::default().max_pack_bytes;
    let mut pack = default_pack();
    pack["focus_areas"][0]["practices"] = json!("@@");
    let base = to_json(&pack);
    let room = limit - base.len();
    let list = format!("[{}]", vec!["\"\""; room / 3].join(","));
    let json = base.replacen("\"@@\"", &list, 1);
    let problems = problems_of(bounded("8 MiB of empty practices", || load(&json)));
    assert!(
        has_problem(&problems, ProblemKind::TooLarge, "focus_areas[0].practices"),
        "{:?}",
        &problems[..1]
    );
}

#[test]
fn enormous_strings_are_too_large_or_invalid_ids() {
    let limits = Limits::default();
    let big = "x".repeat(7 * 1024 * 1024);
    let mut pack = default_pack();
    pack["questions"][0]["prompt"] = json!(big);
    let problems = problems_of(bounded("7 MiB prompt", || load(&to_json(&pack))));
    assert!(
        has_problem(&problems, ProblemKind::TooLarge, "questions[0].prompt"),
        "{problems:?}"
    );

    let mut pack = default_pack();
    pack["rules"][0]["id"] = json!(big);
    let problems = problems_of(bounded("7 MiB rule id", || load(&to_json(&pack))));
    assert!(
        has_problem(&problems, ProblemKind::InvalidId, "rules[0].id"),
        "{problems:?}"
    );
    // The message states the size; it does not repeat the id.
    assert!(problems.iter().all(|p| p.message.len() < 1024));

    let mut pack = default_pack();
    pack["rules"][0]["then"]["reason"] = json!("r".repeat(limits.max_text_bytes + 1));
    let problems = problems_of(bounded("long reason", || load(&to_json(&pack))));
    assert!(
        has_problem(&problems, ProblemKind::TooLarge, "rules[0].then.reason"),
        "{problems:?}"
    );

    // A huge key in an effect map names an unknown focus area.
    let mut pack = default_pack();
    pack["rules"][0]["then"]["focus"] = json!({ "y".repeat(1024 * 1024): 1 });
    let problems = problems_of(bounded("1 MiB focus key", || load(&to_json(&pack))));
    assert!(
        problems.iter().any(|p| p.kind == ProblemKind::UnknownReference),
        "{:?}",
        problems.len()
    );
}

#[test]
fn too_many_distinct_tags_are_too_large() {
    let mut pack = default_pack();
    pack["focus_areas"][0]["tags"] = Json::Array((0..100).map(|i| json!(format!("t{i}"))).collect());
    let problems = problems_of(bounded("100 tags", || load(&to_json(&pack))));
    assert!(
        has_problem(&problems, ProblemKind::TooLarge, "focus_areas[0].tags"),
        "{problems:?}"
    );
    // 65 more distinct tags spread over the focus areas.
    let mut pack = default_pack();
    let areas = pack["focus_areas"].as_array().map_or(0, Vec::len);
    for i in 0..65 {
        let tags = &mut pack["focus_areas"][i % areas]["tags"];
        if tags.is_null() {
            *tags = json!([]);
        }
        if let Some(tags) = tags.as_array_mut() {
            tags.push(json!(format!("t{i}")));
        }
    }
    let problems = problems_of(load(&to_json(&pack)));
    let over: Vec<_> = problems
        .iter()
        .filter(|p| p.kind == ProblemKind::TooLarge)
        .collect();
    // The default pack's own tags count too, so the last few are over.
    assert!(!over.is_empty(), "{problems:?}");
    assert!(
        over.iter().all(|p| p.path.starts_with("focus_areas[")),
        "{over:?}"
    );
}

#[test]
fn huge_answer_sets_are_refused() {
    let engine = Engine::embedded();
    let limit = engine.limits().max_answers;
    let answers: serde_json::Map<String, Json> = (0..limit + 1)
        .map(|i| (format!("q{i}"), json!("often")))
        .collect();
    let json = to_json(&json!({ "answers": answers }));
    let err = bounded("2,001 answers", || engine.assess_json(&json)).expect_err("refused");
    assert!(
        err.problems()
            .iter()
            .any(|p| p.kind == ProblemKind::TooManyAnswers && p.path == "answers"),
        "{:?}",
        &err.problems()[..1]
    );
    // Same for context, and for each partner of a couple.
    let context: serde_json::Map<String, Json> =
        (0..limit + 1).map(|i| (format!("c{i}"), json!(true))).collect();
    let json = to_json(&json!({ "answers": {}, "context": context }));
    let err = bounded("2,001 facts", || engine.assess_json(&json)).expect_err("refused");
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    // Refused before parsing, at the first object over the limit.
    assert_eq!(paths, ["context"]);
    let json = to_json(&json!({ "a": {}, "b": answers, "context": {} }));
    let err = bounded("2,001 answers for b", || engine.assess_couple_json(&json)).expect_err("refused");
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["b"]);
    // Built in code, every list over the limit is named.
    let many = |prefix: &str, value: Value| -> std::collections::HashMap<String, Value> {
        (0..limit + 1)
            .map(|i| (format!("{prefix}{i}"), value.clone()))
            .collect()
    };
    let responses = Responses {
        context: many("c", Value::bool(true)),
        ..Responses::default()
    };
    let err = engine.assess(&responses).expect_err("refused");
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["context"]);
    let couple = rekindle::CoupleResponses {
        a: many("q", Value::text("often")),
        b: many("q", Value::text("often")),
        context: many("c", Value::bool(true)),
        ..rekindle::CoupleResponses::default()
    };
    let err = engine.assess_couple(&couple).expect_err("refused");
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["a", "b", "context"]);
}

#[test]
fn a_million_answer_keys_are_refused_before_parsing() {
    let engine = Engine::embedded();
    let mut json = String::from("{\"answers\":{");
    for i in 0..1_000_000 {
        json.push_str(&format!("\"q{i}\":1,"));
    }
    json.push_str("\"q\":1}}");
    let err = bounded("1,000,000 answer keys", || engine.assess_json(&json)).expect_err("refused");
    assert_eq!(err.problems()[0].kind, ProblemKind::TooLarge);
    // Within the byte limit, the keys are counted before parsing.
    let json = format!(
        "{{\"context\":{{{}\"a\":1}},\"answers\":{{}}}}",
        "\"a\":1,".repeat(600_000)
    );
    let err = bounded("600,000 short keys", || engine.assess_json(&json)).expect_err("refused");
    assert_eq!(err.problems()[0].kind, ProblemKind::TooManyAnswers);
    assert_eq!(err.problems()[0].path, "context");
    // Over the byte limit, refused by size alone.
    let big = format!("{{\"answers\":{{\"q\":\"{}\"}}}}", "z".repeat(5 * 1024 * 1024));
    let err = bounded("5 MiB of answers", || engine.assess_json(&big)).expect_err("refused");
    assert_eq!(err.problems()[0].kind, ProblemKind::TooLarge);
}

#[test]
fn enormous_answer_strings_are_unknown_options_without_echo() {
    let engine = Engine::embedded();
    let big = "z".repeat(1024 * 1024);
    let json = to_json(&json!({ "answers": { "q_misunderstandings": big } }));
    let err = bounded("1 MiB answer", || engine.assess_json(&json)).expect_err("refused");
    let problems = err.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, ProblemKind::UnknownOption);
    assert_eq!(problems[0].path, "answers.q_misunderstandings");
    assert!(!problems[0].message.contains("zzz"), "answers are never repeated");

    // A huge unknown question id is named in the path (it is the key the app sent).
    let json = to_json(&json!({ "answers": { big.clone(): "often" } }));
    let err = bounded("1 MiB question id", || engine.assess_json(&json)).expect_err("refused");
    assert_eq!(err.problems()[0].kind, ProblemKind::UnknownQuestion);
    // Cut short in the path.
    assert!(
        err.problems()[0].path.len() < 200,
        "{}",
        err.problems()[0].path.len()
    );
}

// ---------------------------------------------------------------------------
// Numbers.

#[test]
fn nan_and_infinity_literals_are_not_json() {
    for literal in ["NaN", "nan", "Infinity", "-Infinity", "inf"] {
        let mut pack = default_pack();
        pack["questions"][0]["answer"]["options"][0]["weight"] = json!("@@");
        let json = to_json(&pack).replacen("\"@@\"", literal, 1);
        assert_eq!(load(&json).expect_err("refused").tag(), "syntax", "{literal}");
        let answers = format!("{{\"answers\":{{\"q_overall_closeness\":{literal}}}}}");
        let err = Engine::embedded().assess_json(&answers).expect_err("refused");
        assert_eq!(err.tag(), "syntax", "{literal}");
    }
}

#[test]
fn overflowing_numbers_are_syntax_errors() {
    for literal in ["1e999", "-1e999", "1e400"] {
        let mut pack = default_pack();
        pack["questions"][0]["answer"]["options"][0]["weight"] = json!("@@");
        let json = to_json(&pack).replacen("\"@@\"", literal, 1);
        assert_syntax(load(&json), "number out of range");
        let answers = format!("{{\"answers\":{{\"q_overall_closeness\":{literal}}}}}");
        let err = Engine::embedded().assess_json(&answers).expect_err("refused");
        assert_eq!(err.tag(), "syntax", "{literal}");
    }
    // Underflow is not an error: it is zero.
    let answers = "{\"answers\":{\"q_overall_closeness\":1e-999}}";
    assert!(Engine::embedded().assess_json(answers).is_ok());
}

#[test]
fn huge_finite_numbers_are_invalid_numbers_with_their_path() {
    for literal in ["1e308", "-1e308", "1.7976931348623157e308", "1e10"] {
        let mut pack = default_pack();
        pack["questions"][0]["answer"]["options"][0]["weight"] = json!("@@");
        pack["rules"][0]["then"]["focus"]["respect_kindness"] = json!("@@");
        pack["dimensions"][0]["bands"][0]["max"] = json!("@@");
        let json = to_json(&pack).replace("\"@@\"", literal);
        let problems = problems_of(load(&json));
        for path in [
            "questions[0].answer.options[0].weight",
            "rules[0].then.focus.respect_kindness",
            "dimensions[0].bands[0].max",
        ] {
            assert!(
                has_problem(&problems, ProblemKind::InvalidNumber, path),
                "{literal} at {path}: {problems:?}"
            );
        }
    }
    // A comparison with a huge number.
    let json = with_condition("{\"score\":\"communication\",\"gte\":1e308}");
    let problems = problems_of(load(&json));
    assert!(
        has_problem(&problems, ProblemKind::InvalidNumber, "rules[0].when.gte"),
        "{problems:?}"
    );
    // `at_least` is a u32: a huge or negative count is a shape error.
    for n in ["1e308", "4294967296", "-1"] {
        let json = with_condition(&format!("{{\"at_least\":{n},\"of\":[]}}"));
        assert_eq!(load(&json).expect_err("refused").tag(), "syntax", "{n}");
    }
    // Phase days are u32 too.
    let mut pack = default_pack();
    pack["challenges"][0]["phases"][0]["last_day"] = json!(u64::MAX);
    assert_eq!(load(&to_json(&pack)).expect_err("refused").tag(), "syntax");
}

#[test]
fn huge_answer_numbers_are_out_of_range() {
    let engine = Engine::embedded();
    for literal in ["1e308", "-1e308", "18446744073709551616", "-9223372036854775809"] {
        let json = format!("{{\"answers\":{{\"q_overall_closeness\":{literal}}}}}");
        let err = engine.assess_json(&json).expect_err("refused");
        assert_eq!(err.problems()[0].kind, ProblemKind::OutOfRange, "{literal}");
        assert_eq!(err.problems()[0].path, "answers.q_overall_closeness");
    }
    // NaN and infinities can only come through the typed API.
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let responses = Responses::new([("q_overall_closeness", value)]);
        let err = engine.assess(&responses).expect_err("refused");
        assert_eq!(err.problems()[0].kind, ProblemKind::OutOfRange);
    }
    // A step check with a huge offset must not misbehave either.
    let responses = Responses::new([("q_overall_closeness", 5.001)]);
    assert_eq!(
        engine.assess(&responses).expect_err("off the step").problems()[0].kind,
        ProblemKind::OutOfRange
    );
}

#[test]
fn negative_zero_is_zero() {
    let engine = Engine::embedded();
    let plus = engine
        .assess_json("{\"answers\":{\"q_overall_closeness\":0}}")
        .expect("0 is in range");
    let minus = engine
        .assess_json("{\"answers\":{\"q_overall_closeness\":-0}}")
        .expect("-0 is in range");
    let minus_float = engine
        .assess_json("{\"answers\":{\"q_overall_closeness\":-0.0}}")
        .expect("-0.0 is in range");
    assert_eq!(plus, minus);
    assert_eq!(plus, minus_float);
    // In a pack, -0 is a valid weight and a valid comparison value.
    let mut pack = default_pack();
    pack["questions"][0]["answer"]["options"][0]["weight"] = json!("@@");
    let json = to_json(&pack).replacen("\"@@\"", "-0", 1);
    assert!(load(&json).is_ok());
    // A range from -0 to 0 is empty.
    let mut pack = default_pack();
    pack["questions"][5]["answer"] = json!({"kind": "range", "min": "@@", "max": 0});
    let json = to_json(&pack).replacen("\"@@\"", "-0.0", 1);
    let problems = problems_of(load(&json));
    assert!(
        has_problem(&problems, ProblemKind::InvalidNumber, "questions[5].answer.max"),
        "{problems:?}"
    );
}

#[test]
fn non_finite_numbers_in_a_pack_built_in_code_are_invalid_numbers() {
    let mut pack: Pack = serde_json::from_str(DEFAULT_PACK_JSON).expect("default pack");
    let rekindle::pack::AnswerSpec::Options { options } = &mut pack.questions[0].answer else {
        panic!("the first question takes options");
    };
    options[0].weight = f64::NAN;
    options[1].weight = f64::INFINITY;
    pack.dimensions[0].bands[0].max = Some(f64::NEG_INFINITY);
    if let Some(weight) = pack.rules[0].then.focus.values_mut().next() {
        *weight = f64::NAN;
    }
    let problems = problems_of(bounded("NaN pack", || Engine::from_pack(pack)));
    for path in [
        "questions[0].answer.options[0].weight",
        "questions[0].answer.options[1].weight",
        "dimensions[0].bands[0].max",
        "rules[0].then.focus.respect_kindness",
    ] {
        assert!(
            has_problem(&problems, ProblemKind::InvalidNumber, path),
            "{path}: {problems:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Duplicate keys.

#[test]
fn duplicate_struct_fields_are_syntax_errors() {
    let json = DEFAULT_PACK_JSON.replacen("\"format\": 1,", "\"format\": 1, \"format\": 1,", 1);
    assert_syntax(load(&json), "duplicate field `format`");
    let json = with_condition("{\"answer\":\"q_blame\",\"is\":\"often\",\"is\":\"never\"}");
    assert_syntax(load(&json), "duplicate field `is`");
    let json = DEFAULT_PACK_JSON.replacen(
        "\"id\": \"rekindle.default\",",
        "\"id\": \"a\", \"id\": \"b\",",
        1,
    );
    assert_syntax(load(&json), "duplicate field `id`");
    let err = Engine::embedded()
        .assess_json("{\"answers\":{},\"answers\":{}}")
        .expect_err("refused");
    assert_eq!(err.tag(), "syntax");
}

#[test]
fn duplicate_keys_in_effect_maps_are_deterministic() {
    // `focus`, `challenges` and `phases` are maps: today the last duplicate
    // silently wins (serde's map behaviour). Whatever the format decides,
    // the outcome must be deterministic and never a panic.
    let mut pack = default_pack();
    pack["rules"][0]["then"]["focus"] = json!("@@");
    let json = to_json(&pack).replacen(
        "\"@@\"",
        "{\"respect_kindness\": 0.5, \"respect_kindness\": 90}",
        1,
    );
    match load(&json) {
        Ok(engine) => {
            assert_eq!(
                engine.pack().rules[0].then.focus.get("respect_kindness"),
                Some(&90.0)
            );
            assert_eq!(engine.pack().rules[0].then.focus.len(), 1);
        }
        Err(err) => assert!(matches!(err.tag(), "syntax" | "invalid"), "{err:?}"),
    }
}

#[test]
fn duplicate_answer_and_context_keys_are_refused_naming_the_key() {
    // A later "no" must not silently drop a safety "yes".
    let engine = Engine::embedded();
    for (json, path) in [
        (
            r#"{"answers":{"q_safety_fear":true,"q_safety_fear":false}}"#,
            "answers.q_safety_fear",
        ),
        (
            r#"{"answers":{},"context":{"married":true,"married":false}}"#,
            "context.married",
        ),
    ] {
        let err = engine.assess_json(json).expect_err("refused");
        assert_eq!(err.tag(), "invalid", "{err:?}");
        assert_eq!(err.problems().len(), 1);
        assert_eq!(err.problems()[0].kind, ProblemKind::DuplicateKey);
        assert_eq!(err.problems()[0].path, path);
    }
    // A partner's safety "yes" cannot be dropped either.
    let err = engine
        .assess_couple_json(r#"{"a":{},"b":{"q_safety_harm":true,"q_safety_harm":false}}"#)
        .expect_err("refused");
    assert_eq!(err.problems()[0].kind, ProblemKind::DuplicateKey);
    assert_eq!(err.problems()[0].path, "b.q_safety_harm");
    // The same in fixture files.
    let fixture =
        r#"{"format":1,"fixtures":[{"name":"x","answers":{"q_safety_fear":true,"q_safety_fear":false}}]}"#;
    let err = run_fixture_json(&engine, [("dup.json", fixture)]).expect_err("refused");
    assert!(
        err.to_string().contains("duplicate key at answers.q_safety_fear"),
        "{err}"
    );
}

#[test]
fn keys_with_control_characters_cannot_forge_lines() {
    let engine = Engine::embedded();
    let forged = "{\"answers\":{\"x\\nanswers.q_blame: forged [unknown_option]\\u001b[2K\":1}}";
    let err = engine.assess_json(forged).expect_err("refused");
    let text = err.to_string();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        err.problems()[0].path.starts_with("answers[\"x\\n"),
        "{}",
        err.problems()[0].path
    );
    // The same in a pack's effect maps.
    let mut pack = default_pack();
    pack["rules"][0]["then"]["focus"] = json!({ "a\nrules[1]: forged\u{1b}[2K": 1 });
    let problems = problems_of(load(&to_json(&pack)));
    assert!(
        problems
            .iter()
            .all(|p| !p.path.contains('\n') && !p.path.contains('\u{1b}')),
        "{problems:?}"
    );
    // And in fixture reports: a fixture's name and a dimension id.
    let fixture = json!({
        "name": "a\nFAIL forged: line",
        "expect": {"bands": {"x\ny": "low"}, "scores": {"communication\n  forged": 1}},
    });
    let file = to_json(&json!({"format": 1, "fixtures": [fixture]}));
    let report = run_fixture_json(&engine, [("names.json", file.as_str())]).expect("runs");
    let summary = report.summary();
    assert!(
        !summary.lines().any(|l| l.starts_with("FAIL forged")),
        "{summary}"
    );
    assert!(
        !summary.lines().any(|l| l.trim_start().starts_with("forged")),
        "{summary}"
    );
}

// ---------------------------------------------------------------------------
// Encoding.

#[test]
fn invalid_utf8_is_not_utf8_with_its_offset() {
    let cases: Vec<(Vec<u8>, u64)> = vec![
        (b"\xff".to_vec(), 0),
        (b"{\"format\": 1, \"id\": \"\xc3\x28\"}".to_vec(), 21),
        // A truncated multi-byte character at the very end.
        (
            [DEFAULT_PACK_JSON.as_bytes(), b"\xe2\x82"].concat(),
            DEFAULT_PACK_JSON.len() as u64,
        ),
        // Overlong encoding and a UTF-16 surrogate written in UTF-8.
        (b"{\"\xc0\xaf\": 1}".to_vec(), 2),
        (b"{\"\xed\xa0\x80\": 1}".to_vec(), 2),
    ];
    for (bytes, offset) in cases {
        let err = bounded("invalid UTF-8", || Engine::from_slice(&bytes)).expect_err("refused");
        assert_eq!(err, PackError::NotUtf8 { offset });
    }
    // Escaped lone surrogates are valid UTF-8 text but not valid JSON strings.
    let json = with_condition("{\"answered\":\"\\ud800\"}");
    assert_eq!(load(&json).expect_err("refused").tag(), "syntax");
}

#[test]
fn a_byte_order_mark_and_stray_bytes_are_syntax_errors() {
    let with_bom = format!("\u{feff}{DEFAULT_PACK_JSON}");
    assert_eq!(load(&with_bom).expect_err("refused").tag(), "syntax");
    let with_nul = format!("{DEFAULT_PACK_JSON}\0");
    assert_eq!(load(&with_nul).expect_err("refused").tag(), "syntax");
    assert_eq!(load("").expect_err("refused").tag(), "syntax");
    assert_eq!(load("null").expect_err("refused").tag(), "syntax");
}

// ---------------------------------------------------------------------------
// References.

#[test]
fn self_references_are_unknown_references() {
    // The format has no way to refer to a rule or a condition: conditions
    // are trees written inline, so there are no cycles to follow. The only
    // "self" reference possible is a rule naming its own id where a question,
    // dimension or focus area is expected.
    let mut pack = default_pack();
    pack["rules"][0]["when"] = json!({"answered": "baseline_plan"});
    pack["rules"][1]["when"] = json!({"score": pack["rules"][1]["id"], "gte": 1});
    pack["rules"][2]["then"]["focus"] = json!({ pack["rules"][2]["id"].as_str().unwrap_or("x"): 1 });
    pack["safety"]["focus_area"] = json!("safety");
    let problems = problems_of(load(&to_json(&pack)));
    for path_start in [
        "rules[0].when.answered",
        "rules[1].when.score",
        "rules[2].then.focus.",
        "safety.focus_area",
    ] {
        assert!(
            problems
                .iter()
                .any(|p| p.kind == ProblemKind::UnknownReference && p.path.starts_with(path_start)),
            "{path_start}: {problems:?}"
        );
    }
}

#[test]
fn answers_and_fixtures_with_hostile_shapes_are_typed_errors() {
    let engine = Engine::embedded();
    for json in [
        "",
        "[]",
        "{}",
        "{\"answers\": null}",
        "{\"answers\": {\"q_misunderstandings\": null}}",
        "{\"answers\": {\"q_misunderstandings\": [\"often\"]}}",
        "{\"answers\": {\"q_misunderstandings\": {\"value\": \"often\"}}}",
        "{\"answers\": {}, \"extra\": 1}",
        "{\"answers\": {}} trailing",
    ] {
        let err = engine.assess_json(json).expect_err(json);
        assert_eq!(err.tag(), "syntax", "{json}");
    }
    let err = engine
        .assess_json("{\"answers\": {\"q_misunderstandings\": 1e-320}}")
        .expect_err("a number for an options question");
    assert_eq!(err.problems()[0].kind, ProblemKind::WrongType);
    for json in [
        "",
        "{\"format\": 2, \"fixtures\": []}",
        "{\"format\": 1}",
        "{\"format\": 1, \"fixtures\": [{}]}",
    ] {
        assert!(
            run_fixture_json(&engine, [("hostile.json", json)]).is_err(),
            "{json}"
        );
    }
    // A fixture naming unknown ids fails cleanly rather than erroring.
    let fixture = "{\"format\": 1, \"fixtures\": [{\"name\": \"x\", \"expect\": {\"fired\": [\"nope\"], \"error\": \"nope\"}}]}";
    let report = run_fixture_json(&engine, [("hostile.json", fixture)]).expect("parses");
    assert_eq!(report.failed, 1);
}

#[test]
fn values_of_every_type_for_every_question_are_typed() {
    // Every question and fact of the default pack, given a value of each
    // JSON type: each is accepted or refused with a typed problem.
    let engine = Engine::embedded();
    let values = [
        Value::text("often"),
        Value::text(""),
        Value::number(0.0),
        Value::number(-1.0),
        Value::number(1e300),
        Value::bool(true),
    ];
    for question in &engine.pack().questions {
        for value in &values {
            let responses = Responses {
                answers: [(question.id.clone(), value.clone())].into_iter().collect(),
                ..Responses::default()
            };
            if let Err(err) = engine.assess(&responses) {
                let AnswersError::Invalid { problems } = err else {
                    panic!("typed answers gave a syntax error")
                };
                assert_eq!(problems[0].path, format!("answers.{}", question.id));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Bombs: small inputs whose naive handling grows with a product of parts.

/// A 128-byte option value, distinct for each `i`.
fn long_value(i: usize) -> String {
    format!("{i:03}{}", "v".repeat(125))
}

/// The default pack with a question of 64 options of 128 bytes, and
/// `rules` rules of 999 leaves that each compare it with 64 wrong values.
fn problem_bomb(rules: usize) -> String {
    let mut pack = default_pack();
    let options: Vec<Json> = (0..64)
        .map(|i| json!({"value": long_value(i), "label": "An option", "weight": i}))
        .collect();
    pack["questions"].as_array_mut().expect("a list").push(
        json!({"id": "q_bomb", "prompt": "A question", "answer": {"kind": "options", "options": options}}),
    );
    let wrong: Vec<Json> = (0..64).map(|i| json!(format!("w{i}"))).collect();
    let leaves: Vec<Json> = (0..999)
        .map(|_| json!({"answer": "q_bomb", "in": wrong}))
        .collect();
    for i in 0..rules {
        pack["rules"][i]["when"] = json!({ "any": leaves });
    }
    to_json(&pack)
}

#[test]
fn a_problem_bomb_lists_the_first_problems_and_counts_the_rest() {
    // 999 leaves with 64 wrong `in` values each: 63,936 problems, each of
    // which once listed every option.
    let json = problem_bomb(1);
    let err = bounded("problem bomb", || load(&json)).expect_err("refused");
    let problems = err.problems();
    let max = Limits::default().max_problems;
    assert_eq!(problems.len(), max + 1);
    let last = &problems[max];
    assert_eq!(last.kind, ProblemKind::TooManyProblems);
    assert!(
        last.message
            .contains(&format!("and {} more problems", 63_936 - max)),
        "{last}"
    );
    assert!(problems[..max]
        .iter()
        .all(|p| p.kind == ProblemKind::ImpossibleValue));
    // Each message names a few options, cut short, and counts the rest.
    assert!(problems[0].message.contains("and 56 more"), "{}", problems[0]);
    let text = err.to_string();
    assert!(text.len() < 64 * 1024, "{} bytes of error text", text.len());
    assert!(
        text.starts_with(&format!("{max} problems in pack")),
        "{}",
        &text[..40]
    );

    // Near the byte limit: 1.3 million problems, counted, not built.
    let json = problem_bomb(20);
    assert!(json.len() < Limits::default().max_pack_bytes, "{}", json.len());
    let err = bounded("8 MiB problem bomb", || load(&json)).expect_err("refused");
    assert_eq!(err.problems().len(), max + 1);
    assert!(err.problems()[max]
        .message
        .contains(&format!("and {} more", 20 * 63_936 - max)));
}

/// The default pack with `areas` more focus areas and `rules` more rules
/// that always fire, each weighting every area with an 8,000-byte reason.
fn with_wide_rules(areas: usize, rules: usize) -> Json {
    let mut pack = default_pack();
    let list = pack["focus_areas"].as_array_mut().expect("a list");
    for i in 0..areas {
        list.push(json!({"id": format!("area_{i}"), "title": "An area", "summary": "A summary"}));
    }
    let weights: serde_json::Map<String, Json> = list
        .iter()
        .map(|a| (a["id"].as_str().expect("an id").to_owned(), json!(1)))
        .collect();
    let list = pack["rules"].as_array_mut().expect("a list");
    for i in 0..rules {
        list.push(json!({
            "id": format!("wide_{i}"),
            "when": {"all": []},
            "then": {"focus": weights, "reason": "r".repeat(8_000)},
        }));
    }
    pack
}

#[test]
fn a_reason_bomb_holds_each_reason_once() {
    // 998 focus areas; 64 rules that always fire, each weighting every
    // area with an 8,000-byte reason. Copied into every area it explains,
    // that was a 511 MB result; a result holds each reason once and
    // refers to it by rule id.
    let default_areas = default_pack()["focus_areas"].as_array().expect("a list").len();
    let json = to_json(&with_wide_rules(998 - default_areas, 64));
    assert!(json.len() < 1_500_000, "{}", json.len());
    let engine = bounded("reason bomb", || load(&json)).expect("loads");
    let plan = bounded("reason bomb result", || engine.assess_json("{\"answers\": {}}")).expect("assessed");
    let wide: Vec<_> = plan
        .reasons
        .iter()
        .filter(|r| r.rule.starts_with("wide_"))
        .collect();
    assert_eq!(wide.len(), 64);
    assert_eq!(plan.focus_areas.len(), 998);
    assert!(plan.focus_areas.iter().all(|f| f.reasons.len() >= 64));
    let size = serde_json::to_string(&plan).expect("serialises").len();
    assert!(size < 4_000_000, "{size} bytes");
}

#[test]
fn a_pack_whose_worst_case_result_is_too_large_is_refused() {
    // 220 such rules: each reason held in three views of a couple plan and
    // referred to from 998 areas in each, about 15 MB in all.
    let default_areas = default_pack()["focus_areas"].as_array().expect("a list").len();
    let json = to_json(&with_wide_rules(998 - default_areas, 220));
    assert!(json.len() < 6_000_000, "{}", json.len());
    let problems = problems_of(bounded("result bomb", || load(&json)));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind, ProblemKind::TooLarge);
    assert!(problems[0].path.starts_with("rules["), "{}", problems[0].path);
    assert!(
        problems[0].message.contains("if every rule fired"),
        "{}",
        problems[0].message
    );

    // Under a tighter limit the default pack is refused too, and it loads
    // under the default one with room to spare.
    let tight = Limits {
        max_result_bytes: 1_000,
        ..Limits::default()
    };
    let err = Engine::from_json_with_limits(DEFAULT_PACK_JSON, &tight).expect_err("refused");
    assert_eq!(err.problems()[0].kind, ProblemKind::TooLarge);
}

#[test]
fn the_largest_result_a_pack_may_produce_is_bounded() {
    // Just under the cap: 100 always-firing rules each weighting about
    // 1,000 areas with an 8,000-byte reason. Whatever the answers, neither
    // a result nor a couple plan outgrows the documented cap.
    let default_areas = default_pack()["focus_areas"].as_array().expect("a list").len();
    let pack = with_wide_rules(998 - default_areas, 100);
    let engine = bounded("widest result pack", || load(&to_json(&pack))).expect("loads");
    let cap = Limits::default().max_result_bytes;
    let plan = bounded("widest result", || engine.assess_json("{\"answers\": {}}")).expect("assessed");
    let size = serde_json::to_string(&plan).expect("serialises").len();
    assert!(size <= cap, "{size} bytes over {cap}");
    let couple = bounded("widest couple plan", || {
        engine.assess_couple(&rekindle::CoupleResponses::new(
            std::iter::empty::<(&str, &str)>(),
            std::iter::empty::<(&str, &str)>(),
        ))
    })
    .expect("assessed");
    let size = serde_json::to_string(&couple).expect("serialises").len();
    assert!(size <= cap, "{size} bytes over {cap}");
}

#[test]
fn a_range_step_must_be_sane() {
    for (step, ok) in [
        (5e-324, false),
        (1e-9, false),
        (0.001, true),
        (1.0, true),
        (10.0, true),
        (11.0, false),
    ] {
        let mut pack = default_pack();
        let question = pack["questions"]
            .as_array_mut()
            .expect("a list")
            .iter_mut()
            .find(|q| q["id"] == "q_overall_closeness")
            .expect("the range question");
        question["answer"]["step"] = json!(step);
        let result = load(&to_json(&pack));
        if ok {
            assert!(result.is_ok(), "{step}: {:?}", result.err());
        } else {
            let problems = problems_of(result);
            assert!(
                problems
                    .iter()
                    .any(|p| p.kind == ProblemKind::InvalidNumber && p.path.ends_with(".answer.step")),
                "{step}: {problems:?}"
            );
        }
    }
}

#[test]
fn fixture_reports_keep_only_what_failed() {
    // 2,000 failing fixtures against the default pack: each fails, but only
    // the first few keep their fired rules and trace.
    let engine = Engine::embedded();
    let fixture = json!({
        "name": "fails",
        "answers": {"q_misunderstandings": "always", "q_blame": "always"},
        "expect": {"therapy": "none", "fired": ["no_such_rule"]},
    });
    let file = to_json(&json!({"format": 1, "fixtures": vec![fixture; 2_000]}));
    let report = bounded("2,000 failing fixtures", || {
        run_fixture_json(&engine, [("many.json", file.as_str())])
    })
    .expect("runs");
    assert_eq!(report.failed, 2_000);
    let detailed = report
        .outcomes
        .iter()
        .filter(|o| !o.explanation.is_empty())
        .count();
    assert_eq!(detailed, rekindle::fixtures::MAX_DETAILED_FAILURES);
    assert!(report
        .outcomes
        .iter()
        .all(|o| o.fired.len() <= rekindle::fixtures::MAX_LISTED_IDS));
    let summary = report.summary();
    assert!(summary.len() < 2_000 * 600, "{} bytes", summary.len());

    // 300 fixtures against 20,000 rules that all fire.
    let mut pack = default_pack();
    let rules = pack["rules"].as_array_mut().expect("a list");
    for i in rules.len()..20_000 {
        rules.push(json!({
            "id": format!("many_{i}"),
            "when": {"all": []},
            "then": {"focus": {"respect_kindness": 1}, "reason": "A short reason."},
        }));
    }
    let many = bounded("20,000-rule pack", || load(&to_json(&pack))).expect("loads");
    let fixture = json!({"name": "fails", "expect": {"fired": ["no_such_rule"], "therapy": "none"}});
    let file = to_json(&json!({"format": 1, "fixtures": vec![fixture; 300]}));
    let report = bounded("300 fixtures, 20,000 rules", || {
        run_fixture_json(&many, [("many.json", file.as_str())])
    })
    .expect("runs");
    assert_eq!(report.failed, 300);
    assert!(
        report.summary().len() < 2 * 1024 * 1024,
        "{}",
        report.summary().len()
    );

    // Passing fixtures keep nothing but their name, whatever fires.
    let passing: Vec<_> = (0..2_000)
        .map(|i| json!({"name": format!("passes {i}"), "answers": {"q_misunderstandings": "always"}, "expect": {"safety": false}}))
        .collect();
    let file = to_json(&json!({"format": 1, "fixtures": passing}));
    let report = run_fixture_json(&engine, [("pass.json", file.as_str())]).expect("runs");
    assert!(report.all_passed());
    assert!(report
        .outcomes
        .iter()
        .all(|o| o.fired.is_empty() && o.explanation.is_empty()));
}
