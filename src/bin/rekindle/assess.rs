//! `rekindle assess`: the plan for one set of answers, and its text report.

use std::fmt::Write as _;

use rekindle::{
    AnswersError, ChallengeResult, DimensionScore, Engine, FocusAreaResult, PackText, Reason, Recommendation,
    SafetyNotice, TherapyResult,
};

use crate::args::{day_option, expect_positional, parse, Args};
use crate::io::{at_path, display_name, load_engine, read_text};
use crate::progress::{date_option, previous_option, reached_option, render_progress, save_json, Style};
use crate::text::{num, plural};
use crate::{Failure, Outcome, Run};

pub(crate) const HELP_ASSESS: &str = "\
Usage: rekindle assess [--pack PACK] [--day N] [--json] ANSWERS
       rekindle assess --couple [--context CONTEXT] [--view shared|a|b]
                       [--pack PACK] [--day N] [--json] A B

Assesses one set of answers and prints the plan: the safety notice first
when there is one, then the focus areas with their reasons and practices,
the 30-day challenge and the phase to emphasise with the day's activity,
the therapy suggestion and the scores with their bands.

ANSWERS is a JSON file, or `-` for standard input, shaped like
  {\"answers\": {\"q_misunderstandings\": \"often\", \"q_overall_closeness\": 6},
   \"context\": {\"married\": true}}
Only `answers` is required; unanswered questions are left out.

With --couple, A and B are each partner's answers file (the same shape,
without context) and CONTEXT is a JSON object of the couple's facts, such
as {\"married\": true}. The plan has three views, printed apart: the
shared plan both partners read, and one private view for each partner.
Show each private view only to its owner: the engine keeps a partner's
private answers, private scores and any safety notice out of the shared
view and out of the other partner's view.

Options:
  --pack PACK   The pack to use (default: the built-in pack)
  --day N       Which day of the emphasised phase to show the activity for:
                1 (the default) is the phase's first day, so for a phase of
                days 11-20, --day 3 shows day 13 of the challenge
  --json        Print the whole result as JSON instead (keys: focus_areas,
                challenge, therapy, safety, reasons, scores, progress,
                trace, pack; with --couple: shared, a, b, pack)
  --couple      Assess a couple: A and B are both partners' answers
  --context CONTEXT  With --couple: the couple's context facts
  --view VIEW   With --couple: print only `shared`, `a` or `b`
  --previous FILE  Earlier snapshots (one, a list, or a couple's) to compare
                with: the report shows the change per dimension and the
                pack's rules decide the next step
  --date DATE   This assessment's date, YYYY-MM-DD (default: today, UTC)
  --save-snapshot FILE  Save a snapshot of this result for next time (a
                couple's: {\"shared\", \"a\", \"b\"}; keep each partner's
                part where only they can read it)
  --reached N   With --save-snapshot: the challenge day reached

Exit status: 0 assessed; 1 the answers or the pack were rejected;
2 usage error or unreadable file.
";

pub(crate) fn assess(args: &[String]) -> Run {
    let args = parse(
        "assess",
        args,
        &["--json", "--couple"],
        &[
            "--pack",
            "--day",
            "--context",
            "--view",
            "--previous",
            "--date",
            "--save-snapshot",
            "--reached",
        ],
    )?;
    if args.help {
        return Ok(Outcome::ok(HELP_ASSESS.to_owned()));
    }
    if args.flag("--couple") {
        return crate::couple::assess_couple(&args);
    }
    for option in ["--context", "--view"] {
        if args.option(option).is_some() {
            return Err(Failure::usage(format!(
                "{option} belongs to `assess --couple` (see `rekindle assess --help`)"
            )));
        }
    }
    expect_positional("assess", &args, "an ANSWERS file", 1, 1)?;
    let day = day_option(&args)?;
    let reached = reached_option(&args)?;
    let path = args.positional[0].as_str();
    let text = read_text(path)?;
    let (_, engine) = load_engine(args.option("--pack"))?;
    let name = display_name(path);
    let text = with_history(&text, name, &args)?;
    let rec = engine.assess_json(&text).map_err(|e| answers_failure(name, &e))?;
    if let Some(file) = args.option("--save-snapshot") {
        let snapshot = rec
            .snapshot(&date_option(&args)?, reached)
            .map_err(|e| answers_failure("--date", &e))?;
        save_json(file, &snapshot)?;
    }
    if args.flag("--json") {
        return Outcome::json(&rec, 0);
    }
    Ok(Outcome::ok(render_report(&engine, &rec, day)?))
}

/// The answers file's JSON with the assessment's date and, with
/// `--previous`, the earlier snapshots.
fn with_history(text: &str, name: &str, args: &Args) -> Result<String, Failure> {
    let previous = previous_option(args)?;
    if previous.is_none() && args.option("--date").is_none() {
        return Ok(text.to_owned());
    }
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Failure::rejected(format!(
            "{name}: line {}, column {}: not valid JSON",
            e.line(),
            e.column()
        ))
    })?;
    let Some(object) = value.as_object_mut() else {
        return Err(Failure::rejected(format!(
            "{name}: expected an object with \"answers\""
        )));
    };
    object.insert("date".to_owned(), serde_json::Value::String(date_option(args)?));
    if let Some(previous) = previous {
        if previous.single.is_empty() {
            return Err(Failure::rejected(
                "--previous: a couple's snapshots go with `assess --couple`".to_owned(),
            ));
        }
        let list = serde_json::to_value(&previous.single)
            .map_err(|e| Failure::rejected(format!("cannot read the snapshots: {e}")))?;
        object.insert("previous".to_owned(), list);
    }
    Ok(value.to_string())
}

