//! A reviewer's checks on the default pack, beyond what fixtures pin down:
//!
//! - every band's label describes the answers that produce it (a sweep over
//!   every value of the five-point scale);
//! - no fixture's result carries wording that its own decisions contradict
//!   (online therapy, counselling, the sex challenge, the bond, band labels);
//! - the traceability table in `rules/README.md` names every rule, with a
//!   fixture that fires it.
//!
//! The pack is read as plain JSON so these checks depend only on the pack
//! format, not on the library's model types.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rekindle::fixtures::{parse_fixture_file, Fixture};
use rekindle::{Engine, Recommendation, Responses, Value, DEFAULT_PACK_JSON};
use serde_json::Value as Json;

fn pack() -> Json {
    serde_json::from_str(DEFAULT_PACK_JSON).unwrap_or_else(|e| panic!("default pack: {e}"))
}

fn array<'a>(json: &'a Json, key: &str) -> &'a [Json] {
    json[key].as_array().map_or(&[], Vec::as_slice)
}

fn text<'a>(json: &'a Json, key: &str) -> &'a str {
    json[key].as_str().unwrap_or_default()
}

/// One point of the shared answer scale: what the app sends, what the
/// person reads, what it counts for.
struct Point {
    value: String,
    label: String,
    weight: f64,
}

/// The five-point frequency scale every options question shares, lowest
/// weight first; fails when a question uses another scale, because the
/// calibration below assumes one scale.
fn scale(pack: &Json) -> Vec<Point> {
    let mut shared: Option<Vec<(String, String, f64)>> = None;
    for question in array(pack, "questions") {
        if text(&question["answer"], "kind") != "options" {
            continue;
        }
        let options: Vec<(String, String, f64)> = array(&question["answer"], "options")
            .iter()
            .map(|o| {
                (
                    text(o, "value").to_owned(),
                    text(o, "label").to_owned(),
                    o["weight"].as_f64().unwrap_or(f64::NAN),
                )
            })
            .collect();
        match &shared {
            None => shared = Some(options),
            Some(first) => assert_eq!(
                first,
                &options,
                "{} uses another scale than the first options question",
                text(question, "id")
            ),
        }
    }
    let mut points: Vec<Point> = shared
        .unwrap_or_default()
        .into_iter()
        .map(|(value, label, weight)| Point { value, label, weight })
        .collect();
    points.sort_by(|a, b| a.weight.total_cmp(&b.weight));
    assert_eq!(points.len(), 5, "the default pack uses a five-point scale");
    points
}

/// Whether a band label names an answer label ("Never or rarely a
/// difficulty" names "Never" and "Rarely").
fn names(band_label: &str, answer_label: &str) -> bool {
    band_label.to_lowercase().contains(&answer_label.to_lowercase())
}

/// A profile that puts every scored item at the same level of difficulty:
/// problem items get the point itself, reverse-keyed (positively worded)
/// items its mirror, so "often" means "often a difficulty" everywhere (for
/// "We make time just for the two of us", "rarely"). Yes/no safety items
/// are "no"; the range item, which no dimension reads, is left out.
fn profile(pack: &Json, points: &[Point], level: usize) -> Responses {
    let mirror = points.len() - 1 - level;
    let mut answers: Vec<(String, Value)> = Vec::new();
    for question in array(pack, "questions") {
        let id = text(question, "id").to_owned();
        match text(&question["answer"], "kind") {
            "options" => {
                let reverse = question["reverse"].as_bool().unwrap_or(false);
                let point = &points[if reverse { mirror } else { level }];
                answers.push((id, Value::text(point.value.clone())));
            }
            "yes_no" => answers.push((id, Value::bool(false))),
            _ => {}
        }
    }
    Responses::new(answers)
}

