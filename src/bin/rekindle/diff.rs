//! `rekindle diff OLD NEW`: what a pack change does to real answers.
//!
//! Both packs assess the same corpus of answer sets, given as files or
//! generated reproducibly from both packs' questionnaires, each pack seeing
//! only the answers and facts it declares (what it is not given is counted
//! by id), and every change in the decisions users see is counted, safety
//! first. Examples name
//! answer sets by where they come from (file and line, or generated number),
//! never by their answers.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use rekindle::pack::{AnswerSpec, ContextFact, FactKind, Pack, Question};
use rekindle::{AnswersError, CoupleResponses, Engine, Recommendation, Responses, TraceDetail, Value};
use serde::Serialize;

use crate::args::{expect_positional, parse, whole_number};
use crate::io::{load_engine, read_text};
use crate::text::plural;
use crate::{Failure, Outcome, Run};

pub(crate) const HELP_DIFF: &str = "\
Usage: rekindle diff [--answers FILE|DIR] [--generate N] [--seed S]
                     [--allow-safety-change] [--json] OLD NEW

Runs both packs over a corpus of answer sets and reports how many results
change and how: the safety notice, the top focus area, the challenge, the
phase and the therapy level, each with examples. Safety changes come first
and make the exit status 1 unless --allow-safety-change.

Each pack decides on the answers it knows: an answer to a question a pack
does not ask, or a context fact it does not declare, is left out of the
answer set for that pack, as an app built on that pack would never have
asked it. So adding or removing a question shows what the rules then
decide, not a rejection. The report counts, for each pack, how many answer
sets had answers left out, by question or fact id. What a pack still
rejects (an option it no longer offers, a value outside its range) shows
as `accepted -> rejected` or `rejected -> accepted`.

The corpus is the answer sets of --answers (JSON Lines, or a JSON file with
one answer set or a list of them, or a directory of such files), plus N
random answer sets drawn from both packs' questionnaires (the new pack's
questions, then those only the old pack asks) with seed S, and every
single-item extreme (each question alone at its lowest and its highest
answer). Without --answers, --generate defaults to 1000.

Examples name an answer set by its file and line or by its generated
number, never by its answers.

An answer set that both packs reject (an option neither offers, a value
outside both ranges) is not compared: it is counted apart, and the first
few are listed by file and line with each problem's kind and JSON path,
never its answers. Any such set makes the exit status 1, as it is a
corpus error that would otherwise hide what the change does. Each line of
JSON Lines must be an answer set (blank lines are skipped and counted); a
line that is not valid JSON, repeats a key, or holds a couple's answers
stops the run with its line and the reason. --answers that holds no answer
set is an error too.

