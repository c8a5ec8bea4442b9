//! What the app passes to `assess`: answers, context facts and, optionally,
//! the partner's answers.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

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
/// In JSON: `{"answers": {...}, "context": {...}, "partner_answers": {...}}`;
/// only `answers` is required.
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
    /// The partner's answers to the same questionnaire, when the partner
    /// took it too. They are validated like the respondent's and scored
    /// into [`crate::Recommendation::partner_scores`]; rules read the
    /// respondent's answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[uniffi(default)]
    pub partner_answers: Option<HashMap<String, Value>>,
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

    /// Adds the partner's answers.
    pub fn with_partner<K, V>(mut self, answers: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<Value>,
    {
        self.partner_answers = Some(answers.into_iter().map(|(k, v)| (k.into(), v.into())).collect());
        self
    }
}
