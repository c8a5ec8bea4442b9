//! Progress over time on the command line: snapshots in and out of
//! `assess`, `rekindle progress OLD NEW`, and the change per dimension drawn
//! as a small bar chart.

use std::fmt::Write as _;
use std::io::IsTerminal;

use rekindle::{Direction, Progress, Snapshot};

use crate::args::{expect_positional, parse, whole_number, Args, MAX_DAY, WHY_MAX_DAY};
use crate::io::{display_name, load_engine, read_text};
use crate::text::num;
use crate::{Failure, Outcome, Run};

pub(crate) const HELP_PROGRESS: &str = "\
Usage: rekindle progress [--pack PACK] [--json] OLD NEW

Compares two snapshots saved by `rekindle assess --save-snapshot` (single
snapshots, or the `shared` part of a couple's) and draws each dimension's
score now against before, with the direction the pack's meaningful change
gives: better, worse or steady.

Bars use colour only on a terminal, and never when NO_COLOR is set.

Options:
  --pack PACK   The pack the snapshots came from (default: the built-in pack)
  --json        Print the comparison as JSON

Exit status: 0 compared; 1 a snapshot was rejected; 2 usage error or
unreadable file.
";

/// `rekindle progress OLD NEW`.
pub(crate) fn progress(args: &[String]) -> Run {
    let args = parse("progress", args, &["--json"], &["--pack"])?;
    if args.help {
        return Ok(Outcome::ok(HELP_PROGRESS.to_owned()));
    }
    expect_positional("progress", &args, "two snapshot files, OLD and NEW", 2, 2)?;
    let (_, engine) = load_engine(args.option("--pack"))?;
    let old = read_snapshot(&args.positional[0])?;
    let new = read_snapshot(&args.positional[1])?;
    let compared = engine
        .compare_snapshots(&old, &new)
        .map_err(|e| snapshots_failure(&e))?;
    if args.flag("--json") {
        return Outcome::json(&compared, 0);
    }
    let mut out = String::new();
    render_progress(&mut out, &compared, Style::detect());
    Ok(Outcome::ok(out))
}

/// Why the pack refused the two snapshots, problem by problem (paths name
/// them `old` and `new`).
fn snapshots_failure(error: &rekindle::AnswersError) -> Failure {
    match error {
        rekindle::AnswersError::Syntax {
            line,
            column,
            path,
            message,
        } => Failure::rejected(format!(
            "the snapshots: {}line {line}, column {column}: {message}",
            crate::io::at_path(path)
        )),
        rekindle::AnswersError::Invalid { problems } => {
            let mut message = format!(
                "the snapshots do not fit the pack, {}:",
                crate::text::plural(problems.len(), "problem", "problems")
            );
            for problem in problems {
                let _ = write!(message, "\n  {problem}");
            }
            Failure::rejected(message)
        }
    }
}

/// One snapshot from a file: a snapshot, or the `shared` one of a couple's.
fn read_snapshot(path: &str) -> Result<Snapshot, Failure> {
    let text = read_text(path)?;
    let name = display_name(path);
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Failure::rejected(format!(
            "{name}: line {}, column {}: not valid JSON",
            e.line(),
            e.column()
        ))
    })?;
    let value = match value.get("shared") {
        Some(shared) => shared.clone(),
        None => value,
    };
    serde_json::from_value(value).map_err(|_| {
        Failure::rejected(format!(
            "{name}: not a snapshot (see `rekindle assess --save-snapshot`)"
        ))
    })
}

/// Snapshots given with `assess --previous FILE`: one snapshot, a list of
/// them, or a couple's `{"shared", "a", "b"}`.
pub(crate) struct Previous {
    pub(crate) single: Vec<Snapshot>,
    pub(crate) shared: Vec<Snapshot>,
    pub(crate) a: Vec<Snapshot>,
    pub(crate) b: Vec<Snapshot>,
}

pub(crate) fn previous_option(args: &Args) -> Result<Option<Previous>, Failure> {
    let Some(path) = args.option("--previous") else {
        return Ok(None);
    };
    let text = read_text(path)?;
    let name = display_name(path);
    let bad = || {
        Failure::rejected(format!(
            "{name}: not a snapshot, a list of snapshots or a couple's snapshots"
        ))
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Failure::rejected(format!(
            "{name}: line {}, column {}: not valid JSON",
            e.line(),
            e.column()
        ))
    })?;
    let list = |value: &serde_json::Value| -> Result<Vec<Snapshot>, Failure> {
        match value {
            serde_json::Value::Array(_) => serde_json::from_value(value.clone()).map_err(|_| bad()),
            _ => serde_json::from_value(value.clone())
                .map(|s| vec![s])
                .map_err(|_| bad()),
        }
    };
    if value.get("shared").is_some() {
        let part = |key: &str| value.get(key).map_or(Ok(Vec::new()), list);
        return Ok(Some(Previous {
            single: Vec::new(),
            shared: part("shared")?,
            a: part("a")?,
            b: part("b")?,
        }));
    }
    Ok(Some(Previous {
        single: list(&value)?,
        shared: Vec::new(),
        a: Vec::new(),
        b: Vec::new(),
    }))
}

