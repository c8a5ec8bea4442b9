//! Couple mode: the privacy model held by properties over generated
//! answers, the neutral-twin property, and the disclosure that must never
//! reach the other partner.

use std::collections::HashMap;

use proptest::prelude::*;
use rekindle::pack::{AnswerSpec, Pack};
use rekindle::{CouplePlan, CoupleResponses, Engine, Value};

fn default_pack() -> Pack {
    serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("default pack parses")
}

fn engine() -> Engine {
    Engine::embedded()
}

fn is_safety_question(id: &str) -> bool {
    id.starts_with("q_safety")
}

/// Questions that a safety rule or a neutral-plan rule reads.
fn gate_questions(pack: &Pack) -> Vec<String> {
    let mut ids: Vec<String> = pack
        .questions
        .iter()
        .map(|q| q.id.clone())
        .filter(|id| is_safety_question(id))
        .collect();
    ids.push("q_self_first".to_owned());
    ids
}

/// One partner's answers: each ordinary question answered with a valid
/// value or skipped; the safety items and the neutral item are left out.
fn ordinary_answers() -> impl Strategy<Value = HashMap<String, Value>> {
    let pack = default_pack();
    let gate = gate_questions(&pack);
    let questions: Vec<(String, Vec<Value>)> = pack
        .questions
        .iter()
        .filter(|q| !gate.contains(&q.id))
        .map(|q| {
            let values = match &q.answer {
                AnswerSpec::Options { options } => options.iter().map(|o| Value::text(&o.value)).collect(),
                AnswerSpec::Range { min, max, step, .. } => {
                    let step = step.unwrap_or((max - min) / 4.0);
                    let count = ((max - min) / step).round() as u32;
                    (0..=count)
                        .map(|i| Value::number(min + step * f64::from(i)))
                        .collect()
                }
                AnswerSpec::YesNo => vec![Value::bool(true), Value::bool(false)],
            };
            (q.id.clone(), values)
        })
        .collect();
    let picks = questions
        .into_iter()
        .map(|(id, values)| {
            let n = values.len();
            (0..n + 1).prop_map(move |i| values.get(i).map(|v| (id.clone(), v.clone())))
        })
        .collect::<Vec<_>>();
    picks.prop_map(|answers| answers.into_iter().flatten().collect())
}

fn context() -> impl Strategy<Value = HashMap<String, Value>> {
    let facts: Vec<String> = default_pack().context.iter().map(|f| f.id.clone()).collect();
    proptest::collection::vec(proptest::option::of(any::<bool>()), facts.len()).prop_map(move |values| {
        facts
            .iter()
            .zip(values)
            .filter_map(|(id, v)| v.map(|b| (id.clone(), Value::bool(b))))
            .collect()
    })
}

/// A non-empty set of safety items, as a bit mask over the pack's.
fn safety_answers(mask: u8) -> Vec<(String, Value)> {
    let pack = default_pack();
    let items: Vec<String> = pack
        .questions
        .iter()
        .map(|q| q.id.clone())
        .filter(|id| is_safety_question(id))
        .collect();
    // At least one yes among the items.
    let mask = u32::from(mask) % ((1 << items.len()) - 1) + 1;
    items
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, Value::bool(mask & (1 << i) != 0)))
        .collect()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("results serialise")
}

/// Words that belong to the safety notice and must never reach the shared
/// view or the other partner's view.
const SAFETY_WORDS: &[&str] = &[
    "safety",
    "feel safe",
    "safely",
    "danger",
    "afraid",
    "abuse",
    "emergency",
    "helpline",
];

/// Every text of the safety gate and of the rules that raise it.
fn safety_texts(pack: &Pack) -> Vec<String> {
    let mut texts = vec![pack.safety.title.clone(), pack.safety.message.clone()];
    for resource in &pack.safety.resources {
        texts.push(resource.name.clone());
        texts.push(resource.description.clone());
        if !resource.contact.is_empty() {
            texts.push(resource.contact.clone());
        }
    }
    for rule in pack.rules.iter().filter(|r| r.then.safety) {
        texts.push(format!("\"{}\"", rule.id));
        texts.push(rule.then.reason.clone());
    }
    if let Some(area) = pack.focus_areas.iter().find(|f| f.id == pack.safety.focus_area) {
        texts.push(area.summary.clone());
    }
    texts
}

