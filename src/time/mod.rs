//! Time: [`Instant`], [`sleep`], [`yield_now`], [`timeout`], [`timeout_scope`] (a timeout whose
//! deadline can be read and moved from inside the timed block), [`interval`].
//!
//! Every timer of a loop lives in one deadline structure, ordered by deadline, which the executor
//! owns with the code that arms and fires timers (`executor/timers/`); the host only ever learns
//! the earliest one. A [`Sleep`] arms its timer at its first poll and disarms it on drop.

mod instant;
mod interval;
mod sleep;
mod timeout;
mod timeout_scope;
mod yield_now;

pub use instant::{time, Instant};
pub use interval::{interval, Interval, MissedTickBehavior};
pub use sleep::{sleep, sleep_until, Sleep};
pub use timeout::{timeout, timeout_at, Elapsed, Timeout};
pub use timeout_scope::{timeout_scope, timeout_scope_at, TimeoutHandle, TimeoutScope};
pub use yield_now::{yield_now, YieldNow};
