//! Couple mode on the command line: `assess --couple` and `quiz --couple`,
//! and the report of a couple plan in three views printed apart.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal};

use rekindle::{CouplePlan, CoupleResponses, Engine, PartnerView, SharedView};
use serde_json::{Map, Value as Json};

use crate::args::{day_option, expect_positional, Args};
use crate::assess::{
    answers_failure, reasons_block, render_challenge, render_focus_areas, render_safety, render_scores,
    render_therapy,
};
use crate::io::{display_name, load_engine, read_text};
use crate::progress::{date_option, previous_option, reached_option, render_progress, save_json, Style};
use crate::quiz::{ask_context, ask_questions, Conversation};
use crate::{Failure, Outcome, Run};

/// Which part of a couple plan to print.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    All,
    Shared,
    A,
    B,
}

pub(crate) fn view_option(args: &Args) -> Result<View, Failure> {
    match args.option("--view") {
        None => Ok(View::All),
        Some("shared") => Ok(View::Shared),
        Some("a") => Ok(View::A),
        Some("b") => Ok(View::B),
        Some(other) => Err(Failure::usage(format!(
            "--view takes shared, a or b, not `{other}` (see `rekindle assess --help`)"
        ))),
    }
}

/// `rekindle assess --couple A B`.
pub(crate) fn assess_couple(args: &Args) -> Run {
    expect_positional("assess", args, "two answers files, A and B", 2, 2)?;
    let day = day_option(args)?;
    let reached = reached_option(args)?;
    let view = view_option(args)?;
    let (path_a, path_b) = (args.positional[0].as_str(), args.positional[1].as_str());
    let a = partner_answers(path_a)?;
    let b = partner_answers(path_b)?;
    let context = match args.option("--context") {
        None => Json::Object(Map::new()),
        Some(path) => parse_json(path, &read_text(path)?)?,
    };
    let (_, engine) = load_engine(args.option("--pack"))?;
    let mut couple = Map::new();
    couple.insert("a".to_owned(), a);
    couple.insert("b".to_owned(), b);
    couple.insert("context".to_owned(), context);
    if let Some(previous) = previous_option(args)? {
        if !previous.single.is_empty() {
            return Err(Failure::rejected(
                "--previous: `assess --couple` compares with a couple's snapshots ({\"shared\", \"a\", \"b\"})".to_owned(),
            ));
        }
        for (key, list) in [
            ("previous_shared", previous.shared),
            ("previous_a", previous.a),
            ("previous_b", previous.b),
        ] {
            let list = serde_json::to_value(&list)
                .map_err(|e| Failure::rejected(format!("cannot read the snapshots: {e}")))?;
            couple.insert(key.to_owned(), list);
        }
        couple.insert("date".to_owned(), Json::String(date_option(args)?));
    } else if args.option("--date").is_some() {
        couple.insert("date".to_owned(), Json::String(date_option(args)?));
    }
    let names = format!("{} (a) and {} (b)", display_name(path_a), display_name(path_b));
    let plan = engine
        .assess_couple_json(&Json::Object(couple).to_string())
        .map_err(|e| answers_failure(&names, &e))?;
    if let Some(file) = args.option("--save-snapshot") {
        let snapshots = plan
            .snapshots(&date_option(args)?, reached)
            .map_err(|e| answers_failure("--date", &e))?;
        save_json(file, &snapshots)?;
    }
    if args.flag("--json") {
        return match view {
            View::All => Outcome::json(&plan, 0),
            View::Shared => Outcome::json(&plan.shared, 0),
            View::A => Outcome::json(&plan.a, 0),
            View::B => Outcome::json(&plan.b, 0),
        };
    }
    Ok(Outcome::ok(render_couple(&engine, &plan, view, day)?))
}

/// A partner's answers file: `{"answers": {...}}`, the shape `assess` reads,
/// without context (the couple's context is given once, with --context).
fn partner_answers(path: &str) -> Result<Json, Failure> {
    let name = display_name(path);
    let mut file = match parse_json(path, &read_text(path)?)? {
        Json::Object(map) => map,
        _ => {
            return Err(Failure::rejected(format!(
                "{name}: expected an object with \"answers\""
            )))
        }
    };
    if let Some(key) = file.keys().find(|k| *k != "answers") {
        let hint = if key == "context" {
            "; give the couple's context once, with --context"
        } else {
            ""
        };
        return Err(Failure::rejected(format!(
            "{name}: unexpected key {key:?} in a partner's answers file{hint}"
        )));
    }
    Ok(file.remove("answers").unwrap_or_else(|| Json::Object(Map::new())))
}

/// Parses JSON without quoting any of it back: the text holds answers.
fn parse_json(path: &str, text: &str) -> Result<Json, Failure> {
    serde_json::from_str(text).map_err(|e| {
        Failure::rejected(format!(
            "{}: line {}, column {}: not valid JSON",
            display_name(path),
            e.line(),
            e.column()
        ))
    })
}

