//! `rekindle diff OLD NEW`: what a pack change does to real answers.
//!
//! Both packs assess the same corpus of answer sets, given as files or
//! generated reproducibly from the new pack's questionnaire, and every
//! change in the decisions users see is counted, safety first. Examples name
//! answer sets by where they come from (file and line, or generated number),
//! never by their answers.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rekindle::pack::{AnswerSpec, FactKind, Pack};
use rekindle::{Recommendation, Responses, TraceDetail, Value};
use serde::Serialize;

use crate::args::{expect_positional, parse};
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

The corpus is the answer sets of --answers (JSON Lines, or a JSON file with
one answer set or a list of them, or a directory of such files), plus N
random answer sets drawn from the new pack's questionnaire with seed S and
every single-item extreme (each question alone at its lowest and its highest
answer). Without --answers, --generate defaults to 1000.

Examples name an answer set by its file and line or by its generated
number, never by its answers.

Options:
  --answers PATH          Answer sets to run: a file or a directory
  --generate N            How many random answer sets to add
  --seed S                The seed for them (default 1)
  --allow-safety-change   Exit 0 even when safety decisions change
  --json                  Print the report as JSON

Exit status: 0 no safety change (or allowed); 1 a safety decision changed,
or a pack or answer file was rejected; 2 usage error or unreadable file.
";

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

#[derive(Serialize)]
struct Report {
    old: String,
    new: String,
    answer_sets: u64,
    changed: u64,
    changes: BTreeMap<&'static str, Change>,
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
    let (old_name, old) = load_engine(Some(&args.positional[0]))?;
    let (new_name, new) = load_engine(Some(&args.positional[1]))?;
    let number = |name: &str, default: u64| -> Result<u64, Failure> {
        args.option(name).map_or(Ok(default), |text| {
            text.parse()
                .map_err(|_| Failure::usage(format!("{name} takes a whole number, not `{text}`")))
        })
    };
    let mut corpus = Vec::new();
    if let Some(path) = args.option("--answers") {
        read_corpus(path, &mut corpus)?;
    }
    let generate = number("--generate", if corpus.is_empty() { 1000 } else { 0 })?;
    let seed = number("--seed", 1)?;
    if generate > 0 || corpus.is_empty() {
        corpus.extend(extremes(new.pack()));
        corpus.extend(generated(new.pack(), generate, seed));
    }

    let mut report = Report {
        old: old_name,
        new: new_name,
        answer_sets: 0,
        changed: 0,
        changes: DECISIONS.iter().map(|d| (*d, Change::default())).collect(),
    };
    let progress = progress_bar(corpus.len() as u64);
    for (label, responses) in &corpus {
        report.answer_sets += 1;
        progress.inc(1);
        let before = old.assess_with(responses, TraceDetail::RulesOnly);
        let after = new.assess_with(responses, TraceDetail::RulesOnly);
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
    let code = u8::from(safety_changed && !args.flag("--allow-safety-change"));
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
    let _ = writeln!(
        out,
        "{} -> {}: {} of {} change",
        report.old,
        report.new,
        report.changed,
        plural(report.answer_sets as usize, "answer set", "answer sets"),
    );
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

/// Answer sets from a file or a directory, each labelled by file and line.
fn read_corpus(path: &str, corpus: &mut Vec<(String, Responses)>) -> Result<(), Failure> {
    let as_path = Path::new(path);
    if as_path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(as_path)
            .map_err(|e| Failure::usage(format!("cannot read {path}: {e}")))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "jsonl"))
            .collect();
        entries.sort();
        for entry in entries {
            read_corpus(&entry.display().to_string(), corpus)?;
        }
        return Ok(());
    }
    let text = read_text(path)?;
    let rejected = |line: usize| Failure::rejected(format!("{path}: line {line}: not an answer set"));
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let sets: Vec<Responses> = serde_json::from_str(trimmed).map_err(|e| rejected(e.line()))?;
        corpus.extend(
            sets.into_iter()
                .enumerate()
                .map(|(i, r)| (format!("{path} item {}", i + 1), r)),
        );
        return Ok(());
    }
    if let Ok(one) = serde_json::from_str::<Responses>(&text) {
        corpus.push((path.to_owned(), one));
        return Ok(());
    }
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let responses: Responses = serde_json::from_str(line).map_err(|_| rejected(i + 1))?;
        corpus.push((format!("{path}:{}", i + 1), responses));
    }
    Ok(())
}

/// Each question alone at its lowest and at its highest answer.
fn extremes(pack: &Pack) -> Vec<(String, Responses)> {
    let mut sets = Vec::new();
    for question in &pack.questions {
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

/// `n` random answer sets: each question answered (or, one time in five,
/// skipped) with a uniformly drawn valid answer, and each context fact given
/// half the time.
fn generated(pack: &Pack, n: u64, seed: u64) -> Vec<(String, Responses)> {
    let mut rng = SplitMix(seed);
    (1..=n)
        .map(|i| {
            let mut responses = Responses::default();
            for question in &pack.questions {
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
            for fact in &pack.context {
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
            (format!("generated #{i}"), responses)
        })
        .collect()
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