#[test]
fn every_band_label_describes_the_answers_behind_it() {
    let pack = pack();
    let points = scale(&pack);
    let engine = Engine::embedded();
    let (lowest, highest) = (points[0].weight, points[points.len() - 1].weight);

    // dimension -> band id -> the answer levels whose profile lands there
    let mut reached: BTreeMap<String, BTreeMap<String, BTreeSet<usize>>> = BTreeMap::new();
    let mut labels: BTreeMap<(String, String), String> = BTreeMap::new();
    for (level, point) in points.iter().enumerate() {
        let plan = engine
            .assess(&profile(&pack, &points, level))
            .unwrap_or_else(|e| panic!("profile {:?}: {e}", point.value));
        for score in &plan.scores {
            let value = score
                .score
                .unwrap_or_else(|| panic!("{}: no score for the {:?} profile", score.id, point.value));
            // Every item sits at the same point, so the mean is that point.
            let expected = (point.weight - lowest) / (highest - lowest) * 100.0;
            assert!(
                (value - expected).abs() < 1e-9,
                "{}: the {:?} profile scores {value}, expected {expected}",
                score.id,
                point.value
            );
            let band = score.band.clone().unwrap_or_default();
            let label = score.band_label.clone().unwrap_or_default();
            assert!(
                names(&label, &point.label),
                "{}: every item {:?} ({}) lands in band {band:?}, whose label {label:?} does not say so",
                score.id,
                point.label,
                value
            );
            reached
                .entry(score.id.to_string())
                .or_default()
                .entry(band.to_string())
                .or_default()
                .insert(level);
            labels.insert((score.id.to_string(), band.to_string()), label.to_string());
        }
    }

    let dimensions = array(&pack, "dimensions");
    assert_eq!(reached.len(), dimensions.len(), "every dimension was swept");
    for dimension in dimensions {
        let id = text(dimension, "id");
        let bands = array(dimension, "bands");
        for band in bands {
            let band_id = text(band, "id");
            let label = text(band, "label");
            let levels = reached[id].get(band_id).cloned().unwrap_or_default();
            assert!(
                !levels.is_empty(),
                "{id}: no single-answer profile lands in band {band_id:?}"
            );
            // A label names exactly the answers that land in its band, no others.
            for (level, point) in points.iter().enumerate() {
                assert_eq!(
                    names(label, &point.label),
                    levels.contains(&level),
                    "{id}: band {band_id:?} ({label:?}) and the answer {:?}",
                    point.label
                );
            }
            assert_eq!(
                labels
                    .get(&(id.to_owned(), band_id.to_owned()))
                    .map(String::as_str),
                Some(label)
            );
        }
        // The issue that started this check: "rarely" everywhere is the lowest band.
        let rarely = points
            .iter()
            .position(|p| p.value == "rarely")
            .unwrap_or_else(|| panic!("no \"rarely\" on the scale"));
        let first = bands.first().map(|b| text(b, "id")).unwrap_or_default();
        assert!(
            reached[id]
                .get(first)
                .is_some_and(|levels| levels.contains(&rarely)),
            "{id}: \"rarely\" to every item is not in the lowest band {first:?}"
        );
    }
}

/// Every text of a result that a person reads, with where it comes from.
fn visible_texts(engine: &Engine, plan: &Recommendation) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let mut add = |place: String, text: &str| texts.push((place, text.to_owned()));
    for area in &plan.focus_areas {
        add(format!("focus {} title", area.id), &area.title);
        add(format!("focus {} summary", area.id), &area.summary);
        for reason in plan.reasons_for(&area.reasons) {
            add(format!("focus {} reason {}", area.id, reason.rule), &reason.text);
        }
        if let Some(full) = engine.focus_area(&area.id) {
            for practice in &full.practices {
                add(format!("focus {} practice", area.id), practice);
            }
        }
    }
    if let Some(challenge) = &plan.challenge {
        add(format!("challenge {} title", challenge.id), &challenge.title);
        add(format!("challenge {} summary", challenge.id), &challenge.summary);
        add(
            format!("phase {} theme", challenge.phase.id),
            &challenge.phase.theme,
        );
        for reason in plan.reasons_for(&challenge.rationale) {
            add(format!("challenge rationale {}", reason.rule), &reason.text);
        }
    }
    let therapy = &plan.therapy;
    add(format!("therapy {} title", therapy.level), &therapy.title);
    add(format!("therapy {} message", therapy.level), &therapy.message);
    for reason in plan.reasons_for(&therapy.reasons) {
        add(format!("therapy reason {}", reason.rule), &reason.text);
    }
    if let Some(safety) = &plan.safety {
        add("safety title".to_owned(), &safety.title);
        add("safety message".to_owned(), &safety.message);
        for resource in &safety.resources {
            add(format!("resource {}", resource.id), &resource.name);
            add(format!("resource {}", resource.id), &resource.description);
            add(format!("resource {}", resource.id), &resource.contact);
        }
        for reason in plan.reasons_for(&safety.reasons) {
            add(format!("safety reason {}", reason.rule), &reason.text);
        }
    }
    for score in &plan.scores {
        if let Some(label) = &score.band_label {
            add(format!("score {} band label", score.id), label);
        }
    }
    texts
}

