//! Texts that results share with the engine instead of copying.
//!
//! An assessment may run on every answer change, and most of a result is
//! the pack's own wording (ids, titles, reasons). The engine keeps one
//! [`PackText`] of each when it loads a pack; a result clones the handle
//! (a reference count), never the text. The FFI writes each one out as a
//! plain string when it hands a result to Swift, Kotlin or Python.
//!
//! Every user-facing text has a stable address (its item's id and field),
//! which is what a translation will replace.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::compile::{number_text, FactModel, Program, QuestionKind};
use crate::pack::Pack;
use crate::privacy::NEUTRAL_PLAN_ID;
use crate::recommend::ResourceResult;

/// An immutable text shared with the engine that produced it: ids and
/// wording from the pack, and the values a trace shows.
///
/// It reads as a `&str` (it derefs to one and compares with `str` and
/// `String`), serialises as a JSON string, and crosses the FFI as a string.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct PackText(Arc<str>);

uniffi::custom_type!(PackText, String, {
    lower: |text| text.0.as_ref().to_owned(),
    try_lift: |text| Ok(PackText::from(text)),
});

impl PackText {
    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for PackText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PackText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for PackText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for PackText {
    fn from(text: &str) -> Self {
        PackText(Arc::from(text))
    }
}

impl From<String> for PackText {
    fn from(text: String) -> Self {
        PackText(Arc::from(text))
    }
}

impl From<PackText> for String {
    fn from(text: PackText) -> Self {
        text.0.as_ref().to_owned()
    }
}

impl fmt::Display for PackText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, as `str` does, so that width, alignment and precision work.
        f.pad(&self.0)
    }
}