/// The assessment's date: `--date`, or today (UTC) from the system clock.
pub(crate) fn date_option(args: &Args) -> Result<String, Failure> {
    match args.option("--date") {
        Some(date) => Ok(date.to_owned()),
        None => {
            let seconds = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|_| Failure::usage("the system clock is before 1970; give --date YYYY-MM-DD"))?
                .as_secs();
            Ok(civil_date(i64::try_from(seconds / 86_400).unwrap_or(0)))
        }
    }
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `--reached N`: the challenge day the couple reached, for the snapshot.
pub(crate) fn reached_option(args: &Args) -> Result<Option<u32>, Failure> {
    let reached = whole_number(args, "--reached", 1, MAX_DAY, WHY_MAX_DAY)?;
    // Within 1..=366, so it fits.
    Ok(reached.map(|d| u32::try_from(d).unwrap_or(u32::MAX)))
}

/// Writes `value` as pretty JSON to `path`.
pub(crate) fn save_json(path: &str, value: &impl serde::Serialize) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::rejected(format!("cannot write the snapshot: {e}")))?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| Failure::usage(format!("{path}: cannot write: {}", crate::io::io_reason(&e))))
}

/// Colours for the bar chart, or none.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    colour: bool,
}

impl Style {
    /// Colour only on a terminal, and never with NO_COLOR set.
    pub(crate) fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn paint(self, text: &str, direction: Direction) -> String {
        let code = match direction {
            Direction::Better => "32",
            Direction::Worse => "31",
            Direction::Steady | Direction::Unknown => return text.to_owned(),
        };
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

const BAR_WIDTH: usize = 20;

/// A score as a bar of `BAR_WIDTH` cells.
fn bar(score: Option<f64>) -> String {
    match score {
        None => format!("{:BAR_WIDTH$}", "(no score)"),
        Some(score) => {
            let filled = ((score.clamp(0.0, 100.0) / 100.0) * BAR_WIDTH as f64).round() as usize;
            format!("{}{}", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled))
        }
    }
}

/// Each dimension now against before, as two bars and a direction.
pub(crate) fn render_progress(out: &mut String, progress: &Progress, style: Style) {
    let _ = writeln!(out);
    let days = progress
        .days
        .map(|d| format!(", {d} days ago"))
        .unwrap_or_default();
    let _ = writeln!(out, "PROGRESS since {}{days}", progress.since);
    if let Some(phase) = &progress.previous_phase {
        let day = progress
            .previous_day
            .map(|d| format!(", day {d} reached"))
            .unwrap_or_default();
        let _ = writeln!(out, "   Last time: {phase}{day}");
    }
    let width = progress
        .dimensions
        .iter()
        .map(|d| d.title.chars().count())
        .max()
        .unwrap_or(0);
    for dim in &progress.dimensions {
        let show = |v: Option<f64>| v.map_or("-".to_owned(), num);
        let change = dim
            .change
            .map(|c| format!(" ({}{})", if c > 0.0 { "+" } else { "" }, num(c)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "   {:width$}  before {}  {:>5}",
            dim.title,
            bar(dim.before),
            show(dim.before)
        );
        let now = style.paint(&bar(dim.now), dim.direction);
        let verdict = style.paint(dim.direction.name(), dim.direction);
        let _ = writeln!(
            out,
            "   {:width$}  now    {now}  {:>5}  {verdict}{change}",
            "",
            show(dim.now)
        );
    }
    if !progress.not_comparable.is_empty() {
        let _ = writeln!(
            out,
            "   Not comparable (another version of the pack): {}",
            progress.not_comparable.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_become_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_784), "2026-11-27");
        assert_eq!(civil_date(19_782), "2024-02-29");
    }

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(bar(Some(0.0)), ".".repeat(20));
        assert_eq!(bar(Some(50.0)), format!("{}{}", "#".repeat(10), ".".repeat(10)));
        assert_eq!(bar(Some(100.0)), "#".repeat(20));
    }
}
