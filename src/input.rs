//! What the app passes to `assess` (one person's answers and context facts)
//! and to `assess_couple` (both partners' answers and the couple's context).

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::progress::Snapshot;

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
    pub answers: HashMap<String, Value>,
    /// Context facts, by fact id. Facts not given are unknown, and
    /// conditions on them are false.
    #[serde(default)]
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
    pub a: HashMap<String, Value>,
    /// Partner B's answers, by question id.
    pub b: HashMap<String, Value>,
    /// The couple's context facts, by fact id.
    #[serde(default)]
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
