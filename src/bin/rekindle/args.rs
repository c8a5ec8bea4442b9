//! Argument parsing shared by the commands, on top of lexopt.
//!
//! Each command names the flags (no value) and options (one value, as
//! `--name VALUE` or `--name=VALUE`) it takes; everything else is a usage
//! error, with a suggestion when the word is close to a known one.

use lexopt::Arg;

use crate::Failure;

/// A command's parsed arguments.
#[derive(Default)]
pub(crate) struct Args {
    /// The command these arguments are for, to point at its help.
    pub(crate) command: String,
    pub(crate) positional: Vec<String>,
    pub(crate) flags: Vec<&'static str>,
    pub(crate) options: Vec<(&'static str, String)>,
    pub(crate) help: bool,
}

impl Args {
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    pub(crate) fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Options whose value names a file, so `-` there reads standard input.
const FILE_OPTIONS: &[&str] = &["--pack"];

/// Parses `args` for `command`, which takes the given flags and options.
pub(crate) fn parse(
    command: &str,
    args: &[String],
    flags: &[&'static str],
    options: &[&'static str],
) -> Result<Args, Failure> {
    let see = format!("see `rekindle {command} --help`");
    let mut parsed = Args {
        command: command.to_owned(),
        ..Args::default()
    };
    let mut parser = lexopt::Parser::from_args(args);
    loop {
        let arg = match parser.next() {
            Ok(Some(arg)) => arg,
            Ok(None) => break,
            Err(error) => return Err(lexopt_failure(error, &see)),
        };
        let name = match arg {
            Arg::Short('h') | Arg::Long("help") => {
                parsed.help = true;
                continue;
            }
            Arg::Value(value) => {
                parsed.positional.push(utf8(value)?);
                continue;
            }
            Arg::Short(c) => format!("-{c}"),
            Arg::Long(name) => format!("--{name}"),
        };
        if let Some(&flag) = flags.iter().find(|f| **f == name) {
            if parser.optional_value().is_some() {
                return Err(Failure::usage(format!("{flag} takes no value ({see})")));
            }
            if !parsed.flags.contains(&flag) {
                parsed.flags.push(flag);
            }
        } else if let Some(&option) = options.iter().find(|o| **o == name) {
            let value = match parser.value() {
                Ok(value) => utf8(value)?,
                Err(_) => return Err(Failure::usage(format!("{option} needs a value ({see})"))),
            };
            if parsed.option(option).is_some() {
                return Err(Failure::usage(format!("{option} is given twice ({see})")));
            }
            parsed.options.push((option, value));
        } else {
            let known = flags.iter().chain(options).copied().chain(["--help"]);
            return Err(Failure::usage(format!(
                "unknown option {name} for `{command}`{} ({see})",
                did_you_mean(&name, known)
            )));
        }
    }
    check_stdin_once(&parsed, &see)?;
    Ok(parsed)
}

/// Standard input holds one document: a second `-` would read nothing.
fn check_stdin_once(args: &Args, see: &str) -> Result<(), Failure> {
    let positional = args.positional.iter().map(String::as_str);
    let files = args
        .options
        .iter()
        .filter(|(name, _)| FILE_OPTIONS.contains(name))
        .map(|(_, value)| value.as_str());
    if positional.chain(files).filter(|a| *a == "-").count() > 1 {
        return Err(Failure::usage(format!(
            "`-` (standard input) is given twice; standard input can be read only once ({see})"
        )));
    }
    Ok(())
}

/// The arguments arrive as UTF-8 (`main` checks), so this never fails in practice.
fn utf8(value: std::ffi::OsString) -> Result<String, Failure> {
    value
        .into_string()
        .map_err(|_| Failure::usage("arguments must be valid UTF-8"))
}

fn lexopt_failure(error: lexopt::Error, see: &str) -> Failure {
    match error {
        lexopt::Error::UnexpectedValue { option, .. } => {
            Failure::usage(format!("{option} takes no value ({see})"))
        }
        lexopt::Error::MissingValue { option: Some(option) } => {
            Failure::usage(format!("{option} needs a value ({see})"))
        }
        // The parser reports no values, only options, so the message is safe to show.
        other => Failure::usage(format!("{other} ({see})")),
    }
}

/// `; did you mean X?` when `word` is one or two typos away from a known
/// word, otherwise nothing.
pub(crate) fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let bare = word.trim_start_matches('-');
    // Short words allow one typo, longer ones two; a transposition counts as one.
    let allowed = if bare.chars().count() <= 4 { 1 } else { 2 };
    known
        .into_iter()
        .map(|candidate| {
            (
                strsim::osa_distance(bare, candidate.trim_start_matches('-')),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| format!("; did you mean `{candidate}`?"))
        .unwrap_or_default()
}

/// Checks the number of positional arguments.
pub(crate) fn expect_positional(
    command: &str,
    args: &Args,
    names: &str,
    min: usize,
    max: usize,
) -> Result<(), Failure> {
    let n = args.positional.len();
    if n < min {
        return Err(Failure::usage(format!(
            "`{command}` needs {names} (see `rekindle {command} --help`)"
        )));
    }
    if n > max {
        let extra = &args.positional[max];
        return Err(Failure::usage(format!(
            "unexpected argument `{extra}` for `{command}` (see `rekindle {command} --help`)"
        )));
    }
    Ok(())
}

/// The longest challenge a pack may hold, in days (the pack format's limit),
/// so no day of a phase is later than this.
pub(crate) const MAX_DAY: u64 = rekindle::MAX_CHALLENGE_DAYS as u64;

/// Why days stop at [`MAX_DAY`], for messages.
pub(crate) const WHY_MAX_DAY: &str = "a challenge lasts at most 366 days";

/// The `--day` option: a day of the emphasised phase, from 1.
pub(crate) fn day_option(args: &Args) -> Result<u32, Failure> {
    let day = whole_number(args, "--day", 1, MAX_DAY, WHY_MAX_DAY)?;
    // Within 1..=366, so it fits.
    Ok(day.map_or(1, |d| u32::try_from(d).unwrap_or(u32::MAX)))
}

/// A whole-number option from `min` to `max`, when given. Each way a value
/// can miss (not a number, not whole, negative, too small, too large) gets
/// its own message with the bounds; `why_max` says where the maximum comes
/// from, when it is not plain.
pub(crate) fn whole_number(
    args: &Args,
    name: &str,
    min: u64,
    max: u64,
    why_max: &str,
) -> Result<Option<u64>, Failure> {
    let Some(text) = args.option(name) else {
        return Ok(None);
    };
    let see = format!("see `rekindle {} --help`", args.command);
    let fail = |problem: String| Err(Failure::usage(format!("{problem} ({see})")));
    let range = format!("a whole number from {min} to {max}");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<f64>() {
            _ if text.is_empty() => fail(format!("{name} needs a value: {range}")),
            Ok(n) if n.is_finite() && n < 0.0 => {
                fail(format!("{name} cannot be negative ({text}): it takes {range}"))
            }
            Ok(n) if n.is_finite() => fail(format!("{name} takes {range}, not {text}")),
            _ => fail(format!("{name} takes {range}, not `{text}`")),
        };
    }
    let zero = digits.bytes().all(|b| b == b'0');
    if negative && !zero {
        return fail(format!("{name} cannot be negative ({text}): it takes {range}"));
    }
    // More digits than u64 holds is too large as surely as a value over `max`.
    match digits.parse::<u64>() {
        Ok(n) if n < min => fail(format!("{name} {text} is too small: the smallest is {min}")),
        Ok(n) if n <= max => Ok(Some(n)),
        _ => {
            let why = if why_max.is_empty() {
                String::new()
            } else {
                format!(" ({why_max})")
            };
            fail(format!("{name} {text} is too large: the largest is {max}{why}"))
        }
    }
}

/// How `check` and `test` print what they found.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// For people: the default.
    Text,
    /// One `file:line:col: kind: message` line per finding, for editors and CI.
    Short,
    /// One JSON document.
    Json,
}

/// The `--format` option; `--json` is short for `--format=json`.
pub(crate) fn format_option(command: &str, args: &Args) -> Result<Format, Failure> {
    let see = format!("see `rekindle {command} --help`");
    match (args.flag("--json"), args.option("--format")) {
        (true, Some(other)) if other != "json" => Err(Failure::usage(format!(
            "--json and --format={other} exclude each other ({see})"
        ))),
        (true, _) | (false, Some("json")) => Ok(Format::Json),
        (false, None | Some("text")) => Ok(Format::Text),
        (false, Some("short")) => Ok(Format::Short),
        (false, Some(other)) => Err(Failure::usage(format!(
            "--format takes `text`, `short` or `json`, not `{other}`{} ({see})",
            did_you_mean(other, ["text", "short", "json"])
        ))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_day_limit_says_its_own_number() {
        assert!(super::WHY_MAX_DAY.contains(&super::MAX_DAY.to_string()));
    }

    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn suggestions_catch_typos_but_not_other_words() {
        let known = ["--json", "--pack", "--day", "--help"];
        assert_eq!(did_you_mean("--jsn", known), "; did you mean `--json`?");
        assert_eq!(did_you_mean("--pakc", known), "; did you mean `--pack`?");
        assert_eq!(did_you_mean("--frob", known), "");
        assert_eq!(
            did_you_mean("asess", ["assess", "test"]),
            "; did you mean `assess`?"
        );
        assert_eq!(did_you_mean("frobnicate", ["assess", "test"]), "");
    }

    #[test]
    fn two_dashes_for_standard_input_are_refused() {
        let two = parse("test", &strings(&["-", "-"]), &[], &[]);
        assert!(two.is_err_and(|f| f.code == 2 && f.message.contains("given twice")));
        let via_pack = parse("assess", &strings(&["--pack", "-", "-"]), &[], &["--pack"]);
        assert!(via_pack.is_err());
        let once = parse(
            "assess",
            &strings(&["--pack=-", "answers.json"]),
            &[],
            &["--pack"],
        );
        assert!(once.is_ok_and(|a| a.option("--pack") == Some("-")));
        let after_separator = parse("test", &strings(&["default", "--", "-x"]), &[], &[]);
        assert!(after_separator.is_ok_and(|a| a.positional == ["default", "-x"]));
    }

    #[test]
    fn json_and_format_combine_only_when_they_agree() {
        let formats = |args: &[&str]| {
            let parsed = parse("check", &strings(args), &["--json"], &["--format"]).ok()?;
            format_option("check", &parsed).ok()
        };
        assert!(formats(&[]) == Some(Format::Text));
        assert!(formats(&["--format=short"]) == Some(Format::Short));
        assert!(formats(&["--json"]) == Some(Format::Json));
        assert!(formats(&["--json", "--format", "json"]) == Some(Format::Json));
        assert!(formats(&["--json", "--format=short"]).is_none());
        assert!(formats(&["--json", "--format=text"]).is_none());
        assert!(formats(&["--format=xml"]).is_none());
    }
}