Options:
  --answers PATH          Answer sets to run: a file or a directory
  --generate N            How many random answer sets to add, 0 to
                          100000000
  --seed S                The seed for them (default 1), 0 to
                          18446744073709551615
  --allow-safety-change   Exit 0 even when safety decisions change
  --json                  Print the report as JSON: old, new, answer_sets
                          (all read or drawn), compared, changed (of those
                          compared), rejected_by_both ({\"count\",
                          \"examples\": [{\"answer_set\", \"problems\":
                          [{\"kind\", \"path\"}]}]}), blank_lines,
                          left_out ({\"old\", \"new\"}, each
                          {\"answers\", \"context\"} of id: answer sets)
                          and changes

Exit status: 0 no safety change (or allowed) and every answer set compared;
1 a safety decision changed, an answer set was rejected by both packs, or a
pack or answer file was rejected; 2 usage error or unreadable file.
";

/// The most random answer sets one run draws: a bound on its length, well
/// past what a review needs.
const MAX_GENERATE: u64 = 100_000_000;

/// What changed for one answer set, by decision.
const DECISIONS: [&str; 6] = [
    "safety",
    "top_focus_area",
    "challenge",
    "phase",
    "therapy",
    "rejected",
];

/// How many examples a kind of change keeps.
const EXAMPLES: usize = 5;

#[derive(Serialize, Default)]
struct Change {
    count: u64,
    /// `before -> after`, counted.
    transitions: BTreeMap<String, u64>,
    examples: Vec<String>,
}

/// What was left out of the answer sets for one pack, by id: how many
/// answer sets had that answer or fact left out.
#[derive(Serialize, Default)]
struct LeftOut {
    answers: BTreeMap<String, u64>,
    context: BTreeMap<String, u64>,
}

impl LeftOut {
    fn is_empty(&self) -> bool {
        self.answers.is_empty() && self.context.is_empty()
    }
}

#[derive(Serialize, Default)]
struct LeftOutByPack {
    old: LeftOut,
    new: LeftOut,
}

#[derive(Serialize)]
struct Report {
    old: String,
    new: String,
    /// Every answer set read or drawn.
    answer_sets: u64,
    /// Those at least one pack accepts; `changed` counts among them.
    compared: u64,
    changed: u64,
    rejected_by_both: RejectedByBoth,
    /// Blank lines of JSON Lines answer files, skipped.
    blank_lines: u64,
    left_out: LeftOutByPack,
    changes: BTreeMap<&'static str, Change>,
}

/// Answer sets neither pack accepts: nothing to compare, so counted apart
/// rather than as unchanged.
#[derive(Serialize, Default)]
struct RejectedByBoth {
    count: u64,
    examples: Vec<RejectedExample>,
}

#[derive(Serialize)]
struct RejectedExample {
    answer_set: String,
    /// Kind and path of each problem either pack found, never a value.
    problems: Vec<ProblemAt>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct ProblemAt {
    kind: &'static str,
    path: String,
}

/// The kinds and paths of both packs' problems, each once.
fn problems_of(errors: [&AnswersError; 2]) -> Vec<ProblemAt> {
    let mut all = BTreeSet::new();
    for error in errors {
        match error {
            AnswersError::Invalid { problems } => {
                all.extend(problems.iter().map(|p| ProblemAt {
                    kind: p.kind.tag(),
                    path: p.path.clone(),
                }));
            }
            AnswersError::Syntax { .. } => {
                all.insert(ProblemAt {
                    kind: error.tag(),
                    path: String::new(),
                });
            }
        }
    }
    all.into_iter().collect()
}

/// The question and fact ids a pack declares.
struct Declared<'p> {
    questions: HashSet<&'p str>,
    context: HashSet<&'p str>,
}

impl<'p> Declared<'p> {
    fn of(pack: &'p Pack) -> Self {
        Declared {
            questions: pack.questions.iter().map(|q| q.id.as_str()).collect(),
            context: pack.context.iter().map(|f| f.id.as_str()).collect(),
        }
    }

    /// `responses` without what this pack does not declare, or `None` when
    /// it declares all of it; what is left out is counted in `left_out`.
    fn known(&self, responses: &Responses, left_out: &mut LeftOut) -> Option<Responses> {
        let unknown_answer = |id: &String| !self.questions.contains(id.as_str());
        let unknown_fact = |id: &String| !self.context.contains(id.as_str());
        if !responses.answers.keys().any(unknown_answer) && !responses.context.keys().any(unknown_fact) {
            return None;
        }
        let mut known = responses.clone();
        known.answers.retain(|id, _| {
            let keep = !unknown_answer(id);
            if !keep {
                *left_out.answers.entry(id.clone()).or_default() += 1;
            }
            keep
        });
        known.context.retain(|id, _| {
            let keep = !unknown_fact(id);
            if !keep {
                *left_out.context.entry(id.clone()).or_default() += 1;
            }
            keep
        });
        Some(known)
    }
}

pub(crate) fn diff(args: &[String]) -> Run {
    let args = parse(
        "diff",
        args,
        &["--json", "--allow-safety-change"],
        &["--answers", "--generate", "--seed"],
    )?;
    if args.help {
        return Ok(Outcome::ok(HELP_DIFF.to_owned()));
    }
    expect_positional("diff", &args, "two packs, OLD and NEW", 2, 2)?;
    let generate = whole_number(&args, "--generate", 0, MAX_GENERATE, "")?;
    let seed = whole_number(&args, "--seed", 0, u64::MAX, "")?.unwrap_or(1);
    let (old_name, old) = load_engine(Some(&args.positional[0]))?;
    let (new_name, new) = load_engine(Some(&args.positional[1]))?;
    let mut corpus = Vec::new();
    let mut blank_lines = 0;
    if let Some(path) = args.option("--answers") {
        read_corpus(path, &new, &mut corpus, &mut blank_lines)?;
        // Falling back to generated answers would report on a corpus
        // nobody asked for.
        if corpus.is_empty() {
            return Err(Failure::rejected(format!("{path}: no answer sets")));
        }
    }
    let generate = generate.unwrap_or(if corpus.is_empty() { 1000 } else { 0 });
    let questionnaire = Questionnaire::of(new.pack(), old.pack());
    let mut drawn = 0;
    if generate > 0 || corpus.is_empty() {
        corpus.extend(questionnaire.extremes());
        drawn = generate;
    }
    let total = corpus.len() as u64 + drawn;
    // Drawn one at a time: a large N never sits in memory at once.
    let corpus = corpus.into_iter().chain(questionnaire.generated(drawn, seed));

    let mut report = Report {
        old: old_name,
        new: new_name,
        answer_sets: 0,
        compared: 0,
        changed: 0,
        rejected_by_both: RejectedByBoth::default(),
        blank_lines,
        left_out: LeftOutByPack::default(),
        changes: DECISIONS.iter().map(|d| (*d, Change::default())).collect(),
    };
    let (old_declares, new_declares) = (Declared::of(old.pack()), Declared::of(new.pack()));
    let progress = progress_bar(total);
    for (label, responses) in corpus {
        report.answer_sets += 1;
        progress.inc(1);
        let for_old = old_declares.known(&responses, &mut report.left_out.old);
        let for_new = new_declares.known(&responses, &mut report.left_out.new);
        let before = old.assess_with(for_old.as_ref().unwrap_or(&responses), TraceDetail::RulesOnly);
        let after = new.assess_with(for_new.as_ref().unwrap_or(&responses), TraceDetail::RulesOnly);
        if let (Err(a), Err(b)) = (&before, &after) {
            let rejected = &mut report.rejected_by_both;
            rejected.count += 1;
            if rejected.examples.len() < EXAMPLES {
                rejected.examples.push(RejectedExample {
                    answer_set: label,
                    problems: problems_of([a, b]),
                });
            }
            continue;
        }
        report.compared += 1;
        let mut any = false;
        let mut note = |decision: &'static str, from: String, to: String| {
            if from != to {
                any = true;
                let change = report
                    .changes
                    .get_mut(decision)
                    .expect("every decision is listed");
                change.count += 1;
                *change.transitions.entry(format!("{from} -> {to}")).or_default() += 1;
                if change.examples.len() < EXAMPLES {
                    change.examples.push(label.clone());
                }
            }
        };
        match (&before, &after) {
            (Ok(a), Ok(b)) => {
                for (decision, of) in DECISIONS.iter().zip(deciders()) {
                    if let Some(of) = of {
                        note(decision, of(a), of(b));
                    }
                }
            }
            _ => note(
                "rejected",
                if before.is_ok() { "accepted" } else { "rejected" }.to_owned(),
                if after.is_ok() { "accepted" } else { "rejected" }.to_owned(),
            ),
        }
        report.changed += u64::from(any);
    }
    progress.finish_and_clear();
    let safety_changed = report.changes["safety"].count > 0;
    let code =
        u8::from(safety_changed && !args.flag("--allow-safety-change") || report.rejected_by_both.count > 0);
    if args.flag("--json") {
        return Outcome::json(&report, code);
    }
    Ok(Outcome {
        stdout: render(&report),
        code,
    })
}

type Decider = fn(&Recommendation) -> String;

/// How each decision reads from a result (`rejected` is not read from one).
fn deciders() -> [Option<Decider>; 6] {
    [
        Some(|r| {
            if r.safety.is_some() {
                "raised"
            } else {
                "not raised"
            }
            .to_owned()
        }),
        Some(|r| {
            r.focus_areas
                .first()
                .map_or("none".to_owned(), |f| f.id.to_string())
        }),
        Some(|r| {
            r.challenge
                .as_ref()
                .map_or("none".to_owned(), |c| c.id.to_string())
        }),
        Some(|r| {
            r.challenge
                .as_ref()
                .map_or("none".to_owned(), |c| c.phase.id.to_string())
        }),
        Some(|r| r.therapy.level.to_string()),
        None,
    ]
}

fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{} -> {}: {} of {} change",
        report.old,
        report.new,
        report.changed,
        plural(report.compared as usize, "answer set", "answer sets"),
    );
    let rejected = &report.rejected_by_both;
    if rejected.count > 0 {
        let _ = write!(
            out,
            "; {} rejected by both packs, not compared",
            plural(rejected.count as usize, "answer set", "answer sets")
        );
    }
    out.push('\n');
    if rejected.count > 0 && report.compared == 0 {
        out.push_str("nothing was compared: both packs reject every answer set\n");
    }
    if rejected.count > 0 {
        let _ = writeln!(
            out,
            "rejected by both packs: {}{}",
            plural(rejected.count as usize, "answer set", "answer sets"),
            if rejected.count > rejected.examples.len() as u64 {
                ", the first ones:"
            } else {
                ":"
            }
        );
        for example in &rejected.examples {
            let problems: Vec<String> = example
                .problems
                .iter()
                .map(|p| {
                    if p.path.is_empty() {
                        p.kind.to_owned()
                    } else {
                        format!("{} at {}", p.kind, p.path)
                    }
                })
                .collect();
            let _ = writeln!(out, "  {}: {}", example.answer_set, problems.join(", "));
        }
    }
    if report.blank_lines > 0 {
        let _ = writeln!(
            out,
            "skipped {} in the answer files",
            plural(report.blank_lines as usize, "blank line", "blank lines")
        );
    }
    for (name, left_out) in [
        (&report.old, &report.left_out.old),
        (&report.new, &report.left_out.new),
    ] {
        if left_out.is_empty() {
            continue;
        }
        let _ = writeln!(out, "left out for {name}, which does not declare them:");
        for (kind, ids) in [
            ("answers to", &left_out.answers),
            ("context fact", &left_out.context),
        ] {
            for (id, count) in ids {
                let _ = writeln!(
                    out,
                    "  {kind} {id}: in {}",
                    plural(*count as usize, "answer set", "answer sets")
                );
            }
        }
    }
    for decision in DECISIONS {
        let change = &report.changes[decision];
        if change.count == 0 {
            continue;
        }
        let heading = if decision == "safety" { "SAFETY" } else { decision };
        let _ = writeln!(
            out,
            "{heading}: {}",
            plural(change.count as usize, "change", "changes")
        );
        for (transition, count) in &change.transitions {
            let _ = writeln!(out, "  {transition}: {count}");
        }
        let _ = writeln!(out, "  for example: {}", change.examples.join(", "));
    }
    out
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    // Hidden unless standard error is a terminal; long runs only.
    if total < 10_000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} answer sets ({per_sec}, {eta} left)")
    {
        bar.set_style(style);
    }
    bar
}

/// Answer sets from a file or a directory, each labelled by file and line;
/// `engine` words why a line is not an answer set. Blank lines of JSON
/// Lines are counted in `blank_lines`.
fn read_corpus(
    path: &str,
    engine: &Engine,
    corpus: &mut Vec<(String, Responses)>,
    blank_lines: &mut u64,
) -> Result<(), Failure> {
    let as_path = Path::new(path);
    if as_path.is_dir() {
        let mut entries = Vec::new();
        for entry in
            std::fs::read_dir(as_path).map_err(|e| Failure::usage(format!("cannot read {path}: {e}")))?
        {
            let entry = entry.map_err(|e| Failure::usage(format!("cannot read {path}: {e}")))?;
            let entry = entry.path();
            if entry.extension().is_some_and(|x| x == "json" || x == "jsonl") {
                entries.push(entry);
            }
        }
        entries.sort();
        for entry in entries {
            read_corpus(&entry.display().to_string(), engine, corpus, blank_lines)?;
        }
        return Ok(());
    }
    let text = read_text(path)?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let sets: Vec<Responses> = serde_json::from_str(trimmed)
            .map_err(|e| Failure::rejected(format!("{path}: {}", list_problem(engine, trimmed, &e))))?;
        corpus.extend(
            sets.into_iter()
                .enumerate()
                .map(|(i, r)| (format!("{path} item {}", i + 1), r)),
        );
        return Ok(());
    }
    // One JSON document laid out over several lines is one answer set; a
    // single line is read as JSON Lines, so it is named by its line.
    if text.trim().contains('\n') && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok() {
        let one = serde_json::from_str::<Responses>(&text)
            .map_err(|_| Failure::rejected(format!("{path}: {}", not_an_answer_set(engine, &text))))?;
        corpus.push((path.to_owned(), one));
        return Ok(());
    }
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            *blank_lines += 1;
            continue;
        }
        let responses: Responses = serde_json::from_str(line).map_err(|_| {
            Failure::rejected(format!(
                "{path}: line {}: {}",
                i + 1,
                not_an_answer_set(engine, line)
            ))
        })?;
        corpus.push((format!("{path}:{}", i + 1), responses));
    }
    Ok(())
}