/// The reasons only: what rules say, as opposed to the fixed texts of the
/// areas, levels and notice.
fn reasons(plan: &Recommendation) -> Vec<(&str, &str)> {
    let focus = plan.focus_areas.iter().flat_map(|a| &a.reasons);
    let rationale = plan.challenge.iter().flat_map(|c| &c.rationale);
    let therapy = plan.therapy.reasons.iter();
    let safety = plan.safety.iter().flat_map(|s| &s.reasons);
    focus
        .chain(rationale)
        .chain(therapy)
        .chain(safety)
        .filter_map(|rule| plan.reason(rule))
        .map(|r| (r.rule.as_str(), r.text.as_str()))
        .collect()
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(needle)
}

/// The wording problems of one result: each a sentence that names the text
/// and the decision it contradicts.
fn contradictions(engine: &Engine, pack: &Json, points: &[Point], plan: &Recommendation) -> Vec<String> {
    let mut found = Vec::new();
    let texts = visible_texts(engine, plan);
    let band = |id: &str| {
        plan.scores
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.band.clone())
    };
    let challenge = plan.challenge.as_ref().map(|c| c.id.as_str());

    // Online therapy is a decision (`therapy.online`), so only a result
    // that decided for it may speak of it, and one that did says why.
    for (place, text) in &texts {
        if !plan.therapy.online && contains(text, "online") {
            found.push(format!(
                "{place} speaks of online therapy, but online is false: {text:?}"
            ));
        }
    }
    if plan.therapy.online
        && !plan
            .reasons_for(&plan.therapy.reasons)
            .any(|r| contains(&r.text, "online"))
    {
        found.push("online is true, but no therapy reason says why".to_owned());
    }

    // Counselling: no rule's reason may suggest it when the level is the
    // first one, and the level for one person never speaks of couples.
    let first_level = array(pack, "therapy_levels")
        .first()
        .map(|l| text(l, "id"))
        .unwrap_or_default();
    let safety_level = text(&pack["safety"], "therapy_level");
    for (rule, text) in reasons(plan) {
        if plan.therapy.level == first_level && contains(text, "counsell") {
            found.push(format!(
                "reason of {rule} speaks of counselling, but none is suggested: {text:?}"
            ));
        }
    }
    if plan.therapy.rank > 0 {
        for (rule, text) in reasons(plan) {
            if contains(text, "look steady") {
                found.push(format!(
                    "reason of {rule} says things look steady beside a suggestion of {}: {text:?}",
                    plan.therapy.level
                ));
            }
        }
    }
    if plan.therapy.level == safety_level {
        let therapy = &plan.therapy;
        let own = [therapy.title.as_str(), therapy.message.as_str()]
            .into_iter()
            .chain(plan.reasons_for(&therapy.reasons).map(|r| r.text.as_str()));
        for text in own {
            if contains(text, "couples") || contains(text, "together") {
                found.push(format!("support for one person speaks of couples: {text:?}"));
            }
        }
    }

    // "Feels sound" is a claim about the bond, so the distance score must
    // be in its lowest band wherever a text makes it.
    let sound = band("emotional_connection").as_deref() == Some("low");
    for (place, text) in &texts {
        if contains(text, "feels sound") && !sound {
            found.push(format!(
                "{place} says the bond feels sound, but emotional distance is {:?}",
                band("emotional_connection")
            ));
        }
    }

    // The sex challenge: a text that holds it back may not stand beside
    // it, and one that offers it may not stand without it.
    for (place, text) in &texts {
        if !contains(text, "sex challenge") || place.starts_with("challenge sex") {
            continue;
        }
        let holds_back = contains(text, "can wait") || contains(text, "before the sex challenge");
        if holds_back && challenge == Some("sex") {
            found.push(format!(
                "{place} holds the sex challenge back, but it was chosen: {text:?}"
            ));
        }
        if !holds_back && challenge != Some("sex") {
            found.push(format!(
                "{place} offers the sex challenge, but {challenge:?} was chosen: {text:?}"
            ));
        }
    }

    // The challenge and its phase are decided, and explained, in the
    // challenge's block; a reason shown with a focus area, the therapy
    // suggestion or the safety notice may stand beside any phase, so it
    // does not speak of the challenge.
    let outside = plan
        .focus_areas
        .iter()
        .flat_map(|a| &a.reasons)
        .chain(&plan.therapy.reasons)
        .chain(plan.safety.iter().flat_map(|s| &s.reasons))
        .filter_map(|rule| plan.reason(rule));
    for reason in outside {
        if contains(&reason.text, "challenge") {
            found.push(format!(
                "reason of {} outside the challenge speaks of it: {:?}",
                reason.rule, reason.text
            ));
        }
    }

    // A challenge's rationale is about that challenge and its chosen phase.
    if let Some(chosen) = &plan.challenge {
        let rules = array(pack, "rules");
        for reason in plan.reasons_for(&chosen.rationale) {
            let then = rules
                .iter()
                .find(|r| text(r, "id") == reason.rule)
                .map(|r| &r["then"])
                .unwrap_or(&Json::Null);
            let weighs_challenge = then["challenges"].get(chosen.id.as_str()).is_some();
            let weighs_phase = then["phases"].get(chosen.phase.id.as_str()).is_some();
            if !weighs_challenge && !weighs_phase {
                found.push(format!(
                    "rationale reason of {} is about neither {} nor {}",
                    reason.rule, chosen.id, chosen.phase.id
                ));
            }
        }
    }

    // A band label names the answer nearest to the score (half-way goes up,
    // as the band edges do).
    let (lowest, highest) = (points[0].weight, points[points.len() - 1].weight);
    for score in &plan.scores {
        let (Some(value), Some(label)) = (score.score, score.band_label.as_deref()) else {
            continue;
        };
        let mean = lowest + value / 100.0 * (highest - lowest);
        let half_step = (points[1].weight - points[0].weight) / 2.0;
        let nearest = points
            .iter()
            .rfind(|p| p.weight - half_step <= mean + 1e-9)
            .map_or("", |p| p.label.as_str());
        if !names(label, nearest) {
            found.push(format!(
                "{} scores {value} (nearest answer {nearest:?}) but reads {label:?}",
                score.id
            ));
        }
    }
    found
}

