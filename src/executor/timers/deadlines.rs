//! The one deadline structure every timer of a loop lives in.
//!
//! # Data structure
//!
//! A binary min-heap of armed timers ordered by `(deadline, seq)`, plus a slot table that tells
//! where each timer sits in the heap:
//!
//! * `heap`: one entry per armed timer (deadline, sequence number, slot, waker). The sequence number
//!   makes keys unique and fires timers with the same deadline in the order they were armed, so
//!   runs are deterministic. `heap[0]` is the earliest timer.
//! * `pos`: indexed by slot, the heap index of the timer that owns the slot (`FREE` if none), a
//!   `crate::slab::Slab`: a timer keeps its slot for its whole life, and freed slots are reused
//!   last in first out, so the table stays as long as the most timers ever armed at once.
//!
//! A [`TimerKey`] is `(deadline, seq, slot)`: the slot finds the entry in O(1), and the sequence
//! number tells a live key from a stale one whose slot was reused. Insert, update, remove and
//! pop are O(log n) (update is O(1)); the earliest deadline is O(1).
//!
//! A timer is inserted when its future is first polled (creating a `Sleep` costs nothing), updated
//! in place when it is polled with a different waker, and removed when it fires or its future is
//! dropped: a dropped timer leaves nothing behind and never costs a host timer. The host is only
//! ever told about the first deadline.

use std::task::Waker;

use crate::slab::Slab;

/// Identifies one armed timer: its deadline (`.0`), sequence number and slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimerKey(pub(crate) u64, u64, u32);

struct Entry {
    deadline: u64,
    seq: u64,
    slot: u32,
    waker: Waker,
}

impl Entry {
    fn before(&self, other: &Entry) -> bool {
        (self.deadline, self.seq) < (other.deadline, other.seq)
    }
}

/// The timers [`Deadlines::clear`] took out; dropping this drops their wakers.
pub(crate) struct Disarmed {
    /// Held only to be dropped.
    _timers: Vec<Entry>,
}

impl Disarmed {
    /// How many timers were armed.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self._timers.len()
    }
}

/// `pos` value of a slot no timer owns.
const FREE: u32 = u32::MAX;

pub(crate) struct Deadlines {
    heap: Vec<Entry>,
    pos: Slab<u32>,
    seq: u64,
}

impl Deadlines {
    pub(crate) const fn new() -> Deadlines {
        Deadlines {
            heap: Vec::new(),
            pos: Slab::new(),
            seq: 0,
        }
    }

    /// Arms a timer for `deadline` (nanoseconds on the loop clock).
    pub(crate) fn insert(&mut self, deadline: u64, waker: Waker) -> TimerKey {
        self.seq += 1;
        let i = self.heap.len();
        let slot = self.pos.insert(i as u32) as u32;
        self.heap.push(Entry {
            deadline,
            seq: self.seq,
            slot,
            waker,
        });
        self.sift_up(i);
        TimerKey(deadline, self.seq, slot)
    }

    /// The heap index of the live timer `key`, if it has not fired or been removed.
    fn find(&self, key: TimerKey) -> Option<usize> {
        let i = *self.pos.get(key.2 as usize)? as usize;
        (self.heap.get(i)?.seq == key.1).then_some(i)
    }

    /// Points an armed timer at another waker: whether it is still armed (`false` if it already
    /// fired), and the waker it replaced, for the caller to drop once it no longer borrows the
    /// structure (see the borrow rule in `timers/mod.rs`).
    pub(crate) fn update(&mut self, key: TimerKey, waker: &Waker) -> (bool, Option<Waker>) {
        match self.find(key).and_then(|i| self.heap.get_mut(i)) {
            Some(e) => {
                let w = &mut e.waker;
                if w.will_wake(waker) {
                    (true, None)
                } else {
                    (true, Some(std::mem::replace(w, waker.clone())))
                }
            }
            None => (false, None),
        }
    }

    /// Disarms a timer; its waker, if it was armed, for the caller to drop after the borrow.
    pub(crate) fn remove(&mut self, key: TimerKey) -> Option<Waker> {
        let i = self.find(key)?;
        Some(self.remove_at(i)?.waker)
    }

    /// The earliest deadline, if any timer is armed.
    pub(crate) fn next(&self) -> Option<u64> {
        self.heap.first().map(|e| e.deadline)
    }