/// Every string value in a JSON tree, joined (field names left out).
fn texts(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(text) => {
            out.push_str(text);
            out.push('\n');
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| texts(v, out)),
        _ => {}
    }
}

/// What holds of every view a partner other than the discloser reads.
fn assert_nothing_about_safety(view: &str, json: &str, pack: &Pack) -> Result<(), TestCaseError> {
    let mut text = String::new();
    texts(&serde_json::from_str(json).expect("JSON"), &mut text);
    let lower = text.to_lowercase();
    for word in SAFETY_WORDS {
        prop_assert!(!lower.contains(word), "{view} mentions {word:?}: {text}");
    }
    for secret in safety_texts(pack) {
        prop_assert!(!text.contains(&secret), "{view} contains {secret:?}");
    }
    Ok(())
}

/// The structural privacy rules every plan obeys, whatever the answers.
fn assert_private_by_construction(plan: &CouplePlan, pack: &Pack) -> Result<(), TestCaseError> {
    let shared_dims: Vec<&str> = pack
        .couple
        .iter()
        .flat_map(|c| c.shared_dimensions.iter().map(String::as_str))
        .collect();
    for score in &plan.shared.scores {
        prop_assert!(shared_dims.contains(&score.id.as_str()), "{} shared", score.id);
        let dim = pack
            .dimensions
            .iter()
            .find(|d| d.id == score.id)
            .expect("declared");
        prop_assert!(!dim.private, "private dimension {} shared", dim.id);
    }
    let shared = &plan.shared;
    let referred = shared
        .focus_areas
        .iter()
        .flat_map(|f| &f.reasons)
        .chain(shared.challenge.iter().flat_map(|c| &c.rationale))
        .chain(&shared.therapy.reasons);
    for rule in referred {
        prop_assert!(
            shared.reasons.iter().any(|r| r.rule == *rule),
            "{} is referred to but has no reason in the shared view",
            rule
        );
    }
    for reason in &shared.reasons {
        let Some(rule) = pack.rules.iter().find(|r| r.id == reason.rule) else {
            prop_assert_eq!(&reason.rule, "couple.neutral_plan");
            continue;
        };
        let then = &rule.then;
        prop_assert!(
            !then.safety && !then.neutral_plan,
            "{} in the shared view",
            rule.id
        );
        prop_assert_eq!(
            then.view,
            rekindle::pack::View::Shared,
            "{} is an own-view rule",
            &rule.id
        );
        if let Some(text) = &then.shared_reason {
            prop_assert_eq!(&reason.text, text, "{} must show its shared reason", &rule.id);
        }
    }
    for (view, other) in [(&plan.a, "b"), (&plan.b, "a")] {
        prop_assert_eq!(
            view.scores.len(),
            pack.dimensions.len(),
            "partner {} sees all its scores",
            other
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The engine's who-sees-what table, over any answers.
    #[test]
    fn views_hold_only_what_their_reader_may_see(
        a in ordinary_answers(),
        b in ordinary_answers(),
        context in context(),
        a_raises in any::<bool>(),
        b_raises in any::<bool>(),
        mask in any::<u8>(),
    ) {
        let pack = default_pack();
        let mut responses = CoupleResponses { a, b, context, ..CoupleResponses::default() };
        if a_raises {
            responses.a.extend(safety_answers(mask));
        }
        if b_raises {
            responses.b.extend(safety_answers(mask.rotate_left(3)));
        }
        let plan = engine().assess_couple(&responses).expect("valid answers");
        assert_private_by_construction(&plan, &pack)?;
        assert_nothing_about_safety("the shared view", &json(&plan.shared), &pack)?;
        prop_assert_eq!(plan.a.safety.is_some(), a_raises);
        prop_assert_eq!(plan.b.safety.is_some(), b_raises);
        if !a_raises {
            assert_nothing_about_safety("partner a's view", &json(&plan.a), &pack)?;
        }
        if !b_raises {
            assert_nothing_about_safety("partner b's view", &json(&plan.b), &pack)?;
        }
        if a_raises || b_raises {
            prop_assert!(plan.shared.challenge.is_none());
            let suppressed = &pack.safety.suppress;
            for area in &plan.shared.focus_areas {
                let declared = pack.focus_areas.iter().find(|f| f.id == area.id).expect("declared");
                prop_assert!(!declared.tags.iter().any(|t| suppressed.contains(t)), "{} shared under the gate", area.id);
            }
            let level = pack.therapy_levels.iter().find(|t| t.id == plan.shared.therapy.level).expect("declared");
            prop_assert!(!level.tags.iter().any(|t| suppressed.contains(t)), "joint counselling under the gate");
        }
    }

    /// A partner's own view depends on nothing the other partner answered.
    #[test]
    fn a_partners_view_ignores_the_other_partners_answers(
        a in ordinary_answers(),
        other in ordinary_answers(),
        b in ordinary_answers(),
        context in context(),
        mask in any::<u8>(),
    ) {
        let first = engine().assess_couple(&CoupleResponses { a, b: b.clone(), context: context.clone(), ..CoupleResponses::default() }).expect("valid");
        let mut changed = other;
        changed.extend(safety_answers(mask));
        let second = engine().assess_couple(&CoupleResponses { a: changed, b, context, ..CoupleResponses::default() }).expect("valid");
        prop_assert_eq!(json(&first.b), json(&second.b));
    }

    /// When partner X raises the safety gate, what the other partner reads
    /// (the shared view and their own) is byte for byte what it is when X
    /// gives the ordinary "work on myself first" answer instead.
    #[test]
    fn a_disclosure_reads_like_an_ordinary_answer(
        x in ordinary_answers(),
        y in ordinary_answers(),
        context in context(),
        mask in any::<u8>(),
        x_is_a in any::<bool>(),
    ) {
        let mut disclosed = x.clone();
        disclosed.extend(safety_answers(mask));
        let mut ordinary = x;
        ordinary.insert("q_self_first".to_owned(), Value::bool(true));
        let couple = |x: HashMap<String, Value>| {
            let (a, b) = if x_is_a { (x, y.clone()) } else { (y.clone(), x) };
            engine().assess_couple(&CoupleResponses { a, b, context: context.clone(), ..CoupleResponses::default() }).expect("valid")
        };
        let (with_disclosure, with_ordinary) = (couple(disclosed), couple(ordinary));
        prop_assert_eq!(json(&with_disclosure.shared), json(&with_ordinary.shared));
        let other = |plan: &CouplePlan| json(if x_is_a { &plan.b } else { &plan.a });
        prop_assert_eq!(other(&with_disclosure), other(&with_ordinary));
        // The discloser's own view is where the notice goes.
        let own = if x_is_a { &with_disclosure.a } else { &with_disclosure.b };
        prop_assert!(own.safety.is_some());
    }

    /// Whatever a partner answers to the private questions outside the
    /// gate (desire, sex), the shared view and the other partner's view
    /// stay byte for byte the same: each partner knows their own answers,
    /// so any difference would tell them what the other answered.
    #[test]
    fn private_answers_leave_no_trace_outside_their_owners_view(
        x in ordinary_answers(),
        replaced in ordinary_answers(),
        y in ordinary_answers(),
        context in context(),
        x_is_a in any::<bool>(),
    ) {
        let pack = default_pack();
        let private: Vec<&str> = pack.questions.iter().filter(|q| q.private).map(|q| q.id.as_str()).collect();
        // The same public answers, other private ones (or none).
        let mut other = x.clone();
        other.retain(|id, _| !private.contains(&id.as_str()));
        other.extend(replaced.into_iter().filter(|(id, _)| private.contains(&id.as_str())));
        let couple = |x: HashMap<String, Value>| {
            let (a, b) = if x_is_a { (x, y.clone()) } else { (y.clone(), x) };
            engine().assess_couple(&CoupleResponses { a, b, context: context.clone(), ..CoupleResponses::default() }).expect("valid")
        };
        let (first, second) = (couple(x), couple(other));
        prop_assert_eq!(json(&first.shared), json(&second.shared));
        let reader = |plan: &CouplePlan| json(if x_is_a { &plan.b } else { &plan.a });
        prop_assert_eq!(reader(&first), reader(&second));
    }

    /// No answers, valid or not, make couple mode panic.
    #[test]
    fn any_couple_answers_give_a_plan_or_a_typed_error(
        a in proptest::collection::hash_map("[a-z_]{0,14}", any::<bool>().prop_map(Value::bool), 0..8),
        b in ordinary_answers(),
    ) {
        let responses = CoupleResponses { a, b, context: HashMap::new(), ..CoupleResponses::default() };
        match engine().assess_couple(&responses) {
            Ok(plan) => prop_assert!(plan.a.safety.is_none()),
            Err(error) => prop_assert!(!error.problems().is_empty()),
        }
    }
}

fn example_answers() -> HashMap<String, Value> {
    #[derive(serde::Deserialize)]
    struct File {
        answers: HashMap<String, Value>,
    }
    let file: File = serde_json::from_str(include_str!("../examples/answers.json")).expect("example parses");
    file.answers
}

/// The reported case: the partner alone answers yes to being afraid. The
/// respondent's view and the shared view say nothing about it.
#[test]
fn a_partners_disclosure_never_reaches_the_respondent() {
    let pack = default_pack();
    let partner: HashMap<String, Value> = [("q_safety_fear".to_owned(), Value::bool(true))].into();
    let plan = engine()
        .assess_couple(&CoupleResponses {
            a: example_answers(),
            b: partner,
            ..CoupleResponses::default()
        })
        .expect("valid");
    let respondent = json(&plan.a);
    let shared = json(&plan.shared);
    for text in safety_texts(&pack) {
        assert!(!respondent.contains(&text), "respondent's view contains {text:?}");
        assert!(!shared.contains(&text), "shared view contains {text:?}");
    }
    assert!(plan.a.safety.is_none());
    let notice = plan
        .b
        .safety
        .as_ref()
        .expect("the partner's own view has the notice");
    assert_eq!(notice.title, pack.safety.title);
    assert!(plan.shared.challenge.is_none());
    assert_eq!(
        plan.shared
            .focus_areas
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>(),
        ["own_wellbeing"]
    );
    // The author's trace is where the safety rule is named.
    let trace = engine()
        .trace_couple(&CoupleResponses {
            a: example_answers(),
            b: [("q_safety_fear".to_owned(), Value::bool(true))].into(),
            ..CoupleResponses::default()
        })
        .expect("valid");
    assert!(trace.b.fired.iter().any(|f| f.rule == "safety_fear"));
    assert!(trace.neutral_plan);
}

#[test]
fn couple_rules_are_skipped_in_single_mode() {
    let responses = rekindle::Responses::new([("q_little_touch", "always")]);
    let rec = engine().assess(&responses).expect("valid");
    assert!(
        rec.fired_rules().all(|id| !id.starts_with("couple_")),
        "{:?}",
        rec.fired_rules().collect::<Vec<_>>()
    );
    let couple = CoupleResponses::new([("q_little_touch", "always")], [("q_little_touch", "never")]);
    let trace = engine().trace_couple(&couple).expect("valid");
    let fired: Vec<&str> = trace.couple.fired.iter().map(|f| f.rule.as_str()).collect();
    assert!(fired.contains(&"couple_more_touch"), "{fired:?}");
    let leaf = &trace.couple.fired[0].leaves[0];
    assert_eq!(leaf.actual, "a: always (weight 4); b: never (weight 0)");
}

#[test]
fn couple_json_errors_never_echo_answers() {
    let engine = engine();
    for bad in [
        r#"{"a": "my secret words", "b": {}}"#,
        r#"{"a": {}, "b": {"q_blame": ["my secret words"]}}"#,
        r#"{"a": {}, "b": {}, "context": "my secret words"}"#,
    ] {
        let err = engine.assess_couple_json(bad).expect_err("malformed");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
    let err = engine
        .assess_couple_json(r#"{"a": {"q_blame": "my secret words"}, "b": {}}"#)
        .expect_err("not an option");
    assert_eq!(err.problems()[0].path, "a.q_blame");
    assert!(!err.to_string().contains("secret"), "{err}");
}