/// Why `json` is not an answer set, in the engine's words, which never
/// quote an answer value.
fn not_an_answer_set(engine: &Engine, json: &str) -> String {
    if serde_json::from_str::<CoupleResponses>(json).is_ok() {
        return "not an answer set: a couple's answers (\"a\" and \"b\"); diff compares one person's answer sets"
            .to_owned();
    }
    match engine.assess_json_with(json, TraceDetail::RulesOnly) {
        Err(AnswersError::Syntax {
            line,
            column,
            path,
            message,
        }) => format!(
            "not an answer set: at line {line}, column {column}: {}{message}",
            crate::io::at_path(&path)
        ),
        Err(AnswersError::Invalid { problems }) => {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!("not an answer set: {}", problems.join("; "))
        }
        Ok(_) => "not an answer set".to_owned(),
    }
}

/// Why a JSON list is not a list of answer sets: the first item that is
/// not one, or where the list itself is broken.
fn list_problem(engine: &Engine, json: &str, error: &serde_json::Error) -> String {
    let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(json) else {
        return format!(
            "not a list of answer sets: at line {}, column {}: not valid JSON",
            error.line(),
            error.column()
        );
    };
    for (i, item) in items.iter().enumerate() {
        if serde_json::from_str::<Responses>(&item.to_string()).is_err() {
            return format!("item {}: {}", i + 1, not_an_answer_set(engine, &item.to_string()));
        }
    }
    // Every item reads alone once its repeated keys are merged: a key was
    // given twice, and serde's message names it by path, not by value.
    let message = error.to_string();
    if message.starts_with("duplicate key at ") {
        return format!("not a list of answer sets: {message}");
    }
    format!(
        "not a list of answer sets (line {}, column {})",
        error.line(),
        error.column()
    )
}

