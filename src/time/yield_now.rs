//! [`yield_now`]: let every other ready task run once.

use crate::trace::wait::{pending, WaitReason};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Suspends the current task so that every other task that is ready runs once before it resumes.
///
/// # Cancel safety
///
/// Cancel safe.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// let log = Rc::new(RefCell::new(Vec::new()));
/// wasio::run({
///     let log = log.clone();
///     async move {
///         let me = wasio::spawn({
///             let log = log.clone();
///             async move {
///                 wasio::yield_now().await; // `other`, spawned after us, runs first
///                 log.borrow_mut().push("me");
///             }
///         });
///         let other = wasio::spawn({
///             let log = log.clone();
///             async move { log.borrow_mut().push("other") }
///         });
///         me.await.unwrap();
///         other.await.unwrap();
///     }
/// });
/// assert_eq!(*log.borrow(), ["other", "me"]);
/// ```
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`]: pending once (waking itself), then ready.
///
/// # Examples
///
/// ```
/// use std::future::Future;
/// use std::task::{Context, Poll, Waker};
/// let mut y = std::pin::pin!(wasio::yield_now());
/// let mut cx = Context::from_waker(Waker::noop());
/// assert_eq!(y.as_mut().poll(&mut cx), Poll::Pending);
/// assert_eq!(y.as_mut().poll(&mut cx), Poll::Ready(()));
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        pending(WaitReason::Yield)
    }
}
