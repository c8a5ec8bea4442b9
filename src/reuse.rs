//! Working lists that assessments reuse instead of allocating.
//!
//! Apps may assess on every answer change, and an assessment needs a few
//! lists it throws away (answers by question, weights, fired rules). Each
//! thread keeps the lists earlier assessments gave back, as a regex keeps
//! its search cache, so a steady stream of assessments allocates only what
//! its results hold. What a thread keeps is bounded: at most [`KEEP`]
//! lists of each kind, none longer than [`KEEP_LEN`] items (a larger pack's
//! lists are freed as before).

use std::cell::RefCell;
use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::score::{Given, Scored};

/// Lists of one kind a thread keeps.
const KEEP: usize = 8;
/// The longest list a thread keeps, in items.
const KEEP_LEN: usize = 1024;

/// An item type whose lists a thread keeps for reuse.
pub(crate) trait Spare: Copy + 'static {
    /// Runs `f` on this thread's spare lists of `Self`, unless the thread
    /// is ending or they are in use.
    fn with_spares<R>(f: impl FnOnce(&mut Vec<Vec<Self>>) -> R) -> Option<R>;
}

macro_rules! spare {
    ($($item:ty),*) => {$(
        impl Spare for $item {
            fn with_spares<R>(f: impl FnOnce(&mut Vec<Vec<Self>>) -> R) -> Option<R> {
                thread_local! {
                    static SPARES: RefCell<Vec<Vec<$item>>> = const { RefCell::new(Vec::new()) };
                }
                SPARES
                    .try_with(|spares| spares.try_borrow_mut().ok().map(|mut s| f(&mut s)))
                    .ok()
                    .flatten()
            }
        }
    )*};
}

spare!(usize, f64, Option<Given>, Scored);

/// A list taken from this thread's spares (or new), given back when
/// dropped. It reads and writes as a `Vec`.
pub(crate) struct Reused<T: Spare>(Vec<T>);

impl<T: Spare> Reused<T> {
    /// An empty list.
    pub(crate) fn new() -> Self {
        Reused(T::with_spares(Vec::pop).flatten().unwrap_or_default())
    }

    /// A list of `len` copies of `value`.
    pub(crate) fn filled(value: T, len: usize) -> Self {
        let mut list = Self::new();
        list.0.resize(len, value);
        list
    }
}

impl<T: Spare> Default for Reused<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Spare> Drop for Reused<T> {
    fn drop(&mut self) {
        let mut list = std::mem::take(&mut self.0);
        if list.capacity() == 0 || list.capacity() > KEEP_LEN {
            return;
        }
        list.clear();
        T::with_spares(|spares| {
            if spares.len() < KEEP {
                spares.push(list);
            }
        });
    }
}

impl<T: Spare> Deref for Reused<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Spare> DerefMut for Reused<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T: Spare> Clone for Reused<T> {
    fn clone(&self) -> Self {
        let mut list = Self::new();
        list.0.extend_from_slice(&self.0);
        list
    }
}

impl<T: Spare + fmt::Debug> fmt::Debug for Reused<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_given_back_is_reused_empty() {
        let mut first = Reused::<usize>::new();
        first.extend([1, 2, 3]);
        let address = first.as_ptr();
        drop(first);
        let second = Reused::<usize>::filled(7, 2);
        assert_eq!(second.as_ptr(), address, "the spare list is taken again");
        assert_eq!(*second, vec![7, 7]);
    }

    #[test]
    fn long_lists_are_not_kept() {
        let long = Reused::<f64>::filled(0.0, KEEP_LEN + 1);
        drop(long);
        let spare_lens = f64::with_spares(|s| s.iter().map(Vec::capacity).max()).flatten();
        assert!(spare_lens.is_none_or(|c| c <= KEEP_LEN));
    }

    #[test]
    fn a_thread_keeps_at_most_a_few_lists() {
        let lists: Vec<_> = (0..KEEP * 2).map(|n| Reused::<usize>::filled(n, 4)).collect();
        drop(lists);
        assert_eq!(usize::with_spares(|s| s.len()), Some(KEEP));
    }
}
