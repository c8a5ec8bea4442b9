//! Properties over generated inputs: no panics, bounded scores, determinism,
//! and a safety flag that always suppresses the couples outcomes.

use std::collections::HashMap;

use proptest::prelude::*;
use rekindle::pack::{AnswerSpec, Pack};
use rekindle::{Engine, Responses, TraceDetail, Value};
use serde_json::Value as Json;

fn default_pack() -> Pack {
    serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("default pack parses")
}

/// Every answer the default pack accepts, per question.
fn valid_values(pack: &Pack) -> Vec<(String, Vec<Value>)> {
    pack.questions
        .iter()
        .map(|q| {
            let values = match &q.answer {
                AnswerSpec::Options { options } => options.iter().map(|o| Value::text(&o.value)).collect(),
                AnswerSpec::Range { min, max, step, .. } => {
                    let step = step.unwrap_or((max - min) / 4.0);
                    let mut values = Vec::new();
                    let mut v = *min;
                    while v <= *max + 1e-9 {
                        values.push(Value::number(v));
                        v += step;
                    }
                    values
                }
                AnswerSpec::YesNo => vec![Value::bool(true), Value::bool(false)],
            };
            (q.id.clone(), values)
        })
        .collect()
}

/// Valid responses: each question answered with some valid value or skipped.
fn valid_responses() -> impl Strategy<Value = Responses> {
    let pack = default_pack();
    let questions = valid_values(&pack);
    let facts: Vec<String> = pack.context.iter().map(|f| f.id.clone()).collect();
    let answers = questions
        .into_iter()
        .map(|(id, values)| {
            let n = values.len();
            (any::<bool>(), 0..n).prop_map(move |(skip, i)| (!skip).then(|| (id.clone(), values[i].clone())))
        })
        .collect::<Vec<_>>();
    let context = proptest::collection::vec(proptest::option::of(any::<bool>()), facts.len());
    (answers, context).prop_map(move |(answers, context)| Responses {
        answers: answers.into_iter().flatten().collect(),
        context: facts
            .iter()
            .zip(context)
            .filter_map(|(id, v)| v.map(|b| (id.clone(), Value::bool(b))))
            .collect(),
        ..Responses::default()
    })
}

/// Any value at all, including ones no question takes.
fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::bool),
        any::<f64>().prop_map(Value::number),
        prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-0.0), Just(1e308)].prop_map(Value::number),
        "[a-z_]{0,12}".prop_map(Value::text),
        Just(Value::text("often")),
    ]
}

/// Any responses: real and made-up ids with any values.
fn any_responses() -> impl Strategy<Value = Responses> {
    let pack = default_pack();
    let mut ids: Vec<String> = pack.questions.iter().map(|q| q.id.clone()).collect();
    ids.push("q_not_in_pack".to_owned());
    let mut facts: Vec<String> = pack.context.iter().map(|f| f.id.clone()).collect();
    facts.push("pets".to_owned());
    let entry = |ids: Vec<String>| (proptest::sample::select(ids), any_value());
    (
        proptest::collection::vec(entry(ids.clone()), 0..50),
        proptest::collection::vec(entry(facts), 0..6),
    )
        .prop_map(|(answers, context)| Responses {
            answers: answers.into_iter().collect::<HashMap<_, _>>(),
            context: context.into_iter().collect(),
            ..Responses::default()
        })
}

