//! The loop clock: the host's, or a simulated one chosen for a whole loop session.
//!
//! # Data structure
//!
//! Two fields of the [`Executor`]: `simulated` (which clock) and `reading` (on the simulated clock,
//! the time itself; on the host clock, the reading [`now`](Executor::now) last took, which
//! [`last_reading`](Executor::last_reading) hands out without a host call).
//!
//! The simulated clock starts at zero and moves only forward: the loop step jumps it to the
//! earliest deadline when nothing is ready (`step.rs`), and `testing::advance` moves it on
//! request.
//!
//! # Who chooses the clock
//!
//! The choice is made once, when a loop session is built, like tokio's `start_paused`: a
//! [`Runner::simulated`](crate::Runner::simulated) (and so `testing::run`), or
//! `testing::simulate` for loops the host drives. Both hold a [`SimulatedClock`] for the session,
//! the only writer of `simulated`: it switches the loop to the simulated clock when made and back
//! when dropped. One made while the loop is already simulated changes nothing, in either
//! direction, so sessions nest.

use super::{host, try_with, with, Executor};

impl Executor {
    /// The loop clock in nanoseconds.
    // One shared copy in wasm: `Instant::now`, the timers and the loop step read it.
    #[cfg_attr(target_family = "wasm", inline(never))]
    pub(crate) fn now(&self) -> u64 {
        if self.simulated.get() {
            self.reading.get()
        } else {
            let t = host::now_nanos();
            self.reading.set(t);
            t
        }
    }

    /// The loop clock as last read, without reading the host clock: never later than
    /// [`now`](Self::now), and at least the reading with which this turn fired its due timers.
    #[inline]
    pub(crate) fn last_reading(&self) -> u64 {
        self.reading.get()
    }

    pub(crate) fn is_simulated(&self) -> bool {
        self.simulated.get()
    }

    /// Simulated clock only: moves time forward to `t` (never backwards).
    pub(crate) fn advance_to(&self, t: u64) {
        if t > self.reading.get() {
            self.reading.set(t);
        }
    }
}

/// While alive, this thread's loop runs on the simulated clock (see the module docs).
#[derive(Debug)]
pub(crate) struct SimulatedClock {
    /// This guard switched the clock (the loop was on the host clock when it was made).
    switched: bool,
}

impl SimulatedClock {
    /// Switches this thread's loop to the simulated clock, starting at zero, unless it is on it
    /// already.
    pub(crate) fn start() -> SimulatedClock {
        with(|ex| {
            let switched = !ex.simulated.replace(true);
            if switched {
                ex.reading.set(0);
                ex.jump.set(Some(Executor::jump_if_idle));
            }
            SimulatedClock { switched }
        })
    }
}

impl Drop for SimulatedClock {
    fn drop(&mut self) {
        if self.switched {
            let _ = try_with(|ex| {
                ex.simulated.set(false);
                ex.jump.set(None);
                ex.reading.set(0);
            });
        }
    }
}
