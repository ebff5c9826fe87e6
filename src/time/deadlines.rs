//! The one deadline structure every timer of a loop lives in.
//!
//! # Data structure
//!
//! An ordered map from `(deadline, sequence)` to the waker to call. The sequence number makes keys
//! unique and fires timers with the same deadline in the order they were armed, so runs are
//! deterministic. A timer is inserted when its future is first polled (creating a `Sleep` costs
//! nothing), updated in place when it is polled with a different waker, and removed when it fires or
//! its future is dropped: a dropped timer leaves nothing behind and never costs a host timer. The
//! host is only ever told about the first key.

use std::collections::BTreeMap;
use std::task::Waker;

/// Identifies one armed timer.
pub(crate) type TimerKey = (u64, u64);

#[derive(Default)]
pub(crate) struct Deadlines {
    map: BTreeMap<TimerKey, Waker>,
    seq: u64,
}

impl Deadlines {
    /// Arms a timer for `deadline` (nanoseconds on the loop clock).
    pub(crate) fn insert(&mut self, deadline: u64, waker: Waker) -> TimerKey {
        self.seq += 1;
        let key = (deadline, self.seq);
        self.map.insert(key, waker);
        key
    }

    /// Points an armed timer at another waker; returns `false` if it already fired.
    pub(crate) fn update(&mut self, key: TimerKey, waker: &Waker) -> bool {
        match self.map.get_mut(&key) {
            Some(w) => {
                if !w.will_wake(waker) {
                    w.clone_from(waker);
                }
                true
            }
            None => false,
        }
    }

    pub(crate) fn remove(&mut self, key: TimerKey) -> Option<Waker> {
        self.map.remove(&key)
    }

    /// The earliest deadline, if any timer is armed.
    pub(crate) fn next(&self) -> Option<u64> {
        self.map.first_key_value().map(|(k, _)| k.0)
    }

    /// Removes and returns the first timer if it is due at `now`.
    pub(crate) fn pop_due(&mut self, now: u64) -> Option<(TimerKey, Waker)> {
        match self.map.first_key_value() {
            Some((k, _)) if k.0 <= now => self.map.pop_first(),
            _ => None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    pub(crate) fn clear(&mut self) -> Vec<Waker> {
        std::mem::take(&mut self.map).into_values().collect()
    }
}
