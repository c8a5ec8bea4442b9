//! Argument parsing shared by the commands.

use crate::Failure;

/// A command's parsed arguments.
#[derive(Default)]
pub(crate) struct Args {
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

/// Parses `args` for `command`, which takes the given flags (no value)
/// and options (one value, as `--name VALUE` or `--name=VALUE`).
pub(crate) fn parse(
    command: &str,
    args: &[String],
    flags: &[&'static str],
    options: &[&'static str],
) -> Result<Args, Failure> {
    let mut parsed = Args::default();
    let mut iter = args.iter();
    let see = format!("see `rekindle {command} --help`");
    while let Some(arg) = iter.next() {
        if arg == "--" {
            parsed.positional.extend(iter.by_ref().cloned());
            break;
        }
        if arg == "-h" || arg == "--help" {
            parsed.help = true;
            continue;
        }
        if arg == "-" || !arg.starts_with('-') {
            parsed.positional.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), None),
        };
        if let Some(&flag) = flags.iter().find(|f| **f == name) {
            if inline.is_some() {
                return Err(Failure::usage(format!("{flag} takes no value ({see})")));
            }
            if !parsed.flags.contains(&flag) {
                parsed.flags.push(flag);
            }
        } else if let Some(&option) = options.iter().find(|o| **o == name) {
            let value = match inline {
                Some(value) => value.to_owned(),
                None => match iter.next() {
                    Some(value) => value.clone(),
                    None => return Err(Failure::usage(format!("{option} needs a value ({see})"))),
                },
            };
            if parsed.option(option).is_some() {
                return Err(Failure::usage(format!("{option} is given twice ({see})")));
            }
            parsed.options.push((option, value));
        } else {
            return Err(Failure::usage(format!(
                "unknown option {name} for `{command}` ({see})"
            )));
        }
    }
    Ok(parsed)
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

/// The `--day` option: a day of the emphasised phase, from 1.
pub(crate) fn day_option(args: &Args) -> Result<u32, Failure> {
    match args.option("--day") {
        None => Ok(1),
        Some(text) => match text.parse::<u32>() {
            Ok(day) if day >= 1 => Ok(day),
            _ => Err(Failure::usage(format!(
                "--day takes a whole number from 1, not `{text}`"
            ))),
        },
    }
}