fn fixture_files() -> Vec<(String, Vec<Fixture>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let file = parse_fixture_file(&name, &json).unwrap_or_else(|e| panic!("{e}"));
            (name, file.fixtures)
        })
        .collect()
}

#[test]
fn no_fixture_result_contradicts_its_decisions() {
    let pack = pack();
    let points = scale(&pack);
    let engine = Engine::embedded();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (file, fixtures) in fixture_files() {
        for fixture in fixtures.iter().filter(|f| f.expect.error.is_none()) {
            let plan = engine
                .assess(&fixture.responses())
                .unwrap_or_else(|e| panic!("{file}: {}: {e}", fixture.name));
            checked += 1;
            for problem in contradictions(&engine, &pack, &points, &plan) {
                problems.push(format!("{file}: {}: {problem}", fixture.name));
            }
        }
    }
    assert!(checked > 50, "only {checked} fixtures checked");
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// xorshift64*: deterministic answer sets, so a failure can be rebuilt.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// Answer sets beyond the fixtures: any option for each question, an eighth
/// left unanswered, a safety "yes" now and then, every context fact drawn.
fn generated(pack: &Json, seed: u64) -> Responses {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut answers: Vec<(String, Value)> = Vec::new();
    for question in array(pack, "questions") {
        if rng.below(8) == 0 {
            continue;
        }
        let id = text(question, "id").to_owned();
        let answer = &question["answer"];
        let value = match text(answer, "kind") {
            "options" => {
                let options = array(answer, "options");
                let pick = rng.below(options.len() as u64) as usize;
                Value::text(text(&options[pick], "value"))
            }
            "range" => {
                let (lo, hi) = (
                    answer["min"].as_f64().unwrap_or(0.0),
                    answer["max"].as_f64().unwrap_or(0.0),
                );
                Value::number(lo + rng.below((hi - lo) as u64 + 1) as f64)
            }
            _ => Value::bool(rng.below(12) == 0),
        };
        answers.push((id, value));
    }
    let mut responses = Responses::new(answers);
    for fact in array(pack, "context") {
        if text(fact, "kind") == "bool" && rng.below(3) != 0 {
            responses = responses.with_context(text(fact, "id"), rng.below(2) == 0);
        }
    }
    responses
}

#[test]
fn no_generated_result_contradicts_its_decisions() {
    let pack = pack();
    let points = scale(&pack);
    let engine = Engine::embedded();
    let mut problems = Vec::new();
    // Which decisions the generated sets reached, so the check is known to
    // have seen each kind of result.
    let mut reached = BTreeSet::new();
    for seed in 0..3_000 {
        let plan = engine
            .assess(&generated(&pack, seed))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        reached.insert(format!("therapy {}", plan.therapy.level));
        reached.insert(format!("online {}", plan.therapy.online));
        reached.insert(format!("safety {}", plan.safety.is_some()));
        if let Some(challenge) = &plan.challenge {
            reached.insert(format!("phase {}", challenge.phase.id));
        }
        for problem in contradictions(&engine, &pack, &points, &plan) {
            problems.push(format!("seed {seed}: {problem}"));
        }
    }
    problems.truncate(20);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    for decision in [
        "therapy none",
        "therapy consider",
        "therapy recommend",
        "therapy individual",
        "online true",
        "online false",
        "safety true",
        "safety false",
        "phase intimacy_trust",
        "phase intimacy_touch",
        "phase intimacy_conflict",
        "phase sex_setting",
        "phase sex_talk",
    ] {
        assert!(
            reached.contains(decision),
            "no generated set reached {decision}: {reached:?}"
        );
    }
}

#[test]
fn the_wording_check_finds_a_contradiction() {
    // The check itself must be able to fail: a plan whose texts were
    // written for other decisions.
    let pack = pack();
    let points = scale(&pack);
    let engine = Engine::embedded();
    let fixtures: Vec<Fixture> = fixture_files().into_iter().flat_map(|(_, f)| f).collect();
    let reluctant = fixtures
        .iter()
        .find(|f| f.name == "online therapy when a partner is reluctant to go in person")
        .unwrap_or_else(|| panic!("fixture missing"));
    let mut plan = engine
        .assess(&reluctant.responses())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(contradictions(&engine, &pack, &points, &plan).is_empty());
    plan.therapy.online = false;
    if let Some(score) = plan.scores.first_mut() {
        score.band_label = Some("Often or almost always a difficulty".into());
        score.score = Some(0.0);
    }
    let found = contradictions(&engine, &pack, &points, &plan);
    assert!(found.iter().any(|p| p.contains("online is false")), "{found:?}");
    assert!(found.iter().any(|p| p.contains("nearest answer")), "{found:?}");
}

/// The rows of the traceability table in `rules/README.md`: rule id, what
/// it implements, fixture file and fixture name.
fn traceability_rows() -> Vec<(String, String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md");
    let guide = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let section = guide
        .split("\n### Traceability")
        .nth(1)
        .unwrap_or_else(|| panic!("rules/README.md has no \"### Traceability\" section"));
    let section = section.split("\n#").next().unwrap_or_default();
    section
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 3, "a row has rule, source and fixture: {line}");
            let rule = cells[0].trim_matches('`').to_owned();
            let (file, name) = cells[2]
                .split_once(": ")
                .unwrap_or_else(|| panic!("fixture cell is not `file.json: name`: {line}"));
            (
                rule,
                cells[1].to_owned(),
                file.trim_matches('`').to_owned(),
                name.trim_matches('"').to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_traceability_table_covers_every_rule_with_a_fixture_that_fires_it() {
    let pack = pack();
    let rules: Vec<&str> = array(&pack, "rules").iter().map(|r| text(r, "id")).collect();
    let rows = traceability_rows();
    let files: BTreeMap<String, Vec<Fixture>> = fixture_files().into_iter().collect();
    let engine = Engine::embedded();

    let listed: Vec<&str> = rows.iter().map(|(rule, ..)| rule.as_str()).collect();
    let mut seen = BTreeSet::new();
    for rule in &listed {
        assert!(seen.insert(*rule), "{rule} has two rows");
        assert!(
            rules.contains(rule),
            "the table names {rule}, which the pack does not have"
        );
    }
    for rule in &rules {
        assert!(
            seen.contains(rule),
            "the traceability table has no row for {rule}"
        );
    }
    for (rule, source, file, name) in &rows {
        assert!(!source.is_empty(), "{rule}: say what it implements");
        let fixture = files
            .get(file)
            .and_then(|fixtures| fixtures.iter().find(|f| &f.name == name))
            .unwrap_or_else(|| panic!("{rule}: no fixture {name:?} in {file}"));
        assert!(
            fixture.expect.fired.iter().flatten().any(|f| f == rule),
            "{rule}: fixture {name:?} does not list it in `fired`"
        );
        let fired: Vec<String> = match fixture.couple_for(&engine) {
            Some(couple) => {
                let trace = engine
                    .trace_couple(&couple)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                [trace.a, trace.b, trace.couple]
                    .into_iter()
                    .flat_map(|t| t.fired.into_iter().map(|f| f.rule.to_string()))
                    .collect()
            }
            None => engine
                .assess(&fixture.responses_for(&engine))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .fired_rules()
                .map(str::to_owned)
                .collect(),
        };
        assert!(
            fired.iter().any(|f| f == rule),
            "{rule}: fixture {name:?} does not fire it"
        );
    }
}
