//! [`sleep`], [`sleep_until`] and the [`Sleep`] future.
//!
//! A `Sleep` is a deadline and, once polled, a timer in the loop's one deadline queue. Its first
//! poll compares the deadline with the loop clock's latest reading rather than reading the clock
//! again (`sleep` has just read it, for the deadline): one host clock call per timer less. A sleep
//! first polled after its deadline has passed but before the loop has seen it pass is armed and
//! fires at the next turn, as asyncio runs a callback scheduled in the past at its next
//! iteration. Later polls (woken by the timer or anything else) read the clock.

use crate::trace::wait::{pending, WaitReason};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::deadlines::TimerKey;
use super::Instant;
use crate::executor;
use crate::executor::EventKind;

/// Waits until `duration` has passed on the loop clock.
///
/// A zero duration still yields once to the loop (like `asyncio.sleep(0)`); durations too large for
/// any clock saturate to "never".
///
/// # Cancel safety
///
/// Cancel safe: dropping the future disarms its timer.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// let elapsed = wasio::testing::run(async {
///     let t0 = wasio::Instant::now();
///     wasio::sleep(Duration::from_secs(3600)).await; // instant on the simulated clock
///     t0.elapsed()
/// });
/// assert_eq!(elapsed, Duration::from_secs(3600));
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep::new(Instant::now() + duration, duration.is_zero())
}

/// Waits until `deadline` on the loop clock.
///
/// # Cancel safety
///
/// Cancel safe.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let at = wasio::Instant::now() + Duration::from_millis(5);
///     wasio::sleep_until(at).await;
///     assert_eq!(wasio::Instant::now(), at);
/// });
/// ```
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new(deadline, false)
}

/// The future of [`sleep`] and [`sleep_until`].
///
/// It is `Unpin`: it can be kept in a struct or a loop, awaited by `&mut`, and moved with
/// [`reset`](Sleep::reset).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let mut s: wasio::time::Sleep = wasio::sleep(Duration::from_secs(10));
///     // Waited on for a while, then given up on: the sleep itself stays usable.
///     assert!(wasio::timeout(Duration::from_secs(1), &mut s).await.is_err());
///     s.await;
///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(10));
/// });
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    deadline: Instant,
    key: Option<TimerKey>,
    /// `sleep(0)`: yield once instead of arming a timer.
    yield_once: bool,
}

impl Sleep {
    fn new(deadline: Instant, yield_once: bool) -> Sleep {
        Sleep {
            deadline,
            key: None,
            yield_once,
        }
    }

    /// When this sleep ends.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let s = wasio::sleep(Duration::from_secs(2));
    ///     assert_eq!(s.deadline(), wasio::Instant::now() + Duration::from_secs(2));
    /// });
    /// ```
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Moves the deadline (the timer is re-armed at the next poll).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let mut s = wasio::sleep(Duration::from_secs(60));
    ///     assert!(wasio::timeout(Duration::from_secs(1), &mut s).await.is_err());
    ///     s.reset(wasio::Instant::now() + Duration::from_secs(1)); // sooner than planned
    ///     s.await;
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(2));
    ///     assert_eq!(wasio::testing::armed_timers(), 0); // the old timer is gone
    /// });
    /// ```
    pub fn reset(&mut self, deadline: Instant) {
        self.disarm();
        self.deadline = deadline;
        self.yield_once = false;
    }

    /// Whether the deadline has passed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let s = wasio::sleep(Duration::from_secs(1));
    ///     assert!(!s.is_elapsed());
    ///     wasio::sleep(Duration::from_secs(1)).await;
    ///     assert!(s.is_elapsed());
    /// });
    /// ```
    pub fn is_elapsed(&self) -> bool {
        Instant::now() >= self.deadline
    }

    fn disarm(&mut self) {
        if let Some(key) = self.key.take() {
            let _ = executor::try_with(|ex| ex.timers().remove(key));
        }
    }
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yield_once {
            self.yield_once = false;
            cx.waker().wake_by_ref();
            return pending(WaitReason::Yield);
        }
        let this = &mut *self;
        executor::with(|ex| {
            // A first poll needs no fresh reading: `sleep` has just read the clock for the
            // deadline, and a deadline the loop has not yet seen pass is armed and fires at the
            // next turn. A woken poll reads the clock.
            let now = match this.key {
                None => ex.last_reading(),
                Some(_) => ex.now(),
            };
            if now >= this.deadline.0 {
                if let Some(key) = this.key.take() {
                    ex.timers().remove(key);
                }
                return Poll::Ready(());
            }
            match this.key {
                Some(key) if ex.timers().update(key, cx.waker()) => {}
                _ => {
                    let deadline = this.deadline.0;
                    this.key = Some(ex.timers().insert(deadline, cx.waker().clone()));
                    ex.emit(EventKind::TimerArmed, deadline);
                    ex.note_timer_armed(deadline);
                }
            }
            pending(WaitReason::Sleep)
        })
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.disarm();
    }
}
