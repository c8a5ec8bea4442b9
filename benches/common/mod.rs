//! Inputs shared by the benchmarks: the default pack's realistic answer
//! sets and synthetic packs of any number of rules.

#![allow(dead_code)]

pub mod jsonlogic;

use rekindle::{CoupleResponses, Responses, Value, DEFAULT_PACK_JSON};
use serde_json::{json, Value as Json};

/// Every question of the default pack answered, with a spread of answers
/// and every context fact given: a couple who finished the questionnaire.
pub fn full_answers() -> Responses {
    let pack: Json = serde_json::from_str(DEFAULT_PACK_JSON).expect("default pack");
    let mut responses = Responses::default();
    for (i, q) in pack["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .enumerate()
    {
        let id = q["id"].as_str().expect("id").to_owned();
        let value = match q["answer"]["kind"].as_str() {
            Some("options") => {
                let options = q["answer"]["options"].as_array().expect("options");
                Value::text(options[(i * 3) % options.len()]["value"].as_str().expect("value"))
            }
            Some("range") => Value::number(4.0),
            _ => Value::bool(false),
        };
        responses.answers.insert(id, value);
    }
    responses
        .with_context("married", true)
        .with_context("has_children", true)
        .with_context("partner_reluctant_in_office", true)
        .with_context("cost_concern", false)
}

/// Both partners finished the questionnaire: A as in [`full_answers`], B
/// with a different spread of answers.
pub fn full_couple() -> CoupleResponses {
    let a = full_answers();
    let mut b = a.answers.clone();
    for (i, value) in b.values_mut().enumerate() {
        if let Value::Text { value: text } = value {
            *text = ["never", "rarely", "sometimes", "often", "always"][i % 5].to_owned();
        }
    }
    CoupleResponses {
        a: a.answers,
        b,
        context: a.context,
        ..CoupleResponses::default()
    }
}

/// Three answers: someone who has just started.
pub fn sparse_answers() -> Responses {
    Responses::new([
        ("q_misunderstandings", Value::text("often")),
        ("q_feel_distant", Value::text("sometimes")),
        ("q_overall_closeness", Value::number(6.0)),
    ])
}

/// Whether the rules of a synthetic pack fire for [`synthetic_answers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Firing {
    /// Every rule fires.
    All,
    /// No rule fires, after the same evaluation work (the last leaf fails).
    None,
}

/// The questions of the default pack that take options.
fn option_questions(pack: &Json) -> Vec<String> {
    pack["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .filter(|q| q["answer"]["kind"] == "options")
        .map(|q| q["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The default pack with its rules replaced by `n` generated ones. Each rule
/// has four leaves (an answer, a score, a band and a context fact) in
/// `all`/`any`, and weights one focus area and one phase.
pub fn synthetic_pack(n: usize) -> String {
    let mut pack: Json = serde_json::from_str(DEFAULT_PACK_JSON).expect("default pack");
    let questions = option_questions(&pack);
    let dims: Vec<(String, String)> = pack["dimensions"]
        .as_array()
        .expect("dimensions")
        .iter()
        .filter_map(|d| {
            let band = d["bands"].get(0)?["id"].as_str()?.to_owned();
            Some((d["id"].as_str()?.to_owned(), band))
        })
        .collect();
    let areas: Vec<String> = pack["focus_areas"]
        .as_array()
        .expect("focus areas")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .collect();
    let phases: Vec<String> = pack["challenges"][0]["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_owned())
        .collect();
    let rules: Vec<Json> = (0..n)
        .map(|i| {
            let (dim, band) = &dims[i % dims.len()];
            json!({
                "id": format!("rule_{i}"),
                "when": {"all": [
                    {"any": [
                        {"score": dim, "gte": 0},
                        {"band": dim, "is": band},
                        {"context": "married", "is": true}
                    ]},
                    {"answer": questions[i % questions.len()], "in": ["often", "always"]}
                ]},
                "then": {
                    "focus": {areas[i % areas.len()].clone(): 1 + (i % 5)},
                    "phases": {phases[i % phases.len()].clone(): 0.5},
                    "reason": format!("Generated rule {i} fired."),
                    // Some answers read are private: the shared plan needs
                    // wording that does not say who answered.
                    "shared_reason": format!("Generated rule {i} fired for one of you.")
                }
            })
        })
        .collect();
    pack["rules"] = Json::Array(rules);
    pack["id"] = json!(format!("bench.synthetic.{n}"));
    serde_json::to_string(&pack).expect("serialises")
}

/// Answers for a synthetic pack: every options question answered, so every
/// score is present; the last leaf of each rule holds or fails as asked.
pub fn synthetic_answers(firing: Firing) -> Responses {
    let pack: Json = serde_json::from_str(DEFAULT_PACK_JSON).expect("default pack");
    let value = match firing {
        Firing::All => "often",
        Firing::None => "never",
    };
    let mut responses = Responses::default();
    for id in option_questions(&pack) {
        responses.answers.insert(id, Value::text(value));
    }
    responses.with_context("married", true)
}
