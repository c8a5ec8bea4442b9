//! Lists of rule ids that parts of a result refer to.
//!
//! Every focus area lists the rules that weighted it. A result's lists of
//! one kind share one block of ids, each list a window on it, so a result
//! with six focus areas makes one allocation for their reasons, not six;
//! an empty list makes none.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::text::PackText;

/// The ids of the rules behind a part of a result, in pack order; their
/// reasons are in the result's `reasons`.
///
/// It reads as a slice of [`PackText`] (`len`, `iter`, indexing), compares
/// with other lists of ids, serialises as a JSON array of strings and
/// crosses the FFI as a list of strings.
#[derive(Clone, Default)]
pub struct RuleIds {
    block: Option<Arc<[PackText]>>,
    window: Range<usize>,
}

uniffi::custom_type!(RuleIds, Vec<String>, {
    lower: |ids| ids.iter().map(|id| id.as_str().to_owned()).collect(),
    try_lift: |ids| Ok(ids.into_iter().map(PackText::from).collect()),
});

impl RuleIds {
    /// Windows on this list, one per range of `bounds` (which partition
    /// `0..self.len()`, in order); an empty window holds no block.
    pub(crate) fn windows(self, bounds: impl Iterator<Item = Range<usize>>) -> impl Iterator<Item = RuleIds> {
        bounds.map(move |window| RuleIds {
            block: self.block.clone().filter(|_| !window.is_empty()),
            window,
        })
    }

    /// The ids as a slice.
    pub fn as_slice(&self) -> &[PackText] {
        match &self.block {
            Some(block) => &block[self.window.clone()],
            None => &[],
        }
    }
}

impl FromIterator<PackText> for RuleIds {
    /// One allocation when the iterator knows its length (a mapped slice
    /// does), none when it is empty.
    fn from_iter<I: IntoIterator<Item = PackText>>(ids: I) -> Self {
        let mut ids = ids.into_iter().peekable();
        if ids.peek().is_none() {
            return RuleIds::default();
        }
        let block: Arc<[PackText]> = ids.collect();
        RuleIds {
            window: 0..block.len(),
            block: Some(block),
        }
    }
}

impl Deref for RuleIds {
    type Target = [PackText];
    fn deref(&self) -> &[PackText] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a RuleIds {
    type Item = &'a PackText;
    type IntoIter = std::slice::Iter<'a, PackText>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl PartialEq for RuleIds {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for RuleIds {}

impl<S: AsRef<str>> PartialEq<[S]> for RuleIds {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.as_str() == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for RuleIds {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == *other.as_slice()
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for RuleIds {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for RuleIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for RuleIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Arc<[PackText]> {
        names.iter().map(|&n| PackText::from(n)).collect()
    }

    #[test]
    fn windows_share_one_block() {
        let all: RuleIds = ids(&["a", "b", "c"]).iter().cloned().collect();
        let lists: Vec<RuleIds> = all.windows([0..2, 2..2, 2..3].into_iter()).collect();
        assert_eq!(lists[0], ["a", "b"]);
        assert!(lists[1].is_empty());
        assert!(lists[1].block.is_none(), "an empty window holds no block");
        assert_eq!(lists[2], vec!["c"]);
        let shared = |l: &RuleIds| l.block.as_ref().map(Arc::as_ptr);
        assert_eq!(shared(&lists[0]), shared(&lists[2]));
    }

    #[test]
    fn compares_serialises_and_collects_like_a_list() {
        let list: RuleIds = ["r1", "r2"].into_iter().map(PackText::from).collect();
        assert_eq!(serde_json::to_string(&list).unwrap(), r#"["r1","r2"]"#);
        assert_eq!(format!("{list:?}"), r#"["r1", "r2"]"#);
        assert_ne!(list, ["r1"]);
        let empty: RuleIds = std::iter::empty().collect();
        assert!(empty.block.is_none(), "an empty list allocates nothing");
        assert_eq!(empty, RuleIds::default());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "[]");
    }
}