fn is_safety_question(id: &str) -> bool {
    id.starts_with("q_safety")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_answers_give_a_result_or_a_typed_error(responses in any_responses()) {
        match Engine::embedded().assess(&responses) {
            Ok(rec) => prop_assert!(rec.scores.iter().all(|s| s.score.is_none_or(|v| (0.0..=100.0).contains(&v)))),
            Err(err) => prop_assert!(!err.problems().is_empty()),
        }
    }

    #[test]
    fn scores_stay_within_0_and_100(responses in valid_responses()) {
        let rec = Engine::embedded().assess(&responses).expect("valid responses are accepted");
        for score in &rec.scores {
            if let Some(v) = score.score {
                prop_assert!((0.0..=100.0).contains(&v), "{} = {v}", score.id);
                prop_assert!(score.band.is_some(), "{} has a score but no band", score.id);
            }
            prop_assert!(score.answered <= score.items);
        }
    }

    #[test]
    fn fired_rules_are_the_rules_an_assessment_traces(responses in valid_responses()) {
        let engine = Engine::embedded();
        let fired = engine.fired_rules(&responses).expect("valid");
        let rec = engine.assess(&responses).expect("valid");
        prop_assert!(fired.iter().copied().eq(rec.fired_rules()), "{:?}", fired);
    }

    #[test]
    fn json_results_are_what_serde_json_writes(
        responses in valid_responses(),
        rules_only in any::<bool>(),
    ) {
        // The FFI's JSON calls write results with the crate's own writer:
        // byte for byte serde_json's text, full trace or rules only, and
        // for a couple made of two of these answer sets.
        let json = serde_json::to_string(&responses).expect("serialises");
        let detail = if rules_only { TraceDetail::RulesOnly } else { TraceDetail::Full };
        let ffi = rekindle::ffi::Engine::new();
        let rec = Engine::embedded().assess_json_with(&json, detail).expect("valid");
        let expected = serde_json::to_string(&rec).expect("serialises");
        prop_assert_eq!(ffi.assess_json_lines(format!("{json}\n{json}"), detail), format!("{expected}\n{expected}"));
        if !rules_only {
            prop_assert_eq!(ffi.assess_json_to_json(json.clone()).expect("valid"), expected);
        }
        let answers = serde_json::to_string(&responses.answers).expect("serialises");
        let context = serde_json::to_string(&responses.context).expect("serialises");
        let couple = format!(r#"{{"a": {answers}, "b": {answers}, "context": {context}}}"#);
        let plan = Engine::embedded().assess_couple_json(&couple).expect("valid");
        let expected = serde_json::to_string(&plan).expect("serialises");
        prop_assert_eq!(ffi.assess_couple_json_to_json(couple).expect("valid"), expected);
    }

    #[test]
    fn the_same_input_gives_the_same_output(responses in valid_responses()) {
        let a = Engine::embedded().assess(&responses).expect("valid");
        let fresh = Engine::from_json(rekindle::DEFAULT_PACK_JSON).expect("valid pack");
        let b = fresh.assess(&responses).expect("valid");
        prop_assert_eq!(&a, &b);
        let json = serde_json::to_string(&responses).expect("serialises");
        let c = Engine::embedded().assess_json(&json).expect("valid");
        prop_assert_eq!(a, c);
    }

    #[test]
    fn a_safety_flag_always_suppresses_couples_outcomes(
        mut responses in valid_responses(),
        which in 0usize..4,
    ) {
        let pack = default_pack();
        let safety: Vec<&str> = pack.questions.iter().map(|q| q.id.as_str()).filter(|id| is_safety_question(id)).collect();
        prop_assert!(!safety.is_empty(), "the default pack has safety questions");
        let item = safety[which % safety.len()].to_owned();
        responses.answers.insert(item, Value::bool(true));
        let rec = Engine::embedded().assess(&responses).expect("valid");
        let suppressed = &pack.safety.suppress;
        let tagged = |tags: &[String]| tags.iter().any(|t| suppressed.contains(t));
        prop_assert!(rec.safety.is_some());
        prop_assert_eq!(&rec.focus_areas[0].id, &pack.safety.focus_area);
        for area in &rec.focus_areas {
            let declared = pack.focus_areas.iter().find(|f| f.id == area.id).expect("declared");
            prop_assert!(!tagged(&declared.tags), "{} shown under the safety flag", area.id);
        }
        if let Some(challenge) = &rec.challenge {
            let declared = pack.challenges.iter().find(|c| c.id == challenge.id).expect("declared");
            prop_assert!(!tagged(&declared.tags), "{} shown under the safety flag", challenge.id);
        }
        let level = pack.therapy_levels.iter().find(|t| t.id == rec.therapy.level).expect("declared");
        prop_assert!(!tagged(&level.tags), "therapy {} under the safety flag", level.id);
    }
}

/// Replaces the node at a random position of a JSON tree.
fn mutate(node: &mut Json, mut pick: usize, replacement: &Json) -> usize {
    if pick == 0 {
        *node = replacement.clone();
        return 0;
    }
    pick -= 1;
    let children: Vec<&mut Json> = match node {
        Json::Array(items) => items.iter_mut().collect(),
        Json::Object(map) => map.values_mut().collect(),
        _ => return pick,
    };
    for child in children {
        pick = mutate(child, pick, replacement);
        if pick == 0 {
            return 0;
        }
    }
    pick
}

fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        prop_oneof![
            Just("q_listen"),
            Just("communication"),
            Just("couples"),
            Just("trust"),
            Just("often"),
            Just(""),
            Just("high")
        ]
        .prop_map(Json::from),
        "[a-z_ ]{0,8}".prop_map(Json::from),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("all".to_owned()),
                    Just("any".to_owned()),
                    Just("not".to_owned()),
                    Just("score".to_owned()),
                    Just("gte".to_owned()),
                    Just("is".to_owned()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Structurally random packs: the minimal test pack with up to three
    /// nodes replaced by random JSON. Loading never panics, and a pack that
    /// loads assesses arbitrary answers without panicking.
    #[test]
    fn random_packs_never_panic(
        edits in proptest::collection::vec((0usize..400, any_json()), 1..4),
        responses in any_responses(),
    ) {
        let mut pack: Json = serde_json::from_str(include_str!("data/minimal-pack.json")).expect("parses");
        for (at, replacement) in &edits {
            mutate(&mut pack, *at, replacement);
        }
        if let Ok(engine) = Engine::from_json(&pack.to_string()) {
            let _ = engine.assess(&responses);
            let _ = engine.assess(&Responses::default());
        }
    }
}