/// What the corpus is drawn from: the new pack's questions and facts, then
/// those only the old pack declares, so that removing a question shows what
/// its answers did.
struct Questionnaire<'p> {
    questions: Vec<&'p Question>,
    context: Vec<&'p ContextFact>,
}

impl<'p> Questionnaire<'p> {
    fn of(new: &'p Pack, old: &'p Pack) -> Self {
        let new_declares = Declared::of(new);
        let questions = new
            .questions
            .iter()
            .chain(
                old.questions
                    .iter()
                    .filter(|q| !new_declares.questions.contains(q.id.as_str())),
            )
            .collect();
        let context = new
            .context
            .iter()
            .chain(
                old.context
                    .iter()
                    .filter(|f| !new_declares.context.contains(f.id.as_str())),
            )
            .collect();
        Questionnaire { questions, context }
    }

    /// Each question alone at its lowest and at its highest answer.
    fn extremes(&self) -> Vec<(String, Responses)> {
        let mut sets = Vec::new();
        for question in &self.questions {
            let (low, high) = match &question.answer {
                AnswerSpec::Options { options } => {
                    let by_weight = |pick: fn(f64, f64) -> bool| {
                        options
                            .iter()
                            .fold(None::<&rekindle::pack::AnswerOption>, |best, o| match best {
                                Some(b) if !pick(o.weight, b.weight) => Some(b),
                                _ => Some(o),
                            })
                            .map(|o| Value::text(o.value.clone()))
                    };
                    match (by_weight(|a, b| a < b), by_weight(|a, b| a > b)) {
                        (Some(low), Some(high)) => (low, high),
                        _ => continue,
                    }
                }
                AnswerSpec::Range { min, max, .. } => (Value::number(*min), Value::number(*max)),
                AnswerSpec::YesNo => (Value::bool(false), Value::bool(true)),
            };
            for (end, value) in [("lowest", low), ("highest", high)] {
                sets.push((
                    format!("{} alone at its {end}", question.id),
                    Responses::new([(question.id.clone(), value)]),
                ));
            }
        }
        sets
    }

