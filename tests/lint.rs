//! `Engine::lint` on small packs: each finding kind, with its path, and
//! nothing where nothing is wrong.

use rekindle::Engine;
use serde_json::{json, Value};

const MINIMAL: &str = include_str!("data/minimal-pack.json");

/// The minimal pack, with its second phase reachable, edited.
fn engine(edit: impl FnOnce(&mut Value)) -> Engine {
    let mut pack: Value = serde_json::from_str(MINIMAL).expect("minimal pack");
    pack["rules"][1]["then"]["phases"] = json!({"touch": 1});
    edit(&mut pack);
    Engine::from_json(&pack.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn findings(engine: &Engine) -> Vec<(String, String)> {
    engine
        .lint()
        .iter()
        .map(|p| (p.kind.tag().to_owned(), p.path.clone()))
        .collect()
}

fn pair(kind: &str, path: &str) -> (String, String) {
    (kind.to_owned(), path.to_owned())
}

#[test]
fn a_phase_no_rule_weighs_is_unreachable_and_nothing_else_is_found() {
    let pack: Value = serde_json::from_str(MINIMAL).expect("minimal pack");
    let minimal = Engine::from_json(&pack.to_string()).expect("valid");
    assert_eq!(
        findings(&minimal),
        [pair("unreachable_outcome", "challenges[0].phases[1]")]
    );
    assert_eq!(findings(&engine(|_| {})), []);
}

#[test]
fn contradictory_tests_never_fire() {
    let e = engine(|p| {
        p["rules"][1]["when"] = json!({"all": [
            {"answer": "q_listen", "is": "often"},
            {"answer": "q_listen", "lte": 1}
        ]});
        p["rules"][0]["when"] = json!({"all": [
            {"band": "communication", "is": "low"},
            {"score": "communication", "gte": 60}
        ]});
    });
    let found = findings(&e);
    assert!(found.contains(&pair("never_fires", "rules[0].when")), "{found:?}");
    assert!(found.contains(&pair("never_fires", "rules[1].when")), "{found:?}");
}

#[test]
fn answered_and_unanswered_together_never_fire_but_each_alone_can() {
    let e = engine(|p| {
        p["rules"][1]["when"] =
            json!({"all": [{"unanswered": "q_listen"}, {"answer": "q_listen", "is": "often"}]});
        p["rules"][0]["when"] =
            json!({"all": [{"unanswered": "q_listen"}, {"context": "married", "is": true}]});
    });
    assert_eq!(findings(&e), [pair("never_fires", "rules[1].when")]);
}

#[test]
fn a_rule_repeating_a_condition_is_a_duplicate() {
    let e = engine(|p| {
        let mut copy = p["rules"][0].clone();
        copy["id"] = json!("listen_again");
        p["rules"].as_array_mut().expect("rules").push(copy);
    });
    assert_eq!(findings(&e), [pair("duplicate_rule", "rules[3].when")]);
}

#[test]
fn a_band_no_answers_reach_is_reported() {
    // q_listen weighs 0, 1 or 2: a sum over it alone scores 0, 50 or 100.
    let e = engine(|p| {
        p["dimensions"][0] = json!({"id": "communication", "title": "Communication",
            "items": [{"question": "q_listen"}], "method": "sum",
            "bands": [{"id": "low", "label": "Low", "min": 0, "max": 40},
                      {"id": "gap", "label": "Between", "min": 40, "max": 45},
                      {"id": "high", "label": "High", "min": 45, "max": 100}]});
        p["rules"][0]["when"]["all"][0] = json!({"band": "communication", "is": "high"});
    });
    assert_eq!(findings(&e), [pair("unreachable_band", "dimensions[0].bands[1]")]);
}

#[test]
fn outcomes_no_rule_leads_to_are_reported() {
    let e = engine(|p| {
        p["focus_areas"]
            .as_array_mut()
            .expect("areas")
            .push(json!({"id": "spare", "title": "Spare", "summary": "s"}));
        p["therapy_levels"]
            .as_array_mut()
            .expect("levels")
            .push(json!({"id": "unused", "title": "U", "message": "m"}));
    });
    let found = findings(&e);
    assert!(
        found.contains(&pair("unreachable_outcome", "focus_areas[2]")),
        "{found:?}"
    );
    assert!(
        found.contains(&pair("unreachable_outcome", "therapy_levels[3]")),
        "{found:?}"
    );
}

#[test]
fn cut_offs_finer_than_scores_are_reported() {
    let e = engine(|p| {
        p["rules"][0]["when"]["all"][0] = json!({"score": "communication", "gte": 1000.0 / 27.0});
    });
    assert_eq!(findings(&e), [pair("rounded_cutoff", "rules[0].when.all[0]")]);
}

#[test]
fn shared_reasons_of_private_rules_are_listed_as_never_shown() {
    let e = engine(|p| {
        p["questions"][0]["private"] = json!(true);
        p["dimensions"][0]["private"] = json!(true);
        p["rules"][0]["then"]["shared_reason"] = json!("One of you.");
        p["rules"][1]["then"]["shared_reason"] = json!("One of you.");
    });
    assert_eq!(
        findings(&e),
        [
            pair("unused_shared_reason", "rules[0].then.shared_reason"),
            pair("unused_shared_reason", "rules[1].then.shared_reason")
        ]
    );
}

#[test]
fn suppressions_of_private_rules_are_listed_as_own_view_only() {
    let e = engine(|p| {
        p["questions"][0]["private"] = json!(true);
        p["dimensions"][0]["private"] = json!(true);
        p["rules"][0]["then"]["suppress"] = json!(["couples"]);
    });
    assert_eq!(
        findings(&e),
        [pair("own_view_suppression", "rules[0].then.suppress")]
    );
}

#[test]
fn the_default_pack_has_no_findings() {
    assert_eq!(findings(&Engine::embedded()), []);
}
