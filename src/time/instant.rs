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
    ///
    /// # Examples
    ///
    /// ```
    /// let never = wasio::sleep_until(wasio::Instant::FAR_FUTURE);
    /// assert!(!never.is_elapsed());
    /// ```
    pub const FAR_FUTURE: Instant = Instant(u64::MAX);

    /// The current reading of this thread's loop clock.
    ///
    /// # Examples
    ///
    /// ```
    /// let a = wasio::Instant::now();
    /// let b = wasio::Instant::now();
    /// assert!(b >= a); // monotonic
    /// ```
    pub fn now() -> Instant {
        Instant(executor::with(|ex| ex.now()))
    }

    /// Time since the clock's origin (process start, page load or simulated zero).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::ZERO);
    ///     wasio::sleep(Duration::from_millis(250)).await;
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_millis(250));
    /// });
    /// ```
    pub fn since_origin(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// `self - earlier`, or zero if `earlier` is later.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let t = wasio::Instant::now();
    /// let later = t + Duration::from_secs(2);
    /// assert_eq!(later.saturating_duration_since(t), Duration::from_secs(2));
    /// assert_eq!(t.saturating_duration_since(later), Duration::ZERO);
    /// ```
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// Time elapsed since `self`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let start = wasio::Instant::now();
    ///     wasio::sleep(Duration::from_secs(3)).await;
    ///     assert_eq!(start.elapsed(), Duration::from_secs(3));
    /// });
    /// ```
    pub fn elapsed(self) -> Duration {
        Instant::now().saturating_duration_since(self)
    }

    /// `self + d`, or `None` on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let t = wasio::Instant::now();
    /// assert_eq!(t.checked_add(Duration::from_secs(1)), Some(t + Duration::from_secs(1)));
    /// assert_eq!(t.checked_add(Duration::MAX), None);
    /// ```
    pub fn checked_add(self, d: Duration) -> Option<Instant> {
        let ns = u64::try_from(d.as_nanos()).ok()?;
        self.0.checked_add(ns).map(Instant)
    }

    /// `self + d`, saturating at [`Instant::FAR_FUTURE`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let t = wasio::Instant::now();
    /// assert_eq!(t.saturating_add(Duration::MAX), wasio::Instant::FAR_FUTURE);
    /// ```
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