impl fmt::Debug for PackText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for PackText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl PartialEq<str> for PackText {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for PackText {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for PackText {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<PackText> for str {
    fn eq(&self, other: &PackText) -> bool {
        self == &*other.0
    }
}

impl PartialEq<PackText> for &str {
    fn eq(&self, other: &PackText) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<PackText> for String {
    fn eq(&self, other: &PackText) -> bool {
        **self == *other.0
    }
}

/// An item's id with its title and one line about it.
#[derive(Debug, Default)]
pub(crate) struct Titled {
    pub(crate) id: PackText,
    pub(crate) title: PackText,
    pub(crate) summary: PackText,
}

/// A challenge's texts.
#[derive(Debug, Default)]
pub(crate) struct ChallengeTexts {
    pub(crate) about: Titled,
    pub(crate) phases: Vec<PhaseTexts>,
}

/// A phase's id, theme and first day's activity.
#[derive(Debug, Default)]
pub(crate) struct PhaseTexts {
    pub(crate) id: PackText,
    pub(crate) theme: PackText,
    pub(crate) first_activity: Option<PackText>,
}

/// A dimension's id and title, and each band's id and label.
#[derive(Debug, Default)]
pub(crate) struct DimensionTexts {
    pub(crate) id: PackText,
    pub(crate) title: PackText,
    pub(crate) bands: Vec<(PackText, PackText)>,
}

/// A rule's id and reasons.
#[derive(Debug, Default)]
pub(crate) struct RuleTexts {
    pub(crate) id: PackText,
    pub(crate) reason: PackText,
    /// The wording for the couple's shared view, when the rule has one.
    pub(crate) shared_reason: Option<PackText>,
}

/// What a trace shows of a leaf: where it is and what it tests.
#[derive(Debug, Default)]
pub(crate) struct LeafTexts {
    pub(crate) path: PackText,
    pub(crate) test: PackText,
}

/// Values a trace shows that do not depend on the answers' numbers.
#[derive(Debug, Default)]
pub(crate) struct ValueTexts {
    pub(crate) yes: PackText,
    pub(crate) no: PackText,
    pub(crate) unanswered: PackText,
    pub(crate) not_given: PackText,
    pub(crate) absent: PackText,
    /// Each options question's options as a trace shows them, by question.
    pub(crate) options: Vec<Vec<PackText>>,
    /// Each choice fact's choices, by fact.
    pub(crate) choices: Vec<Vec<PackText>>,
}

/// Every text a result can show, each held once.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    pub(crate) pack_id: PackText,
    pub(crate) pack_version: PackText,
    pub(crate) pack_title: PackText,
    pub(crate) hash: PackText,
    pub(crate) focus_areas: Vec<Titled>,
    pub(crate) challenges: Vec<ChallengeTexts>,
    /// Each therapy level's id, title and message.
    pub(crate) therapy: Vec<Titled>,
    pub(crate) safety_title: PackText,
    pub(crate) safety_message: PackText,
    pub(crate) resources: Vec<ResourceResult>,
    pub(crate) dimensions: Vec<DimensionTexts>,
    pub(crate) rules: Vec<RuleTexts>,
    /// Tag names by bit.
    pub(crate) tags: Vec<PackText>,
    pub(crate) leaves: Vec<LeafTexts>,
    pub(crate) values: ValueTexts,
    /// The neutral plan's reason, when the pack has a neutral plan.
    pub(crate) neutral_reason: Option<PackText>,
    /// The rule id the neutral plan's reason goes by.
    pub(crate) neutral_plan_id: PackText,
}

impl Texts {
    /// The texts of a compiled pack.
    pub(crate) fn of(program: &Program) -> Texts {
        let pack: &Pack = &program.pack;
        let t = |s: &str| PackText::from(s);
        Texts {
            pack_id: t(&pack.id),
            pack_version: t(&pack.version),
            pack_title: t(&pack.title),
            hash: t(&program.hash),
            focus_areas: pack
                .focus_areas
                .iter()
                .map(|f| Titled {
                    id: t(&f.id),
                    title: t(&f.title),
                    summary: t(&f.summary),
                })
                .collect(),
            challenges: pack
                .challenges
                .iter()
                .map(|c| ChallengeTexts {
                    about: Titled {
                        id: t(&c.id),
                        title: t(&c.title),
                        summary: t(&c.summary),
                    },
                    phases: c
                        .phases
                        .iter()
                        .map(|p| PhaseTexts {
                            id: t(&p.id),
                            theme: t(&p.theme),
                            first_activity: p.activities.first().map(|a| t(a)),
                        })
                        .collect(),
                })
                .collect(),
            therapy: pack
                .therapy_levels
                .iter()
                .map(|l| Titled {
                    id: t(&l.id),
                    title: t(&l.title),
                    summary: t(&l.message),
                })
                .collect(),
            safety_title: t(&pack.safety.title),
            safety_message: t(&pack.safety.message),
            resources: pack
                .safety
                .resources
                .iter()
                .map(|r| ResourceResult {
                    id: t(&r.id),
                    name: t(&r.name),
                    description: t(&r.description),
                    contact: t(&r.contact),
                })
                .collect(),
            dimensions: pack
                .dimensions
                .iter()
                .map(|d| DimensionTexts {
                    id: t(&d.id),
                    title: t(&d.title),
                    bands: d.bands.iter().map(|b| (t(&b.id), t(&b.label))).collect(),
                })
                .collect(),
            rules: pack
                .rules
                .iter()
                .map(|r| RuleTexts {
                    id: t(&r.id),
                    reason: t(&r.then.reason),
                    shared_reason: r.then.shared_reason.as_deref().map(t),
                })
                .collect(),
            tags: program.tag_names.iter().map(|n| t(n)).collect(),
            leaves: program
                .leaves
                .iter()
                .map(|l| LeafTexts {
                    path: l.path.clone(),
                    test: l.text.clone(),
                })
                .collect(),
            values: ValueTexts {
                yes: t("true"),
                no: t("false"),
                unanswered: t("unanswered"),
                not_given: t("not given"),
                absent: t("absent (too few answers)"),
                options: program
                    .questions
                    .iter()
                    .map(|q| match &q.kind {
                        QuestionKind::Options { shown, .. } => shown.clone(),
                        _ => Vec::new(),
                    })
                    .collect(),
                choices: program
                    .facts
                    .iter()
                    .map(|f| match f {
                        FactModel::Choice { choices } => choices.iter().map(|s| t(s)).collect(),
                        _ => Vec::new(),
                    })
                    .collect(),
            },
            neutral_reason: pack
                .couple
                .as_ref()
                .and_then(|c| c.neutral_plan.as_ref())
                .map(|p| t(&p.reason)),
            neutral_plan_id: t(NEUTRAL_PLAN_ID),
        }
    }

    /// A number as a trace shows it.
    pub(crate) fn number(value: f64) -> PackText {
        PackText::from(number_text(value))
    }
}

impl ValueTexts {
    /// A yes/no value as a trace shows it.
    pub(crate) fn bool(&self, value: bool) -> PackText {
        if value {
            self.yes.clone()
        } else {
            self.no.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_as_a_str_does() {
        let text = super::PackText::from("Communication");
        for (formatted, expected) in [
            (format!("{text:16}|"), format!("{:16}|", "Communication")),
            (format!("{text:>16}|"), format!("{:>16}|", "Communication")),
            (format!("{text:^17.4}|"), format!("{:^17.4}|", "Communication")),
            (format!("{text}"), "Communication".to_owned()),
        ] {
            assert_eq!(formatted, expected);
        }
    }

    use super::PackText;

    #[test]
    fn reads_compares_and_serialises_as_a_string() {
        let text = PackText::from("conflict");
        assert_eq!(text, "conflict");
        assert_eq!("conflict", text);
        assert_eq!(text, String::from("conflict"));
        assert_eq!(text.len(), 8);
        assert_eq!(format!("{text} {text:?}"), "conflict \"conflict\"");
        assert_eq!(serde_json::to_string(&text).ok().as_deref(), Some("\"conflict\""));
    }

    #[test]
    fn clones_share_one_text() {
        let text = PackText::from("a reason");
        let copy = text.clone();
        assert!(std::ptr::eq(text.as_str(), copy.as_str()));
    }
}