pub(crate) fn answers_failure(name: &str, error: &AnswersError) -> Failure {
    match error {
        AnswersError::Syntax {
            line,
            column,
            path,
            message,
        } => Failure::rejected(format!(
            "{name}: {}line {line}, column {column}: {message}",
            at_path(path)
        )),
        AnswersError::Invalid { problems } => {
            // Previous snapshots are read with the answers (`--previous`).
            let snapshots = problems.iter().any(|p| p.path.starts_with("previous"));
            let what = if snapshots {
                "answers or snapshots"
            } else {
                "answers"
            };
            let mut message = format!(
                "{name}: the pack rejects these {what}, {}:",
                plural(problems.len(), "problem", "problems")
            );
            for problem in problems {
                let _ = write!(message, "\n  {problem}");
            }
            Failure::rejected(message)
        }
    }
}

pub(crate) fn reasons_block<'r>(
    out: &mut String,
    indent: &str,
    heading: &str,
    reasons: impl IntoIterator<Item = &'r Reason>,
) {
    let mut reasons = reasons.into_iter().peekable();
    if reasons.peek().is_none() {
        return;
    }
    let _ = writeln!(out, "{indent}{heading}");
    for reason in reasons {
        let _ = writeln!(out, "{indent}  - {} (rule {})", reason.text, reason.rule);
    }
}

/// The reasons a part of a result refers to by rule id, from the result's
/// list of reasons.
pub(crate) fn referred<'r>(ids: &'r [PackText], reasons: &'r [Reason]) -> impl Iterator<Item = &'r Reason> {
    ids.iter()
        .filter_map(move |id| reasons.iter().find(|r| r.rule == *id))
}

/// The plan in words, safety notice first.
pub(crate) fn render_report(engine: &Engine, rec: &Recommendation, day: u32) -> Result<String, Failure> {
    let mut out = String::new();
    let pack = &rec.pack;
    let title = if pack.title.is_empty() {
        pack.id.as_str()
    } else {
        pack.title.as_str()
    };
    let _ = writeln!(out, "{title} ({} {})", pack.id, pack.version);

    if let Some(safety) = &rec.safety {
        render_safety(&mut out, safety, &rec.reasons);
    }
    render_focus_areas(&mut out, engine, &rec.focus_areas, &rec.reasons, "FOCUS AREAS");
    let why_none = if rec.safety.is_some() {
        "set aside while your safety comes first"
    } else {
        "none suggested right now"
    };
    render_challenge(
        &mut out,
        engine,
        rec.challenge.as_ref(),
        &rec.reasons,
        day,
        why_none,
    )?;
    render_therapy(&mut out, &rec.therapy, &rec.reasons);

    let _ = writeln!(out);
    let _ = writeln!(out, "SCORES (0-100)");
    render_scores(&mut out, &rec.scores);
    if let Some(progress) = &rec.progress {
        render_progress(&mut out, progress, Style::detect());
    }

    let _ = writeln!(out);
    let fired: Vec<&str> = rec.fired_rules().collect();
    let _ = writeln!(
        out,
        "{} fired: {}. Use --json for the full trace.",
        plural(fired.len(), "rule", "rules"),
        fired.join(", ")
    );
    Ok(out)
}

/// The safety notice, with its resources and reasons.
pub(crate) fn render_safety(out: &mut String, safety: &SafetyNotice, reasons: &[Reason]) {
    let _ = writeln!(out);
    let _ = writeln!(out, "!! {}", safety.title.to_uppercase());
    let _ = writeln!(out, "   {}", safety.message);
    if !safety.resources.is_empty() {
        let _ = writeln!(out, "   Where to find help:");
        for resource in &safety.resources {
            let _ = write!(out, "   - {}: {}", resource.name, resource.description);
            if !resource.contact.is_empty() {
                let _ = write!(out, " Contact: {}.", resource.contact);
            }
            out.push('\n');
        }
    }
    reasons_block(out, "   ", "Why:", referred(&safety.reasons, reasons));
    if !safety.suppressed_tags.is_empty() {
        let _ = writeln!(
            out,
            "   Set aside for now: everything tagged {}.",
            safety.suppressed_tags.join(", ")
        );
    }
}

