//! Deterministic testing on a simulated clock.
//!
//! [`run`] drives a future on a loop whose clock starts at zero and moves only when no task is
//! ready, jumping straight to the earliest deadline. A test of a one-hour timeout finishes in
//! microseconds, and every run of the same program gives the same order of events.
//!
//! Use it for your own async code's tests, as wasio's own test suite does.

use std::future::Future;
use std::time::Duration;

use crate::executor;
use crate::time::Instant;
use crate::Runner;

/// Runs `future` to completion on a simulated clock, then cancels every task still alive.
///
/// # Panics
///
/// If this thread's loop is already running.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// let r = wasio::testing::run(async {
///     wasio::timeout(Duration::from_secs(3600), std::future::pending::<()>()).await
/// });
/// assert!(r.is_err()); // an hour passed, virtually, in microseconds
/// ```
pub fn run<F: Future>(future: F) -> F::Output {
    Runner::simulated().run(future)
}

/// Moves the simulated clock forward by `d` without waiting for the loop to go idle, firing due
/// timers at the next turn. Has no effect on a real clock.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     wasio::testing::advance(Duration::from_secs(5));
///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(5));
/// });
/// ```
pub fn advance(d: Duration) {
    executor::with(|ex| {
        if ex.is_simulated() {
            ex.advance_to((Instant(ex.now()) + d).0);
        }
    })
}

/// How many timers are armed on this thread's loop (a dropped timer is disarmed at once, so this
/// is how a test checks that nothing leaks).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let t = wasio::spawn(wasio::sleep(Duration::from_secs(60)));
///     wasio::yield_now().await;
///     assert_eq!(wasio::testing::armed_timers(), 1);
///     t.cancel();
///     wasio::yield_now().await;
///     assert_eq!(wasio::testing::armed_timers(), 0);
/// });
/// ```
pub fn armed_timers() -> usize {
    executor::with(|ex| ex.armed_timers())
}

/// Whether this thread's loop is on the simulated clock.
///
/// # Examples
///
/// ```
/// assert!(wasio::testing::run(async { wasio::testing::is_simulated() }));
/// ```
pub fn is_simulated() -> bool {
    executor::with(|ex| ex.is_simulated())
}

/// Runs `future` with this thread's loop on the simulated clock, as a future: for hosts whose loop
/// is driven by someone else (the browser's event loop, or an async test harness there). The clock
/// starts at zero and jumps to the next deadline whenever the loop is idle; the loop returns to the
/// host clock when the future completes or is dropped (if it was on the host clock before: inside
/// a loop already simulated, nothing changes). If it is not awaited inside a task or a
/// blocking [`Runner`] (as in a JS-driven test harness), it then also cancels every task still
/// alive on the loop, as [`run`] does when it returns, so one test leaves nothing to the next.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::run(wasio::testing::simulate(async {
///     assert!(wasio::testing::is_simulated());
/// }));
/// assert!(!wasio::testing::is_simulated());
/// ```
pub async fn simulate<F: Future>(future: F) -> F::Output {
    /// Cancels what is left when no task or runner is there to do it; then (as a field) the
    /// clock returns to the host's.
    struct Restore(#[allow(dead_code)] executor::SimulatedClock);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = executor::try_with(|ex| {
                if !ex.running.get() && ex.current().is_none() {
                    ex.close();
                }
            });
        }
    }
    let _restore = Restore(executor::SimulatedClock::start());
    future.await
}
