//! The peer comparison with datalogic-rs, a JsonLogic engine: a pack's rule
//! conditions translated into JsonLogic from the pack model, the facts they
//! read (answers, context facts, dimension scores and bands, computed by
//! rekindle), and a check that both engines decide the same rules.
//!
//! The facts object has one map per kind of fact, keyed by id:
//!
//! ```json
//! {"answers": {"q_blame": "often", "q_overall_closeness": 4, "q_safety_fear": false},
//!  "weights": {"q_blame": 3},
//!  "context": {"married": true},
//!  "scores": {"conflict": 62.5}, "raw": {"conflict": 2.5}, "bands": {"conflict": "high"}}
//! ```
//!
//! `weights` holds the declared weight of each chosen option, which numeric
//! comparisons of an options answer read. Anything unknown (an unanswered
//! question, an absent score, a fact not given) is left out, and every
//! translated leaf is false on a missing value, as rekindle's are.
//!
//! The translation is the classic JsonLogic a rule author would write:
//! `and`, `or`, `!`, `===`, `in`, numeric comparisons and `val` paths, with
//! `at_least` as a sum of `if`s compared with N.

use datalogic_rs::{Engine as LogicEngine, Logic, ParsedData, Session};
use rekindle::pack::{AnswerSpec, Condition, Pack};
use rekindle::{Engine, Recommendation, Responses, TraceDetail, Value};
use serde_json::{json, Map, Value as Json};

/// A rule of the pack with its condition in JsonLogic.
pub struct TranslatedRule {
    /// The rule id.
    pub id: String,
    /// The rule's `when`, in JsonLogic.
    pub logic: Json,
}

/// The conditions of the rules that single mode evaluates, in pack order.
///
/// A rule with a couple leaf (`whose`, `gap`, `answer_gap`) is a couple
/// rule, which single mode skips because it needs two people; it is left
/// out. Progress leaves (`change`, `trend`, `previous_band`, `previous`)
/// read an earlier snapshot; the facts hold none, so they are unknown and
/// translate to `false`, exactly as rekindle decides them without one.
pub fn translate_rules(pack: &Pack, logic: &LogicEngine) -> Vec<TranslatedRule> {
    pack.rules
        .iter()
        .filter_map(|rule| {
            Some(TranslatedRule {
                id: rule.id.clone(),
                logic: translate(&rule.when, pack, logic)?,
            })
        })
        .collect()
}

/// One condition in JsonLogic; `None` when it holds a couple leaf.
fn translate(cond: &Condition, pack: &Pack, logic: &LogicEngine) -> Option<Json> {
    if cond.whose.is_some() || cond.gap.is_some() || cond.answer_gap.is_some() {
        return None;
    }
    let list = |conds: &[Condition]| -> Option<Vec<Json>> {
        conds.iter().map(|c| translate(c, pack, logic)).collect()
    };
    if let Some(all) = &cond.all {
        // JsonLogic's `and` of nothing is not `true`; rekindle's is.
        let all = list(all)?;
        return Some(if all.is_empty() {
            json!(true)
        } else {
            op("and", all.into())
        });
    }
    if let Some(any) = &cond.any {
        let any = list(any)?;
        return Some(if any.is_empty() {
            json!(false)
        } else {
            op("or", any.into())
        });
    }
    if let Some(inner) = &cond.not {
        return Some(op("!", json!([translate(inner, pack, logic)?])));
    }
    if let Some(n) = cond.at_least {
        let of = list(cond.of.as_deref().unwrap_or_default())?;
        if n == 0 {
            return Some(json!(true));
        }
        // How many hold, counted as 1 or 0 each, compared with N.
        let counts: Vec<Json> = of.into_iter().map(|c| op("if", json!([c, 1, 0]))).collect();
        return Some(op(">=", json!([op("+", counts.into()), n])));
    }
    if let Some(id) = &cond.score {
        return Some(compare(fact("scores", id), cond, logic));
    }
    if let Some(id) = &cond.raw {
        return Some(compare(fact("raw", id), cond, logic));
    }
    if let Some(id) = &cond.band {
        return Some(compare(fact("bands", id), cond, logic));
    }
    if let Some(id) = &cond.context {
        return Some(compare(fact("context", id), cond, logic));
    }
    if let Some(id) = &cond.answer {
        // A numeric test of an options answer reads the option's declared
        // weight; every other test reads the answer itself.
        let options = pack
            .questions
            .iter()
            .any(|q| q.id == *id && matches!(q.answer, AnswerSpec::Options { .. }));
        let kind = if options && cond.is.is_none() && cond.in_.is_none() {
            "weights"
        } else {
            "answers"
        };
        return Some(compare(fact(kind, id), cond, logic));
    }
    if let Some(id) = &cond.answered {
        return Some(op("!==", json!([fact("answers", id), null])));
    }
    if let Some(id) = &cond.unanswered {
        return Some(op("===", json!([fact("answers", id), null])));
    }
    if cond.change.is_some()
        || cond.trend.is_some()
        || cond.previous_band.is_some()
        || cond.previous.is_some()
    {
        return Some(json!(false));
    }
    panic!("a condition with no subject the translator knows: {cond:?}")
}