    /// `n` random answer sets, drawn as they are read: each question
    /// answered (or, one time in five, skipped) with a uniformly drawn valid
    /// answer, and each context fact given half the time.
    fn generated(&self, n: u64, seed: u64) -> impl Iterator<Item = (String, Responses)> + '_ {
        let mut rng = SplitMix(seed);
        (1..=n).map(move |i| (format!("generated #{i}"), self.draw(&mut rng)))
    }

    fn draw(&self, rng: &mut SplitMix) -> Responses {
        let mut responses = Responses::default();
        for question in &self.questions {
            if rng.below(5) == 0 {
                continue;
            }
            let value = match &question.answer {
                AnswerSpec::Options { options } if !options.is_empty() => {
                    Value::text(options[rng.below(options.len() as u64) as usize].value.clone())
                }
                AnswerSpec::Options { .. } => continue,
                AnswerSpec::Range { min, max, step, .. } => {
                    let steps = step.map_or(100.0, |s| ((max - min) / s).floor()).clamp(0.0, 1e6);
                    let k = rng.below(steps as u64 + 1) as f64;
                    Value::number(min + (max - min) * k / steps.max(1.0))
                }
                AnswerSpec::YesNo => Value::bool(rng.below(2) == 0),
            };
            responses.answers.insert(question.id.clone(), value);
        }
        for fact in &self.context {
            if rng.below(2) == 0 {
                continue;
            }
            let value = match fact.kind {
                FactKind::Bool => Value::bool(rng.below(2) == 0),
                FactKind::Number => {
                    let (lo, hi) = (fact.min.unwrap_or(0.0), fact.max.unwrap_or(0.0));
                    Value::number((lo + (hi - lo) * rng.below(101) as f64 / 100.0).round())
                }
                FactKind::Choice => match fact.choices.as_deref() {
                    Some(choices) if !choices.is_empty() => {
                        Value::text(choices[rng.below(choices.len() as u64) as usize].clone())
                    }
                    _ => continue,
                },
            };
            responses.context.insert(fact.id.clone(), value);
        }
        responses
    }
}

/// A small, well-known generator (SplitMix64): the same seed gives the same
/// corpus on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}
