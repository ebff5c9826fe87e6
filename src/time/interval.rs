//! [`interval`]: a periodic timer with a policy for missed ticks.

use std::time::Duration;

use super::instant::nanos_u64;
use super::{sleep_until, Instant, Sleep};

/// What an [`Interval`] does when ticks were missed (the task was busy past one or more periods).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::time::MissedTickBehavior;
/// wasio::testing::run(async {
///     let mut iv = wasio::interval(Duration::from_secs(1));
///     iv.set_missed_tick_behavior(MissedTickBehavior::Skip);
///     iv.tick().await; // at 0 s
///     wasio::sleep(Duration::from_millis(3500)).await; // busy past three periods
///     // The overdue tick fires at once; the ones missed meanwhile are dropped...
///     assert_eq!(iv.tick().await.since_origin(), Duration::from_secs(1));
///     // ...and the next one is back on the grid.
///     assert_eq!(iv.tick().await.since_origin(), Duration::from_secs(4));
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissedTickBehavior {
    /// Fire the missed ticks back to back until caught up.
    #[default]
    Burst,
    /// Start counting periods again from the late tick.
    Delay,
    /// Drop the missed ticks and fire on the next multiple of the period.
    Skip,
}

/// Ticks every `period`, the first tick at once.
///
/// A zero period is treated as one nanosecond so the interval never spins without yielding.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let mut iv = wasio::interval(Duration::from_secs(1));
///     let t0 = iv.tick().await;
///     let t1 = iv.tick().await;
///     assert_eq!(t1 - t0, Duration::from_secs(1));
/// });
/// ```
pub fn interval(period: Duration) -> Interval {
    let period = period.max(Duration::from_nanos(1));
    let start = Instant::now();
    Interval {
        period,
        next: start,
        missed: MissedTickBehavior::Burst,
        sleep: None,
    }
}

/// A periodic timer (see [`interval`]).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let mut iv: wasio::time::Interval = wasio::interval(Duration::from_millis(100));
///     for _ in 0..5 {
///         iv.tick().await;
///     }
///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_millis(400));
/// });
/// ```
#[derive(Debug)]
pub struct Interval {
    period: Duration,
    next: Instant,
    missed: MissedTickBehavior,
    sleep: Option<Sleep>,
}

impl Interval {
    /// Sets the missed-tick policy (the default is [`MissedTickBehavior::Burst`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use wasio::time::MissedTickBehavior;
    /// wasio::testing::run(async {
    ///     let mut iv = wasio::interval(Duration::from_secs(1));
    ///     iv.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ///     iv.tick().await;
    ///     wasio::sleep(Duration::from_millis(2500)).await;
    ///     iv.tick().await; // the late tick, at 2.5 s
    ///     iv.tick().await; // one period after it
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_millis(3500));
    /// });
    /// ```
    pub fn set_missed_tick_behavior(&mut self, b: MissedTickBehavior) {
        self.missed = b;
    }

    /// The period.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     assert_eq!(wasio::interval(Duration::from_secs(2)).period(), Duration::from_secs(2));
    ///     // A zero period is one nanosecond: the interval always yields.
    ///     assert_eq!(wasio::interval(Duration::ZERO).period(), Duration::from_nanos(1));
    /// });
    /// ```
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Waits for the next tick and returns its scheduled instant.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `tick()` does not consume the tick.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let mut iv = wasio::interval(Duration::from_secs(1));
    ///     iv.tick().await; // at once
    ///     // A tick cut short by a timeout is not lost: the next call returns it.
    ///     assert!(wasio::timeout(Duration::from_millis(400), iv.tick()).await.is_err());
    ///     assert_eq!(iv.tick().await.since_origin(), Duration::from_secs(1));
    /// });
    /// ```
    pub async fn tick(&mut self) -> Instant {
        let target = self.next;
        let sleep = self.sleep.get_or_insert_with(|| sleep_until(target));
        if sleep.deadline() != target {
            sleep.reset(target);
        }
        (&mut *sleep).await;
        self.sleep = None;
        let now = Instant::now();
        self.next = match self.missed {
            MissedTickBehavior::Burst => target + self.period,
            MissedTickBehavior::Delay if now > target => now + self.period,
            MissedTickBehavior::Delay => target + self.period,
            MissedTickBehavior::Skip => {
                // In u64 nanoseconds (an Instant's range; a longer period saturates, and any
                // lag then divides to 0 either way), and without a multiply: a u128 division
                // would link compiler_builtins' 1 KB `u128_div_rem`, and a checked multiply
                // (`Duration::saturating_mul`) its `__multi3`, into every app that ticks.
                let p = nanos_u64(self.period).unwrap_or(u64::MAX).max(1);
                let behind = nanos_u64(now.saturating_duration_since(target)).unwrap_or(u64::MAX);
                // The first multiple of the period past `behind`: (behind / p + 1) * p.
                let ahead = (behind - behind % p).saturating_add(p);
                target.saturating_add(Duration::from_nanos(ahead))
            }
        };
        target
    }

    /// Makes the next tick happen one period from now.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let mut iv = wasio::interval(Duration::from_secs(1));
    ///     iv.tick().await;
    ///     wasio::sleep(Duration::from_millis(600)).await;
    ///     iv.reset();
    ///     assert_eq!(iv.tick().await.since_origin(), Duration::from_millis(1600));
    /// });
    /// ```
    pub fn reset(&mut self) {
        self.next = Instant::now() + self.period;
        self.sleep = None;
    }
}