/// Focus areas with their reasons and practices, under `heading`.
pub(crate) fn render_focus_areas(
    out: &mut String,
    engine: &Engine,
    areas: &[FocusAreaResult],
    reasons: &[Reason],
    heading: &str,
) {
    let _ = writeln!(out);
    if areas.is_empty() {
        let _ = writeln!(out, "{heading}: none stood out");
    } else {
        let _ = writeln!(out, "{heading}");
    }
    for (i, area) in areas.iter().enumerate() {
        if area.weight > 0.0 {
            let _ = writeln!(out, "{}. {} (weight {})", i + 1, area.title, num(area.weight));
        } else {
            // Listed by a plan rather than weighed by rules.
            let _ = writeln!(out, "{}. {}", i + 1, area.title);
        }
        let _ = writeln!(out, "   {}", area.summary);
        reasons_block(out, "   ", "Why:", referred(&area.reasons, reasons));
        let practices = engine
            .focus_area(&area.id)
            .map_or(&[][..], |f| f.practices.as_slice());
        if !practices.is_empty() {
            let _ = writeln!(out, "   Try:");
            for practice in practices {
                let _ = writeln!(out, "     - {practice}");
            }
        }
    }
}

/// The challenge and phase with the activity of `day` of the phase, or why
/// there is none.
pub(crate) fn render_challenge(
    out: &mut String,
    engine: &Engine,
    challenge: Option<&ChallengeResult>,
    reasons: &[Reason],
    day: u32,
    why_none: &str,
) -> Result<(), Failure> {
    let _ = writeln!(out);
    let Some(challenge) = challenge else {
        let _ = writeln!(out, "30-DAY CHALLENGE: {why_none}");
        return Ok(());
    };
    let phase = &challenge.phase;
    let _ = writeln!(out, "30-DAY CHALLENGE: {}", challenge.title);
    let _ = writeln!(out, "   {}", challenge.summary);
    let _ = writeln!(
        out,
        "   Phase to emphasise: days {}-{}: {}",
        phase.first_day, phase.last_day, phase.theme
    );
    let length = phase.last_day.saturating_sub(phase.first_day).saturating_add(1);
    if day > length {
        return Err(Failure::usage(format!(
            "--day {day} is past the end of the emphasised phase, which has {length} days"
        )));
    }
    let challenge_day = phase.first_day + day - 1;
    match engine.activity(&phase.id, day) {
        Some(activity) => {
            let _ = writeln!(
                out,
                "   Today, day {day} of this phase (day {challenge_day} of the challenge): {activity}"
            );
        }
        None => {
            let _ = writeln!(out, "   The pack gives no daily activities for this phase.");
        }
    }
    reasons_block(out, "   ", "Why:", referred(&challenge.rationale, reasons));
    Ok(())
}

/// The therapy suggestion; only the decision speaks about online therapy.
pub(crate) fn render_therapy(out: &mut String, therapy: &TherapyResult, reasons: &[Reason]) {
    let _ = writeln!(out);
    let _ = writeln!(out, "THERAPY: {}", therapy.title);
    let _ = writeln!(out, "   {}", therapy.message);
    if therapy.rank > 0 {
        // When online therapy does not fit (as under the safety gate), the
        // text says nothing of it.
        if therapy.online {
            let _ = writeln!(out, "   Level: {} (online therapy is a good fit)", therapy.level);
        } else {
            let _ = writeln!(out, "   Level: {}", therapy.level);
        }
    }
    reasons_block(out, "   ", "Why:", referred(&therapy.reasons, reasons));
}

pub(crate) fn render_scores(out: &mut String, scores: &[DimensionScore]) {
    const NO_SCORE: &str = "not enough answers";
    let width = scores.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
    // Band labels are the pack's, of any length, so the column fits the longest.
    let band_width = scores
        .iter()
        .map(|s| band_of(s).chars().count())
        .fold(NO_SCORE.len(), usize::max);
    for score in scores {
        let answered = format!("{} of {} answered", score.answered, score.items);
        let (value, band) = match score.score {
            Some(value) => (num(value), band_of(score)),
            None => ("-".to_owned(), NO_SCORE),
        };
        let _ = writeln!(
            out,
            "   {:width$}  {value:>5}  {band:band_width$}  {answered}",
            score.title
        );
    }
}

fn band_of(score: &DimensionScore) -> &str {
    score
        .band_label
        .as_deref()
        .or(score.band.as_deref())
        .unwrap_or("")
}
