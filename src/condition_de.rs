//! Reading a [`Condition`] from JSON, by hand rather than derived.
//!
//! Conditions nest, so their parser recurses once per level. The derived
//! parser returns each nested condition (a few hundred bytes) by value up
//! through several frames, which in a debug build takes about 12 KiB of
//! stack per level; this one reads every nested condition in place, into
//! its slot in a list or its box, so that the deepest condition allowed
//! parses on a 128 KiB stack in debug builds too. It accepts and refuses exactly what the
//! derived parser did: unknown and duplicate fields are errors, `null`
//! is an absent field.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::pack::Condition;

/// The field names, in declaration order (as serde reports them).
const FIELDS: &[&str] = &[
    "all",
    "any",
    "not",
    "at_least",
    "of",
    "score",
    "band",
    "raw",
    "answer",
    "context",
    "answered",
    "unanswered",
    "gap",
    "answer_gap",
    "change",
    "trend",
    "previous_band",
    "previous",
    "whose",
    "eq",
    "ne",
    "lt",
    "lte",
    "gt",
    "gte",
    "is",
    "in",
];

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut condition = Condition::default();
        deserializer.deserialize_struct("Condition", FIELDS, InPlace(&mut condition))?;
        Ok(condition)
    }
}

/// Reads a condition into a slot that already exists: nested conditions
/// are never returned by value through the parser's frames (a `Condition`
/// is a few hundred bytes, copied several times per frame in a debug
/// build), only `()` is.
struct InPlace<'c>(&'c mut Condition);

impl<'de> DeserializeSeed<'de> for InPlace<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("Condition", FIELDS, self)
    }
}

impl<'de> Visitor<'de> for InPlace<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct Condition")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let c = self.0;
        // One bit per field seen, for duplicate fields.
        let mut seen = 0u32;
        while let Some(field) = map.next_key::<Field>()? {
            let index = field.0;
            if seen & (1 << index) != 0 {
                return Err(de::Error::duplicate_field(FIELDS[index]));
            }
            seen |= 1 << index;
            match index {
                0 => c.all = map.next_value_seed(Optional(List))?,
                1 => c.any = map.next_value_seed(Optional(List))?,
                2 => c.not = map.next_value_seed(Optional(Boxed))?,
                4 => c.of = map.next_value_seed(Optional(List))?,
                // The leaf fields are read in a frame of their own, which is
                // gone before the next level of nesting is read.
                _ => leaf_field(c, index, &mut map)?,
            }
        }
        Ok(())
    }
}

/// Reads one field that holds no condition into `c`.
#[inline(never)]
fn leaf_field<'de, A: MapAccess<'de>>(c: &mut Condition, index: usize, map: &mut A) -> Result<(), A::Error> {
    {
        {
            match index {
                3 => c.at_least = map.next_value()?,
                5 => c.score = map.next_value()?,
                6 => c.band = map.next_value()?,
                7 => c.raw = map.next_value()?,
                8 => c.answer = map.next_value()?,
                9 => c.context = map.next_value()?,
                10 => c.answered = map.next_value()?,
                11 => c.unanswered = map.next_value()?,
                12 => c.gap = map.next_value()?,
                13 => c.answer_gap = map.next_value()?,
                14 => c.change = map.next_value()?,
                15 => c.trend = map.next_value()?,
                16 => c.previous_band = map.next_value()?,
                17 => c.previous = map.next_value()?,
                18 => c.whose = map.next_value()?,
                19 => c.eq = map.next_value()?,
                20 => c.ne = map.next_value()?,
                21 => c.lt = map.next_value()?,
                22 => c.lte = map.next_value()?,
                23 => c.gt = map.next_value()?,
                24 => c.gte = map.next_value()?,
                25 => c.is = map.next_value()?,
                _ => c.in_ = map.next_value()?,
            }
        }
    }
    Ok(())
}

/// `null` (absent, as for any optional field) or what `S` reads.
pub(crate) struct Optional<S>(pub(crate) S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Optional<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Optional<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer).map(Some)
    }
}

/// A list of conditions, each read in place.
struct List;

impl<'de> DeserializeSeed<'de> for List {
    type Value = Vec<Condition>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for List {
    type Value = Vec<Condition>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<Condition>, S::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        loop {
            let slot = new_slot(&mut list);
            if seq.next_element_seed(InPlace(slot))?.is_none() {
                list.pop();
                return Ok(list);
            }
        }
    }
}

