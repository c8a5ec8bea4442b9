//! What the app passes to `assess` (one person's answers and context facts)
//! and to `assess_couple` (both partners' answers and the couple's context).

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::compile::Limits;
use crate::condition_de::Optional;
use crate::error::{key_path, AnswersError, Problem, ProblemKind};
use crate::progress::{Snapshot, MAX_SNAPSHOTS};
use crate::scan::{position, scan, Bounds, Breach};

/// One answer or context value.
///
/// In JSON it is written bare: `"often"`, `3`, `true`.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum Value {
    /// An option value (for options questions) or a choice (for choice facts).
    Text {
        /// The option value or choice.
        value: String,
    },
    /// A number (for range questions and number facts).
    Number {
        /// The number.
        value: f64,
    },
    /// Yes or no (for yes/no questions and boolean facts).
    Bool {
        /// True for yes.
        value: bool,
    },
}

impl Value {
    /// A text value.
    pub fn text(value: impl Into<String>) -> Self {
        Value::Text { value: value.into() }
    }

    /// A number value.
    pub fn number(value: f64) -> Self {
        Value::Number { value }
    }

    /// A yes/no value.
    pub fn bool(value: bool) -> Self {
        Value::Bool { value }
    }

    /// The JSON type name, for error messages that must not show the value.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Text { .. } => "a string",
            Value::Number { .. } => "a number",
            Value::Bool { .. } => "a boolean",
        }
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::text(value)
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::number(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::bool(value)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text { value } => serializer.serialize_str(value),
            Value::Number { value } => serializer.serialize_f64(*value),
            Value::Bool { value } => serializer.serialize_bool(*value),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl Visitor<'_> for ValueVisitor {
            type Value = Value;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or a boolean")
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
                Ok(Value::bool(value))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
                Ok(Value::number(value as f64))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
                Ok(Value::number(value as f64))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
                Ok(Value::number(value))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
                Ok(Value::text(value))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
                Ok(Value::Text { value })
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

/// Everything one assessment takes.
///
/// In JSON: `{"answers": {...}, "context": {...}}`; only `answers` is
/// required. Both partners' answers go to [`CoupleResponses`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct Responses {
    /// The respondent's answers, by question id. Unanswered questions are
    /// simply left out.
    #[serde(deserialize_with = "unique_answers")]
    pub answers: HashMap<String, Value>,
    /// Context facts, by fact id. Facts not given are unknown, and
    /// conditions on them are false.
    #[serde(default, deserialize_with = "unique_context")]
    #[uniffi(default)]
    pub context: HashMap<String, Value>,
    /// The date of this assessment, as `YYYY-MM-DD`, for progress over time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[uniffi(default)]
    pub date: Option<String>,
    /// Snapshots of earlier assessments; the most recent is compared with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[uniffi(default)]
    pub previous: Vec<Snapshot>,
}

/// How a duplicate key's error message starts; the path follows it.
/// `assess_json` turns such an error into a [`ProblemKind::DuplicateKey`].
pub(crate) const DUPLICATE_KEY: &str = "duplicate key at ";

/// Reads an object of answers or context values, refusing a key given
/// twice: JSON readers disagree on which duplicate wins, and a dropped
/// safety "yes" must not pass silently. The error names the key, never a
/// value.
fn unique_map<'de, D: Deserializer<'de>>(
    deserializer: D,
    list: &'static str,
) -> Result<HashMap<String, Value>, D::Error> {
    UniqueMap(list).deserialize(deserializer)
}

/// Reads a map of values, naming the `&'static str` list in errors.
struct UniqueMap(&'static str);

impl<'de> DeserializeSeed<'de> for UniqueMap {
    type Value = HashMap<String, Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for UniqueMap {
    type Value = HashMap<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of strings, numbers or booleans")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // JSON gives no count: room for a whole questionnaire's answers,
        // so that the map is not grown (and every key hashed again) four
        // times on the way.
        let mut values = HashMap::with_capacity(map.size_hint().unwrap_or(48).min(64));
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            // One hash per key: the entry both finds a duplicate and holds
            // the new value.
            match values.entry(key) {
                std::collections::hash_map::Entry::Occupied(taken) => {
                    return Err(de::Error::custom(format_args!(
                        "{DUPLICATE_KEY}{}",
                        key_path(self.0, taken.key())
                    )));
                }
                std::collections::hash_map::Entry::Vacant(free) => {
                    free.insert(value);
                }
            }
        }
        Ok(values)
    }
}

pub(crate) fn unique_answers<'de, D: Deserializer<'de>>(d: D) -> Result<HashMap<String, Value>, D::Error> {
    unique_map(d, "answers")
}

pub(crate) fn unique_context<'de, D: Deserializer<'de>>(d: D) -> Result<HashMap<String, Value>, D::Error> {
    unique_map(d, "context")
}

pub(crate) fn unique_a<'de, D: Deserializer<'de>>(d: D) -> Result<HashMap<String, Value>, D::Error> {
    unique_map(d, "a")
}

pub(crate) fn unique_b<'de, D: Deserializer<'de>>(d: D) -> Result<HashMap<String, Value>, D::Error> {
    unique_map(d, "b")
}

