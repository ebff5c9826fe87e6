//! The loop step: the one function every driver calls (the blocking [`Runner`](crate::Runner) on
//! native and WASI, the browser's microtask, macrotask and timer slices).
//!
//! A step owns the turn policy, so that no driver re-implements it:
//!
//! 1. On the simulated clock, when the host has settled (`settled`: the blocking runner always;
//!    the browser in a macrotask, after every microtask) and no task is ready, the clock jumps to
//!    the earliest deadline.
//! 2. One turn of the executor ([`Executor::turn`]): injected work, due timers, then up to `budget`
//!    ready tasks.
//! 3. What the driver should do next ([`Next`]), decided here from what the turn left.
//!
//! A driver adds only what its host must: the runner polls its main future between steps and
//! parks through the host seam; the browser bounds a slice by wall time, queues the next slice and
//! keeps one `setTimeout` armed.

use super::{with, Executor, TurnState};

/// What the loop needs after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Tasks are ready: step again (a driver that must let its host run first does so).
    Run,
    /// Simulated clock, nothing ready, a deadline armed: step again once the host has settled;
    /// that step jumps the clock to the deadline.
    Jump,
    /// Nothing ready: wait for I/O, a wake-up or the host clock reaching the deadline (`None`:
    /// no deadline armed).
    Wait(Option<u64>),
}

impl Executor {
    /// One step of the loop (see the module docs).
    pub(crate) fn step(&self, budget: usize, settled: bool) -> Next {
        if settled {
            // Set only while the clock is simulated: a loop on the host clock links no jump.
            if let Some(jump) = self.jump.get() {
                jump(self);
            }
        }
        let st = self.turn(budget);
        self.next(st)
    }

    /// Simulated clock: if no task is ready, moves time to the earliest deadline (reached
    /// through `jump`, which [`SimulatedClock`](super::SimulatedClock) sets).
    pub(super) fn jump_if_idle(&self) {
        let st = self.state();
        if st.ready == 0 {
            if let Some(t) = st.next_deadline {
                self.advance_to(t);
            }
        }
    }

    /// What the loop needs, given what a turn left behind.
    pub(crate) fn next(&self, st: TurnState) -> Next {
        if st.ready > 0 {
            Next::Run
        } else if self.is_simulated() && st.next_deadline.is_some() {
            Next::Jump
        } else if self.is_simulated() {
            Next::Wait(None)
        } else {
            Next::Wait(st.next_deadline)
        }
    }
}

/// One step of this thread's loop.
#[inline]
pub(crate) fn step(budget: usize, settled: bool) -> Next {
    with(|ex| ex.step(budget, settled))
}
