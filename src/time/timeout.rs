//! [`timeout`] and [`timeout_at`]: asyncio's `wait_for`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::{sleep, sleep_until, Instant, Sleep};

/// The error of a [`timeout`] that expired.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let e: wasio::Elapsed = wasio::timeout(Duration::from_millis(1), std::future::pending::<()>())
///         .await
///         .unwrap_err();
///     assert_eq!(e.to_string(), "deadline has elapsed");
///     // It converts into an `io::Error` of kind `TimedOut`, so `?` works in an `io::Result` fn.
///     let io = std::io::Error::from(e);
///     assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
/// });
///
/// async fn read_line(r: &mut wasio::StreamReader) -> std::io::Result<Vec<u8>> {
///     let line = wasio::timeout(Duration::from_secs(5), r.readline()).await??;
///     Ok(line)
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed(());

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

impl Elapsed {
    pub(crate) fn new() -> Elapsed {
        Elapsed(())
    }
}

/// An expired timeout as an [`io::Error`](std::io::Error) of kind
/// [`TimedOut`](std::io::ErrorKind::TimedOut) (its message is the `Elapsed`'s), so
/// `timeout(d, io_future).await??` works in a function returning `io::Result`.
///
/// # Examples
///
/// ```
/// use std::{io, time::Duration};
/// async fn slow_io() -> io::Result<u8> {
///     wasio::sleep(Duration::from_secs(10)).await;
///     Ok(1)
/// }
/// async fn with_deadline() -> io::Result<u8> {
///     let v = wasio::timeout(Duration::from_secs(1), slow_io()).await??;
///     Ok(v)
/// }
/// let err = wasio::testing::run(with_deadline()).unwrap_err();
/// assert_eq!(err.kind(), io::ErrorKind::TimedOut);
/// assert_eq!(err.to_string(), "deadline has elapsed");
/// ```
impl From<Elapsed> for std::io::Error {
    fn from(e: Elapsed) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::TimedOut, e)
    }
}

/// Runs `future` for at most `duration`.
///
/// The inner future is polled before the deadline is checked, so a future that is ready at once
/// returns its value even with a zero timeout. On expiry the inner future is dropped (its
/// destructors run) and `Err(Elapsed)` is returned.
///
/// # Cancel safety
///
/// As cancel safe as `future`: dropping the timeout drops it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let slow = wasio::sleep(Duration::from_secs(3600));
///     assert!(wasio::timeout(Duration::from_secs(1), slow).await.is_err());
///     assert_eq!(wasio::timeout(Duration::ZERO, async { 5 }).await, Ok(5));
/// });
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    let mut timer = sleep(duration);
    if duration.is_zero() {
        // A zero timeout must not wait a turn: the deadline is now.
        timer = sleep_until(Instant::now());
    }
    Timeout { future, timer }
}

/// Runs `future` until `deadline` at the latest (see [`timeout`]).
///
/// # Cancel safety
///
/// As cancel safe as `future`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let at = wasio::Instant::now() + Duration::from_millis(10);
///     let r = wasio::timeout_at(at, wasio::sleep(Duration::from_millis(5))).await;
///     assert_eq!(r, Ok(()));
/// });
/// ```
pub fn timeout_at<F: Future>(deadline: Instant, future: F) -> Timeout<F> {
    Timeout {
        future,
        timer: sleep_until(deadline),
    }
}

/// The future of [`timeout`] and [`timeout_at`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let t: wasio::time::Timeout<_> = wasio::timeout(Duration::from_secs(1), async { 1 + 1 });
///     assert_eq!(t.await, Ok(2));
/// });
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F> {
    future: F,
    timer: Sleep,
}

impl<F> Timeout<F> {
    /// The wrapped future.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let t = wasio::timeout(Duration::from_secs(1), wasio::sleep(Duration::from_secs(5)));
    ///     assert_eq!(t.get_ref().deadline().since_origin(), Duration::from_secs(5));
    /// });
    /// ```
    pub fn get_ref(&self) -> &F {
        &self.future
    }

    /// Unwraps the inner future (dropping the deadline).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let t = wasio::timeout(Duration::from_millis(1), wasio::sleep(Duration::from_secs(5)));
    ///     t.into_inner().await; // no deadline any more: it sleeps all 5 s
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(5));
    /// });
    /// ```
    pub fn into_inner(self) -> F {
        self.future
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY-free projection: `Sleep` is `Unpin`; the inner future is pinned with `self`.
        let (future, timer) = pin_project(self);
        if let Poll::Ready(v) = future.poll(cx) {
            return Poll::Ready(Ok(v));
        }
        match Pin::new(timer).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed(()))),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[allow(unsafe_code)]
fn pin_project<F>(t: Pin<&mut Timeout<F>>) -> (Pin<&mut F>, &mut Sleep) {
    // SAFETY: `future` is structurally pinned (never moved out while pinned: `Timeout` has no
    // `Drop` impl and `into_inner` takes it by value, unpinned); `timer` is `Unpin`.
    unsafe {
        let this = t.get_unchecked_mut();
        (Pin::new_unchecked(&mut this.future), &mut this.timer)
    }
}