pub(crate) fn unique_optional_a<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<HashMap<String, Value>>, D::Error> {
    Optional(UniqueMap("a")).deserialize(d)
}

pub(crate) fn unique_optional_b<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<HashMap<String, Value>>, D::Error> {
    Optional(UniqueMap("b")).deserialize(d)
}

/// Deepest nesting of an answers JSON: the responses object, its maps, and
/// the earlier snapshots (a list of objects holding a list of scores), with
/// room for one grouping level around them; values are never containers.
const RESPONSES_DEPTH: usize = 6;

/// Most objects and arrays in an answers JSON: a few for the maps, and
/// for each of up to four lists of snapshots, each snapshot's own, one per
/// dimension score.
fn responses_containers(limits: &Limits) -> usize {
    32 + 4 * MAX_SNAPSHOTS * (2 + limits.max_dimensions)
}

/// Bounds an answers JSON before parsing: its size, nesting, and the
/// entries of each object, so that a million keys are refused unread.
pub(crate) fn check_responses_json(json: &str, limits: &Limits) -> Result<(), AnswersError> {
    let too_large = |kind, path: &str, message: String| AnswersError::Invalid {
        problems: vec![Problem::new(kind, path, message)],
    };
    if json.len() > limits.max_answers_bytes {
        return Err(too_large(
            ProblemKind::TooLarge,
            "",
            format!(
                "the answers JSON is {} bytes, over the limit of {}",
                json.len(),
                limits.max_answers_bytes
            ),
        ));
    }
    let bytes = json.as_bytes();
    let bounds = Bounds {
        depth: RESPONSES_DEPTH,
        object_depth: RESPONSES_DEPTH,
        containers: responses_containers(limits),
        entries: limits.max_answers,
    };
    match scan(bytes, bounds) {
        Ok(_) => Ok(()),
        Err(Breach::Depth { offset }) | Err(Breach::Containers { offset }) => {
            let (line, column) = position(bytes, offset);
            Err(AnswersError::Syntax {
                line,
                column,
                path: crate::scan::path_at(bytes, line, column, crate::engine::ANSWER_PATH_SEGMENTS),
                message: "nested too deep or too many objects: answers and context are objects of strings, \
                          numbers or booleans"
                    .to_owned(),
            })
        }
        Err(Breach::Entries { key: (start, end) }) => {
            // The key of the object, when it is a plain name such as `answers`.
            let key = std::str::from_utf8(&bytes[start..end]).unwrap_or("");
            let path = if key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                key
            } else {
                ""
            };
            Err(too_large(
                ProblemKind::TooManyAnswers,
                path,
                format!("more than {} entries, over the limit", limits.max_answers),
            ))
        }
    }
}

impl Responses {
    /// Responses with these answers and no context.
    pub fn new<K, V>(answers: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<Value>,
    {
        Responses {
            answers: answers.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
            ..Responses::default()
        }
    }

    /// Adds a context fact.
    pub fn with_context(mut self, fact: impl Into<String>, value: impl Into<Value>) -> Self {
        self.context.insert(fact.into(), value.into());
        self
    }
}

/// Everything one couple assessment takes: each partner's own answers to
/// the same questionnaire, and the couple's context facts.
///
/// In JSON: `{"a": {...}, "b": {...}, "context": {...}}`. Which partner is
/// `a` is the app's choice; each private view goes to its own partner only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct CoupleResponses {
    /// Partner A's answers, by question id.
    #[serde(deserialize_with = "unique_a")]
    pub a: HashMap<String, Value>,
    /// Partner B's answers, by question id.
    #[serde(deserialize_with = "unique_b")]
    pub b: HashMap<String, Value>,
    /// The couple's context facts, by fact id.
    #[serde(default, deserialize_with = "unique_context")]
    #[uniffi(default)]
    pub context: HashMap<String, Value>,
    /// The date of this assessment, as `YYYY-MM-DD`, for progress over time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[uniffi(default)]
    pub date: Option<String>,
    /// Snapshots of earlier shared plans: the journey so far (challenge,
    /// phase, day) and the shared scores.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[uniffi(default)]
    pub previous_shared: Vec<Snapshot>,
    /// Snapshots of partner A's earlier own views.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[uniffi(default)]
    pub previous_a: Vec<Snapshot>,
    /// Snapshots of partner B's earlier own views.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[uniffi(default)]
    pub previous_b: Vec<Snapshot>,
}

impl CoupleResponses {
    /// Both partners' answers, with no context.
    pub fn new<K, V>(a: impl IntoIterator<Item = (K, V)>, b: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<Value>,
    {
        let map = |answers: Vec<(K, V)>| answers.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        CoupleResponses {
            a: map(a.into_iter().collect()),
            b: map(b.into_iter().collect()),
            ..CoupleResponses::default()
        }
    }

    /// Adds a context fact.
    pub fn with_context(mut self, fact: impl Into<String>, value: impl Into<Value>) -> Self {
        self.context.insert(fact.into(), value.into());
        self
    }
}
