//! [`Slab`]: a vector of slots with a free list, the table under the crate's wait lists, timers,
//! reactor and server.
//!
//! # Data structure
//!
//! `entries` holds every slot ever taken; `free` the indices of the vacant ones, reused last in
//! first out, so the table stays as long as the most entries ever live at once and a key (an
//! index) stays valid until its owner frees it. What a vacant slot holds is the user's choice (a
//! `Free` state, `None`, a sentinel): the slab only tracks which slots are vacant. Freeing a key
//! twice, or using a freed key, is the user's bug; the users' own invariants (one owner per key,
//! documented in each) rule it out.
//!
//! Every operation is O(1). The functions are small and `#[inline]`: each user's code compiles as
//! if it had written the free list itself.

use std::ops::{Index, IndexMut};

/// A vector of slots with a free list (see the module docs).
pub(crate) struct Slab<T> {
    entries: Vec<T>,
    free: Vec<u32>,
}

impl<T> Slab<T> {
    pub(crate) const fn new() -> Slab<T> {
        Slab {
            entries: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Puts `value` in a vacant slot (the most recently freed) or a new one; returns its key.
    #[inline]
    pub(crate) fn insert(&mut self, value: T) -> usize {
        match self.free.pop() {
            Some(key) => {
                // (`get_mut`, not indexing: a free key is always in range, and no panic path is
                // linked for it.)
                if let Some(slot) = self.entries.get_mut(key as usize) {
                    *slot = value;
                }
                key as usize
            }
            None => {
                self.entries.push(value);
                self.entries.len() - 1
            }
        }
    }

    /// Marks `key`'s slot vacant (its owner has already taken or replaced what it held).
    #[inline]
    pub(crate) fn free(&mut self, key: usize) {
        self.free.push(key as u32);
    }

    /// The slot of `key`, if there is one (vacant or not).
    #[inline]
    pub(crate) fn get_mut(&mut self, key: usize) -> Option<&mut T> {
        self.entries.get_mut(key)
    }

    /// The slot of `key`, if there is one (vacant or not).
    #[inline]
    pub(crate) fn get(&self, key: usize) -> Option<&T> {
        self.entries.get(key)
    }

    /// How many slots are taken (not vacant).
    #[cfg(test)]
    pub(crate) fn live(&self) -> usize {
        self.entries.len() - self.free.len()
    }

    /// How many slots there are, vacant or not.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every slot, vacant or not, with its key.
    #[inline]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &T)> {
        self.entries.iter().enumerate()
    }

    /// Every slot, vacant or not.
    #[inline]
    pub(crate) fn slots_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.entries.iter_mut()
    }

    /// Empties the slab (every key is invalid afterwards).
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.free.clear();
    }
}

impl<T> Index<usize> for Slab<T> {
    type Output = T;
    #[inline]
    fn index(&self, key: usize) -> &T {
        &self.entries[key]
    }
}

impl<T> IndexMut<usize> for Slab<T> {
    #[inline]
    fn index_mut(&mut self, key: usize) -> &mut T {
        &mut self.entries[key]
    }
}

#[cfg(test)]
mod tests {
    use super::Slab;

    #[test]
    fn freed_slots_are_reused_last_in_first_out() {
        let mut s = Slab::new();
        let (a, b, c) = (s.insert('a'), s.insert('b'), s.insert('c'));
        assert_eq!((a, b, c, s.live()), (0, 1, 2, 3));
        s.free(a);
        s.free(c);
        assert_eq!(s.live(), 1);
        assert_eq!(s.insert('d'), c, "the most recently freed first");
        assert_eq!(s.insert('e'), a);
        assert_eq!(s.insert('f'), 3, "then a new slot");
        assert_eq!((s[0], s[1], s[2], s[3]), ('e', 'b', 'd', 'f'));
        s.clear();
        assert_eq!((s.live(), s.get(0)), (0, None));
    }
}