    /// Removes and returns the first timer if it is due at `now`.
    pub(crate) fn pop_due(&mut self, now: u64) -> Option<(TimerKey, Waker)> {
        if self.heap.first()?.deadline > now {
            return None;
        }
        let e = self.remove_at(0)?;
        Some((TimerKey(e.deadline, e.seq, e.slot), e.waker))
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    /// Disarms every timer. Their wakers are dropped with the returned value, which the caller
    /// drops once it no longer borrows the structure (a waker's drop may run arbitrary code).
    pub(crate) fn clear(&mut self) -> Disarmed {
        self.pos.clear();
        Disarmed {
            _timers: std::mem::take(&mut self.heap),
        }
    }

    /// Takes the entry at heap index `i` (in bounds: found by `find`, or 0 under a check that
    /// the heap is not empty) out, frees its slot and restores the heap order.
    ///
    /// This function and those below reach the heap and the slot table with `get`, never by
    /// indexing or `swap_remove`: their indices are in bounds by the structure's invariants, and
    /// an index panic's message (`index out of bounds: the len is {} but the index is {}`) would
    /// link integer formatting into every app with a timer (see `executor`'s "Keeping builds
    /// small").
    fn remove_at(&mut self, i: usize) -> Option<Entry> {
        let last = self.heap.pop()?;
        debug_assert!(i <= self.heap.len());
        // The last entry fills the hole, unless it was the one removed.
        let e = match self.heap.get_mut(i) {
            Some(hole) => std::mem::replace(hole, last),
            None => last,
        };
        if let Some(p) = self.pos.get_mut(e.slot as usize) {
            *p = FREE;
        }
        self.pos.free(e.slot as usize);
        if i < self.heap.len() {
            self.place(i);
            self.sift_down(i);
            self.sift_up(i);
        }
        Some(e)
    }

    /// Records where the entry at heap index `i` now is.
    fn place(&mut self, i: usize) {
        if let Some(e) = self.heap.get(i) {
            if let Some(p) = self.pos.get_mut(e.slot as usize) {
                *p = i as u32;
            }
        }
    }

    /// Whether the entry at `a` fires before the one at `b`.
    fn before(&self, a: usize, b: usize) -> bool {
        match (self.heap.get(a), self.heap.get(b)) {
            (Some(a), Some(b)) => a.before(b),
            _ => false,
        }
    }

    /// Swaps the entries at `a` and `b` (`a != b` in every caller).
    fn swap(&mut self, a: usize, b: usize) {
        if let Some((low, rest)) = self
            .heap
            .get_mut(a.min(b)..=a.max(b))
            .and_then(|s| s.split_first_mut())
        {
            if let Some(high) = rest.last_mut() {
                std::mem::swap(low, high);
            }
        }
        self.place(a);
        self.place(b);
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = (i - 1) / 2;
            if !self.before(i, parent) {
                break;
            }
            self.swap(i, parent);
            i = parent;
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        loop {
            let mut first = i;
            for child in [2 * i + 1, 2 * i + 2] {
                if self.before(child, first) {
                    first = child;
                }
            }
            if first == i {
                break;
            }
            self.swap(i, first);
            i = first;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys fire in `(deadline, insertion)` order whatever is removed in between.
    #[test]
    fn fires_in_order_after_removals() {
        let mut d = Deadlines::new();
        let w = Waker::noop();
        let mut keys = Vec::new();
        for (i, deadline) in [50u64, 10, 30, 10, 70, 20, 30, 60, 10, 40]
            .into_iter()
            .enumerate()
        {
            keys.push((deadline, i, d.insert(deadline, w.clone())));
        }
        // Remove every third timer; a removed key is stale afterwards.
        for (_, _, k) in keys.iter().step_by(3) {
            assert!(d.remove(*k).is_some());
            assert!(d.remove(*k).is_none());
            assert!(!d.update(*k, w).0);
        }
        let mut want: Vec<_> = keys
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 3 != 0)
            .map(|(_, &(deadline, i, _))| (deadline, i))
            .collect();
        want.sort();
        assert_eq!(d.len(), want.len());
        // A new timer reuses a freed slot without confusing the stale key of its previous owner.
        let late = d.insert(1000, w.clone());
        assert!(d.remove(keys[0].2).is_none());
        assert!(d.update(late, w).0);
        let mut got = Vec::new();
        while let Some((k, _)) = d.pop_due(100) {
            let i = keys.iter().position(|&(_, _, key)| key == k).unwrap();
            got.push((k.0, i));
        }
        assert_eq!(got, want);
        assert_eq!(d.next(), Some(1000));
        assert!(d.pop_due(999).is_none());
        assert_eq!(d.clear().len(), 1);
        assert_eq!((d.len(), d.next()), (0, None));
    }

    /// Against a `BTreeMap` model: any mix of inserts, updates, removes and pops agrees with it.
    #[cfg(not(target_arch = "wasm32"))]
    mod model {
        use std::collections::BTreeMap;

        use proptest::prelude::*;

        use super::*;

        #[derive(Debug, Clone)]
        enum Op {
            Insert(u64),
            Remove(usize),
            Update(usize),
            PopDue(u64),
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                (0u64..20).prop_map(Op::Insert),
                any::<usize>().prop_map(Op::Remove),
                any::<usize>().prop_map(Op::Update),
                (0u64..25).prop_map(Op::PopDue),
            ]
        }

        proptest! {
            #[test]
            fn matches_an_ordered_map(ops in prop::collection::vec(op(), 1..80)) {
                let mut d = Deadlines::new();
                let mut model: BTreeMap<(u64, u64), TimerKey> = BTreeMap::new();
                let mut issued: Vec<TimerKey> = Vec::new();
                let mut seq = 0;
                let w = Waker::noop();
                for op in ops {
                    match op {
                        Op::Insert(deadline) => {
                            seq += 1;
                            let k = d.insert(deadline, w.clone());
                            model.insert((deadline, seq), k);
                            issued.push(k);
                        }
                        Op::Remove(n) if !issued.is_empty() => {
                            let k = issued[n % issued.len()];
                            let live = model.values().any(|&m| m == k);
                            prop_assert_eq!(d.remove(k).is_some(), live);
                            model.retain(|_, m| *m != k);
                        }
                        Op::Update(n) if !issued.is_empty() => {
                            let k = issued[n % issued.len()];
                            let live = model.values().any(|&m| m == k);
                            prop_assert_eq!(d.update(k, w).0, live);
                        }
                        Op::PopDue(now) => {
                            let want = match model.first_key_value() {
                                Some((&(deadline, _), &k)) if deadline <= now => Some(k),
                                _ => None,
                            };
                            let got = d.pop_due(now).map(|(k, _)| k);
                            prop_assert_eq!(got, want);
                            if let Some(k) = want {
                                prop_assert_eq!(k.0, model.pop_first().unwrap().0 .0);
                            }
                        }
                        _ => {}
                    }
                    prop_assert_eq!(d.len(), model.len());
                    prop_assert_eq!(d.next(), model.keys().next().map(|k| k.0));
                }
            }
        }
    }
}
