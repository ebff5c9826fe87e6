//! Native host: `std::time::Instant` for the clock, thread parking for waiting.
//!
//! Used for the project's tests and benchmarks and for users' unit tests. Other threads wake a
//! parked loop through [`LoopWaker`] (an unpark of the loop's thread).

use std::sync::OnceLock;
use std::thread::Thread;
use std::time::{Duration, Instant};

use super::{Blocking, Host, Wake};

/// The native host (see [`Host`]).
pub(crate) struct Native;

impl Host for Native {
    type LoopWaker = LoopWaker;

    const BLOCKING: Option<Blocking> = Some(Blocking {
        park,
        // No reactor natively: nothing to check.
        poll_io: || {},
        // Another thread holding a waker may always wake a parked loop.
        can_wake_without_timer: || true,
    });

    fn now_nanos() -> u64 {
        u64::try_from(epoch().elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// `Runner::run` turns the loop on this host: nothing to request.
    fn request_turn() {}
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Blocks the thread until woken or until `timeout` nanoseconds pass (`None`: until woken).
fn park(timeout: Option<u64>) {
    match timeout {
        Some(0) => {}
        Some(ns) => std::thread::park_timeout(Duration::from_nanos(ns)),
        None => std::thread::park(),
    }
}

/// Wakes the loop's thread from any thread.
pub(crate) struct LoopWaker(Thread);

impl Wake for LoopWaker {
    fn for_current_thread() -> LoopWaker {
        LoopWaker(std::thread::current())
    }
    fn wake(&self) {
        self.0.unpark();
    }
}