/// The plan in three views, each under its own heading.
pub(crate) fn render_couple(
    engine: &Engine,
    plan: &CouplePlan,
    view: View,
    day: u32,
) -> Result<String, Failure> {
    let mut out = String::new();
    let pack = &plan.pack;
    let title = if pack.title.is_empty() {
        pack.id.as_str()
    } else {
        pack.title.as_str()
    };
    let _ = writeln!(out, "{title} ({} {})", pack.id, pack.version);
    if matches!(view, View::All | View::Shared) {
        render_shared(&mut out, engine, &plan.shared, day)?;
    }
    if matches!(view, View::All | View::A) {
        render_partner(&mut out, engine, &plan.a, "A");
    }
    if matches!(view, View::All | View::B) {
        render_partner(&mut out, engine, &plan.b, "B");
    }
    Ok(out)
}

fn banner(out: &mut String, text: &str) {
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", "=".repeat(text.len()));
    let _ = writeln!(out, "{text}");
    let _ = writeln!(out, "{}", "=".repeat(text.len()));
}

pub(crate) fn render_shared(
    out: &mut String,
    engine: &Engine,
    shared: &SharedView,
    day: u32,
) -> Result<(), Failure> {
    banner(out, "SHARED PLAN: for both of you");
    render_focus_areas(out, engine, &shared.focus_areas, &shared.reasons, "FOCUS AREAS");
    render_challenge(
        out,
        engine,
        shared.challenge.as_ref(),
        &shared.reasons,
        day,
        "none suggested right now",
    )?;
    render_therapy(out, &shared.therapy, &shared.reasons);
    if !shared.scores.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "YOUR SCORES AS A COUPLE (0-100, the mean of both)");
        render_scores(out, &shared.scores);
    }
    if let Some(progress) = &shared.progress {
        render_progress(out, progress, Style::detect());
    }
    Ok(())
}

pub(crate) fn render_partner(out: &mut String, engine: &Engine, view: &PartnerView, who: &str) {
    banner(out, &format!("ONLY FOR PARTNER {who}: show this to {who} alone"));
    if let Some(safety) = &view.safety {
        render_safety(out, safety, &view.reasons);
    }
    if !view.focus_areas.is_empty() {
        render_focus_areas(out, engine, &view.focus_areas, &view.reasons, "JUST FOR YOU");
    }
    if let Some(therapy) = &view.therapy {
        render_therapy(out, therapy, &view.reasons);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "YOUR SCORES (0-100)");
    render_scores(out, &view.scores);
    if let Some(progress) = &view.progress {
        render_progress(out, progress, Style::detect());
    }
    if !view.reasons.is_empty() {
        let _ = writeln!(out);
        reasons_block(out, "", "WHAT YOUR ANSWERS BROUGHT UP", &view.reasons);
    }
}

/// `rekindle quiz --couple`: each partner answers in turn on one device.
/// The private views are shown one at a time, each only after its owner
/// asks for it, and cleared away before the device is handed over; only
/// the shared plan goes to standard output.
pub(crate) fn quiz_couple<R: BufRead>(
    talk: &mut Conversation<R>,
    engine: &Engine,
    json: bool,
    day: u32,
) -> Run {
    talk.say("\nPARTNER A answers first, alone. Partner B, please step away for a few minutes.\n\n");
    let a = ask_questions(talk, engine);
    hand_over(
        talk,
        "Partner A, thank you. Hand the device to partner B; B, press Enter to start.",
    );
    talk.say("PARTNER B answers now, alone.\n\n");
    let b = ask_questions(talk, engine);
    hand_over(
        talk,
        "Partner B, thank you. Sit together for the last few questions and press Enter.",
    );
    let context = ask_context(talk, engine);
    let plan = engine
        .assess_couple(&CoupleResponses {
            a,
            b,
            context,
            ..CoupleResponses::default()
        })
        .map_err(|e| answers_failure("quiz answers", &e))?;
    if json {
        return Outcome::json(&plan, 0);
    }
    for (who, view) in [("A", &plan.a), ("B", &plan.b)] {
        hand_over(
            talk,
            &format!("Partner {who}: your own view is next. Press Enter when only you can see the screen."),
        );
        let mut text = String::new();
        render_partner(&mut text, engine, view, who);
        talk.say(&text);
        hand_over(talk, &format!("\nPartner {who}: press Enter to hide your view."));
    }
    talk.say("Here is the plan you share.\n");
    Ok(Outcome::ok(render_couple(engine, &plan, View::Shared, day)?))
}

/// Waits for Enter, then clears the screen (or, when standard error is not a
/// terminal, marks where it would be cleared).
fn hand_over<R: BufRead>(talk: &mut Conversation<R>, message: &str) {
    talk.say(&format!("\n{message}\n> "));
    let _ = talk.read_line();
    if std::io::stderr().is_terminal() {
        talk.say("\x1b[2J\x1b[H");
    } else {
        talk.say("\n---------------- (screen cleared) ----------------\n\n");
    }
}
