//! Reading a question's `answer` in one pass, when
//! [`Engine::from_json`](crate::Engine::from_json) loads a pack.
//!
//! [`AnswerSpec`] is tagged by its `kind` key. serde's derived parser
//! cannot know the variant before it has seen that key, wherever it is, so
//! it first copies the whole object into a buffer of its own (allocating
//! for every option) and then reads the buffer: for the default pack, a
//! sixth of the cost of parsing. Packs write `kind` first, so the variant
//! is known from the start; this reader takes that case and reads the
//! fields directly.
//!
//! It gives up on anything else: another key first, an unknown or repeated
//! key, a value of another type, a syntax error. The loader then parses the
//! pack again with the derived parser, the only one whose results and
//! messages anyone sees for such a pack. So what is accepted, and every
//! error, is as before; a pack this reader accepts reads as the derived
//! parser reads it (the tests compare the two).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::pack::{AnswerOption, AnswerSpec, Pack};

thread_local! {
    /// Set while [`parse_pack`] runs on this thread.
    static DIRECT: Cell<bool> = const { Cell::new(false) };
}

/// The pack, if it parses with every answer read directly; `None` if it
/// does not (the caller then parses it with the derived parser).
pub(crate) fn parse_pack(json: &str) -> Option<Pack> {
    /// Clears the flag however parsing ends.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            DIRECT.with(|direct| direct.set(false));
        }
    }
    DIRECT.with(|direct| direct.set(true));
    let _reset = Reset;
    serde_json::from_str(json).ok()
}

/// Reads `Question::answer`: directly inside [`parse_pack`], with the
/// derived parser everywhere else.
pub(crate) fn answer_spec<'de, D: Deserializer<'de>>(deserializer: D) -> Result<AnswerSpec, D::Error> {
    if DIRECT.with(Cell::get) {
        deserializer.deserialize_map(Direct)
    } else {
        AnswerSpec::deserialize(deserializer)
    }
}

/// Why the direct reader stopped; never shown (the pack is parsed again).
fn gave_up<E: de::Error>() -> E {
    E::custom("left to the derived parser")
}

struct Direct;

impl<'de> Visitor<'de> for Direct {
    type Value = AnswerSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an answer object with \"kind\" first")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnswerSpec, A::Error> {
        if map.next_key::<Key>()? != Some(Key::Kind) {
            return Err(gave_up());
        }
        match map.next_value::<Key>()? {
            Key::Options => {
                let mut options = None;
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Options if options.is_none() => options = Some(map.next_value_seed(Options)?),
                        _ => return Err(gave_up()),
                    }
                }
                Ok(AnswerSpec::Options {
                    options: options.ok_or_else(gave_up)?,
                })
            }
            Key::Range => {
                let (mut min, mut max, mut step) = (None, None, None);
                let (mut min_label, mut max_label) = (None, None);
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Min if min.is_none() => min = Some(map.next_value::<f64>()?),
                        Key::Max if max.is_none() => max = Some(map.next_value::<f64>()?),
                        // `null` is an absent step, as for the derived parser.
                        Key::Step if step.is_none() => step = Some(map.next_value::<Option<f64>>()?),
                        Key::MinLabel if min_label.is_none() => min_label = Some(map.next_value::<String>()?),
                        Key::MaxLabel if max_label.is_none() => max_label = Some(map.next_value::<String>()?),
                        _ => return Err(gave_up()),
                    }
                }
                Ok(AnswerSpec::Range {
                    min: min.ok_or_else(gave_up)?,
                    max: max.ok_or_else(gave_up)?,
                    step: step.flatten(),
                    min_label: min_label.unwrap_or_default(),
                    max_label: max_label.unwrap_or_default(),
                })
            }
            Key::YesNo => match map.next_key::<Key>()? {
                None => Ok(AnswerSpec::YesNo),
                Some(_) => Err(gave_up()),
            },
            _ => Err(gave_up()),
        }
    }
}

/// A list of options, each an object of exactly `value`, `label` and
/// `weight`.
struct Options;

impl<'de> DeserializeSeed<'de> for Options {
    type Value = Vec<AnswerOption>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Options {
    type Value = Vec<AnswerOption>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of options")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut options = Vec::new();
        while let Some(option) = seq.next_element_seed(OptionObject)? {
            options.push(option);
        }
        Ok(options)
    }
}

struct OptionObject;

impl<'de> DeserializeSeed<'de> for OptionObject {
    type Value = AnswerOption;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OptionObject {
    type Value = AnswerOption;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an option object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnswerOption, A::Error> {
        let (mut value, mut label, mut weight) = (None, None, None);
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Value if value.is_none() => value = Some(map.next_value::<String>()?),
                Key::Label if label.is_none() => label = Some(map.next_value::<String>()?),
                Key::Weight if weight.is_none() => weight = Some(map.next_value::<f64>()?),
                _ => return Err(gave_up()),
            }
        }
        Ok(AnswerOption {
            value: value.ok_or_else(gave_up)?,
            label: label.ok_or_else(gave_up)?,
            weight: weight.ok_or_else(gave_up)?,
        })
    }
}