/// `{name: args}`.
fn op(name: &str, args: Json) -> Json {
    let mut object = Map::new();
    object.insert(name.to_owned(), args);
    Json::Object(object)
}

/// The fact `kind.id`, read by path segments so that ids with dots work.
fn fact(kind: &str, id: &str) -> Json {
    op("val", json!([kind, id]))
}

/// A leaf's one operator applied to `value`.
fn compare(value: Json, cond: &Condition, logic: &LogicEngine) -> Json {
    let numeric = [
        ("==", cond.eq),
        ("!=", cond.ne),
        ("<", cond.lt),
        ("<=", cond.lte),
        (">", cond.gt),
        (">=", cond.gte),
    ];
    let test = if let Some((name, number)) = numeric.into_iter().find_map(|(name, n)| Some((name, n?))) {
        op(name, json!([value, number]))
    } else if let Some(is) = &cond.is {
        op("===", json!([value, is]))
    } else if let Some(any_of) = &cond.in_ {
        op("in", json!([value, any_of]))
    } else {
        panic!("a leaf with no operator: {cond:?}")
    };
    // JsonLogic reads a missing value as null, which numeric comparisons
    // take as 0: `lte 3` would hold for an unanswered question. Where the
    // test holds on a missing value (asked of datalogic itself), it gets a
    // guard; elsewhere it is left as written, which is cheaper for the peer.
    let holds_when_missing = logic
        .eval_str(test.to_string().as_str(), "{}")
        .unwrap_or_else(|e| panic!("{test} does not evaluate: {e}"));
    if holds_when_missing == "false" {
        test
    } else {
        op("and", json!([op("!==", json!([value, null])), test]))
    }
}

fn value_json(value: &Value) -> Json {
    match value {
        Value::Text { value } => json!(value),
        Value::Number { value } => json!(value),
        Value::Bool { value } => json!(value),
    }
}

/// The facts the translated conditions read: the answers and context as
/// given, each chosen option's weight, and the scores and bands rekindle
/// computed for these answers.
pub fn facts(pack: &Pack, responses: &Responses, scored: &Recommendation) -> Json {
    let answers: Map<String, Json> = responses
        .answers
        .iter()
        .map(|(id, v)| (id.clone(), value_json(v)))
        .collect();
    let weights: Map<String, Json> = pack
        .questions
        .iter()
        .filter_map(|q| {
            let AnswerSpec::Options { options } = &q.answer else {
                return None;
            };
            let Some(Value::Text { value }) = responses.answers.get(&q.id) else {
                return None;
            };
            let option = options.iter().find(|o| o.value == *value)?;
            Some((q.id.clone(), json!(option.weight)))
        })
        .collect();
    let context: Map<String, Json> = responses
        .context
        .iter()
        .map(|(id, v)| (id.clone(), value_json(v)))
        .collect();
    let mut scores = Map::new();
    let mut raw = Map::new();
    let mut bands = Map::new();
    for dim in &scored.scores {
        if let Some(score) = dim.score {
            scores.insert(dim.id.to_string(), json!(score));
        }
        if let Some(value) = dim.raw {
            raw.insert(dim.id.to_string(), json!(value));
        }
        if let Some(band) = &dim.band {
            bands.insert(dim.id.to_string(), json!(band));
        }
    }
    json!({
        "answers": answers, "weights": weights, "context": context,
        "scores": scores, "raw": raw, "bands": bands,
    })
}

