//! Timers, in one place: the loop's deadline queue ([`Deadlines`], `deadlines.rs`), and arming,
//! re-targeting, disarming and firing timers in it (this file), as tokio keeps them under
//! `runtime/time/`.
//!
//! # Data structure
//!
//! One [`Deadlines`] per loop, the executor's `timers` field, holding a waker per armed timer.
//! The executor's `fire` pointer is set when the first timer is armed, so a program that never
//! arms one links none of the firing code. The host is told only of the earliest deadline (the
//! loop step hands it to the driver as `Next::Wait`).
//!
//! # The borrow rule
//!
//! No waker is dropped or woken while `timers` is borrowed: either may run arbitrary code (a
//! waker's drop can drop the last reference to a task, whose future's destructors may arm or
//! disarm timers). So every function here takes what it removes or replaces out of the borrow
//! first — the borrow ends with its statement — and drops or wakes it after. Callers (the `Sleep`
//! future) never borrow `timers` themselves.

mod deadlines;

use std::task::Waker;

pub(crate) use deadlines::{Deadlines, TimerKey};

use super::{host, EventKind, Executor};
use crate::borrow::borrow_mut;

impl Executor {
    /// Arms a timer for `deadline` (loop clock, nanoseconds) that wakes `waker`.
    pub(crate) fn arm_timer(&self, deadline: u64, waker: Waker) -> TimerKey {
        let key = borrow_mut(&self.timers).insert(deadline, waker);
        self.emit(EventKind::TimerArmed, deadline);
        self.fire.set(Some(Self::fire_due));
        host::timer_armed();
        // Outside a turn, a new earliest deadline needs a turn, so that a host that arms its own
        // timer after each turn (the browser) sees it.
        if !self.in_turn.get() && self.next_deadline() == Some(deadline) {
            self.request_turn();
        }
        key
    }

    /// Points the armed timer `key` at `waker`; `false` if it is no longer armed (it fired).
    pub(crate) fn retarget_timer(&self, key: TimerKey, waker: &Waker) -> bool {
        let (armed, replaced) = borrow_mut(&self.timers).update(key, waker);
        drop(replaced); // after the borrow
        armed
    }

    /// Disarms the timer `key`, if it is still armed.
    pub(crate) fn disarm_timer(&self, key: TimerKey) {
        let removed = borrow_mut(&self.timers).remove(key);
        drop(removed); // after the borrow
    }

    /// Disarms every timer (closing the loop).
    pub(crate) fn disarm_all_timers(&self) {
        let disarmed = borrow_mut(&self.timers).clear();
        drop(disarmed); // after the borrow
    }

    /// The earliest armed deadline.
    pub(crate) fn next_deadline(&self) -> Option<u64> {
        borrow_mut(&self.timers).next()
    }

    /// How many timers are armed.
    pub(crate) fn armed_timers(&self) -> usize {
        borrow_mut(&self.timers).len()
    }

    /// Wakes every timer due at the current clock reading (nothing to do before the first timer).
    pub(super) fn fire_timers(&self) {
        if let Some(fire) = self.fire.get() {
            fire(self);
        }
    }

    fn fire_due(&self) {
        if self.armed_timers() == 0 {
            return;
        }
        let now = self.now();
        loop {
            let due = borrow_mut(&self.timers).pop_due(now);
            let Some((key, waker)) = due else { break };
            self.emit(EventKind::TimerFired, key.0);
            waker.wake(); // after the borrow
        }
    }
}
