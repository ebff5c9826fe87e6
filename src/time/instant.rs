//! [`Instant`]: a monotonic time point on the loop's clock, on every target.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};
use std::time::Duration;

use crate::executor;

/// A point on the loop's monotonic clock, with nanosecond resolution.
///
/// Unlike `std::time::Instant` it works on `wasm32-unknown-unknown` (it reads `performance.now()`),
/// and under a simulated clock it reads virtual time. Arithmetic saturates: adding an enormous
/// duration gives [`Instant::FAR_FUTURE`], which timers treat as "never".
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// let t = wasio::Instant::now();
/// assert!(t + Duration::from_secs(1) > t);
/// assert_eq!(t + Duration::MAX, wasio::Instant::FAR_FUTURE);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub(crate) u64);

impl Instant {
    /// The latest representable instant: a deadline that never comes.
    pub const FAR_FUTURE: Instant = Instant(u64::MAX);

    /// The current reading of this thread's loop clock.
    pub fn now() -> Instant {
        Instant(executor::with(|ex| ex.now()))
    }

    /// Time since the clock's origin (process start, page load or simulated zero).
    pub fn since_origin(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// `self - earlier`, or zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// Time elapsed since `self`.
    pub fn elapsed(self) -> Duration {
        Instant::now().saturating_duration_since(self)
    }

    /// `self + d`, or `None` on overflow.
    pub fn checked_add(self, d: Duration) -> Option<Instant> {
        let ns = u64::try_from(d.as_nanos()).ok()?;
        self.0.checked_add(ns).map(Instant)
    }

    /// `self + d`, saturating at [`Instant::FAR_FUTURE`].
    pub fn saturating_add(self, d: Duration) -> Instant {
        self.checked_add(d).unwrap_or(Instant::FAR_FUTURE)
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        self.saturating_add(d)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl Sub for Instant {
    type Output = Duration;
    fn sub(self, earlier: Instant) -> Duration {
        self.saturating_duration_since(earlier)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Instant({:?})", self.since_origin())
    }
}

/// The loop's clock reading in seconds, as `loop.time()` gives it in asyncio.
///
/// # Examples
///
/// ```
/// let t = wasio::testing::run(async {
///     wasio::sleep(std::time::Duration::from_millis(1500)).await;
///     wasio::time()
/// });
/// assert_eq!(t, 1.5);
/// ```
pub fn time() -> f64 {
    Instant::now().since_origin().as_secs_f64()
}