/// The translated conditions compiled once by datalogic-rs, in two forms,
/// with the facts of one answer set parsed once: what the timed loops
/// evaluate.
pub struct Peer {
    /// The JsonLogic engine the rules were compiled with.
    pub engine: LogicEngine,
    /// Each rule id with its compiled condition, in pack order: rules
    /// stored and evaluated one by one.
    pub rules: Vec<(String, Logic)>,
    /// Every condition in one JsonLogic array, in the order of `rules`,
    /// which one call evaluates into an array of booleans: fewer calls.
    pub all_rules: Logic,
    /// The facts, parsed into datalogic's own values.
    pub facts: ParsedData,
}

impl Peer {
    /// Translates and compiles the pack's conditions, and computes the facts
    /// of `responses` with `engine`. Panics if datalogic-rs and rekindle do
    /// not decide exactly the same rules for them.
    pub fn new(engine: &Engine, responses: &Responses) -> Peer {
        let logic_engine = LogicEngine::new();
        let translated = translate_rules(engine.pack(), &logic_engine);
        let compile = |logic: &Json| {
            logic_engine
                .compile(logic.to_string().as_str())
                .unwrap_or_else(|e| panic!("{logic} does not compile: {e}"))
        };
        let all_rules = compile(&Json::Array(translated.iter().map(|r| r.logic.clone()).collect()));
        let rules = translated
            .iter()
            .map(|rule| (rule.id.clone(), compile(&rule.logic)))
            .collect();
        let facts = facts_json(engine, responses);
        let peer = Peer {
            engine: logic_engine,
            rules,
            all_rules,
            facts: ParsedData::from_json(&facts.to_string()).expect("facts parse"),
        };
        peer.assert_agrees(engine, responses);
        peer
    }

    /// The ids of the rules whose condition holds, in pack order, one
    /// evaluation per rule. A result that is not a boolean is a translation
    /// error.
    pub fn fired<'p>(&'p self, session: &mut Session<'_>) -> Vec<&'p str> {
        self.fired_one_by_one(session, &self.facts)
    }

    /// The same as [`Peer::fired`], from one evaluation of every condition.
    pub fn fired_in_one_call<'p>(&'p self, session: &mut Session<'_>) -> Vec<&'p str> {
        self.fired_at_once(session, &self.facts)
    }

    fn fired_one_by_one<'p>(&'p self, session: &mut Session<'_>, facts: &ParsedData) -> Vec<&'p str> {
        let mut fired = Vec::with_capacity(self.rules.len());
        for (id, logic) in &self.rules {
            let result = session.eval_borrowed(logic, facts).expect("evaluates");
            if result.as_bool().expect("a condition gives a boolean") {
                fired.push(id.as_str());
            }
        }
        session.reset();
        fired
    }

    fn fired_at_once<'p>(&'p self, session: &mut Session<'_>, facts: &ParsedData) -> Vec<&'p str> {
        let mut fired = Vec::with_capacity(self.rules.len());
        let results = session.eval_borrowed(&self.all_rules, facts).expect("evaluates");
        let results = results.as_array().expect("an array of conditions gives an array");
        assert_eq!(results.len(), self.rules.len());
        for (result, (id, _)) in results.iter().zip(&self.rules) {
            if result.as_bool().expect("a condition gives a boolean") {
                fired.push(id.as_str());
            }
        }
        session.reset();
        fired
    }

    /// Both engines, and both forms of the peer, decide the same rules for
    /// `responses`.
    pub fn assert_agrees(&self, engine: &Engine, responses: &Responses) {
        let facts = facts_json(engine, responses);
        let facts = ParsedData::from_json(&facts.to_string()).expect("facts parse");
        let mut session = self.engine.session();
        let result = engine
            .assess_with(responses, TraceDetail::RulesOnly)
            .expect("valid answers");
        let own: Vec<&str> = result.fired_rules().collect();
        assert_eq!(engine.fired_rules(responses).expect("valid answers"), own);
        let one_by_one = self.fired_one_by_one(&mut session, &facts);
        assert_eq!(
            one_by_one, own,
            "datalogic-rs and rekindle decide different rules"
        );
        let at_once = self.fired_at_once(&mut session, &facts);
        assert_eq!(
            at_once, own,
            "datalogic-rs in one call and rekindle decide different rules"
        );
    }
}

/// The facts of `responses`, scored by `engine`.
fn facts_json(engine: &Engine, responses: &Responses) -> Json {
    let scored = engine
        .assess_with(responses, TraceDetail::RulesOnly)
        .expect("valid answers");
    facts(engine.pack(), responses, &scored)
}
