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
    // One shared copy in wasm (see `saturating_add`).
    #[cfg_attr(target_family = "wasm", inline(never))]
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
        self.0.checked_add(nanos_u64(d)?).map(Instant)
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
    // One shared copy in wasm: inlined, the conversion was about 40 bytes at every deadline
    // computed (`sleep`, `interval`, `timeout`); natively it stays inline, on the timer paths.
    #[cfg_attr(target_family = "wasm", inline(never))]
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

/// `d` in nanoseconds, or `None` if that overflows a u64 (about 584 years).
///
/// In u64, not through `Duration::as_nanos` (u128), and with the overflow checked by a compare
/// rather than `checked_mul` (on wasm32 a u64 multiply with overflow detection is a 128-bit
/// multiply): every `sleep`, `timeout` and interval tick passes here, and either would link
/// compiler_builtins' `__multi3` into every wasm app (see `executor`'s "Keeping builds small").
pub(crate) fn nanos_u64(d: Duration) -> Option<u64> {
    const MAX_SECS: u64 = u64::MAX / 1_000_000_000;
    let secs = d.as_secs();
    if secs > MAX_SECS {
        return None;
    }
    (secs * 1_000_000_000).checked_add(u64::from(d.subsec_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanos_u64_is_as_nanos_up_to_the_u64_limit_and_none_past_it() {
        for d in [
            Duration::ZERO,
            Duration::from_nanos(1),
            Duration::new(1, 999_999_999),
            Duration::from_secs(86_400 * 365 * 500),
            Duration::from_nanos(u64::MAX),
        ] {
            assert_eq!(nanos_u64(d).map(u128::from), Some(d.as_nanos()), "{d:?}");
        }
        let limit = Duration::from_nanos(u64::MAX);
        assert_eq!(nanos_u64(limit + Duration::from_nanos(1)), None);
        assert_eq!(
            nanos_u64(Duration::new(u64::MAX / 1_000_000_000 + 1, 0)),
            None
        );
        assert_eq!(nanos_u64(Duration::MAX), None);
    }
}
