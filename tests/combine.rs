//! How effects combine, one rule of the combination per test, on small packs
//! built in code so each expectation is easy to check by hand.

use rekindle::{CoupleResponses, Engine, Responses, Value};
use serde_json::{json, Value as Json};

/// A pack with two yes/no questions, three focus areas, two challenges and
/// three therapy levels; `rules` is the only part that varies.
fn pack(rules: Json) -> Engine {
    let pack = json!({
        "format": 1, "id": "combine", "version": "1",
        "questions": [
            {"id": "a", "prompt": "A?", "answer": {"kind": "yes_no"}},
            {"id": "b", "prompt": "B?", "answer": {"kind": "yes_no"}},
            {"id": "danger", "prompt": "Danger?", "answer": {"kind": "yes_no"}, "private": true}
        ],
        "context": [{"id": "reluctant", "label": "Reluctant", "kind": "bool"}],
        "focus_areas": [
            {"id": "first", "title": "First", "summary": "s", "tags": ["couples"]},
            {"id": "second", "title": "Second", "summary": "s", "tags": ["couples"]},
            {"id": "alone", "title": "Alone", "summary": "s"}
        ],
        "challenges": [
            {"id": "one", "title": "One", "summary": "s", "tags": ["couples"], "phases": [
                {"id": "one_a", "first_day": 1, "last_day": 10, "theme": "t"},
                {"id": "one_b", "first_day": 11, "last_day": 20, "theme": "t"}
            ]},
            {"id": "two", "title": "Two", "summary": "s", "tags": ["sexual"], "phases": [
                {"id": "two_a", "first_day": 1, "last_day": 30, "theme": "t"}
            ]}
        ],
        "therapy_levels": [
            {"id": "none", "title": "None", "message": "m"},
            {"id": "couples", "title": "Couples", "message": "m", "tags": ["couples"]},
            {"id": "individual", "title": "Individual", "message": "m"}
        ],
        "safety": {"title": "Safety", "message": "m", "suppress": ["couples", "sexual"],
                   "focus_area": "alone", "therapy_level": "individual"},
        "rules": rules
    });
    Engine::from_json(&pack.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn rule(id: &str, when: Json, then: Json) -> Json {
    let mut then = then;
    then["reason"] = json!(format!("because {id}"));
    // Some rules read the private `danger` item; single mode never shows this.
    then["shared_reason"] = json!(format!("shared because {id}"));
    json!({"id": id, "when": when, "then": then})
}

fn yes(question: &str) -> Json {
    json!({"answer": question, "is": true})
}

fn always() -> Json {
    json!({"all": []})
}

fn answers(yes_to: &[&str]) -> Responses {
    Responses::new(yes_to.iter().map(|q| (*q, Value::bool(true))))
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| id(i).to_owned()).collect()
}

#[test]
fn focus_weights_sum_and_rank_with_ties_in_pack_order() {
    let engine = pack(json!([
        rule("r1", always(), json!({"focus": {"second": 1, "first": 1}})),
        rule("r2", yes("a"), json!({"focus": {"second": 2}})),
        rule("r3", yes("b"), json!({"focus": {"second": -2, "alone": 0.5}}))
    ]));
    let tie = engine.assess(&answers(&[])).unwrap();
    assert_eq!(ids(&tie.focus_areas, |f| &f.id), ["first", "second"]);
    let ranked = engine.assess(&answers(&["a"])).unwrap();
    assert_eq!(ids(&ranked.focus_areas, |f| &f.id), ["second", "first"]);
    assert_eq!(ranked.focus_areas[0].weight, 3.0);
    assert_eq!(ids(&ranked.focus_areas[0].reasons, |r| r), ["r1", "r2"]);
    // A negative weight can take an area out of the list.
    let cancelled = engine.assess(&answers(&["a", "b"])).unwrap();
    assert_eq!(
        ids(&cancelled.focus_areas, |f| &f.id),
        ["first", "second", "alone"]
    );
    assert_eq!(cancelled.focus_areas[1].weight, 1.0);
}

#[test]
fn the_heaviest_challenge_wins_and_its_heaviest_phase_is_emphasised() {
    let engine = pack(json!([
        rule(
            "r1",
            always(),
            json!({"phases": {"one_b": 1}, "challenges": {"two": 1}})
        ),
        rule("r2", yes("a"), json!({"phases": {"two_a": 0.5}})),
        rule("r3", yes("b"), json!({"phases": {"one_a": 1}}))
    ]));
    // Tie between one (1) and two (1): declared order picks one.
    let tie = engine.assess(&answers(&[])).unwrap().challenge.unwrap();
    assert_eq!((tie.id.as_str(), tie.phase.id.as_str()), ("one", "one_b"));
    let two = engine.assess(&answers(&["a"])).unwrap().challenge.unwrap();
    assert_eq!((two.id.as_str(), two.weight), ("two", 1.5));
    assert_eq!(ids(&two.rationale, |r| r), ["r1", "r2"]);
    // Phases tie at 1: the earlier phase is emphasised.
    let earlier = engine.assess(&answers(&["b"])).unwrap().challenge.unwrap();
    assert_eq!(earlier.phase.id, "one_a");
}

#[test]
fn no_challenge_without_positive_weight() {
    let engine = pack(json!([rule("r1", yes("a"), json!({"challenges": {"one": -1}}))]));
    assert!(engine.assess(&answers(&["a"])).unwrap().challenge.is_none());
}

#[test]
fn the_strongest_therapy_level_wins_and_online_needs_a_level() {
    let engine = pack(json!([
        rule(
            "online",
            json!({"context": "reluctant", "is": true}),
            json!({"online_therapy": true})
        ),
        rule("some", yes("a"), json!({"therapy": "couples"})),
        rule("more", yes("b"), json!({"therapy": "individual"}))
    ]));
    let reluctant = |r: Responses| r.with_context("reluctant", true);
    let none = engine.assess(&reluctant(answers(&[]))).unwrap().therapy;
    assert_eq!((none.level.as_str(), none.online), ("none", false));
    let couples = engine.assess(&reluctant(answers(&["a"]))).unwrap().therapy;
    assert_eq!(
        (couples.level.as_str(), couples.rank, couples.online),
        ("couples", 1, true)
    );
    let strongest = engine.assess(&answers(&["a", "b"])).unwrap().therapy;
    assert_eq!(
        (strongest.level.as_str(), strongest.online),
        ("individual", false)
    );
    assert_eq!(ids(&strongest.reasons, |r| r), ["more"]);
}

#[test]
fn rules_can_suppress_tags_themselves() {
    let engine = pack(json!([
        rule(
            "plan",
            always(),
            json!({"focus": {"first": 1, "alone": 1}, "challenges": {"two": 1}})
        ),
        rule(
            "not_now",
            yes("a"),
            json!({"suppress": ["sexual"], "therapy": "couples"})
        )
    ]));
    let rec = engine.assess(&answers(&["a"])).unwrap();
    assert!(rec.challenge.is_none());
    assert_eq!(rec.trace.suppressed_tags, ["sexual"]);
    assert_eq!(rec.therapy.level, "couples");
    assert!(rec.safety.is_none());
}

#[test]
fn safety_wins_over_every_weight_and_level() {
    let engine = pack(json!([
        rule(
            "plan",
            always(),
            json!({"focus": {"first": 50, "second": 40}, "challenges": {"one": 9, "two": 9}, "therapy": "couples"})
        ),
        rule("danger", yes("danger"), json!({"safety": true}))
    ]));
    let rec = engine.assess(&answers(&["danger"])).unwrap();
    let safety = rec.safety.as_ref().expect("safety notice");
    assert_eq!(ids(&safety.reasons, |r| r), ["danger"]);
    assert_eq!(safety.suppressed_tags, ["couples", "sexual"]);
    // The safety focus area leads even with no weight of its own.
    assert_eq!(ids(&rec.focus_areas, |f| &f.id), ["alone"]);
    assert_eq!(rec.focus_areas[0].weight, 0.0);
    assert!(rec.challenge.is_none());
    assert_eq!(rec.therapy.level, "individual");
}

#[test]
fn the_trace_names_each_deciding_leaf_and_the_value_it_saw() {
    let engine = pack(json!([rule(
        "mixed",
        json!({"all": [yes("a"), {"not": yes("b")}, {"any": [yes("danger"), {"answered": "a"}]}]}),
        json!({"focus": {"first": 1}})
    )]));
    let rec = engine
        .assess(&Responses::new([("a", true), ("b", false)]))
        .unwrap();
    let fired = &rec.trace.fired[0];
    let leaves: Vec<(&str, &str, &str, bool)> = fired
        .leaves
        .iter()
        .map(|l| (l.path.as_str(), l.test.as_str(), l.actual.as_str(), l.held))
        .collect();
    assert_eq!(
        leaves,
        [
            ("rules[0].when.all[0]", "answer a is true", "true", true),
            ("rules[0].when.all[1].not", "answer b is true", "false", false),
            ("rules[0].when.all[2].any[1]", "answered a", "true", true),
        ]
    );
}

#[test]
fn leaves_that_decided_a_not_are_kept_as_failed() {
    let engine = pack(json!([rule(
        "unless",
        json!({"all": [yes("a"), {"not": {"any": [yes("b"), yes("danger")]}}]}),
        json!({"focus": {"first": 1}})
    )]));
    let rec = engine
        .assess(&Responses::new([("a", true), ("b", false)]))
        .unwrap();
    let leaves: Vec<(&str, &str, bool)> = rec.trace.fired[0]
        .leaves
        .iter()
        .map(|l| (l.path.as_str(), l.actual.as_str(), l.held))
        .collect();
    assert_eq!(
        leaves,
        [
            ("rules[0].when.all[0]", "true", true),
            ("rules[0].when.all[1].not.any[0]", "false", false),
            ("rules[0].when.all[1].not.any[1]", "unanswered", false),
        ]
    );
}

#[test]
fn malformed_answers_are_reported_without_their_values() {
    let engine = pack(json!([rule("r", always(), json!({"focus": {"first": 1}}))]));
    for json in [
        r#"{"answers": "my secret words"}"#,
        r#"{"answers": {}, "context": 12345}"#,
    ] {
        let err = engine.assess_json(json).unwrap_err();
        assert_eq!(err.tag(), "syntax");
        let text = err.to_string();
        assert!(!text.contains("secret") && !text.contains("12345"), "{text}");
    }
    let err = engine
        .assess_json(r#"{"answers": {}, "contxt": {}}"#)
        .unwrap_err();
    assert!(err.to_string().contains("unknown field `contxt`"), "{err}");
}

#[test]
fn conditions_on_missing_values_are_false() {
    let engine = pack(json!([
        rule("when_a", yes("a"), json!({"focus": {"first": 1}})),
        rule(
            "unless_a",
            json!({"not": yes("a")}),
            json!({"focus": {"second": 1}})
        ),
        rule(
            "no_answer",
            json!({"unanswered": "a"}),
            json!({"focus": {"alone": 1}})
        )
    ]));
    let rec = engine.assess(&Responses::default()).unwrap();
    assert_eq!(rec.fired_rules().collect::<Vec<_>>(), ["unless_a", "no_answer"]);
}

#[test]
fn every_answer_problem_is_reported_without_the_answer() {
    let engine = pack(json!([rule("r", always(), json!({"focus": {"first": 1}}))]));
    let responses = Responses::new([("a", Value::text("secret words")), ("zzz", Value::bool(true))])
        .with_context("reluctant", Value::number(3.0));
    let err = engine.assess(&responses).unwrap_err();
    assert_eq!(
        kinds_and_paths(&err),
        [
            ("wrong_type", "answers.a"),
            ("unknown_question", "answers.zzz"),
            ("wrong_type", "context.reluctant"),
        ]
    );
    assert!(!err.to_string().contains("secret"), "{err}");
    let couple = CoupleResponses::new([("zzz", Value::bool(true))], [("b", Value::text("secret words"))])
        .with_context("reluctant", Value::number(3.0));
    let err = engine.assess_couple(&couple).unwrap_err();
    assert_eq!(
        kinds_and_paths(&err),
        [
            ("unknown_question", "a.zzz"),
            ("wrong_type", "b.b"),
            ("wrong_type", "context.reluctant"),
        ]
    );
    assert!(!err.to_string().contains("secret"), "{err}");
}

fn kinds_and_paths(err: &rekindle::AnswersError) -> Vec<(&str, &str)> {
    err.problems()
        .iter()
        .map(|p| (p.kind.tag(), p.path.as_str()))
        .collect()
}