/// The keys, and the kinds, this reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Kind,
    Options,
    Range,
    YesNo,
    Min,
    Max,
    Step,
    MinLabel,
    MaxLabel,
    Value,
    Label,
    Weight,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
                Ok(match name {
                    "kind" => Key::Kind,
                    "options" => Key::Options,
                    "range" => Key::Range,
                    "yes_no" => Key::YesNo,
                    "min" => Key::Min,
                    "max" => Key::Max,
                    "step" => Key::Step,
                    "min_label" => Key::MinLabel,
                    "max_label" => Key::MaxLabel,
                    "value" => Key::Value,
                    "label" => Key::Label,
                    "weight" => Key::Weight,
                    _ => Key::Other,
                })
            }
        }

        // A string and nothing else: a `kind` of another type gives up.
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value as Json};

    use super::*;

    /// The pack read both ways: `None` where the direct reader gives up.
    fn both(json: &str) -> (Option<Pack>, Result<Pack, String>) {
        (
            parse_pack(json),
            serde_json::from_str(json).map_err(|e| e.to_string()),
        )
    }

    /// The default pack with the first question's answer as written (a
    /// `serde_json::Value` would sort its keys).
    fn with_answer(answer: &str) -> String {
        let mut pack: Json = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("JSON");
        pack["questions"][0]["answer"] = json!("@@");
        pack.to_string().replacen("\"@@\"", answer, 1)
    }

    #[test]
    fn the_default_pack_reads_directly_as_derived() {
        let direct = parse_pack(crate::DEFAULT_PACK_JSON).expect("read directly");
        let derived: Pack = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("parses");
        assert_eq!(direct, derived);
        assert!(!DIRECT.with(Cell::get), "the flag is cleared");
    }

    #[test]
    fn answers_read_directly_equal_derived_ones() {
        for answer in [
            r#"{"kind": "yes_no"}"#,
            r#"{"kind": "range", "min": 0, "max": 10}"#,
            r#"{"kind": "range", "min": -1.5, "max": 1e3, "step": 0.25, "min_label": "a\nb", "max_label": "\u00e9"}"#,
            r#"{"kind": "range", "max_label": "z", "step": null, "max": 18446744073709551616, "min": -0}"#,
            r#"{"kind": "options", "options": []}"#,
            r#"{"kind": "options", "options": [{"weight": 0.1, "label": "L\"", "value": "v"}, {"value": "w", "label": "M", "weight": -3}]}"#,
        ] {
            let (direct, derived) = both(&with_answer(answer));
            assert_eq!(direct.as_ref(), Some(&derived.expect("parses")), "{answer}");
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_derived_parser() {
        for answer in [
            // Valid, but not in the shape read directly.
            r#"{"options": [], "kind": "options"}"#,
            r#"["yes_no"]"#,
            r#"{"kind": "options", "options": [["v", "L", 1]]}"#,
            // Invalid, each its own way.
            r#"{"kind": "yes_no", "min": 1}"#,
            r#"{"kind": "yes_no", "kind": "yes_no"}"#,
            r#"{"kind": "ranges", "min": 0, "max": 1}"#,
            r#"{"kind": 1}"#,
            r#"{"kind": "range", "min": 0}"#,
            r#"{"kind": "range", "min": 0, "max": 1, "min": 2}"#,
            r#"{"kind": "range", "min": "0", "max": 1}"#,
            r#"{"kind": "range", "min": 0, "max": 1, "min_label": null}"#,
            r#"{"kind": "options"}"#,
            r#"{"kind": "options", "options": null}"#,
            r#"{"kind": "options", "options": [{"value": "v", "label": "L"}]}"#,
            r#"{"kind": "options", "options": [{"value": "v", "label": "L", "weight": 1, "weight": 2}]}"#,
            r#"{"kind": "options", "options": [{"value": 1, "label": "L", "weight": 1}]}"#,
            r#"{"kind": "options", "options": [{"value": "v", "label": "L", "weight": 1, "extra": 0}]}"#,
            r#"{"kind": "options", "options": [], "extra": 0}"#,
        ] {
            let (direct, _) = both(&with_answer(answer));
            assert_eq!(direct, None, "{answer}");
        }
    }

    #[test]
    fn other_parsers_read_answers_as_derived() {
        // Outside `parse_pack`, a question reads its answer with the
        // derived parser, which takes `kind` anywhere.
        let question = json!({"id": "q", "prompt": "P", "answer": {"options": [], "kind": "options"}});
        let question: crate::pack::Question = serde_json::from_value(question).expect("parses");
        assert_eq!(question.answer, AnswerSpec::Options { options: vec![] });
    }
}