/// A new, empty condition at the end of `list`, made in a frame of its
/// own: a condition is a few hundred bytes, and the recursion must not
/// carry a copy of one per level.
#[inline(never)]
fn new_slot(list: &mut Vec<Condition>) -> &mut Condition {
    list.push(Condition::default());
    let last = list.len() - 1;
    &mut list[last]
}

/// An empty condition in a box, made in a frame of its own.
#[inline(never)]
fn new_box() -> Box<Condition> {
    Box::default()
}

/// One condition, read in place in its box.
struct Boxed;

impl<'de> DeserializeSeed<'de> for Boxed {
    type Value = Box<Condition>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let mut condition = new_box();
        InPlace(&mut condition).deserialize(deserializer)?;
        Ok(condition)
    }
}

/// The index of a field name in [`FIELDS`]: a `match`, which compiles to a
/// few comparisons, rather than a search of the list (every key of every
/// condition is looked up).
fn field_index(name: &str) -> Option<usize> {
    Some(match name {
        "all" => 0,
        "any" => 1,
        "not" => 2,
        "at_least" => 3,
        "of" => 4,
        "score" => 5,
        "band" => 6,
        "raw" => 7,
        "answer" => 8,
        "context" => 9,
        "answered" => 10,
        "unanswered" => 11,
        "gap" => 12,
        "answer_gap" => 13,
        "change" => 14,
        "trend" => 15,
        "previous_band" => 16,
        "previous" => 17,
        "whose" => 18,
        "eq" => 19,
        "ne" => 20,
        "lt" => 21,
        "lte" => 22,
        "gt" => 23,
        "gte" => 24,
        "is" => 25,
        "in" => 26,
        _ => return None,
    })
}

/// A field name, as its index in [`FIELDS`].
struct Field(usize);

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;

        impl Visitor<'_> for FieldVisitor {
            type Value = Field;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("field identifier")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
                field_index(name)
                    .map(Field)
                    .ok_or_else(|| de::Error::unknown_field(name, FIELDS))
            }
        }

        deserializer.deserialize_identifier(FieldVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_match_the_model() {
        // Every field of the model round-trips through the hand-written reader.
        let c = Condition {
            all: Some(vec![Condition::default()]),
            any: Some(vec![]),
            not: Some(Box::default()),
            at_least: Some(1),
            of: Some(vec![]),
            score: Some("s".into()),
            band: Some("b".into()),
            raw: Some("r".into()),
            answer: Some("a".into()),
            context: Some("c".into()),
            answered: Some("d".into()),
            unanswered: Some("u".into()),
            gap: Some("g".into()),
            answer_gap: Some("h".into()),
            change: Some("ch".into()),
            trend: Some("t".into()),
            previous_band: Some("pb".into()),
            previous: Some("phase".into()),
            whose: Some(crate::pack::Whose::Both),
            eq: Some(1.0),
            ne: Some(2.0),
            lt: Some(3.0),
            lte: Some(4.0),
            gt: Some(5.0),
            gte: Some(6.0),
            is: Some(serde_json::json!("x")),
            in_: Some(vec![serde_json::json!("y")]),
        };
        let json = serde_json::to_value(&c).expect("serialises");
        assert_eq!(json.as_object().map(|o| o.len()), Some(FIELDS.len()));
        let back: Condition = serde_json::from_value(json).expect("parses");
        assert_eq!(back, c);
    }

    #[test]
    fn every_field_name_has_its_index() {
        for (i, name) in FIELDS.iter().enumerate() {
            assert_eq!(field_index(name), Some(i), "{name}");
        }
        assert_eq!(field_index("answr"), None);
        assert_eq!(field_index(""), None);
    }

    #[test]
    fn unknown_duplicate_and_null_fields_behave_as_derived() {
        let err = serde_json::from_str::<Condition>(r#"{"answr": "q"}"#).expect_err("unknown");
        assert!(
            err.to_string()
                .starts_with("unknown field `answr`, expected one of `all`"),
            "{err}"
        );
        let err = serde_json::from_str::<Condition>(r#"{"is": 1, "is": 2}"#).expect_err("duplicate");
        assert!(err.to_string().starts_with("duplicate field `is`"), "{err}");
        let c: Condition = serde_json::from_str(r#"{"answer": null, "is": null}"#).expect("nulls");
        assert_eq!(c, Condition::default());
    }
}
