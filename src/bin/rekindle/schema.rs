//! `rekindle schema`: print the JSON Schemas for packs and fixture files.

use crate::args::{did_you_mean, expect_positional, parse};
use crate::{Failure, Outcome, Run};

pub(crate) const HELP_SCHEMA: &str = "\
Usage: rekindle schema [pack|fixtures]

Prints the JSON Schema (draft 2020-12) of rule packs (the default) or of
fixture files, as committed under rules/schema/. Point an editor at it with
a `$schema` key, as rules/default.json does.
";

/// The committed JSON Schemas, which `tests/schema.rs` proves equal to the
/// ones generated from the code.
#[cfg(not(feature = "schema"))]
pub(crate) fn schema_text(which: Which) -> Result<String, Failure> {
    Ok(match which {
        Which::Pack => include_str!("../../../rules/schema/pack.schema.json").to_owned(),
        Which::Fixtures => include_str!("../../../rules/schema/fixture.schema.json").to_owned(),
    })
}

/// The JSON Schemas generated from the pack and fixture models, used to
/// regenerate the committed files:
/// `cargo run --features schema -- schema pack > rules/schema/pack.schema.json`.
#[cfg(feature = "schema")]
pub(crate) fn schema_text(which: Which) -> Result<String, Failure> {
    let schema = match which {
        Which::Pack => rekindle::schema::pack(),
        Which::Fixtures => rekindle::schema::fixtures(),
    };
    let mut text = serde_json::to_string_pretty(&schema)
        .map_err(|e| Failure::rejected(format!("cannot write the schema: {e}")))?;
    text.push('\n');
    Ok(text)
}

pub(crate) enum Which {
    Pack,
    Fixtures,
}

pub(crate) fn schema(args: &[String]) -> Run {
    let args = parse("schema", args, &[], &[])?;
    if args.help {
        return Ok(Outcome::ok(HELP_SCHEMA.to_owned()));
    }
    expect_positional("schema", &args, "", 0, 1)?;
    let which = match args.positional.first().map(String::as_str) {
        None | Some("pack") => Which::Pack,
        Some("fixtures" | "fixture") => Which::Fixtures,
        Some(other) => {
            return Err(Failure::usage(format!(
                "no schema `{other}`{}: use `pack` or `fixtures` (see `rekindle schema --help`)",
                did_you_mean(other, ["pack", "fixtures"])
            )))
        }
    };
    Ok(Outcome::ok(schema_text(which)?))
}
