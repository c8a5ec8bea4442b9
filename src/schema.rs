//! JSON Schemas for rule authors' editors, generated from the pack and
//! fixture models (feature `schema`). The committed files under
//! `rules/schema/` are these, as `tests/schema.rs` checks.
//!
//! The generated schemas are tidied for any validator: a stable `$id`,
//! `format` pinned to the version this build reads, only the standard
//! `format` keywords of JSON Schema (ajv's strict mode refuses others), and
//! descriptions in plain words rather than rustdoc links.

use serde_json::{Map, Value};

use crate::fixtures::{FixtureFile, FIXTURE_FORMAT_VERSION};
use crate::pack::{Pack, FORMAT_VERSION};

/// The schema of rule packs.
pub fn pack() -> Value {
    tidy(
        serde_json::to_value(schemars::schema_for!(Pack)).unwrap_or_default(),
        "urn:rekindle:schema:pack",
        FORMAT_VERSION,
    )
}

/// The schema of fixture files.
pub fn fixtures() -> Value {
    tidy(
        serde_json::to_value(schemars::schema_for!(FixtureFile)).unwrap_or_default(),
        "urn:rekindle:schema:fixtures",
        FIXTURE_FORMAT_VERSION,
    )
}

/// The `format` values JSON Schema 2020-12 defines.
const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

fn tidy(mut schema: Value, id: &str, version: u32) -> Value {
    clean(&mut schema);
    if let Value::Object(root) = &mut schema {
        let mut ordered = Map::new();
        if let Some(dialect) = root.remove("$schema") {
            ordered.insert("$schema".to_owned(), dialect);
        }
        ordered.insert("$id".to_owned(), Value::String(format!("{id}:{version}")));
        ordered.append(root);
        if let Some(Value::Object(format)) = ordered.get_mut("properties").and_then(|p| p.get_mut("format")) {
            format.retain(|key, _| key == "description");
            format.insert("const".to_owned(), Value::from(version));
        }
        schema = Value::Object(ordered);
    }
    schema
}

/// Drops non-standard `format` keywords and rustdoc link syntax, everywhere.
fn clean(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(format)) = map.get("format") {
                if !STANDARD_FORMATS.contains(&format.as_str()) {
                    map.remove("format");
                }
            }
            if let Some(Value::String(text)) = map.get_mut("description") {
                *text = plain(text);
            }
            map.values_mut().for_each(clean);
        }
        Value::Array(items) => items.iter_mut().for_each(clean),
        _ => {}
    }
}

/// `[`Name`]` and `[`Name`](path)` as `Name`.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let Some(end) = rest[start + 2..].find("`]") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&rest[start + 2..start + 2 + end]);
        rest = &rest[start + 2 + end + 2..];
        if rest.starts_with('(') {
            if let Some(close) = rest.find(')') {
                rest = &rest[close + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustdoc_links_become_plain_words() {
        assert_eq!(
            plain("only [`FORMAT_VERSION`] is read"),
            "only FORMAT_VERSION is read"
        );
        assert_eq!(plain("see [`Safety`](crate::pack::Safety)."), "see Safety.");
        assert_eq!(plain("no links"), "no links");
    }

    #[test]
    fn schemas_pin_the_format_and_use_only_standard_formats() {
        for schema in [pack(), fixtures()] {
            assert_eq!(schema["properties"]["format"]["const"], 1);
            let text = schema.to_string();
            assert!(!text.contains("uint32") && !text.contains("\"double\"") && !text.contains("[`"));
            assert!(schema["$id"]
                .as_str()
                .is_some_and(|id| id.starts_with("urn:rekindle:schema:")));
        }
    }
}
